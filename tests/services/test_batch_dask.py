"""Batches on a real Dask cluster (issue 14): a `dask scheduler` and two `dask worker` processes started here, no
mocks. A batch gives exactly what the single-process engine gives on the same rows, when a worker is killed in the
middle of it, when the command itself is killed and run again (it resumes), from CSV, Parquet or a PostgreSQL table.
A bad row stops the batch naming the row and column, and leaves no output."""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from sqlalchemy import create_engine, select, text, update

from exportctl import demo, ledger
from exportctl.services import actors, recheck, screening
from exportctl.services.batch.executor import LOCAL, Executor
from exportctl.services.batch.rows import determine_rows, screen_rows
from exportctl.services.batch.run import parts_folder
from exportctl.services.batch.sources import BatchInput
from exportctl.services.impact import impact
from exportctl.store import db as store
from exportctl.store.models import Order
from tests.services.test_impact import KR_LEAVES_A_EARLY
from tests.support import pgserver

BIN = Path(sys.executable).parent
COLUMNS = ["order_id", "line", "date", "to", "item", "value_jpy", "end_user", "end_user_country", "wmd_end_use"]
ITEMS = ["1C350", "hs:2811.11", "3A001", "5(17)", "hs:8471.30", "3A090", "2B001"]
DESTINATIONS = ["KR", "CN", "US", "DE", "RU", "KP", "IR", "SG"]
DATES = ["2019-07-01", "2019-09-01", "2023-08-01", "2024-05-01", "2026-08-01"]
END_USERS = ["", "", "Korea Mining Development Trading Corporation", "Sakura Precision Optics", "Air Koryo", "Acme"]


def write_orders(path: Path, count: int, seed: int = 14) -> None:
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for number in range(count):
            writer.writerow(
                [
                    f"SO-{number // 3}",
                    str(number % 3 + 1),
                    rng.choice(DATES),
                    rng.choice(DESTINATIONS),
                    rng.choice(ITEMS),
                    str(rng.choice([50_000, 1_000_000, 90_000_000])),
                    rng.choice(END_USERS),
                    rng.choice(["", "KP", "JP"]),
                    rng.choice(["", "true", "false"]),
                ]
            )


