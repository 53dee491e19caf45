"""The kinds of refusal a service raises. Each interface answers by the kind, never by the message."""

from __future__ import annotations

# The kinds of refusal. Each interface answers by the kind, never by the message: the HTTP application maps
# them to statuses in one table (refused 422, invalid 422, not found 404, conflict 409, permission 403, busy 503,
# too large 413).


class RecordError(ValueError):
    """A request the records refuse (the state of a record does not allow it): names the field or record."""


class PermissionDenied(RecordError):
    """The actor's role does not allow this."""


class Invalid(RecordError):
    """A value in the request that cannot be accepted, whatever its message says."""


class TooLarge(Invalid):
    """A value (an uploaded file) over its size limit, refused while it was read."""


class NotFound(RecordError):
    """The record the request names (in its path or as its subject) does not exist."""


class Conflict(RecordError):
    """The record exists already, or another transaction wrote the same key first (a race the existence checks
    cannot see)."""


class Busy(RecordError):
    """The database could not take the change now (locked, serialisation failure, unreachable)."""


def shown(value: str, limit: int = 40) -> str:
    """A value quoted in an error message, cut short: an error must not echo 100,000 characters back."""
    return repr(value if len(value) <= limit else value[:limit] + "…")
