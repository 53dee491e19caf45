"""Japanese throughout (issue 16): every page, for every role, in Japanese shows no English UI text; the REST
API answers in the language `Accept-Language` asks for, its keys and codes unchanged.

What may stay English on a Japanese page, and why:
- data the users and the demo entered (company names, item descriptions, end uses, user names): read from the
  records, so the allowance follows the data and not the pages;
- codes and identifiers: anything with a digit, `#`, `_` or `/` in it (order, licence and entry numbers), words
  in capitals (acronyms: EAR, CFR, METI, CSV, API), and the content of <code>, <pre>, <script>, <style>, <svg>;
- text the page marks `lang="en"`: the citations of instruments the pack names in English, the pack's English-only
  notes, and reasons without a Japanese text — determinations stored before the engine wrote one (`text_ja`), and
  reasons that are a pack's English-only text (the markup says they are English, so a screen reader reads them as
  English; the test makes that marking explicit and reviewable). Every reason of a demo order has its Japanese text
  (`test_every_reason_of_an_order_is_shown_in_japanese`);
- the language switch ("English") and the product name.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import select
from starlette.routing import BaseRoute, Route

from exportctl.demo import DEMO_PASSWORD, USERS
from exportctl.http.app import create_app
from exportctl.http.web.i18n import COOKIE, MESSAGES
from exportctl.regime.files import builtin_pack_dir, builtin_packs
from exportctl.screening.screener import Screener
from exportctl.services import actors, auth, licence_files, records, regimes
from exportctl.store import db as store
from exportctl.store import models as m
from tests.support.demo_db import demo_database
from tests.support.web_client import CSRF

TOKENS = itertools.count()  # a token's label is unique per user
ADDED = {"viewer": ("vera", "viewer-password-1"), "admin": ("ada", "admin-password-1")}
# The demo's users and the two this test adds: one of each role.
LOGINS = {
    "viewer": ADDED["viewer"],
    "clerk": next((name, DEMO_PASSWORD) for name, role in USERS if role == "clerk"),
    "officer": next((name, DEMO_PASSWORD) for name, role in USERS if role == "officer"),
    "admin": ADDED["admin"],
}
# The product's name; the switch to English, written in English on purpose; a file format's name.
ALLOWED = {"exportctl", "English", "Excel"}
# GET routes that are no page: API, static files, redirects, fragments with their own tests.
NOT_PAGES = ("/api/", "/static", "/yente/", "/lang/", "/favicon.ico", "/regime/choose", "/orders/new/line")
# GET routes that answer with a file to save, not a page (a licence's attachment).
DOWNLOADS = {"/licences/{number}/attachments/{attachment_id}"}
# Pages under construction by other work at the time of writing (issue 16 follow-up): their reasons and
# citations are not yet marked. Remove a line to hold the page to the rule.
NOT_YET: set[str] = set()
SKIPPED = {"script", "style", "code", "pre", "svg"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
CODE_LIKE = re.compile(r"`[^`]*`|\S*[0-9#_/@=]\S*")  # a command in backquotes is code too
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")


class VisibleText(HTMLParser):
    """The text a reader sees, without the parts the module docstring allows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: is its content skipped
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        inside = bool(self.stack and self.stack[-1])
        self.stack.append(inside or tag in SKIPPED or ("lang", "en") in attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def english_words(page: str, allowed: set[str]) -> set[str]:
    parser = VisibleText()
    parser.feed(page)
    text = CODE_LIKE.sub(" ", " ".join(parser.parts))
    return {w for w in WORD.findall(text) if len(w) > 2 and not w.isupper() and w not in allowed}


def routes(items: list[BaseRoute], prefix: str = "") -> Iterator[tuple[str, set[str]]]:
    """Every route of the application, through included routers."""
    for route in items:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from routes(included.routes, prefix + route.include_context.prefix)  # type: ignore[attr-defined]
        elif isinstance(route, Route):
            yield prefix + route.path, set(route.methods or ())


def words_of_data(url: str) -> set[str]:
    """The words of what users entered: names, descriptions, end uses, rationales, release reasons."""
    columns = (
        m.User.name,
        m.Party.name,
        m.Item.description,
        m.Classification.rationale,
        m.Classification.classified_by,
        m.Licence.holder,
        m.Order.end_use,
        m.Order.created_by,
        m.Release.officer,
        m.Release.reason,
        m.Party.address,
        m.LicenceAttachment.file_name,
        m.LicenceAttachment.uploaded_by,
    )
    found: set[str] = set()
    with store.session(url) as db:
        for column in columns:
            for value in db.scalars(select(column)):
                found |= set(WORD.findall(value or ""))
    return found


def words_of_codes(screener: Screener) -> set[str]:
    """Identifiers that are words: the screening lists' ids and the packs' product ids (the control list's
    search offers them as they are)."""
    ids = set(screener.versions)
    for regime_id in builtin_packs():
        ids |= set(regimes.regime(regime_id).at(dt.date.today()).clauses_by_product)
    return ids | {w for code in ids for w in WORD.findall(code)}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, screener: Screener) -> Iterator[dict[str, Any]]:
    url = demo_database(tmp_path_factory.mktemp("ja"), screener)
    with store.session(url) as db:
        for role, (name, password) in ADDED.items():
            records.add_user(db, actors.SYSTEM, name, role)
            auth.set_password(db, actors.SYSTEM, name, password)
        first = {
            "order": db.scalars(select(m.Order.number).order_by(m.Order.number)).first(),
            # an order that may still change (web/order_edit.py)
            "editable": db.scalars(
                select(m.Order.number).where(m.Order.status != "shipped").order_by(m.Order.number)
            ).first(),
            "licence": db.scalars(select(m.Licence.number).order_by(m.Licence.number)).first(),
            "item": db.scalars(select(m.Item.code).order_by(m.Item.code)).first(),
            "party": db.scalars(select(m.Party.code).order_by(m.Party.code)).first(),
        }
        # The licence page lists its attachments and the party page shows an address: walked with data in them.
        officer = actors.Actor(LOGINS["officer"][0], actors.Role.OFFICER)
        licence_files.attach(db, officer, first["licence"], "許可証の写し.pdf", io.BytesIO(b"%PDF-1.7\n%%EOF\n"))
        party = db.scalars(select(m.Party).where(m.Party.code == first["party"])).one()
        party.address = "東京都千代田区霞が関1-3-1"
    app = create_app(database_url=url, screener=screener)
    allowed = ALLOWED | words_of_data(url) | words_of_codes(screener)
    yield {"app": app, "url": url, "first": first, "allowed": allowed | {w.lower() for w in allowed}}
    store.engine(url).dispose()


