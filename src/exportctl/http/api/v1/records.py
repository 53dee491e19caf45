"""Orders, licences, items, parties and screening reviews: every write goes through the services (audited)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from exportctl import records_json
from exportctl.countries import CountryCode
from exportctl.http.api.v1 import language, schemas
from exportctl.http.deps import Clerk, Database, Officer, Viewer
from exportctl.http.pagination import Limit, Offset, envelope, page
from exportctl.order_input import OrderChanges, OrderInput
from exportctl.services import errors, orders, parties, records
from exportctl.settings import DEFAULT_REGIME
from exportctl.store.models import Item, Licence, Order, Party

router = APIRouter(tags=["records"])


# --- orders ---------------------------------------------------------------------------------------------------


class Reason(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


class Shipment(BaseModel):
    date: dt.date | None = Field(default=None, description="The day it ships (default: today)")


@router.get(
    "/orders",
    response_model=schemas.Page[schemas.OrderSummary],
    summary="Orders, newest first; filter by status or destination",
)
def list_orders(
    db: Database,
    actor: Viewer,
    limit: Limit = 50,
    offset: Offset = 0,
    status: Annotated[str | None, Query(pattern="^(released|blocked|shipped)$")] = None,
    destination: Annotated[CountryCode | None, Query()] = None,
) -> dict[str, Any]:
    statement = select(Order).order_by(Order.ship_date.desc(), Order.id.desc())
    if status:
        statement = statement.where(Order.status == status)
    if destination:
        statement = statement.where(Order.destination == destination)
    rows, total = page(db, statement, limit, offset)
    return envelope([records_json.order_dict(o, detail=False) for o in rows], total, limit, offset)


@router.post(
    "/orders", response_model=schemas.Order, status_code=201, summary="Enter an order: stored, determined and screened"
)
def create_order(body: OrderInput, request: Request, db: Database, actor: Clerk) -> dict[str, Any]:
    return _order(orders.add_order(db, actor, body, request.app.state.screener), request)


def _order(order: Order, request: Request) -> dict[str, Any]:
    """An order's answer, its reason texts in the language the caller accepts (Accept-Language)."""
    return language.localise_order(records_json.order_dict(order), language.of(request))


@router.get("/orders/{number}", response_model=schemas.Order)
def get_order(number: str, request: Request, db: Database, actor: Viewer) -> dict[str, Any]:
    return _order(orders.order_by_number(db, number), request)


@router.patch(
    "/orders/{number}", response_model=schemas.Order, summary="Change an order's header; it is determined again"
)
def update_order(number: str, body: OrderChanges, request: Request, db: Database, actor: Clerk) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True)
    return _order(orders.update_order(db, actor, number, changes, request.app.state.screener), request)


@router.post(
    "/orders/{number}/determine",
    response_model=schemas.Order,
    summary="Determine and screen the order again (not once shipped)",
)
def redetermine(number: str, request: Request, db: Database, actor: Clerk) -> dict[str, Any]:
    order = orders.order_by_number(db, number)
    return _order(orders.determine_order(db, actor, order, request.app.state.screener, "recheck"), request)


@router.post(
    "/orders/{number}/release",
    response_model=schemas.Release,
    summary="Release a blocked order (officer, with a reason): licence-needed only by a licence in the book",
)
def release(number: str, body: Reason, db: Database, actor: Officer) -> dict[str, Any]:
    result = orders.release_order(db, actor, number, body.reason)
    return records_json.order_dict(result.order) | {
        "release_state": result.message,
        "approvals": result.approvals,
        "approvals_needed": result.needed,
    }


@router.post(
    "/orders/{number}/ship",
    response_model=schemas.Order,
    summary="Ship a released order on a date (default today), drawing licences",
)
def ship(number: str, db: Database, actor: Clerk, body: Annotated[Shipment | None, Body()] = None) -> dict[str, Any]:
    # Today by the caller's clock when no date is given: the service itself takes the date as a fact.
    shipped_on = body.date if body is not None and body.date is not None else dt.date.today()
    return records_json.order_dict(orders.ship_order(db, actor, number, shipped_on))


