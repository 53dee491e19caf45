"""Orders: the list, one order with its determination, and what clerks and officers do to it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from sqlalchemy import select
from starlette.responses import RedirectResponse, Response

from exportctl import views
from exportctl.api.deps import Clerk, Database, Officer, Viewer
from exportctl.services import orders
from exportctl.store.models import Order
from exportctl.web.templating import flash, render

router = APIRouter()
STATUSES = ("blocked", "released", "shipped")


@router.get("/orders")
def order_list(
    request: Request,
    db: Database,
    actor: Viewer,
    status: Annotated[str | None, Query(pattern="^(|released|blocked|shipped)$")] = None,
    reason: str | None = None,
) -> Response:
    statement = select(Order).order_by(Order.ship_date.desc(), Order.id.desc())
    if status:
        statement = statement.where(Order.status == status)
    rows = [order for order in db.scalars(statement).all() if not reason or reason in order.blocking_reasons]
    return render(
        request, "orders.html", actor, orders=rows, status=status or "", reason=reason or "", statuses=STATUSES
    )


@router.get("/orders/{number}")
def order_detail(number: str, request: Request, db: Database, actor: Viewer) -> Response:
    order = orders.order_by_number(db, number)
    return render(request, "order.html", actor, order=order, data=views.order_dict(order), d=order.determination)


def _back(number: str) -> Response:
    return RedirectResponse(f"/orders/{number}", status_code=303)


@router.post("/orders/{number}/release")
def release(
    number: str, request: Request, db: Database, actor: Officer, reason: Annotated[str, Form(max_length=2000)] = ""
) -> Response:
    orders.release_order(db, actor, number, reason)
    flash(request, "orders.released")
    return _back(number)


@router.post("/orders/{number}/ship")
def ship(number: str, request: Request, db: Database, actor: Clerk) -> Response:
    orders.ship_order(db, actor, number)
    flash(request, "orders.shipped")
    return _back(number)


@router.post("/orders/{number}/determine")
def redetermine(number: str, request: Request, db: Database, actor: Clerk) -> Response:
    order = orders.order_by_number(db, number)
    orders.determine_order(db, actor, order, request.app.state.screener, "recheck")
    flash(request, "orders.redetermined")
    return _back(number)
