"""Command-line interface. Thin: parse flags, call a service, render. Exit 0 for any determination,
2 for invalid input (the message names the flag, field, file or line)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
import yaml
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from exportctl import render
from exportctl.demo_timeline import KOREA_TIMELINE_DATES, korea_order
from exportctl.determine.classify import classify_spec
from exportctl.determine.engine import InvalidTransaction
from exportctl.model import Determination, Line, Specification, Transaction
from exportctl.regime import OutsideCoverage, PackError
from exportctl.regime.diff import diff
from exportctl.regime.files import read_pack_dir
from exportctl.regime.loader import parse_pack
from exportctl.regime.snapshot import Snapshot
from exportctl.screening.sources.common import ListFileError
from exportctl.services import checking

app = typer.Typer(help="exportctl — export-control determinations with reasons and citations.", no_args_is_help=True)
regime_app = typer.Typer(help="Inspect a regime pack: what is in force on a date, and what changed.")
pack_app = typer.Typer(help="Validate regime packs.")
app.add_typer(regime_app, name="regime")
app.add_typer(pack_app, name="pack")

# Piped output (CI logs, files) is not limited to 80 columns: tables of reasons need the room.
out = Console(width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True)


class Format(StrEnum):
    table = "table"
    json = "json"


FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]


def fail(message: str) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(2)


@contextmanager
def input_errors() -> Iterator[None]:
    """Turn every kind of bad input into exit status 2 with a message naming what was wrong."""
    try:
        yield
    except ValidationError as exc:
        problems = [f"{'.'.join(str(p) for p in e['loc']) or 'input'}: {e['msg']}" for e in exc.errors()]
        fail("; ".join(problems))
    except (InvalidTransaction, PackError, OutsideCoverage, ListFileError) as exc:
        fail(str(exc))


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def parse_date(value: str, flag: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{flag}: '{value}' is not a date (YYYY-MM-DD)")


def parse_params(pairs: list[str], flag: str) -> dict[str, bool | int | float | str]:
    params: dict[str, bool | int | float | str] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key:
            fail(f"{flag}: '{pair}' is not NAME=VALUE")
        params[key.strip()] = _scalar(raw.strip())
    return params


def _scalar(raw: str) -> bool | int | float | str:
    if raw.lower() in ("true", "false"):
        return raw.lower() == "true"
    for kind in (int, float):
        try:
            return kind(raw)
        except ValueError:
            continue
    return raw


def load_document(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        fail(f"--file {path}: {exc.strerror}")
    try:
        return json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        fail(f"--file {path}: not valid {'JSON' if path.suffix.lower() == '.json' else 'YAML'} ({exc})")


@app.command()
def check(
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Transaction as YAML or JSON.")] = None,
    regime: Annotated[str, typer.Option("--regime", help="Regime pack id.")] = "jp",
    date: Annotated[str | None, typer.Option("--date", help="Date of the export (YYYY-MM-DD).")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Destination country (ISO 3166-1 alpha-2).")] = None,
    item: Annotated[str | None, typer.Option("--item", help="Entry id, international number or hs:CODE.")] = None,
    product: Annotated[str | None, typer.Option("--product", help="Classify by specification: product key.")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", help="Specification parameter NAME=VALUE.")] = None,
    hs: Annotated[str | None, typer.Option("--hs", help="HS code of a specified product (row 16).")] = None,
    technology: Annotated[bool, typer.Option("--technology", help="The line is technology, not goods.")] = False,
    residency: Annotated[
        str | None,
        typer.Option(
            "--residency", help="Technology recipient: non-resident | resident | resident-specified-category."
        ),
    ] = None,
    provided_abroad: Annotated[bool, typer.Option("--provided-abroad", help="Technology provided abroad.")] = False,
    value_jpy: Annotated[int | None, typer.Option("--value-jpy", help="Contract value in JPY.")] = None,
    quantity: Annotated[float | None, typer.Option("--quantity", help="Quantity.")] = None,
    consignee: Annotated[str | None, typer.Option("--consignee", help="Consignee name.")] = None,
    end_user: Annotated[str | None, typer.Option("--end-user", help="End user name.")] = None,
    end_user_country: Annotated[str | None, typer.Option("--end-user-country", help="End user's country.")] = None,
    end_use: Annotated[str | None, typer.Option("--end-use", help="Declared end use (text).")] = None,
    wmd_end_use: Annotated[
        bool | None, typer.Option("--wmd-end-use/--no-wmd-end-use", help="The end use is (not) WMD-related.")
    ] = None,
    conventional_end_use: Annotated[
        bool | None,
        typer.Option("--conventional-end-use/--no-conventional-end-use", help="The end use is (not) military."),
    ] = None,
    informed: Annotated[bool, typer.Option("--informed", help="METI has informed the exporter.")] = False,
    clearly_not: Annotated[
        bool, typer.Option("--clearly-not", help="The 'clearly not' guideline was applied.")
    ] = False,
    eul: Annotated[Path | None, typer.Option("--eul", help="End User List file (METI Excel).")] = None,
    output_format: FormatOption = Format.table,
) -> None:
    """Determine one transaction: from flags (one line) or from --file."""
    with input_errors():
        if file is not None:
            transaction = Transaction.model_validate(load_document(file))
        else:
            if date is None or to is None or (item is None and product is None):
                fail("--date, --to and --item (or --product) are required without --file")
            spec = (
                Specification(product=product, params=parse_params(param or [], "--param"), hs=hs) if product else None
            )
            line = Line(
                kind="technology" if technology else "goods",
                item=item,
                spec=spec,
                value_jpy=value_jpy,
                quantity=quantity,
                residency=residency,
                provided_abroad=provided_abroad,
            )
            transaction = Transaction(
                regime=regime,
                date=parse_date(date, "--date"),
                destination=to,
                consignee=consignee,
                end_user=end_user,
                end_user_country=end_user_country,
                end_use=end_use,
                wmd_end_use=wmd_end_use,
                conventional_end_use=conventional_end_use,
                informed=informed,
                clearly_not=clearly_not,
                lines=[line],
            )
        checker = checking.Checker(eul)
        determination = checker.check(transaction)
        snapshot = checking.regime(transaction.regime).at(transaction.date)
    if output_format is Format.json:
        emit_json(render.determination_dict(snapshot, determination))
    else:
        print_determination(snapshot, determination)


OUTCOME_STYLE = {
    "no_licence_required": "green",
    "licence_required": "yellow",
    "prohibited": "bold red",
    "indeterminate": "magenta",
}


def print_determination(snapshot: Snapshot, determination: Determination) -> None:
    style = OUTCOME_STYLE[determination.outcome.value]
    out.print(
        f"[bold]{determination.regime}[/] {determination.date} → {determination.destination} "
        f"(Group {determination.destination_group}): [{style}]{determination.outcome.value}[/]"
    )
    if determination.eligible_licences:
        out.print(f"eligible licences: {', '.join(determination.eligible_licences)}")
    if determination.missing:
        out.print(f"[magenta]missing:[/] {', '.join(determination.missing)}")
    table = Table("line", "entries", "outcome", "licences", "reasons (source)", show_lines=True)
    for line in determination.lines:
        reasons = "\n".join(f"• {r.text}" + (f" [dim]({r.source})[/]" if r.source else "") for r in line.reasons)
        table.add_row(
            f"{line.index}: {line.item} ({line.kind})",
            "\n".join(f"{m.entry}{'#' + m.clause if m.clause else ''}" for m in line.entries) or "—",
            f"[{OUTCOME_STYLE[line.outcome.value]}]{line.outcome.value}[/]",
            "\n".join(line.eligible_licences) or "—",
            reasons,
        )
    out.print(table)
    for reason in determination.reasons:
        out.print(f"• {reason.text} [dim]({reason.source})[/]")
    out.print(f"[dim]pack {determination.pack_version}[/]")


@app.command()
def classify(
    product: Annotated[str, typer.Option("--product", help="Product key, e.g. hydrogen-fluoride.")],
    param: Annotated[list[str] | None, typer.Option("--param", help="NAME=VALUE, repeatable.")] = None,
    hs: Annotated[str | None, typer.Option("--hs", help="HS code, for row 16 when not listed.")] = None,
    regime: Annotated[str, typer.Option("--regime")] = "jp",
    date: Annotated[str | None, typer.Option("--date", help="Date (default: the pack's latest rules).")] = None,
    output_format: FormatOption = Format.table,
) -> None:
    """Classify an item by its specification: the matching entries, and why."""
    with input_errors():
        day = parse_date(date, "--date") if date else dt.date.max
        snapshot = checking.regime(regime).at(day)
        result = classify_spec(
            snapshot, Specification(product=product, params=parse_params(param or [], "--param"), hs=hs)
        )
    data = {
        "status": result.status,
        "note": result.note,
        "missing": list(result.missing),
        "matches": [render._entry_dict(m) for m in result.matches],
        "entries": [m.entry for m in result.matches],
    }
    if output_format is Format.json:
        emit_json(data)
        return
    label = STATUS_LABELS[result.status]
    out.print(f"[bold]{product}[/]: {label}" + (f" — {result.note}" if result.note else ""))
    for match in result.matches:
        out.print(f"  {match.entry}#{match.clause} ({', '.join(match.control_numbers)})")
        for c in match.comparisons:
            verdict = {True: "[green]holds[/]", False: "[red]fails[/]", None: "[magenta]unknown[/]"}[c.holds]
            out.print(f"    {c.param} = {c.actual} {c.op} {c.required}: {verdict}")


STATUS_LABELS = {
    "listed": "listed",
    "catch-all": "not listed in rows 1–15 (row 16 catch-all may apply)",
    "not-controlled": "not controlled",
    "undetermined": "undetermined",
}


def _regime_snapshot(regime_id: str, date: str, flag: str) -> Snapshot:
    with input_errors():
        return checking.regime(regime_id).at(parse_date(date, flag))


@regime_app.command("show")
def regime_show(
    regime_id: Annotated[str, typer.Argument(metavar="REGIME", help="Regime pack id, e.g. jp.")],
    date: Annotated[str, typer.Option("--date", help="Date (YYYY-MM-DD).")],
    output_format: FormatOption = Format.table,
) -> None:
    """Country groups, tables and special measures in force on a date."""
    snapshot = _regime_snapshot(regime_id, date, "--date")
    groups = {
        "A": sorted(snapshot.tables["table-3"]),
        "B": sorted(c for c in snapshot.tables["group-b"] if snapshot.group(c) == "B"),
        "D": sorted(snapshot.tables["table-3-2"].keys() | snapshot.tables["table-4"].keys()),
    }
    measures = [render.fact_dict(snapshot, f) for k, f in snapshot.facts.items() if k.startswith("measure/")]
    if output_format is Format.json:
        emit_json(
            {
                "regime": snapshot.regime,
                "pack_version": snapshot.pack_version,
                "date": date,
                "groups": {**groups, "C": "every other country"},
                "tables": {name: sorted(members) for name, members in snapshot.tables.items()},
                "embargoes": sorted(snapshot.embargoes),
                "measures": measures,
                "facts": [render.fact_dict(snapshot, f) for f in snapshot.facts.values()],
            }
        )
        return
    out.print(f"[bold]{snapshot.regime}[/] on {date} (pack {snapshot.pack_version}; unchanged over {snapshot.valid})")
    table = Table("group", "members")
    for group, members in groups.items():
        table.add_row(group, " ".join(members))
    table.add_row("C", "every other country")
    out.print(table)
    out.print(f"embargoes: {', '.join(sorted(snapshot.embargoes)) or 'none'}")
    out.print("special measures:" if measures else "special measures: none")
    for measure in measures:
        out.print(f"  • {measure['text']} [dim]({measure['source']['id']})[/]")


@regime_app.command("diff")
def regime_diff(
    regime_id: Annotated[str, typer.Argument(metavar="REGIME")],
    date1: Annotated[str, typer.Argument(metavar="D1")],
    date2: Annotated[str, typer.Argument(metavar="D2")],
    output_format: FormatOption = Format.table,
) -> None:
    """The facts that changed between two dates, with the instruments that changed them."""
    before = _regime_snapshot(regime_id, date1, "D1")
    after = _regime_snapshot(regime_id, date2, "D2")
    changes = diff(before, after)
    start, end = sorted((parse_date(date1, "D1"), parse_date(date2, "D2")))
    change_dates = [d.isoformat() for d in checking.regime(regime_id).changes_between(start, end)]
    if output_format is Format.json:
        emit_json(
            {
                "regime": regime_id,
                "from": date1,
                "to": date2,
                "pack_version": after.pack_version,
                "change_dates": change_dates,
                "changes": [render.change_dict(before, after, c) for c in changes],
            }
        )
        return
    table = Table("change", "fact", "source", show_lines=False)
    for change in changes:
        source = after.sources[change.source]
        table.add_row(change.kind, change.text, f"{source.instrument} {source.article or ''}".strip())
    out.print(f"[bold]{regime_id}[/] {date1} → {date2}: {len(changes)} change(s)")
    if change_dates:
        out.print(f"rules changed on: {', '.join(change_dates)}")
    out.print(table)


@pack_app.command("validate")
def pack_validate(folder: Annotated[Path, typer.Argument(help="Pack folder.")]) -> None:
    """Validate a pack folder; errors name the file, key path and line."""
    with input_errors():
        pack = parse_pack(read_pack_dir(folder))
    out.print(f"{folder}: valid — pack {pack.version}, {len(pack.entries)} entries, {len(pack.sources)} sources")


@app.command()
def timeline(
    regime_id: Annotated[str, typer.Option("--regime")] = "jp",
    output_format: FormatOption = Format.table,
) -> None:
    """The Korea 2019–2023 timeline: one order checked on the dates the rules changed."""
    checker = checking.Checker()
    rows: list[dict[str, Any]] = []
    for day, event in KOREA_TIMELINE_DATES:
        determination = checker.check(korea_order(day, regime_id))
        rows.append(
            {
                "date": day.isoformat(),
                "event": event,
                "group": determination.destination_group,
                "lines": [
                    {
                        "item": line.item,
                        "outcome": line.outcome.value,
                        "eligible_licences": list(line.eligible_licences),
                    }
                    for line in determination.lines
                ],
            }
        )
    if output_format is Format.json:
        emit_json(rows)
        return
    order = korea_order(KOREA_TIMELINE_DATES[0][0], regime_id)
    table = Table("date", "event", "KR", *(_line_heading(line) for line in order.lines), show_lines=True)
    for row in rows:
        cells = [_licence_cell(line) for line in row["lines"]]
        table.add_row(row["date"], row["event"], row["group"], *cells)
    out.print("[bold]One order to the Republic of Korea, checked on each date the rules changed[/]")
    out.print(table)
    legend = ", ".join(f"{code} = {licence}" for licence, code in LICENCE_CODES.items())
    out.print(f"Licence types usable: {legend}. '-' = no licence needed; '?' = indeterminate.")


LICENCE_CODES = {
    "individual": "IND",
    "general-bulk": "GB",
    "special-general-bulk": "SGB",
    "specific-bulk": "SB",
    "specific-subsidiary-bulk": "SSB",
    "special-return-bulk": "SRB",
}
OUTCOME_CODES = {"no_licence_required": "-", "indeterminate": "?", "prohibited": "prohibited"}


def _line_heading(line: Line) -> str:
    return line.description or line.item or "line"


def _licence_cell(line: dict[str, Any]) -> str:
    if line["outcome"] != "licence_required":
        return OUTCOME_CODES[line["outcome"]]
    return " ".join(LICENCE_CODES.get(licence, licence) for licence in line["eligible_licences"])
