"""OpenSanctions / FollowTheMoney entities, one JSON object per line (`entities.ftm.json`).

Each line: `{"id": …, "schema": …, "properties": {prop: [values]}, …}`. Person → person; Company, Organization,
LegalEntity → company; Vessel; Airplane → aircraft; every other schema (Address, Sanction, Ownership …) is
skipped. name (first → name, rest → aliases), alias, previousName → aliases; weakAlias → weak aliases;
country/nationality/citizenship/jurisdiction → countries (FtM writes lower-case ISO codes; regions such as `suhh`
are dropped); birthDate; address; topics and program → programs.

The file is streamed line by line, never read whole: OpenSanctions exports run to several GB.

OpenSanctions publishes a designation as an entity of its own: a `Sanction` whose `entity` names the listed
person or company, with its `program` and `authority`; an address likewise as an `Address` (`full`) that the
listed entity names in `addressEntity`. Read as published, each listed entity gets the programmes of the
sanctions naming it and the addresses it names, whichever comes first in the file. In the nested export
(`targets.nested.json`) the same entities sit inside the listed one (`sanctions`, `addressEntity` holding
objects instead of ids): both forms are read.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from exportctl.screening.entities import EntityKind, ListedEntity, LoadedList, dedupe
from exportctl.screening.sources.common import ListFileError, date_in_name, file_sha256

DEFAULT_LIST_ID = "ftm"
KINDS: dict[str, EntityKind] = {
    "Person": "person",
    "Company": "company",
    "Organization": "company",
    "LegalEntity": "company",
    "Vessel": "vessel",
    "Airplane": "aircraft",
}
COUNTRY_PROPS = ("country", "nationality", "citizenship", "jurisdiction")


def _values(properties: dict[str, Any], *props: str) -> list[str]:
    found: list[str] = []
    for prop in props:
        values = properties.get(prop, [])
        found += [v for v in (values if isinstance(values, list) else [values]) if isinstance(v, str)]
    return found


def _nested(properties: dict[str, Any], prop: str) -> list[dict[str, Any]]:
    """The entities held inside a property (the nested export), as their property mappings."""
    values = properties.get(prop, [])
    return [
        v.get("properties") or {} for v in (values if isinstance(values, list) else [values]) if isinstance(v, dict)
    ]


def _programmes(sanction: dict[str, Any]) -> list[str]:
    return _values(sanction, "program", "authority")


def _address(address: dict[str, Any]) -> list[str]:
    return _values(address, "full") or [", ".join(_values(address, "street", "city", "postalCode", "country"))]


@dataclass
class _Published:
    """What the file says about its entities in entities of their own: programmes and addresses, by entity id."""

    programmes: dict[str, list[str]] = field(default_factory=dict)
    addresses: dict[str, list[str]] = field(default_factory=dict)

    def take(self, record: dict[str, Any]) -> None:
        properties = record.get("properties") or {}
        if not isinstance(properties, dict):
            return
        if record.get("schema") == "Sanction":
            for target in _values(properties, "entity"):
                self.programmes.setdefault(target, []).extend(_programmes(properties))
        elif record.get("schema") == "Address" and isinstance(record.get("id"), str):
            self.addresses[record["id"]] = [a for a in _address(properties) if a]

    def joined(self, entity: ListedEntity, source_id: str, address_ids: list[str]) -> ListedEntity:
        """The entity with the programmes of the sanctions naming it and the addresses it names."""
        programmes = self.programmes.get(source_id, [])
        addresses = [a for address_id in address_ids for a in self.addresses.get(address_id, [])]
        if not programmes and not addresses:
            return entity
        return replace(
            entity,
            programs=dedupe([*entity.programs, *programmes]),
            addresses=dedupe([*entity.addresses, *addresses]),
        )


def _entity(list_id: str, record: Any) -> ListedEntity | None:
    """The record as a listed entity (a person, organisation, vessel or aircraft), with what it holds nested."""
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    kind = KINDS.get(str(record.get("schema", "")))
    if kind is None:
        return None
    entity_id = record.get("id")
    if not isinstance(entity_id, str) or not entity_id:
        raise ValueError("no id")
    properties = record.get("properties") or {}
    if not isinstance(properties, dict):
        raise ValueError("properties is not an object")
    names = dedupe([*_values(properties, "name"), str(record.get("caption") or "")])
    if not names:
        raise ValueError(f"entity {entity_id} has no name")
    name = names[0]
    aliases = dedupe([*names[1:], *_values(properties, "alias", "previousName")], exclude=[name])
    countries = [c.upper() for c in _values(properties, *COUNTRY_PROPS) if re.fullmatch(r"[a-z]{2}", c.lower())]
    programmes = [p for sanction in _nested(properties, "sanctions") for p in _programmes(sanction)]
    addresses = [a for address in _nested(properties, "addressEntity") for a in _address(address) if a]
    return ListedEntity(
        list_id=list_id,
        entity_id=f"{list_id}:{entity_id}",
        kind=kind,
        name=name,
        aliases=aliases,
        weak_aliases=dedupe(_values(properties, "weakAlias"), exclude=[name, *aliases]),
        countries=dedupe(countries),
        programs=dedupe([*_values(properties, "topics", "program"), *programmes]),
        birth_dates=dedupe(_values(properties, "birthDate")),
        addresses=dedupe([*_values(properties, "address"), *addresses]),
    )


def read(path: Path, list_id: str = DEFAULT_LIST_ID) -> LoadedList:
    if not path.is_file():
        raise ListFileError(f"{path}: file not found")
    sha256 = file_sha256(path)
    listed: list[tuple[ListedEntity, str, list[str]]] = []  # the entity, its id in the file, its addresses' ids
    published = _Published()
    with path.open("rb") as handle:
        for line_number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                entity = _entity(list_id, record)
            except json.JSONDecodeError as exc:
                raise ListFileError(f"{path}: line {line_number}: not valid JSON ({exc.msg})") from exc
            except (ValueError, UnicodeDecodeError) as exc:
                raise ListFileError(f"{path}: line {line_number}: not an FtM entity ({exc})") from exc
            if entity is not None:
                listed.append((entity, record["id"], _values(record.get("properties") or {}, "addressEntity")))
            else:
                published.take(record)
    entities = tuple(published.joined(*found) for found in listed)
    return LoadedList(list_id, sha256, str(path), date_in_name(path), entities)
