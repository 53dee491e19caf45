"""Classification by specification under the EU pack: the criteria of Category 3 (3A001.a and b, 3A002.a and c, 3A501,
3A504, 3B001, 3B501, 3C001 to 3C006; tools/eu_pack/criteria/cat-3.yaml), checked against Annex I of Regulation (EU)
2021/821 as consolidated on 2025-11-15. Each threshold below is quoted from the text: a specification just inside and
just outside it, the decontrol notes the criteria express, and what failing every clause concludes."""

from __future__ import annotations

from typing import Any

import pytest

from exportctl.regime import Regime
from exportctl.regime.snapshot import Snapshot
from tests.conftest import day
from tests.packs.conftest import DAY
from tests.support.clauses import classify, holds, listed_by

# An ordinary commercial IC: none of 3A001.a.1 (radiation hardness), a.2 (temperature range) or 3A501.a.15 and a.16
# (cryogenic CMOS, TPP of 6000 or more), which apply to every kind of IC, applies.
COMMERCIAL_IC = {
    "total_dose_si_gy": 100,
    "dose_rate_upset_gy_si_per_s": 1000,
    "neutron_fluence_n_per_cm2": 1.0e11,
    "mis_device": False,
    "min_operating_temp_c": -40,
    "max_operating_temp_c": 85,
    "civil_automotive_or_railway_design": False,
    "total_processing_performance": 0,
    "usable_in_500kg_300km_system": False,  # not an ADC of 3A101.a (for "missiles")
}


# --- 3A001.a integrated circuits --------------------------------------------------------------------------------


def test_3a001_a_5_a_3_adc_sample_rate_greater_than_400_msps(snapshot: Snapshot) -> None:
    # "A resolution of 12 bit or more, but less than 14 bit, with a "sample rate" greater than 400 MSPS"
    result = classify(snapshot, "ad-converter-ic", **COMMERCIAL_IC, resolution_bits=12, sample_rate_msps=401)
    assert listed_by(result) == {"3A001#a-5-a-3"}
    assert [m.control_numbers for m in result.matches] == [("3A001.a.5.a.3",)]
    assert holds(snapshot, "3A001#a-5-a-3", resolution_bits=12, sample_rate_msps=400) is False
    # 14 bit is a.5.a.4's band (greater than 250 MSPS)
    assert holds(snapshot, "3A001#a-5-a-3", resolution_bits=14, sample_rate_msps=401) is False
    assert holds(snapshot, "3A001#a-5-a-4", resolution_bits=14, sample_rate_msps=251) is True
    # "1,3 Giga Samples Per Second" for 8 to less than 10 bit, in the parameter's MSPS
    assert holds(snapshot, "3A001#a-5-a-1", resolution_bits=8, sample_rate_msps=1300) is False
    assert holds(snapshot, "3A001#a-5-a-1", resolution_bits=8, sample_rate_msps=1301) is True


def test_failing_every_clause_of_an_incompletely_encoded_entry_is_undetermined(snapshot: Snapshot) -> None:
    # 3A001 is encoded for a and b only, and an ADC can also be 3A101.a: "not listed" cannot be concluded.
    result = classify(snapshot, "ad-converter-ic", **COMMERCIAL_IC, resolution_bits=12, sample_rate_msps=400)
    assert result.status == "undetermined"
    assert result.missing == ("classification",)
    assert "3A001" in result.note and "not (completely) encoded" in result.note


def test_an_unknown_parameter_leaves_the_classification_undetermined(snapshot: Snapshot) -> None:
    result = classify(snapshot, "ad-converter-ic", **COMMERCIAL_IC, resolution_bits=12)
    assert result.status == "undetermined"
    assert result.missing == ("params.sample_rate_msps",)
    assert {m.clause for m in result.matches} == {"a-5-a-3"}  # the only clause 12 bit does not already rule out


def test_3a001_a_1_radiation_hardness_and_the_mis_note(snapshot: Snapshot) -> None:
    # a.1.a "5 × 10^3 Gy (silicon) or higher"; a.1.c "5 × 10^13 n/cm2 or higher"; its Note: not MIS
    assert holds(snapshot, "3A001#a-1-a", total_dose_si_gy=5000) is True
    assert holds(snapshot, "3A001#a-1-a", total_dose_si_gy=4999) is False
    assert holds(snapshot, "3A001#a-1-c", neutron_fluence_n_per_cm2=5.0e13, mis_device=False) is True
    assert holds(snapshot, "3A001#a-1-c", neutron_fluence_n_per_cm2=5.0e13, mis_device=True) is False
    # every kind of IC is assessed against a.1, a neural network IC too
    assert "3A001#a-1-b" in listed_by(classify(snapshot, "fpga", dose_rate_upset_gy_si_per_s=5.0e6))


