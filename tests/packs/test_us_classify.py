"""Classification by specification under the US pack: the criteria of tools/us_pack/criteria/cat-3.yaml, cat-4.yaml
and cat-5.yaml (3A001.a and b, 3A002, 3A090, 3B001, 3C002, 3C004, 3C992, 4A003, 4A090, 5A002), checked against the
Commerce Control List of the eCFR of 2026-07-23 (../shared/data/us). Each threshold below is quoted from the
paragraph text, looked up in the source first (a changed source fails here rather than passing on stale text); a
specification just inside and just outside it, the notes the criteria express, and what failing every clause says.
"""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from exportctl.cli import app
from exportctl.core_types import Outcome
from exportctl.determine.classify import Classification
from exportctl.regime import Regime
from exportctl.regime.snapshot import Snapshot
from tests.conftest import day
from tests.support.ccl import DAY, ECCNS, quoted, spec_line, texts
from tests.support.clauses import classify, holds, listed_by

# An ordinary commercial IC: none of 3A001.a.1 (radiation hardness) or a.2 (temperature range) applies, it has no
# processing units of note (TPP 0) and its exporter is not a front-end fabricator bound by Note 1 to 3A090.
COMMERCIAL_IC = {
    "total_dose_si_gy": 100,
    "dose_rate_upset_gy_si_per_s": 1000,
    "neutron_fluence_n_per_cm2": 1.0e11,
    "mis_device": False,
    "min_operating_temp_c": -40,
    "max_operating_temp_c": 85,
    "civil_automotive_or_railway_design": False,
    "total_processing_performance": 0,
    "presumed_3a090_a_by_fabricator": False,
    "processing_performance_tops": 0,  # nor a 3A991.p processor
    "aggregate_bidirectional_io_rate_gbyte_s": 0,
}
DATACENTER = {"designed_or_marketed_for_datacenters": True, "presumed_3a090_a_by_fabricator": False}


@pytest.fixture(scope="module")
def snapshot(us: Regime) -> Snapshot:
    return us.at(day(DAY))


def incomplete_named(result: Classification) -> list[str]:
    """The entries the note names as not (completely) encoded, in its order (those checked come first)."""
    found = re.search(r"but entries (.*?) are not \(completely\) encoded", result.note)
    assert found, result.note
    return found.group(1).split(", ")


# --- 3A090 integrated circuits ------------------------------------------------------------------------------------


def test_3a090_a_1_tpp_4800_or_more(us: Regime, snapshot: Snapshot) -> None:
    quoted("3A090", "a.1", "A 'total processing performance' of 4800 or more")
    line = spec_line(us, "gpu", "DE", total_processing_performance=4800)
    assert [(m.entry, m.clause, m.control_numbers) for m in line.entries] == [("3A090", "a-1", ("3A090.a.1",))]
    # "RS applies to 3A090.a": to or within any destination worldwide
    assert line.outcome is Outcome.LICENCE_REQUIRED and line.reasons_for_control == ("RS",)
    assert holds(snapshot, "3A090#a-1", total_processing_performance=4799) is False


def test_tpp_4799_and_density_5_is_not_3a090_a(snapshot: Snapshot) -> None:
    spec = {**COMMERCIAL_IC, "total_processing_performance": 4799, "performance_density": 5.0}
    result = classify(snapshot, "gpu", **spec, designed_or_marketed_for_datacenters=False)
    assert not any(ref.startswith("3A090") for ref in listed_by(result))
    assert result.status == "undetermined" and result.missing == ("classification",)
    assert "3A090" not in incomplete_named(result)  # 3A090 is complete: failing it rules the IC out of 3A090
    # designed for datacenters, the same IC is 3A090.b.1 (TPP 2400 to < 4800, density 1.6 to < 5.92) and b.2
    datacenter = classify(snapshot, "gpu", **spec, designed_or_marketed_for_datacenters=True)
    assert listed_by(datacenter) == {"3A090#b-1", "3A090#b-2"}


