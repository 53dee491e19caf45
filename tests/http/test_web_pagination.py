"""Web pages that list records load one page of them (issue 10): 50 rows a page with `?page=N`, filters applied
in SQL and kept in the pager's links, a bad page number refused with a clear page, and the dashboard's counts
per blocking reason taken over every blocked order although only a few are listed.

The records are written straight into the tables (no determination is needed to list them), on SQLite and on
PostgreSQL: the reason filter reads a JSON column as text, which both must answer alike.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from exportctl.http.app import create_app
from exportctl.http.web import impact as impact_page
from exportctl.screening.screener import Screener
from exportctl.services import actors, auth, records
from exportctl.services.impact import impact
from exportctl.store import db as store
from exportctl.store.models import Drawdown, Item, Licence, Order, Party, PartyHit
from tests.http.test_web import csrf_of, logged_in
from tests.support import pgserver
from tests.support.demo_db import demo_database

VIEWER = ("vera", "viewer-password")
ORDERS = 120
FIRST_SHIP_DATE = dt.date(2019, 1, 1)
LICENCES = 60
WARNED = 25  # licences drawn to 95 % of their value: near exhaustion on the dashboard
ITEMS = 55
PARTIES = 55
REVIEWED_ONLY = {"P-0007", "P-0031"}  # parties whose only hit was reviewed: not on the workbench
ORDER_LINK = re.compile(r'<td><a href="/orders/(PG-\d{4})">')


def number_of(i: int) -> str:
    return f"PG-{i:04d}"


def status_of(i: int) -> str:
    return "blocked" if i % 4 != 3 else "shipped" if i % 8 == 7 else "released"


def reasons_of(i: int) -> list[str]:
    """Three in four orders are blocked: for a licence (half of all), a screening hit, or as indeterminate."""
    if status_of(i) != "blocked":
        return []
    reasons = []
    if i % 8 == 0:
        reasons.append("indeterminate")
    if i % 4 == 2:
        reasons.append("screening-hit")
    if i % 4 in (0, 1):
        reasons.append("licence-needed")
    return reasons


def seed(db: Session) -> None:
    records.add_user(db, actors.SYSTEM, VIEWER[0], "viewer")
    auth.set_password(db, actors.SYSTEM, VIEWER[0], VIEWER[1])
    for i in range(ORDERS):
        db.add(
            Order(
                number=number_of(i),
                ship_date=FIRST_SHIP_DATE + dt.timedelta(days=i),
                destination="KR",
                status=status_of(i),
                blocking_reasons=reasons_of(i),
                created_by="test",
            )
        )
    for i in range(LICENCES):
        db.add(
            Licence(
                regime="jp",
                type="individual",
                number=f"LIC-{i:04d}",
                holder="Example Materials K.K.",
                value_limit_jpy=1_000_000,
                value_used_jpy=950_000 if i < WARNED else 0,
                valid_from=dt.date(2019, 1, 1),
                valid_to=dt.date(2030, 12, 31),
            )
        )
    db.add_all(Item(code=f"ITEM-{i:04d}", description=f"item {i}") for i in range(ITEMS))
    for i in range(PARTIES):
        party = Party(code=f"P-{i:04d}", name=f"Party {i}", country="CN")
        status = "false-positive" if party.code in REVIEWED_ONLY else "open"
        party.hits.append(
            PartyHit(
                list_id="un",
                list_version="2026-01-01",
                entity_id=f"E-{i}",
                entity_fingerprint="0" * 32,
                entity_name=f"Listed {i}",
                matched_name=f"Party {i}",
                score=0.9,
                status=status,
            )
        )
        db.add(party)


@contextmanager
def seeded_app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The application over a new database of request.param's kind holding `seed`."""
    server = request.getfixturevalue("postgres_server") if request.param == "postgresql" else None
    if server:
        url = pgserver.create_database(server, prefix="exportctl_test")
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('pages') / 'exportctl.db'}"
    with store.session(url) as db:
        seed(db)
    yield create_app(database_url=url)
    store.engine(url).dispose()
    if server:
        pgserver.drop_database(server, url)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    with seeded_app(request, tmp_path_factory) as found:
        yield found


@pytest.fixture(params=["sqlite", "postgresql"])
def own_app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """An application of the test's own, for tests that write: the module's `app` stays as seeded."""
    with seeded_app(request, tmp_path_factory) as found:
        yield found


