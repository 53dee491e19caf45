"""Request plumbing: one database transaction per request, the calling user, role checks, CSRF.

A caller is a system with `Authorization: Bearer <token>` or a person with the web session cookie. Writes
made with the cookie must also carry the session's CSRF token (form field `csrf_token` or header
`X-CSRF-Token`), so another site cannot make a logged-in browser post.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from exportctl.services import auth, records
from exportctl.services.actors import Actor, Role
from exportctl.store import db as store

SAFE = {"GET", "HEAD", "OPTIONS"}


def database(request: Request) -> Iterator[Session]:
    """The request's transaction. A GET reads in a read transaction (on SQLite it neither waits for nor
    holds the write lock); any other method writes in one transaction that commits when the endpoint
    returns — before the response is sent (scope "function" below), so a 2xx means the change is stored,
    and a commit that fails becomes an error response (see http/errors.py), never a success."""
    readonly = request.method in SAFE
    with records.database_errors(), store.session(request.app.state.database_url, readonly=readonly) as db:
        yield db


Database = Annotated[Session, Depends(database, scope="function")]


def read_database(request: Request) -> Iterator[Session]:
    """A read transaction whatever the method: for a POST that only computes (the order form's live check, sent
    on every change), so that it never takes, or waits for, the write lock an order being entered needs."""
    with records.database_errors(), store.session(request.app.state.database_url, readonly=True) as db:
        yield db


ReadDatabase = Annotated[Session, Depends(read_database, scope="function")]


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(24)
        request.session["csrf"] = token
    return str(token)


async def _csrf_sent(request: Request) -> str | None:
    header = request.headers.get("x-csrf-token")
    if header:
        return header
    if request.headers.get("content-type", "").startswith(("application/x-www-form-urlencoded", "multipart/")):
        form = await request.form()
        value = form.get("csrf_token")
        return value if isinstance(value, str) else None
    return None


TOKEN_CACHE_SECONDS = 2.0  # a revoked token stops working within this time
_token_cache: dict[tuple[str, str], tuple[float, Actor]] = {}


def _token_actor(database_url: str, token: str) -> Actor | None:
    # A short read-only transaction of its own: the request's (writing) transaction is not opened just to
    # authenticate, and no write lock is held while the endpoint runs.
    with store.session(database_url, readonly=True) as db:
        return auth.actor_for_token(db, token)


def _session_actor(database_url: str, remembered: dict[str, Any]) -> Actor | None:
    with store.session(database_url, readonly=True) as db:
        return auth.actor_for_session(db, remembered)


async def session_actor(request: Request) -> Actor | None:
    """The person the session cookie names, while the session holds; None if there is none or it has ended
    (then the cookie is cleared). Checked on every request (a read, in a worker thread): a cookie saved before a
    logout, a password or role change or a deactivation must stop working at once, on every server process."""
    user = request.session.get("user")
    if not user:
        return None
    actor = await run_in_threadpool(_session_actor, request.app.state.database_url, dict(user))
    if actor is None:
        request.session.clear()
    return actor


async def _bearer_actor(database_url: str, token: str) -> Actor | None:
    """The token's user, remembered for TOKEN_CACHE_SECONDS: systems call often, and a lookup costs more
    than a determination. Only the token's SHA-256 is kept, as in the database."""
    key = (database_url, hashlib.sha256(token.encode()).hexdigest())
    now = time.monotonic()
    cached = _token_cache.get(key)
    if cached is not None and cached[0] > now:
        return cached[1]
    actor = await run_in_threadpool(_token_actor, database_url, token)
    if actor is None:
        _token_cache.pop(key, None)
        return None
    if len(_token_cache) > 10_000:  # many distinct tokens: start again rather than grow without bound
        _token_cache.clear()
    _token_cache[key] = (now + TOKEN_CACHE_SECONDS, actor)
    return actor


# An API token is sent as `Bearer <token>`, or as `ApiKey <token>`, the scheme yente's clients send
# (nomenklatura's YenteEnricher), so that they work against /yente unchanged.
TOKEN_SCHEMES = frozenset({"bearer", "apikey"})


async def current_actor(request: Request) -> Actor:
    """The caller (a Bearer token's user, else the session's person), or 401. Kept on the request, so a page
    answering an error later shows who is signed in without asking the database again."""
    scheme, _, credentials = request.headers.get("authorization", "").strip().partition(" ")
    if scheme.lower() in TOKEN_SCHEMES:
        # In a worker thread: a blocking database call on the event loop would stall every other request
        # (and on SQLite deadlock against a request that holds the write lock and needs the loop to finish).
        actor = await _bearer_actor(request.app.state.database_url, credentials.strip())
        if actor is None:
            raise HTTPException(401, "invalid or revoked token")
    else:
        actor = await _cookie_actor(request)
    request.state.actor = actor
    return actor


async def _cookie_actor(request: Request) -> Actor:
    if not request.session.get("user"):
        raise HTTPException(401, "log in, or send a Bearer token")
    actor = await session_actor(request)
    if actor is None:  # logged out elsewhere, new password or role, deactivated: this cookie is done
        raise HTTPException(401, "the session has ended; log in again")
    if request.method not in SAFE:
        sent = await _csrf_sent(request)
        if not sent or not secrets.compare_digest(sent, csrf_token(request)):
            raise HTTPException(403, "missing or wrong CSRF token")
    return actor


async def signed_in(request: Request) -> Actor | None:
    """Who is signed in, for a page that shows it whatever happened (an error page): the caller already
    authenticated for this request, else the session's person, else nobody."""
    known: Actor | None = getattr(request.state, "actor", None)
    return known if known is not None else await session_actor(request)


def role(minimum: Role) -> Callable[..., Awaitable[Actor]]:
    async def check(actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
        actor.require(minimum)
        return actor

    return check


Viewer = Annotated[Actor, Depends(role(Role.VIEWER))]
Clerk = Annotated[Actor, Depends(role(Role.CLERK))]
Officer = Annotated[Actor, Depends(role(Role.OFFICER))]
