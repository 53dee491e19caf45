"""Work on processes forked from this one (`services/forked.py`, the workers of a bulk entry): answers in order,
a worker's failure reaching the caller, nothing left running when the caller stops early or is killed."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time
from functools import partial
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.services import forked
from tests.support.processes import running


def square(number: int) -> int:
    return number * number


def refuse_321(number: int) -> int:
    if number == 321:
        raise ValueError("321 refused")
    return number


@settings(max_examples=8, deadline=None)
@given(count=st.integers(0, 400), workers=st.integers(0, 3))
def test_the_answers_come_in_the_order_of_the_items(count: int, workers: int) -> None:
    items = list(range(count))
    with forked.in_order(square, items, workers) as answers:
        assert list(answers) == [n * n for n in items]
    assert multiprocessing.active_children() == []


def test_a_workers_failure_reaches_the_caller_at_its_item() -> None:
    seen: list[int] = []
    with pytest.raises(ValueError, match="321 refused"), forked.in_order(refuse_321, list(range(500)), 2) as answers:
        seen.extend(answers)
    # Every answer before the failing item's task (a task of CHUNK items fails whole), none after.
    assert seen == list(range(321 // forked.CHUNK * forked.CHUNK))
    assert multiprocessing.active_children() == []


def test_a_caller_stopping_early_leaves_nothing_running() -> None:
    with forked.in_order(square, list(range(5_000)), 2) as answers:
        assert [next(answers) for _ in range(3)] == [0, 1, 4]
    assert multiprocessing.active_children() == []


def record(path: Path, number: int) -> int:
    with path.open("a", encoding="ascii") as done:
        done.write(f"{number}\n")
    return number


def test_the_workers_stay_a_few_tasks_ahead_of_the_caller(tmp_path: Path) -> None:
    """However many items, the workers work only a few tasks beyond what the caller consumed: the answers held in
    memory stay few (an import of a million lines does not hold a million verdicts)."""
    done = tmp_path / "done.txt"
    with forked.in_order(partial(record, done), list(range(20_000)), 2) as answers:
        assert next(answers) == 0
        time.sleep(1.5)  # the workers, left alone, would work through every task meanwhile
        worked = [int(line) for line in done.read_text(encoding="ascii").split()]
        assert len(worked) <= (1 + forked.AHEAD * 2) * forked.CHUNK
        assert list(answers)[-1] == 19_999
    assert sorted(int(line) for line in done.read_text(encoding="ascii").split()) == list(range(20_000))


def test_workers_end_with_a_parent_killed_mid_work() -> None:
    """kill -9 of the entering process (an operator stopping an import) leaves no worker waiting for tasks."""
    script = textwrap.dedent(
        """
        import multiprocessing, time
        from exportctl.services import forked

        def slow(n):
            time.sleep(0.05)
            return n

        with forked.in_order(slow, list(range(2_000)), 2) as answers:
            next(answers)
            print(*(child.pid for child in multiprocessing.active_children()), flush=True)
            time.sleep(60)
        """
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    workers = [int(pid) for pid in parent.stdout.readline().split()]
    assert len(workers) == 2
    os.kill(parent.pid, signal.SIGKILL)  # the process this test started
    parent.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(running(pid) for pid in workers):
        time.sleep(0.05)
    assert not any(running(pid) for pid in workers)