def pages(site: dict[str, Any]) -> list[str]:
    """Each page of the application's router, its path parameters filled from the demo data."""
    first = site["first"]
    filled = {
        "/orders/{number}": f"/orders/{first['order']}",
        "/licences/{number}": f"/licences/{first['licence']}",
        "/items/{code}": f"/items/{first['item']}",
        "/parties/{code}": f"/parties/{first['party']}",
        "/orders/{number}/record": f"/orders/{first['order']}/record",
        "/orders/{number}/edit": f"/orders/{first['editable']}/edit",
        "/audit/{subject_kind}/{subject_id}": f"/audit/order/{first['order']}",
    }
    found = []
    for path, methods in routes(site["app"].routes):
        if "GET" not in methods or path.startswith(NOT_PAGES) or path in NOT_YET or path in DOWNLOADS:
            continue
        if "{" in path:
            assert path in filled, f"new page {path}: give it demo values in this test"
            path = filled[path]
        found.append(path)
    return sorted(set(found))


def japanese(app: Any, role: str | None) -> TestClient:
    browser = TestClient(app, follow_redirects=False)
    browser.cookies.set(COOKIE, "ja")
    if role is None:
        return browser
    name, password = LOGINS[role]
    token = CSRF.search(browser.get("/login").text)
    assert token
    sent = {"name": name, "password": password, "csrf_token": token.group(1), "next": "/"}
    assert browser.post("/login", data=sent).status_code == 303
    return browser


