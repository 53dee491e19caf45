"""Impact analysis: what a regime change between two dates does to the open orders and the licence book.

`impact(db, regime, start, end)` compares the rules in force on `start` with those in force on `end`: the
facts that change (the regime diff), and for every open (not shipped) order its determination on each date,
with the licences in the book taken into account (each line gets the licence the order itself would get:
`services/licences.py`). An order is grouped as newly blocked, newly released, licence type no longer usable
(a type eligible before is not after, e.g. general bulk for KR across 2019-08-28) or unchanged. A what-if
overlay (a YAML document keyed by pack file name, each holding a partial document of that file) is deep-merged
into the pack and validated exactly like a pack, so a proposed change can be assessed before it is law.
Nothing is written: impact analysis changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import String, cast, or_, select
from sqlalchemy.orm import Session

from exportctl import regime_json
from exportctl.core_types import Determination, Outcome, PartyScreener
from exportctl.regime.diff import diff
from exportctl.services import licences, regimes
from exportctl.services.batch.executor import LOCAL, Executor
from exportctl.services.batch.work import Ask, Job
from exportctl.services.errors import RecordError
from exportctl.services.orders import ORDER_FACTS, blocking_reasons, cleared_hits, transaction_of
from exportctl.store.models import Licence, Order, OrderLine

NEWLY_BLOCKED = "newly blocked"
NEWLY_RELEASED = "newly released"
TYPE_NO_LONGER_USABLE = "licence type no longer usable"
UNCHANGED = "unchanged"
EFFECTS = (NEWLY_BLOCKED, NEWLY_RELEASED, TYPE_NO_LONGER_USABLE, UNCHANGED)
DEFAULT_REVIEW_DAYS = 90


# --- the analysis ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    """One order's determination on one date, with the licence book applied."""

    date: dt.date
    outcome: str
    blocking_reasons: list[str]
    eligible: list[list[str]]  # per line
    line_outcomes: list[str]
    licences: list[str | None]  # per line: the book's licence the order would get for it
    entries: list[list[str]]

    @property
    def blocked(self) -> bool:
        return bool(self.blocking_reasons)

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "outcome": self.outcome,
            "status": "blocked" if self.blocked else "released",
            "blocking_reasons": self.blocking_reasons,
            "lines": [
                {"line": i + 1, "outcome": o, "eligible_licences": e, "licence": lic}
                for i, (o, e, lic) in enumerate(zip(self.line_outcomes, self.eligible, self.licences, strict=True))
            ],
        }


@dataclass(frozen=True)
class OrderImpact:
    order_id: str
    ship_date: dt.date
    destination: str
    consignee: str | None
    status_now: str  # the order's stored status today: what the before/after sides are compared against
    before: Side
    after: Side
    effect: str
    no_longer_usable: list[str]  # licence types eligible before on some line, not after

    def as_dict(self) -> dict[str, Any]:
        return {
            "order_id": self.order_id,
            "ship_date": self.ship_date.isoformat(),
            "destination": self.destination,
            "consignee": self.consignee,
            "status_now": self.status_now,
            "before": self.before.as_dict(),
            "after": self.after.as_dict(),
            "effect": self.effect,
            "no_longer_usable": self.no_longer_usable,
        }


@dataclass(frozen=True)
class LicenceImpact:
    number: str
    type: str
    valid_to: dt.date
    covers: list[str]  # "ORDER/line" the licence's terms cover (any type)
    usable_before: list[str]  # of those, the lines where its type is eligible before
    usable_after: list[str]

    @property
    def status(self) -> str:
        return TYPE_NO_LONGER_USABLE if set(self.usable_before) - set(self.usable_after) else UNCHANGED

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "type": self.type,
            "valid_to": self.valid_to.isoformat(),
            "covers": self.covers,
            "usable_before": self.usable_before,
            "usable_after": self.usable_after,
            "status": self.status,
        }


@dataclass(frozen=True)
class Application:
    """One individual licence application METI needs: per consignee and item."""

    consignee: str | None
    item: str
    orders: list[str]
    quantity: float
    value_jpy: int
    first_ship_date: dt.date

    def as_dict(self) -> dict[str, Any]:
        return {
            "consignee": self.consignee,
            "item": self.item,
            "orders": self.orders,
            "quantity": self.quantity,
            "value_jpy": self.value_jpy,
            "first_ship_date": self.first_ship_date.isoformat(),
        }


@dataclass(frozen=True)
class Slip:
    order_id: str
    ship_date: dt.date
    decision_date: dt.date

    @property
    def days_late(self) -> int:
        return (self.decision_date - self.ship_date).days

    def as_dict(self) -> dict[str, Any]:
        return {
            "order_id": self.order_id,
            "ship_date": self.ship_date.isoformat(),
            "decision_date": self.decision_date.isoformat(),
            "days_late": self.days_late,
        }


