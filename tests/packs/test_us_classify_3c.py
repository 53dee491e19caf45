"""Classification by specification under the US pack, third share of Category 3: 3B993, 3B994, 3A980 and 3A981 (no EU
counterpart: written from the CCL text alone, 3B993/3B994 with the Japanese pack's parameters for the same items) and
the 9x9 ECCNs of the quantum and semiconductor controls (3A901, 3A904, 3B903, 3B904, 3C907, 3C908, 3C909), ported
from the EU pack's 3A501.a.15/b.13, 3A504, 3B503, 3B504 and 3C507–3C509 and checked against the Commerce Control List
of the eCFR of 2026-07-23 (../shared/data/us). Each threshold is quoted from the paragraph text first (a changed
source fails here rather than passing on stale text); then a specification just inside it is listed by the engine
with the paragraph as control number and a licence to China, and one just outside it is not listed.
"""

from __future__ import annotations

from typing import Any

import pytest

from exportctl.core_types import LineDetermination, Outcome
from exportctl.regime import Regime
from tests.support.ccl import eccns, found, quoted, quoted_anywhere
from tests.support.ccl import spec_line as decide


def assert_listed(line: LineDetermination, eccn: str, clause: str, number: str) -> None:
    assert found(line) == {(eccn, clause, (number,))}
    assert line.outcome is Outcome.LICENCE_REQUIRED  # the reasons for control of these ECCNs cover China


def assert_listed_in(line: LineDetermination, eccn: str, clause: str, number: str) -> None:
    """As assert_listed for the clauses of `eccn` alone: 3B991 (\"not controlled by 3B001, 3B993, or 3B994\") is met
    too by some equipment of 3B993 and 3B994, its heading's exception not encoded."""
    assert {(e, c, n) for e, c, n in found(line) if e == eccn} == {(eccn, clause, (number,))}
    assert line.outcome is Outcome.LICENCE_REQUIRED


def assert_not_listed(line: LineDetermination, eccn: str) -> None:
    assert eccn not in eccns(line)
    assert line.outcome is not Outcome.LICENCE_REQUIRED


# --- 3A901 cryogenic CMOS ICs and parametric amplifiers ---------------------------------------------------------------


def test_3a901_a_cryogenic_cmos(us: Regime) -> None:
    quoted("3A901", "a", "not specified by 3A001.a.2", "equal to or less (better) than 4.5 K (−268.65 °C)")
    # No 3A001 clause applies: not radiation hardened, not of the kinds of 3A001.a.2 to a.14.
    cmos = {"cmos_technology": True, "total_dose_si_gy": 0, "dose_rate_upset_gy_si_per_s": 0}
    cmos |= {"neutron_fluence_n_per_cm2": 0, "mis_device": True}
    assert_listed(decide(us, "cmos-ic", **cmos, min_operating_temp_c=-268.65), "3A901", "a", "3A901.a")
    assert_not_listed(decide(us, "cmos-ic", **cmos, min_operating_temp_c=-268.6), "3A901")
    assert_not_listed(decide(us, "cmos-ic", **cmos | {"cmos_technology": False}, min_operating_temp_c=-269), "3A901")


AMPLIFIER = {"design_operating_temperature_c": -272.2, "operating_frequency_ghz": 15, "noise_figure_db": 0.014}


def test_3a901_b_parametric_amplifier(us: Regime) -> None:
    quoted("3A901", "b.1", "below 1 K (−272.15 °C)")
    quoted("3A901", "b.2", "from 2 GHz up to and including 15 GHz")
    quoted("3A901", "b.3", "less (better) than 0.015 dB")
    assert_listed(decide(us, "parametric-amplifier", **AMPLIFIER), "3A901", "b", "3A901.b")
    assert_listed(
        decide(us, "parametric-amplifier", **AMPLIFIER | {"operating_frequency_ghz": 2}), "3A901", "b", "3A901.b"
    )
    for over in (
        {"design_operating_temperature_c": -272.15},
        {"operating_frequency_ghz": 15.1},
        {"operating_frequency_ghz": 1.9},
        {"noise_figure_db": 0.015},
    ):
        assert_not_listed(decide(us, "parametric-amplifier", **AMPLIFIER | over), "3A901")


# --- 3A904 cryogenic cooling ------------------------------------------------------------------------------------------


