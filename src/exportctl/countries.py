"""Country names as the lists and law texts write them → ISO 3166-1 alpha-2 codes (pure: pycountry's data)."""

from __future__ import annotations

from functools import cache

import pycountry

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
    if len(text) == 2 and pycountry.countries.get(alpha_2=text.upper()):
        return text.upper()
    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        return None
