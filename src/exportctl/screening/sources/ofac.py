"""US Treasury OFAC SDN list, legacy CSV: `sdn.csv` plus `add.csv` (addresses) and `alt.csv` (aliases).

No header. sdn: ent_num, name, type (`individual`, `vessel`, `aircraft`, `-0-` for entities), programs
(`SDGT] [SYRIA`), title, call sign, vessel type, tonnage, GRT, flag, owner, remarks. alt: ent_num, alt_num, type
(aka/fka/nka), alt name, remarks. add: ent_num, add_num, address, city/state/postal, country, remarks. `-0- `
means empty; the files end with a DOS end-of-file byte (0x1A).

Individuals are written "LAST, First": the name is kept as written and "First LAST" added as an alias. Remarks
give birth dates (`DOB 08 Sep 1966`, `DOB circa 1955`, `DOB 1960 to 1962`, normalised to ISO 8601, a range as
`1960/1962`), more aliases (`a.k.a. 'X'`) and nationality/citizenship (→ countries, with address countries).
The list's sha256 is the hash of the three file hashes, so the version changes when any file changes.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from exportctl.countries import country_code
from exportctl.screening.entities import EntityKind, ListedEntity, LoadedList, dedupe
from exportctl.screening.sources.common import (
    ListFileError,
    date_in_name,
    file_sha256,
    person_reordered,
)

LIST_ID = "us-sdn"
KINDS: dict[str, EntityKind] = {"individual": "person", "vessel": "vessel", "aircraft": "aircraft", "": "company"}
MONTHS = {
    m: i
    for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)
}
DOB = re.compile(r"\bDOB ([^;]+)")
DATE = re.compile(r"(?:(\d{1,2}) )?(?:([A-Za-z]{3})[a-z]* )?(\d{4})")
REMARK_ALIAS = re.compile(r"\b[afn]\.k\.a\. '(.+?)'(?=[;.,)]|\s*$)")
NATIONALITY = re.compile(r"\b(?:nationality|citizen) ([^;.]+)")


def _cell(value: str) -> str:
    value = value.strip()
    return "" if value == "-0-" else " ".join(value.split())


def _date(text: str) -> str:
    found = DATE.search(text)
    if not found:
        return ""
    day, month, year = found.groups()
    month_number = MONTHS.get(month.lower()) if month else None
    if month_number is None:
        return year
    return f"{year}-{month_number:02d}" + (f"-{int(day):02d}" if day else "")


def birth_dates(remarks: str) -> list[str]:
    """'DOB 08 Sep 1966; alt. DOB 1960 to 1962' → ['1966-09-08', '1960/1962']."""
    found: list[str] = []
    for match in DOB.finditer(remarks):
        start, _, end = match.group(1).partition(" to ")
        first, last = _date(start), _date(end)
        found.append(f"{first}/{last}" if first and last else first)
    return [d for d in found if d]


def _rows(path: Path, columns: int) -> Iterator[tuple[int, list[str]]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            for row in reader:
                if not row or (len(row) == 1 and row[0].strip() in ("", "\x1a")):
                    continue
                if len(row) != columns:
                    raise ListFileError(f"{path}: line {reader.line_num}: {len(row)} columns, expected {columns}")
                if not row[0].strip().isdigit():
                    raise ListFileError(f"{path}: line {reader.line_num}, column 1: ent_num '{row[0]}' is not a number")
                yield reader.line_num, row
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ListFileError(f"{path}: not a readable CSV file ({exc})") from exc


@dataclass
class _Extra:
    aliases: list[str] = field(default_factory=list)
    weak: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)


def _sibling(sdn_path: Path, suffix: str) -> Path | None:
    candidate = sdn_path.with_name(re.sub(r"sdn(?=[^/]*$)", suffix, sdn_path.name, count=1))
    return candidate if candidate != sdn_path and candidate.is_file() else None


def _version_hash(sdn_path: Path, add_path: Path | None, alt_path: Path | None) -> str:
    hashes = [file_sha256(p) if p else "" for p in (sdn_path, add_path, alt_path)]
    return hashlib.sha256("".join(hashes).encode()).hexdigest()


def version_hash(sdn_path: Path) -> str:
    """The list's sha256 as `read` gives it, without reading the list (the index file's key needs it)."""
    return _version_hash(sdn_path, _sibling(sdn_path, "add"), _sibling(sdn_path, "alt"))


def read(sdn_path: Path, add_path: Path | None = None, alt_path: Path | None = None) -> LoadedList:
    if not sdn_path.is_file():
        raise ListFileError(f"{sdn_path}: file not found")
    add_path = add_path or _sibling(sdn_path, "add")
    alt_path = alt_path or _sibling(sdn_path, "alt")
    for extra_path in (add_path, alt_path):
        if extra_path is not None and not extra_path.is_file():
            raise ListFileError(f"{extra_path}: file not found")
    sha256 = _version_hash(sdn_path, add_path, alt_path)

    extras: dict[str, _Extra] = {}
    if alt_path is not None:
        for _, (ent, _num, alt_type, alt_name, remarks) in _rows(alt_path, 5):
            extra = extras.setdefault(ent.strip(), _Extra())
            weak = "weak" in _cell(alt_type).lower() or "weak" in _cell(remarks).lower()
            (extra.weak if weak else extra.aliases).append(_cell(alt_name))
    if add_path is not None:
        for _, (ent, _num, address, city, country, _remarks) in _rows(add_path, 6):
            extra = extras.setdefault(ent.strip(), _Extra())
            code = country_code(_cell(country))
            if code:
                extra.countries.append(code)
            extra.addresses.append(", ".join(p for p in (_cell(address), _cell(city), _cell(country)) if p))

    entities: list[ListedEntity] = []
    for line, row in _rows(sdn_path, 12):
        ent, name, sdn_type, programs, remarks = row[0].strip(), _cell(row[1]), _cell(row[2]), row[3], _cell(row[11])
        if not name:
            raise ListFileError(f"{sdn_path}: line {line}, column 2: name is empty")
        kind = KINDS.get(sdn_type.lower())
        if kind is None:
            raise ListFileError(f"{sdn_path}: line {line}, column 3: unknown type '{sdn_type}'")
        extra = extras.get(ent, _Extra())
        aliases = [*extra.aliases, *REMARK_ALIAS.findall(remarks)]
        if kind == "person":
            aliases = [a for alias in [name, *aliases] for a in (alias, person_reordered(alias) or "")]
        kept = dedupe(aliases, exclude=[name])
        nationalities = [country_code(n) for n in NATIONALITY.findall(remarks)]
        entities.append(
            ListedEntity(
                list_id=LIST_ID,
                entity_id=f"{LIST_ID}:{ent}",
                kind=kind,
                name=name,
                aliases=kept,
                weak_aliases=dedupe(extra.weak, exclude=[name, *kept]),
                countries=dedupe([*(c for c in nationalities if c), *extra.countries]),
                programs=dedupe(p.strip(" []") for p in _cell(programs).split("] [")),
                birth_dates=dedupe(birth_dates(remarks)),
                addresses=dedupe(extra.addresses),
                remarks=remarks,
            )
        )
    return LoadedList(LIST_ID, sha256, str(sdn_path), date_in_name(sdn_path), tuple(entities))
