"""A licence's attachments in a real browser (Chromium): an officer (olga, of the demo) attaches the scanned licence
on the licence page, in English and in Japanese, sees it listed, downloads it (saved, never opened in the page), and
removes it; the page has no serious accessibility violation with the list and the form on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from exportctl.screening.screener import Screener
from exportctl.store import db as store
from exportctl.store.models import Licence
from tests.support.browser import browser_page, chromium, log_in, served_demo, shot, violations

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, screener: Screener) -> Iterator[tuple[str, str]]:
    with served_demo(tmp_path_factory.mktemp("attach"), screener) as demo:
        with store.session(demo.database_url) as db:
            number = db.scalars(select(Licence.number).order_by(Licence.number)).first()
        assert number is not None
        yield demo.base, number


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Browser, served: tuple[str, str]) -> Iterator[Page]:
    with browser_page(browser, served[0]) as opened:
        yield opened


@pytest.mark.parametrize("language", ["en", "ja"])
def test_an_officer_attaches_downloads_and_removes_the_scanned_licence(
    page: Page, served: tuple[str, str], tmp_path: Path, language: str
) -> None:
    base, number = served
    log_in(page, "olga")
    page.goto(f"/lang/{language}?next=/licences/{number}")
    expect(page.locator("html")).to_have_attribute("lang", language)
    name = "許可証の写し.pdf" if language == "ja" else "scanned licence.pdf"
    scan = tmp_path / name
    scan.write_bytes(PDF)
    section = page.locator("#attachments")
    section.locator("input[type=file][name=file]").set_input_files(str(scan))
    section.locator("form[enctype='multipart/form-data'] button").click()
    expect(page).to_have_url(f"{base}/licences/{number}#attachments")
    link = section.get_by_role("link", name=name)
    expect(link).to_be_visible()
    assert not violations(page)
    shot(page, f"licence-attachments-{language}")

    with page.expect_download() as downloading:
        link.click()
    download = downloading.value
    assert download.suggested_filename == name  # the RFC 5987 name, Japanese included
    saved = tmp_path / "saved.pdf"
    download.save_as(saved)
    assert saved.read_bytes() == PDF
    expect(page).to_have_url(f"{base}/licences/{number}#attachments")  # saved, not opened in the page

    section.locator("form[action$='/remove'] button").first.click()
    expect(section.get_by_role("link", name=name)).to_have_count(0)


def test_a_clerk_sees_no_upload_form(page: Page, served: tuple[str, str]) -> None:
    log_in(page, "alice")
    page.goto(f"/licences/{served[1]}")
    expect(page.locator("#attachments")).to_be_visible()
    expect(page.locator("#attachments input[type=file]")).to_have_count(0)
