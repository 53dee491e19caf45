"""What the order service keeps of a determination: its stored text and key, and what an order's status, licences
and ledger record read of it.

A verdict is made where the determination is made: in this process, or in a worker process of a bulk entry
(`services/forked.py`), so that only the verdict crosses between processes. A determination is a tree of frozen
objects (its lines, reasons, matches and citations): for an order of four lines it unpickled in 0.14 ms (0.41–0.50 ms
with screening hits, in an earlier measurement) where making it took 0.46 ms; its verdict, its canonical text and a
few flags, unpickles in 0.02 ms.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from exportctl import determination_json
from exportctl.core_types import Determination, Outcome


@dataclass(frozen=True)
class LineVerdict:
    """Of a line's determination: what licence need and status read (`licences.Need`, `blocking_reasons`)."""

    outcome: Outcome
    eligible_licences: tuple[str, ...]
    entries: frozenset[str]  # the control list entries it matched


@dataclass(frozen=True)
class Verdict:
    key: str  # the SHA-256 of `text`: what the order and its ledger record cite
    text: str  # the determination's canonical JSON (`determination_json.canonical`), as it is stored
    outcome: Outcome
    licence_required: bool
    blocked_by: tuple[str, ...]  # screening hits awaiting an officer's review
    lines: tuple[LineVerdict, ...]
    screening: dict[str, list[dict[str, Any]]]  # the ledger record's: each party's hits, encoded


def line_verdicts(result: Determination) -> tuple[LineVerdict, ...]:
    return tuple(
        LineVerdict(line.outcome, tuple(line.eligible_licences), frozenset(match.entry for match in line.entries))
        for line in result.lines
    )


def verdict_of(result: Determination) -> Verdict:
    encoded = determination_json.encode(result)
    key, text = determination_json.canonical(encoded)
    return Verdict(
        key=key,
        text=text,
        outcome=result.outcome,
        licence_required=result.licence_required,
        blocked_by=tuple(result.blocked_by),
        lines=line_verdicts(result),
        screening={"end_user": encoded["end_user_hits"], "consignee": encoded["consignee_hits"]},
    )
