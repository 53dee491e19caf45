"""Where a service's many determinations run: in this process, or spread over the Dask cluster (`cluster.py`).

Impact analysis and re-checks of a large order book ask for one or two determinations per open order. They read
the orders and write their results in the client's database transaction; only the determinations, which are pure,
go to the workers, in chunks, and come back in the order asked. Without a scheduler or a number of workers they
run here, exactly as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from exportctl.core_types import PartyScreener
from exportctl.services.batch.cluster import completed, connected
from exportctl.services.batch.work import Answer, Ask, Chunk, Job, decide, decide_here, versions_here

CHUNK = 500  # asks per task: large enough to pay for a round trip, small enough to spread a few thousand orders


@dataclass(frozen=True)
class Executor:
    scheduler: str | None = None  # a Dask scheduler's address
    workers: int | None = None  # without a scheduler: a LocalCluster of this many worker processes

    @property
    def distributed(self) -> bool:
        return self.scheduler is not None or self.workers is not None

    def answers(self, job: Job, asks: Sequence[Ask], screener: PartyScreener | None) -> list[Answer]:
        """The answer to every ask, in order. Here: with `screener`; on the cluster: with each worker's
        configured lists, which must be the versions this process has (a worker with others refuses)."""
        job = Job("decide", job.regimes, overlay=job.overlay, screened=screener is not None)
        if not self.distributed or not asks:
            return decide_here(job, asks, screener)
        job = versions_here(job)
        chunks = (Chunk(first, tuple(asks[first : first + CHUNK])) for first in range(0, len(asks), CHUNK))
        found: list[Answer | None] = [None] * len(asks)
        with connected(self.scheduler, self.workers) as client:
            for chunk, answers in completed(client, decide, chunks, job):
                found[chunk.first : chunk.first + len(chunk.asks)] = answers
        answered = [answer for answer in found if answer is not None]
        if len(answered) != len(asks):  # `completed` yields every task or raises: never a short answer
            raise RuntimeError(f"the cluster answered {len(answered)} of {len(asks)} determinations")
        return answered


LOCAL = Executor()
