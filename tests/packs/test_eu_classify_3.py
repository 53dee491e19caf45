"""Classification by specification under the EU pack: the Category 3 entries encoded in the second round (3A003, 3A101,
3A102, 3A201, 3A225–3A234, 3A502, 3B002, 3B503, 3B504, 3C507–3C509; tools/eu_pack/criteria/cat-3.yaml), checked
against Annex I of Regulation (EU) 2021/821 as consolidated on 2025-11-15. Each case is a specification just inside a
threshold of the text (listed by the engine, under the sub-paragraph) and one just outside it (the clause fails)."""

from __future__ import annotations

from typing import Any

import pytest

from exportctl.core_types import LineDetermination, Outcome
from exportctl.regime import Regime
from exportctl.regime.snapshot import Snapshot
from tests.packs.conftest import spec_line
from tests.support.clauses import holds


def determine_line(eu: Regime, product: str, params: dict[str, Any]) -> LineDetermination:
    """The engine's determination of one line: an export of the specification from Germany to China."""
    return spec_line(eu, product, params)


def found(line: LineDetermination) -> dict[str, tuple[str, ...]]:
    return {f"{m.entry}#{m.clause}": m.control_numbers for m in line.entries if m.via == "specification"}


# (product, a specification just inside the text's thresholds, the clause and sub-paragraph that list it, the
# specification changed to just outside one threshold or into a decontrol note, what the text says)
CASES = [
    (
        "spray-cooling-system",
        {"closed_loop_sealed_enclosure": True, "dielectric_coolant_spray_nozzles": True},
        "3A003#spray-cooling",
        "3A003",
        {"dielectric_coolant_spray_nozzles": False},
        "specially designed spray nozzles",
    ),
    (
        "ad-converter-ic",
        {"usable_in_500kg_300km_system": True, "designed_to_military_ruggedized_specs": True},
        "3A101#a",
        "3A101.a",
        {"designed_to_military_ruggedized_specs": False},
        "military specifications",
    ),
    (
        "electron-accelerator",
        {"bremsstrahlung_capable": True, "electron_energy_mev": 2, "designed_for_medical_use": False},
        "3A101#b",
        "3A101.b",
        {"electron_energy_mev": 1.99},
        "2 MeV or greater",
    ),
    (
        "electron-accelerator",
        {"bremsstrahlung_capable": True, "electron_energy_mev": 6, "designed_for_medical_use": False},
        "3A101#b",
        "3A101.b",
        {"designed_for_medical_use": True},
        "Note: not medical equipment",
    ),
    (
        "thermal-battery",
        {"solid_inorganic_salt_electrolyte": True, "missile_range_km": 301},
        "3A102#thermal-battery",
        "3A102",
        {"missile_range_km": 300},
        "range exceeding 300 km",
    ),
    (
        "capacitor",
        {
            "rated_voltage_kv": 1.41,
            "capacitor_total_energy_j": 10.1,
            "capacitance_uf": 0.51,
            "series_inductance_nh": 49,
        },
        "3A201#a-1",
        "3A201.a.1",
        {"rated_voltage_kv": 1.4, "series_inductance_nh": 10},
        "greater than 1,4 kV",
    ),
    (
        "pulse-capacitor",
        {"rated_voltage_kv": 0.76, "capacitance_uf": 0.26, "series_inductance_nh": 9.9},
        "3A201#a-2",
        "3A201.a.2",
        {"series_inductance_nh": 10},
        "less than 10 nH",
    ),
    (
        "superconducting-solenoid-magnet",
        {
            "magnet_flux_density_t": 2.1,
            "magnet_coil_length_to_inner_diameter_ratio": 2.1,
            "magnet_coil_inner_diameter_mm": 301,
            "field_uniformity_central_half_volume_pct": 0.9,
            "exported_as_part_of_medical_nmr_imaging": False,
        },
        "3A201#b",
        "3A201.b",
        {"magnet_coil_inner_diameter_mm": 300},
        "inner diameter greater than 300 mm",
    ),
    (
        "superconducting-solenoid-magnet",
        {
            "magnet_flux_density_t": 3,
            "magnet_coil_length_to_inner_diameter_ratio": 3,
            "magnet_coil_inner_diameter_mm": 400,
            "field_uniformity_central_half_volume_pct": 0.5,
            "exported_as_part_of_medical_nmr_imaging": False,
        },
        "3A201#b",
        "3A201.b",
        {"exported_as_part_of_medical_nmr_imaging": True},
        "Note: medical NMR imaging",
    ),
    (
        "flash-x-ray-generator",
        {
            "electron_peak_energy_mev": 0.5,
            "accelerator_figure_of_merit_k": 0.25,
            "accelerator_other_purpose_part_or_medical": False,
        },
        "3A201#c-1",
        "3A201.c.1",
        {"electron_peak_energy_mev": 0.499},
        "500 keV or greater",
    ),
    (
        "electron-accelerator",
        {
            "electron_peak_energy_mev": 25,
            "accelerator_peak_power_mw": 50.1,
            "accelerator_other_purpose_part_or_medical": False,
        },
        "3A201#c-2",
        "3A201.c.2",
        {"accelerator_peak_power_mw": 50},
        "'peak power' greater than 50 MW",
    ),
    (
        "frequency-changer",
        {
            "changer_output_phases": 3,
            "changer_output_power_va": 40,
            "changer_output_frequency_hz": 600,
            "changer_frequency_control_pct": 0.19,
            "performance_constrained_per_3a225_note": False,
        },
        "3A225#frequency-changer",
        "3A225",
        {"changer_frequency_control_pct": 0.2},
        "better (less) than 0,2 %",
    ),
    (
        "frequency-changer",
        {
            "changer_output_phases": 3,
            "changer_output_power_va": 40,
            "changer_output_frequency_hz": 600,
            "changer_frequency_control_pct": 0.1,
            "performance_constrained_per_3a225_note": False,
        },
        "3A225#frequency-changer",
        "3A225",
        {"changer_output_frequency_hz": 599},
        "600 Hz or more",
    ),
    (
        "dc-power-supply",
        {
            "psu_output_voltage_v": 100,
            "psu_output_current_a": 500,
            "psu_continuous_operation_h": 8,
            "psu_regulation_pct": 0.09,
        },
        "3A226#high-power",
        "3A226",
        {"psu_output_current_a": 499},
        "500 A or greater",
    ),
    (
        "dc-power-supply",
        {
            "psu_output_voltage_v": 20000,
            "psu_output_current_a": 1,
            "psu_continuous_operation_h": 8,
            "psu_regulation_pct": 0.09,
        },
        "3A227#high-voltage",
        "3A227",
        {"psu_output_voltage_v": 19999},
        "20 kV or greater",
    ),
    (
        "cold-cathode-tube",
        {"electrode_count": 3, "peak_anode_voltage_v": 2500, "peak_anode_current_a": 100, "anode_delay_time_us": 10},
        "3A228#a",
        "3A228.a",
        {"anode_delay_time_us": 10.1},
        "10 μs or less",
    ),
    (
        "triggered-spark-gap",
        {"anode_delay_time_us": 15, "peak_current_a": 500},
        "3A228#b",
        "3A228.b",
        {"peak_current_a": 499},
        "500 A or more",
    ),
    (
        "fast-switching-assembly",
        {"peak_anode_voltage_v": 2001, "peak_anode_current_a": 500, "turn_on_time_us": 1},
        "3A228#c",
        "3A228.c",
        {"peak_anode_voltage_v": 2000},
        "greater than 2 kV",
    ),
    (
        "detonator-firing-set",
        {"drives_multiple_1a007b_detonators": True},
        "3A229#a",
        "3A229.a",
        {"drives_multiple_1a007b_detonators": False},
        "multiple controlled detonators",
    ),
    (
        "xenon-flash-lamp-driver",
        {
            "modular": True,
            "portable_mobile_or_ruggedized_design": True,
            "pulse_delivery_time_into_40_ohm_us": 14.9,
            "peak_current_a": 101,
            "max_dimension_mm": 300,
            "mass_kg": 29.9,
            "min_operating_temp_c": -50,
            "max_operating_temp_c": 100,
        },
        "3A229#b-temperature",
        "3A229.b",
        {"mass_kg": 30},
        "weight less than 30 kg",
    ),
    (
        "pulse-generator",
        {
            "modular": True,
            "portable_mobile_or_ruggedized_design": True,
            "pulse_delivery_time_into_40_ohm_us": 10,
            "peak_current_a": 200,
            "max_dimension_mm": 250,
            "mass_kg": 10,
            "specified_for_aerospace": True,
        },
        "3A229#b-aerospace",
        "3A229.b",
        {"max_dimension_mm": 301},
        "no dimension greater than 30 cm",
    ),
    (
        "micro-firing-unit",
        {"max_dimension_mm": 35, "rated_voltage_kv": 1, "capacitance_uf": 0.1},
        "3A229#c",
        "3A229.c",
        {"capacitance_uf": 0.099},
        "100 nF or greater",
    ),
    (
        "pulse-head",
        {"pulse_voltage_into_55_ohm_v": 6.1, "pulse_rise_time_ps": 499},
        "3A230#fast-pulse",
        "3A230",
        {"pulse_rise_time_ps": 500},
        "less than 500 ps",
    ),
    (
        "neutron-tube",
        {
            "operates_without_vacuum_pump": True,
            "electrostatic_acceleration": True,
            "neutron_reaction": "deuterium-deuterium",
            "neutron_output_per_s": 3.0e9,
        },
        "3A231#b-2",
        "3A231.b.2",
        {"neutron_output_per_s": 2.9e9},
        "3 × 10^9 neutrons/s or greater",
    ),
    (
        "multipoint-initiation-system",
        {"initiated_surface_area_mm2": 5001, "initiation_timing_spread_us": 2.4, "uses_only_primary_explosives": False},
        "3A232#b",
        "3A232.b",
        {"initiated_surface_area_mm2": 5000},
        "greater than 5000 mm2",
    ),
    (
        "mass-spectrometer",
        {
            "ms_max_ion_mass_u": 230,
            "ms_resolvable_mass_difference_at_230_u": 1.9,
            "ms_ionisation": "inductively-coupled-plasma",
        },
        "3A233#a",
        "3A233.a",
        {"ms_resolvable_mass_difference_at_230_u": 2},
        "better than 2 parts in 230",
    ),
    (
        "mass-spectrometer",
        {
            "ms_max_ion_mass_u": 250,
            "ms_resolvable_mass_difference_at_230_u": 1,
            "ms_ionisation": "electron-impact",
            "ms_molecular_beam_inlet": True,
            "ms_cold_trap_temperature_c": -80,
        },
        "3A233#d",
        "3A233.d",
        {"ms_cold_trap_temperature_c": -79},
        "cooled to 193 K (-80 °C)",
    ),
    (
        "detonator-stripline",
        {"rated_voltage_kv": 2.1, "inductance_path_nh": 19.9},
        "3A234#stripline",
        "3A234",
        {"inductance_path_nh": 20},
        "less than 20 nH",
    ),
    (
        "fpga-board",
        {"user_configurable_fpld": True, "aggregate_lut_input_count": 1800000},
        "3A502#i",
        "3A502.i",
        {"aggregate_lut_input_count": 1799999},
        "greater than or equal to 1800000",
    ),
    (
        "semiconductor-test-equipment",
        {"test_target": "listed-mmic-amplifiers"},
        "3B002#c",
        "3B002.c",
        {"test_target": "other"},
        "items specified in 3A001.b.2",
    ),
    (
        "scanning-electron-microscope",
        {
            "designed_for_imaging_semiconductor_devices": True,
            "stage_placement_accuracy_nm": 29,
            "laser_interferometer_stage_and_fov_calibration": True,
            "image_pixels": 2.01e8,
            "fov_overlap_pct": 4.9,
            "stitching_overlap_nm": 49,
            "accelerating_voltage_kv": 21.1,
            "semi_standard_wafer_carrier_load_port": False,
        },
        "3B503#sem",
        "3B503",
        {"accelerating_voltage_kv": 21},
        "more than 21 kV",
    ),
    (
        "scanning-electron-microscope",
        {
            "designed_for_imaging_semiconductor_devices": True,
            "stage_placement_accuracy_nm": 10,
            "laser_interferometer_stage_and_fov_calibration": True,
            "image_pixels": 5e8,
            "fov_overlap_pct": 1,
            "stitching_overlap_nm": 10,
            "accelerating_voltage_kv": 30,
            "semi_standard_wafer_carrier_load_port": False,
        },
        "3B503#sem",
        "3B503",
        {"semi_standard_wafer_carrier_load_port": True},
        "Note 2: SEMI standard wafer carrier",
    ),
    (
        "cryogenic-wafer-prober",
        {"min_test_temperature_c": -268.65, "wafer_diameter_mm": 100},
        "3B504#prober",
        "3B504",
        {"min_test_temperature_c": -268.6},
        "4,5 K (-268,65 °C) or less",
    ),
    (
        "epitaxial-wafer",
        {"epitaxial_layer_material": "silicon", "other_isotope_impurity_pct": 0.079},
        "3C507#a",
        "3C507.a",
        {"other_isotope_impurity_pct": 0.08},
        "less than 0,08 %",
    ),
    (
        "silicon-hydride",
        {"other_isotope_impurity_pct": 0.079},
        "3C508#a",
        "3C508.a",
        {"other_isotope_impurity_pct": 0.08},
        "less than 0,08 %",
    ),
    (
        "germanium-ingot",
        {"other_isotope_impurity_pct": 0.05},
        "3C509#b",
        "3C509.b",
        {"other_isotope_impurity_pct": 0.08},
        "less than 0,08 %",
    ),
]


