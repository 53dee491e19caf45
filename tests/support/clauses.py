"""Asking a pack's clauses directly: whether a specification meets one clause, and what classifies it."""

from __future__ import annotations

from typing import Any

from exportctl.core_types import Specification
from exportctl.determine.classify import Classification, classify_spec, compare
from exportctl.regime.snapshot import Snapshot


def holds(snapshot: Snapshot, ref: str, **params: Any) -> bool | None:
    """Whether the specification meets every criterion of clause `ENTRY#CLAUSE` (None: a parameter is missing)."""
    entry_id, _, clause_id = ref.partition("#")
    clause = next(c for c in snapshot.entries[entry_id].record.clauses if c.id == clause_id)
    results = [compare(criterion, params).holds for criterion in clause.criteria]
    if False in results:
        return False
    return None if None in results else True


def classify(snapshot: Snapshot, product: str, **params: Any) -> Classification:
    return classify_spec(snapshot, Specification(product=product, params=params))


def listed_by(result: Classification) -> set[str]:
    return {f"{m.entry}#{m.clause}" for m in result.matches} if result.status == "listed" else set()
