"""Determinations, snapshots and diffs as plain data (JSON) — the contract of `--format json`."""

from __future__ import annotations

from typing import Any

from exportctl.core_types import Determination, EntryMatch, LineDetermination, Reason, ScreeningHit
from exportctl.regime.diff import FactChange
from exportctl.regime.snapshot import Fact, Snapshot


def source_ref(snapshot: Snapshot, source_id: str | None) -> dict[str, Any] | None:
    if source_id is None:
        return None
    source = snapshot.sources[source_id]
    ref: dict[str, Any] = {"id": source_id, "instrument": source.instrument}
    for key in ("article", "promulgated", "in_force"):
        value = getattr(source, key)
        if value is not None:
            ref[key] = str(value)
    ref["url"] = source.url
    ref["verified"] = source.verified
    return ref


def reason_dict(snapshot: Snapshot, reason: Reason) -> dict[str, Any]:
    return {"rule": reason.rule, "text": reason.text, "source": source_ref(snapshot, reason.source)}


def _entry_dict(match: EntryMatch) -> dict[str, Any]:
    data: dict[str, Any] = {"entry": match.entry, "clause": match.clause, "via": match.via}
    if match.comparisons:
        data["comparisons"] = [
            {"param": c.param, "op": c.op, "required": c.required, "actual": c.actual, "holds": c.holds}
            for c in match.comparisons
        ]
    return data


def line_dict(snapshot: Snapshot, line: LineDetermination) -> dict[str, Any]:
    return {
        "index": line.index,
        "kind": line.kind,
        "item": line.item,
        "entries": [match.entry for match in line.entries],
        "matches": [_entry_dict(match) for match in line.entries],
        "control_numbers": list(dict.fromkeys(n for match in line.entries for n in match.control_numbers)),
        "outcome": line.outcome.value,
        "eligible_licences": list(line.eligible_licences),
        "licence_conditions": line.licence_conditions,
        "exceptions": [
            {
                "exception": e.exception,
                "applied": e.applied,
                "why": e.why,
                "source": source_ref(snapshot, e.source),
            }
            for e in line.exceptions
        ],
        "missing": list(line.missing),
        "reasons": [reason_dict(snapshot, r) for r in line.reasons],
    }


def hit_dict(hit: ScreeningHit) -> dict[str, Any]:
    """A screening hit: the contract keys (list, entity_id, name, matched_name, score, explanation) and more."""
    return {
        "list": hit.list_id,
        "list_version": hit.list_version,
        "entity_id": hit.entity_id,
        "name": hit.name,
        "matched_name": hit.matched_name,
        "score": hit.score,
        "countries": list(hit.countries),
        "concerns": list(hit.concerns),
        "programs": list(hit.programs),
        "explanation": dict(hit.explanation),
    }


def determination_dict(snapshot: Snapshot, determination: Determination) -> dict[str, Any]:
    return {
        "regime": determination.regime,
        "pack_version": determination.pack_version,
        "date": determination.date.isoformat(),
        "destination": determination.destination,
        "destination_group": determination.destination_group,
        "outcome": determination.outcome.value,
        "licence_required": determination.licence_required,
        "eligible_licences": list(determination.eligible_licences),
        "missing": list(determination.missing),
        "end_user_hits": [hit_dict(hit) for hit in determination.end_user_hits],
        "consignee_hits": [hit_dict(hit) for hit in determination.consignee_hits],
        "blocked_by": list(determination.blocked_by),
        "lines": [line_dict(snapshot, line) for line in determination.lines],
        "reasons": [reason_dict(snapshot, r) for r in determination.reasons],
    }


def fact_dict(snapshot: Snapshot, fact: Fact) -> dict[str, Any]:
    return {"key": fact.key, "text": fact.text, "source": source_ref(snapshot, fact.source)}


def change_dict(before: Snapshot, after: Snapshot, change: FactChange) -> dict[str, Any]:
    sources = after if change.after is not None else before
    return {
        "change": change.kind,
        "key": change.key,
        "text": change.text,
        "before": change.before.text if change.before else None,
        "after": change.after.text if change.after else None,
        "source": source_ref(sources, change.source),
    }


def entry_summary(snapshot: Snapshot, entry_id: str) -> dict[str, Any]:
    """What the pack holds for one entry in force: numbers, how many criteria, complete or not, verified when."""
    active = snapshot.entries[entry_id]
    entry = active.record
    numbers = [*entry.control_numbers, *(n for clause in entry.clauses for n in clause.control_numbers)]
    return {
        "id": entry.id,
        "kind": entry.kind,
        "row": entry.row,
        "title": {"en": entry.title.en, "ja": entry.title.ja},
        "control_numbers": list(dict.fromkeys(numbers)),
        "criteria": sum(len(clause.criteria) for clause in entry.clauses),
        "clauses": len(entry.clauses),
        "complete": entry.complete,
        "goods_entries": list(entry.goods_entries),
        "purposes": list(entry.purposes),
        "verified": [
            {"from": v.start.isoformat(), "to": v.end.isoformat() if v.end else None, "text": v.text}
            for v in entry.verified
        ],
        "source": source_ref(snapshot, active.source),
    }


def entries_dict(snapshot: Snapshot, kind: str | None = None) -> dict[str, Any]:
    entries = [
        entry_summary(snapshot, entry_id)
        for entry_id, active in snapshot.entries.items()
        if kind is None or active.record.kind == kind
    ]
    return {
        "regime": snapshot.regime,
        "pack_version": snapshot.pack_version,
        "entries": entries,
        "unencoded": list(snapshot.unencoded),
    }
