"""The EU pack's control files and Union general export authorisations, built from Annexes I and II of Regulation
(EU) 2021/821 (consolidated text of 2025-11-15) by tools/eu_pack/build_annex.py.

Expected values are read from the Regulation's text (the shared extraction in ../shared/data/eu), not from the
builder's output: the entry codes, the sub-paragraphs, the notes, each Union general export authorisation's
destinations, items, exclusions and conditions, and the Section I exclusions. The last tests load the files through
the pack loader, with the few files the lead writes reduced to what loading needs, and determine EU cases with them.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from exportctl.core_types import Line, Transaction
from exportctl.countries import alpha_2
from exportctl.determine.classify import resolve_control_number
from exportctl.determine.engine import determine
from exportctl.regime import Regime, parse_pack
from exportctl.regime.schema import ControlFile, Coverage, Destinations, DestinationsFile
from tests.conftest import REPO, SHARED

ANNEX = SHARED / "data" / "eu" / "eu-2021-821-annex-2025-11-15.json"
BUILDER = REPO / "tools" / "eu_pack" / "build_annex.py"
PARAMETERS = REPO / "src" / "exportctl" / "packs" / "eu" / "parameters"
GRAMMAR = {"goods": r"(?P<row>\d)[A-C]\d{3}", "technology": r"(?P<row>\d)[DE]\d{3}"}
SERIES_500 = {
    "1C513", "2B510", "2E503", "3A501", "3A502", "3A504", "3B501", "3B503", "3B504", "3C507", "3C508", "3C509",
    "3D507", "3E505", "4A506", "4A507",
}  # fmt: skip
# Section I of Annex II after "all items specified in Annex IV": the items excluded whole, and the sub-paragraphs.
SECTION_I_ENTRIES = ["0C001", "0C002", "1A102", "1C351", "1C353", "1C354", "7E104", "9A117"]
SECTION_I_PARTS = ["1C450.a.1", "1C450.a.2", "9A009.a"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("eu")
    command = [sys.executable, str(BUILDER), str(ANNEX), "--pack", str(out / "pack"), "--notes", str(out / "notes")]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    return out


@pytest.fixture(scope="module")
def draft(built: Path) -> Path:
    return built / "notes"


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def control(built: Path) -> dict[str, dict[str, Any]]:
    return {path.name: load(path) for path in sorted((built / "pack" / "control").glob("*"))}


@pytest.fixture(scope="module")
def entries(control: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {entry["id"]: entry for file in control.values() for entry in file["entries"]}


@pytest.fixture(scope="module")
def parts(entries: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    """Each part → the entries that list it."""
    found: dict[str, list[str]] = {}
    for entry in entries.values():
        for part in entry.get("parts", []):
            found.setdefault(part, []).append(entry["id"])
    return found


@pytest.fixture(scope="module")
def ugeas(draft: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = load(draft / "ugeas.yaml")
    return loaded


@pytest.fixture(scope="module")
def tables(draft: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = load(draft / "ugea-destinations.yaml")["tables"]
    return loaded


@pytest.fixture(scope="module")
def coverage(draft: Path) -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = load(draft / "ugea-coverage.yaml")["coverage"]
    return loaded


def covering(coverage: list[dict[str, Any]], licence: str) -> list[dict[str, Any]]:
    return [item for item in coverage if item["licence"] == licence]


# --- Annex I ----------------------------------------------------------------------------------------------


def test_one_file_per_category_each_valid_for_the_control_file_schema(control: dict[str, dict[str, Any]]) -> None:
    assert sorted(control) == [f"cat-{n}.yaml" for n in range(10)]
    for name, file in control.items():
        parsed = ControlFile.model_validate(file)
        assert [row.id for row in parsed.rows] == [name[4]], name
        assert {entry.row for entry in parsed.entries} == {name[4]}, name
        assert parsed.rows[0].sub_items == [entry.id for entry in parsed.entries], name
        for entry in parsed.entries:
            assert [period.source for period in entry.periods] == ["eu.2021-821.annex-i"]


def test_every_entry_code_of_annex_i_is_an_entry_but_those_not_used(
    built: Path, entries: dict[str, dict[str, Any]]
) -> None:
    # Annex I of 2025-11-15 has 384 entry codes; 4D002 and 4D003 read "Not used."
    assert len(entries) == 384 - 2
    assert "4D002" not in entries and "4D003" not in entries
    header = (built / "pack" / "control" / "cat-4.yaml").read_text(encoding="utf-8")
    assert "Entry codes the text marks 'Not used' (no entry): 4D002, 4D003" in header
    per_category = {str(n): sum(1 for code in entries if code[0] == str(n)) for n in range(10)}
    assert per_category == {"0": 15, "1": 93, "2": 55, "3": 51, "4": 11, "5": 13, "6": 36, "7": 37, "8": 8, "9": 63}


def test_entry_ids_follow_the_grammar_and_name_their_row(entries: dict[str, dict[str, Any]]) -> None:
    for code, entry in entries.items():
        kind = entry.get("kind", "goods")
        match = re.fullmatch(GRAMMAR[kind], code)
        assert match is not None and match["row"] == entry["row"], code
    assert entries["3E001"]["kind"] == "technology" and entries["5D002"]["kind"] == "technology"
    assert "kind" not in entries["3A001"]


def test_an_entry_is_its_code_and_its_sub_paragraphs_are_its_parts(
    entries: dict[str, dict[str, Any]], parts: dict[str, list[str]]
) -> None:
    assert all(entry["control_numbers"] == [code] for code, entry in entries.items())
    assert parts["3A001.a.1"] == ["3A001"]  # "Integrated circuits designed or rated as radiation hardened …"
    assert parts["5A002.a"] == ["5A002"]  # "Designed or modified to use 'cryptography for data confidentiality' …"
    assert parts["5A002.a.4.b"] == ["5A002"]
    assert parts["1C350.10"] == ["1C350"]  # 3-Hydroxy-1-methylpiperidine
    assert parts["4A506.a.1"] == ["4A506"]  # quantum computers, 34 to fewer than 100 physical qubits
    assert parts["0B001.i"] == ["0B001"]
    assert all(len(listed) == 1 and part.startswith(listed[0] + ".") for part, listed in parts.items())


def test_paragraphs_not_in_annex_i_are_no_parts(
    entries: dict[str, dict[str, Any]], parts: dict[str, list[str]]
) -> None:
    assert "0B001.i.4" not in parts  # "Not used;"
    assert "3A001.a.4" not in parts  # "Not used;"
    assert "3B501.f.1.a" not in parts and "3B501.f.1.b" in parts  # "Not used;" since the corrigendum to 2025/2003
    assert "1C350.4" not in parts  # "SEE MILITARY GOODS CONTROLS for Methyl phosphonyl difluoride"
    assert "1C450.a.3" not in parts  # "SEE MILITARY GOODS CONTROLS FOR BZ"
    assert "1C350.5" in parts
    # 3B501.a lists only its point 4 (the 500-series numbers its points as 3B001.a does): 3B501.a.1 is no item
    assert [part for part in parts if part.startswith("3B501.a")] == ["3B501.a", "3B501.a.4", "3B501.a.4.a",
                                                                       "3B501.a.4.b"]  # fmt: skip


def test_the_points_a_note_lists_are_no_parts(entries: dict[str, dict[str, Any]], parts: dict[str, list[str]]) -> None:
    # "Note 2: 5A004.b. does not include: a. Debuggers, hypervisors; …": decontrolled, not a sub-paragraph
    assert not [part for part in parts if part.startswith("5A004.b.2.")]
    assert "Debuggers, hypervisors" in entries["5A004"]["note"]
    # "Note: The only servo valves, pumps and gas turbines specified in 9A106.d., are the following: a. …"
    assert "9A106.d" in parts and "9A106.d.a" not in parts
    # "Technical Note: For the purposes of 9A004.f.2., 'verification of operational procedures' is any of …"
    assert "9A004.f.2" in parts and "9A004.f.2.1" not in parts
    # "Technical Note: For the purposes of 5A002.b., a 'cryptographic activation token' is an item … for any of …"
    assert "5A002.b" in parts and "5A002.b.1" not in parts


def test_1c010_e_is_numbered_as_the_regulation_cites_it(parts: dict[str, list[str]]) -> None:
    # 1C010.e "having all of the following: 1. … a. … b. …; 2. …"; its notes cite 1C010.e.1.b. and 1C010.e.2.
    below = [part for part in parts if part.startswith("1C010.e.")]
    assert below == [
        "1C010.e.1", "1C010.e.1.a", "1C010.e.1.b", "1C010.e.1.b.1", "1C010.e.1.b.2", "1C010.e.2", "1C010.e.2.a",
        "1C010.e.2.b", "1C010.e.2.c",
    ]  # fmt: skip
    assert not [part for part in parts if part.startswith("1C010.1")]


def test_titles_are_the_first_line_without_the_code(entries: dict[str, dict[str, Any]]) -> None:
    title = '"Nuclear reactors" and specially designed or prepared equipment and components therefor, as follows:'
    assert entries["0A001"]["title"] == {"en": title, "ja": title}
    assert entries["5A002"]["title"]["en"] == '"Information security" systems, equipment and components, as follows:'


def test_notes_stay_with_their_entry(entries: dict[str, dict[str, Any]]) -> None:
    assert '[0C002] Note: 0C002 does not control four "effective grammes" or less' in entries["0C002"]["note"]
    assert "[3E001] Note 3: 3E001 does not control 'Process Design Kits'" in entries["3E001"]["note"]
    assert "[5A002.a.3] N.B. For operating systems, see also 5D002.a.1. and 5D002.c.1." in entries["5A002"]["note"]
    crypto = "[5A002.a] Technical Notes: 1. For the purposes of 5A002.a., 'cryptography for data confidentiality'"
    assert crypto in entries["5A002"]["note"]
    assert "[1C350.4] SEE MILITARY GOODS CONTROLS for Methyl phosphonyl difluoride" in entries["1C350"]["note"]
    assert "Not used in this text: " in entries["3A001"]["note"] and "3A001.a.4" in entries["3A001"]["note"]


def test_500_series_entries_are_in_force_from_the_2025_update(entries: dict[str, dict[str, Any]]) -> None:
    assert {code for code, entry in entries.items() if entry["regime"] == "eu"} == SERIES_500
    for code, entry in entries.items():
        (period,) = entry["periods"]
        if code in SERIES_500:
            # Delegated Regulation (EU) 2025/2003, in force the day after its publication of 2025-11-14 (its Art. 2)
            assert period["from"] == dt.date(2025, 11, 15), code
            assert "2025/2003" in period["note"]
        else:
            assert "from" not in period, code
    assert entries["3A001"]["regime"] == "wassenaar" and entries["0A001"]["regime"] == "nsg"
    assert entries["1C350"]["regime"] == "ag" and entries["1C450"]["regime"] == "cwc"
    assert entries["9A004"]["regime"] == "wassenaar" and entries["9A104"]["regime"] == "mtcr"


# --- Annex IV -----------------------------------------------------------------------------------------------


def test_annex_iv_records_only_what_the_source_says(draft: Path) -> None:
    annex_iv = yaml.safe_load((draft / "annex-iv.yaml").read_text(encoding="utf-8"))
    # Annex IV's own text is not in the extraction: no part is guessed.
    assert annex_iv["status"] == "annex-iv-text-not-in-source" and annex_iv["parts"] == {}
    # Section I: "0C002 'Special fissile materials' other than those specified in Annex IV"
    assert [(m["code"], m["annex_iv"]) for m in annex_iv["mentions"]] == [("0C002", "partly")]


# --- criteria merged from tools/eu_pack/criteria/cat-N.yaml ------------------------------------------------------


def test_criteria_are_merged_into_their_entries(entries: dict[str, dict[str, Any]]) -> None:
    # 3A001.a.5.a.3: "A resolution of 12 bit or more, but less than 14 bit, with a "sample rate" greater than 400 MSPS"
    adc = next(clause for clause in entries["3A001"]["clauses"] if clause["id"] == "a-5-a-3")
    assert adc["control_numbers"] == ["3A001.a.5.a.3"]
    assert adc["criteria"] == [
        {"param": "resolution_bits", "op": ">=", "value": 12},
        {"param": "resolution_bits", "op": "<", "value": 14},
        {"param": "sample_rate_msps", "op": ">", "value": 400},
    ]
    assert entries["3A001"]["complete"] is False  # 3A001.c to i are not encoded
    # 3C004: purity "greater (better) than 99,999 %"; its Note: not "20 % molar or more of inert gases or hydrogen"
    (hydride,) = entries["3C004"]["clauses"]
    assert hydride["criteria"] == [
        {"param": "precursor_purity_pct", "op": ">", "value": 99.999},
        {"param": "inert_gas_or_hydrogen_mol_pct", "op": "<", "value": 20},
    ]
    assert entries["3C004"]["complete"] is True
    # the criteria's note follows the text's notes; an entry without criteria has neither clauses nor `complete`
    note = entries["3A001"]["note"]
    assert note.index("[3A001.a] Note: Integrated circuits include") < note.index("[criteria] Encoded: 3A001.a")
    assert "clauses" not in entries["3E001"] and "complete" not in entries["3E001"]


def test_every_clause_cites_its_entry_or_a_live_sub_paragraph_of_it(entries: dict[str, dict[str, Any]]) -> None:
    with_clauses = {code: entry for code, entry in entries.items() if entry.get("clauses")}
    assert {"3A001", "3A002", "3B001", "3B501", "3C002", "3C004"} <= set(with_clauses)
    for code, entry in with_clauses.items():
        numbers = {code, *entry.get("parts", [])}
        for clause in entry["clauses"]:
            assert set(clause.get("control_numbers", [])) <= numbers, f"{code}#{clause['id']}"


def test_the_pack_holds_what_the_builder_writes_from_the_text_and_the_criteria(built: Path) -> None:
    # Edited criteria (or an edited control file) without a re-run of the builder would leave the pack stale.
    pack = PARAMETERS.parent / "control"
    for path in sorted((built / "pack" / "control").glob("*.yaml")):
        assert (pack / path.name).read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), path.name


def clause_text(number: str, criterion: str = "{param: total_dose_si_gy, op: '>=', value: 5000}") -> str:
    return (
        f"{{id: x, title: {{en: t, ja: t}}, products: [integrated-circuit], control_numbers: [{number}],"
        f" criteria: [{criterion}]}}"
    )


IC = clause_text("3A001.a.1.a")


def criteria_of(code: str, *clauses: str, complete: str = "false") -> str:
    return f"entries: {{{code}: {{complete: {complete}, clauses: [{', '.join(clauses or (IC,))}]}}}}"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("cat-3.yaml", criteria_of("3A999"), "the text does not have (or marks 'Not used'): 3A999"),
        ("cat-4.yaml", criteria_of("4D002"), "(or marks 'Not used'): 4D002"),
        ("cat-4.yaml", criteria_of("3A001"), "3A001 is not an entry of Category 4"),
        ("cat-3.yaml", criteria_of("3A001", clause_text("3A001.a.4")),
         "3A001#x: 3A001.a.4 is not 3A001 or one of its live sub-paragraphs"),
        ("cat-3.yaml", criteria_of("3A001", clause_text("3A001.a.1.a", "{param: rad_si, op: '>', value: 1}")),
         "3A001#x: parameter rad_si is defined in no parameters file"),
        ("cat-3.yaml", criteria_of("3A001", clause_text("3A001.a.1.a", "{param: mis_device, op: '==', value: 1}")),
         "3A001#x: mis_device is a bool, compared with 1"),
        ("cat-3.yaml", criteria_of("3E001", clause_text("3E001")), "3E001 is software or technology"),
        ("cat-3.yaml", criteria_of("3A001", IC, IC), "clause ids must be unique"),
        ("cat-3.yaml", criteria_of("3A001", complete="yes please"), "complete"),
        ("3A001.yaml", criteria_of("3A001"), "criteria files are named cat-N.yaml"),
    ],
)  # fmt: skip
def test_the_builder_refuses_criteria_the_text_or_the_parameters_do_not_support(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    (tmp_path / "criteria").mkdir()
    (tmp_path / "criteria" / name).write_text(text, encoding="utf-8")
    run = build_with(tmp_path, "--criteria", str(tmp_path / "criteria"))
    assert run.returncode == 1 and message in run.stderr, run.stderr
    assert not (tmp_path / "pack").exists()  # nothing written


def test_a_parameter_is_defined_in_one_file_only(tmp_path: Path) -> None:
    folder = tmp_path / "parameters"
    folder.mkdir()
    for category in ("1", "3"):
        (folder / f"cat-{category}.yaml").write_text(
            "parameters: {wavelength_nm: {title: {en: Wavelength, ja: 波長}, type: number, unit: nm}}", encoding="utf-8"
        )
    run = build_with(tmp_path, "--parameters", str(folder))
    assert run.returncode == 1
    assert "cat-3.yaml: parameter wavelength_nm is defined in cat-1.yaml too" in run.stderr


def build_with(tmp_path: Path, *options: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(BUILDER), str(ANNEX), "--pack", str(tmp_path / "pack"), "--notes",
               str(tmp_path / "notes"), *options]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, check=False)


# --- Annex II as read (ugeas.yaml) ---------------------------------------------------------------------------


def codes(*names: str) -> set[str]:
    return set(" ".join(names).split())


def test_eu001_destinations_and_items(ugeas: dict[str, Any]) -> None:
    eu001 = ugeas["ugeas"]["EU001"]
    assert set(eu001["destinations"]) == codes("AU CA IS JP NZ NO CH LI GB US")
    assert eu001["items"]["scope"] == "all-annex-i" and eu001["items"]["excluded"] == {"section_i": True}
    assert eu001["section"] == "A"


def test_listed_destinations_of_eu002_to_eu007(ugeas: dict[str, Any]) -> None:
    by_id = ugeas["ugeas"]
    repair_and_fairs = codes(
        "AL AR BA BR CL CN HK MO IN KZ MX ME MA MK RU RS SG ZA KR TN TR UA AE",
        "BL NC PF PM TF WF",  # French overseas (countries and) territories
    )
    assert set(by_id["EU002"]["destinations"]) == codes("AR ZA KR TR")
    assert set(by_id["EU003"]["destinations"]) == repair_and_fairs
    assert set(by_id["EU004"]["destinations"]) == repair_and_fairs
    assert set(by_id["EU005"]["destinations"]) == codes("AR CN HK MO IN ZA KR RU TR UA")
    assert set(by_id["EU006"]["destinations"]) == codes("AR KR TR UA")
    assert set(by_id["EU007"]["destinations"]) == codes("AR BR CL IN ID IL JO MY MX MA PH SG ZA KR TH TN")
    for ugea in by_id.values():
        listed = ugea["destinations"] if ugea["destinations"] != "all" else ugea["excluded_destinations"]
        assert all(alpha_2(code) == code for code in listed)


def test_eu008_matches_its_annex_ii_section(ugeas: dict[str, Any]) -> None:
    eu008 = ugeas["ugeas"]["EU008"]
    assert eu008["section"] == "H" and eu008["title"] == "Encryption"
    # Part 2: all destinations, excluding (a) EU001's, (b) the listed ones, (c) embargoed ones.
    assert eu008["destinations"] == "all" and eu008["excluded_destinations_of"] == ["EU001"]
    assert set(eu008["excluded_destinations"]) == codes(
        "AF AM AZ BY KH CF CN HK MO CG CD EG ER GE IR IQ IL KZ KG LB LY MY ML MU MN MM KP OM PK QA RU SA SO SS SD SY",
        "TJ TM AE UZ VE YE ZW",
    )
    assert "arms embargo" in eu008["also_excluded"]
    items = eu008["items"]
    assert items["listed"] == ["5A002.a.2", "5A002.a.3", "5A002.b", "5D002.a.1", "5D002.b", "5D002.c.1", "5E002.b"]
    assert items["limited_to"]["5A002.b"].startswith("only ‘cryptographic activation token’")
    assert set(items["limited_to"]) == {"5A002.b", "5D002.a.1", "5D002.c.1", "5E002.b"}
    refs = {condition["ref"]: condition for condition in eu008["conditions"]}
    assert {"Part 1(2)(a)", "Part 1(2)(b)", "Part 1(2)(c)", "Part 1(3)(a)", "Part 1(3)(b)"} <= set(refs)
    assert "TETRA" in refs["Part 1(2)(b)"]["text"] and refs["Part 1(2)(b)"]["kind"] == "only-if"
    assert {f"Part 3(1)({mark})" for mark in "bcdef"} | {f"Part 3(1)(a)({n})" for n in ("i", "ii", "iii", "iv")} <= set(
        refs
    )
    assert "not list" in refs["Part 3(1)(f)"]["text"]
    assert "10 days before" in refs["Part 3(4)"]["text"]


def test_items_of_the_listing_authorisations(ugeas: dict[str, Any]) -> None:
    by_id = ugeas["ugeas"]
    assert by_id["EU002"]["items"]["listed"] == [
        "1A001", "1A003", "1A004", "1C003.b", "1C003.c", "1C004", "1C005", "1C006", "1C008", "1C009", "2B008",
        "3A001.a.3", "3A001.a.6", "3A001.a.7", "3A001.a.9", "3A001.a.10", "3A001.a.11", "3A001.a.12", "3A002.c",
        "3A002.d", "3A002.e", "3A002.f", "3C001", "3C002", "3C003", "3C004", "3C005", "3C006",
    ]  # fmt: skip
    assert by_id["EU005"]["items"]["listed"] == ["5A001.b.2", "5A001.c", "5A001.d", "5B001", "5D001", "5E001.a"]
    chemicals = by_id["EU006"]["items"]["listed"]
    # 1C350 .1 to .65 but .4, .23, .29 (military list); 1C450.a.4 to .7; 1C450.b.1 to .6 and .8
    assert chemicals == [
        *(f"1C350.{n}" for n in range(1, 66) if n not in (4, 23, 29)),
        *(f"1C450.a.{n}" for n in range(4, 8)),
        *(f"1C450.b.{n}" for n in (1, 2, 3, 4, 5, 6, 8)),
    ]


def test_exclusions_of_the_all_items_authorisations(ugeas: dict[str, Any]) -> None:
    by_id = ugeas["ugeas"]
    eu003, eu004, eu007 = (by_id[name]["items"] for name in ("EU003", "EU004", "EU007"))
    assert eu003["excluded"]["section_i"] and eu003["excluded"]["annex_i_sections"] == ["D", "E"]
    assert eu003["excluded"]["items"][:3] == ["1A002.a", "1C012.a", "1C227"] and "9A011" in eu003["excluded"]["items"]
    assert "6A001" not in eu003["excluded"]["items"] and "6A001.a.2.a.1" in eu003["excluded"]["items"]
    assert {"6A001", "1C010", "1C002.b.4"} <= set(eu004["excluded"]["items"])
    assert eu004["excluded"]["annex_i_sections"] == ["D", "E"] and "section_d_except" in eu004["excluded"]
    assert eu007["scope"] == "all-software-and-technology"
    assert eu007["excluded"]["related_to"] == ["4A005", "4D004", "4E001.c", "5A001.f", "5A001.j"]


def test_every_item_an_authorisation_names_is_in_annex_i(
    ugeas: dict[str, Any], entries: dict[str, dict[str, Any]], parts: dict[str, list[str]]
) -> None:
    known = set(entries) | set(parts)
    for name, ugea in ugeas["ugeas"].items():
        items = ugea["items"]
        named = [*items.get("listed", []), *items.get("excluded", {}).get("items", [])]
        assert [code for code in named if code not in known] == [], name
    assert [item["code"] for item in ugeas["section_i"]["items"] if item["code"] not in known] == []


def test_conditions_cite_their_paragraph(ugeas: dict[str, Any]) -> None:
    for name, ugea in ugeas["ugeas"].items():
        wmd = [c for c in ugea["conditions"] if "chemical, biological or nuclear weapons" in c["text"]]
        assert len(wmd) == 1 and re.fullmatch(r"Part 3\(\d\)\(a\)\(i\)", wmd[0]["ref"]), name
        assert wmd[0]["kind"] == "not-usable-if"
    refs = {name: {c["ref"]: c for c in ugea["conditions"]} for name, ugea in ugeas["ugeas"].items()}
    assert "arms embargo" in refs["EU001"]["Part 3(1)(a)(ii)"]["text"]
    assert "customs-free zone" in refs["EU001"]["Part 3(1)(c)"]["text"]
    assert "5 years" in refs["EU003"]["Part 1(1)(a)"]["text"] and "5 years" in refs["EU003"]["Part 1(1)(b)"]["text"]
    assert "original end-user" in refs["EU003"]["Part 3(1)"]["text"]
    assert "120 days" in refs["EU004"]["Part 3(1)"]["text"]
    assert "commercial transaction" in refs["EU004"]["Part 3(3)(i)"]["text"]
    assert refs["EU007"]["Part 3(3)"]["text"] == "implement an Internal Compliance Programme"
    assert "subsidiary" in refs["EU007"]["Part 3(1)"]["text"]
    assert "interception" in refs["EU005"]["Part 3(1)(a)(iv)"]["text"]


def test_section_i_exclusions(ugeas: dict[str, Any]) -> None:
    section_i = ugeas["section_i"]
    assert section_i["annex_iv"] == "all"
    assert [item["code"] for item in section_i["items"]] == [
        "0C001", "0C002", "0D001", "0E001", "1A102", "1C351", "1C353", "1C354", "1C450.a.1", "1C450.a.2", "7E104",
        "9A009.a", "9A117",
    ]  # fmt: skip
    assert sorted(SECTION_I_ENTRIES + SECTION_I_PARTS + ["0D001", "0E001"]) == sorted(
        item["code"] for item in section_i["items"]
    )


# --- the pack's form of Annex II: country tables and coverage -------------------------------------------------


def test_a_country_table_per_authorisation(tables: dict[str, Any], ugeas: dict[str, Any]) -> None:
    assert sorted(tables) == [f"eu00{n}" for n in range(1, 9)]
    all_places = {"groups": [{"id": "all", "title": {"en": "any", "ja": "全て"}}], "group_rule_source": "x"}
    DestinationsFile.model_validate({"tables": tables, **all_places})
    for table in tables.values():
        assert all(periods == [{"source": "eu.2021-821.annex-ii"}] for periods in table["members"].values())
    # Part 2 of Section A: "Australia, Canada, Iceland, Japan, New Zealand, Norway, Switzerland, including
    # Liechtenstein, the United Kingdom and the United States"; of Section B: "Argentina, South Africa, South Korea,
    # Turkey"
    assert set(tables["eu001"]["members"]) == codes("AU CA IS JP NZ NO CH LI GB US")
    assert set(tables["eu002"]["members"]) == codes("AR ZA KR TR")
    for n in range(1, 8):
        assert set(tables[f"eu00{n}"]["members"]) == set(ugeas["ugeas"][f"EU00{n}"]["destinations"])
    # EU008's Part 2: all destinations, excluding (a) EU001's, (b) the listed ones, (c) embargoed ones: the table
    # holds (b)
    assert set(tables["eu008"]["members"]) == set(ugeas["ugeas"]["EU008"]["excluded_destinations"])
    assert "EU008" in tables["eu008"]["title"]["en"] and "2(b)" in tables["eu008"]["title"]["en"]


def test_coverage_items_validate_and_name_what_the_pack_holds(
    coverage: list[dict[str, Any]], entries: dict[str, dict[str, Any]], parts: dict[str, list[str]], tables: Any
) -> None:
    # one per authorisation; EU004 twice: its goods, and the software Part 1(b) keeps for the demonstration
    assert [item["licence"] for item in coverage] == ["EU001", "EU002", "EU003", "EU004", "EU004", "EU005", "EU006",
                                                      "EU007", "EU008"]  # fmt: skip
    for item in coverage:
        parsed = Coverage.model_validate(item)
        assert set(parsed.rows) <= {str(n) for n in range(10)}
        assert set(parsed.entries + parsed.exclude_entries) <= set(entries), parsed.licence
        assert set(parsed.parts + parsed.exclude_parts) <= set(parts), parsed.licence
        reach = parsed.destinations
        assert isinstance(reach, Destinations)  # country tables, never a list of groups
        assert set(reach.tables + reach.outside_tables) <= set(tables) and not reach.groups + reach.outside_groups
        assert [period.source for period in parsed.periods] == ["eu.2021-821.annex-ii"]
        # Part 3(N)(a) "informed …" and (b) "aware … any of the uses referred to in point (a)"
        assert parsed.unusable_when == ["informed", "wmd_end_use", "conventional_end_use"]
        assert parsed.condition is not None and parsed.condition.ja != parsed.condition.en


def test_eu001_covers_annex_i_but_section_i(coverage: list[dict[str, Any]]) -> None:
    (eu001,) = covering(coverage, "EU001")
    assert eu001["kinds"] == ["goods", "technology"] and eu001["rows"] == [str(n) for n in range(10)]
    assert eu001["exclude_entries"] == SECTION_I_ENTRIES and eu001["exclude_parts"] == SECTION_I_PARTS
    assert eu001["destinations"] == {"tables": ["eu001"]}
    condition = eu001["condition"]["en"]
    assert "Not for Annex IV items" in condition and "0D001" in condition
    assert "customs-free zone or free warehouse (Part 3(1)(c))" in condition
    assert "within 30 days after the first export (Part 3(3))" in condition


def test_listing_authorisations_cover_their_entries_and_parts(coverage: list[dict[str, Any]]) -> None:
    (eu002,) = covering(coverage, "EU002")
    assert eu002["kinds"] == ["goods"] and "rows" not in eu002
    assert eu002["entries"] == ["1A001", "1A003", "1A004", "1C004", "1C005", "1C006", "1C008", "1C009", "2B008",
                                "3C001", "3C002", "3C003", "3C004", "3C005", "3C006"]  # fmt: skip
    assert eu002["parts"][:3] == ["1C003.b", "1C003.c", "3A001.a.3"] and "3A001.a.1" not in eu002["parts"]
    (eu005,) = covering(coverage, "EU005")
    # "(i) … 5A001.b.2., 5A001.c. and 5A001.d.; (ii) items specified in 5B001 and 5D001 …; (b) … 5E001.a."
    assert (eu005["entries"], eu005["parts"]) == (["5B001", "5D001"], ["5A001.b.2", "5A001.c", "5A001.d", "5E001.a"])
    assert eu005["kinds"] == ["goods", "technology"] and "same end-user" in eu005["condition"]["en"]
    (eu006,) = covering(coverage, "EU006")
    assert "entries" not in eu006 and len(eu006["parts"]) == 62 + 4 + 7 and "1C350.4" not in eu006["parts"]
    (eu008,) = covering(coverage, "EU008")
    assert eu008["parts"] == ["5A002.a.2", "5A002.a.3", "5A002.b", "5D002.a.1", "5D002.b", "5D002.c.1", "5E002.b"]
    assert eu008["kinds"] == ["goods", "technology"]
    assert eu008["destinations"] == {"outside_tables": ["eu001", "eu008"]}
    assert "TETRA" in eu008["condition"]["en"] and "(Part 2(c))" in eu008["condition"]["en"]


def test_repair_and_exhibition_authorisations_exclude_their_items(coverage: list[dict[str, Any]]) -> None:
    (eu003,) = covering(coverage, "EU003")
    # "Items excluded: (a) all items listed in Section I …; (b) … Sections D and E …; (c) … 1A002.a., 1C012.a., …"
    assert eu003["kinds"] == ["goods"]
    assert eu003["exclude_entries"][: len(SECTION_I_ENTRIES)] == SECTION_I_ENTRIES
    assert {"1C227", "1C350", "1C450", "9A011"} <= set(eu003["exclude_entries"])
    assert {"1A002.a", "6A001.a.2.a.1", "8A001.c.1"} <= set(eu003["exclude_parts"])
    assert "5 years" in eu003["condition"]["en"] and "(Part 1(1)(b))" in eu003["condition"]["en"]
    goods, software = covering(coverage, "EU004")
    assert goods["kinds"] == ["goods"] and {"6A001", "1C010"} <= set(goods["exclude_entries"])
    assert "120 days" in goods["condition"]["en"] and "(Part 3(3)(i))" in goods["condition"]["en"]
    # "(b) all items listed in Section D … (this does not include software necessary to the proper functioning of
    # the equipment for the purpose of the demonstration)"
    assert software["kinds"] == ["technology"] and "rows" not in software
    assert {code[1] for code in software["entries"]} == {"D"} and {"3D001", "5D002", "9D005"} <= set(
        software["entries"]
    )
    assert software["condition"]["en"].startswith("Only software necessary to the proper functioning")
    assert software["destinations"] == goods["destinations"] == {"tables": ["eu004"]}


def test_eu007_covers_software_and_technology_but_the_cyber_surveillance_items(coverage: list[dict[str, Any]]) -> None:
    (eu007,) = covering(coverage, "EU007")
    # "… all technology and software specified in Annex I, except those listed in Section I of this Annex and
    # technology and software related to items under 4A005, 4D004, 4E001.c, 5A001.f and 5A001.j."
    assert eu007["kinds"] == ["technology"] and eu007["rows"] == [str(n) for n in range(10)]
    assert eu007["exclude_entries"] == [*SECTION_I_ENTRIES, "4D004"]
    assert eu007["exclude_parts"] == [*SECTION_I_PARTS, "4E001.c"]
    assert "4A005, 4D004, 4E001.c, 5A001.f or 5A001.j (Part 1)" in eu007["condition"]["en"]
    assert "Internal Compliance Programme (Part 3(3))" in eu007["condition"]["en"]


# --- the files in a pack: numbers resolve and authorisations apply as the Regulation says ---------------------

DAY = dt.date(2025, 11, 20)
PACK_HEADERS = {
    "pack.yaml": """
