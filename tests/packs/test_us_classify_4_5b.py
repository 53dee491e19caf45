"""Classification by specification under the US pack: the AT-only ECCNs 4A994, 5A991, 5B991 and 5C991, written from
the Commerce Control List of the eCFR of 2026-07-23 (../shared/data/us) alone, as they have no EU counterpart. Each
threshold is quoted from the paragraph text first (a changed source fails here rather than passing on stale text); a
specification just over and just under it goes through the engine. The headings' exclusions ("not controlled by
4A001 or 4A003", "not controlled by 5A001", "n.e.s.") are checked too: a 9x match must never hide the stricter ECCN.
"""

from __future__ import annotations

from exportctl.core_types import Outcome
from exportctl.regime import Regime
from tests.support.ccl import eccns, found
from tests.support.ccl import quoted_anywhere as quoted
from tests.support.ccl import spec_line as line

# A computer of neither 4A001 (hardened to none of the limits of 4A001.a.2) nor a "principal element" of other
# equipment (the Note to 4A994).
PLAIN_COMPUTER = {
    "total_dose_si_gy": 100,
    "dose_rate_upset_gy_si_per_s": 1000,
    "seu_error_rate_per_bit_day": 1.0e-6,
    "civil_aircraft_design": False,
    "non_principal_element_of_other_equipment": False,
}
# Telecommunication equipment not of 5A001, for no civil satellite system.
NOT_5A001 = {"controlled_by_5a001": False, "civil_satellite_system_design": False}


# --- 4A994 -----------------------------------------------------------------------------------------------------------


def test_4a994_b_app_from_0_0128_wt_up_to_the_70_wt_of_4a003(us: Regime) -> None:
    quoted("4A994", "equal to or greater than 0.0128 Weighted TeraFLOPS (WT)")
    quoted("4A994", "not controlled by 4A001 or 4A003")
    at_limit = line(us, "digital-computer", **PLAIN_COMPUTER | {"adjusted_peak_performance_wt": 0.0128})
    assert ("4A994", "b", ("4A994.b",)) in found(at_limit)
    # Meeting 4A994 (AT only) does not hide 5A002, which the computer may also be while its cryptography is not
    # stated: the answers differ (NS to China), so the line is undecided and names what is missing.
    assert at_limit.outcome is Outcome.INDETERMINATE and "params.data_confidentiality_crypto" in at_limit.missing
    assert any(r.rule == "classification:open" and "5A002" in r.text for r in at_limit.reasons)
    # Stated as none of them (no cryptography, a conventional architecture, not for intrusion software, ICs far below
    # 3A090, not for missiles): AT only.
    stated = {"data_confidentiality_crypto": False, "computer_architecture": "von-neumann"}
    stated |= {"designed_for_intrusion_software": False, "adjusted_peak_performance_wt": 0.0128}
    stated |= {"max_ic_total_processing_performance": 100, "designed_for_500kg_300km_system": False}
    assert line(us, "digital-computer", **PLAIN_COMPUTER | stated).outcome is Outcome.NO_LICENCE_REQUIRED
    assert line(us, "digital-computer", to="KP", **PLAIN_COMPUTER | {"adjusted_peak_performance_wt": 1}).outcome in (
        Outcome.LICENCE_REQUIRED,
        Outcome.PROHIBITED,
    )
    under = line(us, "digital-computer", **PLAIN_COMPUTER | {"adjusted_peak_performance_wt": 0.0127})
    assert "4A994" not in eccns(under)
    assert "4A994" in eccns(line(us, "server", **PLAIN_COMPUTER | {"adjusted_peak_performance_wt": 70}))
    over_4a003 = line(us, "digital-computer", **PLAIN_COMPUTER | {"adjusted_peak_performance_wt": 70.1})
    assert eccns(over_4a003) == {"4A003"}


