"""Classification by specification under the EU pack: the criteria of 1C010, 1C513, 2B001, 2B510, 4A003, 4A506,
4A507 and 5A002 (tools/eu_pack/criteria/cat-1, -2, -4, -5.yaml), checked against Annex I of Regulation (EU) 2021/821
as consolidated on 2025-11-15. Each threshold below is quoted from the text: a specification just inside and just
outside it, and the decontrol notes the criteria express."""

from __future__ import annotations

from typing import Any

import pytest

from exportctl.regime import Regime
from exportctl.regime.snapshot import Snapshot
from tests.packs.conftest import DAY
from tests.support.clauses import classify, holds, listed_by

# --- 2B001 machine tools ----------------------------------------------------------------------------------------

# Neither special-purpose (Notes 1, 2) nor a turning machine or grinder the sub-item's notes exclude.
GENERAL = {"special_purpose_excluded_manufacture": False, "turning_machine_excluded_type": False}


def test_2b001_a_1_turning_repeatability_of_0_9_um_or_better_on_a_short_axis(snapshot: Snapshot) -> None:
    # 2B001.a.1: two or more contouring axes; "equal to or less (better) than 0,9 µm ... travel length less than 1,0 m".
    lathe = {**GENERAL, "contouring_axes": 2, "linear_axis_travel_m": 0.8}
    result = classify(snapshot, "lathe", **lathe, unidirectional_repeatability_mm=0.0009)
    assert "2B001#a-1" in listed_by(result)
    assert [m.control_numbers for m in result.matches] == [("2B001.a.1",)]
    assert holds(snapshot, "2B001#a-1", **lathe, unidirectional_repeatability_mm=0.001) is False
    # A 1,0 m axis is a.2's (1,1 µm): 1,0 µm is listed there, not under a.1.
    long_axis = {**lathe, "linear_axis_travel_m": 1.0, "unidirectional_repeatability_mm": 0.001}
    assert holds(snapshot, "2B001#a-1", **long_axis) is False
    assert holds(snapshot, "2B001#a-2", **long_axis) is True
    assert holds(snapshot, "2B001#a-2", **{**long_axis, "unidirectional_repeatability_mm": 0.0012}) is False


def test_2b001_a_note_2_bar_machines_are_not_controlled(snapshot: Snapshot) -> None:
    # 2B001.a Note 2: bar machines (Swissturn) limited to bar feed thru, 42 mm or less, no chucks.
    swissturn = {**GENERAL, "turning_machine_excluded_type": True}
    spec = {"contouring_axes": 2, "linear_axis_travel_m": 0.5, "unidirectional_repeatability_mm": 0.0005}
    assert holds(snapshot, "2B001#a-1", **swissturn, **spec) is False


def test_2b001_b_2_five_axis_milling_by_travel(snapshot: Snapshot) -> None:
    # 2B001.b.2.a: 0,9 µm under 1,0 m; b.2.b: 1,4 µm from 1 m to under 4 m; b.2.c: 6,0 µm from 4 m.
    mill = {"special_purpose_excluded_manufacture": False, "contouring_axes": 5}
    assert (
        holds(snapshot, "2B001#b-2-a", **mill, linear_axis_travel_m=0.99, unidirectional_repeatability_mm=0.0009)
        is True
    )
    assert (
        holds(snapshot, "2B001#b-2-a", **mill, linear_axis_travel_m=0.99, unidirectional_repeatability_mm=0.001)
        is False
    )
    assert (
        holds(snapshot, "2B001#b-2-b", **mill, linear_axis_travel_m=1, unidirectional_repeatability_mm=0.0014) is True
    )
    assert (
        holds(snapshot, "2B001#b-2-b", **mill, linear_axis_travel_m=4, unidirectional_repeatability_mm=0.0014) is False
    )
    assert holds(snapshot, "2B001#b-2-c", **mill, linear_axis_travel_m=4, unidirectional_repeatability_mm=0.006) is True
    assert (
        holds(snapshot, "2B001#b-2-c", **mill, linear_axis_travel_m=4, unidirectional_repeatability_mm=0.0061) is False
    )
    # Four contouring axes are not "five or more".
    four = {**mill, "contouring_axes": 4, "linear_axis_travel_m": 0.5, "unidirectional_repeatability_mm": 0.0005}
    assert holds(snapshot, "2B001#b-2-a", **four) is False


