"""The bulk path of order entry (issue 14, `orders.add_orders`, used by `orders import`): what the orders share is
read once and they are written in one flush, but each order is stored, determined, licensed and recorded exactly as
`add_order` does it, the ledger verifies, and a refusal leaves nothing behind. Real SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import gc
import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import JSON, Table, Text, cast, func, select

from exportctl import ledger
from exportctl.order_input import LineInput, OrderInput
from exportctl.records_json import order_dict
from exportctl.screening.screener import Screener
from exportctl.services import collector, orders, records
from exportctl.services.actors import SYSTEM
from exportctl.services.errors import Conflict, Invalid, RecordError
from exportctl.store import db
from exportctl.store.models import AuditRecord, LedgerHead, Licence, Order, OrderLine, StoredDetermination
from tests.services.test_orders_regimes import licence, resist_to_china
from tests.store.test_store import CLERK

REFERENCES = ["1C350", "3(1)", "hs:2811.11", "hs:0901.11", "hs:8471.30", "5(17)", "7(19)"]
DESTINATIONS = ["KR", "CN", "US", "DE", "IR", "SG"]


def mix(count: int, prefix: str, seed: int = 5) -> list[OrderInput]:
    rng = random.Random(seed)
    made = []
    for number in range(count):
        lines = [_line(rng) for _ in range(rng.randint(1, 4))]
        made.append(
            OrderInput(
                number=f"{prefix}-{number:04d}",
                ship_date=dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(2_700)),
                destination=rng.choice(DESTINATIONS),
                consignee=rng.choice(["C1", "C2", None]),
                end_user=rng.choice(["C1", None]),
                end_use=rng.choice(["etching", None]),
                wmd_end_use=rng.choice([False, None]),
                conventional_end_use=rng.choice([False, None]),
                lines=lines,
            )
        )
    return made


def _line(rng: random.Random) -> LineInput:
    value = {"quantity": float(rng.randint(1, 9)), "value_jpy": rng.choice([30_000, 2_000_000, 60_000_000])}
    if rng.random() < 0.4:
        return LineInput(item=rng.choice(["ITEM-A", "ITEM-B"]), **value)
    return LineInput(reference=rng.choice(REFERENCES), **value)


@pytest.fixture
def url(database_url: str, screener: Screener) -> str:
    with db.session(database_url) as s:
        records.add_user(s, SYSTEM, CLERK.name, CLERK.role)
        records.add_party(s, SYSTEM, "C1", "Hanbit Semiconductor Co., Ltd.", "KR", ["consignee"], screener)
        records.add_party(s, SYSTEM, "C2", "Delta Engineering Concern FZE", "AE", ["consignee"], screener)
        for code, reference in (("ITEM-A", "1C350"), ("ITEM-B", "hs:8471.30")):
            item = records.add_item(s, SYSTEM, code, f"product {code}", None)
            records.classify(s, SYSTEM, item, "jp", reference, "test", dt.date(2019, 1, 1))
        s.add(
            Licence(
                regime="jp", type="individual", number="L-1", holder="Example K.K.", destinations=["KR", "CN"],
                consignees=[], end_users=[], entries=[], items=[], quantity_limit=1e6, value_limit_jpy=None,
                valid_from=dt.date(2019, 1, 1), valid_to=dt.date(2027, 12, 31),
            )
        )  # fmt: skip
    return database_url


def _stored(s: Any, prefix: str) -> list[dict[str, Any]]:
    found = s.scalars(select(Order).where(Order.number.like(f"{prefix}-%")).order_by(Order.number)).all()
    return [
        {k: v for k, v in order_dict(o).items() if k not in ("number", "created_at", "updated_at", "id")} for o in found
    ]


def test_the_bulk_path_stores_what_the_order_path_stores(url: str, screener: Screener) -> None:
    one_by_one, together = mix(60, "A"), mix(60, "B")
    with db.session(url) as s:
        for data in one_by_one:
            orders.add_order(s, CLERK, data, screener)
    with db.session(url) as s:
        stored = orders.add_orders(s, CLERK, together, screener)
        assert [o.number for o in stored] == [d.number for d in together]
    with db.session(url) as s:
        assert _stored(s, "B") == _stored(s, "A")
        assert {o["status"] for o in _stored(s, "B")} >= {"released", "blocked"}
        assert any(line.get("licence") == "L-1" for o in _stored(s, "B") for line in o["lines"])
        verification = ledger.verify(s)
        assert verification.ok, verification.problem
        actions = s.scalars(select(AuditRecord.subject).where(AuditRecord.action == "order.determine")).all()
        assert sorted(a for a in actions if a.startswith("order:B-")) == sorted(f"order:{d.number}" for d in together)


def test_a_refusal_leaves_nothing_behind(url: str, screener: Screener) -> None:
    batch = mix(10, "C")
    bad = batch[7].model_copy(update={"consignee": "NOBODY"})
    with pytest.raises(Invalid, match="consignee: party 'NOBODY' does not exist"), db.session(url) as s:
        orders.add_orders(s, CLERK, [*batch[:7], bad, *batch[8:]], screener)
    with pytest.raises(Conflict, match="'C-0003' is given twice"), db.session(url) as s:
        orders.add_orders(s, CLERK, [*batch, batch[3]], screener)
    with db.session(url) as s:
        orders.add_order(s, CLERK, batch[2], screener)
    with pytest.raises(Conflict, match="order 'C-0002' exists"), db.session(url) as s:
        orders.add_orders(s, CLERK, batch, screener)
    with db.session(url) as s:
        assert [o.number for o in s.scalars(select(Order).where(Order.number.like("C-%")))] == ["C-0002"]
        assert ledger.verify(s).ok


def test_a_clerk_is_required(url: str, screener: Screener) -> None:
    from exportctl.services.actors import Actor
    from exportctl.services.errors import PermissionDenied

    with pytest.raises(PermissionDenied), db.session(url) as s:
        orders.add_orders(s, Actor("vic", "viewer"), mix(2, "D"), screener)


def test_the_collector_runs_less_often_during_an_entry_and_as_before_after_it(url: str, screener: Screener) -> None:
    seen: list[tuple[int, int, int]] = []

    @contextmanager
    def watch(_: int) -> Iterator[None]:
        seen.append(gc.get_threshold())
        yield

    before = gc.get_threshold()
    with db.session(url) as s:
        orders.add_orders(s, CLERK, mix(3, "G"), screener, watch)
    assert set(seen) == {(max(before[0], collector.BULK_THRESHOLD), *before[1:])}
    batch = mix(3, "H")
    with pytest.raises(Invalid, match="party 'NOBODY'"), db.session(url) as s:
        orders.add_orders(s, CLERK, [*batch[:2], batch[2].model_copy(update={"end_user": "NOBODY"})], screener)
    assert gc.get_threshold() == before


# --- the rows themselves -------------------------------------------------------------------------------------


def _as_stored(table: Table) -> list[Any]:
    """Every column of a table as the database holds it: a JSON column as its stored text (key order, spacing)."""
    return [cast(c, Text).label(c.key) if isinstance(c.type, JSON) else c for c in table.columns]


def _rows(s: Any, prefix: str) -> dict[str, list[dict[str, Any]]]:
    """The rows the entry of the orders numbered `prefix-…` wrote, read back with SQL: orders, their lines (by order
    number and line), their ledger records and the determinations those cite; without what differs between two
    entries of the same orders (keys, numbers, clocks, hash links)."""
    orders_table, lines_table = Order.__table__, OrderLine.__table__
    audit_table = AuditRecord.__table__
    number = f"{prefix}-%"
    stored_orders = [
        {k: v for k, v in row._mapping.items() if k not in ("id", "number", "created_at", "updated_at")}
        for row in s.execute(
            select(*_as_stored(orders_table)).where(orders_table.c.number.like(number)).order_by(orders_table.c.number)
        )
    ]
    stored_lines = [
        {k: v for k, v in row._mapping.items() if k not in ("id", "order_id")}
        for row in s.execute(
            select(*_as_stored(lines_table))
            .join(orders_table, orders_table.c.id == lines_table.c.order_id)
            .where(orders_table.c.number.like(number))
            .order_by(orders_table.c.number, lines_table.c.line_no)
        )
    ]
    records = [
        {k: v for k, v in row._mapping.items() if k not in ("id", "at", "subject", "prev_hash", "hash")}
        for row in s.execute(
            select(*_as_stored(audit_table))
            .where(audit_table.c.subject.like(f"order:{number}"))
            .order_by(audit_table.c.subject)
        )
    ]
    keys = s.scalars(select(Order.determination_sha256).where(Order.number.like(number))).all()
    cited = s.execute(
        select(StoredDetermination.sha256, StoredDetermination.body).where(StoredDetermination.sha256.in_(keys))
    ).all()
    return {"orders": stored_orders, "lines": stored_lines, "records": records, "determinations": sorted(cited)}


def test_the_bulk_path_writes_the_rows_the_order_path_writes(url: str, screener: Screener) -> None:
    """Same input, entered order by order and in bulk: the same rows in every table, JSON texts included, and
    ledger records with the same payloads, hashed into one chain that verifies."""
    one_by_one, together = mix(40, "E", seed=11), mix(40, "F", seed=11)
    # Decided also under the EAR, a licence of its book lifting one (other determinations and licences), one
    # naming its own regime and another twice.
    for prefix, orders_of in (("E", one_by_one), ("F", together)):
        orders_of[3] = resist_to_china(f"{prefix}-0003", also_under=["us", "jp", "us"], consignee="C1")
        orders_of[17] = resist_to_china(f"{prefix}-0017", also_under=["us"])
        # Text that COPY and JSON must carry as it is: a backslash, quotes, Japanese, a character beyond the BMP.
        orders_of[5] = orders_of[5].model_copy(update={"end_use": 'etching \\N "wafers" 半導体の製造 🚢'})
    with db.session(url) as s:
        licence(s, "us", "D-1", "license")
    with db.session(url) as s:
        for data in one_by_one:
            orders.add_order(s, CLERK, data, screener)
    with db.session(url) as s:
        entered = orders.add_orders(s, CLERK, together, screener)
        assert [(e.number, e.lines) for e in entered] == [(d.number, len(d.lines)) for d in together]
    with db.session(url) as s:
        by_order, in_bulk = _rows(s, "E"), _rows(s, "F")
        assert len(in_bulk["orders"]) == 40 and len(in_bulk["lines"]) == sum(len(d.lines) for d in together)
        assert len(in_bulk["records"]) == 40 and in_bulk["determinations"]
        for table in ("orders", "lines", "records", "determinations"):
            assert in_bulk[table] == by_order[table], table
        assert [o["also_under"] for o in in_bulk["orders"] if o["also_under"] != "[]"] == ['["us"]', '["us"]']
        assert any(o["other_licences"] != "{}" for o in in_bulk["orders"])
        assert in_bulk["orders"][5]["end_use"] == 'etching \\N "wafers" 半導体の製造 🚢'
        assert {(o["status"], o["revision"]) for o in in_bulk["orders"]} == {("released", 1), ("blocked", 1)}
        assert {e.status for e in entered} == {"released", "blocked"}
        stored_ids = dict(s.execute(select(Order.number, Order.id).where(Order.number.like("F-%"))).all())
        assert {e.number: e.id for e in entered} == stored_ids
        verification = ledger.verify(s)
        assert verification.ok, verification.problem
        head = s.get(LedgerHead, ledger.HEAD_ID)
        assert head is not None and head.last_id == s.scalar(select(func.max(AuditRecord.id)))


def _nothing_of(url: str, prefix: str, records_before: int) -> None:
    with db.session(url) as s:
        assert s.scalars(select(Order.number).where(Order.number.like(f"{prefix}-%"))).all() == []
        assert s.scalar(select(func.count()).select_from(AuditRecord)) == records_before
        head = s.get(LedgerHead, ledger.HEAD_ID)
        assert head is not None and head.last_id == records_before
        assert ledger.verify(s).ok


def _records(url: str) -> int:
    with db.session(url) as s:
        return int(s.scalar(select(func.count()).select_from(AuditRecord)) or 0)


def test_a_refusal_in_the_middle_writes_nothing(url: str, screener: Screener) -> None:
    """Orders decided before a refused one (their determinations pending, the ledger's head advanced in memory)
    are not written: no order, line, record or determination, and the head row is where it was."""
    with db.session(url) as s:
        records.add_item(s, SYSTEM, "ITEM-U", "unclassified product", None)
    before = _records(url)
    with db.session(url) as s:
        determinations_before = s.scalar(select(func.count()).select_from(StoredDetermination))
    batch = mix(12, "G")
    unclassified = batch[9].model_copy(update={"lines": [LineInput(item="ITEM-U", quantity=1.0, value_jpy=100)]})
    with pytest.raises(RecordError, match="line 1: item 'ITEM-U' has no jp classification"), db.session(url) as s:
        orders.add_orders(s, CLERK, [*batch[:9], unclassified, *batch[10:]], screener)
    _nothing_of(url, "G", before)
    with db.session(url) as s:
        assert s.scalar(select(func.count()).select_from(StoredDetermination)) == determinations_before
    # Hostile input past validation (a number longer than its column): refused naming the column, nothing written.
    too_long = OrderInput.model_construct(**{**dict(batch[6]), "number": "G-" + "9" * 70})
    with pytest.raises(Invalid, match="number: 72 characters; at most 64"), db.session(url) as s:
        orders.add_orders(s, CLERK, [*batch[:6], too_long], screener)
    _nothing_of(url, "G", before)


def test_concurrent_bulk_entries_extend_one_chain(url: str, screener: Screener) -> None:
    """Two imports and an order entered by hand at the same time: the ledger's head is locked for each
    transaction, so the chain holds every record once, in one line, and verifies."""
    batches = {"H": mix(25, "H", seed=1), "I": mix(25, "I", seed=2)}
    single = mix(1, "J", seed=3)[0]
    failures: list[BaseException] = []

    def enter(prefix: str) -> None:
        try:
            with db.session(url) as s:
                if prefix == "J":
                    orders.add_order(s, CLERK, single, screener)
                else:
                    orders.add_orders(s, CLERK, batches[prefix], screener)
        except BaseException as exc:  # reported by the test's thread
            failures.append(exc)

    before = _records(url)
    threads = [threading.Thread(target=enter, args=(prefix,)) for prefix in ("H", "I", "J")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with db.session(url) as s:
        verification = ledger.verify(s)
        assert verification.ok, verification.problem
        assert verification.checked == before + 51
        subjects = s.scalars(select(AuditRecord.subject).where(AuditRecord.action == "order.determine")).all()
        assert sum(1 for subject in subjects if subject[6] in "HIJ") == 51
        assert s.scalar(select(func.count()).select_from(Order).where(Order.number.like("H-%"))) == 25


# --- determined by forked workers (`workers`): the same rows, the same refusals ---------------------------------


def test_workers_write_the_rows_this_process_writes(url: str, screener: Screener) -> None:
    """Orders determined by two forked workers, written in batches of 40 while the workers go on: the rows of
    every table, JSON texts included, are those of the same orders determined here, and the chain verifies across
    the batches (more orders than a worker's task, so the workers are used; some decided under two regimes)."""
    here, forked = mix(130, "K", seed=21), mix(130, "L", seed=21)
    for prefix, orders_of in (("K", here), ("L", forked)):
        orders_of[64] = resist_to_china(f"{prefix}-0064", also_under=["us"], consignee="C1")
    with db.session(url) as s:
        licence(s, "us", "D-1", "license")
    with db.session(url) as s:
        orders.add_orders(s, CLERK, here, screener)
    with db.session(url) as s:
        entered = orders.add_orders(s, CLERK, forked, screener, workers=2, write_batch=40)
        assert [e.number for e in entered] == [d.number for d in forked]
    with db.session(url) as s:
        by_here, by_workers = _rows(s, "K"), _rows(s, "L")
        assert len(by_workers["orders"]) == 130 and len(by_workers["records"]) == 130
        for table in ("orders", "lines", "records", "determinations"):
            assert by_workers[table] == by_here[table], table
        assert {o["status"] for o in by_workers["orders"]} == {"released", "blocked"}
        verification = ledger.verify(s)
        assert verification.ok, verification.problem


def test_a_refusal_found_by_a_worker_names_the_order_and_writes_nothing(url: str, screener: Screener) -> None:
    """An order the engine refuses (shipped from outside Japan), late in an entry whose first batches a worker
    determined and this process wrote: refused naming why, nothing of the entry stays, the ledger verifies."""
    before = _records(url)
    batch = mix(130, "M", seed=8)
    batch[117] = batch[117].model_copy(update={"origin": "US"})

    @contextmanager
    def naming(index: int) -> Iterator[None]:
        try:
            yield
        except RecordError as exc:
            raise RecordError(f"order {index}: {exc}") from exc

    refused = "order 117: origin: US is not in the territory of Japan"
    with pytest.raises(RecordError, match=refused), db.session(url) as s:
        orders.add_orders(s, CLERK, batch, screener, naming, workers=2, write_batch=40)
    _nothing_of(url, "M", before)
