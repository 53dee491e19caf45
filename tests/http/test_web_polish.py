"""Feedback and polish (issue 16) without a browser: the favicon, the skip link, the API docs served from this
site (no CDN), and amounts typed as people type them ("12,000,000", full-width "１２，０００，０００"), kept
as typed when the form is refused. The browser side (axe-core, keyboard, console) is test_accessibility.py."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from starlette.datastructures import FormData

from exportctl.http.app import create_app
from exportctl.http.web.order_form import FormError, OrderForm
from exportctl.screening.screener import Screener
from exportctl.store import db as store
from exportctl.store.models import Order
from tests.support.demo_db import demo_database
from tests.support.web_client import client, csrf_of, logged_in

TWELVE_MILLION_FULL_WIDTH = "１２，０００，０００"  # as a Japanese input method types it


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, screener: Screener) -> Iterator[object]:
    url = demo_database(tmp_path_factory.mktemp("polish"), screener)
    yield create_app(database_url=url, screener=screener)
    store.engine(url).dispose()


def order(number: str, value: str) -> dict[str, str | list[str]]:
    # EUV resist (7(19)) to Hanbit after Korea left Group A: the demo's first order, with the value under test.
    return {
        "number": number,
        "ship_date": "2019-09-02",
        "destination": "KR",
        "consignee": "KR-HANBIT",
        "end_user": "KR-HANBIT",
        "end_use": "EUV lithography line",
        "line_item": ["", ""],
        "line_reference": ["7(19)", ""],
        "line_quantity": ["1,000", ""],
        "line_value_jpy": [value, ""],
    }


def form_data(fields: dict[str, str | list[str]]) -> FormData:
    return FormData([(key, v) for key, value in fields.items() for v in ([value] if isinstance(value, str) else value)])


# --- favicon, skip link ---------------------------------------------------------------------------------------


def test_the_favicon_is_found_by_every_browser(app: object) -> None:
    anonymous = client(app)
    response = anonymous.get("/favicon.ico")  # asked for without a <link>, before any login
    assert response.status_code == 308 and response.headers["location"] == "/static/favicon.svg"
    icon = anonymous.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert '<link rel="icon" href="/static/favicon.svg"' in anonymous.get("/login").text


@pytest.mark.parametrize(("lang", "text"), [("en", "Skip to content"), ("ja", "本文へ移動")])
def test_every_page_starts_with_a_skip_link_to_the_content(app: object, lang: str, text: str) -> None:
    browser = logged_in(app, "alice")
    browser.get(f"/lang/{lang}?next=/")
    page = browser.get("/orders").text
    body = page.split("<body", 1)[1]
    first_link = re.search(r"<a [^>]*>([^<]*)</a>", body)
    assert first_link and 'href="#main"' in first_link.group(0) and first_link.group(1) == text
    assert '<main id="main"' in page


# --- API docs without a CDN -----------------------------------------------------------------------------------


def test_the_api_docs_load_swagger_ui_from_this_site(app: object) -> None:
    browser = logged_in(app, "alice")
    docs = browser.get("/api/v1/docs", headers={"Accept": "text/html"})
    assert docs.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', docs.text)
    assert "/static/swagger-ui-bundle.js" in sources and "/static/swagger-ui.css" in sources
    assert all(source.startswith("/") for source in sources), sources  # nothing from another host
    policy = docs.headers["content-security-policy"]
    assert "https:" not in policy and "cdn" not in policy
    for asset in ("/static/swagger-ui-bundle.js", "/static/swagger-ui.css", "/static/swagger-ui.LICENSE"):
        assert client(app).get(asset).status_code == 200
    assert "Apache License" in client(app).get("/static/swagger-ui.LICENSE").text


def test_strangers_get_no_api_docs(app: object) -> None:
    anonymous = client(app)
    assert anonymous.get("/api/v1/docs").status_code == 401
    page = anonymous.get("/api/v1/docs", headers={"Accept": "text/html"})
    assert page.status_code == 303 and page.headers["location"].startswith("/login")


# --- amounts as typed -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["12000000", "12,000,000", TWELVE_MILLION_FULL_WIDTH, "１２００００００"])
def test_the_form_reads_an_amount_as_people_type_it(typed: str) -> None:
    facts = OrderForm.read(form_data(order("", typed))).facts()
    assert facts.lines[0].value_jpy == 12_000_000 and facts.lines[0].quantity == 1000


@pytest.mark.parametrize("typed", ["nan", "inf", "1e7", "1,2,3", "12,0000", "12.000.000", "١٢", "12 000"])
def test_the_form_refuses_what_is_not_an_amount(typed: str) -> None:
    with pytest.raises(FormError, match=rf"line 1: value: '{re.escape(typed)}' is not a number"):
        OrderForm.read(form_data(order("", typed))).facts()


def test_a_refused_order_comes_back_as_typed_and_a_good_one_is_stored(app: object) -> None:
    browser = logged_in(app, "alice")
    token = csrf_of(browser.get("/orders/new").text)
    refused = browser.post("/orders/new", data={**order("WEB/9", TWELVE_MILLION_FULL_WIDTH), "csrf_token": token})
    assert refused.status_code == 422 and "number: may not contain /" in refused.text
    assert f'value="{TWELVE_MILLION_FULL_WIDTH}"' in refused.text and 'value="1,000"' in refused.text
    stored = browser.post("/orders/new", data={**order("WEB-FW-1", TWELVE_MILLION_FULL_WIDTH), "csrf_token": token})
    assert stored.status_code == 303
    with store.session(app.state.database_url) as db:  # type: ignore[attr-defined]
        entered = db.scalars(select(Order).where(Order.number == "WEB-FW-1")).one()
        assert [line.value_jpy for line in entered.lines] == [12_000_000]


def test_the_live_check_takes_typed_amounts_and_still_wants_its_csrf_token(app: object) -> None:
    browser = logged_in(app, "alice")
    token = csrf_of(browser.get("/orders/new").text)
    form = order("", "12,000,000")
    assert browser.post("/orders/new/check", data=form).status_code == 403  # no CSRF token: refused
    live = browser.post("/orders/new/check", data=form, headers={"X-CSRF-Token": token})
    assert live.status_code == 200 and "Licence required" in live.text
    hostile = browser.post("/orders/new/check", data=order("", "<script>1e9"), headers={"X-CSRF-Token": token})
    assert hostile.status_code == 200 and "&lt;script&gt;1e9" in hostile.text and "<script>1e9" not in hostile.text
