"""Changing an order in the browser (issue 16): `GET/POST /orders/{number}/edit`, the entry form filled in with the
order, saved through `services.orders.update_order` — determined and screened again in the same transaction, with
the ledger record of the change — and refused once any of the order has shipped, for a viewer, without the CSRF
token, for a form loaded before someone else's change, and for hostile values. The race of a change with a
shipment is run on SQLite and PostgreSQL.

Regime facts used (as in tests/services/test_shipping.py): an EUV resist (7(19)) to Korea on 2019-09-02 (Group B)
needs an individual licence above the ¥1,000,000 small-value line, and licence L-1 of the book covers it (limits
1,000 units and ¥10,000,000); roasted coffee (HS 0901.21, chapter 9) is in no row of Appended Table 1 and outside
the chapters the catch-all row 16 names, so a line of it needs no licence.
"""

from __future__ import annotations

import re
import threading
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from exportctl import ledger
from exportctl.screening.screener import Screener
from exportctl.services import orders
from exportctl.services.errors import RecordError
from exportctl.store import db
from exportctl.store.models import AuditRecord, Order
from tests.services.test_drawdown_concurrency import run_all
from tests.services.test_shipping import (
    AUTUMN_2019,
    CLERK,
    licence,
    master_data,
    resist_order,
    used,
    web_login,
)
from tests.support.apiclient import Api, make_api
from tests.support.web_client import csrf_of

COFFEE = "hs:0901.21"


@pytest.fixture
def api(database_url: str, screener: Screener) -> Api:
    """A released order SO-1: one unit of EUV resist worth ¥2,000,000 to Hanbit, licence L-1 on its line."""
    served = make_api(database_url, screener)
    master_data(database_url)
    with db.session(database_url) as s:
        licence(s)
        assert orders.add_order(s, CLERK, resist_order("SO-1"), screener).status == "released"
    return served


def form_of(page: str, **changes: Any) -> dict[str, Any]:
    """The edit form as the page fills it in (every field the browser would send), with `changes`."""

    def value(name: str) -> str:
        found = re.search(rf'name="{name}" value="([^"]*)"', page)
        return found.group(1) if found else ""

    lines = re.findall(r'<tr class="line">(.*?)</tr>', page, re.S)

    def column(name: str) -> list[str]:
        found: list[str] = []
        for row in lines:
            if name == "line_item":
                chosen = re.search(r'<option value="([^"]*)" selected>', row)
                found.append(chosen.group(1) if chosen else "")
            else:
                cell = re.search(rf'name="{name}" value="([^"]*)"', row)
                found.append(cell.group(1) if cell else "")
        return found

    form: dict[str, Any] = {
        name: value(name)
        for name in ("csrf_token", "revision", "regime", "number", "ship_date", "origin", "destination", "end_use")
    }
    form |= {"destination_region": value("destination_region")}
    for party in ("consignee", "end_user"):
        chosen = re.search(rf'<select name="{party}">.*?<option value="([^"]+)" selected>', page, re.S)
        form[party] = chosen.group(1) if chosen else ""
    for name in ("line_item", "line_reference", "line_quantity", "line_value_jpy", "line_value_eur"):
        form[name] = column(name)
    form["line_us_content_pct"] = column("line_us_content_pct")
    form |= changes
    return form


def revision(url: str, number: str = "SO-1") -> int:
    with db.session(url) as s:
        return orders.order_by_number(s, number).revision


def records_of(url: str, action: str = "order.determine", number: str = "SO-1") -> list[AuditRecord]:
    with db.session(url) as s:
        return list(
            s.scalars(
                select(AuditRecord)
                .where(AuditRecord.action == action, AuditRecord.subject == f"order:{number}")
                .order_by(AuditRecord.id)
            )
        )


def clerk_form(api: Api) -> tuple[TestClient, str]:
    clerk = web_login(api, "clerk")
    page = clerk.get("/orders/SO-1/edit")
    assert page.status_code == 200, page.text
    return clerk, page.text


# --- the form and saving it -----------------------------------------------------------------------------------


def test_the_form_is_filled_in_with_the_order_and_linked_from_it(api: Api) -> None:
    clerk = web_login(api, "clerk")
    assert 'href="/orders/SO-1/edit"' in clerk.get("/orders/SO-1").text
    page = clerk.get("/orders/SO-1/edit").text
    form = form_of(page)
    assert form["ship_date"] == "2019-09-02" and form["destination"] == "KR"
    assert form["consignee"] == form["end_user"] == "HANBIT" and form["end_use"] == "memory chip fabrication"
    assert form["line_item"] == ["RESIST"] and form["line_quantity"] == ["1"] and form["line_value_jpy"] == ["2000000"]
    assert form["revision"] == str(revision(api.database_url)) == "1"
    assert 'action="/orders/SO-1/edit"' in page and "readonly" in page  # number and regime are fixed


