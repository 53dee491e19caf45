"""Effective dates: the one place that knows about half-open intervals.

Every regulatory fact holds from `start` (inclusive) to `end` (exclusive); either end may be open. Keeping
this in one module means "is this in force on D?" has exactly one answer everywhere in the code base.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Interval:
    """[start, end): `None` for start means "since before the pack's horizon", for end "still in force"."""

    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.start >= self.end:
            raise ValueError(f"interval start {self.start} is not before its end {self.end}")

    def contains(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)

    def overlaps(self, other: Interval) -> bool:
        starts_before_other_ends = self.start is None or other.end is None or self.start < other.end
        other_starts_before_self_ends = other.start is None or self.end is None or other.start < self.end
        return starts_before_other_ends and other_starts_before_self_ends

    def __str__(self) -> str:
        start = self.start.isoformat() if self.start else "…"
        end = self.end.isoformat() if self.end else "…"
        return f"[{start}, {end})"


def change_points(intervals: Iterable[Interval]) -> list[date]:
    """The sorted dates on which some interval starts or ends: between two of them nothing changes."""
    points: set[date] = set()
    for interval in intervals:
        if interval.start is not None:
            points.add(interval.start)
        if interval.end is not None:
            points.add(interval.end)
    return sorted(points)


def segment_of(points: Sequence[date], day: date) -> Interval:
    """The interval between consecutive change points that contains `day`."""
    index = bisect.bisect_right(points, day)
    start = points[index - 1] if index > 0 else None
    end = points[index] if index < len(points) else None
    return Interval(start, end)
