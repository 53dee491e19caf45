"""List readers on the real official files (read in place from ../shared), and on small broken fixtures."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from exportctl.screening.entities import ListedEntity, LoadedList
from exportctl.screening.sources import csl, dpl, ftm, jp_mof, ofac, un
from exportctl.screening.sources.common import ListFileError
from exportctl.screening.sources.registry import READERS, default_files, read_list
from tests.conftest import SHARED

LISTS = SHARED / "data" / "lists"


def by_id(loaded: LoadedList) -> dict[str, ListedEntity]:
    ids = [e.entity_id for e in loaded.entities]
    assert len(ids) == len(set(ids)), "entity ids must be unique"
    return {e.entity_id: e for e in loaded.entities}


@pytest.fixture(scope="module")
def un_list() -> LoadedList:
    return un.read(LISTS / "un-consolidated-2026-02-27.xml")


@pytest.fixture(scope="module")
def sdn() -> LoadedList:
    return ofac.read(LISTS / "us-ofac-sdn.csv")


@pytest.fixture(scope="module")
def mof() -> LoadedList:
    return jp_mof.read(LISTS / "jp-mof-asset-freeze-2026-03-05.xlsx")


# --- UN ----------------------------------------------------------------------------------------------------


def test_un_counts_and_date(un_list: LoadedList) -> None:
    assert un_list.list_id == "un"
    assert un_list.published == dt.date(2026, 2, 27)
    assert Counter(e.kind for e in un_list.entities) == {"person": 730, "company": 273}
    assert len(by_id(un_list)) == 1003


def test_un_individual(un_list: LoadedList) -> None:
    badege = by_id(un_list)["un:6907993"]
    assert (badege.name, badege.kind, badege.programs) == ("ERIC BADEGE", "person", ("DRC",))
    assert badege.countries == ("CD", "RW")  # nationality, then address country
    assert badege.birth_dates == ("1971",)
    noorzai = by_id(un_list)["un:2975510"]
    assert noorzai.name == "FAIZULLAH KHAN NOORZAI"  # the "na" placeholder name part is dropped
    assert "Haji Faizullah Noor" in noorzai.aliases  # QUALITY Good
    assert "حاجى فیض الله خان نورزى" in noorzai.aliases  # NAME_ORIGINAL_SCRIPT
    assert noorzai.weak_aliases == ("Haji Pazullah Noorzai", "Haji Mullah Faizullah")  # QUALITY Low
    assert "1968/1970" in noorzai.birth_dates  # BETWEEN FROM_YEAR TO_YEAR
    assert noorzai.countries == ("AF", "PK")


def test_un_entity_with_several_names(un_list: LoadedList) -> None:
    cagl = by_id(un_list)["un:6908026"]
    assert cagl.kind == "company"
    assert cagl.name == "COMPAGNIE AERIENNE DES GRANDS LACS (CAGL)"
    assert "GREAT LAKES BUSINESS COMPANY (GLBC)" in cagl.aliases
    assert "Gisenyi, Rwanda" in cagl.addresses
    assert cagl.countries == ("CD", "RW")


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        ("<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>", "line 1"),
        ("<OTHER/>", "root element is <OTHER>"),
        (
            "<CONSOLIDATED_LIST>\n<ENTITIES>\n<ENTITY><FIRST_NAME>X</FIRST_NAME></ENTITY></ENTITIES></CONSOLIDATED_LIST>",
            "line 3, <ENTITY>: no DATAID",
        ),
        (
            "<CONSOLIDATED_LIST><ENTITIES><ENTITY><DATAID>9</DATAID></ENTITY></ENTITIES></CONSOLIDATED_LIST>",
            "<ENTITY> DATAID 9: no FIRST_NAME",
        ),
    ],
)
def test_un_bad_files(tmp_path: Path, xml: str, message: str) -> None:
    path = tmp_path / "un-consolidated-2026-01-01.xml"
    path.write_text(xml)
    with pytest.raises(ListFileError, match=message) as raised:
        un.read(path)
    assert str(path) in str(raised.value)


# --- OFAC SDN ----------------------------------------------------------------------------------------------


def test_sdn_counts(sdn: LoadedList) -> None:
    assert sdn.list_id == "us-sdn"
    assert len(by_id(sdn)) == 8976
    assert Counter(e.kind for e in sdn.entities) == {"person": 4620, "company": 3673, "vessel": 406, "aircraft": 277}


def test_sdn_known_individual(sdn: LoadedList) -> None:
    djibo = by_id(sdn)["us-sdn:32391"]
    assert djibo.name == "DJIBO, Ousmane Illiassou"  # as written
    assert djibo.aliases[0] == "Ousmane Illiassou DJIBO"  # reordered
    assert {"DJIBO, Halid Illiassou", "KOUNOU, Ousmane Illasou", "CHAPORI, Petit"} <= set(
        djibo.aliases
    )  # alt + remarks
    assert djibo.countries == ("NE", "ML")  # nationality in remarks, then address countries
    assert djibo.birth_dates == ("1984",)
    assert djibo.programs == ("SDGT",)
    assert "Tillaberi Region, Niger" in djibo.addresses
    tsertsel = by_id(sdn)["us-sdn:32277"]
    assert tsertsel.birth_dates == ("1966-09-08",)
    assert tsertsel.countries == ("BY",)


def test_sdn_entity_programs_and_remark_alias(sdn: LoadedList) -> None:
    bank = by_id(sdn)["us-sdn:306"]
    assert bank.kind == "company"
    assert bank.aliases == ("NATIONAL BANK OF CUBA", "BNC")
    assert set(bank.countries) == {"CH", "ES", "JP", "PA"}
    multi = [e for e in sdn.entities if len(e.programs) > 1]
    assert multi and all("[" not in p and "]" not in p for e in multi for p in e.programs)


def test_sdn_birth_date_forms() -> None:
    assert ofac.birth_dates("DOB 08 Sep 1966; alt. DOB circa 1955; DOB 1960 to 1962; DOB Sep 1970") == [
        "1966-09-08",
        "1955",
        "1960/1962",
        "1970-09",
    ]


def write_sdn(folder: Path, sdn_rows: str, add_rows: str = "", alt_rows: str = "") -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "sdn.csv").write_text(sdn_rows)
    (folder / "add.csv").write_text(add_rows)
    (folder / "alt.csv").write_text(alt_rows)
    return folder / "sdn.csv"


SDN_ROW = '1,"DOE, John","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 1970."\r\n'


def test_sdn_siblings_and_combined_hash(tmp_path: Path) -> None:
    path = write_sdn(tmp_path / "a", SDN_ROW, '1,1,-0- ,"Paris","France",-0- \r\n\x1a', '1,2,"weak aka","JD",-0- \r\n')
    loaded = ofac.read(path)
    (john,) = loaded.entities
    assert (john.name, john.aliases, john.weak_aliases, john.countries) == (
        "DOE, John",
        ("John DOE",),
        ("JD",),
        ("FR",),
    )
    changed = write_sdn(tmp_path / "b", SDN_ROW, '1,1,-0- ,"Lyon","France",-0- \r\n', '1,2,"weak aka","JD",-0- \r\n')
    assert ofac.read(changed).sha256 != loaded.sha256  # only add.csv differs


@pytest.mark.parametrize(
    ("sdn_rows", "message"),
    [
        (SDN_ROW + '2,"X","individual"\r\n', "sdn.csv: line 2: 3 columns, expected 12"),
        (SDN_ROW.replace('"individual"', '"spaceship"'), "line 1, column 3: unknown type 'spaceship'"),
        ("x" + SDN_ROW, "line 1, column 1: ent_num"),
    ],
)
def test_sdn_bad_files(tmp_path: Path, sdn_rows: str, message: str) -> None:
    with pytest.raises(ListFileError, match=message):
        ofac.read(write_sdn(tmp_path, sdn_rows))


def test_sdn_bad_alt_file(tmp_path: Path) -> None:
    with pytest.raises(ListFileError, match=r"alt\.csv: line 1: 2 columns"):
        ofac.read(write_sdn(tmp_path, SDN_ROW, alt_rows="1,2\r\n"))


# --- CSL ---------------------------------------------------------------------------------------------------


def test_csl_2019_header() -> None:
    loaded = csl.read(LISTS / "us-csl-sample-2019.csv")
    entities = by_id(loaded)
    assert len(entities) == 115
    sources = Counter(e.programs[0] for e in loaded.entities)
    assert sources["Entity List (EL) - Bureau of Industry and Security"] == 22
    assert sources["Specially Designated Nationals (SDN) - Treasury Department"] == 28
    caribe = entities["us-csl:SDN:8124"]
    assert (caribe.name, caribe.kind, caribe.aliases, caribe.countries) == (
        "2904977 CANADA, INC.",
        "company",
        ("CARIBE SOL", "HAVANTUR CANADA INC."),
        ("CA",),
    )
    akbari = entities["us-csl:SDN:27271"]
    assert akbari.kind == "person" and akbari.birth_dates == ("1967-10-31",)
    assert "Mohammadreza Ali AKBARI" in akbari.aliases
    el = [e for e in loaded.entities if e.programs[0].startswith("Entity List")]
    assert all("License requirement:" in e.remarks for e in el)
    assert entities["us-csl:EL:r8"].aliases[-1].startswith("Shijiazhuang")  # leading "and " dropped


def test_csl_2025_header() -> None:
    loaded = csl.read(LISTS / "us-csl-sample-2025.csv")
    entities = by_id(loaded)
    assert len(entities) == 13
    sinobright = entities["us-csl:233a4d725770c81fb561ffe3842c14010c2201971d6be62eca1e613b"]
    assert sinobright.name == "Sinobright Import and Export Company"  # "; and any successor …" dropped
    rim = entities["us-csl:52291"]
    assert (rim.name, rim.kind, rim.countries, rim.birth_dates) == (
        "RIM, Ryong Nam",
        "person",
        ("CN", "KP"),
        ("1978-12-05",),
    )


def test_csl_duplicate_ids_get_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "csl.csv"
    header = "source,entity_number,type,programs,name,addresses,alt_names,dates_of_birth\n"
    path.write_text(header + "Entity List (EL) - BIS,5,Entity,,A Ltd,,,\nEntity List (EL) - BIS,5,Entity,,B Ltd,,,\n")
    assert [e.entity_id for e in csl.read(path).entities] == ["us-csl:EL:5:r1", "us-csl:EL:5:r2"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("source,name\nX,Y\n", "line 1: not a CSL header"),
        (
            "source,entity_number,type,programs,name,addresses,alt_names,dates_of_birth\nDPL,,,,A,,,\nDPL,,,,,,,\n",
            "line 3, column name: empty",
        ),
        (
            "source,entity_number,type,programs,name,addresses,alt_names,dates_of_birth\nDPL,,Robot,,A,,,\n",
            "line 2, column type: unknown type 'Robot'",
        ),
    ],
)
def test_csl_bad_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "us-csl.csv"
    path.write_text(text)
    with pytest.raises(ListFileError, match=message):
        csl.read(path)


# --- DPL ---------------------------------------------------------------------------------------------------


def test_dpl() -> None:
    loaded = dpl.read(LISTS / "us-bis-dpl.txt")
    entities = loaded.entities
    assert len(by_id(loaded)) == 461  # 581 rows: one denial written once per address is one entity
    assert sum(len(e.addresses) for e in entities) == 579
    nasser = next(e for e in entities if e.name == "ABDULAH AL NASSER")
    assert len(nasser.addresses) == 2 and nasser.countries == ("US",)
    assert nasser.remarks.startswith("effective 2002-03-04; expires 2056-06-29")
    sun = next(e for e in entities if e.name == "FUYI SUN")
    assert sun.aliases == ("FRANK SUN",) and sun.kind == "person"
    assert next(e for e in entities if e.name == "AL KAYALI CORPORATION").kind == "company"
    assert dpl.read(LISTS / "us-bis-dpl.txt").entities == entities  # ids are stable


DPL_HEADER = (
    '"Name"\t"Street_Address"\t"City"\t"State"\t"Country"\t"Postal_Code"\t"Effective_Date"\t"Expiration_Date"\n'
)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('"A"\t""\t""\t""\t""\t""\t"2020-01-01"\t""\n', "line 2, column Effective_Date: '2020-01-01'"),
        ('"A"\t""\t""\t""\t""\t""\t"01/01/2020"\n', "line 2: 7 cells"),
        ('""\t""\t""\t""\t""\t""\t"01/01/2020"\t""\n', "line 2, column Name: empty"),
    ],
)
def test_dpl_bad_files(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "dpl.txt"
    path.write_text(DPL_HEADER + body)
    with pytest.raises(ListFileError, match=message):
        dpl.read(path)


def test_dpl_wrong_header(tmp_path: Path) -> None:
    path = tmp_path / "dpl.txt"
    path.write_text("Name,Country\nA,US\n")
    with pytest.raises(ListFileError, match="line 1: not a Denied Persons List header"):
        dpl.read(path)


# --- MOF asset freeze --------------------------------------------------------------------------------------


def test_mof_all_sheets(mof: LoadedList) -> None:
    entities = by_id(mof)
    assert len(entities) == 2862
    assert mof.published == dt.date(2026, 3, 5)
    sheets = {e.entity_id.split(":")[1] for e in mof.entities}
    assert len(sheets) == 40  # of 45 sheets, the index, 3 lifted programmes and Mali (all deleted) have none
    programs = Counter(e.programs[0] for e in mof.entities)
    assert programs["ロシア連邦(個人)"] == 752 and programs["タリバーン関係者等"] == 480
    assert Counter(e.kind for e in mof.entities)["person"] > 2000


def test_mof_cross_script_pairs(mof: LoadedList) -> None:
    entities = by_id(mof)
    milosevic = entities["jp-mof:1:1"]
    assert (milosevic.name, milosevic.aliases) == ("Milosevic Slobodan", ("ミロシェヴィッチ・スロボダン",))
    assert milosevic.birth_dates == ("1941-08-20",)
    rim = entities["jp-mof:35:1"]
    assert (rim.name, rim.aliases, rim.countries, rim.birth_dates) == (
        "Rim Yong Hyok",
        ("リム・ヨン・ヒョク",),
        ("KP",),
        ("1972-03-04",),
    )
    akhund = entities["jp-mof:2:2"]
    assert akhund.birth_dates == ("1955/1958", "1945/1950") and akhund.countries == ("AF",)
    omar = entities["jp-mof:2:4"]
    assert "モハンメド・オマル・グラム・ナビ" in omar.aliases and "محمد عمرغلام نبی" in omar.aliases
    sun_ship = entities["jp-mof:34:4"]
    assert sun_ship.kind == "company"
    assert "SCF Management Services Dubai Ltd" in sun_ship.aliases and sun_ship.countries == ("AE",)
    trust = entities["jp-mof:3:1"]
    assert trust.kind == "company" and "Pakistan" not in trust.aliases


def test_mof_name_variants() -> None:
    assert jp_mof.name_variants("Vladimir(Volodymyr) KONONOV") == ["Vladimir KONONOV", "Volodymyr KONONOV"]
    assert jp_mof.name_variants("ドミトリー(ドミトロ)・ヴォロナ") == ["ドミトリー・ヴォロナ", "ドミトロ・ヴォロナ"]
    assert jp_mof.name_variants("Indian Mujahideen(IM)") == ["Indian Mujahideen"]
    assert jp_mof.name_variants("ABDUL REHMAN MAKKI(original script:不明)") == ["ABDUL REHMAN MAKKI"]
    assert jp_mof.alias_cell("(a)アブ・アリ(b)アブ・ブレイス\n(a.k.a.: (a)Abu Ali (b)Abu Brays)") == [
        "アブ・アリ",
        "アブ・ブレイス",
        "Abu Ali",
        "Abu Brays",
    ]


def mof_workbook(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "1.テスト（個人）"
    sheet.append(["テスト"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_mof_fixture_and_errors(tmp_path: Path) -> None:
    header = ["告示日付", "告示番号", "日本語表記", "英語表記", "別名", "生年月日", "国籍"]
    good = mof_workbook(
        tmp_path / "good.xlsx",
        header,
        [
            ["2024.1.1", "1", "テスト・タロウ", "Taro TEST", "タロ\nTaro", 25569, "北朝鮮"],
            ["2024.1.2削除", "2", None, None, None, None, None],
        ],
    )
    (taro,) = jp_mof.read(good).entities
    assert (taro.entity_id, taro.name, taro.kind) == ("jp-mof:0:1", "Taro TEST", "person")
    assert taro.aliases == ("テスト・タロウ", "タロ", "Taro") and taro.birth_dates == ("1970-01-01",)
    missing = mof_workbook(tmp_path / "missing.xlsx", ["告示日付", "日本語表記", "英語表記"], [])
    with pytest.raises(ListFileError, match=r"sheet '1.テスト（個人）', row 2: no column 告示番号"):
        jp_mof.read(missing)
    unnamed = mof_workbook(tmp_path / "unnamed.xlsx", header, [["2024.1.1", "1", "不明", "不明", None, None, None]])
    with pytest.raises(ListFileError, match=r"sheet '1.テスト（個人）', row 3, column D: no usable name"):
        jp_mof.read(unnamed)
    not_excel = tmp_path / "bad.xlsx"
    not_excel.write_text("hello")
    with pytest.raises(ListFileError, match="not a readable Excel workbook"):
        jp_mof.read(not_excel)


# --- FollowTheMoney ----------------------------------------------------------------------------------------


def test_ftm_stream(tmp_path: Path) -> None:
    records = [
        {
            "id": "Q1",
            "schema": "Person",
            "properties": {
                "name": ["Ivan PETROV", "Иван Петров"],
                "alias": ["Vanya"],
                "weakAlias": ["IP"],
                "nationality": ["ru"],
                "country": ["suhh"],
                "birthDate": ["1970-05-01"],
                "topics": ["sanction"],
                "program": ["RU-SANCTIONS"],
            },
        },
        {"id": "addr-1", "schema": "Address", "properties": {"full": ["1 Road"]}},
        {"id": "c-1", "schema": "Company", "properties": {"name": ["ACME LLC"], "jurisdiction": ["cy"]}},
        {"id": "v-1", "schema": "Vessel", "properties": {"name": ["SEA STAR"], "previousName": ["OLD STAR"]}},
        {"id": "a-1", "schema": "Airplane", "properties": {"name": ["EP-ABC"]}},
    ]
    path = tmp_path / "entities.ftm.json"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n\n")
    loaded = ftm.read(path, list_id="opensanctions")
    assert [e.entity_id for e in loaded.entities] == [
        "opensanctions:Q1",
        "opensanctions:c-1",
        "opensanctions:v-1",
        "opensanctions:a-1",
    ]
    petrov, acme, vessel, plane = loaded.entities
    assert (petrov.kind, petrov.name, petrov.aliases, petrov.weak_aliases) == (
        "person",
        "Ivan PETROV",
        ("Иван Петров", "Vanya"),
        ("IP",),
    )
    assert (petrov.countries, petrov.birth_dates, petrov.programs) == (
        ("RU",),
        ("1970-05-01",),
        ("sanction", "RU-SANCTIONS"),
    )
    assert (acme.kind, acme.countries) == ("company", ("CY",))
    assert (vessel.kind, vessel.aliases, plane.kind) == ("vessel", ("OLD STAR",), "aircraft")
    assert ftm.read(path).list_id == "ftm"


def test_ftm_sanctions_and_addresses_published_beside_or_inside_the_entity(tmp_path: Path) -> None:
    """As OpenSanctions publishes them (FtM schemata Sanction: `entity`, `program`, `authority`; Address: `full`,
    named by the listed entity's `addressEntity`): in entities.ftm.json as entities of their own, before or after
    the entity; in targets.nested.json inside it."""
    flat = [
        {"id": "san-1", "schema": "Sanction", "properties": {"entity": ["p-1"], "program": ["EU-RUS"],
                                                             "authority": ["Council of the EU"]}},
        {"id": "p-1", "schema": "Person", "properties": {"name": ["Olga SMIRNOVA"], "addressEntity": ["adr-1"]}},
        {"id": "adr-1", "schema": "Address", "properties": {"full": ["5 Nevsky Prospekt, St Petersburg"]}},
        {"id": "san-2", "schema": "Sanction", "properties": {"entity": ["p-1"], "program": ["UK-RUS"]}},
        {"id": "c-9", "schema": "Company", "properties": {"name": ["Unsanctioned Holding"]}},
    ]  # fmt: skip
    nested = {
        "id": "p-2",
        "schema": "Person",
        "properties": {
            "name": ["Pavel ORLOV"],
            "sanctions": [{"id": "san-3", "schema": "Sanction", "properties": {"program": ["US-SDN-RUSSIA"]}}],
            "addressEntity": [{"id": "adr-2", "schema": "Address", "properties": {"city": ["Moscow"],
                                                                                 "country": ["ru"]}}],
        },
    }  # fmt: skip
    path = tmp_path / "entities.ftm.json"
    path.write_text("\n".join(json.dumps(r) for r in [*flat, nested]) + "\n")
    smirnova, holding, orlov = ftm.read(path).entities
    assert smirnova.programs == ("EU-RUS", "Council of the EU", "UK-RUS")
    assert smirnova.addresses == ("5 Nevsky Prospekt, St Petersburg",)
    assert (holding.programs, holding.addresses) == ((), ())
    assert (orlov.programs, orlov.addresses) == (("US-SDN-RUSSIA",), ("Moscow, ru",))


def test_ftm_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"id": "a", "schema": "Person", "properties": {"name": ["A"]}}\n{"id": "b", "sch\n')
    with pytest.raises(ListFileError, match=r"bad\.json: line 2: not valid JSON"):
        ftm.read(path)
    path.write_text('{"schema": "Person", "properties": {"name": ["A"]}}\n')
    with pytest.raises(ListFileError, match="line 1: not an FtM entity"):
        ftm.read(path)


# --- registry ----------------------------------------------------------------------------------------------


def test_default_files_and_read_list() -> None:
    files = default_files(LISTS)
    assert {k: p.name for k, p in files.items()} == {
        "jp-eul": "jp-meti-end-user-list-2025-09-29.xlsx",
        "jp-mof": "jp-mof-asset-freeze-2026-03-05.xlsx",
        "un": "un-consolidated-2026-02-27.xml",
        "us-sdn": "us-ofac-sdn.csv",
        "us-csl": "us-csl-sample-2025.csv",
        "us-dpl": "us-bis-dpl.txt",
    }
    assert set(files) <= set(READERS)
    eul = read_list("jp-eul", files["jp-eul"])
    assert eul.list_id == "jp-eul" and len(eul.entities) == 835
    with pytest.raises(ListFileError, match="unknown list id 'xx'"):
        read_list("xx", files["un"])


@pytest.mark.parametrize("list_id", ["un", "us-sdn", "us-csl", "us-dpl", "jp-mof", "ftm"])
def test_missing_file(tmp_path: Path, list_id: str) -> None:
    with pytest.raises(ListFileError, match="file not found"):
        read_list(list_id, tmp_path / "nothing")
