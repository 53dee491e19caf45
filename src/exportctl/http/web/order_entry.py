"""Entering an order, with a live determination of the form as it is filled in (nothing stored until submit)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from exportctl import determination_json
from exportctl.determine.engine import InvalidTransaction
from exportctl.http.deps import Clerk, Database, ReadDatabase, Viewer
from exportctl.http.web.order_form import FormError, LineForm, OrderForm, validation_message
from exportctl.http.web.regime_choice import ChosenRegime
from exportctl.http.web.templating import flash, render
from exportctl.regime import OutsideCoverage
from exportctl.services import checking, orders
from exportctl.services.actors import Actor
from exportctl.services.errors import RecordError
from exportctl.store.models import Item, Party

router = APIRouter()


def form_page(
    request: Request,
    db: Session,
    actor: Actor,
    form: OrderForm,
    error: str | None = None,
    status_code: int = 200,
    **edit: Any,
) -> Response:
    """The order form, new or (with `edit`: the order's revision) an order being edited: an edited order's
    regimes are its own (the form always sends them), a new form ticks the company's default ones."""
    return render(
        request,
        "order_new.html",
        actor,
        status_code=status_code,
        form=form,
        error=error,
        parties=db.scalars(select(Party).order_by(Party.code)).all(),
        items=db.scalars(select(Item).order_by(Item.code)).all(),
        default_also_under=[] if edit else orders.default_also_under(db),
        **edit,
    )


@router.get("/orders/new")
def new_order(request: Request, db: Database, actor: Viewer, regime_id: ChosenRegime) -> Response:
    return form_page(request, db, actor, OrderForm(regime=regime_id))


@router.get("/orders/new/line")
def new_line(request: Request, db: Database, actor: Viewer) -> Response:
    """One more empty line row (htmx appends it to the form)."""
    items = db.scalars(select(Item).order_by(Item.code)).all()
    return render(request, "_order_line.html", actor, line=LineForm(), items=items)


@router.post("/orders/new/check")
async def live_check(request: Request, db: ReadDatabase, actor: Viewer) -> Response:
    """The determination of the form as it stands: like POST /api/v1/check, rendered, never stored."""
    form = OrderForm.read(await request.form())
    try:
        order = orders.order_of(db, form.facts())  # as `add_order` would store it, but not stored
        transaction = orders.transaction_of(order)
        screener = orders.reviewed_screener(request.app.state.screener, order.consignee, order.end_user)
        result = determination_json.encode(checking.check(transaction, screener))
    except ValidationError as exc:  # the transaction the engine would be given refuses a fact
        return render(request, "_live.html", actor, d=None, error=validation_message(exc))
    except (FormError, InvalidTransaction, OutsideCoverage, RecordError) as exc:
        return render(request, "_live.html", actor, d=None, error=str(exc))
    return render(request, "_live.html", actor, d=result, error=None)


@router.post("/orders/new")
async def create_order(request: Request, db: Database, actor: Clerk) -> Response:
    form = OrderForm.read(await request.form())
    try:
        data = form.to_input()
        with db.begin_nested():  # a refused order leaves nothing behind; the form comes back filled in
            order = orders.add_order(db, actor, data, request.app.state.screener)
    except (FormError, RecordError) as exc:
        return form_page(request, db, actor, form, error=str(exc), status_code=422)
    flash(request, "orders.created", number=order.number)
    return RedirectResponse(f"/orders/{order.number}", status_code=303)
