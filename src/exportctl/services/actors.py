"""Who acts: a user's ranked role, the actor a service is called as, and the system's own actor."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from exportctl.services.errors import Invalid, PermissionDenied, shown


class Role(StrEnum):
    """A user's role, lowest first: each role may do all that the roles before it may."""

    VIEWER = "viewer"
    CLERK = "clerk"
    OFFICER = "officer"
    ADMIN = "admin"

    @classmethod
    def named(cls, value: str) -> Role:
        try:
            return cls(value)
        except ValueError:
            raise Invalid(f"role: {shown(value)} is not one of {', '.join(cls)}") from None

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def at_least(self, minimum: Role) -> bool:
        return self.rank >= minimum.rank


@dataclass(frozen=True)
class Actor:
    name: str
    role: Role

    def __post_init__(self) -> None:
        # A role read from the database or a session arrives as text: it becomes a Role here, once, for all.
        object.__setattr__(self, "role", Role(self.role))

    def require(self, minimum: Role) -> None:
        if not self.role.at_least(minimum):
            allowed = " or ".join(role for role in Role if role.at_least(minimum))
            raise PermissionDenied(f"{self.name} ({self.role}) may not do this: needs {allowed}")

    @property
    def local_admin(self) -> bool:
        """The CLI's explicit local admin mode (no credential): recorded as such, never a second approval."""
        return self.name.startswith(LOCAL_ADMIN)


LOCAL_ADMIN = "local-admin:"  # prefix of the local admin mode's actor name; no user may be named so
SYSTEM = Actor("system", Role.ADMIN)
