"""The command line: contract flags and JSON keys, exit status 0 for any determination, 2 for bad input."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from exportctl.cli import app
from tests.conftest import CHECK_CONTRACT as CONTRACT_KEYS
from tests.conftest import EUL_FILE

runner = CliRunner()
LINE_KEYS = {"entries", "control_numbers", "outcome", "eligible_licences", "exceptions", "reasons"}


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def check_json(args: str, *extra: str) -> dict[str, Any]:
    """`exportctl check` with shell-style arguments, as JSON."""
    code, out, err = invoke("check", *shlex.split(args), *extra, "--format", "json")
    assert code == 0, err
    data: dict[str, Any] = json.loads(out)
    return data


def test_contract_keys_for_a_one_line_check() -> None:
    data = check_json("--regime jp --date 2019-09-01 --to KR --item 3C002 --value-jpy 5000000")
    assert data.keys() >= CONTRACT_KEYS
    assert data["destination_group"] == "B"
    assert data["outcome"] == "licence_required"
    assert data["licence_required"] is True
    assert data["eligible_licences"] == ["individual"]
    line = data["lines"][0]
    assert line.keys() >= LINE_KEYS
    assert line["entries"] == ["7(19)"]
    assert line["control_numbers"] == ["3C002"]
    for reason in data["reasons"] + line["reasons"]:
        assert {"rule", "text", "source"} <= reason.keys()
    cited = [r["source"] for r in line["reasons"] if r["source"]]
    assert any(s["id"] == "jp.meti.2019-07-kr" and s["in_force"] == "2019-07-04" for s in cited)
    assert all({"instrument", "url", "verified"} <= s.keys() for s in cited)


def test_end_user_flags_with_the_end_user_list() -> None:
    listed = f"--date 2024-06-01 --to AE --item hs:8471.30 --end-use office --eul {EUL_FILE}"
    listed += " --end-user 'Delta Engineering Concern FZE' --end-user-country AE"
    data = check_json(listed)
    assert data["outcome"] == "licence_required"
    assert data["end_user_hits"][0]["concerns"] == ["N"]
    assert check_json(listed, "--clearly-not")["outcome"] == "no_licence_required"


def test_weapons_flags_and_informed() -> None:
    base = f"--date 2024-06-01 --to CN --item hs:8471.30 --end-user Acme --eul {EUL_FILE}"
    assert check_json(base, "--wmd-end-use")["outcome"] == "licence_required"
    assert check_json(base, "--informed", "--end-use", "office")["outcome"] == "licence_required"
    assert check_json(base, "--no-wmd-end-use", "--no-conventional-end-use")["outcome"] == "no_licence_required"
    assert check_json(base)["outcome"] == "indeterminate"


def test_technology_flag() -> None:
    data = check_json("--date 2020-01-01 --to US --item 5(17) --technology --tech-purpose manufacture")
    assert data["lines"][0]["kind"] == "technology"
    assert data["outcome"] == "licence_required"


def test_specification_flags() -> None:
    data = check_json(
        "--date 2020-01-01 --to US --product hydrogen-fluoride --param hf_concentration_wt_pct=55 --value-jpy 5000000"
    )
    assert data["lines"][0]["entries"] == ["3(1)"]


def test_transaction_file(tmp_path: Path) -> None:
    path = tmp_path / "order.yaml"
    path.write_text(
        "date: 2019-07-04\ndestination: KR\nend_use: chips\nlines:\n"
        "  - {item: '5(17)', value_jpy: 3000000}\n  - {item: 'hs:0901.11'}\n"
    )
    data = check_json(f"--file {path}")
    assert [line["outcome"] for line in data["lines"]] == ["licence_required", "no_licence_required"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2019-13-01", "--to", "KR", "--item", "5(17)"], "--date"),
        (["--date", "2019-07-01", "--to", "ZZ", "--item", "5(17)"], "destination"),
        (["--date", "2019-07-01", "--to", "KR", "--item", "9Z999"], "lines[0].item"),
        (["--date", "2019-07-01", "--to", "KR"], "--item"),
        (["--date", "2018-07-01", "--to", "KR", "--item", "5(17)"], "2019-01-01"),
        (["--date", "2019-07-01", "--to", "KR", "--product", "x", "--param", "novalue"], "--param"),
        (["--date", "2019-07-01", "--to", "KR", "--item", "5(17)", "--value-jpy", "-5"], "value_jpy"),
    ],
)
def test_invalid_input_exits_2_naming_the_field(args: list[str], message: str) -> None:
    code, _, err = invoke("check", *args)
    assert code == 2
    assert message in err


def test_bad_transaction_file(tmp_path: Path) -> None:
    path = tmp_path / "order.json"
    path.write_text('{"date": "2019-07-04", "destination": "KR", "lines": [{"item": "5(17)", "colour": "red"}]}')
    code, _, err = invoke("check", "--file", str(path))
    assert code == 2
    assert "lines.0.colour" in err


def test_regime_show() -> None:
    code, out, _ = invoke("regime", "show", "jp", "--date", "2019-09-01", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert "KR" not in data["groups"]["A"]
    assert "KR" in data["groups"]["B"]
    assert {m["text"].split(":")[0] for m in data["measures"]} == {"Korea"}


def test_regime_diff_explains_the_korea_change() -> None:
    code, out, _ = invoke("regime", "diff", "jp", "2019-08-27", "2019-08-28", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["change_dates"] == ["2019-08-28"]
    changes = {c["key"]: c for c in data["changes"]}
    assert changes["table-3/KR"]["change"] == "removed"
    assert changes["table-3/KR"]["source"]["id"] == "jp.etco.2019-co71"
    assert changes["group-b/KR"]["change"] == "added"
    assert set(changes) == {"table-3/KR", "group-b/KR"}


def test_regime_diff_over_the_whole_episode() -> None:
    code, out, _ = invoke("regime", "diff", "jp", "2019-07-01", "2023-12-31", "--format", "json")
    assert code == 0
    changes = json.loads(out)["changes"]
    # The measures started and ended in between: no measure differs at the ends.
    assert not any(c["key"].startswith("measure/") for c in changes)
    # KR left Table 3 and came back: same fact, but now resting on Cabinet Order No. 232 of 2023.
    korea = [c for c in changes if "KR" in c["key"]]
    assert [(c["key"], c["change"], c["source"]["id"]) for c in korea] == [
        ("table-3/KR", "changed", "jp.etco.2023-co232")
    ]


def test_classify_command() -> None:
    code, out, _ = invoke(
        "classify",
        "--product",
        "hydrogen-fluoride",
        "--param",
        "hf_concentration_wt_pct=25",
        "--format",
        "json",
    )
    assert code == 0
    assert json.loads(out)["status"] != "listed"
    code, out, _ = invoke(
        "classify",
        "--product",
        "hydrogen-fluoride",
        "--param",
        "hf_concentration_wt_pct=55",
        "--format",
        "json",
    )
    assert json.loads(out)["entries"] == ["3(1)"]


def test_pack_validate_reports_file_and_line(tmp_path: Path) -> None:
    from exportctl.regime.files import builtin_pack_dir, read_pack_dir

    for name, text in read_pack_dir(builtin_pack_dir("jp")).items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text.replace("threshold_jpy: 1000000", "threshold_jpy: lots"), encoding="utf-8")
    code, _, err = invoke("pack", "validate", str(tmp_path))
    assert code == 2
    assert "rules.yaml:" in err and "threshold_jpy" in err


def test_timeline_and_console_script() -> None:
    """`make run` runs this console script: it must start from a fresh process and print the table."""
    exe = Path(sys.executable).parent / "exportctl"
    result = subprocess.run([str(exe), "timeline", "--format", "json"], capture_output=True, text=True, check=True)
    rows = json.loads(result.stdout)
    assert [row["group"] for row in rows] == ["A", "A", "B", "B", "B", "A", "A"]
