"""Helpers every list reader shares: file identity, dates in file names, country names → ISO codes."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from functools import cache
from pathlib import Path

import pycountry

DATE_IN_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})")

# Names the lists use that pycountry does not resolve (or resolves ambiguously).
COUNTRY_OVERRIDES = {
    "north korea": "KP",
    "korea, north": "KP",
    "democratic people's republic of korea": "KP",
    "south korea": "KR",
    "korea, south": "KR",
    "republic of korea": "KR",
    "iran": "IR",
    "russia": "RU",
    "syria": "SY",
    "taiwan": "TW",
    "hong kong": "HK",
    "macau": "MO",
    "laos": "LA",
    "vietnam": "VN",
    "burma": "MM",
    "palestinian": "PS",
    "west bank": "PS",
    "gaza": "PS",
    "congo, democratic republic of the": "CD",
    "democratic republic of the congo": "CD",
    "congo, republic of the": "CG",
    "cote d'ivoire": "CI",
    "turkey": "TR",
    "united kingdom": "GB",
    "czech republic": "CZ",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "moldova": "MD",
    "kosovo": "XK",
}


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


@cache
def country_code(name: str) -> str | None:
    """ISO 3166-1 alpha-2 for an English country name or code as lists write them; None when unknown."""
    text = " ".join(name.replace("\u2019", "'").split()).strip(" .").lower()
    if not text:
        return None
    if text in COUNTRY_OVERRIDES:
        return COUNTRY_OVERRIDES[text]
    if len(text) == 2 and pycountry.countries.get(alpha_2=text.upper()):
        return text.upper()
    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        return None
