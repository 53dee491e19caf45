"""The role matrix: every endpoint of the API × {anonymous, viewer, clerk, officer, admin}.

Each endpoint declares the least role that may call it. Anonymous callers get 401, roles below the minimum
403, and the minimum and above succeed (2xx: the requests are valid and each call gets fresh objects, so
nothing fails for a domain reason). The routes are read from the application, so an endpoint added without
a declared role fails `test_the_matrix_covers_every_endpoint`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI

from exportctl.screening.screener import Screener
from exportctl.store import db as store
from tests.support.apiclient import API, PASSWORD, ROLES, USERS, Api, make_api

PUBLIC = "public"
RANK = {PUBLIC: -1, "viewer": 0, "clerk": 1, "officer": 2, "admin": 3}
_serial = itertools.count(1)


def fresh(prefix: str) -> str:
    return f"{prefix}-{next(_serial)}"


@dataclass(frozen=True)
class Call:
    path: str
    json: Any = None
    params: dict[str, str] | None = None
    files: dict[str, Any] | None = None  # a multipart upload instead of JSON


Setup = Callable[[Api], Call]


def resist_order(number: str) -> dict[str, Any]:
    """EUV resist to Korea after 2019-08-28, over the ¥1M small-value limit: blocked until a licence fits."""
    return {
        "number": number,
        "ship_date": "2019-09-10",
        "destination": "KR",
        "consignee": "KR-HANBIT",
        "end_user": "KR-HANBIT",
        "end_use": "EUV lithography line",
        "lines": [{"item": "EMK-R100", "quantity": 1, "value_jpy": 5_000_000}],
    }


def tray_order(number: str) -> dict[str, Any]:
    """Plain plastic trays to Germany: released at once."""
    return {
        "number": number,
        "ship_date": "2019-10-01",
        "destination": "DE",
        "end_use": "wafer handling",
        "lines": [{"item": "EMK-TRAY", "quantity": 10, "value_jpy": 30_000}],
    }


def created(api: Api, path: str, body: Any) -> Any:
    response = api.post(path, "admin", body)
    assert response.status_code == 201, response.text
    return response.json()


def new_blocked_order(api: Api) -> str:
    return str(created(api, "/orders", resist_order(fresh("SO-B")))["number"])


def new_overridable_order(api: Api) -> str:
    """A machining centre to China with no declared end use: blocked as indeterminate, which an officer may
    override (issue 10: licence-needed is lifted only by a licence in the book, never by a reason)."""
    order = {
        "number": fresh("SO-I"),
        "ship_date": "2024-06-01",
        "destination": "CN",
        "lines": [{"reference": "hs:8457.10", "quantity": 1, "value_jpy": 2_000_000}],
    }
    created_order = created(api, "/orders", order)
    assert created_order["blocking_reasons"] == ["indeterminate"]
    return str(created_order["number"])


def new_released_order(api: Api) -> str:
    order = created(api, "/orders", tray_order(fresh("SO-R")))
    assert order["status"] == "released"
    return str(order["number"])


def new_item(api: Api) -> str:
    return str(created(api, "/items", {"code": fresh("ITEM"), "description": "tray"})["code"])


def new_hit(api: Api) -> int:
    party = {"code": fresh("AE-DELTA"), "name": "Delta Engineering Concern FZE", "country": "AE"}
    return int(created(api, "/parties", party)["hits"][0]["id"])


SCAN = {"file": ("scan.pdf", b"%PDF-1.7\n%%EOF\n", "application/pdf")}  # a PDF by its first bytes


def new_attachment(api: Api) -> str:
    """The path of a new attachment of the seeded licence."""
    response = api.client.post(f"{API}/licences/IND-SEED/attachments", headers=api.auth("officer"), files=SCAN)
    assert response.status_code == 201, response.text
    return str(response.json()["download"]).removeprefix(API)


def licence(number: str) -> dict[str, Any]:
    """An individual licence for a consignee no order names, so orders stay blocked for the release calls."""
    return {
        "type": "individual",
        "number": number,
        "holder": "Example Materials K.K.",
        "destinations": ["KR"],
        "consignees": ["NOBODY"],
        "items": ["EMK-R100"],
        "valid_from": "2019-08-08",
        "valid_to": "2020-02-07",
    }


CHECK = {
    "date": "2019-09-01",
    "destination": "KR",
    "end_use": "EUV lithography line",
    "lines": [{"item": "7(19)#euv-resist", "quantity": 1, "value_jpy": 5_000_000}],
}

# (method, path) → (least role, the request: built fresh for each call)
MATRIX: dict[tuple[str, str], tuple[str, Setup]] = {
    ("GET", "/openapi.json"): (PUBLIC, lambda api: Call("/openapi.json")),
    ("GET", "/docs"): ("viewer", lambda api: Call("/docs")),  # issue 10: the API docs behind login
    ("POST", "/session"): (PUBLIC, lambda api: Call("/session", {"name": USERS["viewer"], "password": PASSWORD})),
    ("DELETE", "/session"): ("viewer", lambda api: Call("/session")),
    ("GET", "/me"): ("viewer", lambda api: Call("/me")),
    ("POST", "/check"): ("viewer", lambda api: Call("/check", CHECK)),
    ("POST", "/check/regimes"): (
        "viewer",
        lambda api: Call("/check/regimes", {"regimes": ["jp"], "transaction": CHECK}),
    ),
    ("POST", "/screen"): ("viewer", lambda api: Call("/screen", {"name": "Delta Engineering Concern FZE"})),
    ("GET", "/lists"): ("viewer", lambda api: Call("/lists")),
    ("GET", "/regime/{regime_id}"): ("viewer", lambda api: Call("/regime/jp", params={"date": "2019-08-28"})),
    ("GET", "/regime/{regime_id}/entries"): (
        "viewer",
        lambda api: Call("/regime/jp/entries", params={"date": "2026-03-01", "kind": "technology"}),
    ),
    ("GET", "/regime/{regime_id}/diff"): (
        "viewer",
        lambda api: Call("/regime/jp/diff", params={"from": "2019-08-27", "to": "2019-08-28"}),
    ),
    ("GET", "/orders"): ("viewer", lambda api: Call("/orders", params={"status": "blocked"})),
    ("POST", "/orders"): ("clerk", lambda api: Call("/orders", resist_order(fresh("SO-N")))),
    ("GET", "/orders/{number}"): ("viewer", lambda api: Call("/orders/SO-SEED")),
    ("PATCH", "/orders/{number}"): (
        "clerk",
        lambda api: Call(f"/orders/{new_blocked_order(api)}", {"informed": False}),
    ),
    ("POST", "/orders/{number}/determine"): ("clerk", lambda api: Call(f"/orders/{new_blocked_order(api)}/determine")),
    ("POST", "/orders/{number}/release"): (
        "officer",
        lambda api: Call(f"/orders/{new_overridable_order(api)}/release", {"reason": "end use confirmed in writing"}),
    ),
    ("POST", "/orders/{number}/ship"): (  # issue 10: shipped on a date (the tray order's own)
        "clerk",
        lambda api: Call(f"/orders/{new_released_order(api)}/ship", {"date": "2019-10-01"}),
    ),
    ("POST", "/orders/{number}/ship-part"): (  # issue 16: part of a line, as the order page's form
        "clerk",
        lambda api: Call(
            f"/orders/{new_released_order(api)}/ship-part",
            {"lines": {"1": 4}, "shipped_on": "2019-10-01", "key": fresh("part")},
        ),
    ),
    ("GET", "/licences"): ("viewer", lambda api: Call("/licences")),
    ("POST", "/licences"): ("officer", lambda api: Call("/licences", licence(fresh("IND")))),
    ("GET", "/licences/warnings"): ("viewer", lambda api: Call("/licences/warnings", params={"today": "2020-01-15"})),
    ("GET", "/licences/{number}"): ("viewer", lambda api: Call("/licences/IND-SEED")),
    ("GET", "/licences/{number}/attachments"): ("viewer", lambda api: Call("/licences/IND-SEED/attachments")),
    ("POST", "/licences/{number}/attachments"): (  # issue 16: as amending a licence, an officer's
        "officer",
        lambda api: Call("/licences/IND-SEED/attachments", files=SCAN),
    ),
    ("GET", "/licences/{number}/attachments/{attachment_id}"): ("viewer", lambda api: Call(new_attachment(api))),
    ("DELETE", "/licences/{number}/attachments/{attachment_id}"): ("officer", lambda api: Call(new_attachment(api))),
    ("GET", "/items"): ("viewer", lambda api: Call("/items")),
    ("POST", "/items"): ("clerk", lambda api: Call("/items", {"code": fresh("ITEM"), "description": "a tray"})),
    ("GET", "/items/{code}"): ("viewer", lambda api: Call("/items/EMK-R100")),
    ("POST", "/items/{code}/classifications"): (
        "clerk",
        lambda api: Call(
            f"/items/{new_item(api)}/classifications",
            {"reference": "hs:3926.90", "rationale": "plain plastic", "valid_from": "2019-01-01"},
        ),
    ),
    ("GET", "/parties"): ("viewer", lambda api: Call("/parties")),
    ("POST", "/parties"): ("clerk", lambda api: Call("/parties", {"code": fresh("P"), "name": "Nordlicht Optik GmbH"})),
    ("GET", "/parties/{code}"): ("viewer", lambda api: Call("/parties/KR-HANBIT")),
    ("PATCH", "/parties/{code}"): ("clerk", lambda api: Call("/parties/NOBODY", {"address": fresh("Street")})),
    ("POST", "/parties/{code}/screen"): ("clerk", lambda api: Call("/parties/KR-HANBIT/screen")),
    ("POST", "/hits/{hit_id}/review"): (
        "officer",
        lambda api: Call(f"/hits/{new_hit(api)}/review", {"decision": "false-positive", "reason": "another entity"}),
    ),
    ("GET", "/audit/verify"): ("viewer", lambda api: Call("/audit/verify")),
    ("GET", "/audit/records"): ("viewer", lambda api: Call("/audit/records", params={"limit": "5"})),
}


def api_endpoints(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path) of every route under /api/v1, included routers followed."""
    found: set[tuple[str, str]] = set()

    def walk(routes: Any) -> None:
        for route in routes:
            children = getattr(route, "effective_candidates", None)  # an included router (FastAPI ≥ 0.160)
            if callable(children):
                walk(children())
                continue
            routes_inside = getattr(route, "routes", None)  # a mounted sub-application or router
            if routes_inside is not None and not hasattr(route, "methods"):
                walk(routes_inside)
                continue
            path, methods = getattr(route, "path", None), getattr(route, "methods", None)
            if path and methods and str(path).startswith(API):
                found.update((method, str(path)[len(API) :]) for method in methods if method != "HEAD")

    walk(app.routes)
    return found


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, screener: Screener) -> Iterator[Api]:
    url = f"sqlite:///{tmp_path_factory.mktemp('roles') / 'roles.db'}"
    api = make_api(url, screener)
    created(api, "/parties", {"code": "KR-HANBIT", "name": "Hanbit Semiconductor Materials Co., Ltd.", "country": "KR"})
    # The licences' consignee: a party in the records (issue 10: licences name existing parties) no order names.
    created(api, "/parties", {"code": "NOBODY", "name": "Gyeonggi Wafer Logistics Co., Ltd.", "country": "KR"})
    for code, reference in (("EMK-R100", "7(19)#euv-resist"), ("EMK-TRAY", "hs:3926.90")):
        created(api, "/items", {"code": code, "description": code})
        basis = {"reference": reference, "rationale": "seed", "valid_from": "2019-01-01"}
        created(api, f"/items/{code}/classifications", basis)
    created(api, "/orders", resist_order("SO-SEED"))
    created(api, "/licences", licence("IND-SEED"))
    yield api
    store.engine(url).dispose()