def test_saving_new_lines_determines_and_screens_again_and_records_the_change(api: Api) -> None:
    url = api.database_url
    clerk, page = clerk_form(api)
    # Line 1 down to ¥500,000 (under the small-value line: no licence needed); a coffee line typed "12,000,000".
    form = form_of(
        page,
        line_item=["RESIST", ""],
        line_reference=["", COFFEE],
        line_quantity=["1", "２"],
        line_value_jpy=["500,000", "12,000,000"],
        line_value_eur=["", ""],
        line_us_content_pct=["", ""],
    )
    saved = clerk.post("/orders/SO-1/edit", data=form)
    assert saved.status_code == 303 and saved.headers["location"] == "/orders/SO-1"
    assert "determined and screened again" in clerk.get("/orders/SO-1").text
    with db.session(url) as s:
        order = orders.order_by_number(s, "SO-1")
        assert [(line.line_no, line.reference, line.quantity, line.value_jpy) for line in order.lines] == [
            (1, "RESIST", 1.0, 500_000),
            (2, COFFEE, 2.0, 12_000_000),
        ]
        assert order.status == "released" and all(line.licence is None for line in order.lines)
        assert order.revision == 2 and ledger.verify(s).ok
    changed = records_of(url)[-1]
    assert changed.payload["cause"] == "changed: lines" and len(changed.payload["transaction"]["lines"]) == 2
    assert changed.payload["determination_sha256"] and changed.list_versions  # screened again
    # The header: a new end use and ship date, only these named as changed.
    page = clerk.get("/orders/SO-1/edit").text
    assert (
        clerk.post(
            "/orders/SO-1/edit", data=form_of(page, end_use="DRAM fabrication", ship_date="2019-09-03")
        ).status_code
        == 303
    )
    assert records_of(url)[-1].payload["cause"] == "changed: end_use, ship_date"
    # Nothing changed: nothing written.
    page = clerk.get("/orders/SO-1/edit").text
    assert clerk.post("/orders/SO-1/edit", data=form_of(page)).status_code == 303
    assert len(records_of(url)) == 3 and revision(url) == 3


def test_a_removed_line_and_a_licence_needed_again(api: Api) -> None:
    """Back above the small-value line with a second resist line: both lines get L-1 again."""
    url = api.database_url
    clerk, page = clerk_form(api)
    two = {
        "line_item": ["RESIST", "RESIST"],
        "line_reference": ["", ""],
        "line_quantity": ["1", "3"],
        "line_value_jpy": ["2,000,000", "6,000,000"],
        "line_value_eur": ["", ""],
        "line_us_content_pct": ["", ""],
    }
    assert clerk.post("/orders/SO-1/edit", data=form_of(page, **two)).status_code == 303
    with db.session(url) as s:
        order = orders.order_by_number(s, "SO-1")
        assert [line.licence.number if line.licence else None for line in order.lines] == ["L-1", "L-1"]
    page = clerk.get("/orders/SO-1/edit").text
    one = {key: value[1:] for key, value in two.items()}
    assert clerk.post("/orders/SO-1/edit", data=form_of(page, **one)).status_code == 303
    with db.session(url) as s:
        order = orders.order_by_number(s, "SO-1")
        assert [(line.line_no, line.quantity) for line in order.lines] == [(1, 3.0)]
        orders.ship_order(s, CLERK, "SO-1", AUTUMN_2019)
    assert used(url) == (3.0, 6_000_000, 1)  # shipped as changed


# --- refusals -------------------------------------------------------------------------------------------------


