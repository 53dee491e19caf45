"""Classification by specification under the US pack, Category 4 (4A001, 4A004, 4A005, 4A101) and Category 5 part 1
(5A001, 5A101, 5B001): the criteria ported from the EU pack and checked against the Commerce Control List of the eCFR
of 2026-07-23 (../shared/data/us). Each threshold is quoted from the paragraph text first (a changed source fails
here rather than passing on stale text); a specification just over and just under it goes through the engine.
"""

from __future__ import annotations

from exportctl.core_types import LineDetermination, Outcome
from exportctl.regime import Regime
from tests.support.ccl import ECCNS, eccns, found
from tests.support.ccl import quoted_anywhere as quoted
from tests.support.ccl import spec_line as line

# A computer hardened to none of the limits of 4A001.a.2 and not specially designed for civil aircraft.
UNHARDENED = {
    "total_dose_si_gy": 100,
    "dose_rate_upset_gy_si_per_s": 1000,
    "seu_error_rate_per_bit_day": 1.0e-6,
    "civil_aircraft_design": False,
}


def clauses_of(decided: LineDetermination, eccn: str) -> set[str | None]:
    return {clause for entry, clause, _ in found(decided) if entry == eccn}


# --- 4A001 -----------------------------------------------------------------------------------------------------------


def test_4a001_a_1_is_reserved_in_the_ccl() -> None:
    # the EU's 4A001.a.1 (rated below -45 °C or above 85 °C) is not in the CCL: no clause may encode it
    assert [item["text"] for item in ECCNS["4A001"]["items"] if item["paragraph"] == "a.1"] == ["[Reserved]"]


def test_4a001_a_2_a_total_dose(us: Regime) -> None:
    quoted("4A001", "A total dose of 5 × 10 3 Gy (Si)")
    over = line(us, "computer", **UNHARDENED | {"total_dose_si_gy": 5001})
    assert found(over) == {("4A001", "a-2-a", ("4A001.a.2.a",))}
    assert over.outcome is Outcome.LICENCE_REQUIRED  # NS2 (and AT) to China
    at_limit = line(us, "computer", **UNHARDENED | {"total_dose_si_gy": 5000})  # "to exceed": 5000 is not
    assert "4A001" not in eccns(at_limit)


def test_4a001_a_2_b_dose_rate_upset(us: Regime) -> None:
    quoted("4A001", "A dose rate upset of 5 × 10 6 Gy (Si)/s")
    over = line(us, "digital-computer", **UNHARDENED | {"dose_rate_upset_gy_si_per_s": 5_000_001})
    assert ("4A001", "a-2-b", ("4A001.a.2.b",)) in found(over)
    under = line(us, "digital-computer", **UNHARDENED | {"dose_rate_upset_gy_si_per_s": 5_000_000})
    assert "a-2-b" not in clauses_of(under, "4A001")


def test_4a001_a_2_c_single_event_upset_is_a_lower_error_rate(us: Regime) -> None:
    quoted("4A001", "Single Event Upset of 1 × 10 − 8 Error/bit/day")
    over = line(us, "computer", **UNHARDENED | {"seu_error_rate_per_bit_day": 0.9e-8})
    assert found(over) == {("4A001", "a-2-c", ("4A001.a.2.c",))}
    under = line(us, "computer", **UNHARDENED | {"seu_error_rate_per_bit_day": 1.0e-8})
    assert "4A001" not in eccns(under)


def test_4a001_civil_aircraft_note_releases_computers_only(us: Regime) -> None:
    quoted("4A001", "4A001.a.2 does not apply to computers “specially designed” for “civil aircraft” applications")
    civil = line(us, "computer", **UNHARDENED | {"total_dose_si_gy": 6000, "civil_aircraft_design": True})
    assert "4A001" not in eccns(civil)
    related = line(us, "computer-related-equipment", total_dose_si_gy=6000, dose_rate_upset_gy_si_per_s=0)
    assert ("4A001", "a-2-a-related-equipment", ("4A001.a.2.a",)) in found(related)


# --- 4A004, 4A005 --------------------------------------------------------------------------------------------------


def test_4a004_architectures_and_z_1(us: Regime) -> None:
    quoted("4A004", "'Systolic array computers'")
    quoted(
        "4A004",
        "Commodities that are described in 4A004 and that also meet or exceed the performance parameters in 4A090.a",
    )
    systolic = line(us, "computer", computer_architecture="systolic-array", max_ic_total_processing_performance=0)
    assert ("4A004", "a", ("4A004.a",)) in found(systolic)
    assert systolic.outcome is Outcome.LICENCE_REQUIRED  # NS2
    conventional = line(us, "computer", computer_architecture="conventional", max_ic_total_processing_performance=0)
    assert "4A004" not in eccns(conventional)
    # z.1: meeting 4A090.a, which an IC with a TPP of 4800 or more does (3A090.a.1)
    neural = line(us, "neural-computer", computer_architecture="neural", max_ic_total_processing_performance=4800)
    assert ("4A004", "z-1-tpp-4800", ("4A004.z.1",)) in found(neural)
    below = line(us, "neural-computer", computer_architecture="neural", max_ic_total_processing_performance=1599)
    assert clauses_of(below, "4A004") == {"b"}


