"""Classification by specification under the EU pack: the Category 2B criteria beyond 2B001 and 2B510 (2B003,
2B006–2B008, 2B104, 2B105, 2B120–2B122, 2B201, 2B204, 2B206, 2B207, 2B209, 2B219, 2B225–2B227, 2B230–2B233, 2B350;
tools/eu_pack/criteria/cat-2.yaml), checked against Annex I of Regulation (EU) 2021/821 as consolidated on 2025-11-15.
Each threshold is quoted from the text: a specification just inside and just outside it, and the decontrol notes the
criteria express."""

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


# --- 2B104 / 2B105 isostatic presses and CVD furnaces ----------------------------------------------------------


def test_2b104_isostatic_press_thresholds(snapshot: Snapshot) -> None:
    # "69 MPa or greater"; "873 K (600 °C) or greater"; "inside diameter of 254 mm or greater".
    press = {"press_max_pressure_mpa": 69, "press_chamber_max_controlled_temperature_c": 600}
    assert holds(snapshot, "2B104#press", **press, press_chamber_inner_diameter_mm=254) is True
    assert holds(snapshot, "2B104#press", **press, press_chamber_inner_diameter_mm=253) is False
    wide = {**press, "press_chamber_inner_diameter_mm": 300}
    assert holds(snapshot, "2B104#press", **{**wide, "press_max_pressure_mpa": 68}) is False
    assert holds(snapshot, "2B104#press", **{**wide, "press_chamber_max_controlled_temperature_c": 599}) is False


def test_2b105_cvd_furnace_through_the_engine(eu: Regime) -> None:
    line = _line(eu, "cvd-furnace", designed_for_carbon_carbon_densification=True)
    assert [(m.entry, m.control_numbers) for m in line.entries] == [("2B105", ("2B105",))]
    assert line.outcome is Outcome.LICENCE_REQUIRED
    other = _line(eu, "cvd-furnace", designed_for_carbon_carbon_densification=False)
    assert other.outcome is not Outcome.LICENCE_REQUIRED


# --- 2B120 / 2B121 / 2B122 motion simulators, rate and positioning tables, centrifuges ----------------------------

TABLE = {"table_axes": 2, "designed_to_incorporate_slip_rings": True, "designed_for_machine_tool_or_medical": False}
AXIS = {"angular_rate_resolution_deg_s": 6, "angular_rate_accuracy_deg_s": 0.6}


def test_2b120_c_1_rates_of_400_or_more_or_30_or_less(snapshot: Snapshot) -> None:
    assert holds(snapshot, "2B120#c-1-high-rate", **TABLE, **AXIS, max_angular_rate_deg_s=400) is True
    assert holds(snapshot, "2B120#c-1-high-rate", **TABLE, **AXIS, max_angular_rate_deg_s=399) is False
    assert holds(snapshot, "2B120#c-1-low-rate", **TABLE, **AXIS, min_angular_rate_deg_s=30) is True
    assert holds(snapshot, "2B120#c-1-low-rate", **TABLE, **AXIS, min_angular_rate_deg_s=31) is False
    coarse = {**AXIS, "angular_rate_accuracy_deg_s": 0.7}
    assert holds(snapshot, "2B120#c-1-high-rate", **TABLE, **coarse, max_angular_rate_deg_s=500) is False


def test_2b120_c_2_c_3_stability_and_positioning_and_note_1(snapshot: Snapshot) -> None:
    assert holds(snapshot, "2B120#c-2", **TABLE, angular_rate_stability_pct=0.05) is True
    assert holds(snapshot, "2B120#c-2", **TABLE, angular_rate_stability_pct=0.06) is False
    assert holds(snapshot, "2B120#c-3", **TABLE, angular_positioning_accuracy_arcsec=5) is True
    assert holds(snapshot, "2B120#c-3", **TABLE, angular_positioning_accuracy_arcsec=5.1) is False
    # Note 1: rotary tables designed for machine tools or medical equipment; 2B120.a: two or more axes.
    machine_tool = {**TABLE, "designed_for_machine_tool_or_medical": True}
    assert holds(snapshot, "2B120#c-3", **machine_tool, angular_positioning_accuracy_arcsec=1) is False
    assert holds(snapshot, "2B120#c-3", **{**TABLE, "table_axes": 1}, angular_positioning_accuracy_arcsec=1) is False


