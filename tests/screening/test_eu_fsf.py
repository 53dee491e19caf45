"""The EU Financial Sanctions Files reader, on a file shaped like the Commission's full XML export
(tests/data/eu-fsf: the published EU.27.28 record and invented ones for the format's corners) and on broken files.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from exportctl.screening.sources import eu_fsf
from exportctl.screening.sources.common import ListFileError
from exportctl.screening.sources.registry import default_files, read_list

FOLDER = Path(__file__).parents[1] / "data" / "eu-fsf"
SAMPLE = FOLDER / "20251115-FULL-1_1(xsd).xml"
NS = 'xmlns="http://eu.europa.ec/fpi/fsd/export"'


def test_records_as_published() -> None:
    loaded = eu_fsf.read(SAMPLE)
    assert (loaded.list_id, loaded.published) == ("eu-fsf", dt.date(2025, 11, 15))
    saddam, plant, primerov = loaded.entities
    assert saddam.entity_id == "eu-fsf:13"
    assert (saddam.kind, saddam.name, saddam.aliases) == (
        "person",
        "Saddam Hussein Al-Tikriti",
        ("Abu Ali", "Abou Ali"),
    )
    assert (saddam.countries, saddam.birth_dates, saddam.programs) == (("IQ",), ("1937-04-28",), ("IRQ",))
    assert saddam.remarks == "EU.27.28; Regulation 1210/2003 (OJ L169); UNSC RESOLUTION 1483"
    # enterprise → company; strong="false" is a weak alias; country "00" is unknown, not a country
    assert (plant.kind, plant.aliases, plant.weak_aliases) == ("company", ("АО Пример Радиозавод",), ("ERP",))
    assert plant.countries == ("RU",)
    assert plant.addresses == ("Ulitsa Primernaya 1, Moscow, 101000, RUSSIAN FEDERATION", "UNKNOWN")
    assert "listed 2024-02-23" in plant.remarks and plant.birth_dates == ()
    # a name given only in parts; a birth year only
    assert (primerov.name, primerov.birth_dates, primerov.countries) == ("Ivan Ivanovich Primerov", ("1961",), ("BY",))


def test_found_in_a_lists_folder_by_the_publishers_name(tmp_path: Path) -> None:
    shutil.copy(SAMPLE, tmp_path / SAMPLE.name)
    shutil.copy(SAMPLE, tmp_path / "20240101-FULL-1_1(xsd).xml")
    found = default_files(tmp_path)
    assert found == {"eu-fsf": tmp_path / SAMPLE.name}, "the newest download by the date leading its name"
    assert len(read_list("eu-fsf", found["eu-fsf"]).entities) == 3


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        (f"<export {NS}><sanctionEntity logicalId='1'>", "not well-formed XML at line 1"),
        ("<CONSOLIDATED_LIST/>", "root element is <CONSOLIDATED_LIST>, not <export>"),
        (
            f"<export {NS}>\n<sanctionEntity><nameAlias wholeName='X'/></sanctionEntity></export>",
            "line 2, <sanctionEntity>: no logicalId",
        ),
        (
            f"<export {NS}><sanctionEntity logicalId='7'><nameAlias wholeName=' ' strong='true'/>"
            "</sanctionEntity></export>",
            "logicalId 7: no nameAlias with a name",
        ),
    ],
)
def test_bad_files(tmp_path: Path, xml: str, message: str) -> None:
    path = tmp_path / "eu-fsf-2026-01-01.xml"
    path.write_text(xml)
    with pytest.raises(ListFileError, match=message) as raised:
        eu_fsf.read(path)
    assert str(path) in str(raised.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ListFileError, match="file not found"):
        read_list("eu-fsf", tmp_path / "nothing.xml")
