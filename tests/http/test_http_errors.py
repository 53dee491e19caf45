"""Errors answer with the status of their kind, never one read from their message (issue 11, item 6).

A record named in a path that does not exist is 404, a record that exists already 409, a refused value 422 — on
the API (problem+json) and on the pages (HTML) alike, from one table in http/errors.py. Messages carry what the
user sent, so a status read from their words could be chosen by the user: a party coded "it does not exist"
that exists already is a conflict, and a party role named "exists" is a refused value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from exportctl.screening.screener import Screener
from exportctl.services import auth
from exportctl.store import db as store
from tests.support.apiclient import PASSWORD, USERS, Api, make_api

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def api(tmp_path: Any, screener: Screener) -> Iterator[Api]:
    url = f"sqlite:///{tmp_path / 'errors.db'}"
    yield make_api(url, screener)
    store.engine(url).dispose()


def signed_in(api: Api, role: str) -> TestClient:
    browser = TestClient(api.client.app, follow_redirects=False)
    found = CSRF.search(browser.get("/login").text)
    assert found
    form = {"name": USERS[role], "password": PASSWORD, "csrf_token": found.group(1), "next": "/"}
    assert browser.post("/login", data=form).status_code == 303
    return browser


def test_a_record_that_exists_already_is_409_whatever_its_code_says(api: Api) -> None:
    party = {"code": "it does not exist", "name": "Acme Trading"}
    assert api.post("/parties", "clerk", party).status_code == 201
    again = api.post("/parties", "clerk", party)
    assert again.status_code == 409, again.text
    assert again.json()["detail"] == "party 'it does not exist' exists"


def test_a_refused_value_is_422_even_when_it_says_exists(api: Api) -> None:
    refused = api.post("/parties", "clerk", {"code": "P-1", "name": "Acme Trading", "roles": ["exists"]})
    assert refused.status_code == 422, refused.text
    assert refused.json()["detail"].startswith("roles: 'exists' is not one of")


def test_a_record_that_does_not_exist_is_404_on_the_api_and_on_the_pages(api: Api) -> None:
    for path in ("/orders/NOPE", "/licences/NOPE", "/items/NOPE", "/parties/NOPE"):
        assert api.get(path).status_code == 404, path
    assert api.post("/hits/424242/review", "officer", {"decision": "confirmed"}).status_code == 404
    page = signed_in(api, "viewer").get("/orders/NOPE")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "order &#39;NOPE&#39; does not exist" in page.text


def test_a_role_below_the_minimum_is_403_naming_the_roles_that_may(api: Api) -> None:
    refused = api.post("/items", "viewer", {"code": "I-1", "description": "tray"})
    assert refused.status_code == 403
    assert refused.json()["detail"] == f"{USERS['viewer']} (viewer) may not do this: needs clerk or officer or admin"


def test_an_error_page_shows_who_is_signed_in_while_the_session_holds(api: Api) -> None:
    browser = signed_in(api, "clerk")
    page = browser.get("/no-such-page")
    assert page.status_code == 404 and f"Signed in as {USERS['clerk']} (clerk)" in page.text
    with store.session(api.database_url) as db:
        auth.log_out(db, auth.verify_password(db, USERS["clerk"], PASSWORD))  # every session of the user ends
    ended = browser.get("/no-such-page")
    assert ended.status_code == 404 and USERS["clerk"] not in ended.text
