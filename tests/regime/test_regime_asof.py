"""As-of resolution: snapshots are constant between change points and every fact has one value."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exportctl.intervals import Interval
from exportctl.regime import OutsideCoverage, Regime
from exportctl.regime.diff import diff
from tests.conftest import day

coverage_dates = st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2030, 12, 31))


@settings(max_examples=200, deadline=None)
@given(coverage_dates, coverage_dates)
def test_dates_in_the_same_interval_give_equal_snapshots(jp: Regime, first: dt.date, second: dt.date) -> None:
    a, b = jp.at(first), jp.at(second)
    same_segment = a.valid.contains(second)
    if same_segment:
        assert a is b  # cached: one snapshot object per interval
        assert a == b
    else:
        # A different segment starts at a change point, so some fact (or its citation) differs.
        assert diff(a, b) != []


@settings(max_examples=100, deadline=None)
@given(coverage_dates)
def test_every_dated_fact_resolves_to_exactly_one_period(jp: Regime, when: dt.date) -> None:
    """No fact of the pack has two periods in force on the same day (the loader rejects overlaps)."""
    pack = jp.pack
    groups_of_periods = [periods for table in pack.destinations.tables.values() for periods in table.members.values()]
    groups_of_periods += [entry.periods for entry in pack.entries.values()]
    groups_of_periods += [record.periods for section in pack.sections for _, record in pack.records(section)]
    for periods in groups_of_periods:
        in_force = [p for p in periods if Interval(p.start, p.end).contains(when)]
        assert len(in_force) <= 1


@settings(max_examples=100, deadline=None)
@given(coverage_dates)
def test_every_country_is_in_exactly_one_group(jp: Regime, when: dt.date) -> None:
    snapshot = jp.at(when)
    for code in ["KR", "US", "CN", "IR", "KP", "EE", "BR", "SS", "TW"]:
        assert snapshot.group(code) in {"A", "B", "C", "D"}
        in_a = code in snapshot.tables["table-3"]
        in_d = code in snapshot.tables["table-3-2"] or code in snapshot.tables["table-4"]
        assert not (in_a and in_d)


def test_dates_before_the_pack_horizon_are_refused(jp: Regime) -> None:
    with pytest.raises(OutsideCoverage, match="2019-01-01"):
        jp.at(day("2018-12-31"))


def test_pack_version_is_a_content_hash(jp: Regime, pack_files: dict[str, str]) -> None:
    from exportctl.regime.loader import pack_version

    assert jp.version == pack_version("jp", pack_files)
    changed = dict(pack_files)
    changed["pack.yaml"] += "\n# edited\n"
    assert pack_version("jp", changed) != jp.version
