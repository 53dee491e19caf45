"""Soak: 16 concurrent API clients enter, determine, release and ship orders against shared licences.

Run: `.venv/bin/python bench/soak_orders.py [--seconds 60] [--clients 16] [--database-url URL]`.

A throwaway PostgreSQL 15 server (tests/support/pgserver.py, durable: PostgreSQL's default fsync and synchronous
commit) holds a fresh database, unless --database-url names one (an empty database; SQLite or PostgreSQL).
The application runs under uvicorn on a free 127.0.0.1 port in this process (tests/support/apiclient.py
`live_server`), with every shipped screening list loaded. Each client is a thread with one keep-alive httpx
connection; it loops for the given time over one order's life, as a clerk and two officers would:

- enter an order for today: EUV resist to Korea (an individual licence from the shared book covers it, or
  it is blocked `licence-needed` when the book has no balance left), a machining centre to China with no
  declared end use (blocked `indeterminate`), or plastic trays to Germany (no licence needed);
- determine it again (sometimes);
- release it: `licence-needed` by a licence entered into the book (an officer adds one, as a licence
  received from METI would be, then releases; a reason alone is refused), `indeterminate` by two officers;
- ship it on today's date; also try to ship, and to determine again, orders other clients shipped or are
  shipping at the same moment (the attacks of issue 10: each must be refused).

Refusals the rules require (422 with a known reason: already shipped, overdraw, a reason cannot lift
licence-needed, …) are counted as refusals; anything else (5xx, an unexpected 4xx, a transport error) is an
error. After the run the database is checked: every order shipped at most once (ledger records, drawdowns,
and client-side 2xx counts), no licence used beyond a limit, licence usage = Σ drawdown rows = Σ ledger
drawdowns, each order's status = the last transition its ledger records imply, `audit verify` passes.
The process's RSS (server and clients share it) is sampled at the start, every few seconds, and at the end.

Exit status 1 when any error, double shipment, overdraw or disagreement is found.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tests.support import pgserver  # noqa: E402
from tests.support.apiclient import add_users, live_server  # noqa: E402

from exportctl import ledger  # noqa: E402
from exportctl.http.app import create_app  # noqa: E402
from exportctl.screening.screener import Screener  # noqa: E402
from exportctl.screening.sources import registry  # noqa: E402
from exportctl.services import actors, auth, orders, records  # noqa: E402
from exportctl.store import db as store  # noqa: E402
from exportctl.store.models import AuditRecord, Drawdown, Licence, Order  # noqa: E402

API = "/api/v1"
MAX_SECONDS = 3600  # a soak is bounded: an hour at most
LISTS_DIR = Path(os.environ.get("EXPORTCTL_LISTS_DIR", REPO.parent / "shared" / "data" / "lists"))
SECOND_OFFICER = "oona"
# A 422 whose detail says one of these is a refusal the rules require, not an error.
REFUSALS = {
    "shipped": ("only a released order ships", "has shipped"),
    "overdraw": ("exceeds the remaining",),
    "licence-not-valid": ("not valid on",),
    "no-licence-in-book": ("enter the licence in the book",),
    "not-blocked": ("not blocked",),
    "already-approved": ("already approved",),
}


def rss_mb() -> float:
    """This process's resident set size (Linux /proc), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


# --- the database and its master data ----------------------------------------------------------------------------


@contextmanager
def database(given: str | None) -> Iterator[str]:
    if given:
        yield given
        store.engine(given).dispose()
        return
    with pgserver.throwaway_server(durable=True) as server:
        url = pgserver.create_database(server, prefix="exportctl_soak")
        try:
            yield url
        finally:
            store.engine(url).dispose()
            pgserver.drop_database(server, url)


def licence_fields(number: str, today: dt.date) -> dict[str, Any]:
    """An individual licence for the resist to the Korean customer; its balance covers a few dozen orders."""
    return {
        "regime": "jp",
        "type": "individual",
        "number": number,
        "holder": "Example Materials K.K.",
        "destinations": ["KR"],
        "consignees": ["KR-HANBIT"],
        "items": ["EMK-R100"],
        "quantity_limit": 120.0,
        "value_limit_jpy": 60_000_000,
        "valid_from": today - dt.timedelta(days=30),
        "valid_to": today + dt.timedelta(days=365),
    }


