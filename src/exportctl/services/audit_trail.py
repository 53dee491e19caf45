"""The audit trail of one order, party or licence: its ledger records, newest first, each checked.

A page view cannot walk the whole chain (a million records take half a minute): each record shown is checked
against its neighbours instead (`ledger.check_records`): its own hash, its links both ways, the determinations it
cites. A record changed, with or without its hash recomputed, fails; `exportctl audit verify` and the API's
/audit/verify walk the whole chain.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exportctl import ledger
from exportctl.services.errors import NotFound, shown
from exportctl.store.models import AuditRecord, Licence, Order, Party

# The kinds of subject a trail is shown for, and the column that names one (the ledger's subject is "kind:name").
SUBJECTS: dict[str, Any] = {"order": Order.number, "party": Party.code, "licence": Licence.number}

VERIFIED, BROKEN = "verified", "broken"


@dataclass(frozen=True)
class TrailRecord:
    id: int
    at: dt.datetime
    actor: str
    action: str
    payload: dict[str, Any]
    state: str  # VERIFIED or BROKEN
    problem: str  # why BROKEN (empty otherwise)


@dataclass(frozen=True)
class PageCheck:
    """What the checks of the records shown found: all hold, or the first (lowest) record that fails and why."""

    ok: bool
    checked: int
    first_bad: int | None
    problem: str


@dataclass(frozen=True)
class Trail:
    kind: str
    name: str
    records: list[TrailRecord]  # one page, newest first
    total: int
    chain: PageCheck


def subject_of(db: Session, kind: str, name: str) -> str:
    """The ledger subject of an existing order, party or licence; NotFound for any other kind or name."""
    column = SUBJECTS.get(kind)
    if column is None:
        raise NotFound(f"audit trails are kept for {', '.join(SUBJECTS)}, not {shown(kind)}")
    if db.scalar(select(func.count()).where(column == name)) == 0:
        raise NotFound(f"{kind} {shown(name)} does not exist")
    return f"{kind}:{name}"


def trail(db: Session, kind: str, name: str, limit: int, offset: int) -> Trail:
    """One page of the subject's records, newest first, each checked against its neighbours in the chain
    (`ledger.check_records`): bounded by the page, not the ledger. Call in a read transaction that sees one
    snapshot (audit.consistent_snapshot), or a commit mid-check looks like damage."""
    subject = subject_of(db, kind, name)
    total = db.scalar(select(func.count()).select_from(AuditRecord).where(AuditRecord.subject == subject)) or 0
    rows = db.scalars(
        select(AuditRecord)
        .where(AuditRecord.subject == subject)
        .order_by(AuditRecord.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    problems = ledger.check_records(db, (row.id for row in rows))
    records = [
        TrailRecord(
            row.id,
            row.at,
            row.actor,
            row.action,
            dict(row.payload),
            VERIFIED if problems[row.id] is None else BROKEN,
            problems[row.id] or "",
        )
        for row in rows
    ]
    broken = [record for record in records if record.state == BROKEN]
    first = min(broken, key=lambda record: record.id) if broken else None
    check = (
        PageCheck(True, len(records), None, "")
        if first is None
        else PageCheck(False, len(records), first.id, first.problem)
    )
    return Trail(kind, name, records, total, check)
