"""The EU's rules that are code: intra-Union transfers (Regulation (EU) 2021/821, Art. 11(1)), whose records are the
pack's own dated section `intra_union` of rules.yaml.

A listed item moving from one member state to another needs an authorisation only when Annex IV lists it; a
move within one member state is no export at all. Which entries Annex IV lists is data (`annex_iv_entries`); while
the pack does not hold it (`annex_iv_known: false`) a transfer of a listed item is indeterminate, never cleared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from exportctl.core_types import ExceptionCheck
from exportctl.determine.licensing import under
from exportctl.regime import schema as s
from exportctl.regime.plugin import ExceptionResult, ListedLine, NoRules
from exportctl.regime.sections import Section
from exportctl.regime.snapshot import Snapshot
from exportctl.regime.yamltext import PackError


class AnnexIvItem(s.Strict):
    """An Annex IV item: an entry or a sub-paragraph (`6A001.a.2.b`), listed whole, partly or (in an included
    category) excluded."""

    code: str
    part: Literal["I", "II"]
    status: Literal["listed", "partly", "excluded"] = "listed"
    qualifier: str | None = None


class AnnexIvRow(s.Strict):
    row: s.EntryOrRowId
    part: Literal["I", "II"]
    qualifier: str | None = None


class IntraUnion(s.Dated):
    id: str
    title: s.Text
    annex_iv: list[AnnexIvItem]
    annex_iv_rows: list[AnnexIvRow] = Field(default_factory=list)
    note: str | None = None


def _fact(name: str, rule: IntraUnion) -> s.Text:
    return s.Text(en=f"{rule.title.en} ({len(rule.annex_iv)} Annex IV items)", ja=rule.title.ja)


INTRA_UNION: Section[IntraUnion] = Section("intra-union", "rules.yaml", "intra_union", IntraUnion, "list", _fact)


@dataclass(frozen=True)
class EuRules(NoRules):
    sections: tuple[Section[Any], ...] = (INTRA_UNION,)

    def exceptions(self, snapshot: Snapshot, line: ListedLine) -> Sequence[ExceptionResult]:
        destination = line.transaction.destination
        if destination not in snapshot.pack.meta.home:
            return ()  # an export to a third country: Art. 3 and the authorisations decide
        in_force = snapshot.active(INTRA_UNION)
        if not in_force:
            return ()
        active = in_force[0]
        return (_transfer(snapshot, line, destination, active.record, active.source),)

    def upgrade(self, written_in: int, files: dict[str, Any]) -> dict[str, Any]:
        raise PackError("pack.yaml", ("format",), None, f"the EU pack was never written in pack format {written_in}")


def _transfer(
    snapshot: Snapshot, line: ListedLine, destination: str, rule: IntraUnion, source: str | None
) -> ExceptionResult:
    origin = line.transaction.origin

    def result(applied: bool, why: str, missing: tuple[str, ...] = ()) -> ExceptionResult:
        return ExceptionResult(ExceptionCheck(rule.id, applied, why, source), missing)

    if origin is None:
        return result(False, f"{destination} is a member state: the member state of export is not given", ("origin",))
    if origin == destination:
        return result(True, f"{origin} to {destination}: the item does not leave the member state (no export)")
    moved = f"intra-Union transfer {origin} → {destination}"
    # Annex IV's answer depends on the item alone: once per snapshot, entry and paragraphs named.
    key = ("annex-iv", rule.id, line.entry.id, tuple(line.numbers))
    listed, why = snapshot.memoised(key, lambda: annex_iv_status(rule, line))
    if listed is None:
        return result(False, f"{moved}: {why}", ("annex_iv",))
    if listed:
        return result(False, f"{moved}: {why} — an authorisation is required (Art. 11(1))")
    return result(True, f"{moved}: {why} — no authorisation is required (Art. 11(1))")


def annex_iv_status(rule: IntraUnion, line: ListedLine) -> tuple[bool | None, str]:
    """Whether Annex IV lists the line's item: True, False, or None when the line does not say enough (it names
    the entry while Annex IV lists only some of its sub-paragraphs or items)."""
    entry = line.entry
    given = [n.upper() for n in line.numbers] or [entry.id.upper()]
    for item in rule.annex_iv:
        code = item.code.upper()
        if not any(under(number, code) for number in given):
            continue
        if item.status == "excluded":
            return False, f"{item.code} is not included in Annex IV"
        if item.status == "partly":
            return None, f"Annex IV includes only some items of {item.code} ({item.qualifier}): say which"
        qualified = f" ({item.qualifier} — not tested: treated as listed)" if item.qualifier else ""
        return True, f"{item.code} is listed in Annex IV, Part {item.part}{qualified}"
    narrower = [item.code for item in rule.annex_iv if any(under(item.code.upper(), n) for n in given)]
    if narrower:
        return None, f"Annex IV lists {', '.join(narrower)} of it: give the sub-paragraph"
    for row in rule.annex_iv_rows:
        if entry.row == row.row:
            return True, f"category {row.row} is included in Annex IV, Part {row.part}"
    return False, f"Annex IV does not list {entry.id}"


RULES = EuRules()
