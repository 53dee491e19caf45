"""Classification by specification under the US pack, second share of Category 3: 3A003 and 3B002 (ported from the
EU pack and checked against the Commerce Control List of the eCFR of 2026-07-23, ../shared/data/us), 3A991 and 3A992
(no EU counterpart: written from the CCL text alone). Each threshold is quoted from the paragraph text first (a
changed source fails here rather than passing on stale text); then a specification just inside it is listed by the
engine with the paragraph as control number, and one just outside it is not. Where the EAR's text differs from the
EU's, the test says so.
"""

from __future__ import annotations

from exportctl.core_types import LineDetermination, Outcome
from exportctl.regime import Regime
from tests.support.ccl import quoted
from tests.support.ccl import spec_line as decide


def listed(line: LineDetermination, eccn: str) -> set[tuple[str | None, tuple[str, ...]]]:
    """The clauses of `eccn` every criterion of which the specification meets, with their control numbers."""
    return {
        (m.clause, m.control_numbers)
        for m in line.entries
        if m.entry == eccn and m.comparisons and all(c.holds is True for c in m.comparisons)
    }


def assert_listed(line: LineDetermination, eccn: str, clause: str, *numbers: str) -> None:
    assert listed(line, eccn) == {(clause, numbers)}


def assert_not_listed(line: LineDetermination, eccn: str) -> None:
    assert listed(line, eccn) == set()


# --- 3A003 spray cooling, 3B002 test and inspection equipment ------------------------------------------------------


def test_3a003_spray_cooling_and_its_components(us: Regime) -> None:
    quoted("3A003", "3A003", "closed loop fluid handling and reconditioning equipment in a sealed enclosure")
    quoted(
        "3A003", "3A003", "dielectric fluid is sprayed onto electronic “components” using “specially designed” spray"
    )
    spray = {"closed_loop_sealed_enclosure": True, "dielectric_coolant_spray_nozzles": True}
    for product in ("spray-cooling-system", "spray-cooling-component"):
        line = decide(us, product, **spray)
        assert_listed(line, "3A003", "spray-cooling", "3A003")
        assert line.outcome is Outcome.LICENCE_REQUIRED  # NS Column 2 covers China
    assert_not_listed(decide(us, "spray-cooling-system", **spray | {"closed_loop_sealed_enclosure": False}), "3A003")
    open_loop = decide(us, "spray-cooling-system", **spray | {"dielectric_coolant_spray_nozzles": False})
    assert_not_listed(open_loop, "3A003")
    assert open_loop.outcome is not Outcome.LICENCE_REQUIRED


def test_3b002_paragraphs_differ_from_the_eu(us: Regime) -> None:
    # The CCL's 3B002.b is the EU's 3B002.c (MMICs of 3A001.b.2); the CCL's 3B002.c (EUV mask inspection) is not
    # in the EU's 3B002.
    quoted("3B002", "a", "For testing S-parameters of items specified by 3A001.b.3.")
    quoted("3B002", "b", "For testing microwave integrated circuits controlled by 3A001.b.2.")
    quoted("3B002", "c", "Inspection equipment designed for “EUV” mask blanks or “EUV” patterned masks.")
    s_parameters = decide(us, "semiconductor-test-equipment", test_target="listed-transistor-s-parameters")
    assert_listed(s_parameters, "3B002", "a", "3B002.a")
    assert s_parameters.outcome is Outcome.LICENCE_REQUIRED  # NS Column 2
    mmic = decide(us, "semiconductor-test-equipment-component", test_target="listed-mmic-amplifiers")
    assert_listed(mmic, "3B002", "b", "3B002.b")
    assert_not_listed(decide(us, "semiconductor-test-equipment", test_target="other"), "3B002")
    euv = decide(us, "mask-inspection-equipment", for_euv_masks=True)
    assert_listed(euv, "3B002", "c", "3B002.c")
    assert euv.outcome is Outcome.LICENCE_REQUIRED  # NS and RS to Country Group D:5, China among them
    assert_not_listed(decide(us, "mask-inspection-equipment", for_euv_masks=False), "3B002")


