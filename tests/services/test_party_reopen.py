"""Re-opening a screening review (services/hit_review.py) and changing a party (services/parties.py), on SQLite
and PostgreSQL, with the demo data set screened against the shipped lists.

In the demo, Golden Star Trading Co., Ltd. (CN-GOLDSTAR) matches two OFAC SDN entries, GOLDEN STAR CO and GOLDEN
STAR TRADING LLC; the SDN list's policy in the Japan pack is `review`, so its only order, SO-2019-0302 (plastic
wafer trays to CN, row 16 only, end user CN-QINGSHAN, no hit), is blocked by the screening hit alone: clearing
both hits releases it. Re-opening must block it again, whatever the lists loaded now say.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from exportctl.demo import load_demo
from exportctl.screening.screener import Screener
from exportctl.services import actors, audit, hit_review, parties, records
from exportctl.services.actors import Actor, Role
from exportctl.services.errors import Conflict, NotFound, PermissionDenied, RecordError
from exportctl.services.orders import SCREENING_HIT
from exportctl.store import db
from exportctl.store.models import AuditRecord, Order, Party, PartyHit
from tests.conftest import required_screener

OFFICER = Actor("olga", Role.OFFICER)
CLERK = Actor("alice", Role.CLERK)
ORDER = "SO-2019-0302"


@pytest.fixture
def demo(database_url: str, screener: Screener) -> Iterator[str]:
    with db.session(database_url) as s:
        load_demo(s, actors.SYSTEM, screener)
    yield database_url


def _party(s: Session, code: str) -> Party:
    return s.scalars(select(Party).where(Party.code == code)).one()


def _order(s: Session) -> Order:
    return s.scalars(select(Order).where(Order.number == ORDER)).one()


def _clear_goldstar(url: str, screener: Screener) -> list[int]:
    """Both SDN hits cleared as false positives: the order is released (the precondition of every re-open)."""
    with db.session(url) as s:
        ids = [h.id for h in _party(s, "CN-GOLDSTAR").hits]
        for hit_id in ids:
            records.review_hit(s, OFFICER, hit_id, "false-positive", "Chinese trader; not the listed entity", screener)
    with db.session(url) as s:
        assert _order(s).status == "released" and _order(s).blocking_reasons == []
        assert parties.status_of(_party(s, "CN-GOLDSTAR")) == "cleared"
    return ids


def test_reopen_puts_the_hit_back_to_pending_and_blocks_the_order(demo: str, screener: Screener) -> None:
    first, _ = _clear_goldstar(demo, screener)
    with db.session(demo) as s:
        hit = hit_review.reopen_hit(s, OFFICER, _party(s, "CN-GOLDSTAR"), first, "New ownership information", screener)
        assert (hit.status, hit.reviewed_by, hit.review_reason) == ("open", None, None)
    with db.session(demo) as s:
        party = _party(s, "CN-GOLDSTAR")
        assert party.screening_status == "hits" and parties.status_of(party) == "pending"
        order = _order(s)
        assert order.status == "blocked" and SCREENING_HIT in order.blocking_reasons
        events = hit_review.review_history(s, party)[first]
        assert [(e.actor, e.decision) for e in events] == [("olga", "false-positive"), ("olga", "open")]
        assert events[-1].reason == "New ownership information"
        reopened = s.scalars(select(AuditRecord).where(AuditRecord.action == "party.reopen")).one()
        assert reopened.subject == "party:CN-GOLDSTAR"
        assert reopened.payload["previous"]["decision"] == "false-positive"
    with db.session(demo) as s:
        audit.consistent_snapshot(s)
        assert audit.verify(s).ok


@pytest.mark.parametrize("lists", ["required-only", "none"])
def test_reopen_blocks_the_order_even_when_the_lists_no_longer_give_the_hit(
    demo: str, screener: Screener, lists: str
) -> None:
    """The attacker's view: re-open while the loaded lists do not produce the hit (SDN not loaded; no list at
    all). The determination alone would release the order (or call it indeterminate); it must be blocked."""
    first, _ = _clear_goldstar(demo, screener)
    now = required_screener() if lists == "required-only" else None
    with db.session(demo) as s:
        hit_review.reopen_hit(s, OFFICER, _party(s, "CN-GOLDSTAR"), first, "Re-check the SDN entry", now)
    with db.session(demo) as s:
        order = _order(s)
        assert order.status == "blocked" and order.blocking_reasons
        if lists == "required-only":  # the SDN list is not loaded: only the hold keeps it blocked
            assert order.blocking_reasons == [SCREENING_HIT]
            hold = s.scalars(select(AuditRecord).where(AuditRecord.action == "order.hold")).one()
            assert hold.subject == f"order:{ORDER}" and hold.payload["status"] == "blocked"
    with db.session(demo) as s:
        audit.consistent_snapshot(s)
        assert audit.verify(s).ok  # the chain holds, and the order's row is what its ledger records say


def test_reopen_refuses_what_it_must(demo: str, screener: Screener) -> None:
    with db.session(demo) as s:
        goldstar, delta = _party(s, "CN-GOLDSTAR"), _party(s, "AE-DELTA")
        open_hit = goldstar.hits[0].id
        with pytest.raises(Conflict):  # an open hit is pending review already
            hit_review.reopen_hit(s, OFFICER, goldstar, open_hit, "again", screener)
        with pytest.raises(NotFound):  # a hit of another party, named under this one
            hit_review.reopen_hit(s, OFFICER, delta, open_hit, "wrong party", screener)
    first, _ = _clear_goldstar(demo, screener)
    with db.session(demo) as s:
        goldstar = _party(s, "CN-GOLDSTAR")
        with pytest.raises(PermissionDenied):  # clerks do not decide on hits
            hit_review.reopen_hit(s, CLERK, goldstar, first, "I think it matches", screener)
        with pytest.raises(RecordError):  # a reason is required
            hit_review.reopen_hit(s, OFFICER, goldstar, first, "   ", screener)
        with pytest.raises(RecordError):  # NUL and other control characters are refused
            hit_review.reopen_hit(s, OFFICER, goldstar, first, "bad\x00reason", screener)
    with db.session(demo) as s:
        assert s.get(PartyHit, first).status == "false-positive"  # type: ignore[union-attr]
        assert _order(s).status == "released"


def test_renaming_a_party_screens_it_again_and_holds_its_orders(demo: str, screener: Screener) -> None:
    """TW-JADE renamed to the End User List's Delta Engineering Concern FZE (AE): the jp-eul entry now matches,
    the party is pending review, and none of its unshipped orders is left released."""
    with db.session(demo) as s:
        jade = _party(s, "TW-JADE")
        assert parties.status_of(jade) == "clear"
        assert parties.update_party(s, CLERK, jade, "Delta Engineering Concern FZE", "ae", screener)
    with db.session(demo) as s:
        jade = _party(s, "TW-JADE")
        assert (jade.name, jade.country, parties.status_of(jade)) == ("Delta Engineering Concern FZE", "AE", "pending")
        assert any(h.list_id == "jp-eul" for h in jade.hits)
        assert {o.status for o in hit_review.unshipped_orders(s, jade)} == {"blocked"}
        update = s.scalars(select(AuditRecord).where(AuditRecord.action == "party.update")).one()
        assert update.payload["before"] == {"name": "Jade Harbor Foundry Corp.", "country": "TW"}
        assert not parties.update_party(s, CLERK, jade, "Delta Engineering Concern FZE", "AE", screener)
        with pytest.raises(PermissionDenied):
            parties.update_party(s, Actor("vera", Role.VIEWER), jade, "Someone else", None, screener)
        with pytest.raises(RecordError):
            parties.update_party(s, CLERK, jade, "Jade", "XX", screener)


def test_a_party_changed_without_lists_is_unscreened_not_clear(demo: str) -> None:
    with db.session(demo) as s:
        parties.update_party(s, CLERK, _party(s, "KR-HANBIT"), "Hanbit Materials Co., Ltd.", "KR", None)
    with db.session(demo) as s:
        hanbit = _party(s, "KR-HANBIT")
        assert parties.status_of(hanbit) == "unscreened"
        assert {o.status for o in hit_review.unshipped_orders(s, hanbit)} == {"blocked"}  # indeterminate


def test_the_list_filters_and_sorts_by_status_in_sql(demo: str) -> None:
    with db.session(demo) as s:

        def codes(search: str = "", status: str = "", sort: str = "code") -> list[str]:
            return [p.code for p in s.scalars(parties.listing(search, status, sort))]

        assert codes(status="pending") == ["AE-DELTA", "CN-GOLDSTAR"]  # the two demo parties with open hits
        assert "KR-HANBIT" in codes(status="clear") and "CN-GOLDSTAR" not in codes(status="clear")
        assert codes(sort="status")[:2] == ["AE-DELTA", "CN-GOLDSTAR"]  # worst first
        assert codes(sort="-code")[0] == "US-CASCADE"
        assert codes("golden STAR") == ["CN-GOLDSTAR"]
        assert codes("%") == [] and codes("_") == []  # wildcards are searched for, not obeyed
        for bad in ({"status": "all"}, {"sort": "name; DROP TABLE parties"}):
            with pytest.raises(RecordError):
                codes(**bad)