def test_4a005_intrusion_software_and_z(us: Regime) -> None:
    quoted("4A005", "“specially designed” or modified for the generation, command and control, or delivery of")
    quoted(
        "4A005",
        "Commodities that are specified in 4A005 that also meet or exceed the performance parameters in 4A090.b",
    )
    spec = {"designed_for_intrusion_software": True, "max_ic_total_processing_performance": 1600}
    decided = line(us, "intrusion-c2-system", **spec, contains_3a090_a_ic=False, contains_3a090_b_ic=True)
    assert found(decided) == {("4A005", "intrusion-software-equipment", ("4A005",)), ("4A005", "z-2", ("4A005.z.2",))}
    assert decided.outcome is Outcome.LICENCE_REQUIRED  # NS1
    # below a TPP of 1600 no IC can be of 3A090: not z
    low = line(us, "intrusion-c2-system", **spec | {"max_ic_total_processing_performance": 1599})
    assert clauses_of(low, "4A005") == {"intrusion-software-equipment"}
    other = line(
        us, "intrusion-c2-system", designed_for_intrusion_software=False, max_ic_total_processing_performance=0
    )
    assert "4A005" not in eccns(other)


# --- 4A101 ---------------------------------------------------------------------------------------------------------

MISSILE = {"designed_for_500kg_300km_system": True, "ruggedized": False, "computer_radiation_tolerance_rad_si": 0}


def test_4a101_a_temperature_range(us: Regime) -> None:
    quoted("4A101", "Rated for continuous operation at temperatures from below 228 K (−45 °C) to above 328 K (+55 °C)")
    spec = MISSILE | UNHARDENED | {"min_operating_temp_c": -46, "max_operating_temp_c": 56}
    decided = line(us, "digital-computer", **spec)
    assert found(decided) == {("4A101", "a-not-4a001", ("4A101.a",))}
    assert decided.outcome is Outcome.LICENCE_REQUIRED  # MT1 to China
    assert "4A101" not in eccns(line(us, "digital-computer", **spec | {"min_operating_temp_c": -45}))
    assert "4A101" not in eccns(line(us, "digital-computer", **spec | {"max_operating_temp_c": 55}))
    # not for "missiles": not 4A101
    assert "4A101" not in eccns(line(us, "digital-computer", **spec | {"designed_for_500kg_300km_system": False}))


def test_4a101_is_other_than_those_controlled_by_4a001(us: Regime) -> None:
    quoted("4A101", "other than those controlled by 4A001 designed or modified for use in “missiles”")
    spec = MISSILE | UNHARDENED | {"min_operating_temp_c": -46, "max_operating_temp_c": 56, "total_dose_si_gy": 5001}
    assert eccns(line(us, "digital-computer", **spec)) == {"4A001"}
    # the Note to 4A001.a.2 releases a civil aircraft computer from 4A001: it is then 4A101
    civil = line(us, "digital-computer", **spec | {"civil_aircraft_design": True})
    assert found(civil) == {("4A101", "a-civil-aircraft", ("4A101.a",))}


def test_4a101_b_radiation_hardened_in_rads(us: Regime) -> None:
    quoted("4A101", "a total irradiation dose of 5 × 10 5 rads (Si)")
    spec = MISSILE | UNHARDENED | {"min_operating_temp_c": -40, "max_operating_temp_c": 50}
    hardened = line(us, "analog-computer", **spec | {"computer_radiation_tolerance_rad_si": 500_000})
    assert found(hardened) == {("4A101", "b-radiation-hardened-not-4a001", ("4A101.b",))}
    under = line(us, "analog-computer", **spec | {"computer_radiation_tolerance_rad_si": 499_999})
    assert "4A101" not in eccns(under)
    ruggedized = line(us, "analog-computer", **spec | {"ruggedized": True})
    assert found(ruggedized) == {("4A101", "b-ruggedized-not-4a001", ("4A101.b",))}


# --- 5A001 -----------------------------------------------------------------------------------------------------------


