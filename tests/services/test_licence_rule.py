"""The one licence rule (issue 11, item 3): which licence in the book covers a line, which one a line gets,
and when the book releases an order. The order and the impact report use the same rule, so they give the same
line the same licence.

Expected licences follow from the licences' terms and balances: a line gets the fitting licence with the least
value headroom left, then quantity headroom; a limit not set is endless headroom, so an unlimited licence
comes last; ties go to the lower number; an order's lines share the balances in line order.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from exportctl.order_input import LineInput
from exportctl.screening.end_user_list import EndUserList
from exportctl.services import licences, orders
from exportctl.services.impact import impact
from exportctl.services.licences import LICENCE_NEEDED, Need, Taken
from exportctl.store import db
from exportctl.store.models import Item, Licence, Order, OrderLine, Party
from tests.conftest import screened
from tests.store.test_store import CLERK, HANBIT, OFFICER, individual_licence, master_data, resist_order

SHIP = dt.date(2019, 9, 2)  # resist_order's ship date: KR in Group B, an individual licence needed
RESIST_ENTRY = "7(19)"

# Three licences that each hold a ¥30M line of 10 units; numbered so that the lowest number (the impact
# report's old rule) and the unlimited one (the order's old rule) are not the tightest.
ROOMY = {"value_limit_jpy": 300_000_000}
TIGHT = {"value_limit_jpy": 40_000_000}
OPEN = {"value_limit_jpy": None, "quantity_limit": None}


def enter_book(s: Session) -> None:
    individual_licence(s, "L-1-ROOMY", **ROOMY)
    individual_licence(s, "L-2-TIGHT", **TIGHT)
    individual_licence(s, "L-3-OPEN", **OPEN)


def line_licences(order: Order) -> list[str | None]:
    return [line.licence.number if line.licence else None for line in order.lines]


# --- the order and the impact report agree ----------------------------------------------------------------------


def test_the_order_and_the_impact_report_give_a_line_the_same_licence(database_url: str, eul: EndUserList) -> None:
    master_data(database_url)
    with db.session(database_url) as s:
        early = orders.add_order(s, CLERK, resist_order("SO-1"), screened(eul))  # before the book holds a licence
        assert (early.status, early.blocking_reasons) == ("blocked", [LICENCE_NEEDED])
        enter_book(s)
        entered = orders.add_order(s, CLERK, resist_order("SO-2"), screened(eul))
        assert (entered.status, line_licences(entered)) == ("released", ["L-2-TIGHT"])
    with db.session(database_url) as s:
        released = orders.release_order(s, OFFICER, "SO-1", "individual licences entered in the book")
        assert (released.state, released.licences) == ("released", {1: "L-2-TIGHT"})
    with db.session(database_url) as s:
        report = impact(s, "jp", SHIP, SHIP, screener=screened(eul))
        assert report.errors == {}
        for found in report.orders:
            order = orders.order_by_number(s, found.order_id)
            assert found.before.licences == found.after.licences == line_licences(order) == ["L-2-TIGHT"]
            assert found.after.blocking_reasons == order.blocking_reasons == []


def test_lines_sharing_the_book_get_the_same_licences_in_the_order_and_the_report(
    database_url: str, eul: EndUserList
) -> None:
    """Two ¥30M lines: the tight ¥40M licence holds one, so the second goes to the roomy one, in both."""
    master_data(database_url)
    two = [LineInput(item="RESIST", quantity=10, value_jpy=30_000_000)] * 2
    with db.session(database_url) as s:
        enter_book(s)
        order = orders.add_order(s, CLERK, resist_order("SO-1").model_copy(update={"lines": two}), screened(eul))
        assert line_licences(order) == ["L-2-TIGHT", "L-1-ROOMY"]
    with db.session(database_url) as s:
        (found,) = impact(s, "jp", SHIP, SHIP, screener=screened(eul)).orders
        assert found.after.licences == ["L-2-TIGHT", "L-1-ROOMY"]


# --- choose, on licences built in memory --------------------------------------------------------------------------


def book_licence(number: str, *, value: int | None = None, quantity: float | None = None, **terms: Any) -> Licence:
    fields: dict[str, Any] = {
        "regime": "jp",
        "type": "individual",
        "holder": "Example Materials K.K.",
        "destinations": ["KR"],
        "consignees": [],
        "end_users": [],
        "entries": [],
        "items": [],
        "quantity_used": 0.0,
        "value_used_jpy": 0,
        "valid_from": dt.date(2019, 8, 1),
        "valid_to": dt.date(2020, 7, 31),
    }
    return Licence(number=number, value_limit_jpy=value, quantity_limit=quantity, **(fields | terms))


def resist_lines(*amounts: tuple[float, int], types: tuple[str, ...] = ("individual",)) -> tuple[Order, list[Need]]:
    """An order to Hanbit of resist lines (quantity, value), each needing a licence of these types."""
    hanbit = Party(code="HANBIT", name=HANBIT, country="KR")
    resist = Item(code="RESIST", description="EUV photoresist")
    order = Order(number="SO-1", regime="jp", ship_date=SHIP, destination="KR", consignee=hanbit, end_user=hanbit)
    order.lines = [
        OrderLine(line_no=n, item=resist, reference=f"{RESIST_ENTRY}#euv-resist", quantity=q, value_jpy=v)
        for n, (q, v) in enumerate(amounts, start=1)
    ]
    return order, [Need(line, types, frozenset({RESIST_ENTRY})) for line in order.lines]


def chosen_numbers(chosen: dict[int, Licence | None]) -> dict[int, str | None]:
    return {n: licence.number if licence else None for n, licence in chosen.items()}


def test_the_least_headroom_wins_and_an_unlimited_licence_comes_last() -> None:
    order, needs = resist_lines((10, 30_000_000))
    book = [
        book_licence("A-OPEN"),
        book_licence("B-QUANTITY-ONLY", quantity=10),  # no value limit: endless value headroom
        book_licence("C-ROOMY", value=300_000_000),
        book_licence("D-TIGHT", value=40_000_000),
        book_licence("E-SPENT", value=100_000_000, value_used_jpy=65_000_000),  # ¥35M left: the tightest
    ]
    assert chosen_numbers(licences.choose(book, order, needs)) == {1: "E-SPENT"}
    assert chosen_numbers(licences.choose(book[:4], order, needs)) == {1: "D-TIGHT"}
    assert chosen_numbers(licences.choose(book[:3], order, needs)) == {1: "C-ROOMY"}
    assert chosen_numbers(licences.choose(book[:2], order, needs)) == {1: "B-QUANTITY-ONLY"}
    assert chosen_numbers(licences.choose(book[:1], order, needs)) == {1: "A-OPEN"}
    twins = [book_licence("2019-KR-0002", value=40_000_000), book_licence("2019-KR-0001", value=40_000_000)]
    assert chosen_numbers(licences.choose(twins, order, needs)) == {1: "2019-KR-0001"}  # a tie: the lower number


def test_lines_take_from_the_balance_in_line_order_and_a_line_nothing_fits_gets_none() -> None:
    order, needs = resist_lines((10, 30_000_000), (10, 30_000_000), (10, 900_000_000))
    book = [book_licence("TIGHT", value=40_000_000), book_licence("ROOMY", value=300_000_000)]
    assert chosen_numbers(licences.choose(book, order, needs)) == {1: "TIGHT", 2: "ROOMY", 3: None}
    # Without the third line the order is covered; with it, licence-needed stands.
    assert licences.covered(licences.choose(book, order, needs[:2]))
    assert not licences.covered(licences.choose(book, order, needs))


def test_fits_names_why_a_licence_does_not_cover_a_line() -> None:
    order, (need,) = resist_lines((10, 30_000_000))
    taken = Taken(quantity=0.0, value_jpy=15_000_000)
    assert licences.fits(book_licence("L-1", value=40_000_000), order, need, taken=taken) == "remaining value too small"
    assert licences.fits(book_licence("L-1", entries=["7(18)"]), order, need) == "entry not covered"
    assert licences.fits(book_licence("L-1"), order, need, on=dt.date(2020, 8, 1)) == "not valid on 2020-08-01"
    assert licences.fits(book_licence("L-1", regime="eu"), order, need) == "another regime"
    # Exactly the quantity left fits, though 0.3 - 0.1 is a hair below 0.2 in floating point.
    small, (small_need,) = resist_lines((0.2, 1_000_000))
    assert licences.fits(book_licence("L-1", quantity=0.3, quantity_used=0.1), small, small_need) is None
    assert licences.fits(book_licence("L-1", quantity=0.3, quantity_used=0.11), small, small_need) == (
        "remaining quantity too small"
    )


def test_the_release_rule() -> None:
    fitting = {1: book_licence("L-1")}
    assert licences.still_blocking([LICENCE_NEEDED], fitting) == []
    assert licences.still_blocking([LICENCE_NEEDED], {1: None}) == [LICENCE_NEEDED]
    assert licences.still_blocking([LICENCE_NEEDED], {}) == [LICENCE_NEEDED]  # no line covered: not lifted
    # Another reason keeps the order blocked whatever the book holds; an officer deals with it.
    assert licences.still_blocking([LICENCE_NEEDED, "screening-hit"], fitting) == [LICENCE_NEEDED, "screening-hit"]
    assert licences.still_blocking(["indeterminate"], {}) == ["indeterminate"]
    assert licences.still_blocking([], {}) == []


# --- properties over generated books and orders -------------------------------------------------------------------

TYPES = ["individual", "specific-bulk", "general-bulk"]


@st.composite
def generated_licence(draw: st.DrawFn, number: str) -> Licence:
    quantity = draw(st.one_of(st.none(), st.sampled_from([5.0, 10.0, 25.5, 100.0])))
    value = draw(st.one_of(st.none(), st.sampled_from([5_000_000, 20_000_000, 40_000_000, 300_000_000])))
    start = draw(st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2019, 12, 31)))
    return book_licence(
        number,
        type=draw(st.sampled_from(TYPES)),
        destinations=draw(st.sampled_from([[], ["KR"], ["CN"], ["KR", "TW"]])),
        entries=draw(st.sampled_from([[], [RESIST_ENTRY], ["3(1)"]])),
        quantity=quantity,
        value=value,
        quantity_used=0.0 if quantity is None else quantity * draw(st.sampled_from([0.0, 0.5, 1.0])),
        value_used_jpy=0 if value is None else value * draw(st.sampled_from([0, 1, 3])) // 4,
        valid_from=start,
        valid_to=start + dt.timedelta(days=draw(st.integers(0, 400))),
    )


@st.composite
def books(draw: st.DrawFn) -> list[Licence]:
    size = draw(st.integers(0, 6))
    numbers = draw(st.lists(st.sampled_from([f"L-{n}" for n in range(20)]), min_size=size, max_size=size, unique=True))
    return [draw(generated_licence(number)) for number in numbers]


@st.composite
def orders_needing(draw: st.DrawFn) -> tuple[Order, list[Need]]:
    amounts = draw(
        st.lists(
            st.tuples(st.sampled_from([0.0, 1.0, 5.0, 12.5]), st.sampled_from([0, 1_000_000, 10_000_000, 35_000_000])),
            min_size=1,
            max_size=4,
        )
    )
    types = tuple(draw(st.lists(st.sampled_from(TYPES), min_size=1, max_size=3, unique=True)))
    return resist_lines(*amounts, types=types)


def standing(licence: Licence, taken: Taken) -> tuple[float, float, str]:
    """(value, quantity) left, endless where there is no limit, then the number: computed here, not by the rule."""
    value = math.inf if licence.value_limit_jpy is None else licence.value_limit_jpy - licence.value_used_jpy
    quantity = math.inf if licence.quantity_limit is None else licence.quantity_limit - licence.quantity_used
    return value - taken.value_jpy, quantity - taken.quantity, licence.number


@settings(max_examples=300, deadline=None)
@given(books(), orders_needing(), st.randoms(use_true_random=False))
def test_the_chosen_licence_fits_and_the_same_inputs_give_the_same_licence(
    book: list[Licence], ordered: tuple[Order, list[Need]], shuffler: random.Random
) -> None:
    order, needs = ordered
    chosen = licences.choose(book, order, needs)
    assert set(chosen) == {need.line.line_no for need in needs}
    taken: dict[str, Taken] = {}
    for need in needs:
        licence = chosen[need.line.line_no]
        fitting = [c for c in book if licences.fits(c, order, need, taken=taken.get(c.number, Taken())) is None]
        if licence is None:
            assert fitting == []  # a line goes without only when nothing in the book fits it
            continue
        mine = taken.get(licence.number, Taken())
        assert licences.fits(licence, order, need, taken=mine) is None
        # No fitting licence has less headroom left; an equal one has a higher number.
        for other in fitting:
            assert standing(licence, mine) <= standing(other, taken.get(other.number, Taken()))
        taken[licence.number] = mine.plus(need.line)
    # The same inputs give the same licences, whatever order the book is read in.
    shuffled = list(book)
    shuffler.shuffle(shuffled)
    assert chosen_numbers(licences.choose(shuffled, order, needs)) == chosen_numbers(chosen)
    assert chosen_numbers(licences.choose(book, order, needs)) == chosen_numbers(chosen)
