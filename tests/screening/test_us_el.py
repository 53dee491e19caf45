"""The US Entity List reader on the official eCFR XML of 15 CFR part 744 (Supplement No. 4) and on broken files.

Expected values are read by hand from the XML (row text, cells, citations), not from the reader's output.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
from functools import cache
from pathlib import Path

import pytest

from exportctl.screening.entities import ListedEntity, LoadedList
from exportctl.screening.sources import us_el
from exportctl.screening.sources.common import ListFileError
from exportctl.screening.sources.registry import default_files, read_list
from tests.conftest import SHARED

US = SHARED / "data" / "us"
PART_744 = US / "ecfr-title15-part744-2026-07-23.xml"
SUPPLEMENT_4 = '<DIV9 N="Supplement No. 4 to Part 744"'


@cache
def loaded() -> LoadedList:
    return us_el.read(PART_744)


def entry(name: str, country: str) -> ListedEntity:
    found = [e for e in loaded().entities if e.name == name and e.countries[0] == country]
    assert len(found) == 1, f"{name} ({country}): {len(found)} entries"
    return found[0]


def test_one_entity_per_table_entry() -> None:
    """Counted from the raw text: the body rows of the supplement's table, less the rows that only continue the
    entry above (every cell but Entity blank: CASIC Second Academy's subordinate institutions and addresses, and
    Huawei's affiliates)."""
    text = PART_744.read_text()
    supplement = text[text.index(SUPPLEMENT_4) :]
    body = supplement[supplement.index("<TBODY>") : supplement.index("</TBODY>")]
    rows = re.findall(r"<TR>(.*?)</TR>", body, flags=re.DOTALL)
    assert len(rows) == 3415
    cells = [re.findall(r"<TD[^>]*>(.*?)</TD>|<TD[^>]*/>", row, flags=re.DOTALL) for row in rows]
    continuations = [c for c in cells if not any(c[i].strip() for i in (0, 2, 3, 4))]
    assert len(continuations) == 4
    assert len(loaded().entities) == 3415 - 4
    assert len({e.entity_id for e in loaded().entities}) == len(loaded().entities)


def test_list_identity() -> None:
    assert (loaded().list_id, loaded().published) == ("us-el", dt.date(2026, 7, 23))  # the XML carries no date
    assert all(e.programs == ("Entity List",) and e.list_id == "us-el" for e in loaded().entities)


def test_huawei_with_its_affiliates_and_fdp_footnotes() -> None:
    huawei = entry("Huawei Technologies Co., Ltd.", "CN")
    digest = hashlib.sha256(b"china, people's republic of|huawei technologies co., ltd.").hexdigest()
    assert huawei.entity_id == f"us-el:CN-{digest[:10]}"
    assert huawei.kind == "company"
    assert huawei.aliases[:2] == ("Shenzhen Huawei Technologies", "Huawei Technology")
    # the 22 affiliated entities, written in the row below (italic names), with their own aliases
    for affiliate in (
        "Beijing Huawei Longshine Information Technology Co., Ltd.",
        "Beijing Huawei Longshine",
        "Huawei Marine Networks Co., Ltd.",
        "HMN Technologies",
        "Huawei Technologies Co., Ltd. Material Characterization Lab",
        "Shenzhen Huawei Agisson Electric Co., Ltd.",
        "Zhejiang Huawei Communications Technology Co., Ltd.",
    ):
        assert affiliate in huawei.aliases
    assert huawei.addresses[0] == "Bantian Huawei Base, Longgang District, Shenzhen, 518129, China"
    assert "Tsim Sha Tsui, Kowloon, Hong Kong." in huawei.addresses
    assert huawei.countries == ("CN", "HK")
    # "see §§ 734.9(e) <sup>1</sup> and 744.11 of the EAR <sup>2</sup>": the markers become concerns
    assert huawei.licence_requirement == "For all items subject to the EAR, see §§ 734.9(e) and 744.11 of the EAR"
    assert huawei.concerns == ("footnote 1", "footnote 2")
    assert huawei.review_policy == "Presumption of denial"
    assert huawei.remarks.startswith("84 FR 22963, 5/21/19. 84 FR 43495, 8/21/19.")
    assert huawei.remarks.endswith("87 FR 55250, 9/9/22.")


def test_russian_entry_with_footnote_3() -> None:
    sever = entry("Joint Stock Company Production Association Sever", "RU")
    assert sever.aliases == ("AO PO Sever", "JSC PA Sever", "JSC PO North", "Proizvodstvennoe Obedinenie Sever")
    assert sever.addresses == ("3 Obedineniya Street, Novosibirsk, Novosibirsk Oblast, 630020, Russia.",)
    assert sever.licence_requirement == (
        "For all items subject to the EAR. (See §§ 734.9(g), 746.8(a)(3), and 744.21(b) of the EAR)"
    )
    assert (sever.concerns, sever.review_policy) == (("footnote 3",), "Policy of denial")
    assert (sever.remarks, sever.countries, sever.kind) == ("88 FR 12158, 2/27/23.", ("RU",), "company")


def test_footnote_4_and_a_name_starting_with_a_digit() -> None:
    paradigm = entry("4Paradigm Technology Co., Ltd.", "CN")
    assert paradigm.aliases == ("4Paradigm", "4th Paradigm", "Fourth Paradigm")
    assert paradigm.addresses == ("Building 1, No. 66 Qinghe Middle Street, Haidian District, Beijing, China.",)
    assert paradigm.concerns == ("footnote 4",)
    assert (
        paradigm.licence_requirement == "For all items subject to the EAR. (See §§ 734.9(e)(2) and 744.11 of the EAR)"
    )
    assert (paradigm.review_policy, paradigm.remarks) == ("Presumption of denial", "88 FR 13675, 3/6/23.")


def test_country_continues_from_the_row_above() -> None:
    """AFGHANISTAN is written on its first row only; Afghan-German Construction Company's Country cell is blank."""
    first = entry("Abdul Satar Ghoura", "AF")
    assert (first.kind, first.aliases) == ("person", ())
    assert first.addresses == (
        "501, 5th Floor, Amanullah Sancharaki Market Opp Chaman E Huzuri, Kabul, Afghanistan",
        "Flat No. 41 Block No. 24 Macroyan 3, Kabul, Afghanistan.",
    )
    assert first.remarks == "76 FR 71869, 11/21/11.; See alternate addresses under Pakistan"
    second = entry("Afghan-German Construction Company", "AF")
    assert second.countries == ("AF",)
    assert second.addresses == (
        "Golaye Park, Shari Naw, Kabul, Afghanistan",
        "Dasht Qala, Takhar Province, Afghanistan.",
    )
    assert (second.remarks, second.concerns) == ("77 FR 25057, 4/27/12.", ())


def test_bracketed_aliases_of_a_person() -> None:
    lim = entry("Lim Yong Nam", "CN")
    assert lim.aliases == ("Lin Rongnan", "Steven Lim", "Yong Nam Lim")
    assert lim.addresses[1] == "Room 2613, NanGuangJieJia Building ShenNan Road, FuTian, Shenzhen, China 518033"
    assert lim.kind == "person"


def test_swapped_requirement_and_policy_cells_put_back() -> None:
    """Germany, Djamshid Nezhad: the row writes "Presumption of denial" under License requirement."""
    nezhad = entry("Djamshid Nezhad", "DE")
    assert nezhad.aliases == ("Nezhad Djamshid",)
    assert nezhad.licence_requirement == "For all items subject to the EAR. (See § 744.11 of the EAR)"
    assert nezhad.review_policy == "Presumption of denial"
    assert nezhad.remarks == "73 FR 54504, 9/22/08. 77 FR 24590, 4/25/12."


def test_found_in_the_us_folder_by_its_name() -> None:
    found = default_files(US)
    assert found.get("us-el") == PART_744
    assert read_list("us-el", found["us-el"]).version == loaded().version


def test_whole_file_reads_fast() -> None:
    start = time.perf_counter()
    us_el.read(PART_744)
    assert time.perf_counter() - start < 5


def _table(*rows: str, supplement: int = 4) -> str:
    body = "".join(f"<TR>{row}</TR>" for row in rows)
    return (
        f'<DIV5 N="744" TYPE="PART">\n<DIV9 N="Supplement No. {supplement} to Part 744" TYPE="APPENDIX">'
        f"<TABLE><THEAD><TR><TH>Country</TH></TR></THEAD>\n<TBODY>\n{body}\n</TBODY></TABLE></DIV9></DIV5>"
    )


def _row(country: str, entity: str, licence: str = "For all items subject to the EAR.") -> str:
    return f"<TD>{country}</TD><TD>{entity}</TD><TD>{licence}</TD><TD>Presumption of denial</TD><TD>1 FR 2.</TD>"


def test_footnote_markers_in_a_name_and_fractions_in_an_address(tmp_path: Path) -> None:
    """A superscript footnote number after a name is not part of it; 1¹⁄₂ in an address is a number."""
    path = tmp_path / "us-el-2026-01-02.xml"
    entity = "Acme Optics Co., Ltd.<sup>1</sup>, 1<sup>1</sup>&#x2044;<sub>2</sub> Miles Road, Beijing, China."
    path.write_text(_table(_row("CHINA, PEOPLE'S REPUBLIC OF", entity, "All items<sup>4</sup>")))
    (acme,) = us_el.read(path).entities
    assert (acme.name, acme.concerns, acme.licence_requirement) == (
        "Acme Optics Co., Ltd.",
        ("footnote 1", "footnote 4"),
        "All items",
    )
    assert acme.addresses == ("1 1\u20442 Miles Road, Beijing, China.",)
    assert us_el.read(path).published == dt.date(2026, 1, 2)


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        ('<DIV5 N="744"><DIV9 N="Supplement No. 4 to Part 744"><TABLE>', "not well-formed XML at line 1"),
        ("<ECFR/>", "root element is <ECFR>, not <DIV5>"),
        (_table(_row("RUSSIA", "OOO Example, Moscow, Russia."), supplement=6), "no Supplement No. 4 to part 744"),
        (_table(_row("RUSSIA", "OOO Example, Moscow."), _row("", " ")), r"row 2 of Supplement No. 4 \(line 4\)"),
        (_table(_row("RUSSIA", ", a.k.a., OOO Example, Moscow.")), "row 1 .*: no entity name"),
        (_table(_row("", "OOO Example, Moscow.")), r"row 1 .*: no country"),
        (_table(_row("ATLANTIS", "OOO Example.")), "row 1 .*: unknown country 'ATLANTIS'"),
        (_table("<TD>RUSSIA</TD><TD>OOO Example</TD>"), "row 1 .*: 2 <TD> cells, expected 5"),
    ],
)
def test_bad_files(tmp_path: Path, xml: str, message: str) -> None:
    path = tmp_path / "ecfr-title15-part744-2026-01-01.xml"
    path.write_text(xml)
    with pytest.raises(ListFileError, match=message) as raised:
        us_el.read(path)
    assert str(path) in str(raised.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ListFileError, match="file not found"):
        read_list("us-el", tmp_path / "us-el-2026-01-01.xml")
