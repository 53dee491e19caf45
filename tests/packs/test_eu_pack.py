"""The EU pack (Regulation (EU) 2021/821), checked against the Regulation's text (Annex II as consolidated on
2025-11-15, Articles 3, 4, 11 and 12): each expected value below is quoted or derived from the text, not from the
engine's output."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from exportctl.core_types import Determination, Outcome, Transaction
from exportctl.determine.engine import InvalidTransaction, determine
from exportctl.regime import Regime
from exportctl.screening.screener import Screener
from exportctl.screening.sources import registry
from tests.conftest import LISTS_DIR

CIVIL: dict[str, Any] = {"end_use": "civil telecommunications network", "informed": False}
DAY = "2026-01-15"  # within the verified period of the list (from 2025-11-15)


def check(eu: Regime, **fields: Any) -> Determination:
    transaction = Transaction.model_validate({"regime": "eu", "date": DAY, "origin": "DE", **CIVIL, **fields})
    return determine(eu.at(transaction.date), transaction)


def item(code: str) -> list[dict[str, Any]]:
    return [{"item": code}]


# --- Annex I: listed items need an authorisation for any third country (Art. 3(1)) -------------------------------


def test_a_listed_item_needs_an_authorisation_to_a_third_country(eu: Regime) -> None:
    result = check(eu, destination="CN", lines=item("3A001.a.1"))
    assert result.outcome is Outcome.LICENCE_REQUIRED
    line = result.lines[0]
    assert [m.entry for m in line.entries] == ["3A001"]
    assert {"individual", "global"} <= set(line.eligible_licences)
    # China is no destination of EU001 (Section A) or EU002 (Section B); it is one of EU003 (repair) and EU004
    # (exhibitions), each usable only on its conditions (Section C, D: Part 1 and Part 3).
    assert not {"EU001", "EU002"} & set(line.eligible_licences)
    assert {"EU003", "EU004"} <= set(line.eligible_licences)
    assert "repair" in line.licence_conditions["EU003"]


def test_eu001_covers_the_ten_destinations_of_section_a(eu: Regime) -> None:
    # "Australia, Canada, Iceland, Japan, New Zealand, Norway, Switzerland, including Liechtenstein, United Kingdom
    # … United States of America" (Annex II Section A, Part 2).
    for destination in ["AU", "CA", "IS", "JP", "NZ", "NO", "CH", "LI", "GB", "US"]:
        line = check(eu, destination=destination, lines=item("3A001.a.1")).lines[0]
        assert "EU001" in line.eligible_licences, destination
    for destination in ["KR", "SG", "IN", "BR"]:
        assert "EU001" not in check(eu, destination=destination, lines=item("3A001.a.1")).lines[0].eligible_licences


@pytest.mark.parametrize("fact", ["informed", "wmd_end_use"])
def test_eu001_is_unusable_when_informed_or_aware_of_a_wmd_end_use(eu: Regime, fact: str) -> None:
    # Part 3(1): the authorisation may not be used if the exporter has been informed … or is aware … (WMD).
    line = check(eu, destination="US", lines=item("3A001.a.1"), **{fact: True}).lines[0]
    assert line.outcome is Outcome.LICENCE_REQUIRED
    assert "EU001" not in line.eligible_licences
    assert "individual" in line.eligible_licences


def test_an_unknown_end_use_is_a_condition_of_eu001_not_an_assumption(eu: Regime) -> None:
    transaction = Transaction.model_validate(
        {"regime": "eu", "date": DAY, "origin": "DE", "destination": "US", "lines": item("3A001.a.1")}
    )
    line = determine(eu.at(transaction.date), transaction).lines[0]
    assert "EU001" in line.eligible_licences
    assert "WMD" in line.licence_conditions["EU001"]


def test_eu002_covers_only_the_listed_sub_paragraphs(eu: Regime) -> None:
    # Section B, Part 1 lists 3A001.a.3 (not 3A001.a.1); Part 2: Argentina, South Korea, South Africa, Turkey.
    assert "EU002" in check(eu, destination="KR", lines=item("3A001.a.3")).lines[0].eligible_licences
    assert "EU002" not in check(eu, destination="KR", lines=item("3A001.a.1")).lines[0].eligible_licences
    assert "EU002" not in check(eu, destination="CN", lines=item("3A001.a.3")).lines[0].eligible_licences
    # Given only as 3A001, the item may or may not be 3A001.a.3: EU002 is listed with that condition.
    whole = check(eu, destination="KR", lines=item("3A001")).lines[0]
    assert "EU002" in whole.eligible_licences
    assert "3A001.a.3" in whole.licence_conditions["EU002"]


def test_a_paragraph_not_used_is_no_item(eu: Regime) -> None:
    # 3A001.a.4 reads "Not used" in the consolidated Annex I: it must not fall back to 3A001.
    with pytest.raises(InvalidTransaction, match="not one of the sub-paragraphs of 3A001") as caught:
        check(eu, destination="CN", lines=item("3A001.a.4"))
    assert caught.value.field == "lines[0].item"


# --- intra-Union transfers (Art. 11) -----------------------------------------------------------------------------


def test_a_transfer_within_the_union_needs_the_member_state_of_export(eu: Regime) -> None:
    transaction = Transaction.model_validate(
        {"regime": "eu", "date": DAY, "destination": "FR", "lines": item("3A001.a.1")}
    )
    result = determine(eu.at(transaction.date), transaction)
    assert result.outcome is Outcome.INDETERMINATE
    assert "origin" in result.missing


@pytest.mark.parametrize(
    ("code", "outcome"),
    [
        ("3A001.a.1", Outcome.NO_LICENCE_REQUIRED),  # not in Annex IV: moves freely (Art. 11(1))
        ("1C001", Outcome.LICENCE_REQUIRED),  # Part I, items of stealth technology
        ("6A001.a.2.b", Outcome.LICENCE_REQUIRED),  # Part I, Community strategic control (acoustics)
        ("6A001", Outcome.INDETERMINATE),  # Annex IV lists only some sub-paragraphs of 6A001: which one?
        ("0B001", Outcome.LICENCE_REQUIRED),  # Part II: "All Category 0 … is included in Annex IV"
        ("0C001", Outcome.NO_LICENCE_REQUIRED),  # "0C001: this item is not included in Annex IV"
        ("0C002", Outcome.INDETERMINATE),  # included only for separated plutonium and uranium enriched > 20 %
    ],
)
def test_intra_union_transfers_follow_annex_iv(eu: Regime, code: str, outcome: Outcome) -> None:
    result = check(eu, destination="FR", lines=item(code))
    assert result.outcome is outcome, result.lines[0].exceptions
    if outcome is Outcome.LICENCE_REQUIRED:
        assert {"individual", "global"} <= set(result.lines[0].eligible_licences)
        assert not any(licence.startswith("EU00") for licence in result.lines[0].eligible_licences)
    if outcome is Outcome.INDETERMINATE:
        assert "annex_iv" in result.missing


def test_annex_iv_technology_moves_only_with_an_authorisation(eu: Regime) -> None:
    # 7E001 (MTCR technology for 7A117 guidance sets) is in Annex IV Part I; a transfer to Italy needs one.
    lines = [{"kind": "technology", "item": "7E001"}]
    assert check(eu, destination="IT", lines=lines).outcome is Outcome.LICENCE_REQUIRED


def test_goods_staying_in_the_member_state_are_no_export(eu: Regime) -> None:
    assert check(eu, destination="DE", lines=item("3A001.a.1")).outcome is Outcome.NO_LICENCE_REQUIRED


def test_an_origin_outside_the_union_is_refused(eu: Regime) -> None:
    with pytest.raises(InvalidTransaction) as caught:
        check(eu, origin="JP", destination="US", lines=item("3A001.a.1"))
    assert caught.value.field == "origin"


# --- the catch-all (Art. 4) -----------------------------------------------------------------------------------------


def test_an_unlisted_item_without_concerns_needs_no_authorisation(eu: Regime) -> None:
    result = check(eu, destination="CN", lines=item("hs:8471.30"), wmd_end_use=False, conventional_end_use=False)
    assert result.outcome is Outcome.NO_LICENCE_REQUIRED


def test_an_unknown_end_use_leaves_an_unlisted_item_undecided(eu: Regime) -> None:
    transaction = Transaction.model_validate(
        {"regime": "eu", "date": DAY, "origin": "DE", "destination": "CN", "lines": item("hs:8471.30")}
    )
    assert determine(eu.at(transaction.date), transaction).outcome is Outcome.INDETERMINATE


def test_art4_grounds(eu: Regime) -> None:
    unlisted = item("hs:8471.30")
    # (1): informed by the competent authority.
    assert check(eu, destination="CN", lines=unlisted, informed=True).outcome is Outcome.LICENCE_REQUIRED
    # (1)(a)/(2): a WMD end use the exporter knows of.
    assert check(eu, destination="IN", lines=unlisted, wmd_end_use=True).outcome is Outcome.LICENCE_REQUIRED
    # (1)(b): a military end use counts only in a destination under an arms embargo (Myanmar: yes; Brazil: no).
    military = {"wmd_end_use": False, "conventional_end_use": True}
    assert check(eu, destination="MM", lines=unlisted, **military).outcome is Outcome.LICENCE_REQUIRED
    assert check(eu, destination="BR", lines=unlisted, **military).outcome is Outcome.NO_LICENCE_REQUIRED


def test_art5_an_end_use_in_repression_known_to_the_exporter(eu: Regime) -> None:
    # Art. 5(2): an exporter aware that (cyber-surveillance) items are intended for internal repression or serious
    # violations of human rights must notify the authority, which decides on an authorisation: not cleared.
    unlisted = item("hs:8517.62")
    aware = check(eu, destination="AE", lines=unlisted, repression_end_use=True, wmd_end_use=False)
    assert aware.outcome is Outcome.LICENCE_REQUIRED
    assert any("Art. 5(2)" in r.text for r in aware.lines[0].reasons)
    # Not declared at all: unknown is not "no".
    unknown = Transaction.model_validate(
        {"regime": "eu", "date": DAY, "origin": "DE", "destination": "AE", "lines": unlisted,
         "wmd_end_use": False, "conventional_end_use": False, "informed": False}
    )  # fmt: skip
    result = determine(eu.at(unknown.date), unknown)
    assert result.outcome is Outcome.INDETERMINATE and "repression_end_use" in result.missing
    # Within the Union, Art. 5 (an export control) does not apply.
    inside = check(eu, destination="FR", lines=unlisted, repression_end_use=True)
    assert inside.outcome is Outcome.NO_LICENCE_REQUIRED


# --- sanctions that prohibit whatever the authorisation ----------------------------------------------------------


def test_russia_is_prohibited_from_the_2022_ban(eu: Regime) -> None:
    assert check(eu, destination="RU", lines=item("3A001.a.1")).outcome is Outcome.PROHIBITED
    before = check(eu, date="2022-01-10", destination="RU", lines=item("3A001.a.1"))
    assert before.outcome is not Outcome.PROHIBITED


def test_a_party_is_cleared_only_against_the_union_sanctions_list(eu: Regime) -> None:
    # The Union's asset freezes (Reg. 269/2014 Art. 2 and the other restrictive-measures regulations) forbid making
    # economic resources available to a listed person: without the EU list loaded nobody is cleared, and a hit on
    # it prohibits the transaction whatever the item.
    un = registry.read_list("un", registry.default_files(LISTS_DIR)["un"])
    fsf = registry.read_list("eu-fsf", Path(__file__).parents[1] / "data" / "eu-fsf" / "20251115-FULL-1_1(xsd).xml")
    party = {"destination": "CN", "lines": item("hs:8471.30"), "end_user": "Shanghai Example Trading Co."}
    transaction = Transaction.model_validate({"regime": "eu", "date": DAY, "origin": "DE", **CIVIL, **party})
    without = determine(eu.at(transaction.date), transaction, Screener([un]))
    assert without.outcome is not Outcome.NO_LICENCE_REQUIRED
    assert any(r.rule == "screening:unscreened:eu-fsf" for r in without.reasons)
    cleared = determine(eu.at(transaction.date), transaction, Screener([un, fsf]))
    assert cleared.outcome is Outcome.NO_LICENCE_REQUIRED
    listed = transaction.model_copy(update={"end_user": "Joint Stock Company Example Radio Plant"})
    unsure = determine(eu.at(listed.date), listed, Screener([un, fsf]))
    assert unsure.outcome is Outcome.INDETERMINATE and "screening_review" in unsure.missing  # no country: review
    listed = listed.model_copy(update={"end_user_country": "RU"})
    hit = determine(eu.at(listed.date), listed, Screener([un, fsf]))
    assert hit.outcome is Outcome.PROHIBITED
    assert any(r.rule == "screening:eu-fsf" and "eu-fsf:900001" in r.text for r in hit.lines[0].reasons)


# --- dates ------------------------------------------------------------------------------------------------------------


def test_a_date_before_the_verified_list_says_so(eu: Regime) -> None:
    # The list content is the consolidated text of 2025-11-15; on an earlier date the answer applies it and says so.
    result = check(eu, date="2024-03-01", destination="US", lines=item("3A001.a.3"))
    assert any(r.rule == "list-unverified-for-date" for r in result.reasons)
    assert not any(
        r.rule == "list-unverified-for-date" for r in check(eu, destination="US", lines=item("3A001.a.3")).reasons
    )


def test_a_500_series_entry_exists_from_delegated_regulation_2025_2003(eu: Regime) -> None:
    # 3B501 (semiconductor manufacturing equipment) entered Annex I on 2025-11-15 (Delegated Regulation (EU)
    # 2025/2003, in force the day after its publication of 14 November 2025).
    assert check(eu, date="2025-11-15", destination="CN", lines=item("3B501")).outcome is Outcome.LICENCE_REQUIRED
    before = check(eu, date="2025-11-14", destination="CN", lines=item("3B501"))
    assert before.outcome is Outcome.INDETERMINATE
    assert "not in force on this date" in before.lines[0].reasons[-1].text


def test_section_i_excludes_its_items_from_the_union_authorisations(eu: Regime) -> None:
    # Annex II Section I lists 9A009.a (hybrid rocket motors for missiles): no UGEA covers it, even to the US.
    named = check(eu, destination="US", lines=item("9A009.a")).lines[0]
    assert named.outcome is Outcome.LICENCE_REQUIRED and "EU001" not in named.eligible_licences
    # Given only as 9A009, the item may be 9A009.a: EU001 is listed on the condition that it is not.
    whole = check(eu, destination="US", lines=item("9A009")).lines[0]
    assert "EU001" in whole.eligible_licences
    assert "not for items of 9A009.a" in whole.licence_conditions["EU001"]
    # Section I starts with every Annex IV item: 1C001 (stealth technology) gets no UGEA either.
    assert "EU001" not in check(eu, destination="US", lines=item("1C001")).lines[0].eligible_licences


def test_failing_the_encoded_clauses_never_makes_a_product_not_listed(eu: Regime) -> None:
    # A carbon fibre of specific modulus 13 × 10^6 m fails 1C010.b ("exceeding 14,65 × 10^6 m"), and, not being in
    # a continuous form, 1C210.a; but entries without criteria (1C001, 1C101 …) may still list a carbon fibre: the
    # answer is undetermined, never "not listed in Annex I" — and the export is not cleared.
    fibre = {
        "carbon_fibre_excluded_type": False,
        "fibre_specific_modulus_m": 13e6,
        "fibre_specific_strength_m": 240_000,
        "fibre_continuous_form": False,
    }
    line = {"spec": {"product": "carbon-fibre", "params": fibre, "hs": "6815.10"}}
    result = check(eu, destination="CN", lines=[line])
    assert result.outcome is Outcome.INDETERMINATE
    assert "are not (completely) encoded" in " ".join(r.text for r in result.lines[0].reasons)


# --- national measures (Art. 9) -----------------------------------------------------------------------------------


def test_a_national_list_binds_exports_from_its_member_state_only(eu: Regime) -> None:
    # Spain's Annex III.5 (Orden ECM/536/2026, in force 2026-06-05) lists quantum computers as 4A901: an export
    # from Spain needs an individual authorisation under Art. 9(1); no Union general authorisation covers it.
    civil = {"wmd_end_use": False, "conventional_end_use": False, "date": "2026-07-01"}
    from_spain = check(eu, origin="ES", destination="CN", lines=item("ES:4A901"), **civil)
    assert from_spain.outcome is Outcome.LICENCE_REQUIRED
    assert from_spain.lines[0].eligible_licences == ("individual",)
    assert any("Art. 9(1)" in r.text for r in from_spain.lines[0].reasons)
    # From Germany the Spanish list does not apply: the item is not in Annex I, so the catch-all decides.
    from_germany = check(eu, origin="DE", destination="CN", lines=item("ES:4A901"), **civil)
    assert from_germany.outcome is Outcome.NO_LICENCE_REQUIRED
    assert [m.entry for m in from_germany.lines[0].entries] == ["X"]
    # Without the member state of export it cannot be decided.
    unknown = Transaction.model_validate(
        {"regime": "eu", "date": "2026-07-01", "destination": "CN", "lines": item("ES:4A901"), **CIVIL}
    )
    assert "origin" in determine(eu.at(unknown.date), unknown).missing
    # Before the order took effect, the entry (as encoded) is not in force: never cleared.
    before = check(eu, origin="ES", destination="CN", lines=item("ES:4A901"), **{**civil, "date": "2026-06-04"})
    assert before.outcome is Outcome.INDETERMINATE


def test_a_specification_meeting_an_excluded_sub_paragraph_gets_no_union_authorisation(eu: Regime) -> None:
    # EU003 (export after repair, Section C) excludes 5A002.c (Part 1(2)); China is one of its destinations. A
    # quantum key distribution system classified by its specification is 5A002.c, so EU003 is not offered at all
    # (not merely "on condition that it is not 5A002.c"); given only as 5A002 it is offered on that condition.
    qkd = {"spec": {"product": "quantum-key-distribution-system", "params": {"mass_market_crypto": False}}}
    by_spec = check(eu, destination="CN", lines=[qkd]).lines[0]
    assert [m.control_numbers for m in by_spec.entries] == [("5A002.c",)]
    assert "EU003" not in by_spec.eligible_licences
    whole = check(eu, destination="CN", lines=item("5A002")).lines[0]
    assert "EU003" in whole.eligible_licences and "5A002.c" in whole.licence_conditions["EU003"]
