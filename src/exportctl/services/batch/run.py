"""Running a batch on Dask distributed: partitions streamed to the workers, each finished one kept, resumable.

The client reads the input a partition at a time and keeps at most a few partitions per worker in flight, so its
memory is bounded whatever the input's size. Workers are a `LocalCluster` (one single-threaded worker process per
core) unless a scheduler is given (`--scheduler tcp://host:8786` or EXPORTCTL_DASK_SCHEDULER): then the cluster's
workers must run this version of exportctl with the same packs, lists and data directory settings.

A run keeps its finished partitions in `<output>.parts/` beside the output, with `run.json` describing the run
(the job, the input's content hash, the partition size, the program, the list and pack versions). Running the same
command again skips the partitions already there; a run of anything else starts afresh. A worker that dies loses
only its partitions in flight: Dask gives them to another worker.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exportctl.services.batch import output
from exportctl.services.batch.cluster import completed, connected, scheduler_address
from exportctl.services.batch.rows import (
    DETERMINE_OPTIONAL,
    DETERMINE_REQUIRED,
    SCREEN_OPTIONAL,
    SCREEN_REQUIRED,
    check_columns,
)
from exportctl.services.batch.sources import BatchInput, Partition
from exportctl.services.batch.work import Job, run_partition, versions_here
from exportctl.services.derived_files import code_fingerprint

DEFAULT_PARTITION_ROWS = 5_000

# (partitions done, partitions in all if known, rows done, rows skipped as done before)
Progress = Callable[[int, int | None, int, int], None]


@dataclass(frozen=True)
class RunResult:
    partitions: int
    resumed: int  # partitions found done by an earlier run
    rows_in: int  # rows read and processed by this run
    rows_out: int
    output: Path


def parts_folder(target: Path) -> Path:
    return target.with_name(target.name + ".parts")


def _description(job: Job, source: BatchInput, partition_rows: int) -> dict[str, Any]:
    return {
        "job": job.describe(),  # with the list and pack versions
        "input": source.location if source.is_database else str(Path(source.location).resolve()),
        "input_sha256": source.identity(),
        "partition_rows": partition_rows,
        "program": code_fingerprint(),
    }


def _prepare(folder: Path, description: dict[str, Any]) -> set[int]:
    """The partitions an earlier run of the same job finished; anything else in the folder is removed."""
    record = folder / "run.json"
    if folder.exists():
        try:
            same = json.loads(record.read_text(encoding="utf-8")) == description
        except (OSError, ValueError):
            same = False
        if same:
            return output.done_parts(folder)
        shutil.rmtree(folder)
    folder.mkdir()
    record.write_text(json.dumps(description, indent=2), encoding="utf-8")
    return set()


def check_input(job: Job, source: BatchInput) -> None:
    columns = source.columns()
    if job.kind == "determine":
        check_columns(source.source, columns, DETERMINE_REQUIRED, DETERMINE_OPTIONAL)
    else:
        check_columns(source.source, columns, SCREEN_REQUIRED, SCREEN_OPTIONAL)


def run(
    job: Job,
    source: BatchInput,
    target: Path,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    partition_rows: int = DEFAULT_PARTITION_ROWS,
    progress: Progress | None = None,
) -> RunResult:
    output.check_output(target)
    check_input(job, source)
    job = versions_here(job)  # an unknown regime is refused here, before any work
    folder = parts_folder(target)
    done = _prepare(folder, _description(job, source, partition_rows))
    total_rows = source.row_count()
    total = -(-total_rows // partition_rows) if total_rows is not None else None
    with connected(scheduler_address(scheduler), workers) as client, output.Assembly(folder, job.kind, target) as out:
        partitions, rows_in = _stream(client, job, source, folder, done, partition_rows, total, progress, out)
        rows_out = out.finish(partitions)
    shutil.rmtree(folder)
    return RunResult(partitions, len(done), rows_in, rows_out, target)


def _stream(
    client: Any,
    job: Job,
    source: BatchInput,
    folder: Path,
    done: set[int],
    partition_rows: int,
    total: int | None,
    progress: Progress | None,
    assembly: output.Assembly,
) -> tuple[int, int]:
    """Every partition not done yet, processed and kept, and appended to the output as soon as the ones before it
    are (the client's share of the work spread over the run, not left to its end); returns the number of partitions
    of the input and the number of rows this run processed."""
    count = 0

    def unfinished() -> Iterator[Partition]:
        nonlocal count
        for partition in source.partitions(partition_rows):
            count = partition.number + 1
            if partition.number not in done:
                yield partition

    rows_in = 0
    if progress:
        progress(len(done), total, 0, len(done) * partition_rows)
    kept = set(done)
    assembly.add_ready(kept)
    for finished, (partition, part) in enumerate(completed(client, run_partition, unfinished(), job), start=1):
        output.write_part(folder, partition.number, part)
        kept.add(partition.number)
        assembly.add_ready(kept)
        rows_in += len(partition)
        if progress:
            progress(len(done) + finished, total, rows_in, len(done) * partition_rows)
    return count, rows_in  # every future is done only once the input is read to its end
