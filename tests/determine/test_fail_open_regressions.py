"""Five paths that answered "no licence required" where the law requires one (issue 9), each from the law's text.

1. FEFTA Art. 25(1): technology provided in a foreign state is controlled whatever the recipient's residency.
2. "Not listed" only when every entry that could cover the product is encoded and fails.
3. Export Trade Control Order Art. 4(1)(v): outside Appended Table 3 the small-value exception is lost in the WMD
   concern cases of the ordinance, an End User List end user among them (unless "clearly not" applies).
4. From 2025-10-09 an End User List end user flagged for conventional weapons (CW) makes row 16(1) goods to a
   destination outside Group A need a licence.
5. An item two entries list needs a licence unless an exception lifts both: the small-value exception lifting one
   row did not clear a row it does not reach.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportctl.core_types import Specification, Transaction
from exportctl.determine.classify import classify_spec
from exportctl.determine.engine import determine
from exportctl.regime import Regime
from exportctl.regime.loader import parse_pack
from exportctl.screening.end_user_list import EndUserList
from tests.cli.test_cli import check_json
from tests.conftest import day, run

PACK_DIR = Path(__file__).parents[2] / "src" / "exportctl" / "packs" / "jp"
# libyaml where PyYAML has it: the property below rewrites a control file per example (pure Python took 4 s each).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
CIVIL = {"end_use": "machining of bicycle parts"}
# End User List 2025-09-29: a Chinese entity listed for missiles only (M), and one for conventional weapons only.
LISTED_M_CN = "Beijing Tianhai Industry Co., Ltd."
LISTED_CW_CN = "Chengdu Jingxin Technology Co. Ltd"
UNLISTED_CN = "Shanghai Office Supplies Trading Co"


# --- 1. technology provided abroad ------------------------------------------------------------------------


def test_technology_to_a_resident_abroad_needs_a_licence() -> None:
    data = check_json(
        '--date 2024-06-01 --to KR --item "3(1)" --technology --residency resident --tech-purpose manufacture'
    )
    assert data["outcome"] == "licence_required"
    assert "residency" not in data["missing"]
    assert any("foreign state" in reason["text"] for reason in data["lines"][0]["reasons"])


def test_technology_in_japan_still_asks_for_residency(jp: Regime) -> None:
    line = {"kind": "technology", "item": "3(1)", "tech_purpose": "manufacture"}
    result = run(jp, date="2024-06-01", destination="JP", lines=[line])
    assert result.outcome == "indeterminate"
    assert result.missing == ("residency",)


# --- 2. unencoded alternatives ----------------------------------------------------------------------------


def _pack_files() -> dict[str, str]:
    return {str(p.relative_to(PACK_DIR)): p.read_text(encoding="utf-8") for p in PACK_DIR.rglob("*.yaml")}


def _without_entry(files: dict[str, str], entry_id: str) -> dict[str, str]:
    """The same pack with one sub-item's entry taken out (the rows still declare the sub-item)."""
    changed = dict(files)
    for name, text in files.items():
        if not name.startswith("control/") or entry_id not in text:  # (a file never naming it keeps it)
            continue
        data = yaml.load(text, Loader=_LOADER)
        entries = data.get("entries") or []
        kept = [e for e in entries if e["id"] != entry_id and entry_id not in e.get("goods_entries", [])]
        if len(kept) != len(entries):
            data["entries"] = kept
            changed[name] = yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False)
    return changed


def _regime(files: dict[str, str]) -> Regime:
    return Regime(parse_pack(files))


def _gyroscope() -> Specification:
    """A gyroscope that fails every encoded clause of the pack (a consumer-grade MEMS gyro)."""
    return Specification(product="gyroscope", params={})


def test_failing_every_encoded_clause_is_not_not_listed_while_a_sub_item_is_unencoded(jp: Regime) -> None:
    files = _without_entry(_pack_files(), "11(2)")
    reduced = _regime(files)
    snapshot = reduced.at(day("2026-02-14"))
    assert "11(2)" in snapshot.unencoded
    photoresist = Specification(product="photoresist", params={"wavelength_nm": 248, "resist_tone": "positive"})
    result = classify_spec(snapshot, photoresist)
    assert result.status == "undetermined"
    assert "11(2)" in result.note


def test_an_incomplete_entry_cannot_rule_a_product_out() -> None:
    files = _pack_files()
    name = "control/items-2019.yaml"
    data = yaml.safe_load(files[name])
    for entry in data["entries"]:
        if entry["id"] == "7(19)":
            entry["complete"] = False
    files[name] = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    snapshot = _regime(files).at(day("2026-02-14"))
    krf = Specification(product="photoresist", params={"wavelength_nm": 248, "resist_tone": "positive"})
    result = classify_spec(snapshot, krf)
    assert result.status == "undetermined"
    assert "7(19)" in result.note and result.missing == ("classification",)


