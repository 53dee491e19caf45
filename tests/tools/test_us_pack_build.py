"""The US pack's control files and destinations, built from the shared EAR extractions (Commerce Control List,
Country Chart, Country Groups of the eCFR of 2026-07-23) by tools/us_pack/build_pack.py.

Expected values are read from the source files in the test (the CCL's License Requirements lines, the chart's marks,
the groups' members), never from the builder's output; a line the tests quote is looked up in the source first, so a
changed source fails here rather than passing on stale text. The last tests check that the files in the repository
are the ones the builder writes now.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from exportctl.determine.classify import resolve_control_number
from exportctl.regime import Regime, parse_pack
from exportctl.regime.schema import ControlFile, DestinationsFile
from tests.conftest import REPO, SHARED

US = SHARED / "data" / "us"
TOOLS = REPO / "tools" / "us_pack"
BUILDER = TOOLS / "build_pack.py"
PACK = REPO / "src" / "exportctl" / "packs" / "us"
PARAMETERS = PACK / "parameters"
MARKER = "# --- hand-written below ---"

# The builder's modules, found as build_pack.py finds them (appended: they shadow nothing).
sys.path.extend([str(TOOLS), str(REPO / "tools" / "eu_pack")])
from ccl_paragraphs import paragraphs  # noqa: E402
from chart_text import Paragraphs, Reading, read_line  # noqa: E402

CCL: dict[str, Any] = json.loads((US / "ear-ccl-2026-07-23.json").read_text(encoding="utf-8"))
CHART: dict[str, Any] = json.loads((US / "ear-country-chart-2026-07-23.json").read_text(encoding="utf-8"))
GROUPS: dict[str, Any] = json.loads((US / "ear-country-groups-2026-07-23.json").read_text(encoding="utf-8"))
ECCNS: dict[str, dict[str, Any]] = {entry["eccn"]: entry for entry in CCL["entries"]}
# The codes of the rows the tests look at (ISO 3166-1), written out here rather than taken from the builder.
CODES = {
    "China": "CN", "Japan": "JP", "India": "IN", "Canada": "CA", "Russia": "RU", "United Arab Emirates": "AE",
    "Macau": "MO", "Germany": "DE", "Israel": "IL", "Pakistan": "PK", "Liechtenstein": "LI", "Australia": "AU",
    "United Kingdom": "GB",
}  # fmt: skip


def source_line(eccn: str, control: str) -> dict[str, str]:
    """The License Requirements line of `eccn` whose control starts with `control`, as the source has it."""
    found = [line for line in ECCNS[eccn]["countryChart"] if line["control"].startswith(control)]
    assert len(found) == 1, f"{eccn}: {len(found)} lines start with {control!r}"
    return found[0]


def read(eccn: str, control: str) -> list[Reading]:
    line = source_line(eccn, control)
    items = ECCNS[eccn].get("items")
    numbered = Paragraphs(paragraphs(items)) if items else None
    return read_line(eccn, line["control"], line["countryChart"], numbered)


def one(eccn: str, control: str) -> Reading:
    readings = read(eccn, control)
    assert len(readings) == 1
    return readings[0]


def item_paragraphs(eccn: str, pattern: str) -> list[str]:
    """The numbers of the source's `item` lines of `eccn` that match `pattern`."""
    return [
        item["paragraph"]
        for item in ECCNS[eccn]["items"]
        if item["kind"] == "item" and item["paragraph"] and re.fullmatch(pattern, item["paragraph"])
    ]


# --- the License Requirements lines ---------------------------------------------------------------------


def test_a_chart_column_gives_the_reason_and_its_table() -> None:
    assert source_line("3A001", "NS applies to entire entry")["countryChart"] == "NS Column 2."
    reading = one("3A001", "NS applies to entire entry")
    assert (reading.reason, reading.scope, reading.parts, reading.approximate) == (
        "NS2",
        {"tables": ["chart-ns2"]},
        (),
        (),
    )
    assert one("3A001", "AT applies").reason == "AT1"


