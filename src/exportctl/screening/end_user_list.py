"""Japan's End User List as an in-memory index (exact match after normalisation).

Fuzzy and cross-script matching come with the screening engine; this index answers the catch-all
end-user requirement with the names and aliases METI publishes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from exportctl.model import EndUserHit
from exportctl.screening.names import normalise

WMD_CONCERNS = ("B", "C", "M", "N")


@dataclass(frozen=True, slots=True)
class ListEntry:
    entity_id: str
    name: str
    aliases: tuple[str, ...]
    country: str
    concerns: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class EndUserList:
    list_id: str
    version: str
    published: dt.date | None
    entries: tuple[ListEntry, ...]
    _index: dict[str, list[tuple[ListEntry, str]]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, list[tuple[ListEntry, str]]] = {}
        for entry in self.entries:
            for name in entry.names:
                key = normalise(name)
                if key:
                    index.setdefault(key, []).append((entry, name))
        object.__setattr__(self, "_index", index)

    @classmethod
    def of(cls, list_id: str, version: str, published: dt.date | None, entries: Iterable[ListEntry]) -> EndUserList:
        return cls(list_id, version, published, tuple(entries))

    def lookup(self, name: str) -> tuple[EndUserHit, ...]:
        seen: set[str] = set()
        hits: list[EndUserHit] = []
        for entry, matched in self._index.get(normalise(name), []):
            if entry.entity_id in seen:
                continue
            seen.add(entry.entity_id)
            hits.append(
                EndUserHit(
                    self.list_id,
                    self.version,
                    entry.entity_id,
                    entry.name,
                    matched,
                    entry.country,
                    entry.concerns,
                )
            )
        return tuple(hits)
