"""Classification by specification under the EU pack: the Category 2B criteria beyond 2B001 and 2B510 (2B003,
2B006–2B008, 2B201, 2B204, 2B206, 2B207, 2B209, 2B226, 2B227, 2B230–2B232, 2B350; tools/eu_pack/criteria/cat-2.yaml),
checked against Annex I of Regulation (EU) 2021/821 as consolidated on 2025-11-15. Each threshold is quoted from the
text: a specification just inside and just outside it, and the decontrol notes the criteria express."""

from __future__ import annotations

from typing import Any

from exportctl.core_types import Outcome
from exportctl.regime import Regime
from exportctl.regime.snapshot import Snapshot
from tests.packs.conftest import spec_line
from tests.support.clauses import classify, holds, listed_by


def _line(eu: Regime, product: str, **params: Any) -> Any:
    return spec_line(eu, product, params)


# --- 2B003 gear finishing machines -------------------------------------------------------------------------------

GEAR = {
    "numerically_controlled": True,
    "designed_for_spur_helical_gears": True,
    "gear_hardness_hrc": 40,
    "face_width_to_pitch_diameter_pct": 15,
    "iso1328_quality_class": 3,
}


def test_2b003_pitch_diameter_exceeding_1250_mm(snapshot: Snapshot) -> None:
    # "A pitch diameter exceeding 1250 mm; a face width of 15 % ... or larger; AGMA 14 or better (ISO 1328 class 3)".
    assert holds(snapshot, "2B003#gear-finishing", **GEAR, gear_pitch_diameter_mm=1251) is True
    assert holds(snapshot, "2B003#gear-finishing", **GEAR, gear_pitch_diameter_mm=1250) is False
    big = {**GEAR, "gear_pitch_diameter_mm": 1500}
    assert holds(snapshot, "2B003#gear-finishing", **{**big, "face_width_to_pitch_diameter_pct": 14.9}) is False
    assert holds(snapshot, "2B003#gear-finishing", **{**big, "iso1328_quality_class": 4}) is False
    assert holds(snapshot, "2B003#gear-finishing", **{**big, "gear_hardness_hrc": 39}) is False


# --- 2B006 dimensional inspection --------------------------------------------------------------------------------


def test_2b006_a_cmm_at_or_below_1_7_plus_l_over_1000(snapshot: Snapshot) -> None:
    cmm = {"numerically_controllable": True}
    assert holds(snapshot, "2B006#a", **cmm, cmm_mpe_to_limit_ratio=1) is True
    assert holds(snapshot, "2B006#a", **cmm, cmm_mpe_to_limit_ratio=1.01) is False


def test_2b006_b_linear_measuring_and_the_laser_note(snapshot: Snapshot) -> None:
    # b.1: 'resolution' equal to or less than 0,2 µm; b.2: less than (800 + 600 × L/1000) nm; b.3: 0,200 nm.
    probe = {"gauge_contact_type": "non-contact", "laser_interferometer_or_laser_encoder": False}
    assert holds(snapshot, "2B006#b-1", **probe, displacement_resolution_um=0.2) is True
    assert holds(snapshot, "2B006#b-1", **probe, displacement_resolution_um=0.21) is False
    # 2B006.b Note: laser interferometers and encoders are only in b.3.
    laser = {**probe, "laser_interferometer_or_laser_encoder": True, "displacement_resolution_um": 0.1}
    assert holds(snapshot, "2B006#b-1", **laser) is False
    feedback = {"laser_interferometer_or_laser_encoder": False}
    assert holds(snapshot, "2B006#b-2", **feedback, linear_feedback_accuracy_to_limit_ratio=0.99) is True
    assert holds(snapshot, "2B006#b-2", **feedback, linear_feedback_accuracy_to_limit_ratio=1) is False
    system = {"measurement_uncertainty_to_limit_ratio": 1}
    assert holds(snapshot, "2B006#b-3", **system, displacement_resolution_nm=0.2) is True
    assert holds(snapshot, "2B006#b-3", **system, displacement_resolution_nm=0.21) is False


