"""The printable determination record of an order (issue 16): `GET /orders/{number}/record`.

Expected values come from the inputs: the demo order to the UAE whose end user is on METI's End User List (the
hit's list version is that of the shipped list file, the citation that of the pack's source file), the ledger
rows the order's determination wrote, and the releases and reviews the tests give. The browser test prints the
record to PDF with Chromium and checks it has a page per section.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from playwright.sync_api import Browser
from sqlalchemy import select

from exportctl import ledger
from exportctl.http.app import create_app
from exportctl.http.web.i18n import MESSAGES
from exportctl.screening.entities import LoadedList
from exportctl.screening.screener import Screener
from exportctl.services import actors, auth, orders, records
from exportctl.services.actors import Actor, Role
from exportctl.store import db as store
from exportctl.store.models import AuditRecord, Order, Party
from tests.support.apiclient import live_server
from tests.support.browser import chromium as launch_chromium
from tests.support.demo_db import demo_database
from tests.support.web_client import VIEWER, logged_in

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "src" / "exportctl" / "http" / "web" / "templates" / "order_record.html"
SOURCES = ROOT / "src" / "exportctl" / "packs" / "jp" / "sources" / "core.yaml"
AE_ORDER = "SO-2019-0601"  # the demo's machining centre to Delta Engineering Concern FZE (End User List)
DELTA = "Delta Engineering Concern FZE"


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory, screener: Screener) -> Iterator[str]:
    url = demo_database(tmp_path_factory.mktemp("record"), screener)
    with store.session(url) as db:
        records.add_user(db, actors.SYSTEM, VIEWER[0], "viewer")
        auth.set_password(db, actors.SYSTEM, VIEWER[0], VIEWER[1])
    yield url
    store.engine(url).dispose()


@pytest.fixture(scope="module")
def app(database: str, screener: Screener) -> object:
    return create_app(database_url=database, screener=screener)


def text_of(page: str) -> str:
    """The page's text with tags dropped and entities decoded, whitespace collapsed: what a reader sees."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def source(key: str) -> dict[str, str]:
    found: dict[str, str] = yaml.safe_load(SOURCES.read_text(encoding="utf-8"))["sources"][key]
    return found


def eul_version(lists: list[LoadedList]) -> str:
    return next(loaded.version for loaded in lists if loaded.list_id == "jp-eul")


# --- content --------------------------------------------------------------------------------------------------


def test_record_of_the_uae_order_has_the_hit_the_citation_and_the_ledger_record(
    app: object, database: str, shipped_lists: list[LoadedList]
) -> None:
    page = logged_in(app, *VIEWER).get(f"/orders/{AE_ORDER}/record")
    assert page.status_code == 200
    shown = text_of(page.text)
    # Header and lines, as the demo entered them.
    assert AE_ORDER in shown and "AE" in shown and "Pump housings" in shown and "hs:8457.10" in shown
    # The end user's hit on METI's End User List, in the version of the shipped file, with its explanation.
    hits = text_of(page.text.split('id="record-hits"')[1].split("</section>")[0])
    assert "jp-eul" in hits and eul_version(shipped_lists) in hits and DELTA in hits
    assert "End user" in hits and "Consignee" in hits and ("open" in hits or "confirmed" in hits)
    assert "Aligned tokens" in hits  # the explanation: which tokens matched which
    # The WMD catch-all, cited as the pack's source gives it: instrument and URL.
    catch_all = source("jp.meti.catchall")
    assert "catch-all:wmd-end-user" in shown
    assert catch_all["instrument"] in shown and catch_all["url"] in shown
    # Pack and list versions used, and the ledger record of this determination (what `audit verify` checks).
    with store.session(database) as db:
        order = db.scalars(select(Order).where(Order.number == AE_ORDER)).one()
        determined = db.scalars(
            select(AuditRecord)
            .where(AuditRecord.subject == f"order:{AE_ORDER}", AuditRecord.action == "order.determine")
            .order_by(AuditRecord.id.desc())
        ).first()
        assert determined is not None and ledger.verify(db).ok
        assert order.pack_version in shown and order.determination_sha256 in shown
        ledger_part = text_of(page.text.split('id="record-ledger"')[1].split("</table>")[0])
        assert str(determined.id) in ledger_part.split() and determined.hash in ledger_part
        for list_id, version in determined.list_versions.items():
            assert f"{list_id} {version}" in text_of(page.text.split('id="record-list-versions"')[1])
    # Printed at and by whom; the signature lines; no navigation, no script.
    assert re.search(r"Printed \d{4}-\d\d-\d\d \d\d:\d\d UTC by vera", shown)
    assert "Prepared by" in shown and "Approved by" in shown and shown.count("Signature") >= 3
    assert "<nav" not in page.text and "<script" not in page.text and "<form" not in page.text
    assert 'href="/static/record.css"' in page.text