def test_2b001_b_1_three_linear_plus_one_rotary_axis(snapshot: Snapshot) -> None:
    # 2B001.b.1.b: 1,1 µm along an axis of 1,0 m or more.
    mill = {"special_purpose_excluded_manufacture": False, "contouring_linear_axes": 3, "contouring_rotary_axes": 1}
    assert (
        holds(snapshot, "2B001#b-1-b", **mill, linear_axis_travel_m=2, unidirectional_repeatability_mm=0.0011) is True
    )
    assert (
        holds(snapshot, "2B001#b-1-b", **mill, linear_axis_travel_m=2, unidirectional_repeatability_mm=0.0012) is False
    )
    assert (
        holds(
            snapshot,
            "2B001#b-1-b",
            **{**mill, "contouring_rotary_axes": 0},
            linear_axis_travel_m=2,
            unidirectional_repeatability_mm=0.0011,
        )
        is False
    )


def test_2b001_c_grinders_and_their_note(snapshot: Snapshot) -> None:
    # 2B001.c.1: 1,1 µm and three or four contouring axes; the c Note excludes e.g. surface grinders.
    grinder = {"special_purpose_excluded_manufacture": False, "unidirectional_repeatability_mm": 0.0011}
    assert holds(snapshot, "2B001#c-1", **grinder, contouring_axes=4, grinder_excluded_type=False) is True
    assert holds(snapshot, "2B001#c-1", **grinder, contouring_axes=5, grinder_excluded_type=False) is False
    assert holds(snapshot, "2B001#c-1", **grinder, contouring_axes=3, grinder_excluded_type=True) is False


def test_2b001_b_4_fly_cutting_less_than_0_0004_mm(snapshot: Snapshot) -> None:
    # "Spindle 'run-out' and 'camming' less (better) than 0,0004 mm TIR"; slide deviation less than 2 seconds of arc.
    fly = {"numerically_controllable": True, "special_purpose_excluded_manufacture": False}
    good = {**fly, "spindle_radial_runout_mm": 0.0003, "spindle_axial_runout_mm": 0.0003}
    assert holds(snapshot, "2B001#b-4", **good, straightness_over_300mm_arcsec=1.9) is True
    assert holds(snapshot, "2B001#b-4", **good, straightness_over_300mm_arcsec=2) is False
    assert (
        holds(snapshot, "2B001#b-4", **{**good, "spindle_axial_runout_mm": 0.0004}, straightness_over_300mm_arcsec=1)
        is False
    )


def test_2b001_f_deep_hole_drilling_exceeding_5_m(snapshot: Snapshot) -> None:
    drill = {"numerically_controllable": True, "special_purpose_excluded_manufacture": False}
    assert holds(snapshot, "2B001#f", **drill, max_drilling_depth_mm=5001) is True
    assert holds(snapshot, "2B001#f", **drill, max_drilling_depth_mm=5000) is False
    # Turning machines count only when modified for deep-hole-drilling.
    lathe = {**drill, "max_drilling_depth_mm": 6000}
    assert holds(snapshot, "2B001#f-turning", **lathe, modified_for_deep_hole_drilling=True) is True
    assert holds(snapshot, "2B001#f-turning", **lathe, modified_for_deep_hole_drilling=False) is False


def test_2b001_notes_1_and_2_special_purpose_machines(snapshot: Snapshot) -> None:
    # Note 2: not machine tools limited to the manufacture of e.g. dental prostheses.
    spec = {"contouring_axes": 5, "linear_axis_travel_m": 0.5, "unidirectional_repeatability_mm": 0.0005}
    assert "2B001#b-2-a" in listed_by(classify(snapshot, "milling-machine", **spec, **GENERAL))
    dental = classify(snapshot, "milling-machine", **spec, special_purpose_excluded_manufacture=True)
    assert dental.status != "listed"
    assert not any(m.entry == "2B001" for m in dental.matches)


def test_2b001_a_missing_parameter_is_undetermined_and_named(snapshot: Snapshot) -> None:
    result = classify(
        snapshot, "milling-machine", contouring_axes=5, linear_axis_travel_m=0.5, unidirectional_repeatability_mm=0.0005
    )
    assert result.status == "undetermined"
    assert "params.special_purpose_excluded_manufacture" in result.missing


