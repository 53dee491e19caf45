"""Classification by specification under the EU pack: the criteria of 4A001, 4A003 (Note 1), 4A004, 4A005, 4A101,
4A102, 5A001 (a, c, d), 5A002 (a.2–a.4, c, d, e) and 5A004 (tools/eu_pack/criteria/cat-4.yaml, cat-5.yaml), checked
against Annex I of Regulation (EU) 2021/821 as consolidated on 2025-11-15. Each threshold below is quoted from the
text: a specification just inside and just outside it, and the decontrol notes the criteria express. The 4A003,
4A506, 4A507 and 5A002.a.1 thresholds are tested in test_eu_classify_b.py."""

from __future__ import annotations

from typing import Any

import pytest

from exportctl.core_types import Outcome
from exportctl.regime import Regime
from exportctl.regime.snapshot import Snapshot
from tests.packs.conftest import spec_line
from tests.support.clauses import classify, holds, listed_by

# --- 4A001 computers for extreme environments -----------------------------------------------------------------------

# A computer the 4A001 Notes do not release: not specially designed for civil automobile, railway train or aircraft.
NOT_CIVIL = {"civil_automotive_or_railway_design": False, "civil_aircraft_design": False}


def test_4a001_a_1_rated_below_228_k_or_above_358_k(snapshot: Snapshot) -> None:
    # "Rated for operation at an ambient temperature below 228 K (-45 °C) or above 358 K (85 °C)"
    result = classify(snapshot, "digital-computer", **NOT_CIVIL, min_operating_temp_c=-46)
    assert "4A001#a-1-below-minus-45c" in listed_by(result)
    assert {m.control_numbers for m in result.matches if m.entry == "4A001"} == {("4A001.a.1",)}
    assert holds(snapshot, "4A001#a-1-below-minus-45c", **NOT_CIVIL, min_operating_temp_c=-45) is False
    assert holds(snapshot, "4A001#a-1-above-85c", **NOT_CIVIL, max_operating_temp_c=85.5) is True
    assert holds(snapshot, "4A001#a-1-above-85c", **NOT_CIVIL, max_operating_temp_c=85) is False


def test_4a001_a_1_note_releases_civil_computers_only(snapshot: Snapshot) -> None:
    # "4A001.a.1. does not control computers specially designed for civil automobile, railway train or "civil
    # aircraft" applications."
    cold = {"min_operating_temp_c": -55}
    assert holds(snapshot, "4A001#a-1-below-minus-45c", **{**NOT_CIVIL, "civil_aircraft_design": True}, **cold) is False
    railway = {**NOT_CIVIL, "civil_automotive_or_railway_design": True}
    assert holds(snapshot, "4A001#a-1-below-minus-45c", **railway, **cold) is False
    # The Note names computers: related equipment rated for the same range stays listed.
    assert "4A001#a-1-below-minus-45c-related-equipment" in listed_by(
        classify(snapshot, "computer-related-equipment", **cold)
    )


def test_4a001_a_2_radiation_hardened_to_exceed(snapshot: Snapshot) -> None:
    # "Total Dose 5 × 10^3 Gy (silicon); Dose Rate Upset 5 × 10^6 Gy (silicon)/s; or Single Event Upset 1 × 10^-8
    # Error/bit/day" — exceeded, i.e. more dose, more dose rate, fewer upsets.
    assert holds(snapshot, "4A001#a-2-a", **NOT_CIVIL, total_dose_si_gy=5001) is True
    assert holds(snapshot, "4A001#a-2-a", **NOT_CIVIL, total_dose_si_gy=5000) is False
    assert holds(snapshot, "4A001#a-2-b", **NOT_CIVIL, dose_rate_upset_gy_si_per_s=5.1e6) is True
    assert holds(snapshot, "4A001#a-2-b", **NOT_CIVIL, dose_rate_upset_gy_si_per_s=5e6) is False
    assert holds(snapshot, "4A001#a-2-c", **NOT_CIVIL, seu_error_rate_per_bit_day=0.9e-8) is True
    assert holds(snapshot, "4A001#a-2-c", **NOT_CIVIL, seu_error_rate_per_bit_day=1e-8) is False