def test_every_reason_with_a_source_is_cited_with_its_date(app: object, database: str) -> None:
    """Each reason of each line and of the order shows its instrument, article, URL and date in force."""
    shown = text_of(logged_in(app, *VIEWER).get(f"/orders/{AE_ORDER}/record").text)
    with store.session(database) as db:
        determination = db.scalars(select(Order).where(Order.number == AE_ORDER)).one().determination
    reasons = [*determination["reasons"], *(r for line in determination["lines"] for r in line["reasons"])]
    cited = [r["source"] for r in reasons if r["source"]]
    assert cited
    for found in cited:
        assert found["instrument"] in shown and found["url"] in shown
        if found.get("article"):
            assert f"{found['instrument']}, {found['article']}" in shown
        if found.get("in_force"):
            assert f"in force from {found['in_force']}" in shown


def test_release_decisions_and_hit_reviews_are_in_the_record(app: object, database: str, screener: Screener) -> None:
    """Two officers release the order blocked by a screening hit; an officer confirms the UAE end user's hit:
    the records name who decided, when and why."""
    with store.session(database) as db:
        blocked = db.scalars(select(Order).where(Order.blocking_reasons.is_not(None), Order.status == "blocked"))
        number = next(o.number for o in blocked if o.blocking_reasons == ["screening-hit"])
        orders.release_order(db, Actor("olga", Role.OFFICER), number, "End user's letter of assurance on file")
        orders.release_order(db, Actor("oscar", Role.OFFICER), number, "Letter checked against the contract")
        delta = db.scalars(select(Party).where(Party.name == DELTA)).one()
        hit = next(h for h in delta.hits if h.list_id == "jp-eul")
        records.review_hit(db, Actor("olga", Role.OFFICER), hit.id, "confirmed", "Same entity as EUL no. 5", screener)
    browser = logged_in(app, *VIEWER)
    released = text_of(browser.get(f"/orders/{number}/record").text.split('id="record-releases"')[1])
    assert "olga" in released and "oscar" in released
    assert "End user's letter of assurance on file" in released and "Letter checked against the contract" in released
    assert "Screening hit" in released
    assert re.search(r"olga \d{4}-\d\d-\d\d \d\d:\d\d UTC", released)
    hits = text_of(browser.get(f"/orders/{AE_ORDER}/record").text.split('id="record-hits"')[1].split("</section>")[0])
    assert "confirmed" in hits and "olga" in hits and "Same entity as EUL no. 5" in hits


