"""Classification by specification under the US pack, fourth share of Category 3: the "600 series" military electronics
(3A611, 3B611.x) and the laboratory equipment of 3A069, written from the Commerce Control List of the eCFR of
2026-07-23 (../shared/data/us) alone (no EU counterpart). Each condition is quoted from the paragraph text first (a
changed source fails here rather than passing on stale text); then a specification meeting it is listed by the engine
with the paragraph as control number, and one with the threshold just missed or the condition stated false is not
listed. The "600 series" and USML conditions are booleans the user states: left out, they are never assumed.
"""

from __future__ import annotations

from typing import Any

import pytest

from exportctl.core_types import LineDetermination, Outcome
from exportctl.regime import Regime
from tests.support.ccl import ECCNS, eccns, found, quoted
from tests.support.ccl import spec_line as decide


def assert_listed(line: LineDetermination, eccn: str, clause: str, number: str) -> None:
    assert found(line) == {(eccn, clause, (number,))}
    assert line.outcome is Outcome.LICENCE_REQUIRED  # the reasons for control of these ECCNs cover China


def assert_not_listed(line: LineDetermination, eccn: str) -> None:
    assert eccn not in eccns(line)
    assert line.outcome is not Outcome.LICENCE_REQUIRED


# --- 3A069 flow cytometers, cell sorters, LC/MS instruments -----------------------------------------------------------

NOT_FDA = {"fda_authorized_or_listed_device": False}


def test_3a069_exclusion_is_quoted() -> None:
    quoted(
        "3A069",
        None,
        "Excluded from the scope of this entry are flow cytometers and mass spectrometers that are devices",
        "authorized for marketing by the Food and Drug Administration",
        "exempt from the requirement of premarket notification",
        "included in a list required by section 510(j)",
    )


@pytest.mark.parametrize("product", ["flow-cytometer", "cell-sorter"])
def test_3a069_a_spectral_analysis(us: Regime, product: str) -> None:
    quoted("3A069", "a", "Flow cytometers and cell sorters that are “specially designed” for spectral analysis")
    # Fewer than 26 detectors or channels: the other clause of 3A069.a is ruled out.
    spectral = {"specially_designed_for_spectral_analysis": True, "detector_or_channel_count": 8} | NOT_FDA
    assert_listed(decide(us, product, **spectral), "3A069", "a-spectral", "3A069.a")
    assert_not_listed(decide(us, product, **spectral | {"specially_designed_for_spectral_analysis": False}), "3A069")
    assert_not_listed(decide(us, product, **spectral | {"fda_authorized_or_listed_device": True}), "3A069")


@pytest.mark.parametrize("product", ["flow-cytometer", "cell-sorter"])
def test_3a069_a_detectors_or_channels(us: Regime, product: str) -> None:
    quoted("3A069", "a", "contain 26 or greater detectors or channels")
    counted = {"specially_designed_for_spectral_analysis": False, "detector_or_channel_count": 26} | NOT_FDA
    assert_listed(decide(us, product, **counted), "3A069", "a-detectors", "3A069.a")
    assert_not_listed(decide(us, product, **counted | {"detector_or_channel_count": 25}), "3A069")
    assert_not_listed(decide(us, product, **counted | {"fda_authorized_or_listed_device": True}), "3A069")


def test_3a069_a_undecided_without_the_fda_status(us: Regime) -> None:
    line = decide(us, "flow-cytometer", specially_designed_for_spectral_analysis=True, detector_or_channel_count=30)
    assert found(line) == set()
    assert line.outcome is Outcome.INDETERMINATE


def test_3a069_b_lc_ms_for_top_down_proteomics(us: Regime) -> None:
    quoted(
        "3A069",
        "b",
        "Liquid chromatography mass spectrometry instruments (LC/MS and LC-MS/MS)",
        "“specially designed” for top-down proteomic analysis",
    )
    quoted("3A999", "b", "Mass spectrometers n.e.s")
    quoted("3A999", "f", "Chromatography and spectrometry analytical instruments, n.e.s.")
    lc_ms = {"specially_designed_for_top_down_proteomics": True} | NOT_FDA
    # Met by 3A999.b and f too (no criteria: n.e.s., no licence for China): 3A069 is the one that needs the licence.
    nes = {("3A999", "b", ("3A999.b",)), ("3A999", "f", ("3A999.f",))}
    line = decide(us, "lc-ms-instrument", **lc_ms)
    assert found(line) == {("3A069", "b", ("3A069.b",)), *nes}
    assert line.outcome is Outcome.LICENCE_REQUIRED
    for outside in ({"specially_designed_for_top_down_proteomics": False}, {"fda_authorized_or_listed_device": True}):
        line = decide(us, "lc-ms-instrument", **lc_ms | outside)
        assert found(line) == nes
        assert line.outcome is Outcome.NO_LICENCE_REQUIRED