@pytest.mark.parametrize(("product", "inside", "ref", "number", "outside", "text"), CASES)
def test_just_inside_the_text_is_listed_and_just_outside_is_not(
    eu: Regime,
    snapshot: Snapshot,
    product: str,
    inside: dict[str, Any],
    ref: str,
    number: str,
    outside: dict[str, Any],
    text: str,
) -> None:
    listed = determine_line(eu, product, inside)
    assert found(listed).get(ref) == (number,), text
    assert listed.outcome is Outcome.LICENCE_REQUIRED  # an Annex I item to China: no Union general authorisation
    assert holds(snapshot, ref, **{**inside, **outside}) is False, text
    assert ref not in found(determine_line(eu, product, {**inside, **outside})), text


def test_3a201_c_the_energy_bands_do_not_overlap(snapshot: Snapshot) -> None:
    # c.1 "500 keV or greater but less than 25 MeV"; c.2 "25 MeV or greater"
    c1 = {"accelerator_figure_of_merit_k": 1, "accelerator_other_purpose_part_or_medical": False}
    assert holds(snapshot, "3A201#c-1", **c1, electron_peak_energy_mev=24.99) is True
    assert holds(snapshot, "3A201#c-1", **c1, electron_peak_energy_mev=25) is False
    c2 = {"accelerator_peak_power_mw": 100, "accelerator_other_purpose_part_or_medical": False}
    assert holds(snapshot, "3A201#c-2", **c2, electron_peak_energy_mev=24.99) is False
    # the Note: not accelerators that are component parts of devices for other purposes (electron microscopy)
    assert holds(snapshot, "3A201#c-2", **{**c2, "accelerator_other_purpose_part_or_medical": True},
                 electron_peak_energy_mev=30) is False  # fmt: skip


