"""Importing items, parties, orders and licences from CSV or Excel (.xlsx).

Every row is validated first — types, required columns, dates, booleans, country codes, known codes and
references — and a file with any bad row is refused with messages naming the file, the row (header = row 1)
and the column. Only then are the rows written, each through the services (so each is audited), in the
caller's transaction: a service that refuses a row raises, and the whole file is rolled back.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Literal, TypeVar, Union

from pydantic import ValidationError
from pydantic.fields import FieldInfo
from sqlalchemy import select
from sqlalchemy.orm import Session

from exportctl.determine.classify import UnknownItem, classify_item
from exportctl.order_input import HEADER, MAX_LINES, PARTY_FIELDS, LineInput, OrderInput, problems
from exportctl.regime import Regime
from exportctl.regime.files import builtin_packs, not_installed
from exportctl.screening.screener import Screener
from exportctl.services import orders, records, regimes
from exportctl.services.actors import Actor, Role
from exportctl.services.errors import RecordError
from exportctl.services.records import classification_on
from exportctl.services.tables import InvalidImport, Row, Table, read_table
from exportctl.settings import DEFAULT_REGIME
from exportctl.store.models import Item, Licence, Order, Party

KINDS = ("items", "parties", "orders", "licences")
PARTY_ROLES = records.PARTY_ROLES
MOST_PROBLEMS = 20
T = TypeVar("T")

ITEM_COLUMNS = (("code", "description"), ("hs_code", "regime", "reference", "rationale", "valid_from"))
PARTY_COLUMNS = (("code", "name"), ("country", "roles", "address"))  # the address: kept, not screened
LICENCE_COLUMNS = (("type", "number", "holder", "valid_from", "valid_to"),
                   ("regime", "destinations", "consignees", "end_users", "entries", "items", "quantity_limit",
                    "value_limit_jpy"))  # fmt: skip


def import_file(
    db: Session, actor: Actor, kind: str, path: Path, screener: Screener | None = None, workers: int = 0
) -> dict[str, int]:
    """Validate every row of the file, then write them all in `db`'s transaction. Returns what was written. Orders
    are determined by `workers` processes forked from this one (`orders.add_orders`), or here."""
    if kind not in IMPORTERS:
        raise RecordError(f"kind: '{kind}' is not one of {', '.join(KINDS)}")
    actor.require(Role.OFFICER if kind == "licences" else Role.CLERK)
    table = read_table(path)
    if kind == "orders":
        return _import_orders(db, actor, table, screener, workers)
    return IMPORTERS[kind](db, actor, table, screener)


def _validate(table: Table, parse: Callable[[Row], T]) -> list[T]:
    """Parse every row, collecting the problems of all of them before refusing the file."""
    if not table.rows:
        raise InvalidImport(f"{table.source}: no rows below the header")
    parsed: list[T] = []
    problems: list[str] = []
    for row in table.rows:
        try:
            parsed.append(parse(row))
        except InvalidImport as exc:
            problems.append(str(exc))
    if problems:
        shown = problems[:MOST_PROBLEMS]
        more = f"\n… and {len(problems) - len(shown)} more" if len(problems) > len(shown) else ""
        raise InvalidImport("\n".join(shown) + more + f"\n{table.source}: nothing was imported")
    return parsed


@contextmanager
def _writing(row: Row) -> Iterator[None]:
    """A service's refusal, named by the row that asked for it (the transaction rolls back)."""
    try:
        yield
    except InvalidImport:
        raise
    except RecordError as exc:
        raise row.problem(None, f"{exc} (nothing from the file was imported)") from exc


def _valid(row: Row, column: str, check: Callable[[str, str], object], value: str | None) -> None:
    """The records' own check of a value, at validation time: every bad row is named before anything is written."""
    if value is None:
        return
    try:
        check(column, value)
    except RecordError as exc:
        raise row.problem(column, str(exc).removeprefix(f"{column}: ")) from None


def _regime(row: Row, column: str = "regime") -> tuple[str, Regime]:
    regime_id = row.text(column) or DEFAULT_REGIME
    if regime_id not in builtin_packs():
        raise row.problem(column, f"'{regime_id}' is not an installed regime ({', '.join(builtin_packs())})")
    return regime_id, regimes.regime(regime_id)


