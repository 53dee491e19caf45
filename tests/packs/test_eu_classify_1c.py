"""Classification by specification under the EU pack: the criteria of Annex I Category 1C (1C001 to 1C012, 1C101,
1C102, 1C107, 1C111, 1C116 to 1C118, 1C202, 1C210, 1C216, 1C225 to 1C241, 1C350, 1C353, 1C354, 1C450;
tools/eu_pack/criteria/cat-1.yaml), checked against Annex I of Regulation (EU) 2021/821 as consolidated on
2025-11-15. Each threshold is quoted from the text: a specification just inside it is listed through the determination
engine, one just outside it is not listed by that entry, and the decontrol notes the criteria express."""

from __future__ import annotations

from typing import Any

import pytest

from exportctl.core_types import EntryMatch
from exportctl.determine.classify import resolve_cas
from exportctl.regime import Regime
from exportctl.regime.snapshot import Snapshot
from tests.packs.conftest import spec_line
from tests.support.clauses import classify, holds, listed_by


def entries_listing(eu: Regime, product: str, **params: Any) -> set[str]:
    """The entries the engine finds for one line of this product and specification, exported from Germany to China."""
    return {match.entry for match in spec_line(eu, product, params).entries}


def snapshot_cas(snapshot: Snapshot, number: str) -> tuple[EntryMatch, ...]:
    return resolve_cas(snapshot, number)


# --- 1C003 to 1C012 -------------------------------------------------------------------------------------------------


def test_1c003_a_permeability_of_120000_or_more_and_0_05_mm_or_less(eu: Regime, snapshot: Snapshot) -> None:
    assert "1C003" in entries_listing(
        eu, "magnetic-alloy", initial_relative_permeability=120000, strip_thickness_mm=0.05
    )
    assert "1C003" not in entries_listing(
        eu, "magnetic-alloy", initial_relative_permeability=119999, strip_thickness_mm=0.05
    )
    assert holds(snapshot, "1C003#a", initial_relative_permeability=120000, strip_thickness_mm=0.051) is False


def test_1c003_b_and_c_magnetostrictive_alloys_and_amorphous_strip(eu: Regime, snapshot: Snapshot) -> None:
    # b.1: "more than 5 × 10-4"; b.2: "more than 0,8"
    assert "1C003" in entries_listing(eu, "magnetostrictive-alloy", saturation_magnetostriction=0.00051)
    assert holds(snapshot, "1C003#b-1", saturation_magnetostriction=0.0005) is False
    assert holds(snapshot, "1C003#b-2", magnetomechanical_coupling_factor=0.81) is True
    assert holds(snapshot, "1C003#b-2", magnetomechanical_coupling_factor=0.8) is False
    # c: 75 % Fe/Co/Ni, Bs 1,6 T or more, and 0,02 mm or less or 2 × 10-4 ohm cm (2 µΩ·m) or more
    strip = {"fe_co_ni_content_wt_pct": 75, "saturation_flux_density_t": 1.6}
    assert holds(snapshot, "1C003#c-3-a", **strip, strip_thickness_mm=0.02) is True
    assert holds(snapshot, "1C003#c-3-a", **strip, strip_thickness_mm=0.021) is False
    assert holds(snapshot, "1C003#c-3-b", **strip, electrical_resistivity_uohm_m=2) is True
    assert holds(snapshot, "1C003#c-3-b", **strip, electrical_resistivity_uohm_m=1.9) is False
    assert (
        holds(snapshot, "1C003#c-3-b", **{**strip, "saturation_flux_density_t": 1.59}, electrical_resistivity_uohm_m=3)
        is False
    )


def test_1c004_tungsten_alloy_exceeding_all_four_values(eu: Regime, snapshot: Snapshot) -> None:
    alloy = {
        "alloy_matrix_metal": "nickel",
        "alloy_density_g_cm3": 17.6,
        "alloy_elastic_limit_mpa": 881,
        "alloy_uts_mpa": 1271,
        "alloy_elongation_pct": 8.1,
    }
    assert "1C004" in entries_listing(eu, "tungsten-alloy", **alloy)
    assert "1C004" not in entries_listing(eu, "tungsten-alloy", **{**alloy, "alloy_density_g_cm3": 17.5})
    assert holds(snapshot, "1C004#tungsten-alloy", **{**alloy, "alloy_elongation_pct": 8}) is False
    assert holds(snapshot, "1C004#tungsten-alloy", **{**alloy, "alloy_matrix_metal": "cobalt"}) is False


def test_1c005_conductors_exceeding_100_m_or_100_g(eu: Regime, snapshot: Snapshot) -> None:
    nbti = {"filament_material": "niobium-titanium", "copper_matrix": False, "filament_cross_section_um2": 27}
    assert "1C005" in entries_listing(eu, "superconducting-conductor", **nbti, conductor_length_m=101)
    assert holds(snapshot, "1C005#a-long", **nbti, conductor_length_m=100) is False
    assert holds(snapshot, "1C005#a-heavy", **nbti, conductor_mass_g=101) is True
    # 0,28 × 10-4 mm2 = 28 µm2: "less than"
    assert (
        holds(snapshot, "1C005#a-long", **{**nbti, "filament_cross_section_um2": 28}, conductor_length_m=200) is False
    )
    # c: superconductive above 115 K (-158,15 °C)
    assert holds(snapshot, "1C005#c-long", superconductor_critical_temperature_c=-158, conductor_length_m=101) is True
    assert (
        holds(snapshot, "1C005#c-long", superconductor_critical_temperature_c=-158.15, conductor_length_m=101) is False
    )


