"""Half-open intervals and segment lookup."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exportctl.intervals import Interval, change_points, segment_of

dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31))


def test_start_is_inclusive_and_end_exclusive() -> None:
    interval = Interval(dt.date(2019, 8, 28), dt.date(2023, 7, 21))
    assert not interval.contains(dt.date(2019, 8, 27))
    assert interval.contains(dt.date(2019, 8, 28))
    assert interval.contains(dt.date(2023, 7, 20))
    assert not interval.contains(dt.date(2023, 7, 21))


def test_open_ends() -> None:
    assert Interval(None, dt.date(2019, 8, 28)).contains(dt.date(1990, 1, 1))
    assert Interval(dt.date(2023, 7, 21), None).contains(dt.date(2099, 1, 1))


def test_empty_interval_is_rejected() -> None:
    with pytest.raises(ValueError, match="not before"):
        Interval(dt.date(2020, 1, 1), dt.date(2020, 1, 1))


@given(st.lists(dates, min_size=1, max_size=12), dates)
def test_segment_contains_the_day_and_no_change_point_inside(points_list: list[dt.date], day: dt.date) -> None:
    points = sorted(set(points_list))
    segment = segment_of(points, day)
    assert segment.contains(day)
    inside = [p for p in points if segment.contains(p) and p != segment.start]
    assert inside == []


@given(dates, dates, dates, dates)
def test_overlap_is_symmetric_and_matches_a_shared_day(a: dt.date, b: dt.date, c: dt.date, d: dt.date) -> None:
    first = Interval(min(a, b), max(a, b) + dt.timedelta(days=1))
    second = Interval(min(c, d), max(c, d) + dt.timedelta(days=1))
    assert first.overlaps(second) == second.overlaps(first)
    shared = any(first.contains(x) and second.contains(x) for x in (first.start, second.start) if x is not None)
    assert first.overlaps(second) == shared


def test_change_points_are_sorted_and_unique() -> None:
    points = change_points([Interval(dt.date(2020, 1, 1), dt.date(2021, 1, 1)), Interval(dt.date(2020, 1, 1))])
    assert points == [dt.date(2020, 1, 1), dt.date(2021, 1, 1)]