def _check_reference(row: Row, regime: Regime, reference: str, day: dt.date) -> None:
    snapshot = regime.at(max(day, regime.pack.meta.coverage_from))
    try:
        classify_item(snapshot, reference)
    except UnknownItem as exc:
        raise row.problem("reference", str(exc)) from None


def _unique(row: Row, column: str, value: str, existing: set[str], seen: dict[str, int], what: str) -> None:
    if value in existing:
        raise row.problem(column, f"{what} '{value}' already exists")
    if value in seen:
        raise row.problem(column, f"{what} '{value}' is also on row {seen[value]}")
    seen[value] = row.number


def _codes(db: Session, column: Any) -> set[str]:
    return set(db.scalars(select(column)).all())


# --- items ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _ItemRow:
    row: Row
    code: str
    description: str
    hs_code: str | None
    classification: tuple[str, str, str, dt.date] | None  # regime, reference, rationale, valid from


def _import_items(db: Session, actor: Actor, table: Table, _screener: Screener | None) -> dict[str, int]:
    table.check_columns(*ITEM_COLUMNS)
    existing, seen = _codes(db, Item.code), dict[str, int]()

    def parse(row: Row) -> _ItemRow:
        code = row.required("code")
        _valid(row, "code", records.check_code, code)
        _unique(row, "code", code, existing, seen, "item")
        description = row.required("description")
        _valid(row, "description", lambda f, v: records.check_name(f, v, 500), description)
        _valid(row, "hs_code", records.check_hs_code, row.text("hs_code"))
        reference = row.text("reference")
        classification = None
        if reference is None:
            for column in ("regime", "rationale", "valid_from"):
                if row.text(column):
                    raise row.problem("reference", f"required when {column} is given")
        else:
            regime_id, regime = _regime(row)
            valid_from = row.date("valid_from", required=True)
            assert valid_from is not None
            _check_reference(row, regime, reference, valid_from)
            classification = (regime_id, reference, row.required("rationale"), valid_from)
        return _ItemRow(row, code, description, row.text("hs_code"), classification)

    counts = {"items": 0, "classifications": 0}
    for parsed in _validate(table, parse):
        with _writing(parsed.row):
            item = records.add_item(db, actor, parsed.code, parsed.description, parsed.hs_code)
            counts["items"] += 1
            if parsed.classification is not None:
                regime_id, reference, rationale, valid_from = parsed.classification
                records.classify(db, actor, item, regime_id, reference, rationale, valid_from)
                counts["classifications"] += 1
    return counts


# --- parties --------------------------------------------------------------------------------------------------


def _import_parties(db: Session, actor: Actor, table: Table, screener: Screener | None) -> dict[str, int]:
    table.check_columns(*PARTY_COLUMNS)
    existing, seen = _codes(db, Party.code), dict[str, int]()

    def parse(row: Row) -> tuple[Row, str, str, str | None, list[str], str | None]:
        code = row.required("code")
        _valid(row, "code", records.check_code, code)
        _valid(row, "name", records.check_name, row.text("name"))
        _unique(row, "code", code, existing, seen, "party")
        roles = row.codes("roles")
        for role in roles:
            if role not in PARTY_ROLES:
                raise row.problem("roles", f"'{role}' is not one of {', '.join(PARTY_ROLES)}")
        address = row.text("address")
        _valid(row, "address", records.check_address, address)
        return row, code, row.required("name"), row.country("country"), roles, address

    counts = {"parties": 0, "screened": 0, "with_hits": 0}
    for row, code, name, country, roles, address in _validate(table, parse):
        with _writing(row):
            party = records.add_party(db, actor, code, name, country, roles, screener, address)
        counts["parties"] += 1
        counts["screened"] += screener is not None
        counts["with_hits"] += party.screening_status == "hits"
    return counts


# --- orders ---------------------------------------------------------------------------------------------------


