"""The screener over every configured list, built once per process (callers choose lists per query).

It also answers how old each list is: the engine has no clock, so a required list's age reaches it through
the screener (days since the list was last known current, on today's date; see `lists.current_lists`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from exportctl.screening.screener import Screener
from exportctl.services.lists import current_lists

MAX_AGE_ENV = "EXPORTCTL_LIST_MAX_AGE_DAYS"


class ListConfigError(ValueError):
    """The screening configuration is unusable (a bad setting); the message says which and how to fix it."""


def max_age_override() -> int | None:
    """The operator's maximum list age in days (EXPORTCTL_LIST_MAX_AGE_DAYS); None: each list's pack limit."""
    text = os.environ.get(MAX_AGE_ENV, "").strip()
    if not text:
        return None
    if not text.isdecimal() or int(text) < 1:
        raise ListConfigError(f"{MAX_AGE_ENV} must be a whole number of days (1 or more), not '{text}'")
    return int(text)


@dataclass
class ConfiguredScreener(Screener):
    """The screener over the configured lists, knowing the day each was last known current (`as_of`)."""

    as_of: Mapping[str, dt.date] = field(default_factory=dict)

    def list_age_days(self, list_id: str) -> int | None:
        known = self.as_of.get(list_id)
        # Measured at each determination, so a long-running server notices its lists growing old.
        return (dt.datetime.now(dt.UTC).date() - known).days if known is not None else None

    def max_list_age_days(self, pack_limit: int | None) -> int | None:
        override = max_age_override()
        return override if override is not None else pack_limit


@cache
def screener() -> ConfiguredScreener:
    """The configured lists; a bad EXPORTCTL_LIST_MAX_AGE_DAYS is refused here, before anything is screened."""
    max_age_override()
    lists = current_lists()
    return ConfiguredScreener([c.loaded for c in lists], as_of={c.loaded.list_id: c.as_of for c in lists})
