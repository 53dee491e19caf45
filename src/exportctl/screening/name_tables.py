"""Word tables the name analysis uses: legal forms, personal titles, nicknames, number words.

Loaded once at import from `screening/data/` (plain text, a few milliseconds), so that the hot path only looks
words up. Sources, with their licences (see `data/NOTICE.md`):

- legal forms and personal titles: OpenSanctions' rigour, `resources/names/org_types.yml` and
  `resources/names/stopwords.yml` (MIT licence), https://github.com/opensanctions/rigour;
- nicknames: carltonnorthern/nicknames, `names.csv` (Apache-2.0), https://github.com/carltonnorthern/nicknames;
- Korean readings of Han characters: suminb/hanja, `hanja/table.yml` (WTFPL), https://github.com/suminb/hanja.

`tools/build_name_tables.py` rebuilds the files from checkouts of those repositories. The small tables
written here by hand fill gaps the public tables leave (Romanian and Polish forms written out, Arabic religious
honorifics, Russian diminutives); each says why.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import cache
from importlib import resources

_DATA = resources.files("exportctl.screening") / "data"
# The files' hashes, checked on loading. Derived files (the screening index on disk) are keyed by a hash of
# the package's Python modules: a data file changed without this module would leave them stale, so changing
# one means changing the other (`data/build.py` prints the new hashes).
DATA_SHA256 = {
    "legal_forms.tsv": "bd3c7aaeaa01aa1f20310f624252c7f3460fb4771c2004a2c014d3795ef041d6",
    "person_titles.txt": "98e51b68f823ca9370e0c8b543cd73db1e9f0c845e3f69a17d8dd099437448f3",
    "nicknames.csv": "a82d7d9968a4c747d1225339c35e3efaecfeaa08a6d25d9cb6fc98e53f564867",
    "hanja_readings.tsv": "43c72e700ba5ed9b53ca2798307837057331bd5baa6dbe74a26482ffca7ec1d2",
}


class DataFileChanged(RuntimeError):
    """A table file does not have the hash this module records."""


def _lines(name: str) -> list[str]:
    data = (_DATA / name).read_bytes()
    if hashlib.sha256(data).hexdigest() != DATA_SHA256[name]:
        raise DataFileChanged(f"screening/data/{name} changed: update DATA_SHA256 in {__name__}")
    text = data.decode("utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


# --- legal forms ---------------------------------------------------------------------------------------------

# Written-out forms rigour's table lacks (it has only misspelt variants of some), in the same token form.
_MORE_LEGAL_FORMS = {
    "societatea cu raspundere limitata": "llc", "societate cu raspundere limitata": "llc",
    "societate pe actiuni": "jsc", "societatea pe actiuni": "jsc", "s r l": "llc",
    "spolka z ograniczona odpowiedzialnoscia": "llc", "spolka akcyjna": "jsc", "sp z oo": "llc",
    "spolka z o o": "llc", "sp zoo": "llc", "societe anonyme": "jsc", "sociedade anonima": "jsc",
    "sociedad limitada": "llc", "sociedade limitada": "llc", "societe a responsabilite limitee": "llc",
    "kabushiki kaisha": "kk", "yugen kaisha": "llc", "youxian gongsi": "ltd", "you xian gong si": "ltd",
    "gufen youxian gongsi": "jsc", "aktsionernoe obshchestvo": "jsc", "aktsionernoye obshchestvo": "jsc",
    "publichnoe aktsionernoe obshchestvo": "jsc", "zakrytoe aktsionernoe obshchestvo": "jsc",
    "otkrytoe aktsionernoe obshchestvo": "jsc", "obshchestvo s ogranichennoi otvetstvennostiu": "llc",
}  # fmt: skip


def legal_forms(known: Mapping[str, str]) -> dict[str, str]:
    """rigour's legal forms (lower-case ASCII tokens → class) with the forms added here. An entry of the
    table that has a form in `known` (the scorer's own classes) takes that class for all its forms, so that
    "Aktiebolag" and "AB" are one kind of company however the two tables name it; `known` wins over both."""
    rows = [line.split("\t") for line in _lines("legal_forms.tsv")]
    group_class = {group: known[form] for form, _, group in rows if form in known}
    table = {form: group_class.get(group, label) for form, label, group in rows}
    table.update(_MORE_LEGAL_FORMS)
    table.update(known)
    return table


# --- personal titles -----------------------------------------------------------------------------------------

# Honorifics rigour leaves out because they are also given names ("Sheikh", "Sultan"). Here they are only
# dropped at the start of a name that keeps two words without them, where they are titles far more often.
_MORE_TITLES = (
    "sheikh", "shaikh", "sheik", "shaykh", "haji", "hajji", "hadji", "hajj", "al haj", "alhaj", "alhaji",
    "mullah", "mulla", "maulana", "mawlana", "maulvi", "mawlawi", "ayatollah", "hojatoleslam", "praesident",
    "qari", "hafiz", "mufti", "sayed", "seyed", "sayyed", "sayyid", "syed", "presidente", "prezident",
    "predsjednik", "predsednik", "prezydent",
    "gen", "lt", "lt gen", "maj gen", "brig gen", "col", "lt col", "lieutenant", "major general", "sergeant",
    "eng", "engineer", "ir", "judge", "minister", "senator", "deputy", "governor", "mayor", "rev", "father",
)  # fmt: skip


def person_titles() -> frozenset[tuple[str, ...]]:
    """Titles and honorifics as token tuples ("lieutenant general" → ("lieutenant", "general"))."""
    return frozenset(tuple(title.split()) for title in (*_lines("person_titles.txt"), *_MORE_TITLES))


# --- nicknames -----------------------------------------------------------------------------------------------

# Russian diminutives (the English table has none): full name, then its everyday short forms.
_RUSSIAN_DIMINUTIVES = {
    "aleksandr": ("sasha", "sanya", "shura"), "alexander": ("sasha",), "aleksandra": ("sasha", "shura"),
    "aleksey": ("alyosha", "lyosha"), "alexei": ("alyosha", "lyosha"), "anatoly": ("tolya",),
    "andrey": ("andryusha",), "boris": ("borya",), "dmitry": ("dima", "mitya"), "dmitri": ("dima", "mitya"),
    "evgeny": ("zhenya",), "yevgeny": ("zhenya",), "ivan": ("vanya",), "konstantin": ("kostya",),
    "mikhail": ("misha",), "nikolai": ("kolya",), "nikolay": ("kolya",), "pavel": ("pasha",),
    "sergey": ("seryozha", "sergei"), "sergei": ("seryozha",), "vladimir": ("volodya", "vova"),
    "vyacheslav": ("slava",), "yaroslav": ("slava",), "stanislav": ("stas",), "viktor": ("vitya",),
    "yekaterina": ("katya",), "ekaterina": ("katya",), "yelena": ("lena",), "elena": ("lena",),
    "natalya": ("natasha",), "tatyana": ("tanya",), "mariya": ("masha",), "maria": ("masha",),
    "anastasia": ("nastya",), "svetlana": ("sveta",), "olga": ("olya",), "irina": ("ira",),
    "yury": ("yura",), "yuri": ("yura",), "grigory": ("grisha",), "pyotr": ("petya",), "fyodor": ("fedya",),
}  # fmt: skip


def nicknames() -> dict[str, frozenset[str]]:
    """name → the names it is a nickname of or has as nicknames (one step, both directions)."""
    related: dict[str, set[str]] = {}
    pairs = [tuple(line.split(",", 1)) for line in _lines("nicknames.csv")]
    pairs += [(full, short) for full, shorts in _RUSSIAN_DIMINUTIVES.items() for short in shorts]
    for full, short in pairs:
        if full != short:
            related.setdefault(full, set()).add(short)
            related.setdefault(short, set()).add(full)
    return {name: frozenset(names) for name, names in related.items()}


# --- Korean readings of Han characters -----------------------------------------------------------------------


@cache
def hanja_readings() -> dict[str, str]:
    """Each Han character's Korean reading, one Hangul syllable in its dictionary form (李 리, before the
    initial-sound law). Loaded on first use: only names written in Han characters need it."""
    return dict(line.split("\t", 1) for line in _lines("hanja_readings.tsv"))


# --- numbers written as words (English) ----------------------------------------------------------------------

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES = {"hundred": 100, "thousand": 1000}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
    "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70, "eightieth": 80,
    "ninetieth": 90, "hundredth": 100, "thousandth": 1000,
}  # fmt: skip


def ordinal(number: int) -> str:
    """28 → "28th", 33 → "33rd", 11 → "11th": how lists write an ordinal in digits."""
    if number % 100 in (11, 12, 13):
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"
