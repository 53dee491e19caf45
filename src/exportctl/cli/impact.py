"""`impact`: what a regime change between two dates (or a proposed one, as an overlay) does to the open
orders and the licence book, with the individual licence workload it creates. Reads only."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from exportctl.cli.acting import party_screener
from exportctl.cli.common import Format, FormatOption, emit_json, fail, input_errors, out, parse_date
from exportctl.cli.executing import SchedulerOption, WorkersOption, executor
from exportctl.cli.root import app
from exportctl.impact_report import render_report
from exportctl.regime import OutsideCoverage
from exportctl.services.batch.work import WorkerMismatch
from exportctl.services.errors import RecordError
from exportctl.services.impact import DEFAULT_REVIEW_DAYS, EFFECTS, Impact, impact
from exportctl.store import db as store

EFFECT_STYLE = {"newly blocked": "bold red", "newly released": "green", "licence type no longer usable": "yellow"}


def _print(result: Impact) -> None:
    what_if = f" with overlay {result.overlay}" if result.overlay else ""
    out.print(f"[bold]{result.regime}[/] {result.start} → {result.end}{what_if}: {len(result.changes)} change(s)")
    changes = Table("change", "fact", "source")
    for change in result.changes:
        changes.add_row(change["change"], change["text"], (change["source"] or {}).get("instrument", ""))
    out.print(changes)
    counts = result.counts()
    out.print(" · ".join(f"{effect}: {counts[effect]}" for effect in EFFECTS))
    orders = Table("order", "ship date", "dest.", "before", "after", "effect", "no longer usable")
    for order in result.orders:
        style = EFFECT_STYLE.get(order.effect, "")
        orders.add_row(
            order.order_id,
            str(order.ship_date),
            order.destination,
            ", ".join(order.before.blocking_reasons) or "released",
            ", ".join(order.after.blocking_reasons) or "released",
            f"[{style}]{order.effect}[/]" if style else order.effect,
            ", ".join(order.no_longer_usable),
        )
    out.print(orders)
    licences = Table("licence", "type", "lines usable before", "lines usable after", "status")
    for licence in result.licences:
        licences.add_row(
            licence.number,
            licence.type,
            "\n".join(licence.usable_before),
            "\n".join(licence.usable_after),
            licence.status,
        )
    out.print(licences)
    forecast = result.forecast
    out.print(
        f"forecast: {len(forecast.applications)} individual licence application(s); with a {forecast.review_days}-day"
        f" review, decisions on {forecast.decision_date}"
    )
    applications = Table("consignee", "item", "orders", "first ship date")
    for application in forecast.applications:
        applications.add_row(
            application.consignee or "—",
            application.item,
            ", ".join(application.orders),
            str(application.first_ship_date),
        )
    out.print(applications)
    for slip in forecast.slipping:
        out.print(f"[red]slips:[/] {slip.order_id} planned {slip.ship_date}, {slip.days_late} days late")
    for number, problem in result.errors.items():
        out.print(f"[magenta]not determined:[/] {number}: {problem}")


@app.command("impact")
def impact_command(
    regime_id: Annotated[str, typer.Option("--regime", help="Regime pack id, e.g. jp.")],
    date_from: Annotated[str, typer.Option("--from", help="Before: YYYY-MM-DD.")],
    date_to: Annotated[str, typer.Option("--to", help="After: YYYY-MM-DD.")],
    overlay: Annotated[
        Path | None, typer.Option("--overlay", help="What-if overlay: YAML keyed by pack file name.")
    ] = None,
    review_days: Annotated[
        int, typer.Option("--review-days", help="Assumed licence review time in days.")
    ] = DEFAULT_REVIEW_DAYS,
    report: Annotated[Path | None, typer.Option("--report", help="Also write an HTML report here.")] = None,
    output_format: FormatOption = Format.table,
    scheduler: SchedulerOption = None,
    workers: WorkersOption = None,
) -> None:
    """Open orders and active licences before and after the rules change between two dates."""
    start, end = parse_date(date_from, "--from"), parse_date(date_to, "--to")
    if end < start:
        fail(f"--to {end} is before --from {start}")
    if review_days < 0:
        fail("--review-days: must not be negative")
    overlay_input = None
    if overlay is not None:
        try:
            overlay_input = (str(overlay), overlay.read_text(encoding="utf-8"))
        except OSError as exc:
            fail(f"--overlay {overlay}: {exc.strerror}")
    try:
        with input_errors(), store.session(readonly=True) as db:
            result = impact(
                db, regime_id, start, end, overlay_input, party_screener(), review_days, executor(scheduler, workers)
            )
    except (RecordError, OutsideCoverage, WorkerMismatch) as exc:
        fail(str(exc))
    if report is not None:
        try:
            report.write_text(render_report(result), encoding="utf-8")
        except OSError as exc:
            fail(f"--report {report}: {exc.strerror}")
    if output_format is Format.json:
        emit_json(result.as_dict())
    else:
        _print(result)
        if report is not None:
            out.print(f"report written to {report}")