def test_2b006_c_angular_accuracy_and_the_autocollimator_note(snapshot: Snapshot) -> None:
    result = classify(
        snapshot,
        "rotary-position-feedback-device",
        angular_accuracy_arcsec=0.9,
        collimated_light_mirror_instrument=False,
    )
    assert "2B006#c" in listed_by(result)
    assert holds(snapshot, "2B006#c", angular_accuracy_arcsec=0.91, collimated_light_mirror_instrument=False) is False
    assert holds(snapshot, "2B006#c", angular_accuracy_arcsec=0.5, collimated_light_mirror_instrument=True) is False


def test_2b006_d_optical_scatter_sensitivity(snapshot: Snapshot) -> None:
    scatter = {"roughness_measurement_principle": "optical-scatter"}
    assert holds(snapshot, "2B006#d", **scatter, roughness_sensitivity_nm=0.5) is True
    assert holds(snapshot, "2B006#d", **scatter, roughness_sensitivity_nm=0.6) is False


# --- 2B007 / 2B207 robots ----------------------------------------------------------------------------------------


def test_2b007_radiation_and_altitude_thresholds(snapshot: Snapshot) -> None:
    # c: "greater than 5 × 10³ Gy (silicon)"; d: "altitudes exceeding 30000 m".
    assert holds(snapshot, "2B007#c", robot_radiation_tolerance_gy_si=5001) is True
    assert holds(snapshot, "2B007#c", robot_radiation_tolerance_gy_si=5000) is False
    assert holds(snapshot, "2B007#d", robot_max_operating_altitude_m=30001) is True
    assert holds(snapshot, "2B007#d", robot_max_operating_altitude_m=30000) is False


def test_2b007_b_paint_spraying_robots_are_not_controlled(snapshot: Snapshot) -> None:
    munitions = {"robot_explosive_munitions_safety_standard": True}
    assert holds(snapshot, "2B007#b", **munitions, robot_for_painting=False) is True
    assert holds(snapshot, "2B007#b", **munitions, robot_for_painting=True) is False


def test_2b207_high_explosives_robots_and_their_control_units(snapshot: Snapshot) -> None:
    assert "2B207#a" in listed_by(classify(snapshot, "robot", robot_high_explosives_safety_standard=True))
    assert "2B207#b" in listed_by(classify(snapshot, "robot-controller", robot_high_explosives_safety_standard=True))
    assert holds(snapshot, "2B207#a", robot_high_explosives_safety_standard=False) is False


# --- 2B008 compound rotary tables and tilting spindles ------------------------------------------------------------


def test_2b008_compound_rotary_table_needs_two_contouring_rotary_axes(snapshot: Snapshot) -> None:
    table = {"for_turning_milling_or_grinding_machine": True}
    assert holds(snapshot, "2B008#c", **table, coordinated_rotary_axes=2) is True
    assert holds(snapshot, "2B008#c", **table, coordinated_rotary_axes=1) is False
    assert holds(snapshot, "2B008#d", **table, designed_for_contouring_control=False) is False


# --- 2B201 machine tools ----------------------------------------------------------------------------------------

MILL = {"contouring_axes": 3, "special_purpose_2b201_excluded_manufacture": False}


def test_2b201_a_1_milling_positioning_accuracy_of_6_um(snapshot: Snapshot) -> None:
    # "equal to or less (better) than 6 µm according to ISO 230-2:1988 ... along any linear axis".
    short = {**MILL, "x_axis_travel_m": 1.5}
    assert holds(snapshot, "2B201#a-1", **short, positioning_accuracy_mm=0.006) is True
    assert holds(snapshot, "2B201#a-1", **short, positioning_accuracy_mm=0.007) is False


