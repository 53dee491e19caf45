"""A browser-less client of the web application, as the web tests use it: no redirects followed, the CSRF token
read from a page's form, logging in through the login form. (tests/http/conftest.py gives every test a fresh login
rate limiter.)"""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from exportctl.demo import DEMO_PASSWORD

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
VIEWER = ("vera", "viewer-password")


def client(app: object) -> TestClient:
    return TestClient(app, follow_redirects=False)  # type: ignore[arg-type]


def csrf_of(page: str) -> str:
    found = CSRF.search(page)
    assert found, "page has no CSRF token"
    return found.group(1)


def logged_in(app: object, name: str, password: str = DEMO_PASSWORD) -> TestClient:
    browser = client(app)
    token = csrf_of(browser.get("/login").text)
    response = browser.post("/login", data={"name": name, "password": password, "csrf_token": token, "next": "/"})
    assert response.status_code == 303, response.text
    return browser
