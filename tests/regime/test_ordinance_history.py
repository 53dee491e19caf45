"""The ministerial ordinance on goods (貨物等省令) as in force on each date: clauses and entries carry the periods of
the amending ordinances that added, changed or deleted them (sources/ordinance-history.yaml). Each case is written
from the comparison of the ordinance's e-Gov consolidated versions before and after the amendment."""

from __future__ import annotations

from typing import Any

import pytest

from exportctl.core_types import Specification
from exportctl.determine.classify import Classification, classify_spec
from exportctl.regime import Regime
from tests.conftest import day

AMENDING = {
    "jp.meti-ord.2019-44": "2020-01-22",
    "jp.meti-ord.2022-78": "2022-12-06",
    "jp.meti-ord.2023-25": "2023-07-23",
    "jp.meti-ord.2024-44": "2024-09-08",
    "jp.meti-ord.2025-34": "2025-05-28",
    "jp.meti-ord.2025-72": "2026-02-14",
}


def _classify(jp: Regime, date: str, product: str, **params: Any) -> Classification:
    return classify_spec(jp.at(day(date)), Specification(product=product, params=params))


def _clauses(result: Classification) -> set[str]:
    return {f"{m.entry}#{m.clause}" for m in result.matches} if result.status == "listed" else set()


def test_amending_ordinances_date_what_they_cite(jp: Regime) -> None:
    """A period a dated ordinance starts begins on its date of entry into force; one it ends stops there."""
    for source_id, in_force in AMENDING.items():
        assert str(jp.pack.sources[source_id].in_force) == in_force
    for entry in jp.pack.entries.values():
        for clause_or_entry in (entry, *entry.clauses):
            for period in clause_or_entry.periods:
                if period.source in AMENDING and period.start is not None:
                    assert str(period.start) == AMENDING[period.source], (entry.id, period)
                if period.ended_by in AMENDING:
                    assert str(period.end) == AMENDING[period.ended_by], (entry.id, period)


@pytest.mark.parametrize(("date", "listed"), [("2022-12-05", True), ("2022-12-06", False)])
def test_computer_of_50_wt_is_listed_until_the_app_threshold_rose_to_70(jp: Regime, date: str, listed: bool) -> None:
    """Art. 7(iii)(ro): 「二九実効テラ演算」 until 2022-12-05, 「七〇実効テラ演算」 from 2022-12-06 (R4 No. 78)."""
    result = _classify(
        jp,
        date,
        "digital-computer",
        adjusted_peak_performance_wt=50,
        max_operating_temp_c=70,
        min_operating_temp_c=0,
        total_dose_si_gy=0,
        dose_rate_upset_gy_si_per_s=0,
        seu_error_rate_per_bit_day=1.0e-6,
        computer_architecture="von-neumann",
        designed_for_intrusion_software=False,
        max_ic_total_processing_performance=100,
    )
    assert ("8(3)#app-above-29wt-until-2022" in _clauses(result)) is listed
    assert (result.status == "listed") is listed, result.note


def test_quantum_computers_from_2024_09_08(jp: Regime) -> None:
    """Art. 7(vi) is absent from the text of 2024-02-01 and present in that of 2024-09-08 (R6 No. 44)."""
    assert "8(6)" not in jp.at(day("2024-09-07")).entries
    assert "8(6)" in jp.at(day("2024-09-08")).entries
    qc = _classify(jp, "2024-09-08", "quantum-computer", physical_qubits=50, cnot_error=0.00005)
    assert "8(6)#qubits-34-to-99" in _clauses(qc)


def test_computers_with_tpp_6000_ics_from_2025_05_28(jp: Regime) -> None:
    assert "8(7)" not in jp.at(day("2025-05-27")).entries
    assert "8(7)" in jp.at(day("2025-05-28")).entries


def test_semiconductor_equipment_added_on_2023_07_23(jp: Regime) -> None:
    """Art. 6(17)(u): Si/SiGe epitaxy with a pre-clean chamber at 685 °C or below, one of the 22 items of R5 No. 25."""
    params = {
        "si_or_sige_epitaxy": True,
        "preclean_chamber": True,
        "epitaxy_temperature_c": 600,
        "non_silicon_layer_thickness_tolerance_pct": 5,
        "uniformity_length_mm": 100,
    }
    before = _classify(jp, "2023-07-22", "epitaxial-growth-equipment", **params)
    after = _classify(jp, "2023-07-23", "epitaxial-growth-equipment", **params)
    assert before.status != "listed"
    assert "7(16)#si-sige-epitaxy-low-temperature" in _clauses(after)


