"""Partial shipments (issue 16): shipping part of a line draws its licence down for that part only, the order
stays released until every line has shipped in full, more than remains is refused, the same request (a double
click) ships once, and concurrent parts never ship more than a line holds. On SQLite and PostgreSQL.

Regime facts used (as in test_shipping.py): an EUV resist (7(19)) to Korea on 2019-09-02 (Group B) needs an
individual licence above ¥1,000,000; the order's line is 3 units worth ¥2,000,000, so a unit's share is
¥666,666.67: parts of one unit each are ¥666,667, ¥666,667 and what is left, ¥666,666.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from exportctl import ledger
from exportctl.screening.screener import Screener
from exportctl.services import orders
from exportctl.services.actors import Actor
from exportctl.services.errors import RecordError
from exportctl.store import db
from exportctl.store.models import AuditRecord, Drawdown
from tests.services.test_drawdown_concurrency import run_all
from tests.services.test_shipping import (
    AUTUMN_2019,
    CLERK,
    csrf_of,
    licence,
    machine_to_china,
    master_data,
    resist_order,
    status,
    used,
    web_login,
)
from tests.support.apiclient import make_api

LINE_VALUE = 2_000_000
UNITS = 3.0


def released(url: str, screener: Screener, number: str = "SO-1", quantity: float = UNITS) -> None:
    master_data(url)
    with db.session(url) as s:
        licence(s)
        assert orders.add_order(
            s, CLERK, resist_order(number, quantity=quantity, value=LINE_VALUE), screener
        ).status == ("released")


def ship(url: str, quantity: float, key: str | None = None, number: str = "SO-1") -> orders.PartShipment:
    with db.session(url) as s:
        return orders.ship_part(s, CLERK, number, {1: quantity}, AUTUMN_2019, key or uuid.uuid4().hex)


def drawn_values(url: str) -> list[int]:
    with db.session(url) as s:
        return [d.value_jpy for d in s.scalars(select(Drawdown).order_by(Drawdown.id))]


def test_parts_draw_their_share_and_the_order_ships_with_the_last(database_url: str, screener: Screener) -> None:
    released(database_url, screener)
    first = ship(database_url, 1.0)
    assert first.shipped[1].quantity == 1.0 and first.shipped[1].remaining == 2.0
    assert status(database_url, "SO-1") == ("released", [])
    ship(database_url, 1.0)
    assert status(database_url, "SO-1") == ("released", [])
    last = ship(database_url, 1.0)
    assert last.shipped[1].remaining == 0.0
    assert drawn_values(database_url) == [666_667, 666_667, 666_666]  # the parts add up to the line's ¥2,000,000
    assert used(database_url) == (3.0, LINE_VALUE, 3)
    with db.session(database_url) as s:
        order = orders.order_by_number(s, "SO-1")
        assert order.status == "shipped" and order.shipped_on == AUTUMN_2019
        parts = s.scalars(select(AuditRecord).where(AuditRecord.action == orders.SHIP_PART)).all()
        assert [p.payload["lines"]["1"]["quantity"] for p in parts] == [1.0, 1.0, 1.0]
        assert ledger.verify(s).ok
    with pytest.raises(RecordError, match="only a released order ships"):
        ship(database_url, 0.5)


def test_more_than_remains_is_refused_and_nothing_drawn(database_url: str, screener: Screener) -> None:
    released(database_url, screener)
    ship(database_url, 2.5)
    with pytest.raises(RecordError, match=r"exceeds the 0\.5 that remains"):
        ship(database_url, 1.0)
    assert used(database_url) == (2.5, round(LINE_VALUE * 2.5 / UNITS), 1)
    ship(database_url, 0.5)  # exactly what remains
    assert used(database_url) == (3.0, LINE_VALUE, 2)
    assert status(database_url, "SO-1")[0] == "shipped"


@pytest.mark.parametrize(
    ("quantities", "message"),
    [({1: 0.0}, "at least one line"), ({2: 1.0}, "no such line"), ({1: -1.0}, "not a quantity"),
     ({1: float("nan")}, "not a quantity")],
)  # fmt: skip
def test_hostile_quantities_are_refused(
    database_url: str, screener: Screener, quantities: dict[int, float], message: str
) -> None:
    released(database_url, screener)
    with db.session(database_url) as s, pytest.raises(RecordError, match=message):
        orders.ship_part(s, CLERK, "SO-1", quantities, AUTUMN_2019, "k-1")
    assert used(database_url) == (0.0, 0, 0)


def test_the_same_request_ships_once(database_url: str, screener: Screener) -> None:
    released(database_url, screener)
    assert not ship(database_url, 1.0, key="double-click").repeated
    again = ship(database_url, 1.0, key="double-click")
    assert again.repeated and again.shipped[1].quantity == 1.0
    assert used(database_url) == (1.0, 666_667, 1)


def test_a_part_shipped_order_is_not_shipped_whole_and_a_blocked_one_not_at_all(
    database_url: str, screener: Screener
) -> None:
    released(database_url, screener)
    ship(database_url, 1.0)
    with db.session(database_url) as s, pytest.raises(RecordError, match="has partly shipped"):
        orders.ship_order(s, CLERK, "SO-1", AUTUMN_2019)
    with db.session(database_url) as s:
        assert orders.add_order(s, CLERK, machine_to_china("SO-CN"), screener).status == "blocked"
    with db.session(database_url) as s, pytest.raises(RecordError, match="is blocked"):
        orders.ship_part(s, CLERK, "SO-CN", {1: 0.5}, AUTUMN_2019, "k-cn")
    with db.session(database_url) as s, pytest.raises(RecordError, match="may not"):
        orders.ship_part(s, Actor("vera", "viewer"), "SO-1", {1: 1.0}, AUTUMN_2019, "k-viewer")
    assert used(database_url) == (1.0, 666_667, 1)


# --- concurrent parts -----------------------------------------------------------------------------------------


@dataclass
class Tally:
    shipped: list[float] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)


def _shipper(url: str, quantity: float, key: str, start: threading.Barrier, tally: Tally) -> None:
    start.wait()
    try:
        if not ship(url, quantity, key=key).repeated:
            tally.shipped.append(quantity)
    except RecordError as exc:
        tally.refused.append(str(exc))
    except BaseException as exc:  # a lock error or deadlock must fail the test
        tally.errors.append(exc)


def test_concurrent_parts_never_ship_more_than_the_line(database_url: str, screener: Screener) -> None:
    """Ten clerks ship one unit each of a 5-unit line at once, and two of them click twice: five ship."""
    released(database_url, screener, quantity=5.0)
    keys = [f"k-{n}" for n in range(10)] + ["k-0", "k-1"]
    start = threading.Barrier(len(keys))
    tally = Tally()
    run_all([threading.Thread(target=_shipper, args=(database_url, 1.0, k, start, tally)) for k in keys])
    assert not tally.errors, tally.errors
    assert sum(tally.shipped) == 5.0 and len(tally.shipped) == 5
    assert all("that remains" in text or "only a released order ships" in text for text in tally.refused)
    assert used(database_url) == (5.0, LINE_VALUE, 5)
    assert status(database_url, "SO-1")[0] == "shipped"
    with db.session(database_url) as s:
        assert ledger.verify(s).ok


# --- the web form ---------------------------------------------------------------------------------------------


def test_the_web_form_ships_part_once_and_refuses_viewers_and_forged_posts(
    database_url: str, screener: Screener
) -> None:
    api = make_api(database_url, screener)
    released(database_url, screener)
    clerk = web_login(api, "clerk")
    page = clerk.get("/orders/SO-1").text
    assert 'action="/orders/SO-1/ship-part"' in page
    form = {"csrf_token": csrf_of(page), "key": "form-key-1", "line": "1", "quantity": "2", "date": "2019-09-02"}
    assert (
        clerk.post("/orders/SO-1/ship-part", data={k: v for k, v in form.items() if k != "csrf_token"}).status_code
        == 403
    )
    first = clerk.post("/orders/SO-1/ship-part", data=form)
    again = clerk.post("/orders/SO-1/ship-part", data=form)  # the double click
    assert first.status_code == again.status_code == 303
    assert "already recorded" in clerk.get("/orders/SO-1").text
    assert used(database_url) == (2.0, round(LINE_VALUE * 2 / UNITS), 1)
    too_much = clerk.post("/orders/SO-1/ship-part", data=form | {"key": "form-key-2", "quantity": "1.5"})
    assert too_much.status_code in (303, 422) and used(database_url)[0] == 2.0
    viewer = web_login(api, "viewer")
    page = viewer.get("/orders/SO-1").text
    assert 'name="quantity"' not in page  # a viewer sees what shipped, and no form to ship
    refused = viewer.post("/orders/SO-1/ship-part", data=form | {"csrf_token": csrf_of(page), "key": "form-key-3"})
    assert refused.status_code == 403 and used(database_url)[0] == 2.0
