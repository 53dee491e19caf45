"""`serve`: the web application and REST API (uvicorn)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Annotated

import typer
import uvicorn
from fastapi import FastAPI
from sqlalchemy import func, select

from exportctl.api import create_app
from exportctl.cli.acting import party_screener
from exportctl.cli.app import app
from exportctl.cli.common import out
from exportctl.demo import DEMO_PASSWORD, USERS, demo_present, load_demo
from exportctl.model import PartyScreener
from exportctl.services import records
from exportctl.services.recheck import recheck
from exportctl.store import db as store
from exportctl.store.models import User


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
    screener = party_screener()
    with store.session() as db:
        if not db.scalar(select(func.count()).select_from(User)):
            records.add_user(db, records.SYSTEM, "admin", "admin")
        if demo and not demo_present(db):
            load_demo(db, records.SYSTEM, screener)
    url = f"http://{host}:{port}/"
    out.print(f"exportctl is serving on [bold]{url}[/] (API: {url}api/v1/docs)")
    if demo:
        logins = ", ".join(f"{name} ({role})" for name, role in USERS)
        out.print(f"demo login: {logins}; password [bold]{DEMO_PASSWORD}[/]")
    if recheck_hours > 0:
        threading.Thread(target=_recheck_every, args=(recheck_hours * 3600, screener), daemon=True).start()
    if workers > 1:  # uvicorn starts each worker from an import string: every worker builds its own app
        uvicorn.run(f"{__name__}:worker_app", factory=True, workers=workers, host=host, port=port, log_level="warning")
    else:
        uvicorn.run(create_app(screener=screener), host=host, port=port, log_level="warning")


def _recheck_every(seconds: float, screener: PartyScreener | None) -> None:
    """The server's scheduler: re-determine open orders when a dated change comes into force (or a new pack
    version is installed), as `exportctl recheck` does from cron. A failed run is reported, not fatal."""
    while True:
        try:
            with store.session() as db:
                result = recheck(db, records.SYSTEM, dt.date.today(), screener)
            if result.changed:
                out.print(f"recheck: {len(result.changed)} order(s) changed and blocked for review")
        except Exception as exc:  # the server must keep serving; the next run tries again
            out.print(f"[red]recheck failed:[/] {exc}")
        time.sleep(seconds)


def worker_app() -> FastAPI:
    """The application of one `serve --workers N` worker process (an app factory for uvicorn)."""
    return create_app(screener=party_screener())
