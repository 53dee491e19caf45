"""Which reader reads which list, and which shipped file is which list.

List ids are contracts (stored versions, `lists diff`, determinations name them): jp-eul, jp-mof, un, eu-fsf, us-sdn,
us-csl, us-dpl, us-el, and ftm for an OpenSanctions FollowTheMoney export.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from exportctl.screening.entities import LoadedList
from exportctl.screening.sources.common import ListFileError, date_in_name, file_sha256

Reader = Callable[[Path], LoadedList]

# list id → the reader, as "module:function" of this package: a reader (and the spreadsheet or XML library it
# needs) is imported when a file of its list is read, so that a process screening against a stored index
# never imports them.
READERS: dict[str, str] = {
    "jp-eul": "jp_eul:read_end_user_list",
    "jp-mof": "jp_mof:read",
    "un": "un:read",
    "eu-fsf": "eu_fsf:read",
    "us-sdn": "ofac:read",
    "us-csl": "csl:read",
    "us-dpl": "dpl:read",
    "us-el": "us_el:read",
    "ftm": "ftm:read",
}
# Lists read from more than one file: how their version hash is worked out without reading them (the others'
# is the hash of their one file).
VERSION_HASHES: dict[str, str] = {"us-sdn": "ofac:version_hash"}

# list id → file-name globs, as the publishers (or the shipped copies) name the files. The Commission names a
# full FSF download by its date: 20251115-FULL-1_1(xsd).xml; the Entity List is read from the eCFR XML of 15 CFR
# part 744 (Supplement No. 4), named by title and part as the shared copy is.
PATTERNS = {
    "jp-eul": ("jp-meti-end-user-list-*.xlsx",),
    "jp-mof": ("jp-mof-asset-freeze-*.xlsx",),
    "un": ("un-consolidated-*.xml",),
    "eu-fsf": ("eu-fsf-*.xml", "*-FULL-1_1*.xml"),
    "us-sdn": ("us-ofac-sdn.csv",),
    "us-csl": ("us-csl*.csv",),
    "us-dpl": ("us-bis-dpl.txt",),
    "us-el": ("us-el-*.xml", "ecfr-title15-part744-*.xml"),
}


# How `lists update` names a downloaded file, so that PATTERNS and the reader find what they look for in a name:
# the date (`published`, from Last-Modified) and, for OFAC, the sdn/add/alt siblings.
FILE_NAMES = {
    "jp-eul": "jp-meti-end-user-list-{date}.xlsx",
    "jp-mof": "jp-mof-asset-freeze-{date}.xlsx",
    "un": "un-consolidated-{date}.xml",
    "eu-fsf": "eu-fsf-{date}.xml",
    "us-sdn": "us-ofac-sdn.csv",
    "us-csl": "us-csl-{date}.csv",
    "us-dpl": "us-bis-dpl-{date}.txt",
    "us-el": "ecfr-title15-part744-{date}.xml",
    "ftm": "entities-{date}.ftm.json",
}
# FollowTheMoney topics of the lists (the yente API gives them with every listed entity): what being listed means.
TOPICS = {
    "us-sdn": "sanction",
    "un": "sanction",
    "jp-mof": "sanction",
    "us-csl": "sanction",
    "eu-fsf": "sanction",
    "jp-eul": "export.control",
    "us-dpl": "export.control",
    "us-el": "export.control",
}


def read_list(list_id: str, path: Path) -> LoadedList:
    where = READERS.get(list_id)
    if where is None:
        raise ListFileError(f"{path}: unknown list id '{list_id}' (known: {', '.join(sorted(READERS))})")
    reader: Reader = _function(where)
    return reader(path)


def version_hash(list_id: str, path: Path) -> str:
    """The sha256 that `read_list(list_id, path)` will give the list, from its file(s) alone."""
    where = VERSION_HASHES.get(list_id)
    if where is None:
        return file_sha256(path)
    hashed: Callable[[Path], str] = _function(where)
    return hashed(path)


def _function(where: str) -> Any:
    module, function = where.split(":")
    return getattr(importlib.import_module(f"exportctl.screening.sources.{module}"), function)


def _newest(paths: list[Path]) -> Path:
    """The file with the latest date in its name: a full date (2026-02-27) or, failing that, a year (2019)."""

    def key(path: Path) -> tuple[str, str]:
        dated = date_in_name(path)
        if dated:
            return dated.isoformat(), path.name
        years = [part for part in path.stem.replace("_", "-").split("-") if part.isdigit() and len(part) == 4]
        return (max(years) if years else ""), path.name

    return max(paths, key=key)


def default_files(*folders: Path) -> dict[str, Path]:
    """The list files found in the folders, by name pattern; the newest when several match."""
    found: dict[str, Path] = {}
    for list_id, patterns in PATTERNS.items():
        matches = sorted({p for folder in folders for pattern in patterns for p in folder.glob(pattern) if p.is_file()})
        if matches:
            found[list_id] = _newest(matches)
    return found