# --- 3A611.a military electronic equipment ----------------------------------------------------------------------------

MILITARY = {"specially_designed_for_military_application": True, "not_in_usml_or_other_600_series": True}


def test_3a611_a_military_equipment(us: Regime) -> None:
    quoted(
        "3A611",
        "a",
        "Electronic “equipment,” “end items,” and “systems” “specially designed” for a military application",
        "not enumerated or otherwise described in either a USML category or another “600 series” ECCN",
    )
    assert_listed(decide(us, "military-electronic-equipment", **MILITARY), "3A611", "a", "3A611.a")
    # NS1 applies to 3A611.a: a licence to Germany too.
    assert decide(us, "military-electronic-equipment", "DE", **MILITARY).outcome is Outcome.LICENCE_REQUIRED
    for outside in (
        {"specially_designed_for_military_application": False},
        {"not_in_usml_or_other_600_series": False},
    ):
        assert_not_listed(decide(us, "military-electronic-equipment", **MILITARY | outside), "3A611")


def test_3a611_a_usml_condition_is_never_assumed(us: Regime) -> None:
    line = decide(us, "military-electronic-equipment", specially_designed_for_military_application=True)
    assert found(line) == set()
    assert line.outcome is Outcome.INDETERMINATE


# --- 3A611.e HF surface wave radar ------------------------------------------------------------------------------------

RADAR = {
    "tracks_maritime_surface_or_low_altitude_air_objects": True,
    "specially_designed_for_marine_traffic_control": False,
}


def test_3a611_e_hf_surface_wave_radar(us: Regime) -> None:
    quoted(
        "3A611",
        "e",
        "High frequency (HF) surface wave radar that maintains the positional state of maritime surface or low altitude"
        " airborne objects of interest in a received radar signal through time",
    )
    quoted(
        "3A611",
        None,
        "ECCN 3A611.e does not apply to systems, equipment, and assemblies",
        "“specially designed” for marine traffic control",
    )
    assert_listed(decide(us, "hf-surface-wave-radar", **RADAR), "3A611", "e", "3A611.e")
    for outside in (
        {"specially_designed_for_marine_traffic_control": True},
        {"tracks_maritime_surface_or_low_altitude_air_objects": False},
    ):
        assert_not_listed(decide(us, "hf-surface-wave-radar", **RADAR | outside), "3A611")


# --- 3A611.f, g, h and y.14 to y.16: programmed ICs, boards, modules for 600 series items -----------------------------

# Not elsewhere specified (the .y heading's condition) stated true throughout, so that only the .y item decides.
NOT_ELSEWHERE_Y = {"not_in_usml_or_non_y_600_series_paragraph": True}


@pytest.mark.parametrize("product", ["military-application-specific-ic", "military-programmable-logic-device"])
def test_3a611_f_and_y_14_programmed_asic_pld(us: Regime, product: str) -> None:
    quoted(
        "3A611",
        "f",
        "Application specific integrated circuits (ASICs) and programmable logic devices (PLD)",
        "not controlled by paragraph .y of this entry and that are programmed for “600 series” items",
    )
    quoted("3A611", "y.14", "programmed for commodities controlled in the .y paragraph of any “600 series” ECCN")
    programmed = {"programmed_for_600_series_item": True, "for_600_series_y_item": False} | NOT_ELSEWHERE_Y
    assert_listed(decide(us, product, **programmed), "3A611", "f", "3A611.f")
    for_y = programmed | {"for_600_series_y_item": True}
    assert_listed(decide(us, product, **for_y), "3A611", "y-14", "3A611.y.14")
    assert decide(us, product, "DE", **for_y).outcome is Outcome.NO_LICENCE_REQUIRED  # .y: RS to CN, RU, VE only
    assert_not_listed(decide(us, product, **programmed | {"programmed_for_600_series_item": False}), "3A611")
    assert_not_listed(decide(us, product, **for_y | {"not_in_usml_or_non_y_600_series_paragraph": False}), "3A611")


