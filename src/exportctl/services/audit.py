"""Replaying a recorded determination with the pack version it cites, and exporting the trail."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exportctl import render
from exportctl.determine.engine import determine
from exportctl.model import ScreeningHit, Transaction
from exportctl.regime import Regime
from exportctl.regime.loader import parse_pack
from exportctl.services.records import RecordError
from exportctl.store.models import AuditRecord, PackVersion


@dataclass
class _RecordedScreener:
    """Gives back exactly the screening hits the determination saw, so the replay needs no list files."""

    hits: dict[tuple[str, str | None], tuple[ScreeningHit, ...]]  # by the (name, country) the engine asked
    lists: frozenset[str]

    def screen_party(self, name: str, country: str | None) -> tuple[ScreeningHit, ...]:
        return self.hits.get((name, country), ())

    def has_list(self, list_id: str) -> bool:
        return list_id in self.lists


def _hit(data: dict[str, Any]) -> ScreeningHit:
    return ScreeningHit(
        list_id=data["list"],
        list_version=data["list_version"],
        entity_id=data["entity_id"],
        name=data["name"],
        matched_name=data["matched_name"],
        score=data["score"],
        countries=tuple(data["countries"]),
        concerns=tuple(data["concerns"]),
        programs=tuple(data["programs"]),
        explanation=data["explanation"],
    )


@dataclass(frozen=True)
class Replay:
    record_id: int
    pack_version: str
    identical: bool
    recorded: dict[str, Any]
    replayed: dict[str, Any]


def replay(db: Session, record_id: int) -> Replay:
    record = db.get(AuditRecord, record_id)
    if record is None:
        raise RecordError(f"audit record {record_id} does not exist")
    if record.action != "order.determine" or record.pack_version is None:
        raise RecordError(f"audit record {record_id} is '{record.action}', not a determination")
    stored = db.get(PackVersion, record.pack_version)
    if stored is None:
        raise RecordError(f"pack version {record.pack_version} is not kept in this database")
    regime = Regime(parse_pack(stored.files))
    payload = record.payload
    transaction = Transaction.model_validate(payload["transaction"])
    # The engine screens the end user in its country (else the destination) and the consignee in the
    # destination; a party that is both is one query, so its hits are recorded twice, not to be added up.
    hits: dict[tuple[str, str | None], tuple[ScreeningHit, ...]] = {}
    queries = (
        ("end_user", transaction.end_user, transaction.end_user_country or transaction.destination),
        ("consignee", transaction.consignee, transaction.destination),
    )
    for role, name, country in queries:
        if name is not None:
            hits[(name, country)] = tuple(_hit(h) for h in payload["screening"][role])
    screener = _RecordedScreener(hits, frozenset(record.list_versions))
    snapshot = regime.at(transaction.date)
    replayed = render.determination_dict(
        snapshot, determine(snapshot, transaction, screener if record.list_versions else None)
    )
    recorded = payload["determination"]
    return Replay(record_id, record.pack_version, replayed == recorded, recorded, replayed)


def export(db: Session, batch: int = 5000) -> Iterator[str]:
    """Every record as one JSON line, in chain order."""
    last = 0
    while True:
        rows = db.scalars(select(AuditRecord).where(AuditRecord.id > last).order_by(AuditRecord.id).limit(batch)).all()
        if not rows:
            return
        for row in rows:
            yield json.dumps(
                {
                    "id": row.id,
                    "at": row.at.isoformat(),
                    "actor": row.actor,
                    "action": row.action,
                    "subject": row.subject,
                    "payload": row.payload,
                    "pack_version": row.pack_version,
                    "list_versions": row.list_versions,
                    "prev_hash": row.prev_hash,
                    "hash": row.hash,
                },
                ensure_ascii=False,
            )
        last = rows[-1].id
        db.expunge_all()
