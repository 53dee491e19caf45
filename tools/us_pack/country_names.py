"""Country names as the EAR extractions write them → ISO 3166-1 alpha-2 codes."""

from __future__ import annotations

from exportctl.countries import ASSIGNED, country_code

# The names the extractions write that exportctl.countries.country_code does not resolve (checked by hand against
# ISO 3166-1). "Cote d'lvoire" (a lower-case L) is the Country Group B table's spelling.
NAMES = {
    "Bahamas, The": "BS",
    "The Bahamas": "BS",
    "Bosnia & Herzegovina": "BA",
    "Brunei": "BN",
    "Cape Verde": "CV",
    "China (PRC)": "CN",
    "Congo (Democratic Republic of the)": "CD",
    "Congo (Democratic Republic of)": "CD",
    "Congo (Republic of the)": "CG",
    "Cote d'lvoire": "CI",
    "Gambia, The": "GM",
    "Micronesia (Federated State of)": "FM",
    "Saint Kitts & Nevis": "KN",
    "St. Kitts and Nevis": "KN",
    "Sao Tome & Principe": "ST",
    "Seycheles": "SC",
    "Sint Maarten (the Dutch two-fifths of the island of Saint Martin)": "SX",
    "South Sudan, Republic of": "SS",
    "St. Lucia": "LC",
    "St. Vincent and the Grenadines": "VC",
    "Trinidad & Tobago": "TT",
    "Vatican City": "VA",
}

# Destinations the law lists that have no assigned ISO 3166-1 code: the pack cannot name them (countries.ASSIGNED
# refuses user-assigned codes such as XK), so they are left out of every table, and said so in the file's header.
NO_CODE = {"Kosovo": "XK is a user-assigned code, which the pack format refuses"}


class UnknownCountry(ValueError):
    pass


def iso_code(name: str, where: str) -> str:
    """The code of a country the law names; an error naming `where` (file, table, row) when there is none."""
    stripped = name.strip()
    code = NAMES.get(stripped) or country_code(stripped)
    if code is None or code not in ASSIGNED:
        raise UnknownCountry(f"{where}: country {name!r} has no ISO 3166-1 alpha-2 code (add it to NAMES)")
    return code
