"""Regime facts and citations for pages: a fact's label in the page's language, and its source."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from exportctl import render
from exportctl.regime import Regime
from exportctl.regime.diff import FactChange, diff
from exportctl.regime.loader import Pack
from exportctl.regime.snapshot import Snapshot
from exportctl.web.i18n import Translator


def _titles(pack: Pack) -> dict[str, dict[str, Any]]:
    return {
        "entry": {entry_id: entry.title for entry_id, entry in pack.entries.items()},
        "embargo": {code: embargo.title for code, embargo in pack.destinations.embargoes.items()},
        "measure": {measure.id: measure.title for measure in pack.licences.measures},
        "catch-all": {rule.id: rule.title for rule in pack.catch_all},
        "exception": {rule.id: rule.title for rule in pack.rules.small_value},
        "technology": {rule.id: rule.title for rule in pack.rules.technology},
        "exemption": {exemption.id: exemption.title for exemption in pack.rules.technology_exemptions},
        "clause": {f"{e.id}#{c.id}": c.title for e in pack.entries.values() for c in e.clauses if c.periods},
        "screening": {name: policy.title for name, policy in pack.screening.lists.items()},
    }


def fact_label(t: Translator, pack: Pack, key: str, text: str) -> str:
    """The fact's own (English) text, or in Japanese a label built from the pack's Japanese titles."""
    if t.lang == "en":
        return text
    kind, _, name = key.partition("/")
    table = pack.destinations.tables.get(kind)  # type: ignore[call-overload]
    if table is not None:
        return f"{name}：{t.text(table.title)}"
    title = _titles(pack).get(kind, {}).get(name)
    if title is None:
        return text
    return f"{name} {t.text(title)}" if kind in ("entry", "clause") else t.text(title)


@dataclass(frozen=True)
class ChangeView:
    kind: str
    key: str
    label: str
    before: str | None
    after: str | None
    source: dict[str, Any] | None


def changes(t: Translator, regime: Regime, before: Snapshot, after: Snapshot) -> list[ChangeView]:
    return [_view(t, regime.pack, before, after, change) for change in diff(before, after)]


def _view(t: Translator, pack: Pack, before: Snapshot, after: Snapshot, change: FactChange) -> ChangeView:
    data = render.change_dict(before, after, change)
    return ChangeView(
        kind=change.kind,
        key=change.key,
        label=fact_label(t, pack, change.key, change.text),
        before=data["before"] if change.kind == "changed" else None,
        after=data["after"] if change.kind == "changed" else None,
        source=data["source"],
    )


@dataclass(frozen=True)
class ChangePoint:
    day: dt.date
    changes: list[ChangeView]


def recent_changes(t: Translator, regime: Regime, until: dt.date, count: int = 10) -> list[ChangePoint]:
    """The last `count` change points on or before `until`, newest first, each with what changed."""
    first = regime.pack.meta.coverage_from
    points = [point for point in regime.change_points if first < point <= until][-count:]
    found: list[ChangePoint] = []
    for point in reversed(points):
        before, after = regime.at(point - dt.timedelta(days=1)), regime.at(point)
        found.append(ChangePoint(point, changes(t, regime, before, after)))
    return found