def test_2b121_positioning_table(snapshot: Snapshot) -> None:
    table = {"table_axes": 2, "designed_for_machine_tool_or_medical": False}
    result = classify(snapshot, "positioning-table", **table, angular_positioning_accuracy_arcsec=5)
    assert "2B121#positioning-table" in listed_by(result)
    assert holds(snapshot, "2B121#positioning-table", **table, angular_positioning_accuracy_arcsec=5.1) is False
    assert (
        holds(snapshot, "2B121#positioning-table", **{**table, "table_axes": 1}, angular_positioning_accuracy_arcsec=1)
        is False
    )


def test_2b122_centrifuge_greater_than_100_g(snapshot: Snapshot) -> None:
    # "greater than 100 g": 100 × 9,80665 m/s² = 980,665 m/s².
    rings = {"designed_to_incorporate_slip_rings": True}
    assert holds(snapshot, "2B122#centrifuge", **rings, centrifuge_acceleration_m_s2=981) is True
    assert holds(snapshot, "2B122#centrifuge", **rings, centrifuge_acceleration_m_s2=980.665) is False
    plain = {"designed_to_incorporate_slip_rings": False}
    assert holds(snapshot, "2B122#centrifuge", **plain, centrifuge_acceleration_m_s2=2000) is False


# --- 2B219 balancing machines -------------------------------------------------------------------------------------

FLEXIBLE = {
    "balancing_correction_planes": 2,
    "designed_for_flexible_rotors": True,
    "balancing_rotor_length_mm": 600,
    "can_test_rotors_0_9_to_23_kg": True,
}


def test_2b219_a_flexible_rotors(snapshot: Snapshot) -> None:
    # "Swing or journal diameter greater than 75 mm"; "speed of revolution greater than 5000 r.p.m.".
    fast = {**FLEXIBLE, "balancing_max_speed_rpm": 5001}
    assert holds(snapshot, "2B219#a-journal", **fast, journal_diameter_mm=76) is True
    assert holds(snapshot, "2B219#a-journal", **fast, journal_diameter_mm=75) is False
    assert holds(snapshot, "2B219#a-swing", **fast, balancing_rotor_outer_diameter_mm=76) is True
    slow = {**FLEXIBLE, "balancing_max_speed_rpm": 5000, "journal_diameter_mm": 100}
    assert holds(snapshot, "2B219#a-journal", **slow) is False
    short = {**fast, "balancing_rotor_length_mm": 599, "journal_diameter_mm": 100}
    assert holds(snapshot, "2B219#a-journal", **short) is False
    single_plane = {**fast, "balancing_correction_planes": 1, "journal_diameter_mm": 100}
    assert holds(snapshot, "2B219#a-journal", **single_plane) is False


def test_2b219_b_hollow_cylindrical_rotors(snapshot: Snapshot) -> None:
    # "residual specific unbalance equal to or less than 10 g mm/kg per plane"; "Belt drive type".
    hollow = {
        "balancing_correction_planes": 2,
        "designed_for_cylindrical_rotors": True,
        "journal_diameter_mm": 76,
        "can_test_rotors_0_9_to_23_kg": True,
        "belt_drive": True,
    }
    assert holds(snapshot, "2B219#b", **hollow, residual_specific_unbalance_g_mm_per_kg=10) is True
    assert holds(snapshot, "2B219#b", **hollow, residual_specific_unbalance_g_mm_per_kg=11) is False
    direct = {**hollow, "belt_drive": False}
    assert holds(snapshot, "2B219#b", **direct, residual_specific_unbalance_g_mm_per_kg=1) is False


# --- 2B225 remote manipulators ------------------------------------------------------------------------------------


