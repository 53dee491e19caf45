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
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from exportctl.determine.classify import UnknownItem, classify_item
from exportctl.regime import Regime
from exportctl.regime.files import builtin_packs
from exportctl.regime.schema import Purpose, Residency
from exportctl.screening.screener import Screener
from exportctl.services import checking, orders, records
from exportctl.services.orders import LineInput, OrderInput
from exportctl.services.records import WRITERS, Actor, RecordError, classification_on
from exportctl.services.tables import InvalidImport, Row, Table, read_table
from exportctl.store.models import Item, Licence, Order, Party

KINDS = ("items", "parties", "orders", "licences")
PARTY_ROLES = records.PARTY_ROLES
LINE_KINDS = ("goods", "technology")
RESIDENCIES = typing.get_args(Residency)
PURPOSES = typing.get_args(Purpose)
MOST_PROBLEMS = 20
T = TypeVar("T")

ITEM_COLUMNS = (("code", "description"), ("hs_code", "regime", "reference", "rationale", "valid_from"))
PARTY_COLUMNS = (("code", "name"), ("country", "roles"))
ORDER_HEADER = ("number", "regime", "ship_date", "destination", "consignee", "end_user", "end_use", "wmd_end_use",
                "conventional_end_use", "informed", "clearly_not")  # fmt: skip
ORDER_LINE = ("item", "reference", "kind", "quantity", "value_jpy", "residency", "tech_purpose")
ORDER_COLUMNS = (("number", "ship_date", "destination"), tuple(c for c in ORDER_HEADER + ORDER_LINE if c not in
                 ("number", "ship_date", "destination")))  # fmt: skip
LICENCE_COLUMNS = (("type", "number", "holder", "valid_from", "valid_to"),
                   ("regime", "destinations", "consignees", "end_users", "entries", "items", "quantity_limit",
                    "value_limit_jpy"))  # fmt: skip


def import_file(db: Session, actor: Actor, kind: str, path: Path, screener: Screener | None = None) -> dict[str, int]:
    """Validate every row of the file, then write them all in `db`'s transaction. Returns what was written."""
    if kind not in IMPORTERS:
        raise RecordError(f"kind: '{kind}' is not one of {', '.join(KINDS)}")
    actor.require(*(("officer", "admin") if kind == "licences" else WRITERS))
    return IMPORTERS[kind](db, actor, read_table(path), screener)


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
    regime_id = row.text(column) or "jp"
    if regime_id not in builtin_packs():
        raise row.problem(column, f"'{regime_id}' is not an installed regime ({', '.join(builtin_packs())})")
    return regime_id, checking.regime(regime_id)


def _check_reference(row: Row, regime: Regime, reference: str, day: dt.date) -> None:
    snapshot = regime.at(max(day, regime.pack.meta.coverage_from))
    try:
        classify_item(snapshot, reference, snapshot.known_entries)
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

    def parse(row: Row) -> tuple[Row, str, str, str | None, list[str]]:
        code = row.required("code")
        _valid(row, "code", records.check_code, code)
        _valid(row, "name", records.check_name, row.text("name"))
        _unique(row, "code", code, existing, seen, "party")
        roles = row.codes("roles")
        for role in roles:
            if role not in PARTY_ROLES:
                raise row.problem("roles", f"'{role}' is not one of {', '.join(PARTY_ROLES)}")
        return row, code, row.required("name"), row.country("country"), roles

    counts = {"parties": 0, "screened": 0, "with_hits": 0}
    for row, code, name, country, roles in _validate(table, parse):
        with _writing(row):
            party = records.add_party(db, actor, code, name, country, roles, screener)
        counts["parties"] += 1
        counts["screened"] += screener is not None
        counts["with_hits"] += party.screening_status == "hits"
    return counts


# --- orders ---------------------------------------------------------------------------------------------------


@dataclass
class _OrderRows:
    first: Row
    header: dict[str, Any]
    lines: list[LineInput] = field(default_factory=list)


def _import_orders(db: Session, actor: Actor, table: Table, screener: Screener | None) -> dict[str, int]:
    table.check_columns(*ORDER_COLUMNS)
    existing = _codes(db, Order.number)
    parties = _codes(db, Party.code)
    items = {item.code: item for item in db.scalars(select(Item)).all()}
    grouped: dict[str, _OrderRows] = {}

    def party(row: Row, column: str) -> str | None:
        code = row.text(column)
        if code is not None and code not in parties:
            raise row.problem(column, f"party '{code}' does not exist")
        return code

    def header(row: Row) -> dict[str, Any]:
        number = row.required("number")
        _valid(row, "number", records.check_code, number)
        _valid(row, "end_use", lambda f, v: records.check_text(f, v, records.END_USE_MAX), row.text("end_use"))
        if number in existing:
            raise row.problem("number", f"order '{number}' already exists")
        regime_id, regime = _regime(row)
        ship_date = row.date("ship_date", required=True)
        assert ship_date is not None
        if ship_date < regime.pack.meta.coverage_from:
            raise row.problem("ship_date", f"{ship_date} is before the {regime_id} pack's coverage")
        return {
            "number": number,
            "regime": regime_id,
            "ship_date": ship_date,
            "destination": row.country("destination", required=True),
            "consignee": party(row, "consignee"),
            "end_user": party(row, "end_user"),
            "end_use": row.text("end_use"),
            "wmd_end_use": row.boolean("wmd_end_use"),
            "conventional_end_use": row.boolean("conventional_end_use"),
            "informed": bool(row.boolean("informed")),
            "clearly_not": bool(row.boolean("clearly_not")),
        }

    def line(row: Row, order: dict[str, Any]) -> LineInput:
        code, reference = row.text("item"), row.text("reference")
        if (code is None) == (reference is None):
            raise row.problem("item", "give exactly one of item (a product code) or reference")
        if code is not None:
            item = items.get(code)
            if item is None:
                raise row.problem("item", f"item '{code}' does not exist")
            if classification_on(item, order["regime"], order["ship_date"]) is None:
                raise row.problem("item", f"item '{code}' has no {order['regime']} classification on the ship date")
        if reference is not None:
            _check_reference(row, checking.regime(order["regime"]), reference, order["ship_date"])
        return LineInput(
            item=code,
            reference=reference,
            kind=row.choice("kind", LINE_KINDS, "goods") or "goods",
            quantity=row.decimal("quantity"),
            value_jpy=row.integer("value_jpy"),
            residency=row.choice("residency", RESIDENCIES),
            tech_purpose=row.choice("tech_purpose", PURPOSES),
        )

    def parse(row: Row) -> None:
        fields = header(row)
        group = grouped.get(fields["number"])
        if group is None:
            group = grouped[fields["number"]] = _OrderRows(row, fields)
        else:
            for column in ORDER_HEADER:
                if fields[column] != group.header[column]:
                    raise row.problem(
                        column,
                        f"'{row.values.get(column, '')}' differs from row {group.first.number} "
                        f"('{group.first.values.get(column, '')}'); the rows of order {fields['number']} must agree",
                    )
        group.lines.append(line(row, fields))

    _validate(table, parse)
    counts = {"orders": 0, "lines": 0, "released": 0, "blocked": 0}
    for group in grouped.values():
        with _writing(group.first):
            order = orders.add_order(db, actor, OrderInput(**group.header, lines=group.lines), screener)
        counts["orders"] += 1
        counts["lines"] += len(group.lines)
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
