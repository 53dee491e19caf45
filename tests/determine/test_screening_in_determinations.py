"""Determinations screen their parties (issue 3 §5): End User List hits feed the catch-all, sanctions
hits prohibit or block pending review according to the list (packs/jp/screening.yaml)."""

from __future__ import annotations

from exportctl.regime import Regime
from exportctl.screening.screener import Screener
from tests.conftest import run

MACHINE = {"item": "hs:8471.30", "value_jpy": 2_000_000}


def test_fuzzy_end_user_list_hit_feeds_the_catch_all(jp: Regime, screener: Screener) -> None:
    result = run(
        jp, screener, date="2024-06-01", destination="AE", end_user="Delta Engneering Concern", end_use="pumps",
        lines=[MACHINE],
    )  # fmt: skip
    assert result.outcome == "licence_required"
    hit = next(h for h in result.end_user_hits if h.list_id == "jp-eul")
    assert hit.concerns == ("N",) and hit.score < 1.0
    assert any(r.rule == "catch-all:wmd-end-user" and "concerns N" in r.text for r in result.lines[0].reasons)


def test_confirmed_hit_on_the_japanese_asset_freeze_list_prohibits(jp: Regime, screener: Screener) -> None:
    # MOF asset-freeze list 2026-03-05, Russia sheet: "JSC Rosoboronexport".
    result = run(
        jp, screener, date="2026-03-10", destination="RU", consignee="JSC Rosoboronexport", end_use="spares",
        lines=[{"item": "hs:0901.11"}],
    )  # fmt: skip
    assert result.outcome == "prohibited"
    assert any(r.rule == "screening:jp-mof" and r.source == "jp.mof.asset-freeze" for r in result.lines[0].reasons)


def test_us_list_hit_blocks_pending_review(jp: Regime, screener: Screener) -> None:
    # OFAC SDN ent_num 306: BANCO NACIONAL DE CUBA.
    result = run(
        jp, screener, date="2024-06-01", destination="CU", consignee="Banco Nacional de Cuba", end_use="office",
        lines=[{"item": "hs:0901.11"}],
    )  # fmt: skip
    assert result.outcome == "indeterminate"
    assert result.lines[0].outcome == "no_licence_required"  # the goods themselves are not controlled
    assert "screening_review" in result.missing
    assert any("us-sdn" in blocked for blocked in result.blocked_by)


def test_unlisted_parties_pass(jp: Regime, screener: Screener) -> None:
    result = run(
        jp, screener, date="2024-06-01", destination="DE", consignee="Acme Präzisionswerk GmbH",
        end_user="Acme Präzisionswerk GmbH", end_use="car parts", lines=[MACHINE],
    )  # fmt: skip
    assert result.outcome == "no_licence_required"
    assert result.blocked_by == ()


def test_without_the_end_user_list_loaded_the_requirement_stays_unknown(jp: Regime, shipped_lists: list) -> None:  # type: ignore[type-arg]
    without_eul = Screener([loaded for loaded in shipped_lists if loaded.list_id != "jp-eul"])
    result = run(
        jp, without_eul, date="2024-06-01", destination="CN", end_user="Acme", end_use="office", lines=[MACHINE]
    )
    assert result.outcome == "indeterminate"
    assert "end_user_list" in result.missing
