"""`orders add | import | list | show | update | recheck | release | ship`.

An order is determined and its parties screened whenever it is entered or changed; it is released when
nothing blocks it, else blocked with its reasons until an officer releases it (licence-needed only with a
licence from the book). A shipped order is final.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.table import Table
from sqlalchemy import select

from exportctl.cli.acting import party_screener, transaction
from exportctl.cli.check import OUTCOME_STYLE
from exportctl.cli.common import (
    Format,
    FormatOption,
    country_option,
    emit_json,
    fail,
    input_errors,
    load_document,
    out,
    parse_date,
    region_option,
)
from exportctl.cli.records import ImportFile, report_import
from exportctl.cli.root import orders_app
from exportctl.order_input import PARTY_FIELDS, OrderInput, problems
from exportctl.records_json import order_dict
from exportctl.services import importing, orders, screening
from exportctl.settings import DEFAULT_REGIME
from exportctl.store.models import Order

STATUSES = ("released", "blocked", "shipped")


def _print_order(data: dict[str, Any]) -> None:
    style = OUTCOME_STYLE.get(data["outcome"] or "", "")
    status = {"released": "green", "blocked": "bold red", "shipped": "cyan"}.get(data["status"], "")
    out.print(
        f"[bold]{data['number']}[/] {data['ship_date']} → {data['destination']} (Group {data['destination_group']}): "
        f"[{status}]{data['status']}[/], outcome [{style}]{data['outcome']}[/]"
    )
    out.print(f"consignee {data['consignee'] or '—'}, end user {data['end_user'] or '—'}, end use {data['end_use']}")
    if data["blocking_reasons"]:
        out.print(f"[bold red]blocked by:[/] {', '.join(data['blocking_reasons'])}")
    if data["missing"]:
        out.print(f"[magenta]missing:[/] {', '.join(data['missing'])}")
    table = Table("line", "item", "entries", "outcome", "eligible", "licence", "reasons", show_lines=True)
    for line in data["lines"]:
        reasons = "\n".join(f"• {r['text']}" for r in line["reasons"])
        table.add_row(
            str(line["line"]),
            f"{line['item']}\n{line['classified_as']}" if line["item"] else line["reference"],
            ", ".join(line["entries"]) or "—",
            line["outcome"] or "—",
            "\n".join(line["eligible_licences"]) or "—",
            line["licence"] or "—",
            reasons,
        )
    out.print(table)
    for reason in data["reasons"]:
        out.print(f"• {reason['text']}", highlight=False)
    for hit in data["screening_hits"]:
        out.print(f"[red]screening hit:[/] {hit['name']} ({hit['list']}, score {hit['score']})", highlight=False)
    for release in data["releases"]:
        out.print(f"released by {release['officer']}: {release['reason']}", highlight=False)
    for regime, other in data["other_determinations"].items():
        licensed = data["other_licences"].get(regime, {})
        out.print(f"[bold]also under {regime}:[/] {other['outcome']}", highlight=False)
        for line in other["lines"]:
            licence = f", licence {licensed[str(line['index'] + 1)]}" if str(line["index"] + 1) in licensed else ""
            why = "; ".join(r["text"] for r in line["reasons"])
            out.print(f"  line {line['index'] + 1}: {line['outcome']}{licence} — {why}", highlight=False)
    out.print(f"[dim]pack {data['pack_version']}[/]")


def _show(data: dict[str, Any], output_format: Format) -> None:
    if output_format is Format.json:
        emit_json(data)
    else:
        _print_order(data)


FLAG_OF = {"destination": "--to", "origin": "--from", "destination_region": "--to-region"}  # flags not --field-name


@contextmanager
def _flags_named() -> Iterator[None]:
    """An order the input model refuses, named by the flags given (exit status 2)."""
    try:
        yield
    except ValidationError as exc:
        fail("; ".join(f"{FLAG_OF.get(p.field, '--' + p.field.replace('_', '-'))}: {p.text}" for p in problems(exc)))


@orders_app.command("add")
def orders_add(
    number: Annotated[str | None, typer.Option("--number", help="Order number.")] = None,
    ship_date: Annotated[str | None, typer.Option("--ship-date", help="YYYY-MM-DD.")] = None,
    origin: Annotated[str | None, typer.Option("--from", help="Where it leaves from (EU: member state).")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Destination (ISO alpha-2).")] = None,
    to_region: Annotated[
        str | None,
        typer.Option("--to-region", help="The destination's region (ISO 3166-2, e.g. UA-43), if it matters."),
    ] = None,
    item: Annotated[str | None, typer.Option("--item", help="Item code from the item master.")] = None,
    reference: Annotated[str | None, typer.Option("--reference", help="Or: entry id, number or hs:CODE.")] = None,
    quantity: Annotated[float | None, typer.Option("--quantity", min=0)] = None,
    value_jpy: Annotated[int | None, typer.Option("--value-jpy", min=0)] = None,
    value_eur: Annotated[int | None, typer.Option("--value-eur", min=0)] = None,
    value_usd: Annotated[int | None, typer.Option("--value-usd", min=0)] = None,
    us_content_pct: Annotated[
        float | None, typer.Option("--us-content-pct", help="A foreign-made item's US content in % (100: US-made).")
    ] = None,
    us_direct_product: Annotated[
        bool | None,
        typer.Option("--us-direct-product/--no-us-direct-product", help="A direct product of US technology (§ 734.9)."),
    ] = None,
    technology: Annotated[bool, typer.Option("--technology", help="The line is technology.")] = False,
    residency: Annotated[str | None, typer.Option("--residency", help="Technology recipient's residency.")] = None,
    tech_purpose: Annotated[
        str | None, typer.Option("--tech-purpose", help="Technology for: design | manufacture | use.")
    ] = None,
    consignee: Annotated[str | None, typer.Option("--consignee", help="Party code.")] = None,
    end_user: Annotated[str | None, typer.Option("--end-user", help="Party code.")] = None,
    end_use: Annotated[str | None, typer.Option("--end-use", help="Declared end use.")] = None,
    wmd_end_use: Annotated[bool | None, typer.Option("--wmd-end-use/--no-wmd-end-use")] = None,
    conventional_end_use: Annotated[
        bool | None, typer.Option("--conventional-end-use/--no-conventional-end-use")
    ] = None,
    repression_end_use: Annotated[bool | None, typer.Option("--repression-end-use/--no-repression-end-use")] = None,
    informed: Annotated[bool, typer.Option("--informed")] = False,
    clearly_not: Annotated[bool, typer.Option("--clearly-not")] = False,
    regime: Annotated[str, typer.Option("--regime")] = DEFAULT_REGIME,
    also_under: Annotated[
        list[str] | None,
        typer.Option(
            "--also-under", help="Another regime to decide it under (repeatable; default: `settings regimes`)."
        ),
    ] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Order with several lines, YAML or JSON.")] = None,
    output_format: FormatOption = Format.table,
) -> None:
    """Enter an order (one line from flags, or --file); it is determined and screened at once."""
    if file is not None:
        with input_errors():
            data = OrderInput.model_validate(load_document(file))
    else:
        if number is None or ship_date is None or to is None:
            fail("--number, --ship-date and --to are required without --file")
        if (item is None) == (reference is None):
            fail("give exactly one of --item or --reference")
        line = {
            "item": item,
            "reference": reference,
            "kind": "technology" if technology else "goods",
            "quantity": quantity,
            "value_jpy": value_jpy,
            "value_eur": value_eur,
            "value_usd": value_usd,
            "us_content_pct": us_content_pct,
            "us_direct_product": us_direct_product,
            "residency": residency,
            "tech_purpose": tech_purpose,
        }
        with _flags_named():
            data = OrderInput(
                number=number,
                ship_date=parse_date(ship_date, "--ship-date"),
                origin=origin,
                destination=to,
                destination_region=to_region,
                consignee=consignee,
                end_user=end_user,
                end_use=end_use,
                wmd_end_use=wmd_end_use,
                conventional_end_use=conventional_end_use,
                repression_end_use=repression_end_use,
                informed=informed,
                clearly_not=clearly_not,
                regime=regime,
                also_under=also_under,
                lines=[line],
            )
    screener = party_screener()
    with transaction() as (db, actor):
        shown = order_dict(orders.add_order(db, actor, data, screener))
    _show(shown, output_format)


@orders_app.command("import")
def orders_import(
    file: ImportFile,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=0,
            max=256,
            help="Determine the orders on N processes forked from this one (a large order book: one per core; the "
            "screening index is then read into memory first). Default 0: in this process.",
        ),
    ] = 0,
) -> None:
    """Import orders, one row per line (rows with the same number form one order). All rows or none."""
    if workers:
        screening.keep_in_memory()  # forked workers screen from memory: an index file's connection stays here
    screener = party_screener()
    with transaction() as (db, actor):
        counts = importing.import_file(db, actor, "orders", file, screener, workers)
    report_import(counts)


@orders_app.command("list")
def orders_list(
    status: Annotated[str | None, typer.Option("--status", help=f"Only {' | '.join(STATUSES)}.")] = None,
    output_format: FormatOption = Format.table,
) -> None:
    """Orders by ship date, with status and blocking reasons."""
    if status is not None and status not in STATUSES:
        fail(f"--status: '{status}' is not one of {', '.join(STATUSES)}")
    with transaction() as (db, _actor):
        query = select(Order).order_by(Order.ship_date, Order.number)
        if status is not None:
            query = query.where(Order.status == status)
        rows = [order_dict(order, detail=False) for order in db.scalars(query)]
    if output_format is Format.json:
        emit_json(rows)
        return
    table = Table("number", "ship date", "to", "consignee", "end user", "status", "outcome", "blocked by")
    for row in rows:
        table.add_row(
            row["number"],
            row["ship_date"],
            row["destination"],
            row["consignee"] or "—",
            row["end_user"] or "—",
            row["status"],
            row["outcome"] or "—",
            ", ".join(row["blocking_reasons"]) or "—",
        )
    out.print(table)


@orders_app.command("show")
def orders_show(number: Annotated[str, typer.Argument()], output_format: FormatOption = Format.table) -> None:
    """An order: lines, outcome, blocking reasons, assigned licences, reasons and releases."""
    with transaction() as (db, _actor):
        data = order_dict(orders.order_by_number(db, number))
    _show(data, output_format)


@orders_app.command("update")
def orders_update(
    number: Annotated[str, typer.Argument()],
    ship_date: Annotated[str | None, typer.Option("--ship-date", help="YYYY-MM-DD.")] = None,
    origin: Annotated[str | None, typer.Option("--from", help="Where it leaves from (EU: member state).")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Destination (ISO alpha-2).")] = None,
    to_region: Annotated[
        str | None, typer.Option("--to-region", help="The destination's region (ISO 3166-2, e.g. UA-43; '' for none).")
    ] = None,
    consignee: Annotated[str | None, typer.Option("--consignee", help="Party code ('' for none).")] = None,
    end_user: Annotated[str | None, typer.Option("--end-user", help="Party code ('' for none).")] = None,
    end_use: Annotated[str | None, typer.Option("--end-use")] = None,
    wmd_end_use: Annotated[bool | None, typer.Option("--wmd-end-use/--no-wmd-end-use")] = None,
    conventional_end_use: Annotated[
        bool | None, typer.Option("--conventional-end-use/--no-conventional-end-use")
    ] = None,
    repression_end_use: Annotated[bool | None, typer.Option("--repression-end-use/--no-repression-end-use")] = None,
    informed: Annotated[bool | None, typer.Option("--informed/--not-informed")] = None,
    clearly_not: Annotated[bool | None, typer.Option("--clearly-not/--not-clearly-not")] = None,
    output_format: FormatOption = Format.table,
) -> None:
    """Change an order's header; it is determined and screened again."""
    changes: dict[str, Any] = {
        "ship_date": parse_date(ship_date, "--ship-date") if ship_date is not None else None,
        "origin": country_option(origin, "--from"),
        "destination": country_option(to, "--to"),
        "destination_region": region_option(to_region or None, "--to-region"),
        "consignee": consignee,
        "end_user": end_user,
        "end_use": end_use,
        "wmd_end_use": wmd_end_use,
        "conventional_end_use": conventional_end_use,
        "repression_end_use": repression_end_use,
        "informed": informed,
        "clearly_not": clearly_not,
    }
    changes = {key: value for key, value in changes.items() if value is not None}
    for party in PARTY_FIELDS:  # '' names no party: the order has none
        if changes.get(party) == "":
            changes[party] = None
    if to_region == "":  # no region: the order's is cleared
        changes["destination_region"] = None
    if not changes:
        fail("nothing to change: give at least one option (see --help)")
    screener = party_screener()
    with transaction() as (db, actor):
        data = order_dict(orders.update_order(db, actor, number, changes, screener))
    _show(data, output_format)