def test_viewers_forged_posts_and_stale_forms_are_refused(api: Api) -> None:
    url = api.database_url
    clerk, page = clerk_form(api)
    form = form_of(page, end_use="changed")
    viewer = web_login(api, "viewer")
    assert viewer.get("/orders/SO-1/edit").status_code == 403
    assert 'href="/orders/SO-1/edit"' not in viewer.get("/orders/SO-1").text
    viewer_form = form | {"csrf_token": csrf_of(viewer.get("/orders/SO-1").text)}
    assert viewer.post("/orders/SO-1/edit", data=viewer_form).status_code == 403
    assert clerk.post("/orders/SO-1/edit", data={k: v for k, v in form.items() if k != "csrf_token"}).status_code == 403
    assert clerk.post("/orders/SO-1/edit", data={k: v for k, v in form.items() if k != "revision"}).status_code == 422
    # Someone determines the order again after this form was loaded: the form is stale.
    with db.session(url) as s:
        orders.determine_order(s, CLERK, orders.order_by_number(s, "SO-1"), None, "recheck")
    stale = clerk.post("/orders/SO-1/edit", data=form)
    assert stale.status_code == 409 and "changed since this form was loaded" in stale.text
    assert 'value="changed"' in stale.text  # what was typed is kept
    assert revision(url) == 2 and len(records_of(url)) == 2
    with db.session(url) as s:
        assert orders.order_by_number(s, "SO-1").end_use == "memory chip fabrication"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"line_quantity": ["1e9"]}, "line 1: quantity: '1e9' is not a number"),
        ({"line_quantity": ["nan"]}, "not a number"),
        ({"line_value_jpy": ["-5"]}, "line 1: value: must not be negative"),
        ({"line_value_jpy": ["1,00,000"]}, "is not a number"),
        ({"destination": "XX"}, "destination"),
        ({"ship_date": "2019-02-30"}, "ship date"),
        ({"line_item": ["NO-SUCH-ITEM"]}, "line 1"),
        ({"consignee": "NOBODY"}, "consignee"),
        ({"line_item": [""], "line_reference": [""]}, "at least one line"),
        ({"line_reference": ["3C002"]}, "not both"),
        ({"also_under": ["../../etc"]}, "also_under"),
    ],
)
def test_hostile_values_are_refused_by_field_and_nothing_is_written(
    api: Api, changes: dict[str, Any], message: str
) -> None:
    clerk, page = clerk_form(api)
    refused = clerk.post("/orders/SO-1/edit", data=form_of(page, end_use="<script>alert(1)</script>", **changes))
    assert refused.status_code == 422 and message in refused.text.replace("&#39;", "'"), refused.text[:3000]
    assert "<script>alert(1)</script>" not in refused.text and "&lt;script&gt;" in refused.text  # kept, escaped
    assert revision(api.database_url) == 1 and len(records_of(api.database_url)) == 1


def test_the_number_and_the_regime_are_not_taken_from_the_form(api: Api) -> None:
    clerk, page = clerk_form(api)
    assert clerk.post("/orders/SO-1/edit", data=form_of(page, number="SO-2", regime="us")).status_code == 303
    with db.session(api.database_url) as s:
        assert s.scalar(select(func.count()).select_from(Order)) == 1
        order = orders.order_by_number(s, "SO-1")
        assert order.regime == "jp" and order.revision == 1  # nothing else changed: nothing written


def test_a_shipped_order_and_a_partly_shipped_one_cannot_change(api: Api, screener: Screener) -> None:
    url = api.database_url
    clerk, page = clerk_form(api)
    with db.session(url) as s:
        orders.add_order(s, CLERK, resist_order("SO-2", quantity=3.0), screener)
    with db.session(url) as s:
        orders.ship_part(s, CLERK, "SO-2", {1: 1.0}, AUTUMN_2019, "part-1")
    with db.session(url) as s:
        orders.ship_order(s, CLERK, "SO-1", AUTUMN_2019)
    for number, why in (("SO-1", "has shipped"), ("SO-2", "has partly shipped")):
        assert clerk.get(f"/orders/{number}/edit").status_code == 422
        assert 'id="edit-link"' not in clerk.get(f"/orders/{number}").text
        refused = clerk.post(f"/orders/{number}/edit", data=form_of(page, end_use="late change"))
        assert refused.status_code == 422 and why in refused.text
        # The API and the service hold the same line.
        assert api.patch(f"/orders/{number}", "clerk", {"end_use": "late change"}).status_code == 422
    assert used(url) == (2.0, 2_000_000 + 666_667, 2)
    assert len(records_of(url, number="SO-2")) == 1


# --- a change racing a shipment -------------------------------------------------------------------------------


ROUNDS = 4


