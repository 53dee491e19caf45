"""Determination rules: catch-all, End User List, embargo, small-value exception, technology, unknowns.

Expected values follow shared/domain/japan-regime.md §3, §4, §7 and §8 and the End User List file itself.
"""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from exportctl.core_types import Determination
from exportctl.determine.engine import InvalidTransaction
from exportctl.regime import Regime
from exportctl.screening.end_user_list import EndUserList
from tests.conftest import run

MACHINE = {"item": "hs:8471.30", "value_jpy": 2_000_000}  # a laptop: chapter 84, row 16(2) after 2025-10-09
CIVIL = {"end_use": "office automation"}
# End User List 2025-09-29, row 6: "Delta Engineering Concern FZE （DEC）", United Arab Emirates, type N.
LISTED_N = "Delta Engineering Concern FZE"
# Row 117: "IC Kala", Iran, conventional weapons (CW) only.
LISTED_CW_ONLY = "IC Kala"
UNLISTED = "Shanghai Office Supplies Trading Co"  # no End User List entry resembles it


def test_listed_end_user_makes_row_16_goods_need_a_licence(jp: Regime, eul: EndUserList) -> None:
    result = run(jp, eul, date="2024-06-01", destination="AE", end_user=LISTED_N, lines=[MACHINE], **CIVIL)
    assert result.outcome == "licence_required"
    assert result.eligible_licences == ("individual",)
    hit = result.end_user_hits[0]
    assert (hit.country, hit.concerns) == ("AE", ("N",))
    assert any(r.rule == "catch-all:wmd-end-user" for r in result.lines[0].reasons)


def test_listed_end_user_matches_its_bracketed_acronym_and_width_variants(jp: Regime, eul: EndUserList) -> None:
    for name in [
        "DEC",
        "ｄｅｌｔａ　ｅｎｇｉｎｅｅｒｉｎｇ　ｃｏｎｃｅｒｎ　ｆｚｅ",
        "delta engineering concern fze.",
    ]:
        result = run(jp, eul, date="2024-06-01", destination="AE", end_user=name, lines=[MACHINE], **CIVIL)
        assert result.outcome == "licence_required", name


def test_clearly_not_guideline_lifts_the_end_user_requirement(jp: Regime, eul: EndUserList) -> None:
    result = run(
        jp,
        eul,
        date="2024-06-01",
        destination="AE",
        end_user=LISTED_N,
        clearly_not=True,
        lines=[MACHINE],
        **CIVIL,
    )
    assert result.outcome == "no_licence_required"
    assert any("clearly not" in r.text for r in result.lines[0].reasons)


def test_cw_only_listing_does_not_meet_the_wmd_end_user_requirement(jp: Regime, eul: EndUserList) -> None:
    result = run(jp, eul, date="2024-06-01", destination="IR", end_user=LISTED_CW_ONLY, lines=[MACHINE], **CIVIL)
    assert result.end_user_hits[0].concerns == ("CW",)
    assert result.outcome == "no_licence_required"


def test_unlisted_end_user_and_civil_use_need_no_licence(jp: Regime, eul: EndUserList) -> None:
    result = run(
        jp,
        eul,
        date="2024-06-01",
        destination="CN",
        end_user="Acme Office Supplies",
        lines=[MACHINE],
        **CIVIL,
    )
    assert result.outcome == "no_licence_required"


@pytest.mark.parametrize(
    ("fields", "missing"),
    [
        ({"end_user": "Acme"}, "wmd_end_use"),  # end use not declared
        ({"end_use": "office"}, "end_user"),  # end user not named
    ],
)
def test_unknown_facts_make_catch_all_indeterminate(
    jp: Regime, eul: EndUserList, fields: dict[str, str], missing: str
) -> None:
    result = run(jp, eul, date="2024-06-01", destination="CN", lines=[MACHINE], **fields)
    assert result.outcome == "indeterminate"
    assert missing in result.missing


