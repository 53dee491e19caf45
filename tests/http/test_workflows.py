"""Every workflow of issue 16 in a real browser, in English and in Japanese: a clerk, an officer and an admin each do
their whole job in the web application, without the CLI.

- clerk: the blocked orders worklist (filter, sort, page; CSV and Excel downloads: headers and first rows), a
  party's page (status, hits, its unshipped orders; the address), entering an order, changing it, shipping part of
  it and its printable record;
- officer: reviewing a screening hit and re-opening it with a reason on the party page; an exhausted licence in the
  book, a licence near expiry on the worklist, attaching the scanned licence; the audit trail of an order, a party
  and a licence with its verification; the impact of a rule change on the open orders, with their status now;
- admin: adding a user, changing the role, deactivating and reactivating, resetting the password, issuing an API
  token (shown once, working) and revoking it (no longer working); the release settings (four-eyes per reason).

The language is picked as a user picks it: the header's switch (a cookie), on the login page. Each step keeps a
screenshot, tests/artifacts/screenshots/<workflow>-<lang>.png, and runs axe-core on the page (no serious or
critical violation). In Japanese the labels asserted are the catalogue's (http/web/i18n.py) and no English UI
text is left on any page visited (the checker of tests/http/test_japanese_pages.py).

Expected values come from the demo data set (demo.py) and the regulation: on 2019-08-28 Korea left Group A
(Cabinet Order No. 71 of 2019), so SO-2019-0105's fluorinated elastomer (5(17)) to Korea lost the general bulk
licence: "newly blocked"; the general bulk licence GB-2019-0042 covers 5(17) to Germany, a Group A destination;
a plastic tray (row 16 only) to Germany needs no licence.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import Browser, FilePayload, Page, expect

from exportctl.demo import DEMO_PASSWORD
from exportctl.http import deps
from exportctl.http.web import exports
from exportctl.http.web import worklists as worklist_pages
from exportctl.http.web.i18n import MESSAGES
from exportctl.screening.screener import Screener
from exportctl.services import actors, auth, orders, records
from exportctl.services.actors import Actor, Role
from exportctl.store import db as store
from tests.http.test_japanese_pages import ALLOWED, WORD, english_words, words_of_codes, words_of_data
from tests.support.browser import Served, browser_page, chromium, log_in, served_demo, shot, violations

LANGS = ("en", "ja")
ADMIN = ("ada", "admin-password-1")
NEAR_EXPIRY = "WALK-NEAR"  # expires within the worklist's 60 days
EXHAUSTED = "WALK-FULL"  # its value limit wholly drawn
# The demo's orders blocked for a licence (demo.py): Korea 2019 (HF to Seorae before any licence, the elastomer
# after 2019-08-28), the EUV resist to Taiwan, the machining centre to a listed end user in the UAE.
LICENCE_NEEDED = ["SO-2019-0102", "SO-2019-0105", "SO-2019-0201", "SO-2019-0601"]
# The newest of them: the machining centre to Delta Engineering Concern FZE (an End User List entity) in the UAE.
DELTA = "AE-DELTA Delta Engineering Concern FZE"
DELTA_ROW = ["SO-2019-0601", DELTA, DELTA, "AE"]
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
# The words users typed in these walks (reasons, end uses, addresses): data, which a Japanese page may show as typed
# (an English review reason in a hit's history); test_japanese_pages.words_of_data reads the rest from the records.
TYPED: set[str] = set()


def typed(text: str) -> str:
    TYPED.update(WORD.findall(text))
    return text


def say(lang: str, key: str, **values: Any) -> str:
    """The catalogue's text of `key` in `lang`."""
    text = MESSAGES[key][LANGS.index(lang)]
    return text.format(**values) if values else text


