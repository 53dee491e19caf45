"""Shipments and licences fail closed (issue 10, items 1–5): a shipped order never ships again, concurrent
shipments ship an order once, no licence means no shipment, the ship date is a fact, and the release says
whether the order is released or awaiting a second approval.

Regime facts used (shared/domain/japan-regime.md): an EUV resist (7(19), 3C002.a) to Korea between 2019-08-28
and 2023-07-20 (Group B, Cabinet Order No. 71 of 2019) needs an individual licence above the ¥1,000,000
small-value line; nothing in the pack changes between 2019-08-28 and 2019-12-19, and the pack changes on
2019-12-20. A machining centre (HS 8457.10) to China with no declared end use is indeterminate (the catch-all
cannot be assessed). 'Banco Nacional de Cuba' is on OFAC's SDN list: a consignee of that name is a screening hit.
Overrides need two officers unless an admin says otherwise (four-eyes by default); `licence-needed` is
lifted only by a licence in the book (a licence held on paper is entered into the book first).
"""

from __future__ import annotations

import datetime as dt
import random
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exportctl import ledger
from exportctl.order_input import LineInput, OrderInput
from exportctl.screening.screener import Screener
from exportctl.services import orders, records
from exportctl.services.actors import SYSTEM, Actor
from exportctl.services.errors import RecordError
from exportctl.services.orders import (
    INDETERMINATE,
    LICENCE_NEEDED,
    PROHIBITED,
    SCREENING_HIT,
    NotValidOn,
    Overdraw,
)
from exportctl.store import db
from exportctl.store.models import AuditRecord, Drawdown, Licence, Order, PackVersion, Release
from tests.services.test_drawdown_concurrency import run_all
from tests.store.test_store import individual_licence
from tests.support.apiclient import PASSWORD, USERS, Api, make_api

HANBIT = "Hanbit Semiconductor Co., Ltd."
BNC = "Banco Nacional de Cuba"
CLERK = Actor("carol", "clerk")
OFFICER = Actor("olivia", "officer")
SECOND_OFFICER = Actor("oscar", "officer")
AUTUMN_2019 = dt.date(2019, 9, 2)  # KR in Group B: an individual licence is needed above ¥1,000,000


def master_data(url: str) -> None:
    """Users, the Korean customer, a consignee that is a screening hit, and an EUV resist under 7(19)."""
    with db.session(url) as s:
        for actor in (CLERK, OFFICER, SECOND_OFFICER):
            records.add_user(s, SYSTEM, actor.name, actor.role)
        records.add_party(s, CLERK, "HANBIT", HANBIT, "KR", ["consignee", "end-user"], None)
        records.add_party(s, CLERK, "BNC", BNC, "CU", ["consignee"], None)
        records.add_party(s, CLERK, "ACME", "Acme Machine Trading LLC", "CN", ["end-user"], None)
        item = records.add_item(s, CLERK, "RESIST", "EUV photoresist, positive, 13.5 nm", "3707.10")
        records.classify(s, CLERK, item, "jp", "7(19)#euv-resist", "positive resist for 13.5 nm", dt.date(2019, 1, 1))


def resist_order(number: str, *, value: int = 2_000_000, quantity: float = 1.0, **fields: Any) -> OrderInput:
    header: dict[str, Any] = {
        "ship_date": AUTUMN_2019,
        "destination": "KR",
        "consignee": "HANBIT",
        "end_user": "HANBIT",
        "end_use": "memory chip fabrication",
    }
    header.update(fields)
    return OrderInput(number=number, lines=[LineInput(item="RESIST", quantity=quantity, value_jpy=value)], **header)


def machine_to_china(number: str) -> OrderInput:
    """No declared end use: the catch-all cannot be assessed, so the order is blocked as indeterminate."""
    line = LineInput(reference="hs:8457.10", quantity=1, value_jpy=2_000_000)
    return OrderInput(number=number, ship_date=dt.date(2024, 6, 1), destination="CN", end_user="ACME", lines=[line])