def test_without_the_end_user_list_the_end_user_requirement_is_unknown(jp: Regime) -> None:
    result = run(jp, None, date="2024-06-01", destination="CN", end_user="Acme", lines=[MACHINE], **CIVIL)
    assert result.outcome == "indeterminate"
    assert "end_user_list" in result.missing


def test_informed_and_wmd_end_use_each_require_a_licence(jp: Regime, eul: EndUserList) -> None:
    base = {"date": "2024-06-01", "destination": "CN", "end_user": "Acme", "lines": [MACHINE]}
    assert run(jp, eul, informed=True, end_use="office", **base).outcome == "licence_required"
    assert run(jp, eul, wmd_end_use=True, end_use="centrifuges", **base).outcome == "licence_required"


def test_spec_without_hs_code_is_indeterminate_only_when_a_requirement_bites(jp: Regime, eul: EndUserList) -> None:
    krf = {"spec": {"product": "photoresist", "params": {"wavelength_nm": 248, "resist_tone": "positive"}}}
    base = {"date": "2024-06-01", "destination": "CN", "end_user": "Acme", "lines": [krf]}
    assert run(jp, eul, end_use="displays", **base).outcome == "no_licence_required"
    with_wmd = run(jp, eul, end_use="missiles", wmd_end_use=True, **base)
    assert with_wmd.outcome == "indeterminate"
    assert "hs_code" in with_wmd.missing


def test_north_korea_is_prohibited_whatever_the_goods(jp: Regime, eul: EndUserList) -> None:
    result = run(jp, eul, date="2020-01-01", destination="KP", lines=[{"item": "hs:0901.11"}], **CIVIL)
    assert result.outcome == "prohibited"
    assert result.destination_group == "D"
    assert result.lines[0].reasons[0].source == "jp.cabinet.2009-kp-ban"


def test_goods_outside_row_16_chapters_need_no_licence(jp: Regime, eul: EndUserList) -> None:
    result = run(jp, eul, date="2024-06-01", destination="IR", wmd_end_use=True, lines=[{"item": "hs:0901.11"}])
    assert result.outcome == "no_licence_required"


def _to_china(jp: Regime, eul: EndUserList, lines: list[dict[str, object]], **fields: object) -> Determination:
    """A 2024 export to China with an end user who is not on the End User List (the list loaded)."""
    facts: dict[str, object] = {**CIVIL, "end_user": UNLISTED, **fields}
    return run(jp, eul, date="2024-06-01", destination="CN", lines=lines, **facts)