def prepare(url: str) -> None:
    """An admin (the demo has none), and two licences to watch, dated from today."""
    today = dt.date.today()
    officer = Actor("olga", Role.OFFICER)
    with store.session(url) as db:
        records.add_user(db, actors.SYSTEM, ADMIN[0], "admin")
        auth.set_password(db, actors.SYSTEM, *ADMIN)
        for number, valid_to, drawn in ((NEAR_EXPIRY, today + dt.timedelta(days=30), 0), (EXHAUSTED, None, 1)):
            licence = orders.add_licence(db, officer, regime="jp", type="individual", number=number,
                                         holder="Example Materials K.K.", destinations=["KR"], consignees=[],
                                         end_users=[], entries=[], items=[], quantity_limit=None,
                                         value_limit_jpy=1_000_000, valid_from=dt.date(2019, 1, 1),
                                         valid_to=valid_to or dt.date(2099, 12, 31))  # fmt: skip
            if drawn:
                orders.draw_down(db, officer, licence.id, 0.0, 1_000_000, None, on=today)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, screener: Screener) -> Iterator[Served]:
    with served_demo(tmp_path_factory.mktemp("workflows"), screener, prepare) as served:
        yield served


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def codes(screener: Screener) -> set[str]:
    return ALLOWED | words_of_codes(screener)


@dataclass
class Walk:
    """One user's walk in one language: each step is photographed, checked by axe and, in Japanese, read for
    English left; `done` fails with everything found."""

    page: Page
    lang: str
    role: str
    database_url: str
    codes: set[str] = field(repr=False)
    found: list[str] = field(default_factory=list)
    english: dict[str, set[str]] = field(default_factory=dict)

    def t(self, key: str, **values: Any) -> str:
        return say(self.lang, key, **values)

    def step(self, name: str) -> None:
        self.page.wait_for_load_state("networkidle")  # the live parts (htmx) have answered
        shot(self.page, f"{self.role}-{name}-{self.lang}")
        self.found += violations(self.page)
        expect(self.page.locator("html")).to_have_attribute("lang", self.lang)
        if self.lang == "ja":
            allowed = self.codes | TYPED | words_of_data(self.database_url)
            left = english_words(self.page.content(), allowed | {w.lower() for w in allowed})
            if left:
                self.english[f"{name} ({self.page.url})"] = left

    def done(self) -> None:
        assert not self.found, "\n".join(self.found)
        assert not self.english, f"English left on Japanese pages: {self.english}"


@pytest.fixture
def walk(request: pytest.FixtureRequest, browser: Browser, server: Served, codes: set[str]) -> Iterator[Walk]:
    lang, role, user = request.param
    password = ADMIN[1] if user == ADMIN[0] else DEMO_PASSWORD
    with browser_page(browser, server.base) as page:
        page.goto("/login")
        if lang == "ja":  # the header's switch, as a user picks the language
            page.locator("header a.lang").click()
            expect(page.locator("html")).to_have_attribute("lang", "ja")
            expect(page.locator("header a.lang")).to_have_text("English")
        log_in(page, user, password)
        yield Walk(page, lang, role, server.database_url, codes)


def walks(role: str, user: str) -> pytest.MarkDecorator:
    """The test walks as `user` (of `role`), once in each language."""
    return pytest.mark.parametrize("walk", [(lang, role, user) for lang in LANGS], indirect=True, ids=LANGS)


def nav(page: Page, href: str) -> None:
    page.locator(f"header nav a[href='{href}']").click()
    expect(page).to_have_url(re.compile(re.escape(href) + r"(\?.*)?$"))
    page.wait_for_load_state()  # its scripts (htmx) are ready for the user's clicks


def first_cells(page: Page) -> list[str]:
    return [text.strip() for text in page.locator("#worklist tbody tr td:first-child").all_inner_texts()]


# --- the clerk ------------------------------------------------------------------------------------------------


