"""The worklists: blocked orders, screening hits to review, orders awaiting a second approval, licences to watch.

Each page is one list of services/worklists.py with its search (`q`), sort (`sort`, `dir`), filter and page;
`format=csv` or `format=xlsx` downloads the whole filtered list in the same order, headed in the page's language.
This module only says which columns each list shows and how a row reads in them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from exportctl.http.deps import Database, Viewer
from exportctl.http.web import exports
from exportctl.http.web import format as fmt
from exportctl.http.web.i18n import Translator, translator
from exportctl.http.web.paging import PAGE_SIZE, PageNumber, pager
from exportctl.http.web.templating import licence_title, render
from exportctl.services import worklists
from exportctl.services.worklists import APPROVALS, BLOCKED, HITS, LICENCES, Criteria

router = APIRouter()

Search = Annotated[str, Query(max_length=worklists.SEARCH_LIMIT, description="Words to look for")]
SortKey = Annotated[str, Query(max_length=40, pattern=r"^[a-z_]*$", description="A column of the list")]
Direction = Annotated[str, Query(alias="dir", pattern="^(|asc|desc)$")]
Format = Annotated[str, Query(pattern="^(|html|csv|xlsx)$", description="csv or xlsx: the whole list as a file")]
FilterValue = Annotated[str, Query(max_length=40)]


@dataclass(frozen=True)
class Cell:
    value: Any  # what a download holds: a number, a date or a text
    text: str  # what the page shows
    href: str | None = None
    badges: tuple[str, ...] = ()
    numeric: bool = False
    nowrap: bool = False  # a date or time: one line


@dataclass(frozen=True)
class Column:
    label: str  # an i18n key
    sort: str | None  # the list's sort key, when it sorts by this column
    cell: Callable[[Any, Translator], Cell]


def _text(value: Any) -> Cell:
    return Cell(value, "—" if value is None or value == "" else str(value), nowrap=isinstance(value, dt.date))


def _days(value: int) -> Cell:
    return Cell(value, fmt.number(value), numeric=True)


def _reasons(reasons: Sequence[str], t: Translator) -> Cell:
    shown = []
    for reason in reasons:
        regime, _, base = reason.rpartition(":")
        shown.append((f"{regime.upper()}: " if regime else "") + t("block." + base))
    return Cell("; ".join(shown), "; ".join(shown), badges=tuple(shown))


def _party(code: str) -> Cell:
    """A party's code, linked to its hits on the screening workbench."""
    return Cell(code, code, href="/screening#party-" + _quote(code))


def _order(number: str) -> Cell:
    return Cell(number, number, href="/orders/" + _quote(number))


def _quote(text: str) -> str:
    return quote(text, safe="")


def _usage(used: float, limit: float | None, money: bool) -> Cell:
    share = fmt.share(used, limit)
    shown = fmt.yen(used) if money else fmt.number(used)
    of = "—" if limit is None else (fmt.yen(limit) if money else fmt.number(limit))
    text = f"{shown} / {of}" + (f" · {fmt.percent(share)}" if share is not None else "")
    return Cell(None if share is None else round(share * 100, 1), text, numeric=True)


def _moment(at: dt.datetime) -> Cell:
    return Cell(at, at.strftime("%Y-%m-%d %H:%M"), nowrap=True)


COLUMNS: dict[str, tuple[Column, ...]] = {
    BLOCKED: (
        Column("orders.number", "number", lambda r, t: _order(r.number)),
        Column("orders.consignee", "consignee", lambda r, t: _text(r.consignee)),
        Column("orders.end_user", None, lambda r, t: _text(r.end_user)),
        Column("orders.destination", "destination", lambda r, t: _text(r.destination)),
        Column("orders.blocked_by", None, lambda r, t: _reasons(r.reasons, t)),
        Column("orders.ship_date", "ship_date", lambda r, t: _text(r.ship_date)),
        Column("wl.blocked_since", None, lambda r, t: _text(r.blocked_since)),
        Column("wl.days_blocked", "days", lambda r, t: _days(r.days_blocked)),
    ),
    HITS: (
        Column("wl.party", "party", lambda r, t: _party(r.party_code)),
        Column("common.name", None, lambda r, t: _text(r.party_name)),
        Column("common.country", None, lambda r, t: _text(r.country)),
        Column("screen.list", "list", lambda r, t: _text(r.list_id)),
        Column("screen.entity", None, lambda r, t: _text(r.entity_name)),
        Column("screen.matched", "matched", lambda r, t: _text(r.matched_name)),
        Column("screen.score", "score", lambda r, t: Cell(r.score, f"{r.score:.2f}", numeric=True)),
        Column("wl.first_seen", None, lambda r, t: _text(r.first_seen)),
        Column("wl.age_days", "age", lambda r, t: _days(r.age_days)),
    ),
    APPROVALS: (
        Column("orders.number", "number", lambda r, t: _order(r.number)),
        Column("orders.destination", None, lambda r, t: _text(r.destination)),
        Column("orders.blocked_by", None, lambda r, t: _reasons(r.reasons, t)),
        Column("orders.ship_date", "ship_date", lambda r, t: _text(r.ship_date)),
        Column("wl.approved_by", "officer", lambda r, t: _text(r.approved_by)),
        Column("wl.approved_at", None, lambda r, t: _moment(r.approved_at)),
        Column("common.reason", None, lambda r, t: _text(r.approval_reason)),
        Column("wl.age_days", "age", lambda r, t: _days(r.age_days)),
    ),
    LICENCES: (
        Column("lic.number", "number", lambda r, t: Cell(r.number, r.number, href="/licences/" + _quote(r.number))),
        Column("lic.holder", "holder", lambda r, t: _text(r.holder)),
        Column("lic.type", "type", lambda r, t: _text(licence_title(t, r.type, r.regime))),
        Column("lic.valid_to", "valid_to", lambda r, t: _text(r.valid_to)),
        Column("wl.days_left", None, lambda r, t: _days(r.days_left)),
        Column("lic.state", None, lambda r, t: _states(r.states, t)),
        Column("wl.value_used", None, lambda r, t: _usage(r.value_used_jpy, r.value_limit_jpy, money=True)),
        Column("wl.quantity_used", None, lambda r, t: _usage(r.quantity_used, r.quantity_limit, money=False)),
    ),
}


