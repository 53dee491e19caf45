"""Master data: users, parties (with screening and its review) and items (with classification history).

Every change goes through here and is written to the audit ledger in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exportctl import ledger
from exportctl.determine.classify import UnknownItem, classify_item
from exportctl.model import ScreeningHit
from exportctl.screening.screener import Screener
from exportctl.services import checking
from exportctl.store.models import Classification, Item, Party, PartyHit, User

ROLES = ("viewer", "clerk", "officer", "admin")
WRITERS = ("clerk", "officer", "admin")


class RecordError(ValueError):
    """A request the records refuse: names the field or record."""


class PermissionDenied(RecordError):
    pass


@dataclass(frozen=True)
class Actor:
    name: str
    role: str

    def require(self, *roles: str) -> None:
        if self.role not in roles:
            raise PermissionDenied(f"{self.name} ({self.role}) may not do this: needs {' or '.join(roles)}")


SYSTEM = Actor("system", "admin")


def add_user(db: Session, actor: Actor, name: str, role: str) -> User:
    actor.require("admin")
    if role not in ROLES:
        raise RecordError(f"role: '{role}' is not one of {', '.join(ROLES)}")
    if db.scalars(select(User).where(User.name == name)).first():
        raise RecordError(f"user '{name}' exists")
    user = User(name=name, role=role)
    db.add(user)
    db.flush()
    ledger.append(db, actor.name, "user.add", f"user:{name}", {"name": name, "role": role})
    return user


def actor_named(db: Session, name: str) -> Actor:
    user = db.scalars(select(User).where(User.name == name)).first()
    if user is None:
        raise RecordError(f"user '{name}' does not exist (exportctl users add)")
    return Actor(user.name, user.role)


# --- parties --------------------------------------------------------------------------------------------------


def party_by_code(db: Session, code: str) -> Party:
    party = db.scalars(select(Party).where(Party.code == code)).first()
    if party is None:
        raise RecordError(f"party '{code}' does not exist")
    return party


def add_party(
    db: Session, actor: Actor, code: str, name: str, country: str | None, roles: list[str], screener: Screener | None
) -> Party:
    actor.require(*WRITERS)
    if db.scalars(select(Party).where(Party.code == code)).first():
        raise RecordError(f"party '{code}' exists")
    party = Party(code=code, name=name, country=country, roles=roles)
    db.add(party)
    db.flush()
    ledger.append(db, actor.name, "party.add", f"party:{code}", {"name": name, "country": country, "roles": roles})
    if screener is not None:
        screen_party(db, actor, party, screener)
    return party


def _fingerprint(screener: Screener, hit: ScreeningHit) -> str:
    entity = screener.index.entities.get(hit.entity_id)
    return entity.fingerprint() if entity else "unknown"


def screen_party(db: Session, actor: Actor, party: Party, screener: Screener) -> list[PartyHit]:
    """Screen a party; remember each hit. A false-positive review holds while the list entry is unchanged."""
    now = dt.datetime.now(dt.UTC)
    hits = screener.screen(party.name, party.country).hits
    kept: list[PartyHit] = []
    for hit in hits:
        fingerprint = _fingerprint(screener, hit)
        record = db.scalars(
            select(PartyHit).where(
                PartyHit.party_id == party.id,
                PartyHit.list_id == hit.list_id,
                PartyHit.entity_id == hit.entity_id,
                PartyHit.entity_fingerprint == fingerprint,
            )
        ).first()
        if record is None:
            record = PartyHit(
                party_id=party.id,
                list_id=hit.list_id,
                list_version=hit.list_version,
                entity_id=hit.entity_id,
                entity_fingerprint=fingerprint,
                entity_name=hit.name,
                matched_name=hit.matched_name,
                score=hit.score,
                explanation=dict(hit.explanation),
            )
            db.add(record)
        else:
            record.last_seen, record.list_version, record.score = now, hit.list_version, hit.score
        kept.append(record)
    party.screening_status = "hits" if any(h.status != "false-positive" for h in kept) else "clear"
    party.screened_at = now
    party.list_versions = screener.versions
    db.flush()
    ledger.append(
        db,
        actor.name,
        "party.screen",
        f"party:{party.code}",
        {
            "name": party.name,
            "country": party.country,
            "hits": [{"list": h.list_id, "entity_id": h.entity_id, "score": h.score, "status": h.status} for h in kept],
        },
        list_versions=screener.versions,
    )
    return kept


def review_hit(db: Session, actor: Actor, hit_id: int, decision: str, reason: str) -> PartyHit:
    actor.require("officer", "admin")
    if decision not in ("confirmed", "false-positive"):
        raise RecordError(f"decision: '{decision}' is not confirmed or false-positive")
    if decision == "false-positive" and not reason.strip():
        raise RecordError("reason: a false-positive decision needs a reason")
    hit = db.get(PartyHit, hit_id)
    if hit is None:
        raise RecordError(f"hit {hit_id} does not exist")
    hit.status, hit.reviewed_by, hit.reviewed_at, hit.review_reason = (
        decision,
        actor.name,
        dt.datetime.now(dt.UTC),
        reason,
    )
    party = hit.party
    party.screening_status = "hits" if any(h.status != "false-positive" for h in party.hits) else "clear"
    db.flush()
    ledger.append(
        db,
        actor.name,
        "party.review",
        f"party:{party.code}",
        {"hit": hit_id, "list": hit.list_id, "entity_id": hit.entity_id, "decision": decision, "reason": reason},
        list_versions={hit.list_id: hit.list_version},
    )
    return hit


def false_positives(party: Party) -> set[tuple[str, str]]:
    """(list, entity) pairs an officer cleared for this party; a changed list entry is a new hit, not these."""
    return {(h.list_id, h.entity_id) for h in party.hits if h.status == "false-positive"}


# --- items ----------------------------------------------------------------------------------------------------


def item_by_code(db: Session, code: str) -> Item:
    item = db.scalars(select(Item).where(Item.code == code)).first()
    if item is None:
        raise RecordError(f"item '{code}' does not exist")
    return item


def add_item(db: Session, actor: Actor, code: str, description: str, hs_code: str | None) -> Item:
    actor.require(*WRITERS)
    if db.scalars(select(Item).where(Item.code == code)).first():
        raise RecordError(f"item '{code}' exists")
    item = Item(code=code, description=description, hs_code=hs_code)
    db.add(item)
    db.flush()
    ledger.append(db, actor.name, "item.add", f"item:{code}", {"description": description, "hs_code": hs_code})
    return item


def classify(
    db: Session, actor: Actor, item: Item, regime: str, reference: str, rationale: str, valid_from: dt.date
) -> Classification:
    """Record a classification (a reclassification adds a row; the history stays)."""
    actor.require(*WRITERS)
    loaded = checking.regime(regime)
    snapshot = loaded.at(max(valid_from, loaded.pack.meta.coverage_from))
    try:
        result = classify_item(snapshot, reference, snapshot.known_entries)
    except UnknownItem as exc:
        raise RecordError(f"classification: {exc}") from exc
    entries = [m.entry for m in result.matches]
    record = Classification(
        item_id=item.id,
        regime=regime,
        reference=reference,
        entries=entries,
        rationale=rationale,
        classified_by=actor.name,
        valid_from=valid_from,
    )
    db.add(record)
    db.flush()
    payload: dict[str, Any] = {"reference": reference, "entries": entries, "rationale": rationale}
    payload["valid_from"] = valid_from.isoformat()
    ledger.append(db, actor.name, "item.classify", f"item:{item.code}", payload, pack_version=loaded.version)
    return record


def classification_on(item: Item, regime: str, day: dt.date) -> Classification | None:
    """The classification in force on a day: the latest recorded one valid from that day or earlier."""
    valid = [c for c in item.classifications if c.regime == regime and c.valid_from <= day]
    return max(valid, key=lambda c: (c.valid_from, c.id)) if valid else None