@walks("clerk", "alice")
def test_the_clerk_works_the_blocked_orders_and_downloads_them(walk: Walk, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worklist_pages, "PAGE_SIZE", 2)  # a page of two: the demo has four such orders
    page, t = walk.page, walk.t
    nav(page, "/worklists/blocked")
    expect(page.locator("h1")).to_have_text(t("wl.title.blocked"))
    page.locator("select[name=reason]").select_option("licence-needed")
    page.locator("form[role=search] button").click()
    expect(page).to_have_url(re.compile(r"reason=licence-needed"))
    number_column = page.locator("#worklist thead a", has_text=t("orders.number"))
    number_column.click()  # ascending
    expect(page.locator("#worklist thead th[aria-sort=ascending]")).to_contain_text(t("orders.number"))
    assert first_cells(page) == LICENCE_NEEDED[:2]
    page.locator("#worklist thead a", has_text=t("orders.number")).click()  # and round: descending
    expect(page.locator("#worklist thead th[aria-sort=descending]")).to_contain_text(t("orders.number"))
    newest_first = sorted(LICENCE_NEEDED, reverse=True)
    assert first_cells(page) == newest_first[:2]
    expect(page.locator("#worklist .badge.block").first).to_have_text(t("block.licence-needed"))
    page.locator(".pager a[rel=next]").click()
    expect(page.locator(".pager")).to_contain_text(t("pager.page", number=2, pages=2))
    assert first_cells(page) == newest_first[2:]
    walk.step("worklist")

    # The downloads: the whole filtered list in the page's order (not the page shown), headed in its language.
    header = [t("orders.number"), t("orders.consignee"), t("orders.end_user"), t("orders.destination")]
    csv_link = page.locator(".downloads a", has_text="CSV")
    with page.expect_download() as csv_download:
        csv_link.click()
    assert re.fullmatch(r"worklist-blocked-\d{4}-\d{2}-\d{2}\.csv", csv_download.value.suggested_filename)
    rows = list(csv.reader(io.StringIO(csv_download.value.path().read_text(encoding="utf-8-sig"))))
    assert rows[0][:4] == header
    assert rows[1][:4] == DELTA_ROW
    assert [row[0] for row in rows[1:]] == newest_first
    answer = page.request.get(csv_link.get_attribute("href") or "")
    assert answer.headers["content-type"] == exports.CSV_TYPE
    assert answer.headers["content-disposition"].startswith('attachment; filename="worklist-blocked-')
    assert answer.body().startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads the text as UTF-8

    xlsx_link = page.locator(".downloads a", has_text="Excel")
    with page.expect_download() as xlsx_download:
        xlsx_link.click()
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_download.value.path().read_bytes())).active
    assert sheet is not None and sheet.title == t("wl.title.blocked")[:31]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][:4] == header and values[1][:4] == DELTA_ROW
    answer = page.request.get(xlsx_link.get_attribute("href") or "")
    assert answer.headers["content-type"] == exports.XLSX_TYPE
    assert answer.headers["content-disposition"].startswith('attachment; filename="worklist-blocked-')
    walk.done()


@walks("clerk", "alice")
def test_the_clerk_reads_a_party_and_keeps_its_address(walk: Walk) -> None:
    page, t = walk.page, walk.t
    nav(page, "/parties")
    page.locator("a[href='/parties/CN-GOLDSTAR']").first.click()
    expect(page.locator("h1")).to_contain_text("Golden Star Trading Co., Ltd.")
    # Two open hits on the US SDN list: pending review, and its unshipped order blocked by them.
    expect(page.locator("#screening-status")).to_have_text(t("party.status.pending"))
    expect(page.locator(".hit .badge.hit-open")).to_have_count(2)
    expect(page.locator(".hit .badge.hit-open").first).to_have_text(t("hit.open"))
    expect(page.locator(".hit form")).to_have_count(0)  # reviewing is an officer's
    blocked = page.locator("section.card tr", has_text="SO-2019-0302")
    expect(blocked).to_contain_text(t("status.blocked"))
    expect(blocked).to_contain_text(t("block.screening-hit"))
    address = typed({"en": "88 Harbour Road\nShanghai", "ja": "上海市浦東新区港湾路88号"}[walk.lang])
    page.locator("textarea[name=address]").fill(address)
    page.locator("form[action$='/edit'] button.primary").click()
    expect(page.locator(".flash")).to_have_text(t("party.saved_address"))
    expect(page.locator("#party-address")).to_have_text(address)
    expect(page.locator(".hit .badge.hit-open")).to_have_count(2)  # the address is not screened
    walk.step("party")
    walk.done()