def test_3a090_a_2_tpp_1600_and_density_5_92(snapshot: Snapshot) -> None:
    quoted("3A090", "a.2", "'total processing performance' of 1600 or more and a 'performance density' of 5.92 or more")
    spec = {"total_processing_performance": 1600, "performance_density": 5.92, **DATACENTER}
    result = classify(snapshot, "neural-network-ic", **COMMERCIAL_IC | spec)
    assert listed_by(result) == {"3A090#a-2"}
    assert [m.control_numbers for m in result.matches] == [("3A090.a.2",)]
    assert holds(snapshot, "3A090#a-2", **spec | {"total_processing_performance": 1599}) is False
    assert holds(snapshot, "3A090#a-2", **spec | {"performance_density": 5.91}) is False


def test_the_datacenter_note_excludes_a_2_and_b_below_tpp_4800(snapshot: Snapshot) -> None:
    note = "3A090.a and 3A090.b do not apply to items that are not designed or marketed for use in datacenters and do"
    assert any(note in item["text"] for item in ECCNS["3A090"]["items"])
    market = {"designed_or_marketed_for_datacenters": False}
    assert holds(snapshot, "3A090#a-2", total_processing_performance=4799, performance_density=6, **market) is False
    # "… and do not have a 'total processing performance' of 4800 or more": with 4800 the IC is a.1 and a.2
    high = classify(snapshot, "gpu", **COMMERCIAL_IC | market | {"total_processing_performance": 4800})
    assert listed_by(high) == {"3A090#a-1"}
    dense = {"total_processing_performance": 4800, "performance_density": 6}
    both = classify(snapshot, "gpu", **COMMERCIAL_IC | market | dense)
    assert listed_by(both) == {"3A090#a-1", "3A090#a-2-tpp-4800"}


def test_3a090_b_1_bounds(snapshot: Snapshot) -> None:
    quoted(
        "3A090",
        "b.1",
        "A 'total processing performance' of 2400 or more and less than 4800 and a 'performance density' of 1.6 or more"
        " and less than 5.92",
    )
    spec = {"total_processing_performance": 2400, "performance_density": 1.6, **DATACENTER}
    assert holds(snapshot, "3A090#b-1", **spec) is True
    assert holds(snapshot, "3A090#b-1", **spec | {"total_processing_performance": 2399}) is False
    assert holds(snapshot, "3A090#b-1", **spec | {"total_processing_performance": 4800}) is False
    assert holds(snapshot, "3A090#b-1", **spec | {"performance_density": 1.59}) is False
    assert holds(snapshot, "3A090#b-1", **spec | {"performance_density": 5.92}) is False


def test_3a090_b_2_bounds(snapshot: Snapshot) -> None:
    quoted("3A090", "b.2", "'total processing performance' of 1600 or more and a 'performance density' of 3.2 or more")
    spec = {"total_processing_performance": 1600, "performance_density": 3.2, **DATACENTER}
    result = classify(snapshot, "fpga", **COMMERCIAL_IC | spec, single_ended_digital_io_count=0)
    assert {ref for ref in listed_by(result) if ref.startswith("3A090")} == {"3A090#b-2"}
    assert holds(snapshot, "3A090#b-2", **spec | {"performance_density": 3.19}) is False
    assert holds(snapshot, "3A090#b-2", **spec | {"performance_density": 5.92}) is False  # a.2 from 5.92
    # with a TPP of 4800 or more the market does not matter: a.1, and b.2 for a density below 5.92
    market = {"designed_or_marketed_for_datacenters": False, "performance_density": 4.0}
    assert holds(snapshot, "3A090#b-2-tpp-4800", total_processing_performance=4800, **market) is True


