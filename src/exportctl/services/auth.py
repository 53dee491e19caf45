"""Who is calling: passwords (argon2) for people, tokens for systems, sessions that can be ended, and a brake
on guessing that a guesser cannot turn against the real user.

Failed logins are counted in memory, per process (a guesser has to go through one server), under three keys:
the client address (every name tried from it), the address and the name (one name guessed from one address)
and the name alone (a guess from anywhere; many and short, so that a stranger cannot keep the real user out).
Keys are fixed-size digests and their number is capped, so trying long or many names costs no memory. An
unknown name costs the same argon2 verification as a known one, so the time taken does not say which exist.

A web session remembers the user's session generation; logging out, a new password, a new role and
deactivation raise it (in the settings table, one row per user), which ends every session saved before.
Tokens are random and only their SHA-256 is stored; they are listed and revoked one by one.
"""

from __future__ import annotations

import getpass
import hashlib
import secrets
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exportctl import ledger
from exportctl.services.actors import LOCAL_ADMIN, Actor, Role
from exportctl.services.errors import NotFound, RecordError
from exportctl.store.models import ApiToken, Setting, User

_HASHER = PasswordHasher()
MIN_PASSWORD = 10


class LoginRefused(RecordError):
    pass


class TooManyAttempts(LoginRefused):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed logins; try again in {retry_after} s")
        self.retry_after = retry_after


# --- throttling -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Limit:
    """At most `attempts` failures within `window` seconds; past that, wait until the oldest is out of it."""

    attempts: int
    window: float


PER_ADDRESS = Limit(30, 300.0)  # every name tried from one address: a guesser's budget, whatever names
PER_ADDRESS_AND_USER = Limit(5, 300.0)  # one name from one address: the usual lockout, for that address only
PER_USER = Limit(50, 60.0)  # one name from everywhere: many failures, and a wait of at most a minute
MAX_KEYS = 10_000  # ~1 kB each at most: the limiter's memory is bounded whatever is tried


def _key(*parts: str) -> bytes:
    # A digest, so a 100 kB name costs 16 bytes; the separator keeps ("a", "b:c") apart from ("a:b", "c").
    return hashlib.blake2b("\0".join(parts).encode("utf-8", "replace"), digest_size=16).digest()


