"""Classification by specification under the EU pack: 3A001.c–i, 3A002.d–h, 5A001.b and e–j
(tools/eu_pack/criteria/cat-3.yaml, cat-5.yaml), checked against Annex I of Regulation (EU) 2021/821 as consolidated
on 2025-11-15. Each case is a specification just inside a threshold of the text (listed by the engine, under the
sub-paragraph) and the same specification changed to just outside it or into a decontrol note (the clause fails)."""

from __future__ import annotations

from typing import Any

import pytest

from exportctl.core_types import LineDetermination, Outcome
from exportctl.regime import Regime
from exportctl.regime.snapshot import Snapshot
from tests.packs.conftest import spec_line
from tests.support.clauses import holds


def found(line: LineDetermination) -> dict[str, tuple[str, ...]]:
    return {f"{m.entry}#{m.clause}": m.control_numbers for m in line.entries if m.via == "specification"}


SAW = {"filter_or_resonator_only": False}
MAGNET = {
    "full_charge_discharge_time_s": 0.9,
    "energy_released_first_second_kj": 11,
    "magnet_coil_inner_diameter_mm": 251,
    "designed_for_mri_medical_equipment": False,
}
EOM = {"optical_insertion_loss_db": 3}
ADC = {"outputs_stores_or_processes_digitised_data": True}
SIGGEN = {"output_from_crystal_oscillator_combination": False}
HF_RADIO = {
    "hf_band_1_5_to_87_5_mhz": True,
    "auto_frequency_and_rate_selection": True,
    "multi_signal_linear_amplifier": True,
    "instantaneous_bandwidth_octaves": 1,
    "harmonic_distortion_db": -80.1,
}
IP_SURVEILLANCE = {
    "carrier_class_ip_network": True,
    "application_layer_analysis": True,
    "extracts_metadata_and_content": True,
    "indexes_extracted_data": True,
    "hard_selector_search": True,
    "relational_network_mapping": True,
    "designed_for_marketing_qos_or_qoe": False,
}