# --- 3A991 electronic devices and components not controlled by 3A001 ------------------------------------------------


def test_3a991_a_microprocessors(us: Regime) -> None:
    quoted(
        "3A991", "a.1", "performance speed of 5 GFLOPS or more and an arithmetic logic unit with an access width of 32"
    )
    quoted("3A991", "a.2", "A clock frequency rate exceeding 25 MHz")
    fast = {"performance_speed_gflops": 5, "alu_access_width_bits": 32, "max_clock_frequency_mhz": 25}
    assert_listed(decide(us, "microcontroller", **fast), "3A991", "a-1", "3A991.a.1")
    assert_not_listed(decide(us, "microcontroller", **fast | {"alu_access_width_bits": 16}), "3A991")
    assert_not_listed(decide(us, "microprocessor", **fast | {"performance_speed_gflops": 4.9}), "3A991")
    clock = fast | {"performance_speed_gflops": 1, "max_clock_frequency_mhz": 25.1}
    assert_listed(decide(us, "microcomputer", **clock), "3A991", "a-2", "3A991.a.2")


def test_3a991_b_eeprom_and_sram(us: Regime) -> None:
    quoted("3A991", "b.1.a", "Exceeding 16 Mbits per package for flash memory types")
    quoted("3A991", "b.1.b.2", "Exceeding 256 kbit per package and a maximum access time of less than 80 ns")
    quoted("3A991", "b.2.b", "Exceeding 256 kbit per package and a maximum access time of less than 25 ns")
    flash = {"eeprom_type": "flash", "storage_capacity_mbit_per_package": 16.1, "max_access_time_ns": 100}
    assert_listed(decide(us, "non-volatile-memory", **flash), "3A991", "b-1-a", "3A991.b.1.a")
    assert_not_listed(decide(us, "non-volatile-memory", **flash | {"storage_capacity_mbit_per_package": 16}), "3A991")
    eeprom = {"eeprom_type": "other-eeprom", "storage_capacity_mbit_per_package": 0.512, "max_access_time_ns": 79}
    assert_listed(decide(us, "non-volatile-memory", **eeprom), "3A991", "b-1-b-2", "3A991.b.1.b.2")
    assert_not_listed(decide(us, "non-volatile-memory", **eeprom | {"max_access_time_ns": 80}), "3A991")
    sram = {"storage_capacity_mbit_per_package": 0.512, "max_access_time_ns": 24}
    assert_listed(decide(us, "static-ram", **sram), "3A991", "b-2-b", "3A991.b.2.b")
    assert_not_listed(decide(us, "static-ram", **sram | {"max_access_time_ns": 25}), "3A991")


def test_3a991_c_adc_stops_where_3a001_begins(us: Regime) -> None:
    quoted("3A991", "c.2", "A resolution of 12 bit with an output rate greater than 105 million words per second")
    quoted("3A001", "a.5.a.3", "12 bit or more, but less than 14 bit, with a “sample rate” greater than 400 MSPS")
    assert_listed(
        decide(us, "ad-converter-ic", resolution_bits=12, sample_rate_msps=106), "3A991", "c-2-ic-12", "3A991.c.2"
    )
    assert_not_listed(decide(us, "ad-converter-ic", resolution_bits=12, sample_rate_msps=105), "3A991")
    above = decide(us, "ad-converter-ic", resolution_bits=12, sample_rate_msps=401)  # 3A001.a.5.a.3's
    assert_not_listed(above, "3A991")
    assert_listed(above, "3A001", "a-5-a-3", "3A001.a.5.a.3")
    quoted("3A991", "c.4", "A resolution of more than 14 bit with an output rate greater than 2.5 million words per")
    assert_listed(decide(us, "ad-converter", resolution_bits=16, sample_rate_msps=2.6), "3A991", "c-4", "3A991.c.4")
    assert_not_listed(decide(us, "ad-converter", resolution_bits=16, sample_rate_msps=2.5), "3A991")


