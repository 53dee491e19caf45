"""Benchmark: `audit verify` (ledger.verify) over 1,000,000 hash-chained records.

Run: `make bench-audit` (or `.venv/bin/python bench/audit_verify.py [--records N] [--database sqlite|postgresql]`).

The ledger is built genuinely chained: the first records through `ledger.append` (the service path), the rest
by a bulk path that computes each hash with the same `ledger.record_hash` over the same canonical content and
inserts in large transactions; one more record is appended through `ledger.append` at the end, so the walk
checks that both paths agree. Baseline in the same run: a plain sequential read of the same rows (SELECT in
id order, no hashing). Best of --repeats for both.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support import pgserver

from exportctl import ledger
from exportctl.store import db
from exportctl.store.models import AuditRecord, LedgerHead

SERVICE_PATH_RECORDS = 2_000
BATCH = 20_000
ACTIONS = ["licence.drawdown", "order.determine", "order.release", "party.screen", "item.classify", "order.ship"]


def payload_for(rng: random.Random, action: str, number: int) -> dict[str, Any]:
    """Payloads the size of real ones (a drawdown, a release, a short determination summary)."""
    payload: dict[str, Any] = {
        "quantity": rng.choice([1.0, 2.5, 10.0]),
        "value_jpy": rng.randrange(10_000, 90_000_000),
        "order_line": number,
        "reason": f"licence 2026-KR-{rng.randrange(100_000):05d} on file",
    }
    if action == "order.determine":
        payload["determination"] = {
            "outcome": rng.choice(["licence_required", "no_licence_required"]),
            "destination": rng.choice(["KR", "US", "CN", "AE", "DE"]),
            "lines": [{"entry": "7(19)", "outcome": "licence_required", "eligible": ["individual"]}] * 2,
        }
    return payload


def build(url: str, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    service = min(SERVICE_PATH_RECORDS, count - 1)
    with db.session(url) as s:
        for number in range(1, service + 1):
            action = ACTIONS[number % len(ACTIONS)]
            payload = payload_for(rng, action, number)
            ledger.append(s, "clerk", action, f"order:SO-{number}", payload, pack_version="jp-x")
    with db.session(url) as s:
        head = s.get_one(LedgerHead, ledger.HEAD_ID)
        last_id, last_hash = head.last_id, head.last_hash
    while last_id < count - 1:
        rows: list[dict[str, Any]] = []
        for record_id in range(last_id + 1, min(last_id + BATCH, count - 1) + 1):
            action = ACTIONS[record_id % len(ACTIONS)]
            at = start + dt.timedelta(microseconds=record_id * 1_000)
            subject = f"order:SO-{record_id}"
            content = json.loads(json.dumps(payload_for(rng, action, record_id), default=str))
            digest = ledger.record_hash(record_id, at, "clerk", action, subject, content, "jp-x", {}, last_hash)
            rows.append(
                {
                    "id": record_id,
                    "at": at,
                    "actor": "clerk",
                    "action": action,
                    "subject": subject,
                    "payload": content,
                    "pack_version": "jp-x",
                    "list_versions": {},
                    "prev_hash": last_hash,
                    "hash": digest,
                }
            )
            last_id, last_hash = record_id, digest
        with db.session(url) as s:
            s.execute(insert(AuditRecord), rows)
            head = s.get_one(LedgerHead, ledger.HEAD_ID)
            head.last_id, head.last_hash = last_id, last_hash
    with db.session(url) as s:
        ledger.append(s, "officer", "order.release", "order:SO-last", {"reason": "appended after the bulk load"})


def plain_read(url: str) -> int:
    rows = 0
    with db.engine(url).connect() as connection:
        result = connection.execution_options(yield_per=5_000).execute(
            select(AuditRecord.__table__).order_by(AuditRecord.id)
        )
        for _ in result:
            rows += 1
    return rows


def timed(work: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    value = work()
    return time.perf_counter() - started, value


def measure(url: str, count: int, repeats: int) -> dict[str, Any]:
    build_time, _ = timed(lambda: build(url, count))
    with db.session(url) as s:
        stored = s.scalar(select(func.count()).select_from(AuditRecord))
    verify_times, read_times = [], []
    for _ in range(repeats):
        read_time, rows = timed(lambda: plain_read(url))
        assert rows == count
        read_times.append(read_time)
        with db.session(url) as s:
            verify_time, result = timed(lambda s=s: ledger.verify(s))
        assert result.ok and result.checked == count, result
        verify_times.append(verify_time)
    verify_time, read_time = min(verify_times), min(read_times)
    return {
        "records": stored,
        "build_s": round(build_time, 1),
        "verify_s": round(verify_time, 2),
        "verify_records_per_s": round(count / verify_time),
        "baseline_plain_read_s": round(read_time, 2),
        "verify_vs_read_ratio": round(verify_time / read_time, 2),
        "verified_ok": True,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()

    report: dict[str, Any] = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()} {platform.processor() or ''} python {platform.python_version()}".strip(),
        "database": args.database,
    }
    if args.database == "sqlite":
        with tempfile.TemporaryDirectory(prefix="exportctl-bench-") as folder:
            report.update(measure(f"sqlite:///{folder}/audit.db", args.records, args.repeats))
    else:
        with pgserver.server(durable=True) as server:
            url = pgserver.create_database(server, prefix="exportctl_bench")
            report.update(measure(url, args.records, args.repeats))
            db.engine(url).dispose()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
