"""Accessibility and feedback in a real browser (issue 16): axe-core finds no serious or critical violation on
the main pages, in English and Japanese; the keyboard reaches the content through the skip link; typing in the
order form logs no console error and shows the live determination busy while it is computed; the API docs work
with every request to another host refused (offline); no request of a page answers 404 (the favicon).

axe-core is vendored in tests/support/axe.min.js (MPL-2.0, see axe.LICENSE there), for these tests only. The
setup follows tests/http/test_browser.py: Debian's Chromium against a live server with the demo data set.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Response, Route, expect, sync_playwright

from exportctl.demo import DEMO_PASSWORD
from exportctl.http.app import create_app
from exportctl.screening.screener import Screener
from exportctl.services import auth
from exportctl.store import db as store
from tests.support.apiclient import live_server
from tests.support.demo_db import demo_database

CHROMIUM = Path(os.environ.get("EXPORTCTL_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
AXE = (Path(__file__).parents[1] / "support" / "axe.min.js").read_text(encoding="utf-8")
# The pages the issue names; an order of the demo data set (blocked by the 2019 Korea measures).
PAGES = (
    "/",
    "/orders",
    "/orders/SO-2019-0104",
    "/orders/new",
    "/licences",
    "/screening",
    "/worklists/blocked",
)
BLOCKING = {"serious", "critical"}
expect.set_options(timeout=30_000)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, screener: Screener) -> Iterator[str]:
    url = demo_database(tmp_path_factory.mktemp("a11y"), screener)
    with live_server(create_app(url, screener)) as served:
        yield served
    store.engine(url).dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium, or set EXPORTCTL_CHROMIUM)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, base: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Page]:
    monkeypatch.setattr(auth, "LIMITER", auth.RateLimiter())
    context = browser.new_context(base_url=base, viewport={"width": 1400, "height": 1000}, locale="en-GB")
    context.set_default_timeout(30_000)
    opened = context.new_page()
    yield opened
    context.close()


def log_in(page: Page, name: str = "alice") -> None:
    page.goto("/login")
    page.locator("form[action='/login'] input[name=name]").fill(name)
    page.locator("form[action='/login'] input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form[action='/login'] button").click()
    expect(page.locator(".who")).to_contain_text(name)


def violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations of the page as loaded, one line each with the nodes."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)  # through the debugging protocol: the page's CSP (scripts from this site) still holds
    found: list[dict[str, Any]] = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']} — " + "; ".join(str(n["target"]) for n in v["nodes"])
        for v in found
        if v["impact"] in BLOCKING
    ]


def test_the_main_pages_have_no_serious_accessibility_violation(page: Page) -> None:
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    page.goto("/login")
    found = violations(page)
    log_in(page)
    for path in PAGES:
        page.goto(path)
        page.wait_for_load_state("networkidle")  # the live parts (htmx) have answered
        found += violations(page)
    page.goto("/lang/ja?next=/orders/new")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    page.wait_for_load_state("networkidle")
    found += violations(page)
    assert not found, "\n".join(found)
    assert not missing, missing  # the favicon above all: browsers ask for it on every page


def test_the_keyboard_skips_to_the_content(page: Page) -> None:
    log_in(page)
    page.goto("/orders")
    page.keyboard.press("Tab")  # the first stop on every page is the skip link
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # visible while focused, off screen otherwise
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_typing_an_order_logs_no_console_error_and_the_live_part_shows_it_is_busy(page: Page) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page)
    page.goto("/orders/new")
    form = page.locator("#order-form")
    live = page.locator("section[aria-live]")
    busy: list[str | None] = []

    def slow(route: Route) -> None:  # hold the answer until the busy state is seen
        busy.append(live.get_attribute("aria-busy"))
        route.continue_()

    page.route("**/orders/new/check", slow)
    form.locator("input[name=ship_date]").fill("2019-09-20")
    form.locator("input[name=destination]").press_sequentially("KR", delay=80)
    form.locator("select[name=consignee]").select_option("KR-SEORAE")
    form.locator("input[name=end_use]").press_sequentially("EUV lithography pilot line", delay=40)
    line = form.locator("#lines tr.line").first
    line.locator("select[name=line_item]").select_option("EMK-R100")
    line.locator("input[name=line_value_jpy]").press_sequentially("１２，０００，０００", delay=40)  # full-width
    expect(page.locator("#live .verdict .badge.outcome-licence_required")).to_be_visible()
    expect(live).not_to_have_attribute("aria-busy", "true")  # the indicator is gone when the answer is in
    assert "true" in busy  # and was there while a request was in flight
    page.wait_for_load_state("networkidle")
    assert not errors, errors


def test_the_api_docs_work_offline(page: Page, base: str) -> None:
    elsewhere: list[str] = []

    def offline(route: Route) -> None:
        if route.request.url.startswith(base):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", offline)
    failed: list[Response] = []
    page.on("response", lambda r: failed.append(r) if r.status >= 400 else None)
    log_in(page)
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("exportctl")
    expect(page.locator(".opblock").first).to_be_visible()  # the operations, read from openapi.json
    assert not elsewhere, elsewhere
    assert not [r.url for r in failed]


def test_a_console_message_is_an_error_only_when_it_says_so(page: Page) -> None:
    # Guards the console listener above: a page's console.error reaches it with type "error".
    seen: list[ConsoleMessage] = []
    page.on("console", lambda message: seen.append(message))
    page.goto("/login")
    page.evaluate("console.error('probe')")
    expect(page.locator("form[action='/login']")).to_be_visible()
    assert [m.type for m in seen if m.text == "probe"] == ["error"]
    assert re.search(r"/static/favicon\.svg$", page.locator("link[rel=icon]").get_attribute("href") or "")
