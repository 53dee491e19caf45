"""`recheck`: redetermine open orders after a pack update or when a dated change comes into force.

Safe to run from cron or the server's scheduler: a second run on the same day changes nothing. Changed
orders are blocked and flagged (`recheck-review`); nothing is released automatically.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from exportctl.cli.acting import party_screener, transaction
from exportctl.cli.common import Format, FormatOption, emit_json, fail, out, parse_date
from exportctl.cli.executing import SchedulerOption, WorkersOption, executor
from exportctl.cli.root import app
from exportctl.services import recheck as service
from exportctl.services.batch.work import WorkerMismatch


@app.command("recheck")
def recheck(
    today: Annotated[str | None, typer.Option("--today", help="The day to check as of (default: today).")] = None,
    output_format: FormatOption = Format.table,
    scheduler: SchedulerOption = None,
    workers: WorkersOption = None,
) -> None:
    """Redetermine open orders whose pack version is outdated or whose rules changed since they were determined."""
    day = parse_date(today, "--today") if today else dt.date.today()
    screener = party_screener()
    try:
        with transaction() as (db, actor):
            result = service.recheck(db, actor, day, screener, executor(scheduler, workers))
    except WorkerMismatch as exc:
        fail(str(exc))
    if output_format is Format.json:
        emit_json(result.as_dict())
        return
    out.print(f"{result.checked} open order(s) checked as of {day}; {len(result.orders)} redetermined")
    for change in result.orders:
        mark = "[bold red]changed[/]" if change.changed else "unchanged"
        out.print(f"  {change.number}: {mark}, {change.status_before} → {change.status} ({change.cause})")
        if change.changed:
            out.print(f"    blocked by: {', '.join(change.reasons)}")
