"""Changing an order that has not shipped: the order entry form, filled in with the order, saved through
`services.orders.update_order` (determined and screened again, under the order's lock, refused once any of it has
shipped or when the order was determined again since the form was loaded)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from exportctl.http.deps import Clerk, Database
from exportctl.http.web.order_entry import form_page
from exportctl.http.web.order_form import FormError, LineForm, OrderForm
from exportctl.http.web.templating import flash
from exportctl.order_input import YES_NO, LineInput
from exportctl.services import orders
from exportctl.services.actors import Actor
from exportctl.services.errors import Conflict, RecordError
from exportctl.store.models import Order

router = APIRouter()

# The facts of a line the form has no field for: an order with one of them is changed through the API or the CLI,
# never saved from a form that would drop it.
NOT_ON_THE_FORM = ("value_usd", "us_direct_product", "residency", "tech_purpose")


def _typed(value: float | None) -> str:
    """A stored number as the form shows it (and reads it back): 40.0 → "40", 2.5 → "2.5"."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def form_of(order: Order) -> OrderForm:
    """The entry form filled in with the order as it is stored."""
    return OrderForm(
        regime=order.regime,
        number=order.number,
        ship_date=order.ship_date.isoformat(),
        origin=order.origin or "",
        destination=order.destination,
        destination_region=order.destination_region or "",
        consignee=order.consignee.code if order.consignee else "",
        end_user=order.end_user.code if order.end_user else "",
        end_use=order.end_use or "",
        checked=frozenset(name for name in YES_NO if getattr(order, name)),
        also_under=tuple(order.also_under),
        lines=[
            LineForm(
                item=line.item.code if line.item else "",
                reference="" if line.item else line.reference,
                quantity=_typed(line.quantity),
                value_jpy=_typed(line.value_jpy),
                value_eur=_typed(line.value_eur),
                us_content_pct=_typed(line.us_content_pct),
            )
            for line in order.lines
        ],
    )


def _refuse_unshown(order: Order) -> None:
    for line in order.lines:
        unshown = [name for name in NOT_ON_THE_FORM if getattr(line, name) is not None]
        if line.kind != "goods":
            unshown.insert(0, "kind")
        if unshown:
            raise RecordError(
                f"line {line.line_no}: has {', '.join(unshown)}, which this form cannot show; change the order "
                "through the API or the CLI"
            )


def _editable(db: Session, order: Order) -> None:
    orders.refuse_change(db, order)
    _refuse_unshown(order)


def _revision(posted: FormData) -> int:
    text = posted.get("revision")
    if not isinstance(text, str) or not text.strip().isdigit() or len(text.strip()) > 9:
        raise FormError("revision: the form does not say which state of the order it was loaded from; open it again")
    return int(text.strip())


def _edit_page(
    request: Request,
    db: Session,
    actor: Actor,
    form: OrderForm,
    revision: str,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    return form_page(request, db, actor, form, error, status_code, edit=True, revision=revision)


@router.get("/orders/{number}/edit")
def edit_order(number: str, request: Request, db: Database, actor: Clerk) -> Response:
    order = orders.order_by_number(db, number)
    _editable(db, order)
    return _edit_page(request, db, actor, form_of(order), str(order.revision))


@router.post("/orders/{number}/edit")
async def save_order(number: str, request: Request, db: Database, actor: Clerk) -> Response:
    order = orders.order_by_number(db, number)
    posted = await request.form()
    form = OrderForm.read(posted)
    form.number, form.regime = order.number, order.regime  # fixed once entered: never taken from the form
    typed_revision = posted.get("revision")
    try:
        revision = _revision(posted)
        _editable(db, order)  # read here to say so at once; update_order checks again under the order's lock
        facts = form.facts()
        current = orders.header_of(order).model_dump()
        header = facts.model_dump(exclude={"lines", "regime"})
        changes = {key: value for key, value in header.items() if value != current[key]}
        lines: list[LineInput] | None = list(facts.lines)
        if lines == orders.lines_of(order):
            lines = None
        if not changes and lines is None and order.revision == revision:
            flash(request, "edit.unchanged")
            return RedirectResponse(f"/orders/{quote(order.number)}", status_code=303)
        with db.begin_nested():  # a refused change leaves the order as it was; the form comes back as typed
            orders.update_order(
                db, actor, order.number, changes, request.app.state.screener, lines=lines, revision=revision
            )
    except (FormError, RecordError) as exc:
        return _edit_page(
            request,
            db,
            actor,
            form,
            typed_revision if isinstance(typed_revision, str) else "",
            error=str(exc),
            status_code=409 if isinstance(exc, Conflict) else 422,
        )
    flash(request, "edit.saved", number=order.number)
    return RedirectResponse(f"/orders/{quote(order.number)}", status_code=303)