def test_2b225_hot_cell_wall_of_0_6_m(eu: Regime) -> None:
    through = _line(
        eu, "remote-manipulator", manipulator_wall_operation="through-the-wall", operable_through_wall_thickness_m=0.6
    )
    assert [(m.entry, m.control_numbers) for m in through.entries] == [("2B225", ("2B225.a",))]
    over = _line(
        eu, "remote-manipulator", manipulator_wall_operation="over-the-wall", operable_through_wall_thickness_m=0.6
    )
    assert [(m.entry, m.control_numbers) for m in over.entries] == [("2B225", ("2B225.b",))]
    thin = _line(
        eu, "remote-manipulator", manipulator_wall_operation="over-the-wall", operable_through_wall_thickness_m=0.59
    )
    assert thin.outcome is not Outcome.LICENCE_REQUIRED


# --- 2B233 bellows-sealed scroll compressors and vacuum pumps -----------------------------------------------------

SCROLL = {"bellows_seal": True, "pressure_ratio": 2, "wetted_material": "phosphor-bronze"}


def test_2b233_flow_pressure_ratio_and_materials(snapshot: Snapshot) -> None:
    # "50 m3/h or greater"; "pressure ratio of 2:1 or greater"; phosphor bronze is listed, bronze in general is not.
    assert holds(snapshot, "2B233#scroll-machine", **SCROLL, inlet_volume_flow_m3_per_h=50) is True
    assert holds(snapshot, "2B233#scroll-machine", **SCROLL, inlet_volume_flow_m3_per_h=49) is False
    fast = {**SCROLL, "inlet_volume_flow_m3_per_h": 100}
    assert holds(snapshot, "2B233#scroll-machine", **{**fast, "pressure_ratio": 1.9}) is False
    assert holds(snapshot, "2B233#scroll-machine", **{**fast, "wetted_material": "bronze"}) is False
    result = classify(snapshot, "scroll-vacuum-pump", **{**fast, "wetted_material": "stainless-steel"})
    assert "2B233#scroll-machine" in listed_by(result)


# --- 2B004 hot isostatic presses ----------------------------------------------------------------------------------

HIP = {"press_chamber_temperature_controlled": True, "press_chamber_inner_diameter_mm": 406}


def test_2b004_b_1_pressure_exceeding_207_mpa(snapshot: Snapshot) -> None:
    assert holds(snapshot, "2B004#b-1", **HIP, press_max_pressure_mpa=208) is True
    assert holds(snapshot, "2B004#b-1", **HIP, press_max_pressure_mpa=207) is False
    narrow = {**HIP, "press_chamber_inner_diameter_mm": 405}
    assert holds(snapshot, "2B004#b-1", **narrow, press_max_pressure_mpa=300) is False


def test_2b004_b_2_b_3_temperature_and_hydrocarbon_impregnation(snapshot: Snapshot) -> None:
    # b.2: "exceeding 1773 K (1500 °C)"; b.3: "a facility for hydrocarbon impregnation".
    assert holds(snapshot, "2B004#b-2", **HIP, press_chamber_max_controlled_temperature_c=1501) is True
    assert holds(snapshot, "2B004#b-2", **HIP, press_chamber_max_controlled_temperature_c=1500) is False
    assert holds(snapshot, "2B004#b-3", **HIP, hydrocarbon_impregnation_equipment=True) is True
    assert holds(snapshot, "2B004#b-3", **HIP, hydrocarbon_impregnation_equipment=False) is False


# --- 2B009 / 2B109 spin-forming and flow-forming machines ----------------------------------------------------------


def test_2b009_roller_force_more_than_60_kn(snapshot: Snapshot) -> None:
    machine = {"numerically_controllable": True, "contouring_axes": 3}
    assert holds(snapshot, "2B009#machine", **machine, roller_force_kn=61) is True
    assert holds(snapshot, "2B009#machine", **machine, roller_force_kn=60) is False
    assert holds(snapshot, "2B009#machine", **{**machine, "contouring_axes": 2}, roller_force_kn=100) is False


def test_2b109_a_more_than_two_contouring_axes(eu: Regime, snapshot: Snapshot) -> None:
    missile = {"can_make_missile_propulsion_components": True, "numerically_controllable": True}
    assert holds(snapshot, "2B109#a", **missile, contouring_axes=3) is True
    assert holds(snapshot, "2B109#a", **missile, contouring_axes=2) is False
    assert holds(snapshot, "2B109#a-spin-forming", **missile, flow_forming_capable=True, contouring_axes=3) is True
    line = _line(eu, "flow-forming-machine", **missile, contouring_axes=3, roller_count=2, roller_force_kn=50)
    assert [(m.entry, m.control_numbers) for m in line.entries] == [("2B109", ("2B109.a",))]