def test_3a001_a_2_temperature_and_the_civil_automotive_note(snapshot: Snapshot) -> None:
    # a.2.a "above 398 K (125 °C)"; a.2.c "the entire ambient temperature range from 218 K (-55 °C) to 398 K (125 °C)"
    military = {"civil_automotive_or_railway_design": False}
    assert holds(snapshot, "3A001#a-2-a", **military, max_operating_temp_c=125) is False
    assert holds(snapshot, "3A001#a-2-a", **military, max_operating_temp_c=126) is True
    assert holds(snapshot, "3A001#a-2-c", **military, min_operating_temp_c=-55, max_operating_temp_c=125) is True
    assert holds(snapshot, "3A001#a-2-c", **military, min_operating_temp_c=-54, max_operating_temp_c=125) is False
    # the Note: "does not control integrated circuits designed for civil automobiles or railway train applications"
    assert holds(snapshot, "3A001#a-2-a", civil_automotive_or_railway_design=True, max_operating_temp_c=150) is False


def test_3a001_a_3_a_compound_semiconductor_microprocessor_is_assessed_as_a_microprocessor_too(
    snapshot: Snapshot,
) -> None:
    # a.3: "manufactured from a compound semiconductor and operating at a clock frequency exceeding 40 MHz"
    fast = classify(snapshot, "compound-semiconductor-microprocessor", **COMMERCIAL_IC, max_clock_frequency_mhz=41)
    assert listed_by(fast) == {"3A001#a-3"}
    hot = {**COMMERCIAL_IC, "max_operating_temp_c": 130, "max_clock_frequency_mhz": 40}
    assert listed_by(classify(snapshot, "compound-semiconductor-microprocessor", **hot)) == {"3A001#a-2-a"}
    # a microprocessor failing a.1 and a.2 may still be the compound-semiconductor kind a.3 lists
    plain = classify(snapshot, "microprocessor", **COMMERCIAL_IC)
    assert plain.status == "undetermined" and "compound-semiconductor-microprocessor" in plain.note


def test_3a001_a_5_b_dacs_and_a_14_adcs_that_process_their_data(snapshot: Snapshot) -> None:
    # a.5.b.2.a: 12 bit, "exceeding 1250 MSPS but not exceeding 3500 MSPS", settling "less than 9 ns"
    dac = {"resolution_bits": 12, "dac_adjusted_update_rate_msps": 3500}
    assert holds(snapshot, "3A001#a-5-b-2-a-1", **dac, dac_settling_time_ns=8.9) is True
    assert holds(snapshot, "3A001#a-5-b-2-a-1", **dac, dac_settling_time_ns=9) is False
    assert holds(snapshot, "3A001#a-5-b-2-b", **dac) is False  # "exceeding 3500 MSPS"
    # a.14: "performs … all of the following": the conversion (a.14.a.2, "greater than 1,0 GSPS") and storage or
    # processing of the digitised data (a.14.b)
    adc = {"resolution_bits": 10, "sample_rate_msps": 1001}
    assert holds(snapshot, "3A001#a-14-a-2", **adc, stores_or_processes_digitised_data=True) is True
    assert holds(snapshot, "3A001#a-14-a-2", **adc, stores_or_processes_digitised_data=False) is False


def test_3a001_a_9_a_neural_network_ic_is_listed_whatever_its_performance(snapshot: Snapshot) -> None:
    assert "3A001#a-9" in listed_by(classify(snapshot, "neural-network-ic"))


# --- 3A001.b microwave items ------------------------------------------------------------------------------------