def test_3a991_d_e_f_fpga_fft_custom(us: Regime) -> None:
    quoted("3A991", "d", "maximum number of single-ended digital input/outputs between 200 and 700")
    assert_listed(decide(us, "fpga", single_ended_digital_io_count=200), "3A991", "d", "3A991.d")
    assert_not_listed(decide(us, "fpga", single_ended_digital_io_count=199), "3A991")
    quoted("3A991", "e", "rated execution time for a 1,024 point complex FFT of less than 1 ms")
    assert_listed(decide(us, "fft-processor", fft_1024_point_time_ms=0.99), "3A991", "e", "3A991.e")
    assert_not_listed(decide(us, "fft-processor", fft_1024_point_time_ms=1), "3A991")
    quoted("3A991", "f.1", "More than 144 terminals")
    custom = {"terminal_count": 145, "gate_propagation_delay_ns": 1}
    assert_listed(decide(us, "custom-ic", **custom), "3A991", "f-1", "3A991.f.1")
    assert_not_listed(decide(us, "custom-ic", **custom | {"terminal_count": 144}), "3A991")


def test_3a991_g_traveling_wave_tubes(us: Regime) -> None:
    quoted("3A991", "g.2.a", "An “instantaneous bandwidth” of half an octave or more; and")
    quoted("3A991", "g.2.b", "maximum operating frequency (expressed in GHz) of more than 0.2")
    quoted("3A991", "g.2.d", "maximum operating frequency (expressed in GHz) of more than 0.4")
    helix = {
        "twt_structure": "helix",
        "instantaneous_bandwidth_octaves": 0.5,
        "average_power_frequency_product_kw_ghz": 0.21,
    }
    assert_listed(decide(us, "travelling-wave-tube", **helix), "3A991", "g-2-a-b", "3A991.g.2.a", "3A991.g.2.b")
    narrow = helix | {"instantaneous_bandwidth_octaves": 0.4}  # the narrower band needs more than 0.4
    assert_not_listed(decide(us, "travelling-wave-tube", **narrow), "3A991")
    listed_narrow = decide(us, "travelling-wave-tube", **narrow | {"average_power_frequency_product_kw_ghz": 0.41})
    assert_listed(listed_narrow, "3A991", "g-2-c-d", "3A991.g.2.c", "3A991.g.2.d")


def test_3a991_i_acoustic_wave_devices(us: Regime) -> None:
    quoted("3A991", "i.1", "A carrier frequency exceeding 1 GHz")
    quoted("3A991", "i.2.a", "A frequency side-lobe rejection exceeding 55")
    saw = {
        "carrier_frequency_ghz": 1,
        "sidelobe_rejection_db": 55.1,
        "delay_bandwidth_product": 1,
        "dispersive_delay_us": 1,
    }
    assert_listed(decide(us, "saw-device", **saw), "3A991", "i-2-a", "3A991.i.2.a")
    assert_not_listed(decide(us, "saw-device", **saw | {"sidelobe_rejection_db": 55}), "3A991")
    assert_listed(decide(us, "saw-device", **saw | {"carrier_frequency_ghz": 1.01}), "3A991", "i-1", "3A991.i.1")


def test_3a991_j_cells(us: Regime) -> None:
    quoted("3A991", "j.1", "Primary cells having an energy density of 550 Wh/kg or less at 293 K (20 °C)")
    quoted("3A991", "j.2", "Secondary cells having an energy density of 350 Wh/kg or less at 293 K (20 °C)")
    assert_listed(decide(us, "secondary-cell", energy_density_wh_per_kg=350), "3A991", "j-2", "3A991.j.2")
    assert_not_listed(decide(us, "secondary-cell", energy_density_wh_per_kg=351), "3A991")
    assert_listed(decide(us, "primary-cell", energy_density_wh_per_kg=550), "3A991", "j-1", "3A991.j.1")
    assert_not_listed(decide(us, "primary-cell", energy_density_wh_per_kg=551), "3A991")


