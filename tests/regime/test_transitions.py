"""Every dated transition of the Japan pack, on the day before and on the day.

Expected values come from the instruments cited in the pack (see shared/domain/japan-regime.md §2, §5, §8):
Cabinet Order No. 71 of 2019 (KR out of Appended Table 3 from 2019-08-28), Cabinet Order No. 232 of 2023
(KR back from 2023-07-21), METI's circulars of 2019-07-04, 2019-12-20 and 2023-03-23, Cabinet Order No. 175
of 2025 (catch-all revision from 2025-10-09), and the 2022-05-01 deemed-export clarification.
"""

from __future__ import annotations

from exportctl.regime import Regime
from exportctl.screening.end_user_list import EndUserList
from tests.conftest import day, run

RESIST = {
    "spec": {"product": "photoresist", "params": {"wavelength_nm": 13.5, "resist_tone": "positive"}},
    "value_jpy": 30_000_000,
}
HF = {
    "spec": {"product": "hydrogen-fluoride", "params": {"hf_concentration_wt_pct": 99.9}},
    "value_jpy": 20_000_000,
}
POLYIMIDE = {
    "spec": {"product": "fluorinated-polyimide", "params": {"combined_fluorine_wt_pct": 12}},
    "value_jpy": 9_000_000,
}
CIVIL = {"end_user": "Hanbit Semiconductor Co., Ltd.", "end_use": "memory chip fabrication"}


def test_korea_leaves_group_a_on_2019_08_28(jp: Regime) -> None:
    assert jp.at(day("2019-08-27")).group("KR") == "A"
    assert jp.at(day("2019-08-28")).group("KR") == "B"


def test_korea_returns_to_group_a_on_2023_07_21(jp: Regime) -> None:
    assert jp.at(day("2023-07-20")).group("KR") == "B"
    assert jp.at(day("2023-07-21")).group("KR") == "A"


def test_group_a_has_27_members_with_korea_and_26_without(jp: Regime) -> None:
    assert len(jp.at(day("2019-08-27")).tables["table-3"]) == 27
    assert len(jp.at(day("2019-08-28")).tables["table-3"]) == 26
    assert len(jp.at(day("2023-07-21")).tables["table-3"]) == 27


def test_three_items_individual_only_from_2019_07_04(jp: Regime, eul: EndUserList) -> None:
    for line in (RESIST, HF, POLYIMIDE):
        before = run(jp, eul, date="2019-07-03", destination="KR", lines=[line], **CIVIL)
        on = run(jp, eul, date="2019-07-04", destination="KR", lines=[line], **CIVIL)
        assert "general-bulk" in before.eligible_licences
        assert on.eligible_licences == ("individual",)


def test_general_bulk_for_korea_ends_with_group_a_membership(jp: Regime, eul: EndUserList) -> None:
    other = {
        "spec": {"product": "fluorinated-phosphazene-elastomer", "params": {"combined_fluorine_wt_pct": 35}},
        "value_jpy": 5_000_000,
    }
    before = run(jp, eul, date="2019-08-27", destination="KR", lines=[other], **CIVIL)
    on = run(jp, eul, date="2019-08-28", destination="KR", lines=[other], **CIVIL)
    assert "general-bulk" in before.eligible_licences
    assert "general-bulk" not in on.eligible_licences
    assert "special-general-bulk" in on.eligible_licences  # METI 2019-08-02: usable for KR except the 3 items


def test_resist_specific_bulk_from_2019_12_20(jp: Regime, eul: EndUserList) -> None:
    before = run(jp, eul, date="2019-12-19", destination="KR", lines=[RESIST], **CIVIL)
    on = run(jp, eul, date="2019-12-20", destination="KR", lines=[RESIST], **CIVIL)
    assert before.eligible_licences == ("individual",)
    assert set(on.eligible_licences) == {"individual", "specific-bulk"}
    hf_on = run(jp, eul, date="2019-12-20", destination="KR", lines=[HF], **CIVIL)
    assert hf_on.eligible_licences == ("individual",)