def test_arf_scanner_overlay_condition_from_2024_09_08(jp: Regime) -> None:
    """Art. 6(17)(wo): 193 nm and λ×0.25/NA ≤ 45 from 2023-07-23; overlay ≤ 2.4 nm added on 2024-09-08."""
    params = {"wavelength_nm": 193, "litho_k025_resolution_nm": 40, "overlay_accuracy_nm": 3.0,
              "litho_k035_resolution_nm": 56}  # fmt: skip
    assert _classify(jp, "2023-07-22", "lithography-scanner", **params).status != "listed"
    assert "7(16)#duv-scanner-until-2024" in _clauses(_classify(jp, "2024-09-07", "lithography-scanner", **params))
    assert _classify(jp, "2024-09-08", "lithography-scanner", **params).status != "listed"


def test_oscilloscope_threshold_rose_from_60_to_90_ghz(jp: Regime) -> None:
    """Art. 6(9): 60 GHz or more until 2026-02-13, above 90 GHz from 2026-02-14 (R7 No. 72)."""
    params = {"noise_rms_pct_full_scale": 1.5, "bandwidth_3db_ghz": 70}
    assert "7(9)#real-time-oscilloscope-until-2026" in _clauses(_classify(jp, "2026-02-13", "oscilloscope", **params))
    assert _classify(jp, "2026-02-14", "oscilloscope", **params).status != "listed"


def test_fluorinated_silicone_oil_deleted_on_2022_12_06(jp: Regime) -> None:
    """Art. 4(xi)(b)(2) ふっ化シリコーン油: present at 2021-12-15, deleted at 2022-12-06 (R4 No. 78)."""
    params = {"principal_ingredient": "fluorinated-silicone-oil", "ether_thioether_group_count": 0}
    assert "5(10)#fluorinated-silicone-oil-lubricant" in _clauses(_classify(jp, "2022-12-05", "lubricant", **params))
    assert _classify(jp, "2022-12-06", "lubricant", **params).status != "listed"


def test_network_analyser_band_moved_to_110_ghz(jp: Regime) -> None:
    """Art. 6(14)(i): above 15 dBm in 43.5–90 GHz until 2025-05-27; above 20 dBm in 43.5–110 GHz from 2025-05-28."""
    params = {"max_operating_frequency_ghz": 67, "output_power_43_5_to_110ghz_dbm": 17,
              "nonlinear_vector_measurement_50_to_110ghz": False}  # fmt: skip
    before = _classify(jp, "2025-05-27", "network-analyser", **params)
    assert "7(14)#network-analyser-output-power-until-2025" in _clauses(before)
    assert _classify(jp, "2025-05-28", "network-analyser", **params).status != "listed"


def test_advanced_computing_ics(jp: Regime) -> None:
    """Art. 6(1)(yo) from 2025-05-28; before, a neural-network IC was listed by (chi) whatever its TPP."""
    nn = {"total_processing_performance": 8000}
    assert "7(1)#neural-network-ic-until-2025" in _clauses(_classify(jp, "2024-01-10", "neural-network-ic", **nn))
    assert "7(1)#tpp-6000-until-2026" in _clauses(_classify(jp, "2025-05-28", "neural-network-ic", **nn))
    assert "7(1)#tpp-6000" in _clauses(_classify(jp, "2026-02-14", "neural-network-ic", **nn))
    ic = _classify(jp, "2025-05-27", "integrated-circuit", total_processing_performance=8000)
    assert not any("tpp-6000" in clause for clause in _clauses(ic))


def test_non_hydrophobic_catalyst_until_2025_05_28(jp: Regime) -> None:
    """Art. 1(lix): 「疎水性の」 added on 2025-05-28 (R7 No. 34)."""
    params = {"catalyst_hydrophobic": False, "designed_for_hydrogen_water_isotope_exchange": True}
    assert "2(49)#platinised-catalyst-until-2025" in _clauses(
        _classify(jp, "2025-05-27", "platinised-catalyst", **params)
    )
    assert _classify(jp, "2025-05-28", "platinised-catalyst", **params).status != "listed"


def test_ultrasonic_atomisation_listed_from_2026_02_14(jp: Regime) -> None:
    """Art. 4(vii)(c)(2)9 超音波噴霧法 added on 2026-02-14 (R7 No. 72)."""
    params = {
        "alloy_base_metal": "nickel",
        "alloy_element_count": 4,
        "contains_required_alloying_elements": True,
        "nonmetallic_particles_over_100um_per_1e9": 1,
        "powder_production_method": "ultrasonic-atomisation",
        "can_produce_listed_alloy": True,
    }
    assert not any("alloy-powder" in c for c in _clauses(_classify(jp, "2026-02-13", "alloy-powder", **params)))
    assert "5(5)#nickel-alloy-powder" in _clauses(_classify(jp, "2026-02-14", "alloy-powder", **params))
