"""Classification: entry ids, international numbers, HS codes and specifications."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from exportctl.core_types import Specification
from exportctl.determine.classify import UnknownItem, classify_hs, classify_item, classify_spec
from exportctl.regime import Regime
from tests.conftest import day

DATA = Path(__file__).parents[1] / "data"
TODAY = day("2026-02-14")


def _spec(product: str, **params: Any) -> Specification:
    return Specification(product=product, params=params)


def test_hydrogen_fluoride_threshold(jp: Regime) -> None:
    """Ordinance art. 2(1)(i): hydrogen fluoride, including mixtures containing more than 30 wt%."""
    snapshot = jp.at(TODAY)
    assert classify_spec(snapshot, _spec("hydrogen-fluoride", hf_concentration_wt_pct=55)).status == "listed"
    low = classify_spec(snapshot, _spec("hydrogen-fluoride", hf_concentration_wt_pct=25))
    assert low.status != "listed"
    assert classify_spec(snapshot, _spec("hydrogen-fluoride", hf_concentration_wt_pct=30)).status != "listed"
    match = classify_spec(snapshot, _spec("hydrogen-fluoride", hf_concentration_wt_pct=55)).matches[0]
    assert (match.entry, match.clause) == ("3(1)", "hydrogen-fluoride")
    assert match.comparisons[0].holds is True


def test_fluorinated_polyimide_threshold(jp: Regime) -> None:
    """Wassenaar 1C009.b: fluorinated polyimides with 10 wt% or more combined fluorine."""
    snapshot = jp.at(TODAY)
    at_ten = classify_spec(snapshot, _spec("fluorinated-polyimide", combined_fluorine_wt_pct=10))
    assert at_ten.status == "listed" and at_ten.matches[0].control_numbers == ("1C009.b",)
    assert classify_spec(snapshot, _spec("fluorinated-polyimide", combined_fluorine_wt_pct=9.9)).status != "listed"


def test_missing_parameter_is_undetermined_not_unlisted(jp: Regime) -> None:
    result = classify_spec(jp.at(TODAY), _spec("hydrogen-fluoride"))
    assert result.status == "undetermined"
    assert result.missing == ("params.hf_concentration_wt_pct",)


def test_unknown_product_is_undetermined(jp: Regime) -> None:
    result = classify_spec(jp.at(TODAY), _spec("mystery-powder", purity=99))
    assert result.status == "undetermined"
    assert "mystery-powder" in result.note


def test_krf_resist_is_not_a_listed_resist(jp: Regime) -> None:
    """3C002.a: positive resists for 15 nm ≤ λ < 193 nm; a 248 nm (KrF) resist is outside."""
    snapshot = jp.at(TODAY)
    krf = classify_spec(snapshot, _spec("photoresist", wavelength_nm=248, resist_tone="positive"))
    assert krf.status == "catch-all"
    euv = classify_spec(snapshot, _spec("photoresist", wavelength_nm=13.5, resist_tone="negative"))
    assert [m.clause for m in euv.matches] == ["euv-resist"]


@pytest.mark.parametrize("number", ["1C009.b", "1c009.B", "3C002", "3C002.a.1", "1C350"])
def test_international_numbers_resolve_to_entries(jp: Regime, number: str) -> None:
    result = classify_item(jp.at(TODAY), number)
    assert result.status == "listed"
    expected = {"1C009.B": "5(17)", "3C002": "7(19)", "3C002.A.1": "7(19)", "1C350": "3(1)"}[number.upper()]
    assert expected in {m.entry for m in result.matches}


def test_1c009b_names_the_polyimide_clause(jp: Regime) -> None:
    result = classify_item(jp.at(TODAY), "1C009.b")
    assert [(m.entry, m.clause) for m in result.matches] == [("5(17)", "fluorinated-polyimide")]


def test_entry_with_clause(jp: Regime) -> None:
    result = classify_item(jp.at(TODAY), "3(1)#hydrogen-fluoride")
    assert result.matches[0].clause == "hydrogen-fluoride"
    with pytest.raises(UnknownItem, match="no clause"):
        classify_item(jp.at(TODAY), "3(1)#water")


def test_unknown_item_is_an_input_error(jp: Regime) -> None:
    with pytest.raises(UnknownItem, match="neither an entry id"):
        classify_item(jp.at(TODAY), "banana")


def test_hs_codes(jp: Regime) -> None:
    snapshot = jp.at(TODAY)
    assert classify_hs(snapshot, "8456.11").matches[0].entry == "16(1)"
    assert classify_hs(snapshot, "8542.31").matches[0].entry == "16(1)"
    assert classify_hs(snapshot, "8542.90").matches[0].entry == "16(2)"  # excluded subheading: chapter 85 only
    assert classify_hs(snapshot, "0901.11").status == "not-controlled"  # coffee: chapter 9 is outside row 16
    assert classify_hs(snapshot, "9403.30").status == "not-controlled"  # furniture: chapter 94 is outside
    with pytest.raises(UnknownItem):
        classify_hs(snapshot, "84x6")


def _cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for path in sorted(DATA.glob("classification-*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            cases.append({**case, "file": path.name})
    return cases


CASES = _cases()


def test_labelled_cases_exist() -> None:
    assert len(CASES) >= 50


@pytest.mark.parametrize("case", CASES, ids=[f"{c['file']}:{c['product']}:{i}" for i, c in enumerate(CASES)])
def test_labelled_classification_cases(jp: Regime, case: dict[str, Any]) -> None:
    """Cases written from the ordinance text (tests/data/classification-*.yaml)."""
    result = classify_spec(jp.at(TODAY), Specification(product=case["product"], params=case["params"]))
    found = {f"{m.entry}#{m.clause}" for m in result.matches} if result.status == "listed" else set()
    if case["expect"] is None:
        assert result.status != "listed", case["why"]
    else:
        assert case["expect"] in found, case["why"]
