"""`licences add | amend | import | list | show | warnings`: the licence book."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import typer
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from exportctl.cli.acting import transaction
from exportctl.cli.common import Format, FormatOption, country_option, emit_json, fail, out, parse_date
from exportctl.cli.records import ImportFile, report_import
from exportctl.cli.root import licences_app
from exportctl.records_json import licence_dict
from exportctl.services import importing, orders, records
from exportctl.settings import DEFAULT_REGIME
from exportctl.store.models import Drawdown, Licence, OrderLine


def _use(used: float, limit: float | None) -> str:
    return f"{used:,.0f} / {limit:,.0f}" if limit is not None else f"{used:,.0f} / —"


@licences_app.command("add")
def licences_add(
    number: Annotated[str, typer.Argument(help="Licence number.")],
    licence_type: Annotated[str, typer.Option("--type", help="Licence type of the regime, e.g. individual.")],
    holder: Annotated[str, typer.Option("--holder", help="The exporter holding it.")],
    valid_from: Annotated[str, typer.Option("--valid-from", help="YYYY-MM-DD.")],
    valid_to: Annotated[str, typer.Option("--valid-to", help="YYYY-MM-DD (inclusive).")],
    regime: Annotated[str, typer.Option("--regime")] = DEFAULT_REGIME,
    destination: Annotated[list[str] | None, typer.Option("--destination", help="Country (repeat; none: any).")] = None,
    consignee: Annotated[list[str] | None, typer.Option("--consignee", help="Party code (repeat; none: any).")] = None,
    end_user: Annotated[list[str] | None, typer.Option("--end-user", help="Party code (repeat; none: any).")] = None,
    entry: Annotated[list[str] | None, typer.Option("--entry", help="Entry id covered (repeat).")] = None,
    item: Annotated[list[str] | None, typer.Option("--item", help="Item code covered (repeat).")] = None,
    quantity_limit: Annotated[float | None, typer.Option("--quantity-limit", min=0)] = None,
    value_limit_jpy: Annotated[int | None, typer.Option("--value-limit-jpy", min=0)] = None,
) -> None:
    """Add a licence to the book (officer or admin)."""
    start, end = parse_date(valid_from, "--valid-from"), parse_date(valid_to, "--valid-to")
    if end < start:
        fail(f"--valid-to: {end} is before --valid-from {start}")
    destinations = [country_option(value, "--destination") or "" for value in destination or []]
    with transaction() as (db, actor):
        for code in [*(consignee or []), *(end_user or [])]:
            records.party_by_code(db, code)
        for code in item or []:
            records.item_by_code(db, code)
        orders.add_licence(
            db,
            actor,
            regime=regime,
            type=licence_type,
            number=number,
            holder=holder,
            destinations=destinations,
            consignees=list(consignee or []),
            end_users=list(end_user or []),
            entries=list(entry or []),
            items=list(item or []),
            quantity_limit=quantity_limit,
            value_limit_jpy=value_limit_jpy,
            valid_from=start,
            valid_to=end,
        )
    out.print(f"licence {number} ({licence_type}) added")


@licences_app.command("amend")
def licences_amend(
    number: Annotated[str, typer.Argument(help="Licence number.")],
    valid_to: Annotated[str | None, typer.Option("--valid-to", help="New last day (YYYY-MM-DD).")] = None,
    quantity_limit: Annotated[float | None, typer.Option("--quantity-limit", min=0)] = None,
    value_limit_jpy: Annotated[int | None, typer.Option("--value-limit-jpy", min=0)] = None,
    destination: Annotated[list[str] | None, typer.Option("--destination", help="Replaces the destinations.")] = None,
) -> None:
    """Amend a licence's validity, limits or destinations (officer or admin); the ledger keeps before and after."""
    changes: dict[str, Any] = {}
    if valid_to is not None:
        changes["valid_to"] = parse_date(valid_to, "--valid-to")
    if quantity_limit is not None:
        changes["quantity_limit"] = quantity_limit
    if value_limit_jpy is not None:
        changes["value_limit_jpy"] = value_limit_jpy
    if destination:
        changes["destinations"] = [country_option(value, "--destination") or "" for value in destination]
    if not changes:
        fail("nothing to amend: give --valid-to, --quantity-limit, --value-limit-jpy or --destination")
    with transaction() as (db, actor):
        orders.amend_licence(db, actor, number, changes)
    out.print(f"licence {number} amended: {', '.join(sorted(changes))}")


