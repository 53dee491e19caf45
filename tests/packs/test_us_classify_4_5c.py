"""Classification by specification under the US pack: 4A906 (quantum computers), 4A980 (computers for fingerprint
equipment) and 5A980 (devices for surreptitious interception), written from the Commerce Control List of the eCFR of
2026-07-23 (../shared/data/us). Each threshold is quoted from the paragraph text first (a changed source fails here
rather than passing on stale text); a specification just over and just under it goes through the engine. A quantum
computer and a fingerprint computer are kinds of computer: the specifications state what rules out the other computer
ECCNs (4A001, 4A003, 4A004, 4A005, 4A090, 4A101, 4A994, 5A002), else the line is undecided. 4A611 and 5A611 have no
clause: their text only points to 3A611.
"""

from __future__ import annotations

from typing import Any

import pytest

from exportctl.core_types import Outcome
from exportctl.regime import Regime
from tests.support.ccl import eccns, found, quoted, quoted_anywhere
from tests.support.ccl import spec_line as line

# A computer of none of the other computer ECCNs: hardened to none of the limits of 4A001.a.2, an APP far below 4A003
# and 4A994.b, a conventional architecture (4A004), not for "intrusion software" (4A005), ICs far below 3A090 (4A090),
# not for "missiles" (4A101), no cryptography (5A002), not a "principal element" of other equipment.
NOT_OTHER_COMPUTER: dict[str, Any] = {
    "total_dose_si_gy": 100,
    "dose_rate_upset_gy_si_per_s": 1000,
    "seu_error_rate_per_bit_day": 1.0e-6,
    "civil_aircraft_design": False,
    "non_principal_element_of_other_equipment": False,
    "data_confidentiality_crypto": False,
    "computer_architecture": "von-neumann",
    "designed_for_intrusion_software": False,
    "adjusted_peak_performance_wt": 0.001,
    "max_ic_total_processing_performance": 100,
    "designed_for_500kg_300km_system": False,
}
GATE_BASED = NOT_OTHER_COMPUTER | {"adiabatic_quantum_computer": False}


# --- 4A906 -----------------------------------------------------------------------------------------------------------

# (paragraph, fewest qubits, first qubit count of the next band, C-NOT limit, the text's limit)
BANDS = [
    ("a.1", 34, 100, 1e-4, "less than or equal to 10 −4"),
    ("a.2", 100, 200, 1e-3, "less than or equal to 10 −3"),
    ("a.3", 200, 350, 2e-3, "less than or equal to 2 × 10 −3"),
    ("a.4", 350, 500, 3e-3, "less than or equal to 3 × 10 −3"),
    ("a.5", 500, 700, 4e-3, "less than or equal to 4 × 10 −3"),
    ("a.6", 700, 1100, 5e-3, "less than or equal to 5 × 10 −3"),
    ("a.7", 1100, 2000, 6e-3, "less than or equal to 6 × 10 −3"),
]


def _quantum(us: Regime, qubits: int, cnot: float, **more: Any) -> set[tuple[str, str | None, tuple[str, ...]]]:
    return found(line(us, "quantum-computer", **GATE_BASED | {"physical_qubits": qubits, "cnot_error": cnot} | more))


@pytest.mark.parametrize(("paragraph", "low", "high", "limit", "text"), BANDS)
def test_4a906_a_bands(us: Regime, paragraph: str, low: int, high: int, limit: float, text: str) -> None:
    fewer = f"{high:,}" if high >= 1000 else str(high)
    quoted("4A906", paragraph, f"supporting {low:,} or more, but fewer than {fewer},", text)
    clause = ("4A906", "a-" + paragraph[-1], ("4A906." + paragraph,))
    assert clause in _quantum(us, low, limit)  # at the limits: "or more", "less than or equal to"
    assert clause in _quantum(us, high - 1, limit)
    assert clause not in _quantum(us, high, limit)  # "fewer than": the next band's
    assert clause not in _quantum(us, low, limit * 1.01)
    assert clause not in _quantum(us, low - 1, limit)


