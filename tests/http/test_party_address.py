"""A party's postal address (issue 16) in every interface: the REST API (create, read, change, clear) on SQLite and
PostgreSQL, the party page's edit form, and `parties import`. The address is kept for the records and not
screened: changing it alone neither screens the party again nor determines its orders again; it is one text of at
most 500 characters, several lines allowed, no other control characters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from exportctl.screening.screener import Screener
from exportctl.services import actors, importing, records
from exportctl.services.tables import InvalidImport
from exportctl.store import db as store
from exportctl.store.models import AuditRecord, Party
from tests.services.test_import import write_csv
from tests.support.apiclient import PASSWORD, USERS, Api, make_api
from tests.support.web_client import csrf_of, logged_in

ADDRESS = "〒100-8901 東京都千代田区霞が関1-3-1\n経済産業省 貿易経済安全保障局"
RHEIN = {"code": "DE-RHEIN", "name": "Rheinfeld Optik GmbH", "country": "DE"}


@pytest.fixture
def api(database_url: str, screener: Screener) -> Iterator[Api]:
    yield make_api(database_url, screener)


def _moment(text: str) -> dt.datetime:
    """A time as the answer gives it (SQLite gives back UTC times without their offset)."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=None)


def _updates(url: str, code: str) -> list[dict[str, Any]]:
    with store.session(url) as db:
        rows = db.scalars(
            select(AuditRecord).where(AuditRecord.subject == f"party:{code}", AuditRecord.action == "party.update")
        )
        return [dict(r.payload) for r in rows]


def test_the_api_keeps_an_address_and_changing_it_alone_does_not_screen_again(api: Api) -> None:
    created = api.post("/parties", "clerk", RHEIN | {"address": ADDRESS})
    assert created.status_code == 201, created.text
    assert created.json()["address"] == ADDRESS
    screened_at = created.json()["screened_at"]
    assert api.get("/parties/DE-RHEIN").json()["address"] == ADDRESS
    assert api.get("/parties").json()["items"][0]["address"] == ADDRESS

    moved = "Rheinallee 1\r\n40210 Düsseldorf"  # CRLF line ends are kept as one line end each
    changed = api.patch("/parties/DE-RHEIN", "clerk", {"address": moved})
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["address"] == "Rheinallee 1\n40210 Düsseldorf"
    assert (body["name"], body["country"]) == (RHEIN["name"], "DE")
    assert _moment(body["screened_at"]) == _moment(screened_at)  # not screened again
    [update] = _updates(api.database_url, "DE-RHEIN")
    assert update["changed"] == ["address"]
    assert (update["before"]["address"], update["after"]["address"]) == (ADDRESS, "Rheinallee 1\n40210 Düsseldorf")

    renamed = api.patch("/parties/DE-RHEIN", "clerk", {"name": "Rheinfeld Optik AG"}).json()
    assert renamed["address"] == "Rheinallee 1\n40210 Düsseldorf"  # not sent: kept
    assert _moment(renamed["screened_at"]) > _moment(screened_at)  # a new name is screened again

    cleared = api.patch("/parties/DE-RHEIN", "clerk", {"address": None}).json()
    assert cleared["address"] is None
    assert api.patch("/parties/DE-RHEIN", "clerk", {"address": "   "}).json()["address"] is None


def test_the_api_refuses_a_bad_address_naming_the_field(api: Api) -> None:
    for bad in ("x" * 501, "Hauptstr. 1\x00", "Hauptstr. 1\x1b[31m"):
        refused = api.post("/parties", "clerk", RHEIN | {"address": bad})
        assert refused.status_code == 422, bad
        assert refused.json()["detail"].startswith("address:"), refused.json()
    assert api.get("/parties").json()["total"] == 0
    assert api.post("/parties", "clerk", RHEIN | {"address": "x" * 500}).status_code == 201
    for bad in ({"address": "x" * 501}, {"address": "\x07"}, {"colour": "red"}, {"name": ""}):
        assert api.patch("/parties/DE-RHEIN", "clerk", bad).status_code == 422, bad
    assert api.patch("/parties/DE-RHEIN", "viewer", {"address": "Elsewhere"}).status_code == 403
    assert api.patch("/parties/NO-SUCH", "clerk", {"address": "Elsewhere"}).status_code == 404
    assert api.get("/parties/DE-RHEIN").json()["address"] == "x" * 500
    assert _updates(api.database_url, "DE-RHEIN") == []