@dataclass(frozen=True)
class Forecast:
    review_days: int
    decision_date: dt.date
    applications: list[Application]
    slipping: list[Slip]

    def as_dict(self) -> dict[str, Any]:
        return {
            "review_days": self.review_days,
            "decision_date": self.decision_date.isoformat(),
            "applications_needed": len(self.applications),
            "applications": [a.as_dict() for a in self.applications],
            "slipping": [s.as_dict() for s in self.slipping],
        }


@dataclass(frozen=True)
class Impact:
    regime: str
    start: dt.date
    end: dt.date
    overlay: str | None
    pack_version_before: str
    pack_version_after: str
    change_dates: list[dt.date]
    changes: list[dict[str, Any]]
    orders: list[OrderImpact]
    licences: list[LicenceImpact]
    forecast: Forecast
    errors: dict[str, str] = field(default_factory=dict)  # order number: why it could not be determined

    def counts(self) -> dict[str, int]:
        return {effect: sum(1 for o in self.orders if o.effect == effect) for effect in EFFECTS}

    def as_dict(self) -> dict[str, Any]:
        return {
            "regime": self.regime,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "overlay": self.overlay,
            "pack_version_before": self.pack_version_before,
            "pack_version_after": self.pack_version_after,
            "change_dates": [d.isoformat() for d in self.change_dates],
            "changes": self.changes,
            "counts": self.counts(),
            "orders": [o.as_dict() for o in self.orders],
            "licences": [lic.as_dict() for lic in self.licences],
            "forecast": self.forecast.as_dict(),
            "errors": self.errors,
        }


def _side(day: dt.date, order: Order, result: Determination, book: Sequence[Licence]) -> Side:
    """The order as determined on `day` under the regime of `result` (its own or another it is decided under),
    with the licences the order itself would get from that regime's book (`services.licences`)."""
    chosen = licences.choose(book, order, licences.needs(order, result), result.regime)
    found = [chosen.get(line.line_no) for line in order.lines]
    return Side(
        date=day,
        outcome=result.outcome.value,
        blocking_reasons=licences.still_blocking(blocking_reasons(result), chosen),
        eligible=[list(line.eligible_licences) for line in result.lines],
        line_outcomes=[line.outcome.value for line in result.lines],
        licences=[licence.number if licence is not None else None for licence in found],
        entries=[[m.entry for m in line.entries] for line in result.lines],
    )


def _effect(before: Side, after: Side) -> tuple[str, list[str]]:
    lost = sorted({t for b, a in zip(before.eligible, after.eligible, strict=True) for t in set(b) - set(a)})
    if after.blocked and not before.blocked:
        return NEWLY_BLOCKED, lost
    if before.blocked and not after.blocked:
        return NEWLY_RELEASED, lost
    return (TYPE_NO_LONGER_USABLE if lost else UNCHANGED), lost


