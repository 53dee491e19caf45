"""US Consolidated Screening List (trade.gov), CSV with a header row.

Two header variants: the older one starts `source,entity_number,type,…`; the current one adds `_id` in front.
`source` names the component list ("Entity List (EL) - Bureau of Industry and Security"): it is the entity's
first programme, followed by the `programs` codes. `alt_names`, `addresses`, `dates_of_birth`, `nationalities`
and `citizenships` are `;`-separated; each address ends with its ISO country code. `type` is Individual, Entity,
Vessel or Aircraft, and empty for the BIS/State lists (then company when the name has a legal form, else unknown).
Entity List license requirement and policy are kept in `remarks`.

entity_id: `us-csl:<_id>` when the file has ids; else `us-csl:<source abbreviation>:<entity_number>`, or the row
number when there is no entity number. An id that would repeat gets `:r<row>` appended.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pycountry

from exportctl.countries import country_code
from exportctl.screening.entities import EntityKind, ListedEntity, LoadedList, dedupe
from exportctl.screening.sources.common import (
    ListFileError,
    company_like,
    date_in_name,
    file_sha256,
    person_reordered,
)

LIST_ID = "us-csl"
REQUIRED = ("source", "entity_number", "type", "programs", "name", "addresses", "alt_names", "dates_of_birth")
KINDS: dict[str, EntityKind] = {"individual": "person", "entity": "company", "vessel": "vessel", "aircraft": "aircraft"}
ABBREVIATION = re.compile(r"\(([A-Z0-9-]+)\)")
SUCCESSORS = re.compile(r";\s*and any successor.*$", re.IGNORECASE)


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _split(text: str | None) -> list[str]:
    parts = (_clean(part) for part in (text or "").split(";"))
    return [re.sub(r"^and\s+", "", part) for part in parts if part]


def _address_country(address: str) -> str | None:
    last = address.rsplit(",", 1)[-1].strip()
    if re.fullmatch(r"[A-Z]{2}", last) and pycountry.countries.get(alpha_2=last):
        return last
    return None


def _abbreviation(source: str) -> str:
    found = ABBREVIATION.search(source)
    return found.group(1) if found else re.sub(r"\W+", "-", source).strip("-").upper()[:24]


def read(path: Path) -> LoadedList:
    if not path.is_file():
        raise ListFileError(f"{path}: file not found")
    sha256 = file_sha256(path)
    pending: list[tuple[str, int, dict[str, Any]]] = []
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
            if missing:
                raise ListFileError(f"{path}: line 1: not a CSL header (missing column {', '.join(missing)})")
            for row_number, row in enumerate(reader, start=1):
                line = reader.line_num
                if None in row:
                    raise ListFileError(f"{path}: line {line}: more cells than header columns")
                pending.append((_entity_id(row, row_number), row_number, _entity(path, line, row)))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ListFileError(f"{path}: not a readable CSV file ({exc})") from exc
    counts = Counter(entity_id for entity_id, _, _ in pending)
    entities = tuple(
        ListedEntity(entity_id=entity_id if counts[entity_id] == 1 else f"{entity_id}:r{row}", **fields)
        for entity_id, row, fields in pending
    )
    return LoadedList(LIST_ID, sha256, str(path), date_in_name(path), entities)


def _entity_id(row: dict[str, str], row_number: int) -> str:
    if _clean(row.get("_id")):
        return f"{LIST_ID}:{_clean(row['_id'])}"
    number = _clean(row["entity_number"]) or f"r{row_number}"
    return f"{LIST_ID}:{_abbreviation(_clean(row['source']))}:{number}"


def _entity(path: Path, line: int, row: dict[str, str]) -> dict[str, Any]:
    source, name = _clean(row["source"]), SUCCESSORS.sub("", _clean(row["name"])).strip()
    if not source:
        raise ListFileError(f"{path}: line {line}, column source: empty")
    if not name:
        raise ListFileError(f"{path}: line {line}, column name: empty")
    row_type = _clean(row["type"]).lower()
    kind = KINDS.get(row_type) if row_type else ("company" if company_like(name) else "unknown")
    if kind is None:
        raise ListFileError(f"{path}: line {line}, column type: unknown type '{row['type']}'")
    aliases = _split(row["alt_names"])
    if kind == "person":
        aliases = [a for alias in [name, *aliases] for a in (alias, person_reordered(alias) or "")]
    addresses = _split(row["addresses"])
    codes = [_address_country(a) for a in addresses]
    codes += [country_code(c) for c in _split(row.get("nationalities")) + _split(row.get("citizenships"))]
    remarks = [_clean(row.get("remarks"))]
    if _clean(row.get("license_requirement")):
        remarks.append(f"License requirement: {_clean(row.get('license_requirement'))}")
    if _clean(row.get("license_policy")):
        remarks.append(f"License policy: {_clean(row.get('license_policy'))}")
    kept = dedupe(aliases, exclude=[name])
    return {
        "list_id": LIST_ID,
        "kind": kind,
        "name": name,
        "aliases": kept,
        "countries": dedupe(c for c in codes if c),
        "programs": dedupe([source, *_split(row["programs"])]),
        "birth_dates": dedupe(_split(row["dates_of_birth"])),
        "addresses": dedupe(addresses),
        "remarks": "; ".join(r for r in remarks if r),
    }