def test_3a090_c_high_bandwidth_memory(us: Regime, snapshot: Snapshot) -> None:
    quoted("3A090", "c", "'memory bandwidth density' greater than 2 gigabytes per second per square millimeter")
    spec = {"memory_bandwidth_density_gb_s_mm2": 2.01, "co_packaged_logic_dominant_processing": False}
    assert holds(snapshot, "3A090#c", **spec) is True
    assert holds(snapshot, "3A090#c", **spec | {"memory_bandwidth_density_gb_s_mm2": 2}) is False
    # its Technical Note: not a co-packaged IC with HBM and a logic IC whose dominant function is processing
    assert holds(snapshot, "3A090#c", **spec | {"co_packaged_logic_dominant_processing": True}) is False
    # "RS applies to 3A090.c": to or within Macau or a destination of Country Group D:5
    # … and stated as none of the other ICs a memory may be (3A001.a.1, the cryogenic CMOS of 3A901.a, 3A991.p)
    plain = ("total_dose_si_gy", "dose_rate_upset_gy_si_per_s", "min_operating_temp_c", "max_operating_temp_c")
    plain += ("processing_performance_tops", "aggregate_bidirectional_io_rate_gbyte_s")
    rad = {key: COMMERCIAL_IC[key] for key in plain} | {"neutron_fluence_n_per_cm2": 1.0e11, "mis_device": False}
    assert spec_line(us, "dram", "CN", **spec, **rad).outcome is Outcome.LICENCE_REQUIRED
    assert spec_line(us, "dram", "DE", **spec, **rad).outcome is Outcome.NO_LICENCE_REQUIRED


def test_note_1_presumption_for_a_front_end_fabricator(snapshot: Snapshot) -> None:
    assert any("there is a presumption that the item is 3A090.a" in item["text"] for item in ECCNS["3A090"]["items"])
    spec = {**COMMERCIAL_IC, "total_processing_performance": 1000, "presumed_3a090_a_by_fabricator": True}
    result = classify(snapshot, "asic", **spec)
    assert listed_by(result) == {"3A090#a-presumed"}
    assert [m.control_numbers for m in result.matches] == [("3A090.a",)]


def test_a_missing_density_is_asked_not_assumed(snapshot: Snapshot) -> None:
    spec = {**COMMERCIAL_IC, "total_processing_performance": 2000, **DATACENTER}
    result = classify(snapshot, "gpu", **spec)
    assert result.status == "undetermined"
    assert result.missing == ("params.performance_density",)


# --- 4A090 and 4A003 computers ------------------------------------------------------------------------------------


def test_4a090_a_by_the_highest_tpp_of_the_ics(us: Regime, snapshot: Snapshot) -> None:
    quoted("4A090", "a", "containing integrated circuits, any of which meets or exceeds the limits in 3A090.a")
    decided = spec_line(us, "server", "DE", max_ic_total_processing_performance=4800)
    assert [(m.entry, m.control_numbers) for m in decided.entries] == [("4A090", ("4A090.a",))]
    assert decided.outcome is Outcome.LICENCE_REQUIRED  # RS worldwide
    # below 1600 no IC can be of 3A090: 4A090 is ruled out by the TPP alone (a server without cryptography for data
    # confidentiality is of no 5A002.a either); what else a server may be (4A001's radiation hardness …) is asked
    contains = {"params.contains_3a090_a_ic", "params.contains_3a090_b_ic"}
    low = classify(snapshot, "server", max_ic_total_processing_performance=1599, data_confidentiality_crypto=False)
    assert not listed_by(low) and "4A090" not in {m.entry for m in low.matches}
    assert not contains & set(low.missing) and "params.total_dose_si_gy" in low.missing
    between = classify(snapshot, "server", max_ic_total_processing_performance=1600, data_confidentiality_crypto=False)
    assert between.status == "undetermined"
    assert contains <= set(between.missing)
    contains_b = {"contains_3a090_a_ic": False, "contains_3a090_b_ic": True, "data_confidentiality_crypto": False}
    result = classify(snapshot, "server", max_ic_total_processing_performance=2000, **contains_b)
    assert listed_by(result) == {"4A090#b"}


def test_4a003_b_app_exceeding_70_wt_and_z(snapshot: Snapshot) -> None:
    quoted("4A003", "b", "“Adjusted Peak Performance” (“APP”) exceeding 70 Weighted TeraFLOPS (WT)")
    spec = {"adjusted_peak_performance_wt": 70.01, "non_principal_element_of_other_equipment": False}
    assert holds(snapshot, "4A003#b", **spec) is True
    assert holds(snapshot, "4A003#b", **spec | {"adjusted_peak_performance_wt": 70}) is False
    # Note 2: a computer essential to other equipment and not its "principal element" takes that equipment's status
    assert holds(snapshot, "4A003#b", **spec | {"non_principal_element_of_other_equipment": True}) is False
    # 4A003.z.1.a: of 4A003.b and meeting 4A090.a; a digital computer is a kind of computer (4A090 too)
    result = classify(snapshot, "digital-computer", **spec, max_ic_total_processing_performance=5000)
    assert listed_by(result) == {"4A003#b", "4A003#z-1-a-b-tpp-4800", "4A090#a-tpp-4800"}