class RateLimiter:
    """Failure times per key (newest last), least recently failed key first; at most `max_keys` keys."""

    def __init__(
        self,
        per_address: Limit = PER_ADDRESS,
        per_pair: Limit = PER_ADDRESS_AND_USER,
        per_user: Limit = PER_USER,
        max_keys: int = MAX_KEYS,
    ) -> None:
        self.per_address, self.per_pair, self.per_user, self.max_keys = per_address, per_pair, per_user, max_keys
        self._failures: OrderedDict[bytes, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _keys(self, client: str, name: str) -> list[tuple[bytes, Limit]]:
        return [
            (_key("address", client), self.per_address),
            (_key("pair", client, name), self.per_pair),
            (_key("user", name), self.per_user),
        ]

    def check(self, client: str, name: str) -> None:
        """Raise TooManyAttempts when any of the three keys is over its limit."""
        now = time.monotonic()
        waits = []
        with self._lock:
            for key, limit in self._keys(client, name):
                failures = self._failures.get(key)
                if failures is None:
                    continue
                while failures and now - failures[0] > limit.window:
                    failures.popleft()
                if len(failures) >= limit.attempts:
                    waits.append(int(limit.window - (now - failures[0])) + 1)
        if waits:
            raise TooManyAttempts(max(waits))

    def failed(self, client: str, name: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key, limit in self._keys(client, name):
                failures = self._failures.pop(key, None) or deque(maxlen=limit.attempts)
                failures.append(now)
                self._failures[key] = failures  # now the most recently failed key
            while len(self._failures) > self.max_keys:
                self._failures.popitem(last=False)  # forget the key whose last failure is oldest

    def succeeded(self, client: str, name: str) -> None:
        """The user got in from this address: forget its failures for this name there (not the address's own
        count, or one valid account would reset the budget for guessing the others)."""
        with self._lock:
            self._failures.pop(_key("pair", client, name), None)

    def __len__(self) -> int:
        return len(self._failures)


LIMITER = RateLimiter()


# --- passwords and login --------------------------------------------------------------------------------------


@cache
def _dummy_hash() -> str:
    # Verified for unknown names and users without a password: as slow as a real verification.
    return _HASHER.hash(secrets.token_urlsafe(16))


def set_password(db: Session, actor: Actor, name: str, password: str) -> None:
    """A new password; it ends the user's sessions (whoever held the old one is logged out)."""
    if actor.name != name:
        actor.require(Role.ADMIN)
    if len(password) < MIN_PASSWORD:
        raise RecordError(f"password: at least {MIN_PASSWORD} characters")
    user = _user(db, name)
    user.password_hash = _HASHER.hash(password)
    _end_sessions(db, user)
    ledger.append(db, actor.name, "user.password", f"user:{name}", {"changed": True})


def verify_password(db: Session, name: str, password: str) -> Actor:
    """The user, if the password is theirs and the user is active; the same refusal (and time) otherwise."""
    user = db.scalars(select(User).where(User.name == name)).first()
    stored = user.password_hash if user is not None and user.password_hash else None
    try:
        _HASHER.verify(stored or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        raise LoginRefused("wrong user name or password") from None
    if user is None or stored is None or not is_active(db, user):
        raise LoginRefused("wrong user name or password")
    return Actor(user.name, Role(user.role))


def login(db: Session, name: str, password: str, client: str = "") -> Actor:
    LIMITER.check(client, name)
    try:
        actor = verify_password(db, name, password)
    except LoginRefused:
        LIMITER.failed(client, name)
        raise
    LIMITER.succeeded(client, name)
    return actor


# --- accounts: active or not, and the session generation ------------------------------------------------------


def _user(db: Session, name: str) -> User:
    user = db.scalars(select(User).where(User.name == name)).first()
    if user is None:
        raise NotFound(f"user '{name}' does not exist")
    return user


def _account_key(user: User) -> str:
    return f"account:{user.id}"


def _account(db: Session, user: User) -> dict[str, Any]:
    setting = db.get(Setting, _account_key(user))
    return dict(setting.value) if setting is not None else {}


def _update_account(db: Session, user: User, **changes: Any) -> None:
    setting = db.get(Setting, _account_key(user))
    if setting is None:
        db.add(Setting(key=_account_key(user), value=changes))
    else:
        setting.value = dict(setting.value) | changes  # a new dict: the JSON column notices the change
    db.flush()


def is_active(db: Session, user: User) -> bool:
    return bool(_account(db, user).get("active", True))


def session_generation(db: Session, user: User) -> int:
    return int(_account(db, user).get("generation", 0))


def _end_sessions(db: Session, user: User) -> None:
    _update_account(db, user, generation=session_generation(db, user) + 1)


def session_user(db: Session, actor: Actor) -> dict[str, Any]:
    """What a new web session remembers: who, in which role, and the generation it belongs to."""
    user = _user(db, actor.name)
    return {"name": user.name, "role": user.role, "generation": session_generation(db, user)}


def actor_for_session(db: Session, remembered: dict[str, Any]) -> Actor | None:
    """The session's user while the session holds: same generation, same role, still active."""
    user = db.scalars(select(User).where(User.name == str(remembered.get("name")))).first()
    if user is None or remembered.get("role") != user.role or not is_active(db, user):
        return None
    if remembered.get("generation") != session_generation(db, user):
        return None
    return Actor(user.name, Role(user.role))


def log_out(db: Session, actor: Actor) -> None:
    """End every session of the user (a copy of the cookie saved anywhere stops working); tokens stay."""
    _end_sessions(db, _user(db, actor.name))


def _active_admins(db: Session) -> int:
    admins = db.scalars(select(User).where(User.role == Role.ADMIN.value))
    return sum(1 for user in admins if is_active(db, user))


def _keep_an_admin(db: Session, user: User) -> None:
    if user.role == Role.ADMIN and is_active(db, user) and _active_admins(db) <= 1:
        raise RecordError(f"'{user.name}' is the last active admin")


def set_role(db: Session, actor: Actor, name: str, role: str) -> None:
    """A new role (admin only); the user's sessions end, so the old role is not used any more."""
    actor.require(Role.ADMIN)
    role = Role.named(role).value
    user = _user(db, name)
    if role != Role.ADMIN:
        _keep_an_admin(db, user)
    before, user.role = user.role, role
    _end_sessions(db, user)
    ledger.append(db, actor.name, "user.role", f"user:{name}", {"from": before, "to": role})


def set_active(db: Session, actor: Actor, name: str, active: bool) -> None:
    """Deactivate (no login, no token works, sessions end) or activate again (admin only). Nothing is
    revoked or deleted: the user's records and tokens remain, and work again on reactivation."""
    actor.require(Role.ADMIN)
    user = _user(db, name)
    if not active:
        _keep_an_admin(db, user)
    _update_account(db, user, active=active)
    _end_sessions(db, user)
    ledger.append(db, actor.name, "user.activate" if active else "user.deactivate", f"user:{name}", {})


def users(db: Session) -> list[dict[str, Any]]:
    return [
        {"name": user.name, "role": user.role, "active": is_active(db, user)}
        for user in db.scalars(select(User).order_by(User.name))
    ]


# --- local admin mode -----------------------------------------------------------------------------------------


def local_admin() -> Actor:
    """The CLI's explicit local admin mode: whoever can open the database acts as admin, recorded under the
    operating-system account's name (so the ledger tells this apart from an authenticated user)."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # no name for the uid (a container): still recorded as local admin
        who = "unknown"
    return Actor((LOCAL_ADMIN + who)[:100], Role.ADMIN)


# --- tokens ---------------------------------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(db: Session, actor: Actor, user_name: str, token_name: str) -> str:
    """A new API token for a user; shown once."""
    actor.require(Role.ADMIN)
    user = _user(db, user_name)
    token = "xc_" + secrets.token_urlsafe(32)
    db.add(ApiToken(user_id=user.id, name=token_name, token_hash=_digest(token)))
    ledger.append(db, actor.name, "user.token", f"user:{user_name}", {"token": token_name})
    return token


def actor_for_token(db: Session, token: str) -> Actor | None:
    row = db.execute(
        select(ApiToken.id, User)
        .join(User, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == _digest(token), ApiToken.revoked.is_(False))
    ).first()
    if row is None or not is_active(db, row.User):
        return None
    return Actor(row.User.name, Role(row.User.role))


def tokens(db: Session, actor: Actor, user_name: str) -> list[dict[str, Any]]:
    """A user's tokens (their own, or anyone's as admin): id, name, created, revoked. Never the token."""
    if actor.name != user_name:
        actor.require(Role.ADMIN)
    user = _user(db, user_name)
    rows = db.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id))
    return [{"id": t.id, "name": t.name, "created_at": t.created_at.isoformat(), "revoked": t.revoked} for t in rows]


def revoke_token(db: Session, actor: Actor, token_id: int) -> str:
    """Revoke one token (its user's own, or any as admin); returns its user's name."""
    token = db.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"token {token_id} does not exist")
    owner = token.user.name
    if actor.name != owner:
        actor.require(Role.ADMIN)
    if token.revoked:
        raise RecordError(f"token {token_id} is already revoked")
    token.revoked = True
    ledger.append(db, actor.name, "user.revoke-token", f"user:{owner}", {"token": token.name, "id": token_id})
    return owner


def user_count(db: Session) -> int:
    return int(db.scalar(select(func.count()).select_from(User)) or 0)