# --- 3. small-value exception and the End User List -------------------------------------------------------


def _small(jp: Regime, eul: EndUserList, end_user: str, destination: str = "CN", **extra: object) -> str:
    line = {"item": "5(17)", "value_jpy": 10_000}
    result = run(jp, eul, date="2024-06-01", destination=destination, end_user=end_user, lines=[line], **CIVIL, **extra)
    return result.outcome.value


def test_small_value_is_lost_for_an_end_user_list_end_user_outside_group_a(jp: Regime, eul: EndUserList) -> None:
    assert _small(jp, eul, UNLISTED_CN) == "no_licence_required"
    assert _small(jp, eul, LISTED_M_CN) == "licence_required"


def test_small_value_with_a_listed_end_user_and_clearly_not(jp: Regime, eul: EndUserList) -> None:
    assert _small(jp, eul, LISTED_M_CN, clearly_not=True) == "no_licence_required"


def test_small_value_needs_the_end_user_checked_outside_group_a(jp: Regime) -> None:
    line = {"item": "5(17)", "value_jpy": 10_000}
    unnamed = run(jp, date="2024-06-01", destination="CN", lines=[line], **CIVIL)
    assert unnamed.outcome == "indeterminate" and "end_user" in unnamed.missing
    unchecked = run(jp, date="2024-06-01", destination="CN", end_user=UNLISTED_CN, lines=[line], **CIVIL)
    assert unchecked.outcome == "indeterminate" and "end_user_list" in unchecked.missing


def test_small_value_in_group_a_ignores_the_end_user_list(jp: Regime, eul: EndUserList) -> None:
    """Art. 4(1)(v): for Appended Table 3 destinations only the inform cases (iii)(b) and (d) remove the exception."""
    assert _small(jp, eul, LISTED_M_CN, destination="US") == "no_licence_required"


# --- 4. conventional-weapons catch-all from 2025-10-09 ----------------------------------------------------


@pytest.mark.parametrize(
    ("date", "expected"), [("2025-10-08", "no_licence_required"), ("2025-10-09", "licence_required")]
)
def test_cw_listed_end_user_and_row_16_1_goods(jp: Regime, eul: EndUserList, date: str, expected: str) -> None:
    machining_centre = {"item": "hs:8457.10", "value_jpy": 30_000_000}
    result = run(jp, eul, date=date, destination="CN", end_user=LISTED_CW_CN, lines=[machining_centre], **CIVIL)
    assert result.outcome.value == expected
    if expected == "licence_required":
        assert any(r.rule == "catch-all:conventional-end-user-16-1" for r in result.lines[0].reasons)


def test_cw_listed_end_user_and_row_16_2_goods_need_no_licence(jp: Regime, eul: EndUserList) -> None:
    """The 2025 end-user requirement for conventional weapons is written for 16(1) goods; a laptop is 16(2)."""
    laptop = {"item": "hs:8471.30", "value_jpy": 200_000}
    result = run(jp, eul, date="2025-10-09", destination="CN", end_user=LISTED_CW_CN, lines=[laptop], **CIVIL)
    assert result.outcome.value == "no_licence_required"


# --- property: removing an encoded entry never turns "licence required" into "no licence required" --------


def _satisfying(criteria: list[dict[str, object]]) -> dict[str, object] | None:
    """Parameter values that satisfy every criterion of a clause (None when they conflict)."""
    params: dict[str, object] = {}
    bounds: dict[str, list[tuple[str, float]]] = {}
    for criterion in criteria:
        op, value, param = str(criterion["op"]), criterion["value"], str(criterion["param"])
        if op in ("==", "in"):
            params[param] = value[0] if isinstance(value, list) else value
        elif op in (">", ">=", "<", "<="):
            bounds.setdefault(param, []).append((op, float(value)))  # type: ignore[arg-type]
        elif op == "!=" and isinstance(value, bool):
            params[param] = not value
        else:
            return None
    for param, limits in bounds.items():
        low = max((v for op, v in limits if op in (">", ">=")), default=None)
        high = min((v for op, v in limits if op in ("<", "<=")), default=None)
        if low is not None and high is not None:
            candidate = (low + high) / 2
        elif low is not None:
            candidate = low * 2 + 1
        else:
            assert high is not None
            candidate = high / 2 if high > 0 else high - 1
        if not all(_holds(op, candidate, v) for op, v in limits):
            return None
        params[param] = candidate
    return params


