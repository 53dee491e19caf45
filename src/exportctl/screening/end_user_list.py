"""Japan's End User List as an exact-match index (after normalisation), for the catch-all requirement.

The fuzzy multilingual screener answers "could this party be listed?"; this index answers the narrower
question the catch-all end-user requirement needs when the officer names the end user exactly as listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from exportctl.model import EndUserHit
from exportctl.screening.entities import ListedEntity, LoadedList
from exportctl.screening.names import normalise


@dataclass(frozen=True)
class EndUserList:
    source: LoadedList
    _index: dict[str, list[tuple[ListedEntity, str]]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, list[tuple[ListedEntity, str]]] = {}
        for entity in self.source.entities:
            for name in entity.names:
                key = normalise(name)
                if key:
                    index.setdefault(key, []).append((entity, name))
        object.__setattr__(self, "_index", index)

    @property
    def list_id(self) -> str:
        return self.source.list_id

    @property
    def version(self) -> str:
        return self.source.version

    @property
    def entries(self) -> tuple[ListedEntity, ...]:
        return self.source.entities

    def lookup(self, name: str) -> tuple[EndUserHit, ...]:
        seen: set[str] = set()
        hits: list[EndUserHit] = []
        for entity, matched in self._index.get(normalise(name), []):
            if entity.entity_id in seen:
                continue
            seen.add(entity.entity_id)
            country = entity.countries[0] if entity.countries else ""
            hits.append(
                EndUserHit(self.list_id, self.version, entity.entity_id, entity.name, matched, country, entity.concerns)
            )
        return tuple(hits)