# --- 2B510 additive manufacturing equipment ------------------------------------------------------------------------

AM: dict[str, Any] = {
    "designed_for_metal_parts": True,
    "am_heat_source": "electron-beam",
    "am_process_atmosphere": "vacuum-100pa-or-less",
    "am_in_process_monitor": "pyrometer-1000c",
    "am_closed_loop_control": True,
}


def test_2b510_all_four_conditions(snapshot: Snapshot) -> None:
    assert "2B510#equipment" in listed_by(classify(snapshot, "additive-manufacturing-equipment", **AM))
    unmet: list[dict[str, Any]] = [
        {"am_closed_loop_control": False},
        {"am_in_process_monitor": "none"},
        {"am_process_atmosphere": "none"},
        {"designed_for_metal_parts": False},
    ]
    for one in unmet:
        assert holds(snapshot, "2B510#equipment", **{**AM, **one}) is False, one


# --- 4A003, 4A506, 4A507 computers ----------------------------------------------------------------------------------


def test_4a003_b_app_exceeding_70_wt(snapshot: Snapshot) -> None:
    computer = {"non_principal_element_of_other_equipment": False}
    assert holds(snapshot, "4A003#b", **computer, adjusted_peak_performance_wt=70.1) is True
    assert holds(snapshot, "4A003#b", **computer, adjusted_peak_performance_wt=70) is False
    # Note 2: a computer essential to other equipment and not its principal element takes that equipment's status.
    assert (
        holds(snapshot, "4A003#b", adjusted_peak_performance_wt=100, non_principal_element_of_other_equipment=True)
        is False
    )


def test_4a003_g_interconnect_exceeding_2_gbyte_s(snapshot: Snapshot) -> None:
    link = {"non_principal_element_of_other_equipment": False, "interconnect_excluded_type": False}
    assert holds(snapshot, "4A003#g", **link, data_transfer_rate_gbyte_s=2.1) is True
    assert holds(snapshot, "4A003#g", **link, data_transfer_rate_gbyte_s=2.0) is False
    # The g Note: not backplanes, buses, passive interconnection equipment or network access controllers.
    assert (
        holds(snapshot, "4A003#g", **{**link, "interconnect_excluded_type": True}, data_transfer_rate_gbyte_s=10)
        is False
    )


@pytest.mark.parametrize(
    ("qubits", "cnot_error", "clause"),
    [
        (34, 1e-4, "a-1"),  # 34 or more, but fewer than 100; C-NOT error 10-4 or less
        (100, 1e-3, "a-2"),
        (349, 2e-3, "a-3"),
        (350, 3e-3, "a-4"),
        (699, 4e-3, "a-5"),
        (700, 5e-3, "a-6"),
        (1999, 6e-3, "a-7"),
        (2000, 0.5, "a-8"),  # 2000 or more: no C-NOT error limit
    ],
)
def test_4a506_a_qubits_and_c_not_error(snapshot: Snapshot, qubits: int, cnot_error: float, clause: str) -> None:
    spec = {"physical_qubits": qubits, "cnot_error": cnot_error, "adiabatic_quantum_computer": False}
    assert f"4A506#{clause}" in listed_by(classify(snapshot, "quantum-computer", **spec))


def test_4a506_a_just_outside(snapshot: Snapshot) -> None:
    gate_based = {"adiabatic_quantum_computer": False}
    assert holds(snapshot, "4A506#a-1", **gate_based, physical_qubits=33, cnot_error=1e-5) is False
    assert holds(snapshot, "4A506#a-1", **gate_based, physical_qubits=34, cnot_error=1.1e-4) is False
    assert holds(snapshot, "4A506#a-2", **gate_based, physical_qubits=100, cnot_error=1.1e-3) is False
    # 4A506 Note 1: not adiabatic (annealing) quantum computers.
    assert holds(snapshot, "4A506#a-8", physical_qubits=5000, cnot_error=0.01, adiabatic_quantum_computer=True) is False


def test_4a506_reuses_japans_parameters(snapshot: Snapshot, jp: Regime) -> None:
    # The same specification, in the same parameters, is listed in both regimes (EU 4A506.a.1, Japan 8(6)).
    spec = {"physical_qubits": 50, "cnot_error": 1e-4, "adiabatic_quantum_computer": False}
    assert "4A506#a-1" in listed_by(classify(snapshot, "quantum-computer", **spec))
    assert "8(6)#qubits-34-to-99" in listed_by(classify(jp.at(DAY), "quantum-computer", **spec))


