"""Classification by specification under the US pack: the criteria of tools/us_pack/criteria/cat-3.yaml ported from
the EU pack and checked against the Commerce Control List of the eCFR of 2026-07-23 (../shared/data/us): 3A101.b,
3A201, 3A228, 3A229, 3A231, 3A232, 3A233, 3C001, 3C003.b, 3C005 and 3C006. Each threshold is quoted from the
paragraph text first (a changed source fails here rather than passing on stale text); then a specification just
inside it is listed by the engine, with the paragraph as control number and a licence to China, and one just outside
it is not. Where the EAR's text differs from the EU's, the test says so.
"""

from __future__ import annotations

from exportctl.core_types import LineDetermination, Outcome
from exportctl.regime import Regime
from tests.support.ccl import ECCNS, quoted
from tests.support.ccl import spec_line as decide


def listed(line: LineDetermination) -> set[tuple[str, str | None, tuple[str, ...]]]:
    """The clauses every criterion of which the specification meets, with their control numbers."""
    return {
        (m.entry, m.clause, m.control_numbers)
        for m in line.entries
        if m.comparisons and all(c.holds is True for c in m.comparisons)
    }


def assert_listed(line: LineDetermination, eccn: str, clause: str, number: str) -> None:
    assert listed(line) == {(eccn, clause, (number,))}
    assert line.outcome is Outcome.LICENCE_REQUIRED  # every reason for control of these ECCNs covers China


def assert_not_listed(line: LineDetermination) -> None:
    assert listed(line) == set()
    assert line.outcome is not Outcome.LICENCE_REQUIRED


# --- 3A201 capacitors, superconducting electromagnets, flash X-ray generators ------------------------------------

CAPACITOR = {
    "rated_voltage_kv": 1.41,
    "capacitor_total_energy_j": 10.1,
    "capacitance_uf": 0.51,
    "series_inductance_nh": 49,
}


def test_3a201_a_1_capacitor(us: Regime) -> None:
    quoted(
        "3A201",
        "a.1",
        "Voltage rating greater than 1.4 kV, energy storage greater than 10 J, capacitance greater than 0.5 µF, and"
        " series inductance less than 50 nH",
    )
    assert_listed(decide(us, "capacitor", **CAPACITOR), "3A201", "a-1", "3A201.a.1")
    assert_not_listed(decide(us, "capacitor", **CAPACITOR | {"rated_voltage_kv": 1.4}))
    assert_not_listed(decide(us, "capacitor", **CAPACITOR | {"capacitor_total_energy_j": 10}))


def test_3a201_a_2_capacitor(us: Regime) -> None:
    quoted(
        "3A201",
        "a.2",
        "Voltage rating greater than 750 V, capacitance greater than 0.25 µF, and series inductance less",
    )
    spec = {
        "rated_voltage_kv": 0.751,
        "capacitor_total_energy_j": 1,
        "capacitance_uf": 0.26,
        "series_inductance_nh": 9.9,
    }
    assert_listed(decide(us, "pulse-capacitor", **spec), "3A201", "a-2", "3A201.a.2")
    assert_not_listed(decide(us, "pulse-capacitor", **spec | {"series_inductance_nh": 10}))
    assert_not_listed(decide(us, "pulse-capacitor", **spec | {"rated_voltage_kv": 0.75}))


MAGNET = {
    "magnet_flux_density_t": 2.1,
    "magnet_coil_length_to_inner_diameter_ratio": 2.1,
    "magnet_coil_inner_diameter_mm": 301,
    "field_uniformity_central_half_volume_pct": 0.9,
    "exported_as_part_of_medical_nmr_imaging": False,
}


def test_3a201_b_superconducting_solenoid_and_its_nmr_note(us: Regime) -> None:
    quoted("3A201", "b.3", "Inner diameter greater than 300 mm")
    quoted("3A201", "b.4", "Magnetic field uniform to better than 1% over the central 50% of the inner volume")
    quoted(
        "3A201", None, "3A201.b does not control magnets “specially designed” for and exported “as parts of” medical"
    )
    assert_listed(decide(us, "superconducting-solenoid-magnet", **MAGNET), "3A201", "b", "3A201.b")
    assert_not_listed(decide(us, "superconducting-solenoid-magnet", **MAGNET | {"magnet_coil_inner_diameter_mm": 300}))
    nmr = MAGNET | {"exported_as_part_of_medical_nmr_imaging": True}
    assert_not_listed(decide(us, "superconducting-solenoid-magnet", **nmr))