def test_3a904_a_cooling_system(us: Regime) -> None:
    quoted("3A904", "a", "greater than or equal to 600 µW at or below a temperature of 0.1 K", "greater than 48 hours")
    system = {"cooling_power_at_0_1k_uw": 600, "cooling_duration_h": 48.5, "two_stage_pulse_tube": False}
    assert_listed(decide(us, "cryogenic-cooling-system", **system), "3A904", "a", "3A904.a")
    for under in ({"cooling_power_at_0_1k_uw": 599}, {"cooling_duration_h": 48}):
        assert_not_listed(decide(us, "cryogenic-cooling-system", **system | under), "3A904")


def test_3a904_b_pulse_tube(us: Regime) -> None:
    quoted("3A904", "b", "Two-stage pulse tube", "below 4 K (−269.15 °C)", "greater than or equal to 1.5 W")
    cooler = {"two_stage_pulse_tube": True, "min_maintained_temperature_c": -269.2, "cooling_power_at_4_2k_w": 1.5}
    cooler |= {"cooling_power_at_0_1k_uw": 0}
    assert_listed(decide(us, "cryocooler", **cooler), "3A904", "b", "3A904.b")
    for under in ({"min_maintained_temperature_c": -269.15}, {"cooling_power_at_4_2k_w": 1.4}):
        assert_not_listed(decide(us, "cryocooler", **cooler | under), "3A904")


# --- 3B903 SEM for imaging ICs, 3B904 cryogenic wafer probers ---------------------------------------------------------

SEM: dict[str, Any] = {
    "designed_for_imaging_semiconductor_devices": True,
    "stage_placement_accuracy_nm": 29,
    "laser_interferometer_stage_and_fov_calibration": True,
    "image_pixels": 200_000_001,
    "fov_overlap_pct": 4.9,
    "stitching_overlap_nm": 49,
    "accelerating_voltage_kv": 21.1,
    "semi_standard_wafer_carrier_load_port": False,
}


def test_3b903_sem(us: Regime) -> None:
    quoted("3B903", "a", "less (better) than 30 nm")
    quoted("3B903", "d", "more than 2 x 10 8 pixels")
    quoted("3B903", "e", "less than 5 percent")
    quoted("3B903", "f", "less than 50 nm")
    quoted("3B903", "g", "more than 21 kV")
    quoted_anywhere("3B903", "does not apply to SEM equipment designed to accept a", "standard wafer carrier")
    assert_listed(decide(us, "scanning-electron-microscope", **SEM), "3B903", "sem", "3B903")
    for outside in (
        {"stage_placement_accuracy_nm": 30},
        {"image_pixels": 200_000_000},
        {"fov_overlap_pct": 5},
        {"stitching_overlap_nm": 50},
        {"accelerating_voltage_kv": 21},
        {"semi_standard_wafer_carrier_load_port": True},
    ):
        assert_not_listed(decide(us, "scanning-electron-microscope", **SEM | outside), "3B903")


def test_3b904_cryogenic_wafer_prober(us: Regime) -> None:
    quoted("3B904", "a", "less than or equal to 4.5 K (−268.65 °C)")
    quoted("3B904", "b", "greater than or equal to 100 mm")
    prober = {"min_test_temperature_c": -268.65, "wafer_diameter_mm": 100}
    assert_listed(decide(us, "cryogenic-wafer-prober", **prober), "3B904", "prober", "3B904")
    for outside in ({"min_test_temperature_c": -268.6}, {"wafer_diameter_mm": 99}):
        assert_not_listed(decide(us, "cryogenic-wafer-prober", **prober | outside), "3B904")


# --- 3C907–3C909 isotopically enriched silicon and germanium ----------------------------------------------------------


@pytest.mark.parametrize("eccn", ["3C907", "3C908", "3C909"])
def test_isotopic_impurity_is_quoted(eccn: str) -> None:
    quoted(eccn, "a", "isotopic impurity less than 0.08% of silicon isotopes other than silicon-28 or silicon-30")
    quoted(eccn, "b", "less than 0.08% of germanium isotopes other than germanium-70, germanium-72, germanium-74")