def test_2b201_a_note_large_inaccurate_milling_machines_are_not_controlled(snapshot: Snapshot) -> None:
    # Note: X-axis travel greater than 2 m and overall x-axis positioning accuracy worse than 30 µm.
    large = {**MILL, "positioning_accuracy_mm": 0.005, "x_axis_travel_m": 2.5}
    result = classify(
        snapshot, "milling-machine", **large, x_axis_positioning_accuracy_mm=0.031, contouring_rotary_axes=0
    )
    assert not {"2B201#a-1", "2B201#a-1-x-accurate"} & listed_by(result)
    assert holds(snapshot, "2B201#a-1-x-accurate", **large, x_axis_positioning_accuracy_mm=0.03) is True
    # A travel of exactly 2 m is not "greater than 2 m": the note does not apply.
    assert holds(snapshot, "2B201#a-1", **{**large, "x_axis_travel_m": 2}) is True


def test_2b201_a_3_five_axis_milling(snapshot: Snapshot) -> None:
    five = {**MILL, "x_axis_travel_m": 1}
    assert holds(snapshot, "2B201#a-3", **{**five, "contouring_axes": 5}) is True
    assert holds(snapshot, "2B201#a-3", **{**five, "contouring_axes": 4}) is False


def test_2b201_b_grinding_4_um_and_its_note(snapshot: Snapshot) -> None:
    grinder = {"contouring_axes": 2, "special_purpose_2b201_excluded_manufacture": False}
    assert (
        holds(snapshot, "2B201#b-1", **grinder, grinder_2b201_excluded_type=False, positioning_accuracy_mm=0.004)
        is True
    )
    assert (
        holds(snapshot, "2B201#b-1", **grinder, grinder_2b201_excluded_type=False, positioning_accuracy_mm=0.0041)
        is False
    )
    assert (
        holds(snapshot, "2B201#b-1", **grinder, grinder_2b201_excluded_type=True, positioning_accuracy_mm=0.002)
        is False
    )


def test_2b201_c_turning_better_than_6_um_over_35_mm(snapshot: Snapshot) -> None:
    # "better (less) than 6 µm ... for machines capable of machining diameters greater than 35 mm".
    lathe = {
        "contouring_axes": 2,
        "swissturn_bar_machine": False,
        "special_purpose_2b201_excluded_manufacture": False,
        "max_turning_diameter_mm": 36,
    }
    assert holds(snapshot, "2B201#c", **lathe, positioning_accuracy_mm=0.0059) is True
    assert holds(snapshot, "2B201#c", **lathe, positioning_accuracy_mm=0.006) is False
    assert (
        holds(snapshot, "2B201#c", **{**lathe, "max_turning_diameter_mm": 35}, positioning_accuracy_mm=0.005) is False
    )
    assert (
        holds(snapshot, "2B201#c", **{**lathe, "swissturn_bar_machine": True}, positioning_accuracy_mm=0.005) is False
    )


def test_2b201_through_the_engine_needs_a_licence(eu: Regime) -> None:
    line = _line(
        eu,
        "lathe",
        contouring_axes=2,
        positioning_accuracy_mm=0.005,
        max_turning_diameter_mm=200,
        swissturn_bar_machine=False,
        special_purpose_2b201_excluded_manufacture=False,
        linear_axis_travel_m=0.8,
        unidirectional_repeatability_mm=0.002,
        turning_machine_excluded_type=False,
        special_purpose_excluded_manufacture=False,
        modified_for_deep_hole_drilling=False,
    )
    assert [(m.entry, m.control_numbers) for m in line.entries] == [("2B201", ("2B201.c",))]
    assert line.outcome is Outcome.LICENCE_REQUIRED


# --- 2B204 isostatic presses ------------------------------------------------------------------------------------


