"""The parties pages: the list (search, status filter, sort, pages), a party's hits with why they matched, its
reviews and their history, re-opening a review (officers) and changing name or country (clerks); roles, CSRF and
hostile input. The demo data set is screened against the shipped lists (see tests/services/test_party_reopen.py
for what its parties match)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from exportctl.http.app import create_app
from exportctl.screening.screener import Screener
from exportctl.services import actors, auth, records
from exportctl.store import db as store
from exportctl.store.models import AuditRecord, Order, Party
from tests.http.test_web import VIEWER, csrf_of, logged_in
from tests.support.demo_db import demo_database

ORDER = "SO-2019-0302"  # CN-GOLDSTAR's order, blocked by its two SDN hits alone


@pytest.fixture
def app(tmp_path_factory: pytest.TempPathFactory, screener: Screener) -> Iterator[object]:
    """A new demo database per test: these tests review, re-open and rename."""
    url = demo_database(tmp_path_factory.mktemp("parties"), screener)
    with store.session(url) as db:
        records.add_user(db, actors.SYSTEM, VIEWER[0], "viewer")
        auth.set_password(db, actors.SYSTEM, VIEWER[0], VIEWER[1])
    yield create_app(database_url=url, screener=screener)
    store.engine(url).dispose()


def _url(app: object) -> str:
    return str(app.state.database_url)  # type: ignore[attr-defined]


def _hit_ids(app: object, code: str) -> list[int]:
    with store.session(_url(app)) as db:
        return [h.id for h in db.scalars(select(Party).where(Party.code == code)).one().hits]


def _order_state(app: object) -> tuple[str, list[str]]:
    with store.session(_url(app)) as db:
        order = db.scalars(select(Order).where(Order.number == ORDER)).one()
        return order.status, list(order.blocking_reasons)


def _rows(page: str) -> list[str]:
    """The party codes of a list page, in order."""
    return re.findall(r'<td><a href="/parties/[^"]+">([^<]+)</a></td>', page)


def test_the_list_shows_each_party_with_its_screening_status(app: object) -> None:
    viewer = logged_in(app, *VIEWER)
    page = viewer.get("/parties")
    assert page.status_code == 200
    assert _rows(page.text) == sorted(
        ["KR-HANBIT", "KR-SEORAE", "TW-JADE", "CN-QINGSHAN", "CN-GOLDSTAR", "DE-RHEINFELD", "US-CASCADE", "AE-DELTA"]
    )
    assert 'href="/parties" aria-current="page"' in page.text  # the nav link
    assert "pending review" in page.text and "clear" in page.text


def test_search_filter_and_sort(app: object) -> None:
    viewer = logged_in(app, *VIEWER)
    assert _rows(viewer.get("/parties", params={"q": "golden star"}).text) == ["CN-GOLDSTAR"]
    assert _rows(viewer.get("/parties", params={"q": "kr-"}).text) == ["KR-HANBIT", "KR-SEORAE"]
    assert _rows(viewer.get("/parties", params={"q": "%"}).text) == []  # a wildcard is searched for, not obeyed
    assert _rows(viewer.get("/parties", params={"status": "pending"}).text) == ["AE-DELTA", "CN-GOLDSTAR"]
    assert "CN-GOLDSTAR" not in _rows(viewer.get("/parties", params={"status": "clear"}).text)
    assert _rows(viewer.get("/parties", params={"sort": "-code"}).text)[0] == "US-CASCADE"
    assert _rows(viewer.get("/parties", params={"sort": "status"}).text)[:2] == ["AE-DELTA", "CN-GOLDSTAR"]
    for bad in ({"status": "everything"}, {"sort": "name desc"}, {"q": "x" * 201}, {"page": "0"}):
        assert viewer.get("/parties", params=bad).status_code == 422, bad


def test_the_list_pages_keep_the_filter(app: object) -> None:
    with store.session(_url(app)) as db:
        for n in range(55):  # unscreened (no screener): fast, and all of one status
            records.add_party(db, actors.SYSTEM, f"XP-{n:03}", f"Extra Party {n}", "DE", ["customer"], None)
    viewer = logged_in(app, *VIEWER)
    first = viewer.get("/parties", params={"status": "unscreened"}).text
    assert len(_rows(first)) == 50 and 'href="/parties?status=unscreened&amp;page=2"' in first
    second = viewer.get("/parties", params={"status": "unscreened", "page": 2}).text
    assert _rows(second) == [f"XP-{n:03}" for n in range(50, 55)]
    assert viewer.get("/parties", params={"status": "unscreened", "page": 3}).status_code == 404


def test_the_party_page_shows_each_hit_from_the_shipped_lists_and_why(app: object) -> None:
    viewer = logged_in(app, *VIEWER)
    page = viewer.get("/parties/CN-GOLDSTAR").text
    assert "Golden Star Trading Co., Ltd." in page and "CN" in page
    assert "us-sdn" in page and "GOLDEN STAR CO" in page and "GOLDEN STAR TRADING LLC" in page  # OFAC's entries
    assert "Why it matched" in page and "Aligned tokens" in page
    assert ORDER in page and "Screening hit" in page  # its order, blocked by the hits
    delta = viewer.get("/parties/AE-DELTA").text
    assert "jp-eul" in delta and "Delta Engineering Concern FZE" in delta  # METI's End User List
    assert "/reopen" not in page and "/review" not in page and "/edit" not in page  # a viewer reads only
    assert viewer.get("/parties/NO-SUCH-PARTY").status_code == 404


def test_review_then_reopen_blocks_the_order_again(app: object) -> None:
    officer = logged_in(app, "olga")
    ids = _hit_ids(app, "CN-GOLDSTAR")
    for hit_id in ids:
        page = officer.get("/parties/CN-GOLDSTAR").text
        assert f"/parties/CN-GOLDSTAR/hits/{hit_id}/review" in page
        response = officer.post(
            f"/parties/CN-GOLDSTAR/hits/{hit_id}/review",
            data={
                "decision": "false-positive",
                "reason": "Chinese trader, not the listed entity",
                "csrf_token": csrf_of(page),
            },
        )
        assert response.status_code == 303 and response.headers["location"] == f"/parties/CN-GOLDSTAR#hit-{hit_id}"
    assert _order_state(app) == ("released", [])
    page = officer.get("/parties/CN-GOLDSTAR").text
    assert "cleared" in page and f"/parties/CN-GOLDSTAR/hits/{ids[0]}/reopen" in page

    response = officer.post(
        f"/parties/CN-GOLDSTAR/hits/{ids[0]}/reopen",
        data={"reason": "Ownership changed: check again", "csrf_token": csrf_of(page)},
    )
    assert response.status_code == 303
    assert _order_state(app) == ("blocked", ["screening-hit"])
    page = officer.get("/parties/CN-GOLDSTAR").text
    assert "Hit re-opened" in page and "pending review" in page
    assert "Review history" in page and "re-opened" in page and "Ownership changed: check again" in page
    with store.session(_url(app)) as db:
        record = db.scalars(select(AuditRecord).where(AuditRecord.action == "party.reopen")).one()
        assert (record.actor, record.payload["hit"]) == ("olga", ids[0])


def test_roles_viewer_reads_clerk_edits_officer_decides(app: object) -> None:
    first = _hit_ids(app, "CN-GOLDSTAR")[0]
    viewer = logged_in(app, *VIEWER)
    token = csrf_of(viewer.get("/parties/CN-GOLDSTAR").text)
    edit = {"name": "Renamed", "country": "CN", "csrf_token": token}
    assert viewer.post("/parties/CN-GOLDSTAR/edit", data=edit).status_code == 403

    clerk = logged_in(app, "alice")
    page = clerk.get("/parties/CN-GOLDSTAR").text
    assert "/parties/CN-GOLDSTAR/edit" in page and "/review" not in page and "/reopen" not in page
    review = {"decision": "false-positive", "reason": "clerk says so", "csrf_token": csrf_of(page)}
    assert clerk.post(f"/parties/CN-GOLDSTAR/hits/{first}/review", data=review).status_code == 403
    assert (
        clerk.post(
            f"/parties/CN-GOLDSTAR/hits/{first}/reopen", data={"reason": "x", "csrf_token": csrf_of(page)}
        ).status_code
        == 403
    )
    assert _order_state(app) == ("blocked", ["screening-hit"])
    with store.session(_url(app)) as db:
        assert (
            db.scalars(select(Party).where(Party.code == "CN-GOLDSTAR")).one().name == "Golden Star Trading Co., Ltd."
        )


def test_every_form_needs_the_csrf_token(app: object) -> None:
    first = _hit_ids(app, "CN-GOLDSTAR")[0]
    officer = logged_in(app, "olga")
    officer.get("/parties/CN-GOLDSTAR")
    posts = {
        f"/parties/CN-GOLDSTAR/hits/{first}/review": {"decision": "false-positive", "reason": "no token"},
        f"/parties/CN-GOLDSTAR/hits/{first}/reopen": {"reason": "no token"},
        "/parties/CN-GOLDSTAR/edit": {"name": "No Token Ltd", "country": "CN"},
    }
    for path, data in posts.items():
        assert officer.post(path, data=data).status_code == 403, path
        assert officer.post(path, data={**data, "csrf_token": "forged"}).status_code == 403, path
    assert _order_state(app) == ("blocked", ["screening-hit"])


def test_a_clerk_edit_screens_the_party_again(app: object) -> None:
    """TW-JADE renamed to the End User List's Delta Engineering Concern FZE: now pending review, and its released
    order SO-2019-0202 (trays to TW) is blocked."""
    clerk = logged_in(app, "alice")
    page = clerk.get("/parties/TW-JADE").text
    assert "clear" in page
    response = clerk.post(
        "/parties/TW-JADE/edit",
        data={"name": "Delta Engineering Concern FZE", "country": "AE", "csrf_token": csrf_of(page)},
    )
    assert response.status_code == 303 and response.headers["location"] == "/parties/TW-JADE"
    page = clerk.get("/parties/TW-JADE").text
    assert "Saved and screened again" in page and "pending review" in page and "jp-eul" in page
    with store.session(_url(app)) as db:
        order = db.scalars(select(Order).where(Order.number == "SO-2019-0202")).one()
        assert order.status == "blocked"


def test_hostile_input_is_refused_or_escaped(app: object) -> None:
    clerk = logged_in(app, "alice")
    token = csrf_of(clerk.get("/parties/KR-HANBIT").text)
    hostile = '<script>alert("x")</script> Trading'
    response = clerk.post("/parties/KR-HANBIT/edit", data={"name": hostile, "country": "KR", "csrf_token": token})
    assert response.status_code == 303
    for path in ("/parties/KR-HANBIT", "/parties?q=script"):
        page = clerk.get(path).text
        assert "<script>alert" not in page and "&lt;script&gt;alert" in page, path
    for data in ({"name": "", "country": "KR"}, {"name": "Ok", "country": "XX"}, {"name": "a\x00b", "country": "KR"},
                 {"name": "x" * 201, "country": "KR"}):  # fmt: skip
        refused = clerk.post("/parties/KR-HANBIT/edit", data={**data, "csrf_token": token})
        assert refused.status_code in (403, 422), data
    officer = logged_in(app, "olga")
    token = csrf_of(officer.get("/parties/AE-DELTA").text)
    goldstar_hit = _hit_ids(app, "CN-GOLDSTAR")[0]
    # A hit named under another party's page: not found, and nothing changes.
    wrong = {"reason": "x", "csrf_token": token}
    assert officer.post(f"/parties/AE-DELTA/hits/{goldstar_hit}/reopen", data=wrong).status_code == 404
    review = {"decision": "false-positive", "reason": "x", "csrf_token": token}
    assert officer.post(f"/parties/AE-DELTA/hits/{goldstar_hit}/review", data=review).status_code == 404
    assert officer.post(f"/parties/CN-GOLDSTAR/hits/{goldstar_hit}/reopen", data=wrong).status_code == 409  # open
    assert _order_state(app) == ("blocked", ["screening-hit"])


def test_the_pages_in_japanese(app: object) -> None:
    viewer = logged_in(app, *VIEWER)
    listing = viewer.get("/parties", params={"lang": "ja"}).text
    assert "取引先" in listing and "確認待ち" in listing and "スクリーニング状況" in listing
    page = viewer.get("/parties/CN-GOLDSTAR", params={"lang": "ja"}).text
    assert "一致の理由" in page and "基本情報" in page and "未出荷の受注" in page
