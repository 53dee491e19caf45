"""Helpers every list reader shares: file identity, dates in file names, country names → ISO codes."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

DATE_IN_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


# Words that make a name an organisation rather than a person (lists that do not say which).
COMPANY_WORDS = frozenset(
    [
        "INC",
        "LTD",
        "LIMITED",
        "CORP",
        "CORPORATION",
        "CO",
        "COMPANY",
        "LLC",
        "LLP",
        "GMBH",
        "AG",
        "AB",
        "SA",
        "SL",
        "SRL",
        "SPA",
        "BV",
        "NV",
        "PLC",
        "PTE",
        "PVT",
        "FZE",
        "FZC",
        "FZCO",
        "OOO",
        "OAO",
        "ZAO",
        "AO",
        "PAO",
        "PJSC",
        "JSC",
        "OJSC",
        "CJSC",
        "TRADING",
        "TRADE",
        "INTERNATIONAL",
        "GROUP",
        "HOLDING",
        "HOLDINGS",
        "INDUSTRIES",
        "INDUSTRIE",
        "INDUSTRIAL",
        "AIRLINES",
        "AIRWAYS",
        "AIR",
        "AVIATION",
        "ENTERPRISE",
        "ENTERPRISES",
        "TECHNOLOGY",
        "TECHNOLOGIES",
        "TECHNIK",
        "ELECTRONICS",
        "ENGINEERING",
        "SERVICES",
        "SYSTEMS",
        "SOLUTIONS",
        "COMPUTERS",
        "METALS",
        "SHIPPING",
        "BANK",
        "FOUNDATION",
        "INSTITUTE",
        "UNIVERSITY",
        "ESTABLISHMENT",
        "ORGANIZATION",
        "ORGANISATION",
        "ASSOCIATION",
        "FACTORY",
        "PLANT",
        "VERTRIEBS",
        "TRUST",
        "FUND",
        "CHARITY",
        "COMMITTEE",
        "COUNCIL",
        "AGENCY",
        "MINISTRY",
        "CENTER",
        "CENTRE",
        "CORPS",
        "MOVEMENT",
        "FRONT",
        "ARMY",
        "PARTY",
        "BRIGADE",
        "BRIGADES",
        "NETWORK",
    ]
)
_WORD = re.compile(r"[A-Z]+")


def company_like(name: str) -> bool:
    """True when a name carries a legal form or trade word (INC, LTD, GMBH, AIRLINES …): an organisation."""
    return bool(set(_WORD.findall(name.upper().replace(".", ""))) & COMPANY_WORDS)


def person_reordered(name: str) -> str | None:
    """'SMITH, John' → 'John SMITH' (the order lists write individuals in); None when not of that form."""
    last, sep, first = name.partition(",")
    first, last = first.strip(), last.strip()
    if not sep or not first or not last or "," in first or first.rstrip(".").upper() in {"JR", "SR", "II", "III"}:
        return None
    return f"{first} {last}"


class ListFileError(ValueError):
    """A list file that cannot be read as its format. The message names the file and the row or element."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def date_in_name(path: Path) -> dt.date | None:
    found = DATE_IN_NAME.search(path.name)
    return dt.date(int(found[1]), int(found[2]), int(found[3])) if found else None
