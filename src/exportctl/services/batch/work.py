"""What a Dask worker runs: one partition of a batch, with the regimes and the screening index it loads once.

A worker process keeps its regimes (`services.regimes`, from the validated packs kept in the data directory) and its
screener (the index file of the current list versions, read whole into memory) for every task it is given: a task
pays only for its rows. The functions are pure in their result: running a partition twice (after a worker died)
gives the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from exportctl.services import screening
from exportctl.services.batch.output import parquet_bytes
from exportctl.services.batch.rows import determine_rows, screen_rows
from exportctl.services.batch.sources import Partition


@dataclass(frozen=True)
class Job:
    """What is done to every row (and with which options): the same for every partition of a run."""

    kind: Literal["determine", "screen"]
    regimes: tuple[str, ...] = ()
    lists: frozenset[str] | None = None
    threshold: float = 0.0
    limit: int = 10

    def describe(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "regimes": list(self.regimes),
            "lists": sorted(self.lists) if self.lists is not None else None,
            "threshold": self.threshold,
            "limit": self.limit,
        }


@cache
def _screener() -> screening.ConfiguredScreener:
    screening.keep_in_memory()
    return screening.screener()


def run_partition(job: Job, partition: Partition) -> bytes:
    """The partition's output, as the bytes of its Parquet part file."""
    rows = partition.rows
    if job.kind == "determine":
        found = determine_rows(rows, job.regimes, _screener())
    else:
        found = screen_rows(rows, _screener(), job.lists, job.threshold, job.limit)
    return parquet_bytes(job.kind, found)