def test_3a991_k_superconductive_magnets_and_the_mri_note(us: Regime) -> None:
    quoted("3A991", "k", "fully charged or discharged in less than one minute, having all of the following")
    quoted("3A991", "k.1", "of more than 500 kJ per minute")
    quoted("3A991", "k.3", "Rated for a magnetic induction of more than 8T")
    quoted(
        "3A991", None, "3A991.k does not control “superconductive” electromagnets or solenoids designed for Magnetic"
    )
    magnet = {
        "full_charge_discharge_time_s": 59,
        "discharge_energy_per_duration_kj_per_min": 501,
        "magnet_coil_inner_diameter_mm": 251,
        "rated_flux_density_t": 8.1,
        "rated_current_density_a_per_mm2": 100,
        "designed_for_mri_medical_equipment": False,
    }
    numbers = ("3A991.k.1", "3A991.k.2", "3A991.k.3")
    assert_listed(decide(us, "superconducting-solenoid-magnet", **magnet), "3A991", "k-3-induction", *numbers)
    assert_not_listed(decide(us, "superconducting-magnet", **magnet | {"full_charge_discharge_time_s": 60}), "3A991")
    assert_not_listed(decide(us, "superconducting-magnet", **magnet | {"rated_flux_density_t": 8}), "3A991")
    mri = magnet | {"designed_for_mri_medical_equipment": True}
    assert_not_listed(decide(us, "superconducting-magnet", **mri), "3A991")


def test_3a991_n_o_p(us: Regime) -> None:
    quoted("3A991", "n", "equivalent gate count of more than 300 (2 input gates)")
    assert_listed(decide(us, "compound-semiconductor-digital-ic", equivalent_gate_count=301), "3A991", "n", "3A991.n")
    assert_not_listed(decide(us, "compound-semiconductor-digital-ic", equivalent_gate_count=300), "3A991")
    quoted("3A991", "o", "which are “space qualified” and not controlled by 3A001.e.4")
    quoted("3A001", "e.4", "having a minimum average efficiency exceeding 20%")
    solar = {"space_qualified": True, "conversion_efficiency_pct": 20}
    assert_listed(decide(us, "solar-panel", **solar), "3A991", "o", "3A991.o")
    assert_not_listed(decide(us, "solar-panel", **solar | {"conversion_efficiency_pct": 20.1}), "3A991")
    assert_not_listed(decide(us, "solar-cell", **solar | {"space_qualified": False}), "3A991")
    quoted("3A991", "p.1", "A processing performance of 8 TOPS or more")
    quoted("3A991", "p.2", "150 Gbyte/s or more to or from integrated circuits other than volatile memories")
    ic = {"processing_performance_tops": 8, "aggregate_bidirectional_io_rate_gbyte_s": 149}
    assert_listed(decide(us, "gpu", **ic), "3A991", "p-1", "3A991.p.1")
    assert_not_listed(decide(us, "gpu", **ic | {"processing_performance_tops": 7.9}), "3A991")
    io = ic | {"processing_performance_tops": 1, "aggregate_bidirectional_io_rate_gbyte_s": 150}
    assert_listed(decide(us, "fpga", **io), "3A991", "p-2", "3A991.p.2")


# --- 3A992 general purpose electronic equipment not controlled by 3A002 ---------------------------------------------


def test_3a992_b_tape_recorders(us: Regime) -> None:
    quoted("3A992", "b.1", "exceeding 60 Mbit/s and employing helical scan techniques")
    quoted("3A992", "b.2", "exceeding 120 Mbit/s and employing fixed head techniques")
    helical = {
        "tape_recording_technique": "helical-scan",
        "digital_interface_transfer_rate_mbps": 61,
        "space_qualified": False,
    }
    line = decide(us, "digital-recorder", "PK", **helical)
    assert_listed(line, "3A992", "b-1", "3A992.b.1")
    assert line.outcome is Outcome.LICENCE_REQUIRED  # RS: a licence for Pakistan
    fixed = helical | {"tape_recording_technique": "fixed-head"}  # 61 Mbit/s is not enough with fixed heads
    assert_not_listed(decide(us, "digital-recorder", **fixed), "3A992")
    assert_listed(
        decide(us, "digital-recorder", **fixed | {"digital_interface_transfer_rate_mbps": 121}),
        "3A992",
        "b-2",
        "3A992.b.2",
    )