def test_4a994_never_hides_4a001(us: Regime) -> None:
    hardened = line(us, "computer", **PLAIN_COMPUTER | {"adjusted_peak_performance_wt": 1, "total_dose_si_gy": 5001})
    assert eccns(hardened) == {"4A001"}
    # radiation hardness not stated: 4A001 is open, so 4A994 is not reported alone
    unknown = line(us, "computer", adjusted_peak_performance_wt=1, non_principal_element_of_other_equipment=False)
    assert "4A994" not in eccns(unknown) and unknown.outcome is Outcome.INDETERMINATE
    civil = PLAIN_COMPUTER | {
        "adjusted_peak_performance_wt": 1,
        "total_dose_si_gy": 5001,
        "civil_aircraft_design": True,
    }
    assert ("4A994", "b-civil-aircraft", ("4A994.b",)) in found(line(us, "computer", **civil))


def test_4a994_principal_element_note(us: Regime) -> None:
    quoted("4A994", "are not a “principal element” of the other equipment or systems")
    spec = PLAIN_COMPUTER | {"adjusted_peak_performance_wt": 1, "non_principal_element_of_other_equipment": True}
    assert "4A994" not in eccns(line(us, "computer", **spec))


def test_4a994_a_rated_above_343_k(us: Regime) -> None:
    quoted("4A994", "rated for operation at an ambient temperature above 343 K (70 °C)")
    spec = PLAIN_COMPUTER | {"adjusted_peak_performance_wt": 0.001}
    assert ("4A994", "a-computer", ("4A994.a",)) in found(line(us, "computer", **spec | {"max_operating_temp_c": 71}))
    assert "4A994" not in eccns(line(us, "computer", **spec | {"max_operating_temp_c": 70}))
    component = {"for_listed_hardened_computer": False, "for_listed_computing_equipment": False}
    assert eccns(line(us, "computer-component", max_operating_temp_c=71, **component)) == {"4A994"}
    assert "4A994" not in eccns(line(us, "computer-component", max_operating_temp_c=70, **component))


def test_4a994_c_1_aggregation_of_16_processors(us: Regime) -> None:
    quoted("4A994", "Designed to be capable of aggregation in configurations of 16 or more processors")
    spec = {
        "for_processor_aggregation": True,
        "adjusted_peak_performance_wt": 1,
        "limited_to_4a994_k_related_equipment": False,
        "for_listed_hardened_computer": False,
    }
    assert ("4A994", "c-1", ("4A994.c.1",)) in found(
        line(us, "computer-assembly", aggregation_processor_count=16, **spec)
    )
    assert "4A994" not in eccns(line(us, "computer-assembly", aggregation_processor_count=15, **spec))


def test_4a994_j_external_interconnection_over_80_mbyte_s(us: Regime) -> None:
    quoted("4A994", "allows communications at data rates exceeding 80 Mbyte/s")
    spec = {"interconnect_excluded_type": False, "non_principal_element_of_other_equipment": False}
    assert eccns(line(us, "computer-interconnect", data_transfer_rate_gbyte_s=0.081, **spec)) == {"4A994"}
    assert "4A994" not in eccns(line(us, "computer-interconnect", data_transfer_rate_gbyte_s=0.08, **spec))
    assert eccns(line(us, "computer-interconnect", data_transfer_rate_gbyte_s=2.1, **spec)) == {"4A003"}


def test_4a994_k_hybrid_computer_adcs(us: Regime) -> None:
    quoted("4A994", "32 channels or more")
    quoted("4A994", "A resolution of 14 bit (plus sign bit) or more with a conversion rate of 200,000 conversions/s")
    spec = PLAIN_COMPUTER | {"channel_count": 32, "resolution_bits": 14, "sample_rate_msps": 0.2}
    assert ("4A994", "k", ("4A994.k",)) in found(line(us, "hybrid-computer", **spec))
    assert "4A994" not in eccns(line(us, "hybrid-computer", **spec | {"channel_count": 31}))
    assert "4A994" not in eccns(line(us, "hybrid-computer", **spec | {"sample_rate_msps": 0.199}))