@pytest.mark.parametrize(("material", "number"), [("silicon", "a"), ("germanium", "b")])
def test_3c907_epitaxial_layer(us: Regime, material: str, number: str) -> None:
    # Not of 3C001 (no layer of the compound semiconductors it lists) nor of 3C006.
    wafer = {"epitaxial_layer_material": material, "substrate_material": material, "resistivity_20c_ohm_cm": 1}
    enriched = decide(us, "epitaxial-wafer", **wafer, other_isotope_impurity_pct=0.079)
    assert_listed(enriched, "3C907", number, f"3C907.{number}")
    assert_not_listed(decide(us, "epitaxial-wafer", **wafer, other_isotope_impurity_pct=0.08), "3C907")


@pytest.mark.parametrize(
    ("product", "eccn", "number"),
    [
        ("silicon-hydride", "3C908", "a"),
        ("germanium-chloride", "3C908", "b"),
        ("silicon-ingot", "3C909", "a"),
        ("silicon-oxide", "3C909", "a"),
        ("germanium-substrate", "3C909", "b"),
    ],
)
def test_3c908_3c909_enriched_compounds_and_forms(us: Regime, product: str, eccn: str, number: str) -> None:
    quoted_anywhere("3C909", "3C909 includes “substrates”, lumps, ingots, boules and preforms.")
    assert_listed(decide(us, product, other_isotope_impurity_pct=0.079), eccn, number, f"{eccn}.{number}")
    assert_not_listed(decide(us, product, other_isotope_impurity_pct=0.08), eccn)


# --- 3B993 semiconductor manufacturing equipment ----------------------------------------------------------------------


def test_3b993_b_1_plasma_doping(us: Regime) -> None:
    quoted("3B993", "b", "for 300 mm wafers designed for ion implantation")
    quoted("3B993", "b.1.b", "One or more pulsed DC Power Source")
    doping = {"wafer_diameter_mm": 300, "plasma_doping": True, "rf_power_sources": 1, "pulsed_dc_power_sources": 1}
    doping |= {"implants_n_or_p_dopant": True, "beam_energy_kev": 1, "ion_beam_current_ma": 1}
    doping |= {"implant_angular_accuracy_deg": 1, "direct_write_capable": False, "implant_species": "other"}
    assert_listed_in(decide(us, "ion-implanter", **doping), "3B993", "b-1", "3B993.b.1")
    for outside in ({"pulsed_dc_power_sources": 0}, {"wafer_diameter_mm": 200}, {"implants_n_or_p_dopant": False}):
        assert "3B993" not in eccns(decide(us, "ion-implanter", **doping | outside))


ETCH: dict[str, Any] = {
    "etch_mode": "anisotropic",
    "dielectric_etch_aspect_ratio": 31,
    "dielectric_etch_top_width_nm": 99,
    "pulsed_rf_power_sources": 1,
    "gas_switching_time_ms": 299,
    "esc_temperature_zones": 1,
    "wafer_diameter_mm": 200,
    "sige_to_si_etch_selectivity": 1,
    "independent_rf_sources": 1,
    "tsv_etch": False,
}


def test_3b993_c_etch(us: Regime) -> None:
    quoted("3B993", "c.1", "aspect ratio greater than 30:1", "top surface of less than 100 nm")
    quoted("3B993", "c.1.b", "switching time less than 300 milliseconds")
    quoted("3B993", "c.2.b", "less than 40 nm")
    quoted_anywhere("3B993", "3B993.c.2 does not apply to equipment designed for wafer diameters less than 300 mm")
    quoted("3B993", "c.3.b", "less than 500 milliseconds")
    quoted("3B993", "c.3.c", "greater than or equal to 10 individually controllable")
    assert_listed_in(decide(us, "dry-etching-equipment", **ETCH), "3B993", "c-1", "3B993.c.1")
    assert "3B993" not in eccns(decide(us, "dry-etching-equipment", **ETCH | {"dielectric_etch_top_width_nm": 100}))
    assert "3B993" not in eccns(decide(us, "dry-etching-equipment", **ETCH | {"dielectric_etch_aspect_ratio": 30}))
    # c.2: no pulsed RF, but 300 mm wafers and a top width below 40 nm; not for wafers below 300 mm (its Note).
    narrow = ETCH | {"pulsed_rf_power_sources": 0, "dielectric_etch_top_width_nm": 39, "wafer_diameter_mm": 300}
    assert_listed_in(decide(us, "dry-etching-equipment", **narrow), "3B993", "c-2", "3B993.c.2")
    assert "3B993" not in eccns(decide(us, "dry-etching-equipment", **narrow | {"wafer_diameter_mm": 200}))
    assert "3B993" not in eccns(decide(us, "dry-etching-equipment", **narrow | {"dielectric_etch_top_width_nm": 40}))
    # c.3: any anisotropic dry etcher with a pulsed RF output, a valve below 500 ms and 10 or more chuck zones.
    chuck = ETCH | {"dielectric_etch_aspect_ratio": 10, "gas_switching_time_ms": 499, "esc_temperature_zones": 10}
    assert_listed_in(decide(us, "dry-etching-equipment", **chuck), "3B993", "c-3", "3B993.c.3")
    for outside in ({"gas_switching_time_ms": 500}, {"esc_temperature_zones": 9}):
        assert "3B993" not in eccns(decide(us, "dry-etching-equipment", **chuck | outside))


