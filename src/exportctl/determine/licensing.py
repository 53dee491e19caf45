"""Which licence types may cover a line: the pack's coverage by destination group, narrowed by special measures."""

from __future__ import annotations

from dataclasses import dataclass

from exportctl.core_types import EntryMatch, LineKind, Reason
from exportctl.regime import schema as s
from exportctl.regime.sections import COVERAGE, MEASURES
from exportctl.regime.snapshot import Active, Snapshot


@dataclass(frozen=True, slots=True)
class Eligibility:
    licences: tuple[str, ...]
    conditions: dict[str, str]
    reasons: tuple[Reason, ...]


def _covers(coverage: s.Coverage, kind: LineKind, entry: s.Entry, group: str) -> bool:
    return (
        kind in coverage.kinds
        and group in coverage.destinations
        and (entry.row in coverage.rows or entry.id in coverage.entries)
        and entry.id not in coverage.exclude_entries
    )


def _targets(measure: s.Measure, match: EntryMatch) -> tuple[bool, bool]:
    """(applies, assumed): assumed when the measure names a clause and the line's clause is unknown.

    A technology match is targeted through the goods it is technology of (`3(1)#hydrogen-fluoride`)."""
    refs = [ref.partition("#")[::2] for ref in match.goods] if match.goods else [(match.entry, match.clause or "")]
    for target in measure.targets:
        for entry, clause in refs:
            if target.entry != entry:
                continue
            if target.clause is None or target.clause == clause:
                return True, False
            if not clause:
                return True, True
    return False, False


def eligible_licences(
    snapshot: Snapshot, kind: LineKind, entry: s.Entry, match: EntryMatch, destination: str, group: str
) -> Eligibility:
    reasons: list[Reason] = []
    conditions: dict[str, str] = {}
    licences: list[str] = []
    for dated_coverage in snapshot.active(COVERAGE):
        coverage = dated_coverage.record
        if _covers(coverage, kind, entry, group) and coverage.licence not in licences:
            licences.append(coverage.licence)
            if coverage.condition is not None:
                conditions[coverage.licence] = coverage.condition.en
    applicable: list[Active[s.Measure]] = []
    for active in snapshot.active(MEASURES):
        measure = active.record
        if destination not in measure.destinations or kind not in measure.kinds:
            continue
        applies, assumed = _targets(measure, match)
        if not applies:
            continue
        applicable.append(active)
        text = f"{measure.title.en} (in force from {active.period.start})"
        if assumed:
            text += (
                f"; applied because entry {match.entry} was given without saying which item it is —"
                " name the clause or give a specification if it is not the targeted item"
            )
        reasons.append(Reason(f"measure:{measure.id}", text, active.source))
    if applicable:
        # Several measures in force for one line relax one another (e.g. resists: individual, later also
        # specific bulk), so the line may use any type some applicable measure allows.
        allowed = {licence for active in applicable for licence in active.record.allowed_licences}
        licences = [licence for licence in licences if licence in allowed]
    return Eligibility(tuple(licences), conditions, tuple(reasons))
