"""The licence book: utilisation, validity, parties and entries; drawdowns; officers add licences (of the regime
they pick, with that regime's licence types); a licence's attachments (the scanned licence: officers attach and
remove them, everyone who reads the book downloads them; services/licence_files.py)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from starlette.responses import RedirectResponse, Response

from exportctl.http.deps import Database, Officer, Viewer
from exportctl.http.files import Upload, download
from exportctl.http.web.paging import PageNumber, paged
from exportctl.http.web.regime_choice import ChosenRegime, installed
from exportctl.http.web.templating import flash, render
from exportctl.services import licence_files, orders, regimes
from exportctl.services.errors import NotFound, RecordError
from exportctl.store.models import Drawdown, Licence, OrderLine

router = APIRouter()


@router.get("/licences")
def licence_book(
    request: Request, db: Database, actor: Viewer, regime_id: ChosenRegime, page: PageNumber = 1
) -> Response:
    statement = select(Licence).order_by(Licence.valid_to.desc(), Licence.number)
    licences, pager = paged(db, request, statement, page)
    today = dt.date.today()
    states = {licence.number: orders.licence_state(licence, today) for licence in licences}
    return render(
        request,
        "licences.html",
        actor,
        licences=licences,
        pager=pager,
        regime_id=regime_id,  # the add form's regime, and its licence types
        types=regimes.regime(regime_id).pack.licences.types,
        today=today.isoformat(),
        states=states,
    )


@router.get("/licences/{number}")
def licence_detail(number: str, request: Request, db: Database, actor: Viewer, page: PageNumber = 1) -> Response:
    licence = db.scalars(select(Licence).where(Licence.number == number)).first()
    if licence is None:
        raise NotFound(f"licence '{number}' does not exist")
    # A bulk licence is drawn on by thousands of shipments: its drawdowns are paged, in the order drawn.
    drawn = select(Drawdown.id).where(Drawdown.licence_id == licence.id).order_by(Drawdown.id)
    ids, pager = paged(db, request, drawn, page)
    drawdowns = db.execute(
        select(Drawdown, OrderLine)
        .outerjoin(OrderLine, Drawdown.order_line_id == OrderLine.id)
        .where(Drawdown.id.in_(ids))
        .options(selectinload(OrderLine.order))
        .order_by(Drawdown.id)
    ).all()
    state = orders.licence_state(licence, dt.date.today())
    return render(
        request,
        "licence.html",
        actor,
        licence=licence,
        drawdowns=drawdowns,
        pager=pager,
        state=state,
        attachments=db.scalars(licence_files.listing(licence)).all(),
        max_mib=licence_files.MAX_BYTES // (1024 * 1024),
    )


def _page(number: str, anchor: str = "") -> str:
    return f"/licences/{quote(number, safe='')}{anchor}"


@router.post("/licences/{number}/attachments")
def attach(number: str, request: Request, db: Database, actor: Officer, file: Upload) -> Response:
    # `file` is read after the role and CSRF checks (http/files.py).
    attachment = licence_files.attach(db, actor, number, file.name, file.stream)
    flash(request, "lic.attached", name=attachment.file_name)
    return RedirectResponse(_page(number, "#attachments"), status_code=303)


@router.get("/licences/{number}/attachments/{attachment_id}")
def download_attachment(number: str, attachment_id: int, db: Database, actor: Viewer) -> Response:
    return download(licence_files.read(db, number, attachment_id))


@router.post("/licences/{number}/attachments/{attachment_id}/remove")
def remove_attachment(number: str, attachment_id: int, request: Request, db: Database, actor: Officer) -> Response:
    removed = licence_files.remove(db, actor, number, attachment_id)
    flash(request, "lic.detached", name=removed.file_name)
    return RedirectResponse(_page(number, "#attachments"), status_code=303)


def _codes(text: str, upper: bool = False) -> list[str]:
    codes = [part.strip() for part in text.replace("、", ",").split(",") if part.strip()]
    return [code.upper() for code in codes] if upper else codes


@router.post("/licences")
def add_licence(
    request: Request,
    db: Database,
    actor: Officer,
    regime: Annotated[str, Form(max_length=100)],
    type: Annotated[str, Form()],
    number: Annotated[str, Form(min_length=1, max_length=64)],
    holder: Annotated[str, Form(min_length=1, max_length=200)],
    valid_from: Annotated[dt.date, Form()],
    valid_to: Annotated[dt.date, Form()],
    destinations: Annotated[str, Form()] = "",
    consignees: Annotated[str, Form()] = "",
    end_users: Annotated[str, Form()] = "",
    entries: Annotated[str, Form()] = "",
    items: Annotated[str, Form()] = "",
    quantity_limit: Annotated[float | None, Form(ge=0)] = None,
    value_limit_jpy: Annotated[int | None, Form(ge=0)] = None,
) -> Response:
    if valid_to < valid_from:
        raise RecordError("valid_to: before valid_from")
    orders.add_licence(
        db,
        actor,
        regime=installed(regime),
        type=type,
        number=number.strip(),
        holder=holder.strip(),
        destinations=_codes(destinations, upper=True),
        consignees=_codes(consignees),
        end_users=_codes(end_users),
        entries=_codes(entries),
        items=_codes(items),
        quantity_limit=quantity_limit,
        value_limit_jpy=value_limit_jpy,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    flash(request, "lic.added", number=number.strip())
    return RedirectResponse(f"/licences/{number.strip()}", status_code=303)