def test_4a507_tpp_of_6000_or_more(snapshot: Snapshot) -> None:
    # 4A507: containing ICs of 3A501.a.16 ("'TPP' of 6000 or more").
    assert "4A507#contains-3a501-a-16-ic" in listed_by(
        classify(snapshot, "ai-accelerator-board", max_ic_total_processing_performance=6000)
    )
    assert holds(snapshot, "4A507#contains-3a501-a-16-ic", max_ic_total_processing_performance=5999) is False


# --- 5A002 information security -------------------------------------------------------------------------------------

CRYPTO = {"data_confidentiality_crypto": True, "crypto_excluded_item_type": False, "mass_market_crypto": False}


def test_5a002_a_symmetric_key_in_excess_of_56_bits(snapshot: Snapshot) -> None:
    result = classify(snapshot, "crypto-module", **CRYPTO, symmetric_key_length_bits=128)
    assert "5A002#a-1-symmetric" in listed_by(result)
    assert holds(snapshot, "5A002#a-1-symmetric", **CRYPTO, symmetric_key_length_bits=56) is False


@pytest.mark.parametrize(
    ("basis", "inside", "outside"),
    [
        ("integer-factorisation", 513, 512),
        ("finite-field-discrete-log", 513, 512),
        ("other-group-discrete-log", 113, 112),
    ],
)
def test_5a002_a_asymmetric_sizes(snapshot: Snapshot, basis: str, inside: int, outside: int) -> None:
    ref = f"5A002#a-1-{basis}"
    assert holds(snapshot, ref, **CRYPTO, asymmetric_security_basis=basis, asymmetric_key_length_bits=inside) is True
    assert holds(snapshot, ref, **CRYPTO, asymmetric_security_basis=basis, asymmetric_key_length_bits=outside) is False


def test_5a002_a_post_quantum_whatever_the_size(snapshot: Snapshot) -> None:
    assert holds(snapshot, "5A002#a-1-post-quantum", **CRYPTO, asymmetric_security_basis="lattice") is True


def test_5a002_a_items_by_category(snapshot: Snapshot) -> None:
    router = {**CRYPTO, "symmetric_key_length_bits": 256, "crypto_item_category": "communications-networking"}
    result = classify(snapshot, "telecom-equipment", **router)
    assert {m.control_numbers for m in result.matches if m.clause == "a-2-item-symmetric"} == {("5A002.a.2",)}
    assert holds(snapshot, "5A002#a-3-item-symmetric", **router) is False


def test_5a002_a_notes_release_items(snapshot: Snapshot) -> None:
    aes = {**CRYPTO, "symmetric_key_length_bits": 256}
    # The Cryptography Note (Note 3 to Category 5, Part 2) and 5A002.a Note 2 each release the item.
    assert holds(snapshot, "5A002#a-1-symmetric", **{**aes, "mass_market_crypto": True}) is False
    assert holds(snapshot, "5A002#a-1-symmetric", **{**aes, "crypto_excluded_item_type": True}) is False
    # Authentication only is no 'cryptography for data confidentiality'.
    assert holds(snapshot, "5A002#a-1-symmetric", **{**aes, "data_confidentiality_crypto": False}) is False


def test_5a002_unknown_mass_market_status_is_undetermined(snapshot: Snapshot) -> None:
    result = classify(
        snapshot,
        "crypto-module",
        data_confidentiality_crypto=True,
        symmetric_key_length_bits=256,
        crypto_excluded_item_type=False,
    )
    assert result.status == "undetermined"
    assert "params.mass_market_crypto" in result.missing


# --- 1C010 fibres, 1C513 powders ------------------------------------------------------------------------------------