def licence(s: Session, number: str = "L-1", **fields: Any) -> Licence:
    """The test_store licence, with limits small enough to exhaust."""
    limits: dict[str, Any] = {"quantity_limit": 1_000.0, "value_limit_jpy": 10_000_000}
    return individual_licence(s, number, **(limits | fields))


def used(url: str, number: str = "L-1") -> tuple[float, int, int]:
    """(quantity used, value used, number of drawdowns) of a licence."""
    with db.session(url) as s:
        found = s.scalars(select(Licence).where(Licence.number == number)).one()
        count = s.scalar(select(func.count()).select_from(Drawdown).where(Drawdown.licence_id == found.id))
        return found.quantity_used, found.value_used_jpy, int(count or 0)


def status(url: str, number: str) -> tuple[str, list[str]]:
    with db.session(url) as s:
        order = orders.order_by_number(s, number)
        return order.status, list(order.blocking_reasons)


def actions(url: str, action: str) -> list[AuditRecord]:
    with db.session(url) as s:
        return list(s.scalars(select(AuditRecord).where(AuditRecord.action == action).order_by(AuditRecord.id)))


# --- 1. a shipped order never ships again ------------------------------------------------------------------------


def test_a_shipped_order_is_final_and_its_licence_drawn_once(database_url: str, screener: Screener) -> None:
    master_data(database_url)
    with db.session(database_url) as s:
        licence(s)
        assert orders.add_order(s, CLERK, resist_order("SO-1"), screener).status == "released"
    with db.session(database_url) as s:
        orders.ship_order(s, CLERK, "SO-1", AUTUMN_2019)
    for _round in range(3):  # the attack of the issue: determine again, then ship again
        with db.session(database_url) as s, pytest.raises(RecordError, match="has shipped"):
            orders.determine_order(s, CLERK, orders.order_by_number(s, "SO-1"), screener, "recheck")
        with db.session(database_url) as s, pytest.raises(RecordError, match="only a released order ships"):
            orders.ship_order(s, CLERK, "SO-1", AUTUMN_2019)
    with db.session(database_url) as s, pytest.raises(RecordError, match="has shipped"):
        orders.update_order(s, CLERK, "SO-1", {"end_use": "late change"}, screener)
    assert status(database_url, "SO-1") == ("shipped", [])
    assert used(database_url) == (1.0, 2_000_000, 1)
    assert len(actions(database_url, "order.determine")) == 1  # the refused determinations wrote nothing


def test_the_api_and_the_web_refuse_to_determine_a_shipped_order(database_url: str, screener: Screener) -> None:
    api = make_api(database_url, screener)
    master_data(database_url)
    with db.session(database_url) as s:
        licence(s)
        orders.add_order(s, CLERK, resist_order("SO-1"), screener)
    assert api.post("/orders/SO-1/ship", "clerk", {"date": "2019-09-02"}).status_code == 200
    refused = api.post("/orders/SO-1/determine", "clerk")
    assert refused.status_code == 422 and "has shipped" in refused.json()["detail"]
    assert api.post("/orders/SO-1/ship", "clerk", {"date": "2019-09-02"}).status_code == 422

    browser = web_login(api, "clerk")
    page = browser.get("/orders/SO-1").text
    assert "/orders/SO-1/determine" not in page  # no button for a shipped order …
    browser.post("/orders/SO-1/determine", data={"csrf_token": csrf_of(page)})  # … and no way around it
    assert status(database_url, "SO-1")[0] == "shipped"
    assert used(database_url) == (1.0, 2_000_000, 1)
    assert len(actions(database_url, "order.ship")) == 1


# --- 2. concurrent shipments of the same orders ------------------------------------------------------------------

ORDERS = [f"SO-C{n}" for n in range(1, 6)]
SHIPPERS, DETERMINERS = 10, 3


@dataclass
class Tally:
    shipped: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)


def _shipper(url: str, seed: int, start: threading.Barrier, tally: Tally) -> None:
    clerk = Actor(f"clerk-{seed}", "clerk")
    numbers = random.Random(seed).sample(ORDERS, len(ORDERS))
    start.wait()
    for number in numbers:
        try:
            with db.session(url) as s:
                orders.ship_order(s, clerk, number, AUTUMN_2019)
            tally.shipped.append(number)
        except RecordError as exc:
            tally.refused.append(str(exc))
        except BaseException as exc:  # a lock error or deadlock must fail the test
            tally.errors.append(exc)


