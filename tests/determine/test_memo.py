"""A snapshot remembers what it answered for an item (`Snapshot.memoised`): a remembered answer must equal the one a
fresh snapshot of the same day gives, whatever came before — including parameters equal in Python but not the
same statement (`1`, `1.0`, `True`) and items that are input errors."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.core_types import Transaction
from exportctl.determination_json import encode
from exportctl.determine.engine import InvalidTransaction, determine
from exportctl.regime import Regime
from exportctl.regime.snapshot import MEMO_SIZE, Snapshot, resolve
from exportctl.services import regimes

DAY = dt.date(2025, 12, 1)
VALUES = [1, 1.0, True, 0, 0.0, False, "1", 2.5, 10, 1000, 1e9, -1]
ITEMS = {
    "jp": ["3(1)", "7(19)", "1C009.b", "3C002", "3A001.a.1", "hs:8542.31", "hs:0901.11", "99(9)", "2(12)"],
    "eu": ["3A001.a.3", "3A001", "1C350", "cas:7664-39-3", "hs:8542.31", "3A001.a.4", "4A506", "5A002.a"],
    "us": ["3A001.a.1", "3A090", "4A090.a", "EAR99", "5A002", "0A501", "9X515", "3B001.c"],
}
DESTINATIONS = {"jp": ["CN", "KR", "US"], "eu": ["CN", "KR", "US", "FR"], "us": ["CN", "JP", "RU", "DE"]}


def _products(regime: Regime) -> list[tuple[str, list[str]]]:
    snapshot = regime.at(DAY)
    return [
        (product, sorted({c.param for _, clause in clauses for c in clause.criteria}))
        for product, clauses in sorted(snapshot.clauses_by_product.items())[:40]
    ]


@st.composite
def lines(draw: st.DrawFn, regime: Regime, products: list[tuple[str, list[str]]]) -> dict[str, Any]:
    if draw(st.booleans()):
        return {"item": draw(st.sampled_from(ITEMS[regime.pack.meta.id]))}
    product, params = draw(st.sampled_from(products))
    chosen = draw(st.lists(st.sampled_from(params or ["none"]), max_size=4, unique=True))
    return {"spec": {"product": product, "params": {name: draw(st.sampled_from(VALUES)) for name in chosen}}}


def _answer(snapshot: Snapshot, transaction: Transaction) -> str:
    """The determination as JSON (where `1` and `true` differ, unlike in Python's `==`), or the input error."""
    try:
        return json.dumps(encode(determine(snapshot, transaction)), sort_keys=True, default=str)
    except InvalidTransaction as error:
        return f"{error.field}: {error}"


@pytest.mark.parametrize("regime_id", ["jp", "eu", "us"])
def test_remembered_answers_equal_a_fresh_snapshots(regime_id: str) -> None:
    regime = regimes.regime(regime_id)
    shared = regime.at(DAY)  # remembers across every example below
    products = _products(regime)

    @settings(max_examples=60, deadline=None)
    @given(st.lists(lines(regime, products), min_size=1, max_size=3), st.sampled_from(DESTINATIONS[regime_id]))
    def check(drawn: list[dict[str, Any]], destination: str) -> None:
        origin = {"jp": None, "eu": "DE", "us": None}[regime_id]
        transaction = Transaction.model_validate(
            {"regime": regime_id, "date": DAY.isoformat(), "origin": origin, "destination": destination, "lines": drawn}
        )
        fresh = resolve(regime.pack, DAY, shared.valid)
        assert _answer(shared, transaction) == _answer(fresh, transaction)
        assert _answer(shared, transaction) == _answer(fresh, transaction)  # and again, both now remembering

    check()


def test_equal_but_different_parameters_are_not_confused(jp: Regime) -> None:
    # Python hashes 1, 1.0 and True alike; a determination states the value it was given, of its type (as JSON does).
    # Row 4 lists radiation-hardened integrated circuits — the value states its total dose.
    shared = jp.at(DAY)
    for value in (5000, True, 5000.0, 5000, True):
        params = {"total_dose_si_gy": value, "usable_in_500kg_300km_system": True}
        line = {"spec": {"product": "integrated-circuit", "params": params}}
        transaction = Transaction.model_validate({"date": DAY.isoformat(), "destination": "CN", "lines": [line]})
        remembered = _answer(shared, transaction)
        assert remembered == _answer(resolve(jp.pack, DAY, shared.valid), transaction)


def test_the_memory_is_bounded(jp: Regime) -> None:
    snapshot = resolve(jp.pack, DAY, jp.at(DAY).valid)
    for key in range(MEMO_SIZE + 10):
        assert snapshot.memoised(("probe", key), lambda key=key: key * 2) == key * 2
    assert len(snapshot._memo) <= MEMO_SIZE
    assert snapshot.memoised(("probe", MEMO_SIZE + 9), lambda: -1) == 2 * (MEMO_SIZE + 9)  # the newest is kept
