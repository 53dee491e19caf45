"""Snapshots, diffs and entries of a pack as plain data (JSON) — the contract of `--format json`.

Determinations have their own codec: `determination_json`."""

from __future__ import annotations

from typing import Any

from exportctl.determination_json import encode_citation
from exportctl.determine.engine import citation_of
from exportctl.regime.diff import FactChange
from exportctl.regime.snapshot import Fact, Snapshot


def source_ref(snapshot: Snapshot, source_id: str | None) -> dict[str, Any] | None:
    """A pack's source as every answer cites it (the same shape a determination's citations take)."""
    if source_id is None:
        return None
    return encode_citation(source_id, {source_id: citation_of(snapshot.sources[source_id])})


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