def test_2b204_69_mpa_and_over_152_mm(snapshot: Snapshot) -> None:
    assert holds(snapshot, "2B204#a", press_max_pressure_mpa=69, press_chamber_inner_diameter_mm=153) is True
    assert holds(snapshot, "2B204#a", press_max_pressure_mpa=68.9, press_chamber_inner_diameter_mm=200) is False
    assert holds(snapshot, "2B204#a", press_max_pressure_mpa=100, press_chamber_inner_diameter_mm=152) is False
    die = classify(snapshot, "isostatic-press-die", press_max_pressure_mpa=69, press_chamber_inner_diameter_mm=153)
    assert "2B204#b" in listed_by(die)


# --- 2B206 dimensional inspection -------------------------------------------------------------------------------


def test_2b206_a_cmm_by_axis_count(snapshot: Snapshot) -> None:
    cmm = {"numerically_controllable": True, "cmm_mpe_margin_um": 0}
    assert holds(snapshot, "2B206#a-1", **cmm, measuring_axes=2) is True
    assert holds(snapshot, "2B206#a-2", **cmm, measuring_axes=2) is False
    assert holds(snapshot, "2B206#a-2", **cmm, measuring_axes=3) is True
    assert holds(snapshot, "2B206#a-2", **{**cmm, "cmm_mpe_margin_um": 0.1}, measuring_axes=3) is False


def test_2b206_d_lvdt_linearity_and_drift(snapshot: Snapshot) -> None:
    # d.1.a: up to 5 mm, 0,1 % from 0 to full range; d.1.b: beyond 5 mm, 0,1 % from 0 to 5 mm; d.2: 0,1 % per day.
    good = {"lvdt_linearity_pct": 0.1, "lvdt_drift_pct_per_24h": 0.1}
    assert holds(snapshot, "2B206#d-1-a", **good, lvdt_range_mm=5) is True
    assert holds(snapshot, "2B206#d-1-b", **good, lvdt_range_mm=5) is False
    assert holds(snapshot, "2B206#d-1-b", **good, lvdt_range_mm=6) is True
    assert holds(snapshot, "2B206#d-1-a", **{**good, "lvdt_drift_pct_per_24h": 0.11}, lvdt_range_mm=5) is False


def test_2b206_c_laser_systems_and_the_slide_error_note(snapshot: Snapshot) -> None:
    laser = {"laser_uncertainty_margin_um": 0, "slide_error_interferometer_without_feedback": False}
    assert holds(snapshot, "2B206#c", **laser, displacement_resolution_nm=100) is True
    assert holds(snapshot, "2B206#c", **laser, displacement_resolution_nm=101) is False
    slide = {**laser, "slide_error_interferometer_without_feedback": True}
    assert holds(snapshot, "2B206#c", **slide, displacement_resolution_nm=50) is False


# --- 2B209 flow forming -----------------------------------------------------------------------------------------


def test_2b209_three_rollers_and_mandrel_diameters(snapshot: Snapshot) -> None:
    nc = {"numerically_controllable": True}
    assert holds(snapshot, "2B209#a-flow-forming", **nc, roller_count=3) is True
    assert holds(snapshot, "2B209#a-flow-forming", **nc, roller_count=2) is False
    spin = {**nc, "roller_count": 3}
    assert holds(snapshot, "2B209#a-spin-forming", **spin, flow_forming_capable=False) is False
    for inside, expected in ((75, True), (74.9, False), (650, True), (650.1, False)):
        assert holds(snapshot, "2B209#b", rotor_inner_diameter_mm=inside) is expected


# --- 2B226 / 2B227 furnaces -------------------------------------------------------------------------------------

INDUCTION = {
    "furnace_atmosphere": "vacuum",
    "induction_coil_diameter_mm": 600,
    "furnace_power_input_kw": 5,
    "designed_for_semiconductor_wafer_processing": False,
}