def test_measures_lifted_on_2023_03_23(jp: Regime, eul: EndUserList) -> None:
    for line in (RESIST, HF, POLYIMIDE):
        before = run(jp, eul, date="2023-03-22", destination="KR", lines=[line], **CIVIL)
        on = run(jp, eul, date="2023-03-23", destination="KR", lines=[line], **CIVIL)
        assert "special-general-bulk" not in before.eligible_licences
        assert "special-general-bulk" in on.eligible_licences
        assert "general-bulk" not in on.eligible_licences  # KR is still in Group B until 2023-07-21


def test_general_bulk_returns_on_2023_07_21(jp: Regime, eul: EndUserList) -> None:
    before = run(jp, eul, date="2023-07-20", destination="KR", lines=[RESIST], **CIVIL)
    on = run(jp, eul, date="2023-07-21", destination="KR", lines=[RESIST], **CIVIL)
    assert "general-bulk" not in before.eligible_licences
    assert "general-bulk" in on.eligible_licences


def test_catch_all_reaches_korea_only_while_outside_group_a(jp: Regime, eul: EndUserList) -> None:
    machine = {"item": "hs:8457.10", "value_jpy": 60_000_000}
    wmd = {"end_user": "Hanbit Semiconductor Co., Ltd.", "end_use": "missile parts", "wmd_end_use": True}
    assert run(jp, eul, date="2019-08-27", destination="KR", lines=[machine], **wmd).outcome == "no_licence_required"
    assert run(jp, eul, date="2019-08-28", destination="KR", lines=[machine], **wmd).outcome == "licence_required"
    assert run(jp, eul, date="2023-07-20", destination="KR", lines=[machine], **wmd).outcome == "licence_required"
    assert run(jp, eul, date="2023-07-21", destination="KR", lines=[machine], **wmd).outcome == "no_licence_required"


def test_informed_requirement_reaches_group_a_from_2025_10_09(jp: Regime, eul: EndUserList) -> None:
    machine = {"item": "hs:8457.10", "value_jpy": 60_000_000}
    informed = {"informed": True, **CIVIL}
    assert (
        run(jp, eul, date="2025-10-08", destination="US", lines=[machine], **informed).outcome == "no_licence_required"
    )
    on = run(jp, eul, date="2025-10-09", destination="US", lines=[machine], **informed)
    assert on.outcome == "licence_required"
    assert on.eligible_licences == ("individual",)
    uninformed = run(jp, eul, date="2025-10-09", destination="US", lines=[machine], **CIVIL)
    assert uninformed.outcome == "no_licence_required"


def test_row_16_split_on_2025_10_09(jp: Regime) -> None:
    line = {"item": "hs:8457.10"}
    before = run(jp, date="2025-10-08", destination="CN", lines=[line], **CIVIL)
    on = run(jp, date="2025-10-09", destination="CN", lines=[line], **CIVIL)
    assert [m.entry for m in before.lines[0].entries] == ["16"]
    assert [m.entry for m in on.lines[0].entries] == ["16(1)"]
    textile = run(jp, date="2025-10-09", destination="CN", lines=[{"item": "hs:5407.10"}], **CIVIL)
    assert [m.entry for m in textile.lines[0].entries] == ["16(2)"]


def test_conventional_end_use_for_16_1_goods_outside_group_a_from_2025_10_09(jp: Regime, eul: EndUserList) -> None:
    """Before: conventional objective requirement only for Appended Table 3-2; after: also 16(1) to B/C."""
    military = {
        "end_user": "Hanbit Semiconductor Co., Ltd.",
        "wmd_end_use": False,
        "conventional_end_use": True,
    }
    machine = {"item": "hs:8457.10"}
    assert (
        run(jp, eul, date="2025-10-08", destination="CN", lines=[machine], **military).outcome == "no_licence_required"
    )
    assert run(jp, eul, date="2025-10-09", destination="CN", lines=[machine], **military).outcome == "licence_required"
    textile = {"item": "hs:5407.10"}
    assert (
        run(jp, eul, date="2025-10-09", destination="CN", lines=[textile], **military).outcome == "no_licence_required"
    )
    assert run(jp, eul, date="2025-10-09", destination="SO", lines=[textile], **military).outcome == "licence_required"


