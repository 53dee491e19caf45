"""The facts that differ between two snapshots, each with the source that explains the change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from exportctl.regime.snapshot import Fact, Snapshot

ChangeKind = Literal["added", "removed", "changed"]


@dataclass(frozen=True, slots=True)
class FactChange:
    kind: ChangeKind
    key: str
    before: Fact | None
    after: Fact | None

    @property
    def fact(self) -> Fact:
        """The fact as it is after the change, or as it was before one that removed it."""
        fact = self.after or self.before
        assert fact is not None
        return fact

    @property
    def text(self) -> str:
        return self.fact.text

    @property
    def source(self) -> str:
        """What explains the change: the new fact's source, or the instrument that ended the old one."""
        if self.after is not None:
            return self.after.source
        assert self.before is not None
        return self.before.ended_by or self.before.source


def diff(before: Snapshot, after: Snapshot) -> list[FactChange]:
    changes: list[FactChange] = []
    for key in sorted(before.facts.keys() | after.facts.keys()):
        old, new = before.facts.get(key), after.facts.get(key)
        if old is None:
            changes.append(FactChange("added", key, None, new))
        elif new is None:
            changes.append(FactChange("removed", key, old, None))
        elif old != new:
            changes.append(FactChange("changed", key, old, new))
    return changes