def _reader(column: str, info: FieldInfo) -> Callable[[Row], Any]:
    """How a column's cells are read: as its field's type, so that a bad one is named in the file's words (row,
    column, value) before the model sees it."""
    kind, required = _bare(info.annotation), info.is_required()
    if kind is bool:
        return lambda row: row.boolean(column)
    if kind is dt.date:
        return lambda row: row.date(column, required=required)
    if kind is float:
        return lambda row: row.decimal(column)
    if kind is int:
        return lambda row: row.integer(column)
    if typing.get_origin(kind) is Literal:
        allowed = typing.get_args(kind)
        return lambda row: row.choice(column, allowed)
    if typing.get_origin(kind) is list:  # several values in one cell, separated by ";" (also_under: "us;eu")
        return lambda row: _several(row.text(column, required=False))
    return lambda row: row.text(column, required=required)


def _several(cell: str | None) -> list[str] | None:
    return None if cell is None else [part.strip() for part in cell.split(";") if part.strip()]


def _bare(annotation: Any) -> Any:
    """The type of `X | None` and of `Annotated[X, ...]`: X."""
    if typing.get_origin(annotation) is Annotated:
        return _bare(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) in (Union, UnionType):
        (kind,) = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return _bare(kind)
    return annotation


# An order's columns are the order input's fields, each read by its type: one row per line, each row repeating
# its order's header. A new field of the input is a new column.
HEADER_CELLS = {name: _reader(name, OrderInput.model_fields[name]) for name in HEADER}
LINE_CELLS = {name: _reader(name, info) for name, info in LineInput.model_fields.items()}
ORDER_COLUMNS = (
    tuple(name for name in HEADER if OrderInput.model_fields[name].is_required()),
    tuple(name for name in HEADER if not OrderInput.model_fields[name].is_required()) + tuple(LINE_CELLS),
)


def _naming(groups: list[_OrderRows]) -> Callable[[int], AbstractContextManager[None]]:
    """A refusal of the i-th order, named by its first row."""
    return lambda index: _writing(groups[index].first)


@dataclass
class _OrderRows:
    first: Row
    header: OrderInput  # the first row's (with its line)
    lines: list[LineInput] = field(default_factory=list)


def _import_orders(
    db: Session, actor: Actor, table: Table, screener: Screener | None, workers: int = 0
) -> dict[str, int]:
    table.check_columns(*ORDER_COLUMNS)
    existing = _codes(db, Order.number)
    parties = _codes(db, Party.code)
    items = {item.code: item for item in db.scalars(select(Item)).all()}
    grouped: dict[str, _OrderRows] = {}

    def entered(row: Row) -> OrderInput:
        """The row as an order of one line, each cell read as its field's type and the whole checked by the model."""
        cells = {name: read(row) for name, read in HEADER_CELLS.items()}
        line = {name: read(row) for name, read in LINE_CELLS.items()}
        if (line["item"] is None) == (line["reference"] is None):
            raise row.problem("item", "give exactly one of item (a product code) or reference")
        given = {name: value for name, value in cells.items() if value is not None}
        try:
            return OrderInput.model_validate(given | {"lines": [{k: v for k, v in line.items() if v is not None}]})
        except ValidationError as exc:
            refused = problems(exc)[0]
            raise row.problem(refused.field or None, refused.text) from None

    def known(row: Row, order: OrderInput) -> None:
        """What the model cannot know: the number is new, the regime installed, parties and items exist."""
        if order.number in existing:
            raise row.problem("number", f"order '{order.number}' already exists")
        regime = _regime(row)[1]
        for other in order.also_under or []:
            if other not in builtin_packs():
                raise row.problem("also_under", not_installed(other))
            since = regimes.regime(other).pack.meta.coverage_from
            if order.ship_date < since:
                raise row.problem("ship_date", f"{order.ship_date} is before the {other} pack's coverage ({since})")
        if order.ship_date < regime.pack.meta.coverage_from:
            raise row.problem("ship_date", f"{order.ship_date} is before the {order.regime} pack's coverage")
        for column in PARTY_FIELDS:
            code = getattr(order, column)
            if code is not None and code not in parties:
                raise row.problem(column, f"party '{code}' does not exist")
        (line,) = order.lines
        if line.item is not None:
            item = items.get(line.item)
            if item is None:
                raise row.problem("item", f"item '{line.item}' does not exist")
            if classification_on(item, order.regime, order.ship_date) is None:
                raise row.problem("item", f"item '{line.item}' has no {order.regime} classification on the ship date")
        if line.reference is not None:
            _check_reference(row, regime, line.reference, order.ship_date)

    def parse(row: Row) -> None:
        order = entered(row)
        known(row, order)
        group = grouped.get(order.number)
        if group is None:
            group = grouped[order.number] = _OrderRows(row, order)
        else:
            for column in HEADER:
                if getattr(order, column) != getattr(group.header, column):
                    raise row.problem(
                        column,
                        f"'{row.values.get(column, '')}' differs from row {group.first.number} "
                        f"('{group.first.values.get(column, '')}'); the rows of order {order.number} must agree",
                    )
            if len(group.lines) == MAX_LINES:
                raise row.problem(None, f"order {order.number} has more than {MAX_LINES} lines")
        group.lines.extend(order.lines)

    _validate(table, parse)
    counts = {"orders": 0, "lines": 0, "released": 0, "blocked": 0}
    groups = list(grouped.values())
    inputs = [group.header.model_copy(update={"lines": group.lines}) for group in groups]
    for order in orders.add_orders(db, actor, inputs, screener, _naming(groups), workers):
        counts["orders"] += 1
        counts["lines"] += order.lines
        if order.status in ("released", "blocked"):
            counts[order.status] += 1
    return counts


