"""What a Dask worker runs: one partition of a batch, with the regimes and the screening index it loads once.

A worker process keeps its regimes (`services.regimes`, from the validated packs kept in the data directory) and its
screener (the index file of the current list versions, read whole into memory) for every task it is given: a task
pays only for its rows. The functions are pure in their result: running a partition twice (after a worker died)
gives the same rows.
"""

from __future__ import annotations

import gc
import socket
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any, Literal

from exportctl.core_types import Determination, PartyScreener, Transaction
from exportctl.determine.engine import InvalidTransaction, determine
from exportctl.screening.screener import Screener
from exportctl.services import regimes, screening
from exportctl.services.batch.rows import determine_rows, screen_rows
from exportctl.services.batch.sources import Partition
from exportctl.services.orders import with_reviews


@dataclass(frozen=True)
class Job:
    """What is done to every row (and with which options): the same for every partition of a run."""

    kind: Literal["determine", "screen", "decide"]
    regimes: tuple[str, ...] = ()
    overlay: tuple[str, str] | None = None  # decide: a what-if overlay (file name, YAML) of the first regime
    screened: bool = True  # decide: parties are screened (False: the client has no lists; they stay unscreened)
    lists: frozenset[str] | None = None
    threshold: float = 0.0
    limit: int = 10
    # The versions the client decided with (`versions_here`): a worker with other lists or packs refuses the work.
    list_versions: tuple[tuple[str, str], ...] = ()
    pack_versions: tuple[tuple[str, str], ...] = ()

    def describe(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "regimes": list(self.regimes),
            "lists": sorted(self.lists) if self.lists is not None else None,
            "threshold": self.threshold,
            "limit": self.limit,
            "list_versions": dict(self.list_versions),
            "pack_versions": dict(self.pack_versions),
        }


class WorkerMismatch(RuntimeError):
    """A worker whose lists or packs are not the client's: its answers would not be the ones the run records."""


def versions_here(job: Job, screener: Screener | None = None) -> Job:
    """The job with this process's list and pack versions (the client's, or a worker's to compare)."""
    found = (screener or screening.screener()).index.lists
    return replace(
        job,
        list_versions=tuple(sorted((list_id, version.sha256) for list_id, version in found.items())),
        pack_versions=tuple((regime, regimes.regime(regime).version) for regime in job.regimes),
    )


def _same_versions(job: Job) -> None:
    # A worker of a shared cluster may run with other settings: an older list would clear a party listed since.
    here = versions_here(job, _screener())
    if (here.list_versions, here.pack_versions) != (job.list_versions, job.pack_versions):
        raise WorkerMismatch(
            f"worker {socket.gethostname()}: lists {dict(here.list_versions)} and packs {dict(here.pack_versions)} "
            f"are not the client's {dict(job.list_versions)} and {dict(job.pack_versions)}: give the workers the "
            "same EXPORTCTL_LISTS_DIR, EXPORTCTL_DATA_DIR and exportctl version"
        )


@cache
def _screener() -> screening.ConfiguredScreener:
    screening.keep_in_memory()  # and kept out of the cyclic collector's walks (`screening.keep_out_of_collections`)
    return screening.screener()


def _freeze_caches() -> None:
    """Before a partition: what the partitions before it left alive (the screener's caches of forms and similarities,
    which grow to a million objects) frozen with the index, after a collection of their garbage. Otherwise the cyclic
    collector walks them again and again: screening 11,000 party names, 1,056-1,100 names/s frozen every 2,000 names
    against 954-983 not (alternating, one process)."""
    gc.collect()
    gc.freeze()


def run_partition(job: Job, partition: Partition) -> bytes:
    """The partition's output, as the bytes of its Parquet part file."""
    from exportctl.services.batch.output import parquet_bytes  # pyarrow: loaded by the workers of a batch only

    _same_versions(job)
    _freeze_caches()
    rows = partition.rows
    if job.kind == "determine":
        found = determine_rows(rows, job.regimes, _screener())
    else:
        found = screen_rows(rows, _screener(), job.lists, job.threshold, job.limit)
    return parquet_bytes(job.kind, found)


# --- determinations asked by a service (impact analysis, re-checks) ----------------------------------------------


@dataclass(frozen=True)
class Ask:
    """One determination a service asks of the cluster: the transaction (under its regime on its date), the
    screening hits an officer cleared for its parties (`orders.cleared_hits`), and whether it is decided under the
    job's overlay rather than the installed pack."""

    transaction: Transaction
    cleared: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    overlay: bool = False

    @classmethod
    def of(cls, transaction: Transaction, cleared: dict[str, set[tuple[str, str]]], overlay: bool = False) -> Ask:
        return cls(transaction, tuple((name, tuple(sorted(hits))) for name, hits in sorted(cleared.items())), overlay)


Answer = Determination | str  # a determination, or why the transaction cannot be determined


@dataclass(frozen=True)
class Chunk:
    first: int  # the position of its first ask among the job's
    asks: tuple[Ask, ...]


def decide(job: Job, chunk: Chunk) -> list[Answer]:
    """On a worker: the answers to a chunk of asks, with the worker's regimes and (if the job screens) screener."""
    _same_versions(job)
    return decide_here(job, chunk.asks, _screener() if job.screened else None)


def decide_here(job: Job, asks: Sequence[Ask], screener: PartyScreener | None) -> list[Answer]:
    """The answers to the asks in this process (what a worker does, and what a small job does without a cluster)."""
    answers: list[Answer] = []
    for ask in asks:
        transaction = ask.transaction
        if ask.overlay and job.overlay is not None:
            regime = regimes.overlaid(job.regimes[0], *job.overlay)
        else:
            regime = regimes.regime(transaction.regime)
        reviewed = with_reviews(screener, {name: set(hits) for name, hits in ask.cleared}) if screener else None
        try:
            answers.append(determine(regime.at(transaction.date), transaction, reviewed))
        except InvalidTransaction as exc:
            answers.append(str(exc))
    return answers