def prepare(url: str, today: dt.date) -> dict[str, str]:
    """Users with API tokens (a clerk, two officers), the customer, two items and four shared licences."""
    with store.session(url) as db:
        if db.query(Order).count():
            raise SystemExit(f"{url}: the database already holds orders; give an empty one")
    tokens = add_users(url)
    with store.session(url) as db:
        system = actors.SYSTEM
        records.add_user(db, system, SECOND_OFFICER, "officer")
        tokens["officer2"] = auth.create_token(db, system, SECOND_OFFICER, "soak")
        name = "Hanbit Semiconductor Materials Co., Ltd."
        records.add_party(db, system, "KR-HANBIT", name, "KR", ["consignee", "end-user"], None)
        resist = records.add_item(db, system, "EMK-R100", "EUV photoresist, 1 L bottle", "3707.90")
        records.classify(db, system, resist, "jp", "7(19)#euv-resist", "EUV resist (3C002)", dt.date(2019, 1, 1))
        tray = records.add_item(db, system, "EMK-TRAY", "Polypropylene wafer shipping tray", "3926.90")
        records.classify(db, system, tray, "jp", "hs:3926.90", "plain plastic article", dt.date(2019, 1, 1))
        for n in range(1, 5):
            orders.add_licence(db, system, **licence_fields(f"IND-SOAK-{n:04d}", today))
    return tokens


# --- the clients -------------------------------------------------------------------------------------------------


@dataclass
class Shared:
    deadline: float
    today: dt.date
    tokens: dict[str, str]
    lock: threading.Lock = field(default_factory=threading.Lock)
    recent: deque[str] = field(default_factory=lambda: deque(maxlen=64))  # orders released or shipped lately
    shipped_2xx: Counter[str] = field(default_factory=Counter)
    refusals: Counter[str] = field(default_factory=Counter)
    requests: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    licence_serial: int = 100

    def note(self, kind: str, text: str = "") -> None:
        with self.lock:
            if kind == "error":
                self.errors.append(text[:300])
            else:
                self.refusals[kind] += 1

    def next_licence(self) -> str:
        with self.lock:
            self.licence_serial += 1
            return f"IND-SOAK-{self.licence_serial:04d}"


class Client:
    def __init__(self, base: str, shared: Shared, index: int, seed: int) -> None:
        self.http = httpx.Client(base_url=base + API, timeout=60)
        self.shared = shared
        self.index = index
        self.rng = random.Random(seed * 1000 + index)
        self.count = 0

    def call(self, method: str, path: str, role: str, body: Any = None, expect: tuple[int, ...] = (200,)) -> Any:
        """One request; a 2xx in `expect` returns its JSON, a known refusal returns None, anything else is an
        error (recorded, None)."""
        headers = {"Authorization": f"Bearer {self.shared.tokens[role]}"}
        parts = path.strip("/").split("/")
        kind = f"{method} {parts[0]}" + (f"/{parts[2]}" if len(parts) > 2 else "/{id}" if len(parts) == 2 else "")
        with self.shared.lock:
            self.shared.requests[kind] += 1
        try:
            response = self.http.request(method, path, headers=headers, json=body)
        except httpx.HTTPError as exc:
            self.shared.note("error", f"{method} {path}: {type(exc).__name__}: {exc}")
            return None
        if response.status_code in expect:
            return response.json()
        detail = response.json().get("detail", "") if response.headers.get("content-type", "").endswith("json") else ""
        if response.status_code == 422 and isinstance(detail, str):
            for kind, phrases in REFUSALS.items():
                if any(phrase in detail for phrase in phrases):
                    self.shared.note(kind)
                    return None
        self.shared.note("error", f"{method} {path} → {response.status_code}: {response.text}")
        return None

    def order_body(self) -> dict[str, Any]:
        self.count += 1
        number = f"SK-{self.index:02d}-{self.count:06d}"
        day = self.shared.today.isoformat()
        kind = self.rng.choices(["resist", "machine", "tray"], weights=[6, 3, 1])[0]
        if kind == "resist":
            quantity = self.rng.choice([1, 2, 3, 5])
            line = {"item": "EMK-R100", "quantity": quantity, "value_jpy": quantity * 1_200_000}
            parties = {"consignee": "KR-HANBIT", "end_user": "KR-HANBIT", "end_use": "EUV lithography line"}
            return {"number": number, "ship_date": day, "destination": "KR", **parties, "lines": [line]}
        if kind == "machine":  # no declared end use: indeterminate, for two officers to override
            line = {"reference": "hs:8457.10", "quantity": 1, "value_jpy": 2_000_000}
            return {"number": number, "ship_date": day, "destination": "CN", "lines": [line]}
        line = {"item": "EMK-TRAY", "quantity": 10, "value_jpy": 30_000}
        return {"number": number, "ship_date": day, "destination": "DE", "end_use": "wafer handling", "lines": [line]}

    def release(self, order: dict[str, Any]) -> dict[str, Any] | None:
        number, reasons = order["number"], order["blocking_reasons"]
        if "licence-needed" in reasons:
            # A reason alone never lifts licence-needed: refused, unless a licence another client entered
            # meanwhile fits (then the release is that licence's doing). Else the licence received is entered.
            lifted = self.call("POST", f"/orders/{number}/release", "officer", {"reason": "licence received by fax"})
            if lifted is not None:
                return lifted
            added = self.call(
                "POST",
                "/licences",
                "officer",
                json.loads(json.dumps(licence_fields(self.shared.next_licence(), self.shared.today), default=str)),
                expect=(201,),
            )
            if added is None:
                return None
        first = self.call("POST", f"/orders/{number}/release", "officer", {"reason": "checked by the first officer"})
        if first is None or first["status"] == "released":
            return first
        return self.call("POST", f"/orders/{number}/release", "officer2", {"reason": "checked by a second officer"})

    def ship(self, number: str) -> None:
        shipped = self.call("POST", f"/orders/{number}/ship", "clerk", {"date": self.shared.today.isoformat()})
        if shipped is not None:
            with self.shared.lock:
                self.shared.shipped_2xx[number] += 1

    def attack(self) -> None:
        """Ship, or determine again, an order another client released or shipped lately."""
        with self.shared.lock:
            target = self.rng.choice(self.shared.recent) if self.shared.recent else None
        if target is None:
            return
        if self.rng.random() < 0.5:
            self.ship(target)
        else:
            self.call("POST", f"/orders/{target}/determine", "clerk")

    def one_order(self) -> None:
        order = self.call("POST", "/orders", "clerk", self.order_body(), expect=(201,))
        if order is None:
            return
        if self.rng.random() < 0.3:
            order = self.call("POST", f"/orders/{order['number']}/determine", "clerk") or order
        if order["status"] == "blocked":
            order = self.release(order) or order
        if order["status"] != "released":
            return
        with self.shared.lock:
            self.shared.recent.append(order["number"])
        self.ship(order["number"])
        if self.rng.random() < 0.5:
            self.attack()

    def run(self, start: threading.Barrier) -> None:
        start.wait()
        while time.monotonic() < self.shared.deadline:
            try:
                self.one_order()
            except Exception as exc:  # a bug in the client or a malformed answer: an error, and go on
                self.shared.note("error", f"client {self.index}: {type(exc).__name__}: {exc}")
        self.http.close()