def test_small_value_exception_renumbered_on_2025_10_09(jp: Regime, eul: EndUserList) -> None:
    small = {"item": "5(17)", "value_jpy": 500_000}
    named = {"destination": "CN", "end_user": "Shanghai Office Supplies Trading Co", "lines": [small], **CIVIL}
    before = run(jp, eul, date="2025-10-08", **named)
    on = run(jp, eul, date="2025-10-09", **named)
    assert before.outcome == on.outcome == "no_licence_required"
    assert before.lines[0].exceptions[0].source == "jp.etco.art4-1-iv"
    assert on.lines[0].exceptions[0].source == "jp.etco.art4-1-v"


def test_deemed_export_to_specified_residents_from_2022_05_01(jp: Regime) -> None:
    tech = {
        "kind": "technology",
        "item": "7(19)",
        "residency": "resident-specified-category",
        "tech_purpose": "manufacture",
    }
    assert run(jp, date="2022-04-30", destination="JP", lines=[tech]).outcome == "no_licence_required"
    on = run(jp, date="2022-05-01", destination="JP", lines=[tech])
    assert on.outcome == "licence_required"
    assert any(r.source == "jp.meti.tech-specified-category" for r in on.lines[0].reasons)


def test_south_sudan_joins_appended_table_3_2_on_2019_04_12(jp: Regime) -> None:
    """Cabinet Order No. 151 of 2019: absent from the consolidated text of 2019-04-01, present on 2019-04-12."""
    assert jp.at(day("2019-04-11")).group("SS") == "C"
    assert jp.at(day("2019-04-12")).group("SS") == "D"


def test_north_korea_goods_are_prohibited_but_technology_needs_a_licence(jp: Regime, eul: EndUserList) -> None:
    """The 2009 measure is export approval for goods (Order Art. 2(1)(i-2)); listed technology stays under FEFTA
    Art. 25(1): a licence is required (and the ban does not speak to it)."""
    goods = run(jp, eul, date="2024-06-01", destination="KP", lines=[{"item": "5(17)", "value_jpy": 1}], **CIVIL)
    assert goods.outcome == "prohibited"
    tech = {"kind": "technology", "item": "5(17)", "tech_purpose": "manufacture"}
    technology = run(jp, eul, date="2024-06-01", destination="KP", lines=[tech], **CIVIL)
    assert technology.outcome == "licence_required"
    assert all(r.rule != "embargo" for r in technology.lines[0].reasons)


def test_table_3_3_gains_7_2_on_2020_01_22(jp: Regime, eul: EndUserList) -> None:
    """Appended Table 3-3 lists 7(2) "as designated by METI notice" from 2020-01-22 (Cabinet Order No. 168 of 2019):
    at ¥500,000 the exception held before; after, it depends on the notice the pack does not encode."""
    line = {"item": "7(2)", "value_jpy": 500_000}
    named = {"destination": "CN", "end_user": "Shanghai Office Supplies Trading Co", "lines": [line], **CIVIL}
    assert run(jp, eul, date="2020-01-21", **named).outcome == "no_licence_required"
    after = run(jp, eul, date="2020-01-22", **named)
    assert after.outcome == "indeterminate"
    assert "small_value_designation" in after.missing


def test_designated_goods_at_the_thresholds(jp: Regime, eul: EndUserList) -> None:
    """Row 8 goods are Table 3-3 goods only where the notice designates them: ≤ ¥50,000 the exception holds
    either way, above ¥1,000,000 never; row 15 goods always take ¥50,000."""
    named = {"date": "2024-06-01", "destination": "CN", "end_user": "Shanghai Office Supplies Trading Co", **CIVIL}
    row8 = next(e for e in jp.pack.entries if e.startswith("8("))
    row15 = next(e for e in jp.pack.entries if e.startswith("15("))
    assert run(jp, eul, lines=[{"item": row8, "value_jpy": 50_000}], **named).outcome == "no_licence_required"
    assert run(jp, eul, lines=[{"item": row8, "value_jpy": 1_000_001}], **named).outcome == "licence_required"
    assert run(jp, eul, lines=[{"item": row15, "value_jpy": 500_000}], **named).outcome == "licence_required"
