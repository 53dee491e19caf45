"""What the browser tests share: Debian's Chromium driven by Playwright against a live server holding the demo data
set (users alice, clerk; olga and oscar, officers; password exportctl-demo), logging in through the form,
screenshots kept in tests/artifacts/screenshots/ (git-ignored) and the axe-core check.

Chromium is Debian's package (`make test` installs it with apt when missing); EXPORTCTL_CHROMIUM points at another.
axe-core is vendored beside this file (axe.min.js, MPL-2.0, see axe.LICENSE), for the tests only. The test modules
keep their fixtures thin: `served_demo`, `chromium` and `browser_page` below do the work.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from exportctl.demo import DEMO_PASSWORD
from exportctl.http.app import create_app
from exportctl.screening.screener import Screener
from exportctl.store import db as store
from tests.support.apiclient import live_server
from tests.support.demo_db import demo_database

CHROMIUM = Path(os.environ.get("EXPORTCTL_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).parents[1] / "artifacts" / "screenshots"
AXE = (Path(__file__).parent / "axe.min.js").read_text(encoding="utf-8")
BLOCKING = {"serious", "critical"}  # axe-core impacts that fail a test
TIMEOUT_MS = 30_000  # generous: CI machines are small and busy
expect.set_options(timeout=TIMEOUT_MS)


@dataclass(frozen=True)
class Served:
    base: str
    database_url: str


@contextmanager
def served_demo(folder: Path, screener: Screener, prepare: Callable[[str], None] | None = None) -> Iterator[Served]:
    """The web application on a free loopback port over a new SQLite copy of the demo data set; `prepare` gets the
    database URL first, to add what a module needs."""
    url = demo_database(folder, screener)
    if prepare is not None:
        prepare(url)
    with live_server(create_app(url, screener)) as base:
        yield Served(base, url)
    store.engine(url).dispose()


@contextmanager
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: the browser tests need Debian's chromium package "
            "(`make test` installs it: apt-get install -y chromium), or EXPORTCTL_CHROMIUM pointing at one."
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@contextmanager
def browser_page(browser: Browser, base: str) -> Iterator[Page]:
    """A page in a context of its own (its own cookies): one user's browser. tests/http/conftest.py gives every
    test a fresh login rate limiter, which the server thread reads at each login."""
    context = browser.new_context(base_url=base, viewport={"width": 1400, "height": 1000}, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def log_in(page: Page, name: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login")
    page.locator("form[action='/login'] input[name=name]").fill(name)
    page.locator("form[action='/login'] input[name=password]").fill(password)
    page.locator("form[action='/login'] button").click()
    expect(page.locator(".who")).to_contain_text(name)


def log_out(page: Page) -> None:
    page.locator("form[action='/logout'] button").click()
    expect(page).to_have_url(re.compile(r"/login"))


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
