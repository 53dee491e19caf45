"""The web application shows the regime the user picks (issue 12): `?regime=` on a page, else the regime cookie the
header's picker sets, else the default. A value that is not an installed regime is refused by name, never read as
a path; the picker goes back to a page of this site only. Records entered on the pages (orders, licences,
classifications) are stored under the regime their form names.

Demo data (a Japanese exporter, regime jp) on SQLite; the EU pack (`eu`) is the other installed regime.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from exportctl.http.app import create_app
from exportctl.http.web import impact as impact_page
from exportctl.http.web import regime_choice
from exportctl.regime.files import SHOWN_MAX, builtin_packs
from exportctl.screening.screener import Screener
from exportctl.services import impact as impact_service
from exportctl.services import jobs
from exportctl.services.impact import Impact
from exportctl.store import db as store
from exportctl.store.models import Classification, Licence
from tests.http.test_web import csrf_of, logged_in, token
from tests.support.demo_db import demo_database

EU_GROUPS = ("EU member states", "Third countries")  # destinations.yaml of the EU pack
JP_GROUP = "Group B"  # a country group of the Japan pack


@pytest.fixture(scope="module")
def app_for(tmp_path_factory: pytest.TempPathFactory, screener: Screener) -> Iterator[Any]:
    url = demo_database(tmp_path_factory.mktemp("web-regime"), screener)
    yield create_app(database_url=url, screener=screener)
    store.engine(url).dispose()


def test_the_regime_page_shows_the_regime_asked_for(app_for: Any) -> None:
    browser = logged_in(app_for, "alice")
    eu = browser.get("/regime?regime=eu&date=2025-11-15")
    assert eu.status_code == 200
    assert all(group in eu.text for group in EU_GROUPS) and JP_GROUP not in eu.text
    assert re.search(r"<code>eu00[1-8]</code>", eu.text)  # the Union general authorisations' country tables
    assert '<option value="eu" selected>' in eu.text  # the header's picker shows it
    assert '<input type="hidden" name="regime" value="eu">' in eu.text  # the date form stays on it
    jp = browser.get("/regime?date=2019-09-01").text  # nothing asked, no cookie: the default regime
    assert JP_GROUP in jp and EU_GROUPS[0] not in jp


def test_the_control_list_pages_search_the_regime_asked_for(app_for: Any) -> None:
    browser = logged_in(app_for, "alice")
    covered = browser.get("/classify/entries?regime=eu&date=2025-11-15").text
    assert "<strong>3A001</strong>" in covered and "<strong>3(1)</strong>" not in covered
    found = browser.get("/classify?regime=eu&q=3A001&date=2025-11-15").text
    assert "<strong>3A001</strong>" in found
    # The Japan pack maps 3A001 to its own row 7 entries; the EU pack has it as an entry of its own.
    assert "<strong>3A001</strong>" not in browser.get("/classify?regime=jp&q=3A001&date=2025-11-15").text


def test_the_cookie_the_picker_sets_chooses_the_regime(app_for: Any) -> None:
    browser = logged_in(app_for, "alice")
    chosen = browser.get("/regime/choose", params={"regime": "eu", "next": "/regime?regime=jp&date=2025-11-15"})
    assert chosen.status_code == 303
    assert chosen.headers["location"] == "/regime?date=2025-11-15"  # the page's own ?regime= would outrank it
    cookie = chosen.headers["set-cookie"].lower()
    assert cookie.startswith(f"{regime_choice.COOKIE}=eu;") and "httponly" in cookie
    page = browser.get(chosen.headers["location"]).text
    assert all(group in page for group in EU_GROUPS) and JP_GROUP not in page
    assert JP_GROUP in browser.get("/regime?regime=jp&date=2025-11-15").text  # a parameter outranks the cookie
    # The dashboard's recent changes are the EU's: the embargo on Russia (Regulation (EU) 2022/328, 2022-02-26).
    assert "/regime/diff?regime=eu&amp;from=2022-02-25&amp;to=2022-02-26" in browser.get("/?today=2022-03-31").text
    browser.get("/regime/choose", params={"regime": "jp", "next": "/"})
    assert JP_GROUP in browser.get("/regime?date=2025-11-15").text


@pytest.mark.parametrize("where", ["query", "cookie"])
def test_an_unknown_regime_is_refused_by_name(app_for: Any, where: str) -> None:
    browser = logged_in(app_for, "alice")
    if where == "cookie":
        browser.cookies.set(regime_choice.COOKIE, "../etc")
        response = browser.get("/regime")
    else:
        response = browser.get("/regime", params={"regime": "../etc"})
    assert response.status_code == 422
    assert f"&#39;../etc&#39; is not an installed regime ({', '.join(builtin_packs())})" in response.text


def test_a_long_unknown_regime_is_named_cut_short(app_for: Any) -> None:
    response = logged_in(app_for, "alice").get("/classify/entries", params={"regime": "x" * 500})
    detail = re.search(r'<p class="error-detail">(.*?)</p>', response.text)
    assert response.status_code == 422 and detail
    assert "'" + "x" * SHOWN_MAX + "…'" in detail.group(1).replace("&#39;", "'")


@pytest.mark.parametrize(
    ("target", "location"),
    [
        ("https://evil.example/", "/"),
        ("//evil.example/path", "/"),
        ("/\n/evil.example", "/"),
        ("/licences?page=2", "/licences?page=2"),
    ],
)
def test_the_picker_goes_back_to_a_page_of_this_site_only(app_for: Any, target: str, location: str) -> None:
    response = logged_in(app_for, "alice").get("/regime/choose", params={"regime": "eu", "next": target})
    assert response.status_code == 303 and response.headers["location"] == location


def test_the_picker_refuses_an_unknown_regime_and_sets_no_cookie(app_for: Any) -> None:
    response = logged_in(app_for, "alice").get("/regime/choose", params={"regime": "../etc", "next": "/"})
    assert response.status_code == 422
    assert not [c for c in response.headers.get_list("set-cookie") if c.startswith(regime_choice.COOKIE)]


def eu_order(number: str, **changes: Any) -> dict[str, Any]:
    """An EU export: an Annex I entry (3A001, listed for every destination) to China."""
    form = {
        "regime": "eu",
        "number": number,
        "ship_date": "2025-12-01",
        "destination": "CN",
        "end_use": "radar research",
        "line_item": [""],
        "line_reference": ["3A001"],
        "line_quantity": ["1"],
        "line_value_jpy": ["100000"],
    }
    return form | changes


def test_the_order_form_enters_an_order_under_the_regime_it_names(app_for: Any) -> None:
    browser = logged_in(app_for, "alice")
    assert '<option value="eu" selected>' in browser.get("/orders/new?regime=eu").text
    csrf = token(browser, "/orders/new")
    live = browser.post("/orders/new/check", data=eu_order("EU-PREVIEW"), headers={"X-CSRF-Token": csrf}).text
    assert "Licence required" in live and "Union general export authorisation" in live  # EU licence types
    # The live check determines under the form's regime: Japan's entry 7(19) is unknown to the EU pack.
    refused = browser.post(
        "/orders/new/check", data=eu_order("EU-PREVIEW", line_reference=["7(19)"]), headers={"X-CSRF-Token": csrf}
    ).text
    assert "flash error" in refused and "7(19)" in refused
    created = browser.post("/orders/new", data={**eu_order("EU-0001"), "csrf_token": csrf})
    assert created.status_code == 303 and created.headers["location"] == "/orders/EU-0001"
    stored = browser.get("/api/v1/orders/EU-0001")
    assert stored.status_code == 200 and stored.json()["regime"] == "eu"
    # Where it leaves from and its value in euros are facts of the form: a transfer DE → FR of 1C001 (Annex IV).
    moved = eu_order("EU-0003", origin="de", destination="FR", line_reference=["1C001"], line_value_eur=["40000"])
    assert browser.post("/orders/new", data={**moved, "csrf_token": csrf}).status_code == 303
    transfer = browser.get("/api/v1/orders/EU-0003").json()
    assert (transfer["origin"], transfer["lines"][0]["value_eur"], transfer["outcome"]) == (
        "DE",
        40000,
        "licence_required",
    )
    unknown = browser.post("/orders/new", data={**eu_order("EU-0002", regime="../etc"), "csrf_token": csrf})
    assert unknown.status_code == 422 and "&#39;../etc&#39; is not an installed regime" in unknown.text


def test_a_licence_is_added_under_the_regime_picked_with_its_types(app_for: Any) -> None:
    officer = logged_in(app_for, "olga")
    page = officer.get("/licences?regime=eu").text
    types = re.search(r'<select name="type" id="licence-type" required>(.*?)</select>', page, re.S)
    assert types and 'value="EU001"' in types.group(1) and 'value="general-bulk"' not in types.group(1)
    form = {
        "regime": "eu",
        "type": "EU001",
        "number": "EU001-DE-0001",
        "holder": "Demo GmbH",
        "valid_from": "2025-11-15",
        "valid_to": "2026-11-14",
        "csrf_token": csrf_of(page),
    }
    assert officer.post("/licences", data=form).status_code == 303
    with store.session(app_for.state.database_url) as db:
        assert db.scalars(select(Licence.regime).where(Licence.number == "EU001-DE-0001")).one() == "eu"
    # Its type is named from its own regime, whatever the page's.
    listed = officer.get("/licences?regime=jp").text
    assert "Union general export authorisation EU001" in listed
    mismatched = officer.post("/licences", data=form | {"regime": "jp", "number": "JP-EU001"})
    assert mismatched.status_code == 422 and "not a licence type of regime jp" in mismatched.text


def test_an_item_is_classified_under_the_regime_picked(app_for: Any) -> None:
    clerk = logged_in(app_for, "alice")
    page = clerk.get("/items/EMK-R100?regime=eu").text
    assert '<option value="eu" selected>' in page
    form = {
        "regime": "eu",
        "reference": "3A001",
        "rationale": "EU classification",
        "valid_from": "2025-11-15",
        "csrf_token": csrf_of(page),
    }
    assert clerk.post("/items/EMK-R100/classify", data=form).status_code == 303
    with store.session(app_for.state.database_url) as db:
        latest = db.scalars(select(Classification).order_by(Classification.id.desc())).first()
        assert latest is not None and (latest.regime, latest.entries) == ("eu", ["3A001"])
    assert 'href="/classify?regime=eu&amp;q=3A001"' in clerk.get("/items/EMK-R100").text


def test_the_impact_analysis_is_kept_per_regime(app_for: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same dates under two regimes are two analyses: a result of one regime never answers for another."""
    analysed: list[str] = []

    def recorded(db: Any, regime_id: str, *args: Any, **kwargs: Any) -> Impact:
        analysed.append(regime_id)
        return impact_service.impact(db, regime_id, *args, **kwargs)

    monkeypatch.setattr(impact_page, "JOBS", jobs.Jobs("impact-regime-test", workers=1, kept=4))
    monkeypatch.setattr(impact_page, "WAIT_SECONDS", 30)  # the demo's book is small: wait for the result
    monkeypatch.setattr(impact_page, "impact", recorded)
    browser = logged_in(app_for, "alice")
    dates = "from=2025-11-14&to=2025-11-15"
    for regime_id in ("jp", "eu", "jp", "eu"):
        page = browser.get(f"/impact?regime={regime_id}&{dates}")
        assert page.status_code == 200 and 'id="impact-counts"' in page.text
    assert analysed == ["jp", "eu"]  # each regime once, then its own result again
