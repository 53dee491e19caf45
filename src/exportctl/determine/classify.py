"""Line identification → control-list entries.

A line names its item in one of four ways: a pack entry id, an international list number the pack maps,
an HS code of goods stated as listed in no row but the catch-all row (`hs:8456.11`), or a specification (product +
parameters).
The result says which entries match and how; when a parameter needed to decide is missing the result is
undetermined, never "not listed".
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from exportctl.core_types import Comparison, EntryMatch, Specification
from exportctl.regime import schema as s
from exportctl.regime.snapshot import ClauseRef, Snapshot

Status = Literal["listed", "catch-all", "not-controlled", "undetermined"]
HS_CODE = re.compile(r"^\d{4}(\.?\d{2}){0,3}$")


class UnknownItem(ValueError):
    """The line names an item the pack does not know: an input error, not a determination."""


@dataclass(frozen=True, slots=True)
class Classification:
    status: Status
    matches: tuple[EntryMatch, ...] = ()
    missing: tuple[str, ...] = ()
    note: str = ""
    hs: str | None = None
    assessed: tuple[tuple[s.Entry, s.Clause], ...] = ()  # clauses compared: their verified periods matter
    # A listed specification's undecided clauses of entries it does not meet: it may be of those too.
    open_matches: tuple[EntryMatch, ...] = ()
    note_ja: str | None = None  # the note in Japanese (see determine/wording.py)


_OPERATORS: Mapping[str, Callable[[Any, Any], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
    "in": lambda actual, required: actual in required,
    "not-in": lambda actual, required: actual not in required,
}


def unclassified(
    note: str, assessed: tuple[tuple[s.Entry, s.Clause], ...] = (), note_ja: str | None = None
) -> Classification:
    """Undetermined because the item cannot be placed (not "not listed"): `classification` is what is missing."""
    return Classification("undetermined", missing=("classification",), note=note, assessed=assessed, note_ja=note_ja)


def compare(criterion: s.Criterion, params: Mapping[str, s.Scalar]) -> Comparison:
    actual = params.get(criterion.param)
    if actual is None:
        return Comparison(criterion.param, criterion.op, criterion.value, None, None)
    try:
        holds = _OPERATORS[criterion.op](actual, criterion.value)
    except TypeError:
        holds = None  # a text where a number was expected: cannot decide, say so
    return Comparison(criterion.param, criterion.op, criterion.value, actual, holds)


def classify_spec(snapshot: Snapshot, spec: Specification) -> Classification:
    candidates = snapshot.clauses_by_product.get(spec.product)
    if candidates is None:
        # Unknown product: the pack cannot rule out that it is listed under a name it does not know.
        return unclassified(
            f"product '{spec.product}' is not described by any entry of the pack; classify it by entry id",
            note_ja=f"製品'{spec.product}'はどの項目にも記述されていません。項目番号で該非を判定してください",
        )
    matches: list[EntryMatch] = []
    undecided: list[EntryMatch] = []
    missing: list[str] = []
    for entry, clause in candidates:
        comparisons = tuple(compare(criterion, spec.params) for criterion in clause.criteria)
        match = EntryMatch(
            entry.id,
            clause.id,
            tuple(clause.control_numbers or entry.control_numbers),
            "specification",
            comparisons,
        )
        if all(c.holds is True for c in comparisons):
            matches.append(match)
        elif not any(c.holds is False for c in comparisons):
            undecided.append(match)
            missing.extend(c.param for c in comparisons if c.holds is None)
    assessed = candidates
    if matches:
        matched = {match.entry for match in matches}
        elsewhere = tuple(match for match in undecided if match.entry not in matched)
        return Classification("listed", tuple(matches), assessed=assessed, open_matches=elsewhere)
    if undecided:
        return Classification(
            "undetermined",
            tuple(undecided),
            missing=tuple(dict.fromkeys(f"params.{name}" for name in missing)),
            note="parameters needed to decide are missing or not comparable",
            assessed=assessed,
            note_ja="判定に必要なパラメータが不足しているか、比較できません",
        )
    kinds = _possible_kinds(snapshot, spec)
    if kinds:
        return unclassified(
            f"{spec.product} fails every clause for it ({candidates_summary(candidates)}), but it may be one of"
            f" {', '.join(kinds)}, which other clauses list — name the product more precisely",
            assessed,
            f"{spec.product}はこの製品のどの条項も満たしませんが（{candidates_summary_ja(candidates)}）、他の条項が掲げる"
            f"{'、'.join(kinds)}のいずれかである可能性があります — 製品をより詳しく示してください",
        )
    partial = tuple(
        dict.fromkeys(
            [
                *(entry.id for entry, _ in candidates if not entry.complete),
                *snapshot.unencoded,
                *_without_criteria(snapshot, spec.product),
            ]
        )
    )
    if partial:
        # Failing every encoded clause proves nothing while an alternative of the sub-item is not encoded.
        shown = ", ".join(partial[:12]) + (f" and {len(partial) - 12} more" if len(partial) > 12 else "")
        shown_ja = "、".join(partial[:12]) + (f" ほか{len(partial) - 12}件" if len(partial) > 12 else "")
        return unclassified(
            f"{spec.product} fails every encoded clause ({candidates_summary(candidates)}), but entries"
            f" {shown} are not (completely) encoded: they could not be assessed — classify the item"
            " against their full text and name the entry",
            assessed,
            f"{spec.product}は収録されたどの条項も満たしませんが（{candidates_summary_ja(candidates)}）、項目{shown_ja}は"
            "（完全には）収録されておらず評価できません — 法令の全文で判定し、項目を示してください",
        )
    if spec.hs is not None:
        found = classify_hs(
            snapshot,
            spec.hs,
            evaluated=candidates_summary(candidates),
            evaluated_ja=candidates_summary_ja(candidates),
        )
        return Classification(
            found.status, found.matches, found.missing, found.note, found.hs, assessed, note_ja=found.note_ja
        )
    catch_all_rows = "/".join(snapshot.pack.catch_all_rows())
    return Classification(
        "catch-all",
        note=f"{spec.product} is {snapshot.pack.meta.terms.not_listed} ({candidates_summary(candidates)});"
        f" {snapshot.pack.meta.terms.row} {catch_all_rows} needs its HS code",
        assessed=assessed,
        note_ja=f"{spec.product}はリスト規制に該当しません（{candidates_summary_ja(candidates)}）。"
        f"{catch_all_rows}の判断にはHSコードが必要です",
    )


def _without_criteria(snapshot: Snapshot, product: str) -> list[str]:
    """Goods entries in force with no clause, where the pack says such an entry may list any product (unless the
    pack has checked this product against the whole list)."""
    meta = snapshot.pack.meta
    if not meta.uncriteria_entries_may_list or product in meta.reviewed_products:
        return []
    return [
        entry_id
        for entry_id, active in snapshot.entries.items()
        if active.record.kind == "goods"
        and not active.record.clauses
        and not snapshot.pack.rows[active.record.row].catch_all
    ]


def _possible_kinds(snapshot: Snapshot, spec: Specification) -> list[str]:
    """Narrower products (kinds of this one) with a clause the specification does not rule out."""
    possible: list[str] = []
    for kind in snapshot.narrower_products.get(spec.product, ()):
        for _, clause in snapshot.clauses_by_product[kind]:
            if kind in clause.products and not any(compare(c, spec.params).holds is False for c in clause.criteria):
                possible.append(kind)
                break
    return possible


def candidates_summary(candidates: tuple[tuple[s.Entry, s.Clause], ...]) -> str:
    return "checked " + ", ".join(f"{entry.id}#{clause.id}" for entry, clause in candidates)


def candidates_summary_ja(candidates: tuple[tuple[s.Entry, s.Clause], ...]) -> str:
    return "照合した条項：" + "、".join(f"{entry.id}#{clause.id}" for entry, clause in candidates)


def _hs_digits(code: str) -> str:
    return code.replace(".", "")


def classify_hs(snapshot: Snapshot, code: str, evaluated: str = "", evaluated_ja: str = "") -> Classification:
    """An HS code of goods stated as in no row but the catch-all row: its entries by heading, then by chapter."""
    if not HS_CODE.match(code):
        raise UnknownItem(f"'{code}' is not an HS code such as 8456.11")
    digits = _hs_digits(code)
    chapter = int(digits[:2])
    prefix = f"{snapshot.pack.meta.terms.not_listed}{' (' + evaluated + ')' if evaluated else ''}; HS {code}"
    prefix_ja = f"リスト規制に該当しません{'（' + evaluated_ja + '）' if evaluated_ja else ''}；HS {code}"
    by_heading: list[s.Entry] = []
    by_chapter: list[s.Entry] = []
    for entry, headings in _catch_all_hs(snapshot):
        if any(digits.startswith(heading) for heading in headings):
            by_heading.append(entry)
        elif entry.hs is not None and chapter in entry.hs.chapters:
            by_chapter.append(entry)
    chosen = by_heading or by_chapter  # an entry for a specified heading takes precedence over the chapter list
    if not chosen:
        return Classification(
            "not-controlled",
            note=f"{prefix} is outside the catch-all chapters",
            hs=code,
            note_ja=f"{prefix_ja}はキャッチオール規制の対象となる類に含まれません",
        )
    matches = tuple(EntryMatch(entry.id, None, (), "hs-code") for entry in chosen)
    return Classification("catch-all", matches, note=prefix, hs=code, note_ja=prefix_ja)


def _catch_all_hs(snapshot: Snapshot) -> tuple[tuple[s.Entry, tuple[str, ...]], ...]:
    """The entries in force of the catch-all rows that name HS codes, each with its headings as digits."""

    def entries() -> tuple[tuple[s.Entry, tuple[str, ...]], ...]:
        return tuple(
            (active.record, tuple(_hs_digits(heading) for heading in active.record.hs.headings))
            for active in snapshot.entries.values()
            if active.record.hs is not None and snapshot.pack.rows[active.record.row].catch_all
        )

    return snapshot.memoised(("catch-all-hs",), entries)


def resolve_control_number(snapshot: Snapshot, number: str) -> tuple[EntryMatch, ...]:
    """`3C002.a.1` falls back to `3C002.a`, then `3C002`: a more specific number is within the broader one —
    unless the entry lists its parts (`exact_numbers`): then a number not among them is no item of it."""
    for probe in (number.upper(), *_broader(number)):
        if probe != number.upper() and probe in snapshot.exact_numbers:
            return ()  # under a part of an entry that lists its parts, yet not itself one: no item
        refs = snapshot.control_numbers.get(probe)
        if refs:
            return tuple(EntryMatch(ref.entry, ref.clause, (number,), "control-number") for ref in refs)
    return ()


def resolve_cas(snapshot: Snapshot, number: str) -> tuple[EntryMatch, ...]:
    refs = snapshot.cas_numbers.get(number.strip(), ())
    return tuple(EntryMatch(ref.entry, ref.clause, _clause_numbers(snapshot, ref), "cas") for ref in refs)


def _clause_numbers(snapshot: Snapshot, ref: ClauseRef) -> tuple[str, ...]:
    entry = snapshot.entries[ref.entry].record
    clause = next((c for c in entry.clauses if c.id == ref.clause), None)
    return tuple(clause.control_numbers if clause and clause.control_numbers else entry.control_numbers)


def classify_item(snapshot: Snapshot, item: str) -> Classification:
    text = item.strip()
    if text.lower().startswith("hs:"):
        return classify_hs(snapshot, text[3:].strip())
    if text.lower().startswith("cas:"):
        number = text[4:].strip()
        if not s.CAS_NUMBER.match(number):
            raise UnknownItem(f"'{number}' is not a CAS registry number such as 7664-39-3")
        found = resolve_cas(snapshot, number)
        if not found:
            # A chemical the pack does not list by CAS number may still be listed under a generic description.
            return unclassified(
                f"CAS {number} is not among the chemicals the pack lists by CAS number on this date; a generic"
                " entry may still cover it — classify it by entry id or specification",
                note_ja=f"CAS {number}はこの日付にCAS番号で掲げられた化学物質ではありませんが、一般的な項目に該当する"
                "可能性があります — 項目番号又は仕様で判定してください",
            )
        return Classification("listed", found)
    entry_id, _, clause_id = text.partition("#")
    active = snapshot.entries.get(entry_id)
    if active is not None:
        entry = active.record
        if clause_id and clause_id not in {c.id for c in entry.clauses}:
            raise UnknownItem(f"entry '{entry_id}' has no clause '{clause_id}'")
        if f"{entry_id}#{clause_id}" in snapshot.clauses_out_of_force:
            return unclassified(
                f"{entry_id}#{clause_id} is not in the law's text on this date; use the text then in force",
                note_ja=f"{entry_id}#{clause_id}はこの日付の法令本文にありません。その日に施行されていた本文を用いてください",
            )
        if snapshot.pack.rows[entry.row].catch_all:
            return Classification("catch-all", (EntryMatch(entry.id, None, (), "entry"),))
        clause = next((c for c in entry.clauses if c.id == clause_id), None)
        numbers = tuple(clause.control_numbers if clause else entry.control_numbers)
        return Classification("listed", (EntryMatch(entry.id, clause_id or None, numbers, "entry"),))
    if entry_id in snapshot.known_entries:
        return unclassified(
            f"entry {entry_id} is not in force on this date; classify the item under the entries then in force",
            note_ja=f"項目{entry_id}はこの日付に施行されていません。その日に施行されていた項目で判定してください",
        )
    matches = resolve_control_number(snapshot, text)
    if matches:
        return Classification("listed", matches)
    elsewhen = _entries_numbering(snapshot, text)
    if elsewhen:
        return unclassified(
            f"{text} maps to entries {', '.join(elsewhen)}, not in force on this date; classify the item under the"
            " entries then in force",
            note_ja=f"{text}はこの日付に施行されていない項目{'、'.join(elsewhen)}に対応します。その日に施行されていた"
            "項目で判定してください",
        )
    parent = next((probe for probe in _broader(text) if probe in snapshot.exact_numbers), None)
    if parent is not None:
        shown = text[: len(parent)]  # as the user wrote it
        raise UnknownItem(f"'{text}' is not one of the sub-paragraphs of {shown} (a paragraph not used, or a typo)")
    raise UnknownItem(f"'{item}' is neither an entry id, an international number the pack maps, nor 'hs:CODE'")


def _broader(number: str) -> list[str]:
    """`3A001.A.4` → [`3A001.A`, `3A001`]."""
    parts = number.upper().split(".")
    return [".".join(parts[:end]) for end in range(len(parts) - 1, 0, -1)]


def _entries_numbering(snapshot: Snapshot, number: str) -> list[str]:
    """Entries (in force on any date) that list `number` or a broader form of it; only used on the error path.
    An entry listing its parts maps only the numbers it lists."""
    broad, exact = _numbering_index(snapshot)
    found = {*exact.get(number.upper(), ())}
    for probe in (number.upper(), *_broader(number)):
        found.update(broad.get(probe, ()))
    return [entry_id for entry_id in snapshot.known_entries if entry_id in found]


def _numbering_index(snapshot: Snapshot) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Every entry of the pack by the numbers it maps: (numbers also naming what is under them, exact numbers)."""

    def index() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        broad: dict[str, set[str]] = {}
        exact: dict[str, set[str]] = {}
        for entry in snapshot.known_entries.values():
            numbers = {
                n.upper() for n in (*entry.control_numbers, *(n for c in entry.clauses for n in c.control_numbers))
            }
            if entry.parts:
                numbers |= {n.upper() for n in entry.parts}
            for number in numbers:
                (exact if entry.parts else broad).setdefault(number, set()).add(entry.id)
        return broad, exact

    return snapshot.memoised(("numbering-index",), index)
