"""The web application: login, pages for each role, live determination, order entry, release, screening review."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from exportctl.demo import DEMO_PASSWORD
from exportctl.http.app import create_app
from exportctl.http.web.i18n import MESSAGES
from exportctl.order_input import LineInput, OrderInput
from exportctl.screening.screener import Screener
from exportctl.services import actors, auth, orders, records
from exportctl.store import db as store
from exportctl.store.models import Order, Party
from tests.support.demo_db import demo_database
from tests.support.web_client import VIEWER, client, csrf_of, logged_in

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "exportctl" / "http" / "web" / "templates"


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory, screener: Screener) -> Iterator[str]:
    url = demo_database(tmp_path_factory.mktemp("web"), screener)
    with store.session(url) as db:
        records.add_user(db, actors.SYSTEM, VIEWER[0], "viewer")
        auth.set_password(db, actors.SYSTEM, VIEWER[0], VIEWER[1])
    yield url
    store.engine(url).dispose()


@pytest.fixture(scope="module")
def app_for(database: str, screener: Screener) -> object:
    return create_app(database_url=database, screener=screener)


def token(browser: TestClient, path: str = "/") -> str:
    return csrf_of(browser.get(path).text)


# --- login ----------------------------------------------------------------------------------------------------


def test_login_sets_an_httponly_strict_session_and_redirects(app_for: object) -> None:
    browser = client(app_for)
    page = browser.get("/login")
    assert page.status_code == 200 and 'type="password"' in page.text
    response = browser.post(
        "/login",
        data={"name": "alice", "password": DEMO_PASSWORD, "csrf_token": csrf_of(page.text), "next": "/orders"},
    )
    assert response.status_code == 303 and response.headers["location"] == "/orders"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert "alice" in browser.get("/orders").text


def test_wrong_password_is_refused_with_a_message(app_for: object) -> None:
    browser = client(app_for)
    token_ = csrf_of(browser.get("/login").text)
    response = browser.post("/login", data={"name": "alice", "password": "wrong-password", "csrf_token": token_})
    assert response.status_code == 401
    assert "Wrong user name or password" in response.text
    assert browser.get("/").status_code == 303


def test_login_without_csrf_token_is_forbidden(app_for: object) -> None:
    browser = client(app_for)
    browser.get("/login")
    response = browser.post("/login", data={"name": "alice", "password": DEMO_PASSWORD})
    assert response.status_code == 403
    assert browser.get("/").status_code == 303  # not logged in


def test_failed_logins_are_rate_limited(app_for: object) -> None:
    browser = client(app_for)
    token_ = csrf_of(browser.get("/login").text)
    for _ in range(5):
        browser.post("/login", data={"name": "olga", "password": "nope-nope-nope", "csrf_token": token_})
    response = browser.post("/login", data={"name": "olga", "password": DEMO_PASSWORD, "csrf_token": token_})
    assert response.status_code == 429
    assert "Too many failed logins" in response.text and int(response.headers["retry-after"]) > 0


def test_pages_redirect_to_login(app_for: object) -> None:
    response = client(app_for).get("/orders?status=blocked")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/orders%3Fstatus%3Dblocked"


def test_logout_needs_the_csrf_token(app_for: object) -> None:
    browser = logged_in(app_for, "alice")
    assert browser.post("/logout").status_code == 403
    assert browser.post("/logout", data={"csrf_token": token(browser)}).status_code == 303
    assert browser.get("/").status_code == 303


def test_the_api_still_answers_problem_json(app_for: object) -> None:
    response = client(app_for).get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


# --- pages ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/orders", "SO-2019-0302"),
        ("/orders?status=blocked&reason=screening-hit", "SO-2019-0302"),
        ("/orders/SO-2019-0102", "EMK-HF50"),
        ("/orders/new", "Live determination"),
        ("/screening", "Golden Star Trading Co., Ltd."),
        ("/screening?name=Delta+Engneering+Concern&country=AE", "Delta Engineering Concern FZE"),
        ("/licences", "IND-2019-KR-0815"),
        ("/licences/IND-2019-KR-0815", "Nothing drawn yet"),
        ("/items", "EMK-R100"),
        ("/items/EMK-HF50", "3(1)#hydrogen-fluoride"),
        ("/classify?q=1C350&date=2019-09-01", "3(1)"),
        ("/classify?q=%E3%83%AC%E3%82%B8%E3%82%B9%E3%83%88&date=2019-09-01", "7(19)"),
        ("/classify/entries?date=2026-03-01", "What the pack covers"),
        ("/classify/entries?date=2026-03-01&kind=technology", "tech:"),
        ("/regime?date=2019-09-01", "Group B"),
        ("/regime/diff?from=2019-08-27&to=2019-08-28", "KR"),
    ],
)
def test_pages_render_for_a_viewer(app_for: object, path: str, expected: str) -> None:
    response = logged_in(app_for, *VIEWER).get(path)
    assert response.status_code == 200, response.text
    assert expected in response.text


def test_dashboard_shows_blocked_orders_by_reason(app_for: object) -> None:
    page = logged_in(app_for, *VIEWER).get("/?today=2019-12-01").text
    blocked = page[page.index('id="blocked"') :]
    counts = dict(re.findall(r'reason=([\w-]+)">[^<]+</a></td>\s*<td class="num count">(\d+)</td>', blocked))
    with store.session(app_for.state.database_url) as db:  # type: ignore[attr-defined]
        expected: dict[str, int] = {}
        for order in db.scalars(select(Order).where(Order.status == "blocked")).all():
            for reason in order.blocking_reasons:
                expected[reason] = expected.get(reason, 0) + 1
    assert {reason: int(count) for reason, count in counts.items()} == expected
    assert expected["licence-needed"] >= 1
    assert "Recent regulation changes" in page and "2019-08-28" in page


def test_pages_speak_japanese(app_for: object) -> None:
    browser = logged_in(app_for, *VIEWER)
    assert "理由別の保留中の受注" in browser.get("/?lang=ja").text
    assert "理由別の保留中の受注" in browser.get("/", headers={"accept-language": "ja,en;q=0.5"}).text
    switched = browser.get("/lang/ja?next=/licences")
    assert switched.status_code == 303 and switched.headers["location"] == "/licences"
    assert "許可証台帳" in browser.get("/licences").text
    assert "別表第三（グループA）" in browser.get("/regime?date=2019-09-01").text
    assert browser.get("/lang/en?next=https://evil.example/").headers["location"] == "/"


def test_every_message_is_in_both_languages_and_every_key_used_exists() -> None:
    assert all(en.strip() and ja.strip() for en, ja in MESSAGES.values())
    used: set[str] = set()
    prefixes: set[str] = set()  # t('status.' ~ value): some key must start so
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text()
        used |= set(re.findall(r"""\bt\(\s*'([\w.-]+)'\s*[,)]""", text))
        prefixes |= set(re.findall(r"""\bt\(\s*'([\w.-]+)'\s*~""", text))
    assert used and not used - set(MESSAGES)
    assert all(any(key.startswith(prefix) for key in MESSAGES) for prefix in prefixes)


def test_static_htmx_is_served(app_for: object) -> None:
    response = client(app_for).get("/static/htmx.min.js")
    assert response.status_code == 200 and "htmx" in response.text[:200]


# --- order entry ----------------------------------------------------------------------------------------------


def order_form(number: str, **changes: str) -> dict[str, str | list[str]]:
    form: dict[str, str | list[str]] = {
        "number": number,
        "ship_date": "2019-09-02",
        "destination": "KR",
        "consignee": "KR-HANBIT",
        "end_user": "KR-HANBIT",
        "end_use": "EUV lithography line",
        "line_item": ["", ""],
        "line_reference": ["7(19)", ""],
        "line_quantity": ["10", ""],
        "line_value_jpy": ["2000000", ""],
    }
    form.update(changes)
    return form


def test_the_live_check_answers_while_an_order_is_being_written(app_for: object) -> None:
    """The live check (a POST on every change of the form) only reads: it neither takes nor waits for the write
    lock, so a writer holding it (an order being entered) does not stall the form, nor the form the writer."""
    browser = logged_in(app_for, *VIEWER)
    csrf = token(browser)
    with store.session(app_for.state.database_url) as writer:  # type: ignore[attr-defined]
        writer.execute(update(Party).where(Party.code == "KR-HANBIT").values(name=Party.name))  # holds the lock
        # A request needing the write lock would wait out the busy timeout here and answer 503.
        response = browser.post("/orders/new/check", data=order_form("PREVIEW"), headers={"X-CSRF-Token": csrf})
    assert response.status_code == 200 and "Licence required" in response.text


def test_live_determination_of_a_korean_resist_after_the_2019_measures(app_for: object) -> None:
    browser = logged_in(app_for, *VIEWER)
    response = browser.post("/orders/new/check", data=order_form("PREVIEW"), headers={"X-CSRF-Token": token(browser)})
    assert response.status_code == 200
    assert "Licence required" in response.text
    eligible = re.search(r"Eligible licences:</span>(.*?)</p>", response.text, re.S)
    assert eligible and "Individual licence" in eligible.group(1) and "General bulk" not in eligible.group(1)
    assert "Not stored" in response.text and "e-gov" in response.text.lower()  # citations link the instrument
    with store.session(app_for.state.database_url) as db:  # type: ignore[attr-defined]
        assert db.scalars(select(Order).where(Order.number == "PREVIEW")).first() is None


def test_live_determination_names_a_bad_field(app_for: object) -> None:
    browser = logged_in(app_for, *VIEWER)
    form = order_form("PREVIEW", ship_date="2019-09-02", destination="XX")
    response = browser.post("/orders/new/check", data=form, headers={"X-CSRF-Token": token(browser)})
    assert response.status_code == 200 and "destination" in response.text and "flash error" in response.text


def test_the_form_takes_the_region_of_the_destination(app_for: object) -> None:
    # Under the EAR, Crimea (UA-43) needs a licence for any item (§ 746.6); a region of another country is refused.
    browser = logged_in(app_for, *VIEWER)
    base = {"regime": "us", "ship_date": "2026-08-03", "destination": "UA", "consignee": "", "end_user": ""}
    lines = {"line_reference": ["EAR99", ""], "line_value_jpy": ["", ""]}
    form = order_form("PREVIEW", **base, **lines, destination_region="ua-43")
    response = browser.post("/orders/new/check", data=form, headers={"X-CSRF-Token": token(browser)})
    assert response.status_code == 200 and "Licence required" in response.text, response.text
    form = order_form("PREVIEW", **base, **lines, destination_region="RU-MOW")
    response = browser.post("/orders/new/check", data=form, headers={"X-CSRF-Token": token(browser)})
    assert "not a region of UA" in response.text and "flash error" in response.text


def test_live_determination_names_the_line_of_an_unknown_item(app_for: object) -> None:
    browser = logged_in(app_for, *VIEWER)
    form = order_form("", line_item=["EMK-R100", "NO-SUCH-ITEM"], line_reference=["", ""])
    response = browser.post("/orders/new/check", data=form, headers={"X-CSRF-Token": token(browser)})
    assert response.status_code == 200 and "line 2: item &#39;NO-SUCH-ITEM&#39; does not exist" in response.text


def test_a_refused_form_comes_back_with_its_boxes_ticked(app_for: object) -> None:
    browser = logged_in(app_for, "alice")
    form = order_form("WEB/1", informed="1", clearly_not="1")
    response = browser.post("/orders/new", data={**form, "csrf_token": token(browser, "/orders/new")})
    assert response.status_code == 422 and "number: may not contain /" in response.text
    ticked = re.findall(r'name="(\w+)" value="1" checked', response.text)
    assert ticked == ["informed", "clearly_not"]


def test_entering_an_order_through_the_form(app_for: object) -> None:
    browser = logged_in(app_for, "alice")
    form = order_form("WEB-0001", line_item=["EMK-R100", ""], line_reference=["", ""])
    response = browser.post("/orders/new", data={**form, "csrf_token": token(browser, "/orders/new")})
    assert response.status_code == 303 and response.headers["location"] == "/orders/WEB-0001"
    page = browser.get("/orders/WEB-0001").text
    assert "Order WEB-0001 entered" in page and "Licence required" in page
    assert "status-released" in page and 'href="/licences/IND-2019-KR-0815"' in page  # the individual licence fits
    again = browser.post("/orders/new", data={**form, "csrf_token": token(browser, "/orders/new")})
    assert again.status_code == 422 and "exists" in again.text and 'value="WEB-0001"' in again.text


def test_a_viewer_cannot_enter_an_order(app_for: object) -> None:
    browser = logged_in(app_for, *VIEWER)
    response = browser.post("/orders/new", data={**order_form("WEB-0002"), "csrf_token": token(browser)})
    assert response.status_code == 403
    assert "Enter the order" not in browser.get("/orders/new").text


# --- release and screening review -----------------------------------------------------------------------------


def test_release_is_refused_for_a_clerk_and_accepted_for_an_officer(app_for: object) -> None:
    clerk = logged_in(app_for, "alice")
    page = clerk.get("/orders/SO-2019-0102").text
    assert 'id="release"' not in page
    refused = clerk.post("/orders/SO-2019-0102/release", data={"reason": "x", "csrf_token": csrf_of(page)})
    assert refused.status_code == 403

    officer = logged_in(app_for, "olga")
    page = officer.get("/orders/SO-2019-0102").text
    assert 'id="release"' in page
    # Issue 10: a reason never lifts licence-needed (the licence is entered into the book first) …
    refused = officer.post(
        "/orders/SO-2019-0102/release",
        data={"reason": "Individual licence held", "csrf_token": csrf_of(page)},
        headers={"referer": "http://testserver/orders/SO-2019-0102"},
    )
    assert refused.status_code == 303
    page = officer.get("/orders/SO-2019-0102").text
    assert "enter the licence in the book" in page and "Order released" not in page
    # … and an override (no declared end use: indeterminate) needs two officers: the page says so.
    page = officer.get("/orders/SO-2019-0301").text
    first = officer.post(
        "/orders/SO-2019-0301/release", data={"reason": "End use confirmed in writing", "csrf_token": csrf_of(page)}
    )
    assert first.status_code == 303
    page = officer.get("/orders/SO-2019-0301").text
    assert "awaiting second approval (1 of 2)" in page and "Order released" not in page
    second = logged_in(app_for, "oscar")
    page = second.get("/orders/SO-2019-0301").text
    released = second.post(
        "/orders/SO-2019-0301/release", data={"reason": "Letter checked", "csrf_token": csrf_of(page)}
    )
    assert released.status_code == 303
    page = second.get("/orders/SO-2019-0301").text
    assert "Order released" in page and "End use confirmed in writing" in page


def test_a_refused_release_comes_back_with_the_reason(app_for: object) -> None:
    officer = logged_in(app_for, "oscar")
    page = officer.get("/orders/SO-2019-0101").text  # released already
    response = officer.post(
        "/orders/SO-2019-0101/release",
        data={"reason": "again", "csrf_token": csrf_of(page)},
        headers={"referer": "http://testserver/orders/SO-2019-0101"},
    )
    assert response.status_code == 303
    assert "not blocked" in officer.get(response.headers["location"]).text


def test_screening_review_through_the_form(app_for: object) -> None:
    with store.session(app_for.state.database_url) as db:  # type: ignore[attr-defined]
        party = db.scalars(select(Party).where(Party.code == "CN-GOLDSTAR")).one()
        hit_id = next(h.id for h in party.hits if h.status == "open")
    clerk = logged_in(app_for, "alice")
    page = clerk.get("/screening").text
    assert "Why it matched" in page and f"/screening/hits/{hit_id}/review" not in page
    denied = clerk.post(f"/screening/hits/{hit_id}/review", data={"decision": "confirmed", "csrf_token": csrf_of(page)})
    assert denied.status_code == 403

    officer = logged_in(app_for, "olga")
    page = officer.get("/screening").text
    assert f"/screening/hits/{hit_id}/review" in page
    reason = "Chinese trader; the listed entity is Syrian"
    response = officer.post(
        f"/screening/hits/{hit_id}/review",
        data={"decision": "false-positive", "reason": reason, "csrf_token": csrf_of(page)},
    )
    assert response.status_code == 303
    page = officer.get("/screening").text
    assert "Hit reviewed" in page and reason in page
    with store.session(app_for.state.database_url) as db:  # type: ignore[attr-defined]
        party = db.scalars(select(Party).where(Party.code == "CN-GOLDSTAR")).one()
        assert next(h for h in party.hits if h.id == hit_id).status == "false-positive"


def test_impact_page_shows_the_korea_2019_change_and_the_forecast(app_for: object) -> None:
    """2019-08-27 → 2019-08-28: KR leaves Group A. In the demo only SO-2019-0105 (phosphazene seals to
    KR-SEORAE, 2019-09-24) relied on the general bulk licence, so it is newly blocked and needs one
    individual licence application; with 90 days' review it slips past its ship date."""
    browser = logged_in(app_for, "alice")
    page = browser.get("/impact?from=2019-08-27&to=2019-08-28").text
    assert "KR is in Appended Table 3 (Group A)" in page
    assert "Newly blocked" in page and "SO-2019-0105" in page
    assert "<svg" in page and "SO-2019-0105 (ship 2019-09-24)" in page
    japanese = browser.get("/impact?from=2019-08-27&to=2019-08-28&lang=ja").text
    assert "新たに保留" in japanese


def test_a_live_check_whose_client_left_is_not_a_server_error(app_for: object) -> None:
    """The form's live check is often abandoned mid-request (a newer keystroke, the submit): the body cannot be
    read, nothing is done, and the answer is 499 (client closed), not a 500 with a traceback in the log."""
    import asyncio

    browser = logged_in(app_for, *VIEWER)
    csrf = token(browser)  # first: fetching it may update the session cookie
    cookie = "; ".join(f"{name}={value}" for name, value in browser.cookies.items())
    headers = [
        (b"host", b"testserver"),
        (b"content-type", b"application/x-www-form-urlencoded"),
        (b"content-length", b"100"),
        (b"cookie", cookie.encode()),
        (b"x-csrf-token", csrf.encode()),
    ]
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": "/orders/new/check", "raw_path": b"/orders/new/check", "query_string": b"", "root_path": "",
             "headers": headers, "client": ("127.0.0.1", 50000), "server": ("testserver", 80)}  # fmt: skip
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return {"type": "http.disconnect"}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    asyncio.run(app_for(scope, receive, send))  # type: ignore[operator]
    assert [m["status"] for m in sent if m["type"] == "http.response.start"] == [499]


