"""Rebuild the screening tables in this folder from their public sources (run by hand, not at import).

    python tools/build_name_tables.py RIGOUR_DIR NICKNAMES_DIR [HANJA_TABLE]

(run as a file: importing the package would load the tables being rebuilt)

RIGOUR_DIR is a checkout of https://github.com/opensanctions/rigour (MIT licence), NICKNAMES_DIR one of
https://github.com/carltonnorthern/nicknames (Apache-2.0). The output is plain text so that loading it at
import costs a few milliseconds and needs no YAML parser.

- `legal_forms.tsv`: every alias of `resources/names/org_types.yml`, as the lower-case ASCII tokens the scorer
  makes of a name, with a class (rigour's `generic` tag, else its `display` form). Aliases that are ordinary
  words or Roman numerals ("of", "in", "II") are left out: stripped from the end of a name they would eat
  a word of the name; so are the types that name an activity (ACTIVITY_TYPES).
- `person_titles.txt`: `PERSON_NAME_PREFIXES` of `resources/names/stopwords.yml`.
- `nicknames.csv`: `names.csv` of the nickname table (name, nickname), unchanged but for the header.
- `hanja_readings.tsv` (when HANJA_TABLE is given: `hanja/table.yml` of https://github.com/suminb/hanja, WTFPL,
  as in its wheel 0.15.1): each Han character's Korean reading, one Hangul syllable, in its dictionary form
  (before the initial-sound law: 李 리, which the scorer applies itself).
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
from pathlib import Path

import yaml
from anyascii import anyascii

HERE = Path(__file__).resolve().parents[1] / "src" / "exportctl" / "screening" / "data"
# Words that are aliases of some legal form in one language but ordinary words (or numerals) in names.
NOT_FORMS = frozenset(
    {"of", "in", "is", "at", "no", "go", "so", "ii", "im", "on", "ed", "da", "ca", "na", "ro", "pr", "pe", "ep",
     "ek", "ei", "et", "ets", "se", "sb", "sd", "rs", "rt", "ry", "ss", "nl", "ps", "pp", "jp", "ip", "ku", "ju",
     "ga", "bo", "df", "dp", "bf", "kv", "ks", "kb", "ky", "ll", "lt", "lc", "pc", "pk", "sf", "od", "og", "oo",
     "np", "ae", "ad", "ay", "ou", "rf", "ce", "charity", "cooperation", "compania", "limite", "mbh"}
)  # fmt: skip

# Types that say what an organisation does (charity, bank, co-operative, sole trader, army, church) rather than
# its company form: "Charitable Foundation X" and "X Association" are not the same name without them.
ACTIVITY_TYPES = frozenset({"ngo", "fin", "mil", "rel", "coop", "sp"})


def tokens(text: str) -> str:
    text = anyascii(text).lower().replace("&", " and ").replace("'", "").replace("`", "")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def legal_forms(rigour: Path) -> list[tuple[str, str, str]]:
    """(form, class, group): the group is the entry's display form, so that forms of one entry can be given
    one class at load time ("Aktiebolag" gets the class the scorer gives "AB")."""
    data = yaml.safe_load((rigour / "resources/names/org_types.yml").read_text(encoding="utf-8"))
    rows: dict[str, tuple[str, str]] = {}
    for entry in data["types"]:
        label = entry.get("generic") or entry.get("compare") or entry.get("display") or ""
        if not label or label.lower() in ACTIVITY_TYPES:
            continue
        aliases = [entry.get("display"), entry.get("compare"), *entry.get("aliases", [])]
        group = tokens(str(next(alias for alias in aliases if alias)))
        for alias in aliases:
            if not alias:
                continue
            form = tokens(str(alias))
            if not form or form in NOT_FORMS or (" " not in form and len(form) < 2):
                continue
            rows.setdefault(form, (tokens(str(label)).replace(" ", ""), group))
    return sorted((form, label, group) for form, (label, group) in rows.items())


def person_titles(rigour: Path) -> list[str]:
    data = yaml.safe_load((rigour / "resources/names/stopwords.yml").read_text(encoding="utf-8"))
    found = {tokens(str(title)) for title in data["PERSON_NAME_PREFIXES"]}
    return sorted(title for title in found if title and title != "the")


def hanja_readings(table: Path) -> list[tuple[str, str]]:
    data = yaml.safe_load(table.read_text(encoding="utf-8"))
    hangul = re.compile(r"^[\uac00-\ud7a3]$")
    return sorted((str(han), str(reading)) for han, reading in data.items() if hangul.match(str(reading)))


def main(rigour: Path, nicknames: Path, hanja: Path | None = None) -> None:
    source = "opensanctions/rigour (MIT licence, Copyright (c) 2023-2025 OpenSanctions Datenbanken GmbH)"
    with (HERE / "legal_forms.tsv").open("w", encoding="utf-8") as out:
        out.write(f"# From {source}, resources/names/org_types.yml; built by build.py.\n")
        out.write("# form (lower-case ASCII tokens)\tclass\tgroup (the entry's display form)\n")
        out.writelines(f"{form}\t{label}\t{group}\n" for form, label, group in legal_forms(rigour))
    with (HERE / "person_titles.txt").open("w", encoding="utf-8") as out:
        out.write(f"# From {source}, resources/names/stopwords.yml PERSON_NAME_PREFIXES; built by build.py.\n")
        out.writelines(f"{title}\n" for title in person_titles(rigour))
    with (
        (nicknames / "names.csv").open(encoding="utf-8", newline="") as handle,
        (HERE / "nicknames.csv").open("w", encoding="utf-8") as out,
    ):
        out.write("# From carltonnorthern/nicknames (Apache-2.0, see NOTICE.md), names.csv; built by build.py.\n")
        for row in csv.DictReader(handle):
            out.write(f"{row['name1'].strip().lower()},{row['name2'].strip().lower()}\n")
    if hanja is not None:
        with (HERE / "hanja_readings.tsv").open("w", encoding="utf-8") as out:
            out.write("# From suminb/hanja 0.15.1 (WTFPL, see NOTICE.md), hanja/table.yml: character\treading.\n")
            out.writelines(f"{han}\t{reading}\n" for han, reading in hanja_readings(hanja))
    print("DATA_SHA256 for name_tables.py:")
    for name in ("legal_forms.tsv", "person_titles.txt", "nicknames.csv", "hanja_readings.tsv"):
        print(f'    "{name}": "{hashlib.sha256((HERE / name).read_bytes()).hexdigest()}",')


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]) if len(sys.argv) > 3 else None)