def _holds(op: str, actual: float, required: float) -> bool:
    return {">": actual > required, ">=": actual >= required, "<": actual < required, "<=": actual <= required}[op]


def _referenced_elsewhere(entry_id: str) -> bool:
    """Entries named by licence measures or rules cannot be taken out without breaking the pack's references."""
    rules = ("licences.yaml", "rules.yaml", "catch_all.yaml")
    return any(f'"{entry_id}"' in (PACK_DIR / name).read_text(encoding="utf-8") for name in rules)


PROPERTY_DATE = day("2026-02-14")


def _in_force_on_the_test_date(periods: list[dict[str, dt.date]]) -> bool:
    return any(p.get("from", dt.date.min) <= PROPERTY_DATE < p.get("to", dt.date.max) for p in periods)


def _encoded_clauses() -> list[tuple[str, str, str, dict[str, object]]]:
    found: list[tuple[str, str, str, dict[str, object]]] = []
    for path in sorted((PACK_DIR / "control").glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")).get("entries") or []:
            if (
                entry.get("kind", "goods") != "goods"
                or entry["row"] in ("1", "16")
                or _referenced_elsewhere(entry["id"])
            ):
                continue
            if not _in_force_on_the_test_date(entry.get("periods") or []):
                continue
            for clause in entry.get("clauses") or []:
                if clause.get("periods") and not _in_force_on_the_test_date(clause["periods"]):
                    continue  # an older wording of the law, not in force on the date the property is tested
                params = _satisfying(clause.get("criteria") or [])
                if params is not None and clause.get("criteria"):
                    found.append((entry["id"], clause["id"], clause["products"][0], params))
    return found


CLAUSES = _encoded_clauses()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(clause=st.sampled_from(CLAUSES))
def test_removing_an_encoded_entry_never_turns_a_licence_into_none(
    jp: Regime, clause: tuple[str, str, str, dict[str, object]]
) -> None:
    entry_id, _, product, params = clause
    transaction = Transaction.model_validate(
        {
            "date": PROPERTY_DATE,
            "destination": "US",
            **CIVIL,
            "lines": [{"spec": {"product": product, "params": params}, "value_jpy": 50_000_000}],
        }
    )
    before = determine(jp.at(transaction.date), transaction, None)
    assert before.outcome.value in ("licence_required", "indeterminate"), before.lines[0].reasons
    after = determine(_reduced(entry_id).at(transaction.date), transaction, None)
    assert after.outcome.value != "no_licence_required", after.lines[0].reasons


@functools.cache
def _reduced(entry_id: str) -> Regime:
    return _regime(_without_entry(_pack_files(), entry_id))


# --- product kinds: a generic name is not "not listed" while a kind of it could be listed ------------------


def test_a_generic_laser_failing_row_2_is_not_unlisted(jp: Regime) -> None:
    """Row 2(31) lists particular lasers (Art. 1(xxxvi)); row 10(8) lists CW, pulsed, tunable … lasers (Art. 9(viii)).
    A 'laser' described only by row 2's parameters that fails them may still be one of row 10's."""
    snapshot = jp.at(day("2026-02-14"))
    params = {"laser_type": "helium-neon", "wavelength_nm": 633, "average_output_power_mw": 5}
    result = classify_spec(snapshot, Specification(product="laser", params=params))
    assert result.status == "undetermined"
    assert "cw-laser" in result.note


def test_a_specific_laser_is_also_assessed_against_the_generic_laser_clauses(jp: Regime) -> None:
    """A CW laser is a laser: row 2's clauses for lasers apply to it as well as row 10's."""
    snapshot = jp.at(day("2026-02-14"))
    assessed = {entry.id for entry, _ in snapshot.clauses_by_product["cw-laser"]}
    assert {"2(31)", "10(8)"} <= assessed


def test_an_exception_lifting_one_entry_does_not_clear_an_item_another_entry_lists(jp: Regime) -> None:
    # 2B001.d maps to 2(12) (row 2, nuclear) and 6(2) (row 6). The small-value exception (Export Trade Control Order
    # Art. 4(1)(iv)) is for rows 5-13 and 15 only: ¥10,000 to the US lifts 6(2), never 2(12), so a licence is needed.
    transaction = Transaction.model_validate(
        {"date": "2026-08-01", "destination": "US", "end_use": "x", "lines": [{"item": "2B001.d", "value_jpy": 10_000}]}
    )
    line = determine(jp.at(transaction.date), transaction).lines[0]
    assert [m.entry for m in line.entries] == ["2(12)", "6(2)"]
    assert [(e.exception, e.applied) for e in line.exceptions] == [("small-value", False), ("small-value", True)]
    assert line.outcome.value == "licence_required"
