"""Concurrent shipments never overdraw a licence: 8 workers, each with its own sessions, draw randomised
quantities and values from one licence, far more than it holds, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import random
import threading
from dataclasses import dataclass, field

from sqlalchemy import func, select

from exportctl import ledger
from exportctl.services import orders
from exportctl.services.actors import SYSTEM, Actor
from exportctl.services.orders import Overdraw
from exportctl.store import db
from exportctl.store.models import AuditRecord, Drawdown, Licence

WORKERS = 8
ATTEMPTS = 30  # per worker
QUANTITY_LIMIT = 120.0
VALUE_LIMIT = 90_000_000


@dataclass
class Tally:
    drawn: list[tuple[float, int]] = field(default_factory=list)
    refused: int = 0
    errors: list[BaseException] = field(default_factory=list)


def run_all(threads: list[threading.Thread]) -> None:
    """Start the threads together and wait for all of them (bounded: a hung thread fails the test)."""
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads)


def _worker(url: str, licence_id: int, seed: int, start: threading.Barrier, tally: Tally) -> None:
    rng = random.Random(seed)
    clerk = Actor(f"clerk-{seed}", "clerk")
    start.wait()
    for _ in range(ATTEMPTS):
        quantity = float(rng.choice([0.5, 1, 2, 3, 5, 8]))
        value = rng.randrange(100_000, 6_000_000, 1_000)
        try:
            with db.session(url) as s:
                orders.draw_down(s, clerk, licence_id, quantity, value, None, on=dt.date(2026, 6, 1))
            tally.drawn.append((quantity, value))
        except Overdraw:
            tally.refused += 1
        except BaseException as exc:  # reported by the main thread: a lock error must fail the test
            tally.errors.append(exc)
            return


def test_concurrent_drawdowns_never_overdraw(database_url: str) -> None:
    with db.session(database_url) as s:
        licence = orders.add_licence(
            s,
            SYSTEM,
            regime="jp",
            type="individual",
            number="L-CONC",
            holder="Example Materials K.K.",
            quantity_limit=QUANTITY_LIMIT,
            value_limit_jpy=VALUE_LIMIT,
            valid_from=dt.date(2026, 1, 1),
            valid_to=dt.date(2026, 12, 31),
        )
        licence_id = licence.id
    start = threading.Barrier(WORKERS)
    tallies = [Tally() for _ in range(WORKERS)]
    threads = [
        threading.Thread(target=_worker, args=(database_url, licence_id, seed, start, tally))
        for seed, tally in enumerate(tallies)
    ]
    run_all(threads)
    errors = [exc for tally in tallies for exc in tally.errors]
    assert not errors, errors
    drawn = [d for tally in tallies for d in tally.drawn]
    refused = sum(tally.refused for tally in tallies)
    assert len(drawn) + refused == WORKERS * ATTEMPTS
    assert refused > 0 and len(drawn) > 0  # demand (~8 × 30 × 3.3 units) far exceeds the limit: both happen

    with db.session(database_url) as s:
        licence = s.get_one(Licence, licence_id)
        rows = s.scalars(select(Drawdown).where(Drawdown.licence_id == licence_id).order_by(Drawdown.id)).all()
        assert len(rows) == len(drawn)
        assert licence.quantity_used <= QUANTITY_LIMIT
        assert licence.value_used_jpy <= VALUE_LIMIT
        assert licence.quantity_used == sum(r.quantity for r in rows) == sum(q for q, _ in drawn)
        assert licence.value_used_jpy == sum(r.value_jpy for r in rows) == sum(v for _, v in drawn)
        assert QUANTITY_LIMIT - licence.quantity_used >= 0 and VALUE_LIMIT - licence.value_used_jpy >= 0
        # The licence was genuinely exhausted: what is left is less than the largest draw some worker tried.
        assert QUANTITY_LIMIT - licence.quantity_used < 8 or VALUE_LIMIT - licence.value_used_jpy < 6_000_000

        # The ledger saw the drawdowns one at a time: each record's running total is the previous plus its draw.
        records = s.scalars(
            select(AuditRecord).where(AuditRecord.action == "licence.drawdown").order_by(AuditRecord.id)
        ).all()
        assert len(records) == len(drawn)
        quantity_used, value_used = 0.0, 0
        for record in records:
            quantity_used += record.payload["quantity"]
            value_used += record.payload["value_jpy"]
            assert record.payload["quantity_used"] == quantity_used
            assert record.payload["value_used_jpy"] == value_used
            assert quantity_used <= QUANTITY_LIMIT and value_used <= VALUE_LIMIT
        assert (quantity_used, value_used) == (licence.quantity_used, licence.value_used_jpy)
        verification = ledger.verify(s)
        assert verification.ok, verification
        assert verification.checked == s.scalar(select(func.count()).select_from(AuditRecord))
