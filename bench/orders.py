"""Benchmark: import and determination of 100,000 order lines (rows/s), through the order service.

Run: `make bench-orders` (or `.venv/bin/python bench/orders.py [--orders N] [--lines-per-order 4] [--databases
sqlite,postgresql]`).

Two paths, each on SQLite and on a throwaway PostgreSQL 15 server (started and removed here, as the tests do):
`add_order` per order (the path of `orders add`, the API and the web form) and `add_orders` (the bulk path of
`orders import`, issue 14: what the orders share read once, the ledger's head locked once per batch of 1,000 orders
written together, every order in one transaction as a file is imported, determined by `--workers` processes forked
from the entering one while it writes: by default one per core, as `orders import --workers N`; 0: in-process).

On a fresh SQLite file (the default store): 40 parties (screened once when added), 60 items classified under
the shipped Japan pack and a handful of licences; then 25,000 reproducible orders of 4 lines each (item codes
from the product master, entry ids, international numbers and HS codes; 15 destinations; dates 2019 … 2026)
go through `services.orders.add_order`, 500 orders per transaction: each order is stored, determined,
its parties screened (a cached screener built from every shipped list), licences assigned, its status set,
and the determination written to the hash-chained ledger.

Baseline in the same run: the engine alone, determining the same transactions (same resolved line
references, same screener, same cached snapshots) without storage. Ratio = service time / engine time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support import pgserver

from exportctl import ledger
from exportctl.core_types import Transaction
from exportctl.determine.engine import determine
from exportctl.order_input import LineInput, OrderInput
from exportctl.screening.screener import Screener
from exportctl.screening.sources import registry
from exportctl.services import orders, records, regimes, screening
from exportctl.services.actors import SYSTEM
from exportctl.store import db
from exportctl.store.models import Order, OrderLine

LISTS_DIR = Path(__file__).resolve().parents[2] / "shared/data/lists"
DESTINATIONS = ["KR", "US", "DE", "CN", "TW", "IN", "AE", "IR", "SO", "TR", "BR", "VN", "TH", "EE", "SG"]
HS_CODES = ["8456.11", "8457.10", "8471.30", "8542.31", "5407.10", "9027.50", "0901.11", "3926.90", "8802.60"]
PARTY_NAMES = [
    ("Hanbit Semiconductor Co., Ltd.", "KR"),
    ("Delta Engineering Concern FZE", "AE"),
    ("Acme Machine Trading LLC", "AE"),
    ("Nordlicht Optik GmbH", "DE"),
    ("Pacific Rim Components Pte. Ltd.", "SG"),
    ("Shenzhen Bright Future Electronics Co., Ltd.", "CN"),
    ("Anatolia Precision Makina A.S.", "TR"),
    ("Saigon Textile Joint Stock Company", "VN"),
]


def reference_data(count_items: int, seed: int = 2026) -> tuple[list[tuple[str, str, str]], list[str]]:
    """Items (code, reference, description) and the line references used directly on orders."""
    rng = random.Random(seed)
    pack = regimes.regime("jp").pack
    goods = {e: entry for e, entry in pack.entries.items() if entry.kind == "goods"}  # the lines are goods lines
    entry_ids = sorted(e for e, entry in goods.items() if entry.row != "16")
    numbers = sorted({n for entry in goods.values() for n in entry.control_numbers})
    direct = entry_ids + numbers + [f"hs:{code}" for code in HS_CODES] * 10
    items = [(f"ITEM-{i:03d}", rng.choice(direct), f"product {i}") for i in range(count_items)]
    return items, direct


def order_mix(
    count: int, lines: int, items: list[tuple[str, str, str]], direct: list[str], parties: list[str]
) -> list[OrderInput]:
    rng = random.Random(2019)
    start, span = dt.date(2019, 1, 1), (dt.date(2026, 11, 1) - dt.date(2019, 1, 1)).days
    result: list[OrderInput] = []
    for number in range(count):
        order_lines = []
        for _ in range(lines):
            value = rng.choice([30_000, 400_000, 2_000_000, 50_000_000])
            quantity = float(rng.randint(1, 50))
            if rng.random() < 0.5:
                order_lines.append(LineInput(item=rng.choice(items)[0], quantity=quantity, value_jpy=value))
            else:
                order_lines.append(LineInput(reference=rng.choice(direct), quantity=quantity, value_jpy=value))
        result.append(
            OrderInput(
                number=f"SO-{number:06d}",
                ship_date=start + dt.timedelta(days=rng.randrange(span)),
                destination=rng.choice(DESTINATIONS),
                consignee=rng.choice(parties),
                end_user=rng.choice([*parties, None]),
                end_use="civil manufacturing" if rng.random() < 0.8 else None,
                wmd_end_use=True if rng.random() < 0.03 else None,
                lines=order_lines,
            )
        )
    return result


def setup(url: str, screener: Screener, items: list[tuple[str, str, str]]) -> list[str]:
    codes: list[str] = []
    with db.session(url) as s:
        for i in range(40):
            name, country = PARTY_NAMES[i % len(PARTY_NAMES)]
            code = f"P{i:02d}"
            label = name if i < len(PARTY_NAMES) else f"{name.split()[0]} Branch {i}"
            records.add_party(s, SYSTEM, code, label, country, ["consignee", "end-user"], screener)
            codes.append(code)
        for code, reference, description in items:
            item = records.add_item(s, SYSTEM, code, description, None)
            records.classify(s, SYSTEM, item, "jp", reference, "benchmark master data", dt.date(2019, 1, 1))
        for i, kind in enumerate(["individual", "individual", "specific-bulk", "general-bulk", "special-general-bulk"]):
            orders.add_licence(
                s,
                SYSTEM,
                regime="jp",
                type=kind,
                number=f"L-{i}",
                holder="Example Materials K.K.",
                destinations=DESTINATIONS[i * 3 : i * 3 + 3],
                quantity_limit=1e9,
                value_limit_jpy=10**15,
                valid_from=dt.date(2019, 1, 1),
                valid_to=dt.date(2026, 12, 31),
            )
    return codes


def transactions_of(url: str, numbers: list[str]) -> list[Transaction]:
    """The transactions the service determined, rebuilt from the stored orders by the service's own code."""
    with db.session(url) as s:
        stored = s.scalars(select(Order).where(Order.number.in_(numbers)).order_by(Order.number)).all()
        return [orders.transaction_of(order) for order in stored]


