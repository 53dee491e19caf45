"""Orders: the list, one order with its determination, and what clerks and officers do to it."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from sqlalchemy import ColumnElement, Text, cast, select
from sqlalchemy.orm import selectinload
from starlette.responses import RedirectResponse, Response

from exportctl import records_json
from exportctl.http.deps import Clerk, Database, Officer, Viewer
from exportctl.http.web.paging import PageNumber, paged
from exportctl.http.web.templating import flash, render
from exportctl.services import order_record, orders
from exportctl.services.errors import Invalid
from exportctl.store.models import Order

router = APIRouter()
STATUSES = ("blocked", "released", "shipped")
REASON = r"^([a-z0-9]+(-[a-z0-9]+)*)?$"  # a blocking reason's slug (licence-needed): no LIKE wildcard gets in


def blocked_for(reason: str) -> ColumnElement[bool]:
    """Orders whose blocking reasons (a JSON list) include this one: a LIKE on the column's text for the quoted
    reason (`%"licence-needed"%`), alike on SQLite and PostgreSQL; escaped although the pattern allows no
    wildcard."""
    return cast(Order.blocking_reasons, Text).contains(json.dumps(reason), autoescape=True)


@router.get("/orders")
def order_list(
    request: Request,
    db: Database,
    actor: Viewer,
    status: Annotated[str | None, Query(pattern="^(|released|blocked|shipped)$")] = None,
    reason: Annotated[str | None, Query(pattern=REASON, max_length=40)] = None,
    page: PageNumber = 1,
) -> Response:
    newest_first = (Order.ship_date.desc(), Order.id.desc())
    chosen = select(Order.id).order_by(*newest_first)
    if status:
        chosen = chosen.where(Order.status == status)
    if reason:
        chosen = chosen.where(blocked_for(reason))
    # The page's ids first, then those orders (their determinations, stored apart, are not read for a list).
    ids, pager = paged(db, request, chosen, page)
    rows = db.scalars(
        select(Order)
        .where(Order.id.in_(ids))
        .options(selectinload(Order.consignee), selectinload(Order.end_user))
        .order_by(*newest_first)
    ).all()
    return render(
        request,
        "orders.html",
        actor,
        orders=rows,
        pager=pager,
        status=status or "",
        reason=reason or "",
        statuses=STATUSES,
    )


@router.get("/orders/{number}")
def order_detail(number: str, request: Request, db: Database, actor: Viewer) -> Response:
    order = orders.order_by_number(db, number)
    data = records_json.order_dict(order)
    today = dt.date.today().isoformat()  # the default shipment date offered in the form
    # Approvals given so far on a blocked order: the page says "awaiting second approval (1 of 2)".
    awaiting = len(orders.current_approvals(order)) if order.status == "blocked" else 0
    return render(
        request,
        "order.html",
        actor,
        order=order,
        data=data,
        d=order.determination,
        today=today,
        awaiting=awaiting,
        shipped=orders.shipped_so_far(db, order),
        ship_key=secrets.token_urlsafe(16),  # the partial-shipment form's key: a double click ships once
    )


@router.get("/orders/{number}/record")
def record(number: str, request: Request, db: Database, actor: Viewer) -> Response:
    """The printable determination record (A4, no navigation, no script): what an auditor files and signs."""
    found = order_record.order_record(db, actor, number)
    return render(request, "order_record.html", actor, r=found, order=found.order, data=found.data)


def _back(number: str) -> Response:
    return RedirectResponse(f"/orders/{number}", status_code=303)


@router.post("/orders/{number}/release")
def release(
    number: str, request: Request, db: Database, actor: Officer, reason: Annotated[str, Form(max_length=2000)] = ""
) -> Response:
    result = orders.release_order(db, actor, number, reason)
    if result.state == orders.AWAITING_SECOND:
        flash(request, "orders.awaiting_second", approvals=result.approvals, needed=result.needed)
    elif result.licences:
        flash(request, "orders.released_by_licence", licences=", ".join(sorted(set(result.licences.values()))))
    else:
        flash(request, "orders.released")
    return _back(number)


@router.post("/orders/{number}/ship")
def ship(
    number: str, request: Request, db: Database, actor: Clerk, date: Annotated[dt.date | None, Form()] = None
) -> Response:
    shipped_on = date or dt.date.today()  # the caller's clock when the form sends no date
    orders.ship_order(db, actor, number, shipped_on)
    flash(request, "orders.shipped_on", date=shipped_on.isoformat())
    return _back(number)


@router.post("/orders/{number}/ship-part")
def ship_part(
    number: str,
    request: Request,
    db: Database,
    actor: Clerk,
    key: Annotated[str, Form(max_length=64)],
    line: Annotated[list[int], Form(max_length=1000)],
    quantity: Annotated[list[float], Form(max_length=1000)],
    date: Annotated[dt.date | None, Form()] = None,
) -> Response:
    """Ship part of the order's lines (`line` and `quantity` repeated, in pairs) on the actual date."""
    if len(line) != len(quantity):
        raise Invalid("quantity: one quantity for each line")
    shipped_on = date or dt.date.today()
    result = orders.ship_part(db, actor, number, dict(zip(line, quantity, strict=True)), shipped_on, key)
    if result.repeated:
        flash(request, "orders.ship_part_repeated")
    else:
        flash(request, "orders.shipped_part", date=shipped_on.isoformat())
    return _back(number)


@router.post("/orders/{number}/determine")
def redetermine(number: str, request: Request, db: Database, actor: Clerk) -> Response:
    order = orders.order_by_number(db, number)
    orders.determine_order(db, actor, order, request.app.state.screener, "recheck")
    flash(request, "orders.redetermined")
    return _back(number)
