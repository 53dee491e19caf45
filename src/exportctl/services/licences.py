"""The licence rule: whether a licence in the book covers a line, which licence a line gets, and when the book
lifts a `licence-needed` block. Orders (entry, change, release, shipment) and the impact report both use it, so
the order and the impact report give the same line the same licence.

**Fits.** A licence covers a line when it is of the order's regime; its type is one the determination allows
for the line; its destinations, consignees, end users, items and entries (an empty list allows any) include the
order's; it is valid on the date (the ship date unless another is given); and what is left of its quantity and
value limits holds the line, after what the order's earlier lines already take from it.

**Choose.** Of the licences that fit a line, the line gets the one with the least headroom left: value left
first, then quantity left (two limits need a fixed order to compare by; value leads, as in the book's
utilisation and warnings). A limit that is not set counts as endless headroom, so a licence without limits
comes last. Ties go to the lower licence number (as text), so the same book and order always give the same
answer, whatever order the book is read in. Why least headroom: a line that fits a tight licence also fits the
roomy ones, not the other way round, so drawing the tightest first keeps large balances for the large lines to
come (best fit). Why unlimited last: the licence issued narrowly for this trade is the one it was licensed
under, and a broad type can be withdrawn for a destination by a regime change without stranding the lines
that sit on a licence of their own. Lines are chosen in line order, each against the balances left by the
order's earlier lines, so lines sharing a licence must fit it together.

**Release rule.** An order whose only blocking reason is `licence-needed` is released when every line needing
a licence is covered; any other reason keeps it blocked (an officer may override those, never this one).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from exportctl import determination_json
from exportctl.core_types import Determination, Outcome
from exportctl.services.verdicts import Verdict, line_verdicts
from exportctl.store.models import Licence, Order, OrderLine

LICENCE_NEEDED = "licence-needed"
QUANTITY_SLACK = 1e-9  # quantities are floats: within this of a limit (or of what remains) is all of it


@dataclass(frozen=True)
class Need:
    """An order line as a determination left it: the licence types it allows and the entries it matched."""

    line: OrderLine
    types: tuple[str, ...]
    entries: frozenset[str]


@dataclass(frozen=True)
class Taken:
    """What an order's earlier lines already take from one licence."""

    quantity: float = 0.0
    value_jpy: int = 0

    def plus(self, line: OrderLine) -> Taken:
        return Taken(self.quantity + (line.quantity or 0.0), self.value_jpy + (line.value_jpy or 0))


NOTHING = Taken()


def needs(order: Order, result: Determination | Verdict) -> list[Need]:
    """The order's lines needing a licence under this determination (the order's own or one on another date)."""
    lines = result.lines if isinstance(result, Verdict) else line_verdicts(result)
    return [
        Need(line, decided.eligible_licences, decided.entries)
        for line, decided in zip(order.lines, lines, strict=True)
        if decided.outcome is Outcome.LICENCE_REQUIRED
    ]


def stored_needs(order: Order) -> list[Need]:
    """The order's lines needing a licence under its stored determination."""
    return needs(order, determination_json.decode(order.determination))


# --- fits -----------------------------------------------------------------------------------------------------


def fits(
    licence: Licence,
    order: Order,
    need: Need,
    on: dt.date | None = None,
    taken: Taken = NOTHING,
    regime: str | None = None,
) -> str | None:
    """Why this licence cannot cover this line on a date (default: the order's ship date), or None when it can.
    `taken` is what the order's earlier lines already take from it; `regime`: another regime of the order."""
    return (
        terms_misfit(licence, order, need, regime)
        or _validity_misfit(licence, on or order.ship_date)
        or _balance_misfit(licence, need.line, taken)
    )


def terms_misfit(licence: Licence, order: Order, need: Need, regime: str | None = None) -> str | None:
    """Regime (the order's, or `regime`, another it is decided under), type, destination, parties, item and entry:
    what the licence covers, whatever the date and balance."""
    if licence.regime != (regime or order.regime):
        return "another regime"
    if licence.type not in need.types:
        return f"type {licence.type} is not eligible for this line"
    return _scope_misfit(licence, order, need)


def covers_but_for_type(licence: Licence, order: Order, need: Need) -> bool:
    """The licence would fit the line on the ship date if its type were eligible (what the impact report lists
    for each licence: the lines its terms cover, and on which side of a change its type is usable)."""
    if licence.regime not in (order.regime, *(order.also_under or [])):
        return False
    misfit = _scope_misfit(licence, order, need) or _validity_misfit(licence, order.ship_date)
    return (misfit or _balance_misfit(licence, need.line, NOTHING)) is None