def test_1c010_b_carbon_fibre_exceeding_both_values(snapshot: Snapshot) -> None:
    # "Specific modulus" exceeding 14,65 × 10^6 m and "specific tensile strength" exceeding 26,82 × 10^4 m.
    carbon = {"carbon_fibre_excluded_type": False}
    assert (
        holds(snapshot, "1C010#b", **carbon, fibre_specific_modulus_m=14_660_000, fibre_specific_strength_m=268_300)
        is True
    )
    assert (
        holds(snapshot, "1C010#b", **carbon, fibre_specific_modulus_m=14_650_000, fibre_specific_strength_m=300_000)
        is False
    )
    assert (
        holds(snapshot, "1C010#b", **carbon, fibre_specific_modulus_m=20_000_000, fibre_specific_strength_m=268_200)
        is False
    )
    # The b Note: e.g. chopped carbon fibre 25,0 mm or less.
    chopped = {"carbon_fibre_excluded_type": True}
    assert holds(snapshot, "1C010#b", **chopped, fibre_specific_modulus_m=20e6, fibre_specific_strength_m=3e5) is False


def test_1c010_a_not_polyethylene(snapshot: Snapshot) -> None:
    strong = {"fibre_specific_modulus_m": 13e6, "fibre_specific_strength_m": 240_000}
    assert holds(snapshot, "1C010#a", **strong, fibre_polymer="other") is True
    assert holds(snapshot, "1C010#a", **strong, fibre_polymer="polyethylene") is False


def test_1c010_c_inorganic_fibre_melting_point_exceeding_1649_c(snapshot: Snapshot) -> None:
    fibre = {
        "fibre_silica_content_wt_pct": 50,
        "fibre_specific_modulus_m": 2.6e6,
        "inorganic_fibre_excluded_type": False,
    }
    assert "1C010#c-1-a" in listed_by(
        classify(snapshot, "inorganic-fibre", **fibre, fibre_melting_or_decomposition_point_c=1650)
    )
    assert holds(snapshot, "1C010#c-1-a", **fibre, fibre_melting_or_decomposition_point_c=1649) is False
    # Below 50 % silica the modulus must exceed 5,6 × 10^6 m (c.1.b).
    low_silica = {**fibre, "fibre_silica_content_wt_pct": 40, "fibre_melting_or_decomposition_point_c": 2000}
    assert holds(snapshot, "1C010#c-1-b", **low_silica) is False
    assert holds(snapshot, "1C010#c-1-b", **{**low_silica, "fibre_specific_modulus_m": 5.7e6}) is True


def test_1c010_e_prepreg_phenolic_dma_tg_180_c_or_more(snapshot: Snapshot) -> None:
    prepreg = {
        "reinforcement_fibre_type": "carbon",
        "fibre_specific_modulus_m": 10.2e6,
        "fibre_specific_strength_m": 178_000,
        "resin_type": "phenolic",
        "prepreg_excluded_type": False,
    }
    result = classify(snapshot, "prepreg", **prepreg, resin_glass_transition_dma_c=180)
    assert {m.control_numbers for m in result.matches if m.clause == "e-1-b-2-b"} == {("1C010.e.1.b", "1C010.e.2.b")}
    assert holds(snapshot, "1C010#e-1-b-2-b", **prepreg, resin_glass_transition_dma_c=179) is False


def test_1c010_e_note_1_unimpregnated_preform_is_classified_by_its_fibres(snapshot: Snapshot) -> None:
    preform = {
        "resin_or_pitch_impregnated": False,
        "reinforcement_fibre_type": "carbon",
        "carbon_fibre_excluded_type": False,
    }
    assert (
        holds(snapshot, "1C010#b-preform", **preform, fibre_specific_modulus_m=15e6, fibre_specific_strength_m=3e5)
        is True
    )
    assert (
        holds(
            snapshot,
            "1C010#b-preform",
            **{**preform, "resin_or_pitch_impregnated": True},
            fibre_specific_modulus_m=15e6,
            fibre_specific_strength_m=3e5,
        )
        is False
    )


def test_1c513_high_entropy_alloy_of_at_least_5_principal_elements(snapshot: Snapshot) -> None:
    powder = {"surface_coated_with_inoculant": True}
    result = classify(snapshot, "high-entropy-alloy-powder", **powder, hea_principal_elements_5_to_35_at_pct=5)
    assert "1C513#high-entropy-alloy" in listed_by(result)
    assert holds(snapshot, "1C513#high-entropy-alloy", **powder, hea_principal_elements_5_to_35_at_pct=4) is False
    assert holds(snapshot, "1C513#refractory-metal-or-alloy", surface_coated_with_inoculant=False) is False