class PartBody(BaseModel):
    """A partial shipment, as the order page's form sends it: quantities by line number, the day it ships and the
    request's key (the same key again ships nothing: a retried request)."""

    lines: dict[Annotated[int, Field(ge=1)], Annotated[float, Field(allow_inf_nan=False)]] = Field(
        min_length=1, max_length=1000
    )
    shipped_on: dt.date | None = Field(default=None, description="The day it ships (default: today)")
    key: str = Field(min_length=1, max_length=64, description="The request's idempotency key")


@router.post(
    "/orders/{number}/ship-part",
    response_model=schemas.PartShipment,
    summary="Ship part of a released order's lines on a date, drawing licences for the parts (once per key)",
)
def ship_part(number: str, body: PartBody, db: Database, actor: Clerk) -> dict[str, Any]:
    shipped_on = body.shipped_on or dt.date.today()  # the caller's clock, as /ship
    result = orders.ship_part(db, actor, number, body.lines, shipped_on, body.key)
    return records_json.order_dict(result.order) | {"repeated": result.repeated}


# --- licences -------------------------------------------------------------------------------------------------


class LicenceBody(BaseModel):
    regime: str = DEFAULT_REGIME
    type: str
    number: str = Field(min_length=1, max_length=64)
    holder: str
    destinations: list[CountryCode] = []
    consignees: list[str] = []
    end_users: list[str] = []
    entries: list[str] = []
    items: list[str] = []
    quantity_limit: float | None = Field(default=None, ge=0)
    value_limit_jpy: int | None = Field(default=None, ge=0)
    valid_from: dt.date
    valid_to: dt.date