def test_the_walk_covers_the_pages_of_every_area(site: dict[str, Any]) -> None:
    walked = pages(site)
    for area in ("/", "/orders", "/licences", "/items", "/parties", "/worklists/blocked", "/admin/users", "/impact"):
        assert area in walked
    assert any(path.startswith("/audit/") for path in walked)


@pytest.mark.parametrize("role", ["viewer", "clerk", "officer", "admin"])
def test_every_page_in_japanese_has_no_english_ui_text(site: dict[str, Any], role: str) -> None:
    browser = japanese(site["app"], role)
    left: dict[str, set[str]] = {}
    for path in pages(site):
        response = browser.get(path)
        if response.status_code == 303:  # a page this role may not see sends it elsewhere: nothing to read
            continue
        assert response.status_code in (200, 403), (path, response.status_code)
        assert '<html lang="ja">' in response.text, path
        words = english_words(response.text, site["allowed"])
        if words:
            left[path] = words
    assert not left, f"English left on Japanese pages for {role}: {left}"


def test_the_login_page_in_japanese(site: dict[str, Any]) -> None:
    page = japanese(site["app"], None).get("/login").text
    assert MESSAGES["login.title"][1] in page
    assert not english_words(page, site["allowed"])


def test_an_english_word_in_japanese_ui_text_is_found() -> None:
    # The detector itself: plain English text fails, codes, capitals and lang="en" text do not.
    page = '<p>受注 SO-2019-0101 EAR <span lang="en">Cabinet Order</span> <code>end_use</code> Not found</p>'
    assert english_words(page, set()) == {"Not", "found"}


def test_an_error_page_in_japanese_says_what_kind_of_refusal(site: dict[str, Any]) -> None:
    page = japanese(site["app"], "viewer").get("/orders/NO-SUCH-ORDER")
    assert page.status_code == 404
    assert MESSAGES["error.not_found"][1] in page.text and MESSAGES["error.title"][1] in page.text


def test_a_viewer_is_refused_the_admin_pages_in_japanese(site: dict[str, Any]) -> None:
    page = japanese(site["app"], "viewer").get("/admin/users")
    assert page.status_code == 403
    assert MESSAGES["error.forbidden"][1] in page.text


# --- the REST API: Accept-Language ----------------------------------------------------------------------------

# A listed item to China with no value, end use or end user given: the engine cannot decide, and its line's
# reasons say the deciding facts are missing (rule `indeterminate`).
UNDECIDED = {"date": "2019-09-01", "destination": "CN", "lines": [{"item": "1C009.b"}]}


def api_client(site: dict[str, Any]) -> tuple[TestClient, dict[str, str]]:
    with store.session(site["url"]) as db:
        token = auth.create_token(db, actors.SYSTEM, ADDED["viewer"][0], f"ja-{next(TOKENS)}")
    return TestClient(site["app"]), {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("ja", "ja"),
        ("ja,en;q=0.8", "ja"),
        ("en;q=0.5, ja;q=0.9", "ja"),
        ("ja-JP", "ja"),
        ("en", "en"),
        ("ja;q=0, en", "en"),  # q=0: "not Japanese"
        ("fr, de;q=0.5", "en"),  # nothing we speak: English
        ("ja;q=abc", "en"),  # a malformed weight is not trusted
        ("", "en"),
    ],
)
def test_the_api_answers_in_the_language_asked_for(site: dict[str, Any], header: str, lang: str) -> None:
    client, auth_header = api_client(site)
    response = client.post("/api/v1/check", json=UNDECIDED, headers={**auth_header, "Accept-Language": header})
    assert response.status_code == 200, response.text
    assert response.headers["content-language"] == lang
    body = response.json()
    assert body["outcome"] == "indeterminate"  # an enum value: never translated
    texts = {r["rule"]: r["text"] for r in body["lines"][0]["reasons"]}
    assert texts["indeterminate"] == MESSAGES["reason.indeterminate"][1 if lang == "ja" else 0]