class TestSmallValue:
    """Export Trade Control Order art. 4(1)(iv)/(v): rows 5–13 and 15, ¥1,000,000 (¥50,000 for Table 3-3).

    Outside Group A the exception also needs every WMD concern case ruled out, the End User List among them:
    those cases name an end user who is not on the list, and load the list."""

    def test_applies_below_the_threshold(self, jp: Regime, eul: EndUserList) -> None:
        result = _to_china(jp, eul, [{"item": "5(17)", "value_jpy": 1_000_000}])
        assert result.outcome == "no_licence_required"
        assert result.lines[0].exceptions[0].applied

    def test_not_above_the_threshold(self, jp: Regime, eul: EndUserList) -> None:
        result = _to_china(jp, eul, [{"item": "5(17)", "value_jpy": 1_000_001}])
        assert result.outcome == "licence_required"
        assert not result.lines[0].exceptions[0].applied

    def test_values_of_one_sub_item_are_summed(self, jp: Regime, eul: EndUserList) -> None:
        lines = [{"item": "5(17)", "value_jpy": 600_000}, {"item": "1C009.b", "value_jpy": 600_000}]
        assert _to_china(jp, eul, lines).outcome == "licence_required"

    def test_never_for_appended_table_4(self, jp: Regime) -> None:
        result = run(jp, date="2024-06-01", destination="IR", lines=[{"item": "5(17)", "value_jpy": 10_000}], **CIVIL)
        assert result.outcome == "licence_required"
        assert "Appended Table 4" in result.lines[0].exceptions[0].why

    def test_never_for_row_3(self, jp: Regime) -> None:
        result = run(jp, date="2024-06-01", destination="US", lines=[{"item": "3(1)", "value_jpy": 10}], **CIVIL)
        assert result.outcome == "licence_required"

    def test_lost_on_inform_notice_even_in_group_a(self, jp: Regime) -> None:
        """Art. 4(1)(v) since 2025-10-09: for Appended Table 3 destinations "第三号のロ及びニ" (inform notices)."""
        line = {"item": "5(17)", "value_jpy": 10_000}
        assert run(jp, date="2025-10-09", destination="US", lines=[line]).outcome == "no_licence_required"
        informed = run(jp, date="2025-10-09", destination="US", informed=True, lines=[line])
        assert informed.outcome == "licence_required"

    def test_group_a_was_unconditional_before_2025_10_09(self, jp: Regime) -> None:
        """Art. 4(1)(iv) until 2025-10-08 set conditions only "別表第三に掲げる地域以外の地域を仕向地として輸出しようと
        する場合" — for Group A the exception held even after an inform notice."""
        line = {"item": "5(17)", "value_jpy": 10_000}
        informed = run(jp, date="2025-10-08", destination="US", informed=True, lines=[line])
        assert informed.outcome == "no_licence_required"

    def test_unknown_value_is_indeterminate(self, jp: Regime, eul: EndUserList) -> None:
        result = _to_china(jp, eul, [{"item": "5(17)"}])
        assert result.outcome == "indeterminate"
        assert result.missing == ("value_jpy",)

    def test_unknown_end_use_outside_group_a_is_indeterminate(self, jp: Regime, eul: EndUserList) -> None:
        result = _to_china(jp, eul, [{"item": "5(17)", "value_jpy": 10_000}], end_use=None)
        assert result.outcome == "indeterminate"
        assert result.missing == ("wmd_end_use",)

    def test_reduced_threshold_for_row_15(self, jp: Regime, eul: EndUserList) -> None:
        row15 = next(e for e in jp.pack.entries if e.startswith("15("))
        named = {"date": "2024-06-01", "destination": "CN", "end_user": UNLISTED, **CIVIL}
        low = run(jp, eul, lines=[{"item": row15, "value_jpy": 50_000}], **named)
        high = run(jp, eul, lines=[{"item": row15, "value_jpy": 50_001}], **named)
        assert low.outcome == "no_licence_required"
        assert high.outcome == "licence_required"


class TestTechnology:
    """FEFTA art. 25(1): listed technology provided in a foreign state (whoever receives it), or in Japan to a
    non-resident; to a resident of a specified category from 2022-05-01. `destination` JP = provided in Japan."""

    def test_non_resident_in_japan_needs_a_licence(self, jp: Regime) -> None:
        line = {"kind": "technology", "item": "7(19)", "residency": "non-resident", "tech_purpose": "manufacture"}
        result = run(jp, date="2020-01-01", destination="JP", lines=[line])
        assert result.outcome == "licence_required"
        assert any(r.source == "jp.fefta.art25" for r in result.lines[0].reasons)

    def test_resident_in_japan_needs_none(self, jp: Regime) -> None:
        line = {"kind": "technology", "item": "7(19)", "residency": "resident", "tech_purpose": "manufacture"}
        assert run(jp, date="2020-01-01", destination="JP", lines=[line]).outcome == "no_licence_required"

    def test_provided_abroad_needs_a_licence_even_to_a_resident(self, jp: Regime) -> None:
        line = {"kind": "technology", "item": "7(19)", "residency": "resident", "tech_purpose": "manufacture"}
        assert run(jp, date="2020-01-01", destination="DE", lines=[line]).outcome == "licence_required"

    def test_unknown_residency_in_japan_is_indeterminate(self, jp: Regime) -> None:
        line = {"kind": "technology", "item": "7(19)", "tech_purpose": "manufacture"}
        result = run(jp, date="2020-01-01", destination="JP", lines=[line])
        assert result.outcome == "indeterminate"
        assert result.missing == ("residency",)

    def test_residency_is_not_asked_for_a_foreign_destination(self, jp: Regime) -> None:
        line = {"kind": "technology", "item": "7(19)", "tech_purpose": "manufacture"}
        result = run(jp, date="2020-01-01", destination="KR", lines=[line])
        assert result.outcome == "licence_required"
        assert "residency" not in result.missing

    def test_no_small_value_exception_for_technology(self, jp: Regime) -> None:
        line = {"kind": "technology", "item": "5(17)", "tech_purpose": "manufacture", "value_jpy": 1}
        assert run(jp, date="2020-01-01", destination="US", lines=[line], **CIVIL).outcome == "licence_required"

    def test_korea_measure_covers_related_technology(self, jp: Regime) -> None:
        line = {"kind": "technology", "item": "7(19)", "tech_purpose": "manufacture"}
        assert run(jp, date="2020-01-01", destination="KR", lines=[line]).eligible_licences == (
            "individual",
            "specific-bulk",
        )


