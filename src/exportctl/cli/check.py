"""`check`, `classify` and `timeline`: determinations from flags or files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from exportctl import determination_json
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
    parse_params,
    region_option,
)
from exportctl.cli.root import app
from exportctl.core_types import Determination, Line, Specification, Transaction
from exportctl.determine.classify import classify_spec
from exportctl.korea_timeline import KOREA_TIMELINE_DATES, korea_order
from exportctl.regime.snapshot import Snapshot
from exportctl.services import checking, regimes
from exportctl.services.screening import ListConfigError
from exportctl.settings import DEFAULT_REGIME


@app.command()
def check(
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Transaction as YAML or JSON.")] = None,
    regime: Annotated[
        list[str] | None,
        typer.Option("--regime", help="Regime pack id; repeat to decide under several (--regime jp --regime us)."),
    ] = None,
    date: Annotated[str | None, typer.Option("--date", help="Date of the export (YYYY-MM-DD).")] = None,
    origin: Annotated[
        str | None, typer.Option("--from", help="Where the export leaves from (EU: the member state of export).")
    ] = None,
    to: Annotated[str | None, typer.Option("--to", help="Destination country (ISO 3166-1 alpha-2).")] = None,
    item: Annotated[str | None, typer.Option("--item", help="Entry id, international number or hs:CODE.")] = None,
    product: Annotated[str | None, typer.Option("--product", help="Classify by specification: product key.")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", help="Specification parameter NAME=VALUE.")] = None,
    hs: Annotated[str | None, typer.Option("--hs", help="HS code of a specified product (catch-all row).")] = None,
    technology: Annotated[bool, typer.Option("--technology", help="The line is technology, not goods.")] = False,
    residency: Annotated[
        str | None,
        typer.Option(
            "--residency",
            help="Technology provided in Japan (--to JP): non-resident | resident | resident-specified-category.",
        ),
    ] = None,
    provided_abroad: Annotated[
        bool, typer.Option("--provided-abroad", help="Technology provided abroad (implied by --to other than JP).")
    ] = False,
    tech_purpose: Annotated[
        str | None, typer.Option("--tech-purpose", help="Technology for: design | manufacture | use.")
    ] = None,
    exemption: Annotated[
        list[str] | None,
        typer.Option("--exemption", help="Technology exemption claimed (e.g. publicly-available); repeatable."),
    ] = None,
    value_jpy: Annotated[int | None, typer.Option("--value-jpy", help="Contract value in JPY.")] = None,
    value_eur: Annotated[int | None, typer.Option("--value-eur", help="Contract value in EUR.")] = None,
    value_usd: Annotated[int | None, typer.Option("--value-usd", help="Contract value in USD.")] = None,
    us_content_pct: Annotated[
        float | None,
        typer.Option("--us-content-pct", help="US: a foreign-made item's controlled US content in % (100: US-made)."),
    ] = None,
    us_direct_product: Annotated[
        bool | None,
        typer.Option(
            "--us-direct-product/--no-us-direct-product",
            help="US: the foreign-made item is (not) a direct product of US technology or software (§ 734.9).",
        ),
    ] = None,
    quantity: Annotated[float | None, typer.Option("--quantity", help="Quantity.")] = None,
    to_region: Annotated[
        str | None,
        typer.Option(
            "--to-region",
            help="The destination's region (ISO 3166-2, e.g. UA-43 Crimea) where a law treats it apart (EAR § 746.6).",
        ),
    ] = None,
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
    military_end_use: Annotated[
        bool | None,
        typer.Option("--military-end-use/--no-military-end-use", help="The same fact in the EU's words."),
    ] = None,
    repression_end_use: Annotated[
        bool | None,
        typer.Option(
            "--repression-end-use/--no-repression-end-use",
            help="The end use is (not) internal repression or serious human-rights violations (EU Art. 5).",
        ),
    ] = None,
    informed: Annotated[bool, typer.Option("--informed", help="METI has informed the exporter.")] = False,
    clearly_not: Annotated[
        bool, typer.Option("--clearly-not", help="The 'clearly not' guideline was applied.")
    ] = False,
    eul: Annotated[Path | None, typer.Option("--eul", help="End User List file (METI Excel).")] = None,
    output_format: FormatOption = Format.table,
) -> None:
    """Determine one transaction: from flags (one line) or from --file; under several regimes with --regime repeated."""
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
                value_eur=value_eur,
                value_usd=value_usd,
                us_content_pct=us_content_pct,
                us_direct_product=us_direct_product,
                quantity=quantity,
                residency=residency,
                provided_abroad=provided_abroad,
                tech_purpose=tech_purpose,
                exemptions=tuple(exemption or ()),
            )
            transaction = Transaction(
                regime=(regime or [DEFAULT_REGIME])[0],
                date=parse_date(date, "--date"),
                origin=country_option(origin, "--from"),
                destination=country_option(to, "--to (destination)"),
                destination_region=region_option(to_region, "--to-region"),
                consignee=consignee,
                end_user=end_user,
                end_user_country=country_option(end_user_country, "--end-user-country"),
                end_use=end_use,
                wmd_end_use=wmd_end_use,
                conventional_end_use=_one_fact(conventional_end_use, military_end_use),
                repression_end_use=repression_end_use,
                informed=informed,
                clearly_not=clearly_not,
                lines=[line],
            )
        named = list(dict.fromkeys(regime or [transaction.regime]))
        checker = _checker(eul)
        determinations = [checker.check(transaction.model_copy(update={"regime": r})) for r in named]
    if output_format is Format.json:
        if len(determinations) == 1:
            emit_json(determination_json.encode(determinations[0]))
        else:
            emit_json(determination_json.encode_several(determinations))
    else:
        for determination in determinations:
            print_determination(determination)


def _one_fact(conventional: bool | None, military: bool | None) -> bool | None:
    """--military-end-use names the fact --conventional-end-use names: given both, they must agree."""
    if conventional is not None and military is not None and conventional != military:
        fail("--conventional-end-use and --military-end-use name one fact: give one of them")
    return military if conventional is None else conventional


def _checker(end_user_list: Path | None) -> checking.Checker:
    """The checker over the configured lists; a bad list setting is an input error (exit 2), not a crash."""
    try:
        return checking.Checker(end_user_list)
    except ListConfigError as exc:
        fail(str(exc))


OUTCOME_STYLE = {
    "no_licence_required": "green",
    "licence_required": "yellow",
    "prohibited": "bold red",
    "indeterminate": "magenta",
}


def print_determination(determination: Determination) -> None:
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
    hs: Annotated[str | None, typer.Option("--hs", help="HS code, for the catch-all row when not listed.")] = None,
    regime: Annotated[str, typer.Option("--regime")] = DEFAULT_REGIME,
    date: Annotated[str | None, typer.Option("--date", help="Date (default: the pack's latest rules).")] = None,
    output_format: FormatOption = Format.table,
) -> None:
    """Classify an item by its specification: the matching entries, and why."""
    with input_errors():
        day = parse_date(date, "--date") if date else dt.date.max
        snapshot = regimes.regime(regime).at(day)
        result = classify_spec(
            snapshot, Specification(product=product, params=parse_params(param or [], "--param"), hs=hs)
        )
    data = {
        "status": result.status,
        "note": result.note,
        "missing": list(result.missing),
        "matches": [determination_json.encode_match(m) for m in result.matches],
        "entries": [m.entry for m in result.matches],
    }
    if output_format is Format.json:
        emit_json(data)
        return
    label = _status_label(snapshot, result.status)
    out.print(f"[bold]{product}[/]: {label}" + (f" — {result.note}" if result.note else ""))
    for match in result.matches:
        out.print(f"  {match.entry}#{match.clause} ({', '.join(match.control_numbers)})")
        for c in match.comparisons:
            verdict = {True: "[green]holds[/]", False: "[red]fails[/]", None: "[magenta]unknown[/]"}[c.holds]
            out.print(f"    {c.param} = {c.actual} {c.op} {c.required}: {verdict}")


STATUS_LABELS = {"listed": "listed", "not-controlled": "not controlled", "undetermined": "undetermined"}


def _status_label(snapshot: Snapshot, status: str) -> str:
    if status != "catch-all":
        return STATUS_LABELS[status]
    rows = "/".join(snapshot.pack.catch_all_rows())
    return f"{snapshot.pack.meta.terms.not_listed} (row {rows} catch-all may apply)"


@app.command()
def timeline(
    regime_id: Annotated[str, typer.Option("--regime")] = DEFAULT_REGIME,
    output_format: FormatOption = Format.table,
) -> None:
    """The Korea 2019–2023 timeline: one order checked on the dates the rules changed."""
    checker = _checker(None)
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
    codes = _licence_codes(regime_id)
    table = Table("date", "event", "KR", *(_line_heading(line) for line in order.lines), show_lines=True)
    for row in rows:
        cells = [_licence_cell(line, codes) for line in row["lines"]]
        table.add_row(row["date"], row["event"], row["group"], *cells)
    out.print("[bold]One order to the Republic of Korea, checked on each date the rules changed[/]")
    out.print(table)
    legend = ", ".join(f"{code} = {licence}" for licence, code in codes.items())
    out.print(f"Licence types usable: {legend}. '-' = no licence needed; '?' = indeterminate.")


OUTCOME_CODES = {"no_licence_required": "-", "indeterminate": "?", "prohibited": "prohibited"}


def _line_heading(line: Line) -> str:
    return line.description or line.item or "line"


def _licence_codes(regime_id: str) -> dict[str, str]:
    """Each licence type of the pack by the abbreviation the pack gives it (its id where it gives none)."""
    types = regimes.regime(regime_id).pack.licences.types
    return {licence: found.abbreviation or licence for licence, found in types.items()}


def _licence_cell(line: dict[str, Any], codes: dict[str, str]) -> str:
    if line["outcome"] != "licence_required":
        return OUTCOME_CODES[line["outcome"]]
    return " ".join(codes.get(licence, licence) for licence in line["eligible_licences"])