@walks("clerk", "alice")
def test_the_clerk_enters_changes_ships_part_of_an_order_and_prints_its_record(walk: Walk) -> None:
    page, t, lang = walk.page, walk.t, walk.lang
    number = f"SO-WALK-{lang.upper()}"
    nav(page, "/orders/new")
    expect(page.locator("h1")).to_have_text(t("entry.title"))
    form = page.locator("#order-form")
    form.locator("input[name=number]").fill(number)
    form.locator("input[name=ship_date]").fill("2019-10-01")
    form.locator("input[name=destination]").fill("DE")
    form.locator("select[name=consignee]").select_option("DE-RHEINFELD")
    form.locator("select[name=end_user]").select_option("DE-RHEINFELD")
    form.locator("input[name=end_use]").fill(typed({"en": "Wafer handling", "ja": "ウェーハ搬送"}[lang]))
    first = form.locator("#lines tr.line").nth(0)
    first.locator("select[name=line_item]").select_option("EMK-TRAY")
    first.locator("input[name=line_quantity]").fill("1000")
    first.locator("input[name=line_value_jpy]").fill("300000")
    blank = form.locator("#lines tr.line").count()
    form.locator("button", has_text=t("entry.add_line")).click()
    expect(form.locator("#lines tr.line")).to_have_count(blank + 1)
    second = form.locator("#lines tr.line").nth(1)
    second.locator("select[name=line_item]").select_option("EMK-PZE7")
    second.locator("input[name=line_quantity]").fill("30")
    second.locator("input[name=line_value_jpy]").fill("1800000")
    second.locator("input[name=line_value_jpy]").dispatch_event("change")
    expect(page.locator("#live .verdict .badge.outcome-licence_required")).to_be_visible()  # 5(17): listed
    walk.step("order-entry")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/orders/{number}$"))
    expect(page.locator("h1 .badge.status-released")).to_have_text(t("status.released"))
    expect(page.locator("table.grid tbody tr").nth(1)).to_contain_text("GB-2019-0042")  # general bulk: Group A
    walk.step("order")

    page.locator("#edit-link").click()
    expect(page.locator("h1")).to_have_text(t("edit.title", number=number))
    changed_use = typed({"en": "Wafer handling and storage", "ja": "ウェーハの搬送と保管"}[lang])
    page.locator("#order-form input[name=end_use]").fill(changed_use)
    walk.step("order-edit")
    page.locator("#order-form button[type=submit]").click()
    expect(page.locator(".flash")).to_have_text(t("edit.saved", number=number))
    expect(page.locator("main")).to_contain_text(changed_use)
    expect(page.locator("h1 .badge.status-released")).to_be_visible()

    ship = page.locator("#ship-part")
    ship.locator("input[name=quantity]").nth(0).fill("400")
    ship.locator("input[name=date]").fill("2019-10-02")
    ship.locator("button.primary").click()
    expect(page.locator(".flash")).to_have_text(t("orders.shipped_part", date="2019-10-02"))
    tray = page.locator("#ship-part tbody tr").nth(0)
    expect(tray.locator("td").nth(2)).to_have_text("400")  # shipped so far
    expect(tray.locator("td").nth(3)).to_have_text("600")  # remaining
    expect(page.locator("#edit-link")).to_have_count(0)  # once part of it has left, the order is not changed
    walk.step("ship-part")

    page.locator("#record-link").click()
    expect(page.locator("h1")).to_contain_text(t("record.title"))
    expect(page.locator("h1")).to_contain_text(number)
    expect(page.locator("#record-order")).to_contain_text(t("status.released"))
    expect(page.locator("#record-order")).to_contain_text(changed_use)
    parts = page.locator("#record-part-shipments tbody tr")
    expect(parts).to_have_count(1)
    expect(parts.first).to_contain_text("2019-10-02")
    expect(parts.first.locator("td").nth(2)).to_have_text("400")
    expect(page.locator("header nav")).to_have_count(0)  # printable: no navigation
    walk.step("record")
    walk.done()


# --- the officer ----------------------------------------------------------------------------------------------


