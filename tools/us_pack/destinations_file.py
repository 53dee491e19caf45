"""The pack's destinations: the Commerce Country Chart's columns (Supplement No. 1 to part 738) and the Country Groups
(Supplement No. 1 to part 740) as country tables, the countries the CCL's controls name, and the destination groups
derived from the Country Groups."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pycountry
import yaml
from ccl_source import CCL_SOURCE, CHART_SOURCE, GROUPS_SOURCE, RawChart, RawGroups
from chart_footnotes import READERS, footnote_table
from chart_text import chart_table, country_table, group_table
from country_names import NO_CODE, iso_code
from yamlout import comments, dump

from exportctl.regime.schema import DestinationsFile

CHART_TABLES = [
    "chart-cb1", "chart-cb2", "chart-cb3", "chart-np1", "chart-np2", "chart-ns1", "chart-ns2", "chart-mt1",
    "chart-rs1", "chart-rs2", "chart-fc1", "chart-cc1", "chart-cc2", "chart-cc3", "chart-at1", "chart-at2",
]  # fmt: skip
GROUP_TABLES = [
    "cg-a1", "cg-a2", "cg-a3", "cg-a4", "cg-a5", "cg-a6", "cg-b",
    "cg-d1", "cg-d2", "cg-d3", "cg-d4", "cg-d5", "cg-e1", "cg-e2",
]  # fmt: skip
# The destination groups users see: a country is in the first group one of whose tables lists it.
GROUPS = [
    ("E", "Country Group E", "国グループE", ["cg-e1", "cg-e2"]),
    ("D", "Country Group D", "国グループD", ["cg-d1", "cg-d2", "cg-d3", "cg-d4", "cg-d5"]),
    ("A", "Country Group A", "国グループA", ["cg-a1", "cg-a2", "cg-a3", "cg-a4", "cg-a5", "cg-a6"]),
    ("B", "Country Group B", "国グループB", ["cg-b"]),
    ("other", "Not in Country Groups A, B, D or E", "国グループA・B・D・Eのいずれにも属さない", []),
]
REASONS_JA = {
    "CB": "化学・生物兵器",
    "NP": "核不拡散",
    "NS": "国家安全保障",
    "MT": "ミサイル技術",
    "RS": "地域の安定",
    "FC": "銃器条約",
    "CC": "犯罪防止",
    "AT": "反テロ",
}
COUNTRIES_JA = {
    "AE": "アラブ首長国連邦",
    "CA": "カナダ",
    "CN": "中国",
    "IQ": "イラク",
    "KP": "北朝鮮",
    "MO": "マカオ",
    "PK": "パキスタン",
    "RU": "ロシア",
    "VE": "ベネズエラ",
}
# Hong Kong has no row in the Country Chart and is in no Country Group: since 85 FR 83788 (2020-12-23) the EAR
# governs it by the entry for China. It is given China's marks and groups, and is in the table of China.
HONG_KONG = "HK"
CHINA = "CN"
HONG_KONG_NOTE = "Hong Kong: governed by the entry for China (85 FR 83788)"
MARKER = "# --- hand-written below ---"


def _period(source: str, code: str) -> list[dict[str, str]]:
    period = {"source": source}
    if code == HONG_KONG:
        period["note"] = HONG_KONG_NOTE
    return [period]


def _members(codes: Iterable[str], source: str) -> dict[str, list[dict[str, str]]]:
    listed = set(codes)
    if CHINA in listed:
        listed.add(HONG_KONG)
    return {code: _period(source, code) for code in sorted(listed)}


def _codes(names: Iterable[str], where: str) -> list[str]:
    return [iso_code(name, where) for name in names if name not in NO_CODE]


def chart_tables(chart: RawChart) -> dict[str, dict[str, Any]]:
    columns = {chart_table(*column.split()): column for column in chart["columns"]}
    if list(columns) != CHART_TABLES:
        raise ValueError(f"Country Chart columns {chart['columns']} are not the pack's {CHART_TABLES}")
    marked: dict[str, list[str]] = {table: [] for table in CHART_TABLES}
    for name, row in chart["countries"].items():
        if name in NO_CODE:
            continue
        code = iso_code(name, f"Country Chart row {name!r}")
        for mark in row["marks"]:
            marked[chart_table(*mark.split())].append(code)
    tables = {}
    for table, column in columns.items():
        code, number = column.split()
        label = " ".join(chart["columnLabels"][column].replace("- ", "-").split())  # "Anti- terrorism"
        tables[table] = {
            "title": {
                "en": f"Commerce Country Chart, {code} Column {number} ({label})",
                "ja": f"商務省国別チャート {code}欄{number}（{REASONS_JA[code]}）",
            },
            "members": _members(marked[table], CHART_SOURCE),
        }
    return tables


def footnote_tables(chart: RawChart) -> dict[str, dict[str, Any]]:
    """The rows that carry each footnote read as controls (chart_footnotes.py)."""
    tables = {}
    for number in READERS:
        names = [name for name, row in chart["countries"].items() if int(number) in row["footnotes"]]
        tables[footnote_table(number)] = {
            "title": {"en": f"Commerce Country Chart, footnote {number}", "ja": f"商務省国別チャート 脚注{number}"},
            "members": _members(_codes(names, f"Country Chart footnote {number}"), CHART_SOURCE),
        }
    return tables


def group_tables(groups: RawGroups) -> dict[str, dict[str, Any]]:
    tables = {group_table(group): group for group in groups["groups"]}
    if sorted(tables) != sorted(GROUP_TABLES):
        raise ValueError(f"Country Groups {list(groups['groups'])} are not the pack's {GROUP_TABLES}")
    return {
        table: {
            "title": {
                "en": f"Country Group {tables[table]} ({groups['labels'][tables[table]]})",
                "ja": f"国グループ{tables[table]}",
            },
            "members": _members(
                _codes(groups["groups"][tables[table]], f"Country Group {tables[table]}"), GROUPS_SOURCE
            ),
        }
        for table in GROUP_TABLES
    }


def country_tables(named: Iterable[str]) -> dict[str, dict[str, Any]]:
    """A table per country the CCL's controls name (`country-ae`), its source the CCL."""
    tables = {}
    for code in sorted(set(named)):
        country = pycountry.countries.get(alpha_2=code)
        name = str(country.name) if country else code
        tables[country_table(code)] = {
            "title": {"en": f"{name} (named by a CCL control)", "ja": COUNTRIES_JA.get(code, name)},
            "members": _members([code], CCL_SOURCE),
        }
    return tables


