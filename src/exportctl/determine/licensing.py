"""Which licence types may cover a line: the pack's coverage by destination group, narrowed by special measures."""

from __future__ import annotations

from dataclasses import dataclass

from exportctl.core_types import EntryMatch, LineKind, Reason, Transaction
from exportctl.determine import wording
from exportctl.regime import schema as s
from exportctl.regime.sections import COVERAGE, MEASURES
from exportctl.regime.snapshot import Active, Snapshot


@dataclass(frozen=True, slots=True)
class Eligibility:
    licences: tuple[str, ...]
    conditions: dict[str, str]
    reasons: tuple[Reason, ...]


FACT_TEXTS = {
    "informed": "the exporter has been informed by the authority of a concern about the end use",
    "wmd_end_use": "the exporter knows of a WMD end use",
    "conventional_end_use": "the exporter knows of a military end use",
}


def named_numbers(match: EntryMatch) -> tuple[str, ...]:
    """The sub-paragraphs a line is known to be: the number it named, or the clause its specification met (an
    entry named whole, or a CAS number, says no more than the entry)."""
    return match.control_numbers if match.via in ("control-number", "specification") else ()


def under(number: str, part: str) -> bool:
    """Whether control number `number` is `part` or one of its sub-paragraphs (both in one case)."""
    return number == part or number.startswith(part + ".")


@dataclass(frozen=True, slots=True)
class _Scope:
    """A coverage that may reach an entry, whatever the transaction: `parts` None when it covers the whole entry,
    else the entry's paragraphs it covers; `excluded` the entry's paragraphs it leaves out (as the pack writes
    them: they are shown in conditions)."""

    coverage: s.Coverage
    parts: tuple[str, ...] | None
    excluded: tuple[str, ...]


def _scopes(snapshot: Snapshot, kind: LineKind, entry: s.Entry) -> tuple[_Scope, ...]:
    """The coverages in force that may reach `entry` (in their order): the part of `_covers` that depends on the
    entry alone, worked out once per snapshot — the EAR has a coverage per ECCN and exception."""

    def scopes() -> tuple[_Scope, ...]:
        found: list[_Scope] = []
        entry_id = entry.id.upper()
        for active in snapshot.active(COVERAGE):
            coverage = active.record
            if kind not in coverage.kinds or entry.id in coverage.exclude_entries:
                continue
            parts: tuple[str, ...] | None = None
            if not (entry.row in coverage.rows or entry.id in coverage.entries):
                parts = tuple(part for part in coverage.parts if under(part.upper(), entry_id))
                if not parts:
                    continue
            excluded = tuple(part for part in coverage.exclude_parts if under(part.upper(), entry_id))
            found.append(_Scope(coverage, parts, excluded))
        return tuple(found)

    return snapshot.memoised(("coverage-scopes", kind, entry.id), scopes)


def _covers(snapshot: Snapshot, scope: _Scope, line: _Line) -> str | bool:
    """False: not covered. True: covered. A text: covered on that condition (a part the line does not name)."""
    coverage = scope.coverage
    if coverage.reasons and not (line.reasons and set(line.reasons) <= set(coverage.reasons)):
        return False  # each reason requiring a licence must be overcome by the exception (EAR § 738.4(a)(2))
    destinations = coverage.destinations
    if isinstance(destinations, list):  # groups: the common case, on the hot path
        if line.group not in destinations:
            return False
    elif not snapshot.reaches(destinations, line.destination, line.group):
        return False
    numbers = [n.upper() for n in named_numbers(line.match)]
    conditions: list[str] = []
    if scope.parts is not None:
        if numbers:
            if not any(under(n, part.upper()) for n in numbers for part in scope.parts):
                return False
        else:
            conditions.append(f"only for items of {', '.join(scope.parts)}")
    if scope.excluded:
        if numbers:
            if any(under(n, part.upper()) for n in numbers for part in scope.excluded):
                return False
        else:
            conditions.append(f"not for items of {', '.join(scope.excluded)}")
    if coverage.max_value_usd is not None:
        if line.value_usd is None:
            conditions.append(f"only if the line's value is at most USD {coverage.max_value_usd:,}")
        elif line.value_usd > coverage.max_value_usd:
            return False
    return "; ".join(conditions) or True


@dataclass(frozen=True, slots=True)
class _Line:
    kind: LineKind
    entry: s.Entry
    match: EntryMatch
    destination: str
    group: str
    reasons: tuple[str, ...]  # the reasons for control requiring the licence (entries with controls)
    value_usd: int | None


def _usability(coverage: s.Coverage, transaction: Transaction) -> tuple[bool, list[str]]:
    """(usable, conditions): a fact of `unusable_when` that holds makes the licence unusable; one unknown makes
    its absence a condition of use."""
    conditions: list[str] = []
    for fact in coverage.unusable_when:
        value = getattr(transaction, fact)
        if value:
            return False, []
        if value is None:
            conditions.append(f"not usable if {FACT_TEXTS[fact]}")
    return True, conditions


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
    snapshot: Snapshot,
    transaction: Transaction,
    kind: LineKind,
    entry: s.Entry,
    match: EntryMatch,
    group: str,
    for_reasons: tuple[str, ...] = (),
    value_usd: int | None = None,
) -> Eligibility:
    """The licence types that may cover the line; `for_reasons`: the reasons for control requiring the licence."""
    destination = transaction.destination
    line = _Line(kind, entry, match, destination, group, for_reasons, value_usd)
    reasons: list[Reason] = []
    conditions: dict[str, str] = {}
    licences: list[str] = []
    for scope in _scopes(snapshot, kind, entry):
        coverage = scope.coverage
        if coverage.licence in licences:
            continue
        covered = _covers(snapshot, scope, line)
        usable, unknown = _usability(coverage, transaction)
        if covered is False or not usable:
            continue
        licences.append(coverage.licence)
        texts = [coverage.condition.en] if coverage.condition is not None else []
        texts += ([covered] if isinstance(covered, str) else []) + unknown
        if texts:
            conditions[coverage.licence] = "; ".join(texts)
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
        title = wording.ja(measure.title)
        text_ja = f"{title}（{active.period.start}から施行）" if title else None
        if assumed and text_ja is not None:
            text_ja += (
                f"。項目{match.entry}がどの品目かを示さずに指定されたため適用しました — 対象の品目でない場合は条項を"
                "示すか仕様を入力してください"
            )
        if assumed:
            text += (
                f"; applied because entry {match.entry} was given without saying which item it is —"
                " name the clause or give a specification if it is not the targeted item"
            )
        reasons.append(Reason(f"measure:{measure.id}", text, active.source, text_ja))
    if applicable:
        # Several measures in force for one line relax one another (e.g. resists: individual, later also
        # specific bulk), so the line may use any type some applicable measure allows.
        allowed = {licence for active in applicable for licence in active.record.allowed_licences}
        licences = [licence for licence in licences if licence in allowed]
    return Eligibility(tuple(licences), conditions, tuple(reasons))
