"""What every list reader produces: listed entities with their names, and the versioned list they form.

One shape for every official format, so the index, the scorer and `lists diff` never care where an entity
came from. Entities keep list-specific facts (End User List concern types, sanctions programmes) as typed
fields rather than free-form blobs, because determinations act on them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

EntityKind = Literal["company", "person", "vessel", "aircraft", "unknown"]


@dataclass(frozen=True, slots=True)
class ListedEntity:
    list_id: str
    entity_id: str
    kind: EntityKind
    name: str
    aliases: tuple[str, ...] = ()
    weak_aliases: tuple[str, ...] = ()  # "low quality" aliases: matched, but only as a weak feature
    countries: tuple[str, ...] = ()  # ISO 3166-1 alpha-2
    programs: tuple[str, ...] = ()  # sanctions programmes or, for the CSL, the source list
    concerns: tuple[str, ...] = ()  # End User List: B, C, M, N, CW
    birth_dates: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    remarks: str = ""
    licence_requirement: str = ""  # the Entity List's License Requirement column
    review_policy: str = ""  # its License Review Policy column

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def fingerprint(self) -> str:
        """Content hash of everything but the id: `lists diff` calls an entry changed when this differs."""
        parts = [self.kind, self.name, *self.aliases, "|", *self.weak_aliases, "|", *self.countries, "|"]
        parts += [*self.programs, "|", *self.concerns, "|", *self.birth_dates, "|", *self.addresses, "|", self.remarks]
        if self.licence_requirement or self.review_policy:  # only then, so other lists' fingerprints keep their value
            parts += ["|", self.licence_requirement, "|", self.review_policy]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class LoadedList:
    """One version of one list: identified by its source file's hash, dated by its publication."""

    list_id: str
    sha256: str
    source: str
    published: dt.date | None
    entities: tuple[ListedEntity, ...] = field(repr=False)

    @property
    def version(self) -> str:
        return list_version(self.list_id, self.sha256)

    @property
    def entity_count(self) -> int:
        return len(self.entities)

    @property
    def name_count(self) -> int:
        return sum(len(e.names) + len(e.weak_aliases) for e in self.entities)


def list_version(list_id: str, sha256: str) -> str:
    """How a version of a list is named: its id and the start of its file's hash (us-sdn-3f2a…)."""
    return f"{list_id}-{sha256[:12]}"


def dedupe(names: Iterable[str], exclude: Iterable[str] = ()) -> tuple[str, ...]:
    """Names in first-seen order, blanks and repeats (and anything in `exclude`) dropped."""
    seen = {n.casefold() for n in exclude}
    kept: list[str] = []
    for name in names:
        clean = " ".join(name.split())
        if clean and clean.casefold() not in seen:
            seen.add(clean.casefold())
            kept.append(clean)
    return tuple(kept)