DEPOSITION: dict[str, Any] = {
    "film_dielectric_constant": 5.2,
    "opening_aspect_ratio": 5.1,
    "opening_width_nm": 69,
    "pattern_pitch_nm": 99,
    "wafer_temperature_c": 401,
    "film_density_g_cm3": 1.0,
    "metal_precursor_sources": 1,
}


def test_3b993_d_deposition(us: Regime) -> None:
    quoted("3B993", "d.1.a", "less than 5.3")
    quoted("3B993", "d.1.b", "aspect ratio greater than 5:1 with lateral openings of less than 70 nm")
    quoted("3B993", "d.1.c", "pitch of less than 100 nm")
    quoted("3B993", "d.2", "greater than 400 °C and less than 650 °C")
    quoted("3B993", "d.3", "density more than 1.6 g/cm 3")
    quoted("3B993", "d.4", "more than two metal precursors", "greater than 35", "greater than 50:1")
    radical = decide(us, "deposition-equipment", deposition_process="remote-radical-sic-low-k", **DEPOSITION)
    # outside 3B001.d.14 on all three counts: each clause of the ways out of it is met
    met = {(clause, numbers) for eccn, clause, numbers in found(radical) if eccn == "3B993"}
    assert met == {(f"d-1-{way}", ("3B993.d.1",)) for way in ("k", "opening", "pitch")}
    assert radical.outcome is Outcome.LICENCE_REQUIRED
    # "not specified by 3B001.d.14": a film that is (k < 4.4, openings < 35 nm, pitch < 45 nm) is 3B001's alone.
    quoted("3B993", "d.1", "not specified by 3B001.d.14")
    d14 = DEPOSITION | {"film_dielectric_constant": 4.3, "opening_width_nm": 34, "pattern_pitch_nm": 44}
    assert "3B993" not in eccns(
        decide(us, "deposition-equipment", deposition_process="remote-radical-sic-low-k", **d14)
    )
    assert "3B993" not in eccns(
        decide(
            us,
            "deposition-equipment",
            deposition_process="remote-radical-sic-low-k",
            **DEPOSITION | {"pattern_pitch_nm": 100},
        )
    )
    furnace = decide(us, "deposition-equipment", deposition_process="batch-furnace-sic-low-k", **DEPOSITION)
    assert_listed_in(furnace, "3B993", "d-2", "3B993.d.2")
    for outside in ({"wafer_temperature_c": 400}, {"wafer_temperature_c": 650}, {"film_dielectric_constant": 5.3}):
        line = decide(us, "deposition-equipment", deposition_process="batch-furnace-sic-low-k", **DEPOSITION | outside)
        assert "3B993" not in eccns(line)
    for process in ("carbon-cvd", "carbon-hard-mask-pecvd"):
        carbon = DEPOSITION | {"film_density_g_cm3": 1.61, "film_thickness_um": 1}
        assert_listed_in(
            decide(us, "deposition-equipment", deposition_process=process, **carbon), "3B993", "d-3", "3B993.d.3"
        )
        thin = carbon | {"film_density_g_cm3": 1.6}
        assert "3B993" not in eccns(decide(us, "deposition-equipment", deposition_process=process, **thin))
    high_k = DEPOSITION | {"metal_precursor_sources": 3, "film_dielectric_constant": 35.1, "opening_aspect_ratio": 51}
    assert_listed_in(
        decide(us, "deposition-equipment", deposition_process="high-k-dli", **high_k), "3B993", "d-4", "3B993.d.4"
    )
    for outside in ({"metal_precursor_sources": 2}, {"film_dielectric_constant": 35}, {"opening_aspect_ratio": 50}):
        line = decide(us, "deposition-equipment", deposition_process="high-k-dli", **high_k | outside)
        assert "3B993" not in eccns(line)


