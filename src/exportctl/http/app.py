"""Building the FastAPI application: middleware, error answers, the API's and the pages' routers, shared state."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from fastapi import FastAPI
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import RedirectResponse

from exportctl.core_types import PartyScreener
from exportctl.http import errors, web
from exportctl.http.api import yente
from exportctl.http.api.v1 import attachments, audit, checks, records, session
from exportctl.http.api.v1.language import ContentLanguage
from exportctl.http.bodies import BodyLimit, JsonOnly
from exportctl.http.edge import SecurityHeaders
from exportctl.http.web import admin as admin_pages
from exportctl.http.web import audit as audit_pages
from exportctl.http.web import errors as page_errors
from exportctl.http.web import parties as party_pages
from exportctl.http.web import worklists as worklist_pages
from exportctl.screening.screener import Screener
from exportctl.store import db as store

API = "/api/v1"
SECRET_ENV = "EXPORTCTL_SECRET"


def _secret() -> str:
    """The cookie-signing secret: EXPORTCTL_SECRET, else one generated once and kept in the data folder."""
    configured = os.environ.get(SECRET_ENV)
    if configured:
        return configured
    path = Path(os.environ.get("EXPORTCTL_DATA_DIR", "var")) / "secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _favicon() -> RedirectResponse:
    """The icon browsers ask for without a <link> (no 404 in their consoles): the SVG every page links to."""
    return RedirectResponse("/static/favicon.svg", status_code=308)


def create_app(database_url: str | None = None, screener: PartyScreener | Screener | None = None) -> FastAPI:
    app = FastAPI(
        title="exportctl",
        version="1",
        description="Export-control determinations, screening and compliance records, with reasons and citations.",
        openapi_url=f"{API}/openapi.json",
        docs_url=None,  # served by api/v1/session.py behind login, with the vendored Swagger UI (no CDN)
        redoc_url=None,
    )
    app.state.database_url = database_url or store.database_url()
    app.state.screener = screener
    app.add_middleware(
        SessionMiddleware, secret_key=_secret(), session_cookie="exportctl", same_site="strict", https_only=False
    )
    app.add_middleware(ContentLanguage, prefix="/api/")  # the language of an API answer's texts
    app.add_middleware(JsonOnly, prefix=API)  # inside BodyLimit: an oversized body is 413 first
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders)  # outermost: every response, errors and 413 included, gets the headers
    errors.install(app, page=page_errors.web_error)  # problem+json under /api/, a page elsewhere
    for router in (checks.router, records.router, attachments.router, audit.router, session.router):
        app.include_router(router, prefix=API)
    app.include_router(yente.router, prefix=yente.PREFIX)  # yente's paths, under a prefix: see api/yente.py
    web.install(app)  # the pages and their static files
    app.add_api_route("/favicon.ico", _favicon, include_in_schema=False)  # browsers ask for it unprompted
    app.include_router(worklist_pages.router, include_in_schema=False)  # the worklists (web/worklists.py)
    app.include_router(party_pages.router, include_in_schema=False)  # parties: list, page, re-open (web/parties.py)
    for pages in (admin_pages.router, audit_pages.router):  # administration and audit trail pages
        app.include_router(pages, include_in_schema=False)
    return app