def test_5a001_a_2_has_no_spacecraft_note_in_the_ccl(us: Regime) -> None:
    quoted("5A001", "Specially hardened to withstand gamma, neutron or ion radiation")
    # the EU's Note 2 to 5A001.a (equipment for use on board "spacecraft") is not in the CCL
    assert not any("spacecraft" in item["text"] for item in ECCNS["5A001"]["items"])
    hardened = line(us, "telecom-equipment", radiation_hardened=True)
    assert ("5A001", "a-2", ("5A001.a.2",)) in found(hardened)
    assert hardened.outcome is Outcome.LICENCE_REQUIRED  # NS1 to China
    assert "a-2" not in clauses_of(line(us, "telecom-equipment", radiation_hardened=False), "5A001")


def test_5a001_a_4_above_397_k_electronic_equipment_only(us: Regime) -> None:
    quoted("5A001", "“Specially designed” to operate above 397 K (124 °C)")
    quoted("5A001", "5A001.a.3 and 5A001.a.4 apply only to electronic equipment.")
    spec = {"max_operating_temp_c": 125, "has_electronic_circuits": True}
    assert ("5A001", "a-4", ("5A001.a.4",)) in found(line(us, "radio-transceiver", **spec))
    assert "a-4" not in clauses_of(line(us, "radio-transceiver", **spec | {"max_operating_temp_c": 124}), "5A001")
    assert "a-4" not in clauses_of(line(us, "radio-transceiver", **spec | {"has_electronic_circuits": False}), "5A001")


def test_5a001_b_2_linear_amplifier_of_1_kw(us: Regime) -> None:
    quoted("5A001", "an output power of 1 kW or more in the frequency range of 1.5 MHz or more but less than 30 MHz")
    spec = {
        "hf_band_1_5_to_87_5_mhz": True,
        "auto_frequency_and_rate_selection": True,
        "multi_signal_linear_amplifier": True,
        "linear_amp_output_1_5_to_30mhz_w": 1000,
        "instantaneous_bandwidth_octaves": 1,
        "harmonic_distortion_db": -81,
    }
    assert ("5A001", "b-2-below-30mhz", ("5A001.b.2",)) in found(line(us, "radio-transmitter", **spec))
    under = line(us, "radio-transmitter", **spec | {"linear_amp_output_1_5_to_30mhz_w": 999})
    assert "b-2-below-30mhz" not in clauses_of(under, "5A001")
    # "better than −80 dB": -80 is not
    assert "b-2-below-30mhz" not in clauses_of(
        line(us, "radio-transmitter", **spec | {"harmonic_distortion_db": -80}), "5A001"
    )


def test_5a001_b_3_b_spread_spectrum_bandwidth_and_the_1_w_note(us: Regime) -> None:
    quoted("5A001", "100 or more times the bandwidth of any one information channel and in excess of 50 kHz")
    quoted("5A001", "5A001.b.3 does not control equipment operating at an output power of 1 W or less.")
    spec = {
        "spread_spectrum": True,
        "spread_to_channel_bandwidth_ratio": 100,
        "transmitted_bandwidth_khz": 51,
        "designed_for_civil_cellular": False,
        "designed_for_satellite_earth_station": False,
        "rf_output_power_w": 1.1,
    }
    assert ("5A001", "b-3-b", ("5A001.b.3.b",)) in found(line(us, "radio-transceiver", **spec))
    for under in (
        {"transmitted_bandwidth_khz": 50},
        {"spread_to_channel_bandwidth_ratio": 99},
        {"rf_output_power_w": 1},
    ):
        assert "b-3-b" not in clauses_of(line(us, "radio-transceiver", **spec | under), "5A001"), under


def test_5a001_c_optical_fiber_over_500_m(us: Regime) -> None:
    quoted(
        "5A001", "Optical fibers of more than 500 m in length", "'proof test' tensile stress of 2 × 10 9 N/m 2 or more"
    )
    decided = line(us, "optical-fibre", fibre_length_m=501, proof_test_strength_gn_per_m2=2)
    assert ("5A001", "c", ("5A001.c",)) in found(decided)
    assert decided.outcome is Outcome.LICENCE_REQUIRED  # NS2 to China
    assert "c" not in clauses_of(
        line(us, "optical-fibre", fibre_length_m=500, proof_test_strength_gn_per_m2=2), "5A001"
    )
    assert "c" not in clauses_of(
        line(us, "optical-fibre", fibre_length_m=501, proof_test_strength_gn_per_m2=1.9), "5A001"
    )


def test_5a001_d_1_phased_array_erp(us: Regime) -> None:
    quoted("5A001", "Rated for operation above 31.8 GHz, but not exceeding 57 GHz", "equal to or greater than +20 dBm")
    spec = {"operating_frequency_ghz": 40, "effective_radiated_power_dbm": 20, "excluded_civil_application": False}
    assert ("5A001", "d-1", ("5A001.d.1",)) in found(line(us, "phased-array-antenna", **spec))
    under = line(us, "phased-array-antenna", **spec | {"effective_radiated_power_dbm": 19.9})
    assert "d-1" not in clauses_of(under, "5A001")
    band = line(us, "phased-array-antenna", **spec | {"operating_frequency_ghz": 31.8})
    assert "d-1" not in clauses_of(band, "5A001")