# --- 3A001 -----------------------------------------------------------------------------------------------------


def test_3a001_a_5_a_3_adc(snapshot: Snapshot) -> None:
    quoted("3A001", "a.5.a.3", "12 bit or more, but less than 14 bit, with a “sample rate” greater than 400 MSPS")
    result = classify(snapshot, "ad-converter-ic", **COMMERCIAL_IC, resolution_bits=12, sample_rate_msps=401)
    assert listed_by(result) == {"3A001#a-5-a-3"}
    assert holds(snapshot, "3A001#a-5-a-3", resolution_bits=12, sample_rate_msps=400) is False
    assert holds(snapshot, "3A001#a-5-a-3", resolution_bits=14, sample_rate_msps=401) is False
    # 1.3 GSPS for 8 to less than 10 bit, in the parameter's MSPS
    quoted("3A001", "a.5.a.1", "greater than 1.3 Giga Samples Per Second (GSPS)")
    assert holds(snapshot, "3A001#a-5-a-1", resolution_bits=8, sample_rate_msps=1300) is False
    assert holds(snapshot, "3A001#a-5-a-1", resolution_bits=8, sample_rate_msps=1301) is True


def test_failing_an_incompletely_encoded_entry_is_undetermined(snapshot: Snapshot) -> None:
    # 12 bits at 105 million words per second: not "greater than 105" (3A991.c.2), far below 3A001.a.5.
    quoted("3A991", "c.2", "A resolution of 12 bit with an output rate greater than 105 million words per second")
    result = classify(snapshot, "ad-converter-ic", **COMMERCIAL_IC, resolution_bits=12, sample_rate_msps=105)
    assert result.status == "undetermined" and result.missing == ("classification",)
    assert incomplete_named(result)[0] == "3A001"  # 3A001 is encoded for a and b only


def test_3a001_a_2_temperature_and_the_civil_automobile_note(snapshot: Snapshot) -> None:
    quoted("3A001", "a.2.a", "above 398 K (+125 °C)")
    quoted("3A001", "a.2.c", "from 218 K (−55 °C) to 398 K (+125 °C)")
    civil = {"civil_automotive_or_railway_design": False}
    assert holds(snapshot, "3A001#a-2-a", **civil, max_operating_temp_c=125) is False
    assert holds(snapshot, "3A001#a-2-a", **civil, max_operating_temp_c=126) is True
    assert holds(snapshot, "3A001#a-2-c", **civil, min_operating_temp_c=-55, max_operating_temp_c=125) is True
    assert holds(snapshot, "3A001#a-2-c", **civil, min_operating_temp_c=-54, max_operating_temp_c=125) is False
    automobile = {"civil_automotive_or_railway_design": True}
    assert holds(snapshot, "3A001#a-2-a", **automobile, max_operating_temp_c=150) is False


def test_3a001_a_7_fpga_and_a_9_reserved(snapshot: Snapshot) -> None:
    quoted("3A001", "a.7.a", "greater than 700")
    quoted("3A001", "a.7.b", "of 500 Gb/s or greater")
    assert holds(snapshot, "3A001#a-7-a", single_ended_digital_io_count=700) is False
    assert holds(snapshot, "3A001#a-7-a", single_ended_digital_io_count=701) is True
    assert holds(snapshot, "3A001#a-7-b", serial_transceiver_aggregate_gbps=500) is True
    assert holds(snapshot, "3A001#a-7-b", serial_transceiver_aggregate_gbps=499) is False
    assert texts("3A001", "a.9") == ("[Reserved]",)
    assert "a-9" not in {clause.id for clause in snapshot.entries["3A001"].record.clauses}