def _determiner(url: str, seed: int, start: threading.Barrier, screener: Screener, tally: Tally) -> None:
    """Determining again while others ship: before the fix this put a shipped order back to `released`."""
    clerk = Actor(f"clerk-d{seed}", "clerk")
    start.wait()
    for number in ORDERS:
        try:
            with db.session(url) as s:
                orders.determine_order(s, clerk, orders.order_by_number(s, number), screener, "recheck")
        except RecordError as exc:
            tally.refused.append(str(exc))
        except BaseException as exc:
            tally.errors.append(exc)


def test_concurrent_shipments_ship_each_order_once(database_url: str, screener: Screener) -> None:
    master_data(database_url)
    with db.session(database_url) as s:
        licence(s, value_limit_jpy=50_000_000)
        for number in ORDERS:
            assert orders.add_order(s, CLERK, resist_order(number), screener).status == "released"
    start = threading.Barrier(SHIPPERS + DETERMINERS)
    tallies = [Tally() for _ in range(SHIPPERS + DETERMINERS)]
    threads = [
        threading.Thread(target=_shipper, args=(database_url, seed, start, tallies[seed])) for seed in range(SHIPPERS)
    ] + [
        threading.Thread(target=_determiner, args=(database_url, seed, start, screener, tallies[SHIPPERS + seed]))
        for seed in range(DETERMINERS)
    ]
    run_all(threads)
    errors = [exc for tally in tallies for exc in tally.errors]
    assert not errors, errors
    shipped = Counter(number for tally in tallies for number in tally.shipped)
    assert shipped == Counter(ORDERS)  # each order shipped exactly once
    refusals = [text for tally in tallies for text in tally.refused]
    assert all("only a released order ships" in text or "has shipped" in text for text in refusals), refusals
    assert len(refusals) >= SHIPPERS * len(ORDERS) - len(ORDERS)

    assert used(database_url) == (5.0, 10_000_000, 5)  # licence used = Σ drawdowns = Σ orders, once each
    with db.session(database_url) as s:
        assert all(orders.order_by_number(s, n).status == "shipped" for n in ORDERS)
        drawn = s.scalars(select(AuditRecord).where(AuditRecord.action == "licence.drawdown")).all()
        assert sum(r.payload["value_jpy"] for r in drawn) == 10_000_000
        assert len(s.scalars(select(AuditRecord).where(AuditRecord.action == "order.ship")).all()) == 5
        assert ledger.verify(s).ok


# --- 3. no licence, no shipment; overrides; four-eyes by default -------------------------------------------------


def test_a_reason_never_lifts_licence_needed(database_url: str, screener: Screener) -> None:
    master_data(database_url)
    with db.session(database_url) as s:
        licence(s, "L-CN", destinations=["CN"])  # in the book, but for another destination
        assert orders.add_order(s, CLERK, resist_order("SO-1"), screener).blocking_reasons == [LICENCE_NEEDED]
    with db.session(database_url) as s, pytest.raises(RecordError, match="enter the licence in the book") as refused:
        orders.release_order(s, OFFICER, "SO-1", "licence 2019-KR-0042 on file")  # the attack
    assert "L-CN: destination KR not permitted" in str(refused.value)
    assert status(database_url, "SO-1") == ("blocked", [LICENCE_NEEDED])
    assert actions(database_url, "order.release") == []
    with db.session(database_url) as s:
        assert s.scalar(select(func.count()).select_from(Release)) == 0
        for setting in (orders.set_overridable, orders.set_four_eyes):
            with pytest.raises(RecordError, match="licence-needed is never lifted"):
                setting(s, SYSTEM, [LICENCE_NEEDED])
            with pytest.raises(RecordError, match="prohibited is never lifted"):
                setting(s, SYSTEM, [PROHIBITED])

    # The licence held on paper is entered into the book; then the release is the licence's doing.
    with db.session(database_url) as s:
        licence(s, "L-KR")
        result = orders.release_order(s, OFFICER, "SO-1", "individual licence L-KR entered in the book")
        assert (result.state, result.message, result.licences) == ("released", "released", {1: "L-KR"})
        assert result.order.lines[0].licence is not None and result.order.lines[0].licence.number == "L-KR"
    [record] = actions(database_url, "order.release")
    assert record.payload["licences"] == {"1": "L-KR"} and record.payload["overridden"] == []
    with db.session(database_url) as s:
        orders.ship_order(s, CLERK, "SO-1", AUTUMN_2019)
    assert used(database_url, "L-KR") == (1.0, 2_000_000, 1)