def test_1c006_fluids(eu: Regime, snapshot: Snapshot) -> None:
    fluid = {"purity_wt_pct": 99.81, "particles_200um_per_100ml": 24, "listed_substance_content_wt_pct": 85}
    assert "1C006" in entries_listing(eu, "damping-fluid", **fluid)
    assert "1C006" not in entries_listing(eu, "damping-fluid", **{**fluid, "particles_200um_per_100ml": 25})
    assert holds(snapshot, "1C006#c", **{**fluid, "purity_wt_pct": 99.8}) is False
    coolant = {
        "listed_substance_content_wt_pct": 85,
        "coolant_density_25c_g_ml": 1.5,
        "liquid_at_0c": True,
        "coolant_fluorine_content_wt_pct": 60,
        "medical_product_packaged": False,
    }
    assert holds(snapshot, "1C006#d", **coolant) is True
    assert holds(snapshot, "1C006#d", **{**coolant, "coolant_density_25c_g_ml": 1.49}) is False
    assert holds(snapshot, "1C006#d", **{**coolant, "medical_product_packaged": True}) is False  # the d Note
    # b: "more than two ether or thio-ether functions"
    lube = {"principal_ingredient": "phenylene-ether"}
    assert holds(snapshot, "1C006#b", **lube, ether_thioether_group_count=3) is True
    assert holds(snapshot, "1C006#b", **lube, ether_thioether_group_count=2) is False


def test_1c007_titanium_diboride_powder_and_composites(eu: Regime, snapshot: Snapshot) -> None:
    powder = {"metallic_impurities_wt_pct": 0.49, "powder_mean_particle_size_um": 5, "fraction_above_10um_wt_pct": 10}
    assert "1C007" in entries_listing(eu, "titanium-diboride-powder", **powder)
    # "less than 5000 ppm" = 0,5 %
    assert "1C007" not in entries_listing(
        eu, "titanium-diboride-powder", **{**powder, "metallic_impurities_wt_pct": 0.5}
    )
    composite = {
        "cmc_matrix": "oxide",
        "reinforcement_fibre_material": "alumina",
        "reinforcement_continuous_fibre": True,
        "fibre_tensile_strength_1000c_mpa": 700,
        "fibre_creep_strain_1000c_pct": 1,
    }
    assert holds(snapshot, "1C007#c-1-a", **composite) is True
    # The c.1.a Note: fibres below 700 MPa at 1273 K, or creeping more than 1 %, are not controlled.
    assert holds(snapshot, "1C007#c-1-a", **{**composite, "fibre_tensile_strength_1000c_mpa": 699}) is False
    assert holds(snapshot, "1C007#c-1-a", **{**composite, "fibre_creep_strain_1000c_pct": 1.1}) is False
    si_fibre = {"cmc_matrix": "glass", "reinforcement_fibre_material": "si-c"}
    assert holds(snapshot, "1C007#c-1-b", **si_fibre, fibre_specific_strength_m=12701) is True
    assert holds(snapshot, "1C007#c-1-b", **si_fibre, fibre_specific_strength_m=12700) is False


def test_1c008_glass_transition_temperatures_and_fusible_form(eu: Regime, snapshot: Snapshot) -> None:
    assert "1C008" in entries_listing(
        eu, "aromatic-polyimide", non_fusible=False, polymer_glass_transition_temperature_c=233
    )
    assert "1C008" not in entries_listing(
        eu, "aromatic-polyimide", non_fusible=False, polymer_glass_transition_temperature_c=232
    )
    # The a Note: only "fusible" forms (a non-fusible polyimide film is 1A003's).
    assert holds(snapshot, "1C008#a-3", non_fusible=True, polymer_glass_transition_temperature_c=300) is False
    assert holds(snapshot, "1C008#f", polymer_glass_transition_temperature_c=291) is True
    assert holds(snapshot, "1C008#f", polymer_glass_transition_temperature_c=290) is False


def test_1c009_combined_fluorine(eu: Regime, snapshot: Snapshot) -> None:
    assert "1C009" in entries_listing(eu, "fluorinated-polyimide", combined_fluorine_wt_pct=10)
    assert "1C009" not in entries_listing(eu, "fluorinated-polyimide", combined_fluorine_wt_pct=9.9)
    assert holds(snapshot, "1C009#c", combined_fluorine_wt_pct=30) is True
    assert holds(snapshot, "1C009#c", combined_fluorine_wt_pct=29.9) is False


def test_1c011_powders_and_named_chemicals(eu: Regime, snapshot: Snapshot) -> None:
    assert "1C011" in entries_listing(eu, "zirconium-powder", powder_max_particle_size_um=59, purity_wt_pct=99)
    assert "1C011" not in entries_listing(eu, "zirconium-powder", powder_max_particle_size_um=60, purity_wt_pct=99)
    assert holds(snapshot, "1C011#a", powder_max_particle_size_um=59, purity_wt_pct=98.9) is False
    assert holds(snapshot, "1C011#b-1", purity_wt_pct=85, powder_max_particle_size_um=60) is True
    assert holds(snapshot, "1C011#b-1", purity_wt_pct=84.9, powder_max_particle_size_um=60) is False
    assert "1C011" in entries_listing(eu, "guanidine-nitrate")
    assert "1C011#c" in {f"{m.entry}#{m.clause}" for m in snapshot_cas(snapshot, "506-93-4")}


def test_1c012_plutonium_238_and_the_shipment_notes(eu: Regime, snapshot: Snapshot) -> None:
    pu = {"pu238_isotopic_assay_wt_pct": 51, "plutonium_content_g": 1.1, "in_instrument_sensing_component": False}
    assert "1C012" in entries_listing(eu, "plutonium", **pu)
    assert holds(snapshot, "1C012#a", **{**pu, "pu238_isotopic_assay_wt_pct": 50}) is False
    assert holds(snapshot, "1C012#a", **{**pu, "plutonium_content_g": 1}) is False  # Note a
    # Note b: 3 "effective grammes" or less in a sensing component
    sensing = {**pu, "in_instrument_sensing_component": True}
    assert holds(snapshot, "1C012#a", **sensing) is False
    assert holds(snapshot, "1C012#a-sensing-component", **sensing, effective_grammes=3) is False
    assert holds(snapshot, "1C012#a-sensing-component", **sensing, effective_grammes=3.1) is True
    assert holds(snapshot, "1C012#b", previously_separated=True, material_mass_g=1.1) is True
    assert holds(snapshot, "1C012#b", previously_separated=True, material_mass_g=1) is False