def test_4a994_l_ics_of_3a991_p_not_elsewhere_specified(us: Regime) -> None:
    quoted("4A994", "containing integrated circuits, any of which meets or exceeds the limit of ECCN 3A991.p")
    spec = PLAIN_COMPUTER | {"adjusted_peak_performance_wt": 0.001, "contains_3a991_p_ic": True}
    assert ("4A994", "l-computer", ("4A994.l",)) in found(
        line(us, "server", **spec, max_ic_total_processing_performance=1599)
    )
    # n.e.s.: an IC of 3A090 makes it 4A090; a TPP of 4800 or more is 3A090.a.1 whatever else
    of_3a090 = {"contains_3a090_a_ic": True, "contains_3a090_b_ic": False}
    assert "4A994" not in eccns(line(us, "server", **spec, max_ic_total_processing_performance=1600, **of_3a090))
    none = {"contains_3a090_a_ic": False, "contains_3a090_b_ic": False}
    below = line(us, "server", **spec, max_ic_total_processing_performance=4799, **none)
    assert ("4A994", "l-computer-no-3a090-ic", ("4A994.l",)) in found(below)
    assert eccns(line(us, "server", **spec, max_ic_total_processing_performance=4800, **none)) == {"4A090"}


# --- 5A991 -----------------------------------------------------------------------------------------------------------


def test_5a991_b_1_total_digital_transfer_rate_over_90_mbit_s(us: Regime) -> None:
    quoted("5A991", "a “total digital transfer rate” exceeding 90 Mbit/s")
    over = line(us, "telecom-transmission-equipment", total_digital_transfer_rate_mbps=90.1, **NOT_5A001)
    assert ("5A991", "b-1-total", ("5A991.b.1",)) in found(over)
    assert over.outcome is Outcome.NO_LICENCE_REQUIRED  # AT only to China
    under = line(us, "telecom-transmission-equipment", total_digital_transfer_rate_mbps=90, **NOT_5A001)
    assert "5A991" not in eccns(under)
    # the heading: an item controlled by 5A001 is not of 5A991
    of_5a001 = NOT_5A001 | {"controlled_by_5a001": True}
    assert "5A991" not in eccns(
        line(us, "telecom-transmission-equipment", total_digital_transfer_rate_mbps=91, **of_5a001)
    )


def test_5a991_b_2_modem_over_9600_bit_s(us: Regime) -> None:
    quoted("5A991", "Modems using the “bandwidth of one voice channel” with a “data signaling rate” exceeding 9,600")
    spec = {"voice_channel_bandwidth": True, "controlled_by_5a001": False}
    assert ("5A991", "b-2", ("5A991.b.2",)) in found(line(us, "modem", data_signalling_rate_bps=9601, **spec))
    assert ("5A991", "b-2", ("5A991.b.2",)) not in found(line(us, "modem", data_signalling_rate_bps=9600, **spec))


def test_5a991_b_6_radio_above_31_ghz_and_the_itu_band_note(us: Regime) -> None:
    quoted("5A991", "31 GHz for satellite-earth station applications")
    quoted("5A991", "civil use when conforming with an International Telecommunications Union (ITU) allocated band")
    earth = {"satellite_earth_station_application": True, "controlled_by_5a001": False}
    assert ("5A991", "b-6-a", ("5A991.b.6.a",)) in found(
        line(us, "radio-transceiver", max_operating_frequency_ghz=31.1, **earth)
    )
    assert ("5A991", "b-6-a", ("5A991.b.6.a",)) not in found(
        line(us, "radio-transceiver", max_operating_frequency_ghz=31, **earth)
    )
    other = {"satellite_earth_station_application": False, "controlled_by_5a001": False}
    itu = other | {"civil_itu_band_26_5_to_31_ghz": False}
    assert ("5A991", "b-6-b", ("5A991.b.6.b",)) in found(
        line(us, "radio-transceiver", max_operating_frequency_ghz=26.6, **itu)
    )
    assert "5A991" not in eccns(line(us, "radio-transceiver", max_operating_frequency_ghz=26.5, **itu))
    civil = other | {"civil_itu_band_26_5_to_31_ghz": True}
    assert "5A991" not in eccns(line(us, "radio-transceiver", max_operating_frequency_ghz=28, **civil))