def test_2b226_a_above_850_c_and_the_wafer_note(snapshot: Snapshot) -> None:
    assert holds(snapshot, "2B226#a", **INDUCTION, furnace_max_temperature_c=851) is True
    assert holds(snapshot, "2B226#a", **INDUCTION, furnace_max_temperature_c=850) is False
    hot = {**INDUCTION, "furnace_max_temperature_c": 1000}
    assert holds(snapshot, "2B226#a", **{**hot, "induction_coil_diameter_mm": 601}) is False
    assert holds(snapshot, "2B226#a", **{**hot, "furnace_power_input_kw": 4.9}) is False
    assert holds(snapshot, "2B226#a", **{**hot, "furnace_atmosphere": "air"}) is False
    assert holds(snapshot, "2B226#a", **{**hot, "designed_for_semiconductor_wafer_processing": True}) is False


def test_2b227_arc_and_beam_furnaces_and_torches(snapshot: Snapshot) -> None:
    arc = {"furnace_atmosphere": "vacuum", "furnace_max_temperature_c": 1701}
    assert holds(snapshot, "2B227#a", **arc, consumable_electrode_capacity_cm3=1000) is True
    assert holds(snapshot, "2B227#a", **arc, consumable_electrode_capacity_cm3=999) is False
    assert (
        holds(snapshot, "2B227#a", **{**arc, "furnace_max_temperature_c": 1700}, consumable_electrode_capacity_cm3=5000)
        is False
    )
    beam = {"furnace_atmosphere": "vacuum", "furnace_max_temperature_c": 1201}
    assert holds(snapshot, "2B227#b", **beam, furnace_output_power_kw=50) is True
    assert holds(snapshot, "2B227#b", **beam, furnace_output_power_kw=49) is False
    # d: plasma torches "operating at a power greater than 50 kW" (the furnace itself: 50 kW or greater).
    torch = {"for_product_meets_specs": True, "furnace_max_temperature_c": 1201}
    assert holds(snapshot, "2B227#d", **torch, rated_output_kw=50) is False
    assert holds(snapshot, "2B227#d", **torch, rated_output_kw=51) is True


# --- 2B230, 2B231, 2B232 ----------------------------------------------------------------------------------------

TRANSDUCER = {"measures_absolute_pressure": True, "sensor_material": "nickel", "sensor_seal_material": "none"}


def test_2b230_accuracy_by_full_scale(snapshot: Snapshot) -> None:
    assert holds(snapshot, "2B230#c-1", **TRANSDUCER, full_scale_kpa=12, accuracy_pct_of_full_scale=0.9) is True
    assert holds(snapshot, "2B230#c-1", **TRANSDUCER, full_scale_kpa=12, accuracy_pct_of_full_scale=1) is False
    assert holds(snapshot, "2B230#c-2", **TRANSDUCER, full_scale_kpa=13, accuracy_at_13kpa_pa=129) is True
    assert holds(snapshot, "2B230#c-2", **TRANSDUCER, full_scale_kpa=13, accuracy_at_13kpa_pa=130) is False
    steel = {**TRANSDUCER, "sensor_material": "stainless-steel"}
    assert holds(snapshot, "2B230#c-2", **steel, full_scale_kpa=13, accuracy_at_13kpa_pa=100) is False


def test_2b231_vacuum_pump_thresholds(snapshot: Snapshot) -> None:
    # 380 mm, 15 m³/s, "better than 13 mPa".
    pump = {"inlet_inner_diameter_cm": 38, "pumping_speed_l_per_s": 15000}
    assert holds(snapshot, "2B231#pump", **pump, ultimate_pressure_millipascal=12.9) is True
    assert holds(snapshot, "2B231#pump", **pump, ultimate_pressure_millipascal=13) is False
    assert (
        holds(snapshot, "2B231#pump", **{**pump, "inlet_inner_diameter_cm": 37.9}, ultimate_pressure_millipascal=1)
        is False
    )


def test_2b232_projectiles_of_1_5_km_s(snapshot: Snapshot) -> None:
    assert holds(snapshot, "2B232#gun", projectile_max_velocity_km_s=1.5) is True
    assert holds(snapshot, "2B232#gun", projectile_max_velocity_km_s=1.49) is False