def test_3b993_f_lithography(us: Regime) -> None:
    quoted("3B993", "f.1.b", "equal to or longer than 193 nm")
    quoted_anywhere("3B993", "'Minimum Resolvable Feature size' ('MRF') of 45 nm or less")
    quoted("3B993", "f.1.b.2", "greater than 1.50 nm and less than or equal to 2.40 nm")
    quoted("3B993", "f.2", "above 1.5 nm and less (better) than or equal to 4.0 nm")
    scanner = {"wavelength_nm": 193, "litho_k025_resolution_nm": 45, "dedicated_chuck_overlay_nm": 2.4}
    assert_listed_in(decide(us, "lithography-scanner", **scanner), "3B993", "f-1-b", "3B993.f.1.b")
    for outside in ({"dedicated_chuck_overlay_nm": 2.41}, {"litho_k025_resolution_nm": 46}):
        assert "3B993" not in eccns(decide(us, "lithography-scanner", **scanner | outside))
    # at 1.5 nm or better the scanner is 3B001.f.1.b's
    assert "3B993" not in eccns(decide(us, "lithography-scanner", **scanner | {"dedicated_chuck_overlay_nm": 1.5}))
    imprint = {"overlay_accuracy_nm": 4.0, "min_feature_size_nm": 100}
    assert_listed_in(decide(us, "imprint-lithography-equipment", **imprint), "3B993", "f-2", "3B993.f.2")
    assert "3B993" not in eccns(decide(us, "imprint-lithography-equipment", **imprint | {"overlay_accuracy_nm": 4.1}))


def test_3b993_o_annealing(us: Regime) -> None:
    quoted_anywhere("3B993", "o.1 Annealing equipment, operating in a vacuum (equal to or less than 0.01 Pa)")
    quoted_anywhere("3B993", "o.1.a Reflow of copper (Cu) to minimize or eliminate voids or seams")
    quoted("3B993", "o.2", "greater than 1000 °C (1832 °F) for a 'duration' less than 2 ms")
    flash = {
        "wafer_diameter_mm": 300,
        "anneal_temperature_c": 1001,
        "anneal_duration_ms": 1.9,
        "anneal_process": "other",
    }
    assert_listed_in(decide(us, "annealing-equipment", **flash), "3B993", "o-2", "3B993.o.2")
    for outside in ({"anneal_temperature_c": 1000}, {"anneal_duration_ms": 2}, {"wafer_diameter_mm": 200}):
        assert "3B993" not in eccns(decide(us, "annealing-equipment", **flash | outside))
    reflow = flash | {"anneal_temperature_c": 400, "anneal_process": "metal-reflow", "operating_pressure_pa": 0.01}
    assert_listed_in(decide(us, "annealing-equipment", **reflow), "3B993", "o-1", "3B993.o")
    assert "3B993" not in eccns(decide(us, "annealing-equipment", **reflow | {"operating_pressure_pa": 0.02}))


def test_3b993_p_q_cleaning_inspection_metrology(us: Regime) -> None:
    quoted("3B993", "p.1", "polymeric residue and copper oxide (CuO) film", "equal to or less than 0.01 Pa")
    clean = {"cleaning_process": "vacuum-copper-oxide-removal", "operating_pressure_pa": 0.01}
    assert_listed_in(decide(us, "wafer-cleaning-equipment", **clean), "3B993", "p-1", "3B993.p.1")
    assert "3B993" not in eccns(decide(us, "wafer-cleaning-equipment", **clean | {"operating_pressure_pa": 0.011}))
    quoted("3B993", "q.1", "greater than or equal to 300 mm")
    quoted("3B993", "q.1.a", "equal to or less than 21 nm")
    quoted("3B993", "q.1.b.2", "less (better) than or equal to 1.65 nm")
    inspection = {
        "wafer_diameter_mm": 300,
        "min_detectable_defect_nm": 21,
        "inspection_source": "e-beam-1-65nm-resolution",
    }
    assert_listed_in(decide(us, "wafer-inspection-equipment", **inspection), "3B993", "q-1", "3B993.q.1")
    for outside in ({"min_detectable_defect_nm": 22}, {"wafer_diameter_mm": 200}, {"inspection_source": "other"}):
        assert "3B993" not in eccns(decide(us, "wafer-inspection-equipment", **inspection | outside))
    quoted("3B993", "q.2.b", "less (better) than or equal to 0.5 nm")
    overlay = {"metrology_function": "overlay-focus", "overlay_measurement_accuracy_nm": 0.5, "wafer_diameter_mm": 300}
    overlay |= {"track_integrated_or_fast_wavelength_switching": True}
    assert_listed_in(decide(us, "metrology-equipment", **overlay), "3B993", "q-2-b", "3B993.q.2.b")
    for outside in ({"overlay_measurement_accuracy_nm": 0.6}, {"track_integrated_or_fast_wavelength_switching": False}):
        assert "3B993" not in eccns(decide(us, "metrology-equipment", **overlay | outside))
    shape = decide(us, "metrology-equipment", metrology_function="pre-exposure-wafer-shape", wafer_diameter_mm=300)
    assert_listed_in(shape, "3B993", "q-2-a", "3B993.q.2.a")


