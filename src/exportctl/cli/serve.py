"""`serve`: the web application and REST API (uvicorn)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
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
from exportctl.services import actors, checking, list_update, records, screening
from exportctl.services.recheck import recheck
from exportctl.store import db as store
from exportctl.store.models import User

LOCALHOST = {"127.0.0.1", "localhost", "::1"}
# No proxy headers: uvicorn would otherwise take the client address from X-Forwarded-For on connections from
# 127.0.0.1, and a local client could name a new address for every guessed password. The application
# believes those headers only from EXPORTCTL_TRUSTED_PROXIES (api/edge.py).
UVICORN: dict[str, Any] = {"log_level": "warning", "proxy_headers": False}
LIST_TIMEOUT = 60.0  # seconds without an answer before a scheduled list download is given up
LIST_CHECK_SECONDS = 60.0  # how often a server looks for new list versions (a few stats and the manifest)


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
    update_lists_hours: Annotated[
        float,
        typer.Option(
            "--update-lists-hours",
            min=0,
            help="Fetch the official lists every N hours (0: never); as `exportctl lists update`.",
        ),
    ] = 0.0,
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
    application = create_app(screener=screener) if workers == 1 else None
    current = CurrentLists(screener, application)
    _in_background(current.follow, LIST_CHECK_SECONDS)
    if recheck_hours > 0:
        _in_background(_recheck_every, recheck_hours * 3600, current)
    if update_lists_hours > 0:
        _in_background(_update_lists_every, update_lists_hours * 3600)
    if application is None:  # uvicorn starts each worker from an import string: every worker builds its own app
        uvicorn.run(f"{__name__}:worker_app", factory=True, workers=workers, host=host, port=port, **UVICORN)
    else:
        uvicorn.run(application, host=host, port=port, **UVICORN)


def _in_background(work: Callable[..., None], *arguments: Any) -> None:
    threading.Thread(target=work, args=arguments, daemon=True).start()


class CurrentLists:
    """The screener a server process answers with, kept on the current list versions: a version stored by `lists
    update` or `lists load` (from cron, the scheduler or a shell) is screened against within `LIST_CHECK_SECONDS`
    of being stored, without a restart. Until the new index is built, the previous screener answers."""

    def __init__(self, screener: PartyScreener | None, application: FastAPI | None) -> None:
        self.screener = screener
        self.application = application
        self.signature = screening.sources_signature()

    def refresh(self) -> bool:
        """Take up the configured lists if their versions changed; whether they had."""
        now = screening.sources_signature()
        if now == self.signature:
            return False
        screening.screener.cache_clear()
        fresh = screening.screener()
        self.screener = fresh if fresh.index.lists else None
        if self.application is not None:
            self.application.state.screener = self.screener
        self.signature = now
        out.print(f"screening lists now: {', '.join(f'{k} {v[:12]}' for k, v in sorted(fresh.versions.items()))}")
        return True

    def follow(self, seconds: float) -> None:
        while True:
            time.sleep(seconds)
            try:
                self.refresh()
            except Exception as exc:  # a bad list setting or file: keep answering with the lists in use
                err.print(f"screening lists not reloaded: {exc}", markup=False)


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


def _recheck_every(seconds: float, current: CurrentLists) -> None:
    """The server's scheduler: re-determine open orders when a dated change comes into force (or a new pack
    version is installed), as `exportctl recheck` does from cron. A failed run is reported, not fatal."""
    while True:
        try:
            with store.session() as db:
                result = recheck(db, actors.SYSTEM, dt.date.today(), current.screener)
            if result.changed:
                out.print(f"recheck: {len(result.changed)} order(s) changed and blocked for review")
        except Exception as exc:  # the server must keep serving; the next run tries again
            out.print(f"[red]recheck failed:[/] {exc}")
        time.sleep(seconds)


def _update_lists_every(seconds: float) -> None:
    """The server's scheduler: fetch the official lists, as `exportctl lists update` does from cron."""
    while True:
        try:
            update_lists_once()
        except Exception as exc:  # the server must keep serving; the next run tries again
            err.print(f"lists update failed: {exc}", markup=False)
        time.sleep(seconds)


def update_lists_once() -> None:
    """One scheduled run: every list with a URL; a new version re-screens the parties it affects (as the system
    user). A list whose download fails keeps its last good version and is logged."""
    outcomes = list_update.update_lists(list_update.targets([]), LIST_TIMEOUT)
    for outcome in outcomes:
        if outcome.status == "failed":
            kept = outcome.stored.version if outcome.stored else "(none)"
            err.print(f"{outcome.list_id}: kept version {kept}: {outcome.detail}", markup=False, soft_wrap=True)
        elif outcome.status == "stored" and outcome.stored is not None:
            out.print(f"lists update: {outcome.list_id}: {outcome.stored.version}", markup=False)
    updates = [o.update for o in outcomes if o.update is not None]
    if updates and list_update.database_exists():
        screening.screener.cache_clear()  # the next screener is built over the versions just stored
        with store.session() as db:
            list_update.rescreen(db, actors.SYSTEM, updates, screening.screener())


def worker_app() -> FastAPI:
    """The application of one `serve --workers N` worker process (an app factory for uvicorn)."""
    screening.keep_in_memory()
    screener = party_screener()
    application = create_app(screener=screener)
    _in_background(CurrentLists(screener, application).follow, LIST_CHECK_SECONDS)
    return application