# (product, a specification just inside the text's thresholds, the clause and sub-paragraphs that list it, the
# specification changed to just outside one threshold or into a decontrol note, what the text says)
CASES = [
    (
        "saw-device",
        {**SAW, "carrier_frequency_ghz": 6.01},
        "3A001#c-1-a",
        ("3A001.c.1.a",),
        {"carrier_frequency_ghz": 6},
        "a carrier frequency exceeding 6 GHz",
    ),
    (
        "saw-device",
        {**SAW, "carrier_frequency_ghz": 7},
        "3A001#c-1-a",
        ("3A001.c.1.a",),
        {"filter_or_resonator_only": True},
        "3A001.c Note: single filtering or resonating function",
    ),
    (
        "saw-device",
        {**SAW, "carrier_frequency_ghz": 6, "sidelobe_rejection_db": 65.1},
        "3A001#c-1-b-1",
        ("3A001.c.1.b.1",),
        {"sidelobe_rejection_db": 65},
        "side-lobe rejection exceeding 65 dB",
    ),
    (
        "saw-device",
        {**SAW, "carrier_frequency_ghz": 1.01, "delay_bandwidth_product": 100.1},
        "3A001#c-1-b-2",
        ("3A001.c.1.b.2",),
        {"carrier_frequency_ghz": 1},
        "a carrier frequency exceeding 1 GHz",
    ),
    (
        "saw-device",
        {**SAW, "carrier_frequency_ghz": 2, "signal_bandwidth_mhz": 251},
        "3A001#c-1-b-3",
        ("3A001.c.1.b.3",),
        {"signal_bandwidth_mhz": 250},
        "a bandwidth greater than 250 MHz",
    ),
    (
        "saw-device",
        {**SAW, "carrier_frequency_ghz": 2, "dispersive_delay_us": 10.1},
        "3A001#c-1-b-4",
        ("3A001.c.1.b.4",),
        {"dispersive_delay_us": 10},
        "a dispersive delay of more than 10 μs",
    ),
    (
        "saw-device",
        {**SAW, "carrier_frequency_ghz": 1, "delay_bandwidth_product": 101},
        "3A001#c-1-c-1",
        ("3A001.c.1.c.1",),
        {"delay_bandwidth_product": 100},
        "a product ... of more than 100",
    ),
    (
        "saw-device",
        {**SAW, "carrier_frequency_ghz": 0.5, "dispersive_delay_us": 11},
        "3A001#c-1-c-2",
        ("3A001.c.1.c.2",),
        {"carrier_frequency_ghz": 1.01},
        "a carrier frequency of 1 GHz or less",
    ),
    (
        "saw-device",
        {**SAW, "carrier_frequency_ghz": 0.5, "sidelobe_rejection_db": 66, "signal_bandwidth_mhz": 101},
        "3A001#c-1-c-3",
        ("3A001.c.1.c.3",),
        {"signal_bandwidth_mhz": 100},
        "a bandwidth greater than 100 MHz",
    ),
    (
        "baw-device",
        {**SAW, "carrier_frequency_ghz": 6.1},
        "3A001#c-2",
        ("3A001.c.2",),
        {"carrier_frequency_ghz": 6},
        "frequencies exceeding 6 GHz",
    ),
    (
        "acousto-optic-device",
        {**SAW, "direct_signal_or_image_processing": True},
        "3A001#c-3",
        ("3A001.c.3",),
        {"direct_signal_or_image_processing": False},
        "permit the direct processing of signals or images",
    ),
    (
        "superconducting-circuit",
        {"gate_delay_power_product_j": 0.9e-14},
        "3A001#d-1",
        ("3A001.d.1",),
        {"gate_delay_power_product_j": 1e-14},
        "less than 10-14 J",
    ),
    (
        "superconducting-circuit",
        {"resonator_q_factor": 10001},
        "3A001#d-2",
        ("3A001.d.2",),
        {"resonator_q_factor": 10000},
        "Q-values exceeding 10000",
    ),
    (
        "primary-cell",
        {"energy_density_wh_per_kg": 551, "continuous_power_density_w_per_kg": 51},
        "3A001#e-1-a-1",
        ("3A001.e.1.a.1",),
        {"energy_density_wh_per_kg": 550},
        "'energy density' exceeding 550 Wh/kg",
    ),
    (
        "primary-cell",
        {"energy_density_wh_per_kg": 51, "continuous_power_density_w_per_kg": 351},
        "3A001#e-1-a-2",
        ("3A001.e.1.a.2",),
        {"continuous_power_density_w_per_kg": 350},
        "'continuous power density' exceeding 350 W/kg",
    ),
    (
        "secondary-cell",
        {"energy_density_wh_per_kg": 351},
        "3A001#e-1-b",
        ("3A001.e.1.b",),
        {"energy_density_wh_per_kg": 350},
        "'energy density' exceeding 350 Wh/kg",
    ),
    (
        "high-voltage-capacitor",
        {
            "repetition_rate_hz": 9,
            "rated_voltage_kv": 5,
            "capacitor_energy_density_j_per_kg": 250,
            "capacitor_total_energy_j": 25000,
        },
        "3A001#e-2-a",
        ("3A001.e.2.a",),
        {"capacitor_total_energy_j": 24999},
        "a total energy equal to or more than 25 kJ",
    ),
    (
        "high-voltage-capacitor",
        {
            "repetition_rate_hz": 10,
            "rated_voltage_kv": 5,
            "capacitor_energy_density_j_per_kg": 50,
            "capacitor_total_energy_j": 100,
            "charge_discharge_cycles": 10000,
        },
        "3A001#e-2-b",
        ("3A001.e.2.b",),
        {"charge_discharge_cycles": 9999},
        "cycle life equal to or more than 10000",
    ),
    (
        "superconducting-magnet",
        {**MAGNET, "rated_flux_density_t": 8.1},
        "3A001#e-3-induction",
        ("3A001.e.3",),
        {"rated_flux_density_t": 8},
        "a magnetic induction of more than 8 T",
    ),
    (
        "superconducting-magnet",
        {**MAGNET, "rated_current_density_a_per_mm2": 301},
        "3A001#e-3-current-density",
        ("3A001.e.3",),
        {"magnet_coil_inner_diameter_mm": 250},
        "inner diameter ... of more than 250 mm",
    ),
    (
        "superconducting-magnet",
        {**MAGNET, "rated_flux_density_t": 9},
        "3A001#e-3-induction",
        ("3A001.e.3",),
        {"designed_for_mri_medical_equipment": True},
        "3A001.e.3 Note: MRI medical equipment",
    ),
    (
        "solar-cell",
        {"space_qualified": True, "conversion_efficiency_pct": 20.1},
        "3A001#e-4",
        ("3A001.e.4",),
        {"conversion_efficiency_pct": 20},
        "a minimum average efficiency exceeding 20 %",
    ),
    (
        "rotary-absolute-encoder",
        {"encoder_accuracy_arcsec": 1.0},
        "3A001#f",
        ("3A001.f",),
        {"encoder_accuracy_arcsec": 1.01},
        "equal to or less (better) than 1,0 second of arc",
    ),
    (
        "thyristor-device",
        {
            "peak_current_rise_a_per_us": 30001,
            "off_state_voltage_v": 1101,
            "in_civil_railway_or_aircraft_equipment": False,
        },
        "3A001#g-1",
        ("3A001.g.1",),
        {"off_state_voltage_v": 1100},
        "off-state voltage greater than 1100 V",
    ),
    (
        "thyristor-module",
        {
            "peak_current_rise_a_per_us": 2001,
            "off_state_voltage_v": 3000,
            "peak_current_a": 3000,
            "in_civil_railway_or_aircraft_equipment": False,
        },
        "3A001#g-2",
        ("3A001.g.2",),
        {"peak_current_rise_a_per_us": 2000},
        "di/dt greater than 2000 A/μs",
    ),
    (
        "thyristor-module",
        {
            "peak_current_rise_a_per_us": 2001,
            "off_state_voltage_v": 3000,
            "peak_current_a": 3000,
            "in_civil_railway_or_aircraft_equipment": False,
        },
        "3A001#g-2",
        ("3A001.g.2",),
        {"in_civil_railway_or_aircraft_equipment": True},
        "3A001.g Note 2",
    ),
    (
        "power-transistor",
        {
            "max_junction_temp_c": 216,
            "repetitive_peak_off_state_voltage_v": 301,
            "continuous_current_a": 1.1,
            "in_civil_vehicle_or_aircraft_equipment": False,
        },
        "3A001#h",
        ("3A001.h",),
        {"max_junction_temp_c": 215},
        "greater than 488 K (215 °C)",
    ),
    (
        "power-diode",
        {
            "max_junction_temp_c": 216,
            "repetitive_peak_off_state_voltage_v": 301,
            "continuous_current_a": 1.1,
            "in_civil_vehicle_or_aircraft_equipment": False,
        },
        "3A001#h",
        ("3A001.h",),
        {"in_civil_vehicle_or_aircraft_equipment": True},
        "3A001.h Note 3",
    ),
    (
        "electro-optic-modulator",
        {**EOM, "max_operating_frequency_ghz": 19.9, "half_wave_voltage_up_to_1ghz_v": 2.69},
        "3A001#i-1-a",
        ("3A001.i.1.a",),
        {"half_wave_voltage_up_to_1ghz_v": 2.7},
        "'Vπ' less than 2,7 V",
    ),
    (
        "electro-optic-modulator",
        {**EOM, "max_operating_frequency_ghz": 10.1, "half_wave_voltage_above_1ghz_v": 3.9},
        "3A001#i-1-b",
        ("3A001.i.1.b",),
        {"max_operating_frequency_ghz": 10},
        "more than 10 GHz",
    ),
    (
        "electro-optic-modulator",
        {**EOM, "max_operating_frequency_ghz": 20, "half_wave_voltage_up_to_1ghz_v": 3.29},
        "3A001#i-2-a",
        ("3A001.i.2.a",),
        {"optical_insertion_loss_db": 3.01},
        "insertion loss equal to or less than 3 dB",
    ),
    (
        "electro-optic-modulator",
        {**EOM, "max_operating_frequency_ghz": 40, "half_wave_voltage_above_1ghz_v": 4.9},
        "3A001#i-2-b",
        ("3A001.i.2.b",),
        {"half_wave_voltage_above_1ghz_v": 5},
        "'Vπ' less than 5 V",
    ),
    (
        "signal-generator",
        {**SIGGEN, "pulse_modulation_31_8_to_37ghz": True, "pulse_width_ns": 24.9, "on_off_ratio_db": 65},
        "3A002#d-1",
        ("3A002.d.1",),
        {"pulse_width_ns": 25},
        "'Pulse duration' of less than 25 ns",
    ),
    (
        "signal-generator",
        {**SIGGEN, "max_output_frequency_ghz": 67, "output_power_43_5_to_110ghz_dbm": 20.1},
        "3A002#d-2",
        ("3A002.d.2",),
        {"output_power_43_5_to_110ghz_dbm": 20},
        "An output power exceeding 100 mW (20 dBm)",
    ),
    (
        "signal-generator",
        {**SIGGEN, "synthesised_frequency_ghz": 31.9, "frequency_switching_time_us": 499},
        "3A002#d-3-d",
        ("3A002.d.3.d",),
        {"frequency_switching_time_us": 500},
        "Less than 500 μs for any frequency change exceeding 550 MHz within ... 31,8 GHz but not exceeding 37 GHz",
    ),
    (
        "signal-generator",
        {**SIGGEN, "synthesised_frequency_ghz": 110, "frequency_switching_time_us": 99},
        "3A002#d-3-g",
        ("3A002.d.3.g",),
        {"synthesised_frequency_ghz": 110.1},
        "within the frequency range exceeding 75 GHz but not exceeding 110 GHz",
    ),
    (
        "signal-generator",
        {**SIGGEN, "phase_noise_better_than_far_formula": True},
        "3A002#d-4-b",
        ("3A002.d.4.b",),
        {"output_from_crystal_oscillator_combination": True},
        "3A002.d Note 2: addition or subtraction of crystal oscillator frequencies",
    ),
    (
        "signal-generator",
        {**SIGGEN, "synthesised_frequency_ghz": 31.8, "vector_modulation_bandwidth_ghz": 2.3},
        "3A002#d-5-a",
        ("3A002.d.5.a",),
        {"vector_modulation_bandwidth_ghz": 2.2},
        "Exceeding 2,2 GHz within ... 4,8 GHz but not exceeding 31,8 GHz",
    ),
    (
        "signal-generator",
        {**SIGGEN, "synthesised_frequency_ghz": 32, "vector_modulation_bandwidth_ghz": 0.56},
        "3A002#d-5-b",
        ("3A002.d.5.b",),
        {"vector_modulation_bandwidth_ghz": 0.55},
        "Exceeding 550 MHz within ... 31,8 GHz but not exceeding 37 GHz",
    ),
    (
        "arbitrary-waveform-generator",
        {**SIGGEN, "max_output_frequency_ghz": 110.1},
        "3A002#d-6",
        ("3A002.d.6",),
        {"max_output_frequency_ghz": 110},
        "A maximum frequency exceeding 110 GHz (Note 1: arbitrary waveform generators included)",
    ),
    (
        "network-analyser",
        {"max_operating_frequency_ghz": 67, "output_power_43_5_to_110ghz_dbm": 20.1},
        "3A002#e-1",
        ("3A002.e.1",),
        {"output_power_43_5_to_110ghz_dbm": 20},
        "output power exceeding 100 mW (20 dBm)",
    ),
    (
        "network-analyser",
        {"nonlinear_vector_measurement_50_to_110ghz": True},
        "3A002#e-3",
        ("3A002.e.3",),
        {"nonlinear_vector_measurement_50_to_110ghz": False},
        "'nonlinear vector measurement functionality'",
    ),
    (
        "network-analyser",
        {"max_operating_frequency_ghz": 110.1},
        "3A002#e-4",
        ("3A002.e.4",),
        {"max_operating_frequency_ghz": 110},
        "a maximum operating frequency exceeding 110 GHz",
    ),
    (
        "microwave-test-receiver",
        {"max_operating_frequency_ghz": 111, "simultaneous_amplitude_phase": True},
        "3A002#f",
        ("3A002.f",),
        {"max_operating_frequency_ghz": 110},
        "exceeding 110 GHz",
    ),
    (
        "atomic-frequency-standard",
        {"space_qualified": True},
        "3A002#g-1",
        ("3A002.g.1",),
        {"space_qualified": False},
        '"space-qualified"',
    ),
    (
        "atomic-frequency-standard",
        {"uses_rubidium": False, "frequency_stability_30day": 0.9e-11},
        "3A002#g-2",
        ("3A002.g.2",),
        {"frequency_stability_30day": 1e-11},
        "less (better) than 1 × 10-11/month",
    ),
    (
        "atomic-frequency-standard",
        {
            "space_qualified": False,
            "uses_rubidium": True,
            "frequency_stability_30day": 0.9e-11,
            "power_consumption_w": 0.9,
        },
        "3A002#g-3",
        ("3A002.g.3",),
        {"power_consumption_w": 1},
        "total power consumption of less than 1 W",
    ),
    (
        "waveform-digitiser",
        {**ADC, "resolution_bits": 8, "sample_rate_msps": 1301},
        "3A002#h-1-a",
        ("3A002.h.1.a", "3A002.h.2"),
        {"sample_rate_msps": 1300},
        "greater than 1,3 GSPS",
    ),
    (
        "data-acquisition-card",
        {**ADC, "resolution_bits": 11, "sample_rate_msps": 1001},
        "3A002#h-1-b",
        ("3A002.h.1.b", "3A002.h.2"),
        {"sample_rate_msps": 1000},
        "greater than 1,0 GSPS",
    ),
    (
        "data-acquisition-card",
        {**ADC, "resolution_bits": 12, "sample_rate_msps": 1001},
        "3A002#h-1-c",
        ("3A002.h.1.c", "3A002.h.2"),
        {"resolution_bits": 14},
        "12 bit or more, but less than 14 bit",
    ),
    (
        "transient-recorder",
        {**ADC, "resolution_bits": 14, "sample_rate_msps": 401},
        "3A002#h-1-d",
        ("3A002.h.1.d", "3A002.h.2"),
        {"sample_rate_msps": 400},
        "greater than 400 MSPS",
    ),
    (
        "ad-converter",
        {**ADC, "resolution_bits": 16, "sample_rate_msps": 181},
        "3A002#h-1-e",
        ("3A002.h.1.e", "3A002.h.2"),
        {"outputs_stores_or_processes_digitised_data": False},
        "output, storage or processing of digitised data",
    ),
    (
        "underwater-acoustic-modem",
        {"cable_tethered": False, "acoustic_carrier_frequency_khz": 19.9},
        "5A001#b-1-a-below-20khz",
        ("5A001.b.1.a",),
        {"acoustic_carrier_frequency_khz": 20},
        "An acoustic carrier frequency outside the range from 20 kHz to 60 kHz",
    ),
    (
        "underwater-acoustic-modem",
        {"cable_tethered": False, "acoustic_carrier_frequency_khz": 60.1},
        "5A001#b-1-a-above-60khz",
        ("5A001.b.1.a",),
        {"acoustic_carrier_frequency_khz": 60},
        "An acoustic carrier frequency outside the range from 20 kHz to 60 kHz",
    ),
    (
        "underwater-em-communication-equipment",
        {"cable_tethered": False, "em_carrier_frequency_khz": 29.9},
        "5A001#b-1-b",
        ("5A001.b.1.b",),
        {"cable_tethered": True},
        "underwater untethered communications systems",
    ),
    (
        "underwater-optical-communication-equipment",
        {"cable_tethered": False, "wavelength_nm": 699, "used_in_local_area_network": True},
        "5A001#b-1-d",
        ("5A001.b.1.d",),
        {"wavelength_nm": 700},
        "greater than 400 nm and less than 700 nm",
    ),
    (
        "radio-transmitter",
        {**HF_RADIO, "linear_amp_output_1_5_to_30mhz_w": 1000},
        "5A001#b-2-below-30mhz",
        ("5A001.b.2",),
        {"linear_amp_output_1_5_to_30mhz_w": 999},
        "an output power of 1 kW or more in the frequency range of 1,5 MHz or more but less than 30 MHz",
    ),
    (
        "radio-transceiver",
        {**HF_RADIO, "linear_amp_output_30_to_87_5mhz_w": 250},
        "5A001#b-2-30-to-87-5mhz",
        ("5A001.b.2",),
        {"harmonic_distortion_db": -80},
        "output harmonic and distortion content of less (better) than -80 dB",
    ),
    (
        "radio-transceiver",
        {"spread_spectrum": True, "user_programmable_spreading_codes": True, "rf_output_power_w": 1.1},
        "5A001#b-3-a",
        ("5A001.b.3.a",),
        {"rf_output_power_w": 1},
        "5A001.b.3 Note: an output power of 1 W or less",
    ),
    (
        "radio-transceiver",
        {
            "spread_spectrum": True,
            "spread_to_channel_bandwidth_ratio": 100,
            "transmitted_bandwidth_khz": 50.1,
            "designed_for_civil_cellular": False,
            "designed_for_satellite_earth_station": False,
            "rf_output_power_w": 5,
        },
        "5A001#b-3-b",
        ("5A001.b.3.b",),
        {"transmitted_bandwidth_khz": 50},
        "100 or more times the bandwidth of any one information channel and in excess of 50 kHz",
    ),
    (
        "radio-transceiver",
        {
            "spread_spectrum": True,
            "spread_to_channel_bandwidth_ratio": 200,
            "transmitted_bandwidth_khz": 500,
            "designed_for_civil_cellular": False,
            "designed_for_satellite_earth_station": False,
            "rf_output_power_w": 5,
        },
        "5A001#b-3-b",
        ("5A001.b.3.b",),
        {"designed_for_satellite_earth_station": True},
        "5A001.b.3.b Note b: satellite earth stations for commercial civil telecommunications",
    ),
    (
        "radio-transceiver",
        {"uwb_modulation": True, "user_programmable_codes": True, "uwb_bandwidth_mhz": 501},
        "5A001#b-4-a",
        ("5A001.b.4.a",),
        {"uwb_bandwidth_mhz": 500},
        "A bandwidth exceeding 500 MHz",
    ),
    (
        "radio-transmitter",
        {"uwb_modulation": True, "user_programmable_codes": True, "fractional_bandwidth_pct": 20},
        "5A001#b-4-b",
        ("5A001.b.4.b",),
        {"fractional_bandwidth_pct": 19.9},
        'A "fractional bandwidth" of 20 % or more',
    ),
    (
        "radio-receiver",
        {
            "channel_count": 1001,
            "channel_switching_time_ms": 0.99,
            "automatic_spectrum_scanning": True,
            "signal_type_identification": True,
            "designed_for_civil_cellular": False,
        },
        "5A001#b-5",
        ("5A001.b.5",),
        {"channel_count": 1000},
        "More than 1000 channels",
    ),
    (
        "radio-receiver",
        {
            "channel_count": 2000,
            "channel_switching_time_ms": 0.5,
            "automatic_spectrum_scanning": True,
            "signal_type_identification": True,
            "designed_for_civil_cellular": False,
        },
        "5A001#b-5",
        ("5A001.b.5",),
        {"designed_for_civil_cellular": True},
        "5A001.b.5 Note: civil cellular radio-communications systems",
    ),
    (
        "vocoder",
        {"voice_coding_rate_bps": 699},
        "5A001#b-6-vocoder",
        ("5A001.b.6",),
        {"voice_coding_rate_bps": 700},
        "'voice coding' output at rates of less than 700 bit/s",
    ),
    (
        "direction-finder",
        {"operating_frequency_ghz": 0.031, "instantaneous_bandwidth_mhz": 10, "min_signal_duration_lob_ms": 0.9},
        "5A001#e",
        ("5A001.e",),
        {"min_signal_duration_lob_ms": 1},
        "a signal duration of less than 1 ms",
    ),
    (
        "direction-finder",
        {"operating_frequency_ghz": 1, "instantaneous_bandwidth_mhz": 10, "min_signal_duration_lob_ms": 0.5},
        "5A001#e",
        ("5A001.e",),
        {"instantaneous_bandwidth_mhz": 9.9},
        '"Instantaneous bandwidth" of 10 MHz or more',
    ),
    (
        "mobile-interception-equipment",
        {"extracts_voice_or_data": True, "pmr_wlan_operator_or_development_equipment": False},
        "5A001#f-1",
        ("5A001.f.1",),
        {"pmr_wlan_operator_or_development_equipment": True},
        "5A001.f Note: equipment designed for mobile telecommunications network operators",
    ),
    (
        "mobile-interception-equipment",
        {"extracts_identifiers_or_metadata": True, "pmr_wlan_operator_or_development_equipment": False},
        "5A001#f-2",
        ("5A001.f.2",),
        {"extracts_identifiers_or_metadata": False},
        "extraction of client device or subscriber identifiers",
    ),
    (
        "mobile-jammer",
        {"jamming_technique": "ran-simulation"},
        "5A001#f-3",
        ("5A001.f.3",),
        {"jamming_technique": "other"},
        "Simulate the functions of Radio Access Network (RAN) equipment",
    ),
    (
        "counter-ied-equipment",
        {"counter_ied_function": "rf-predetonation-or-prevention"},
        "5A001#h-1",
        ("5A001.h.1",),
        {"counter_ied_function": "other"},
        "prematurely activating or preventing the initiation of IEDs",
    ),
    (
        "counter-ied-equipment",
        {"counter_ied_function": "co-located-communication"},
        "5A001#h-2",
        ("5A001.h.2",),
        {"counter_ied_function": "rf-predetonation-or-prevention"},
        "radio communications in the same frequency channels",
    ),
    (
        "passive-coherent-location-system",
        {"tracks_moving_targets_by_non_radar_reflections": True, "radio_astronomy_or_needs_target_transmission": False},
        "5A001#g",
        ("5A001.g",),
        {"radio_astronomy_or_needs_target_transmission": True},
        "5A001.g Note",
    ),
    (
        "ip-surveillance-equipment",
        IP_SURVEILLANCE,
        "5A001#j",
        ("5A001.j",),
        {"designed_for_marketing_qos_or_qoe": True},
        "5A001.j Note: marketing, QoS or QoE",
    ),
    (
        "ip-surveillance-equipment",
        IP_SURVEILLANCE,
        "5A001#j",
        ("5A001.j",),
        {"relational_network_mapping": False},
        "mapping of the relational network",
    ),
]