def test_uae_or_country_groups_excluding_a5_a6() -> None:
    cell = source_line("3A001", "RS applies to 3A001.z.1.b")["countryChart"]
    assert cell.startswith("To or within the United Arab Emirates or destinations specified in Country Groups D:1,")
    reading = one("3A001", "RS applies to 3A001.z.1.b")
    assert reading.reason == "RS"
    assert reading.scope == {"tables": ["country-ae", "cg-d1", "cg-d4", "cg-d5"], "outside_tables": ["cg-a5", "cg-a6"]}
    # "RS applies to 3A001.z.1.b, z.2.b, z.3.b, z.4.b": the abbreviations count from the ECCN
    assert reading.parts == ("3A001.z.1.b", "3A001.z.2.b", "3A001.z.3.b", "3A001.z.4.b")
    assert reading.approximate == ()


def test_worldwide_is_every_destination() -> None:
    assert source_line("3A001", "RS applies to 3A001.z.1.a")["countryChart"].startswith("To or within any destination")
    reading = one("3A001", "RS applies to 3A001.z.1.a")
    assert (reading.scope, reading.parts) == ({}, ("3A001.z.1.a", "3A001.z.2.a", "3A001.z.3.a", "3A001.z.4.a"))
    assert source_line("3B001", "NS applies to 3B001.c.1.a")["countryChart"].startswith("Worldwide control.")
    assert one("3B001", "NS applies to 3B001.c.1.a").parts == ("3B001.c.1.a", "3B001.c.1.c", "3B001.q")


def test_macau_or_a_destination_of_d5() -> None:
    assert source_line("3A090", "RS applies to 3A090.c")["countryChart"].startswith("To or within Macau or a destin")
    reading = one("3A090", "RS applies to 3A090.c")
    assert (reading.reason, reading.scope, reading.parts) == ("RS", {"tables": ["country-mo", "cg-d5"]}, ("3A090.c",))


def test_abbreviated_lists_and_ranges() -> None:
    # "NS applies to 3B001.a.4, c, d, f.1, f.5, f.6, k to n, p.2, p.4, r" (to Macau or D:5)
    listed = "3B001.a.4 3B001.c 3B001.d 3B001.f.1 3B001.f.5 3B001.f.6 3B001.k 3B001.l 3B001.m 3B001.n 3B001.p.2"
    assert one("3B001", "NS applies to 3B001.a.4").parts == (*listed.split(), "3B001.p.4", "3B001.r")
    # ".16" after "1C351.d.15" is d.16; "9A004 .g, .r" (a space before the dot) counts from 9A004
    assert one("1C351", "CB applies to items controlled by 1C351.d.15").parts == ("1C351.d.15", "1C351.d.16")
    assert one("9A004", "NS applies to 9A004 .g").parts == ("9A004.g", "9A004.r", "9A004.u", "9A004.w")
    assert one("0B505", "AT applies to paragraph .c").parts == ("0B505.c",)


def test_an_exception_inside_a_list_leaves_its_paragraphs_out() -> None:
    # "NS applies to 5A001.b (except .b.5), .c, .d, .f (except f.3), .g, and .j"; 5A001.b has b.1 (a `text` line,
    # "b.1 Being underwater untethered communications systems …") to b.6, 5A001.f has f.1 to f.4
    assert item_paragraphs("5A001", r"[bf]\.\d+") == ["b.2", "b.3", "b.4", "b.5", "b.6", "f.1", "f.2", "f.3", "f.4"]
    assert any(item["text"].startswith("b.1 Being underwater") for item in ECCNS["5A001"]["items"])
    expected = ["b.1", "b.2", "b.3", "b.4", "b.6", "c", "d", "f.1", "f.2", "f.4", "g", "j"]
    reading = one("5A001", "NS applies to 5A001.b (except .b.5)")
    assert reading.parts == tuple(f"5A001.{number}" for number in expected)
    assert reading.approximate == ()