def test_licence_needed_with_a_screening_hit_needs_the_licence_and_two_officers(
    database_url: str, screener: Screener
) -> None:
    master_data(database_url)
    with db.session(database_url) as s:
        order = orders.add_order(s, CLERK, resist_order("SO-1", consignee="BNC"), screener)
        assert set(order.blocking_reasons) == {SCREENING_HIT, LICENCE_NEEDED}
    with db.session(database_url) as s, pytest.raises(RecordError, match="licence-needed"):
        orders.release_order(s, OFFICER, "SO-1", "the hit is another bank")  # the hit is overridable; the licence not
    with db.session(database_url) as s:
        licence(s, "L-BNC", consignees=["BNC"], end_users=["HANBIT"])
    with db.session(database_url) as s:
        first = orders.release_order(s, OFFICER, "SO-1", "licence in the book; the hit is another bank")
        assert (first.state, first.message) == ("awaiting-second-approval", "awaiting second approval (1 of 2)")
        assert (first.order.status, first.order.blocking_reasons) == ("blocked", [SCREENING_HIT])
    with db.session(database_url) as s, pytest.raises(RecordError, match="second officer"):
        orders.release_order(s, OFFICER, "SO-1", "I insist")
    with db.session(database_url) as s:
        second = orders.release_order(s, SECOND_OFFICER, "SO-1", "agreed: different bank")
        assert (second.state, second.approvals, second.needed) == ("released", 2, 2)
        assert second.order.lines[0].licence is not None and second.order.lines[0].licence.number == "L-BNC"


def test_overrides_need_two_officers_by_default_and_follow_the_settings(database_url: str, screener: Screener) -> None:
    master_data(database_url)
    with db.session(database_url) as s:
        for number in ("MC-1", "MC-2", "MC-3"):
            assert orders.add_order(s, CLERK, machine_to_china(number), screener).blocking_reasons == [INDETERMINATE]
    with db.session(database_url) as s:
        result = orders.release_order(s, OFFICER, "MC-1", "end use confirmed by phone: bicycle frames")
        assert (result.order.status, result.message) == ("blocked", "awaiting second approval (1 of 2)")
        assert orders.release_message(result.order) == "awaiting second approval (1 of 2)"
    # A determination in between: the first approval was given on facts that may have changed.
    with db.session(database_url) as s:
        orders.determine_order(s, CLERK, orders.order_by_number(s, "MC-1"), screener, "recheck")
    with db.session(database_url) as s:
        again = orders.release_order(s, SECOND_OFFICER, "MC-1", "end use confirmed in writing")
        assert (again.state, again.approvals) == ("awaiting-second-approval", 1)
    with db.session(database_url) as s:
        assert orders.release_order(s, OFFICER, "MC-1", "confirmed").state == "released"

    with db.session(database_url) as s:
        orders.set_four_eyes(s, SYSTEM, [])  # an admin's explicit choice: one officer suffices
    with db.session(database_url) as s:
        assert orders.release_order(s, OFFICER, "MC-2", "end use confirmed").state == "released"
    with db.session(database_url) as s:
        orders.set_overridable(s, SYSTEM, [SCREENING_HIT])
    with db.session(database_url) as s, pytest.raises(RecordError, match="indeterminate: not a reason"):
        orders.release_order(s, OFFICER, "MC-3", "end use confirmed")
    assert status(database_url, "MC-3") == ("blocked", [INDETERMINATE])
    with db.session(database_url) as s, pytest.raises(RecordError, match="needs a reason"):
        orders.release_order(s, OFFICER, "MC-3", " ")


