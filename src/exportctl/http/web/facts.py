"""Regime facts and citations for pages: a fact's label in the page's language, and its source."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from exportctl import regime_json
from exportctl.http.web.i18n import Translator
from exportctl.regime import Regime
from exportctl.regime.diff import FactChange, diff
from exportctl.regime.snapshot import Snapshot


@dataclass(frozen=True)
class ChangeView:
    kind: str
    key: str
    label: str
    before: str | None
    after: str | None
    source: dict[str, Any] | None


def changes(t: Translator, before: Snapshot, after: Snapshot) -> list[ChangeView]:
    return [_view(t, before, after, change) for change in diff(before, after)]


def _view(t: Translator, before: Snapshot, after: Snapshot, change: FactChange) -> ChangeView:
    data = regime_json.change_dict(before, after, change)
    return ChangeView(
        kind=change.kind,
        key=change.key,
        label=t.text(change.fact.title),  # the fact's text in English, its label in Japanese
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
        found.append(ChangePoint(point, changes(t, before, after)))
    return found
