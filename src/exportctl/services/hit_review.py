"""Re-opening a reviewed screening hit, the hold on a party's orders while a hit stands, and each hit's review
history as the ledger tells it.

A re-opened hit is pending review again, as if the screener had just found it: the party's unshipped orders are
determined again (the hit is no longer cleared, so a screener that still produces it blocks them the way any
open hit does). That alone is not enough to fail closed: the lists loaded now may no longer produce the hit (a
changed entry, a list not loaded, a party renamed since), and then the determination would release the order
while an officer has just said the hit needs review. So every order that the determination leaves `released`
while the party has a hit not cleared as a false positive is held, `screening-hit`, with its own ledger record;
the next determination (the officer's review of the hit, or any change) decides afresh.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from exportctl import ledger
from exportctl.core_types import PartyScreener
from exportctl.services import orders
from exportctl.services.actors import Actor, Role
from exportctl.services.errors import Conflict, NotFound, RecordError
from exportctl.services.records import check_text
from exportctl.store.models import AuditRecord, Order, Party, PartyHit

REVIEW_ACTIONS = ("party.review", "party.reopen")


def unshipped_orders(db: Session, party: Party) -> list[Order]:
    """The party's orders that have not shipped (as consignee or end user), by number."""
    statement = select(Order).where(
        Order.status != "shipped", or_(Order.consignee_id == party.id, Order.end_user_id == party.id)
    )
    return list(db.scalars(statement.order_by(Order.number)).all())


def standing_hits(party: Party) -> list[PartyHit]:
    """The hits an officer has not cleared as false positives: open (pending review) or confirmed."""
    return [h for h in party.hits if h.status != "false-positive"]


def redetermine_and_hold(
    db: Session, actor: Actor, party: Party, screener: PartyScreener | None, cause: str
) -> list[Order]:
    """Determine the party's unshipped orders again; hold any left released while a hit stands (see above)."""
    determined = [orders.determine_order(db, actor, order, screener, cause) for order in unshipped_orders(db, party)]
    hold_while_standing(db, actor, party, determined, cause)
    return determined


def hold_while_standing(db: Session, actor: Actor, party: Party, determined: list[Order], cause: str) -> list[str]:
    """Hold those of the party's just-determined orders left released while a hit of the party stands; their
    numbers. Call right after determining them (same transaction: the orders are locked)."""
    standing = standing_hits(party)
    held: list[str] = []
    for order in determined if standing else []:
        if order.status == "released":
            _hold(db, actor, order, party, standing, cause)
            held.append(order.number)
    return held


def _hold(db: Session, actor: Actor, order: Order, party: Party, standing: list[PartyHit], cause: str) -> None:
    order.blocking_reasons = [*order.blocking_reasons, orders.SCREENING_HIT]
    order.status = "blocked"
    order.updated_at = dt.datetime.now(dt.UTC)
    db.flush()
    # `status` in the payload: the audit's cross-check reads an order's status from its ledger records.
    ledger.append(
        db,
        actor.name,
        "order.hold",
        f"order:{order.number}",
        {
            "cause": cause,
            "party": party.code,
            "hits": [{"hit": h.id, "list": h.list_id, "entity_id": h.entity_id, "status": h.status} for h in standing],
            "status": order.status,
            "blocking_reasons": list(order.blocking_reasons),
        },
        pack_version=order.pack_version,
    )


def reopen_hit(
    db: Session, actor: Actor, party: Party, hit_id: int, reason: str, screener: PartyScreener | None
) -> PartyHit:
    """An officer puts a confirmed or cleared hit of the party back to pending review, with a reason; the
    party's orders are determined again and held while it stands, in the same transaction."""
    actor.require(Role.OFFICER)
    if not (check_text("reason", reason) or "").strip():
        raise RecordError("reason: re-opening a review needs a reason")
    # Locked (PostgreSQL; SQLite writers are serialised): a concurrent review cannot interleave with this one.
    hit = db.get(PartyHit, hit_id, with_for_update=True, populate_existing=True)
    if hit is None or hit.party_id != party.id:
        raise NotFound(f"hit {hit_id} of party '{party.code}' does not exist")
    if hit.status == "open":
        raise Conflict(f"hit {hit_id} is already pending review")
    previous = {"decision": hit.status, "reviewed_by": hit.reviewed_by, "reason": hit.review_reason}
    hit.status, hit.reviewed_by, hit.reviewed_at, hit.review_reason = "open", None, None, None
    party.screening_status = "hits"
    db.flush()
    ledger.append(
        db,
        actor.name,
        "party.reopen",
        f"party:{party.code}",
        {"hit": hit_id, "list": hit.list_id, "entity_id": hit.entity_id, "previous": previous, "reason": reason},
        list_versions={hit.list_id: hit.list_version},
    )
    redetermine_and_hold(db, actor, party, screener, f"screening review re-opened: hit {hit_id}")
    return hit


@dataclass(frozen=True)
class ReviewEvent:
    """One review decision or re-opening of a hit, from the ledger."""

    at: dt.datetime
    actor: str
    action: str  # party.review | party.reopen
    decision: str  # confirmed | false-positive | open (re-opened)
    reason: str


def review_history(db: Session, party: Party) -> dict[int, list[ReviewEvent]]:
    """By hit id, the reviews and re-openings of the party's hits in the order they were recorded."""
    statement = (
        select(AuditRecord)
        .where(AuditRecord.subject == f"party:{party.code}", AuditRecord.action.in_(REVIEW_ACTIONS))
        .order_by(AuditRecord.id)
    )
    history: dict[int, list[ReviewEvent]] = {}
    for record in db.scalars(statement):
        payload: dict[str, Any] = record.payload if isinstance(record.payload, dict) else {}
        hit = payload.get("hit")
        if not isinstance(hit, int):
            continue
        decision = "open" if record.action == "party.reopen" else str(payload.get("decision", ""))
        event = ReviewEvent(record.at, record.actor, record.action, decision, str(payload.get("reason") or ""))
        history.setdefault(hit, []).append(event)
    return history