def test_3a001_b_1_travelling_wave_tubes_and_the_itu_band_notes(snapshot: Snapshot) -> None:
    # b.1.a.1 "frequencies exceeding 31,8 GHz"; Notes 1 and 2 exclude devices for ITU radio-communication bands
    assert holds(snapshot, "3A001#b-1-a-1", operating_frequency_ghz=31.9, ved_itu_exclusion=False) is True
    assert holds(snapshot, "3A001#b-1-a-1", operating_frequency_ghz=31.8, ved_itu_exclusion=False) is False
    assert holds(snapshot, "3A001#b-1-a-1", operating_frequency_ghz=40, ved_itu_exclusion=True) is False
    # b.1.a.3 "a "fractional bandwidth" of more than 7 % or a peak power exceeding 2,5 kW": two alternatives
    cavity = {"twt_structure": "coupled-cavity", "ved_itu_exclusion": False}
    assert holds(snapshot, "3A001#b-1-a-3-bandwidth", **cavity, fractional_bandwidth_pct=7) is False
    assert holds(snapshot, "3A001#b-1-a-3-power", **cavity, peak_output_power_kw=2.6) is True


def test_3a001_b_2_mmic_amplifier_bands_and_note_3(snapshot: Snapshot) -> None:
    # b.2.a.1: "greater than 75 W (48,75 dBm) at any frequency exceeding 2,7 GHz up to and including 2,9 GHz", within
    # b.2.a's "fractional bandwidth" greater than 15 %
    band = {
        "operating_frequency_ghz": 2.9,
        "fractional_bandwidth_pct": 20,
        "specially_designed_for_other_equipment": False,
    }
    assert holds(snapshot, "3A001#b-2-a-1", **band, peak_saturated_power_dbm=48.76) is True
    assert holds(snapshot, "3A001#b-2-a-1", **band, peak_saturated_power_dbm=48.75) is False
    assert (
        holds(snapshot, "3A001#b-2-a-1", **{**band, "fractional_bandwidth_pct": 15}, peak_saturated_power_dbm=49)
        is False
    )
    # 2,95 GHz is b.2.a.2's band: "greater than 55 W (47,4 dBm)"
    above = {**band, "operating_frequency_ghz": 2.95, "peak_saturated_power_dbm": 47.5}
    assert listed_by(classify(snapshot, "mmic-amplifier", **COMMERCIAL_IC, **above)) == {"3A001#b-2-a-2"}
    # b.2.d: "greater than 0,1 nW (-70 dBm)" from 31,8 to 37 GHz, whatever the bandwidth
    assert holds(snapshot, "3A001#b-2-d", operating_frequency_ghz=35, peak_saturated_power_dbm=-69,
                 specially_designed_for_other_equipment=False) is True  # fmt: skip
    # Note 3: "does not control "MMICs" if they are specially designed for other applications, e.g., … radar"
    radar = {**above, "specially_designed_for_other_equipment": True}
    assert holds(snapshot, "3A001#b-2-a-2", **radar) is False


def test_3a001_b_3_discrete_transistors_and_b_4_amplifiers(snapshot: Snapshot) -> None:
    # b.3.a.3: "greater than 115 W (50,61 dBm) at any frequency exceeding 3,2 GHz up to and including 3,7 GHz"
    assert holds(snapshot, "3A001#b-3-a-3", operating_frequency_ghz=3.5, peak_saturated_power_dbm=50.62) is True
    assert holds(snapshot, "3A001#b-3-a-3", operating_frequency_ghz=3.5, peak_saturated_power_dbm=50.61) is False
    # b.3.f: "greater than 5 W (37,0 dBm) at all frequencies exceeding 8,5 GHz up to and including 31,8 GHz"
    assert holds(snapshot, "3A001#b-3-f", min_peak_saturated_power_8_5_to_31_8ghz_dbm=37.1) is True
    # b.4.c: "greater than 0,5 W (27 dBm) at any frequency exceeding 31,8 GHz up to and including 37 GHz"
    assert "3A001#b-4-c" in listed_by(
        classify(snapshot, "microwave-solid-state-amplifier", operating_frequency_ghz=37, peak_saturated_power_dbm=28)
    )
    assert holds(snapshot, "3A001#b-4-c", operating_frequency_ghz=37.1, peak_saturated_power_dbm=28) is False


# --- 3A002, 3A501, 3A504 ----------------------------------------------------------------------------------------


def test_3a002_a_7_real_time_oscilloscopes_but_not_equivalent_time_sampling(snapshot: Snapshot) -> None:
    # "less than 2 % of full-scale" and "an 'upper 3dB frequency' greater than 90 GHz"; its Note
    scope = {"noise_rms_pct_full_scale": 1.9, "bandwidth_3db_ghz": 91}
    assert holds(snapshot, "3A002#a-7", **scope, equivalent_time_sampling=False) is True
    assert holds(snapshot, "3A002#a-7", **{**scope, "bandwidth_3db_ghz": 90}, equivalent_time_sampling=False) is False
    assert holds(snapshot, "3A002#a-7", **scope, equivalent_time_sampling=True) is False


