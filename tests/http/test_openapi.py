"""The OpenAPI document describes every answer, and the answers are exactly what the records and the engine give.

Every operation's success response names a schema with its properties (not a bare object). Real answers — EUV
resist (7(19)) to Korea after 2019-08-28 needs an individual licence, so the order is blocked until one is in
the book; 'Delta Engineering Concern FZE' is on METI's End User List — validate against their models and carry
the same keys and values as the views and the renderer (the JSON the CLI prints): the models add nothing and
drop nothing, and a key a view adds without declaring it is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError
from pydantic_core import to_jsonable_python
from sqlalchemy import select

from exportctl import determination_json, records_json, regime_json
from exportctl.core_types import Transaction
from exportctl.determine.engine import determine
from exportctl.http.api.v1 import schemas
from exportctl.screening.screener import Screener
from exportctl.services import regimes
from exportctl.store import db as store
from exportctl.store.models import Item, Licence, Order, Party
from tests.support.apiclient import API, Api, make_api

RESIST_TO_KOREA = {
    "date": "2019-09-01",
    "destination": "KR",
    "end_use": "EUV lithography line",
    "lines": [{"item": "7(19)#euv-resist", "quantity": 40, "value_jpy": 8_000_000}],
}
HANBIT = {"code": "KR-HANBIT", "name": "Hanbit Semiconductor Materials Co., Ltd.", "country": "KR"}
DELTA = {"code": "AE-DELTA", "name": "Delta Engineering Concern FZE", "country": "AE", "roles": ["end-user"]}
ITEM = {"code": "EMK-R100", "description": "EUV photoresist, 1 L bottle", "hs_code": "3707.90"}
CLASSIFICATION = {"reference": "7(19)#euv-resist", "rationale": "EUV resist (3C002)", "valid_from": "2019-01-01"}
ORDER = {
    "number": "SO-1",
    "ship_date": "2019-09-10",
    "destination": "KR",
    "consignee": "KR-HANBIT",
    "end_user": "KR-HANBIT",
    "end_use": "EUV lithography line",
    "lines": [{"item": "EMK-R100", "quantity": 40, "value_jpy": 8_000_000}],
}
LICENCE = {
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


@pytest.fixture
def api(tmp_path: Any, screener: Screener) -> Iterator[Api]:
    url = f"sqlite:///{tmp_path / 'api.db'}"
    yield make_api(url, screener)
    store.engine(url).dispose()


def answer(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def exactly(model: type[BaseModel], body: Any) -> None:
    """The body validates against the model, and the model gives it back unchanged (no key added or lost)."""
    assert model.model_validate(body).model_dump(mode="json", by_alias=True) == body


def plain(data: Any) -> Any:
    """A view's dict as JSON, the way the API wrote it before it had models (datetimes as pydantic writes them)."""
    return to_jsonable_python(data)


# --- the document ---------------------------------------------------------------------------------------------


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        schema = document["components"]["schemas"][name]
    return schema


def _described(document: dict[str, Any], schema: dict[str, Any]) -> bool:
    """A schema that says what the answer holds: an object with properties (or an array or union of them)."""
    schema = _resolve(document, schema)
    if "anyOf" in schema or "allOf" in schema:
        return all(_described(document, part) for part in schema.get("anyOf", schema.get("allOf", [])))
    if schema.get("type") == "array":
        return _described(document, schema.get("items", {}))
    return bool(schema.get("properties"))


def test_every_operation_documents_the_schema_of_its_answer(api: Api) -> None:
    document = answer(api.client.get(f"{API}/openapi.json"))
    operations = [(path, method, op) for path, ops in document["paths"].items() for method, op in ops.items()]
    assert len(operations) >= 29  # every endpoint of tests/http/test_api.py's list
    for path, method, operation in operations:
        successes = {code: response for code, response in operation["responses"].items() if code.startswith("2")}
        assert successes, f"{method.upper()} {path}: no success response"
        for code, response in successes.items():
            if code == "204":
                assert "content" not in response, f"{method.upper()} {path}: 204 with a body"
                continue
            if "application/json" not in response["content"]:  # a file to download (a licence's attachment)
                for media, content in response["content"].items():
                    assert content["schema"] == {"type": "string", "format": "binary"}, f"{path} {media}"
                continue
            schema = response["content"]["application/json"]["schema"]
            assert _described(document, schema), f"{method.upper()} {path} {code}: untyped answer {schema}"


def test_an_answer_with_an_undeclared_key_is_refused() -> None:
    licence = {
        "number": "IND-1",
        "state": "active",
        "regime": "jp",
        "type": "individual",
        "holder": "Example Materials K.K.",
        "destinations": ["KR"],
        "consignees": [],
        "end_users": [],
        "entries": [],
        "items": [],
        "quantity_limit": None,
        "quantity_used": 0.0,
        "value_limit_jpy": None,
        "value_used_jpy": 0,
        "valid_from": "2019-08-08",
        "valid_to": "2020-02-07",
    }
    exactly(schemas.Licence, licence)
    with pytest.raises(ValidationError, match="surprise"):
        schemas.Licence.model_validate(licence | {"surprise": 1})
    with pytest.raises(ValidationError, match="state"):
        schemas.Licence.model_validate(licence | {"state": "lapsed"})


