"""OpenSanctions / FollowTheMoney entities, one JSON object per line (`entities.ftm.json`).

Each line: `{"id": …, "schema": …, "properties": {prop: [values]}, …}`. Person → person; Company, Organization,
LegalEntity → company; Vessel; Airplane → aircraft; every other schema (Address, Sanction, Ownership …) is
skipped. name (first → name, rest → aliases), alias, previousName → aliases; weakAlias → weak aliases;
country/nationality/citizenship/jurisdiction → countries (FtM writes lower-case ISO codes; regions such as `suhh`
are dropped); birthDate; address; topics and program → programs.

The file is streamed line by line, never read whole: OpenSanctions exports run to several GB.
"""

from __future__ import annotations

import json
import re
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


def _entity(list_id: str, record: Any) -> ListedEntity | None:
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
    return ListedEntity(
        list_id=list_id,
        entity_id=f"{list_id}:{entity_id}",
        kind=kind,
        name=name,
        aliases=aliases,
        weak_aliases=dedupe(_values(properties, "weakAlias"), exclude=[name, *aliases]),
        countries=dedupe(countries),
        programs=dedupe(_values(properties, "topics", "program")),
        birth_dates=dedupe(_values(properties, "birthDate")),
        addresses=dedupe(_values(properties, "address")),
    )


def read(path: Path, list_id: str = DEFAULT_LIST_ID) -> LoadedList:
    if not path.is_file():
        raise ListFileError(f"{path}: file not found")
    sha256 = file_sha256(path)
    entities: list[ListedEntity] = []
    with path.open("rb") as handle:
        for line_number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                entity = _entity(list_id, json.loads(line))
            except json.JSONDecodeError as exc:
                raise ListFileError(f"{path}: line {line_number}: not valid JSON ({exc.msg})") from exc
            except (ValueError, UnicodeDecodeError) as exc:
                raise ListFileError(f"{path}: line {line_number}: not an FtM entity ({exc})") from exc
            if entity is not None:
                entities.append(entity)
    return LoadedList(list_id, sha256, str(path), date_in_name(path), tuple(entities))