def test_3a002_c_signal_analysers(snapshot: Snapshot) -> None:
    assert "3A002#c-3" in listed_by(classify(snapshot, "signal-analyser", max_analysis_frequency_ghz=110.1))
    assert holds(snapshot, "3A002#c-2", danl_43_5_to_110ghz_dbm_hz=-160) is False  # "less (better) than -160 dBm/Hz"
    # c.4 Note: "does not control those "signal analysers" using only constant percentage bandwidth filters"
    realtime = {"real_time_bandwidth_mhz": 521, "min_signal_duration_100pct_poi_us": 8, "poi_amplitude_loss_db": 2.9}
    assert holds(snapshot, "3A002#c-4-b-1", **realtime, constant_percentage_bandwidth_filters_only=False) is True
    assert holds(snapshot, "3A002#c-4-b-1", **realtime, constant_percentage_bandwidth_filters_only=True) is False


def test_3a501_tpp_of_6000_or_more_and_cryogenic_cmos(snapshot: Snapshot) -> None:
    # a.16: "a 'Total Processing Performance' ('TPP') of 6000 or more"
    gpu = classify(snapshot, "integrated-circuit", total_processing_performance=6000)
    assert "3A501#a-16" in listed_by(gpu)
    assert holds(snapshot, "3A501#a-16", total_processing_performance=5999) is False
    # a.15: "equal to or less (better) than 4,5 K (-268,65 °C)"
    assert holds(snapshot, "3A501#a-15", cmos_technology=True, min_operating_temp_c=-268.65) is True
    assert holds(snapshot, "3A501#a-15", cmos_technology=True, min_operating_temp_c=-268.6) is False


def test_3a501_b_13_parametric_amplifiers(snapshot: Snapshot) -> None:
    # "below 1 K (-272,15°C)", "from 2 GHz up to and including 15 GHz", "less (better) than 0,015 dB"
    amplifier = {"design_operating_temperature_c": -273.1, "operating_frequency_ghz": 2}
    assert holds(snapshot, "3A501#b-13", **amplifier, noise_figure_db=0.014) is True
    assert holds(snapshot, "3A501#b-13", **amplifier, noise_figure_db=0.015) is False
    assert (
        holds(snapshot, "3A501#b-13", **{**amplifier, "operating_frequency_ghz": 15.1}, noise_figure_db=0.01) is False
    )


def test_3a504_b_two_stage_pulse_tube_cryocoolers(snapshot: Snapshot) -> None:
    # "rated to maintain a temperature below 4 K (-269,15 °C) and provide … 1,5 W at or below 4,2 K"
    cooler = {"two_stage_pulse_tube": True, "cooling_power_at_4_2k_w": 1.5}
    assert listed_by(classify(snapshot, "cryocooler", **cooler, min_maintained_temperature_c=-269.2)) == {"3A504#b"}
    failing = classify(snapshot, "cryocooler", **cooler, min_maintained_temperature_c=-269.15,
                       cooling_power_at_0_1k_uw=0, cooling_duration_h=0)  # fmt: skip
    # a cryocooler can also be 6A002.d, which has no clauses: failing 3A504 does not make it "not listed"
    assert failing.status == "undetermined" and "3A504" in failing.note


# --- 3B001, 3B501 -----------------------------------------------------------------------------------------------


def test_3b001_f_1_and_3b501_f_1_b_lithography(snapshot: Snapshot) -> None:
    # 3B001.f.1.a "shorter than 193 nm"; f.1.b MRF (K = 0,35) "of 45 nm or less"
    assert holds(snapshot, "3B001#f-1-a", wavelength_nm=193) is False
    assert holds(snapshot, "3B001#f-1-a", wavelength_nm=13.5) is True
    assert holds(snapshot, "3B001#f-1-b", litho_k035_resolution_nm=45) is True
    # 3B501.f.1.b: "equal to or longer than 193 nm", MRF (K = 0,25) "45 nm or less", 'dedicated chuck overlay' "less
    # than or equal to 1,50 nm"
    immersion = {"wavelength_nm": 193, "litho_k025_resolution_nm": 36}
    assert holds(snapshot, "3B501#f-1-b", **immersion, dedicated_chuck_overlay_nm=1.5) is True
    assert holds(snapshot, "3B501#f-1-b", **immersion, dedicated_chuck_overlay_nm=1.6) is False