@pytest.fixture
def viewer(app: object) -> TestClient:
    return logged_in(app, *VIEWER)


def numbers_on(page: str) -> list[str]:
    return ORDER_LINK.findall(page)


def links(page: str, rel: str) -> list[str]:
    return [href.replace("&amp;", "&") for href in re.findall(rf'<a rel="{rel}" href="([^"]+)"', page)]


def all_pages(browser: TestClient, path: str) -> list[str]:
    """Every page of a list, following the next links from the first."""
    pages = [browser.get(path)]
    while nexts := links(pages[-1].text, "next"):
        assert pages[-1].status_code == 200
        pages.append(browser.get(nexts[0]))
    return [response.text for response in pages]


# --- orders ---------------------------------------------------------------------------------------------------


def test_the_order_list_shows_50_rows_a_page_newest_first(viewer: TestClient) -> None:
    newest_first = [number_of(i) for i in reversed(range(ORDERS))]
    first = viewer.get("/orders")
    assert first.status_code == 200
    assert numbers_on(first.text) == newest_first[:50]
    assert "1–50 of 120" in first.text and "page 1 of 3" in first.text
    assert links(first.text, "next") == ["/orders?page=2"] and not links(first.text, "prev")

    last = viewer.get("/orders?page=3").text
    assert numbers_on(last) == newest_first[100:]  # 20 rows
    assert "101–120 of 120" in last
    assert links(last, "prev") == ["/orders?page=2"] and not links(last, "next")
    assert links(viewer.get("/orders?page=2").text, "prev") == ["/orders"]


