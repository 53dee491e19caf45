"""The audit trail of an order, party or licence: its ledger records, newest first, and whether the chain holds.

Readable by officers and admins (the `Officer` dependency: officer or above). Clerks and viewers get 403: the
trail names who did what, and an officer is the one who answers for it.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from exportctl.http.deps import Officer
from exportctl.http.web.paging import PAGE_SIZE, PageNumber, pager
from exportctl.http.web.templating import render
from exportctl.services import audit, audit_trail
from exportctl.store import db as store

router = APIRouter()


@router.get("/audit/{subject_kind}/{subject_id}")
def audit_trail_page(
    subject_kind: str, subject_id: str, request: Request, actor: Officer, page: PageNumber = 1
) -> Response:
    # Its own read transaction, one snapshot: the chain walk must neither hold the write lock nor see a commit
    # made halfway through it (as the API's /audit/verify).
    with store.session(request.app.state.database_url, readonly=True) as db:
        audit.consistent_snapshot(db)
        trail = audit_trail.trail(db, subject_kind, subject_id, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    return render(request, "audit_trail.html", actor, trail=trail, pager=pager(request, page, trail.total))