# --- 1C116, 1C117, 1C202, 1C210, 1C216 ------------------------------------------------------------------------------


def test_1c116_maraging_steel_strength_and_form(eu: Regime, snapshot: Snapshot) -> None:
    sheet = {"material_form": "sheet", "wall_or_sheet_thickness_mm": 5.0}
    assert "1C116" in entries_listing(eu, "maraging-steel", **sheet, uts_solution_annealed_20c_mpa=900)
    assert holds(snapshot, "1C116#a-1-b-1", **sheet, uts_solution_annealed_20c_mpa=899) is False
    assert holds(snapshot, "1C116#a-2-b-1", **sheet, uts_precipitation_hardened_20c_mpa=1500) is True
    assert (
        holds(
            snapshot,
            "1C116#a-2-b-1",
            **{**sheet, "wall_or_sheet_thickness_mm": 5.1},
            uts_precipitation_hardened_20c_mpa=1500,
        )
        is False
    )
    tube = {"material_form": "tube", "wall_or_sheet_thickness_mm": 50, "uts_precipitation_hardened_20c_mpa": 1500}
    assert holds(snapshot, "1C116#a-2-b-2", **tube, hollow_inner_diameter_mm=270) is True
    assert holds(snapshot, "1C116#a-2-b-2", **tube, hollow_inner_diameter_mm=269) is False


def test_1c117_tungsten_and_molybdenum(eu: Regime, snapshot: Snapshot) -> None:
    assert "1C117" in entries_listing(eu, "tungsten-powder", tungsten_content_wt_pct=97, powder_max_particle_size_um=50)
    assert "1C117" not in entries_listing(
        eu, "tungsten-powder", tungsten_content_wt_pct=96.9, powder_max_particle_size_um=50
    )
    assert holds(snapshot, "1C117#b", molybdenum_content_wt_pct=97, powder_max_particle_size_um=51) is False
    infiltrated = {"infiltrated_with_copper_or_silver": True, "machinable_to_listed_dimensions": True}
    assert holds(snapshot, "1C117#c-1-b-c", **infiltrated, tungsten_content_wt_pct=80) is True
    assert holds(snapshot, "1C117#c-1-b-c", **infiltrated, tungsten_content_wt_pct=79.9) is False


def test_1c202_alloy_strength_and_diameter(eu: Regime, snapshot: Snapshot) -> None:
    tube = {"material_form": "tube", "bar_outer_diameter_mm": 76}
    assert "1C202" in entries_listing(eu, "aluminium-alloy", **tube, tensile_strength_20c_mpa=460)
    assert "1C202" not in entries_listing(eu, "aluminium-alloy", **tube, tensile_strength_20c_mpa=459)
    assert holds(snapshot, "1C202#b", **{**tube, "bar_outer_diameter_mm": 75}, tensile_strength_20c_mpa=900) is False
    assert holds(snapshot, "1C202#b", **tube, tensile_strength_20c_mpa=900) is True


def test_1c210_fibres_and_prepregs(eu: Regime, snapshot: Snapshot) -> None:
    carbon = {"fibre_continuous_form": True, "fibre_specific_strength_m": 100_000}
    assert "1C210" in entries_listing(eu, "carbon-fibre", **carbon, fibre_specific_modulus_m=12_700_000)
    assert holds(snapshot, "1C210#a-carbon-modulus", **carbon, fibre_specific_modulus_m=12_699_999) is False
    # a Note: aramid with 0,25 % by weight or more of an ester based surface modifier
    aramid = {"fibre_continuous_form": True, "fibre_specific_strength_m": 235_000}
    assert holds(snapshot, "1C210#a-aramid-strength", **aramid, ester_surface_modifier_wt_pct=0.24) is True
    assert holds(snapshot, "1C210#a-aramid-strength", **aramid, ester_surface_modifier_wt_pct=0.25) is False
    glass = {"fibre_continuous_form": True, "fibre_specific_modulus_m": 3_180_000}
    assert holds(snapshot, "1C210#b", **glass, fibre_specific_strength_m=76_200) is True
    assert holds(snapshot, "1C210#b", **glass, fibre_specific_strength_m=76_199) is False
    prepreg = {
        "fibre_type": "glass",
        "thermoset_resin_impregnated": True,
        "fibre_continuous_form": True,
        "fibre_specific_modulus_m": 3_200_000,
        "fibre_specific_strength_m": 80_000,
    }
    assert holds(snapshot, "1C210#c-glass", **prepreg, tape_width_mm=15) is True
    assert holds(snapshot, "1C210#c-glass", **prepreg, tape_width_mm=15.1) is False


def test_1c216_maraging_steel_1950_mpa_not_small_forms(eu: Regime, snapshot: Snapshot) -> None:
    assert "1C216" in entries_listing(eu, "maraging-steel", tensile_strength_20c_mpa=1950, max_dimension_mm=76)
    assert "1C216" not in entries_listing(eu, "maraging-steel", tensile_strength_20c_mpa=1949, max_dimension_mm=76)
    # Note: forms in which all linear dimensions are 75 mm or less
    assert holds(snapshot, "1C216#maraging-steel", tensile_strength_20c_mpa=2000, max_dimension_mm=75) is False


# --- 1C225 to 1C241 --------------------------------------------------------------------------------------------------


