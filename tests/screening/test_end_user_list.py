"""Reading METI's End User List workbook as published (2025-09-29: 835 entities in 15 countries)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from exportctl.screening.end_user_list import EndUserList
from exportctl.screening.names import normalise
from exportctl.screening.sources.common import ListFileError
from exportctl.screening.sources.jp_eul import read_end_user_list
from tests.conftest import EUL_FILE


def test_counts_match_the_publication(eul: EndUserList) -> None:
    assert len(eul.entries) == 835
    assert len({entry.countries[0] for entry in eul.entries}) == 15
    assert eul.source.published is not None and eul.source.published.isoformat() == "2025-09-29"


def test_country_spread(eul: EndUserList) -> None:
    counts = Counter(entry.countries[0] for entry in eul.entries)
    assert set(counts) == {
        "AF",
        "AE",
        "YE",
        "IL",
        "IR",
        "IN",
        "EG",
        "SY",
        "PK",
        "LB",
        "RU",
        "CN",
        "KP",
        "TW",
        "HK",
    }


def test_names_aliases_and_concerns_of_air_koryo(eul: EndUserList) -> None:
    """Row 301: 'Air Koryo\\n(高麗航空)', alias '・Airkoryo', B,C,M,N."""
    hits = eul.lookup("高麗航空")
    assert len(hits) == 1
    assert hits[0].name == "Air Koryo"
    assert hits[0].concerns == ("B", "C", "M", "N")
    assert eul.lookup("AIRKORYO")[0].entity_id == hits[0].entity_id


def test_aliases_split_on_nakaguro_and_lines(eul: EndUserList) -> None:
    """Row 7: DES INTERNATIONAL CO., LTD. with six aliases, one per line, each after '・'."""
    entry = next(e for e in eul.entries if e.name == "DES INTERNATIONAL CO., LTD.")
    assert "D.E.S. INTERNATIONAL" in entry.aliases
    assert "DES INTERNATIONAL COMPANY LIMITED" in entry.aliases
    assert len(entry.aliases) == 6


def test_conventional_weapons_column(eul: EndUserList) -> None:
    assert eul.lookup("IC Kala")[0].concerns == ("CW",)
    assert "CW" in eul.lookup("Al Qa'ida/Islamic Army")[0].concerns


def test_normalisation_folds_width_case_and_punctuation() -> None:
    assert normalise("ＤＥＳ　International Co., Ltd.") == normalise("des international co ltd")


def test_version_is_the_file_hash(eul: EndUserList) -> None:
    assert eul.version.startswith("jp-eul-")
    assert read_end_user_list(EUL_FILE).version == eul.version


def test_not_a_workbook(tmp_path: Path) -> None:
    bad = tmp_path / "list.xlsx"
    bad.write_text("not excel")
    with pytest.raises(ListFileError, match="not a readable Excel workbook"):
        read_end_user_list(bad)


def test_bad_row_is_named(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(
        [
            "No.",
            "Country or Region",
            "Company or Organization",
            "Also Known As",
            "Type of WMD",
            "Conventional",
        ]
    )
    sheet.append([1, "イラン\nIslamic Republic of Iran", "Good Entity", None, "核\nN", None])
    sheet.append([2, "Atlantis", "Bad Entity", None, "核\nN", None])
    path = tmp_path / "eul.xlsx"
    workbook.save(path)
    with pytest.raises(ListFileError, match=r"row 3, column B: unknown country 'Atlantis'"):
        read_end_user_list(path)


def test_wrong_header_is_rejected(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["name", "country"])
    path = tmp_path / "other.xlsx"
    workbook.save(path)
    with pytest.raises(ListFileError, match="row 1 is not the End User List header"):
        read_end_user_list(path)
