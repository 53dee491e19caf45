"""Benchmark: the web pages that list records, over 13,000 orders (issue 10: every list page is paginated).

Run: `make bench-pages` (or `.venv/bin/python bench/web_pages.py [--orders 13000] [--licences 500] [--repeats 7]`).

A fresh SQLite file gets the demo data set through the services (users, parties screened against the lists the
Japan pack requires, items, licences, 13 orders determined and written to the ledger). Its orders and their
lines are then copied row by row straight into the tables until there are --orders of them (the same
determinations, blocking reasons and statuses; new numbers; ship dates spread over 2019 … 2026), and its
licences until there are --licences (validity spread over 2019 … 2027, so some are in force, some expiring).
A viewer's session then fetches each page in process (Starlette's TestClient: routing, session, database,
templates; no sockets), once to warm up and --repeats times measured.

Baseline in the same run: one order's page (GET /orders/SO-2019-0102: one order with its determination).
Ratio = page time / baseline time, best of the repeats; medians are reported too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from exportctl.demo import DEMO_PASSWORD, load_demo
from exportctl.http.app import create_app
from exportctl.screening.sources import registry
from exportctl.services import actors, checking
from exportctl.services.screening import ConfiguredScreener
from exportctl.store import db
from exportctl.store.models import Licence, Order, OrderLine

LISTS_DIR = Path(__file__).resolve().parents[2] / "shared/data/lists"
BASELINE = "/orders/SO-2019-0102"
SPAN_DAYS = (dt.date(2026, 12, 31) - dt.date(2019, 1, 1)).days
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
BATCH = 1_000  # rows per INSERT … VALUES executemany


def required_screener() -> ConfiguredScreener:
    """The lists the Japan pack requires, from the shipped files: the demo's parties are screened against them."""
    found = registry.default_files(LISTS_DIR)
    return ConfiguredScreener([registry.read_list(i, found[i]) for i in sorted(checking.required_lists("jp"))])


def copies(rows: list[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    """`count` rows cycling through `rows` (without their ids)."""
    return [{k: v for k, v in rows[i % len(rows)].items() if k != "id"} for i in range(count)]


def grow_orders(s: Session, total: int) -> None:
    """Copies of the demo orders (and their lines) until there are `total` orders, numbered BN-000000 …"""
    orders = [dict(row._mapping) for row in s.execute(select(Order.__table__).order_by(Order.id))]
    lines = [dict(row._mapping) for row in s.execute(select(OrderLine.__table__).order_by(OrderLine.id))]
    lines_of: dict[int, list[dict[str, Any]]] = {}
    for line in lines:
        lines_of.setdefault(line["order_id"], []).append(line)
    next_order = (s.scalar(select(func.max(Order.id))) or 0) + 1
    next_line = (s.scalar(select(func.max(OrderLine.id))) or 0) + 1
    new_orders: list[dict[str, Any]] = []
    new_lines: list[dict[str, Any]] = []
    for i, copy in enumerate(copies(orders, total - len(orders))):
        source = orders[i % len(orders)]
        copy |= {
            "id": next_order,
            "number": f"BN-{i:06d}",
            "ship_date": dt.date(2019, 1, 1) + dt.timedelta(days=(i * 7919) % SPAN_DAYS),
        }
        for line in lines_of.get(source["id"], []):
            new_lines.append({k: v for k, v in line.items() if k != "id"} | {"id": next_line, "order_id": next_order})
            next_line += 1
        new_orders.append(copy)
        next_order += 1
    for first in range(0, len(new_orders), BATCH):
        s.execute(insert(Order.__table__), new_orders[first : first + BATCH])
    for first in range(0, len(new_lines), BATCH):
        s.execute(insert(OrderLine.__table__), new_lines[first : first + BATCH])


def grow_licences(s: Session, total: int) -> None:
    """Copies of the demo licences until there are `total`, each valid for a year starting between 2019 and 2026."""
    licences = [dict(row._mapping) for row in s.execute(select(Licence.__table__).order_by(Licence.id))]
    new: list[dict[str, Any]] = []
    for i, copy in enumerate(copies(licences, total - len(licences))):
        start = dt.date(2019, 1, 1) + dt.timedelta(days=(i * 613) % SPAN_DAYS)
        new.append(copy | {"number": f"BL-{i:06d}", "valid_from": start, "valid_to": start + dt.timedelta(days=365)})
    if new:
        s.execute(insert(Licence.__table__), new)


def logged_in(app: Any) -> TestClient:
    browser = TestClient(app, follow_redirects=False)
    token = CSRF.search(browser.get("/login").text)
    assert token, "the login page has no CSRF token"
    answer = browser.post("/login", data={"name": "alice", "password": DEMO_PASSWORD, "csrf_token": token.group(1)})
    assert answer.status_code == 303, answer.text
    return browser


def timed(browser: TestClient, path: str, repeats: int) -> dict[str, Any]:
    answer = browser.get(path)  # warm: templates compiled, the pack's snapshots cached, as in a running server
    assert answer.status_code == 200, f"{path}: {answer.status_code}"
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        answer = browser.get(path)
        times.append(time.perf_counter() - started)
        assert answer.status_code == 200, f"{path}: {answer.status_code}"
    return {
        "best_ms": round(min(times) * 1000, 1),
        "median_ms": round(statistics.median(times) * 1000, 1),
        "kb": round(len(answer.content) / 1024),
        "order_links": len(re.findall(r'<a href="/orders/[^"?]+">', answer.text)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=13_000)
    parser.add_argument("--licences", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    screener = required_screener()
    with tempfile.TemporaryDirectory(prefix="exportctl-bench-") as folder:
        url = f"sqlite:///{folder}/pages.db"
        started = time.perf_counter()
        with db.session(url) as s:
            load_demo(s, actors.SYSTEM, screener)
        with db.session(url) as s:
            grow_orders(s, args.orders)
            grow_licences(s, args.licences)
        with db.session(url) as s:
            counted = s.scalar(select(func.count()).select_from(Order))
            blocked = s.scalar(select(func.count()).select_from(Order).where(Order.status == "blocked"))
            statuses = dict(s.execute(select(Order.status, func.count()).group_by(Order.status)).all())
        seed_time = time.perf_counter() - started
        last_page = -(-(counted or 0) // 50)

        browser = logged_in(create_app(database_url=url, screener=screener))
        baseline = timed(browser, BASELINE, args.repeats)
        paths = [
            "/orders",
            f"/orders?page={last_page}",
            "/orders?status=blocked&reason=licence-needed",
            "/",
            "/licences",
            "/screening",
            "/items",
        ]
        pages = {path: timed(browser, path, args.repeats) for path in paths}
        for measured in pages.values():
            measured["ratio_to_baseline"] = round(measured["best_ms"] / baseline["best_ms"], 2)
        size_mb = Path(folder, "pages.db").stat().st_size / 1e6
        db.engine(url).dispose()

    report = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()} {platform.processor() or ''} python {platform.python_version()}".strip(),
        "database": "sqlite",
        "orders": counted,
        "blocked_orders": blocked,
        "order_statuses": statuses,
        "licences": args.licences,
        "database_mb": round(size_mb),
        "seed_s": round(seed_time, 1),
        "repeats": args.repeats,
        "baseline": {"path": BASELINE} | baseline,
        "pages": pages,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
