"""Partial shipments in the REST API (issue 16): `POST /api/v1/orders/{number}/ship-part` ships the parts the order
page's form ships, with the same roles and refusals, and an order's answer shows each line's shipped quantity and
what remains.

Regime facts used (as in tests/services/test_partial_shipments.py): an EUV resist (7(19)) to Korea on 2019-09-02
needs an individual licence above ¥1,000,000; the line is 3 units worth ¥2,000,000, so a part of one unit takes
¥666,667 (a third, rounded) and the last part what is left of the line's value.
"""

from __future__ import annotations

from typing import Any

import pytest

from exportctl.http.api.v1 import schemas
from exportctl.screening.screener import Screener
from tests.services.test_partial_shipments import released
from tests.services.test_shipping import used
from tests.support.apiclient import Api, make_api

SHIP = "/orders/SO-1/ship-part"


@pytest.fixture
def api(database_url: str, screener: Screener) -> Api:
    served = make_api(database_url, screener)
    released(database_url, screener)  # SO-1: 3 units, ¥2,000,000, licence L-1
    return served


def part(quantity: Any, key: str = "k-1", line: str = "1") -> dict[str, Any]:
    return {"lines": {line: quantity}, "shipped_on": "2019-09-02", "key": key}


def test_parts_ship_and_the_order_shows_what_has_shipped_of_each_line(api: Api) -> None:
    before = api.get("/orders/SO-1").json()
    assert [(line["shipped_quantity"], line["remaining_quantity"]) for line in before["lines"]] == [(0.0, 3.0)]
    first = api.post(SHIP, "clerk", part(1))
    assert first.status_code == 200, first.text
    shown = first.json()
    schemas.PartShipment.model_validate(shown)
    assert shown["status"] == "released" and shown["repeated"] is False
    assert [(line["shipped_quantity"], line["remaining_quantity"]) for line in shown["lines"]] == [(1.0, 2.0)]
    assert [
        (line["shipped_quantity"], line["remaining_quantity"]) for line in api.get("/orders/SO-1").json()["lines"]
    ] == [(1.0, 2.0)]
    last = api.post(SHIP, "clerk", part(2.0, key="k-2")).json()
    assert last["status"] == "shipped" and last["shipped_on"] == "2019-09-02"
    assert [(line["shipped_quantity"], line["remaining_quantity"]) for line in last["lines"]] == [(3.0, 0.0)]
    assert used(api.database_url) == (3.0, 2_000_000, 2)


def test_the_same_key_ships_once(api: Api) -> None:
    assert api.post(SHIP, "clerk", part(1, key="retry")).json()["repeated"] is False
    again = api.post(SHIP, "clerk", part(1, key="retry"))
    assert again.status_code == 200 and again.json()["repeated"] is True
    assert again.json()["lines"][0]["shipped_quantity"] == 1.0
    assert used(api.database_url) == (1.0, 666_667, 1)


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        (part(3.5), 422, "exceeds the 3 that remains"),
        (part(-1), 422, "not a quantity"),
        (part(0), 422, "at least one line"),
        (part(1, line="2"), 422, "line 2: the order has no such line"),
        (part(1, line="0"), 422, "lines"),
        (part("NaN"), 422, "lines"),
        (part("1e999"), 422, "lines"),
        ({"lines": {"1": 1}, "shipped_on": "2019-09-02"}, 422, "key"),
        (part(1, key=""), 422, "key"),
        (part(1, key="k" * 65), 422, "key"),
        ({"lines": {}, "shipped_on": "2019-09-02", "key": "k"}, 422, "lines"),
        (part(1) | {"shipped_on": "2999-01-01"}, 422, "in the future"),
        (part(1) | {"extra": True}, 200, ""),  # an unknown key is ignored, as by the other bodies
    ],
)
def test_hostile_parts_are_refused_and_nothing_drawn(api: Api, body: dict[str, Any], status: int, says: str) -> None:
    answer = api.post(SHIP, "clerk", body)
    assert answer.status_code == status, answer.text
    if status != 200:
        assert says in answer.text
        assert used(api.database_url) == (0.0, 0, 0)


def test_roles_and_unknown_orders(api: Api) -> None:
    assert api.post(SHIP, "viewer", part(1)).status_code == 403
    assert api.post(SHIP, None, part(1)).status_code == 401
    assert api.post("/orders/SO-NONE/ship-part", "clerk", part(1)).status_code == 404
    assert used(api.database_url) == (0.0, 0, 0)
    assert api.post(SHIP, "officer", part(1)).status_code == 200  # officers are clerks and more


def test_the_openapi_document_describes_the_endpoint(api: Api) -> None:
    document = api.get("/openapi.json").json()
    operation = document["paths"]["/api/v1/orders/{number}/ship-part"]["post"]
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert answer.endswith("/PartShipment")
    line = document["components"]["schemas"]["OrderLine"]["properties"]
    assert {"shipped_quantity", "remaining_quantity"} <= set(line)
