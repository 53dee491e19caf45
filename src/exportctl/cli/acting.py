"""The records commands' shared ground: one transaction per command, the acting user, errors → exit 2.

The acting user is `--user NAME` (before the command) or EXPORTCTL_USER, default `admin`. Bootstrap: while
the users table is empty, the first command creates the user `admin` (role admin) — through the records
service, as `system`, so the ledger records it — and later users are added by an admin (`users add`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import func, make_url, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from exportctl.cli.app import DEFAULT_USER, acting
from exportctl.cli.common import err, fail, input_errors
from exportctl.regime import OutsideCoverage
from exportctl.screening.screener import Screener
from exportctl.services import records, screening
from exportctl.services.records import Actor, RecordError
from exportctl.store import db as store
from exportctl.store.models import User


def acting_user(db: Session) -> Actor:
    if not db.scalar(select(func.count()).select_from(User)):
        records.add_user(db, records.SYSTEM, DEFAULT_USER, "admin")
    return records.actor_named(db, acting["user"])


@contextmanager
def transaction() -> Iterator[tuple[Session, Actor]]:
    """One command's work, all or nothing: any refusal rolls everything back and exits 2 with the message."""
    try:
        with input_errors(), store.session() as db:
            yield db, acting_user(db)
    except (RecordError, OutsideCoverage) as exc:
        fail(str(exc))
    except OperationalError as exc:
        fail(f"database {make_url(store.database_url()).render_as_string(hide_password=True)}: {exc.orig}")


def party_screener() -> Screener | None:
    """The configured lists' screener; None (parties stay unscreened) when no list is configured."""
    configured = screening.screener()
    if not configured.index.lists:
        err.print("[yellow]no screening lists configured (EXPORTCTL_LISTS_DIR or `lists load`): not screened[/]")
        return None
    return configured