@walks("officer", "olga")
def test_the_officer_reviews_a_hit_and_reopens_it_with_a_reason(walk: Walk) -> None:
    page, t, lang = walk.page, walk.t, walk.lang
    page.goto("/parties/CN-GOLDSTAR")
    hit = page.locator(".hit").first
    hit_id = hit.get_attribute("id")
    hit = page.locator(f"#{hit_id}")
    reviewed = typed({"en": "A trading house, not the listed firm", "ja": "商社であり、掲載された企業とは別"}[lang])
    hit.locator("form[action$='/review'] input[name=reason]").fill(reviewed)
    hit.locator("button[value=false-positive]").click()
    expect(page.locator(f"#{hit_id} .badge.hit-false-positive")).to_have_text(t("hit.false-positive"))
    expect(page.locator(f"#{hit_id}")).to_contain_text(reviewed)
    expect(page.locator(f"#{hit_id}")).to_contain_text("olga")
    walk.step("hit-review")

    reopened = typed({"en": "The list entry was amended", "ja": "リストの記載が改訂されたため"}[lang])
    page.locator(f"#{hit_id} form[action$='/reopen'] input[name=reason]").fill(reopened)
    page.locator(f"#{hit_id} form[action$='/reopen'] button").click()
    expect(page.locator(".flash")).to_have_text(t("party.reopened"))
    expect(page.locator(f"#{hit_id} .badge.hit-open")).to_have_text(t("hit.open"))
    expect(page.locator("#screening-status")).to_have_text(t("party.status.pending"))
    history = page.locator(f"#{hit_id} details", has_text=t("party.history"))
    history.locator("summary").click()
    last = history.locator("tbody tr").last
    expect(last).to_contain_text(t("party.event.open"))
    expect(last).to_contain_text(reopened)
    walk.step("hit-reopen")

    page.locator("#audit-link").click()
    expect(page).to_have_url(re.compile(r"/audit/party/CN-GOLDSTAR$"))
    verified_trail(walk, t("audit.kind.party"))
    walk.step("party-audit")
    walk.done()


def verified_trail(walk: Walk, kind: str) -> None:
    """The audit trail page: its records, each verified, and the chain intact for the records shown."""
    page, t = walk.page, walk.t
    expect(page.locator("h1")).to_contain_text(f"{t('audit.title')}: {kind}")
    rows = page.locator("#trail tbody tr")
    expect(rows.first).to_be_visible()
    count = rows.count()
    expect(page.locator("#chain-state")).to_have_text(t("audit.chain_ok", count=count))
    expect(page.locator("#trail tr.record-verified")).to_have_count(count)
    expect(page.locator("#trail .tag.ok").first).to_have_text(t("audit.state.verified"))


@walks("officer", "olga")
def test_the_officer_watches_licences_attaches_a_scan_and_reads_their_trail(walk: Walk) -> None:
    page, t, lang = walk.page, walk.t, walk.lang
    nav(page, "/licences")
    expect(page.locator("h1")).to_have_text(t("lic.title"))
    full = page.locator("table.grid tr", has=page.locator(f"a[href='/licences/{EXHAUSTED}']"))
    expect(full.locator(".badge")).to_have_text(t("lic.state.exhausted"))
    near = page.locator("table.grid tr", has=page.locator(f"a[href='/licences/{NEAR_EXPIRY}']"))
    expect(near.locator(".badge")).to_have_text(t("lic.state.active"))  # still usable: watched on the worklist
    walk.step("licences")

    nav(page, "/worklists/blocked")
    page.locator(".worklist-tabs a[href^='/worklists/licences']").click()
    expect(page.locator("h1")).to_have_text(t("wl.title.licences"))
    for state, number in (("near-expiry", NEAR_EXPIRY), ("exhausted", EXHAUSTED)):
        page.locator("select[name=state]").select_option(state)
        page.locator("form[role=search] button").click()
        expect(page).to_have_url(re.compile(rf"state={state}"))
        assert first_cells(page) == [number]
        expect(page.locator("#worklist .badge")).to_have_text(t(f"wl.state.{state}"))
    walk.step("licence-worklist")

    page.locator(f"#worklist a[href='/licences/{EXHAUSTED}']").click()
    expect(page.locator("#licence-state")).to_have_text(t("lic.state.exhausted"))
    name = {"en": "licence-scan.pdf", "ja": "許可証の写し.pdf"}[lang]
    scan = FilePayload(name=name, mimeType="application/pdf", buffer=PDF)
    page.locator("#attachments input[type=file]").set_input_files(scan)
    page.locator("#attachments button.primary").click()
    expect(page.locator(".flash")).to_have_text(t("lic.attached", name=name))
    attached = page.locator("#attachments tbody tr", has_text=name)
    expect(attached).to_contain_text("olga")
    walk.step("licence-attachment")

    page.locator("#audit-link").click()
    expect(page).to_have_url(re.compile(rf"/audit/licence/{EXHAUSTED}$"))
    verified_trail(walk, t("audit.kind.licence"))
    walk.step("licence-audit")

    page.goto("/orders/SO-2019-0105")
    page.locator("#audit-link").click()
    expect(page).to_have_url(re.compile(r"/audit/order/SO-2019-0105$"))
    verified_trail(walk, t("audit.kind.order"))
    walk.step("order-audit")
    walk.done()