def test_indeterminate_line_outranks_licence_required(jp: Regime) -> None:
    lines = [{"item": "3(1)", "value_jpy": 5_000_000}, {"spec": {"product": "hydrogen-fluoride"}}]
    result = run(jp, date="2024-06-01", destination="US", lines=lines, **CIVIL)
    assert result.outcome == "indeterminate"
    assert result.licence_required
    assert "params.hf_concentration_wt_pct" in result.missing


def test_eligible_licences_are_common_to_all_lines(jp: Regime) -> None:
    lines = [
        {"item": "7(19)", "value_jpy": 5_000_000},
        {"item": "5(17)#fluorinated-phosphazene-elastomer", "value_jpy": 5_000_000},
    ]
    result = run(jp, date="2019-12-20", destination="KR", lines=lines, **CIVIL)
    assert result.eligible_licences == ("individual", "specific-bulk")


def test_entry_without_clause_gets_the_measure_conservatively(jp: Regime) -> None:
    """3(1) covers many precursors; the 2019 measure targets hydrogen fluoride. Unsaid → assume it applies."""
    result = run(jp, date="2019-09-01", destination="KR", lines=[{"item": "3(1)", "value_jpy": 5_000_000}], **CIVIL)
    assert result.eligible_licences == ("individual",)
    assert any("without saying which item" in r.text for r in result.lines[0].reasons)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"destination": "XX"}, "ISO 3166-1"),
        ({"lines": []}, "at least 1"),
        ({"lines": [{"item": "5(17)", "spec": {"product": "x"}}]}, "exactly one"),
        ({"lines": [{"item": "5(17)", "value_jpy": -1}]}, "greater than or equal"),
    ],
)
def test_invalid_transactions_name_the_field(jp: Regime, fields: dict[str, object], message: str) -> None:
    base: dict[str, object] = {"date": "2024-06-01", "destination": "US", "lines": [{"item": "5(17)"}]}
    with pytest.raises(ValidationError, match=message):
        run(jp, **{**base, **fields})


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"destination": "JP"}, "destination", "outside Japan"),  # goods provided in Japan are no export (FEFTA 48)
        ({"origin": "DE"}, "origin", "not in the territory of Japan"),
    ],
)
def test_an_export_leaves_the_territory(jp: Regime, fields: dict[str, object], field: str, message: str) -> None:
    base: dict[str, object] = {"date": "2024-06-01", "destination": "US", "lines": [{"item": "5(17)"}]}
    with pytest.raises(InvalidTransaction, match=message) as caught:
        run(jp, **{**base, **fields})
    assert caught.value.field == field


def test_unknown_item_names_the_line(jp: Regime) -> None:
    with pytest.raises(InvalidTransaction) as caught:
        run(jp, date="2024-06-01", destination="US", lines=[{"item": "5(17)"}, {"item": "9Z999"}])
    assert caught.value.field == "lines[1].item"
