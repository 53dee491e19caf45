"""Orders decided under several regimes (issue 13): a Japanese export of a US-made resist to China needs a licence
under FEFTA (Appended Table 1 row 7(19)) and under the EAR (3C002: NS2 on the whole entry; the Country Chart marks
NS 2 for China). Each requirement is lifted only by a licence of its own regime's book, and a shipment draws both
down. Real SQLite and PostgreSQL (`database_url`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from exportctl.order_input import LineInput, OrderInput
from exportctl.records_json import order_dict
from exportctl.services import orders, records
from exportctl.services.actors import SYSTEM, Actor
from exportctl.services.errors import Invalid, RecordError
from exportctl.services.impact import impact
from exportctl.services.licences import LICENCE_NEEDED
from exportctl.store import db
from exportctl.store.models import Drawdown, Licence
from tests.store.test_store import CLERK, OFFICER

ADMIN = Actor("ada", "admin")
SHIP = dt.date(2026, 8, 3)


def resist_to_china(number: str, **header: Any) -> OrderInput:
    line = LineInput(reference="3C002", quantity=10, value_jpy=30_000_000, us_content_pct=100)
    facts: dict[str, Any] = {"ship_date": SHIP, "origin": "JP", "destination": "CN", "end_use": "wafer fab"}
    facts |= {"wmd_end_use": False, "conventional_end_use": False} | header
    return OrderInput(number=number, lines=[line], **facts)


def licence(s: Any, regime: str, number: str, type_: str) -> None:
    s.add(
        Licence(
            regime=regime, type=type_, number=number, holder="Example Materials K.K.", destinations=["CN"],
            consignees=[], end_users=[], entries=[], items=[], quantity_limit=100.0, value_limit_jpy=None,
            valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2027, 12, 31),
        )
    )  # fmt: skip
    s.flush()


@pytest.fixture
def url(database_url: str) -> str:
    with db.session(database_url) as s:
        for actor in (CLERK, OFFICER, ADMIN):
            records.add_user(s, SYSTEM, actor.name, actor.role)
    return database_url


def test_each_regime_blocks_until_a_licence_of_its_book_fits(url: str) -> None:
    with db.session(url) as s:
        order = orders.add_order(s, CLERK, resist_to_china("SO-1", also_under=["us"]), None)
        assert order.also_under == ["us"]
        assert order.blocking_reasons == [LICENCE_NEEDED, f"us:{LICENCE_NEEDED}"]
        assert order.other_determinations["us"]["lines"][0]["reasons_for_control"] == ["NS2"]
        licence(s, "jp", "JP-IND-1", "individual")
    # The Japanese licence lifts FEFTA's requirement; the EAR's stands: an officer's reason cannot lift it.
    with db.session(url) as s, pytest.raises(RecordError, match="us:licence-needed: no licence in the book fits"):
        orders.release_order(s, OFFICER, "SO-1", "licences held")
    with db.session(url) as s:
        licence(s, "us", "D1234567", "license")
        released = orders.release_order(s, OFFICER, "SO-1", "BIS licence D1234567 entered")
        assert released.state == "released" and released.order.other_licences == {"us": {"1": "D1234567"}}
        shipped = orders.ship_order(s, CLERK, "SO-1", SHIP)
        assert shipped.status == "shipped"
        drawn = {d.licence_id for d in s.scalars(select(Drawdown))}
        numbers = {s.get(Licence, licence_id).number for licence_id in drawn}  # type: ignore[union-attr]
        assert numbers == {"JP-IND-1", "D1234567"}


def test_an_order_entered_with_both_books_filled_is_released_at_once(url: str) -> None:
    with db.session(url) as s:
        licence(s, "jp", "JP-IND-1", "individual")
        licence(s, "us", "D1234567", "license")
        order = orders.add_order(s, CLERK, resist_to_china("SO-2", also_under=["us"]), None)
        assert (order.status, order.blocking_reasons) == ("released", [])
        assert order.lines[0].licence.number == "JP-IND-1"  # type: ignore[union-attr]
        assert order.other_licences == {"us": {"1": "D1234567"}}
    with db.session(url) as s:
        # The impact of the EAR's rules reaches the orders also decided under it, with that book's licences.
        report = impact(s, "us", SHIP, SHIP)
        assert report.errors == {}
        (found,) = [o for o in report.orders if o.order_id == "SO-2"]
        assert found.after.licences == ["D1234567"] and found.after.line_outcomes == ["licence_required"]


def test_the_company_default_and_bad_regimes(url: str) -> None:
    with db.session(url) as s:
        orders.set_default_also_under(s, ADMIN, ["us"])
        assert orders.add_order(s, CLERK, resist_to_china("SO-3"), None).also_under == ["us"]
        assert orders.add_order(s, CLERK, resist_to_china("SO-4", also_under=[]), None).also_under == []
        with pytest.raises(Invalid, match="also_under: 'xx' is not an installed regime"):
            orders.add_order(s, CLERK, resist_to_china("SO-5", also_under=["xx"]), None)
        with pytest.raises(Invalid, match="regimes: 'zz'"):
            orders.set_default_also_under(s, ADMIN, ["zz"])
        # The order's own regime is not another one.
        assert orders.add_order(s, CLERK, resist_to_china("SO-6", also_under=["jp", "us"]), None).also_under == ["us"]


def test_a_foreign_item_under_de_minimis_needs_nothing_under_the_ear(url: str) -> None:
    line = LineInput(reference="3C002", quantity=10, value_jpy=30_000_000, us_content_pct=20)
    with db.session(url) as s:
        data = resist_to_china("SO-7", also_under=["us"]).model_copy(update={"lines": [line]})
        order = orders.add_order(s, CLERK, data, None)
        assert order.blocking_reasons == [LICENCE_NEEDED]  # FEFTA only: 20 % is at or under de minimis (§ 734.4)
        assert order.other_determinations["us"]["outcome"] == "no_licence_required"


def test_an_order_to_ukraine_is_undecided_under_the_ear_until_its_region_is_stated(url: str) -> None:
    # § 746.6: Crimea (UA-43) needs a licence for any item; the rest of Ukraine is decided by the chart.
    with db.session(url) as s:
        line = LineInput(reference="EAR99", quantity=1, value_jpy=100_000)
        facts: dict[str, Any] = {"ship_date": SHIP, "destination": "UA", "end_use": "office", "regime": "us"}
        order = orders.add_order(s, CLERK, OrderInput(number="SO-UA", lines=[line], **facts), None)
        assert order.destination_region is None and order.blocking_reasons == [orders.INDETERMINATE]
        assert order.determination["missing"] == ["destination_region"]
        order = orders.update_order(s, CLERK, "SO-UA", {"destination_region": "UA-43"}, None)
        assert order.destination_region == "UA-43" and order.blocking_reasons == [LICENCE_NEEDED]
        order = orders.update_order(s, CLERK, "SO-UA", {"destination_region": "UA-30"}, None)
        assert order.blocking_reasons == [] and order.outcome == "no_licence_required"
        with pytest.raises(Invalid, match="not a region of UA"):
            orders.update_order(s, CLERK, "SO-UA", {"destination_region": "RU-MOW"}, None)
        assert order_dict(orders.order_by_number(s, "SO-UA"))["destination_region"] == "UA-30"