def test_3a001_b_2_mmic_band_and_power(snapshot: Snapshot) -> None:
    quoted("3A001", "b.2.a.1", "greater than 75 W (48.75 dBm) at any frequency exceeding 2.7 GHz up to and including")
    quoted("3A001", "b.2.a", "with a “fractional bandwidth” greater than 15%")
    mmic = {"operating_frequency_ghz": 2.8, "fractional_bandwidth_pct": 16, "peak_saturated_power_dbm": 48.76}
    mmic |= {"specially_designed_for_other_equipment": False}
    assert holds(snapshot, "3A001#b-2-a-1", **mmic) is True
    assert holds(snapshot, "3A001#b-2-a-1", **mmic | {"peak_saturated_power_dbm": 48.75}) is False
    assert holds(snapshot, "3A001#b-2-a-1", **mmic | {"operating_frequency_ghz": 2.7}) is False
    assert holds(snapshot, "3A001#b-2-a-1", **mmic | {"fractional_bandwidth_pct": 15}) is False
    # the Note: not MMICs "specially designed" for other applications
    assert holds(snapshot, "3A001#b-2-a-1", **mmic | {"specially_designed_for_other_equipment": True}) is False


def test_3a001_b_7_the_ear_bands_differ_from_the_eus(snapshot: Snapshot) -> None:
    quoted("3A001", "b.7.a", "beyond 90 GHz")
    quoted("3A001", "b.7.c.2", "greater than 31.62 mW (15 dBm)", "exceeding 43.5 GHz but not exceeding 90 GHz")
    signal = {"extended_instrument": "spectrum-analyser"}
    assert holds(snapshot, "3A001#b-7-a", **signal, extended_max_frequency_ghz=90) is False
    assert holds(snapshot, "3A001#b-7-a", **signal, extended_max_frequency_ghz=91) is True  # the EU's is 110 GHz
    network = {"extended_instrument": "network-analyser"}
    assert holds(snapshot, "3A001#b-7-c-2", **network, output_power_43_5_to_90ghz_dbm=15) is False
    assert holds(snapshot, "3A001#b-7-c-2", **network, output_power_43_5_to_90ghz_dbm=15.1) is True
    assert holds(snapshot, "3A001#b-7-c-3", **network, output_power_90_to_110ghz_dbm=0.1) is True


# --- 3A002 -----------------------------------------------------------------------------------------------------


def test_3a002_oscilloscopes_and_signal_analyzers(snapshot: Snapshot) -> None:
    quoted("3A002", "a.7", "less than 2% of full-scale", "3dB bandwidth of 60 GHz or greater per channel")
    scope = {"noise_rms_pct_full_scale": 1.9, "equivalent_time_sampling": False}
    assert holds(snapshot, "3A002#a-7", **scope, bandwidth_3db_ghz=60) is True
    assert holds(snapshot, "3A002#a-7", **scope, bandwidth_3db_ghz=59.9) is False
    assert holds(snapshot, "3A002#a-7", **scope | {"noise_rms_pct_full_scale": 2}, bandwidth_3db_ghz=60) is False
    quoted("3A002", "c.2", "less (better) than −150 dBm/Hz")
    assert holds(snapshot, "3A002#c-2", danl_43_5_to_90ghz_dbm_hz=-150) is False
    assert holds(snapshot, "3A002#c-2", danl_43_5_to_90ghz_dbm_hz=-150.1) is True
    quoted("3A002", "c.3", "having a frequency exceeding 90 GHz")
    assert holds(snapshot, "3A002#c-3", max_analysis_frequency_ghz=90) is False
    quoted("3A002", "c.4.a", "'Real-time bandwidth' exceeding 170 MHz")
    analyzer = {"frequency_mask_trigger": True, "fmt_min_signal_duration_100pct_us": 15}
    analyzer |= {"constant_percentage_bandwidth_filters_only": False}
    assert holds(snapshot, "3A002#c-4-b-2", **analyzer, real_time_bandwidth_mhz=171) is True
    assert holds(snapshot, "3A002#c-4-b-2", **analyzer, real_time_bandwidth_mhz=170) is False