@licences_app.command("import")
def licences_import(file: ImportFile) -> None:
    """Import licences (regime, type, number, holder, lists separated by ';', limits, validity). All or none."""
    with transaction() as (db, actor):
        counts = importing.import_file(db, actor, "licences", file)
    report_import(counts)


@licences_app.command("list")
def licences_list(output_format: FormatOption = Format.table) -> None:
    """Every licence with its use."""
    with transaction() as (db, _actor):
        today = dt.date.today()
        licences = [licence_dict(lic, today) for lic in db.scalars(select(Licence).order_by(Licence.number))]
    if output_format is Format.json:
        emit_json(licences)
        return
    table = Table(
        "number", "state", "type", "destinations", "consignees", "items", "valid", "value used (JPY)", "qty used"
    )
    for lic in licences:
        table.add_row(
            lic["number"],
            lic["state"],
            lic["type"],
            ", ".join(lic["destinations"]) or "any",
            ", ".join(lic["consignees"]) or "any",
            ", ".join(lic["items"] + lic["entries"]) or "any",
            f"{lic['valid_from']} – {lic['valid_to']}",
            _use(lic["value_used_jpy"], lic["value_limit_jpy"]),
            _use(lic["quantity_used"], lic["quantity_limit"]),
        )
    out.print(table)


def _shipped_on(db: Session, drawdown: Drawdown) -> str | None:
    line = db.get(OrderLine, drawdown.order_line_id) if drawdown.order_line_id is not None else None
    return line.order.shipped_on.isoformat() if line is not None and line.order.shipped_on else None


@licences_app.command("show")
def licences_show(number: Annotated[str, typer.Argument()], output_format: FormatOption = Format.table) -> None:
    """A licence and its drawdowns."""
    with transaction() as (db, _actor):
        licence = db.scalars(select(Licence).where(Licence.number == number)).first()
        if licence is None:
            fail(f"licence '{number}' does not exist")
        data = licence_dict(licence, dt.date.today())
        data["drawdowns"] = [
            {
                "quantity": d.quantity,
                "value_jpy": d.value_jpy,
                "by": d.drawn_by,
                "at": d.drawn_at.isoformat(),
                "shipped_on": _shipped_on(db, d),
            }
            for d in db.scalars(select(Drawdown).where(Drawdown.licence_id == licence.id).order_by(Drawdown.id))
        ]
    if output_format is Format.json:
        emit_json(data)
        return
    for key, value in data.items():
        if key != "drawdowns":
            out.print(f"{key}: {', '.join(value) if isinstance(value, list) else value}", highlight=False)
    out.print(f"drawdowns: {len(data['drawdowns'])}")
    for d in data["drawdowns"]:
        shipped = f" shipped {d['shipped_on']}" if d["shipped_on"] else ""
        out.print(
            f"  {d['at'][:19]} {d['by']}: quantity {d['quantity']:,}, ¥{d['value_jpy']:,}{shipped}", highlight=False
        )


@licences_app.command("warnings")
def licences_warnings(
    today: Annotated[str | None, typer.Option("--today", help="Date to warn from (default: today).")] = None,
    days: Annotated[int, typer.Option("--days", min=0, help="Warn of expiry this many days ahead.")] = 60,
    output_format: FormatOption = Format.table,
) -> None:
    """Licences expiring soon, or 90 % used."""
    day = parse_date(today, "--today") if today else dt.date.today()
    with transaction() as (db, _actor):
        warnings = orders.licence_warnings(db, day, days)
    if output_format is Format.json:
        emit_json([w.__dict__ for w in warnings])
        return
    if not warnings:
        out.print(f"no licence expires within {days} days of {day} or is nearly used up")
    for warning in warnings:
        out.print(f"{warning.number}: {warning.kind} — {warning.text}", highlight=False)
