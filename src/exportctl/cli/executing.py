"""The options of commands whose many determinations may run on Dask (`impact`, `recheck`)."""

from __future__ import annotations

from typing import Annotated

import typer

from exportctl.services.batch.cluster import SCHEDULER_ENV
from exportctl.services.batch.executor import Executor

SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        envvar=SCHEDULER_ENV,
        help="Make the determinations on this Dask scheduler's workers (tcp://host:8786); default: in this process.",
    ),
]
WorkersOption = Annotated[
    int | None,
    typer.Option("--workers", min=1, max=256, help="Make the determinations on a local Dask cluster of N workers."),
]


def executor(scheduler: str | None, workers: int | None) -> Executor:
    return Executor(scheduler, workers)
