"""The audit trail: append-only records, each holding the hash of the one before.

A record's hash covers its id, time, actor, action, subject, payload, pack and list versions and the previous
hash, in a canonical JSON form that survives a database round trip. Appends lock the single `ledger_head`
row, so concurrent writers extend the chain one at a time. `verify` walks the chain in id order and names
the first record that was modified, deleted or reordered; the head row catches records cut from the end.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from exportctl.store.models import AuditRecord, LedgerHead

GENESIS = "0" * 64
HEAD_ID = 1


def _utc(moment: dt.datetime) -> str:
    """Timestamps as naive UTC ISO text: SQLite returns them without a zone, PostgreSQL with one."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds")


def record_hash(
    record_id: int,
    at: dt.datetime,
    actor: str,
    action: str,
    subject: str,
    payload: Mapping[str, Any],
    pack_version: str | None,
    list_versions: Mapping[str, Any],
    prev_hash: str,
) -> str:
    canonical = json.dumps(
        {
            "id": record_id,
            "at": _utc(at),
            "actor": actor,
            "action": action,
            "subject": subject,
            "payload": payload,
            "pack_version": pack_version,
            "list_versions": list_versions,
            "prev_hash": prev_hash,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _head(db: Session) -> LedgerHead:
    statement = select(LedgerHead).where(LedgerHead.id == HEAD_ID)
    if db.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update()
    head = db.scalars(statement.execution_options(populate_existing=True)).first()  # the locked row, not a stale copy
    if head is None:
        head = LedgerHead(id=HEAD_ID, last_id=0, last_hash=GENESIS)
        db.add(head)
        db.flush()
    return head


def append(
    db: Session,
    actor: str,
    action: str,
    subject: str,
    payload: Mapping[str, Any],
    *,
    pack_version: str | None = None,
    list_versions: Mapping[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> AuditRecord:
    """Add one record in the caller's transaction (it commits or rolls back with the change it records)."""
    head = _head(db)
    record_id = head.last_id + 1
    moment = at or dt.datetime.now(dt.UTC)
    versions = dict(list_versions or {})
    content = json.loads(json.dumps(payload, default=str))  # exactly what the database will give back
    digest = record_hash(record_id, moment, actor, action, subject, content, pack_version, versions, head.last_hash)
    record = AuditRecord(
        id=record_id,
        at=moment,
        actor=actor,
        action=action,
        subject=subject,
        payload=content,
        pack_version=pack_version,
        list_versions=versions,
        prev_hash=head.last_hash,
        hash=digest,
    )
    db.add(record)
    head.last_id, head.last_hash = record_id, digest
    db.flush()
    return record


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    first_bad: int | None = None
    problem: str = ""


_COLUMNS = (
    AuditRecord.id,
    AuditRecord.at,
    AuditRecord.actor,
    AuditRecord.action,
    AuditRecord.subject,
    AuditRecord.payload,
    AuditRecord.pack_version,
    AuditRecord.list_versions,
    AuditRecord.prev_hash,
    AuditRecord.hash,
)


def _records(db: Session, batch: int) -> Iterator[Row[Any]]:
    """The records in id order, as plain rows (no ORM objects: the walk reads each once)."""
    last = 0
    while True:
        rows = db.execute(select(*_COLUMNS).where(AuditRecord.id > last).order_by(AuditRecord.id).limit(batch)).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].id


def verify(db: Session, batch: int = 5000) -> Verification:
    expected_prev, expected_id, checked = GENESIS, 1, 0
    for record in _records(db, batch):
        if record.id != expected_id:
            return Verification(False, checked, expected_id, f"record {expected_id} is missing (next is {record.id})")
        if record.prev_hash != expected_prev:
            return Verification(False, checked, record.id, "previous-hash link broken (a record was changed or moved)")
        digest = record_hash(
            record.id,
            record.at,
            record.actor,
            record.action,
            record.subject,
            record.payload,
            record.pack_version,
            record.list_versions,
            record.prev_hash,
        )
        if digest != record.hash:
            return Verification(False, checked, record.id, "content does not match its hash (the record was modified)")
        expected_prev, expected_id, checked = record.hash, record.id + 1, checked + 1
    head = db.get(LedgerHead, HEAD_ID)
    if head is not None and (head.last_id != checked or head.last_hash != expected_prev):
        return Verification(False, checked, checked + 1, f"records {checked + 1}…{head.last_id} are missing at the end")
    return Verification(True, checked)