def test_japanese_reasons_keep_their_keys_codes_and_citations(site: dict[str, Any]) -> None:
    client, auth_header = api_client(site)
    english = client.post("/api/v1/check", json=UNDECIDED, headers=auth_header).json()
    japanese_body = client.post("/api/v1/check", json=UNDECIDED, headers={**auth_header, "Accept-Language": "ja"})
    body = japanese_body.json()
    assert body.keys() == english.keys()
    for ja_part, en_part in ((body, english), (body["lines"][0], english["lines"][0])):
        assert [r["rule"] for r in ja_part["reasons"]] == [r["rule"] for r in en_part["reasons"]]
        assert [r["source"] for r in ja_part["reasons"]] == [r["source"] for r in en_part["reasons"]]
    assert body["missing"] == english["missing"]


def test_an_api_error_in_japanese_has_a_japanese_title_and_the_same_type(site: dict[str, Any]) -> None:
    client = TestClient(site["app"])
    english = client.get("/api/v1/orders")
    refused = client.get("/api/v1/orders", headers={"Accept-Language": "ja,en;q=0.8"})
    assert refused.status_code == english.status_code == 401
    assert refused.headers["content-language"] == "ja"
    assert refused.json()["title"] == MESSAGES["problem.not-authenticated"][1]
    assert refused.json()["type"] == english.json()["type"]
    assert english.json()["title"] == "Not authenticated"


def test_a_hostile_accept_language_header_is_answered_in_english(site: dict[str, Any]) -> None:
    client, auth_header = api_client(site)
    hostile = ",".join(["xx;q=1"] * 5000) + ",ja"  # a range past the ones read is not honoured
    response = client.post("/api/v1/check", json=UNDECIDED, headers={**auth_header, "Accept-Language": hostile})
    assert response.status_code == 200 and response.headers["content-language"] == "en"


def test_a_reason_from_the_pack_is_given_in_the_packs_japanese(site: dict[str, Any]) -> None:
    # The embargo on North Korea: the pack's destinations.yaml gives its text in both languages.
    embargo = yaml.safe_load((builtin_pack_dir("jp") / "destinations.yaml").read_text())["embargoes"]["KP"]
    client, auth_header = api_client(site)
    to_north_korea = {"date": "2019-09-01", "destination": "KP", "lines": [{"item": "hs:8456.11"}]}
    texts = {}
    for lang in ("en", "ja"):
        body = client.post("/api/v1/check", json=to_north_korea, headers={**auth_header, "Accept-Language": lang})
        answer = body.json()
        reasons = answer["reasons"] + [r for line in answer["lines"] for r in line["reasons"]]
        texts[lang] = [r["text"] for r in reasons if r["rule"] == "embargo"]
    assert texts == {"en": [embargo["title"]["en"]], "ja": [embargo["title"]["ja"]]}


# --- the engine's Japanese reason texts and the missing facts' labels -----------------------------------------------