@pytest.mark.parametrize(("product", "inside", "ref", "numbers", "outside", "text"), CASES)
def test_just_inside_the_text_is_listed_and_just_outside_is_not(
    eu: Regime,
    snapshot: Snapshot,
    product: str,
    inside: dict[str, Any],
    ref: str,
    numbers: tuple[str, ...],
    outside: dict[str, Any],
    text: str,
) -> None:
    listed = spec_line(eu, product, inside)
    assert found(listed).get(ref) == numbers, text
    assert listed.outcome is Outcome.LICENCE_REQUIRED  # an Annex I item to China: no Union general authorisation
    assert holds(snapshot, ref, **{**inside, **outside}) is False, text
    assert ref not in found(spec_line(eu, product, {**inside, **outside})), text


def test_3a001_e_3_neither_alternative_or_a_slow_magnet_is_not_listed(snapshot: Snapshot) -> None:
    # "Rated for a magnetic induction of more than 8 T or 'overall current density' in the winding of more than
    # 300 A/mm2", "specially designed to be fully charged or discharged in less than one second"
    assert holds(snapshot, "3A001#e-3-current-density", **MAGNET, rated_current_density_a_per_mm2=300) is False
    assert holds(snapshot, "3A001#e-3-induction", **MAGNET, rated_flux_density_t=8) is False
    slow = {**MAGNET, "full_charge_discharge_time_s": 1}
    assert holds(snapshot, "3A001#e-3-induction", **slow, rated_flux_density_t=9) is False
    assert holds(snapshot, "3A001#e-3-current-density", **slow, rated_current_density_a_per_mm2=400) is False


