"""Pack validation: every error names the file, the key path and the line."""

from __future__ import annotations

import re

import pytest

from exportctl.regime import PackError, parse_pack
from exportctl.regime.files import builtin_pack_dir, read_pack_dir


def _error(files: dict[str, str]) -> PackError:
    with pytest.raises(PackError) as caught:
        parse_pack(files)
    return caught.value


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_shipped_pack_is_valid(pack_files: dict[str, str]) -> None:
    pack = parse_pack(pack_files)
    assert pack.meta.id == "jp"
    assert re.fullmatch(r"jp-[0-9a-f]{12}", pack.version)


def test_unknown_key_names_file_path_and_line(pack_files: dict[str, str]) -> None:
    text = pack_files["licences.yaml"].replace("    review_days: 90\n", "    review_days: 90\n    reviw_days: 90\n")
    error = _error({**pack_files, "licences.yaml": text})
    assert error.file == "licences.yaml"
    assert error.path == ("measures", 0, "reviw_days")
    assert error.line == _line_of(text, "reviw_days")
    assert "licences.yaml:" in str(error) and "measures[0].reviw_days" in str(error)


def test_wrong_type_is_located(pack_files: dict[str, str]) -> None:
    text = pack_files["rules.yaml"].replace("threshold_jpy: 1000000", "threshold_jpy: a million")
    error = _error({**pack_files, "rules.yaml": text})
    assert error.path == ("small_value", 0, "threshold_jpy")
    assert error.line == _line_of(text, "threshold_jpy: a million")


def test_reversed_period_is_rejected(pack_files: dict[str, str]) -> None:
    text = pack_files["licences.yaml"].replace("from: 2019-12-20, to: 2023-03-23", "from: 2023-03-23, to: 2019-12-20")
    error = _error({**pack_files, "licences.yaml": text})
    assert error.path[:3] == ("measures", 1, "periods")
    assert "must be before" in error.message


def test_unknown_source_is_located(pack_files: dict[str, str]) -> None:
    text = pack_files["catch_all.yaml"].replace("source: jp.meti.catchall-conventional}", "source: jp.nowhere}", 1)
    error = _error({**pack_files, "catch_all.yaml": text})
    assert error.file == "catch_all.yaml"
    assert "unknown source 'jp.nowhere'" in error.message
    assert error.path[-1] == "source"
    assert error.line == _line_of(text, "jp.nowhere")


def test_overlapping_periods_of_one_fact_are_rejected(pack_files: dict[str, str]) -> None:
    text = pack_files["destinations.yaml"].replace(
        "- {from: 2023-07-21, source: jp.etco.2023-co232}", "- {from: 2019-01-01, source: jp.etco.2023-co232}"
    )
    error = _error({**pack_files, "destinations.yaml": text})
    assert error.path == ("tables", "table-3", "members", "KR", 1)
    assert "overlaps" in error.message


def test_unknown_entry_in_a_measure(pack_files: dict[str, str]) -> None:
    text = pack_files["licences.yaml"].replace('{entry: "5(17)", clause: fluorinated-polyimide}', '{entry: "5(99)"}')
    error = _error({**pack_files, "licences.yaml": text})
    assert "unknown entry '5(99)'" in error.message
    assert error.path == ("measures", 0, "targets", 1, "entry")


def test_undeclared_parameter(pack_files: dict[str, str]) -> None:
    name = "control/row-03.yaml"
    text = pack_files[name].replace("{param: hf_concentration_wt_pct,", "{param: hf_percent,")
    error = _error({**pack_files, name: text})
    assert error.file == name
    assert "undeclared parameter 'hf_percent'" in error.message
    assert error.line == _line_of(text, "hf_percent")


def test_invalid_yaml_reports_the_line(pack_files: dict[str, str]) -> None:
    text = pack_files["rules.yaml"] + "broken: [unclosed\n"
    error = _error({**pack_files, "rules.yaml": text})
    assert error.file == "rules.yaml"
    assert "invalid YAML" in error.message
    assert error.line is not None and error.line >= text.count("\n")


def test_country_codes_must_be_iso(pack_files: dict[str, str]) -> None:
    text = pack_files["destinations.yaml"].replace('"EE": [', '"Estonia": [')
    error = _error({**pack_files, "destinations.yaml": text})
    assert "ISO 3166-1" in error.message


def test_conflicting_duplicate_source_names_both_files(pack_files: dict[str, str]) -> None:
    extra = (
        "sources:\n  jp.fefta.art48:\n    instrument: Something else\n"
        "    url: https://example.org\n    verified: false\n"
    )
    error = _error({**pack_files, "sources/zz-extra.yaml": extra})
    assert error.file == "sources/zz-extra.yaml"
    assert "already defined differently" in error.message


def test_missing_required_file(pack_files: dict[str, str]) -> None:
    files = dict(pack_files)
    del files["catch_all.yaml"]
    assert _error(files).file == "catch_all.yaml"


def test_stray_file_is_rejected(pack_files: dict[str, str]) -> None:
    assert "not a pack file" in _error({**pack_files, "notes.yaml": "a: 1\n"}).message


def test_an_embargo_region_must_be_of_its_country() -> None:
    files = read_pack_dir(builtin_pack_dir("us"))
    text = files["destinations.yaml"].replace("regions: [UA-43, UA-40", "regions: [RU-MOW, UA-40")
    assert text != files["destinations.yaml"]
    error = _error({**files, "destinations.yaml": text})
    assert error.file == "destinations.yaml" and error.path == ("embargoes", "UA", "regions", 0)
    assert "RU-MOW is not a region of UA" in str(error)
    unknown = files["destinations.yaml"].replace("regions: [UA-43, UA-40", "regions: [UA-99, UA-40")
    assert "not an ISO 3166-2 subdivision code" in str(_error({**files, "destinations.yaml": unknown}))