def test_3a992_oscilloscopes(us: Regime) -> None:
    quoted("3A992", "d", "Non-modular analog oscilloscopes having a bandwidth of 1 GHz or greater")
    analog = {"oscilloscope_type": "analog", "modular": False, "bandwidth_3db_ghz": 1}
    assert_listed(decide(us, "oscilloscope", **analog), "3A992", "d", "3A992.d")
    assert_not_listed(decide(us, "oscilloscope", **analog | {"bandwidth_3db_ghz": 0.99}), "3A992")
    quoted("3A992", "e.2", "Plug-in modules with an individual bandwidth of 4 GHz or greater")
    modular = analog | {"modular": True, "bandwidth_3db_ghz": 0.5, "plug_in_module_bandwidth_ghz": 4}
    assert_listed(decide(us, "oscilloscope", **modular), "3A992", "e-2", "3A992.e.2")
    assert_not_listed(decide(us, "oscilloscope", **modular | {"plug_in_module_bandwidth_ghz": 3.9}), "3A992")
    quoted("3A992", "f", "with an effective bandwidth greater than 4 GHz")
    sampling = {"oscilloscope_type": "analog-sampling", "modular": False, "bandwidth_3db_ghz": 4.1}
    assert_listed(decide(us, "oscilloscope", **sampling), "3A992", "f", "3A992.f")
    assert_not_listed(decide(us, "oscilloscope", **sampling | {"bandwidth_3db_ghz": 4}), "3A992")


def test_3a992_g_digital_oscilloscopes_and_transient_recorders(us: Regime) -> None:
    quoted(
        "3A992",
        "g",
        "(greater than 1 gigasample per second), digitizing to 8 bits or greater resolution and storing 256",
    )
    recorder = {"sample_rate_msps": 1001, "resolution_bits": 8, "record_length_samples": 256}
    assert_listed(decide(us, "transient-recorder", **recorder), "3A992", "g-transient-recorder", "3A992.g")
    assert_not_listed(decide(us, "transient-recorder", **recorder | {"sample_rate_msps": 1000}), "3A992")
    assert_not_listed(decide(us, "transient-recorder", **recorder | {"record_length_samples": 255}), "3A992")
    scope = recorder | {"oscilloscope_type": "digital", "modular": False, "bandwidth_3db_ghz": 0.5}
    assert_listed(decide(us, "oscilloscope", **scope), "3A992", "g-oscilloscope", "3A992.g")
    assert_not_listed(decide(us, "oscilloscope", **scope | {"resolution_bits": 7}), "3A992")


# --- 3B991 manufacturing equipment not controlled by 3B001, 3B993 or 3B994 ------------------------------------------


def test_3b991_b_1_d_epitaxy_and_g_ion_implantation(us: Regime) -> None:
    quoted("3B991", "b.1.d.1", "thickness uniform to less than ±2.5% across a distance of 200 mm or more")
    silicon = {
        "stored_program_controlled": True,
        "silicon_layer_thickness_tolerance_pct": 2.4,
        "uniformity_length_mm": 200,
    }
    line = decide(us, "epitaxial-growth-equipment", **silicon)
    assert_listed(line, "3B991", "b-1-d-1", "3B991.b.1.d.1")
    assert_not_listed(decide(us, "epitaxial-growth-equipment", **silicon | {"uniformity_length_mm": 199}), "3B991")
    manual = silicon | {"stored_program_controlled": False}
    assert_not_listed(decide(us, "epitaxial-growth-equipment", **manual), "3B991")
    quoted("3B991", "b.1.g.2", "Beam energy (accelerating voltage) exceeding 200 keV")
    assert_listed(decide(us, "ion-implanter", beam_energy_kev=201), "3B991", "b-1-g-2", "3B991.b.1.g.2")
    assert_not_listed(decide(us, "ion-implanter", beam_energy_kev=200), "3B991")