def impact(
    db: Session,
    regime_id: str,
    start: dt.date,
    end: dt.date,
    overlay: tuple[str, str] | None = None,
    screener: PartyScreener | None = None,
    review_days: int = DEFAULT_REVIEW_DAYS,
    executor: Executor = LOCAL,
) -> Impact:
    """The impact of the rules changing from `start` to `end` (the `end` side under the overlay, given as
    (file name, YAML text)). Reads only. The determinations (two per open order) run on `executor`."""
    if end < start:
        raise RecordError(f"end: {end} is before start {start}")
    if review_days < 0:
        raise RecordError("review_days: must not be negative")
    base = regimes.regime(regime_id)
    after_regime = regimes.overlaid(regime_id, *overlay) if overlay else base
    before_snapshot, after_snapshot = base.at(start), after_regime.at(end)
    changes = [
        regime_json.change_dict(before_snapshot, after_snapshot, c) for c in diff(before_snapshot, after_snapshot)
    ]
    change_dates = sorted(set(base.changes_between(start, end)) | set(after_regime.changes_between(start, end)))

    book = licences.book(db, regime_id)
    # The open orders decided under the regime: their own, or another they are also decided under (the JSON list
    # narrowed in SQL by its text, then checked exactly).
    also = cast(Order.also_under, String).like(f'%"{regime_id}"%')
    candidates = db.scalars(
        select(Order)
        .where(Order.status != "shipped", or_(Order.regime == regime_id, also))
        .order_by(Order.number)
        .options(*ORDER_FACTS)
    ).all()
    open_orders = [o for o in candidates if o.regime == regime_id or regime_id in (o.also_under or [])]
    results: list[OrderImpact] = []
    errors: dict[str, str] = {}
    sides: dict[str, tuple[Order, Determination]] = {}
    asks: list[Ask] = []
    asked: list[Order] = []
    for order in open_orders:
        try:
            transaction = transaction_of(order, regime_id)
        except RecordError as exc:
            errors[order.number] = str(exc)
            continue
        cleared = cleared_hits(order.consignee, order.end_user)
        asks.append(Ask.of(transaction.model_copy(update={"date": start}), cleared))
        asks.append(Ask.of(transaction.model_copy(update={"date": end}), cleared, overlay=overlay is not None))
        asked.append(order)
    answers = executor.answers(Job("decide", (regime_id,), overlay=overlay), asks, screener)
    for order, old, new in zip(asked, answers[::2], answers[1::2], strict=True):
        if isinstance(old, str) or isinstance(new, str):
            errors[order.number] = old if isinstance(old, str) else str(new)
            continue
        before, after = _side(start, order, old, book), _side(end, order, new, book)
        effect, lost = _effect(before, after)
        results.append(
            OrderImpact(
                order_id=order.number,
                ship_date=order.ship_date,
                destination=order.destination,
                consignee=order.consignee.code if order.consignee else None,
                status_now=order.status,
                before=before,
                after=after,
                effect=effect,
                no_longer_usable=lost,
            )
        )
        sides[order.number] = (order, new)

    by_number = {r.order_id: r for r in results}
    licence_impacts: list[LicenceImpact] = []
    for licence in book:
        if not licence.valid_from <= end <= licence.valid_to:
            continue
        covers: list[str] = []
        usable_before: list[str] = []
        usable_after: list[str] = []
        for number, (order, _new) in sides.items():
            found = by_number[number]
            for index, line in enumerate(order.lines):
                need = licences.Need(line, tuple(found.after.eligible[index]), frozenset(found.after.entries[index]))
                if not licences.covers_but_for_type(licence, order, need):
                    continue
                if found.before.line_outcomes[index] != Outcome.LICENCE_REQUIRED.value and (
                    found.after.line_outcomes[index] != Outcome.LICENCE_REQUIRED.value
                ):
                    continue
                key = f"{number}/{line.line_no}"
                covers.append(key)
                if licence.type in found.before.eligible[index]:
                    usable_before.append(key)
                if licence.type in found.after.eligible[index]:
                    usable_after.append(key)
        licence_impacts.append(
            LicenceImpact(licence.number, licence.type, licence.valid_to, covers, usable_before, usable_after)
        )

    return Impact(
        regime=regime_id,
        start=start,
        end=end,
        overlay=overlay[0] if overlay else None,
        pack_version_before=base.version,
        pack_version_after=after_regime.version,
        change_dates=change_dates,
        changes=changes,
        orders=results,
        licences=licence_impacts,
        forecast=forecast(results, sides, end, review_days),
        errors=dict(sorted(errors.items())),
    )


def forecast(
    results: Sequence[OrderImpact], sides: Mapping[str, tuple[Order, Determination]], end: dt.date, review_days: int
) -> Forecast:
    """Individual licence applications for the newly blocked lines (one per consignee and item, as METI
    requires), and the shipments that slip when a decision takes `review_days` from `end`."""
    decision = end + dt.timedelta(days=review_days)
    groups: dict[tuple[str | None, str], list[tuple[OrderImpact, OrderLine]]] = {}
    for found in results:
        if found.effect != NEWLY_BLOCKED:
            continue
        order, _new = sides[found.order_id]
        for index, line in enumerate(order.lines):
            needs = found.after.line_outcomes[index] == Outcome.LICENCE_REQUIRED.value
            if needs and found.after.licences[index] is None and "individual" in found.after.eligible[index]:
                item = line.item.code if line.item else line.reference
                groups.setdefault((found.consignee, item), []).append((found, line))
    applications = [
        Application(
            consignee=consignee,
            item=item,
            orders=sorted({f.order_id for f, _ in lines}),
            quantity=sum(line.quantity or 0.0 for _, line in lines),
            value_jpy=sum(line.value_jpy or 0 for _, line in lines),
            first_ship_date=min(f.ship_date for f, _ in lines),
        )
        for (consignee, item), lines in sorted(groups.items(), key=lambda kv: (kv[0][0] or "", kv[0][1]))
    ]
    waiting = sorted({(f.ship_date, f.order_id) for lines in groups.values() for f, _ in lines})
    slipping = [Slip(number, ship, decision) for ship, number in waiting if ship < decision]
    return Forecast(review_days, decision, applications, slipping)