def test_4a906_a_1_just_under_34_qubits_is_not_listed(us: Regime) -> None:
    quoted("4A906", "a.1", "supporting 34 or more")
    decided = line(us, "quantum-computer", **GATE_BASED | {"physical_qubits": 33, "cnot_error": 1e-5})
    assert "4A906" not in eccns(decided)
    listed = line(us, "quantum-computer", **GATE_BASED | {"physical_qubits": 34, "cnot_error": 1e-5})
    assert eccns(listed) == {"4A906"} and listed.outcome is Outcome.LICENCE_REQUIRED
    # NS "worldwide control": a licence for a destination far from China too
    allied = line(us, "quantum-computer", to="GB", **GATE_BASED | {"physical_qubits": 34, "cnot_error": 1e-5})
    assert allied.outcome is Outcome.LICENCE_REQUIRED


def test_4a906_a_8_any_c_not_error(us: Regime) -> None:
    quoted("4A906", "a.8", "supporting 2,000 or more 'fully controlled', 'connected' and 'working' 'physical qubits';")
    assert ("4A906", "a-8", ("4A906.a.8",)) in _quantum(us, 2000, 0.5)
    assert not any(eccn == "4A906" for eccn, _, _ in _quantum(us, 1999, 0.0061))


def test_4a906_not_adiabatic(us: Regime) -> None:
    quoted_anywhere("4A906", "This entry does not apply to adiabatic (or annealing) quantum computers.")
    assert not any(eccn == "4A906" for eccn, _, _ in _quantum(us, 5000, 1e-5, adiabatic_quantum_computer=True))


def test_4a906_other_computer_eccns_left_open_change_nothing(us: Regime) -> None:
    # Meeting 4A906.a.1 while 4A001 (radiation hardness) and 5A002 (cryptography) are not stated: 4A906 already asks
    # a licence for every destination (NS worldwide), so the open ECCNs could not change the answer.
    bare = line(us, "quantum-computer", physical_qubits=34, cnot_error=1e-5, adiabatic_quantum_computer=False)
    assert eccns(bare) == {"4A906"} and bare.outcome is Outcome.LICENCE_REQUIRED and not bare.missing


def test_4a906_b_and_c_specially_designed(us: Regime) -> None:
    quoted("4A906", "b", "Qubit devices and qubit circuits", "“specially designed” for items specified by 4A906.a")
    quoted("4A906", "c", "Quantum control components and quantum measurement devices", "specified by 4A906.a")
    for product, clause in [
        ("qubit-device", "b"),
        ("qubit-circuit", "b"),
        ("quantum-control-component", "c"),
        ("quantum-measurement-device", "c"),
    ]:
        assert ("4A906", clause, (f"4A906.{clause}",)) in found(line(us, product, for_listed_quantum_computer=True))
        assert "4A906" not in eccns(line(us, product, for_listed_quantum_computer=False))


# --- 4A980 -----------------------------------------------------------------------------------------------------------


def test_4a980_fingerprint_computer_and_its_note(us: Regime) -> None:
    quoted("4A980", "4A980", "Computers for fingerprint equipment, n.e.s.")
    quoted_anywhere("4A980", "does not control equipment limited to one finger and designed for user authentication")
    listed = line(us, "fingerprint-computer", **NOT_OTHER_COMPUTER | {"single_finger_user_authentication": False})
    assert found(listed) == {("4A980", "4a980", ("4A980",))}
    assert listed.outcome is Outcome.LICENCE_REQUIRED  # CC Column 1 includes China
    excluded = line(us, "fingerprint-computer", **NOT_OTHER_COMPUTER | {"single_finger_user_authentication": True})
    assert "4A980" not in eccns(excluded)
    # not stated: the Note may exclude it
    assert line(us, "fingerprint-computer", **NOT_OTHER_COMPUTER).outcome is Outcome.INDETERMINATE


# --- 5A980 -----------------------------------------------------------------------------------------------------------


def test_5a980_surreptitious_interception_other_than_5a001_f_1(us: Regime) -> None:
    quoted("5A980", "5A980", "primarily useful for the surreptitious interception of wire, oral, or electronic")
    quoted("5A980", "5A980", "other than those controlled under 5A001.f.1", "“accessories” therefor")
    device = line(us, "surreptitious-interception-device", controlled_by_5a001_f_1=False)
    assert found(device) == {("5A980", "device", ("5A980",))}
    assert device.outcome is Outcome.LICENCE_REQUIRED
    assert "5A980" not in eccns(line(us, "surreptitious-interception-device", controlled_by_5a001_f_1=True))
    for part in ("part", "component", "accessory"):
        spec = line(us, f"surreptitious-interception-device-{part}", controlled_by_5a001_f_1=False)
        assert found(spec) == {("5A980", "parts", ("5A980",))}