def test_3b991_b_1_j_electron_beam_systems(us: Regime) -> None:
    quoted("3B991", "b.1.j.3", "Digital-to-analog conversion rate exceeding 3 MHz")
    quoted("3B991", "b.1.j.5", "Target-to-beam position feedback control precision of 1 micrometer or finer")
    plain = {
        "writing_beam": "electron-beam",
        "electrostatic_beam_deflection": False,
        "shaped_beam_profile": False,
        "beam_dac_rate_mhz": 3,
        "beam_dac_accuracy_bits": 12,
        "beam_position_feedback_precision_um": 1.1,
    }
    assert_not_listed(decide(us, "mask-writer", **plain), "3B991")
    assert_listed(decide(us, "mask-writer", **plain | {"beam_dac_rate_mhz": 3.1}), "3B991", "b-1-j-3", "3B991.b.1.j.3")
    fine = plain | {"beam_position_feedback_precision_um": 1}
    assert_listed(decide(us, "e-beam-direct-write-equipment", **fine), "3B991", "b-1-j-5", "3B991.b.1.j.5")
    assert_not_listed(decide(us, "mask-writer", **fine | {"writing_beam": "laser"}), "3B991")


def test_3b991_b_2_c_cad_equipment_unless_a_general_purpose_computer(us: Regime) -> None:
    quoted("3B991", "b.2.c", "Equipment, other than general purpose computers, “specially designed” for computer aided")
    for product in ("semiconductor-cad-equipment", "semiconductor-cad-equipment-component"):
        assert_listed(decide(us, product, general_purpose_computer=False), "3B991", "b-2-c", "3B991.b.2.c")
    assert_not_listed(decide(us, "semiconductor-cad-equipment", general_purpose_computer=True), "3B991")
    # A computer or server is not asked whether it is semiconductor CAD equipment (the text excludes general purpose
    # computers; CAD equipment is its own product).
    assert "params.general_purpose_computer" not in decide(us, "server", total_processing_performance=0).missing


def test_3b991_b_2_f_align_and_expose(us: Regime) -> None:
    quoted("3B991", "b.2.f.1", "Production of a pattern size of less than 2.5 micrometer")
    quoted("3B991", "b.2.f.4", "A light source wavelength shorter than 400 nm")
    old = {"min_pattern_size_um": 2.5, "wavelength_nm": 436}
    assert_not_listed(decide(us, "lithography-stepper", **old), "3B991")
    finer = decide(us, "lithography-stepper", **old | {"min_pattern_size_um": 2.4})
    assert_listed(finer, "3B991", "b-2-f-1", "3B991.b.2.f.1")
    i_line = decide(us, "lithography-scanner", **old | {"wavelength_nm": 365})
    assert_listed(i_line, "3B991", "b-2-f-4", "3B991.b.2.f.4")


# --- 3B992 inspection and test equipment not controlled by 3B002, 3B993 or 3B994 ------------------------------------


def test_3b992_b_1_wafer_inspection(us: Regime) -> None:
    quoted("3B992", "b.1", "defects, errors or contaminants of 0.6 micrometer or less in or on processed wafers")
    inspection = {
        "stored_program_controlled": True,
        "min_detectable_defect_nm": 600,
        "optical_pattern_comparison": True,
    }
    assert_listed(decide(us, "wafer-inspection-equipment", **inspection), "3B992", "b-1", "3B992.b.1")
    coarse = inspection | {"min_detectable_defect_nm": 601}
    assert_not_listed(decide(us, "wafer-inspection-equipment", **coarse), "3B992")


