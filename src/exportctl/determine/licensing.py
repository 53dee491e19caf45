"""Which licence types may cover a line, and whether the small-value exception removes the need for one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from exportctl.model import EntryMatch, ExceptionCheck, LineKind, Reason, ScreeningHit, Transaction
from exportctl.regime import schema as s
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
    for dated_coverage in snapshot.coverage:
        coverage = dated_coverage.record
        if _covers(coverage, kind, entry, group) and coverage.licence not in licences:
            licences.append(coverage.licence)
            if coverage.condition is not None:
                conditions[coverage.licence] = coverage.condition.en
    applicable: list[Active[s.Measure]] = []
    for active in snapshot.measures:
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


@dataclass(frozen=True, slots=True)
class SmallValueResult:
    check: ExceptionCheck | None
    missing: tuple[str, ...] = ()


def small_value(
    snapshot: Snapshot,
    transaction: Transaction,
    kind: LineKind,
    entry: s.Entry,
    group: str,
    same_entry_values: Sequence[int | None],
    end_user_hits: Sequence[ScreeningHit] | None = None,
) -> SmallValueResult:
    """Export Trade Control Order art. 4(1)(iv)/(v). The contract value is summed per sub-item."""
    active = snapshot.small_value
    if active is None:
        return SmallValueResult(None)
    rule, source = active.record, active.source

    def result(applied: bool, why: str, missing: tuple[str, ...] = ()) -> SmallValueResult:
        return SmallValueResult(ExceptionCheck(rule.id, applied, why, source), missing)

    # Each condition of the exception: (holds: True/False/None for unknown, why, the fact that is missing).
    # It is not applied as soon as one condition fails; it is undecided only when none fails and one is unknown.
    destination = transaction.destination
    total = None if any(v is None for v in same_entry_values) else sum(v for v in same_entry_values if v)
    reduced = entry.row in rule.reduced.rows or entry.id in rule.reduced.entries
    designated = entry.row in rule.reduced.designated_rows or entry.id in rule.reduced.designated_entries
    threshold = rule.reduced.threshold_jpy if reduced else rule.threshold_jpy
    basis = "Appended Table 3-3 goods" if reduced else f"rows {', '.join(rule.rows)}"
    outside_a = group != "A"
    embargo_3_2 = snapshot.in_table("table-3-2", destination)
    conditions: list[tuple[bool | None, str, str]] = [
        (entry.row in rule.rows, f"row {entry.row} is not among rows {', '.join(rule.rows)}", ""),
        (kind == "goods", "the exception applies to goods only, not to technology", ""),
        (
            not snapshot.in_table(rule.excluded_destinations, destination),
            f"{destination} is in Appended Table 4",
            "",
        ),
        (
            not transaction.informed if outside_a or rule.informed_in_group_a else True,
            "METI has informed the exporter (inform notice)",
            "",
        ),
        _designation(rule, entry, total) if designated and not reduced else (True, "", ""),
        (
            None if total is None else total <= threshold,
            f"contract value of {entry.id} ¥{total or 0:,} exceeds ¥{threshold:,} ({basis})"
            if total is not None
            else f"the contract value of entry {entry.id} is not stated",
            "value_jpy",
        ),
        (
            True if not outside_a else _negated(transaction.wmd_end_use),
            "the exporter knows of a WMD-related end use"
            if transaction.wmd_end_use
            else "whether the goods may serve WMD is unknown",
            "wmd_end_use",
        ),
        (
            True if not embargo_3_2 else _negated(transaction.conventional_end_use),
            "conventional-weapons end use to an Appended Table 3-2 destination"
            if transaction.conventional_end_use
            else "whether the goods may serve conventional weapons is unknown",
            "conventional_end_use",
        ),
    ]
    if outside_a and rule.end_user_concerns:
        conditions.append(_end_user_condition(rule, transaction, end_user_hits))
    failed = next((why for holds, why, _ in conditions if holds is False), None)
    if failed is not None:
        return result(False, failed)
    unknown = [(why, fact) for holds, why, fact in conditions if holds is None]
    if unknown:
        return result(False, "; ".join(why for why, _ in unknown), tuple(fact for _, fact in unknown))
    return result(True, f"contract value of {entry.id} ¥{total or 0:,} ≤ ¥{threshold:,} ({basis})")


def _designation(rule: s.SmallValue, entry: s.Entry, total: int | None) -> tuple[bool | None, str, str]:
    """Goods of a sub-item Appended Table 3-3 lists "as designated by METI notice" take the lower threshold only if
    the notice designates them; the notice's list is not encoded, so between the two thresholds it decides."""
    low, high = rule.reduced.threshold_jpy, rule.threshold_jpy
    if total is None or total <= low:
        return True, "", ""
    if total > high:
        return False, f"contract value of {entry.id} ¥{total:,} exceeds ¥{high:,}", ""
    return (
        None,
        f"entry {entry.id} is in Appended Table 3-3 where METI's notice designates the goods: if it designates these,"
        f" the limit is ¥{low:,} (exceeded by ¥{total:,}), else ¥{high:,}",
        "small_value_designation",
    )


def _end_user_condition(
    rule: s.SmallValue, transaction: Transaction, hits: Sequence[ScreeningHit] | None
) -> tuple[bool | None, str, str]:
    """Outside Group A the exception is lost when the goods may serve WMD as the ordinance defines it, which
    includes an end user on the End User List (unless the "clearly not" guideline applies)."""
    if transaction.end_user is None:
        return None, "the end user is not named, so the End User List case cannot be ruled out", "end_user"
    if hits is None:
        return None, "the End User List is not loaded, so the end user could not be checked", "end_user_list"
    concerned = [hit for hit in hits if set(hit.concerns) & set(rule.end_user_concerns)]
    if not concerned:
        return True, "", ""
    hit = concerned[0]
    if transaction.clearly_not and rule.clearly_not_applies:
        return True, "", ""
    return (
        False,
        f"the end user is on the End User List as '{hit.name}' ({hit.entity_id}; concerns {', '.join(hit.concerns)}):"
        " a WMD concern case, so the exception does not apply outside Group A",
        "",
    )


def _negated(flag: bool | None) -> bool | None:
    return None if flag is None else not flag