def test_4a001_a_2_note_releases_civil_aircraft_computers_but_not_automotive(snapshot: Snapshot) -> None:
    # "4A001.a.2. does not control computers specially designed for "civil aircraft" applications."
    hard = {"total_dose_si_gy": 10000}
    assert holds(snapshot, "4A001#a-2-a", **hard, civil_aircraft_design=True) is False
    automotive = {"civil_automotive_or_railway_design": True, "civil_aircraft_design": False}
    assert holds(snapshot, "4A001#a-2-a", **hard, **automotive) is True


def test_4a001_assemblies_and_components_therefor(snapshot: Snapshot) -> None:
    result = classify(snapshot, "computer-assembly", for_listed_hardened_computer=True)
    assert "4A001#assemblies-and-components" in listed_by(result)
    assert holds(snapshot, "4A001#assemblies-and-components", for_listed_hardened_computer=False) is False


def test_4a001_through_the_engine(eu: Regime) -> None:
    # A computer rated down to -50 °C, exported from Germany to China: an Annex I item (Art. 3(1)).
    spec = {"product": "digital-computer", "params": {**NOT_CIVIL, "min_operating_temp_c": -50}}
    line = spec_line(eu, spec["product"], spec["params"])
    assert ("4A001.a.1",) in {m.control_numbers for m in line.entries}
    assert line.outcome is Outcome.LICENCE_REQUIRED


# --- 4A003 Note 1, 4A004, 4A005 -------------------------------------------------------------------------------------


def test_4a003_note_1_includes_digital_signal_processors(snapshot: Snapshot) -> None:
    # "4A003 includes the following: 'Vector processors'; Array processors; Digital signal processors; …"
    dsp = {"adjusted_peak_performance_wt": 71, "non_principal_element_of_other_equipment": False}
    assert "4A003#b" in listed_by(classify(snapshot, "digital-signal-processor", **dsp))


@pytest.mark.parametrize(("architecture", "clause"), [("systolic-array", "a"), ("neural", "b"), ("optical", "c")])
def test_4a004_systolic_array_neural_and_optical_computers(snapshot: Snapshot, architecture: str, clause: str) -> None:
    result = classify(snapshot, "computer-related-equipment", computer_architecture=architecture)
    assert f"4A004#{clause}" in listed_by(result)
    assert holds(snapshot, f"4A004#{clause}", computer_architecture="conventional") is False


def test_4a005_intrusion_software_equipment(snapshot: Snapshot) -> None:
    assert "4A005#intrusion-software-equipment" in listed_by(
        classify(snapshot, "server", designed_for_intrusion_software=True)
    )
    assert holds(snapshot, "4A005#intrusion-software-equipment", designed_for_intrusion_software=False) is False


# --- 4A101, 4A102 rocket computers -----------------------------------------------------------------------------------

FOR_ROCKETS = {"ruggedized": True, "for_space_launch_vehicle_or_sounding_rocket": True}


def test_4a101_ruggedized_rocket_computer_other_than_4a001_a_1(snapshot: Snapshot) -> None:
    # "other than those specified in 4A001.a.1." — rated within -45 °C to 85 °C it is 4A101 …
    inside = {**FOR_ROCKETS, "min_operating_temp_c": -45, "max_operating_temp_c": 85}
    assert "4A101#within-4a001-a-1-range" in listed_by(classify(snapshot, "analog-computer", **inside))
    # … rated below -45 °C it is 4A001.a.1, not 4A101 …
    cold = {**FOR_ROCKETS, **NOT_CIVIL, "min_operating_temp_c": -46, "max_operating_temp_c": 85}
    assert holds(snapshot, "4A101#within-4a001-a-1-range", **cold) is False
    result = classify(snapshot, "digital-computer", **cold)
    assert "4A001#a-1-below-minus-45c" in listed_by(result)
    assert not any(m.entry == "4A101" for m in result.matches)
    # … unless the 4A001.a.1 Note releases it from 4A001.a.1 (a civil aircraft design): then it is 4A101 again.
    civil = {**cold, "civil_aircraft_design": True}
    assert listed_by(classify(snapshot, "digital-computer", **civil)) >= {"4A101#civil-aircraft"}
    assert holds(snapshot, "4A101#within-4a001-a-1-range", **{**inside, "ruggedized": False}) is False


