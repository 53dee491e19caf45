"""Benchmark: batch determination and batch screening on Dask, against the plain engine in the same run.

Run: `make bench-batch` (or `.venv/bin/python bench/batch.py [--lines N] [--parties N] [--partition-rows N]`).

- Determination: N generated order lines (CSV; items of every kind the Japanese pack numbers, HS codes, listed and
  unlisted end users, dates 2019–2026) under the Japanese regime, on a Dask LocalCluster of 2 workers, of 1 worker,
  and by the plain single-process engine (the same rows read the same way, `determine_rows` in this process, its
  output written as a batch writes it; the three outputs must be equal).
  Targets (issue 14): 2 workers ≥ 1.8 × 1 worker; Dask's overhead ≤ 15 % over the plain engine per core.
- Screening: N generated party names (default 1,000,000; a fifth listed names as users type them, the rest names on
  no list) against every shipped list, on 2 workers, and the first 50,000 by the plain screener (its baseline);
  names/s per core (target ≥ 2,000), and the hits of a sample compared with the single-process screener's (recall
  of the batch against it).
The screening index and the packs are built before timing (the data directory keeps them): the runs time the work.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import json
import os
import platform
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from exportctl.services import regimes, screening
from exportctl.services.batch import output
from exportctl.services.batch.rows import determine_rows, screen_rows
from exportctl.services.batch.run import run
from exportctl.services.batch.sources import BatchInput
from exportctl.services.batch.work import Job

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
DESTINATIONS = ["KR", "US", "DE", "CN", "TW", "IN", "AE", "IR", "KP", "TR", "BR", "VN", "SG", "RU"]
HS_CODES = ["8456.11", "8471.30", "8542.31", "5407.10", "9027.50", "0901.11", "3926.90", "2811.11"]
UNLISTED = ["Sakura Precision", "Nordlicht Optics", "Meridian Textiles", "Kestrel Motors", "Hanami Ceramics"]
FORMS = ["Co., Ltd.", "GmbH", "LLC", "K.K.", "Inc.", "S.A.", ""]


def order_lines(path: Path, count: int, seed: int = 14) -> None:
    """Order lines as an order book has them: a party master of 2,000 customers (each in its country, a few of them
    listed), items of every kind the Japanese pack numbers and HS codes, any destination, 2019–2026."""
    rng = random.Random(seed)
    pack = regimes.regime("jp").pack
    entries = sorted(e for e, entry in pack.entries.items() if entry.kind == "goods")
    numbers = sorted({n for entry in pack.entries.values() for n in entry.control_numbers})
    listed = [("Korea Mining Development Trading Corporation", "KP"), ("Air Koryo", "KP")]
    listed.append(("Delta Engineering Concern FZE", "AE"))
    master = [
        (f"{rng.choice(UNLISTED)} {rng.choice(['Trading', 'Works', 'Labs'])} {number} {rng.choice(FORMS)}".strip(),
         rng.choice(DESTINATIONS))
        for number in range(2_000)
    ] + listed * 20  # fmt: skip
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["order_id", "line", "date", "to", "item", "value_jpy", "end_user", "end_user_country", "wmd_end_use"]
        )
        for number in range(count):
            kind = rng.random()
            item = (
                rng.choice(entries)
                if kind < 0.4
                else rng.choice(numbers)
                if kind < 0.6
                else f"hs:{rng.choice(HS_CODES)}"
            )
            day = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(2_800))
            end_user, country = rng.choice(master)
            writer.writerow(
                [
                    f"SO-{number // 4}", str(number % 4 + 1), day.isoformat(), rng.choice(DESTINATIONS), item,
                    str(rng.choice([30_000, 400_000, 2_000_000, 50_000_000])), end_user, country,
                    rng.choice(["", "false"]),
                ]
            )  # fmt: skip


def party_names(path: Path, count: int, seed: int = 3) -> None:
    rng = random.Random(seed)
    index = screening.screener().index
    listed = [index.names[rng.randrange(len(index.names))].name for _ in range(2_000)]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name"])
        for number in range(count):
            if rng.random() < 0.2:
                name = rng.choice(listed)
                name = name.upper() if rng.random() < 0.5 else name
            else:
                name = f"{rng.choice(UNLISTED)} {rng.choice(['Trading', 'Works', 'Labs', ''])} {rng.choice(FORMS)}"
                name = f"{name} {rng.randrange(10_000)}"
            writer.writerow([f"P{number}", " ".join(name.split())])


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def plain(job: Job, source: Path, partition_rows: int, target: Path | None = None) -> float:
    """The plain engine over the rows, read the same way as a batch reads them; with `target`, its output written
    as a batch writes it (one Parquet file). Returns the seconds spent writing."""
    screener = screening.screener()
    writing = 0.0
    writer = pq.ParquetWriter(target, output.schema(job.kind)) if target else None
    for partition in BatchInput.of(str(source)).partitions(partition_rows):
        if job.kind == "determine":
            found = determine_rows(partition.rows, job.regimes, screener)
        else:
            found = screen_rows(partition.rows, screener, None, job.threshold, job.limit)
        if writer:
            started = time.perf_counter()
            writer.write_table(pa.Table.from_pylist(found, schema=output.schema(job.kind)))
            writing += time.perf_counter() - started
    if writer:
        writer.close()
    return writing


def on_dask(job: Job, source: Path, target: Path, workers: int, partition_rows: int) -> float:
    target.unlink(missing_ok=True)
    return timed(lambda: run(job, BatchInput.of(str(source)), target, workers=workers, partition_rows=partition_rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--parties", type=int, default=1_000_000)
    parser.add_argument("--plain-parties", type=int, default=50_000, help="the plain screener's sample (its baseline)")
    parser.add_argument("--partition-rows", type=int, default=5_000)
    parser.add_argument("--parts", default="determine,screen", help="what to measure: determine, screen or both")
    args = parser.parse_args()
    os.environ.setdefault("EXPORTCTL_LISTS_DIR", f"{SHARED / 'lists'}{os.pathsep}{SHARED / 'us'}")
    folder = Path(tempfile.mkdtemp(prefix="exportctl-bench-batch-"))
    os.environ.setdefault("EXPORTCTL_DATA_DIR", str(folder / "data"))
    screening.keep_in_memory()  # as the workers do: the plain engine is measured at its best
    screening.screener()  # the index file, built once before anything is timed
    gc.freeze()  # as the workers do (services/batch/work.py): the loaded index is not walked by the collector
    regimes.regime("jp")

    report: dict[str, Any] = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
    }
    if "determine" in args.parts:
        report["determination"] = determination(folder, args)
    if "screen" in args.parts:
        report["screening"] = screening_run(folder, args)
    print(json.dumps(report, indent=2))


def determination(folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    orders = folder / "orders.csv"
    order_lines(orders, args.lines)
    job = Job("determine", regimes=("jp",))
    writing = 0.0

    def plain_batch() -> None:
        nonlocal writing
        writing = plain(job, orders, args.partition_rows, folder / "plain.parquet")

    plain_time = timed(plain_batch)  # reading, determining and writing, as a batch does, in one process
    one = on_dask(job, orders, folder / "one.parquet", 1, args.partition_rows)
    two = on_dask(job, orders, folder / "two.parquet", 2, args.partition_rows)
    plain_output = pq.read_table(folder / "plain.parquet")
    same = plain_output.equals(pq.read_table(folder / "one.parquet")) and plain_output.equals(
        pq.read_table(folder / "two.parquet")
    )
    return {
        "lines": args.lines,
        "plain_engine_lines_per_s": round(args.lines / plain_time),
        "plain_engine_without_writing_lines_per_s": round(args.lines / (plain_time - writing)),
        "dask_1_worker_lines_per_s": round(args.lines / one),
        "dask_2_workers_lines_per_s": round(args.lines / two),
        "two_vs_one_worker": round(one / two, 2),
        "dask_overhead_per_core": round(one / plain_time - 1, 3),
        "outputs_of_plain_1_and_2_workers_equal": same,
        "targets_met": {"two_workers>=1.8x_one": one / two >= 1.8, "dask_overhead<=15%": one / plain_time <= 1.15},
    }


def screening_run(folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    parties = folder / "parties.csv"
    party_names(parties, args.parties)
    job = Job("screen", threshold=0.82, limit=10)
    # The plain screener's speed is measured on the first names (at ~800 names/s a million would take 20 minutes).
    sample = folder / "plain-parties.csv"
    with parties.open(encoding="utf-8") as source, sample.open("w", encoding="utf-8") as first:
        first.writelines(line for _, line in zip(range(args.plain_parties + 1), source, strict=False))
    plain_count = min(args.plain_parties, args.parties)
    plain_time = timed(lambda: plain(job, sample, args.partition_rows))
    two = on_dask(job, parties, folder / "hits.csv", 2, args.partition_rows)
    # Recall of the batch against the single-process screener, on the first 2,000 parties.
    sample = [r for p in BatchInput.of(str(parties)).partitions(2_000) for r in p.rows][:2_000]
    expected = {(r["id"], r["entity_id"]) for r in screen_rows(sample, screening.screener(), None, 0.82, 10)}
    with (folder / "hits.csv").open(newline="", encoding="utf-8") as handle:
        ids = {row.values["id"] for row in sample}
        found = {(r["id"], r["entity_id"]) for r in csv.DictReader(handle) if r["id"] in ids}
    per_core = args.parties / two / 2
    return {
        "parties": args.parties,
        "plain_names_per_s": round(plain_count / plain_time),
        "plain_parties": plain_count,
        "dask_2_workers_names_per_s": round(args.parties / two),
        "names_per_s_per_core": round(per_core),
        "recall_vs_single_process_on_2000": round(len(found & expected) / max(len(expected), 1), 4),
        "hits_not_in_single_process": len(found - expected),
        "hours_for_10M_parties_on_8_cores": round(10_000_000 / (per_core * 8) / 3600, 2),
        "targets_met": {"names_per_s_per_core>=2000": per_core >= 2_000},
    }


if __name__ == "__main__":
    main()
