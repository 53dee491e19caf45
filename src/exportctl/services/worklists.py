"""The compliance officer's worklists: blocked orders, screening hits to review, orders awaiting a second approval,
and licences near expiry or exhaustion (or past either).

Every list is one SQL statement: the search term is matched with bound parameters (a LIKE with its wildcards
escaped), the sort key is one of the list's whitelisted columns (anything else is refused, naming the keys), and a
page is a LIMIT/OFFSET of that statement, so only one page of rows is loaded. An export reads the whole filtered
list, up to EXPORT_LIMIT rows (more is refused, never cut short silently).

"Today" is an argument: the caller decides the date (ages and the licence states depend on it).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, Text, and_, cast, false, func, not_, or_, select
from sqlalchemy.orm import Session, aliased

from exportctl.services.errors import Invalid, shown
from exportctl.services.licences import QUANTITY_SLACK
from exportctl.services.orders import EXPIRY_WARNING_DAYS, NEAR_EXHAUSTION_SHARE
from exportctl.store.models import Licence, Order, Party, PartyHit, Release

BLOCKED, HITS, APPROVALS, LICENCES = "blocked", "hits", "approvals", "licences"
NAMES = (BLOCKED, HITS, APPROVALS, LICENCES)
Rows = Select[*tuple[Any, ...]]  # a statement of one or several entities a row
EXPORT_LIMIT = 100_000  # rows in one download; a larger list is narrowed by a search or filter first
SEARCH_LIMIT = 200  # characters of a search term

# Licence states. Near expiry: the last valid day within EXPIRY_WARNING_DAYS of today. Near exhaustion: a limit
# NEAR_EXHAUSTION_SHARE (as the dashboard and the API's warnings) or more used, but not all of it; a limit fully
# used is exhausted (nothing more can be drawn).
NEAR_EXPIRY, EXPIRED, NEAR_EXHAUSTION, EXHAUSTED = "near-expiry", "expired", "near-exhaustion", "exhausted"
LICENCE_STATES = (EXPIRED, EXHAUSTED, NEAR_EXPIRY, NEAR_EXHAUSTION)


@dataclass(frozen=True)
class Criteria:
    """What the caller asked of a list: a search term, a sort key and direction, one filter value."""

    search: str = ""
    sort: str = ""
    descending: bool | None = None  # None: the sort key's natural direction
    filter: str = ""


# --- rows -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BlockedOrder:
    number: str
    consignee: str | None  # "CODE Name"
    end_user: str | None
    destination: str
    reasons: list[str]
    ship_date: dt.date
    blocked_since: dt.date
    days_blocked: int


@dataclass(frozen=True)
class HitToReview:
    hit_id: int
    party_code: str
    party_name: str
    country: str | None
    list_id: str
    entity_name: str
    matched_name: str
    score: float
    first_seen: dt.date
    age_days: int


@dataclass(frozen=True)
class AwaitingApproval:
    number: str
    destination: str
    reasons: list[str]
    ship_date: dt.date
    approved_by: str
    approved_at: dt.datetime
    approval_reason: str
    age_days: int


@dataclass(frozen=True)
class LicenceWatch:
    number: str
    regime: str
    type: str
    holder: str
    valid_to: dt.date
    days_left: int  # negative once expired
    states: list[str]
    value_used_jpy: int
    value_limit_jpy: int | None
    quantity_used: float
    quantity_limit: float | None


@dataclass(frozen=True)
class Spec:
    """One worklist: its statement for the criteria, the sort keys it allows, its filter values and its rows."""

    statement: Callable[[Criteria, dt.date], Rows]
    sorts: dict[str, tuple[Any, bool]]  # key → (column, descending by default)
    default_sort: str
    tie_break: Any  # a unique column, so equal keys page in a fixed order
    row: Callable[[Any, dt.date], Any]
    filter_pattern: str = ""  # allowed characters of a filter value (empty: the list has no filter)
    filter_values: tuple[str, ...] = field(default_factory=tuple)  # when the filter is a closed set


def _days(since: dt.datetime | dt.date, today: dt.date) -> int:
    """Whole days from `since` to `today`; never negative (a reference date before it, or a clock a day
    behind the stored UTC time, is no age)."""
    day = since.date() if isinstance(since, dt.datetime) else since
    return max(0, (today - day).days)


def _matches(term: str, *columns: Any) -> ColumnElement[bool]:
    """Any of the columns contains the term, ignoring case: bound parameters, LIKE wildcards escaped."""
    needle = term.lower()
    return or_(*(func.lower(column).contains(needle, autoescape=True) for column in columns))


def _party_text(party: Party | None) -> str | None:
    return f"{party.code} {party.name}" if party is not None else None


# --- blocked orders -------------------------------------------------------------------------------------------
# "Blocked since" is the order's updated_at: every determination sets it, and a determination is what blocks an
# order (an officer's approval does not touch it). A re-determination that still blocks is a new decision to
# block, so the count starts again from it; the ledger holds the earlier ones.

Consignee, EndUser = aliased(Party), aliased(Party)


def blocked_for(reason: str) -> ColumnElement[bool]:
    """Orders whose blocking reasons (a JSON list) include this one: the quoted reason in the column's text,
    alike on SQLite and PostgreSQL; escaped, so no LIKE wildcard gets in."""
    return cast(Order.blocking_reasons, Text).contains(json.dumps(reason), autoescape=True)


def _blocked_statement(criteria: Criteria, today: dt.date) -> Rows:
    statement = (
        select(Order, Consignee, EndUser)
        .outerjoin(Consignee, Order.consignee_id == Consignee.id)
        .outerjoin(EndUser, Order.end_user_id == EndUser.id)
        .where(Order.status == "blocked")
    )
    if criteria.filter:
        statement = statement.where(blocked_for(criteria.filter))
    if criteria.search:
        statement = statement.where(
            _matches(
                criteria.search,
                Order.number,
                Order.destination,
                Consignee.code,
                Consignee.name,
                EndUser.code,
                EndUser.name,
            )
        )
    return statement


def _blocked_row(row: Any, today: dt.date) -> BlockedOrder:
    order, consignee, end_user = row
    return BlockedOrder(
        number=order.number,
        consignee=_party_text(consignee),
        end_user=_party_text(end_user),
        destination=order.destination,
        reasons=list(order.blocking_reasons),
        ship_date=order.ship_date,
        blocked_since=order.updated_at.date(),
        days_blocked=_days(order.updated_at, today),
    )


# --- screening hits awaiting review ---------------------------------------------------------------------------


def _hits_statement(criteria: Criteria, today: dt.date) -> Rows:
    statement = select(PartyHit, Party).join(Party, PartyHit.party_id == Party.id).where(PartyHit.status == "open")
    if criteria.filter:
        statement = statement.where(PartyHit.list_id == criteria.filter)
    if criteria.search:
        statement = statement.where(
            _matches(criteria.search, Party.code, Party.name, PartyHit.matched_name, PartyHit.entity_name)
        )
    return statement


def _hit_row(row: Any, today: dt.date) -> HitToReview:
    hit, party = row
    return HitToReview(
        hit_id=hit.id,
        party_code=party.code,
        party_name=party.name,
        country=party.country,
        list_id=hit.list_id,
        entity_name=hit.entity_name,
        matched_name=hit.matched_name,
        score=hit.score,
        first_seen=hit.first_seen.date(),
        age_days=_days(hit.first_seen, today),
    )


# --- orders awaiting a second approval ------------------------------------------------------------------------
# An approval counts for the determination it was given on (its revision); an order still blocked with one is
# waiting for a second officer (services/orders.py, current_approvals). Every determination, a re-check's too,
# raises the revision, so an approval of an earlier determination no longer shows here.


def _approvals_statement(criteria: Criteria, today: dt.date) -> Rows:
    statement = (
        select(Order, Release)
        .join(Release, and_(Release.order_id == Order.id, Release.revision == Order.revision))
        .where(Order.status == "blocked")
    )
    if criteria.search:
        statement = statement.where(_matches(criteria.search, Order.number, Order.destination, Release.officer))
    return statement


def _approval_row(row: Any, today: dt.date) -> AwaitingApproval:
    order, release = row
    return AwaitingApproval(
        number=order.number,
        destination=order.destination,
        reasons=list(order.blocking_reasons),
        ship_date=order.ship_date,
        approved_by=release.officer,
        approved_at=release.released_at,
        approval_reason=release.reason,
        age_days=_days(release.released_at, today),
    )


# --- licences -------------------------------------------------------------------------------------------------


def _exhausted() -> ColumnElement[bool]:
    # A limit that is not set (NULL) makes its comparison unknown: never exhausted by it.
    return or_(
        Licence.value_used_jpy >= Licence.value_limit_jpy,
        Licence.quantity_used >= Licence.quantity_limit - QUANTITY_SLACK,
    )


def _near_exhaustion() -> ColumnElement[bool]:
    return or_(
        Licence.value_used_jpy >= NEAR_EXHAUSTION_SHARE * Licence.value_limit_jpy,
        Licence.quantity_used >= NEAR_EXHAUSTION_SHARE * Licence.quantity_limit,
    )


def licence_condition(state: str, today: dt.date) -> ColumnElement[bool]:
    """The licences in a state on `today`, as SQL (licence_states is the same rule on one loaded licence)."""
    expired = Licence.valid_to < today
    # coalesce: an unknown comparison (no limit) must count as "not exhausted" under NOT as well
    exhausted = func.coalesce(_exhausted(), false())
    if state == EXPIRED:
        return expired
    if state == EXHAUSTED:
        return and_(not_(expired), exhausted)
    if state == NEAR_EXPIRY:
        return Licence.valid_to.between(today, today + dt.timedelta(days=EXPIRY_WARNING_DAYS))
    if state == NEAR_EXHAUSTION:
        return and_(not_(expired), not_(exhausted), _near_exhaustion())
    raise Invalid(f"state: {shown(state)} is not one of {', '.join(LICENCE_STATES)}")


def licence_states(licence: Licence, today: dt.date) -> list[str]:
    """A licence's states on `today`, most pressing first: expired; else exhausted, or near exhaustion (a
    licence fully used is exhausted, never "near exhaustion"); and near expiry."""
    if licence.valid_to < today:
        return [EXPIRED]
    value_limit, quantity_limit = licence.value_limit_jpy, licence.quantity_limit
    value_used, quantity_used = licence.value_used_jpy or 0, licence.quantity_used or 0.0
    states: list[str] = []
    if (value_limit is not None and value_used >= value_limit) or (
        quantity_limit is not None and quantity_used >= quantity_limit - QUANTITY_SLACK
    ):
        states.append(EXHAUSTED)
    elif (value_limit is not None and value_used >= NEAR_EXHAUSTION_SHARE * value_limit) or (
        quantity_limit is not None and quantity_used >= NEAR_EXHAUSTION_SHARE * quantity_limit
    ):
        states.append(NEAR_EXHAUSTION)
    if licence.valid_to <= today + dt.timedelta(days=EXPIRY_WARNING_DAYS):
        states.append(NEAR_EXPIRY)
    return states


def _licences_statement(criteria: Criteria, today: dt.date) -> Rows:
    states = [criteria.filter] if criteria.filter else list(LICENCE_STATES)
    statement = select(Licence).where(or_(*(licence_condition(state, today) for state in states)))
    if criteria.search:
        statement = statement.where(_matches(criteria.search, Licence.number, Licence.holder, Licence.type))
    return statement


def _licence_row(licence: Licence, today: dt.date) -> LicenceWatch:
    return LicenceWatch(
        number=licence.number,
        regime=licence.regime,
        type=licence.type,
        holder=licence.holder,
        valid_to=licence.valid_to,
        days_left=(licence.valid_to - today).days,
        states=licence_states(licence, today),
        value_used_jpy=licence.value_used_jpy,
        value_limit_jpy=licence.value_limit_jpy,
        quantity_used=licence.quantity_used,
        quantity_limit=licence.quantity_limit,
    )


SLUG = r"^[a-z0-9]+([:-][a-z0-9]+)*$"

SPECS: dict[str, Spec] = {
    BLOCKED: Spec(
        _blocked_statement,
        # key → (column, whether the list shows it descending by default); most days blocked first
        {
            "days": (Order.updated_at, True),
            "number": (Order.number, False),
            "ship_date": (Order.ship_date, False),
            "destination": (Order.destination, False),
            "consignee": (Consignee.code, False),
        },
        "days",
        Order.id,
        _blocked_row,
        filter_pattern=SLUG,
    ),
    HITS: Spec(
        _hits_statement,
        {
            "score": (PartyHit.score, True),
            "party": (Party.code, False),
            "list": (PartyHit.list_id, False),
            "matched": (PartyHit.matched_name, False),
            "age": (PartyHit.first_seen, True),
        },
        "score",
        PartyHit.id,
        _hit_row,
        filter_pattern=SLUG,
    ),
    APPROVALS: Spec(
        _approvals_statement,
        {
            "age": (Release.released_at, True),
            "number": (Order.number, False),
            "ship_date": (Order.ship_date, False),
            "officer": (Release.officer, False),
        },
        "age",
        Release.id,
        _approval_row,
    ),
    LICENCES: Spec(
        _licences_statement,
        {
            "valid_to": (Licence.valid_to, False),
            "number": (Licence.number, False),
            "holder": (Licence.holder, False),
            "type": (Licence.type, False),
        },
        "valid_to",
        Licence.id,
        _licence_row,
        filter_values=LICENCE_STATES,
    ),
}

# Sort keys whose column runs the other way from what the list shows (an earlier date is more days): "desc"
# asks for the most days first, which is the column ascending.
_REVERSED = {(BLOCKED, "days"), (APPROVALS, "age"), (HITS, "age")}


def sort_keys(name: str) -> tuple[str, ...]:
    return tuple(_spec(name).sorts)


def _spec(name: str) -> Spec:
    if name not in SPECS:
        raise Invalid(f"worklist: {shown(name)} is not one of {', '.join(NAMES)}")
    return SPECS[name]


def _checked(name: str, spec: Spec, criteria: Criteria) -> Criteria:
    """The criteria, refused with a message naming what is allowed when a value is not."""
    if len(criteria.search) > SEARCH_LIMIT:
        raise Invalid(f"q: a search term has at most {SEARCH_LIMIT} characters")
    if criteria.sort and criteria.sort not in spec.sorts:
        raise Invalid(f"sort: {shown(criteria.sort)} is not one of {', '.join(spec.sorts)}")
    if criteria.filter:
        if spec.filter_values and criteria.filter not in spec.filter_values:
            raise Invalid(f"filter: {shown(criteria.filter)} is not one of {', '.join(spec.filter_values)}")
        if not spec.filter_values and not (spec.filter_pattern and re.fullmatch(spec.filter_pattern, criteria.filter)):
            raise Invalid(f"filter: {shown(criteria.filter)} is not a filter of the {name} list")
    sort = criteria.sort or spec.default_sort
    descending = spec.sorts[sort][1] if criteria.descending is None else criteria.descending
    return Criteria(criteria.search.strip(), sort, descending, criteria.filter)


def _ordered(name: str, spec: Spec, criteria: Criteria, today: dt.date) -> Rows:
    column = spec.sorts[criteria.sort][0]
    descending = bool(criteria.descending)  # resolved by _checked
    if (name, criteria.sort) in _REVERSED:
        descending = not descending
    key = column.desc() if descending else column.asc()
    tie = spec.tie_break.desc() if descending else spec.tie_break.asc()
    return spec.statement(criteria, today).order_by(key, tie)


@dataclass(frozen=True)
class Page:
    name: str
    criteria: Criteria  # as applied: the sort key and direction the list used
    rows: list[Any]
    total: int


def page(db: Session, name: str, criteria: Criteria, today: dt.date, limit: int, offset: int) -> Page:
    """One page of the list (`limit` rows from `offset`) and how many rows the whole list has."""
    spec = _spec(name)
    applied = _checked(name, spec, criteria)
    statement = _ordered(name, spec, applied, today)
    total = db.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    found = db.execute(statement.limit(limit).offset(offset)).all()
    return Page(name, applied, [spec.row(_one(row), today) for row in found], total)


def everything(db: Session, name: str, criteria: Criteria, today: dt.date) -> Sequence[Any]:
    """The whole filtered list in its order, for a download; refused when it has more than EXPORT_LIMIT rows."""
    spec = _spec(name)
    applied = _checked(name, spec, criteria)
    statement = _ordered(name, spec, applied, today)
    found = db.execute(statement.limit(EXPORT_LIMIT + 1)).all()
    if len(found) > EXPORT_LIMIT:
        raise Invalid(f"the list has more than {EXPORT_LIMIT:,} rows: narrow it with a search or a filter")
    return [spec.row(_one(row), today) for row in found]


def _one(row: Any) -> Any:
    """A result row of one entity is that entity; a row of several stays a tuple."""
    return row[0] if len(row) == 1 else tuple(row)


def count(db: Session, name: str, today: dt.date, criteria: Criteria | None = None) -> int:
    """How many rows the list has (the dashboard's counts)."""
    spec = _spec(name)
    applied = _checked(name, spec, criteria or Criteria())
    statement = spec.statement(applied, today)
    return db.scalar(select(func.count()).select_from(statement.subquery())) or 0


CURRENT_DAYS = 366  # orders shipping within a year of today make the books current


def reference_day(db: Session, today: dt.date) -> dt.date:
    """The day the dashboard looks at when none is asked for: today while the books are current (an order ships
    within CURRENT_DAYS of today, or later); else the latest ship date in the books, so a data set of another
    period (the 2019 demo) opens on its own last order rather than on an empty today."""
    latest: dt.date | None = db.scalar(select(func.max(Order.ship_date)))
    if latest is None or latest >= today - dt.timedelta(days=CURRENT_DAYS):
        return today
    return latest
