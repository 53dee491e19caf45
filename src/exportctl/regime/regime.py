"""A loaded pack plus as-of resolution: `Regime.at(date)` gives the snapshot in force that day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from exportctl.intervals import Interval, change_points, segment_of
from exportctl.regime import schema as s
from exportctl.regime.loader import Pack
from exportctl.regime.snapshot import Snapshot, resolve


class OutsideCoverage(ValueError):
    """The date is before the earliest date the pack answers for."""


def _all_periods(pack: Pack) -> Iterator[s.Period]:
    for table in pack.destinations.tables.values():
        for periods in table.members.values():
            yield from periods
    for entry in pack.entries.values():
        yield from entry.periods
        for clause in entry.clauses:
            yield from clause.periods
    for section in pack.sections:
        for _, record in pack.records(section):
            yield from record.periods


class Regime:
    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self.change_points = change_points(Interval(p.start, p.end) for p in _all_periods(pack))
        self._cache: dict[Interval, Snapshot] = {}

    @property
    def id(self) -> str:
        return self.pack.meta.id

    @property
    def version(self) -> str:
        return self.pack.version

    def at(self, day: dt.date) -> Snapshot:
        if day < self.pack.meta.coverage_from:
            raise OutsideCoverage(
                f"date {day} is before {self.pack.meta.coverage_from}, the earliest date pack '{self.id}' covers"
            )
        segment = segment_of(self.change_points, day)
        snapshot = self._cache.get(segment)
        if snapshot is None:
            snapshot = resolve(self.pack, day, segment)
            self._cache[segment] = snapshot
        return snapshot

    def changes_between(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """Change points in (start, end]: the dates on which something takes or leaves effect."""
        return [point for point in self.change_points if start < point <= end]