def test_1c226_and_1c241_hollow_cylinders(eu: Regime, snapshot: Snapshot) -> None:
    cylinder = {
        "tungsten_content_wt_pct": 91,
        "hollow_cylindrical_symmetry": True,
        "hollow_inner_diameter_mm": 200,
        "designed_as_weight_or_gamma_collimator": False,
    }
    assert "1C226" in entries_listing(eu, "tungsten-alloy", **cylinder, mass_kg=20.1)
    assert holds(snapshot, "1C226#tungsten-alloy", **cylinder, mass_kg=20) is False
    assert holds(snapshot, "1C226#tungsten-alloy", **{**cylinder, "tungsten_content_wt_pct": 90}, mass_kg=30) is False
    collimator = {**cylinder, "designed_as_weight_or_gamma_collimator": True}
    assert holds(snapshot, "1C226#tungsten-alloy", **collimator, mass_kg=30) is False  # the Note
    rhenium = {"rhenium_content_wt_pct": 90, "hollow_cylindrical_symmetry": True, "mass_kg": 21}
    assert holds(snapshot, "1C241#rhenium", **rhenium, hollow_inner_diameter_mm=299) is True
    assert holds(snapshot, "1C241#rhenium", **rhenium, hollow_inner_diameter_mm=301) is False


@pytest.mark.parametrize(
    ("ref", "inside", "outside"),
    [
        # 1C227: less than 1000 ppm metallic impurities other than magnesium, less than 10 ppm boron
        (
            "1C227#calcium",
            {"other_metal_impurities_wt_pct": 0.099, "boron_content_wt_pct": 0.0009},
            {"other_metal_impurities_wt_pct": 0.1, "boron_content_wt_pct": 0.0009},
        ),
        # 1C228: less than 200 ppm other than calcium
        (
            "1C228#magnesium",
            {"other_metal_impurities_wt_pct": 0.019, "boron_content_wt_pct": 0.0009},
            {"other_metal_impurities_wt_pct": 0.02, "boron_content_wt_pct": 0.0009},
        ),
        # 1C229: 99,99 % or greater, less than 10 ppm silver
        (
            "1C229#bismuth",
            {"purity_wt_pct": 99.99, "silver_content_wt_pct": 0.0009},
            {"purity_wt_pct": 99.99, "silver_content_wt_pct": 0.001},
        ),
        # 1C230: alloys containing more than 50 % beryllium
        (
            "1C230#alloy",
            {"beryllium_content_wt_pct": 51, "beryllium_excluded_type": False},
            {"beryllium_content_wt_pct": 50, "beryllium_excluded_type": False},
        ),
        # 1C231: more than 60 % hafnium
        ("1C231#alloy-compound", {"hafnium_content_wt_pct": 61}, {"hafnium_content_wt_pct": 60}),
        # 1C232 Note: less than 1 g of helium-3
        ("1C232#product-or-device", {"helium3_mass_g": 1}, {"helium3_mass_g": 0.99}),
        # 1C234: less than 1 part hafnium to 500 parts zirconium; Note: foil of 0,10 mm or less
        (
            "1C234#alloy",
            {"zirconium_content_wt_pct": 51, "hafnium_to_zirconium_ratio": 0.0019, "foil_0_10_mm_or_less": False},
            {"zirconium_content_wt_pct": 51, "hafnium_to_zirconium_ratio": 0.002, "foil_0_10_mm_or_less": False},
        ),
        # 1C235: ratio of tritium to hydrogen atoms exceeding 1 part in 1000; Note: 1,48 × 10^3 GBq
        ("1C235#mixture", {"tritium_to_hydrogen_ratio": 0.0011}, {"tritium_to_hydrogen_ratio": 0.001}),
        ("1C235#product-or-device", {"contained_activity_gbq": 1480}, {"contained_activity_gbq": 1479}),
        # 1C236: 37 GBq/kg (1 Ci/kg) or greater
        (
            "1C236#b",
            {"radionuclide": "polonium-210", "specific_activity_gbq_per_kg": 37},
            {"radionuclide": "polonium-210", "specific_activity_gbq_per_kg": 36.9},
        ),
        # 1C237 Note: less than 0,37 GBq of radium-226; medical applicators
        (
            "1C237#product-or-device",
            {"contained_activity_gbq": 0.37, "medical_applicator": False},
            {"contained_activity_gbq": 0.37, "medical_applicator": True},
        ),
        # 1C239: crystal density greater than 1,8 g/cm3, detonation velocity greater than 8000 m/s
        (
            "1C239#high-explosive",
            {"crystal_density_g_cm3": 1.81, "detonation_velocity_m_s": 8001},
            {"crystal_density_g_cm3": 1.81, "detonation_velocity_m_s": 8000},
        ),
        # 1C240: 99,0 % or greater, mean particle size less than 10 µm
        (
            "1C240#a",
            {"purity_wt_pct": 99.0, "powder_mean_particle_size_um": 9.9, "filamentary_powder": False},
            {"purity_wt_pct": 99.0, "powder_mean_particle_size_um": 10, "filamentary_powder": False},
        ),
    ],
)
def test_1c2xx_thresholds(snapshot: Snapshot, ref: str, inside: dict[str, Any], outside: dict[str, Any]) -> None:
    assert holds(snapshot, ref, **inside) is True
    assert holds(snapshot, ref, **outside) is False


def test_1c2xx_through_the_engine(eu: Regime) -> None:
    assert "1C225" in entries_listing(eu, "boron-compound", boron10_enriched=True)
    assert "1C225" not in entries_listing(eu, "boron-compound", boron10_enriched=False)
    assert "1C233" in entries_listing(
        eu, "lithium-device", lithium6_enriched=True, in_thermoluminescent_dosimeter=False
    )
    assert "1C233" not in entries_listing(
        eu, "lithium-device", lithium6_enriched=True, in_thermoluminescent_dosimeter=True
    )
    # Americium-241 is none of the Technical Note's radionuclides.
    assert "1C236" not in entries_listing(
        eu,
        "radionuclide-device",
        radionuclide="americium-241",
        specific_activity_gbq_per_kg=1e9,
        contained_activity_gbq=10,
    )
    assert "1C236" in entries_listing(
        eu,
        "radionuclide-device",
        radionuclide="polonium-210",
        specific_activity_gbq_per_kg=1e9,
        contained_activity_gbq=3.7,
    )


