"""The determination record of an order: what an auditor signs and files, gathered from the stored records.

Everything here is read from what was recorded when the order was decided, never worked out again: the stored
determinations (own regime first, then the others), the ledger record of the current determination (its id and
hash tie the printed page to `exportctl audit verify`, and its list versions are those the parties were screened
against), each screening hit with the officer's review of it, the officers' releases, and the partial shipments
(each line's part, the licences it drew and who recorded it, read from the ledger records of the shipment).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exportctl import records_json
from exportctl.services.actors import Actor, Role
from exportctl.services.orders import SHIP_PART, order_by_number
from exportctl.store.models import AuditRecord, Order, Party, PartyHit

DETERMINE = "order.determine"
DRAWDOWN = "licence.drawdown"


@dataclass(frozen=True)
class LedgerEntry:
    """The ledger record that recorded the order's current determination."""

    id: int
    hash: str
    at: dt.datetime
    actor: str
    list_versions: dict[str, str]


@dataclass(frozen=True)
class Evidence:
    """One screening hit on one of the order's parties, with the officer's review of it (none while open)."""

    regime: str
    role: str  # consignee | end_user
    hit: dict[str, Any]  # as the determination recorded it (list, version, entity, matched name, score, explanation)
    status: str  # open | confirmed | false-positive
    reviewed_by: str | None
    reviewed_at: dt.datetime | None
    review_reason: str | None


@dataclass(frozen=True)
class PartShipped:
    """One line's part of a partial shipment, as the ledger recorded it."""

    shipped_on: str  # the day it left (YYYY-MM-DD)
    line: int
    quantity: float
    value_jpy: int
    licences: list[str]  # the licences drawn for it (one per regime that needed one); none when none was needed
    recorded_by: str
    recorded_at: dt.datetime
    ledger_id: int


@dataclass(frozen=True)
class OrderRecord:
    order: Order
    data: dict[str, Any]  # records_json.order_dict: lines, releases, …
    determinations: list[tuple[str, dict[str, Any]]]  # (regime, determination), the order's own regime first
    ledger: LedgerEntry | None  # None only for an order never determined
    evidence: list[Evidence]
    parts: list[PartShipped]
    printed_at: dt.datetime
    printed_by: str


def order_record(db: Session, actor: Actor, number: str, now: dt.datetime | None = None) -> OrderRecord:
    """The printable record of an order (viewer and up)."""
    actor.require(Role.VIEWER)
    order = order_by_number(db, number)
    determinations = [(order.regime, order.determination), *order.other_determinations.items()]
    return OrderRecord(
        order=order,
        data=records_json.order_dict(order),
        determinations=determinations,
        ledger=_ledger_entry(db, order),
        evidence=_evidence(order, determinations),
        parts=_parts(db, order),
        printed_at=now or dt.datetime.now(dt.UTC),
        printed_by=actor.name,
    )


def _ledger_entry(db: Session, order: Order) -> LedgerEntry | None:
    """The newest `order.determine` record citing the order's current determination (a re-check that changed
    nothing cites the same one again: the newest is the one the order's state comes from)."""
    if order.determination_sha256 is None:
        return None
    rows = db.scalars(
        select(AuditRecord)
        .where(AuditRecord.action == DETERMINE, AuditRecord.subject == f"order:{order.number}")
        .order_by(AuditRecord.id.desc())
    )
    for row in rows:
        if row.payload.get("determination_sha256") == order.determination_sha256:
            versions = {str(k): str(v) for k, v in (row.list_versions or {}).items()}
            return LedgerEntry(row.id, row.hash, row.at, row.actor, versions)
    return None


def _parts(db: Session, order: Order) -> list[PartShipped]:
    """The order's partial shipments, oldest first, a row per line shipped. A shipment's drawdowns are the
    `licence.drawdown` records just before its own in the chain (written in its transaction, under the ledger's
    head: nothing else comes between them)."""
    lines = {line.id: line.line_no for line in order.lines}
    found: list[PartShipped] = []
    shipments = db.scalars(
        select(AuditRecord)
        .where(AuditRecord.action == SHIP_PART, AuditRecord.subject == f"order:{order.number}")
        .order_by(AuditRecord.id)
    )
    for shipment in shipments:
        before = db.scalar(
            select(func.max(AuditRecord.id)).where(AuditRecord.id < shipment.id, AuditRecord.action != DRAWDOWN)
        )
        drawn: dict[int, list[str]] = {}
        for draw in db.scalars(
            select(AuditRecord)
            .where(AuditRecord.id > (before or 0), AuditRecord.id < shipment.id, AuditRecord.action == DRAWDOWN)
            .order_by(AuditRecord.id)
        ):
            line_no = lines.get(int(draw.payload.get("order_line") or 0))
            if line_no is not None:
                drawn.setdefault(line_no, []).append(draw.subject.removeprefix("licence:"))
        for line_no, part in sorted(shipment.payload.get("lines", {}).items(), key=lambda kv: int(kv[0])):
            found.append(
                PartShipped(
                    shipped_on=str(shipment.payload.get("shipped_on", "")),
                    line=int(line_no),
                    quantity=float(part["quantity"]),
                    value_jpy=int(part["value_jpy"]),
                    licences=drawn.get(int(line_no), []),
                    recorded_by=shipment.actor,
                    recorded_at=shipment.at,
                    ledger_id=shipment.id,
                )
            )
    return found


def _evidence(order: Order, determinations: list[tuple[str, dict[str, Any]]]) -> list[Evidence]:
    """The hits of every determination with their reviews, then the hits an officer cleared as false positives
    (a cleared hit no longer reaches the determination, but clearing it is part of the evidence)."""
    found: list[Evidence] = []
    shown: set[tuple[str, str, str]] = set()
    parties = {"consignee": order.consignee, "end_user": order.end_user}
    for regime, determination in determinations:
        for role, party in parties.items():
            for hit in determination.get(f"{role}_hits") or []:
                review = _review(party, hit.get("list", ""), hit.get("entity_id", ""))
                found.append(_with_review(regime, role, hit, review))
                shown.add((role, hit.get("list", ""), hit.get("entity_id", "")))
    for role, party in parties.items():
        for stored in party.hits if party is not None else []:
            if stored.status == "false-positive" and (role, stored.list_id, stored.entity_id) not in shown:
                shown.add((role, stored.list_id, stored.entity_id))
                found.append(_with_review(order.regime, role, _hit_of(stored), stored))
    return found


def _review(party: Party | None, list_id: str, entity_id: str) -> PartyHit | None:
    """The party's newest stored hit on this list entry (a changed entry is a new hit to review)."""
    if party is None:
        return None
    same = [h for h in party.hits if h.list_id == list_id and h.entity_id == entity_id]
    return max(same, key=lambda h: h.id) if same else None


def _with_review(regime: str, role: str, hit: dict[str, Any], review: PartyHit | None) -> Evidence:
    return Evidence(
        regime=regime,
        role=role,
        hit=hit,
        status=review.status if review else "open",
        reviewed_by=review.reviewed_by if review else None,
        reviewed_at=review.reviewed_at if review else None,
        review_reason=review.review_reason if review else None,
    )


def _hit_of(stored: PartyHit) -> dict[str, Any]:
    return {
        "list": stored.list_id,
        "list_version": stored.list_version,
        "entity_id": stored.entity_id,
        "name": stored.entity_name,
        "matched_name": stored.matched_name,
        "score": stored.score,
        "explanation": stored.explanation,
    }