# --- 3B994 advanced-node equipment ------------------------------------------------------------------------------------

IMPLANTER: dict[str, Any] = {
    "wafer_diameter_mm": 300,
    "ion_beam_current_ma": 4.9,
    "beam_energy_kev": 299,
    "implant_angular_accuracy_deg": 0.5,
    "plasma_doping": False,
    "direct_write_capable": False,
    "implant_species": "other",
}


def test_3b994_b_2_ion_implantation(us: Regime) -> None:
    quoted("3B994", "b.2.a.1", "greater than 1uA and less than 5mA")
    quoted("3B994", "b.2.a.2", "greater than 5 keV and less than 300 keV")
    quoted("3B994", "b.2.b.1", "greater than 5 mA")
    quoted("3B994", "b.2.b.2", "less than 5 keV")
    quoted("3B994", "b.2.c", "equal to or less (better) than 0.1 degrees")
    assert_listed_in(decide(us, "ion-implanter", **IMPLANTER), "3B994", "b-2-a", "3B994.b.2.a")
    low = IMPLANTER | {"ion_beam_current_ma": 0.0011, "beam_energy_kev": 5.1}
    assert_listed_in(decide(us, "ion-implanter", **low), "3B994", "b-2-a", "3B994.b.2.a")
    for outside in ({"ion_beam_current_ma": 0.001}, {"beam_energy_kev": 300}, {"ion_beam_current_ma": 5}):
        assert "3B994" not in eccns(decide(us, "ion-implanter", **IMPLANTER | outside))
    high_current = IMPLANTER | {"ion_beam_current_ma": 5.1, "beam_energy_kev": 4.9}
    assert_listed_in(decide(us, "ion-implanter", **high_current), "3B994", "b-2-b", "3B994.b.2.b")
    assert "3B994" not in eccns(decide(us, "ion-implanter", **high_current | {"beam_energy_kev": 5}))
    angle = IMPLANTER | {"ion_beam_current_ma": 10, "implant_angular_accuracy_deg": 0.1}
    assert_listed_in(decide(us, "ion-implanter", **angle), "3B994", "b-2-c", "3B994.b.2.c")
    assert "3B994" not in eccns(decide(us, "ion-implanter", **angle | {"implant_angular_accuracy_deg": 0.11}))
    assert "3B994" not in eccns(decide(us, "ion-implanter", **IMPLANTER | {"wafer_diameter_mm": 200}))


def test_3b994_q_3_optical_metrology(us: Regime) -> None:
    quoted(
        "3B994",
        "q.3",
        "designed for 300mm wafers and containing software designed for measuring non-planar transistors",
    )
    metrology = {"metrology_function": "optical-film-or-cd-non-planar", "wafer_diameter_mm": 300}
    assert_listed_in(decide(us, "metrology-equipment", **metrology), "3B994", "q-3", "3B994.q.3")
    assert "3B994" not in eccns(decide(us, "metrology-equipment", **metrology | {"wafer_diameter_mm": 200}))


# --- 3A980, 3A981 crime control equipment ----------------------------------------


