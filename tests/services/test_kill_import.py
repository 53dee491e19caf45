"""Issue 10's kill -9 proof: `exportctl orders import` killed at a random moment while it writes leaves all of
the file or none of it, on SQLite and on PostgreSQL, and `exportctl audit verify` passes afterwards.

The normal suite runs one kill per database on a small file (10,000 lines). `make kill-test` sets
EXPORTCTL_KILL_TEST=full: a 50,000-line file, 10 kills at random moments on each database. Either way one
complete import first measures how long the whole file takes (the kills are spread over that time).
"""

from __future__ import annotations

import csv
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from typer.testing import CliRunner

from exportctl.cli import app as cli
from exportctl.services import actors, auth, records
from exportctl.store import db as store
from exportctl.store.models import AuditRecord, Order, OrderLine
from tests.support import pgserver
from tests.support.processes import children, running

FULL = os.environ.get("EXPORTCTL_KILL_TEST") == "full"
LINES = 50_000 if FULL else 10_000  # enough that writing outlasts the first import's one-off work
KILLS = 10 if FULL else 1
LINES_PER_ORDER = 10
EXPORTCTL = Path(sys.executable).parent / "exportctl"
REFERENCES = ("hs:3926.90", "hs:8471.30", "7(19)#euv-resist", "hs:8457.10")
runner = CliRunner()


@dataclass
class Target:
    url: str
    token: str
    sqlite_path: Path | None


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Target]:
    if request.param == "sqlite":
        path = tmp_path / "kill.db"
        url, server = f"sqlite:///{path}", None
    else:
        path, server = None, request.getfixturevalue("postgres_server")
        url = pgserver.create_database(server, prefix="exportctl_kill")
    with store.session(url) as db:  # the importing clerk's credential: a token, as a system would use
        records.add_user(db, actors.SYSTEM, "carl", "clerk")
        token = auth.create_token(db, actors.SYSTEM, "carl", "import")
    yield Target(url, token, path)
    store.engine(url).dispose()
    if server is not None:
        pgserver.drop_database(server, url)