def test_3b001_b_ion_implantation_and_e_wafer_handling(snapshot: Snapshot) -> None:
    # b.4: "65 keV or more and a beam current of 45 mA or more for high energy oxygen implant into a heated … substrate"
    oxygen = {"implant_species": "oxygen", "implant_substrate_heated": True, "beam_energy_kev": 65}
    assert holds(snapshot, "3B001#b-4", **oxygen, ion_beam_current_ma=45) is True
    assert holds(snapshot, "3B001#b-4", **oxygen, ion_beam_current_ma=44.9) is False
    # e Note: "does not control automatic robotic wafer handling systems specially designed for parallel wafer
    # processing"
    handler = {"connects_three_different_listed_tools": True, "vacuum_integrated_sequential_processing": True}
    assert holds(snapshot, "3B001#e", **handler, parallel_wafer_processing_design=False) is True
    assert holds(snapshot, "3B001#e", **handler, parallel_wafer_processing_design=True) is False


def test_3b501_epitaxy_etching_and_deposition(snapshot: Snapshot) -> None:
    # a.4.b: "designed to operate at a temperature below 958 K (685 °C)"
    epi = {"si_or_sige_epitaxy": True, "preclean_chamber": True}
    assert holds(snapshot, "3B501#a-4", **epi, epitaxy_temperature_c=684) is True
    assert holds(snapshot, "3B501#a-4", **epi, epitaxy_temperature_c=685) is False
    # k.2: "switching time less than 300 milliseconds" and "twenty or more" temperature elements
    etcher = {"etch_mode": "anisotropic", "pulsed_rf_power_sources": 1, "esc_temperature_zones": 20}
    assert holds(snapshot, "3B501#k-2", **etcher, gas_switching_time_ms=299) is True
    assert holds(snapshot, "3B501#k-2", **etcher, gas_switching_time_ms=300) is False
    # n.1.c: a precursor vessel "designed to operate at a temperature greater than or equal to 303,15 K (30 °C)"
    ald = {"deposition_process": "work-function-metal-ald", "deposits_titanium_aluminium_carbide": True,
           "work_function_ev": 4.1, "metal_precursor_sources": 2, "aluminium_precursor_source": True}  # fmt: skip
    assert holds(snapshot, "3B501#n-1-c", **ald, precursor_vessel_temperature_c=30) is True
    assert holds(snapshot, "3B501#n-1-c", **ald, precursor_vessel_temperature_c=29) is False
    assert (
        holds(snapshot, "3B501#n-1-c", **{**ald, "metal_precursor_sources": 1}, precursor_vessel_temperature_c=30)
        is False
    )


# --- 3C materials -----------------------------------------------------------------------------------------------


def test_3c004_is_completely_encoded_so_a_hydride_failing_it_is_not_listed(snapshot: Snapshot) -> None:
    # "a purity greater (better) than 99,999 %, even diluted"; Note: not "20 % molar or more of inert gases or hydrogen"
    assert listed_by(
        classify(snapshot, "arsine", precursor_purity_pct=99.9999, inert_gas_or_hydrogen_mol_pct=19.9)
    ) == {"3C004#hydride"}
    for spec in ({"precursor_purity_pct": 99.999, "inert_gas_or_hydrogen_mol_pct": 0},
                 {"precursor_purity_pct": 99.9999, "inert_gas_or_hydrogen_mol_pct": 20}):  # fmt: skip
        result = classify(snapshot, "phosphine", **spec)
        assert result.status == "catch-all", spec
        assert "not listed in Annex I" in result.note


def test_3c002_resists_and_substrates_coated_with_them(snapshot: Snapshot) -> None:
    # a.1 positive resists "less than 193 nm but equal to or greater than 15 nm"; a.2 "less than 15 nm but greater than
    # 1 nm"; b "0,01 μcoulomb/mm2 or better"
    assert listed_by(classify(snapshot, "photoresist", resist_tone="positive", wavelength_nm=15)) == {"3C002#a-1"}
    assert listed_by(classify(snapshot, "photoresist", resist_tone="negative", wavelength_nm=13.5)) == {"3C002#a-2"}
    krf = classify(snapshot, "photoresist", resist_tone="positive", wavelength_nm=248)
    assert krf.status == "catch-all"  # 3C002 is completely encoded and no other entry lists resists
    assert holds(snapshot, "3C002#b", electron_beam_sensitivity_uc_mm2=0.011) is False
    coated = {"coating_resist": "photoresist", "resist_tone": "positive", "wavelength_nm": 193}
    assert holds(snapshot, "3C002#a-1-coated", **coated) is False
    assert listed_by(classify(snapshot, "resist-coated-substrate", **{**coated, "wavelength_nm": 157})) == {
        "3C002#a-1-coated"
    }