# --- 3B001 -----------------------------------------------------------------------------------------------------


def test_3b001_lithography(snapshot: Snapshot) -> None:
    quoted("3B001", "f.1.a", "shorter than 193 nm")
    assert holds(snapshot, "3B001#f-1-a", wavelength_nm=192) is True
    assert holds(snapshot, "3B001#f-1-a", wavelength_nm=193) is False
    quoted("3B001", "f.1.b.1", "(MRF) of 45 nm or less")
    quoted("3B001", "f.1.b.2", "less than or equal to 1.50 nm")
    duv = {"wavelength_nm": 193, "litho_k025_resolution_nm": 45, "dedicated_chuck_overlay_nm": 1.5}
    assert holds(snapshot, "3B001#f-1-b", **duv) is True
    assert holds(snapshot, "3B001#f-1-b", **duv | {"dedicated_chuck_overlay_nm": 1.51}) is False
    assert holds(snapshot, "3B001#f-1-b", **duv | {"litho_k025_resolution_nm": 45.1}) is False


def test_3b001_etch_and_epitaxy(snapshot: Snapshot) -> None:
    quoted("3B001", "c.1.c.2", "switching time less than 300 milliseconds")
    quoted("3B001", "c.1.c.3", "twenty or more individually controllable")
    etch = {"etch_mode": "anisotropic", "pulsed_rf_power_sources": 1, "gas_switching_time_ms": 299}
    assert holds(snapshot, "3B001#c-1-c", **etch, esc_temperature_zones=20) is True
    assert holds(snapshot, "3B001#c-1-c", **etch, esc_temperature_zones=19) is False
    assert holds(snapshot, "3B001#c-1-c", **etch | {"gas_switching_time_ms": 300}, esc_temperature_zones=20) is False
    # 3B001.a.4 "equal to or below 958 K (685 °C)" (the EU's 3B501.a.4 says below)
    quoted("3B001", "a.4.b", "equal to or below 958 K (685 °C)")
    epitaxy = {"si_or_sige_epitaxy": True, "preclean_chamber": True}
    assert holds(snapshot, "3B001#a-4", **epitaxy, epitaxy_temperature_c=685) is True
    assert holds(snapshot, "3B001#a-4", **epitaxy, epitaxy_temperature_c=686) is False


def test_3b001_d_14_remote_radical_deposition(snapshot: Snapshot) -> None:
    quoted("3B001", "d.14.a", "less than 4.4")
    quoted("3B001", "d.14.b", "greater than 5:1 with lateral openings of less than 35 nm")
    quoted("3B001", "d.14.c", "less than 45 nm")
    film = {"deposition_process": "remote-radical-sic-low-k", "film_dielectric_constant": 4.3}
    film |= {"opening_aspect_ratio": 5.1, "opening_width_nm": 34, "pattern_pitch_nm": 44}
    assert listed_by(classify(snapshot, "deposition-equipment", **film)) == {"3B001#d-14"}
    assert holds(snapshot, "3B001#d-14", **film | {"film_dielectric_constant": 4.4}) is False
    assert holds(snapshot, "3B001#d-14", **film | {"opening_aspect_ratio": 5}) is False
    assert holds(snapshot, "3B001#d-14", **film | {"pattern_pitch_nm": 45}) is False


# --- 3C002, 3C992, 3C004 -------------------------------------------------------------------------------------------


def test_resists_3c002_and_3c992(snapshot: Snapshot) -> None:
    quoted("3C002", "a.1", "less than 193 nm but equal to or greater than 15 nm")
    assert ECCNS["3C992"]["heading"].startswith("Positive resists designed for semiconductor lithography specially")
    assert "between 370 and 193 nm" in ECCNS["3C992"]["heading"]
    positive = {"resist_tone": "positive"}
    assert listed_by(classify(snapshot, "photoresist", **positive, wavelength_nm=192)) == {"3C002#a-1"}
    assert listed_by(classify(snapshot, "photoresist", **positive, wavelength_nm=193)) == {"3C992#positive-resist"}
    assert listed_by(classify(snapshot, "photoresist", **positive, wavelength_nm=370)) == {"3C992#positive-resist"}
    quoted("3C002", "a.2", "less than 15 nm but greater than 1 nm")
    assert listed_by(classify(snapshot, "photoresist", resist_tone="negative", wavelength_nm=13.5)) == {"3C002#a-2"}
    quoted("3C002", "b", "0.01 µcoulomb/mm 2 or better")
    assert holds(snapshot, "3C002#b", electron_beam_sensitivity_uc_mm2=0.01) is True
    assert holds(snapshot, "3C002#b", electron_beam_sensitivity_uc_mm2=0.011) is False


