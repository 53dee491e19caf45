"""Work spread over processes forked from this one, answered in order while the caller goes on with the first.

A bulk entry determines each order, then stores it; the determinations are pure, and the packs and the screener's
index they need are already in this process. Worker processes forked from it share those (copy-on-write: nothing
is read or sent again) and determine the orders ahead while this process writes the earlier ones. Only the
items and the answers are pickled, so both should be small (`services/verdicts.py`): a determination would
unpickle in about as long as it takes to make.

Fork copies only the thread that forks: a lock another thread held then stays held in the worker, so a caller
forks only from a process with one thread at work (a command's, not the server's). Where fork is not the
platform's way (Windows; macOS, where system libraries refuse it) the work runs here, in order, as with none.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent ends (Linux)
CHUNK = 50  # items per task: a round trip per 50 orders, and the first answers back while the rest are worked on
# Tasks per worker given out ahead of the caller: enough to keep the workers busy while the caller writes a batch of
# a bulk entry (1,000 orders: two workers are 1,200 orders ahead), few enough to hold (about 13 MB of verdicts).
AHEAD = 12

_work: list[Callable[[Any], Any]] = []  # a worker's work, inherited through fork (never pickled)


def can_fork() -> bool:
    return sys.platform == "linux"


@contextmanager
def in_order(work: Callable[[Item], Result], items: Sequence[Item], workers: int) -> Iterator[Iterator[Result]]:
    """`work(item)` for each item, in order: worked on ahead by `workers` processes forked now, while the caller
    consumes the first; here, as the caller consumes them, with no workers, without fork or with too few items to
    share. At most `AHEAD` tasks per worker are given out beyond what the caller has consumed, so the answers held
    stay few however many items there are. An exception of the work is raised where its task's first answer would
    be (a task fails whole). Leaving the block stops the workers, the tasks not started cancelled: a refusal part-way
    leaves nothing running."""
    if workers < 1 or not can_fork() or len(items) <= CHUNK:
        yield map(work, items)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_keep, initargs=(work, os.getpid())) as pool:
        firsts = iter(range(0, len(items), CHUNK))
        given: deque[Future[list[Result]]] = deque()

        def give() -> None:
            while len(given) < AHEAD * workers and (first := next(firsts, None)) is not None:
                given.append(pool.submit(_run, items[first : first + CHUNK]))

        def answers() -> Iterator[Result]:
            give()
            while given:
                answered = given.popleft().result()
                give()
                yield from answered

        try:
            yield answers()
        finally:
            for task in given:
                task.cancel()


def _keep(work: Callable[[Any], Any], parent: int) -> None:
    """A worker's start: its work kept, and its end bound to its parent's, so that a parent killed mid-entry (kill
    -9 leaves no time to stop the pool) leaves no worker waiting for tasks forever, holding the index's memory."""
    _work.append(work)
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the binding
        os._exit(1)


def _run(items: Sequence[Any]) -> list[Any]:
    (work,) = _work
    return [work(item) for item in items]