def test_3c005_and_3c006_high_resistivity_substrates(snapshot: Snapshot) -> None:
    # 3C005.a: "resistivities greater than 10000 ohm-cm at 20 °C"
    sic = {"substrate_material": "silicon-carbide"}
    assert holds(snapshot, "3C005#a", **sic, resistivity_20c_ohm_cm=10001) is True
    assert holds(snapshot, "3C005#a", **sic, resistivity_20c_ohm_cm=10000) is False
    assert holds(snapshot, "3C005#a", substrate_material="silicon", resistivity_20c_ohm_cm=1.0e6) is False
    # a silicon substrate may be 3C509 (isotopically pure), which has no clauses: undetermined, not "not listed"
    silicon = classify(snapshot, "semiconductor-substrate", substrate_material="silicon", resistivity_20c_ohm_cm=1.0e6)
    assert silicon.status == "undetermined" and "3C005" in silicon.note
    # 3C006: a substrate of 3C005 "with at least one epitaxial layer of … gallium nitride (GaN)"
    gan_on_sic = {**sic, "resistivity_20c_ohm_cm": 1.0e5, "epitaxial_layer_material": "gallium-nitride"}
    assert holds(snapshot, "3C006#on-3c005-a", **gan_on_sic) is True


def test_3c001_d_and_its_note_on_p_type_layers(snapshot: Snapshot) -> None:
    # 3C001.d "III/V compounds of gallium or indium"; the Note: not P-type GaN … layers unless between N-type layers
    hetero = {"heteroepitaxial": True, "epitaxial_layer_material": "gallium-nitride"}
    assert holds(snapshot, "3C001#d", **hetero, p_type_layer_not_between_n_layers=False) is True
    assert holds(snapshot, "3C001#d", **hetero, p_type_layer_not_between_n_layers=True) is False


def test_3c003_a_organo_metallic_compounds_of_aluminium_gallium_or_indium(snapshot: Snapshot) -> None:
    tmga = {"organometallic_metal": "gallium", "element_linked_to_carbon": True}
    assert holds(snapshot, "3C003#a", **tmga, precursor_purity_pct=99.9999) is True
    assert holds(snapshot, "3C003#a", **tmga, precursor_purity_pct=99.999) is False
    assert holds(snapshot, "3C003#a", **{**tmga, "organometallic_metal": "zinc"}, precursor_purity_pct=99.9999) is False


# --- the same specification under both regimes ------------------------------------------------------------------


def test_parameters_shared_with_japan_mean_the_same(eu: Regime, jp: Regime) -> None:
    shared = set(eu.pack.parameters) & set(jp.pack.parameters)
    assert {"resolution_bits", "sample_rate_msps", "peak_saturated_power_dbm", "wavelength_nm"} <= shared
    for name in shared:
        assert (eu.pack.parameters[name].type, eu.pack.parameters[name].unit) == (
            jp.pack.parameters[name].type,
            jp.pack.parameters[name].unit,
        ), name


@pytest.mark.parametrize(
    ("product", "params", "eu_clause", "jp_clause"),
    [
        ("ad-converter-ic", {"resolution_bits": 12, "sample_rate_msps": 401}, "3A001#a-5-a-3", "7(1)#adc-12-to-14-bit"),
        ("integrated-circuit", {"total_processing_performance": 6000}, "3A501#a-16", "7(1)#tpp-6000"),
        ("phosphine", {"precursor_purity_pct": 99.9999, "inert_gas_or_hydrogen_mol_pct": 0}, "3C004#hydride",
         "7(21)#hydride-high-purity"),
    ],
)  # fmt: skip
def test_a_specification_listed_in_japan_is_listed_alike_in_the_union(
    eu: Regime, jp: Regime, product: str, params: dict[str, Any], eu_clause: str, jp_clause: str
) -> None:
    assert eu_clause in listed_by(classify(eu.at(DAY), product, **params))
    assert jp_clause in listed_by(classify(jp.at(day("2026-02-14")), product, **params))