def test_partial_shipments_are_in_the_record(app: object, database: str) -> None:
    """A clerk ships part of a released demo order with a licensed line, twice: the record lists each part with its
    date, line, quantity, the licence the line drew and who recorded it; an order with no part says so."""
    today = dt.date.today()
    with store.session(database) as db:
        candidates = db.scalars(select(Order).where(Order.status == "released", Order.ship_date <= today))
        order = next(
            o
            for o in candidates
            if all(line.quantity and line.quantity >= 2 for line in o.lines) and any(line.licence for line in o.lines)
        )
        number, ship_date = order.number, order.ship_date
        line = next(line for line in order.lines if line.licence)
        line_no, licence = line.line_no, line.licence.number if line.licence else ""
    clerk = Actor("alice", Role.CLERK)
    for key in ("part-a", "part-b"):
        with store.session(database) as db:
            orders.ship_part(db, clerk, number, {line_no: 1.0}, ship_date, key)
    page = logged_in(app, *VIEWER).get(f"/orders/{number}/record").text
    parts = page.split('id="record-part-shipments"')[1].split("</table>")[0]
    rows = [text_of(row) for row in parts.split("<tr>")[2:]]
    assert len(rows) == 2
    for row in rows:
        assert row.startswith(f"{ship_date.isoformat()} {line_no} 1 ") and licence in row and "alice" in row
    other = logged_in(app, *VIEWER).get(f"/orders/{AE_ORDER}/record").text
    assert 'id="record-no-parts"' in other and "No part of the order has shipped separately." in text_of(other)


def test_the_order_page_links_to_its_record(app: object) -> None:
    page = logged_in(app, *VIEWER).get(f"/orders/{AE_ORDER}")
    assert f'href="/orders/{AE_ORDER}/record"' in page.text and "Print record" in page.text


# --- Japanese -------------------------------------------------------------------------------------------------


def test_record_in_japanese(app: object) -> None:
    page = logged_in(app, *VIEWER).get(f"/orders/{AE_ORDER}/record?lang=ja")
    assert page.status_code == 200 and '<html lang="ja">' in page.text
    shown = text_of(page.text)
    for key in ("record.title", "record.screening", "record.decisions", "record.prepared_by", "record.approved_by"):
        assert MESSAGES[key][1] in shown
    assert "Determination record" not in shown and "Prepared by" not in shown


def test_every_key_of_the_record_is_in_both_languages() -> None:
    keys = set(re.findall(r"t\('([a-z_]+\.[a-z_]+)'[,)]", TEMPLATE.read_text(encoding="utf-8")))
    assert {"record.title", "record.signatures"} <= keys
    for key in keys:
        assert key in MESSAGES, key
        english, japanese = MESSAGES[key]
        assert english and japanese, key


# --- who may read it ------------------------------------------------------------------------------------------


def test_signed_out_readers_are_sent_to_log_in(app: object) -> None:
    answer = TestClient(app, follow_redirects=False).get(f"/orders/{AE_ORDER}/record")  # type: ignore[arg-type]
    assert answer.status_code in (303, 401)
    assert DELTA not in answer.text


def test_unknown_and_hostile_order_numbers_are_not_found(app: object) -> None:
    browser = logged_in(app, *VIEWER)
    assert browser.get("/orders/SO-NONE/record").status_code == 404
    hostile = browser.get("/orders/%3Cscript%3Ealert(1)%3C%2Fscript%3E/record")
    assert hostile.status_code == 404 and "<script>alert(1)</script>" not in hostile.text


def test_a_record_is_read_only(app: object) -> None:
    browser = logged_in(app, "alice")
    assert browser.post(f"/orders/{AE_ORDER}/record").status_code in (403, 405)


# --- printed to PDF -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with launch_chromium() as launched:
        yield launched


def test_record_prints_to_a_pdf_of_a4_pages(app: object, chromium: Browser) -> None:
    with live_server(app) as base:  # type: ignore[arg-type]
        context = chromium.new_context(base_url=base, locale="en-GB")
        page = context.new_page()
        page.goto("/login")
        page.locator("form[action='/login'] input[name=name]").fill(VIEWER[0])
        page.locator("form[action='/login'] input[name=password]").fill(VIEWER[1])
        page.locator("form[action='/login'] button").click()
        page.wait_for_url(re.compile(r"/$"))
        page.goto(f"/orders/{AE_ORDER}/record")
        page.emulate_media(media="print")
        pdf = page.pdf(prefer_css_page_size=True)
        context.close()
    assert pdf.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
    # One page at least for each section: order, determination, screening, decisions, signatures.
    assert pages >= 5, pages
    a4 = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert a4 is not None and abs(float(a4.group(1)) - 595.3) < 2 and abs(float(a4.group(2)) - 841.9) < 2