# --- 1C350, 1C450 chemicals ------------------------------------------------------------------------------------------

NOT_CONSUMER = {"consumer_goods_packaged_for_personal_use": False}


def test_1c350_note_3_mixtures_more_than_30_percent(eu: Regime, snapshot: Snapshot) -> None:
    assert "1C350" in entries_listing(eu, "triethanolamine", **NOT_CONSUMER, chemical_content_wt_pct=31)
    assert "1C350" not in entries_listing(eu, "triethanolamine", **NOT_CONSUMER, chemical_content_wt_pct=30)
    assert holds(snapshot, "1C350#24", **NOT_CONSUMER, hf_concentration_wt_pct=30.1) is True
    assert holds(snapshot, "1C350#24", **NOT_CONSUMER, hf_concentration_wt_pct=30) is False
    # Note 4: consumer goods packaged for retail sale for personal use
    retail = {"consumer_goods_packaged_for_personal_use": True}
    assert holds(snapshot, "1C350#46", **retail, chemical_content_wt_pct=100) is False


def test_1c350_notes_1_and_2_depend_on_the_destination_being_a_cwc_state_party(snapshot: Snapshot) -> None:
    # Thiodiglycol (1C350.1): 10 % to a State not Party, 30 % to a State Party.
    mixture = {**NOT_CONSUMER, "chemical_content_wt_pct": 11}
    assert listed_by(classify(snapshot, "thiodiglycol", **mixture, export_to_cwc_state_party=False)) == {
        "1C350#1-non-party"
    }
    assert holds(snapshot, "1C350#1", **mixture) is False
    assert holds(snapshot, "1C350#1-non-party", **mixture, export_to_cwc_state_party=True) is False
    assert (
        holds(
            snapshot, "1C350#1-non-party", **{**mixture, "chemical_content_wt_pct": 10}, export_to_cwc_state_party=False
        )
        is False
    )
    assert holds(snapshot, "1C350#1", **{**mixture, "chemical_content_wt_pct": 31}) is True


def test_1c350_and_1c450_cas_numbers_as_the_text_gives_them(snapshot: Snapshot) -> None:
    assert {m.entry for m in snapshot_cas(snapshot, "111-48-8")} == {"1C350"}  # thiodiglycol
    assert {m.control_numbers for m in snapshot_cas(snapshot, "90324-67-7")} == {("1C350.74",)}
    assert {m.entry for m in snapshot_cas(snapshot, "75-44-5")} == {"1C450"}  # phosgene
    assert {m.control_numbers for m in snapshot_cas(snapshot, "105-59-9")} == {("1C450.b.8",)}
    # 1C350.4 refers to the Military Goods Controls: no clause lists methyl phosphonyl difluoride.
    assert snapshot_cas(snapshot, "676-99-3") == ()


def test_1c450_a_toxic_chemicals(eu: Regime, snapshot: Snapshot) -> None:
    assert "1C450" in entries_listing(eu, "phosgene", **NOT_CONSUMER, chemical_content_wt_pct=31)
    assert holds(snapshot, "1C450#a-4", **NOT_CONSUMER, chemical_content_wt_pct=30) is False
    # a Notes 1 and 2: Amiton and PFIB, 1 % to a State not Party, 30 % to a State Party
    pfib = {**NOT_CONSUMER, "chemical_content_wt_pct": 1.1, "export_to_cwc_state_party": False}
    assert holds(snapshot, "1C450#a-2-non-party", **pfib) is True
    assert holds(snapshot, "1C450#a-2-non-party", **{**pfib, "chemical_content_wt_pct": 1}) is False
    assert holds(snapshot, "1C450#a-2", **pfib) is False


# --- 1C450.b.1 to b.6 families ---------------------------------------------------------------------------------------

FAMILY = {**NOT_CONSUMER, "precursor_excepted_by_1c450_b": False}


@pytest.mark.parametrize(
    "product",
    [
        "n-n-dialkylphosphoramidic-dihalide",
        "dialkyl-n-n-dialkylphosphoramidate",
        "n-n-dialkylaminoethyl-2-chloride",
        "n-n-dialkylaminoethane-2-ol",
        "n-n-dialkylaminoethane-2-thiol",
    ],
)
def test_1c450_b_2_to_6_families_methyl_ethyl_or_propyl(eu: Regime, product: str) -> None:
    # "methyl, ethyl or propyl (normal or iso)": three carbon atoms or fewer; b Note 2: more than 30 %
    family = {**FAMILY, "export_to_cwc_state_party": True, "alkyl_carbon_count_max": 3}
    assert "1C450" in entries_listing(eu, product, **family, chemical_content_wt_pct=31)
    assert "1C450" not in entries_listing(eu, product, **family, chemical_content_wt_pct=30)
    assert "1C450" not in entries_listing(
        eu, product, **{**family, "alkyl_carbon_count_max": 4}, chemical_content_wt_pct=100
    )


def test_1c450_b_notes_1_and_2_ten_percent_to_a_state_not_party(eu: Regime, snapshot: Snapshot) -> None:
    family = {**FAMILY, "phosphorus_bonded_to_one_c1_c3_alkyl_only": True, "export_to_cwc_state_party": False}
    assert "1C450" in entries_listing(eu, "alkylphosphorus-compound", **family, chemical_content_wt_pct=11)
    assert "1C450" not in entries_listing(eu, "alkylphosphorus-compound", **family, chemical_content_wt_pct=10)
    assert holds(snapshot, "1C450#b-1-non-party", **family, chemical_content_wt_pct=10.1) is True
    party = {**family, "export_to_cwc_state_party": True}
    assert holds(snapshot, "1C450#b-1-non-party", **party, chemical_content_wt_pct=20) is False
    assert holds(snapshot, "1C450#b-1", **party, chemical_content_wt_pct=20) is False
    assert holds(snapshot, "1C450#b-1", **party, chemical_content_wt_pct=30.1) is True