# --- the checks --------------------------------------------------------------------------------------------------


def _last_transitions(records_: list[AuditRecord]) -> dict[str, str]:
    """Each order's status as its ledger records imply: the last determination, release or shipment."""
    status: dict[str, str] = {}
    for record in records_:
        number = record.subject.removeprefix("order:")
        if record.action in ("order.determine", "order.recheck"):
            status[number] = record.payload["status"]
        elif record.action == "order.release" and record.payload.get("state") == "released":
            status[number] = "released"
        elif record.action == "order.ship":
            status[number] = "shipped"
    return status


def check(url: str, shared: Shared) -> dict[str, Any]:
    with store.session(url) as db:
        all_orders = db.query(Order).all()
        licences = db.query(Licence).all()
        drawdowns = db.query(Drawdown).all()
        trail = db.query(AuditRecord).order_by(AuditRecord.id).all()
        verified = ledger.verify(db)
    ships = Counter(r.subject for r in trail if r.action == "order.ship")
    per_line = Counter(d.order_line_id for d in drawdowns if d.order_line_id is not None)
    drawn: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for d in drawdowns:
        drawn[d.licence_id][0] += d.quantity
        drawn[d.licence_id][1] += d.value_jpy
    ledger_drawn: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for r in trail:
        if r.action == "licence.drawdown":
            ledger_drawn[r.subject][0] += r.payload["quantity"]
            ledger_drawn[r.subject][1] += r.payload["value_jpy"]
    overdrawn = [
        lic.number
        for lic in licences
        if (lic.quantity_limit is not None and lic.quantity_used > lic.quantity_limit + 1e-9)
        or (lic.value_limit_jpy is not None and lic.value_used_jpy > lic.value_limit_jpy)
    ]
    usage_mismatch = [
        lic.number
        for lic in licences
        if abs(lic.quantity_used - drawn[lic.id][0]) > 1e-6
        or lic.value_used_jpy != drawn[lic.id][1]
        or abs(lic.quantity_used - ledger_drawn[f"licence:{lic.number}"][0]) > 1e-6
        or lic.value_used_jpy != ledger_drawn[f"licence:{lic.number}"][1]
    ]
    implied = _last_transitions(trail)
    status_mismatch = [o.number for o in all_orders if implied.get(o.number) != o.status]
    double = sorted(
        {s.removeprefix("order:") for s, n in ships.items() if n > 1}
        | {number for number, n in shared.shipped_2xx.items() if n > 1}
    )
    return {
        "orders": len(all_orders),
        "by_status": dict(Counter(o.status for o in all_orders)),
        "licences": len(licences),
        "drawdowns": len(drawdowns),
        "double_shipments": double,
        "lines_drawn_twice": sorted(line for line, n in per_line.items() if n > 1),
        "overdrawn_licences": overdrawn,
        "licence_usage_vs_drawdowns_and_ledger_mismatch": usage_mismatch,
        "order_status_vs_ledger_mismatch": status_mismatch[:20],
        "ledger_records": len(trail),
        "audit_verify_ok": verified.ok,
    }