def test_3a201_c_flash_x_ray_generators(us: Regime) -> None:
    quoted("3A201", "c.1", "peak electron energy of 500 keV or greater, but less than 25 MeV", "(K) of 0.25 or greater")
    quoted("3A201", "c.2", "peak electron energy of 25 MeV or greater, and a “peak power” greater than 50 MW")
    c1 = {"electron_peak_energy_mev": 0.5, "accelerator_figure_of_merit_k": 0.25, "accelerator_peak_power_mw": 1}
    c1 |= {"accelerator_other_purpose_part_or_medical": False}
    assert_listed(decide(us, "flash-x-ray-generator", **c1), "3A201", "c-1", "3A201.c.1")
    assert_not_listed(decide(us, "flash-x-ray-generator", **c1 | {"electron_peak_energy_mev": 0.49}))
    c2 = c1 | {"electron_peak_energy_mev": 25, "accelerator_peak_power_mw": 50.1}
    assert_listed(decide(us, "electron-accelerator", **c2), "3A201", "c-2", "3A201.c.2")
    assert_not_listed(decide(us, "electron-accelerator", **c2 | {"accelerator_peak_power_mw": 50}))
    # the Note: not accelerators designed for medical purposes
    assert_not_listed(decide(us, "electron-accelerator", **c2 | {"accelerator_other_purpose_part_or_medical": True}))


# --- 3A228 switching devices ----------------------------------------------------------------------------------------


def test_3a228_a_cold_cathode_tube(us: Regime) -> None:
    quoted("3A228", "a.2", "Anode peak voltage rating of 2.5 kV or more")
    quoted("3A228", "a.4", "Anode delay time of 10 µs or less")
    spec = {"electrode_count": 3, "peak_anode_voltage_v": 2500, "peak_anode_current_a": 100, "anode_delay_time_us": 10}
    assert_listed(decide(us, "krytron", **spec), "3A228", "a", "3A228.a")
    assert_not_listed(decide(us, "krytron", **spec | {"anode_delay_time_us": 10.1}))
    assert_not_listed(decide(us, "krytron", **spec | {"peak_anode_voltage_v": 2499}))


def test_3a228_b_triggered_spark_gap(us: Regime) -> None:
    quoted("3A228", "b.1", "An anode delay time of 15 µs or less")
    quoted("3A228", "b.2", "Rated for a peak current of 500 A or more")
    spec = {"anode_delay_time_us": 15, "peak_current_a": 500}
    assert_listed(decide(us, "triggered-spark-gap", **spec), "3A228", "b", "3A228.b")
    assert_not_listed(decide(us, "triggered-spark-gap", **spec | {"peak_current_a": 499}))


def test_3a228_c_fast_switching_module(us: Regime) -> None:
    quoted("3A228", "c.1", "Anode peak voltage rating greater than 2 kV")
    quoted("3A228", "c.3", "Turn-on time of 1 µs or less")
    spec = {"peak_anode_voltage_v": 2001, "peak_anode_current_a": 500, "turn_on_time_us": 1}
    assert_listed(decide(us, "fast-switching-module", **spec), "3A228", "c", "3A228.c")
    assert_not_listed(decide(us, "fast-switching-module", **spec | {"peak_anode_voltage_v": 2000}))


# --- 3A229 firing sets and pulse generators --------------------------------------------------------------------------


def test_3a229_a_firing_sets_drive_3a232_detonators_not_1a007b(us: Regime) -> None:
    # the EU's 3A229.a names the detonators of 1A007.b; the EAR's names those controlled by 3A232
    quoted("3A229", "a", "designed to drive multiple controlled detonators controlled by 3A232")
    line = decide(us, "detonator-firing-set", drives_multiple_3a232_detonators=True)
    assert_listed(line, "3A229", "a", "3A229.a")
    assert_not_listed(decide(us, "detonator-firing-set", drives_multiple_3a232_detonators=False))


PULSER = {
    "modular": True,
    "portable_mobile_or_ruggedized_design": True,
    "pulse_delivery_time_into_40_ohm_us": 14.9,
    "peak_current_a": 101,
    "max_dimension_mm": 300,
    "mass_kg": 29.9,
    "specified_for_aerospace": False,
}


def test_3a229_b_modular_pulse_generator(us: Regime) -> None:
    quoted("3A229", "b.2", "Capable of delivering their energy in less than 15 µs into loads of less than 40 Ω")
    quoted("3A229", "b.4", "No dimension greater than 30 cm")
    quoted("3A229", "b.5", "Weight less than 30 kg")
    quoted("3A229", "b.6", "extended temperature range 223 K (−50 °C) to 373 K (100 °C) or specified as suitable for")
    wide = PULSER | {"min_operating_temp_c": -50, "max_operating_temp_c": 100}
    assert_listed(decide(us, "pulse-generator", **wide), "3A229", "b-temperature", "3A229.b")
    narrow = PULSER | {"min_operating_temp_c": -49, "max_operating_temp_c": 100}
    assert_not_listed(decide(us, "pulse-generator", **narrow))
    aerospace = narrow | {"specified_for_aerospace": True}
    assert_listed(decide(us, "pulse-generator", **aerospace), "3A229", "b-aerospace", "3A229.b")
    assert_not_listed(decide(us, "pulse-generator", **aerospace | {"mass_kg": 30}))


