"""The worklists' queries on SQLite and PostgreSQL: what each list holds, search, sort, filter, paging, the
licence states (exhausted is not "near exhaustion"), and the dashboard's reference day.

Orders, hits and approvals are written as rows with the times the test chooses (the services stamp the clock),
so every age below follows from those times and the reference date; licences go through the services (added,
then drawn down)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from exportctl.services import actors, orders, records, worklists
from exportctl.services.errors import Invalid
from exportctl.services.worklists import APPROVALS, BLOCKED, HITS, LICENCES, Criteria
from exportctl.store import db as store
from exportctl.store.models import Order, Party, PartyHit, Release

TODAY = dt.date(2024, 6, 30)
UTC = dt.UTC


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 9, 30, tzinfo=UTC)


def _order(db: Session, number: str, status: str, reasons: list[str], since: dt.date, **fields: object) -> Order:
    order = Order(
        number=number,
        ship_date=fields.pop("ship_date", dt.date(2024, 7, 15)),
        destination=fields.pop("destination", "KR"),
        status=status,
        blocking_reasons=reasons,
        created_by="alice",
        updated_at=_at(since),
        revision=1,
        **fields,
    )
    db.add(order)
    db.flush()
    return order


def _books(db: Session) -> None:
    records.add_party(db, actors.SYSTEM, "KR-HANBIT", "Hanbit Materials Co., Ltd.", "KR", ["consignee"], None)
    records.add_party(db, actors.SYSTEM, "CN-STAR", "Golden Star Trading Co., Ltd.", "CN", ["consignee"], None)
    records.add_party(db, actors.SYSTEM, "AE-DELTA", "Delta Engineering 100% FZE", "AE", ["end-user"], None)
    parties = {p.code: p for p in db.query(Party).all()}
    hanbit, star, delta = parties["KR-HANBIT"], parties["CN-STAR"], parties["AE-DELTA"]
    _order(db, "SO-1", "blocked", ["licence-needed"], dt.date(2024, 6, 20), consignee_id=hanbit.id)
    _order(db, "SO-2", "blocked", ["screening-hit"], dt.date(2024, 5, 1), consignee_id=star.id, destination="CN")
    _order(
        db,
        "SO-3",
        "blocked",
        ["indeterminate", "screening-hit"],
        dt.date(2024, 6, 29),
        end_user_id=delta.id,
        destination="AE",
        ship_date=dt.date(2024, 8, 1),
    )
    _order(db, "SO-4", "released", [], dt.date(2024, 6, 1), consignee_id=hanbit.id)
    awaiting = _order(db, "SO-5", "blocked", ["indeterminate"], dt.date(2024, 6, 10), destination="TW")
    db.add(Release(order_id=awaiting.id, officer="olga", reason="letter", blocking_reasons=["indeterminate"],
                   revision=1, released_at=_at(dt.date(2024, 6, 25))))  # fmt: skip
    # an approval of an earlier determination (revision 0) no longer counts
    stale = _order(db, "SO-6", "blocked", ["screening-hit"], dt.date(2024, 6, 12), destination="CN")
    stale.revision = 2
    db.add(Release(order_id=stale.id, officer="oscar", reason="old", blocking_reasons=["screening-hit"],
                   revision=1, released_at=_at(dt.date(2024, 6, 11))))  # fmt: skip
    for party, list_id, name, score, seen, status in (
        (star, "us-sdn", "GOLDEN STAR CO", 0.92, dt.date(2024, 6, 1), "open"),
        (star, "us-sdn", "GOLDEN STAR TRADING LLC", 0.87, dt.date(2024, 6, 20), "open"),
        (delta, "jp-eul", "Delta Engineering Concern FZE", 1.0, dt.date(2024, 3, 1), "open"),
        (hanbit, "un", "HANBIT", 0.85, dt.date(2024, 6, 1), "false-positive"),
    ):
        db.add(PartyHit(party_id=party.id, list_id=list_id, list_version="v1", entity_id=name, entity_fingerprint="f",
                        entity_name=name, matched_name=name, score=score, status=status, first_seen=_at(seen),
                        last_seen=_at(seen)))  # fmt: skip
    db.flush()


def _licence(db: Session, number: str, valid_to: dt.date, value_limit: int | None, drawn: int = 0) -> None:
    licence = orders.add_licence(
        db,
        actors.SYSTEM,
        regime="jp",
        type="individual",
        number=number,
        holder="Example Materials K.K.",
        destinations=[],
        consignees=[],
        end_users=[],
        entries=[],
        items=[],
        quantity_limit=None,
        value_limit_jpy=value_limit,
        valid_from=dt.date(2024, 1, 1),
        valid_to=valid_to,
    )
    if drawn:
        orders.draw_down(db, actors.SYSTEM, licence.id, 0.0, drawn, None, on=dt.date(2024, 3, 1))


def _licences(db: Session) -> None:
    far = dt.date(2025, 12, 31)
    _licence(db, "L-FULL", far, 1_000_000, drawn=1_000_000)  # 100 % drawn: exhausted
    _licence(db, "L-NEAR", far, 1_000_000, drawn=900_000)  # 90 %: near exhaustion
    _licence(db, "L-BELOW", far, 1_000_000, drawn=899_999)  # just under 90 %: nothing to watch
    _licence(db, "L-SOON", TODAY + dt.timedelta(days=60), None)  # the 60th day: near expiry
    _licence(db, "L-LATER", TODAY + dt.timedelta(days=61), None)  # the 61st: not yet
    _licence(db, "L-GONE", TODAY - dt.timedelta(days=1), 1_000_000, drawn=900_000)  # expired wins over the rest
    _licence(db, "L-LAST", TODAY, 500, drawn=450)  # its last day, and 90 % drawn: near expiry and exhaustion


def _numbers(rows: list[object], attribute: str = "number") -> list[str]:
    return [getattr(row, attribute) for row in rows]


def test_blocked_orders_with_days_blocked_search_sort_filter_and_paging(database_url: str) -> None:
    with store.session(database_url) as db:
        _books(db)
        found = worklists.page(db, BLOCKED, Criteria(), TODAY, 50, 0)
        # SO-4 is released; the default sort is most days blocked first: SO-2 since 1 May is 60 days
        assert found.total == 5 and found.criteria.sort == "days"
        assert _numbers(found.rows) == ["SO-2", "SO-5", "SO-6", "SO-1", "SO-3"]
        days = {row.number: row.days_blocked for row in found.rows}
        assert days == {"SO-2": 60, "SO-5": 20, "SO-6": 18, "SO-1": 10, "SO-3": 1}
        first = found.rows[0]
        assert first.consignee == "CN-STAR Golden Star Trading Co., Ltd." and first.blocked_since == dt.date(2024, 5, 1)
        fewest = worklists.page(db, BLOCKED, Criteria(sort="days", descending=False), TODAY, 50, 0)
        assert _numbers(fewest.rows) == ["SO-3", "SO-1", "SO-6", "SO-5", "SO-2"]
        # search: a party's name, any case; the end user too
        assert _numbers(worklists.page(db, BLOCKED, Criteria(search="golden star"), TODAY, 50, 0).rows) == ["SO-2"]
        assert _numbers(worklists.page(db, BLOCKED, Criteria(search="DELTA"), TODAY, 50, 0).rows) == ["SO-3"]
        # a LIKE wildcard is a character like any other: "100%" matches the name holding it, "%" alone nothing else
        assert _numbers(worklists.page(db, BLOCKED, Criteria(search="100%"), TODAY, 50, 0).rows) == ["SO-3"]
        assert worklists.page(db, BLOCKED, Criteria(search="_"), TODAY, 50, 0).total == 0
        hit = worklists.page(db, BLOCKED, Criteria(filter="screening-hit", sort="number"), TODAY, 50, 0)
        assert _numbers(hit.rows) == ["SO-2", "SO-3", "SO-6"]
        # paging in SQL: two rows a page, the total of the whole list
        second = worklists.page(db, BLOCKED, Criteria(sort="number", descending=True), TODAY, 2, 2)
        assert _numbers(second.rows) == ["SO-3", "SO-2"] and second.total == 5
        assert len(worklists.everything(db, BLOCKED, Criteria(), TODAY)) == 5
        assert worklists.count(db, BLOCKED, TODAY) == 5


def test_hits_awaiting_review(database_url: str) -> None:
    with store.session(database_url) as db:
        _books(db)
        found = worklists.page(db, HITS, Criteria(), TODAY, 50, 0)  # the reviewed (false-positive) one is not here
        assert [(r.party_code, r.matched_name, r.score) for r in found.rows] == [
            ("AE-DELTA", "Delta Engineering Concern FZE", 1.0),
            ("CN-STAR", "GOLDEN STAR CO", 0.92),
            ("CN-STAR", "GOLDEN STAR TRADING LLC", 0.87),
        ]
        assert [r.age_days for r in found.rows] == [121, 29, 10]  # from 1 March, 1 June and 20 June to 30 June
        oldest_last = worklists.page(db, HITS, Criteria(sort="age", descending=False), TODAY, 50, 0)
        assert [r.age_days for r in oldest_last.rows] == [10, 29, 121]
        sdn = worklists.page(db, HITS, Criteria(filter="us-sdn", search="llc"), TODAY, 50, 0)
        assert [r.matched_name for r in sdn.rows] == ["GOLDEN STAR TRADING LLC"]


def test_orders_awaiting_a_second_approval(database_url: str) -> None:
    with store.session(database_url) as db:
        _books(db)
        found = worklists.page(db, APPROVALS, Criteria(), TODAY, 50, 0)
        # SO-6's approval was given on an earlier determination: it no longer counts
        assert [(r.number, r.approved_by, r.age_days) for r in found.rows] == [("SO-5", "olga", 5)]
        assert worklists.page(db, APPROVALS, Criteria(search="OLGA"), TODAY, 50, 0).total == 1
        assert worklists.page(db, APPROVALS, Criteria(search="oscar"), TODAY, 50, 0).total == 0


def test_licence_states_exhausted_is_not_near_exhaustion(database_url: str) -> None:
    with store.session(database_url) as db:
        _licences(db)
        found = worklists.page(db, LICENCES, Criteria(sort="number"), TODAY, 50, 0)
        states = {row.number: row.states for row in found.rows}
        assert states == {
            "L-FULL": ["exhausted"],
            "L-NEAR": ["near-exhaustion"],
            "L-SOON": ["near-expiry"],
            "L-GONE": ["expired"],
            "L-LAST": ["near-exhaustion", "near-expiry"],
        }
        by_state = {
            state: _numbers(worklists.page(db, LICENCES, Criteria(filter=state, sort="number"), TODAY, 50, 0).rows)
            for state in worklists.LICENCE_STATES
        }
        assert by_state == {
            "expired": ["L-GONE"],
            "exhausted": ["L-FULL"],
            "near-expiry": ["L-LAST", "L-SOON"],
            "near-exhaustion": ["L-LAST", "L-NEAR"],
        }
        assert {row.number: row.days_left for row in found.rows}["L-SOON"] == 60


@pytest.mark.parametrize(
    ("name", "criteria"),
    [
        (BLOCKED, Criteria(sort="password")),
        (BLOCKED, Criteria(filter="x' OR 1=1 --")),
        (HITS, Criteria(filter="%")),
        (LICENCES, Criteria(filter="active")),
        (APPROVALS, Criteria(filter="anything")),
        (BLOCKED, Criteria(search="x" * 201)),
    ],
)
def test_what_a_list_does_not_take_is_refused_by_name(name: str, criteria: Criteria, tmp_path: Path) -> None:
    with store.session(f"sqlite:///{tmp_path / 'refused.db'}") as db, pytest.raises(Invalid):
        worklists.page(db, name, criteria, TODAY, 50, 0)


def test_an_unknown_list_is_refused(tmp_path: Path) -> None:
    with store.session(f"sqlite:///{tmp_path / 'unknown.db'}") as db, pytest.raises(Invalid, match="not one of"):
        worklists.page(db, "passwords", Criteria(), TODAY, 50, 0)


def test_the_reference_day_is_where_the_data_is(database_url: str) -> None:
    with store.session(database_url) as db:
        assert worklists.reference_day(db, TODAY) == TODAY  # no orders: today
        _order(db, "OLD-1", "released", [], dt.date(2019, 6, 1), ship_date=dt.date(2019, 12, 23))
        assert worklists.reference_day(db, TODAY) == dt.date(2019, 12, 23)  # only 2019 orders: the last of them
        _order(db, "NEW-1", "released", [], dt.date(2024, 1, 1), ship_date=dt.date(2024, 1, 10))
        assert worklists.reference_day(db, TODAY) == TODAY  # current orders: today