def _scope_misfit(licence: Licence, order: Order, need: Need) -> str | None:
    line = need.line
    if licence.destinations and order.destination not in licence.destinations:
        return f"destination {order.destination} not permitted"
    if licence.consignees and (order.consignee is None or order.consignee.code not in licence.consignees):
        return "consignee not permitted"
    if licence.end_users and (order.end_user is None or order.end_user.code not in licence.end_users):
        return "end user not permitted"
    if licence.items and (line.item is None or line.item.code not in licence.items):
        return "item not covered"
    if licence.entries and not need.entries & set(licence.entries):
        return "entry not covered"
    return None


def _validity_misfit(licence: Licence, day: dt.date) -> str | None:
    return None if licence.valid_from <= day <= licence.valid_to else f"not valid on {day}"


def _balance_misfit(licence: Licence, line: OrderLine, taken: Taken) -> str | None:
    quantity, value = _headroom(licence, taken)
    if (line.quantity or 0.0) > quantity + QUANTITY_SLACK:
        return "remaining quantity too small"
    if (line.value_jpy or 0) > value:
        return "remaining value too small"
    return None


def _headroom(licence: Licence, taken: Taken) -> tuple[float, float]:
    """(quantity, value) the licence still holds beyond what is taken; infinite where it sets no limit."""
    quantity = math.inf
    if licence.quantity_limit is not None:
        quantity = licence.quantity_limit - licence.quantity_used - taken.quantity
    value = math.inf
    if licence.value_limit_jpy is not None:
        value = licence.value_limit_jpy - licence.value_used_jpy - taken.value_jpy
    return quantity, value


# --- choose ---------------------------------------------------------------------------------------------------


def choose(
    book: Sequence[Licence], order: Order, lines: Sequence[Need], regime: str | None = None
) -> dict[int, Licence | None]:
    """The licence each line needing one gets (line number → licence, None when none fits), by the rule in this
    module's docstring: the least headroom, unlimited last, ties by number; lines in order, sharing balances."""
    taken: dict[str, Taken] = {}
    chosen: dict[int, Licence | None] = {}
    for need in sorted(lines, key=lambda n: n.line.line_no):
        fitting = [c for c in book if fits(c, order, need, taken=taken.get(c.number, NOTHING), regime=regime) is None]
        if not fitting:
            chosen[need.line.line_no] = None
            continue
        licence = min(fitting, key=lambda c: _rank(c, taken.get(c.number, NOTHING)))
        taken[licence.number] = taken.get(licence.number, NOTHING).plus(need.line)
        chosen[need.line.line_no] = licence
    return chosen


def _rank(licence: Licence, taken: Taken) -> tuple[float, float, str]:
    quantity, value = _headroom(licence, taken)
    return value, quantity, licence.number


def book(db: Session, regime: str) -> list[Licence]:
    """The licence book of a regime, by number."""
    return list(db.scalars(select(Licence).where(Licence.regime == regime).order_by(Licence.number)).all())


def plan(db: Session, order: Order, lines: Sequence[Need], regime: str | None = None) -> dict[int, Licence | None]:
    """`choose` against the book of the order's regime (or of `regime`, another it is decided under) as it stands
    (not read when no line needs a licence)."""
    return choose(book(db, regime or order.regime), order, lines, regime) if lines else {}


def assign(order: Order, chosen: Mapping[int, Licence | None]) -> None:
    """Put the chosen licences on the order's lines. Orders do this only when every line is covered: an order
    holds licences for all its lines needing one, or for none."""
    for line in order.lines:
        if line.line_no in chosen:
            line.licence = chosen[line.line_no]


def gaps(
    db: Session, order: Order, regime: str | None = None, needing: Sequence[Need] | None = None
) -> dict[int, list[str]]:
    """For each line needing a licence (of the stored determination, or `needing`), why each licence in the book
    of the order's regime (or `regime`) does not fit it (empty book: no reasons)."""
    candidates = book(db, regime or order.regime)
    lines = stored_needs(order) if needing is None else needing
    return {
        need.line.line_no: [f"{c.number}: {fits(c, order, need, regime=regime)}" for c in candidates] for need in lines
    }


# --- the release rule -----------------------------------------------------------------------------------------


def covered(chosen: Mapping[int, Licence | None]) -> bool:
    """Every line needing a licence has one."""
    return all(licence is not None for licence in chosen.values())


def still_blocking(reasons: Sequence[str], chosen: Mapping[int, Licence | None]) -> list[str]:
    """The reasons that still block once the book is applied: `licence-needed` as the only reason is lifted when
    every line needing a licence is covered; otherwise the reasons stand."""
    if list(reasons) == [LICENCE_NEEDED] and chosen and covered(chosen):  # no line planned: nothing was covered
        return []
    return list(reasons)