# --- 2B119 balancing machines -------------------------------------------------------------------------------------

SMALL_ROTOR = {
    "balancing_max_rotor_mass_kg": 3,
    "balancing_correction_planes": 2,
    "residual_specific_unbalance_g_mm_per_kg": 0.2,
    "designed_for_dental_or_medical_equipment": False,
}


def test_2b119_a_speed_mass_and_the_dental_note(snapshot: Snapshot) -> None:
    # "not capable of ... mass greater than 3 kg"; "speeds greater than 12500 rpm"; "0,2 g mm per kg".
    assert holds(snapshot, "2B119#a", **SMALL_ROTOR, balancing_max_speed_rpm=12501) is True
    assert holds(snapshot, "2B119#a", **SMALL_ROTOR, balancing_max_speed_rpm=12500) is False
    fast = {**SMALL_ROTOR, "balancing_max_speed_rpm": 20000}
    assert holds(snapshot, "2B119#a", **{**fast, "balancing_max_rotor_mass_kg": 3.1}) is False
    assert holds(snapshot, "2B119#a", **{**fast, "residual_specific_unbalance_g_mm_per_kg": 0.3}) is False
    assert holds(snapshot, "2B119#a", **{**fast, "designed_for_dental_or_medical_equipment": True}) is False


# --- 2B116 vibration test systems ---------------------------------------------------------------------------------


def test_2b116_a_10_g_rms_and_50_kn_bare_table(snapshot: Snapshot) -> None:
    # "10 g rms or more between 20 Hz and 2 kHz" (10 × 9,80665 m/s² = 98,0665 m/s²) "while imparting ... 50 kN".
    system = {"digital_control": True, "closed_loop_control": True, "vibration_force_kn": 50}
    assert holds(snapshot, "2B116#a", **system, vibration_acceleration_m_s2_rms=98.07) is True
    assert holds(snapshot, "2B116#a", **system, vibration_acceleration_m_s2_rms=98) is False
    strong = {**system, "vibration_acceleration_m_s2_rms": 150}
    assert holds(snapshot, "2B116#a", **{**strong, "vibration_force_kn": 49}) is False
    assert holds(snapshot, "2B116#a", **{**strong, "closed_loop_control": False}) is False


def test_2b116_b_c_d_controllers_shakers_and_combining_units(snapshot: Snapshot) -> None:
    for_a = {"for_product_meets_specs": True}
    assert holds(snapshot, "2B116#b", **for_a, real_time_control_bandwidth_khz=5.1) is True
    assert holds(snapshot, "2B116#b", **for_a, real_time_control_bandwidth_khz=5) is False
    assert holds(snapshot, "2B116#c", **for_a, vibration_force_kn=50) is True
    assert holds(snapshot, "2B116#c", **for_a, vibration_force_kn=49.9) is False
    assert holds(snapshot, "2B116#d", **for_a, shakers_combined=2, vibration_force_kn=50) is True
    assert holds(snapshot, "2B116#d", **for_a, shakers_combined=1, vibration_force_kn=50) is False


# --- 2B002 optical finishing machine tools ------------------------------------------------------------------------


def test_2b002_form_roughness_axes_and_process(eu: Regime, snapshot: Snapshot) -> None:
    # "less (better) than 1,0 µm"; "less (better) than 100 nm rms"; "Four or more axes"; MRF, ERF, ... fluid jet.
    machine = {"numerically_controlled": True, "contouring_axes": 4, "finishing_method": "magnetorheological"}
    line = _line(
        eu,
        "optical-finishing-machine",
        **machine,
        finishing_form_tolerance_um=0.9,
        finishing_surface_roughness_rms_nm=99,
    )
    assert [(m.entry, m.control_numbers) for m in line.entries] == [("2B002", ("2B002",))]
    fine = {**machine, "finishing_surface_roughness_rms_nm": 50}
    assert holds(snapshot, "2B002#machine", **fine, finishing_form_tolerance_um=1.0) is False
    assert (
        holds(
            snapshot,
            "2B002#machine",
            **machine,
            finishing_form_tolerance_um=0.5,
            finishing_surface_roughness_rms_nm=100,
        )
        is False
    )
    precise = {**fine, "finishing_form_tolerance_um": 0.5}
    assert holds(snapshot, "2B002#machine", **{**precise, "contouring_axes": 3}) is False
    assert holds(snapshot, "2B002#machine", **{**precise, "finishing_method": "other"}) is False