# --- the run -----------------------------------------------------------------------------------------------------


def screener() -> Screener:
    files = registry.default_files(LISTS_DIR)
    if not files:
        raise SystemExit(f"no screening lists in {LISTS_DIR}: set EXPORTCTL_LISTS_DIR to the official list files")
    return Screener([registry.read_list(list_id, path) for list_id, path in sorted(files.items())])


def sample_rss(stop: threading.Event, samples: list[float], every: float) -> None:
    while not stop.wait(every):
        samples.append(rss_mb())


def soak(url: str, seconds: float, clients: int, seed: int) -> dict[str, Any]:
    today = dt.date.today()
    tokens = prepare(url, today)
    app = create_app(url, screener())
    with live_server(app) as base:
        # Warm up (kept out of the figures): a few whole order lives load the regime, screening and the pools.
        warm = Client(base, Shared(time.monotonic() + 60, today, tokens), 99, seed)
        for _ in range(5):
            warm.one_order()
        if warm.shared.errors:
            raise SystemExit(f"the warm-up failed: {warm.shared.errors[0]}")
        rss_start = rss_mb()
        shared = Shared(0.0, today, tokens)
        workers = [Client(base, shared, index, seed) for index in range(clients)]
        start = threading.Barrier(clients + 1)
        threads = [threading.Thread(target=w.run, args=(start,), daemon=True) for w in workers]
        samples: list[float] = []
        stop = threading.Event()
        sampler = threading.Thread(target=sample_rss, args=(stop, samples, max(1.0, seconds / 12)), daemon=True)
        for thread in threads:
            thread.start()
        shared.deadline = time.monotonic() + seconds
        began = time.monotonic()
        sampler.start()
        start.wait()
        for thread in threads:
            thread.join(timeout=seconds + 120)
        elapsed = time.monotonic() - began
        stop.set()
        rss_end = rss_mb()
        stuck = sum(thread.is_alive() for thread in threads)
    result = check(url, shared)
    requests = sum(shared.requests.values())
    failed = (
        shared.errors
        or stuck
        or result["double_shipments"]
        or result["lines_drawn_twice"]
        or result["overdrawn_licences"]
        or result["licence_usage_vs_drawdowns_and_ledger_mismatch"]
        or result["order_status_vs_ledger_mismatch"]
        or not result["audit_verify_ok"]
    )
    return {
        "date": today.isoformat(),
        "database": url.split("://", 1)[0],
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": requests,
        "requests_per_s": round(requests / elapsed, 1) if elapsed else None,
        "requests_by_kind": dict(shared.requests),
        "refusals_required_by_the_rules": dict(shared.refusals),
        "errors": len(shared.errors),
        "error_examples": shared.errors[:10],
        "clients_stuck": stuck,
        **result,
        "rss_mb": {
            "start": rss_start,
            "end": rss_end,
            "samples": samples,
            "growth": round(rss_end - rss_start, 1),
            # After the first sample the 16 connections, threads and caches exist: what grows after is a leak.
            "growth_after_first_sample": round(rss_end - samples[0], 1) if samples else None,
        },
        "ok": not failed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help=f"How long to run (1–{MAX_SECONDS}).")
    parser.add_argument("--clients", type=int, default=16, help="Concurrent API clients (1–64).")
    parser.add_argument("--database-url", help="An empty database to use (default: a throwaway PostgreSQL 15).")
    parser.add_argument("--seed", type=int, default=10, help="Seed of the clients' choices.")
    args = parser.parse_args()
    if not 1 <= args.seconds <= MAX_SECONDS:
        parser.error(f"--seconds: between 1 and {MAX_SECONDS}")
    if not 1 <= args.clients <= 64:
        parser.error("--clients: between 1 and 64")
    with database(args.database_url) as url:
        report = soak(url, args.seconds, args.clients, args.seed)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    sys.exit(0 if report["ok"] else 1)


if __name__ == "__main__":
    main()
