"""Classification by specification under the EU pack: 1C351, human and animal pathogens and "toxins"
(tools/eu_pack/criteria/cat-1.yaml), checked against Annex I of Regulation (EU) 2021/821 as consolidated on
2025-11-15: each listed agent under its own sub-paragraph, the Note excluding "vaccines" and "immunotoxins", the
1C351.d Note on medical botulinum neurotoxin and conotoxin products, and the avian influenza criteria of 1C351.a.4."""

from __future__ import annotations

from typing import Any

import pytest

from exportctl.core_types import Outcome
from exportctl.regime import Regime
from exportctl.regime.snapshot import Snapshot
from tests.packs.conftest import DAY, spec_line
from tests.support.clauses import holds

NOT_A_VACCINE = {"is_vaccine": False}
PLAIN_TOXIN = {"is_vaccine": False, "is_immunotoxin": False}


def entries_listing(eu: Regime, product: str, **params: Any) -> set[str]:
    return {match.entry for match in spec_line(eu, product, params).entries}


@pytest.mark.parametrize(
    ("product", "params", "number"),
    [
        ("ebolavirus", NOT_A_VACCINE, "1C351.a.13"),
        ("variola-virus", NOT_A_VACCINE, "1C351.a.52"),
        ("rabies-virus", NOT_A_VACCINE, "1C351.a.41"),  # "Rabies virus and all other members of the Lyssavirus genus"
        ("hog-cholera-virus", NOT_A_VACCINE, "1C351.a.20"),  # the text's synonym of classical swine fever virus
        ("mers-coronavirus", NOT_A_VACCINE, "1C351.a.59"),
        ("bacillus-anthracis", NOT_A_VACCINE, "1C351.c.1"),
        ("yersinia-pestis", NOT_A_VACCINE, "1C351.c.22"),
        ("clostridium-botulinum", NOT_A_VACCINE, "1C351.c.10"),
        ("abrin", PLAIN_TOXIN, "1C351.d.12"),
        ("ricin", PLAIN_TOXIN, "1C351.d.4"),  # listed by the EU only (Japan's ordinance does not list it)
        ("saxitoxin", PLAIN_TOXIN, "1C351.d.5"),  # EU only
        ("ricin-subunit", PLAIN_TOXIN, "1C351.d.4"),  # "and 'sub-unit of toxins' thereof"
        ("t-2-toxin", PLAIN_TOXIN, "1C351.d.15"),
        ("coccidioides-immitis", NOT_A_VACCINE, "1C351.e.1"),
        ("coccidioides-posadasii", NOT_A_VACCINE, "1C351.e.2"),
    ],
)
def test_listed_agent_needs_a_licence_to_china(eu: Regime, product: str, params: dict[str, Any], number: str) -> None:
    line = spec_line(eu, product, params)
    assert [(m.entry, m.control_numbers) for m in line.entries] == [("1C351", (number,))]
    assert line.outcome is Outcome.LICENCE_REQUIRED


@pytest.mark.parametrize(
    ("product", "params"),
    [
        ("ebolavirus", {}),
        ("bacillus-anthracis", {}),
        ("coccidioides-immitis", {}),
        ("ricin", {"is_immunotoxin": False}),  # a ricin sub-unit vaccine is a vaccine too
        ("ricin-subunit", {"is_immunotoxin": False}),
    ],
)
def test_1c351_note_vaccines_are_not_listed(eu: Regime, product: str, params: dict[str, Any]) -> None:
    assert "1C351" in entries_listing(eu, product, **params, is_vaccine=False)
    assert "1C351" not in entries_listing(eu, product, **params, is_vaccine=True)


def test_1c351_note_immunotoxins_are_not_listed(eu: Regime, snapshot: Snapshot) -> None:
    assert "1C351" not in entries_listing(eu, "ricin", is_vaccine=False, is_immunotoxin=True)
    assert holds(
        snapshot, "1C351#d-1", toxin_medical_product_excluded=False, is_vaccine=False, is_immunotoxin=True
    ) is (False)
    # Undecided, never "not listed", while whether it is a vaccine is not known.
    assert holds(snapshot, "1C351#d-12", is_immunotoxin=False) is None


def test_1c351_d_note_medical_botulinum_and_conotoxin_products(eu: Regime, snapshot: Snapshot) -> None:
    medical = {**PLAIN_TOXIN, "toxin_medical_product_excluded": True}
    assert "1C351" not in entries_listing(eu, "botulinum-neurotoxin", **medical)
    assert "1C351" not in entries_listing(eu, "conotoxin", **medical)
    line = spec_line(eu, "botulinum-neurotoxin", {**medical, "toxin_medical_product_excluded": False})
    assert [(m.entry, m.control_numbers) for m in line.entries] == [("1C351", ("1C351.d.1",))]
    # The Note names the toxins, not their sub-units; nor any other toxin of 1C351.d.
    assert holds(snapshot, "1C351#d-1-sub-unit", **PLAIN_TOXIN) is True
    assert "1C351" in entries_listing(eu, "tetrodotoxin", **medical)