def test_a_prohibited_order_is_never_released(database_url: str, screener: Screener) -> None:
    master_data(database_url)
    with db.session(database_url) as s:
        line = LineInput(reference="hs:3926.90", quantity=1, value_jpy=10_000)
        order = orders.add_order(
            s, CLERK, OrderInput(number="KP-1", ship_date=AUTUMN_2019, destination="KP", lines=[line]), screener
        )
        assert PROHIBITED in order.blocking_reasons
    with db.session(database_url) as s, pytest.raises(RecordError, match="prohibited"):
        orders.release_order(s, SYSTEM, "KP-1", "humanitarian")
    assert status(database_url, "KP-1")[0] == "blocked"


# --- 4. the ship date is a fact -----------------------------------------------------------------------------------


def test_shipment_records_its_date_and_needs_a_licence_valid_on_it(database_url: str, screener: Screener) -> None:
    master_data(database_url)
    with db.session(database_url) as s:
        licence(s, valid_to=dt.date(2019, 9, 30))
        orders.add_order(s, CLERK, resist_order("SO-1", ship_date=dt.date(2019, 9, 20)), screener)
        orders.add_order(s, CLERK, resist_order("SO-2", ship_date=dt.date(2019, 9, 20)), screener)
    # Shipped late, on 2 October: the same rules, but the licence ended on 30 September.
    with db.session(database_url) as s, pytest.raises(NotValidOn, match="not valid on 2019-10-02"):
        orders.ship_order(s, CLERK, "SO-1", dt.date(2019, 10, 2))
    assert status(database_url, "SO-1")[0] == "released" and used(database_url) == (0.0, 0, 0)
    assert actions(database_url, "licence.drawdown") == [] and actions(database_url, "order.ship") == []
    with db.session(database_url) as s:
        shipped = orders.ship_order(s, CLERK, "SO-1", dt.date(2019, 9, 27))
        assert shipped.shipped_on == dt.date(2019, 9, 27)
    [record] = actions(database_url, "order.ship")
    assert record.payload["shipped_on"] == "2019-09-27"
    [drawn] = actions(database_url, "licence.drawdown")
    assert drawn.payload["shipped_on"] == "2019-09-27"


def test_a_shipment_on_a_day_that_has_not_begun_is_refused(database_url: str, screener: Screener) -> None:
    """Two days ahead has begun nowhere on Earth (zones reach UTC+14): recording it would draw the licence for
    goods still in the warehouse. Refused in the service and the API; nothing drawn, nothing recorded."""
    api = make_api(database_url, screener)
    master_data(database_url)
    today = dt.date.today()
    ahead = today + dt.timedelta(days=2)
    with db.session(database_url) as s:
        licence(s, valid_from=today - dt.timedelta(days=30), valid_to=today + dt.timedelta(days=30))
        orders.add_order(s, CLERK, resist_order("SO-1", ship_date=ahead), screener)
    with db.session(database_url) as s, pytest.raises(RecordError, match=f"date: {ahead} is in the future"):
        orders.ship_order(s, CLERK, "SO-1", ahead)
    refused = api.post("/orders/SO-1/ship", "clerk", {"date": ahead.isoformat()})
    assert refused.status_code == 422 and "in the future" in refused.text
    assert status(database_url, "SO-1")[0] == "released" and used(database_url) == (0.0, 0, 0)
    assert actions(database_url, "order.ship") == []


def test_a_shipment_across_a_change_in_the_rules_is_refused(database_url: str, screener: Screener) -> None:
    master_data(database_url)
    with db.session(database_url) as s:
        licence(s)
        orders.add_order(s, CLERK, resist_order("SO-1", ship_date=dt.date(2019, 12, 10)), screener)
    with db.session(database_url) as s, pytest.raises(RecordError, match="rules changed on 2019-12-20"):
        orders.ship_order(s, CLERK, "SO-1", dt.date(2019, 12, 21))
    assert status(database_url, "SO-1")[0] == "released" and used(database_url) == (0.0, 0, 0)


