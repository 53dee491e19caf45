"""Delta screening after a list update, and `recheck` after a pack update or a dated change (both databases).

Regime facts used (shared/domain/japan-regime.md): an EUV resist (7(19)) to Korea needs a licence; a
fluorinated phosphazene elastomer (5(17), not one of the three 2019-07-04 items) to Korea may ship under a
general bulk licence until 2019-08-27; from 2019-08-28 Korea is in Group B, where general bulk is not usable.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from exportctl.order_input import LineInput
from exportctl.screening.entities import LoadedList
from exportctl.services import orders, recheck, records
from exportctl.services.orders import LICENCE_NEEDED, SCREENING_HIT
from exportctl.services.recheck import REVIEW
from exportctl.store import db
from exportctl.store.models import AuditRecord, Order, Party
from tests.cli.test_cli_screening import invoke
from tests.conftest import LISTS_DIR, required_screener, with_required
from tests.store.test_store import CLERK, HANBIT, individual_licence, master_data, resist_order

ELASTOMER = "5(17)#fluorinated-phosphazene-elastomer"  # general bulk in Group A only; not one of the three items


@pytest.fixture(scope="module")
def csl_versions(shipped_lists: list[LoadedList]) -> tuple[LoadedList, LoadedList]:
    """The shipped us-csl 2025 file, and a later version that adds an entry naming our Korean customer."""
    before = next(loaded for loaded in shipped_lists if loaded.list_id == "us-csl")
    listed = dataclasses.replace(before.entities[0], entity_id="csl-new-1", name=HANBIT, aliases=(), countries=("KR",))
    after = LoadedList(before.list_id, "f" * 64, before.source, before.published, (*before.entities, listed))
    return before, after


def _status(url: str, number: str) -> tuple[str, list[str]]:
    with db.session(url) as s:
        order = orders.order_by_number(s, number)
        return order.status, list(order.blocking_reasons)


def _records(url: str, action: str) -> list[AuditRecord]:
    with db.session(url) as s:
        return list(s.scalars(select(AuditRecord).where(AuditRecord.action == action).order_by(AuditRecord.id)))


def test_delta_screening_blocks_only_the_affected_partys_orders(
    database_url: str, csl_versions: tuple[LoadedList, LoadedList]
) -> None:
    before, after = csl_versions
    master_data(database_url)
    old_screener = with_required(before)  # issue 10: parties are cleared only against the required lists too
    with db.session(database_url) as s:
        for party in s.scalars(select(Party)).all():
            records.screen_party(s, CLERK, party, old_screener)
        individual_licence(s)
        orders.add_order(s, CLERK, resist_order("SO-1"), old_screener)  # released: the licence covers it
        # Issue 10: a reason no longer lifts licence-needed; SO-2 is released by a licence in the book.
        individual_licence(s, "L-OTHER", consignees=["OTHER"])
        orders.add_order(s, CLERK, resist_order("SO-2", consignee="OTHER", end_user=None), old_screener)
        # A ¥1,000 order while Korea was in Group A: the small-value exception needs no End User List check.
        orders.add_order(s, CLERK, resist_order("SO-3", value=1_000, ship_date=dt.date(2019, 6, 3)), old_screener)
        orders.ship_order(s, CLERK, "SO-3", dt.date(2019, 6, 3))
    with db.session(database_url) as s:
        other_at = s.scalars(select(Party).where(Party.code == "OTHER")).one().screened_at
    assert _status(database_url, "SO-1")[0] == "released" and _status(database_url, "SO-2")[0] == "released"

    with db.session(database_url) as s:
        result = recheck.delta_screen(s, CLERK, before, after, with_required(after))
    assert (result.added, result.changed, result.removed) == (1, 0, 0)
    assert result.parties_rescreened == ["HANBIT"]
    assert result.orders_blocked == ["SO-1"]  # the shipped SO-3 is not reopened
    status, reasons = _status(database_url, "SO-1")
    assert status == "blocked" and SCREENING_HIT in reasons and REVIEW in reasons
    assert _status(database_url, "SO-2")[0] == "released"  # OTHER was not re-screened: its order is untouched
    assert _status(database_url, "SO-3")[0] == "shipped"
    with db.session(database_url) as s:
        other = s.scalars(select(Party).where(Party.code == "OTHER")).one()
        assert other.screened_at == other_at
    (summary,) = _records(database_url, "lists.delta")
    assert summary.payload["to"] == after.version and summary.payload["orders_blocked"] == ["SO-1"]
    assert summary.list_versions == {"us-csl": after.version}

    # Loading the same update again finds no new hit: nothing is redetermined, and nothing is released.
    with db.session(database_url) as s:
        again = recheck.delta_screen(s, CLERK, before, after, with_required(after))
    assert again.parties_rescreened == ["HANBIT"] and again.orders == []
    assert _status(database_url, "SO-1")[0] == "blocked"


def test_recheck_after_a_pack_update_records_the_cause(database_url: str) -> None:
    master_data(database_url)
    with db.session(database_url) as s:
        individual_licence(s)
        orders.add_order(s, CLERK, resist_order("SO-1"), required_screener())
        installed = orders.order_by_number(s, "SO-1").pack_version
        s.execute(update(Order).where(Order.number == "SO-1").values(pack_version="jp-old"))
    with db.session(database_url) as s:
        result = recheck.recheck(s, CLERK, dt.date(2019, 8, 1), required_screener())
    (change,) = result.orders
    assert change.cause == f"pack version jp-old → {installed}" and not change.changed
    assert _status(database_url, "SO-1")[0] == "released"  # the same determination: the status stands
    (record,) = _records(database_url, "order.recheck")
    assert record.payload["detail"]["from"] == "jp-old" and record.payload["changed"] is False
    determined = _records(database_url, "order.determine")[-1]
    assert determined.payload["cause"] == change.cause
    with db.session(database_url) as s:
        assert orders.order_by_number(s, "SO-1").pack_version == installed
        assert recheck.recheck(s, CLERK, dt.date(2019, 8, 1), required_screener()).orders == []


def test_recheck_when_a_dated_change_comes_into_force(database_url: str) -> None:
    master_data(database_url)
    with db.session(database_url) as s:
        item = records.add_item(s, CLERK, "ELASTOMER", "fluorinated phosphazene elastomer, 35 wt% F", None)
        records.classify(s, CLERK, item, "jp", ELASTOMER, "not one of the three items", dt.date(2019, 1, 1))
        individual_licence(s, "GB-1", type="general-bulk", items=["ELASTOMER"], valid_from=dt.date(2019, 1, 1))
        line = LineInput(item="ELASTOMER", value_jpy=8_000_000)
        entered = resist_order("SO-1", ship_date=dt.date(2019, 8, 20)).model_copy(update={"lines": [line]})
        order = orders.add_order(s, CLERK, entered, required_screener())
        assert order.status == "released" and order.lines[0].licence is not None
        assert order.lines[0].licence.type == "general-bulk"
    # The stored determination predates the 2019-08-28 measure for a shipment after it (entered on 2019-08-01).
    with db.session(database_url) as s:
        s.execute(
            update(Order)
            .where(Order.number == "SO-1")
            .values(ship_date=dt.date(2019, 9, 2), updated_at=dt.datetime(2019, 8, 1, tzinfo=dt.UTC))
        )
    with db.session(database_url) as s:
        assert recheck.recheck(s, CLERK, dt.date(2019, 8, 27), required_screener()).orders == []  # not in force yet
    with db.session(database_url) as s:
        result = recheck.recheck(s, CLERK, dt.date(2019, 8, 28), required_screener())
    (change,) = result.orders
    assert change.changed and change.status_before == "released" and change.status == "blocked"
    assert change.cause == "dated fact(s) in force from 2019-08-28"
    status, reasons = _status(database_url, "SO-1")
    assert status == "blocked" and LICENCE_NEEDED in reasons and REVIEW in reasons
    (record,) = _records(database_url, "order.recheck")
    assert record.payload["changed"] is True and record.payload["detail"]["dates"] == ["2019-08-28"]
    assert any("KR" in fact["key"] for fact in record.payload["detail"]["facts"])

    with db.session(database_url) as s:
        count = s.scalar(select(func.count()).select_from(AuditRecord))
        assert (
            recheck.recheck(s, CLERK, dt.date(2019, 8, 28), required_screener()).orders == []
        )  # a second run: nothing
    with db.session(database_url) as s:
        assert s.scalar(select(func.count()).select_from(AuditRecord)) == count
    assert _status(database_url, "SO-1")[0] == "blocked"


def test_cli_recheck_and_lists_load_delta(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPORTCTL_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("EXPORTCTL_DATABASE_URL", raising=False)
    code, out, _ = invoke("lists", "load", str(LISTS_DIR / "us-csl-sample-2019.csv"), "--list", "us-csl")
    assert code == 0
    code, out, _ = invoke("recheck", "--today", "2019-09-01", "--format", "json")  # creates the database
    assert code == 0 and json.loads(out)["redetermined"] == []
    code, out, _ = invoke("lists", "load", str(LISTS_DIR / "us-csl-sample-2025.csv"), "--list", "us-csl")
    assert code == 0 and "re-screened 0" in out
    code, _, err = invoke("recheck", "--today", "2019-13-01")
    assert code == 2 and "--today" in err
