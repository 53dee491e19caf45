"""The audit trail over HTTP: verify the chain (against an exported head, and the business rows), read records.

An exported head's signature is checked by whoever holds its key (`exportctl audit verify --head FILE --key`);
over HTTP the caller passes the head's count and hashes, and the server checks the chain still contains them.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from sqlalchemy import select

from exportctl import ledger
from exportctl.http.api.v1 import schemas
from exportctl.http.deps import Database, Viewer
from exportctl.http.pagination import Limit, Offset, envelope, page
from exportctl.services import audit
from exportctl.services.errors import RecordError
from exportctl.store import db as store
from exportctl.store.models import AuditRecord

router = APIRouter(tags=["audit"])

SHA256 = r"^[0-9a-f]{64}$"
HeadRecords = Annotated[int | None, Query(ge=0, description="An exported head's record count")]
HeadHash = Annotated[str | None, Query(pattern=SHA256, description="An exported head's hash")]
FirstHash = Annotated[str | None, Query(pattern=SHA256, description="An exported head's first hash")]


def _anchor(records: int | None, head_hash: str | None, first_hash: str | None) -> ledger.Anchor | None:
    if records is None and head_hash is None and first_hash is None:
        return None
    if records is None or head_hash is None:
        raise RecordError("head_records, head_hash: an exported head needs both its record count and its hash")
    return ledger.Anchor(records, head_hash, first_hash)


@router.get(
    "/audit/verify",
    response_model=schemas.Verification,
    summary="Verify the hash chain (and that it contains an exported head) and the business rows against it",
)
def verify(
    request: Request,
    actor: Viewer,
    head_records: HeadRecords = None,
    head_hash: HeadHash = None,
    first_hash: FirstHash = None,
) -> dict[str, Any]:
    anchor = _anchor(head_records, head_hash, first_hash)
    # Its own read transaction: a walk over the whole ledger must not hold the write lock writers wait for.
    with store.session(request.app.state.database_url, readonly=True) as db:
        audit.consistent_snapshot(db)
        result = audit.verify(db, anchor)
    answer = audit.verification_dict(result)
    if anchor is not None:
        answer["head"] = {"records": anchor.records, "failed": None if result.ok else result.check}
    return answer


@router.get(
    "/audit/records",
    response_model=schemas.Page[schemas.AuditRecord],
    summary="Audit records in chain order; filter by subject or action",
)
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