def store_all(url: str, mix: list[OrderInput], batch: int, screener: Screener, bulk: bool, workers: int) -> float:
    """Per order: `batch` orders per transaction. In bulk: every order in one transaction, as `orders import` enters
    a file (`add_orders` writes them a batch at a time), determined by `workers` forked processes (0: here)."""
    started = time.perf_counter()
    if bulk:
        with db.session(url) as s:
            orders.add_orders(s, SYSTEM, mix, screener, workers=workers)
        return time.perf_counter() - started
    for first in range(0, len(mix), batch):
        with db.session(url) as s:
            for data in mix[first : first + batch]:
                orders.add_order(s, SYSTEM, data, screener)
    return time.perf_counter() - started


def run_path(url: str, args: argparse.Namespace, screener: Screener, bulk: bool) -> dict[str, Any]:
    items, direct = reference_data(60)
    parties = setup(url, screener, items)
    mix = order_mix(args.orders, args.lines_per_order, items, direct, parties)
    service_time = store_all(url, mix, args.batch, screener, bulk, args.workers)
    regime = regimes.regime("jp")
    transactions = transactions_of(url, [data.number for data in mix])
    started = time.perf_counter()
    results = [determine(regime.at(t.date), t, screener) for t in transactions]
    engine_time = time.perf_counter() - started
    with db.session(url) as s:
        stored_lines = s.scalar(select(func.count()).select_from(OrderLine))
        statuses = dict(s.execute(select(Order.status, func.count()).group_by(Order.status)).all())
        stored = {o.number: o.outcome for o in s.scalars(select(Order))}
        agree = all(stored[t.number] == r.outcome.value for t, r in zip(mix, results, strict=True))
        verification = ledger.verify(s)
    db.engine(url).dispose()
    lines = args.orders * args.lines_per_order
    return {
        "stored_lines": stored_lines,
        "order_statuses": statuses,
        "service_lines_per_s": round(lines / service_time),
        "service_orders_per_s": round(args.orders / service_time),
        "service_s": round(service_time, 1),
        "baseline_engine_lines_per_s": round(lines / engine_time),
        "service_vs_engine_time_ratio": round(service_time / engine_time, 1),
        "outcomes_agree_with_engine": agree,
        "ledger_verified": verification.ok,
        "ledger_records": verification.checked,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=25_000)
    parser.add_argument("--lines-per-order", type=int, default=4)
    parser.add_argument("--batch", type=int, default=500, help="orders per transaction (per-order path)")
    parser.add_argument(
        "--workers", type=int, default=len(os.sched_getaffinity(0)), help="bulk path: forked workers (0: none)"
    )
    parser.add_argument("--lists", type=Path, default=LISTS_DIR)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()

    regimes.regime("jp")
    started = time.perf_counter()
    screener = Screener([registry.read_list(i, p) for i, p in sorted(registry.default_files(args.lists).items())])
    screener_build = time.perf_counter() - started
    screening.keep_out_of_collections()  # as a server or a batch worker does with the index it reads into memory
    report: dict[str, Any] = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()} {platform.processor() or ''} python {platform.python_version()}".strip(),
        "orders": args.orders,
        "lines": args.orders * args.lines_per_order,
        "screener_build_s": round(screener_build, 1),
        "bulk_workers": args.workers,
    }
    databases = args.databases.split(",")
    with tempfile.TemporaryDirectory(prefix="exportctl-bench-") as folder:
        server = pgserver.server() if "postgresql" in databases else None
        with server or _nothing() as server_url:
            for database in databases:
                for path in ("per_order", "bulk"):
                    if database == "sqlite":
                        url = f"sqlite:///{folder}/{path}.db"
                    else:
                        url = pgserver.create_database(server_url, prefix="exportctl_bench")
                    report[f"{database}_{path}"] = run_path(url, args, screener, bulk=path == "bulk")
                report[f"{database}_bulk_vs_per_order"] = round(
                    report[f"{database}_bulk"]["service_lines_per_s"]
                    / report[f"{database}_per_order"]["service_lines_per_s"],
                    2,
                )
    print(json.dumps(report, indent=2))


@contextmanager
def _nothing() -> Iterator[str]:
    yield ""


if __name__ == "__main__":
    main()