def test_3b992_b_4_testers_and_the_3b002_split(us: Regime) -> None:
    quoted("3B992", "b.4.a", "capable of testing at frequencies exceeding 18 GHz")
    quoted(
        "3B992", "b.4.b.2", "exceeding 10 MHz but not exceeding 20 MHz and capable of testing packages of more than 68"
    )
    discrete = {
        "test_target": "discrete-semiconductor-devices",
        "stored_program_controlled": True,
        "max_test_frequency_ghz": 18.1,
    }
    assert_listed(decide(us, "semiconductor-test-equipment", **discrete), "3B992", "b-4-a", "3B992.b.4.a")
    assert_not_listed(decide(us, "semiconductor-test-equipment", **discrete | {"max_test_frequency_ghz": 18}), "3B992")
    ic = {"test_target": "integrated-circuits", "stored_program_controlled": True, "pattern_rate_mhz": 20}
    assert_not_listed(decide(us, "semiconductor-test-equipment", **ic | {"tested_package_terminal_count": 68}), "3B992")
    packages = decide(us, "semiconductor-test-equipment", **ic | {"tested_package_terminal_count": 69})
    assert_listed(packages, "3B992", "b-4-b-2", "3B992.b.4.b.2")
    faster = decide(
        us, "semiconductor-test-equipment", **ic | {"pattern_rate_mhz": 20.1, "tested_package_terminal_count": 8}
    )
    assert_listed(faster, "3B992", "b-4-b-1", "3B992.b.4.b.1")
    memories = ic | {"test_target": "memories", "pattern_rate_mhz": 100}  # excluded by the Note to 3B992.b.4.b
    assert_not_listed(decide(us, "semiconductor-test-equipment", **memories), "3B992")


def test_3b991_b_1_h_dry_etching_and_i_cvd(us: Regime) -> None:
    quoted("3B991", "b.1.h.2.b", "Reactor operational (etching) pressure of 26.66 Pa or less")
    etch = {
        "stored_program_controlled": True,
        "etch_mode": "anisotropic",
        "wafer_processing": "single-wafer",
        "end_point_detection": "optical-emission-spectroscopy",
        "operating_pressure_pa": 26.66,
        "cassette_to_cassette_load_lock": False,
    }
    assert_listed(decide(us, "dry-etching-equipment", **etch), "3B991", "b-1-h-2-b", "3B991.b.1.h.2.b")
    assert_not_listed(decide(us, "dry-etching-equipment", **etch | {"operating_pressure_pa": 26.67}), "3B991")
    quoted("3B991", "b.1.i.2", "PECVD equipment operating either below 60 Pa (450 millitorr)")
    quoted("3B991", None, "3B991.b.1.i does not control low pressure “chemical vapor deposition” (LPCVD) systems")
    pecvd = {
        "cvd_type": "pecvd",
        "deposits_oxide_nitride_metal_or_polysilicon": True,
        "operating_pressure_pa": 100000,  # not below 10^5 Pa: only the load lock can make it 3B991
        "cassette_to_cassette_load_lock": False,
    }
    assert_not_listed(decide(us, "deposition-equipment", **pecvd), "3B991")
    load_lock = decide(us, "deposition-equipment", **pecvd | {"cassette_to_cassette_load_lock": True})
    assert_listed(load_lock, "3B991", "b-1-i-2-load-lock", "3B991.b.1.i.2")
    lpcvd = pecvd | {"cvd_type": "lpcvd", "operating_pressure_pa": 50}
    assert_not_listed(decide(us, "deposition-equipment", **lpcvd), "3B991")
    thermal = lpcvd | {"cvd_type": "other-cvd", "operating_pressure_pa": 99999}
    assert_listed(decide(us, "deposition-equipment", **thermal), "3B991", "b-1-i-1", "3B991.b.1.i.1")


def test_3b991_b_2_b_mask_substrates_and_d_2_mask_writers(us: Regime) -> None:
    quoted("3B991", "b.2.b.1", "for the preparation of masks having dimensions exceeding 125 mm x 125 mm")
    blank = {"hard_surface_coated": True, "mask_substrate_shorter_side_mm": 126, "for_xray_masks": False}
    assert_listed(decide(us, "mask-blank", **blank), "3B991", "b-2-b-1", "3B991.b.2.b.1")
    assert_not_listed(decide(us, "mask-blank", **blank | {"mask_substrate_shorter_side_mm": 125}), "3B991")
    quoted(
        "3B991", "b.2.d.2", "using ion or “laser” beam lithography capable of producing line widths of less than 2.5"
    )
    laser = {"writing_beam": "laser", "min_pattern_size_um": 2.4}
    assert_listed(decide(us, "mask-writer", **laser), "3B991", "b-2-d-2", "3B991.b.2.d.2")
    assert_not_listed(decide(us, "mask-writer", **laser | {"min_pattern_size_um": 2.5}), "3B991")