# --- real answers ---------------------------------------------------------------------------------------------


def test_records_answer_exactly_what_the_views_give(api: Api, screener: Screener) -> None:
    answer(api.post("/parties", "clerk", HANBIT | {"roles": ["consignee", "end-user"]}), 201)
    answer(api.post("/items", "clerk", ITEM), 201)
    answer(api.post("/items/EMK-R100/classifications", "clerk", CLASSIFICATION), 201)
    blocked = answer(api.post("/orders", "clerk", ORDER), 201)
    assert blocked["status"] == "blocked" and blocked["blocking_reasons"] == ["licence-needed"]
    answer(api.post("/licences", "officer", LICENCE), 201)
    released = answer(api.post("/orders/SO-1/determine", "clerk"))
    assert released["status"] == "released" and released["lines"][0]["licence"] == LICENCE["number"]
    delta = answer(api.post("/parties", "clerk", DELTA), 201)
    hit = next(hit for hit in delta["hits"] if hit["list"] == "jp-eul")
    reviewed = answer(api.post(f"/hits/{hit['id']}/review", "officer", {"decision": "confirmed", "reason": "same"}))

    today = dt.date.today()
    with store.session(api.database_url, readonly=True) as db:
        order = db.scalars(select(Order).where(Order.number == "SO-1")).one()
        licence = db.scalars(select(Licence).where(Licence.number == LICENCE["number"])).one()
        item = db.scalars(select(Item).where(Item.code == "EMK-R100")).one()
        party = db.scalars(select(Party).where(Party.code == "AE-DELTA")).one()
        expected = {
            "/orders/SO-1": plain(records_json.order_dict(order)),
            "/orders": {
                "items": [plain(records_json.order_dict(order, detail=False))],
                "total": 1,
                "limit": 50,
                "offset": 0,
            },
            f"/licences/{LICENCE['number']}": plain(records_json.licence_dict(licence, today)),
            "/items/EMK-R100": plain(records_json.item_dict(item)),
            "/items": {
                "items": [plain(records_json.item_dict(item, history=False))],
                "total": 1,
                "limit": 50,
                "offset": 0,
            },
            "/parties/AE-DELTA": plain(records_json.party_dict(party)),
        }
        reviewed_hit = plain(records_json.hit_dict(next(h for h in party.hits if h.id == hit["id"])))
    for path, view in expected.items():
        assert answer(api.get(path)) == view, path
    assert reviewed == reviewed_hit and reviewed["status"] == "confirmed"

    models: list[tuple[str, type[BaseModel]]] = [
        ("/orders/SO-1", schemas.Order),
        ("/orders?status=released", schemas.Page[schemas.OrderSummary]),
        ("/licences", schemas.Page[schemas.Licence]),
        ("/items/EMK-R100", schemas.Item),
        ("/parties", schemas.Page[schemas.PartySummary]),
        ("/parties/KR-HANBIT", schemas.Party),
        ("/audit/records?subject=order:SO-1", schemas.Page[schemas.AuditRecord]),
        ("/audit/verify", schemas.Verification),
        ("/licences/warnings?today=2020-01-20", schemas.LicenceWarnings),
        ("/me", schemas.Me),
    ]
    for path, model in models:
        exactly(model, answer(api.get(path)))
    exactly(schemas.PartyHit, reviewed)


def test_checks_and_the_regime_answer_exactly_what_the_renderer_gives(api: Api, screener: Screener) -> None:
    checked = answer(api.post("/check", "viewer", RESIST_TO_KOREA))
    transaction = Transaction.model_validate(RESIST_TO_KOREA)
    snapshot = regimes.regime("jp").at(transaction.date)
    assert checked == plain(determination_json.encode(determine(snapshot, transaction, screener)))
    assert checked["outcome"] == "licence_required" and checked["destination_group"] == "B"
    exactly(schemas.Determination, checked)

    entries = answer(api.get("/regime/jp/entries", params={"date": "2019-09-01", "kind": "technology"}))
    assert entries == plain(regime_json.entries_dict(snapshot, "technology"))
    exactly(schemas.Entries, entries)
    on_date = answer(api.get("/regime/jp", params={"date": "2019-08-28"}))
    assert on_date["valid"]["from"] == "2019-08-28"  # Cabinet Order No. 71 of 2019 in force: KR in group B
    exactly(schemas.RegimeOnDate, on_date)
    exactly(schemas.RegimeDiff, answer(api.get("/regime/jp/diff", params={"from": "2019-08-27", "to": "2019-08-28"})))
    exactly(schemas.Screening, answer(api.post("/screen", "viewer", {"name": "Delta Engineering Concern FZE"})))
    exactly(schemas.LoadedLists, answer(api.get("/lists")))