def test_1c450_b_excepted_chemicals_and_consumer_goods(eu: Regime, snapshot: Snapshot) -> None:
    ethanol = {**FAMILY, "alkyl_carbon_count_max": 2, "chemical_content_wt_pct": 100}
    assert holds(snapshot, "1C450#b-5", **ethanol) is True
    # b.5 Note: N,N-dimethylaminoethanol and its salts, protonated salts of N,N-diethylaminoethanol
    assert holds(snapshot, "1C450#b-5", **{**ethanol, "precursor_excepted_by_1c450_b": True}) is False
    assert holds(snapshot, "1C450#b-5", **{**ethanol, "consumer_goods_packaged_for_personal_use": True}) is False
    # The text gives CAS numbers only of the chemicals it excepts: none of them resolves to 1C450.b.
    for number in ("944-22-9", "108-01-0"):
        assert snapshot_cas(snapshot, number) == ()


# --- 1C111, 1C118 ----------------------------------------------------------------------------------------------------


def test_1c111_a_1_spherical_aluminium_powder(eu: Regime, snapshot: Snapshot) -> None:
    powder = {"powder_particle_shape": "spherical", "purity_wt_pct": 97, "fraction_below_63um_wt_pct": 10}
    assert "1C111" in entries_listing(eu, "aluminium-powder", **powder, powder_max_particle_size_um=199)
    assert "1C111" not in entries_listing(eu, "aluminium-powder", **powder, powder_max_particle_size_um=200)
    assert holds(snapshot, "1C111#a-1", **{**powder, "purity_wt_pct": 96.9}, powder_max_particle_size_um=100) is False
    assert (
        holds(snapshot, "1C111#a-1", **{**powder, "fraction_below_63um_wt_pct": 9.9}, powder_max_particle_size_um=100)
        is False
    )
    assert (
        holds(snapshot, "1C111#a-1", **{**powder, "powder_particle_shape": "flake"}, powder_max_particle_size_um=100)
        is False
    )


def test_1c111_a_2_metal_powders_below_60_um(eu: Regime, snapshot: Snapshot) -> None:
    assert "1C111" in entries_listing(eu, "magnesium-powder", purity_wt_pct=97, fraction_below_60um_pct=90)
    assert "1C111" not in entries_listing(eu, "magnesium-powder", purity_wt_pct=97, fraction_below_60um_pct=89.9)
    assert holds(snapshot, "1C111#a-2-a", purity_wt_pct=96.9, fraction_below_60um_pct=95) is False
    assert holds(snapshot, "1C111#a-2-b", purity_wt_pct=85, fraction_below_60um_pct=90) is True
    assert holds(snapshot, "1C111#a-2-b", purity_wt_pct=84.9, fraction_below_60um_pct=90) is False


def test_1c111_a_5_high_energy_density_fuels_and_the_fossil_fuel_note(eu: Regime, snapshot: Snapshot) -> None:
    slurry = {"usable_in_1c111_a_5_system": True}
    assert "1C111" in entries_listing(eu, "boron-slurry", **slurry, heat_of_combustion_mj_per_kg=40)
    assert "1C111" not in entries_listing(eu, "boron-slurry", **slurry, heat_of_combustion_mj_per_kg=39.9)
    fuel = {"usable_in_1c111_a_5_system": True, "made_from_fossil_or_plant_fuel": False}
    assert holds(snapshot, "1C111#a-5-b", **fuel, heat_of_combustion_gj_per_m3=37.5) is True
    assert holds(snapshot, "1C111#a-5-b", **fuel, heat_of_combustion_gj_per_m3=37.4) is False
    # a.5.b Note: a fossil refined fuel is controlled only if specially formulated for 'missiles' or the UAVs
    fossil = {**fuel, "made_from_fossil_or_plant_fuel": True, "heat_of_combustion_gj_per_m3": 38}
    assert holds(snapshot, "1C111#a-5-b", **fossil) is False
    assert "1C111" not in entries_listing(
        eu, "high-energy-density-fuel", **fossil, specially_formulated_for_1c111_a_5_system=False
    )
    assert "1C111" in entries_listing(
        eu, "high-energy-density-fuel", **fossil, specially_formulated_for_1c111_a_5_system=True
    )


def test_1c111_named_chemicals_by_cas_number(eu: Regime, snapshot: Snapshot) -> None:
    assert {m.control_numbers for m in snapshot_cas(snapshot, "10544-72-6")} == {("1C111.a.3.b",)}  # N2O4
    assert {m.control_numbers for m in snapshot_cas(snapshot, "299177-50-7")} == {("1C111.a.4.i",)}
    assert {m.control_numbers for m in snapshot_cas(snapshot, "68891-50-9")} == {("1C111.b.4",)}  # PBAN
    assert {m.control_numbers for m in snapshot_cas(snapshot, "119-75-5")} == {("1C111.c.3",)}
    # Referred to the Military Goods Controls: TMETN (c.4), catocene (c.6.a)
    assert snapshot_cas(snapshot, "3032-55-1") == ()
    assert snapshot_cas(snapshot, "37206-42-1") == ()
    assert "1C111" in entries_listing(eu, "dimethylaminoethyl-azide")