def test_the_api_gives_the_engines_japanese_reasons_and_labels_the_missing_facts(site: dict[str, Any]) -> None:
    client, auth_header = api_client(site)
    answers = {
        lang: client.post("/api/v1/check", json=UNDECIDED, headers={**auth_header, "Accept-Language": lang}).json()
        for lang in ("en", "ja")
    }
    english, body = answers["en"], answers["ja"]
    # The names stay the contract; the labels are the catalogue's, in the language asked for.
    assert body["missing"] == english["missing"] == ["value_jpy", "wmd_end_use", "end_user"]
    for lang, index in (("en", 0), ("ja", 1)):
        labels = answers[lang]["missing_labels"]
        assert labels == {name: MESSAGES[f"fact.{name}"][index] for name in body["missing"]}
    # Appended Table 1 row 5(17): fluorinated polyimides (1C009.b); the entry and row titles are the pack's Japanese.
    rows = yaml.safe_load((builtin_pack_dir("jp") / "control" / "rows.yaml").read_text())["rows"]
    row_5 = next(row for row in rows if row["id"] == "5")["goods_title"]["ja"]
    listed = next(r for r in body["lines"][0]["reasons"] if r["rule"] == "list-control")
    assert listed["text"] == listed["text_ja"]
    assert listed["text"].startswith("5(17)#fluorinated-polyimide（")
    assert f"の貨物は規制リストの{row_5}（5）に掲げられています" in listed["text"]
    english_listed = next(r for r in english["lines"][0]["reasons"] if r["rule"] == "list-control")
    assert english_listed["text"].startswith("goods of entry 5(17)") and english_listed["text_ja"] == listed["text_ja"]


def test_every_reason_of_an_order_is_shown_in_japanese(site: dict[str, Any]) -> None:
    """The demo orders' pages and printable records in Japanese: no reason is left in English, and the missing
    facts are shown by their labels."""
    browser = japanese(site["app"], "officer")
    with store.session(site["url"]) as db:
        numbers = list(db.scalars(select(m.Order.number).order_by(m.Order.number)))
    assert numbers
    english: dict[str, list[str]] = {}
    for number in numbers:
        for path in (f"/orders/{number}", f"/orders/{number}/record"):
            page = browser.get(path)
            assert page.status_code == 200, path
            rows = re.findall(
                r'<ol class="reasons">(.*?)</ol>|<table class="grid reasons">(.*?)</table>', page.text, re.S
            )
            marked = [part for row in rows for part in row if '<span lang="en">' in part]
            if marked:
                english[path] = marked
    assert not english, english
    with store.session(site["url"]) as db:
        undecided = {
            order.number: order.determination["missing"]
            for order in db.scalars(select(m.Order).where(m.Order.outcome == "indeterminate"))
        }
    assert undecided  # the demo holds orders whose determination names missing facts
    for number, missing in undecided.items():
        page = browser.get(f"/orders/{number}").text
        shown = dict(re.findall(r'<span class="fact" data-fact="([^"]+)">([^<]+)</span>', page))
        assert shown == {name: MESSAGES[f"fact.{name}"][1] for name in missing}, number


def test_an_orders_answer_gives_its_reasons_in_the_language_asked_for(site: dict[str, Any]) -> None:
    client, auth_header = api_client(site)
    with store.session(site["url"]) as db:
        number = db.scalars(select(m.Order.number).order_by(m.Order.number)).first()
    assert number is not None
    english = client.get(f"/api/v1/orders/{number}", headers=auth_header).json()
    body = client.get(f"/api/v1/orders/{number}", headers={**auth_header, "Accept-Language": "ja"}).json()
    assert body.keys() == english.keys() and body["outcome"] == english["outcome"]
    reasons = [(r, e) for ja, en in zip(body["lines"], english["lines"], strict=True)
               for r, e in zip(ja["reasons"], en["reasons"], strict=True)]  # fmt: skip
    assert reasons
    for ja_reason, en_reason in reasons:
        assert (ja_reason["rule"], ja_reason["source"]) == (en_reason["rule"], en_reason["source"])
        if en_reason.get("text_ja"):  # the engine's Japanese, written when it was determined
            assert ja_reason["text"] == en_reason["text_ja"] != en_reason["text"]
    assert any(en_reason.get("text_ja") for _, en_reason in reasons)
