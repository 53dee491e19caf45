"""`exportctl screen` and `exportctl lists` (issue 3 §1 and §4 contracts)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exportctl.cli import app
from tests.conftest import LISTS_DIR

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--local-admin", *args])  # `lists load` re-screens parties: someone acts
    return result.exit_code, result.stdout, result.stderr


def test_single_query_json_contract() -> None:
    code, out, err = invoke("screen", "Delta Engineering Concern", "--country", "AE", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["query"] == "Delta Engineering Concern"
    hit = data["hits"][0]
    assert {"list", "entity_id", "name", "matched_name", "score", "explanation", "concerns"} <= hit.keys()
    assert (hit["list"], hit["concerns"]) == ("jp-eul", ["N"])


def test_list_selection_and_threshold() -> None:
    code, out, _ = invoke("screen", "Air Koryo", "--lists", "us-sdn,un", "--format", "json")
    assert code == 0
    assert {hit["list"] for hit in json.loads(out)["hits"]} <= {"us-sdn", "un"}
    code, out, _ = invoke("screen", "Air Koryo", "--threshold", "1.0", "--format", "json")
    assert all(hit["score"] == 1.0 for hit in json.loads(out)["hits"])


def test_table_output_explains() -> None:
    code, out, _ = invoke("screen", "Delta Engneering Concern")
    assert code == 0
    assert "delta≈delta" in out and "engneering≈engineering" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["screen"], "give a NAME"),
        (["screen", "x", "--lists", "eu-fsf"], "--lists: not loaded: eu-fsf"),
        (["screen", "x", "--country", "Japan"], "--country"),
        (["screen", "x", "--kind", "ship"], "--kind"),
        (["screen", "--input", "parties.csv"], "--output is required"),
    ],
)
def test_bad_flags(args: list[str], message: str) -> None:
    code, _, err = invoke(*args)
    assert code == 2
    assert message in err


def test_batch(tmp_path: Path) -> None:
    source = tmp_path / "parties.csv"
    source.write_text("id,name,country\nC1,Delta Engineering Concern,AE\nC2,Acme Office Supplies,DE\nC3,Air Koryo,KP\n")
    target = tmp_path / "hits.csv"
    code, _, err = invoke("screen", "--input", str(source), "--output", str(target))
    assert code == 0, err
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert set(rows[0]) >= {"id", "name", "list", "entity_id", "matched_name", "score"}
    assert {row["id"] for row in rows} == {"C1", "C3"}
    assert any(row["id"] == "C3" and row["list"] == "jp-eul" for row in rows)


def test_batch_bad_row_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "parties.csv"
    source.write_text("id,name\nC1,Delta Engineering Concern\nC2,\n")
    target = tmp_path / "hits.csv"
    code, _, err = invoke("screen", "--input", str(source), "--output", str(target))
    assert code == 2
    assert "row 3, column name" in err
    assert not target.exists()


def test_batch_needs_a_name_column(tmp_path: Path) -> None:
    source = tmp_path / "parties.csv"
    source.write_text("company\nAcme\n")
    code, _, err = invoke("screen", "--input", str(source), "--output", str(tmp_path / "out.csv"))
    assert code == 2 and "'name' column" in err


def test_lists_load_ls_and_diff(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPORTCTL_DATA_DIR", str(tmp_path))
    old, new = LISTS_DIR / "us-csl-sample-2019.csv", LISTS_DIR / "us-csl-sample-2025.csv"
    assert invoke("lists", "load", str(old), "--list", "us-csl")[0] == 0
    assert invoke("lists", "load", str(new), "--list", "us-csl")[0] == 0
    code, out, _ = invoke("lists", "ls", "--format", "json")
    versions = json.loads(out)
    assert [(v["list_id"], v["entities"]) for v in versions] == [("us-csl", 115), ("us-csl", 13)]
    code, out, _ = invoke("lists", "diff", "us-csl", "--format", "json")
    assert code == 0
    changes = json.loads(out)["changes"]
    # The 2019 sample and the 2025 sample share no record ids: everything was removed and added.
    assert sum(c["change"] == "removed" for c in changes) == 115
    assert sum(c["change"] == "added" for c in changes) == 13


def test_lists_diff_reports_changed_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPORTCTL_DATA_DIR", str(tmp_path / "data"))
    original = (LISTS_DIR / "us-csl-sample-2025.csv").read_text(encoding="utf-8")
    edited = tmp_path / "us-csl-edited.csv"
    edited.write_text(original.replace("Atlas Sanatgaran", "Atlas Sanatgaran Co"), encoding="utf-8")
    invoke("lists", "load", str(LISTS_DIR / "us-csl-sample-2025.csv"), "--list", "us-csl")
    invoke("lists", "load", str(edited), "--list", "us-csl")
    _, out, _ = invoke("lists", "diff", "us-csl", "--format", "json")
    changes = json.loads(out)["changes"]
    assert [c["change"] for c in changes] == ["changed"]
    assert "Atlas Sanatgaran Co" in changes[0]["after"]


def test_lists_load_bad_file_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPORTCTL_DATA_DIR", str(tmp_path / "data"))
    bad = tmp_path / "un-consolidated-bad.xml"
    bad.write_text("<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>")
    good = LISTS_DIR / "un-consolidated-2026-02-27.xml"
    code, _, err = invoke("lists", "load", str(good), str(bad), "--list", "un")
    assert code == 2
    assert str(bad) in err
    assert not (tmp_path / "data" / "lists" / "manifest.json").exists()
