"""The Commerce Control List as the US pack's tests read it (the shared extraction of the eCFR of 2026-07-23): the
phrases a test relies on are looked up in the source first, so a changed source fails the test rather than passing
on stale text; and one line given by its specification, determined under the US pack."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from exportctl.core_types import LineDetermination, Transaction
from exportctl.determine.engine import determine
from exportctl.regime import Regime
from tests.conftest import SHARED

DAY = "2026-08-01"  # within the verified period (eCFR issue of 2026-07-23)
CCL: dict[str, Any] = json.loads((SHARED / "data" / "us" / "ear-ccl-2026-07-23.json").read_text(encoding="utf-8"))
ECCNS: dict[str, dict[str, Any]] = {entry["eccn"]: entry for entry in CCL["entries"]}


def _one_line(text: str) -> str:
    return " ".join(text.split())


@cache
def texts(eccn: str, number: str | None) -> tuple[str, ...]:
    """The lines the source numbers `number` in `eccn` (`a.1`; None: its unnumbered notes), the heading for `eccn`."""
    if number == eccn:
        return (_one_line(ECCNS[eccn]["heading"]),)
    return tuple(_one_line(item["text"]) for item in ECCNS[eccn]["items"] if item["paragraph"] == number)


def quoted(eccn: str, number: str | None, *phrases: str) -> None:
    """The phrases are in one line of paragraph `number` of `eccn`."""
    assert any(all(phrase in text for phrase in phrases) for text in texts(eccn, number)), (eccn, number, phrases)


def quoted_anywhere(eccn: str, *phrases: str) -> None:
    """The phrases are in one paragraph, note or the heading of `eccn`."""
    entry = ECCNS[eccn]
    lines = [_one_line(text) for text in (entry["heading"], *(item["text"] for item in entry.get("items", [])))]
    assert any(all(phrase in text for phrase in phrases) for text in lines), (eccn, phrases)


def spec_line(us: Regime, product: str, to: str = "CN", **params: Any) -> LineDetermination:
    """The determination of one line given by its specification, no weapons or military end use declared (no, not
    unknown), so that only the classification decides."""
    transaction = Transaction.model_validate(
        {
            "regime": "us",
            "date": DAY,
            "destination": to,
            "end_use": "x",
            "wmd_end_use": False,
            "conventional_end_use": False,
            "lines": [{"spec": {"product": product, "params": params}}],
        }
    )
    return determine(us.at(transaction.date), transaction).lines[0]


def found(decided: LineDetermination) -> set[tuple[str, str | None, tuple[str, ...]]]:
    """The clauses the line meets, (ECCN, clause, control numbers): an undetermined line also names the clauses a
    missing parameter leaves open, which are not these."""
    return {(m.entry, m.clause, m.control_numbers) for m in decided.entries if all(c.holds for c in m.comparisons)}


def eccns(decided: LineDetermination) -> set[str]:
    return {eccn for eccn, _, _ in found(decided)}
