"""`batch determine` and `batch screen`: an input file (or PostgreSQL table) of any size, on Dask."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from exportctl.cli.common import configured_screener, err, fail, input_errors
from exportctl.cli.root import batch_app
from exportctl.screening.score import DEFAULT_THRESHOLD
from exportctl.services.batch.cluster import SCHEDULER_ENV
from exportctl.services.batch.run import DEFAULT_PARTITION_ROWS, RunResult, run
from exportctl.services.batch.sources import BatchInput
from exportctl.services.batch.work import Job, WorkerMismatch
from exportctl.services.tables import InvalidImport
from exportctl.settings import DEFAULT_REGIME

InputOption = Annotated[
    str,
    typer.Option(
        "--input",
        help="A .csv or .parquet file, or postgresql://…?table=NAME (or ?query=SELECT …).",
        show_default=False,
    ),
]
OutputOption = Annotated[Path, typer.Option("--output", help="The output: .csv or .parquet.", show_default=False)]
SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        envvar=SCHEDULER_ENV,
        help="A Dask scheduler (tcp://host:8786); default: a local cluster, one worker per core.",
    ),
]
WorkersOption = Annotated[
    int | None, typer.Option("--workers", min=1, max=256, help="Workers of the local cluster (default: one per core).")
]
PartitionOption = Annotated[
    int, typer.Option("--partition-rows", min=100, max=1_000_000, help="Rows per partition (the unit of resuming).")
]


class _Bar:
    """Partitions done and rows per second, on stderr."""

    def __init__(self) -> None:
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("partitions · {task.fields[rate]}"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        )
        self.task: TaskID | None = None
        self.started = time.monotonic()

    def __call__(self, done: int, total: int | None, rows: int, resumed_rows: int) -> None:
        if self.task is None:
            self.progress.start()
            self.task = self.progress.add_task("batch", total=total, rate="")
        rate = rows / max(time.monotonic() - self.started, 1e-9)
        self.progress.update(self.task, completed=done, total=total, rate=f"{rate:,.0f} rows/s")

    def stop(self) -> None:
        self.progress.stop()


def _run(job: Job, source_text: str, target: Path, scheduler: str | None, workers: int | None, rows: int) -> None:
    configured_screener()  # the index of the current lists is built (with its progress) before the workers open it
    bar = _Bar()
    try:
        with input_errors():
            try:
                source = BatchInput.of(source_text)
                result = run(
                    job, source, target, scheduler=scheduler, workers=workers, partition_rows=rows, progress=bar
                )
            except (InvalidImport, WorkerMismatch) as exc:
                fail(str(exc))
    finally:
        bar.stop()
    _report(result)


def _report(result: RunResult) -> None:
    resumed = f" ({result.resumed} done by an earlier run)" if result.resumed else ""
    err.print(
        f"{result.partitions} partition(s){resumed}, {result.rows_in} row(s) processed → "
        f"{result.rows_out} row(s) in {result.output}"
    )


@batch_app.command("determine")
def determine(
    input_text: InputOption,
    output_file: OutputOption,
    regime: Annotated[
        list[str] | None, typer.Option("--regime", help="Regime pack id; repeat for several (one row per regime).")
    ] = None,
    scheduler: SchedulerOption = None,
    workers: WorkersOption = None,
    partition_rows: PartitionOption = DEFAULT_PARTITION_ROWS,
) -> None:
    """Determine every order line of the input under each regime: outcome, licences, entries, missing facts."""
    regimes = tuple(dict.fromkeys(regime or [DEFAULT_REGIME]))
    _run(Job("determine", regimes=regimes), input_text, output_file, scheduler, workers, partition_rows)


@batch_app.command("screen")
def screen(
    input_text: InputOption,
    output_file: OutputOption,
    lists: Annotated[str | None, typer.Option("--lists", help="Comma-separated list ids (default: all).")] = None,
    threshold: Annotated[float, typer.Option("--threshold", min=0.0, max=1.0, help="Score threshold.")] = (
        DEFAULT_THRESHOLD
    ),
    limit: Annotated[int, typer.Option("--limit", min=1, max=100, help="Most hits per party.")] = 10,
    scheduler: SchedulerOption = None,
    workers: WorkersOption = None,
    partition_rows: PartitionOption = DEFAULT_PARTITION_ROWS,
) -> None:
    """Screen every party of the input (columns name[, id, country, kind]) against the lists."""
    chosen = frozenset(part.strip() for part in lists.split(",") if part.strip()) if lists else None
    loaded = configured_screener().index.lists
    if not loaded:
        fail("no screening lists are loaded: run `exportctl lists load` or set EXPORTCTL_LISTS_DIR")
    missing = sorted((chosen or frozenset()) - loaded.keys())
    if missing:
        fail(f"--lists: not loaded: {', '.join(missing)} (loaded: {', '.join(sorted(loaded))})")
    job = Job("screen", lists=chosen, threshold=threshold, limit=limit)
    _run(job, input_text, output_file, scheduler, workers, partition_rows)
