"""The Dask executor every large job runs on: batches (`run`), impact analysis and re-checks of large order books.

Workers are a `LocalCluster` (one single-threaded worker process per core) unless a scheduler is given (`--scheduler
tcp://host:8786` or EXPORTCTL_DASK_SCHEDULER): then the cluster's workers must run this version of exportctl with
the same packs, lists and data directory settings (a worker that does not refuses the work: `work.WorkerMismatch`).
Tasks are submitted as they are needed, a few per worker, so the client's memory is bounded whatever the job's size;
a worker that dies loses only its tasks in flight, which Dask gives to another worker.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

SCHEDULER_ENV = "EXPORTCTL_DASK_SCHEDULER"
IN_FLIGHT_PER_WORKER = 2
# Our own cluster has no dashboard, so nothing reads the workers' statistical profiles (a sample of the stack every
# 10 ms) or fine-grained system metrics: off and slower, an idle cluster of two workers burns about 0.8 % of a core
# instead of 7 % (client and workers, measured over 20 s), which a busy cluster's workers would otherwise lose.
QUIET = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.admin.tick.interval": "500ms",
    "distributed.worker.memory.monitor-interval": "1s",
}


def scheduler_address(given: str | None) -> str | None:
    return given or os.environ.get(SCHEDULER_ENV) or None


class connected:
    """A client of the scheduler at `address`, or of a LocalCluster of `workers` processes started (and stopped)
    for this job."""

    def __init__(self, address: str | None, workers: int | None) -> None:
        self.address = address
        self.workers = workers
        self.cluster: Any = None
        self.client: Any = None

    def __enter__(self) -> Any:
        import dask
        from distributed import Client, LocalCluster

        if self.address is None:
            with dask.config.set(QUIET):  # read when the scheduler and the workers start
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


def completed(
    client: Any, function: Callable[..., Any], tasks: Iterator[Any], *shared: Any
) -> Iterator[tuple[Any, Any]]:
    """`(task, function(*shared, task))` for every task, in the order they finish on the cluster. Tasks are taken
    from `tasks` only as workers become free; an error (or the caller stopping early) cancels the rest."""
    from distributed import as_completed

    workers = max(len(client.scheduler_info().get("workers", {})), 1)
    submitted: dict[Any, Any] = {}
    futures = as_completed()  # type: ignore[no-untyped-call]

    def submit_next() -> None:
        task = next(tasks, None)
        if task is not None:
            future = client.submit(function, *shared, task, pure=False, retries=3)
            submitted[future] = task
            futures.add(future)  # type: ignore[no-untyped-call]

    for _ in range(IN_FLIGHT_PER_WORKER * workers):
        submit_next()
    try:
        for future in futures:
            task = submitted.pop(future)
            yield task, future.result()
            submit_next()
    finally:
        for future in list(submitted):
            future.cancel()