def test_entire_entry_except_a_paragraph() -> None:
    # 1E002: b, c, d "[Reserved]", e, f, g as items; a is the line the extraction loses (its list starts at b)
    assert item_paragraphs("1E002", r"[a-z]") == ["b", "c", "d", "e", "f", "g"]
    reading = one("1E002", "NS applies to entire entry, except 1E002.g")
    assert (reading.reason, reading.parts, reading.approximate) == (
        "NS1",
        ("1E002.a", "1E002.b", "1E002.c", "1E002.e", "1E002.f"),
        (),
    )
    # a category the extraction gives headings only for: the exception cannot be applied, the whole entry is kept
    reading = one("0A606", "NS applies to entire entry, except 0A606.b and .y")
    assert reading.parts == () and reading.approximate


def test_an_exception_that_is_not_a_paragraph_is_not_applied_but_reported() -> None:
    reading = one("3A001", "NS applies to “Monolithic")
    assert (reading.reason, reading.scope) == ("NS1", {"tables": ["chart-ns1"]})
    assert reading.parts == ("3A001.b.2", "3A001.b.3")
    assert any("civil telecommunications" in note for note in reading.approximate)
    # a condition on a paragraph: the control covers all of it
    reading = one("3A001", "MT applies")
    assert reading.parts == ("3A001.a.1.a", "3A001.a.5.a", "3A001.z.2") and reading.approximate


def test_a_description_without_paragraph_keeps_the_whole_entry() -> None:
    # "CC applies to shotguns … and paragraphs .c, .d, and .e …": limited to .c–.e, the shotguns would be left out
    reading = one("0A502", "CC applies to shotguns with a barrel length less than 24 in. (60.96 cm) and paragraphs")
    assert reading.parts == () and reading.approximate
    # "NP applies to 1C010.a (aramid …, b (carbon …), and e.1 for …": the list is not understood
    reading = one("1C010", "NP applies")
    assert reading.parts == () and reading.approximate


def test_a_cell_that_refers_elsewhere_is_every_destination_and_reported() -> None:
    assert source_line("5A002", "EI applies")["countryChart"] == "Refer to § 742.15 of the EAR."
    reading = one("5A002", "EI applies")
    assert (reading.reason, reading.scope) == ("EI", {}) and reading.approximate
    assert source_line("0A501", "UN applies")["countryChart"].startswith("See § 746.1")
    reading = one("0A501", "UN applies")
    assert (reading.reason, reading.scope) == ("UN", {}) and reading.approximate


def test_countries_a_cell_names() -> None:
    reading = one("9A610", "RS applies to 9A610.y")
    assert reading.scope == {"tables": ["country-cn", "country-ru", "country-ve"]}
    assert reading.parts == ("9A610.y",)
    assert "Iraq or Pakistan" in source_line("1B999", "RS applies")["countryChart"]
    assert one("1B999", "RS applies").scope == {"tables": ["country-iq", "country-pk"]}
    assert one("0B999", "AT applies").scope == {"tables": ["country-kp"]}
    assert "ALL destinations, except Canada" in source_line("0A503", "CC applies")["countryChart"]
    assert one("0A503", "CC applies").scope == {"outside_tables": ["country-ca"]}


def test_a_cell_with_two_columns_is_two_controls_and_a_merged_cell_is_split() -> None:
    assert source_line("1A231", "NP applies")["countryChart"] == "NP Column 1 AT Column 1"
    assert [(r.reason, r.text, r.scope) for r in read("1A231", "NP applies")] == [
        ("NP1", "NP applies to entire entry", {"tables": ["chart-np1"]}),
        ("AT1", "AT applies to entire entry", {"tables": ["chart-at1"]}),
    ]
    assert source_line("1C350", "CB applies to entire entry CB")["countryChart"].endswith("CB Column 2.")
    reading = one("1C350", "CB applies to entire entry CB")
    assert (reading.reason, reading.text, reading.parts) == ("CB2", "CB applies to entire entry", ())


