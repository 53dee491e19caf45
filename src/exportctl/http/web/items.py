"""The product master: items, their classification history, and recording a classification."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Form, Request
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from starlette.responses import RedirectResponse, Response

from exportctl.http.deps import Clerk, Database, Viewer
from exportctl.http.web.paging import PageNumber, paged
from exportctl.http.web.regime_choice import ChosenRegime, installed
from exportctl.http.web.templating import flash, render
from exportctl.services import records
from exportctl.store.models import Item

router = APIRouter()


@router.get("/items")
def item_list(request: Request, db: Database, actor: Viewer, page: PageNumber = 1) -> Response:
    statement = select(Item).options(selectinload(Item.classifications)).order_by(Item.code)
    items, pager = paged(db, request, statement, page)
    return render(request, "items.html", actor, items=items, pager=pager)


@router.get("/items/{code}")
def item_detail(code: str, request: Request, db: Database, actor: Viewer, regime_id: ChosenRegime) -> Response:
    item = records.item_by_code(db, code)
    # The classification form offers the installed regimes, the one chosen in the header first selected.
    return render(request, "item.html", actor, item=item, regime_id=regime_id, today=dt.date.today().isoformat())


@router.post("/items/{code}/classify")
def classify(
    code: str,
    request: Request,
    db: Database,
    actor: Clerk,
    regime: Annotated[str, Form(max_length=100)],
    reference: Annotated[str, Form(min_length=1, max_length=64)],
    rationale: Annotated[str, Form(min_length=1, max_length=4000)],
    valid_from: Annotated[dt.date, Form()],
) -> Response:
    item = records.item_by_code(db, code)
    records.classify(db, actor, item, installed(regime), reference.strip(), rationale.strip(), valid_from)
    flash(request, "items.classified")
    return RedirectResponse(f"/items/{code}", status_code=303)
