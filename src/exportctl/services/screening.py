"""The screener over every configured list, built once per process (callers choose lists per query).

It also answers how old each list is: the engine has no clock, so a required list's age reaches it through
the screener (days since the list was last known current, on today's date; see `lists.ListSource.as_of`).

The index is opened from the file built for the current list versions (services/index_file.py), or built and
kept when the lists changed; `set_progress` lets a command show that build.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from exportctl.core_types import PartyScreener
from exportctl.screening.screener import Screener
from exportctl.services import index_file
from exportctl.services.lists import list_sources

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
    sources = list_sources()
    tables = index_file.open_or_build(sources, _progress[0], in_memory=_in_memory[0])
    as_of = {source.list_id: source.as_of(tables.lists[source.list_id].published) for source in sources}
    configured = ConfiguredScreener(tables, as_of=as_of)
    if _in_memory[0]:
        keep_out_of_collections()
    return configured


def keep_out_of_collections() -> None:
    """Everything this process holds now, above all an index read into memory (a million long-lived objects), kept
    out of the cyclic collector's walks, which would otherwise visit it again and again while the objects of requests
    and rows come and go: a batch worker's partition costs about 15 % less CPU (determine partitions of 2,500 rows,
    13.1–14.8 s against 15.8–17.4 s, alternating), a bulk entry of 2,000 orders spends 0.22 s collecting instead of
    0.55 s. What an earlier call kept is collected first, so an index replaced by a new list version goes."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


_progress: list[index_file.Progress | None] = [None]
_in_memory = [False]


def in_memory(screener: PartyScreener | None) -> bool:
    """Whether `screener` screens from memory alone (or there is none), so that a process forked from this one may
    screen with it (`services/forked.py`). An index read from its file on demand holds an SQLite connection, which
    SQLite forbids using across a fork; a screener of another kind is not known to be safe."""
    if screener is None:
        return True
    if not isinstance(screener, Screener):
        return False
    tables = screener.index.tables
    held = (tables.entities, tables.names, tables.quick, tables.postings, tables.phonetic, tables.deletions)
    return all(isinstance(table, dict | list) for table in held)


def keep_in_memory() -> None:
    """Read the whole index into memory when it is opened: a server or a batch answers many queries (about four
    times faster than looking each token up in the file), where a command answering one opens it in milliseconds."""
    _in_memory[0] = True


def set_progress(report: index_file.Progress | None) -> None:
    """Who is told how a build of the index goes (a command's progress bar); None: nobody."""
    _progress[0] = report


def sources_signature() -> tuple[tuple[object, ...], ...]:
    """What names the configured list versions without reading a list: each stored version's hash, each shipped
    file's path, size and modification time. A server compares it now and then to notice a new version stored by
    `lists update` or `lists load` (from cron, the scheduler or a shell) and screen against it."""
    signature: list[tuple[object, ...]] = []
    for source in list_sources():
        if source.stored is not None:
            signature.append((source.list_id, source.stored.sha256))
        elif source.path is not None:
            status = source.path.stat()
            signature.append((source.list_id, str(source.path), status.st_size, status.st_mtime_ns))
    return tuple(sorted(signature, key=repr))