def test_5a991_b_7_a_qam_above_level_4_and_the_radio_relay_note(us: Regime) -> None:
    quoted("5A991", "QAM) techniques above level 4 if the “total digital transfer rate” exceeds 8.5 Mbit/s")
    quoted("5A991", "Having a “spectral efficiency” not exceeding 4 bit/s/Hz")
    spec = NOT_5A001 | {
        "radio_modulation": "qam",
        "total_digital_transfer_rate_mbps": 10,
        "itu_band_radio_relay": False,
    }
    assert ("5A991", "b-7-a", ("5A991.b.7.a",)) in found(line(us, "radio-transmitter", qam_levels=8, **spec))
    assert "5A991" not in eccns(line(us, "radio-transmitter", qam_levels=4, **spec))
    # Note 2: radio relay equipment up to 960 MHz and of 4 bit/s/Hz or less is released; more than 4 bit/s/Hz is not
    relay = spec | {"itu_band_radio_relay": True, "qam_levels": 8, "max_operating_frequency_ghz": 0.9}
    assert "5A991" not in eccns(line(us, "radio-relay-equipment", spectral_efficiency_bit_s_hz=4, **relay))
    over = line(us, "radio-relay-equipment", spectral_efficiency_bit_s_hz=4.1, **relay)
    assert ("5A991", "b-7-a-relay-spectral-efficiency", ("5A991.b.7.a",)) in found(over)


def test_5a991_d_single_mode_fiber_over_50_m(us: Regime) -> None:
    quoted("5A991", "Optical fibers and optical fiber cables of more than 50 m in length designed for single mode")
    spec = {"single_mode_design": True, "controlled_by_5a001": False}
    assert ("5A991", "d", ("5A991.d",)) in found(line(us, "optical-fibre-cable", fibre_length_m=51, **spec))
    assert "5A991" not in eccns(line(us, "optical-fibre-cable", fibre_length_m=50, **spec))


def test_5a991_f_phased_array_above_10_5_ghz_and_h_radio_relay_from_19_7_ghz(us: Regime) -> None:
    quoted("5A991", "Phased array antennas, operating above 10.5 GHz")
    quoted("5A991", "frequencies equal to or exceeding 19.7 GHz")
    antenna = {
        "active_elements_distributed": True,
        "electronic_beam_steering": True,
        "icao_microwave_landing_system": False,
        "controlled_by_5a001": False,
    }
    assert ("5A991", "f", ("5A991.f",)) in found(
        line(us, "phased-array-antenna", max_operating_frequency_ghz=10.6, **antenna)
    )
    assert "5A991" not in eccns(line(us, "phased-array-antenna", max_operating_frequency_ghz=10.5, **antenna))
    relay = {"controlled_by_5a001": False}
    assert ("5A991", "h", ("5A991.h",)) in found(
        line(us, "radio-relay-equipment", max_operating_frequency_ghz=19.7, **relay)
    )
    assert ("5A991", "h", ("5A991.h",)) not in found(
        line(us, "radio-relay-equipment", max_operating_frequency_ghz=19.6, **relay)
    )


# --- 5B991, 5C991 ----------------------------------------------------------------------------------------------------


def test_5b991_telecommunications_test_equipment_nes(us: Regime) -> None:
    quoted("5B991", "Telecommunications test equipment, n.e.s.")
    assert eccns(line(us, "telecom-test-equipment", for_listed_telecom_item=False)) == {"5B991"}
    of_5b001 = line(us, "telecom-test-equipment", for_listed_telecom_item=True, optical_fibre_test_or_measuring=False)
    assert eccns(of_5b001) == {"5B001"}
    # optical fiber characterization equipment, released from 5B001.a by its Note, is not encoded: undetermined
    released = line(us, "telecom-test-equipment", for_listed_telecom_item=True, optical_fibre_test_or_measuring=True)
    assert not found(released) and released.outcome is Outcome.INDETERMINATE


def test_5c991_preforms_for_5a991_fibers(us: Regime) -> None:
    quoted("5C991", "optimized for the manufacture of optical fibers controlled by 5A991")
    assert eccns(line(us, "optical-fibre-preform", single_mode_design=True)) == {"5C991"}
    assert "5C991" not in eccns(line(us, "optical-fibre-preform", single_mode_design=False))