@pytest.mark.parametrize("product", ["military-printed-circuit-board", "military-circuit-card-assembly"])
def test_3a611_g_and_y_15_boards(us: Regime, product: str) -> None:
    quoted(
        "3A611",
        "g",
        "Printed circuit boards and populated circuit card assemblies that are not controlled by paragraph .y",
        "the layout is “specially designed” for “600 series” items",
    )
    quoted("3A611", "y.15", "the layout is “specially designed” for an item controlled by the .y paragraph")
    quoted("3A611", None, "the layout of the board or assembly and the pattern and layout of the module are the only")
    layout = {"layout_specially_designed_for_600_series_item": True, "for_600_series_y_item": False} | NOT_ELSEWHERE_Y
    assert_listed(decide(us, product, **layout), "3A611", "g", "3A611.g")
    assert_listed(decide(us, product, **layout | {"for_600_series_y_item": True}), "3A611", "y-15", "3A611.y.15")
    assert_not_listed(decide(us, product, **layout | {"layout_specially_designed_for_600_series_item": False}), "3A611")


def test_3a611_h_and_y_16_multichip_modules(us: Regime) -> None:
    quoted(
        "3A611",
        "h",
        "Multichip modules that are not controlled by paragraph .y",
        "the pattern or layout is “specially designed” for “600 series” items",
    )
    quoted("3A611", "y.16", "Multichip modules for which the pattern or layout is “specially designed” for an item in")
    module = {"layout_specially_designed_for_600_series_item": True, "for_600_series_y_item": False} | NOT_ELSEWHERE_Y
    assert_listed(decide(us, "military-multichip-module", **module), "3A611", "h", "3A611.h")
    for_y = module | {"for_600_series_y_item": True}
    assert_listed(decide(us, "military-multichip-module", **for_y), "3A611", "y-16", "3A611.y.16")
    unlaid = module | {"layout_specially_designed_for_600_series_item": False}
    assert_not_listed(decide(us, "military-multichip-module", **unlaid), "3A611")


# --- 3A611.x and y: parts, components, accessories and attachments ----------------------------------------------------

# A part of no kind .y lists and not for a .y item: the .y clauses are ruled out.
PART: dict[str, Any] = {
    "specially_designed_for_3a611_commodity_or_usml_xi_article": True,
    "not_in_usml_or_non_x_600_series_paragraph": True,
    "military_component_type": "other",
    "specially_designed_for_3a611_y_item": False,
}


def test_3a611_x_parts(us: Regime) -> None:
    quoted(
        "3A611",
        "x",
        "“specially designed” for a commodity controlled by this entry",
        "or for an article controlled by USML Category XI",
        "not enumerated or described in any USML category or in any paragraph other than the .x paragraph of another"
        " 600 series ECCN or in paragraph .y of this entry",
    )
    assert_listed(decide(us, "military-electronic-component", **PART), "3A611", "x", "3A611.x")
    assert decide(us, "military-electronic-component", "DE", **PART).outcome is Outcome.LICENCE_REQUIRED  # NS1
    for outside in (
        {"specially_designed_for_3a611_commodity_or_usml_xi_article": False},
        {"not_in_usml_or_non_x_600_series_paragraph": False},
    ):
        assert_not_listed(decide(us, "military-electronic-component", **PART | outside), "3A611")


