"""The core knows no regime (issue 11, item 1): Japan's law is named only in the Japan pack's own folder.

Every Python module under src/exportctl outside `packs/<id>/` is searched for the terms only Japan's law uses
(its instruments, tables, country groups, rows, exception, source ids, the End User List's id and the technology
id prefix) and for the literal regime id "jp", which only the settings module may hold. A second regime's pack is
a new folder, not an edit of the engine, only while this holds.

`NOT_YET_GENERIC` lists, with the reason, the modules that still name Japan's law and are not the core's to
change here; each entry must still be needed (a module that no longer names the term must leave the list).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from exportctl import settings
from exportctl.core_types import Line, Transaction
from exportctl.determine.engine import determine
from exportctl.regime import PackError, Regime, parse_pack
from exportctl.regime.diff import diff
from exportctl.regime.files import builtin_packs
from tests.cli.test_cli import invoke

SOURCE = Path(__file__).resolve().parents[1] / "src" / "exportctl"
PACKS = SOURCE / "packs"

# Terms of Japan's law, each a regular expression with what it names.
JAPAN_TERMS = {
    r"FEFTA": "the Foreign Exchange and Foreign Trade Act",
    r"Export Trade Control Order|Foreign Exchange Order": "the Cabinet Orders",
    r"輸出貿易管理令|外国為替及び外国貿易法|外為法|貨物等省令|貿易外省令": "the instruments, in Japanese",
    r"Appended Tables?|別表": "the Orders' appended tables",
    r"\bTable 3-[23]\b": "Appended Tables 3-2 and 3-3",
    r"\btable-3(-2)?\b|\btable-4\b|\bgroup-[ab]\b": "the Japan pack's country table ids",
    r"\bGroup [A-D]\b": "the country groups A-D",
    r"\brows? 1[-–]15\b|\brow 16\b": "the rows of Appended Table 1 and its catch-all row",
    r"small[-_ ]value": "the small-value exception",
    r"\bjp-eul\b": "the End User List's list id",
    r"\bjp\.(fefta|etco|meti|mof|feo|cabinet)": "the Japan pack's source ids",
    r"\btech:\d": "the technology entry ids of the Foreign Exchange Order",
}
REGIME_ID = re.compile(r"""["']jp["']""")
SETTINGS = SOURCE / "settings.py"

# Modules outside the core's remit that still name Japan's law: (module, term) → why it may, for now.
NOT_YET_GENERIC: dict[tuple[str, str], str] = {
    ("screening/sources/jp_eul.py", r"\bjp-eul\b"): "the reader of METI's list format: the list id, not the law",
    ("screening/sources/registry.py", r"\bjp-eul\b"): "the screening registry names every list format's id",
    ("demo.py", r"\brows? 1[-–]15\b|\brow 16\b"): "the demo data set is written for the Japan pack",
    ("korea_timeline.py", r"\bGroup [A-D]\b"): "the Korea timeline is the Japan pack's story",
}


def _modules() -> list[Path]:
    """Every Python module of the package except those in a pack's own folder."""
    own = [PACKS / pack_id for pack_id in builtin_packs()]
    return [path for path in sorted(SOURCE.rglob("*.py")) if not any(path.is_relative_to(p) for p in own)]


def _hits(pattern: str) -> dict[str, list[str]]:
    """module → `line: text` of each line naming `pattern`."""
    found: dict[str, list[str]] = {}
    compiled = re.compile(pattern)
    for path in _modules():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if compiled.search(line):
                found.setdefault(path.relative_to(SOURCE).as_posix(), []).append(f"{number}: {line.strip()}")
    return found


def test_the_japan_pack_is_a_folder_of_its_own() -> None:
    assert "jp" in builtin_packs()
    assert (PACKS / "jp" / "rules.py").is_file()
    assert len(_modules()) > 100  # the search reaches the whole package


@pytest.mark.parametrize("pattern", sorted(JAPAN_TERMS))
def test_no_module_outside_the_pack_names_japans_law(pattern: str) -> None:
    found = {module: lines for module, lines in _hits(pattern).items() if (module, pattern) not in NOT_YET_GENERIC}
    listing = "\n".join(f"src/exportctl/{module}:{line}" for module, lines in found.items() for line in lines)
    assert not found, f"{JAPAN_TERMS[pattern]} named outside packs/jp/:\n{listing}"


def test_every_exemption_is_still_needed() -> None:
    stale = [key for key in NOT_YET_GENERIC if key[0] not in _hits(key[1])]
    assert not stale, f"these modules no longer name the term: remove them from NOT_YET_GENERIC: {stale}"


def test_only_the_settings_name_the_default_regime() -> None:
    found = [
        f"{path.relative_to(SOURCE.parents[1])}:{number}: {line.strip()}"
        for path in _modules()
        if path != SETTINGS
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if REGIME_ID.search(line)
    ]
    assert not found, 'the regime id "jp" outside src/exportctl/settings.py:\n' + "\n".join(found)


def test_the_default_regime_is_an_installed_pack() -> None:
    assert settings.DEFAULT_REGIME in builtin_packs()
    assert settings.DEMO_REGIME in builtin_packs()


# --- a second regime is a folder of data: a toy pack the engine determines without knowing it ------------------

TOY_PACK = {
    "pack.yaml": """
format: 2
id: toy
title: {en: A toy dual-use regime, ja: 試験用の規制}
coverage_from: 2021-09-09
home: [DE, FR]
entry_ids:
  goods: {pattern: '(?P<row>\\d[A-D])\\d{3}', examples: [1C350]}
  technology: {pattern: '(?P<row>\\dE)\\d{3}', examples: [1E001]}
  rows: {pattern: '\\d[A-E]', examples: [1C]}
terms:
  home: the Union
  not_listed: not listed in Annex I
  informed: the competent authority has informed the exporter
  not_informed: no information from the competent authority
  end_user_list: list of end users of concern
""",
    "sources/core.yaml": """
sources:
  reg: {instrument: Regulation 2021/821, article: Art. 3(1), url: "https://example.org/reg", verified: false}
  annex-2a: {instrument: Regulation 2021/821, article: Annex IIa, url: "https://example.org/reg", verified: false}
""",
    "destinations.yaml": """
tables:
  annex-2a:
    title: {en: Annex IIa destinations, ja: 附属書IIaの仕向地}
    members:
      "US": [{source: annex-2a}]
      "NO": [{from: 2022-01-01, source: annex-2a}]  # quoted, or YAML reads a boolean
groups:
  - {id: EU001, title: {en: an EU001 destination, ja: EU001の仕向地}, tables: [annex-2a]}
  - {id: other, title: {en: a destination without a general authorisation, ja: その他の仕向地}}
group_rule_source: reg
""",
    "control/rows.yaml": """
rows:
  - {id: 1C, regime: ag, goods_title: {en: Chemicals, ja: 化学品}, technology_title: {en: Chemicals technology,
     ja: 化学品の技術}, goods_source: reg, technology_source: reg, destinations: all}
entries:
  - {id: 1C350, row: 1C, title: {en: Precursors, ja: 前駆物質}, control_numbers: [1C350], periods: [{source: reg}]}
""",
    "catch_all.yaml": """
rules:
  - id: art-4
    title: {en: Catch-all (informed), ja: キャッチオール}
    weapon: wmd
    requirement: informed
    entries: [1C]
    destinations: {outside_groups: [EU001]}
    periods: [{source: reg}]
""",
    "licences.yaml": """
required:
  goods: {source: reg, law: Art. 3(1) of Regulation 2021/821, listed_in: Annex I}
  technology: {source: reg, law: Art. 3(1) of Regulation 2021/821, listed_in: Annex I}
types:
  individual: {title: {en: Individual export authorisation, ja: 個別許可}, source: reg}
  eu001: {title: {en: Union general export authorisation EU001, ja: 一般輸出許可EU001}, source: annex-2a,
          abbreviation: EU001}
coverage:
  - {licence: individual, rows: [1C], destinations: [EU001, other], periods: [{source: reg}]}
  - {licence: eu001, rows: [1C], destinations: [EU001], periods: [{source: annex-2a}]}
""",
    "screening.yaml": "confirmed_score: 0.95\nlists: {}\n",
}


def _toy(**replace: str) -> dict[str, str]:
    return {**TOY_PACK, **replace}


def test_a_second_regime_is_determined_in_its_own_terms() -> None:
    toy = Regime(parse_pack(TOY_PACK))
    assert toy.pack.rules.sections == ()  # no rules module: data alone decides
    day = dt.date(2022, 3, 1)
    to_us = determine(toy.at(day), Transaction(regime="toy", date=day, destination="US", lines=[Line(item="1C350")]))
    assert to_us.destination_group == "EU001"
    assert to_us.eligible_licences == ("individual", "eu001")
    texts = [reason.text for line in to_us.lines for reason in line.reasons]
    assert (
        "goods of entry 1C350 (Precursors; 1C350) are listed in row 1C of Annex I, controlled for every destination"
        in texts
    )
    assert "a licence is required (Art. 3(1) of Regulation 2021/821)" in texts
    assert to_us.reasons[0].text == "US is in an EU001 destination on 2022-03-01"

    to_china = determine(toy.at(day), Transaction(regime="toy", date=day, destination="CN", lines=[Line(item="1C350")]))
    assert (to_china.destination_group, to_china.eligible_licences) == ("other", ("individual",))
    assert to_china.reasons[0].source == "reg"  # no table places CN: the rule deriving the groups is cited


def test_a_second_regime_dates_its_groups_and_labels_its_facts() -> None:
    toy = Regime(parse_pack(TOY_PACK))
    assert toy.at(dt.date(2021, 12, 31)).group("NO") == "other"
    assert toy.at(dt.date(2022, 1, 1)).group("NO") == "EU001"
    (change,) = diff(toy.at(dt.date(2021, 12, 31)), toy.at(dt.date(2022, 1, 1)))
    assert (change.kind, change.key) == ("added", "annex-2a/NO")
    assert change.fact.title.en == "NO is in Annex IIa destinations"
    assert change.fact.title.ja == "NO：附属書IIaの仕向地"


def test_a_pack_rules_module_adds_its_own_dated_section(pack_files: dict[str, str]) -> None:
    """Japan's small-value exception is a section of packs/jp/rules.py: a pack without that module (another id)
    has no such key."""
    jp = parse_pack(pack_files)
    assert "exception" in [section.name for section in jp.sections]
    assert [name for name, _ in jp.records(jp.sections[-1])] == ["small-value"] * 3
    other = pack_files["pack.yaml"].replace("id: jp", "id: jp_copy", 1)
    error = _error({**pack_files, "pack.yaml": other})
    assert (error.file, error.path[0]) == ("rules.yaml", "small_value")
    assert "Extra inputs are not permitted" in error.message


def _error(files: dict[str, str]) -> PackError:
    with pytest.raises(PackError) as caught:
        parse_pack(files)
    return caught.value


ROWS, LICENCES, CATCH_ALL, DESTINATIONS = "control/rows.yaml", "licences.yaml", "catch_all.yaml", "destinations.yaml"
VOCABULARY_ERRORS = [
    # file, text, replaced by, key path of the error, what it says
    (ROWS, "id: 1C350, row: 1C", "id: 1C35, row: 1C", ("entries", 0, "id"), "not a goods entry id such as '1C350'"),
    (ROWS, "id: 1C350, row: 1C", "id: 2C350, row: 1C", ("entries", 0, "id"), "entry '2C350' is not in row '1C'"),
    (ROWS, "{id: 1C, regime", "{id: C1, regime", ("rows", 0, "id"), "'C1' is not a row id such as '1C'"),
    (LICENCES, "[EU001, other]", "[EU001, EU002]", ("coverage", 0, "destinations", 1), "unknown group 'EU002'"),
    (CATCH_ALL, "{outside_groups: [EU001]}", "{tables: [annex-2b]}", ("rules", 0, "destinations", "tables", 0),
     "unknown table 'annex-2b'"),
    (DESTINATIONS, "[annex-2a]}", "[annex-2c]}", ("groups", 0, "tables", 0), "unknown table 'annex-2c'"),
    (DESTINATIONS, "tables: [annex-2a]}", "}", ("groups",), "exactly one group has no tables"),
]  # fmt: skip


@pytest.mark.parametrize(("file", "old", "new", "path", "message"), VOCABULARY_ERRORS)
def test_the_vocabulary_a_pack_declares_is_checked(
    file: str, old: str, new: str, path: tuple[str | int, ...], message: str
) -> None:
    assert old in TOY_PACK[file]
    error = _error(_toy(**{file: TOY_PACK[file].replace(old, new, 1)}))
    assert (error.file, error.path) == (file, path)
    assert message in error.message
    assert error.line is not None


def test_records_of_one_name_are_one_fact_in_force_at_a_time(pack_files: dict[str, str]) -> None:
    text = pack_files["rules.yaml"].replace(
        "{from: 2020-01-22, to: 2025-10-09, source", "{from: 2020-01-21, to: 2025-10-09, source"
    )
    error = _error({**pack_files, "rules.yaml": text})
    assert (error.file, error.path) == ("rules.yaml", ("small_value", 1, "periods", 0))
    assert "overlaps a period of another 'small-value'" in error.message


def test_the_timeline_prints_the_licence_types_by_the_packs_abbreviations() -> None:
    code, out, _ = invoke("timeline")
    assert code == 0
    legend = out[out.index("Licence types usable:") :].replace("\n", " ")
    assert "IND = individual, GB = general-bulk, SGB = special-general-bulk, SB = specific-bulk" in legend


def test_the_default_regime_is_read_from_the_environment() -> None:
    probe = (
        "from exportctl import settings, core_types;"
        "print(settings.DEFAULT_REGIME, core_types.Transaction.model_fields['regime'].default)"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe],
        env={**os.environ, "EXPORTCTL_DEFAULT_REGIME": "toy"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.stdout.split() == ["toy", "toy"]