@pytest.mark.parametrize(
    ("query", "chosen"),
    [
        ("status=blocked", lambda i: status_of(i) == "blocked"),
        ("status=released", lambda i: status_of(i) == "released"),
        ("reason=licence-needed", lambda i: "licence-needed" in reasons_of(i)),
        ("status=blocked&reason=screening-hit", lambda i: "screening-hit" in reasons_of(i)),
        ("status=shipped&reason=licence-needed", lambda i: False),
        ("reason=licence", lambda i: False),  # a reason matches whole, never as part of another
    ],
)
def test_filters_count_and_page_alike_across_pages(
    viewer: TestClient, query: str, chosen: Callable[[int], bool]
) -> None:
    expected = [number_of(i) for i in reversed(range(ORDERS)) if chosen(i)]
    pages = all_pages(viewer, f"/orders?{query}")
    assert [n for page in pages for n in numbers_on(page)] == expected
    assert len(pages) == max(1, -(-len(expected) // 50))
    if expected:
        assert f"of {len(expected)}</span>" in pages[0]
        for page in pages[1:]:  # the filter is kept in the links between pages
            assert all(link.startswith(f"/orders?{query}") for link in links(page, "prev"))
    else:
        assert "No orders." in pages[0]


def test_blocked_for_a_licence_spans_two_pages(viewer: TestClient) -> None:
    needed = [i for i in reversed(range(ORDERS)) if "licence-needed" in reasons_of(i)]
    first = viewer.get("/orders?status=blocked&reason=licence-needed").text
    assert len(needed) == 60 and "1–50 of 60" in first
    assert links(first, "next") == ["/orders?status=blocked&reason=licence-needed&page=2"]
    second = viewer.get(links(first, "next")[0]).text
    assert numbers_on(second) == [number_of(i) for i in needed[50:]]


@pytest.mark.parametrize(
    ("query", "status", "says"),
    [
        ("page=0", 422, "page"),
        ("page=-1", 422, "page"),
        ("page=two", 422, "page"),
        ("page=1.5", 422, "page"),
        (f"page={10**30}", 422, "page"),  # never reaches the database as an offset
        ("page=4", 404, "page 4 does not exist: the list has 120 rows, 3 page(s)"),
        ("status=blocked&page=3", 404, "page 3 does not exist"),
        ("reason=licence_needed", 422, "reason"),  # not a reason's slug: no LIKE wildcard gets in
        ("reason=licence%25", 422, "reason"),
    ],
)
def test_a_bad_page_or_filter_is_a_clear_error_page(viewer: TestClient, query: str, status: int, says: str) -> None:
    response = viewer.get(f"/orders?{query}")
    assert response.status_code == status
    assert "Request refused" in response.text and says in response.text


def test_the_pager_speaks_japanese(viewer: TestClient) -> None:
    page = viewer.get("/orders?lang=ja&page=2").text
    assert "120 件中 51–100 件" in page and "次へ" in page and "前へ" in page
    assert links(page, "next") == ["/orders?lang=ja&page=3"]


# --- the dashboard --------------------------------------------------------------------------------------------


def test_dashboard_counts_every_blocked_order_but_lists_ten_per_reason(viewer: TestClient) -> None:
    expected = Counter(reason for i in range(ORDERS) for reason in reasons_of(i))
    page = viewer.get("/?today=2020-01-01").text
    blocked = page[page.index('id="blocked"') :]
    rows = re.findall(
        r'reason=([\w-]+)">[^<]+</a></td>\s*<td class="num count">(\d+)</td>\s*<td class="small">(.*?)</td>',
        blocked,
        re.S,
    )
    assert {reason: int(count) for reason, count, _ in rows} == expected
    assert expected["licence-needed"] == 60
    blocked_orders = sum(1 for i in range(ORDERS) if reasons_of(i))
    assert f"{blocked_orders} blocked orders" in page
    for reason, count, listed in rows:
        soonest = [number_of(i) for i in range(ORDERS) if reason in reasons_of(i)][:10]
        assert re.findall(r'href="/orders/(PG-\d{4})"', listed) == soonest
        more = f'<a class="more" href="/orders?status=blocked&amp;reason={reason}">and {int(count) - 10} more</a>'
        assert (more in listed) == (int(count) > 10)


def test_dashboard_lists_20_licences_and_links_to_the_book(viewer: TestClient) -> None:
    page = viewer.get("/?today=2020-01-01").text
    near, in_force = page.split("Licences in force")
    assert len(re.findall(r'href="/licences/LIC-\d{4}"', near)) == 20
    assert f"{WARNED - 20} more in the licence book" in near
    assert len(re.findall(r'href="/licences/LIC-\d{4}"', in_force)) == 20
    assert f"{LICENCES - 20} more in the licence book" in in_force


# --- licences, items, screening -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "row", "expected"),
    [
        ("/licences", r'<td><a href="/licences/(LIC-\d{4})">', [f"LIC-{i:04d}" for i in range(LICENCES)]),
        ("/items", r'<td><a href="/items/(ITEM-\d{4})">', [f"ITEM-{i:04d}" for i in range(ITEMS)]),
        (
            "/screening",
            r'<section class="card" id="party-(P-\d{4})">',
            [f"P-{i:04d}" for i in range(PARTIES) if f"P-{i:04d}" not in REVIEWED_ONLY],
        ),
    ],
)
def test_record_lists_are_paged(viewer: TestClient, path: str, row: str, expected: list[str]) -> None:
    pages = all_pages(viewer, path)
    shown = [re.findall(row, page) for page in pages]
    assert [len(found) for found in shown] == [50, len(expected) - 50]
    assert sorted(n for found in shown for n in found) == expected
    assert f"1–50 of {len(expected)}" in pages[0]


def test_the_licence_warnings_api_is_paged_by_licence_number(viewer: TestClient) -> None:
    """Near the end of 2030 every licence expires within 60 days (all end 2030-12-31), and the first WARNED
    are also 95 % used: one expiry warning each, and one exhaustion warning for those, by licence number."""
    expected = [
        (f"LIC-{i:04d}", kind)
        for i in range(LICENCES)
        for kind in ("expiry", "exhaustion")
        if kind == "expiry" or i < WARNED
    ]
    shown: list[tuple[str, str]] = []
    for offset in (0, 50):
        answer = viewer.get("/api/v1/licences/warnings", params={"today": "2030-11-15", "offset": offset})
        assert answer.status_code == 200
        body = answer.json()
        assert (body["total"], body["limit"], body["offset"]) == (len(expected), 50, offset)
        shown += [(w["number"], w["kind"]) for w in body["warnings"]]
    assert shown == expected and len(expected) == LICENCES + WARNED
    early = viewer.get("/api/v1/licences/warnings", params={"today": "2020-01-01", "limit": 10, "offset": 20}).json()
    assert early["total"] == WARNED  # in 2020 no licence is near its end: only the 95 % used ones
    assert [w["number"] for w in early["warnings"]] == [f"LIC-{i:04d}" for i in range(20, WARNED)]
    assert early["warnings"][0]["text"] == "value 950,000 of 1,000,000 used"
    for bad in ({"limit": 0}, {"limit": 501}, {"offset": -1}, {"days": -1}):
        assert viewer.get("/api/v1/licences/warnings", params=bad).status_code == 422


def test_a_licence_shows_its_drawdowns_50_a_page_in_the_order_drawn(own_app: object) -> None:
    drawn = 120
    with store.session(own_app.state.database_url) as db:  # type: ignore[attr-defined]
        licence = db.scalars(select(Licence).where(Licence.number == "LIC-0000")).one()
        db.add_all(
            Drawdown(licence_id=licence.id, quantity=1.0, value_jpy=1_000, drawn_by=f"clerk-{i:03d}")
            for i in range(drawn)
        )
    pages = all_pages(logged_in(own_app, *VIEWER), "/licences/LIC-0000")
    shown = [re.findall(r"<td>(clerk-\d{3})</td>", page) for page in pages]
    assert [len(found) for found in shown] == [50, 50, 20]
    assert [name for found in shown for name in found] == [f"clerk-{i:03d}" for i in range(drawn)]
    assert f"1–50 of {drawn}" in pages[0] and "/licences/LIC-0000?page=3" in pages[1]
    assert "Nothing drawn yet." in logged_in(own_app, *VIEWER).get("/licences/LIC-0001").text


def test_a_screening_review_returns_to_the_page_that_holds_the_party(own_app: object) -> None:
    """53 parties have open hits: P-0052 is the 51st by code (P-0007 and P-0031 are reviewed), on page 2.
    With a second open hit it stays listed after one review: the redirect goes to page 2 at its card. Once its
    last hit is reviewed it leaves the list, and the officer is back where it stood."""
    with store.session(own_app.state.database_url) as db:  # type: ignore[attr-defined]
        records.add_user(db, actors.SYSTEM, "olga", "officer")
        auth.set_password(db, actors.SYSTEM, "olga", "officer-password")
        party = db.scalars(select(Party).where(Party.code == "P-0052")).one()
        party.hits.append(
            PartyHit(
                list_id="eul",
                list_version="2026-01-01",
                entity_id="E-52b",
                entity_fingerprint="1" * 32,
                entity_name="Listed 52b",
                matched_name="Party 52",
                score=0.8,
            )
        )
        db.flush()
        hits = [hit.id for hit in party.hits]
    officer = logged_in(own_app, "olga", "officer-password")
    for hit, place in zip(hits, ["/screening?page=2#party-P-0052", "/screening?page=2"], strict=True):
        page = officer.get("/screening?page=2").text
        answer = officer.post(
            f"/screening/hits/{hit}/review",
            data={"decision": "false-positive", "reason": "another company", "csrf_token": csrf_of(page)},
        )
        assert (answer.status_code, answer.headers["location"]) == (303, place)
    after = officer.get("/screening?page=2").text
    assert 'id="party-P-0052"' not in after and 'id="party-P-0053"' in after


# --- impact ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory, screener: Screener) -> Iterator[object]:
    url = demo_database(tmp_path_factory.mktemp("impact"), screener)
    yield create_app(database_url=url, screener=screener)
    store.engine(url).dispose()


def test_the_impact_table_is_paged_changes_first_with_whole_counts(
    demo_app: object, screener: Screener, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(impact_page, "ORDERS_PER_PAGE", 5)  # the demo's open orders fill three pages of five
    with store.session(demo_app.state.database_url) as db:  # type: ignore[attr-defined]
        result = impact(db, "jp", dt.date(2019, 8, 27), dt.date(2019, 8, 28), screener=screener)
    browser = logged_in(demo_app, "alice")
    pages = all_pages(browser, "/impact?from=2019-08-27&to=2019-08-28")
    shown = [re.findall(r'<td><a href="/orders/([\w-]+)">', page) for page in pages]
    assert len(pages) == -(-len(result.orders) // 5) > 1
    assert sorted(n for found in shown for n in found) == sorted(o.order_id for o in result.orders)
    assert shown[0][0] == "SO-2019-0105"  # newly blocked: the changes come before the unchanged orders
    counts = result.counts()
    for page in pages:  # the counts per effect are of every order, on every page
        assert f"Unchanged: <strong>{counts['unchanged']}</strong>" in page
        assert f"Newly blocked: <strong>{counts['newly blocked']}</strong>" in page
    assert "from=2019-08-27&amp;to=2019-08-28&amp;page=2" in pages[0]
