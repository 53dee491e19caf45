"""The screening workbench: parties with open hits and why each matched; officers confirm or clear them."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session, selectinload
from starlette.responses import RedirectResponse, Response

from exportctl import determination_json
from exportctl.countries import alpha_2
from exportctl.http.deps import Database, Officer, Viewer
from exportctl.http.web.paging import PAGE_SIZE, PageNumber, paged
from exportctl.http.web.templating import flash, render
from exportctl.screening.screener import Screener
from exportctl.services import errors, records
from exportctl.store.models import Party, PartyHit

router = APIRouter()
RECENT = 20


def _open_hit() -> ColumnElement[bool]:
    """The workbench lists the parties with a hit still open, by code."""
    return exists().where(PartyHit.party_id == Party.id, PartyHit.status == "open")


@router.get("/screening")
def workbench(
    request: Request,
    db: Database,
    actor: Viewer,
    name: Annotated[str, Query(max_length=500)] = "",
    country: Annotated[str, Query(max_length=20)] = "",
    page: PageNumber = 1,
) -> Response:
    try:  # the one country rule (an empty field: no country); XX or ZZ is a clear error, not a silent qualifier
        code = alpha_2(country) if country.strip() else ""
    except ValueError as exc:
        raise errors.Invalid(f"country: {exc}") from None
    statement = select(Party).where(_open_hit()).options(selectinload(Party.hits)).order_by(Party.code)
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
        country=code,
        quick=quick_screen(request, name, code) if name.strip() else None,
    )


def quick_screen(request: Request, name: str, country: str) -> list[dict[str, Any]] | None:
    """Hits for a name against the loaded lists; None when no list is loaded."""
    screener = request.app.state.screener
    if not isinstance(screener, Screener):
        return None
    result = screener.screen(name.strip(), country or None)
    return [determination_json.encode_hit(hit) for hit in result.hits]


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
    return RedirectResponse(_workbench_place(db, hit.party), status_code=303)


def _workbench_place(db: Session, party: Party) -> str:
    """The workbench page that holds the party now, anchored at it; once its last open hit is reviewed it has
    left the list: the page where it stood (the parties that followed it), or the last page."""
    before = db.scalar(select(func.count()).select_from(Party).where(_open_hit(), Party.code < party.code)) or 0
    listed = db.scalar(select(exists().where(PartyHit.party_id == party.id, PartyHit.status == "open")))
    remaining = db.scalar(select(func.count()).select_from(Party).where(_open_hit())) or 0
    number = min(before // PAGE_SIZE, max(remaining - 1, 0) // PAGE_SIZE) + 1
    path = f"/screening?page={number}" if number > 1 else "/screening"
    return f"{path}#party-{quote(party.code)}" if listed else path