# --- 2B005 coating equipment --------------------------------------------------------------------------------------

COATING = {"coating_table_combination": True, "designed_for_cutting_or_machining_tools": False}


def test_2b005_thresholds(snapshot: Snapshot) -> None:
    # b: "beam currents of 5 mA or more"; c: "power systems rated for over 80 kW"; e: "0,1 mA/mm2" = 10 mA/cm².
    assert holds(snapshot, "2B005#b", **COATING, ion_beam_current_ma=5) is True
    assert holds(snapshot, "2B005#b", **COATING, ion_beam_current_ma=4.9) is False
    assert (
        holds(snapshot, "2B005#c-1", coating_table_combination=True, laser_pool_level_control=True, power_supply_kw=81)
        is True
    )
    assert (
        holds(snapshot, "2B005#c-1", coating_table_combination=True, laser_pool_level_control=True, power_supply_kw=80)
        is False
    )
    assert holds(snapshot, "2B005#e", **COATING, sputter_current_density_ma_cm2=10) is True
    assert holds(snapshot, "2B005#e", **COATING, sputter_current_density_ma_cm2=9.9) is False


def test_2b005_note_cutting_tool_equipment_and_the_table(snapshot: Snapshot) -> None:
    tools = {**COATING, "designed_for_cutting_or_machining_tools": True}
    assert (
        holds(snapshot, "2B005#a-thickness-control", **tools, cvd_process="plasma", in_situ_thickness_control=True)
        is False
    )
    assert (
        holds(snapshot, "2B005#a-thickness-control", **COATING, cvd_process="plasma", in_situ_thickness_control=True)
        is True
    )
    assert (
        holds(snapshot, "2B005#a-thickness-control", **COATING, cvd_process="other", in_situ_thickness_control=True)
        is False
    )
    off_table = {**COATING, "coating_table_combination": False}
    assert holds(snapshot, "2B005#f", **off_table, arc_spot_electromagnet_grid=True) is False
    assert holds(snapshot, "2B005#f", **COATING, arc_spot_electromagnet_grid=True) is True


# --- 2B351 toxic gas monitors -------------------------------------------------------------------------------------


def test_2b351_minimum_detection_limit_below_0_3_mg_m3(eu: Regime, snapshot: Snapshot) -> None:
    continuous = {"designed_for_continuous_operation": True}
    line = _line(eu, "toxic-gas-monitor", **continuous, listed_chemical_detection_limit_mg_m3=0.29)
    assert [(m.entry, m.control_numbers) for m in line.entries] == [("2B351", ("2B351.a",))]
    assert holds(snapshot, "2B351#a", **continuous, listed_chemical_detection_limit_mg_m3=0.3) is False
    batch = {"designed_for_continuous_operation": False}
    assert holds(snapshot, "2B351#a", **batch, listed_chemical_detection_limit_mg_m3=0.01) is False
    assert holds(snapshot, "2B351#b", detects_anticholinesterase_compounds=True) is True


# --- 2B352 biological manufacturing and handling equipment ------------------------------------------------------


def test_2b352_e_freeze_dryer_10_to_under_1000_kg_of_ice(snapshot: Snapshot) -> None:
    sterilisable = {"steam_or_gas_sterilisable": True}
    assert holds(snapshot, "2B352#e", **sterilisable, ice_capacity_kg_per_24h=10) is True
    assert holds(snapshot, "2B352#e", **sterilisable, ice_capacity_kg_per_24h=9.9) is False
    assert holds(snapshot, "2B352#e", **sterilisable, ice_capacity_kg_per_24h=999) is True
    assert holds(snapshot, "2B352#e", **sterilisable, ice_capacity_kg_per_24h=1000) is False


