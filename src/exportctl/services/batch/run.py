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
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exportctl.services.batch import output
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

SCHEDULER_ENV = "EXPORTCTL_DASK_SCHEDULER"
IN_FLIGHT_PER_WORKER = 2
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
    address = scheduler or os.environ.get(SCHEDULER_ENV) or None
    with _client(address, workers) as client:
        partitions, rows_in = _stream(client, job, source, folder, done, partition_rows, total, progress)
    rows_out = output.assemble(folder, partitions, job.kind, target)
    shutil.rmtree(folder)
    return RunResult(partitions, len(done), rows_in, rows_out, target)


class _client:
    """A client of the scheduler at `address`, or of a LocalCluster started (and stopped) for this run."""

    def __init__(self, address: str | None, workers: int | None) -> None:
        self.address = address
        self.workers = workers
        self.cluster: Any = None
        self.client: Any = None

    def __enter__(self) -> Any:
        from distributed import Client, LocalCluster

        if self.address is None:
            self.cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=self.workers or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=50,
            )
            self.client = Client(self.cluster)  # type: ignore[no-untyped-call]
        else:
            self.client = Client(self.address, timeout=30)  # type: ignore[no-untyped-call]
        return self.client

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _stream(
    client: Any,
    job: Job,
    source: BatchInput,
    folder: Path,
    done: set[int],
    partition_rows: int,
    total: int | None,
    progress: Progress | None,
) -> tuple[int, int]:
    """Every partition not done yet, processed and kept; returns the number of partitions of the input and the
    number of rows this run processed."""
    from distributed import as_completed

    workers = max(len(client.scheduler_info().get("workers", {})), 1)
    limit = IN_FLIGHT_PER_WORKER * workers
    count = 0

    def unfinished() -> Iterator[Partition]:
        nonlocal count
        for partition in source.partitions(partition_rows):
            count = partition.number + 1
            if partition.number not in done:
                yield partition

    pending = unfinished()
    sizes: dict[Any, tuple[int, int]] = {}
    finished = rows_in = 0
    futures = as_completed()  # type: ignore[no-untyped-call]

    def submit_next() -> bool:
        partition = next(pending, None)
        if partition is None:
            return False
        future = client.submit(run_partition, job, partition, pure=False, retries=3)
        sizes[future] = (partition.number, len(partition))
        futures.add(future)  # type: ignore[no-untyped-call]
        return True

    for _ in range(limit):
        if not submit_next():
            break
    if progress:
        progress(len(done), total, 0, len(done) * partition_rows)
    try:
        for future in futures:
            number, size = sizes.pop(future)
            output.write_part(folder, number, future.result())
            finished += 1
            rows_in += size
            if progress:
                progress(len(done) + finished, total, rows_in, len(done) * partition_rows)
            submit_next()
    except BaseException:
        for future in list(sizes):
            future.cancel()
        raise
    return count, rows_in  # every future is done only once the input is read to its end
