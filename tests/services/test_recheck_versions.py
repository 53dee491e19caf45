"""A re-check after a pack update compares each order's kept pack version with the installed one on the order's
ship date (issue 14: a pack update makes every open order due; each version is read and each comparison made once
per re-check, never once per order)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from exportctl.regime.files import builtin_pack_dir, read_pack_dir
from exportctl.regime.loader import pack_version
from exportctl.services import orders, recheck
from exportctl.store import db
from exportctl.store.models import AuditRecord, Order, PackVersion
from tests.conftest import required_screener
from tests.store.test_store import CLERK, individual_licence, master_data, resist_order

# The version before: the 2019 Korea measure for resists (individual licences only) began six days later.
MEASURE = "periods: [{from: 2019-07-04, to: 2023-03-23, source: jp.meti.2019-07-kr"
LATER = MEASURE.replace("2019-07-04", "2019-07-10")
SHIPPING = {"SO-1": dt.date(2019, 7, 5), "SO-2": dt.date(2019, 7, 5), "SO-3": dt.date(2019, 6, 3)}


def test_each_order_gets_the_facts_that_changed_by_its_own_ship_date(database_url: str) -> None:
    files = read_pack_dir(builtin_pack_dir("jp"))
    assert files["licences.yaml"].count(MEASURE) == 1
    before = {**files, "licences.yaml": files["licences.yaml"].replace(MEASURE, LATER)}
    version = pack_version("jp", before)
    master_data(database_url)
    with db.session(database_url) as s:
        individual_licence(s)
        for number, shipping in SHIPPING.items():
            orders.add_order(s, CLERK, resist_order(number, ship_date=shipping), required_screener())
        s.add(PackVersion(version=version, regime="jp", files=before))
        s.execute(update(Order).values(pack_version=version))
    with db.session(database_url) as s:
        recheck.recheck(s, CLERK, dt.date(2019, 6, 1), required_screener())
        recorded = s.scalars(select(AuditRecord).where(AuditRecord.action == "order.recheck")).all()
        details = {record.payload["order"]: record.payload["detail"] for record in recorded}
    assert sorted(details) == sorted(SHIPPING)
    assert all(d["from"] == version and "note" not in d for d in details.values())
    # On 5 July the measure is in force under the installed pack, not under the version before: that fact changed.
    assert details["SO-1"]["facts"] and details["SO-1"]["facts"] == details["SO-2"]["facts"]
    assert all("kr-2019" in fact["key"] for fact in details["SO-1"]["facts"])
    # On 3 June it is in force under neither.
    assert details["SO-3"]["facts"] == []


def test_a_line_keeps_its_licence_when_redetermined_with_the_licence_already_read(database_url: str) -> None:
    """Whatever the session read of an order before (a page, the re-check's eager loading of every open order's
    lines and licences), determining it again puts the same licence on the line: the licence is set as the line's
    relationship, never as its column beside a relationship already loaded (the ORM would keep the column's None)."""
    master_data(database_url)
    with db.session(database_url) as s:
        licence = individual_licence(s)
        order = orders.add_order(s, CLERK, resist_order("SO-1"), required_screener())
        assert order.status == "released" and order.lines[0].licence_id == licence.id
    with db.session(database_url) as s:
        # Read with its lines' licences, as the re-check reads every open order.
        order = s.scalars(select(Order).where(Order.number == "SO-1").options(*orders.ORDER_FACTS)).one()
        assert order.lines[0].licence is not None
        orders.determine_order(s, CLERK, order, required_screener(), "checked again")
    with db.session(database_url) as s:
        line = orders.order_by_number(s, "SO-1").lines[0]
        assert line.licence_id == licence.id and orders.order_by_number(s, "SO-1").status == "released"