def test_2b352_f_suits_and_cabinets_with_their_notes(snapshot: Snapshot) -> None:
    suit = {"tethered_air_supply": True, "positive_pressure_inside": True}
    assert holds(snapshot, "2B352#f-1", **suit, designed_for_self_contained_breathing_apparatus=False) is True
    assert holds(snapshot, "2B352#f-1", **suit, designed_for_self_contained_breathing_apparatus=True) is False
    cabinet = {
        "enclosed_workspace_physical_barrier": True,
        "negative_pressure_operation": True,
        "safe_manipulation_means": True,
        "hepa_filtered_supply_and_exhaust": True,
    }
    assert "2B352#f-2" in listed_by(
        classify(snapshot, "isolator", **cabinet, designed_for_infected_patient_care_or_transport=False)
    )
    assert holds(snapshot, "2B352#f-2", **cabinet, designed_for_infected_patient_care_or_transport=True) is False


def test_2b352_g_h_i_j_thresholds(snapshot: Snapshot) -> None:
    assert holds(snapshot, "2B352#g-1", inhalation_chamber_volume_m3=1) is True
    assert holds(snapshot, "2B352#g-1", inhalation_chamber_volume_m3=0.9) is False
    directed = {"directed_aerosol_flow": True}
    assert holds(snapshot, "2B352#g-2-rodents", **directed, exposure_capacity_rodents=12) is True
    assert holds(snapshot, "2B352#g-2-rodents", **directed, exposure_capacity_rodents=11) is False
    assert holds(snapshot, "2B352#g-2-other-animals", **directed, exposure_capacity_non_rodents=2) is True
    assert holds(snapshot, "2B352#g-2-other-animals", **directed, exposure_capacity_non_rodents=1) is False
    dryer = {"can_produce_mean_particle_10um_or_less": True, "sterilisable_in_situ": True}
    assert holds(snapshot, "2B352#h", **dryer, water_evaporation_kg_per_h=0.4) is True
    assert holds(snapshot, "2B352#h", **dryer, water_evaporation_kg_per_h=0.39) is False
    assert holds(snapshot, "2B352#h", **dryer, water_evaporation_kg_per_h=400) is True
    assert holds(snapshot, "2B352#h", **dryer, water_evaporation_kg_per_h=401) is False
    assert holds(snapshot, "2B352#i", max_continuous_length_kb=1.6, synthesis_error_rate_pct=4.9) is True
    assert holds(snapshot, "2B352#i", max_continuous_length_kb=1.5, synthesis_error_rate_pct=1) is False
    assert holds(snapshot, "2B352#i", max_continuous_length_kb=3, synthesis_error_rate_pct=5) is False
    assert holds(snapshot, "2B352#j", synthesis_scale_mmol=1) is True
    assert holds(snapshot, "2B352#j", synthesis_scale_mmol=0.9) is False


# --- 2B117 / 2B228 ------------------------------------------------------------------------------------------------


def test_2b117_densification_and_pyrolysis_equipment(snapshot: Snapshot) -> None:
    param = "designed_for_nozzle_nose_tip_densification_and_pyrolysis"
    assert "2B117#equipment" in listed_by(classify(snapshot, "nozzle-nose-tip-production-equipment", **{param: True}))
    assert holds(snapshot, "2B117#equipment", **{param: False}) is False


BELLOWS = {
    "bellows_single_convolution": True,
    "bellows_length_mm": 12.7,
    "bellows_groove_depth_mm": 2.1,
    "bellows_material": "maraging-steel",
}