def test_an_overdraw_leaves_the_order_unshipped(database_url: str, screener: Screener) -> None:
    master_data(database_url)
    with db.session(database_url) as s:
        found = licence(s, value_limit_jpy=3_000_000)
        orders.add_order(s, CLERK, resist_order("SO-1"), screener)
        orders.draw_down(s, CLERK, found.id, 1.0, 2_000_000, None, on=AUTUMN_2019)  # another shipment
    with db.session(database_url) as s, pytest.raises(Overdraw, match="exceeds the remaining ¥1,000,000"):
        orders.ship_order(s, CLERK, "SO-1", AUTUMN_2019)
    assert status(database_url, "SO-1")[0] == "released"
    assert used(database_url) == (1.0, 2_000_000, 1) and len(actions(database_url, "licence.drawdown")) == 1


def test_lines_sharing_a_licence_must_fit_it_together(database_url: str, screener: Screener) -> None:
    """Two lines of ¥6M each on a ¥10M licence: each fits alone, not both, so the order stays blocked."""
    master_data(database_url)
    with db.session(database_url) as s:
        licence(s)
        data = resist_order("SO-1")
        two = [LineInput(item="RESIST", quantity=1, value_jpy=6_000_000)] * 2
        order = orders.add_order(s, CLERK, data.model_copy(update={"lines": two}), screener)
        assert (order.status, order.blocking_reasons) == ("blocked", [LICENCE_NEEDED])
        assert [line.licence_id for line in order.lines] == [None, None]


def test_licence_states_expired_exhausted_active(database_url: str, screener: Screener) -> None:
    master_data(database_url)
    today = dt.date(2019, 11, 1)
    with db.session(database_url) as s:
        expired = licence(s, "L-OLD", valid_from=dt.date(2018, 1, 1), valid_to=dt.date(2019, 10, 31))
        full = licence(s, "L-FULL", value_limit_jpy=2_000_000)
        near = licence(s, "L-NEAR", value_limit_jpy=2_100_000)
        active = licence(s, "L-OK")
        orders.draw_down(s, CLERK, full.id, 1.0, 2_000_000, None, on=AUTUMN_2019)
        orders.draw_down(s, CLERK, near.id, 1.0, 2_000_000, None, on=AUTUMN_2019)
        states = {x.number: orders.licence_state(x, today) for x in (expired, full, near, active)}
        assert states == {"L-OLD": "expired", "L-FULL": "exhausted", "L-NEAR": "active", "L-OK": "active"}
        warnings = {(w.number, w.kind) for w in orders.licence_warnings(s, today)}
        assert ("L-FULL", "exhausted") in warnings and ("L-FULL", "exhaustion") not in warnings
        assert ("L-NEAR", "exhaustion") in warnings
        # A licence on its last day is still active; the day after, expired.
        assert orders.licence_state(expired, dt.date(2019, 10, 31)) == "active"


# --- the interfaces: API body, state message, licence state; web flash; CLI --------------------------------------


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "page has no CSRF token"
    return found.group(1)


def web_login(api: Api, role: str) -> TestClient:
    browser = TestClient(api.client.app, follow_redirects=False)
    token = csrf_of(browser.get("/login").text)
    form = {"name": USERS[role], "password": PASSWORD, "csrf_token": token, "next": "/"}
    assert browser.post("/login", data=form).status_code == 303
    return browser


def test_the_api_says_awaiting_second_approval_and_ships_on_a_date(database_url: str, screener: Screener) -> None:
    api = make_api(database_url, screener)
    master_data(database_url)
    with db.session(database_url) as s:
        orders.add_order(s, CLERK, machine_to_china("MC-1"), screener)
        licence(s)
        orders.add_order(s, CLERK, resist_order("SO-1"), screener)
    first = api.post("/orders/MC-1/release", "officer", {"reason": "end use confirmed: bicycle frames"})
    assert first.status_code == 200, first.text
    body = first.json()
    assert (body["status"], body["release_state"]) == ("blocked", "awaiting second approval (1 of 2)")
    assert (body["approvals"], body["approvals_needed"]) == (1, 2)
    assert api.get("/orders/MC-1").json()["release_state"] == "awaiting second approval (1 of 2)"

    shipped = api.post("/orders/SO-1/ship", "clerk", {"date": "2019-10-02"})  # the same rules, licence valid
    assert shipped.status_code == 200 and shipped.json()["shipped_on"] == "2019-10-02"
    problem = api.post("/orders/SO-1/ship", "clerk", {"date": "not a date"})
    assert problem.status_code == 422
    licence_view = api.get("/licences/L-1").json()
    assert licence_view["state"] == "expired"  # valid to 2020-07-31, read today
    assert licence_view["value_used_jpy"] == 2_000_000


