"""Country codes: the one rule every interface validates a code with, and country names as the lists and law
texts write them → ISO 3166-1 alpha-2 codes (pure: pycountry's data)."""

from __future__ import annotations

from functools import cache
from typing import Annotated

import pycountry
from pydantic import AfterValidator

# The assigned ISO 3166-1 alpha-2 codes. User-assigned codes (XX, ZZ, XK for Kosovo, ...) are not in it: no
# pack lists them, so a transaction to one would be determined as "every other country" without anyone noticing.
ASSIGNED = frozenset(str(country.alpha_2) for country in pycountry.countries)


def alpha_2(value: str) -> str:
    """The assigned ISO 3166-1 alpha-2 code written, upper-cased and without surrounding spaces ('de ' → 'DE').

    Every interface that takes a country (flags, files, imports, REST, packs) goes through here, so they all
    accept and refuse the same values; the ValueError's message is shown after the field, flag or cell."""
    code = value.strip()
    if not code:
        raise ValueError("must not be blank (an ISO 3166-1 alpha-2 country code)")
    # ASCII first: str.upper() turns 'ß' into 'SS' (South Sudan) and 'ı' into 'I'.
    if not code.isascii() or code.upper() not in ASSIGNED:
        quoted = repr(code if len(code) <= 20 else code[:20] + "…")
        raise ValueError(f"{quoted} is not an ISO 3166-1 alpha-2 country code")
    return code.upper()


# A country field: what pydantic models (engine input, REST bodies and queries, order files, packs) declare.
CountryCode = Annotated[str, AfterValidator(alpha_2)]


@cache
def subdivisions() -> frozenset[str]:
    """The ISO 3166-2 subdivision codes ('UA-43': the Autonomous Republic of Crimea); read on first use (pycountry's
    table of them takes a tenth of a second to load, and most transactions name no region)."""
    return frozenset(str(subdivision.code) for subdivision in pycountry.subdivisions)


def subdivision(value: str) -> str:
    """An ISO 3166-2 subdivision code, upper-cased ('ua-43 ' → 'UA-43'): a region some law treats apart from its
    country (the EAR's Crimea and so-called DNR and LNR regions of Ukraine)."""
    code = value.strip()
    if not code.isascii() or code.upper() not in subdivisions():
        quoted = repr(code if len(code) <= 20 else code[:20] + "…")
        raise ValueError(f"{quoted} is not an ISO 3166-2 subdivision code such as UA-43")
    return code.upper()


RegionCode = Annotated[str, AfterValidator(subdivision)]


def not_a_region_of(country: str, region: str | None) -> str | None:
    """Why `region` (a subdivision code, or None for none) cannot be a region of `country`; None when it can."""
    if region is None or region.startswith(f"{country}-"):
        return None
    return f"{region} is not a region of {country}"


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


@cache
def country_code(name: str) -> str | None:
    """ISO 3166-1 alpha-2 for an English country name or code as lists write them; None when unknown."""
    text = " ".join(name.replace("\u2019", "'").split()).strip(" .").lower()
    if not text:
        return None
    if text in COUNTRY_OVERRIDES:
        return COUNTRY_OVERRIDES[text]
    if len(text) == 2 and text.upper() in ASSIGNED:
        return text.upper()
    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        return None