def test_5a001_e_direction_finder_bandwidth(us: Regime) -> None:
    quoted("5A001", "“Instantaneous bandwidth” of 10 MHz or more")
    spec = {"operating_frequency_ghz": 0.031, "instantaneous_bandwidth_mhz": 10, "min_signal_duration_lob_ms": 0.5}
    decided = line(us, "direction-finder", **spec)
    assert ("5A001", "e", ("5A001.e",)) in found(decided)
    assert "e" not in clauses_of(line(us, "direction-finder", **spec | {"instantaneous_bandwidth_mhz": 9.9}), "5A001")
    assert "e" not in clauses_of(line(us, "direction-finder", **spec | {"min_signal_duration_lob_ms": 1}), "5A001")


# --- 5A101 ---------------------------------------------------------------------------------------------------------

NOT_EXCLUDED = {
    "designed_for_manned_aircraft_or_satellite": False,
    "ground_equipment_for_terrestrial_or_marine_use": False,
    "designed_for_civil_gnss_reception": False,
}


def test_5a101_telemetering_for_300_km_systems(us: Regime) -> None:
    quoted("5A101", "capable of a maximum “range” equal to or greater than 300 km")
    decided = line(us, "telemetry-equipment", designed_for_300km_system=True, **NOT_EXCLUDED)
    assert found(decided) == {("5A101", "telemetering", ("5A101",))}
    assert decided.outcome is Outcome.LICENCE_REQUIRED  # MT1 to China
    assert not found(line(us, "telemetry-equipment", designed_for_300km_system=False, **NOT_EXCLUDED))
    # the Note: equipment designed or modified for manned aircraft or satellites is not 5A101
    manned = NOT_EXCLUDED | {"designed_for_manned_aircraft_or_satellite": True}
    assert not found(line(us, "telemetry-equipment", designed_for_300km_system=True, **manned))


def test_5a101_recreational_telecontrol_over_200_microvolts_per_meter(us: Regime) -> None:
    quoted("5A101", "electric field strength of not more than 200 microvolts per meter at a distance of 500 meters")
    spec = NOT_EXCLUDED | {"designed_for_300km_system": True, "telecontrol_for_recreational_models": True}
    strong = line(us, "telecontrol-equipment", **spec, field_strength_at_500m_uv_per_m=201)
    assert found(strong) == {("5A101", "telecontrol-recreational-over-200-uv-per-m", ("5A101",))}
    assert not found(line(us, "telecontrol-equipment", **spec, field_strength_at_500m_uv_per_m=200))


# --- 5B001 ---------------------------------------------------------------------------------------------------------


def test_5b001_a_and_its_optical_fiber_note(us: Regime) -> None:
    quoted("5B001", "5B001.a does not apply to optical fiber characterization equipment")
    decided = line(us, "telecom-test-equipment", for_listed_telecom_item=True, optical_fibre_test_or_measuring=False)
    assert found(decided) == {("5B001", "a", ("5B001.a",))}
    assert decided.outcome is Outcome.LICENCE_REQUIRED  # NS2 to China
    fiber = line(us, "telecom-test-equipment", for_listed_telecom_item=True, optical_fibre_test_or_measuring=True)
    assert not found(fiber)


def test_5b001_b_development_equipment_thresholds(us: Regime) -> None:
    quoted("5B001", "A transmission wavelength exceeding 1750 nm")
    quoted("5B001", "Employing analog techniques and having a bandwidth exceeding 2.5 GHz")
    quoted("5B001", "Quadrature-Amplitude-Modulation (QAM) techniques above level 1,024")
    product = "telecom-design-equipment"
    assert ("5B001", "b-2-a", ("5B001.b.2.a",)) in found(line(us, product, target_laser_wavelength_nm=1751))
    assert "b-2-a" not in clauses_of(line(us, product, target_laser_wavelength_nm=1750), "5B001")
    analog = {"target_analog_bandwidth_ghz": 2.6, "target_is_television_broadcast": False}
    assert ("5B001", "b-2-d", ("5B001.b.2.d",)) in found(line(us, product, **analog))
    assert "b-2-d" not in clauses_of(line(us, product, **analog | {"target_analog_bandwidth_ghz": 2.5}), "5B001")
    assert "b-2-d" not in clauses_of(line(us, product, **analog | {"target_is_television_broadcast": True}), "5B001")
    assert ("5B001", "b-4", ("5B001.b.4",)) in found(line(us, product, target_qam_levels=2048))
    assert "b-4" not in clauses_of(line(us, product, target_qam_levels=1024), "5B001")