def destinations_file(chart: RawChart, groups: RawGroups, named: Iterable[str], hand_written: str | None = None) -> str:
    """destinations.yaml, validated against the pack schema; `hand_written` (the text after MARKER in the file
    being replaced) is kept after the generated part."""
    header = comments(
        f"Written by tools/us_pack/build_pack.py from the shared extractions of the Commerce Country Chart (15 CFR"
        f" part 738, Supplement No. 1, eCFR of {chart['ecfrIssueDate']}) and the Country Groups (part 740, Supplement"
        f" No. 1, eCFR of {groups['ecfrIssueDate']}); re-run the builder rather than editing by hand. Text after the"
        f" line '{MARKER}' (the embargoes) is written by hand and kept when the file is rewritten.",
        "chart-*: the countries with an X in the column. No row has a mark in AT 1 or AT 2: the rows of Cuba, Iran,"
        " North Korea and Syria have no marks and point to part 746 (see the embargoes). chart-fn7, chart-fn10: the"
        " rows that carry Country Chart footnote 7 (India) and 10 (Australia, United Kingdom), which require licences"
        " the grid does not show (controls of the ECCNs they list). cg-*: the Country Groups. country-*: a country a"
        " control of the CCL names ('To or within the United Arab Emirates or …').",
        f"{HONG_KONG_NOTE}: it has no row and is in no Country Group, and is given China's marks and groups, and"
        " is in country-cn.",
        "Left out: "
        + "; ".join(f"{name} ({why})" for name, why in NO_CODE.items())
        + ". Liechtenstein has its own row (footnote 5 refers to Switzerland for it).",
        "groups: a country is in the first group one of whose tables lists it (E before D before A before B); every"
        " other country is in 'other'.",
    )
    data: dict[str, Any] = {
        "groups": [
            {"id": group, "title": {"en": en, "ja": ja}, **({"tables": tables} if tables else {})}
            for group, en, ja, tables in GROUPS
        ],
        "group_rule_source": GROUPS_SOURCE,
        "tables": {
            **chart_tables(chart),
            **footnote_tables(chart),
            **group_tables(groups),
            **country_tables(named),
        },
    }
    text = header + dump(data)
    DestinationsFile.model_validate(yaml.safe_load(text))  # fail here rather than in the pack loader
    if hand_written is not None:
        text += MARKER + "\n" + hand_written
    return text


def split_hand_written(text: str) -> tuple[str, str | None]:
    """A destinations.yaml as (the part the builder writes, the hand-written text after MARKER or None)."""
    generated, marker, rest = text.partition("\n" + MARKER + "\n")
    return (generated + "\n", rest) if marker else (text, None)
