"""Benchmark: re-check of the open order book after a pack update (issue 14), through the recheck service.

Run: `make bench-recheck` (or `.venv/bin/python bench/recheck.py [--orders N]`).

On a fresh SQLite file: the order mix of `bench/orders.py` (N orders × 4 lines, default 2,000, shipping after the
re-check's date) entered in bulk; then a pack update is simulated as it happens: every order cites a version kept
in the database (the installed Japanese pack's files with one line added, so another version) that is not the
installed one, and `services.recheck.recheck` re-determines them all: each order's facts of the old version
compared with the installed one's, determined again, recorded in the ledger.

Baseline in the same run: the engine alone determining the same transactions. Ratio = re-check time / engine
time. Until 2026-12-03 the re-check parsed the kept version again for every order (about 1.7 s each).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import update

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.orders import order_mix, reference_data, setup, store_all, transactions_of

from exportctl.determine.engine import determine
from exportctl.regime.files import builtin_pack_dir, read_pack_dir
from exportctl.regime.loader import pack_version
from exportctl.services import recheck, regimes
from exportctl.services.actors import SYSTEM
from exportctl.store import db
from exportctl.store.models import Order, PackVersion

RECHECKED_ON = dt.date(2026, 12, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=2_000)
    args = parser.parse_args()
    regime = regimes.regime("jp")
    with tempfile.TemporaryDirectory(prefix="exportctl-bench-") as folder:
        url = f"sqlite:///{folder}/recheck.db"
        items, direct = reference_data(60)
        parties = setup(url, None, items)
        shipping = RECHECKED_ON + dt.timedelta(days=30)  # open orders, still to ship
        mix = order_mix(args.orders, 4, items, direct, parties)
        mix = [data.model_copy(update={"ship_date": shipping}) for data in mix]
        store_all(url, mix, 500, None, bulk=True)
        files = read_pack_dir(builtin_pack_dir("jp"))
        before = {**files, "pack.yaml": files["pack.yaml"] + "\n# the version before the update\n"}
        version = pack_version("jp", before)
        with db.session(url) as s:
            s.add(PackVersion(version=version, regime="jp", files=before))
            s.execute(update(Order).values(pack_version=version))
        started = time.perf_counter()
        with db.session(url) as s:
            result = recheck.recheck(s, SYSTEM, RECHECKED_ON, None)
        recheck_time = time.perf_counter() - started
        transactions = transactions_of(url, [data.number for data in mix])
        started = time.perf_counter()
        for transaction in transactions:
            determine(regime.at(transaction.date), transaction, None)
        engine_time = time.perf_counter() - started
        db.engine(url).dispose()
    report: dict[str, Any] = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()} python {platform.python_version()}",
        "orders": args.orders,
        "redetermined": len(result.orders),
        "recheck_s": round(recheck_time, 1),
        "recheck_orders_per_s": round(args.orders / recheck_time),
        "baseline_engine_orders_per_s": round(args.orders / engine_time),
        "recheck_vs_engine_time_ratio": round(recheck_time / engine_time, 1),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