format: 2
id: eu_test
title: {en: Regulation (EU) 2021/821 (test), ja: 規則(EU) 2021/821（試験）}
coverage_from: 2025-11-01
home: [DE, FR, NL]
entry_ids:
  goods: {pattern: '(?P<row>\\d)[A-C]\\d{3}', examples: [3A001]}
  technology: {pattern: '(?P<row>\\d)[DE]\\d{3}', examples: [3E001]}
  rows: {pattern: '\\d', examples: ['3']}
terms:
  home: the Union
  not_listed: not listed in Annex I
  informed: the competent authority has informed the exporter
  not_informed: no information from the competent authority
  end_user_list: list of end users of concern
""",
    "sources/eu.yaml": """
sources:
  eu.2021-821.annex-i: {instrument: Regulation (EU) 2021/821, article: Annex I, url: "https://e.org", verified: false}
  eu.2021-821.annex-ii: {instrument: Regulation (EU) 2021/821, article: Annex II, url: "https://e.org", verified: false}
""",
    "catch_all.yaml": """
rules:
  - {id: art-4, title: {en: Art. 4, ja: 第4条}, weapon: wmd, requirement: informed, entries: ['0'], destinations: {},
     periods: [{source: eu.2021-821.annex-i}]}
""",
    "rules.yaml": """
