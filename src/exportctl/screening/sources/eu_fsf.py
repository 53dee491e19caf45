"""EU Financial Sanctions Files (FSF): the consolidated list of persons, groups and entities subject to EU
financial sanctions, XML as the Commission publishes it (`xmlFullSanctionsList_1_1`, namespace
`http://eu.europa.ec/fpi/fsd/export`).

`export` (generationDate) holds `sanctionEntity` records (logicalId, euReferenceNumber, unitedNationId,
designationDate). Each has a `subjectType` (code `person` or `enterprise`), `nameAlias` elements (wholeName, or
firstName/middleName/lastName; `strong="false"` marks a weak alias), `regulation` (programme, numberTitle),
`citizenship` and `address` (countryIso2Code, where "00" means unknown), `birthdate` (birthdate, or year) and
`remark`. Every attribute is optional in the published schema; a record without any name is an error.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from exportctl.screening.entities import EntityKind, ListedEntity, LoadedList, dedupe
from exportctl.screening.sources.common import ListFileError, date_in_name, file_sha256, iso_date, xml_records

LIST_ID = "eu-fsf"
ROOT = "export"
RECORDS = frozenset({"sanctionEntity"})
KINDS: dict[str, EntityKind] = {"person": "person", "enterprise": "company", "entity": "company"}
UNKNOWN_COUNTRY = {"", "00"}
ADDRESS_PARTS = ("street", "poBox", "city", "zipCode", "region", "place", "countryDescription")


def _children(record: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in record if isinstance(child.tag, str) and etree.QName(child).localname == name]


def _attr(element: etree._Element, name: str) -> str:
    return " ".join((element.get(name) or "").split())


def _alias_name(alias: etree._Element) -> str:
    whole = _attr(alias, "wholeName")
    return whole or " ".join(p for p in (_attr(alias, n) for n in ("firstName", "middleName", "lastName")) if p)


def _birth_dates(record: etree._Element) -> list[str]:
    found: list[str] = []
    for birth in _children(record, "birthdate"):
        date, year = _attr(birth, "birthdate"), _attr(birth, "year")
        found.append(date[:10] if date else year)
    return found


def _countries(record: etree._Element) -> list[str]:
    codes = [
        _attr(e, "countryIso2Code").upper()
        for n in ("citizenship", "address", "birthdate")
        for e in _children(record, n)
    ]
    return [code for code in codes if code not in UNKNOWN_COUNTRY and len(code) == 2 and code.isalpha()]


def _remarks(record: etree._Element) -> str:
    reference, listed = _attr(record, "euReferenceNumber"), _attr(record, "designationDate")
    notes = [" ".join((r.text or "").split()) for r in _children(record, "remark")]
    regulations = [_attr(r, "numberTitle") for r in _children(record, "regulation")]
    parts = [reference, f"listed {listed}" if listed else "", *(f"Regulation {r}" for r in regulations if r), *notes]
    return "; ".join(dedupe(parts))


def _record(path: Path, record: etree._Element) -> ListedEntity:
    logical_id = _attr(record, "logicalId")
    where = f"{path}: line {record.sourceline}, <sanctionEntity>"
    if not logical_id:
        raise ListFileError(f"{where}: no logicalId")
    where += f" logicalId {logical_id}"
    subject = _children(record, "subjectType")
    code = _attr(subject[0], "code").lower() if subject else ""
    strong: list[str] = []
    weak: list[str] = []
    for alias in _children(record, "nameAlias"):
        (weak if _attr(alias, "strong").lower() == "false" else strong).append(_alias_name(alias))
    names = dedupe(strong) or dedupe(weak)
    if not names:
        raise ListFileError(f"{where}: no nameAlias with a name")
    addresses = [
        ", ".join(p for p in (_attr(a, part) for part in ADDRESS_PARTS) if p) for a in _children(record, "address")
    ]
    kind = KINDS.get(code, "unknown")
    return ListedEntity(
        list_id=LIST_ID,
        entity_id=f"{LIST_ID}:{logical_id}",
        kind=kind,
        name=names[0],
        aliases=dedupe(names[1:]),
        weak_aliases=dedupe(weak, exclude=names),
        countries=dedupe(_countries(record)),
        programs=dedupe(_attr(r, "programme") for r in _children(record, "regulation")),
        birth_dates=dedupe(_birth_dates(record)) if kind == "person" else (),
        addresses=dedupe(addresses),
        remarks=_remarks(record),
    )


def read(path: Path) -> LoadedList:
    published = None
    entities: list[ListedEntity] = []
    for root, record in xml_records(path, ROOT, RECORDS):
        published = published or iso_date(root.get("generationDate"))
        entities.append(_record(path, record))
    return LoadedList(LIST_ID, file_sha256(path), str(path), published or date_in_name(path), tuple(entities))
