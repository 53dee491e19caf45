"""The screening workbench: parties with open hits and why each matched; officers confirm or clear them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from sqlalchemy import exists, select
from sqlalchemy.orm import selectinload
from starlette.responses import RedirectResponse, Response

from exportctl import render as plain
from exportctl.api.deps import Database, Officer, Viewer
from exportctl.screening.screener import Screener
from exportctl.services import records
from exportctl.store.models import Party, PartyHit
from exportctl.web.paging import PageNumber, paged
from exportctl.web.templating import flash, render

router = APIRouter()
RECENT = 20


@router.get("/screening")
def workbench(
    request: Request,
    db: Database,
    actor: Viewer,
    name: Annotated[str, Query(max_length=500)] = "",
    country: Annotated[str, Query(pattern="^([A-Za-z]{2})?$")] = "",
    page: PageNumber = 1,
) -> Response:
    open_hit = exists().where(PartyHit.party_id == Party.id, PartyHit.status == "open")
    statement = select(Party).where(open_hit).options(selectinload(Party.hits)).order_by(Party.code)
    parties, pager = paged(db, request, statement, page)
    reviewed = db.scalars(
        select(PartyHit).where(PartyHit.status != "open").order_by(PartyHit.reviewed_at.desc()).limit(RECENT)
    ).all()
    return render(
        request,
        "screening.html",
        actor,
        parties=parties,
        pager=pager,
        reviewed=reviewed,
        name=name,
        country=country.upper(),
        quick=quick_screen(request, name, country.upper()) if name.strip() else None,
    )


def quick_screen(request: Request, name: str, country: str) -> list[dict[str, Any]] | None:
    """Hits for a name against the loaded lists; None when no list is loaded."""
    screener = request.app.state.screener
    if not isinstance(screener, Screener):
        return None
    result = screener.screen(name.strip(), country or None)
    return [plain.hit_dict(hit) for hit in result.hits]


@router.post("/screening/hits/{hit_id}/review")
def review(
    hit_id: int,
    request: Request,
    db: Database,
    actor: Officer,
    decision: Annotated[str, Form(pattern="^(confirmed|false-positive)$")],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    hit = records.review_hit(db, actor, hit_id, decision, reason, request.app.state.screener)
    flash(request, "screen.reviewed")
    return RedirectResponse(f"/screening#party-{hit.party.code}", status_code=303)