def test_3a229_c_micro_firing_unit(us: Regime) -> None:
    quoted("3A229", "c.1", "No dimension greater than 35 mm")
    quoted("3A229", "c.3", "Capacitance of equal to or greater than 100 nF")
    spec = {"max_dimension_mm": 35, "rated_voltage_kv": 1, "capacitance_uf": 0.1}
    assert_listed(decide(us, "micro-firing-unit", **spec), "3A229", "c", "3A229.c")
    assert_not_listed(decide(us, "micro-firing-unit", **spec | {"capacitance_uf": 0.099}))


# --- 3A231 neutron generators, 3A232 multipoint initiation ----------------------------------------------------------

NEUTRON = {"operates_without_vacuum_pump": True, "electrostatic_acceleration": True}


def test_3a231_neutron_generators(us: Regime) -> None:
    quoted("3A231", "b.2", "A deuterium-deuterium nuclear reaction and capable of an output of 3 × 10 9 neutrons/s")
    td = NEUTRON | {"neutron_reaction": "tritium-deuterium", "neutron_output_per_s": 1.0e6}
    assert_listed(decide(us, "neutron-generator", **td), "3A231", "b-1", "3A231.b.1")
    assert_not_listed(decide(us, "neutron-generator", **td | {"operates_without_vacuum_pump": False}))
    dd = NEUTRON | {"neutron_reaction": "deuterium-deuterium", "neutron_output_per_s": 3.0e9}
    assert_listed(decide(us, "neutron-tube", **dd), "3A231", "b-2", "3A231.b.2")
    assert_not_listed(decide(us, "neutron-tube", **dd | {"neutron_output_per_s": 2.99e9}))


def test_3a232_b_multipoint_initiation_without_the_eu_primary_explosive_note(us: Regime) -> None:
    quoted(
        "3A232", "b", "over an area greater than 5,000 mm 2", "initiation timing spread over the surface of less than"
    )
    # the EU's Note excepting detonators using only primary explosives is not in the EAR's text: not asked
    assert not any("primary explosives" in item["text"] for item in ECCNS["3A232"]["items"])
    spec = {"initiated_surface_area_mm2": 5001, "initiation_timing_spread_us": 2.49}
    assert_listed(decide(us, "multipoint-initiation-system", **spec), "3A232", "b", "3A232.b")
    assert_not_listed(decide(us, "multipoint-initiation-system", **spec | {"initiated_surface_area_mm2": 5000}))
    assert_not_listed(decide(us, "multipoint-initiation-system", **spec | {"initiation_timing_spread_us": 2.5}))


# --- 3A233 mass spectrometers ---------------------------------------------------------------------------------------

SPECTROMETER = {
    "ms_max_ion_mass_u": 230,
    "ms_resolvable_mass_difference_at_230_u": 1.9,
    "for_online_uf6_gas_stream_analysis": False,
}


def test_3a233_a_icp_ms_at_230_u_and_2_parts_in_230(us: Regime) -> None:
    quoted("3A233", "3A233", "capable of measuring ions of 230 u or greater and having a resolution of better than 2")
    icp = SPECTROMETER | {"ms_ionisation": "inductively-coupled-plasma"}
    assert_listed(decide(us, "mass-spectrometer", **icp), "3A233", "a", "3A233.a")
    assert_not_listed(decide(us, "mass-spectrometer", **icp | {"ms_max_ion_mass_u": 229}))
    assert_not_listed(decide(us, "mass-spectrometer", **icp | {"ms_resolvable_mass_difference_at_230_u": 2}))
    # excluded by the heading: subject to the Nuclear Regulatory Commission (on-line UF6 gas stream analysis)
    quoted("3A233", "3A233", "excluding items that are subject to the export licensing authority of the Nuclear")
    assert_not_listed(decide(us, "mass-spectrometer", **icp | {"for_online_uf6_gas_stream_analysis": True}))


def test_3a233_d_cold_trap_and_e_microfluorination(us: Regime) -> None:
    quoted("3A233", "d.2", "cooled to a temperature of 193 K (−80 °C) or less")
    impact = SPECTROMETER | {"ms_ionisation": "electron-impact", "ms_molecular_beam_inlet": True}
    assert_listed(decide(us, "mass-spectrometer", **impact, ms_cold_trap_temperature_c=-80), "3A233", "d", "3A233.d")
    assert_not_listed(decide(us, "mass-spectrometer", **impact, ms_cold_trap_temperature_c=-79))
    # the EAR numbers the microfluorination ion source e (the EU's f)
    quoted("3A233", "e", "equipped with a microfluorination ion source designed for actinides or actinide fluorides")
    actinide = SPECTROMETER | {"ms_ionisation": "actinide-ion-source", "microfluorination_ion_source": True}
    assert_listed(decide(us, "mass-spectrometer", **actinide), "3A233", "e", "3A233.e")
    assert_not_listed(decide(us, "mass-spectrometer", **actinide | {"microfluorination_ion_source": False}))