# --- paragraphs -----------------------------------------------------------------------------------------


def test_paragraphs_leave_out_the_lists_inside_notes() -> None:
    found = paragraphs(ECCNS["3A001"]["items"])
    # the note "'Adjusted update rate' for DACs is: a. … b. …" restarts at a: its lines are no paragraphs, and
    # 3A001.a.6 … a.14 after it still are
    assert item_paragraphs("3A001", r"[a-z]").count("a") > 1
    assert len(found) == len(set(found))
    assert {"a.5.b.2.b", "a.6", "a.14.b.2", "b", "b.12.d", "i.2.b", "z"} <= set(found)
    assert "a.4" not in found  # "[Reserved]"
    assert "j" not in found  # "j through y. [Reserved]"
    # z.1.a … z.4.b: some are `text` lines starting with their number; z.1 … z.4 are above them
    assert [number for number in found if number.startswith("z.")] == [
        "z.1", "z.1.a", "z.1.b", "z.2", "z.2.a", "z.2.b", "z.3", "z.3.a", "z.3.b", "z.4", "z.4.a", "z.4.b",
    ]  # fmt: skip


def test_a_long_note_list_does_not_replace_the_paragraphs() -> None:
    # 5A002 Note 2 lists a. … j. (smart cards … connected civil industry applications) between a.4 and b.
    assert "j" in item_paragraphs("5A002", r"[a-z]")
    found = paragraphs(ECCNS["5A002"]["items"])
    assert [number for number in found if "." not in number] == ["a", "b", "c", "d", "e", "z"]
    assert {"a.4.b", "d.2", "z.5.b"} <= set(found)


def test_the_first_paragraph_the_extraction_loses_is_implied() -> None:
    assert item_paragraphs("1A003", r".*") == ["b"]
    assert paragraphs(ECCNS["1A003"]["items"]) == ["a", "b"]


