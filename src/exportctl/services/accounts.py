"""What the admin pages show and change about users, their tokens and the release settings, composed of the
audited services (auth, records, orders): every change here is recorded in the ledger by those services.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exportctl.services import auth, orders, records
from exportctl.services.actors import Actor, Role
from exportctl.services.errors import Invalid, shown
from exportctl.store.models import ApiToken, User

# The blocking reasons an officer's reason may lift, so the only ones the settings choose among. licence-needed
# (a licence from the book) and prohibited are never overridden (orders.NEVER_OVERRIDDEN).
RELEASABLE = (orders.SCREENING_HIT, orders.INDETERMINATE, orders.RECHECK_REVIEW)


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    active: bool
    tokens: int  # tokens not revoked


@dataclass(frozen=True)
class Token:
    id: int
    user: str
    name: str
    created_at: str
    revoked: bool


def accounts(db: Session) -> list[Account]:
    """Every user by name, with role, whether active and how many tokens are not revoked."""
    valid = select(ApiToken.user_id, func.count()).where(ApiToken.revoked.is_(False)).group_by(ApiToken.user_id)
    counted: dict[int, int] = {user_id: count for user_id, count in db.execute(valid)}
    ids: dict[str, int] = {name: user_id for name, user_id in db.execute(select(User.name, User.id))}
    return [
        Account(user["name"], user["role"], user["active"], int(counted.get(ids[user["name"]], 0)))
        for user in auth.users(db)
    ]


def all_tokens(db: Session, actor: Actor) -> list[Token]:
    """Every user's tokens (admin), by user then id: never the token itself, which is not stored."""
    actor.require(Role.ADMIN)
    rows = db.execute(
        select(ApiToken, User.name).join(User, ApiToken.user_id == User.id).order_by(User.name, ApiToken.id)
    )
    return [
        Token(token.id, name, token.name, token.created_at.isoformat(timespec="seconds"), token.revoked)
        for token, name in rows
    ]


def add_account(db: Session, actor: Actor, name: str, role: str, password: str) -> None:
    """A user who can log in at once. The password is checked first, so a refused one leaves no user behind
    even if the caller's transaction were committed."""
    actor.require(Role.ADMIN)
    if len(password) < auth.MIN_PASSWORD:
        raise Invalid(f"password: at least {auth.MIN_PASSWORD} characters")
    records.add_user(db, actor, name, role)
    auth.set_password(db, actor, name, password)


@dataclass(frozen=True)
class ReleaseSettings:
    four_eyes: frozenset[str]  # overridden reasons that need a second officer
    overridable: frozenset[str]  # reasons an officer's reason may lift


def release_settings(db: Session) -> ReleaseSettings:
    """The settings in effect (a setting never made counts as every releasable reason, as orders.py applies it)."""
    four_eyes = orders.four_eyes_reasons(db)
    return ReleaseSettings(
        frozenset(RELEASABLE) if four_eyes is None else frozenset(four_eyes) & frozenset(RELEASABLE),
        frozenset(reason for reason in RELEASABLE if orders.may_override(db, reason)),
    )


def _releasable(field: str, reasons: Collection[str]) -> frozenset[str]:
    for reason in reasons:
        if reason not in RELEASABLE:
            raise Invalid(f"{field}: {shown(reason)} is not one of {', '.join(RELEASABLE)}")
    return frozenset(reasons)


def save_release_settings(db: Session, actor: Actor, four_eyes: Collection[str], overridable: Collection[str]) -> int:
    """Store what changed (each through its service, which records it in the ledger); returns how many
    settings changed. Both lists are checked before either is stored."""
    actor.require(Role.ADMIN)
    wanted = ReleaseSettings(_releasable("four_eyes", four_eyes), _releasable("overridable", overridable))
    now = release_settings(db)
    changed = 0
    if wanted.four_eyes != now.four_eyes:
        orders.set_four_eyes(db, actor, sorted(wanted.four_eyes))
        changed += 1
    if wanted.overridable != now.overridable:
        orders.set_overridable(db, actor, sorted(wanted.overridable))
        changed += 1
    return changed