def test_a_missing_parameter_leaves_the_line_undetermined(eu: Regime) -> None:
    # 3A001.f has one threshold: an encoder without its accuracy cannot be decided
    line = spec_line(eu, "rotary-absolute-encoder", {})
    assert line.outcome is Outcome.INDETERMINATE
    assert "params.encoder_accuracy_arcsec" in line.missing


def test_5a001_f_4_monitoring_equipment_is_listed_by_its_description(eu: Regime) -> None:
    # "RF monitoring equipment designed or modified to identify the operation of items specified in 5A001.f.1., f.2.
    # or f.3.": no threshold, the product is listed as such
    assert found(spec_line(eu, "interception-monitoring-equipment", {})).get("5A001#f-4") == ("5A001.f.4",)


def test_3a002_d_5_the_bands_are_half_open(snapshot: Snapshot) -> None:
    # d.5.a "exceeding 4,8 GHz but not exceeding 31,8 GHz", d.5.b "exceeding 31,8 GHz but not exceeding 37 GHz"
    at_31_8 = {**SIGGEN, "synthesised_frequency_ghz": 31.8, "vector_modulation_bandwidth_ghz": 3}
    assert holds(snapshot, "3A002#d-5-a", **at_31_8) is True
    assert holds(snapshot, "3A002#d-5-b", **at_31_8) is False
    assert holds(snapshot, "3A002#d-5-a", **{**at_31_8, "synthesised_frequency_ghz": 4.8}) is False