def test_the_matrix_covers_every_endpoint(api: Api) -> None:
    app = api.client.app
    assert isinstance(app, FastAPI)
    routes = api_endpoints(app)
    document = api.client.get(f"{API}/openapi.json").json()
    documented = {(method.upper(), path[len(API) :]) for path, ops in document["paths"].items() for method in ops}
    assert documented <= routes, "the route walk misses documented endpoints"
    assert routes - MATRIX.keys() == set(), "endpoints without a declared least role"
    assert MATRIX.keys() - routes == set(), "the matrix names endpoints that do not exist"


@pytest.mark.parametrize("caller", [None, *ROLES], ids=["anonymous", *ROLES])
@pytest.mark.parametrize("endpoint", sorted(MATRIX), ids=[f"{m} {p}" for m, p in sorted(MATRIX)])
def test_each_role_can_do_exactly_what_it_should(api: Api, endpoint: tuple[str, str], caller: str | None) -> None:
    method, _ = endpoint
    least, setup = MATRIX[endpoint]
    call = setup(api)
    response = api.client.request(
        method, API + call.path, headers=api.auth(caller), json=call.json, params=call.params, files=call.files
    )
    if least == PUBLIC:
        assert response.status_code < 300, response.text
    elif caller is None:
        assert response.status_code == 401, response.text
    elif RANK[caller] < RANK[least]:
        assert response.status_code == 403, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
    else:
        assert response.status_code < 300, f"{caller} may {method} {call.path}: {response.text}"