@orders_app.command("recheck")
def orders_recheck(number: Annotated[str, typer.Argument()], output_format: FormatOption = Format.table) -> None:
    """Determine and screen an order again (after a review, a new licence or a list update)."""
    screener = party_screener()
    with transaction() as (db, actor):
        order = orders.order_by_number(db, number)
        # The service refuses a shipped order (it is final) and a caller who may not write.
        data = order_dict(orders.determine_order(db, actor, order, screener, "rechecked"))
    _show(data, output_format)


@orders_app.command("release")
def orders_release(
    number: Annotated[str, typer.Argument()],
    reason: Annotated[str, typer.Option("--reason", help="Why the officer releases it.")],
) -> None:
    """An officer releases a blocked order, with a reason. Licence-needed is lifted only by a licence in the
    book that fits (enter it first); other reasons are overridden, by two officers where four-eyes applies."""
    with transaction() as (db, actor):
        result = orders.release_order(db, actor, number, reason)
        others = [f"{r}:{n}" for r, numbers in result.order.other_licences.items() for n in numbers.values()]
    licences = sorted(set(result.licences.values()) | set(others))
    by_licence = f" (licence {', '.join(licences)} from the book)" if licences else ""
    if result.state == orders.RELEASED:
        out.print(f"order {number} released by {actor.name}{by_licence}", highlight=False)
    else:
        out.print(
            f"order {number}: {result.message}; a second officer must also release it{by_licence}", highlight=False
        )


@orders_app.command("ship")
def orders_ship(
    number: Annotated[str, typer.Argument()],
    date: Annotated[str | None, typer.Option("--date", help="The day it ships, YYYY-MM-DD (default: today).")] = None,
) -> None:
    """Ship a released order on a date, drawing its lines down on their licences (valid on that date)."""
    shipped_on = parse_date(date, "--date") if date is not None else dt.date.today()
    with transaction() as (db, actor):
        order = orders.ship_order(db, actor, number, shipped_on)
        drawn = [f"{line.licence.number}" for line in order.lines if line.licence]
        drawn += [f"{r}:{n}" for r, numbers in order.other_licences.items() for n in dict.fromkeys(numbers.values())]
    out.print(f"order {number} shipped on {shipped_on}" + (f"; drawn on {', '.join(drawn)}" if drawn else ""))