# --- 2B350 chemical manufacturing equipment ----------------------------------------------------------------------


def test_2b350_a_reaction_vessel_volume_and_material(snapshot: Snapshot) -> None:
    # "greater than 0,1 m3 (100 litres) and less than 20 m3 (20000 litres)".
    glass = {"wetted_material": "glass"}
    assert holds(snapshot, "2B350#a", **glass, vessel_volume_m3=0.11) is True
    assert holds(snapshot, "2B350#a", **glass, vessel_volume_m3=0.1) is False
    assert holds(snapshot, "2B350#a", **glass, vessel_volume_m3=20) is False
    assert holds(snapshot, "2B350#a", wetted_material="stainless-steel", vessel_volume_m3=1) is False


def test_2b350_g_valves(snapshot: Snapshot) -> None:
    # g.1: 'nominal size' greater than DN 10; silicon carbide of 80 % purity or more is a corrosion resistant material.
    assert holds(snapshot, "2B350#g-1", valve_nominal_size_a=15, wetted_material="fluoropolymer") is True
    assert holds(snapshot, "2B350#g-1", valve_nominal_size_a=10, wetted_material="fluoropolymer") is False
    sic = {"valve_nominal_size_a": 15, "wetted_material": "silicon-carbide"}
    assert holds(snapshot, "2B350#g-1-silicon-carbide", **sic, wetted_ceramic_purity_wt_pct=80) is True
    assert holds(snapshot, "2B350#g-1-silicon-carbide", **sic, wetted_ceramic_purity_wt_pct=79) is False
    # g.2: DN 25 to DN 100 with an interchangeable closure element.
    lined = {"closure_element_interchangeable": True, "casing_wetted_material": "fluoropolymer"}
    assert holds(snapshot, "2B350#g-2", **lined, valve_nominal_size_a=100) is True
    assert holds(snapshot, "2B350#g-2", **lined, valve_nominal_size_a=101) is False
    assert holds(snapshot, "2B350#g-2", **lined, valve_nominal_size_a=24) is False


def test_2b350_i_pumps(snapshot: Snapshot) -> None:
    # Multiple-seal and seal-less pumps "greater than 0,6 m3/hour", vacuum pumps "greater than 5 m3/hour".
    sealless = {"pump_shaft_seal": "seal-less", "wetted_material": "ferrosilicon"}
    assert holds(snapshot, "2B350#i-pump", **sealless, pump_max_specified_flow_m3_per_h=0.61) is True
    assert holds(snapshot, "2B350#i-pump", **sealless, pump_max_specified_flow_m3_per_h=0.6) is False
    single = {**sealless, "pump_shaft_seal": "single-seal"}
    assert holds(snapshot, "2B350#i-pump", **single, pump_max_specified_flow_m3_per_h=10) is False
    assert holds(snapshot, "2B350#i-vacuum-pump", wetted_material="glass", pump_max_specified_flow_m3_per_h=5) is False
    assert holds(snapshot, "2B350#i-vacuum-pump", wetted_material="glass", pump_max_specified_flow_m3_per_h=5.1) is True


def test_2b350_missing_parameter_is_undetermined(eu: Regime) -> None:
    line = _line(eu, "heat-exchanger", heat_transfer_area_m2=1)
    assert line.outcome is Outcome.INDETERMINATE
    assert "params.wetted_material" in line.missing


def test_2b350_d_heat_exchanger_through_the_engine(eu: Regime) -> None:
    line = _line(eu, "heat-exchanger", heat_transfer_area_m2=0.16, wetted_material="silicon-carbide")
    assert [(m.entry, m.control_numbers) for m in line.entries] == [("2B350", ("2B350.d",))]
    assert line.outcome is Outcome.LICENCE_REQUIRED
    small = _line(eu, "heat-exchanger", heat_transfer_area_m2=0.15, wetted_material="silicon-carbide")
    assert small.outcome is not Outcome.LICENCE_REQUIRED