# --- the party page ----------------------------------------------------------------------------------------------


@pytest.fixture
def site(tmp_path: Path) -> Iterator[dict[str, Any]]:
    url = f"sqlite:///{tmp_path / 'web.db'}"
    made = make_api(url, None)
    with store.session(url) as db:
        records.add_party(db, actors.SYSTEM, "DE-RHEIN", RHEIN["name"], "DE", ["consignee"], None)
    yield {"app": made.client.app, "url": url}
    store.engine(url).dispose()


def _address(url: str) -> str | None:
    with store.session(url) as db:
        return db.scalars(select(Party.address).where(Party.code == "DE-RHEIN")).one()


def test_a_clerk_edits_the_address_on_the_party_page(site: dict[str, Any]) -> None:
    clerk = logged_in(site["app"], USERS["clerk"], PASSWORD)
    page = clerk.get("/parties/DE-RHEIN").text
    assert '<textarea name="address"' in page
    form = {"name": RHEIN["name"], "country": "DE", "address": ADDRESS.replace("\n", "\r\n")}
    assert clerk.post("/parties/DE-RHEIN/edit", data=form).status_code == 403  # no CSRF token
    assert _address(site["url"]) is None
    saved = clerk.post("/parties/DE-RHEIN/edit", data=form | {"csrf_token": csrf_of(page)})
    assert saved.status_code == 303
    assert _address(site["url"]) == ADDRESS
    page = clerk.get("/parties/DE-RHEIN").text
    assert "東京都千代田区霞が関1-3-1" in page and "Address saved" in page
    # A form without the field (an older page) keeps the address.
    renamed = {"name": "Rheinfeld Optik AG", "country": "DE", "csrf_token": csrf_of(page)}
    assert clerk.post("/parties/DE-RHEIN/edit", data=renamed).status_code == 303
    assert _address(site["url"]) == ADDRESS
    hostile = {"name": "Rheinfeld Optik AG", "country": "DE", "address": "a\x00b", "csrf_token": csrf_of(page)}
    refused = clerk.post("/parties/DE-RHEIN/edit", data=hostile)
    assert refused.status_code == 422 and "address: contains control characters" in refused.text
    assert _address(site["url"]) == ADDRESS


def test_a_viewer_sees_the_address_but_may_not_change_it(site: dict[str, Any]) -> None:
    with store.session(site["url"]) as db:
        party = db.scalars(select(Party).where(Party.code == "DE-RHEIN")).one()
        party.address = "<script>alert(1)</script>"
    viewer = logged_in(site["app"], USERS["viewer"], PASSWORD)
    page = viewer.get("/parties/DE-RHEIN").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert '<textarea name="address"' not in page
    form = {"name": RHEIN["name"], "country": "DE", "address": "Elsewhere", "csrf_token": csrf_of(page)}
    assert viewer.post("/parties/DE-RHEIN/edit", data=form).status_code == 403
    assert _address(site["url"]) == "<script>alert(1)</script>"


# --- parties import ----------------------------------------------------------------------------------------------


def test_parties_import_reads_an_optional_address_column(database_url: str, tmp_path: Path) -> None:
    rows = [
        ["code", "name", "country", "roles", "address"],
        ["JP-METI", "Ministry of Economy, Trade and Industry", "JP", "end-user", ADDRESS],
        ["DE-RHEIN", RHEIN["name"], "DE", "consignee", ""],
    ]
    with store.session(database_url) as db:
        imported = importing.import_file(db, actors.SYSTEM, "parties", write_csv(tmp_path / "p.csv", rows))
    assert imported["parties"] == 2
    with store.session(database_url) as db:
        found = {code: address for code, address in db.execute(select(Party.code, Party.address))}
    assert found == {"JP-METI": ADDRESS, "DE-RHEIN": None}


def test_parties_import_refuses_a_bad_address_naming_row_and_column(database_url: str, tmp_path: Path) -> None:
    rows = [
        ["code", "name", "address"],
        ["P-1", "First Trading Co", "Hauptstr. 1"],
        ["P-2", "Second Trading Co", "y" * 501],
    ]
    with pytest.raises(InvalidImport) as caught, store.session(database_url) as db:
        importing.import_file(db, actors.SYSTEM, "parties", write_csv(tmp_path / "p.csv", rows))
    assert "row 3, column address" in str(caught.value) and "at most 500" in str(caught.value)
    with store.session(database_url) as db:
        assert db.scalars(select(Party)).all() == []