def write_orders(path: Path, prefix: str, lines: int) -> int:
    """A CSV of `lines` order lines, ten per order, to Germany (released without screening hits)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["number", "ship_date", "destination", "end_use", "reference", "quantity", "value_jpy"])
        for n in range(lines):
            reference = REFERENCES[n % len(REFERENCES)]
            out.writerow([f"{prefix}-{n // LINES_PER_ORDER:06d}", "2019-10-01", "DE", "research", reference, 1, 50_000])
    return -(-lines // LINES_PER_ORDER)


def start_import(target: Target, path: Path, workers: int = 0) -> subprocess.Popen[bytes]:
    env = os.environ | {"EXPORTCTL_DATABASE_URL": target.url, "EXPORTCTL_TOKEN": target.token}
    env.pop("EXPORTCTL_USER", None)
    command = [str(EXPORTCTL), "--user", "carl", "orders", "import", str(path), "--workers", str(workers)]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)


def writing(target: Target) -> bool:
    """True while another connection has a write transaction open (the import has begun writing; on PostgreSQL,
    its transaction has begun: the bulk entry writes its rows at the end of a batch, after deciding them)."""
    if target.sqlite_path is not None:
        with closing(sqlite3.connect(target.sqlite_path, timeout=0, isolation_level=None)) as probe:
            try:
                probe.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:
                return True
            probe.execute("ROLLBACK")
            return False
    with store.engine(target.url).connect() as connection:
        others = connection.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL"
            )
        )
        return bool(others.scalar())


def wait_until_writing(target: Target, process: subprocess.Popen[bytes], limit: float = 300) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False  # finished (or failed) before we saw it write
        if writing(target):
            return True
        time.sleep(0.02)
    raise AssertionError("the import never began writing")


def state(url: str) -> tuple[int, int, int]:
    with store.session(url, readonly=True) as db:
        return (
            db.scalar(select(func.count()).select_from(Order)) or 0,
            db.scalar(select(func.count()).select_from(OrderLine)) or 0,
            db.scalar(select(func.count()).select_from(AuditRecord)) or 0,
        )


def audit_verify(url: str) -> str:
    result = runner.invoke(cli, ["audit", "verify"], env={"EXPORTCTL_DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    return result.output


def run_once(target: Target, folder: Path, run: int, delay: float | None) -> tuple[str, float]:
    """Import a fresh file; kill -9 it `delay` seconds after it began writing (None: let it finish).
    Returns what happened ("all" or "none") and how long it wrote."""
    path = folder / f"orders-{run}.csv"
    orders = write_orders(path, f"SO-K{run}", LINES)
    before = state(target.url)
    process = start_import(target, path)
    began = wait_until_writing(target, process)
    started = time.monotonic()
    if delay is not None and began:
        time.sleep(delay)
        os.kill(process.pid, signal.SIGKILL)  # the process this test started, by its id
    while delay is None and process.poll() is None and writing(target):  # until it commits, not until it exits
        time.sleep(0.01)
    wrote = time.monotonic() - started
    process.wait(timeout=3600)
    if delay is None:
        assert process.returncode == 0, process.stderr.read() if process.stderr else ""
    after = state(target.url)
    added = tuple(b - a for a, b in zip(before, after, strict=True))
    assert added[:2] in ((0, 0), (orders, LINES)), f"partial import: {added[0]} orders, {added[1]} lines"
    if added[0] == 0:
        assert added[2] == 0, "nothing imported, yet the ledger grew"
    else:
        assert added[2] >= orders, "orders imported without their ledger records"
    if target.sqlite_path is not None:
        with closing(sqlite3.connect(target.sqlite_path)) as check:
            assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    audit_verify(target.url)
    return ("all" if added[0] else "none"), wrote


def test_kill_9_during_an_import_leaves_all_or_nothing(target: Target, tmp_path: Path) -> None:
    rng = random.Random(int(os.environ.get("EXPORTCTL_KILL_SEED", "10")))
    # How long the whole file takes to write, measured (the bulk path writes the small file in well under a second:
    # a guess would let the kill land after the end).
    expected = run_once(target, tmp_path, 0, None)[1]
    outcomes = []
    for run in range(1, KILLS + 1):
        outcome, wrote = run_once(target, tmp_path, run, rng.uniform(0.05, expected))
        outcomes.append(outcome)
        print(f"kill {run}: {outcome} after {wrote:.1f} s of writing")  # the figures for the closing note
    assert outcomes.count("none") >= 1  # at least one kill landed while it was writing
    with store.session(target.url) as db:  # and the database takes writes again
        records.add_item(db, actors.SYSTEM, "AFTER-KILL", "written after the kills", None)
    audit_verify(target.url)


# --- on forked workers (`orders import --workers N`) -----------------------------------------------------------


def _stored(url: str, prefix: str) -> list[tuple[str, str, str, str]]:
    with store.session(url, readonly=True) as db:
        found = db.execute(
            select(Order.number, Order.status, Order.outcome, Order.determination_sha256)
            .where(Order.number.like(f"{prefix}-%"))
            .order_by(Order.number)
        )
        return [(number.removeprefix(prefix), status, outcome, key) for number, status, outcome, key in found]


def test_an_import_on_workers_stores_what_one_process_stores(target: Target, tmp_path: Path) -> None:
    """The same file imported in one process and on two forked workers: the same orders, statuses, outcomes and
    stored determinations; the ledger verifies."""
    for prefix, workers in (("SO-ONE", 0), ("SO-TWO", 2)):
        write_orders(tmp_path / f"{prefix}.csv", prefix, 2_000)
        process = start_import(target, tmp_path / f"{prefix}.csv", workers)
        _out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err.decode()
    one, two = _stored(target.url, "SO-ONE"), _stored(target.url, "SO-TWO")
    assert len(one) == 200 and one == two
    audit_verify(target.url)


def test_kill_9_of_an_import_on_workers_leaves_nothing_running(target: Target, tmp_path: Path) -> None:
    """kill -9 of an import while its workers determine: all of the file or none of it, and its workers end with
    it (none is left waiting for tasks, holding the screening index's memory)."""
    path = tmp_path / "orders.csv"
    write_orders(path, "SO-W", LINES)
    before = state(target.url)
    process = start_import(target, path, workers=2)
    deadline = time.monotonic() + 300
    while len(workers := children(process.pid)) < 2 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(workers) >= 2, "the import never started its workers"
    os.kill(process.pid, signal.SIGKILL)  # the process this test started, by its id
    process.wait(timeout=60)
    deadline = time.monotonic() + 10
    while any(running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(running(pid) for pid in workers)
    added = tuple(b - a for a, b in zip(before, state(target.url), strict=True))
    assert added in ((0, 0, 0), (LINES // LINES_PER_ORDER, LINES, added[2]))
    audit_verify(target.url)
