"""The compliance records on both databases (SQLite file and PostgreSQL 15): schema, master data, orders with
determination and release, licences and drawdown, and the hash-chained audit ledger.

Regime facts used (shared/domain/japan-regime.md): an EUV resist (7(19), 3C002.a) to Korea between 2019-08-28
and 2023-03-22 (Group B, the 2019 measure) needs an individual licence above the ¥1,000,000 small-value line;
a machining centre (HS 8457.10, row 16) for an End User List end user (Delta Engineering Concern FZE, AE,
type N) needs an individual licence under the catch-all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import delete, func, inspect, select, text, update
from sqlalchemy.orm import Session

from exportctl import ledger
from exportctl.order_input import CHANGEABLE, LineInput, OrderChanges, OrderHeader, OrderInput
from exportctl.screening.end_user_list import EndUserList
from exportctl.screening.screener import Screener
from exportctl.services import audit, licences, orders, records
from exportctl.services.actors import SYSTEM, Actor
from exportctl.services.errors import PermissionDenied, RecordError
from exportctl.services.orders import INDETERMINATE, LICENCE_NEEDED, SCREENING_HIT, Overdraw
from exportctl.store import db
from exportctl.store.models import (
    AuditRecord,
    Base,
    Drawdown,
    LedgerHead,
    Licence,
    Order,
    PartyHit,
    Release,
    StoredDetermination,
)
from tests.conftest import screened

HANBIT = "Hanbit Semiconductor Co., Ltd."
DEC = "Delta Engineering Concern FZE"
CLERK = Actor("carol", "clerk")
OFFICER = Actor("olivia", "officer")
SECOND_OFFICER = Actor("oscar", "officer")


def resist_order(
    number: str = "SO-1", *, value: int = 30_000_000, quantity: float = 10.0, **fields: object
) -> OrderInput:
    header: dict[str, object] = {
        "ship_date": dt.date(2019, 9, 2),
        "destination": "KR",
        "consignee": "HANBIT",
        "end_user": "HANBIT",
        "end_use": "memory chip fabrication",
    }
    header.update(fields)
    return OrderInput(
        number=number,
        lines=[LineInput(item="RESIST", quantity=quantity, value_jpy=value)],
        **header,
    )


def master_data(url: str) -> None:
    """Users, the Korean customer and an EUV resist classified under 7(19)."""
    with db.session(url) as s:
        for actor in (CLERK, OFFICER, SECOND_OFFICER):
            records.add_user(s, SYSTEM, actor.name, actor.role)
        records.add_party(s, CLERK, "HANBIT", HANBIT, "KR", ["consignee", "end-user"], None)
        records.add_party(s, CLERK, "OTHER", "Other Fab Co., Ltd.", "KR", ["consignee"], None)
        item = records.add_item(s, CLERK, "RESIST", "EUV photoresist, positive, 13.5 nm", "3707.10")
        records.classify(s, CLERK, item, "jp", "7(19)#euv-resist", "positive resist for 13.5 nm", dt.date(2019, 1, 1))


def individual_licence(s: Session, number: str = "L-1", **fields: object) -> Licence:
    values: dict[str, object] = {
        "regime": "jp",
        "type": "individual",
        "number": number,
        "holder": "Example Materials K.K.",
        "destinations": ["KR"],
        "consignees": ["HANBIT"],
        "items": ["RESIST"],
        "quantity_limit": 100.0,
        "value_limit_jpy": 300_000_000,
        "valid_from": dt.date(2019, 8, 1),
        "valid_to": dt.date(2020, 7, 31),
    }
    values.update(fields)
    return orders.add_licence(s, OFFICER, **values)


# --- schema and master data -----------------------------------------------------------------------------------


def test_migrations_create_the_schema_the_models_describe(database_url: str) -> None:
    with db.session(database_url) as s:
        connection = s.connection()
        tables = set(inspect(connection).get_table_names())
        assert set(Base.metadata.tables) | {"alembic_version"} == tables
        head = ScriptDirectory(str(db.MIGRATIONS)).get_current_head()
        assert s.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == head
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    db.upgrade(database_url)  # a second upgrade is a no-op
    with db.session(database_url) as s:
        assert s.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1


def test_parties_items_and_reclassification_keep_history(database_url: str) -> None:
    master_data(database_url)
    with db.session(database_url) as s:
        with pytest.raises(RecordError, match="exists"):
            records.add_party(s, CLERK, "HANBIT", "Someone else", "KR", [], None)
        viewer = Actor("vera", "viewer")
        with pytest.raises(PermissionDenied):
            records.add_item(s, viewer, "X", "x", None)
        item = records.item_by_code(s, "RESIST")
        # An engineering review finds the resist is outside 3C002.a from 2024: recorded as a new row.
        records.classify(s, OFFICER, item, "jp", "hs:3707.10", "re-measured: not an EUV resist", dt.date(2024, 1, 1))
        with pytest.raises(RecordError, match="classification"):
            records.classify(s, OFFICER, item, "jp", "no-such-entry-99", "typo", dt.date(2024, 1, 1))
    with db.session(database_url) as s:
        item = records.item_by_code(s, "RESIST")
        assert [c.reference for c in item.classifications] == ["7(19)#euv-resist", "hs:3707.10"]
        assert item.classifications[0].entries == ["7(19)"]
        before = records.classification_on(item, "jp", dt.date(2023, 12, 31))
        after = records.classification_on(item, "jp", dt.date(2024, 1, 1))
        assert before is not None and before.reference == "7(19)#euv-resist"
        assert after is not None and after.reference == "hs:3707.10"
        assert records.classification_on(item, "jp", dt.date(2018, 12, 31)) is None
        party = records.party_by_code(s, "HANBIT")
        assert (party.name, party.country, party.roles) == (HANBIT, "KR", ["consignee", "end-user"])
        actions = s.scalars(select(AuditRecord.action).order_by(AuditRecord.id)).all()
        assert actions.count("item.classify") == 2  # the refused classification wrote nothing
        assert ledger.verify(s).ok


# --- orders: determination, licences, release -----------------------------------------------------------------


def test_order_is_determined_on_entry_and_on_change(database_url: str, eul: EndUserList) -> None:
    master_data(database_url)
    with db.session(database_url) as s:
        order = orders.add_order(s, CLERK, resist_order(), screened(eul))
        assert (order.status, order.outcome) == ("blocked", "licence_required")
        assert order.blocking_reasons == [LICENCE_NEEDED]
        assert order.lines[0].eligible_licences == ["individual"]
        assert order.determination["destination_group"] == "B"
        assert order.pack_version is not None
    with db.session(database_url) as s:
        # The same order shipped before the 2019-07-04 measure: Group A, general bulk eligible, no block.
        order = orders.update_order(s, CLERK, "SO-1", {"ship_date": dt.date(2019, 7, 3)}, screened(eul))
        assert order.outcome == "licence_required"
        assert "general-bulk" in order.lines[0].eligible_licences
        order = orders.update_order(
            s, CLERK, "SO-1", {"destination": "US", "ship_date": dt.date(2024, 6, 1)}, screened(eul)
        )
        assert order.determination["destination_group"] == "A"
        with pytest.raises(RecordError, match="not a field"):
            orders.update_order(s, CLERK, "SO-1", {"lines": []}, screened(eul))
    with db.session(database_url) as s:
        determinations = select(AuditRecord).where(AuditRecord.action == "order.determine").order_by(AuditRecord.id)
        causes = [r.payload["cause"] for r in s.scalars(determinations)]
        assert causes == ["entered", "changed: ship_date", "changed: destination, ship_date"]


def test_a_change_is_checked_as_the_header_it_replaces(database_url: str, eul: EndUserList) -> None:
    """`OrderChanges` names every header field but the regime, and a change is validated as the whole header."""
    assert set(OrderChanges.model_fields) == CHANGEABLE == set(OrderHeader.model_fields) - {"regime"}
    master_data(database_url)
    with db.session(database_url) as s:
        orders.add_order(s, CLERK, resist_order(), screened(eul))
    refusals = [
        ({"ship_date": None}, "ship_date"),  # an order always has a ship date
        ({"destination": "XX"}, "destination"),
        ({"end_use": "x" * 501}, "end_use"),
        ({"consignee": "NOBODY"}, "consignee"),
        ({"regime": "eu"}, "not a field"),
    ]
    for change, named in refusals:
        with db.session(database_url) as s, pytest.raises(RecordError, match=named):
            orders.update_order(s, CLERK, "SO-1", change, screened(eul))
    with db.session(database_url) as s:
        order = orders.update_order(s, CLERK, "SO-1", {"consignee": None, "destination": "us"}, screened(eul))
        assert (order.consignee, order.destination, order.end_user.code) == (None, "US", "HANBIT")
        assert order.determination["destination_group"] == "A"


def test_listed_end_user_blocks_a_machining_centre(database_url: str, eul: EndUserList) -> None:
    master_data(database_url)
    with db.session(database_url) as s:
        records.add_party(s, CLERK, "DEC", DEC, "AE", ["end-user"], None)
        records.add_party(s, CLERK, "ACME", "Acme Machine Trading LLC", "AE", ["end-user"], None)
        machine = [LineInput(reference="hs:8457.10", quantity=1, value_jpy=60_000_000)]
        day, civil = dt.date(2024, 6, 1), "automotive parts machining"
        listed = orders.add_order(
            s,
            CLERK,
            OrderInput(number="MC-1", ship_date=day, destination="AE", end_user="DEC", end_use=civil, lines=machine),
            screened(eul),
        )
        unlisted = orders.add_order(
            s,
            CLERK,
            OrderInput(number="MC-2", ship_date=day, destination="AE", end_user="ACME", end_use=civil, lines=machine),
            screened(eul),
        )
        assert (listed.status, listed.blocking_reasons) == ("blocked", [LICENCE_NEEDED])
        assert listed.lines[0].eligible_licences == ["individual"]
        assert [h["name"] for h in listed.determination["end_user_hits"]] == [DEC]
        assert (unlisted.status, unlisted.outcome) == ("released", "no_licence_required")
        # The clearly-not guideline applied on change lifts the requirement.
        assert orders.update_order(s, OFFICER, "MC-1", {"clearly_not": True}, screened(eul)).status == "released"


def test_licence_assignment_fits_or_names_why_not(database_url: str, eul: EndUserList) -> None:
    master_data(database_url)
    with db.session(database_url) as s:
        order = orders.add_order(s, CLERK, resist_order(), screened(eul))
        assert order.status == "blocked"
        [need] = licences.stored_needs(order)  # the order's one line
        candidates = {
            "wrong-destination": individual_licence(s, "L-CN", destinations=["CN"]),
            "wrong-consignee": individual_licence(s, "L-OTHER", consignees=["OTHER"]),
            "expired": individual_licence(s, "L-OLD", valid_from=dt.date(2018, 8, 1), valid_to=dt.date(2019, 8, 31)),
            "short-value": individual_licence(s, "L-SMALL", value_limit_jpy=20_000_000),
            "short-quantity": individual_licence(s, "L-FEW", quantity_limit=5.0),
            "wrong-type": individual_licence(s, "L-BULK", type="specific-bulk"),
        }
        reasons = {name: licences.fits(licence, order, need) for name, licence in candidates.items()}
        assert reasons == {
            "wrong-destination": "destination KR not permitted",
            "wrong-consignee": "consignee not permitted",
            "expired": "not valid on 2019-09-02",
            "short-value": "remaining value too small",
            "short-quantity": "remaining quantity too small",
            "wrong-type": "type specific-bulk is not eligible for this line",
        }
        assert licences.covered(licences.plan(s, order, [need])) is False
        big = individual_licence(s, "L-BIG", value_limit_jpy=900_000_000)
        fits = individual_licence(s, "L-FITS")
        assert licences.fits(fits, order, need) is None
    with db.session(database_url) as s:
        order = orders.update_order(s, CLERK, "SO-1", {"end_use": "memory chip fabrication (line 2)"}, screened(eul))
        assert (order.status, order.blocking_reasons) == ("released", [])
        # Of the two that fit, the one with less headroom is used, keeping the large licence for large lines.
        assert order.lines[0].licence is not None and order.lines[0].licence.number == "L-FITS"
        assert big.number == "L-BIG"
        record = s.scalars(select(AuditRecord).order_by(AuditRecord.id.desc())).first()
        assert record is not None and record.payload["licences"] == {"1": "L-FITS"}


def test_release_needs_an_officer_and_a_reason(database_url: str, eul: EndUserList) -> None:
    master_data(database_url)
    with db.session(database_url) as s:
        orders.add_order(s, CLERK, resist_order(), screened(eul))
    with db.session(database_url) as s:
        with pytest.raises(PermissionDenied, match="needs officer or admin"):
            orders.release_order(s, records.actor_named(s, "carol"), "SO-1", "customer is fine")
        with pytest.raises(RecordError, match="needs a reason"):
            orders.release_order(s, OFFICER, "SO-1", "  ")
        # Issue 10: a reason never lifts licence-needed; the licence is entered into the book first.
        with pytest.raises(RecordError, match="enter the licence in the book"):
            orders.release_order(s, OFFICER, "SO-1", "licence 2019-KR-0042 on file")
    with db.session(database_url) as s:
        individual_licence(s, "2019-KR-0042")
        order = orders.release_order(s, records.actor_named(s, "olivia"), "SO-1", "licence 2019-KR-0042 on file").order
        assert order.status == "released"
        assert [(r.officer, r.reason, r.blocking_reasons) for r in order.releases] == [
            ("olivia", "licence 2019-KR-0042 on file", [LICENCE_NEEDED])
        ]
        with pytest.raises(RecordError, match="not blocked"):
            orders.release_order(s, SECOND_OFFICER, "SO-1", "again")
    with db.session(database_url) as s:
        record = s.scalars(select(AuditRecord).where(AuditRecord.action == "order.release")).one()
        assert (record.actor, record.payload["approvals"], record.payload["needed"]) == ("olivia", 1, 1)


def test_four_eyes_release_needs_a_second_officer(database_url: str, eul: EndUserList) -> None:
    master_data(database_url)
    with db.session(database_url) as s:
        with pytest.raises(PermissionDenied):
            orders.set_four_eyes(s, OFFICER, [INDETERMINATE])
        orders.set_four_eyes(s, SYSTEM, [INDETERMINATE])
        # Issue 10: licence-needed is never overridden, so four-eyes is shown on an overridable reason: a
        # machining centre to China with no declared end use is indeterminate.
        machine = [LineInput(reference="hs:8457.10", quantity=1, value_jpy=2_000_000)]
        orders.add_order(
            s,
            CLERK,
            OrderInput(number="SO-1", ship_date=dt.date(2024, 6, 1), destination="CN", lines=machine),
            screened(eul),
        )
    with db.session(database_url) as s:
        assert orders.release_order(s, OFFICER, "SO-1", "end use on file").order.status == "blocked"
    with db.session(database_url) as s, pytest.raises(RecordError, match="second officer"):
        orders.release_order(s, OFFICER, "SO-1", "really, it is on file")
    with db.session(database_url) as s:
        assert orders.release_order(s, SECOND_OFFICER, "SO-1", "checked the end use").order.status == "released"
    with db.session(database_url) as s:
        assert s.scalar(select(func.count()).select_from(Release)) == 2


# --- screening review -----------------------------------------------------------------------------------------


def test_false_positive_is_remembered_while_the_list_entry_is_unchanged(database_url: str, screener: Screener) -> None:
    """A consignee whose name matches a US SDN entry (a review list): the order blocks until an officer clears
    the hit; re-screening keeps the decision; a changed list entry is a new hit to review."""
    with db.session(database_url) as s:
        party = records.add_party(s, CLERK, "BNC", "Banco Nacional de Cuba", "ES", ["consignee"], screener)
        assert party.screening_status == "hits"
        hit = next(h for h in party.hits if h.list_id == "us-sdn")
        order = orders.add_order(
            s,
            CLERK,
            OrderInput(
                number="CO-1",
                ship_date=dt.date(2024, 6, 1),
                destination="ES",
                consignee="BNC",
                lines=[LineInput(reference="hs:0901.11")],
            ),
            screener,
        )
        assert (order.status, order.blocking_reasons) == ("blocked", [SCREENING_HIT])
        hit_id = hit.id
    with db.session(database_url) as s:
        with pytest.raises(PermissionDenied):
            records.review_hit(s, CLERK, hit_id, "false-positive", "different bank")
        with pytest.raises(RecordError, match="needs a reason"):
            records.review_hit(s, OFFICER, hit_id, "false-positive", "")
        for other in records.party_by_code(s, "BNC").hits:
            records.review_hit(s, OFFICER, other.id, "false-positive", "Banco Nacional de Cuba S.A. of Madrid")
        assert records.party_by_code(s, "BNC").screening_status == "clear"
        assert orders.update_order(s, CLERK, "CO-1", {"end_use": "coffee retail"}, screener).status == "released"
    with db.session(database_url) as s:
        party = records.party_by_code(s, "BNC")
        hits_before = s.scalar(select(func.count()).select_from(PartyHit))
        kept = records.screen_party(s, OFFICER, party, screener)
        assert {h.id for h in kept} == {h.id for h in party.hits}
        assert all(h.status == "false-positive" for h in kept)
        assert party.screening_status == "clear"
        assert s.scalar(select(func.count()).select_from(PartyHit)) == hits_before
    with db.session(database_url) as s:
        # The list entry changes (its fingerprint differs from the reviewed one): a new, open hit.
        s.execute(update(PartyHit).where(PartyHit.id == hit_id).values(entity_fingerprint="before-amendment"))
    with db.session(database_url) as s:
        party = records.party_by_code(s, "BNC")
        kept = records.screen_party(s, OFFICER, party, screener)
        fresh = next(h for h in kept if h.entity_id == hit.entity_id)
        assert fresh.id != hit_id and fresh.status == "open"
        assert party.screening_status == "hits"


def test_confirmed_hit_keeps_the_party_flagged(database_url: str, screener: Screener) -> None:
    with db.session(database_url) as s:
        party = records.add_party(s, CLERK, "AK", "Air Koryo", "KP", ["consignee"], screener)
        assert {h.list_id for h in party.hits} >= {"jp-eul", "us-sdn"}
        sdn = next(h for h in party.hits if h.list_id == "us-sdn")
        records.review_hit(s, OFFICER, sdn.id, "confirmed", "the DPRK national airline")
        with pytest.raises(RecordError, match="decision"):
            records.review_hit(s, OFFICER, sdn.id, "maybe", "unsure")
    with db.session(database_url) as s:
        party = records.party_by_code(s, "AK")
        assert party.screening_status == "hits"
        confirmed = [h for h in party.hits if h.status == "confirmed"]
        assert [(h.list_id, h.reviewed_by, h.review_reason) for h in confirmed] == [
            ("us-sdn", "olivia", "the DPRK national airline")
        ]
        review = s.scalars(select(AuditRecord).where(AuditRecord.action == "party.review")).one()
        assert review.payload["decision"] == "confirmed"
        assert review.list_versions == {"us-sdn": confirmed[0].list_version}


# --- shipment and drawdown ------------------------------------------------------------------------------------


def test_shipment_draws_the_licence_down(database_url: str, eul: EndUserList) -> None:
    master_data(database_url)
    with db.session(database_url) as s:
        individual_licence(s, quantity_limit=25.0, value_limit_jpy=100_000_000)
        orders.add_order(s, CLERK, resist_order("SO-1", quantity=10, value=30_000_000), screened(eul))
        orders.add_order(s, CLERK, resist_order("SO-2", quantity=10, value=30_000_000), screened(eul))
        assert orders.order_by_number(s, "SO-2").status == "released"
    with db.session(database_url) as s:
        with pytest.raises(RecordError, match="is released, not blocked"):
            orders.release_order(s, OFFICER, "SO-1", "x")
        order = orders.ship_order(s, CLERK, "SO-1", dt.date(2019, 9, 2))
        assert order.status == "shipped"
    with db.session(database_url) as s:
        licence = s.scalars(select(Licence).where(Licence.number == "L-1")).one()
        assert (licence.quantity_used, licence.value_used_jpy) == (10.0, 30_000_000)
        drawn = s.scalars(select(Drawdown)).all()
        assert [(d.quantity, d.value_jpy, d.drawn_by) for d in drawn] == [(10.0, 30_000_000, "carol")]
        with pytest.raises(RecordError, match="has shipped"):
            orders.update_order(s, CLERK, "SO-1", {"end_use": "x"}, screened(eul))
        with pytest.raises(RecordError, match="shipped; only a released order ships"):
            orders.ship_order(s, CLERK, "SO-1", dt.date(2019, 9, 2))
    # Another line takes 10 more units elsewhere; SO-2 (assigned when 20 units were left) no longer fits.
    with db.session(database_url) as s:
        licence = s.scalars(select(Licence).where(Licence.number == "L-1")).one()
        orders.draw_down(s, CLERK, licence.id, 10.0, 10_000_000, None, on=dt.date(2019, 9, 2))
    with db.session(database_url) as s, pytest.raises(Overdraw, match=r"exceeds the remaining 5\.0"):
        orders.ship_order(s, CLERK, "SO-2", dt.date(2019, 9, 2))
    with db.session(database_url) as s:
        licence = s.scalars(select(Licence).where(Licence.number == "L-1")).one()
        assert (licence.quantity_used, licence.value_used_jpy) == (20.0, 40_000_000)  # the failed shipment left nothing
        assert orders.order_by_number(s, "SO-2").status == "released"
        assert s.scalar(select(func.count()).select_from(Drawdown)) == 2
        with pytest.raises(Overdraw, match="exceeds the remaining ¥60,000,000"):
            orders.draw_down(s, CLERK, licence.id, 1.0, 60_000_001, None, on=dt.date(2019, 9, 2))
        assert ledger.verify(s).ok


def test_licence_amendment_is_recorded_and_cannot_undercut_what_was_drawn(database_url: str) -> None:
    master_data(database_url)
    with db.session(database_url) as s:
        licence = individual_licence(s, quantity_limit=25.0, value_limit_jpy=100_000_000)
        orders.draw_down(s, CLERK, licence.id, 10.0, 40_000_000, None, on=dt.date(2019, 9, 2))
    with db.session(database_url) as s:
        with pytest.raises(PermissionDenied):
            orders.amend_licence(s, CLERK, "L-1", {"valid_to": dt.date(2021, 1, 31)})
        with pytest.raises(RecordError, match="below the ¥40,000,000 drawn"):
            orders.amend_licence(s, OFFICER, "L-1", {"value_limit_jpy": 30_000_000})
        with pytest.raises(RecordError, match="colour: not a term"):
            orders.amend_licence(s, OFFICER, "L-1", {"colour": "red"})
    with db.session(database_url) as s:
        orders.amend_licence(s, OFFICER, "L-1", {"valid_to": dt.date(2021, 1, 31), "value_limit_jpy": 150_000_000})
    with db.session(database_url) as s:
        licence = s.scalars(select(Licence).where(Licence.number == "L-1")).one()
        assert (licence.valid_to, licence.value_limit_jpy) == (dt.date(2021, 1, 31), 150_000_000)
        record = s.scalars(select(AuditRecord).where(AuditRecord.action == "licence.amend")).one()
        assert record.payload == {
            "before": {"valid_to": "2020-07-31", "value_limit_jpy": 100_000_000},
            "after": {"valid_to": "2021-01-31", "value_limit_jpy": 150_000_000},
        }
        assert ledger.verify(s).ok


# --- audit ledger ---------------------------------------------------------------------------------------------


def _activity(url: str, eul: EndUserList) -> None:
    master_data(url)
    with db.session(url) as s:
        individual_licence(s)
        orders.add_order(s, CLERK, resist_order(), screened(eul))
        orders.ship_order(s, CLERK, "SO-1", dt.date(2019, 9, 2))


def test_ledger_chains_every_change(database_url: str, eul: EndUserList) -> None:
    _activity(database_url, eul)
    with db.session(database_url) as s:
        result = ledger.verify(s, batch=7)  # small batches: the walk crosses batch boundaries
        count = s.scalar(select(func.count()).select_from(AuditRecord))
        assert result == ledger.Verification(True, count)
        head = s.get(LedgerHead, ledger.HEAD_ID)
        last = s.scalars(select(AuditRecord).order_by(AuditRecord.id.desc())).first()
        assert head is not None and last is not None and (head.last_id, head.last_hash) == (last.id, last.hash)
        actions = s.scalars(select(AuditRecord.action).order_by(AuditRecord.id)).all()
        assert actions[:3] == ["user.add", "user.add", "user.add"]
        assert actions[-3:] == ["order.determine", "licence.drawdown", "order.ship"]
        exported = list(audit.export(s, batch=5))
        assert len(exported) == count


def _modify_payload(s: Session, count: int) -> int:
    target = 5
    s.execute(update(AuditRecord).where(AuditRecord.id == target).values(payload={"name": "someone else"}))
    return target


def _modify_actor(s: Session, count: int) -> int:
    target = count - 2
    s.execute(text("UPDATE audit_records SET actor = 'mallory' WHERE id = :id"), {"id": target})
    return target


def _delete_middle(s: Session, count: int) -> int:
    s.execute(text("DELETE FROM audit_records WHERE id = 6"))
    return 6


def _delete_last(s: Session, count: int) -> int:
    s.execute(delete(AuditRecord).where(AuditRecord.id == count))
    return count


def _swap(s: Session, count: int) -> int:
    for old, new in ((3, -3), (4, 3), (-3, 4)):
        s.execute(text("UPDATE audit_records SET id = :new WHERE id = :old"), {"old": old, "new": new})
    return 3


TAMPERING: dict[str, tuple[Callable[[Session, int], int], str]] = {
    "payload-modified": (_modify_payload, "modified"),
    "actor-modified": (_modify_actor, "modified"),
    "middle-deleted": (_delete_middle, "missing"),
    "last-deleted": (_delete_last, "missing at the end"),
    "reordered": (_swap, "link broken"),
}


@pytest.mark.parametrize("tampering", sorted(TAMPERING))
def test_ledger_verify_names_the_first_bad_record(database_url: str, eul: EndUserList, tampering: str) -> None:
    _activity(database_url, eul)
    tamper, problem = TAMPERING[tampering]
    with db.session(database_url) as s:
        assert ledger.verify(s).ok
        count = s.scalar(select(func.count()).select_from(AuditRecord))
        assert count is not None and count > 10
        target = tamper(s, count)
    with db.session(database_url) as s:
        result = ledger.verify(s, batch=4)
        assert not result.ok
        assert result.first_bad == target
        assert problem in result.problem
        assert result.checked == target - 1


def test_a_determination_is_stored_once_however_often_it_is_cited(database_url: str, eul: EndUserList) -> None:
    """Determining an unchanged order again writes a ledger record citing the row already stored (issue 14: a
    determination is stored once); a changed fact makes a new row, and each record cites what it decided."""
    master_data(database_url)
    with db.session(database_url) as s:
        order = orders.add_order(s, CLERK, resist_order(), screened(eul))
        orders.determine_order(s, CLERK, order, screened(eul), "checked again")
        orders.update_order(s, CLERK, order.number, {"ship_date": dt.date(2023, 8, 1)}, screened(eul))
    with db.session(database_url) as s:
        cited = [
            r.payload["determination_sha256"]
            for r in s.scalars(
                select(AuditRecord).where(AuditRecord.action == "order.determine").order_by(AuditRecord.id)
            )
        ]
        assert len(cited) == 3 and cited[0] == cited[1] != cited[2]
        assert s.scalar(select(func.count()).select_from(StoredDetermination)) == 2
        stored = s.scalars(select(Order)).one()
        assert stored.determination_sha256 == cited[2]
        assert stored.determination["date"] == "2023-08-01"
        assert ledger.verify(s).ok


def test_replay_of_a_determination_is_identical(database_url: str, eul: EndUserList) -> None:
    master_data(database_url)
    with db.session(database_url) as s:
        records.add_party(s, CLERK, "DEC", DEC, "AE", ["end-user"], None)
        machine = [LineInput(reference="hs:8457.10", quantity=1, value_jpy=60_000_000)]
        data = OrderInput(
            number="MC-1",
            ship_date=dt.date(2024, 6, 1),
            destination="AE",
            end_user="DEC",
            end_use="automotive parts",
            lines=machine,
        )
        orders.add_order(s, CLERK, data, screened(eul))
        orders.add_order(s, CLERK, resist_order(), screened(eul))
    with db.session(database_url) as s:
        determinations = s.scalars(
            select(AuditRecord).where(AuditRecord.action == "order.determine").order_by(AuditRecord.id)
        ).all()
        assert len(determinations) == 2
        for record in determinations:
            replayed = audit.replay(s, record.id)
            assert replayed.identical, record.subject
            assert replayed.pack_version == record.pack_version
            assert replayed.replayed["outcome"] == "licence_required"
        assert [h["name"] for h in audit.replay(s, determinations[0].id).recorded["end_user_hits"]] == [DEC]
        not_a_determination = s.scalars(select(AuditRecord).where(AuditRecord.action == "item.add")).first()
        assert not_a_determination is not None
        with pytest.raises(RecordError, match="not a determination"):
            audit.replay(s, not_a_determination.id)
        # The record cites the determination stored once (the order cites the same row); changing its text
        # is refused by the replay and named by verify: the text no longer hashes to the key the chain covers.
        record = determinations[1]
        key = record.payload["determination_sha256"]
        assert s.scalars(select(Order.determination_sha256).where(Order.number == "SO-1")).one() == key
        stored = s.get(StoredDetermination, key)
        assert stored is not None
        forged = stored.body.replace('"outcome":"licence_required"', '"outcome":"no_licence_required"', 1)
        assert forged != stored.body
        s.execute(update(StoredDetermination).where(StoredDetermination.sha256 == key).values(body=forged))
    with db.session(database_url) as s:
        with pytest.raises(RecordError, match=f"determination {key} is altered"):
            audit.replay(s, record.id)
        verification = ledger.verify(s)
        assert (verification.ok, verification.first_bad, verification.check) == (False, record.id, "determinations")
        assert "was altered" in verification.problem
        s.execute(update(Order).values(determination_sha256=None))  # the orders' key refuses the deletion
        s.execute(delete(StoredDetermination).where(StoredDetermination.sha256 == key))
    with db.session(database_url) as s:
        verification = ledger.verify(s)
        assert (verification.ok, verification.first_bad) == (False, record.id)
        assert "which is missing" in verification.problem
