"""Properties of the engine over generated transactions (hypothesis)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.core_types import SEVERITY, Outcome, Transaction
from exportctl.determine.engine import determine
from exportctl.regime import Regime
from exportctl.screening.end_user_list import EndUserList
from tests.conftest import day as parse_day
from tests.conftest import run

DESTINATIONS = ["KR", "US", "DE", "CN", "TW", "AE", "IR", "SO", "KP", "EE", "VN"]
HS = ["8456.11", "8471.30", "8542.31", "5407.10", "0901.11", "9027.50"]
ITEMS = ["3(1)", "5(17)", "7(19)", "1C009.b", "3C002", "2(3)", "15(1)", "8(3)", "1(1)", *[f"hs:{h}" for h in HS]]
END_USERS = [None, "Acme Trading", "Delta Engineering Concern FZE", "Air Koryo", "IC Kala"]

dates = st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2026, 11, 1))
flags = st.sampled_from([None, True, False])


@st.composite
def transactions(draw: st.DrawFn) -> dict[str, Any]:
    lines = [
        {
            "item": draw(st.sampled_from(ITEMS)),
            "value_jpy": draw(st.one_of(st.none(), st.sampled_from([10_000, 60_000, 900_000, 5_000_000]))),
        }
        for _ in range(draw(st.integers(1, 3)))
    ]
    data: dict[str, Any] = {
        "date": draw(dates).isoformat(),
        "destination": draw(st.sampled_from(DESTINATIONS)),
        "end_user": draw(st.sampled_from(END_USERS)),
        "wmd_end_use": draw(flags),
        "conventional_end_use": draw(flags),
        "informed": draw(st.booleans()),
        "clearly_not": draw(st.booleans()),
        "lines": lines,
    }
    return data


@settings(max_examples=300, deadline=None)
@given(transactions())
def test_structure_of_every_determination(jp: Regime, eul: EndUserList, data: dict[str, Any]) -> None:
    result = run(jp, eul, **data)
    # A hit pending review (the required asset-freeze lists are screened fuzzily) blocks the whole transaction.
    pending = [Outcome.INDETERMINATE] if result.blocked_by else []
    assert result.outcome == max([*(line.outcome for line in result.lines), *pending], key=SEVERITY.__getitem__)
    assert result.pack_version == jp.version
    for line in result.lines:
        if line.missing:
            assert line.outcome is Outcome.INDETERMINATE
        if line.outcome is Outcome.INDETERMINATE:
            assert line.missing, "an indeterminate line must say what is missing"
        if line.outcome is Outcome.LICENCE_REQUIRED:
            assert "individual" in line.eligible_licences
        else:
            assert line.eligible_licences == ()
        assert all(r.source is None or r.source in jp.pack.sources for r in line.reasons)


@settings(max_examples=150, deadline=None)
@given(transactions())
def test_determination_is_a_pure_function(jp: Regime, eul: EndUserList, data: dict[str, Any]) -> None:
    transaction = Transaction.model_validate(data)
    first = determine(jp.at(transaction.date), transaction, eul)
    again = determine(jp.at(parse_day(data["date"])), Transaction.model_validate(data), eul)
    assert first == again


@settings(max_examples=300, deadline=None)
@given(transactions(), st.sampled_from(["wmd_end_use", "conventional_end_use"]))
def test_unknown_is_not_no(jp: Regime, eul: EndUserList, data: dict[str, Any], flag: str) -> None:
    """If an answer is given while a fact is unknown, knowing the fact cannot change it."""
    unknown = run(jp, eul, **{**data, flag: None})
    if unknown.outcome is Outcome.INDETERMINATE:
        return
    for value in (True, False):
        known = run(jp, eul, **{**data, flag: value})
        assert known.outcome == unknown.outcome
        assert known.eligible_licences == unknown.eligible_licences


@settings(max_examples=200, deadline=None)
@given(transactions())
def test_missing_values_never_clear_a_line(jp: Regime, eul: EndUserList, data: dict[str, Any]) -> None:
    """With contract values unknown, no line may come out as cleared by the small-value exception."""
    blank = {**data, "lines": [{**line, "value_jpy": None} for line in data["lines"]]}
    result = run(jp, eul, **blank)
    for line in result.lines:
        assert not any(check.applied for check in line.exceptions)