def test_a_change_racing_a_shipment_never_ships_the_old_determination(database_url: str, screener: Screener) -> None:
    """Each round: a clerk changes the order (3 units, ¥6,000,000) while another ships it. Either the change comes
    first and the shipment draws what the changed order says, or the shipment comes first and the change is
    refused; never a changed order shipped on the old determination."""
    master_data(database_url)
    with db.session(database_url) as s:
        licence(s, value_limit_jpy=100_000_000)  # room for every round's shipment, changed or not
        for n in range(ROUNDS):
            assert orders.add_order(s, CLERK, resist_order(f"SO-R{n}"), screener).status == "released"
    outcomes: list[tuple[str, str]] = []
    errors: list[BaseException] = []
    new_lines = orders.lines_of  # the changed line, built from the stored one below

    def change(number: str, start: threading.Barrier) -> None:
        start.wait()
        try:
            with db.session(database_url) as s:
                line = new_lines(orders.order_by_number(s, number))[0].model_copy(
                    update={"quantity": 3.0, "value_jpy": 6_000_000}
                )
                orders.update_order(s, CLERK, number, {}, screener, lines=[line], revision=1)
            outcomes.append((number, "changed"))
        except RecordError as exc:
            outcomes.append((number, f"change refused: {exc}"))
        except BaseException as exc:
            errors.append(exc)

    def ship(number: str, start: threading.Barrier) -> None:
        start.wait()
        try:
            with db.session(database_url) as s:
                orders.ship_order(s, CLERK, number, AUTUMN_2019)
            outcomes.append((number, "shipped"))
        except RecordError as exc:
            outcomes.append((number, f"ship refused: {exc}"))
        except BaseException as exc:
            errors.append(exc)

    for n in range(ROUNDS):
        start = threading.Barrier(2)
        number = f"SO-R{n}"
        run_all([threading.Thread(target=job, args=(number, start)) for job in (change, ship)])
    assert not errors, errors
    for n in range(ROUNDS):
        number = f"SO-R{n}"
        said = {what.split(":")[0] for found, what in outcomes if found == number}
        assert "shipped" in said, outcomes  # the order stays released after the change: the shipment goes through
        shipped_at = records_of(database_url, "order.ship", number)[0].id
        determined = records_of(database_url, "order.determine", number)
        with db.session(database_url) as s:
            order = orders.order_by_number(s, number)
            assert order.status == "shipped"
            quantity = order.lines[0].quantity
        if "changed" in said:  # the change came first: the shipment drew the changed line
            assert len(determined) == 2 and determined[-1].id < shipped_at and quantity == 3.0
        else:
            assert "change refused" in said and len(determined) == 1 and quantity == 1.0
    changed = sum(1 for _, what in outcomes if what == "changed")
    assert used(database_url)[:2] == (
        3.0 * changed + 1.0 * (ROUNDS - changed),
        6_000_000 * changed + 2_000_000 * (ROUNDS - changed),
    )
    with db.session(database_url) as s:
        assert ledger.verify(s).ok


def test_parts_racing_a_change_on_the_same_order(database_url: str, screener: Screener) -> None:
    """A partial shipment and a change at once: the change is refused once a part has left, or the part ships
    from the changed order; the ledger holds no change after a part."""
    master_data(database_url)
    with db.session(database_url) as s:
        licence(s)
        orders.add_order(s, CLERK, resist_order("SO-P", quantity=4.0, value=4_000_000), screener)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def part() -> None:
        start.wait()
        try:
            with db.session(database_url) as s:
                orders.ship_part(s, CLERK, "SO-P", {1: 1.0}, AUTUMN_2019, uuid.uuid4().hex)
        except BaseException as exc:
            errors.append(exc)

    def change() -> None:
        start.wait()
        try:
            with db.session(database_url) as s:
                orders.update_order(s, CLERK, "SO-P", {"end_use": "DRAM fabrication"}, screener, revision=1)
        except RecordError as exc:
            assert "partly shipped" in str(exc)
        except BaseException as exc:
            errors.append(exc)

    run_all([threading.Thread(target=part), threading.Thread(target=change)])
    assert not errors, errors
    determined = records_of(database_url, "order.determine", "SO-P")
    part_at = records_of(database_url, orders.SHIP_PART, "SO-P")[0].id
    assert all(record.id < part_at for record in determined)


def test_an_order_with_facts_the_form_cannot_show_is_not_saved_from_it(api: Api, screener: Screener) -> None:
    """A line's value in US dollars has no field on the form: saving the form would drop it, so it is refused."""
    with db.session(api.database_url) as s:
        data = resist_order("SO-USD")
        line = data.lines[0].model_copy(update={"value_usd": 13_000})
        orders.add_order(s, CLERK, data.model_copy(update={"lines": [line]}), screener)
    clerk, page = clerk_form(api)
    assert "value_usd" in clerk.get("/orders/SO-USD/edit").text
    refused = clerk.post("/orders/SO-USD/edit", data=form_of(page, end_use="changed"))
    assert refused.status_code == 422 and "value_usd" in refused.text
    with db.session(api.database_url) as s:
        assert orders.order_by_number(s, "SO-USD").lines[0].value_usd == 13_000