def test_4a102_hybrid_computer_only_with_7d103_or_9d103_software(snapshot: Snapshot) -> None:
    designed = {"for_space_launch_vehicle_or_sounding_rocket_design": True}
    assert "4A102#hybrid-computer" in listed_by(
        classify(snapshot, "hybrid-computer", **designed, has_listed_design_software=True)
    )
    # Note: "This control only applies when the equipment is supplied with "software" specified in 7D103 or 9D103."
    assert holds(snapshot, "4A102#hybrid-computer", **designed, has_listed_design_software=False) is False


# --- 5A001 telecommunications ---------------------------------------------------------------------------------------

EARTHBOUND = {"designed_for_spacecraft": False, "has_electronic_circuits": True}


def test_5a001_a_3_and_a_4_operating_temperatures(snapshot: Snapshot) -> None:
    # "below 218 K (-55 °C)", "above 397 K (124 °C)"
    assert "5A001#a-3" in listed_by(classify(snapshot, "radio-transceiver", **EARTHBOUND, min_operating_temp_c=-56))
    assert holds(snapshot, "5A001#a-3", **EARTHBOUND, min_operating_temp_c=-55) is False
    assert holds(snapshot, "5A001#a-4", **EARTHBOUND, max_operating_temp_c=125) is True
    assert holds(snapshot, "5A001#a-4", **EARTHBOUND, max_operating_temp_c=124) is False
    # Note 1: only electronic equipment; Note 2: not equipment for use on board "spacecraft".
    assert (
        holds(snapshot, "5A001#a-4", **{**EARTHBOUND, "has_electronic_circuits": False}, max_operating_temp_c=150)
        is False
    )
    assert (
        holds(snapshot, "5A001#a-3", **{**EARTHBOUND, "designed_for_spacecraft": True}, min_operating_temp_c=-60)
        is False
    )
    # Note 2 does not reach a.1 (nuclear effects).
    assert holds(snapshot, "5A001#a-1", nuclear_emp_hardened=True, designed_for_spacecraft=True) is True


def test_5a001_c_optical_fibre(snapshot: Snapshot) -> None:
    # "more than 500 m in length" and "'proof test' tensile stress of 2 × 10^9 N/m2 or more"
    assert "5A001#c" in listed_by(
        classify(snapshot, "optical-fibre", fibre_length_m=501, proof_test_strength_gn_per_m2=2)
    )
    assert holds(snapshot, "5A001#c", fibre_length_m=500, proof_test_strength_gn_per_m2=2) is False
    assert holds(snapshot, "5A001#c", fibre_length_m=501, proof_test_strength_gn_per_m2=1.9) is False


@pytest.mark.parametrize(
    ("clause", "frequency", "erp", "expected"),
    [
        ("d-1", 31.8, 30, False),  # "above 31,8 GHz"
        ("d-1", 57, 20, True),  # "not exceeding 57 GHz", "+20 dBm" or more
        ("d-1", 40, 19.9, False),
        ("d-2", 57.1, 24, True),
        ("d-2", 60, 23.9, False),  # "+24 dBm"
        ("d-3", 90, 20, True),
        ("d-3", 90.1, 20, False),
    ],
)
def test_5a001_d_phased_array_bands(
    snapshot: Snapshot, clause: str, frequency: float, erp: float, expected: bool
) -> None:
    spec: dict[str, Any] = {"operating_frequency_ghz": frequency, "effective_radiated_power_dbm": erp}
    assert holds(snapshot, f"5A001#{clause}", **spec, excluded_civil_application=False) is expected