def test_2b228_c_bellows_mandrels(eu: Regime, snapshot: Snapshot) -> None:
    # Technical Note: inside diameter between 75 mm and 650 mm; length 12,7 mm or more; convolution depth over 2 mm.
    assert holds(snapshot, "2B228#c", **BELLOWS, bellows_inner_diameter_mm=650) is True
    assert holds(snapshot, "2B228#c", **BELLOWS, bellows_inner_diameter_mm=651) is False
    assert holds(snapshot, "2B228#c", **BELLOWS, bellows_inner_diameter_mm=74) is False
    sized = {**BELLOWS, "bellows_inner_diameter_mm": 150}
    assert holds(snapshot, "2B228#c", **{**sized, "bellows_length_mm": 12.6}) is False
    assert holds(snapshot, "2B228#c", **{**sized, "bellows_groove_depth_mm": 2}) is False
    assert holds(snapshot, "2B228#c", **{**sized, "bellows_material": "stainless-steel"}) is False
    line = _line(eu, "rotor-straightening-equipment")
    assert [(m.entry, m.control_numbers) for m in line.entries] == [("2B228", ("2B228.b",))]


def test_2b352_a_containment_facilities_and_their_equipment(snapshot: Snapshot) -> None:
    assert holds(snapshot, "2B352#a-1", containment_level="p3") is True
    assert holds(snapshot, "2B352#a-1", containment_level="p2") is False
    fixed = {"designed_for_p3_p4_facility": True}
    assert holds(snapshot, "2B352#a-2-c", **fixed, door_seal_type="inflatable-seal") is True
    assert holds(snapshot, "2B352#a-2-c", **fixed, door_seal_type="other") is False


def test_2b352_b_fermenters_of_20_litres_and_their_components(eu: Regime, snapshot: Snapshot) -> None:
    line = _line(eu, "single-use-bioreactor", closed_system=True, fermenter_internal_volume_l=20)
    assert [(m.entry, m.control_numbers) for m in line.entries] == [("2B352", ("2B352.b.1",))]
    assert holds(snapshot, "2B352#b-1", closed_system=True, fermenter_internal_volume_l=19.9) is False
    assert holds(snapshot, "2B352#b-1", closed_system=False, fermenter_internal_volume_l=100) is False
    host = {"designed_for_listed_host_equipment": True}
    assert holds(snapshot, "2B352#b-2-c", **host, simultaneously_controlled_parameters=2) is True
    assert holds(snapshot, "2B352#b-2-c", **host, simultaneously_controlled_parameters=1) is False


def test_2b352_c_centrifugal_separators_over_100_litres_per_hour(snapshot: Snapshot) -> None:
    separator = {
        "continuous_separation": True,
        "closed_system": True,
        "sealing_joint_in_steam_containment_area": True,
        "centrifuge_material": "titanium",
        "steam_sterilisable_in_situ_closed": True,
    }
    assert holds(snapshot, "2B352#c-1", **separator, centrifuge_flow_rate_l_per_h=101) is True
    assert holds(snapshot, "2B352#c-1", **separator, centrifuge_flow_rate_l_per_h=100) is False
    steel = {**separator, "centrifuge_material": "other", "centrifuge_flow_rate_l_per_h": 500}
    assert holds(snapshot, "2B352#c-1", **steel) is False
    single_use = {"continuous_separation": True, "closed_system": True, "all_contact_parts_single_use": True}
    assert holds(snapshot, "2B352#c-2", **single_use, centrifuge_flow_rate_l_per_h=101) is True
    assert holds(snapshot, "2B352#c-2", **single_use, centrifuge_flow_rate_l_per_h=100) is False


def test_2b352_d_cross_flow_filtration_and_the_reverse_osmosis_note(snapshot: Snapshot) -> None:
    in_situ = {"sterilisable_in_situ": True, "reverse_osmosis_or_haemodialysis": False}
    assert holds(snapshot, "2B352#d-1-sterilisable", **in_situ, filtration_area_m2=1) is True
    assert holds(snapshot, "2B352#d-1-sterilisable", **in_situ, filtration_area_m2=0.9) is False
    dialysis = {**in_situ, "reverse_osmosis_or_haemodialysis": True}
    assert holds(snapshot, "2B352#d-1-sterilisable", **dialysis, filtration_area_m2=5) is False
    host = {"designed_for_listed_host_equipment": True}
    assert holds(snapshot, "2B352#d-2", **host, filtration_area_m2=0.2) is True
    assert holds(snapshot, "2B352#d-2", **host, filtration_area_m2=0.19) is False
    assert holds(snapshot, "2B352#g-3", designed_for_directed_flow_nose_only_apparatus=True) is True
