"""The records commands' shared ground: one transaction per command, who acts, errors → exit 2.

Who acts must be provable, so a records command needs a credential:
- EXPORTCTL_TOKEN: an API token (`users token`); it acts as its user (`--user`, if given, must be that user);
- `--user NAME` without a token: the password is asked for at the terminal (never on the command line);
  without a terminal that is an error, exit 2;
- `--local-admin`: no credential, for whoever can open the database anyway. The ledger records the actor as
  `local-admin:<OS user>`, and that actor never counts as the second officer of a four-eyes release.

Bootstrap: while the users table is empty, the first command creates the user `admin` (role admin) — through
the records service, as `system`, so the ledger records it — and, given no credential, acts as it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import typer
from sqlalchemy import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from exportctl.cli.common import configured_screener, err, fail, input_errors
from exportctl.cli.root import DEFAULT_USER, acting
from exportctl.regime import OutsideCoverage
from exportctl.screening.screener import Screener
from exportctl.services import actors, auth, records
from exportctl.services.actors import Actor
from exportctl.services.errors import RecordError
from exportctl.services.screening import ListConfigError
from exportctl.store import db as store

TOKEN_ENV = "EXPORTCTL_TOKEN"
NO_CREDENTIAL = (
    f"who is acting? set {TOKEN_ENV} to an API token (exportctl users token NAME), or give --user NAME in a "
    "terminal (the password is asked for), or --local-admin (recorded as such)"
)


@dataclass(frozen=True)
class Credential:
    """What this invocation offers as proof of who acts; checked inside the command's transaction."""

    user: str | None = None
    token: str | None = None
    password: str | None = None
    local_admin: bool = False


def interactive() -> bool:
    return sys.stdin.isatty()


def credential() -> Credential:
    """Gathered before the transaction opens: a password prompt must not hold the database's write lock."""
    user = acting["user"] if isinstance(acting["user"], str) else None
    token = os.environ.get(TOKEN_ENV, "").strip() or None
    if acting["local_admin"]:
        if user is not None or token is not None:
            fail(f"--local-admin acts without a credential: leave out --user and {TOKEN_ENV}")
        return Credential(local_admin=True)
    if token is not None or user is None or not interactive():
        return Credential(user=user, token=token)
    return Credential(user=user, password=typer.prompt(f"password for {user}", hide_input=True, err=True))


def _bootstrap(db: Session) -> bool:
    """Create `admin` in an empty database; True when this command did."""
    if auth.user_count(db):
        return False
    records.add_user(db, actors.SYSTEM, DEFAULT_USER, "admin")
    return True


def acting_user(db: Session, given: Credential) -> Actor:
    created = _bootstrap(db)
    if given.local_admin:
        return auth.local_admin()
    if created and given.token is None and given.user in (None, DEFAULT_USER):
        return records.actor_named(db, DEFAULT_USER)  # the first command, on an empty database
    if given.token is not None:
        return _token_user(db, given)
    if given.user is None:
        raise RecordError(NO_CREDENTIAL)
    if given.password is None:
        records.actor_named(db, given.user)  # "does not exist" first: that is the more useful message
        raise RecordError(f"--user {given.user}: no password given (not a terminal). {NO_CREDENTIAL}")
    return auth.verify_password(db, given.user, given.password)


def _token_user(db: Session, given: Credential) -> Actor:
    actor = auth.actor_for_token(db, given.token or "")
    if actor is None:
        raise RecordError(f"{TOKEN_ENV} is not a valid token (unknown, revoked, or its user is deactivated)")
    if given.user is not None and given.user != actor.name:
        raise RecordError(f"{TOKEN_ENV} acts as {actor.name}, not as --user {given.user}")
    return actor


@contextmanager
def transaction() -> Iterator[tuple[Session, Actor]]:
    """One command's work, all or nothing: any refusal rolls everything back and exits 2 with the message."""
    given = credential()
    try:
        with input_errors(), records.database_errors(busy=False), store.session() as db:
            yield db, acting_user(db, given)
    except (RecordError, OutsideCoverage) as exc:
        fail(str(exc))
    except OperationalError as exc:  # the database cannot be opened or is locked: name it
        fail(f"database {make_url(store.database_url()).render_as_string(hide_password=True)}: {exc.orig}")


def party_screener() -> Screener | None:
    """The configured lists' screener; None (parties stay unscreened) when no list is configured."""
    try:
        configured = configured_screener()
    except ListConfigError as exc:
        fail(str(exc))
    if not configured.index.lists:
        err.print(
            "[yellow]no screening lists configured (EXPORTCTL_LISTS_DIR or `lists load`): parties are not screened, "
            "so determinations naming them stay indeterminate[/]"
        )
        return None
    return configured