@router.get("/licences", response_model=schemas.Page[schemas.Licence])
def list_licences(db: Database, actor: Viewer, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    rows, total = page(db, select(Licence).order_by(Licence.number), limit, offset)
    today = dt.date.today()
    return envelope([records_json.licence_dict(licence, today) for licence in rows], total, limit, offset)


@router.post("/licences", response_model=schemas.Licence, status_code=201)
def create_licence(body: LicenceBody, db: Database, actor: Officer) -> dict[str, Any]:
    return records_json.licence_dict(orders.add_licence(db, actor, **body.model_dump()), dt.date.today())


@router.get(
    "/licences/warnings",
    response_model=schemas.LicenceWarnings,
    summary="Licences near expiry or exhaustion, a page of warnings",
)
def licence_warnings(
    db: Database,
    actor: Viewer,
    today: dt.date | None = None,
    days: Annotated[int, Query(ge=0, le=3650, description="Warn of expiry this many days ahead")] = 60,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    # `warnings` is the list's name in this answer (a contract), where other lists say `items`.
    day = today or dt.date.today()
    found = orders.licence_warnings(db, day, days, limit=limit, offset=offset)
    return {
        "warnings": [{"number": w.number, "kind": w.kind, "text": w.text} for w in found],
        "total": orders.count_licence_warnings(db, day, days),
        "limit": limit,
        "offset": offset,
    }


@router.get("/licences/{number}", response_model=schemas.Licence)
def get_licence(number: str, db: Database, actor: Viewer) -> dict[str, Any]:
    licence = db.scalars(select(Licence).where(Licence.number == number)).first()
    if licence is None:
        raise errors.NotFound(f"licence '{number}' does not exist")
    return records_json.licence_dict(licence, dt.date.today())


# --- items ----------------------------------------------------------------------------------------------------


class ItemBody(BaseModel):
    code: str = Field(min_length=1, max_length=64)
    description: str
    hs_code: str | None = None


class ClassificationBody(BaseModel):
    regime: str = DEFAULT_REGIME
    reference: str
    rationale: str = Field(min_length=1)
    valid_from: dt.date


@router.get("/items", response_model=schemas.Page[schemas.ItemSummary])
def list_items(db: Database, actor: Viewer, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    rows, total = page(db, select(Item).order_by(Item.code), limit, offset)
    return envelope([records_json.item_dict(item, history=False) for item in rows], total, limit, offset)


@router.post("/items", response_model=schemas.Item, status_code=201)
def create_item(body: ItemBody, db: Database, actor: Clerk) -> dict[str, Any]:
    return records_json.item_dict(records.add_item(db, actor, body.code, body.description, body.hs_code))


@router.get("/items/{code}", response_model=schemas.Item)
def get_item(code: str, db: Database, actor: Viewer) -> dict[str, Any]:
    return records_json.item_dict(records.item_by_code(db, code))


@router.post(
    "/items/{code}/classifications",
    response_model=schemas.Item,
    status_code=201,
    summary="Classify (or reclassify) an item",
)
def classify_item(code: str, body: ClassificationBody, db: Database, actor: Clerk) -> dict[str, Any]:
    item = records.item_by_code(db, code)
    records.classify(db, actor, item, body.regime, body.reference, body.rationale, body.valid_from)
    return records_json.item_dict(item)


# --- parties and screening review -----------------------------------------------------------------------------


class PartyBody(BaseModel):
    code: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=500)
    country: CountryCode | None = None
    address: str | None = Field(default=None, max_length=2 * records.ADDRESS_MAX, description="Postal address")
    roles: list[str] = []


class PartyChanges(BaseModel):
    """A change of a party's master data: the fields sent change (`null` clears the country or the address). A new
    name or country screens the party again and determines its unshipped orders again; the address is not
    screened."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="", min_length=1, max_length=500)
    country: CountryCode | None = None
    address: str | None = Field(default=None, max_length=2 * records.ADDRESS_MAX)


class Review(BaseModel):
    decision: str = Field(pattern="^(confirmed|false-positive)$")
    reason: str = ""


@router.get("/parties", response_model=schemas.Page[schemas.PartySummary])
def list_parties(
    db: Database,
    actor: Viewer,
    limit: Limit = 50,
    offset: Offset = 0,
    screening_status: Annotated[str | None, Query(pattern="^(clear|hits|unscreened)$")] = None,
) -> dict[str, Any]:
    statement = select(Party).order_by(Party.code)
    if screening_status:
        statement = statement.where(Party.screening_status == screening_status)
    rows, total = page(db, statement, limit, offset)
    return envelope([records_json.party_dict(p, hits=False) for p in rows], total, limit, offset)


@router.post("/parties", response_model=schemas.Party, status_code=201, summary="Add a party; it is screened at once")
def create_party(body: PartyBody, request: Request, db: Database, actor: Clerk) -> dict[str, Any]:
    screener = request.app.state.screener
    party = records.add_party(db, actor, body.code, body.name, body.country, body.roles, screener, body.address)
    return records_json.party_dict(party)


@router.patch(
    "/parties/{code}",
    response_model=schemas.Party,
    summary="Change a party's name, country or address (a new name or country is screened again)",
)
def update_party(code: str, body: PartyChanges, request: Request, db: Database, actor: Clerk) -> dict[str, Any]:
    party = records.party_by_code(db, code)
    sent = body.model_fields_set
    parties.update_party(
        db,
        actor,
        party,
        body.name if "name" in sent else party.name,
        body.country if "country" in sent else party.country,
        request.app.state.screener,
        body.address if "address" in sent else parties.KEEP,
    )
    return records_json.party_dict(party)


@router.get("/parties/{code}", response_model=schemas.Party)
def get_party(code: str, db: Database, actor: Viewer) -> dict[str, Any]:
    return records_json.party_dict(records.party_by_code(db, code))


@router.post("/parties/{code}/screen", response_model=schemas.Party, summary="Screen a party again")
def rescreen(code: str, request: Request, db: Database, actor: Clerk) -> dict[str, Any]:
    party = records.party_by_code(db, code)
    if request.app.state.screener is not None:
        records.screen_party(db, actor, party, request.app.state.screener)
    return records_json.party_dict(party)


@router.post(
    "/hits/{hit_id}/review",
    response_model=schemas.PartyHit,
    summary="Review a screening hit: confirmed, or false positive with a reason",
)
def review(hit_id: int, body: Review, request: Request, db: Database, actor: Officer) -> dict[str, Any]:
    """The party's open orders are determined again in the same transaction."""
    screener = request.app.state.screener
    return records_json.hit_dict(records.review_hit(db, actor, hit_id, body.decision, body.reason, screener))
