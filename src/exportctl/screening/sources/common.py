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
    "prc": "CN",
    "china, hong kong special administrative region": "HK",
    "china, macao special administrative region": "MO",
    "china": "CN",
    "uae": "AE",
    "united states of america": "US",
    "iran (islamic republic of)": "IR",
    "syrian arab republic": "SY",
    "united republic of tanzania": "TZ",
    "the former yugoslav republic of macedonia": "MK",
    "palestine": "PS",
    "state of palestine": "PS",
    "occupied palestinian territory": "PS",
    "korea, democratic people's republic of": "KP",
    "democratic people's republic of korea (dprk)": "KP",
    "russian federation": "RU",
    "kyrgyzstan": "KG",
    "libya": "LY",
    "libyan arab jamahiriya": "LY",
    "venezuela (bolivarian republic of)": "VE",
    "bolivia (plurinational state of)": "BO",
    "turkiye": "TR",
    "türkiye": "TR",
    "republic of moldova": "MD",
    "lao people's democratic republic": "LA",
    "viet nam": "VN",
    "côte d'ivoire": "CI",
    "ivory coast": "CI",
    "swaziland": "SZ",
    "macedonia": "MK",
    "north macedonia": "MK",
    "holland": "NL",
    "great britain": "GB",
    "england": "GB",
    "usa": "US",
    "u.s.a": "US",
}


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