# --- the built files ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("us") / "pack"
    run = subprocess.run(
        [sys.executable, str(BUILDER), "--shared", str(US), "--pack", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return out


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def entries(built: Path) -> dict[str, dict[str, Any]]:
    return {entry["id"]: entry for n in range(10) for entry in load(built / "control" / f"cat-{n}.yaml")["entries"]}


@pytest.fixture(scope="module")
def destinations(built: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = load(built / "destinations.yaml")
    return loaded


def members(destinations: dict[str, Any], table: str) -> set[str]:
    return set(destinations["tables"][table]["members"])


def test_one_file_per_category_one_row_one_entry_per_eccn(built: Path, entries: dict[str, dict[str, Any]]) -> None:
    for n in range(10):
        parsed = ControlFile.model_validate(load(built / "control" / f"cat-{n}.yaml"))
        of_category = [eccn for eccn, entry in ECCNS.items() if entry["category"] == str(n)]
        assert [row.id for row in parsed.rows] == [str(n)]
        assert (parsed.rows[0].regime, parsed.rows[0].destinations) == ("ccl", "chart")
        assert parsed.rows[0].sub_items == [entry.id for entry in parsed.entries] == of_category
    assert len(entries) == CCL["entryCount"] == 633
    assert parsed.rows[0].goods_title.en == "Category 9 — Aerospace and Propulsion"
    assert entries["3A001"]["kind"] == "goods" and entries["5D002"]["kind"] == "technology"
    assert entries["3E001"]["control_numbers"] == ["3E001"] and entries["3E001"]["row"] == "3"
    assert all(entry["periods"] == [{"source": "us.ear.774-supp1"}] for entry in entries.values())


def test_titles_are_one_line_within_200_characters(entries: dict[str, dict[str, Any]]) -> None:
    assert ECCNS["3A001"]["heading"] == "Electronic items as follows (see List of Items Controlled)."
    assert entries["3A001"]["title"] == {"en": "Electronic items as follows.", "ja": "Electronic items as follows."}
    long = [eccn for eccn, entry in ECCNS.items() if len(" ".join(entry["heading"].split())) > 230]
    assert long
    for eccn in long:
        assert len(entries[eccn]["title"]["en"]) <= 200 and "\n" not in entries[eccn]["title"]["en"]
        assert entries[eccn]["note"] == " ".join(ECCNS[eccn]["heading"].split())


def test_parts_for_the_categories_given_in_full(entries: dict[str, dict[str, Any]]) -> None:
    assert CCL["deepCategories"] == ["1", "3", "4", "5"]
    assert "3A001.b.2" in entries["3A001"]["parts"] and "3A001.z.1.a" in entries["3A001"]["parts"]
    assert "parts" not in entries["9A610"]  # category 9: headings only
    for eccn, entry in entries.items():
        for control in entry.get("controls", []):
            if "parts" in entry:  # a control's paragraphs are paragraphs of its entry
                assert set(control.get("parts", [])) <= set(entry["parts"]), eccn


def test_an_eccn_without_license_requirements_has_no_controls(entries: dict[str, dict[str, Any]]) -> None:
    assert ECCNS["0A002"]["countryChart"] == [] and "subject to the ITAR" in ECCNS["0A002"]["heading"]
    assert "controls" not in entries["0A002"]  # no controls: a licence for every destination
    assert all(("controls" in entries[eccn]) == bool(entry["countryChart"]) for eccn, entry in ECCNS.items())


def test_every_table_a_control_names_exists(entries: dict[str, dict[str, Any]], destinations: dict[str, Any]) -> None:
    named = {
        table
        for entry in entries.values()
        for control in entry.get("controls", [])
        for tables in control["destinations"].values()
        for table in tables
    }
    assert named <= set(destinations["tables"])
    sources = re.findall(r"^  (us\.[\w.-]+):$", (PACK / "sources" / "us.yaml").read_text(encoding="utf-8"), re.M)
    assert {"us.ear.774-supp1", "us.ear.738-supp1", "us.ear.740-supp1"} <= set(sources)


def control_table(entries: dict[str, dict[str, Any]], eccn: str, reason: str) -> str:
    (control,) = [control for control in entries[eccn]["controls"] if control["reason"] == reason]
    (table,) = control["destinations"]["tables"]
    return str(table)


@pytest.mark.parametrize(
    ("eccn", "reason", "country"),
    [
        ("3A001", "NS2", "China"), ("3A001", "NS2", "Japan"), ("3A001", "NS1", "Japan"), ("3A001", "NP1", "India"),
        ("0A501", "FC1", "Canada"), ("0A501", "NS1", "Canada"), ("3A001", "NS2", "Russia"), ("5A002", "NS1", "Israel"),
        ("1C350", "CB2", "Pakistan"), ("3A001", "MT1", "Liechtenstein"), ("3A001", "NS2", "Macau"),
    ],
)  # fmt: skip
def test_chart_cells(
    entries: dict[str, dict[str, Any]], destinations: dict[str, Any], eccn: str, reason: str, country: str
) -> None:
    code, number = reason[:2], reason[2]
    table = control_table(entries, eccn, reason)
    assert table == f"chart-{code.lower()}{number}"
    marked = f"{code} {number}" in CHART["countries"][country]["marks"]
    assert (CODES[country] in members(destinations, table)) == marked


def test_every_row_is_in_the_tables_of_its_marks(destinations: dict[str, Any]) -> None:
    for country, code in CODES.items():
        marks = {f"chart-{mark.replace(' ', '').lower()}" for mark in CHART["countries"][country]["marks"]}
        chart = {table for table in destinations["tables"] if re.fullmatch(r"chart-(?!fn)[a-z]{2}\d", table)}
        assert {table for table in chart if code in members(destinations, table)} == marks, country


def test_embargoed_rows_and_hong_kong(destinations: dict[str, Any]) -> None:
    assert set(CHART["embargoed"]) == {"Cuba", "Iran", "Korea, North", "Syria"}
    chart = [table for table in destinations["tables"] if table.startswith("chart-")]
    for code in ("CU", "IR", "KP", "SY"):  # no marks, in particular none in AT 1
        assert not [table for table in chart if code in members(destinations, table)]
    assert members(destinations, "chart-at1") == set() == members(destinations, "chart-at2")
    assert "Hong Kong" not in CHART["countries"]  # governed by the entry for China (85 FR 83788)
    for table in destinations["tables"]:
        if table != "country-cn":
            assert ("HK" in members(destinations, table)) == ("CN" in members(destinations, table)), table
    assert members(destinations, "country-cn") == {"CN", "HK"}
    # footnote 7 (India) and 10 (Australia, United Kingdom)
    assert members(destinations, "chart-fn7") == {"IN"} and members(destinations, "chart-fn10") == {"AU", "GB"}


def test_country_groups(destinations: dict[str, Any]) -> None:
    assert GROUPS["byCountry"]["A"]["Japan"] == ["A:1", "A:2", "A:3", "A:4", "A:5"]
    assert {"JP"} <= members(destinations, "cg-a1") & members(destinations, "cg-a5")
    assert "JP" not in members(destinations, "cg-a6")
    assert GROUPS["byCountry"]["D"]["China (PRC)"] == ["D:1", "D:3", "D:4", "D:5"]
    assert {"CN", "HK"} <= members(destinations, "cg-d1") & members(destinations, "cg-d5")
    assert "CN" not in members(destinations, "cg-d2")
    assert GROUPS["byCountry"]["E"]["Iran"] == ["E:1"] and "IR" in members(destinations, "cg-e1")
    assert members(destinations, "cg-e2") == {"CU"}
    assert "MO" not in members(destinations, "cg-d5")  # the EAR names Macau beside D:5
    parsed = DestinationsFile.model_validate(destinations)
    assert [(group.id, group.tables) for group in parsed.groups] == [
        ("E", ["cg-e1", "cg-e2"]),
        ("D", ["cg-d1", "cg-d2", "cg-d3", "cg-d4", "cg-d5"]),
        ("A", ["cg-a1", "cg-a2", "cg-a3", "cg-a4", "cg-a5", "cg-a6"]),
        ("B", ["cg-b"]),
        ("other", []),
    ]
    assert parsed.group_rule_source == "us.ear.740-supp1"
    assert all(
        period["source"] == "us.ear.740-supp1"
        for table, value in destinations["tables"].items()
        if table.startswith("cg-")
        for periods in value["members"].values()
        for period in periods
    )


def test_footnotes_add_controls(entries: dict[str, dict[str, Any]]) -> None:
    assert "6A003.b.4.b and 9A515.e for RS column 2" in CHART["footnotes"]["7"]
    added = [
        control for control in entries["6A003"]["controls"] if control["destinations"] == {"tables": ["chart-fn7"]}
    ]
    assert [(control["reason"], control["parts"]) for control in added] == [("RS2", ["6A003.b.4.b"])]
    assert "0A504.i" in CHART["footnotes"]["10"]
    (added,) = [c for c in entries["0A504"]["controls"] if c["destinations"] == {"tables": ["chart-fn10"]}]
    assert added["parts"] == ["0A504.i"]


def split(text: str) -> tuple[str, str | None]:
    generated, marker, rest = text.partition("\n" + MARKER + "\n")
    return (generated + "\n", rest) if marker else (text, None)


def test_the_files_in_the_repository_are_what_the_builder_writes(built: Path) -> None:
    for n in range(10):
        name = f"control/cat-{n}.yaml"
        assert (PACK / name).read_text(encoding="utf-8") == (built / name).read_text(encoding="utf-8"), name
    in_repository = split((PACK / "destinations.yaml").read_text(encoding="utf-8"))[0]
    assert in_repository == (built / "destinations.yaml").read_text(encoding="utf-8")


def test_the_hand_written_part_of_destinations_is_kept(built: Path, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(built, pack)
    generated = (pack / "destinations.yaml").read_text(encoding="utf-8")
    hand_written = "embargoes:\n  IR: {title: {en: Iran, ja: イラン}}\n"
    (pack / "destinations.yaml").write_text(generated + MARKER + "\n" + hand_written, encoding="utf-8")
    command = [sys.executable, str(BUILDER), "--shared", str(US), "--pack", str(pack)]
    assert subprocess.run(command, capture_output=True, text=True, check=False).returncode == 0
    assert split((pack / "destinations.yaml").read_text(encoding="utf-8")) == (generated, hand_written)


def test_an_unknown_country_name_fails_loudly(tmp_path: Path) -> None:
    shared = tmp_path / "us"
    shared.mkdir()
    for name in ("ear-ccl-2026-07-23.json", "ear-country-groups-2026-07-23.json"):
        (shared / name).write_text((US / name).read_text(encoding="utf-8"), encoding="utf-8")
    chart = {**CHART, "countries": {**CHART["countries"], "Atlantis": {"marks": ["NS 1"], "footnotes": []}}}
    (shared / "ear-country-chart-2026-07-23.json").write_text(json.dumps(chart), encoding="utf-8")
    command = [sys.executable, str(BUILDER), "--shared", str(shared), "--pack", str(tmp_path / "pack")]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    assert run.returncode == 1
    assert "Country Chart row 'Atlantis'" in run.stderr
    assert not (tmp_path / "pack").exists()  # nothing written


# --- loading ---------------------------------------------------------------------------------------------

# The files the lead writes, reduced to what loading the built files needs.
HEADERS = {
    "pack.yaml": """
format: 2
id: us_test
title: {en: EAR (test), ja: EAR（試験）}
coverage_from: 2026-07-01
home: [US]
entry_ids:
  goods: {pattern: '(?P<row>\\d)[A-C]\\d{3}', examples: [3A001]}
  technology: {pattern: '(?P<row>\\d)[DE]\\d{3}', examples: [3E001]}
  rows: {pattern: '\\d', examples: ['3']}
terms: {home: the United States, not_listed: EAR99, informed: BIS has informed the exporter, not_informed: no letter,
        end_user_list: Entity List}
""",
    "sources/us.yaml": """
sources:
  us.ear.774-supp1: {instrument: EAR, article: Supp. 1 to part 774, url: "https://e.org", verified: false}
  us.ear.738-supp1: {instrument: EAR, article: Supp. 1 to part 738, url: "https://e.org", verified: false}
  us.ear.740-supp1: {instrument: EAR, article: Supp. 1 to part 740, url: "https://e.org", verified: false}
""",
    "catch_all.yaml": """
rules:
  - {id: wmd, title: {en: WMD, ja: WMD}, weapon: wmd, requirement: informed, entries: ['0'], destinations: {},
     periods: [{source: us.ear.774-supp1}]}
""",
    "rules.yaml": """
technology:
  - {id: export, title: {en: Technology sent abroad, ja: 国外への送付}, provided_abroad: true,
     periods: [{source: us.ear.774-supp1}]}
""",
    "licences.yaml": """
required:
  goods: {source: us.ear.774-supp1, law: § 738.4, listed_in: the CCL}
  technology: {source: us.ear.774-supp1, law: § 738.4, listed_in: the CCL}
types:
  individual: {title: {en: Licence, ja: 許可}, source: us.ear.774-supp1}
coverage:
  - {licence: individual, rows: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], destinations: [other],
     periods: [{source: us.ear.774-supp1}]}
""",
    "screening.yaml": "confirmed_score: 0.95\nlists: {}\n",
}


def test_the_built_files_load_and_a_paragraph_resolves_to_its_entry(built: Path) -> None:
    files = {
        **HEADERS,
        "destinations.yaml": (built / "destinations.yaml").read_text(encoding="utf-8"),
        **{f"control/{path.name}": path.read_text(encoding="utf-8") for path in (built / "control").glob("*.yaml")},
        # the parameters the merged criteria name (hand-written, in the repository's pack)
        **{f"parameters/{path.name}": path.read_text(encoding="utf-8") for path in PARAMETERS.glob("*.yaml")},
    }
    snapshot = Regime(parse_pack(files)).at(dt.date(2026, 7, 23))
    for number, entry in (("3A001.b.2", "3A001"), ("3A001.z.1.a", "3A001"), ("9A610.y", "9A610")):
        assert [match.entry for match in resolve_control_number(snapshot, number)] == [entry], number
    assert not resolve_control_number(snapshot, "3A001.a.4")  # "[Reserved]"
    assert not resolve_control_number(snapshot, "5A002.j")  # a point of a note's list


# --- criteria merged from tools/us_pack/criteria/cat-N.yaml ---------------------------------------------------------


def test_criteria_are_merged_into_their_entries(entries: dict[str, dict[str, Any]]) -> None:
    gpu = entries["3A090"]
    assert gpu["complete"] is True
    (a1,) = [clause for clause in gpu["clauses"] if clause["id"] == "a-1"]
    assert a1["control_numbers"] == ["3A090.a.1"]
    assert a1["criteria"] == [{"param": "total_processing_performance", "op": ">=", "value": 4800}]
    assert gpu["note"].startswith("[criteria] Every alternative of the text is encoded")
    assert entries["3A001"]["complete"] is False and "clauses" not in entries["3A225"]
    assert "complete" not in entries["9A610"]  # an ECCN without criteria has neither clauses nor `complete`


def clause_text(number: str, criterion: str = "{param: total_dose_si_gy, op: '>=', value: 5000}") -> str:
    return (
        f"{{id: x, title: {{en: t, ja: t}}, products: [integrated-circuit], control_numbers: [{number}],"
        f" criteria: [{criterion}]}}"
    )


def criteria_of(code: str, *clauses: str) -> str:
    return f"entries: {{{code}: {{complete: false, clauses: [{', '.join(clauses or (clause_text('3A001.a.1.a'),))}]}}}}"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("cat-3.yaml", criteria_of("3A089"), "the text does not have (or marks 'Not used'): 3A089"),
        ("cat-3.yaml", criteria_of("3A001", clause_text("3A001.a.9")),
         "3A001#x: 3A001.a.9 is not 3A001 or one of its live sub-paragraphs"),
        ("cat-3.yaml", criteria_of("3A001", clause_text("3A001.a.1.a", "{param: tpp, op: '>', value: 1}")),
         "3A001#x: parameter tpp is defined in no parameters file"),
        ("cat-3.yaml", criteria_of("3A001", clause_text("3A001.a.1.a", "{param: mis_device, op: '==', value: 1}")),
         "3A001#x: mis_device is a bool, compared with 1"),
        ("cat-3.yaml", criteria_of("3E001", clause_text("3E001")), "3E001 is software or technology"),
        ("cat-4.yaml", criteria_of("3A090"), "3A090 is not an entry of Category 4"),
    ],
)  # fmt: skip
def test_the_builder_refuses_criteria_the_text_or_the_parameters_do_not_support(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    assert "a.9" in [item["paragraph"] for item in ECCNS["3A001"]["items"]]  # "[Reserved]": no part
    (tmp_path / "criteria").mkdir()
    (tmp_path / "criteria" / name).write_text(text, encoding="utf-8")
    command = [sys.executable, str(BUILDER), "--shared", str(US), "--pack", str(tmp_path / "pack"), "--criteria",
               str(tmp_path / "criteria")]  # fmt: skip
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    assert run.returncode == 1 and message in run.stderr, run.stderr
    assert not (tmp_path / "pack").exists()  # nothing written
