"""UN Security Council Consolidated List, XML (`CONSOLIDATED_LIST`).

`INDIVIDUALS/INDIVIDUAL`: FIRST_NAME … FOURTH_NAME, INDIVIDUAL_ALIAS (QUALITY Good / a.k.a. / f.k.a. → alias,
Low → weak alias), NAME_ORIGINAL_SCRIPT, INDIVIDUAL_DATE_OF_BIRTH (DATE, YEAR or FROM_YEAR/TO_YEAR), NATIONALITY.
`ENTITIES/ENTITY`: FIRST_NAME (several names are sometimes written `A ; B`: the first is the name, the rest
aliases), ENTITY_ALIAS, ENTITY_ADDRESS. DATAID is the stable id; UN_LIST_TYPE the programme. Countries come from
nationality and address countries. Birth dates are ISO 8601 (partial) dates; a range is written `1973/1974`.

Streamed (`common.xml_records`), so the full list's size does not matter.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from lxml import etree

from exportctl.countries import country_code
from exportctl.screening.entities import EntityKind, ListedEntity, LoadedList, dedupe
from exportctl.screening.sources.common import ListFileError, date_in_name, file_sha256, iso_date, xml_records

LIST_ID = "un"
ROOT = "CONSOLIDATED_LIST"
RECORDS = frozenset({"INDIVIDUAL", "ENTITY"})
WEAK_QUALITIES = {"low"}
NOT_APPLICABLE = {"na", "n/a"}  # the UN writes "na" for a missing name part
ADDRESS_PARTS = ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")


def _text(element: etree._Element | None) -> str:
    return " ".join((element.text or "").split()) if element is not None else ""


def _child(element: etree._Element, tag: str) -> str:
    return _text(element.find(tag))


def _birth_dates(record: etree._Element) -> list[str]:
    found: list[str] = []
    for dob in record.iterfind("INDIVIDUAL_DATE_OF_BIRTH"):
        date, year = _child(dob, "DATE"), _child(dob, "YEAR")
        start, end = _child(dob, "FROM_YEAR"), _child(dob, "TO_YEAR")
        if date:
            found.append(date[:10])
        elif year:
            found.append(year)
        elif start or end:
            found.append(f"{start}/{end}" if start and end and start != end else start or end)
    found += [_text(d)[:10] for d in record.iterfind("INDIVIDUAL_ALIAS/DATE_OF_BIRTH") if _text(d)]
    return found


def _record(path: Path, record: etree._Element, kind: EntityKind) -> ListedEntity:
    where = f"{path}: line {record.sourceline}, <{record.tag}>"
    data_id = _child(record, "DATAID")
    if not data_id:
        raise ListFileError(f"{where}: no DATAID")
    where += f" DATAID {data_id}"
    prefix = "INDIVIDUAL" if kind == "person" else "ENTITY"
    if kind == "person":
        parts = [_child(record, tag) for tag in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
        names = [" ".join(p for p in parts if p and p.lower() not in NOT_APPLICABLE)]
    else:
        names = [n.strip() for n in _child(record, "FIRST_NAME").split(" ; ")]
    name = names[0]
    if not name:
        raise ListFileError(f"{where}: no FIRST_NAME")
    aliases: list[str] = names[1:]
    weak: list[str] = []
    for alias in record.iterfind(f"{prefix}_ALIAS"):
        alias_name = _child(alias, "ALIAS_NAME")
        (weak if _child(alias, "QUALITY").lower() in WEAK_QUALITIES else aliases).append(alias_name)
    aliases.append(_child(record, "NAME_ORIGINAL_SCRIPT"))
    country_names = [_text(v) for v in record.iterfind("NATIONALITY/VALUE")]
    addresses: list[str] = []
    for address in record.iterfind(f"{prefix}_ADDRESS"):
        country_names.append(_child(address, "COUNTRY"))
        addresses.append(", ".join(t for t in (_child(address, p) for p in ADDRESS_PARTS) if t))
    countries = [c for c in (country_code(n) for n in country_names if n) if c]
    aliases_kept = dedupe(aliases, exclude=[name])
    listed_on = _child(record, "LISTED_ON")
    remarks = "; ".join(
        r for r in (_child(record, "REFERENCE_NUMBER"), f"listed {listed_on}" if listed_on else "") if r
    )
    return ListedEntity(
        list_id=LIST_ID,
        entity_id=f"{LIST_ID}:{data_id}",
        kind=kind,
        name=" ".join(name.split()),
        aliases=aliases_kept,
        weak_aliases=dedupe(weak, exclude=[name, *aliases_kept]),
        countries=dedupe(countries),
        programs=dedupe([_child(record, "UN_LIST_TYPE")]),
        birth_dates=dedupe(_birth_dates(record)) if kind == "person" else (),
        addresses=dedupe(addresses),
        remarks=remarks,
    )


def read(path: Path) -> LoadedList:
    published: dt.date | None = None
    entities: list[ListedEntity] = []
    for root, record in xml_records(path, ROOT, RECORDS):
        published = published or iso_date(root.get("dateGenerated"))
        entities.append(_record(path, record, "person" if record.tag == "INDIVIDUAL" else "company"))
    return LoadedList(LIST_ID, file_sha256(path), str(path), published or date_in_name(path), tuple(entities))