technology:
  - {id: export, title: {en: Software and technology sent abroad, ja: 国外への送付}, provided_abroad: true,
     periods: [{source: eu.2021-821.annex-i}]}
""",
    "screening.yaml": "confirmed_score: 0.95\nlists: {}\n",
}


@pytest.fixture(scope="module")
def pack(built: Path, tables: dict[str, Any], coverage: list[dict[str, Any]]) -> Regime:
    destinations = {
        "tables": tables,
        "groups": [{"id": "all", "title": {"en": "a destination", "ja": "仕向地"}}],
        "group_rule_source": "eu.2021-821.annex-ii",
    }
    ugeas = {f"EU00{n}": {"title": {"en": f"EU00{n}", "ja": f"EU00{n}"}, "source": "eu.2021-821.annex-ii"} for n in
             range(1, 9)}  # fmt: skip
    individual = {"title": {"en": "Individual", "ja": "個別"}, "source": "eu.2021-821.annex-i"}
    basis = {"source": "eu.2021-821.annex-i", "law": "Art. 3(1)", "listed_in": "Annex I"}
    all_rows = {"licence": "individual", "rows": [str(n) for n in range(10)], "destinations": ["all"],
                "periods": [{"source": "eu.2021-821.annex-i"}]}  # fmt: skip
    licences = {
        "required": {"goods": basis, "technology": basis},
        "types": {"individual": individual, **ugeas},
        "coverage": [all_rows, *coverage],
    }
    control = {
        f"control/{path.name}": path.read_text(encoding="utf-8") for path in (built / "pack" / "control").glob("*")
    }
    parameters = {f"parameters/{path.name}": path.read_text(encoding="utf-8") for path in PARAMETERS.glob("*.yaml")}
    files = {
        **PACK_HEADERS,
        **control,
        **parameters,  # the criteria merged into the control files name them
        "destinations.yaml": yaml.safe_dump(destinations, allow_unicode=True),
        "licences.yaml": yaml.safe_dump(licences, allow_unicode=True),
    }
    return Regime(parse_pack(files))


def resolved(pack: Regime, number: str) -> list[str]:
    return [match.entry for match in resolve_control_number(pack.at(DAY), number)]


def test_a_number_resolves_to_its_entry_only_when_the_text_holds_it(pack: Regime) -> None:
    assert resolved(pack, "3A001.a.1") == ["3A001"] and resolved(pack, "3A001") == ["3A001"]
    assert resolved(pack, "1C010.e.2.b") == ["1C010"]
    for number in ("0B001.i.4", "3A001.a.4", "3B501.f.1.a", "5A004.b.2.a", "3B501.a.1", "1C350.4"):
        assert resolved(pack, number) == [], number
    # the 500-series entries are in force from the 2025 update on, the others throughout
    assert resolved(pack, "4A506.a.1") == ["4A506"]
    before = pack.at(dt.date(2025, 11, 14))
    assert "4A506" not in before.entries and "3A001" in before.entries
    assert [match.entry for match in resolve_control_number(before, "4A506.a.1")] == []


def licences(pack: Regime, destination: str, item: str, **facts: bool | None) -> tuple[str, ...]:
    known = {"wmd_end_use": False, "conventional_end_use": False, **facts}
    line = Line(kind="technology" if item[1] in "DE" else "goods", item=item)
    transaction = Transaction(regime="eu_test", date=DAY, destination=destination, lines=[line], **known)
    return determine(pack.at(DAY), transaction).eligible_licences


def test_authorisations_apply_to_their_items_and_destinations(pack: Regime) -> None:
    # Japan is an EU001 destination only (not in EU003's, EU004's or EU007's Part 2; EU008's Part 2(a) excludes it)
    assert licences(pack, "JP", "3A001.a.1") == ("individual", "EU001")
    assert licences(pack, "JP", "0C001") == ("individual",)  # Section I
    assert licences(pack, "JP", "1C450.a.1") == ("individual",)  # Section I: Amiton
    assert licences(pack, "JP", "1C450.a.4") == ("individual", "EU001")  # phosgene
    assert licences(pack, "US", "5A002.a.2") == ("individual", "EU001")
    # South Korea: EU002 lists 3A001.a.3., not 3A001.a.1.; EU003 (repair) and EU004 (exhibitions) cover both
    assert licences(pack, "KR", "3A001.a.3") == ("individual", "EU002", "EU003", "EU004")
    assert licences(pack, "KR", "3A001.a.1") == ("individual", "EU003", "EU004")
    # Turkey, thiodiglycol: EU006 lists 1C350.1; EU003 and EU004 exclude 1C350
    assert licences(pack, "TR", "1C350.1") == ("individual", "EU006")
    # 5A002.a.2: EU008 to a destination neither EU001's nor in its Part 2(b) (Brazil), not to China
    assert licences(pack, "BR", "5A002.a.2") == ("individual", "EU003", "EU004", "EU008")
    assert licences(pack, "CN", "5A002.a.2") == ("individual", "EU003", "EU004")
    # technology to India: EU007 but for 4D004; EU004 keeps Section D software for a demonstration, not Section E
    assert licences(pack, "IN", "3E001") == ("individual", "EU007")
    assert licences(pack, "IN", "4D004") == ("individual", "EU004")


def test_an_end_use_known_or_unknown_decides_the_authorisation(pack: Regime) -> None:
    assert licences(pack, "JP", "3A001.a.1", informed=True) == ("individual",)
    assert licences(pack, "JP", "3A001.a.1", wmd_end_use=True) == ("individual",)
    assert licences(pack, "JP", "3A001.a.1", conventional_end_use=True) == ("individual",)
    transaction = Transaction(regime="eu_test", date=DAY, destination="JP", lines=[Line(item="3A001.a.1")])
    (line,) = determine(pack.at(DAY), transaction).lines
    assert "EU001" in line.eligible_licences
    assert "not usable if the exporter knows of a WMD end use" in line.licence_conditions["EU001"]
    assert "Not for Annex IV items" in line.licence_conditions["EU001"]
