"""US BIS Denied Persons List, tab-separated with quoted cells and a header row.

Columns: Name, Street_Address, City, State, Country, Postal_Code, Effective_Date, Expiration_Date (MM/DD/YYYY,
expiration sometimes empty), Standard_Order, Last_Update, Action, FR_Citation. The file says neither person nor
company: names with a legal form or trade word (INC, LTD, GMBH, AIRLINES …) are companies, the rest persons.
Names carrying an alias (`FUYI SUN A/K/A FRANK SUN`, `PEARL (A.K.A. NEI-CHIEN CHU) LI`) are split.

Every row is kept, expired or not: `remarks` says "effective …; expires …" (ISO dates) and the FR citation.
One denial is often written as several rows, one per address. Rows with the same name and effective date are
one entity with several addresses, whose id is a stable hash of that pair: `us-dpl:<12 hex>`. Row numbers would
shift whenever BIS inserts a row, so `lists diff` would report spurious changes.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from exportctl.countries import country_code
from exportctl.screening.entities import ListedEntity, LoadedList, dedupe
from exportctl.screening.sources.common import ListFileError, company_like, date_in_name, file_sha256

LIST_ID = "us-dpl"
COLUMNS = ("Name", "Street_Address", "City", "State", "Country", "Postal_Code", "Effective_Date", "Expiration_Date")
ADDRESS = ("Street_Address", "City", "State", "Postal_Code", "Country")
INLINE_ALIAS = re.compile(r"\s*\(A\.K\.A\.?\s*([^)]*)\)\s*", re.IGNORECASE)
SPLIT_ALIAS = re.compile(r"\s+A/K/A\s+", re.IGNORECASE)


@dataclass
class _Denial:
    name: str
    aliases: list[str]
    effective: str
    expires: str
    citation: str
    countries: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _date(path: Path, line: int, column: str, text: str, required: bool) -> str:
    if not text and not required:
        return ""
    try:
        return dt.datetime.strptime(text, "%m/%d/%Y").date().isoformat()
    except ValueError:
        raise ListFileError(f"{path}: line {line}, column {column}: '{text}' is not a MM/DD/YYYY date") from None


def _names(cell: str) -> tuple[str, list[str]]:
    aliases = INLINE_ALIAS.findall(cell)
    name, *more = SPLIT_ALIAS.split(INLINE_ALIAS.sub(" ", cell))
    return _clean(name), [_clean(a) for a in [*aliases, *more]]


def read(path: Path) -> LoadedList:
    if not path.is_file():
        raise ListFileError(f"{path}: file not found")
    sha256 = file_sha256(path)
    denials: dict[str, _Denial] = {}
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle, delimiter="\t")
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise ListFileError(f"{path}: line 1: not a Denied Persons List header (missing {', '.join(missing)})")
            for row in reader:
                line = reader.line_num
                if None in row or None in row.values():
                    cells = sum(v is not None for k, v in row.items() if k is not None) + len(row.get(None) or [])
                    expected = len(reader.fieldnames or [])
                    raise ListFileError(f"{path}: line {line}: {cells} cells, expected {expected}")
                name, aliases = _names(_clean(row["Name"]))
                if not name:
                    raise ListFileError(f"{path}: line {line}, column Name: empty")
                effective = _date(path, line, "Effective_Date", _clean(row["Effective_Date"]), required=True)
                expires = _date(path, line, "Expiration_Date", _clean(row["Expiration_Date"]), required=False)
                key = hashlib.sha256(f"{name.upper()}|{effective}".encode()).hexdigest()[:12]
                denial = denials.setdefault(
                    key, _Denial(name, aliases, effective, expires, _clean(row.get("FR_Citation")))
                )
                code = country_code(_clean(row["Country"]))
                if code:
                    denial.countries.append(code)
                denial.addresses.append(", ".join(p for p in (_clean(row[c]) for c in ADDRESS) if p))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ListFileError(f"{path}: not a readable tab-separated file ({exc})") from exc
    entities = tuple(
        ListedEntity(
            list_id=LIST_ID,
            entity_id=f"{LIST_ID}:{key}",
            kind="company" if company_like(d.name) else "person",
            name=d.name,
            aliases=dedupe(d.aliases, exclude=[d.name]),
            countries=dedupe(d.countries),
            addresses=dedupe(d.addresses),
            remarks="; ".join(
                r for r in (f"effective {d.effective}", f"expires {d.expires}" if d.expires else "", d.citation) if r
            ),
        )
        for key, d in denials.items()
    )
    return LoadedList(LIST_ID, sha256, str(path), date_in_name(path), entities)