def test_3a225_note_constrained_changers_and_multiphase_output(snapshot: Snapshot) -> None:
    changer = {"changer_output_power_va": 40, "changer_output_frequency_hz": 600, "changer_frequency_control_pct": 0.1}
    assert holds(snapshot, "3A225#frequency-changer", **changer, changer_output_phases=2,
                 performance_constrained_per_3a225_note=False) is True  # fmt: skip
    assert holds(snapshot, "3A225#frequency-changer", **changer, changer_output_phases=1,
                 performance_constrained_per_3a225_note=False) is False  # fmt: skip
    assert holds(snapshot, "3A225#frequency-changer", **changer, changer_output_phases=3,
                 performance_constrained_per_3a225_note=True) is False  # fmt: skip


def test_3a231_tritium_deuterium_needs_no_output_threshold(snapshot: Snapshot) -> None:
    td = {
        "operates_without_vacuum_pump": True,
        "electrostatic_acceleration": True,
        "neutron_reaction": "tritium-deuterium",
    }
    assert holds(snapshot, "3A231#b-1", **td) is True
    # 3A231.a "designed for operation without an external vacuum system"
    assert holds(snapshot, "3A231#b-1", **{**td, "operates_without_vacuum_pump": False}) is False


def test_3a232_note_detonators_using_only_primary_explosives(snapshot: Snapshot) -> None:
    arrangement = {"initiated_surface_area_mm2": 6000, "initiation_timing_spread_us": 2.4}
    assert holds(snapshot, "3A232#b", **arrangement, uses_only_primary_explosives=True) is False
    assert holds(snapshot, "3A232#b", **{**arrangement, "initiation_timing_spread_us": 2.5},
                 uses_only_primary_explosives=False) is False  # fmt: skip


def test_3a233_f_needs_a_microfluorination_ion_source(snapshot: Snapshot) -> None:
    ms = {"ms_max_ion_mass_u": 240, "ms_resolvable_mass_difference_at_230_u": 1, "ms_ionisation": "actinide-ion-source"}
    assert holds(snapshot, "3A233#f", **ms, microfluorination_ion_source=True) is True
    assert holds(snapshot, "3A233#f", **ms, microfluorination_ion_source=False) is False
    # "capable of measuring ions of 230 u or greater"
    assert holds(snapshot, "3A233#f", **{**ms, "ms_max_ion_mass_u": 229}, microfluorination_ion_source=True) is False


def test_a_missing_parameter_leaves_the_line_undetermined(eu: Regime) -> None:
    # 3B504 needs both characteristics: without the wafer diameter the prober cannot be decided
    line = determine_line(eu, "cryogenic-wafer-prober", {"min_test_temperature_c": -270})
    assert line.outcome is Outcome.INDETERMINATE
    assert line.missing == ("params.wafer_diameter_mm",)
