"""The bulk path of order entry (issue 14, `orders.add_orders`, used by `orders import`): what the orders share is
read once and they are written in one flush, but each order is stored, determined, licensed and recorded exactly as
`add_order` does it, the ledger verifies, and a refusal leaves nothing behind. Real SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from sqlalchemy import select

from exportctl import ledger
from exportctl.order_input import LineInput, OrderInput
from exportctl.records_json import order_dict
from exportctl.screening.screener import Screener
from exportctl.services import orders, records
from exportctl.services.actors import SYSTEM
from exportctl.services.errors import Conflict, Invalid
from exportctl.store import db
from exportctl.store.models import AuditRecord, Licence, Order
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