def test_the_api_ships_today_by_default_and_refuses_a_licence_not_valid_today(
    database_url: str, screener: Screener
) -> None:
    api = make_api(database_url, screener)
    master_data(database_url)
    today = dt.date.today()
    with db.session(database_url) as s:
        licence(s, "L-NOW", valid_from=today - dt.timedelta(days=30), valid_to=today + dt.timedelta(days=30))
        licence(s, "L-ENDS", valid_from=today - dt.timedelta(days=30), valid_to=today - dt.timedelta(days=1))
        orders.add_order(s, CLERK, resist_order("SO-NOW", ship_date=today), screener)
    shipped = api.post("/orders/SO-NOW/ship", "clerk")
    assert shipped.status_code == 200, shipped.text
    assert shipped.json()["shipped_on"] == today.isoformat()
    assert api.get("/licences/L-ENDS").json()["state"] == "expired"
    with db.session(database_url) as s:
        order = orders.order_by_number(s, "SO-NOW")
        assert order.lines[0].licence is not None and order.lines[0].licence.number == "L-NOW"


def test_the_web_page_says_awaiting_second_approval(database_url: str, screener: Screener) -> None:
    api = make_api(database_url, screener)
    master_data(database_url)
    with db.session(database_url) as s:
        orders.add_order(s, CLERK, machine_to_china("MC-1"), screener)
    officer = web_login(api, "officer")
    page = officer.get("/orders/MC-1").text
    response = officer.post("/orders/MC-1/release", data={"reason": "end use confirmed", "csrf_token": csrf_of(page)})
    assert response.status_code == 303
    page = officer.get("/orders/MC-1").text
    assert "awaiting second approval (1 of 2)" in page
    assert "Order released." not in page
    assert status(database_url, "MC-1")[0] == "blocked"


def test_the_web_ships_on_the_date_in_the_form(database_url: str, screener: Screener) -> None:
    api = make_api(database_url, screener)
    master_data(database_url)
    with db.session(database_url) as s:
        licence(s, valid_to=dt.date(2019, 9, 30))
        orders.add_order(s, CLERK, resist_order("SO-1", ship_date=dt.date(2019, 9, 20)), screener)
    clerk = web_login(api, "clerk")
    page = clerk.get("/orders/SO-1").text
    assert 'name="date"' in page
    clerk.post("/orders/SO-1/ship", data={"date": "2019-10-02", "csrf_token": csrf_of(page)})
    assert status(database_url, "SO-1")[0] == "released" and used(database_url) == (0.0, 0, 0)
    response = clerk.post("/orders/SO-1/ship", data={"date": "2019-09-25", "csrf_token": csrf_of(page)})
    assert response.status_code == 303
    assert "Order shipped on 2019-09-25" in clerk.get("/orders/SO-1").text
    licence_page = clerk.get("/licences/L-1").text
    assert "2019-09-25" in licence_page and 'id="licence-state"' in licence_page


def test_the_first_orders_entered_at_once_store_the_pack_version_once(database_url: str, screener: Screener) -> None:
    """Found by the soak benchmark: the first orders entered together all tried to store the pack version in
    use, and all but one failed with a duplicate key."""
    master_data(database_url)
    start = threading.Barrier(8)
    failures: list[BaseException] = []

    def enter(n: int) -> None:
        start.wait()
        try:
            with db.session(database_url) as s:
                orders.add_order(s, CLERK, resist_order(f"SO-P{n}"), screener)
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=enter, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not failures, failures
    with db.session(database_url) as s:
        assert s.scalar(select(func.count()).select_from(PackVersion)) == 1
        assert s.scalar(select(func.count()).select_from(Order)) == 8