def test_a_resist_failing_the_complete_entries_is_not_named_as_unassessed(snapshot: Snapshot) -> None:
    # 3C002 and 3C992 encode every alternative: a positive resist for 371 nm is of neither. The pack lets ECCNs
    # without clauses list any product, so the answer stays undetermined, but neither entry is among those unassessed.
    result = classify(snapshot, "photoresist", resist_tone="positive", wavelength_nm=371)
    assert not listed_by(result) and result.missing == ("classification",)
    assert {"3C002", "3C992"}.isdisjoint(incomplete_named(result))
    entries = snapshot.entries
    assert entries["3C002"].record.complete and entries["3C992"].record.complete


def test_3c004_hydrides(snapshot: Snapshot) -> None:
    assert "having a purity better than 99.999%" in ECCNS["3C004"]["heading"]
    quoted_note = "This entry does not control hydrides containing 20% molar or more of inert gases or hydrogen."
    assert [item["text"] for item in ECCNS["3C004"]["items"]] == [quoted_note]
    assert listed_by(classify(snapshot, "arsine", precursor_purity_pct=99.9991, inert_gas_or_hydrogen_mol_pct=0)) == {
        "3C004#hydride"
    }
    assert holds(snapshot, "3C004#hydride", precursor_purity_pct=99.999, inert_gas_or_hydrogen_mol_pct=0) is False
    assert holds(snapshot, "3C004#hydride", precursor_purity_pct=99.9999, inert_gas_or_hydrogen_mol_pct=20) is False
    failing = classify(snapshot, "phosphine", precursor_purity_pct=99.9, inert_gas_or_hydrogen_mol_pct=0)
    assert "3C004" not in incomplete_named(failing)


# --- 5A002 -----------------------------------------------------------------------------------------------------


def test_5a002_a_1_symmetric_key_and_the_cryptography_note(snapshot: Snapshot) -> None:
    assert any(
        "A “symmetric algorithm” employing a key length in excess of 56 bits" in item["text"]
        for item in ECCNS["5A002"]["items"]
    )
    spec = {"data_confidentiality_crypto": True, "crypto_excluded_item_type": False, "mass_market_crypto": False}
    assert holds(snapshot, "5A002#a-1-symmetric", **spec, symmetric_key_length_bits=57) is True
    assert holds(snapshot, "5A002#a-1-symmetric", **spec, symmetric_key_length_bits=56) is False
    market = spec | {"mass_market_crypto": True}  # the Cryptography Note: 5A992.c
    assert holds(snapshot, "5A002#a-1-symmetric", **market, symmetric_key_length_bits=256) is False
    # 5A002.z is not encoded: failing every clause names 5A002 among the entries not completely encoded
    weak = spec | {"symmetric_key_length_bits": 40, "asymmetric_security_basis": "none"}
    weak |= {"uses_quantum_cryptography": False, "crypto_generated_uwb_codes": False}
    weak |= {"crypto_generated_spreading_codes": False}
    result = classify(snapshot, "crypto-module", **weak)
    assert not listed_by(result) and incomplete_named(result)[0] == "5A002"


# --- the command line ---------------------------------------------------------------------------------------------


def test_classify_command_under_the_us_pack() -> None:
    args = ["classify", "--regime", "us", "--date", DAY, "--product", "gpu", "--format", "json"]
    result = CliRunner().invoke(app, [*args, "--param", "total_processing_performance=4800"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["status"], data["entries"]) == ("listed", ["3A090"])
    assert [match["control_numbers"] for match in data["matches"]] == [["3A090.a.1"]]
