"""Browser tests: Playwright drives Debian's Chromium against a real server on a free loopback port.

The server runs the web application over a fresh SQLite database with the demo data set (users alice, clerk;
olga and oscar, officers; password exportctl-demo). Covered: logging in; entering an order that the Korea
measures block, an officer adding the individual licence, redetermination and release; two officers releasing
another blocked order with a reason; reviewing a screening hit; picking the regime. Screenshots of the key pages
are kept in tests/artifacts/screenshots/ as test artefacts (tests/support/browser.py).

Chromium is Debian's package (`make test` installs it with apt when missing); without it these tests fail.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from exportctl.screening.screener import Screener
from exportctl.store import db as store
from exportctl.store.models import Order
from tests.support.browser import Served, browser_page, chromium, log_in, log_out, served_demo, shot


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, screener: Screener) -> Iterator[Served]:
    with served_demo(tmp_path_factory.mktemp("browser"), screener) as served:
        yield served


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser, server: Served) -> Iterator[Page]:
    with browser_page(browser, server.base) as opened:
        yield opened


def test_login(page: Page) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login"))  # pages need a login
    page.locator("input[name=name]").fill("alice")
    page.locator("input[name=password]").fill("not the password")
    page.locator("form[action='/login'] button").click()
    expect(page.locator(".flash.error")).to_be_visible()
    expect(page.locator(".who")).to_have_count(0)

    log_in(page, "alice")
    expect(page).to_have_url(re.compile(r"/$"))
    cookie = next(c for c in page.context.cookies() if c["name"] == "exportctl")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    shot(page, "dashboard")


def test_order_blocked_until_an_officer_adds_the_licence(page: Page) -> None:
    # EUV resist for Seorae (KR) after 2019-08-28: an individual licence is needed, and the demo licence book
    # has none for Seorae and resist (IND-2019-KR-0903 covers only EMK-FPI20).
    log_in(page, "alice")
    page.goto("/orders/new")
    form = page.locator("#order-form")
    form.locator("input[name=number]").fill("SO-2019-0901")
    form.locator("input[name=ship_date]").fill("2019-09-20")
    form.locator("input[name=destination]").fill("KR")
    form.locator("select[name=consignee]").select_option("KR-SEORAE")
    form.locator("select[name=end_user]").select_option("KR-SEORAE")
    form.locator("input[name=end_use]").fill("EUV lithography pilot line")
    line = form.locator("#lines tr.line").first
    line.locator("select[name=line_item]").select_option("EMK-R100")
    line.locator("input[name=line_quantity]").fill("50")
    line.locator("input[name=line_value_jpy]").fill("10000000")
    line.locator("input[name=line_value_jpy]").dispatch_event("change")
    live = page.locator("#live")
    expect(live.locator(".verdict .badge.outcome-licence_required")).to_be_visible()  # the live determination
    expect(live).to_contain_text("KR")
    shot(page, "order_entry")

    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/orders/SO-2019-0901$"))
    expect(page.locator("h1 .badge.status-blocked")).to_be_visible()
    expect(page.locator(".badge.block")).to_have_count(1)
    expect(page.locator("#release")).to_have_count(0)  # a clerk cannot release
    shot(page, "order_detail_blocked")
    log_out(page)

    log_in(page, "olga")
    page.goto("/licences")
    page.locator("details.card > summary").click()
    add = page.locator("form[action='/licences']")
    add.locator("select[name=type]").select_option("individual")
    add.locator("input[name=number]").fill("IND-2019-KR-0920")
    add.locator("input[name=holder]").fill("Example Materials K.K.")
    add.locator("input[name=valid_from]").fill("2019-09-01")
    add.locator("input[name=valid_to]").fill("2020-02-29")
    add.locator("input[name=destinations]").fill("KR")
    add.locator("input[name=consignees]").fill("KR-SEORAE")
    add.locator("input[name=items]").fill("EMK-R100")
    add.locator("input[name=quantity_limit]").fill("100")
    add.locator("input[name=value_limit_jpy]").fill("20000000")
    add.locator("button.primary").click()
    expect(page).to_have_url(re.compile(r"/licences/IND-2019-KR-0920$"))
    expect(page.locator("h1")).to_contain_text("IND-2019-KR-0920")
    page.goto("/licences")
    expect(page.locator("a[href='/licences/IND-2019-KR-0920']")).to_be_visible()
    shot(page, "licence_book")

    page.goto("/orders/SO-2019-0901")
    page.locator("form[action='/orders/SO-2019-0901/determine'] button").click()
    expect(page.locator("h1 .badge.status-released")).to_be_visible()
    expect(page.locator("table.grid a[href='/licences/IND-2019-KR-0920']")).to_be_visible()
    shot(page, "order_detail_released")


def test_officer_releases_a_blocked_order_with_a_reason(page: Page, server: Served) -> None:
    """Issue 10: a reason lifts only an overridable block (not licence-needed), and two officers are needed by
    default: the page says "awaiting second approval (1 of 2)" after the first."""
    number = blocked_as_indeterminate(server.database_url)
    log_in(page, "olga")
    page.goto(f"/orders/{number}")
    expect(page.locator("h1 .badge.status-blocked")).to_be_visible()
    page.locator("#release textarea[name=reason]").fill("End use confirmed by the customer's letter")
    page.locator("#release button").click()
    expect(page.locator("main")).to_contain_text("awaiting second approval (1 of 2)")
    expect(page.locator("h1 .badge.status-blocked")).to_be_visible()
    log_out(page)
    log_in(page, "oscar")
    page.goto(f"/orders/{number}")
    page.locator("#release textarea[name=reason]").fill("Letter checked")
    page.locator("#release button").click()
    expect(page.locator("h1 .badge.status-released")).to_be_visible()
    expect(page.locator("main")).to_contain_text("End use confirmed by the customer's letter")
    expect(page.locator("main")).to_contain_text("olga")


def blocked_as_indeterminate(database_url: str) -> str:
    """A demo order blocked only because its determination is indeterminate, read from the server's database."""
    with store.session(database_url) as db:
        for order in db.scalars(select(Order).where(Order.status == "blocked").order_by(Order.number)):
            if order.blocking_reasons == ["indeterminate"]:
                return order.number
    raise AssertionError("the demo data set has no order blocked as indeterminate only")


