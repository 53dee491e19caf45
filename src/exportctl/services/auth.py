"""Who is calling: passwords (argon2) for people, tokens for systems, and a brake on guessing.

Failed logins are rate-limited per user name and per client address (in memory, per process: a guesser
has to go through one server). Tokens are random and only their SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from exportctl import ledger
from exportctl.services.records import Actor, RecordError
from exportctl.store.models import ApiToken, User

_HASHER = PasswordHasher()
MIN_PASSWORD = 10


class LoginRefused(RecordError):
    pass


class TooManyAttempts(LoginRefused):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed logins; try again in {retry_after} s")
        self.retry_after = retry_after


@dataclass
class RateLimiter:
    """At most `attempts` failures per key within `window` seconds."""

    attempts: int = 5
    window: float = 300.0
    _failures: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                failures = self._failures[key]
                while failures and now - failures[0] > self.window:
                    failures.popleft()
                if len(failures) >= self.attempts:
                    raise TooManyAttempts(int(self.window - (now - failures[0])) + 1)

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._failures[key].append(now)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


LIMITER = RateLimiter()


def set_password(db: Session, actor: Actor, name: str, password: str) -> None:
    if actor.name != name:
        actor.require("admin")
    if len(password) < MIN_PASSWORD:
        raise RecordError(f"password: at least {MIN_PASSWORD} characters")
    user = db.scalars(select(User).where(User.name == name)).first()
    if user is None:
        raise RecordError(f"user '{name}' does not exist")
    user.password_hash = _HASHER.hash(password)
    ledger.append(db, actor.name, "user.password", f"user:{name}", {"changed": True})


def login(db: Session, name: str, password: str, client: str = "") -> Actor:
    LIMITER.check(f"user:{name}", f"client:{client}")
    user = db.scalars(select(User).where(User.name == name)).first()
    try:
        if user is None or user.password_hash is None:
            raise VerificationError("unknown user")
        _HASHER.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        LIMITER.failed(f"user:{name}", f"client:{client}")
        raise LoginRefused("wrong user name or password") from None
    LIMITER.succeeded(f"user:{name}")
    return Actor(user.name, user.role)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(db: Session, actor: Actor, user_name: str, token_name: str) -> str:
    """A new API token for a user; shown once."""
    actor.require("admin")
    user = db.scalars(select(User).where(User.name == user_name)).first()
    if user is None:
        raise RecordError(f"user '{user_name}' does not exist")
    token = "xc_" + secrets.token_urlsafe(32)
    db.add(ApiToken(user_id=user.id, name=token_name, token_hash=_digest(token)))
    ledger.append(db, actor.name, "user.token", f"user:{user_name}", {"token": token_name})
    return token


def actor_for_token(db: Session, token: str) -> Actor | None:
    row = db.execute(
        select(User.name, User.role)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == _digest(token), ApiToken.revoked.is_(False))
    ).first()
    return Actor(row.name, row.role) if row is not None else None
