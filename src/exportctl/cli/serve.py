"""`serve`: the web application and REST API (uvicorn)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Annotated, Any

import typer
import uvicorn
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exportctl.cli.acting import party_screener
from exportctl.cli.common import err, fail, out
from exportctl.cli.root import app
from exportctl.core_types import PartyScreener
from exportctl.demo import (
    DEMO_PASSWORD,
    NOT_A_DEMO_DATABASE,
    USERS,
    demo_present,
    is_demo_database,
    is_new_database,
    load_demo,
)
from exportctl.http.app import create_app
from exportctl.screening.screener import Screener
from exportctl.services import actors, checking, records, screening
from exportctl.services.recheck import recheck
from exportctl.store import db as store
from exportctl.store.models import User

LOCALHOST = {"127.0.0.1", "localhost", "::1"}
# No proxy headers: uvicorn would otherwise take the client address from X-Forwarded-For on connections from
# 127.0.0.1, and a local client could name a new address for every guessed password. The application
# believes those headers only from EXPORTCTL_TRUSTED_PROXIES (api/edge.py).
UVICORN: dict[str, Any] = {"log_level": "warning", "proxy_headers": False}


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
    demo: Annotated[
        bool, typer.Option("--demo", help="Load the demo data set first if the database has none.")
    ] = False,
    workers: Annotated[
        int,
        typer.Option("--workers", min=1, max=64, help="Worker processes (each loads the screening lists)."),
    ] = 1,
    recheck_hours: Annotated[
        float,
        typer.Option(
            "--recheck-hours", min=0, help="Re-check open orders every N hours (0: never); as `exportctl recheck`."
        ),
    ] = 24.0,
) -> None:
    """Start the web application and the REST API (OpenAPI at /api/v1/openapi.json)."""
    screening.keep_in_memory()
    screener = party_screener()
    _screening_ready(screener, demo)
    with store.session() as db:
        if not db.scalar(select(func.count()).select_from(User)):
            records.add_user(db, actors.SYSTEM, "admin", "admin")
        if demo:
            _demo_database(db, screener)
    url = f"http://{host}:{port}/"
    out.print(f"exportctl is serving on [bold]{url}[/] (API: {url}api/v1/docs)")
    if demo:
        logins = ", ".join(f"{name} ({role})" for name, role in USERS)
        out.print(f"demo login: {logins}; password [bold]{DEMO_PASSWORD}[/]")
        if host not in LOCALHOST:
            err.print(
                f"[bold yellow]warning:[/] --demo on {host}: anyone who can reach this address can log in with "
                "the public demo password; bind to 127.0.0.1 unless that is what you want"
            )
    if recheck_hours > 0:
        threading.Thread(target=_recheck_every, args=(recheck_hours * 3600, screener), daemon=True).start()
    if workers > 1:  # uvicorn starts each worker from an import string: every worker builds its own app
        uvicorn.run(f"{__name__}:worker_app", factory=True, workers=workers, host=host, port=port, **UVICORN)
    else:
        uvicorn.run(create_app(screener=screener), host=host, port=port, **UVICORN)


def _screening_ready(screener: PartyScreener | None, demo: bool) -> None:
    """Outside --demo, refuse to serve without the lists the regimes require: every order naming a party would
    stay indeterminate, and the users would not know why. The demo warns and serves."""
    try:
        served = checking.served_regimes()
    except ValueError as exc:
        fail(str(exc))
    gaps = checking.required_gaps(screener, dt.date.today(), served)
    if not gaps:
        return
    found = "\n".join(
        f"  {pack}: {gap.list_id} ({gap.title}) {gap.why}" for pack, listed in gaps.items() for gap in listed
    )
    how = (
        "Set EXPORTCTL_LISTS_DIR to the folder of the official list files (METI End User List, MOF asset-freeze "
        "list, UN consolidated list, and the EU's and the US's lists for those regimes), or load each with `exportctl "
        "lists load FILE --list ID` (`exportctl lists ls` shows what is loaded). EXPORTCTL_REGIMES names the regimes "
        "served (e.g. `jp`)."
    )
    if demo:
        err.print(f"[bold yellow]warning:[/] screening lists missing or old:\n{found}\n{how}", soft_wrap=True)
        err.print("[yellow]determinations naming a party stay indeterminate until they are loaded[/]")
        return
    fail(f"the screening lists the regimes require are missing or too old:\n{found}\n{how}")


def _demo_database(db: Session, screener: Screener | None) -> None:
    """Load the demo into a new database; serve a demo database as it is; refuse any other database, whose
    users must never get the public demo password."""
    if demo_present(db):
        return  # nothing is added (a demo database from before demo databases were marked, too)
    if not (is_demo_database(db) or is_new_database(db)):
        fail(NOT_A_DEMO_DATABASE)
    load_demo(db, actors.SYSTEM, screener)


def _recheck_every(seconds: float, screener: PartyScreener | None) -> None:
    """The server's scheduler: re-determine open orders when a dated change comes into force (or a new pack
    version is installed), as `exportctl recheck` does from cron. A failed run is reported, not fatal."""
    while True:
        try:
            with store.session() as db:
                result = recheck(db, actors.SYSTEM, dt.date.today(), screener)
            if result.changed:
                out.print(f"recheck: {len(result.changed)} order(s) changed and blocked for review")
        except Exception as exc:  # the server must keep serving; the next run tries again
            out.print(f"[red]recheck failed:[/] {exc}")
        time.sleep(seconds)


def worker_app() -> FastAPI:
    """The application of one `serve --workers N` worker process (an app factory for uvicorn)."""
    screening.keep_in_memory()
    return create_app(screener=party_screener())