# --- 3A101.b accelerators ---------------------------------------------------------------------------------------------

ACCELERATOR = {"bremsstrahlung_capable": True, "usable_in_500kg_300km_system": True, "designed_for_medical_use": False}


def test_3a101_b_accelerator_usable_for_missiles(us: Regime) -> None:
    # unlike the EU's 3A101.b, the EAR's asks that the accelerator be usable for "missiles" or their subsystems
    quoted("3A101", "b", "accelerated electrons of 2 MeV or greater", "usable for the “missiles” or the subsystems")
    assert_listed(
        decide(us, "electron-accelerator-system", **ACCELERATOR, electron_energy_mev=2), "3A101", "b", "3A101.b"
    )
    assert_not_listed(decide(us, "electron-accelerator-system", **ACCELERATOR, electron_energy_mev=1.99))
    civil = ACCELERATOR | {"usable_in_500kg_300km_system": False}
    assert_not_listed(decide(us, "electron-accelerator-system", **civil, electron_energy_mev=2))


# --- 3C001, 3C003, 3C005, 3C006 materials ---------------------------------------------------------------------------


def test_3c001_d_iii_v_layers_and_the_p_type_note(us: Regime) -> None:
    quoted("3C001", "d", "“III/V compounds” of gallium or indium")
    quoted("3C001", None, "except if the P-type epitaxial layer is between N-type layers")
    gan = {
        "heteroepitaxial": True,
        "epitaxial_layer_material": "gallium-nitride",
        "p_type_layer_not_between_n_layers": False,
    }
    gan |= {"substrate_material": "silicon", "resistivity_20c_ohm_cm": 100}
    assert_listed(decide(us, "epitaxial-wafer", **gan), "3C001", "d", "3C001.d")
    assert_not_listed(decide(us, "epitaxial-wafer", **gan | {"p_type_layer_not_between_n_layers": True}))
    silicon = gan | {"epitaxial_layer_material": "silicon"}
    assert_listed(decide(us, "epitaxial-wafer", **silicon), "3C001", "a", "3C001.a")
    assert_not_listed(decide(us, "epitaxial-wafer", **silicon | {"heteroepitaxial": False}))


def test_3c003_b_purity_better_than_99_999(us: Regime) -> None:
    quoted("3C003", "b", "having a purity (inorganic element basis) better than 99.999%")
    quoted("3C003", "3C003", "Organo-inorganic compounds")
    spec = {"precursor_purity_pct": 99.9991, "element_linked_to_carbon": True}
    assert_listed(decide(us, "organo-arsenic-compound", **spec), "3C003", "b", "3C003.b")
    assert_not_listed(decide(us, "organo-arsenic-compound", **spec | {"precursor_purity_pct": 99.999}))


def test_3c005_and_3c006_resistivity_above_10000_ohm_cm(us: Regime) -> None:
    quoted("3C005", "a", "having resistivities greater than 10,000 ohm-cm at 20 °C")
    quoted("3C006", "3C006", "consisting of a “substrate” specified by 3C005 with at least one epitaxial layer")
    substrate = {"substrate_material": "silicon-carbide", "resistivity_20c_ohm_cm": 10001}
    assert_listed(decide(us, "semiconductor-substrate", **substrate), "3C005", "a", "3C005.a")
    assert_not_listed(decide(us, "semiconductor-substrate", **substrate | {"resistivity_20c_ohm_cm": 10000}))
    poly = {"resistivity_20c_ohm_cm": 10001, "single_crystal_surface_layer_material": "gallium-nitride"}
    assert_listed(
        decide(us, "polycrystalline-substrate", **poly, epitaxial_layer_material="none"), "3C005", "b", "3C005.b"
    )
    # a GaN layer grown on the SiC substrate, not hetero-epitaxial multilayers of 3C001: 3C006
    wafer = substrate | {"epitaxial_layer_material": "gallium-nitride", "heteroepitaxial": False}
    wafer |= {"p_type_layer_not_between_n_layers": False}
    assert_listed(decide(us, "epitaxial-wafer", **wafer), "3C006", "on-3c005-a", "3C006")
    assert_not_listed(decide(us, "epitaxial-wafer", **wafer | {"resistivity_20c_ohm_cm": 10000}))
