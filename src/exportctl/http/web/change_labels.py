"""The label of each rule change an impact analysis lists, in the page's language.

The analysis keeps a change as plain data with its English text and key (`regime_json.change_dict`); the
Japanese label is the fact's `title.ja` in the pack, found by that key on the side of the change where the fact
is in force. A fact only a draft amendment adds is not in the installed pack: its English text is shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from exportctl.http.web.i18n import Translator
from exportctl.services import regimes


def change_labels(
    t: Translator, regime_id: str, start: dt.date, end: dt.date, changes: Sequence[Mapping[str, Any]]
) -> list[str]:
    if t.lang == "en":
        return [str(c.get("text", "")) for c in changes]
    loaded = regimes.regime(regime_id)
    before, after = loaded.at(start), loaded.at(end)
    labels = []
    for change in changes:
        snapshot = before if change.get("change") == "removed" else after
        fact = snapshot.facts.get(str(change.get("key")))
        labels.append(t.text(fact.title) if fact is not None else str(change.get("text", "")))
    return labels