def expected_rows(source: Path, regimes: list[str]) -> list[dict[str, str]]:
    """What the engine in this process answers for every row, as the CSV output writes it."""
    rows = [r for p in BatchInput.of(str(source)).partitions(1_000_000) for r in p.rows]
    found = determine_rows(rows, regimes, screening.screener())
    return [
        {k: ("" if v is None else ("true" if v is True else "false" if v is False else str(v))) for k, v in r.items()}
        for r in found
    ]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Cluster:
    address: str
    workers: list[subprocess.Popen[bytes]]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """A scheduler and two single-process workers (no nanny: a killed worker stays dead)."""
    logs = tmp_path_factory.mktemp("dask")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": (logs / "log.txt").open("ab")}
    scheduler = subprocess.Popen(
        [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"], **quiet
    )
    workers = [
        subprocess.Popen(
            [str(BIN / "dask"), "worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard", "--name", name],
            **quiet,
        )
        for name in ("w1", "w2")
    ]
    from distributed import Client

    try:
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
        yield Cluster(address, workers)
    finally:
        for process in (*workers, scheduler):
            process.kill()
            process.wait()


def exportctl(*arguments: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "exportctl.cli", *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    _, err = process.communicate(timeout=600)
    return process.returncode, err


def test_a_worker_killed_mid_run_loses_nothing(cluster: Cluster, tmp_path: Path) -> None:
    orders, target = tmp_path / "orders.csv", tmp_path / "out.csv"
    write_orders(orders, 2_400)
    run = exportctl(
        "batch", "determine", "--input", str(orders), "--output", str(target), "--regime", "jp", "--regime", "us",
        "--scheduler", cluster.address, "--partition-rows", "100",
    )  # fmt: skip
    folder = parts_folder(target)
    deadline = time.monotonic() + 300
    while len(list(folder.glob("part-*.parquet"))) < 2 and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.05)
    assert run.poll() is None, "the batch ended before a worker could be killed"
    cluster.workers[0].kill()  # SIGKILL: its partitions in flight are lost with it
    code, err = finish(run)
    assert code == 0, err
    assert read_csv(target) == expected_rows(orders, ["jp", "us"])
    assert not folder.exists()


def test_a_killed_run_resumes_and_gives_the_same_output(cluster: Cluster, tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    write_orders(orders, 1_500, seed=15)
    whole, resumed = tmp_path / "whole.csv", tmp_path / "resumed.csv"
    options = ["--scheduler", cluster.address, "--partition-rows", "100"]
    code, err = finish(exportctl("batch", "determine", "--input", str(orders), "--output", str(whole), *options))
    assert code == 0, err

    first = exportctl("batch", "determine", "--input", str(orders), "--output", str(resumed), *options)
    folder = parts_folder(resumed)
    deadline = time.monotonic() + 300
    while len(list(folder.glob("part-*.parquet"))) < 3 and time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.02)
    assert first.poll() is None, "the batch ended before it could be killed"
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    assert not resumed.exists()  # no half output
    kept = len(list(folder.glob("part-*.parquet")))

    code, err = finish(exportctl("batch", "determine", "--input", str(orders), "--output", str(resumed), *options))
    assert code == 0, err
    assert f"({kept} done by an earlier run)" in err
    assert resumed.read_bytes() == whole.read_bytes()


def test_another_input_under_the_same_output_starts_afresh(cluster: Cluster, tmp_path: Path) -> None:
    first, second, target = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "out.csv"
    write_orders(first, 300, seed=1)
    write_orders(second, 300, seed=2)
    folder = parts_folder(target)
    folder.mkdir()
    (folder / "run.json").write_text('{"job": "another run"}')
    (folder / "part-0000000.parquet").write_bytes(b"from another run")
    code, err = finish(
        exportctl("batch", "determine", "--input", str(second), "--output", str(target), "--scheduler", cluster.address)
    )
    assert code == 0, err
    assert "earlier run" not in err
    assert read_csv(target) == expected_rows(second, ["jp"])


def test_parquet_in_and_out_and_a_postgresql_table(cluster: Cluster, tmp_path: Path, postgres_server: str) -> None:
    orders = tmp_path / "orders.csv"
    write_orders(orders, 400, seed=3)
    rows = read_csv(orders)
    expected = expected_rows(orders, ["jp"])

    import pyarrow as pa

    parquet = tmp_path / "orders.parquet"
    typed = {"": None, "true": True, "false": False}
    table = pa.Table.from_pylist(
        [{**row, "value_jpy": int(row["value_jpy"]), "wmd_end_use": typed[row["wmd_end_use"]]} for row in rows]
    )
    pq.write_table(table, parquet)
    target = tmp_path / "out.parquet"
    code, err = finish(
        exportctl(
            "batch", "determine", "--input", str(parquet), "--output", str(target), "--scheduler", cluster.address
        )
    )
    assert code == 0, err
    found = pq.read_table(target).to_pylist()
    assert [r["licence_required"] for r in found] == [typed[r["licence_required"]] for r in expected]
    # A row the regime cannot identify names its file: here the Parquet file.
    assert [{k: v for k, v in r.items() if k != "licence_required"} for r in found] == [
        {k: v.replace("orders.csv:", "orders.parquet:") for k, v in r.items() if k != "licence_required"}
        for r in expected
    ]

    url = pgserver.create_database(postgres_server, prefix="exportctl_batch")
    try:
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(
                text(" ".join(["CREATE TABLE orders (", ", ".join(f'"{c}" text' for c in COLUMNS), ")"]))
            )
            connection.execute(
                text(f"INSERT INTO orders VALUES ({', '.join(':' + c for c in COLUMNS)})"),
                [{c: (row[c] or None) for c in COLUMNS} for row in rows],
            )
        engine.dispose()
        from_table = tmp_path / "from-table.csv"
        code, err = finish(
            exportctl(
                "batch", "determine", "--input", f"{url}?table=orders", "--output", str(from_table),
                "--scheduler", cluster.address,
            )
        )  # fmt: skip
        assert code == 0, err
        assert read_csv(from_table) == [
            {k: v.replace("orders.csv:", "table orders:") for k, v in r.items()} for r in expected
        ]
        code, err = finish(
            exportctl(
                "batch", "determine", "--input", f"{url}?table=missing_table", "--output", str(tmp_path / "x.csv"),
                "--scheduler", cluster.address,
            )
        )  # fmt: skip
        assert code != 0 and "missing_table" in err and "Traceback" not in err
    finally:
        pgserver.drop_database(postgres_server, url)


def test_a_bad_row_stops_the_batch_naming_it_and_writes_nothing(cluster: Cluster, tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    write_orders(orders, 600, seed=4)
    lines = orders.read_text(encoding="utf-8").splitlines()
    cells = lines[451].split(",")
    cells[COLUMNS.index("wmd_end_use")] = "perhaps"
    lines[451] = ",".join(cells)
    orders.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = tmp_path / "out.csv"
    code, err = finish(
        exportctl(
            "batch", "determine", "--input", str(orders), "--output", str(target), "--scheduler", cluster.address,
            "--partition-rows", "100",
        )
    )  # fmt: skip
    assert code == 2, err
    assert "orders.csv: row 452, column wmd_end_use: 'perhaps' is not true/false" in " ".join(err.split())
    assert not target.exists()


def test_unknown_columns_and_options_are_refused_before_any_work(tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text("order_id,line,date,to,item,wmd_enduse\nA,1,2019-09-01,KR,1C350,false\n", encoding="utf-8")
    code, err = finish(exportctl("batch", "determine", "--input", str(orders), "--output", str(tmp_path / "o.csv")))
    assert code == 2 and "unknown column(s) wmd_enduse" in " ".join(err.split())
    orders.write_text("order_id,line,date,to,item\nA,1,2019-09-01,KR,1C350\n", encoding="utf-8")
    code, err = finish(exportctl("batch", "determine", "--input", str(orders), "--output", str(tmp_path / "o.xlsx")))
    assert code == 2 and "not a .csv or .parquet file name" in " ".join(err.split())
    code, err = finish(
        exportctl("batch", "determine", "--input", str(orders), "--output", str(tmp_path / "o.csv"), "--regime", "xx")
    )
    assert code == 2 and "'xx' is not an installed regime" in " ".join(err.split())


def test_batch_screen_on_a_local_cluster(tmp_path: Path) -> None:
    parties = tmp_path / "parties.csv"
    names = ["Korea Mining Development Trading Corp", "Sakura Precision Optics", "Air Koryo", "KOMID", "Acme GmbH"]
    parties.write_text("id,name,country\n" + "".join(f"P{i},{n},\n" for i, n in enumerate(names)), encoding="utf-8")
    target = tmp_path / "hits.csv"
    code, err = finish(exportctl("batch", "screen", "--input", str(parties), "--output", str(target), "--workers", "1"))
    assert code == 0, err
    rows = [r for p in BatchInput.of(str(parties)).partitions(100) for r in p.rows]
    expected = screen_rows(rows, screening.screener(), None, 0.82, 10)
    found = read_csv(target)
    assert [(r["id"], r["list"], r["entity_id"]) for r in found] == [
        (r["id"], r["list"], r["entity_id"]) for r in expected
    ]
    assert [float(r["score"]) for r in found] == pytest.approx([r["score"] for r in expected], abs=1e-4)
    assert {"P0", "P2"} <= {r["id"] for r in found} and "P1" not in {r["id"] for r in found}


def test_impact_on_the_cluster_answers_as_in_one_process(cluster: Cluster, tmp_path: Path) -> None:
    """`impact` sends its two determinations per open order to the workers (the overlay travels with the job) and
    reports exactly what it reports in one process: the 2019 Korea changes, as law and as a what-if."""
    screener = screening.screener()  # the lists the workers have too
    url = f"sqlite:///{tmp_path}/demo.db"
    with store.session(url) as s:
        demo.load_demo(s, actors.SYSTEM, screener)
    far = Executor(scheduler=cluster.address)
    overlay = ("kr-early.yaml", KR_LEAVES_A_EARLY)
    tasks_before = decide_tasks(cluster)
    for start, end, what_if in ((dt.date(2019, 8, 27), dt.date(2019, 8, 28), None), (JUNE_30, JULY_1, overlay)):
        with store.session(url, readonly=True) as s:
            here = impact(s, "jp", start, end, what_if, screener).as_dict()
            there = impact(s, "jp", start, end, what_if, screener, executor=far).as_dict()
        assert there == here
        assert any(o["effect"] == "newly blocked" for o in there["orders"])  # the change shows on the cluster too
    assert decide_tasks(cluster) > tasks_before


def decide_tasks(cluster: Cluster) -> int:
    """How many `work.decide` tasks the scheduler has been given so far."""
    from distributed import Client

    def count(dask_scheduler: Any) -> int:
        prefix = dask_scheduler.task_prefixes.get("decide")
        return sum(prefix.state_counts.values()) if prefix is not None else 0

    with Client(cluster.address, timeout=60) as client:
        counted: int = client.run_on_scheduler(count)
        return counted


JUNE_30, JULY_1 = dt.date(2019, 6, 30), dt.date(2019, 7, 1)


def test_recheck_on_the_cluster_records_what_one_process_records(cluster: Cluster, tmp_path: Path) -> None:
    """A re-check after a pack update (every open order's pack version is one not kept) made on the workers stores
    the same determinations, statuses and reasons as one made here, and the ledger verifies."""
    screener = screening.screener()
    found: dict[str, Any] = {}
    tasks_before = decide_tasks(cluster)
    for where, executor in (("here", LOCAL), ("cluster", Executor(scheduler=cluster.address))):
        url = f"sqlite:///{tmp_path}/{where}.db"
        with store.session(url) as s:
            demo.load_demo(s, actors.SYSTEM, screener)
            s.execute(update(Order).where(Order.status != "shipped").values(pack_version="0" * 40))
        with store.session(url) as s:
            result = recheck.recheck(s, actors.SYSTEM, dt.date(2019, 8, 1), screener, executor)
        with store.session(url, readonly=True) as s:
            stored = s.execute(
                select(Order.number, Order.status, Order.blocking_reasons, Order.determination_sha256).order_by(
                    Order.number
                )
            )
            found[where] = (result.as_dict(), [tuple(row) for row in stored])
            assert ledger.verify(s).ok
        store.engine(url).dispose()
    assert found["cluster"] == found["here"]
    assert len(found["cluster"][0]["redetermined"]) > 10  # every open demo order was redetermined
    assert decide_tasks(cluster) > tasks_before  # and the workers made the determinations


def _worker_settings() -> tuple[bool, str]:
    import dask

    return dask.config.get("distributed.worker.profile.enabled"), dask.config.get("distributed.admin.tick.interval")


def test_a_local_cluster_runs_its_workers_without_the_statistical_profiler() -> None:
    """No dashboard reads the profiles of our own cluster's workers, so they must not sample their stacks every 10 ms
    (a cost every busy worker paid); the settings hold only inside our cluster, not for the caller's Dask."""
    import dask

    from exportctl.services.batch.cluster import connected

    with connected(None, 1) as client:
        settings = set(client.run(_worker_settings).values())
    assert settings == {(False, "500ms")}
    assert dask.config.get("distributed.worker.profile.enabled") is True  # Dask's default, outside our cluster