def test_strains_types_and_subtypes_the_text_names(snapshot: Snapshot) -> None:
    # c.8, c.9, c.11: "botulinum neurotoxin producing strains"; c.12: "epsilon toxin producing types"
    assert holds(snapshot, "1C351#c-9", **NOT_A_VACCINE, produces_botulinum_neurotoxin=True) is True
    assert holds(snapshot, "1C351#c-9", **NOT_A_VACCINE, produces_botulinum_neurotoxin=False) is False
    assert holds(snapshot, "1C351#c-12", **NOT_A_VACCINE, produces_epsilon_toxin=False) is False
    # a.51: "Tick-borne encephalitis virus (Far Eastern subtype)"
    assert holds(snapshot, "1C351#a-51", **NOT_A_VACCINE, tbe_virus_subtype="far-eastern") is True
    assert holds(snapshot, "1C351#a-51", **NOT_A_VACCINE, tbe_virus_subtype="european") is False
    # d.2: "alpha, beta 1, beta 2, epsilon and iota toxins"
    assert holds(snapshot, "1C351#d-2", **PLAIN_TOXIN, perfringens_toxin_type="iota") is True
    assert holds(snapshot, "1C351#d-2", **PLAIN_TOXIN, perfringens_toxin_type="other") is False


def test_1c351_c_19_every_shiga_toxin_producing_serogroup(eu: Regime) -> None:
    # "of serogroups O26, ..., O157, and other shiga toxin producing serogroups"; the Note: STEC includes EHEC and VTEC.
    for product in ("shiga-toxin-producing-escherichia-coli", "enterohaemorrhagic-escherichia-coli"):
        line = spec_line(eu, product, {**NOT_A_VACCINE, "e_coli_serogroup": "o91"})
        assert [(m.entry, m.control_numbers) for m in line.entries] == [("1C351", ("1C351.c.19",))]


def test_1c351_a_4_avian_influenza(eu: Regime, snapshot: Snapshot) -> None:
    # a.4.b.1: "Type A viruses with an IVPI ... in 6 week old chickens of greater than 1,2"
    type_a = {**NOT_A_VACCINE, "influenza_virus_type": "a"}
    assert holds(snapshot, "1C351#a-4-b-1", **type_a, influenza_ivpi_6_week_chickens=1.21) is True
    assert holds(snapshot, "1C351#a-4-b-1", **type_a, influenza_ivpi_6_week_chickens=1.2) is False
    assert holds(
        snapshot, "1C351#a-4-b-1", **{**type_a, "influenza_virus_type": "b"}, influenza_ivpi_6_week_chickens=2
    ) is (False)
    # a.4.b.2: "Type A viruses of the subtypes H5 or H7 with genome sequences codified for multiple basic amino acids"
    cleavage = {**type_a, "ha_cleavage_site_multiple_basic_amino_acids": True}
    assert holds(snapshot, "1C351#a-4-b-2", **cleavage, influenza_h_antigen="h7") is True
    assert holds(snapshot, "1C351#a-4-b-2", **cleavage, influenza_h_antigen="h9") is False
    assert (
        holds(
            snapshot,
            "1C351#a-4-b-2",
            **{**cleavage, "ha_cleavage_site_multiple_basic_amino_acids": False},
            influenza_h_antigen="h5",
        )
        is False
    )
    # a.4.a: "Uncharacterised"
    line = spec_line(eu, "avian-influenza-virus", {**NOT_A_VACCINE, "avian_influenza_uncharacterised": True})
    assert [(m.entry, m.control_numbers) for m in line.entries] == [("1C351", ("1C351.a.4.a",))]
    # Japan's key for a highly pathogenic virus: a.4.b, and the avian influenza clauses apply to it as a kind.
    line = spec_line(eu, "highly-pathogenic-avian-influenza-virus", NOT_A_VACCINE)
    assert [(m.entry, m.control_numbers) for m in line.entries] == [("1C351", ("1C351.a.4.b",))]


def test_every_live_sub_paragraph_has_a_clause(snapshot: Snapshot) -> None:
    record = snapshot.entries["1C351"].record
    assert record.complete
    numbers = {number for clause in record.clauses for number in clause.control_numbers}
    parts = set(record.parts)
    leaves = {part for part in parts if not any(other.startswith(part + ".") for other in parts)}
    assert numbers <= parts  # no number the 2025-11-15 text does not have (a.10, b, d.9, d.13 are "Not used")
    assert leaves <= numbers
    assert {"1C351.a.10", "1C351.b", "1C351.d.9", "1C351.d.13"}.isdisjoint(numbers)


def test_japan_s_product_keys_classify_under_the_same_sub_paragraph(jp: Regime, snapshot: Snapshot) -> None:
    """A specification by one of Japan's product keys for 1C351 lands on the same EU sub-paragraph."""
    japan = jp.at(DAY).entries["3-2(1)"].record
    own: dict[str, set[str]] = {}
    for clause in snapshot.entries["1C351"].record.clauses:
        for product in clause.products:
            own.setdefault(product, set()).update(clause.control_numbers)
    # Japan's generic Staphylococcus aureus toxin would include toxins 1C351.d.7 does not name; its 1C351.a.4 is
    # the highly pathogenic viruses, 1C351.a.4.b of the EU text.
    not_used = {"staphylococcus-aureus-toxin", "staphylococcus-aureus-toxin-subunit"}
    for clause in japan.clauses:
        numbers = {"1C351.a.4.b" if n == "1C351.a.4" else n for n in clause.control_numbers if n.startswith("1C351")}
        for product in set(clause.products) - not_used:
            if numbers and numbers != {"1C351.d"}:
                assert own.get(product) == numbers, product
            elif numbers:  # Japan's clause of all sub-units: each under its toxin's sub-paragraph here
                assert own.get(product, set()) and all(n.startswith("1C351.d.") for n in own[product]), product