@walks("officer", "oscar")
def test_the_officer_sees_the_impact_of_a_rule_change_on_open_orders(walk: Walk) -> None:
    page, t = walk.page, walk.t
    nav(page, "/impact")
    expect(page.locator("h1")).to_have_text(t("impact.title"))
    page.locator("input[name=from]").fill("2019-08-27")
    page.locator("input[name=to]").fill("2019-08-28")  # Korea leaves Group A
    page.locator(".page-head form button").click()
    expect(page).to_have_url(re.compile(r"from=2019-08-27&to=2019-08-28"))
    orders_table = page.locator("#impact-orders")
    expect(orders_table).to_be_visible()  # computed, perhaps after the page asked again
    expect(page.locator("#impact-result .tag.change-removed").first).to_have_text(t("change.removed"))
    elastomer = orders_table.locator("tr", has=page.locator("a[href='/orders/SO-2019-0105']"))
    expect(elastomer.locator("td").nth(0)).to_have_text(t("impact.effect.newly_blocked"))
    expect(elastomer.locator(".status-now")).to_have_text(t("status.blocked"))  # as stored today
    expect(elastomer.locator("td").nth(3)).to_contain_text(t("status.released"))  # before the change
    expect(page.locator("#impact-counts")).to_contain_text(t("impact.effect.newly_blocked"))
    walk.step("impact")
    walk.done()


# --- the admin ------------------------------------------------------------------------------------------------


