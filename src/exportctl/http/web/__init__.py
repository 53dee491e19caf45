"""The web pages: server-rendered (Jinja2) with htmx for live parts; no Node build step.

Pages use the application's plumbing (exportctl.http): the session cookie, CSRF tokens on every form, role
dependencies and one database transaction per request. `install` mounts the pages and the static files; the
pages' answer to an error is web/errors.py.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from exportctl.http.web import (
    control_list,
    dashboard,
    impact,
    items,
    licences,
    order_edit,
    order_entry,
    orders,
    regime,
    screening,
    session,
)

STATIC = Path(__file__).parent / "static"
# /orders/new before /orders/{number}
ROUTERS = (
    session,
    dashboard,
    order_entry,
    order_edit,
    orders,
    screening,
    licences,
    items,
    control_list,
    regime,
    impact,
)


def install(app: FastAPI) -> None:
    for module in ROUTERS:
        app.include_router(module.router, include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