Y_KINDS = [
    ("y.1", "electrical-connector", "Electrical connectors"),
    ("y.2", "electric-fan", "Electric fans"),
    ("y.3", "heat-sink", "Heat sinks"),
    ("y.4", "joystick", "Joysticks"),
    ("y.5", "mica-paper-capacitor", "Mica paper capacitors"),
    ("y.6", "microphone", "Microphones"),
    ("y.7", "potentiometer", "Potentiometers"),
    ("y.8", "rheostat", "Rheostats"),
    ("y.9", "connector-backshell", "Electric connector backshells"),
    ("y.10", "solenoid", "Solenoids"),
    ("y.11", "speaker", "Speakers"),
    ("y.12", "trackball", "Trackballs"),
    ("y.13", "electric-transformer", "Electric transformers"),
    ("y.17", "circuit-breaker", "Circuit breakers"),
    ("y.18", "ground-fault-circuit-interrupter", "Ground fault circuit interrupters"),
    ("y.19", "electrical-contact", "Electrical contacts"),
    ("y.20", "electrical-guide-pin", "Electrical guide pins"),
    ("y.21", "mechanical-switch", "Filtered and unfiltered mechanical switches"),
    ("y.22", "thumbwheel", "Thumbwheels"),
    ("y.23", "fixed-resistor", "Fixed resistors"),
    ("y.24", "electrical-jumper", "Electrical jumpers"),
    ("y.25", "grounding-strap", "Grounding straps"),
    ("y.26", "indicator-dial", "Indicator dials"),
    ("y.27", "contactor", "Contactors"),
    ("y.28", "touchpad", "Touchpads"),
    ("y.29", "mechanical-cap", "Mechanical caps"),
    ("y.30", "mechanical-plug", "Mechanical plugs"),
    ("y.31", "finger-barrier", "Finger barriers"),
    ("y.32", "flip-guard", "Flip-guards"),
    ("y.33", "identification-plate", "Identification plates and nameplates"),
    ("y.34", "knob", "Knobs"),
    ("y.35", "gauge", "Hydraulic, pneumatic, fuel and lubrication gauges"),
]


@pytest.mark.parametrize(("number", "kind", "phrase"), Y_KINDS)
def test_3a611_y_specific_parts(us: Regime, number: str, kind: str, phrase: str) -> None:
    quoted(
        "3A611",
        "y",
        "“specially designed” for a commodity subject to control in a “600 series” ECCN or a defense article",
        "not elsewhere specified in any paragraph other than the .y paragraph of a “600 series” ECCN or the USML",
    )
    quoted("3A611", number, phrase)
    # Of a kind .y lists: not of 3A611.x (which excludes .y), whatever its x conditions say.
    part = PART | {"military_component_type": kind, "specially_designed_for_600_series_or_defense_article": True}
    part |= NOT_ELSEWHERE_Y
    clause = number.replace(".", "-")
    assert_listed(decide(us, "military-electronic-component", **part), "3A611", clause, f"3A611.{number}")
    # RS applies to 3A611.y for China, Russia or Venezuela only; NS and UN not to .y.
    assert decide(us, "military-electronic-component", "RU", **part).outcome is Outcome.LICENCE_REQUIRED
    assert decide(us, "military-electronic-component", "DE", **part).outcome is Outcome.NO_LICENCE_REQUIRED
    for outside in (
        {"specially_designed_for_600_series_or_defense_article": False},
        {"not_in_usml_or_non_y_600_series_paragraph": False},
    ):
        assert_not_listed(decide(us, "military-electronic-component", **part | outside), "3A611")


def test_y_kinds_are_every_live_y_paragraph_but_14_to_16() -> None:
    numbered = [item["paragraph"] for item in ECCNS["3A611"]["items"] if str(item["paragraph"]).startswith("y.")]
    assert [number for number, _, _ in Y_KINDS] == [n for n in numbered if n not in ("y.14", "y.15", "y.16")]


def test_3a611_y_parts_therefor(us: Regime) -> None:
    quoted(
        "3A611",
        "y",
        "and “parts,” “components,” “accessories,” and “attachments” “specially designed” therefor",
    )
    therefor = PART | {"specially_designed_for_3a611_y_item": True}
    assert_listed(decide(us, "military-electronic-component", **therefor), "3A611", "y-therefor", "3A611.y")
    assert decide(us, "military-electronic-component", "DE", **therefor).outcome is Outcome.NO_LICENCE_REQUIRED


# --- 3B611.x ----------------------------------------------------------------------------------------------------------


def test_3b611_x_parts(us: Regime) -> None:
    quoted(
        "3B611",
        "x",
        "“specially designed” for a commodity listed in this entry",
        "not enumerated on the USML or controlled by another “600 series” ECCN",
    )
    product = "military-electronics-production-equipment-component"
    part = {"specially_designed_for_3b611_commodity": True, "not_in_usml_or_other_600_series": True}
    assert_listed(decide(us, product, **part), "3B611", "x", "3B611.x")
    for outside in ({"specially_designed_for_3b611_commodity": False}, {"not_in_usml_or_other_600_series": False}):
        assert_not_listed(decide(us, product, **part | outside), "3B611")