def test_3a980_3a981_name_their_products(us: Regime) -> None:
    quoted("3A980", "3A980", "Voice print identification and analysis equipment")
    quoted("3A981", "3A981", "Polygraphs (except biomedical recorders", "psychological stress analysis equipment")
    quoted_anywhere("3A981", "record or report the location of confined persons for law enforcement or penal reasons")
    assert_listed(decide(us, "voice-print-identification-equipment"), "3A980", "voice-print", "3A980")
    assert_listed(decide(us, "polygraph"), "3A981", "police-equipment", "3A981")
    tag = decide(us, "electronic-monitoring-restraint-device", for_law_enforcement_or_penal_confinement=True)
    assert_listed(tag, "3A981", "monitoring-restraint", "3A981")
    # a device confining memory impaired patients to medical facilities is not one (the ECCN's note)
    patient = decide(us, "electronic-monitoring-restraint-device", for_law_enforcement_or_penal_confinement=False)
    assert "3A981" not in eccns(patient)


def test_3a999_a_frequency_changers(us: Regime) -> None:
    quoted("3A999", "a", "from 300 up to 600 Hz")
    for hz in (300, 600):
        changer = decide(us, "frequency-changer", changer_output_frequency_hz=hz)
        assert found(changer) == {("3A999", "a", ("3A999.a",))}
        assert changer.outcome is Outcome.NO_LICENCE_REQUIRED  # 3A999 is controlled for AT only: not to China
        assert (
            decide(us, "frequency-changer", to="KP", changer_output_frequency_hz=hz).outcome is Outcome.LICENCE_REQUIRED
        )
    for hz in (299, 601):
        assert "3A999" not in eccns(decide(us, "frequency-changer", changer_output_frequency_hz=hz))


def test_3a999_e_time_delay_and_interval_equipment(us: Regime) -> None:
    quoted("3A999", "e.1", "resolution of 50 nanoseconds or less over time intervals of 1 microsecond or greater")
    quoted(
        "3A999", "e.2", "Multi-channel (three or more) or modular", "50 nanoseconds or less", "1 microsecond or greater"
    )
    timing = {"time_resolution_ns": 50, "time_interval_us": 1}
    delay = decide(us, "digital-time-delay-generator", to="KP", **timing)
    assert found(delay) == {("3A999", "e-1", ("3A999.e.1",))}
    assert delay.outcome is Outcome.LICENCE_REQUIRED
    for outside in ({"time_resolution_ns": 51}, {"time_interval_us": 0.9}):
        assert "3A999" not in eccns(decide(us, "digital-time-delay-generator", **timing | outside))
    meter = {"channel_count": 3, "modular": False} | timing
    assert found(decide(us, "time-interval-meter", **meter)) == {("3A999", "e-2-multichannel", ("3A999.e.2",))}
    modular = meter | {"channel_count": 1, "modular": True}
    assert found(decide(us, "chronometry-equipment", **modular)) == {("3A999", "e-2-modular", ("3A999.e.2",))}
    assert "3A999" not in eccns(decide(us, "time-interval-meter", **meter | {"channel_count": 2}))
    assert "3A999" not in eccns(decide(us, "time-interval-meter", **meter | {"time_resolution_ns": 51}))


def test_3a999_n_e_s_products(us: Regime) -> None:
    quoted("3A999", "b", "Mass spectrometers n.e.s")
    quoted("3A999", "c", "All flash x-ray machines")
    quoted("3A999", "d", "Pulse amplifiers, n.e.s.")
    quoted("3A999", "f", "Chromatography and spectrometry analytical instruments, n.e.s.")
    assert found(decide(us, "pulse-amplifier")) == {("3A999", "d", ("3A999.d",))}
    assert found(decide(us, "chromatograph")) == {("3A999", "f", ("3A999.f",))}
    # n.e.s.: stated parameters rule out 3A233 (mass spectrometers) and 3A201.c (flash X-ray generators)
    spectrometer = decide(us, "mass-spectrometer", ms_max_ion_mass_u=200, ms_resolvable_mass_difference_at_230_u=5)
    assert found(spectrometer) == {("3A999", "b", ("3A999.b",)), ("3A999", "f", ("3A999.f",))}
    assert spectrometer.outcome is Outcome.NO_LICENCE_REQUIRED
    flash = decide(us, "flash-x-ray-generator", electron_peak_energy_mev=1, accelerator_figure_of_merit_k=0.1)
    assert found(flash) == {("3A999", "c", ("3A999.c",))}