def _states(states: Sequence[str], t: Translator) -> Cell:
    shown = tuple(t("wl.state." + state) for state in states)
    return Cell("; ".join(shown), "; ".join(shown), badges=shown)


# The filter each list takes, by its query parameter: (parameter, i18n key of its label, the values offered).
FILTERS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    BLOCKED: (
        "reason",
        "orders.blocked_by",
        ("licence-needed", "screening-hit", "indeterminate", "prohibited", "recheck-review"),
    ),
    HITS: ("list", "screen.list", ()),
    LICENCES: ("state", "lic.state", worklists.LICENCE_STATES),
}


def _worklist(
    name: str,
    request: Request,
    db: Database,
    actor: Viewer,
    q: str,
    sort: str,
    direction: str,
    chosen: str,
    page: int,
    output: str,
    today: dt.date,
) -> Response:
    criteria = Criteria(q, sort, None if not direction else direction == "desc", chosen)
    t = translator(request)
    columns = COLUMNS[name]
    if output in ("csv", "xlsx"):
        rows = worklists.everything(db, name, criteria, today)
        header = [t(column.label) for column in columns]
        values = ([column.cell(row, t).value for column in columns] for row in rows)
        filename = f"worklist-{name}-{today.isoformat()}.{output}"
        if output == "csv":
            return exports.download(exports.csv_text(header, values), exports.CSV_TYPE, filename)
        sheet = exports.xlsx_bytes(t("wl.title." + name), header, values)
        return exports.download(sheet, exports.XLSX_TYPE, filename)
    found = worklists.page(db, name, criteria, today, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    descending = bool(found.criteria.descending)
    return render(
        request,
        "worklist.html",
        actor,
        name=name,
        names=worklists.NAMES,
        columns=columns,
        rows=[[column.cell(row, t) for column in columns] for row in found.rows],
        pager=pager(request, page, found.total, PAGE_SIZE),
        q=q,
        sort=found.criteria.sort,
        descending=descending,
        sort_href=lambda key: _sort_href(request, key, found.criteria.sort, descending),
        download_href=lambda kind: _with(request, format=kind, page=None),
        filter=FILTERS.get(name),
        chosen=chosen,
        day=today,
        with_day="today" in request.query_params,
    )


def _with(request: Request, **changes: str | None) -> str:
    """This page's address with some query parameters changed (None removes one)."""
    query = {key: value for key, value in request.query_params.items() if key not in changes}
    query |= {key: value for key, value in changes.items() if value is not None}
    return f"{request.url.path}?{urlencode(query)}" if query else request.url.path


def _sort_href(request: Request, key: str, current: str, descending: bool) -> str:
    """Sort by this column; the column already sorted by turns round."""
    flip = "asc" if descending else "desc"
    return _with(request, sort=key, dir=flip if key == current else None, page=None)


Today = Annotated[dt.date | None, Query(description="The reference date (default: today)")]


@router.get("/worklists/blocked")
def blocked(
    request: Request,
    db: Database,
    actor: Viewer,
    q: Search = "",
    sort: SortKey = "",
    direction: Direction = "",
    reason: FilterValue = "",
    page: PageNumber = 1,
    format: Format = "",
    today: Today = None,
) -> Response:
    return _worklist(BLOCKED, request, db, actor, q, sort, direction, reason, page, format, today or dt.date.today())


@router.get("/worklists/hits")
def hits(
    request: Request,
    db: Database,
    actor: Viewer,
    q: Search = "",
    sort: SortKey = "",
    direction: Direction = "",
    list_id: Annotated[str, Query(alias="list", max_length=40)] = "",
    page: PageNumber = 1,
    format: Format = "",
    today: Today = None,
) -> Response:
    return _worklist(HITS, request, db, actor, q, sort, direction, list_id, page, format, today or dt.date.today())


@router.get("/worklists/approvals")
def approvals(
    request: Request,
    db: Database,
    actor: Viewer,
    q: Search = "",
    sort: SortKey = "",
    direction: Direction = "",
    page: PageNumber = 1,
    format: Format = "",
    today: Today = None,
) -> Response:
    return _worklist(APPROVALS, request, db, actor, q, sort, direction, "", page, format, today or dt.date.today())


@router.get("/worklists/licences")
def licences(
    request: Request,
    db: Database,
    actor: Viewer,
    q: Search = "",
    sort: SortKey = "",
    direction: Direction = "",
    state: FilterValue = "",
    page: PageNumber = 1,
    format: Format = "",
    today: Today = None,
) -> Response:
    return _worklist(LICENCES, request, db, actor, q, sort, direction, state, page, format, today or dt.date.today())