def test_1c118_titanium_stabilised_duplex_stainless_steel(eu: Regime, snapshot: Snapshot) -> None:
    steel = {
        "chromium_content_wt_pct": 23.0,
        "nickel_content_wt_pct": 4.5,
        "titanium_content_wt_pct": 0.11,
        "austenite_volume_pct": 10,
    }
    product = "titanium-stabilised-duplex-stainless-steel"
    bar = {**steel, "material_form": "bar"}
    assert "1C118" in entries_listing(eu, product, **bar, min_dimension_mm=100)
    assert "1C118" not in entries_listing(eu, product, **bar, min_dimension_mm=99)
    assert holds(snapshot, "1C118#b-1", **{**bar, "titanium_content_wt_pct": 0.1}, min_dimension_mm=100) is False
    assert holds(snapshot, "1C118#b-1", **{**bar, "chromium_content_wt_pct": 23.1}, min_dimension_mm=100) is False
    assert holds(snapshot, "1C118#b-1", **{**bar, "nickel_content_wt_pct": 4.4}, min_dimension_mm=100) is False
    assert holds(snapshot, "1C118#b-1", **{**bar, "austenite_volume_pct": 9.9}, min_dimension_mm=100) is False
    sheet = {**steel, "material_form": "sheet", "wall_or_sheet_thickness_mm": 3}
    assert holds(snapshot, "1C118#b-2", **sheet, sheet_width_mm=600) is True
    assert holds(snapshot, "1C118#b-2", **sheet, sheet_width_mm=599) is False
    tube = {**steel, "material_form": "tube", "tube_outer_diameter_mm": 600}
    assert holds(snapshot, "1C118#b-3", **tube, wall_or_sheet_thickness_mm=3) is True
    assert holds(snapshot, "1C118#b-3", **tube, wall_or_sheet_thickness_mm=3.1) is False


# --- 1C353, 1C354 ----------------------------------------------------------------------------------------------------


def test_1c353_genetic_elements_and_the_vaccine_note(eu: Regime, snapshot: Snapshot) -> None:
    toxin = {"genetic_element_origin": "listed-toxin"}
    assert "1C353" in entries_listing(eu, "genetic-element", **toxin, is_vaccine=False)
    assert "1C353" not in entries_listing(eu, "genetic-element", **toxin, is_vaccine=True)  # Note 2
    assert "1C353" not in entries_listing(eu, "genetic-element", genetic_element_origin="other", is_vaccine=False)
    bacterial = {"genetic_element_origin": "listed-bacterium-or-fungus", "is_vaccine": False}
    assert holds(snapshot, "1C353#a-2", **bacterial, gene_hazardous_or_endows_pathogenicity=True) is True
    assert holds(snapshot, "1C353#a-2", **bacterial, gene_hazardous_or_endows_pathogenicity=False) is False


def test_1c354_plant_pathogens_by_name(eu: Regime) -> None:
    assert "1C354" in entries_listing(eu, "potato-spindle-tuber-viroid")
    assert "1C354" in entries_listing(eu, "ralstonia-solanacearum-race-3-biovar-2")
    assert "1C354" in entries_listing(eu, "puccinia-graminis-var-stakmanii")


# --- 1C102, 1C107 ----------------------------------------------------------------------------------------------------


def test_1c102_carbon_carbon_for_launch_vehicles_or_sounding_rockets(eu: Regime) -> None:
    product = "resaturated-pyrolised-carbon-carbon"
    assert "1C102" in entries_listing(eu, product, designed_for_9a004_slv_or_9a104_sounding_rocket=True)
    assert "1C102" not in entries_listing(eu, product, designed_for_9a004_slv_or_9a104_sounding_rocket=False)


def test_1c107_a_fine_grain_graphite(eu: Regime, snapshot: Snapshot) -> None:
    graphite = {
        "graphite_grain_size_um": 100,
        "usable_for_rocket_nozzle_or_nose_tip": True,
        "machinable_to_listed_dimensions": True,
    }
    assert "1C107" in entries_listing(eu, "fine-grain-graphite", **graphite, bulk_density_15c_g_cm3=1.72)
    assert "1C107" not in entries_listing(eu, "fine-grain-graphite", **graphite, bulk_density_15c_g_cm3=1.71)
    coarse = {**graphite, "graphite_grain_size_um": 101}
    assert holds(snapshot, "1C107#a", **coarse, bulk_density_15c_g_cm3=1.8) is False


def test_1c107_c_and_f_ceramic_composites(eu: Regime, snapshot: Snapshot) -> None:
    radome = {"for_radome_use": True, "usable_in_missile_9a004_or_9a104": True}
    assert "1C107" in entries_listing(eu, "ceramic-composite", **radome, lowest_relative_permittivity_100mhz_100ghz=5.9)
    assert holds(snapshot, "1C107#c", **radome, lowest_relative_permittivity_100mhz_100ghz=6) is False
    uhtc = {"fibre_or_filament_reinforced": True, "usable_in_1c107_f_system": True}
    assert holds(snapshot, "1C107#f", **uhtc, ceramic_matrix_melting_point_c=3000) is True
    assert holds(snapshot, "1C107#f", **uhtc, ceramic_matrix_melting_point_c=2999) is False
    # f Note: UHTC materials in non-composite form
    assert (
        holds(
            snapshot, "1C107#f", **{**uhtc, "fibre_or_filament_reinforced": False}, ceramic_matrix_melting_point_c=3200
        )
        is False
    )


# --- 1C001 -----------------------------------------------------------------------------------------------------------


def test_1c001_a_absorbers_above_2e8_hz_below_3e12_hz(eu: Regime, snapshot: Snapshot) -> None:
    absorber = {"absorber_excluded_type": False}
    assert "1C001" in entries_listing(eu, "radar-absorbing-material", **absorber, absorber_design_frequency_ghz=0.21)
    assert "1C001" not in entries_listing(eu, "radar-absorbing-material", **absorber, absorber_design_frequency_ghz=0.2)
    assert holds(snapshot, "1C001#a", **absorber, absorber_design_frequency_ghz=3000) is False
    assert holds(snapshot, "1C001#a", absorber_excluded_type=True, absorber_design_frequency_ghz=10) is False  # Note 1