@walks("admin", ADMIN[0])
def test_the_admin_manages_a_user_and_their_token(walk: Walk, browser: Browser, server: Served) -> None:
    page, t, lang = walk.page, walk.t, walk.lang
    user = f"walker-{lang}"
    nav(page, "/admin/users")
    expect(page.locator("h1")).to_have_text(t("admin.users"))
    add = page.locator("#add-user")
    add.locator("input[name=name]").fill(user)
    add.locator("select[name=role]").select_option("clerk")
    add.locator("input[name=password]").fill("walker-password-1")
    add.locator("button.primary").click()
    expect(page.locator(".flash")).to_have_text(t("admin.user_added", name=user))
    row = page.locator("#users tbody tr", has=page.locator(f"td:text-is('{user}')"))
    expect(row.locator("td").nth(1)).to_have_text(t("role.clerk"))

    row.locator("select[name=role]").select_option("officer")
    row.locator("form[action='/admin/users/role'] button").click()
    expect(page.locator(".flash")).to_have_text(t("admin.role_changed", name=user, role="officer"))
    expect(row.locator("td").nth(1)).to_have_text(t("role.officer"))

    row.locator("form[action='/admin/users/active'] button").click()
    expect(page.locator(".flash")).to_have_text(t("admin.deactivated", name=user))
    expect(row.locator("td").nth(2)).to_have_text(t("admin.inactive"))
    row.locator("form[action='/admin/users/active'] button").click()
    expect(page.locator(".flash")).to_have_text(t("admin.activated", name=user))
    expect(row.locator("td").nth(2)).to_have_text(t("admin.active"))
    walk.step("users")

    row.locator("details summary").click()
    row.locator("form[action='/admin/users/password'] input[name=password]").fill("walker-password-2")
    row.locator("form[action='/admin/users/password'] button").click()
    expect(page.locator(".flash")).to_have_text(t("admin.password_set", name=user))

    row.locator("details summary").click()
    row.locator("form[action='/admin/users/token'] input[name=label]").fill(typed("erp"))
    row.locator("form[action='/admin/users/token'] button").click()
    shown = page.locator("#new-token")
    expect(shown.locator("h2")).to_have_text(t("admin.token_issued", name=user, label="erp"))
    expect(shown).to_contain_text(t("admin.token_once"))
    token = shown.locator("#token-value").inner_text().strip()
    assert len(token) >= 32
    walk.step("token")
    api = browser.new_context(base_url=server.base)  # another program, with the token only
    try:
        bearer = {"Authorization": f"Bearer {token}"}
        assert api.request.get("/api/v1/orders", headers=bearer).status == 200
        page.goto("/admin/users")
        assert token not in page.content()  # shown once
        mine = page.locator("#tokens tbody tr", has=page.locator(f"td:text-is('{user}')"))
        expect(mine).to_contain_text("erp")
        mine.locator("form[action='/admin/tokens/revoke'] button").click()
        expect(mine.locator(".tag")).to_have_text(t("admin.revoked"))
        # Revoked: refused once the server's memory of the token lapses (deps.TOKEN_CACHE_SECONDS, by design).
        deadline = time.monotonic() + deps.TOKEN_CACHE_SECONDS + 10  # a margin for a busy machine
        while (status := api.request.get("/api/v1/orders", headers=bearer).status) == 200:
            assert time.monotonic() < deadline, "a revoked token still works"
            time.sleep(0.2)
        assert status == 401
    finally:
        api.close()
    walk.step("token-revoked")
    walk.done()


@walks("admin", ADMIN[0])
def test_the_admin_saves_the_four_eyes_setting(walk: Walk) -> None:
    page, t = walk.page, walk.t
    nav(page, "/admin/users")
    page.locator("main a[href='/admin/settings']").click()
    expect(page.locator("h1")).to_have_text(t("admin.settings"))
    box = page.locator("input[name=four_eyes][value=indeterminate]")
    expect(box.locator("xpath=..")).to_contain_text(t("admin.reason.indeterminate"))
    was = box.is_checked()
    box.set_checked(not was)
    page.locator("#release-settings button.primary").click()
    expect(page.locator(".flash")).to_have_text(t("admin.settings_saved"))
    page.reload()
    expect(page.locator("input[name=four_eyes][value=indeterminate]")).to_be_checked(checked=not was)
    walk.step("settings")
    walk.done()


# --- the attacker ---------------------------------------------------------------------------------------------


@walks("clerk", "alice")
def test_a_clerk_cannot_reach_the_admin_or_audit_pages_nor_post_without_the_token(walk: Walk) -> None:
    page, t = walk.page, walk.t
    expect(page.locator("header nav a[href='/admin/users']")).to_have_count(0)
    for path in ("/admin/users", "/admin/settings", "/audit/order/SO-2019-0105"):
        answer = page.goto(path)
        assert answer is not None and answer.status == 403, path
        expect(page.locator("main")).to_contain_text(t("error.forbidden"))
    walk.step("forbidden")
    # A forged form from the clerk's own browser: no CSRF token, refused, nothing written.
    forged = page.request.post("/parties/DE-RHEINFELD/edit", form={"name": "Forged GmbH", "country": "DE"})
    assert forged.status == 403
    page.goto("/parties/DE-RHEINFELD")
    expect(page.locator("h1")).to_contain_text("Rheinfeld Werkstoffe GmbH")
    page.goto("/orders/SO-2019-0105")
    expect(page.locator("#audit-link")).to_have_count(0)
    expect(page.locator("#release")).to_have_count(0)
    walk.done()
