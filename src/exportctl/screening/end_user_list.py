"""Japan's End User List as an exact-match index (after normalisation), for the catch-all requirement.

The fuzzy multilingual screener answers "could this party be listed?"; this index answers the narrower
question the catch-all end-user requirement needs when the officer names the end user exactly as listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from exportctl.core_types import ScreeningHit
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
    def versions(self) -> dict[str, str]:
        """The list searched, as a screener reports it: recorded with each determination, so a replay knows
        the end user was checked against this list."""
        return {self.list_id: self.version}

    @property
    def entries(self) -> tuple[ListedEntity, ...]:
        return self.source.entities

    def lookup(self, name: str) -> tuple[ScreeningHit, ...]:
        seen: set[str] = set()
        hits: list[ScreeningHit] = []
        for entity, matched in self._index.get(normalise(name), []):
            if entity.entity_id in seen:
                continue
            seen.add(entity.entity_id)
            hits.append(
                ScreeningHit(
                    list_id=self.list_id,
                    list_version=self.version,
                    entity_id=entity.entity_id,
                    name=entity.name,
                    matched_name=matched,
                    score=1.0,
                    countries=entity.countries,
                    concerns=entity.concerns,
                    explanation={"method": "exact (normalised)"},
                )
            )
        return tuple(hits)

    def screen_party(self, name: str, country: str | None) -> tuple[ScreeningHit, ...]:
        return self.lookup(name)

    def has_list(self, list_id: str) -> bool:
        return list_id == self.list_id

    def list_age_days(self, list_id: str) -> int | None:
        return None  # pure: no clock

    def max_list_age_days(self, pack_limit: int | None) -> int | None:
        return pack_limit