def test_1c001_b_near_infrared_and_its_laser_note(snapshot: Snapshot) -> None:
    nir = {"visible_light_transparent": False, "designed_for_laser_marking_or_welding_of_polymers": False}
    assert holds(snapshot, "1C001#b", **nir, absorber_design_wavelength_nm=811) is True
    assert holds(snapshot, "1C001#b", **nir, absorber_design_wavelength_nm=810) is False
    assert holds(snapshot, "1C001#b", **nir, absorber_design_wavelength_nm=2000) is False
    laser = {**nir, "designed_for_laser_marking_or_welding_of_polymers": True}
    assert holds(snapshot, "1C001#b", **laser, absorber_design_wavelength_nm=1064) is False


def test_1c001_c_conductive_polymers_not_liquid(eu: Regime, snapshot: Snapshot) -> None:
    # 10000 S/m = 10 kS/m ("exceeding"); less than 100 ohms/square
    film = {"physical_state": "solid", "sheet_resistivity_ohm_sq": 100}
    assert "1C001" in entries_listing(eu, "polyaniline", **film, bulk_conductivity_ks_per_m=10.1)
    assert "1C001" not in entries_listing(eu, "polyaniline", **film, bulk_conductivity_ks_per_m=10)
    assert holds(snapshot, "1C001#c-sheet", physical_state="solid", sheet_resistivity_ohm_sq=99) is True
    assert holds(snapshot, "1C001#c-sheet", physical_state="solid", sheet_resistivity_ohm_sq=100) is False
    assert holds(snapshot, "1C001#c-sheet", physical_state="liquid", sheet_resistivity_ohm_sq=1) is False  # Note


# --- 1C002 -----------------------------------------------------------------------------------------------------------

NOT_COATING = {"formulated_for_coating": False}


def test_1c002_a_aluminides(eu: Regime, snapshot: Snapshot) -> None:
    aluminide = {**NOT_COATING, "contains_other_alloying_element": True}
    assert "1C002" in entries_listing(eu, "nickel-aluminide", **aluminide, aluminium_content_wt_pct=15)
    assert "1C002" not in entries_listing(eu, "nickel-aluminide", **aluminide, aluminium_content_wt_pct=14.9)
    assert holds(snapshot, "1C002#a-1", **aluminide, aluminium_content_wt_pct=38.1) is False
    assert holds(snapshot, "1C002#a-2", **aluminide, aluminium_content_wt_pct=10) is True
    assert holds(snapshot, "1C002#a-2", **aluminide, aluminium_content_wt_pct=9.9) is False
    # 1C002 Note: specially formulated for coating purposes
    assert (
        holds(snapshot, "1C002#a-2", **{**aluminide, "formulated_for_coating": True}, aluminium_content_wt_pct=20)
        is False
    )


def test_1c002_b_alloys_made_from_1c002_c_powder(eu: Regime, snapshot: Snapshot) -> None:
    alloy = {**NOT_COATING, "made_from_controlled_alloy_powder": True}
    assert holds(snapshot, "1C002#b-1-a", **alloy, stress_rupture_life_h=10000) is True
    assert holds(snapshot, "1C002#b-1-a", **alloy, stress_rupture_life_h=9999) is False
    assert holds(snapshot, "1C002#b-3-b", **alloy, low_cycle_fatigue_life_cycles=10000) is True
    assert holds(snapshot, "1C002#b-3-b", **alloy, low_cycle_fatigue_life_cycles=9999) is False
    assert holds(snapshot, "1C002#b-4-a", **alloy, tensile_strength_200c_mpa=240) is True
    assert holds(snapshot, "1C002#b-4-a", **alloy, tensile_strength_200c_mpa=239) is False
    assert holds(snapshot, "1C002#b-4-b", **alloy, tensile_strength_25c_mpa=414) is False
    magnesium = {**alloy, "alloy_uts_mpa": 345}
    assert "1C002" in entries_listing(eu, "magnesium-alloy", **magnesium, corrosion_rate_3pct_nacl_mm_per_year=0.9)
    assert "1C002" not in entries_listing(eu, "magnesium-alloy", **magnesium, corrosion_rate_3pct_nacl_mm_per_year=1)
    assert (
        holds(snapshot, "1C002#b-5", **{**magnesium, "alloy_uts_mpa": 344}, corrosion_rate_3pct_nacl_mm_per_year=0.5)
        is False
    )


def test_1c002_c_and_d_powders_and_alloyed_materials(snapshot: Snapshot) -> None:
    nickel = {
        **NOT_COATING,
        "alloy_base_metal": "nickel",
        "alloy_element_count": 3,
        "contains_required_alloying_elements": True,
        "powder_production_method": "ultrasonic-atomisation",
        "can_produce_listed_alloy": True,
    }
    assert holds(snapshot, "1C002#c-nickel", **nickel, nonmetallic_particles_over_100um_per_1e9=2) is True
    assert holds(snapshot, "1C002#c-nickel", **nickel, nonmetallic_particles_over_100um_per_1e9=3) is False
    titanium = {**nickel, "alloy_base_metal": "titanium"}
    assert holds(snapshot, "1C002#c-other", **titanium) is True
    assert holds(snapshot, "1C002#c-other", **{**titanium, "powder_production_method": "other"}) is False
    assert holds(snapshot, "1C002#c-other", **{**titanium, "alloy_element_count": 2}) is False
    ribbon = {**titanium, "powder_production_method": "melt-spinning"}
    assert holds(snapshot, "1C002#d-other", **ribbon, material_form="ribbon") is True
    assert holds(snapshot, "1C002#d-other", **ribbon, material_form="bar") is False


def test_1c101_reduced_observables_and_the_satellite_note(eu: Regime) -> None:
    coating = {"usable_in_1c101_system": True}
    assert "1C101" in entries_listing(eu, "stealth-coating", **coating, satellite_thermal_control_coating=False)
    assert "1C101" not in entries_listing(eu, "stealth-coating", **coating, satellite_thermal_control_coating=True)
    assert "1C101" not in entries_listing(
        eu, "stealth-coating", usable_in_1c101_system=False, satellite_thermal_control_coating=False
    )