@pytest.mark.parametrize("country", ["XX", "ZZ", "ß"])
def test_the_quick_screen_refuses_a_country_that_is_not_one(app_for: object, country: str) -> None:
    """The one country rule (ISO 3166-1 assigned codes) holds on the screening page too: an unknown code is a
    clear error, not a qualifier silently compared with the lists' countries."""
    response = logged_in(app_for, *VIEWER).get("/screening", params={"name": "Delta Engineering", "country": country})
    assert response.status_code == 422
    assert "is not an ISO 3166-1 alpha-2 country code" in response.text


def test_an_order_under_two_regimes_shows_each_determination(app_for: object, database: str) -> None:
    # A US-made resist from Japan to China: FEFTA row 7(19) and the EAR's 3C002 (NS2; China marked) both need a
    # licence; the page shows the EAR's determination and names its blocking reason by the regime.
    line = LineInput(reference="3C002", quantity=1, value_jpy=30_000_000, us_content_pct=100)
    header = {"ship_date": "2026-08-03", "origin": "JP", "destination": "CN", "end_use": "wafer fab"}
    data = OrderInput(number="SO-US-1", also_under=["us"], wmd_end_use=False, conventional_end_use=False,
                      lines=[line], **header)  # fmt: skip
    with store.session(database) as s:
        orders.add_order(s, actors.Actor("alice", "clerk"), data, None)
    page = logged_in(app_for, "alice").get("/orders/SO-US-1").text
    assert 'id="also-us"' in page and "NS2" in page
    assert "US: " + MESSAGES["block.licence-needed"][0] in page


def test_the_form_enters_an_order_under_a_second_regime(app_for: object) -> None:
    browser = logged_in(app_for, "alice")
    assert 'name="also_under" value="us"' in browser.get("/orders/new").text
    form = order_form("WEB-US-1", line_item=[""], line_reference=["3C002"]) | {
        "ship_date": "2026-08-03",
        "origin": "JP",
        "destination": "CN",
        "also_under": ["us"],
        "line_us_content_pct": ["100"],
        "line_value_jpy": ["30000000"],
    }
    response = browser.post("/orders/new", data={**form, "csrf_token": token(browser, "/orders/new")})
    assert response.status_code == 303, response.text
    page = browser.get("/orders/WEB-US-1").text
    assert 'id="also-us"' in page and "NS2" in page  # 3C002 to China: the chart marks NS 2
    refused = browser.post("/orders/new", data={**form, "number": "WEB-US-2", "line_us_content_pct": ["101"],
                                               "csrf_token": token(browser, "/orders/new")})  # fmt: skip
    assert refused.status_code == 422 and "us_content_pct" in refused.text and 'value="101"' in refused.text
