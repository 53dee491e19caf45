"""The audit trail over HTTP: verify the chain, read records."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import select

from exportctl import ledger
from exportctl.api.deps import Database, Viewer
from exportctl.api.v1.pages import Limit, Offset, envelope, page
from exportctl.store.models import AuditRecord

router = APIRouter(tags=["audit"])


@router.get("/audit/verify", summary="Verify the hash chain; names the first bad record")
def verify(db: Database, actor: Viewer) -> dict[str, Any]:
    result = ledger.verify(db)
    return {"ok": result.ok, "checked": result.checked, "first_bad": result.first_bad, "problem": result.problem}


@router.get("/audit/records", summary="Audit records in chain order; filter by subject or action")
def records(
    db: Database,
    actor: Viewer,
    limit: Limit = 50,
    offset: Offset = 0,
    subject: str | None = None,
    action: str | None = None,
) -> dict[str, Any]:
    statement = select(AuditRecord).order_by(AuditRecord.id)
    if subject:
        statement = statement.where(AuditRecord.subject == subject)
    if action:
        statement = statement.where(AuditRecord.action == action)
    rows, total = page(db, statement, limit, offset)
    items = [
        {
            "id": r.id,
            "at": r.at.isoformat(),
            "actor": r.actor,
            "action": r.action,
            "subject": r.subject,
            "payload": r.payload,
            "pack_version": r.pack_version,
            "list_versions": r.list_versions,
            "hash": r.hash,
            "prev_hash": r.prev_hash,
        }
        for r in rows
    ]
    return envelope(items, total, limit, offset)
