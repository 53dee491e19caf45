"""The screener over every configured list, built once per process (callers choose lists per query)."""

from __future__ import annotations

from functools import cache

from exportctl.screening.screener import Screener
from exportctl.services.lists import screening_lists


@cache
def screener() -> Screener:
    return Screener(screening_lists())
