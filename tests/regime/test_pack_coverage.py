"""What the pack holds on a date (`regime entries`), chemicals by CAS number, technology entries in the Foreign
Exchange Order's own numbering, and answers flagged when the criteria are not verified for the date."""

from __future__ import annotations

import json

from exportctl.regime import Regime
from tests.cli.test_cli import check_json, invoke
from tests.conftest import run

CIVIL = {"end_use": "semiconductor etching"}


def test_regime_entries_contract() -> None:
    code, out, err = invoke("regime", "entries", "jp", "--date", "2026-03-01", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    entries = {entry["id"]: entry for entry in data["entries"]}
    for entry in entries.values():
        assert entry.keys() >= {"id", "kind", "row", "title", "control_numbers", "criteria", "complete"}
        assert entry["title"].keys() == {"en", "ja"}
    assert entries["3(1)"]["kind"] == "goods" and entries["3(1)"]["complete"] is True
    assert "1C350" in " ".join(entries["3(1)"]["control_numbers"])
    assert any(entry["kind"] == "technology" for entry in entries.values())


def test_regime_entries_by_kind() -> None:
    code, out, err = invoke(
        "regime", "entries", "jp", "--date", "2026-03-01", "--kind", "technology", "--format", "json"
    )
    assert code == 0, err
    kinds = {entry["kind"] for entry in json.loads(out)["entries"]}
    assert kinds == {"technology"}


def test_regime_entries_by_date() -> None:
    """6(10) (additive manufacturing equipment) was added on 2025-05-28 by Cabinet Order No. 102 of 2025."""
    before = json.loads(invoke("regime", "entries", "jp", "--date", "2025-05-27", "--format", "json")[1])
    after = json.loads(invoke("regime", "entries", "jp", "--date", "2025-05-28", "--format", "json")[1])
    assert "6(10)" not in {e["id"] for e in before["entries"]}
    assert "6(10)" in {e["id"] for e in after["entries"]}


def test_hydrogen_fluoride_by_cas_number() -> None:
    """CAS 7664-39-3 is hydrogen fluoride, 1C350.d.7 / Art. 2(1)(i) of the ordinance: row 3(1)."""
    data = check_json("--date 2024-06-01 --to CN --item cas:7664-39-3 --value-jpy 2000000 --end-use etching")
    assert data["outcome"] == "licence_required"
    assert data["lines"][0]["entries"] == ["3(1)"]


def test_unknown_cas_number_is_indeterminate_not_unlisted(jp: Regime) -> None:
    result = run(jp, date="2024-06-01", destination="CN", lines=[{"item": "cas:7732-18-5"}], **CIVIL)  # water
    assert result.outcome == "indeterminate"
    assert result.missing == ("classification",)


def test_malformed_cas_number_is_an_input_error() -> None:
    code, _, err = invoke("check", "--date", "2024-06-01", "--to", "CN", "--item", "cas:7664-39-X")
    assert code == 2
    assert "CAS" in err


def test_technology_entry_by_its_own_number_and_by_international_number(jp: Regime) -> None:
    snapshot = jp.at(jp.pack.meta.coverage_from)
    technology = [a.record for a in snapshot.entries.values() if a.record.kind == "technology"]
    assert technology, "the pack has technology entries"
    entry = next(e for e in technology if e.control_numbers and not e.purposes and e.row != "16")
    line = {"kind": "technology", "item": entry.id}
    assert run(jp, date="2024-06-01", destination="CN", lines=[line]).outcome == "licence_required"
    by_number = {"kind": "technology", "item": entry.control_numbers[0]}
    result = run(jp, date="2024-06-01", destination="CN", lines=[by_number])
    assert result.outcome == "licence_required"
    assert entry.id in {m.entry for m in result.lines[0].entries}


def test_purpose_is_asked_where_control_depends_on_it(jp: Regime) -> None:
    snapshot = jp.at(jp.pack.meta.coverage_from)
    entry = next(
        a.record
        for a in snapshot.entries.values()
        if a.record.kind == "technology" and a.record.purposes and len(a.record.purposes) < 3
    )
    unasked = run(jp, date="2024-06-01", destination="CN", lines=[{"kind": "technology", "item": entry.id}])
    assert unasked.outcome == "indeterminate"
    assert unasked.missing == ("tech_purpose",)
    listed = {"kind": "technology", "item": entry.id, "tech_purpose": entry.purposes[0]}
    assert run(jp, date="2024-06-01", destination="CN", lines=[listed]).outcome == "licence_required"
    other = next(p for p in ("design", "manufacture", "use") if p not in entry.purposes)
    unlisted = {"kind": "technology", "item": entry.id, "tech_purpose": other}
    assert run(jp, date="2024-06-01", destination="CN", lines=[unlisted]).outcome == "no_licence_required"


def test_goods_line_naming_technology_is_an_input_error() -> None:
    code, _, err = invoke("check", "--date", "2024-06-01", "--to", "CN", "--item", "tech:2(1)")
    assert code == 2
    assert "technology" in err


def test_claimed_technology_exemption(jp: Regime) -> None:
    line = {"kind": "technology", "item": "3(1)", "tech_purpose": "manufacture", "exemptions": ["publicly-available"]}
    result = run(jp, date="2024-06-01", destination="CN", lines=[line])
    assert result.outcome == "no_licence_required"
    assert any(r.rule == "exemption:publicly-available" for r in result.lines[0].reasons)


def test_unknown_exemption_is_an_input_error() -> None:
    code, _, err = invoke(
        "check", "--date", "2024-06-01", "--to", "CN", "--item", "3(1)", "--technology", "--exemption", "because"
    )
    assert code == 2
    assert "unknown exemption 'because'" in err


def test_criteria_outside_their_verified_period_are_flagged(jp: Regime) -> None:
    """Criteria checked against the ordinance's text of 2026-02-14 applied to 2019 say so in the line's reasons."""
    spec = {"product": "hydrogen-fluoride", "params": {"hf_concentration_wt_pct": 55}}
    old = run(jp, date="2019-09-01", destination="US", lines=[{"spec": spec, "value_jpy": 5_000_000}], **CIVIL)
    assert any(r.rule == "unverified-for-date" and "3(1)" in r.text for r in old.lines[0].reasons)
    new = run(jp, date="2026-03-01", destination="US", lines=[{"spec": spec, "value_jpy": 5_000_000}], **CIVIL)
    assert not any(r.rule == "unverified-for-date" for r in new.lines[0].reasons)
