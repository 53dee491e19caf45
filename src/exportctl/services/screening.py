"""The screener over the configured lists, built once per process and per choice of lists."""

from __future__ import annotations

from functools import cache

from exportctl.screening.screener import Screener
from exportctl.services.lists import screening_lists


@cache
def screener(only: frozenset[str] | None = None) -> Screener:
    return Screener(screening_lists(set(only) if only else None))
