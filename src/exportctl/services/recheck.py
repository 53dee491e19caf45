"""Re-checking open orders when what they were determined against changes.

Two triggers:

* `delta_screen` — a new version of a screening list was loaded. Only the parties whose names could match an
  added or changed entry are re-screened (a small screener over just those entries finds them); the open
  orders of a party that got a new open hit are redetermined, and so blocked with a screening hit.
* `recheck` — the installed pack version differs from the one an open order was determined with, or a
  change point of the regime (a dated fact taking or leaving effect) has been reached since the order was
  last determined and falls on or before its ship date. Safe to run repeatedly (from cron or a scheduler):
  a redetermined order cites the installed pack and is stamped with the time, so a second run finds nothing.

The rule for automatic redeterminations (both triggers): **nothing is released automatically.**

* A redetermination whose result differs from the stored one (outcome, blocking reasons or licences) marks
  the order *changed*: it is blocked, with the extra blocking reason `recheck-review`, whatever the new
  result says — a previously released order is blocked, and a blocked order that would now be released
  stays blocked until an officer releases it (`orders release`, with a reason).
* A redetermination whose result is unchanged keeps the order's previous status and reasons, so an
  officer's earlier release is not undone by a recheck that found nothing new.

Every redetermination is recorded (`order.determine`, with its cause), followed by an `order.recheck`
record with the final status, whether it changed, and the cause in detail (the pack diff or the dated
facts); a delta screening also writes one `lists.delta` summary record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from exportctl import ledger
from exportctl.core_types import Determination, PartyScreener, Transaction
from exportctl.regime import OutsideCoverage, Regime
from exportctl.regime.diff import diff
from exportctl.screening.entities import LoadedList
from exportctl.screening.screener import Screener
from exportctl.services import actors, orders, records, regimes
from exportctl.services.actors import Actor
from exportctl.services.batch.executor import LOCAL, Executor
from exportctl.services.batch.work import Ask, Job
from exportctl.services.errors import RecordError
from exportctl.services.lists import diff_versions
from exportctl.store.models import Order, PackVersion, Party

REVIEW = "recheck-review"


@dataclass(frozen=True)
class OrderChange:
    number: str
    cause: str
    changed: bool
    status_before: str
    status: str
    reasons_before: list[str]
    reasons: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "order": self.number,
            "cause": self.cause,
            "changed": self.changed,
            "status_before": self.status_before,
            "status": self.status,
            "blocking_reasons_before": self.reasons_before,
            "blocking_reasons": self.reasons,
        }


@dataclass
class DeltaResult:
    list_id: str
    from_version: str | None
    to_version: str
    added: int
    changed: int
    removed: int
    parties_rescreened: list[str] = field(default_factory=list)
    orders: list[OrderChange] = field(default_factory=list)

    @property
    def orders_blocked(self) -> list[str]:
        return [o.number for o in self.orders if o.status == "blocked"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "list": self.list_id,
            "from": self.from_version,
            "to": self.to_version,
            "added": self.added,
            "changed": self.changed,
            "removed": self.removed,
            "parties_rescreened": self.parties_rescreened,
            "orders_blocked": self.orders_blocked,
            "orders": [o.as_dict() for o in self.orders],
        }


@dataclass
class RecheckResult:
    today: dt.date
    checked: int
    orders: list[OrderChange] = field(default_factory=list)

    @property
    def changed(self) -> list[OrderChange]:
        return [o for o in self.orders if o.changed]

    def as_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "checked": self.checked,
            "redetermined": [o.as_dict() for o in self.orders],
            "changed": [o.number for o in self.changed],
        }


# --- the shared rule --------------------------------------------------------------------------------------------


def _state(order: Order) -> tuple[str | None, list[str], dict[int, int | None]]:
    reasons = [r for r in order.blocking_reasons if r != REVIEW]
    return order.outcome, reasons, {line.line_no: line.licence_id for line in order.lines}


def redetermine(
    db: Session,
    actor: Actor,
    order: Order,
    screener: PartyScreener | None,
    cause: str,
    detail: dict[str, Any],
    decided: orders.Decided | None = None,
) -> OrderChange:
    """Redetermine an open order automatically: never release it (see the module's rule)."""
    status_before, reasons_before = order.status, list(order.blocking_reasons)
    before = _state(order)
    orders.determine_order(db, actor, order, screener, cause, decided)
    changed = _state(order) != before
    if changed:
        order.status = "blocked"
        order.blocking_reasons = [*order.blocking_reasons, REVIEW]
    else:
        order.status, order.blocking_reasons = status_before, reasons_before
    db.flush()
    change = OrderChange(
        order.number, cause, changed, status_before, order.status, reasons_before, list(order.blocking_reasons)
    )
    ledger.append(
        db,
        actor.name,
        "order.recheck",
        f"order:{order.number}",
        {**change.as_dict(), "detail": detail},
        pack_version=order.pack_version,
    )
    return change


def _open_orders(db: Session, party_ids: set[int] | None = None) -> list[Order]:
    statement = select(Order).where(Order.status != "shipped")
    if party_ids is not None:
        statement = statement.where(or_(Order.consignee_id.in_(party_ids), Order.end_user_id.in_(party_ids)))
    return list(db.scalars(statement.order_by(Order.number).options(*orders.ORDER_FACTS)).all())


# --- list updates -----------------------------------------------------------------------------------------------


def delta_screen(
    db: Session, actor: Actor, before: LoadedList | None, after: LoadedList, screener: Screener
) -> DeltaResult:
    """Re-screen the parties a list update could affect; redetermine their open orders that got new hits.

    `screener` is the full screener, already holding `after`. With no `before`, every entry counts as added."""
    actor.require(actors.Role.CLERK)
    empty = LoadedList(after.list_id, "", after.source, None, ())
    changes = diff_versions(before or empty, after)
    touched = [c.after for c in changes if c.kind in ("added", "changed") and c.after is not None]
    result = DeltaResult(
        list_id=after.list_id,
        from_version=before.version if before is not None else None,
        to_version=after.version,
        added=sum(c.kind == "added" for c in changes),
        changed=sum(c.kind == "changed" for c in changes),
        removed=sum(c.kind == "removed" for c in changes),
    )
    cause = f"list update {result.from_version or after.list_id} → {after.version}"
    affected: list[Party] = []
    if touched:
        delta = Screener([LoadedList(after.list_id, after.sha256, after.source, after.published, tuple(touched))])
        parties = db.scalars(select(Party).order_by(Party.code)).all()
        affected = [p for p in parties if delta.screen(p.name, p.country).hits]
    hit_parties: set[int] = set()
    for party in affected:
        known = {h.id for h in party.hits}
        kept = records.screen_party(db, actor, party, screener)
        result.parties_rescreened.append(party.code)
        if any(h.id not in known and h.status == "open" for h in kept):
            hit_parties.add(party.id)
    detail = {"list": after.list_id, "from": result.from_version, "to": after.version}
    if hit_parties:
        for order in _open_orders(db, hit_parties):
            result.orders.append(redetermine(db, actor, order, screener, cause, detail))
    summary = result.as_dict()
    summary.pop("orders")
    ledger.append(
        db, actor.name, "lists.delta", f"list:{after.list_id}", summary, list_versions={after.list_id: after.version}
    )
    return result


# --- pack versions and dated facts ------------------------------------------------------------------------------


def _facts(before: Regime, after: Regime, day: dt.date) -> list[dict[str, Any]]:
    try:
        old, new = before.at(day), after.at(day)
    except OutsideCoverage:
        return []
    return [
        {"change": c.kind, "key": c.key, "text": c.text, "before": c.before.text if c.before else None,
         "after": c.after.text if c.after else None, "source": c.source}
        for c in diff(old, new)
    ]  # fmt: skip


# By (the order's pack version, the installed one, the ship date): the facts that changed between them, or None
# where the order's version is not kept. A pack update makes every open order due, and orders share their versions
# and many their ship dates: each comparison is made once per re-check.
_ComparedFacts = dict[tuple[str | None, str, dt.date], list[dict[str, Any]] | None]


def _pack_cause(db: Session, order: Order, installed: Regime, compared: _ComparedFacts) -> tuple[str, dict[str, Any]]:
    old_version = order.pack_version
    cause = f"pack version {old_version} → {installed.version}"
    detail: dict[str, Any] = {"trigger": "pack-version", "from": old_version, "to": installed.version}
    key = (old_version, installed.version, order.ship_date)
    if key not in compared:
        stored = db.get(PackVersion, old_version) if old_version else None
        compared[key] = None if stored is None else _facts(regimes.kept_version(stored.files), installed, key[2])
    facts = compared[key]
    if facts is None:
        detail["facts"] = None
        detail["note"] = f"pack version {old_version} is not kept in this database: its facts cannot be compared"
    else:
        detail["facts"] = list(facts)
    return cause, detail


def _other_stale(order: Order) -> list[str]:
    """The other regimes of the order whose installed pack is not the one it was determined with."""
    determined = order.other_determinations or {}
    return [r for r in order.also_under if determined.get(r, {}).get("pack_version") != regimes.regime(r).version]


def _dated_cause(regime: Regime, points: list[dt.date]) -> tuple[str, dict[str, Any]]:
    dated: list[dict[str, Any]] = []
    for point in points:
        try:
            old, new = regime.at(point - dt.timedelta(days=1)), regime.at(point)
        except OutsideCoverage:
            continue
        for c in diff(old, new):
            dated.append({"in_force_from": point.isoformat(), "change": c.kind, "key": c.key, "text": c.text,
                          "source": c.source})  # fmt: skip
    days = ", ".join(p.isoformat() for p in points)
    return f"dated fact(s) in force from {days}", {"trigger": "dated-fact", "dates": days.split(", "), "facts": dated}


def _last_determined(order: Order) -> dt.date:
    return order.updated_at.date()


def recheck(
    db: Session, actor: Actor, today: dt.date, screener: PartyScreener | None, executor: Executor = LOCAL
) -> RecheckResult:
    """Redetermine the open orders whose pack version is not the installed one, or for which a dated change
    has come into force since their last determination (on or before their ship date). With a distributed
    `executor`, the due orders' determinations are made on the cluster first, then recorded here in order."""
    actor.require(actors.Role.CLERK)
    open_orders = _open_orders(db)
    result = RecheckResult(today, len(open_orders))
    due = _due(db, open_orders, today)
    decided = _decided(due, screener, executor) if executor.distributed else {}
    for order, cause, detail in due:
        result.orders.append(redetermine(db, actor, order, screener, cause, detail, decided.get(order.number)))
    if not result.orders:
        return result  # nothing due: no record, so a repeated run leaves the database exactly as it was
    ledger.append(
        db,
        actor.name,
        "orders.recheck",
        "orders",
        {"today": today.isoformat(), "checked": result.checked, "redetermined": [o.number for o in result.orders],
         "changed": [o.number for o in result.changed]},
    )  # fmt: skip
    return result


def _decided(
    due: list[tuple[Order, str, dict[str, Any]]], screener: PartyScreener | None, executor: Executor
) -> Mapping[str, orders.Decided]:
    """By order number, the determinations of the due orders under each of their regimes, made on `executor`. An
    order whose transaction cannot be made is left to `redetermine`, which names the problem as it always has."""
    asked: list[tuple[str, str, Transaction, dict[str, set[tuple[str, str]]]]] = []
    for order, _, _ in due:
        cleared = orders.cleared_hits(order.consignee, order.end_user)
        for regime in (order.regime, *order.also_under):
            try:
                asked.append((order.number, regime, orders.transaction_of(order, regime), cleared))
            except RecordError:
                continue
    regime_ids = tuple(sorted({regime for _, regime, _, _ in asked}))
    asks = [Ask.of(transaction, cleared) for _, _, transaction, cleared in asked]
    answers = executor.answers(Job("decide", regime_ids), asks, screener)
    decided: dict[str, dict[str, tuple[Transaction, dict[str, set[tuple[str, str]]], Determination]]] = {}
    for (number, regime, transaction, cleared), answer in zip(asked, answers, strict=True):
        if not isinstance(answer, str):
            decided.setdefault(number, {})[regime] = (transaction, cleared, answer)
    return decided


def _due(db: Session, open_orders: list[Order], today: dt.date) -> list[tuple[Order, str, dict[str, Any]]]:
    """The open orders to redetermine, each with its cause and the cause's details."""
    due: list[tuple[Order, str, dict[str, Any]]] = []
    compared: _ComparedFacts = {}
    for order in open_orders:
        regime = regimes.regime(order.regime)
        if order.pack_version != regime.version:
            cause, detail = _pack_cause(db, order, regime, compared)
        elif stale := _other_stale(order):
            cause, detail = f"pack of {stale[0]} changed", {"trigger": "pack-version", "regimes": stale}
        else:
            cause, detail = "", {}
            for under in (regime, *(regimes.regime(r) for r in order.also_under)):
                points = [p for p in under.changes_between(_last_determined(order), today) if p <= order.ship_date]
                if points:
                    cause, detail = _dated_cause(under, points)
                    break
            if not cause:
                continue
        due.append((order, cause, detail))
    return due