def test_screening_review(page: Page) -> None:
    # 'Golden Star Trading Co., Ltd.' (CN) resembles a listed entity: an open hit for an officer to review.
    log_in(page, "olga")
    page.goto("/screening")
    card = page.locator("#party-CN-GOLDSTAR")
    expect(card.locator(".hit").first).to_be_visible()
    shot(page, "screening_workbench")
    hits_before = card.locator(".hit").count()
    first = card.locator(".hit").first
    first.locator("input[name=reason]").fill("Different entity: Chinese trading house, not the listed Syrian firm")
    first.locator("button[value=false-positive]").click()
    expect(page).to_have_url(re.compile(r"/screening"))
    reviewed = page.locator("table.grid tr", has_text="Golden Star Trading")
    expect(reviewed.locator(".badge.hit-false-positive")).to_be_visible()
    expect(reviewed).to_contain_text("not the listed Syrian firm")
    expect(reviewed).to_contain_text("olga")
    expect(page.locator("#party-CN-GOLDSTAR .hit")).to_have_count(hits_before - 1)


def test_regime_browser(page: Page) -> None:
    log_in(page, "alice")
    page.goto("/regime?date=2019-08-28")
    expect(page.locator("main")).to_contain_text("2019-08-28")
    shot(page, "regime_browser")
    page.goto("/regime/diff?from=2019-08-27&to=2019-08-28")
    removed = page.locator("#changes tr", has_text="table-3/KR")
    expect(removed.locator(".tag.change-removed")).to_be_visible()
    expect(removed).to_contain_text("Cabinet Order No. 71 of 2019")
    shot(page, "regime_diff")


def test_picking_a_regime_in_the_header_and_in_the_licence_form(page: Page) -> None:
    """Issue 12: the header's picker reloads the page under the regime picked (and remembers it); the licence
    form lists the licence types of the regime picked in it."""
    log_in(page, "olga")
    page.goto("/regime?date=2025-11-15")
    expect(page.locator("main")).to_contain_text("Group B")
    page.locator(".regime-picker select[name=regime]").select_option("eu")
    expect(page).to_have_url(re.compile(r"/regime\?date=2025-11-15$"))
    expect(page.locator("main")).to_contain_text("EU member states")
    shot(page, "regime_browser_eu")
    page.goto("/licences")
    page.locator("details.card > summary").click()
    add = page.locator("form[action='/licences']")
    expect(add.locator("select[name=type] option[value=EU001]")).to_have_count(1)
    add.locator("select[name=regime]").select_option("jp")
    expect(add.locator("select[name=type] option[value=general-bulk]")).to_have_count(1)
    expect(add.locator("select[name=type] option[value=EU001]")).to_have_count(0)
