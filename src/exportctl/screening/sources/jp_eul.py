"""METI End User List (外国ユーザーリスト), Excel format.

Columns: No. | Country or Region (Japanese, newline, English) | Company or Organization (English, often
with the original-script name or an acronym in brackets) | Also Known As (`・`-separated, one per line) |
Type of WMD (Japanese, newline, B/C/M/N) | Conventional weapons (CW). openpyxl returns cell values, so the
phonetic-guide runs (<rPh>) some cells carry are never read.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import openpyxl

from exportctl.screening.entities import ListedEntity, LoadedList, dedupe
from exportctl.screening.sources.common import ListFileError, date_in_name, file_sha256

LIST_ID = "jp-eul"
HEADER_MARKERS = ("No.", "Country", "Company", "Also Known As", "WMD", "Conventional")
BRACKETED = re.compile(r"\s*[(（]([^()（）]+)[)）]\s*$")

# English country names as METI writes them → ISO 3166-1 alpha-2.
COUNTRIES = {
    "Islamic Republic of Afghanistan": "AF",
    "United Arab Emirates": "AE",
    "Republic of Yemen": "YE",
    "State of Israel": "IL",
    "Islamic Republic of Iran": "IR",
    "India": "IN",
    "Arab Republic of Egypt": "EG",
    "Syrian Arab Republic": "SY",
    "Islamic Republic of Pakistan": "PK",
    "Republic of Lebanon": "LB",
    "Russian Federation": "RU",
    "People's Republic of China": "CN",
    "North Korea": "KP",
    "Taiwan": "TW",
    "Hong Kong": "HK",
}


def _text(value: object) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip() if value is not None else ""


def _split_name(cell: str) -> tuple[str, list[str]]:
    """'Air Koryo\\n(高麗航空)' → ('Air Koryo', ['高麗航空']); a bracketed acronym is an alias too."""
    name = " ".join(cell.split())
    aliases: list[str] = []
    match = BRACKETED.search(name)
    if match and match.start() > 0:
        aliases.append(match.group(1).strip())
        name = name[: match.start()].strip()
    return name, aliases


def _aliases(cell: str) -> list[str]:
    parts = re.split(r"[・\n]", cell)
    return [" ".join(part.split()) for part in parts if part.strip()]


def _concerns(wmd: str, conventional: str) -> tuple[str, ...]:
    letters = wmd.rsplit("\n", 1)[-1] if "\n" in wmd else wmd
    found = [c for c in ("B", "C", "M", "N") if c in letters.upper()]
    if "CW" in conventional.upper():
        found.append("CW")
    return tuple(found)


def read_end_user_list(path: Path) -> LoadedList:
    if not path.is_file():
        raise ListFileError(f"{path}: file not found")
    sha256 = file_sha256(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a non-xlsx file
        raise ListFileError(f"{path}: not a readable Excel workbook ({exc})") from exc
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_text(v) for v in next(rows, ())]
    if len(header) < 6 or not all(marker in cell for marker, cell in zip(HEADER_MARKERS, header, strict=False)):
        raise ListFileError(f"{path}: row 1 is not the End User List header (expected {', '.join(HEADER_MARKERS)})")
    entities: list[ListedEntity] = []
    for row_number, row in enumerate(rows, start=2):
        cells = [_text(v) for v in row[:6]]
        if not any(cells[1:]):
            continue
        country_cell, name_cell, alias_cell, wmd_cell, cw_cell = cells[1:6]
        english_country = country_cell.split("\n")[-1].strip()
        country = COUNTRIES.get(english_country)
        if country is None:
            raise ListFileError(f"{path}: row {row_number}, column B: unknown country '{english_country}'")
        if not name_cell:
            raise ListFileError(f"{path}: row {row_number}, column C: company or organization name is empty")
        name, bracketed = _split_name(name_cell)
        concerns = _concerns(wmd_cell, cw_cell)
        if not concerns:
            raise ListFileError(f"{path}: row {row_number}, column E: no concern type (B, C, M, N or CW)")
        entities.append(
            ListedEntity(
                list_id=LIST_ID,
                entity_id=f"{LIST_ID}:{row_number - 1}",
                kind="company",
                name=name,
                aliases=dedupe([*bracketed, *_aliases(alias_cell)], exclude=[name]),
                countries=(country,),
                concerns=concerns,
            )
        )
    workbook.close()
    return LoadedList(LIST_ID, sha256, str(path), date_in_name(path), tuple(entities))
