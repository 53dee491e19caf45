"""Changing an order in Chromium (issue 16), in English and in Japanese: from the order page's Edit link to the
form filled in with the order (its live determination computed on load), a changed end use and an added line
saved, and the order page showing the change. A screenshot of the edit page per language is kept beside the other
browser tests' screenshots (tests/artifacts/screenshots/).

The added line is roasted coffee (HS 0901.21): chapter 9 is in no row of Appended Table 1 and outside the
chapters of the catch-all row 16, so the order's status does not change with it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from exportctl.http.web.i18n import COOKIE, MESSAGES
from exportctl.screening.screener import Screener
from exportctl.services import orders
from exportctl.store import db as store
from exportctl.store.models import Order
from tests.support.browser import Served, browser_page, chromium, log_in, served_demo, shot, violations


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, screener: Screener) -> Iterator[Served]:
    with served_demo(tmp_path_factory.mktemp("edit"), screener) as served:
        yield served


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser, server: Served) -> Iterator[Page]:
    with browser_page(browser, server.base) as opened:
        yield opened


def released_orders(database_url: str, count: int) -> list[str]:
    """Released demo orders of one line with nothing shipped: each language edits its own."""
    with store.session(database_url) as db:
        found = [
            o.number
            for o in db.scalars(select(Order).where(Order.status == "released").order_by(Order.number))
            if len(o.lines) == 1 and o.regime == "jp" and not o.also_under
        ]
    assert len(found) >= count, found
    return found[:count]


def text(key: str, lang: str, **values: str) -> str:
    english, japanese = MESSAGES[key]
    return (japanese if lang == "ja" else english).format(**values)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_clerk_changes_an_order_in_the_browser(page: Page, server: Served, lang: str) -> None:
    page.context.add_cookies([{"name": COOKIE, "value": lang, "url": server.base}])  # the header's switch remembers
    number = released_orders(server.database_url, 2)[0 if lang == "en" else 1]
    log_in(page, "alice")
    page.goto(f"/orders/{number}")
    page.locator("#edit-link").click()
    expect(page.locator("h1")).to_contain_text(text("edit.title", lang, number=number))
    form = page.locator("#order-form")
    expect(form.locator("input[name=number]")).to_have_value(number)
    expect(form.locator("input[name=number]")).to_have_attribute("readonly", "")
    expect(page.locator("#live")).to_contain_text(text("entry.not_stored", lang))  # determined on load
    shot(page, f"order_edit_{lang}")
    page.wait_for_load_state("networkidle")
    assert not violations(page), violations(page)  # axe-core: no serious or critical violation

    end_use = f"Changed in the browser ({lang})"
    form.locator("input[name=end_use]").fill(end_use)
    page.get_by_role("button", name=text("entry.add_line", lang)).click()
    new_line = form.locator("tr.line").nth(1)
    new_line.locator("input[name=line_reference]").fill("hs:0901.21")
    new_line.locator("input[name=line_quantity]").fill("10")
    new_line.locator("input[name=line_value_jpy]").fill("12,000,000")
    page.get_by_role("button", name=text("edit.submit", lang)).click()

    expect(page).to_have_url(f"{server.base}/orders/{number}")
    expect(page.locator("main")).to_contain_text(text("edit.saved", lang, number=number))
    expect(page.locator("main")).to_contain_text(end_use)
    expect(page.locator("main")).to_contain_text("hs:0901.21")
    with store.session(server.database_url) as db:
        order = orders.order_by_number(db, number)
        assert order.end_use == end_use and order.status == "released"
        assert [(line.reference, line.quantity, line.value_jpy) for line in order.lines][1] == (
            "hs:0901.21",
            10.0,
            12_000_000,
        )