def test_5a001_d_4_and_the_civil_notes(snapshot: Snapshot) -> None:
    assert "5A001#d-4" in listed_by(
        classify(snapshot, "phased-array-antenna", operating_frequency_ghz=94, excluded_civil_application=False)
    )
    # Notes 1 and 2: MLS landing systems, civil cellular or WLAN, IEEE 802.15, wireless HDMI, satellite earth stations.
    assert holds(snapshot, "5A001#d-4", operating_frequency_ghz=94, excluded_civil_application=True) is False


# --- 5A002 information security (a.2–a.4, c, d, e) --------------------------------------------------------------

CRYPTO = {"data_confidentiality_crypto": True, "crypto_excluded_item_type": False, "mass_market_crypto": False}


@pytest.mark.parametrize(
    ("category", "clause", "number"),
    [
        ("communications-networking", "a-2-item-post-quantum", "5A002.a.2"),
        ("computing-storage", "a-3-item-post-quantum", "5A002.a.3"),
        ("other-controlled-crypto", "a-4-item-post-quantum", "5A002.a.4"),
    ],
)
def test_5a002_a_2_to_a_4_by_item_category(snapshot: Snapshot, category: str, clause: str, number: str) -> None:
    spec = {**CRYPTO, "crypto_item_category": category, "asymmetric_security_basis": "lattice"}
    result = classify(snapshot, "item-with-cryptography", **spec)
    assert {m.control_numbers for m in result.matches if m.clause == clause} == {(number,)}
    assert holds(snapshot, f"5A002#{clause}", **{**spec, "crypto_item_category": "other"}) is False


def test_5a002_d_ultra_wideband_codes(snapshot: Snapshot) -> None:
    # "A bandwidth exceeding 500 MHz; or A "fractional bandwidth" of 20 % or more"
    uwb = {"crypto_generated_uwb_codes": True, "mass_market_crypto": False}
    assert holds(snapshot, "5A002#d-1", **uwb, uwb_bandwidth_mhz=501) is True
    assert holds(snapshot, "5A002#d-1", **uwb, uwb_bandwidth_mhz=500) is False
    assert holds(snapshot, "5A002#d-2", **uwb, fractional_bandwidth_pct=20) is True
    assert holds(snapshot, "5A002#d-2", **uwb, fractional_bandwidth_pct=19.9) is False


def test_5a002_c_and_e_and_the_cryptography_note(snapshot: Snapshot) -> None:
    assert "5A002#c-item" in listed_by(
        classify(snapshot, "telecom-equipment", uses_quantum_cryptography=True, mass_market_crypto=False)
    )
    assert holds(snapshot, "5A002#e", crypto_generated_spreading_codes=True, mass_market_crypto=False) is True
    # The Cryptography Note (Note 3 in Category 5, Part 2) releases them.
    assert holds(snapshot, "5A002#e", crypto_generated_spreading_codes=True, mass_market_crypto=True) is False


# --- 5A004 defeating information security ---------------------------------------------------------------------------


def test_5a004_b_raw_data_extraction_and_its_notes(snapshot: Snapshot) -> None:
    tool = {"extracts_raw_data": True, "bypasses_authentication": True}
    assert "5A004#b" in listed_by(
        classify(snapshot, "forensic-data-extraction-equipment", **tool, excluded_extraction_tool=False)
    )
    # "5A004.b.2 Circumvent "authentication" or authorisation controls of the device" is needed as well.
    assert (
        holds(snapshot, "5A004#b", **{**tool, "bypasses_authentication": False}, excluded_extraction_tool=False)
        is False
    )
    # Notes 1 and 2: development or production equipment, debuggers, logical extraction, chip-off or JTAG, rooting.
    assert holds(snapshot, "5A004#b", **tool, excluded_extraction_tool=True) is False


def test_5a004_a_cryptanalysis_equipment(snapshot: Snapshot) -> None:
    result = classify(snapshot, "cryptanalysis-equipment")
    assert listed_by(result) == {"5A004#a"}
    assert [m.control_numbers for m in result.matches] == [("5A004.a",)]