# --- licences -------------------------------------------------------------------------------------------------


def _import_licences(db: Session, actor: Actor, table: Table, _screener: Screener | None) -> dict[str, int]:
    table.check_columns(*LICENCE_COLUMNS)
    existing, seen = _codes(db, Licence.number), dict[str, int]()
    parties, items = _codes(db, Party.code), _codes(db, Item.code)

    def known(row: Row, column: str, codes: set[str], what: str) -> list[str]:
        values = row.codes(column)
        for value in values:
            if value not in codes:
                raise row.problem(column, f"{what} '{value}' does not exist")
        return values

    def parse(row: Row) -> tuple[Row, dict[str, Any]]:
        regime_id, regime = _regime(row)
        kind = row.required("type")
        if kind not in regime.pack.licences.types:
            known_types = ", ".join(regime.pack.licences.types)
            raise row.problem("type", f"'{kind}' is not a licence type of regime {regime_id} ({known_types})")
        number = row.required("number")
        _valid(row, "number", records.check_code, number)
        _valid(row, "holder", records.check_name, row.text("holder"))
        _unique(row, "number", number, existing, seen, "licence")
        entries = row.codes("entries")
        for entry in entries:
            if entry not in regime.pack.entries:
                raise row.problem("entries", f"'{entry}' is not an entry of regime {regime_id}")
        valid_from, valid_to = row.date("valid_from", required=True), row.date("valid_to", required=True)
        assert valid_from is not None and valid_to is not None
        if valid_to < valid_from:
            raise row.problem("valid_to", f"{valid_to} is before valid_from {valid_from}")
        return row, {
            "regime": regime_id,
            "type": kind,
            "number": number,
            "holder": row.required("holder"),
            "destinations": row.countries("destinations"),
            "consignees": known(row, "consignees", parties, "party"),
            "end_users": known(row, "end_users", parties, "party"),
            "entries": entries,
            "items": known(row, "items", items, "item"),
            "quantity_limit": row.decimal("quantity_limit"),
            "value_limit_jpy": row.integer("value_limit_jpy"),
            "valid_from": valid_from,
            "valid_to": valid_to,
        }

    parsed = _validate(table, parse)
    for row, fields in parsed:
        with _writing(row):
            orders.add_licence(db, actor, **fields)
    return {"licences": len(parsed)}


IMPORTERS: dict[str, Callable[[Session, Actor, Table, Screener | None], dict[str, int]]] = {
    "items": _import_items,
    "parties": _import_parties,
    "orders": _import_orders,
    "licences": _import_licences,
}
