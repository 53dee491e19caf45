"""The REST API through HTTP: contract, records workflow, regime and audit, pagination, errors, security.

Expected values come from the regulation and the scenario, not from earlier output: EUV resist (entry 7(19),
3C002.a) to Korea after 2019-08-28 (Cabinet Order No. 71 of 2019 took KR off Appended Table 3) needs an
individual licence; 'Delta Engineering Concern FZE' is on METI's End User List.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from exportctl.http import deps
from exportctl.http.app import create_app
from exportctl.screening.screener import Screener
from exportctl.store import db as store
from exportctl.store.models import ApiToken
from tests.conftest import CHECK_CONTRACT as CONTRACT
from tests.support.apiclient import API, PASSWORD, USERS, Api, live_server, make_api

PROBLEM = "application/problem+json"
RESIST_TO_KOREA = {
    "date": "2019-09-01",
    "destination": "KR",
    "end_use": "EUV lithography line",
    "lines": [{"item": "7(19)#euv-resist", "quantity": 40, "value_jpy": 8_000_000}],
}
HANBIT = {"code": "KR-HANBIT", "name": "Hanbit Semiconductor Materials Co., Ltd.", "country": "KR"}


@pytest.fixture
def api(tmp_path: Any, screener: Screener) -> Iterator[Api]:
    url = f"sqlite:///{tmp_path / 'api.db'}"
    yield make_api(url, screener)
    store.engine(url).dispose()


@pytest.fixture
def any_db_api(database_url: str, screener: Screener) -> Api:
    """The same, on SQLite and on PostgreSQL."""
    return make_api(database_url, screener)


def problem_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://") and body["title"]
    return body


def audit_total(api: Api, **filters: str) -> int:
    response = api.get("/audit/records", params={"limit": 1, **filters})
    assert response.status_code == 200
    return int(response.json()["total"])


def setup_resist_master(api: Api) -> None:
    """A Korean customer and the EUV resist item, classified under 7(19) from 2019-01-01 (a clerk's work)."""
    assert api.post("/parties", "clerk", HANBIT | {"roles": ["consignee", "end-user"]}).status_code == 201
    item = {"code": "EMK-R100", "description": "EUV photoresist, 1 L bottle", "hs_code": "3707.90"}
    assert api.post("/items", "clerk", item).status_code == 201
    classification = {"reference": "7(19)#euv-resist", "rationale": "EUV resist (3C002)", "valid_from": "2019-01-01"}
    assert api.post("/items/EMK-R100/classifications", "clerk", classification).status_code == 201


def resist_order(number: str, ship_date: str = "2019-09-10", consignee: str = "KR-HANBIT") -> dict[str, Any]:
    return {
        "number": number,
        "ship_date": ship_date,
        "destination": "KR",
        "consignee": consignee,
        "end_user": consignee,
        "end_use": "EUV lithography line",
        "lines": [{"item": "EMK-R100", "quantity": 40, "value_jpy": 8_000_000}],
    }


# --- OpenAPI ----------------------------------------------------------------------------------------------------


def test_openapi_document_is_openapi_3_and_lists_every_endpoint(api: Api) -> None:
    response = api.client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    paths = {(path, method.upper()) for path, ops in document["paths"].items() for method in ops}
    expected = {
        ("/check", "POST"),
        ("/screen", "POST"),
        ("/lists", "GET"),
        ("/regime/{regime_id}", "GET"),
        ("/regime/{regime_id}/diff", "GET"),
        ("/orders", "GET"),
        ("/orders", "POST"),
        ("/orders/{number}", "GET"),
        ("/orders/{number}", "PATCH"),
        ("/orders/{number}/determine", "POST"),
        ("/orders/{number}/release", "POST"),
        ("/orders/{number}/ship", "POST"),
        ("/licences", "GET"),
        ("/licences", "POST"),
        ("/licences/{number}", "GET"),
        ("/licences/warnings", "GET"),
        ("/items", "GET"),
        ("/items", "POST"),
        ("/items/{code}", "GET"),
        ("/items/{code}/classifications", "POST"),
        ("/parties", "GET"),
        ("/parties", "POST"),
        ("/parties/{code}", "GET"),
        ("/parties/{code}/screen", "POST"),
        ("/hits/{hit_id}/review", "POST"),
        ("/audit/verify", "GET"),
        ("/audit/records", "GET"),
        ("/session", "POST"),
        ("/me", "GET"),
    }
    assert {(API + path, method) for path, method in expected} <= paths


def test_the_order_body_keeps_its_field_names(api: Api) -> None:
    """The body of POST /orders is a contract: one input model now, with the fields clients send."""
    document = api.client.get(f"{API}/openapi.json").json()
    schemas = document["components"]["schemas"]
    body = document["paths"][f"{API}/orders"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    order = schemas[body["$ref"].rsplit("/", 1)[1]]
    line = schemas[order["properties"]["lines"]["items"]["$ref"].rsplit("/", 1)[1]]
    assert set(order["properties"]) == {
        "number", "regime", "ship_date", "origin", "destination", "consignee", "end_user", "end_use", "wmd_end_use",
        "conventional_end_use", "repression_end_use", "informed", "clearly_not", "lines",
        "also_under",  # issue 13: the other regimes the order is decided under (an addition to the contract)
        "destination_region",  # issue 13: the region of the destination where a law treats it apart (EAR § 746.6)
    }  # fmt: skip
    assert set(order["required"]) == {"number", "ship_date", "destination", "lines"}
    line_fields = {"item", "reference", "kind", "quantity", "value_jpy", "value_eur", "residency", "tech_purpose"}
    line_fields |= {"value_usd", "us_content_pct", "us_direct_product"}  # issue 13: the EAR's facts of a line
    assert set(line["properties"]) == line_fields
    both = resist_order("SO-1") | {"lines": [{"item": "EMK-R100", "reference": "7(19)"}]}
    refused = problem_of(api.post("/orders", "clerk", both), 422)
    assert "lines" in str(refused) and "exactly one of item or reference" in str(refused)


# --- one-shot check and screening -------------------------------------------------------------------------------


def test_check_returns_the_contract_and_stores_nothing(api: Api) -> None:
    before = audit_total(api)
    response = api.post("/check", "viewer", RESIST_TO_KOREA)
    assert response.status_code == 200, response.text
    result = response.json()
    assert result.keys() >= CONTRACT
    assert (result["regime"], result["date"], result["destination"]) == ("jp", "2019-09-01", "KR")
    assert result["destination_group"] == "B"  # KR left Appended Table 3 on 2019-08-28
    assert result["outcome"] == "licence_required" and result["licence_required"] is True
    assert result["eligible_licences"] == ["individual"]
    assert result["lines"][0]["entries"] == ["7(19)"] and result["lines"][0]["control_numbers"] == ["3C002.a"]
    assert all(reason["text"] for reason in result["reasons"])
    assert result["pack_version"].startswith("jp-")
    assert audit_total(api) == before  # a check is not a record


def test_check_rejects_an_invalid_transaction_as_a_problem(api: Api) -> None:
    body = problem_of(api.post("/check", "viewer", {"date": "2019-09-01", "destination": "KR", "lines": []}), 422)
    assert any(error["field"].endswith("lines") for error in body["errors"])
    problem_of(api.post("/check", "viewer", RESIST_TO_KOREA | {"date": "1990-01-01"}), 422)  # outside coverage


def test_check_under_several_regimes(api: Api) -> None:
    # A Japanese-made 1C009 with 20 % US content to China: FEFTA row 5 needs a licence over the small-value limit;
    # under the EAR it is not subject (de minimis 25 %, § 734.4(c)).
    transaction = {
        "date": "2026-08-01",
        "from": "JP",
        "destination": "CN",
        "end_use": "fluoropolymer film",
        "wmd_end_use": False,
        "conventional_end_use": False,
        "lines": [{"item": "1C009", "value_jpy": 5_000_000, "us_content_pct": 20}],
    }
    response = api.post("/check/regimes", "viewer", {"regimes": ["jp", "us"], "transaction": transaction})
    assert response.status_code == 200, response.text
    result = response.json()
    assert [d["regime"] for d in result["determinations"]] == ["jp", "us"]
    assert [d["outcome"] for d in result["determinations"]] == ["licence_required", "no_licence_required"]
    assert (result["outcome"], result["licence_required"]) == ("licence_required", True)
    problem_of(api.post("/check/regimes", "viewer", {"regimes": ["jp", "xx"], "transaction": transaction}), 404)
    problem_of(api.post("/check/regimes", "viewer", {"regimes": [], "transaction": transaction}), 422)
    # § 746.6: the region of Ukraine decides under the EAR; one of another country is refused.
    crimea = {**transaction, "from": None, "destination": "UA", "to_region": "UA-43", "lines": [{"item": "EAR99"}]}
    us = api.post("/check/regimes", "viewer", {"regimes": ["us"], "transaction": crimea}).json()
    assert us["outcome"] == "licence_required"
    problem_of(
        api.post("/check/regimes", "viewer", {"regimes": ["us"], "transaction": {**crimea, "to_region": "RU-MOW"}}), 422
    )


def test_screen_finds_a_listed_party_and_lists_are_versioned(api: Api) -> None:
    response = api.post("/screen", "viewer", {"name": "Delta Engineering Concern FZE", "country": "AE"})
    assert response.status_code == 200
    hits = response.json()["hits"]
    assert any(hit["list"] == "jp-eul" and hit["score"] >= 0.99 for hit in hits)
    assert api.post("/screen", "viewer", {"name": "Rheinfeld Werkstoffe GmbH", "country": "DE"}).json()["hits"] == []
    lists = {entry["list"]: entry for entry in api.get("/lists").json()["lists"]}
    assert {"jp-eul", "jp-mof", "un", "us-sdn"} <= lists.keys()
    assert all(entry["version"] and entry["entities"] > 0 for entry in lists.values())


# --- orders, licences, items, parties -----------------------------------------------------------------------------


def test_order_workflow_with_licence_assignment_and_shipment(any_db_api: Api) -> None:
    api = any_db_api
    setup_resist_master(api)
    created = api.post("/orders", "clerk", resist_order("SO-1"))
    assert created.status_code == 201, created.text
    order = created.json()
    assert order["status"] == "blocked" and order["blocking_reasons"] == ["licence-needed"]
    assert order["lines"][0]["eligible_licences"] == ["individual"] and order["lines"][0]["licence"] is None
    assert api.get("/orders/SO-1").json()["number"] == "SO-1"

    changed = api.patch("/orders/SO-1", "clerk", {"end_use": "EUV lithography, fab 2"})
    assert changed.status_code == 200
    assert changed.json()["end_use"] == "EUV lithography, fab 2" and changed.json()["status"] == "blocked"

    licence = {
        "type": "individual",
        "number": "IND-2019-KR-0815",
        "holder": "Example Materials K.K.",
        "destinations": ["KR"],
        "consignees": ["KR-HANBIT"],
        "items": ["EMK-R100"],
        "quantity_limit": 60,
        "value_limit_jpy": 12_000_000,
        "valid_from": "2019-08-08",
        "valid_to": "2020-02-07",
    }
    assert api.post("/licences", "officer", licence).status_code == 201
    assert api.get("/licences/IND-2019-KR-0815").json()["quantity_used"] == 0

    redetermined = api.post("/orders/SO-1/determine", "clerk")
    assert redetermined.status_code == 200
    assert redetermined.json()["status"] == "released" and redetermined.json()["blocking_reasons"] == []
    assert redetermined.json()["lines"][0]["licence"] == "IND-2019-KR-0815"

    # Issue 10: the shipment date is a fact; the licence must be valid on it (today it is not: it ended in 2020).
    problem_of(api.post("/orders/SO-1/ship", "clerk"), 422)
    shipped = api.post("/orders/SO-1/ship", "clerk", {"date": "2019-09-10"})
    assert shipped.status_code == 200 and shipped.json()["status"] == "shipped"
    assert shipped.json()["shipped_on"] == "2019-09-10"
    drawn = api.get("/licences/IND-2019-KR-0815").json()
    assert (drawn["quantity_used"], drawn["value_used_jpy"]) == (40, 8_000_000)
    problem_of(api.patch("/orders/SO-1", "clerk", {"end_use": "late change"}), 422)  # shipped orders are final

    trail = api.get("/audit/records", params={"subject": "order:SO-1", "limit": 100}).json()["items"]
    actors = [(record["action"], record["actor"]) for record in trail]
    assert actors[0] == ("order.determine", USERS["clerk"])
    assert ("order.ship", USERS["clerk"]) in actors
    assert ("licence.add", USERS["officer"]) not in actors  # other subject
    licence_trail = api.get("/audit/records", params={"subject": "licence:IND-2019-KR-0815"}).json()["items"]
    assert [(r["action"], r["actor"]) for r in licence_trail] == [
        ("licence.add", USERS["officer"]),
        ("licence.drawdown", USERS["clerk"]),
    ]
    verified = api.get("/audit/verify").json()
    assert verified["ok"] is True and verified["checked"] == audit_total(api)


def test_officer_releases_a_blocked_order_with_a_reason(api: Api) -> None:
    setup_resist_master(api)
    assert api.post("/orders", "clerk", resist_order("SO-2")).json()["status"] == "blocked"
    problem_of(api.post("/orders/SO-2/release", "clerk", {"reason": "urgent"}), 403)
    problem_of(api.post("/orders/SO-2/release", "officer", {"reason": ""}), 422)
    # Issue 10: a reason never lifts licence-needed; the licence received by fax is entered into the book first.
    refused = problem_of(api.post("/orders/SO-2/release", "officer", {"reason": "METI licence received by fax"}), 422)
    assert "enter the licence in the book" in refused["detail"]
    licence = {
        "type": "individual",
        "number": "2019-0815",
        "holder": "Example Materials K.K.",
        "destinations": ["KR"],
        "consignees": ["KR-HANBIT"],
        "items": ["EMK-R100"],
        "valid_from": "2019-08-08",
        "valid_to": "2020-02-07",
    }
    assert api.post("/licences", "officer", licence).status_code == 201
    released = api.post("/orders/SO-2/release", "officer", {"reason": "METI licence 2019-0815 received by fax"})
    assert released.status_code == 200
    assert released.json()["release_state"] == "released" and released.json()["lines"][0]["licence"] == "2019-0815"
    assert released.json()["status"] == "released"
    assert released.json()["releases"][0]["officer"] == USERS["officer"]
    assert released.json()["releases"][0]["blocking_reasons"] == ["licence-needed"]
    problem_of(api.post("/orders/SO-2/release", "officer", {"reason": "again"}), 422)  # not blocked any more
    [record] = api.get("/audit/records", params={"subject": "order:SO-2", "action": "order.release"}).json()["items"]
    assert record["actor"] == USERS["officer"] and record["payload"]["reason"].startswith("METI licence")


def test_items_keep_their_classification_history(api: Api) -> None:
    setup_resist_master(api)
    reclassified = {
        "reference": "hs:3707.90",
        "rationale": "Reformulated: not a 3C002 resist",
        "valid_from": "2020-01-01",
    }
    response = api.post("/items/EMK-R100/classifications", "clerk", reclassified)
    assert response.status_code == 201
    item = api.get("/items/EMK-R100").json()
    assert [c["reference"] for c in item["classifications"]] == ["7(19)#euv-resist", "hs:3707.90"]
    assert item["classifications"][0]["entries"] == ["7(19)"]
    assert {c["classified_by"] for c in item["classifications"]} == {USERS["clerk"]}
    assert item["classification"] == "hs:3707.90"
    problem_of(api.post("/items/EMK-R100/classifications", "clerk", reclassified | {"reference": "99(99)"}), 422)
    listed = api.get("/items").json()
    assert listed["total"] == 1 and listed["items"][0]["code"] == "EMK-R100"


def test_party_screened_on_entry_and_hit_review_by_an_officer(api: Api) -> None:
    party = {"code": "AE-DELTA", "name": "Delta Engineering Concern FZE", "country": "AE", "roles": ["end-user"]}
    created = api.post("/parties", "clerk", party)
    assert created.status_code == 201
    assert created.json()["screening_status"] == "hits"
    hits = [hit for hit in created.json()["hits"] if hit["list"] == "jp-eul"]
    assert hits and all(hit["status"] == "open" for hit in hits)
    assert api.get("/parties", params={"screening_status": "hits"}).json()["total"] == 1
    problem_of(api.post(f"/hits/{hits[0]['id']}/review", "clerk", {"decision": "false-positive", "reason": "x"}), 403)
    problem_of(api.post(f"/hits/{hits[0]['id']}/review", "officer", {"decision": "false-positive"}), 422)
    reviewed = api.post(f"/hits/{hits[0]['id']}/review", "officer", {"decision": "confirmed", "reason": "same entity"})
    assert reviewed.status_code == 200
    assert reviewed.json()["status"] == "confirmed" and reviewed.json()["reviewed_by"] == USERS["officer"]
    assert api.get("/parties/AE-DELTA").json()["screening_status"] == "hits"

    clean = {"code": "DE-RHEIN", "name": "Rheinfeld Werkstoffe GmbH", "country": "DE", "roles": ["consignee"]}
    assert api.post("/parties", "clerk", clean).json()["screening_status"] == "clear"
    assert api.post("/parties/DE-RHEIN/screen", "clerk").json()["screening_status"] == "clear"
    review = api.get("/audit/records", params={"subject": "party:AE-DELTA", "action": "party.review"}).json()
    assert [r["actor"] for r in review["items"]] == [USERS["officer"]]


# --- regime -----------------------------------------------------------------------------------------------------


def test_regime_snapshot_on_a_date(api: Api) -> None:
    before = api.get("/regime/jp", params={"date": "2019-08-27"}).json()
    after = api.get("/regime/jp", params={"date": "2019-08-28"}).json()
    assert "KR" in before["tables"]["table-3"] and "KR" not in after["tables"]["table-3"]
    assert "KR" in after["tables"]["group-b"]
    assert after["valid"]["from"] == "2019-08-28"
    problem_of(api.get("/regime/xx", params={"date": "2019-08-28"}), 404)
    problem_of(api.get("/regime/jp", params={"date": "not-a-date"}), 422)


def test_regime_diff_cites_the_cabinet_order(api: Api) -> None:
    response = api.get("/regime/jp/diff", params={"from": "2019-08-27", "to": "2019-08-28"})
    assert response.status_code == 200
    diff = response.json()
    assert diff["change_dates"] == ["2019-08-28"]
    removed = [c for c in diff["changes"] if c["key"] == "table-3/KR"]
    assert removed and removed[0]["change"] == "removed"
    assert removed[0]["source"]["id"] == "jp.etco.2019-co71"


def test_regime_entries_on_a_date(api: Api) -> None:
    """Entry 7(24) (silicon and germanium halides and hydrides) joined Appended Table 1 on 2025-05-28."""
    before = api.get("/regime/jp/entries", params={"date": "2025-05-27"}).json()
    after = api.get("/regime/jp/entries", params={"date": "2025-05-28", "kind": "goods"}).json()
    assert "7(24)" not in {e["id"] for e in before["entries"]}
    added = next(e for e in after["entries"] if e["id"] == "7(24)")
    assert added["kind"] == "goods" and added["complete"] is True and added["criteria"] > 0
    assert {e["kind"] for e in after["entries"]} == {"goods"}
    problem_of(api.get("/regime/jp/entries", params={"date": "2025-05-28", "kind": "weapons"}), 422)


# --- pagination and filtering -------------------------------------------------------------------------------------


def test_orders_paginate_and_filter(any_db_api: Api) -> None:
    api = any_db_api
    setup_resist_master(api)
    tray = {"code": "EMK-TRAY", "description": "Polypropylene wafer shipping tray", "hs_code": "3926.90"}
    assert api.post("/items", "clerk", tray).status_code == 201
    basis = {"reference": "hs:3926.90", "rationale": "Plain plastic article", "valid_from": "2019-01-01"}
    assert api.post("/items/EMK-TRAY/classifications", "clerk", basis).status_code == 201
    for n in range(3):  # resist to Korea: licence needed
        assert api.post("/orders", "clerk", resist_order(f"KR-{n}", f"2019-09-1{n}")).status_code == 201
    for n in range(2):  # plain trays to Germany (Group A): no licence
        tray_order = {
            "number": f"DE-{n}",
            "ship_date": f"2019-10-0{n + 1}",
            "destination": "DE",
            "end_use": "wafer handling",
            "lines": [{"item": "EMK-TRAY", "quantity": 100, "value_jpy": 30_000}],
        }
        assert api.post("/orders", "clerk", tray_order).json()["status"] == "released"

    first = api.get("/orders", params={"limit": 2}).json()
    assert (first["total"], first["limit"], first["offset"], len(first["items"])) == (5, 2, 0, 2)
    assert [o["number"] for o in first["items"]] == ["DE-1", "DE-0"]  # newest ship date first
    last = api.get("/orders", params={"limit": 2, "offset": 4}).json()
    assert [o["number"] for o in last["items"]] == ["KR-0"]
    blocked = api.get("/orders", params={"status": "blocked"}).json()
    assert blocked["total"] == 3 and {o["destination"] for o in blocked["items"]} == {"KR"}
    german = api.get("/orders", params={"destination": "DE", "status": "released"}).json()
    assert [o["number"] for o in german["items"]] == ["DE-1", "DE-0"]
    problem_of(api.get("/orders", params={"limit": 0}), 422)
    problem_of(api.get("/orders", params={"status": "lost"}), 422)

    records = api.get("/audit/records", params={"limit": 3, "offset": 1, "action": "order.determine"}).json()
    assert records["total"] == 5 and len(records["items"]) == 3
    assert all(r["actor"] == USERS["clerk"] for r in records["items"])


# --- errors -----------------------------------------------------------------------------------------------------


def test_errors_are_problem_details(api: Api) -> None:
    body = problem_of(api.get("/orders", role=None), 401)
    assert api.get("/orders", role=None).headers["www-authenticate"] == "Bearer"
    assert body["title"] == "Not authenticated"
    problem_of(api.post("/orders", "viewer", resist_order("SO-9")), 403)
    assert problem_of(api.get("/orders/NOPE"), 404)["detail"] == "order 'NOPE' does not exist"
    problem_of(api.get("/licences/NOPE"), 404)
    assert api.post("/parties", "clerk", HANBIT).status_code == 201
    problem_of(api.post("/parties", "clerk", HANBIT), 409)
    body = problem_of(api.post("/orders", "clerk", {"number": "SO-9"}), 422)
    assert {"body.ship_date", "body.destination", "body.lines"} <= {e["field"] for e in body["errors"]}


def test_request_bodies_over_one_mib_are_refused(api: Api) -> None:
    huge = {"name": "x" * 400, "country": "AE", "lists": ["jp-eul"] * 200_000}
    problem_of(api.post("/screen", "viewer", huge), 413)

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"name": "'
        for _ in range(20):
            yield b"y" * 65536
        yield b'"}'

    headers = api.auth("viewer") | {"content-type": "application/json"}
    problem_of(api.client.post(f"{API}/screen", headers=headers, content=chunks()), 413)
    assert api.post("/screen", "viewer", {"name": "small"}).status_code == 200


# --- authentication -----------------------------------------------------------------------------------------------


def test_failed_logins_are_rate_limited(api: Api) -> None:
    for _ in range(5):
        problem_of(api.client.post(f"{API}/session", json={"name": "vera", "password": "guess-guess"}), 401)
    body = problem_of(api.client.post(f"{API}/session", json={"name": "vera", "password": "guess-guess"}), 429)
    refused = api.client.post(f"{API}/session", json={"name": "vera", "password": PASSWORD})
    assert refused.status_code == 429  # even the right password waits
    assert 0 < int(refused.headers["retry-after"]) <= 300 and body["retry_after"] > 0


def test_tokens_unknown_or_revoked_are_refused(api: Api) -> None:
    assert api.get("/me", "clerk").json() == {"user": USERS["clerk"], "role": "clerk"}
    unknown = api.client.get(f"{API}/me", headers={"Authorization": "Bearer xc_not-a-token"})
    problem_of(unknown, 401)
    with store.session(api.database_url) as db:  # what revoking a token does to its row
        db.execute(update(ApiToken).values(revoked=True))
    time.sleep(deps.TOKEN_CACHE_SECONDS + 0.1)  # a server remembers a token for at most this long
    problem_of(api.get("/me", "clerk"), 401)
    problem_of(api.get("/me", "viewer"), 401)  # never looked up before: refused at once


def test_session_cookie_writes_need_the_csrf_token(api: Api) -> None:
    login = api.client.post(f"{API}/session", json={"name": "carl", "password": PASSWORD})
    assert login.status_code == 200
    assert login.json()["user"] == "carl" and login.json()["role"] == "clerk"
    cookie = login.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    csrf = login.json()["csrf_token"]
    assert api.client.get(f"{API}/me").json()["user"] == "carl"  # the cookie authenticates reads

    party = {"code": "TW-JADE", "name": "Jade Harbor Foundry Corp.", "country": "TW"}
    assert "CSRF" in problem_of(api.client.post(f"{API}/parties", json=party), 403)["detail"]
    wrong = api.client.post(f"{API}/parties", json=party, headers={"X-CSRF-Token": "forged"})
    problem_of(wrong, 403)
    created = api.client.post(f"{API}/parties", json=party, headers={"X-CSRF-Token": csrf})
    assert created.status_code == 201
    [record] = api.get("/audit/records", params={"subject": "party:TW-JADE", "action": "party.add"}).json()["items"]
    assert record["actor"] == "carl"


# --- a real server ----------------------------------------------------------------------------------------------


def test_end_to_end_over_a_real_socket(tmp_path: Any, screener: Screener) -> None:
    api = make_api(f"sqlite:///{tmp_path / 'live.db'}", screener)
    with live_server(create_app(api.database_url, screener)) as base, httpx.Client(base_url=base) as client:
        headers = api.auth("viewer")
        assert client.get(f"{API}/openapi.json").json()["openapi"].startswith("3.")
        result = client.post(f"{API}/check", json=RESIST_TO_KOREA, headers=headers)
        assert result.status_code == 200 and result.json()["eligible_licences"] == ["individual"]
        refused = client.post(f"{API}/orders", json=resist_order("SO-X"), headers=headers)
        assert refused.status_code == 403 and refused.headers["content-type"].startswith(PROBLEM)
        big = client.post(f"{API}/check", content=b"{" + b" " * (1 << 20) + b"}", headers=headers)
        assert big.status_code == 413
