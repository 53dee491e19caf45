"""Long reads outside the request: a small pool of worker threads and a bounded cache of what they computed.

A page whose answer takes minutes (the impact analysis over every open order) asks for a job instead of
computing in the request, and shows "computing" until the job is done. A job is keyed by what it computes
(its inputs) and valid for a fingerprint of the data it reads (for instance the ledger's last record and the
pack version): a result is shown only while the fingerprint still holds, and once the data changed the next
view starts a new job. The work reports the fingerprint of the data it actually read, taken in its own read
transaction, so a result computed on data that changed after the request looked is never shown as current.

Bounded: `workers` threads (the analyses are CPU-bound Python, more threads would only share the cores) and
at most `kept` jobs, least recently asked for dropped first; a dropped job that has not started never runs.
A failure is logged with its traceback and kept until a view has reported it and discards it: the view
after that tries again.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

T = TypeVar("T")
LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class Computed(Generic[T]):
    """What a job's work returns: its value, and the fingerprint of the data it was computed on."""

    fingerprint: Hashable
    value: T


class Job(Generic[T]):
    """One computation asked for with a fingerprint of the data as the asker saw it."""

    def __init__(self, fingerprint: Hashable, future: Future[Computed[T]]) -> None:
        self.fingerprint = fingerprint
        self._future = future

    def wait(self, seconds: float) -> None:
        """Wait at most `seconds` for the job to end (a short job is then shown at once)."""
        wait_for([self._future], timeout=seconds)

    @property
    def running(self) -> bool:
        """Queued or computing; also a job dropped from the cache before it started: the view that holds it
        says "computing", and the next view asks for a new one."""
        return not self._future.done() or self._future.cancelled()

    @property
    def failure(self) -> BaseException | None:
        return None if self.running else self._future.exception()

    @property
    def value(self) -> T:
        """The result (raises the job's exception if it failed; only for a job that has ended)."""
        return self._future.result(timeout=0).value

    def answers(self, fingerprint: Hashable) -> bool:
        """Whether this job is the one for data with this fingerprint: asked for it, and (once done) computed
        on it; a job whose data changed while it was queued is not."""
        if fingerprint != self.fingerprint or self._future.cancelled():
            return False
        if self.running or self.failure is not None:
            return True
        return self._future.result().fingerprint == fingerprint

    def cancel(self) -> None:
        self._future.cancel()  # only a job that has not started stops; a running one ends unseen


class Jobs:
    """The jobs of one kind of long read (one pool per kind, created once per process)."""

    def __init__(self, name: str, workers: int = 2, kept: int = 8) -> None:
        self._name = name
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"exportctl-{name}")
        self._kept: OrderedDict[Hashable, Job[Any]] = OrderedDict()
        self._limit = kept
        self._lock = threading.Lock()

    def job(self, key: Hashable, fingerprint: Hashable, work: Callable[[], Computed[T]]) -> Job[T]:
        """The job computing `key` for data with this fingerprint: the one already asked for, or a new one."""
        with self._lock:
            found = self._kept.get(key)
            if found is not None and found.answers(fingerprint):
                self._kept.move_to_end(key)
                return cast(Job[T], found)
            if found is not None:
                found.cancel()
            started: Job[T] = Job(fingerprint, self._pool.submit(_logged, self._name, work))
            self._kept[key] = started
            self._kept.move_to_end(key)
            while len(self._kept) > self._limit:
                _key, dropped = self._kept.popitem(last=False)
                dropped.cancel()
            return started

    def discard(self, key: Hashable, job: Job[Any]) -> None:
        """Forget a job (one whose failure was reported: the next view tries again)."""
        with self._lock:
            if self._kept.get(key) is job:
                del self._kept[key]


def _logged(name: str, work: Callable[[], Computed[T]]) -> Computed[T]:
    try:
        return work()
    except Exception:
        # The view shows that it failed; the log keeps why. Not the key: it may hold a database URL's password.
        LOG.exception("%s job failed", name)
        raise
