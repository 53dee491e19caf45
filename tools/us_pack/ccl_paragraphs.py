"""An ECCN's numbered paragraphs (`a`, `a.1`, `b.2.a`, `z.1.a`) from the extraction's item list.

The extraction marks every lettered line `kind: item`, including the lists inside notes ("3A001.b.1 does not control
… having all of the following: a. …, b. …"), whose lettering restarts; it loses some paragraphs into `kind: text`
lines that start with their number ("z.1.a …", "e.1.a 'Primary cells' …"); and it usually loses an entry's first
paragraph (`a.`, written on the line of "Items:"). The paragraphs are therefore read as the longest chain of numbered
lines in which each follows the one before as the CFR numbers them (its first sub-paragraph, or the next paragraph at
its level or above; after a range "through y. [Reserved]", the next after the range; the closing `.x`, `.y` and `.z`
paragraphs may follow any paragraph, as the reserved range before them is often lost), such that the lines left out
read as notes' lists: each block of them starts a list at `a` and goes on in order. A chain that leaves out a block
that does not (5A002's a.2 … a.4.b, when a note's list a. … j. would make a longer chain) is not taken.

Where a note's list continues the chain (1A002: a note after b.2 listing a., b., c., d.), its lines beyond the
entry's paragraphs are read as paragraphs: a number too many resolves to the entry, which is the safe side.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ccl_source import RawItem

Number = tuple[str, ...]

# A paragraph number in a `text` line: letter-digit alternation with at least two levels, so that "e.g." is not one.
TEXT_NUMBER = re.compile(r"(?P<number>[a-z]\.\d+(?:\.(?:[a-z]|\d+))*)\.*\s+(?P<rest>.+)", re.DOTALL)
# "b.-d. [Reserved]" as a `text` line.
TEXT_RANGE = re.compile(r"(?P<number>[a-z](?:\.[a-z0-9]+)*)\.-(?P<end>[a-z0-9]+(?:\.[a-z0-9]+)*)\.?\s+\[Reserved\]\.?")
# An item's text that reserves it, or it and the following paragraphs up to `end` ("through y. [Reserved]").
RESERVED = re.compile(r"(?:(?:through|to|and)\s+\.?(?P<end>[a-z0-9]+(?:\.[a-z0-9]+)*)\.?\s+)?\[Reserved\]\.?")
FIRST = ("a", "1")
NOTE_WINDOW = 12  # how far back a note's line may find the line it follows (its list's lines are close)
# A block of left-out lines that does not read as notes' lists costs more than any number of lines gained.
UNREAD = 10_000
CLOSING = "xyz"  # the 600-series' .x and .y, and the .z paragraphs: after a reserved range the text may not give


@dataclass(frozen=True)
class Line:
    """A numbered line: the paragraph it numbers and, for a reserved range, the last paragraph of the range."""

    number: Number
    last: Number
    reserved: bool


def _number(text: str) -> Number:
    return tuple(text.split("."))


def _range_end(start: Number, end: str) -> Number:
    """The last paragraph of a range, written in full ("a.5") or as its last level only ("y" after "j")."""
    parts = _number(end)
    return start[: len(start) - len(parts)] + parts if len(parts) <= len(start) else parts


def _line(number: str, text: str) -> Line:
    start = _number(number)
    reserved = RESERVED.fullmatch(text.strip())
    if reserved is None:
        return Line(start, start, False)
    end = reserved["end"]
    return Line(start, _range_end(start, end) if end else start, True)


def numbered_lines(items: Sequence[RawItem]) -> list[Line]:
    """Every line that carries a paragraph number, in the text's order."""
    lines: list[Line] = []
    for item in items:
        if item["kind"] == "item" and item["paragraph"]:
            lines.append(_line(item["paragraph"], item["text"]))
        elif item["kind"] == "text":
            text = item["text"].strip()
            if match := TEXT_RANGE.fullmatch(text):
                start = _number(match["number"])
                lines.append(Line(start, _range_end(start, match["end"]), True))
            elif match := TEXT_NUMBER.fullmatch(text):
                lines.append(_line(match["number"], match["rest"]))
    return lines


def _next(level: str) -> str:
    return str(int(level) + 1) if level.isdigit() else chr(ord(level) + 1)


def _after(previous: str, level: str) -> bool:
    """`level` may follow `previous` at one level: the next one, or a closing x/y/z paragraph after it."""
    if previous.isdigit() != level.isdigit():
        return False
    if level == _next(previous):
        return True
    return level in CLOSING and not previous.isdigit() and level > previous


def _first_children(levels: Number) -> bool:
    """Levels that only go down to first sub-paragraphs (`z` → `z.1.a`: the lost `z.1` opened with `z.1.a`)."""
    return len(levels) <= 2 and all(level in FIRST for level in levels)


def follows(previous: Number | None, number: Number) -> bool:
    """Whether paragraph `number` may come right after the line that ended at `previous` (None: the first)."""
    if previous is None:
        return number[0].isalpha() and _first_children(number[1:])
    if len(number) > len(previous) and number[: len(previous)] == previous:
        return _first_children(number[len(previous) :])
    return any(
        number[:level] == previous[:level]
        and len(number) > level
        and _after(previous[level], number[level])
        and _first_children(number[level + 1 :])
        for level in range(len(previous))
    )


def _restart(number: Number) -> bool:
    """A note's list starts at `a` (or `1`), whatever paragraph the entry's text is at."""
    return _first_children(number[:2]) and len(number) <= 2


def _note_links(lines: Sequence[Line]) -> list[bool]:
    """Whether each line may continue a note's list: it restarts one, or follows one of the few lines before it."""
    return [
        _restart(line.number)
        or any(follows(earlier.last, line.number) for earlier in lines[max(0, index - NOTE_WINDOW) : index])
        for index, line in enumerate(lines)
    ]


def sequence(lines: Sequence[Line]) -> list[Line]:
    """The entry's paragraphs among the numbered lines: the longest chain in which each follows the one before,
    such that the lines left out read as notes' lists (each block of them starts a list at `a`)."""
    count = len(lines)
    links = _note_links(lines)
    broken = [0]  # broken[k]: lines before k that cannot continue a note's list
    for ok in links:
        broken.append(broken[-1] + (not ok))

    def notes(start: int, end: int) -> bool:
        """Lines start..end-1 (left out) read as notes' lists."""
        return start >= end or (_restart(lines[start].number) and broken[end] - broken[start + 1] == 0)

    score: list[float] = [float("-inf")] * count
    before: list[int | None] = [None] * count
    for index, line in enumerate(lines):
        if follows(None, line.number):
            score[index] = 1 - UNREAD * (not notes(0, index))
        for earlier in range(index):
            if score[earlier] == float("-inf") or not follows(lines[earlier].last, line.number):
                continue
            candidate = score[earlier] + 1 - UNREAD * (not notes(earlier + 1, index))
            if candidate > score[index]:
                score[index], before[index] = candidate, earlier
    ends = [(score[index] - UNREAD * (not notes(index + 1, count)), index) for index in range(count)]
    best = max(ends, default=(float("-inf"), -1))
    if best[0] == float("-inf"):
        return []
    chosen: list[Line] = []
    end: int | None = best[1]
    while end is not None:
        chosen.append(lines[end])
        end = before[end]
    return chosen[::-1]


def _key(number: Number) -> tuple[tuple[int, int], ...]:
    return tuple((0, int(level)) if level.isdigit() else (1, ord(level)) for level in number)


def paragraphs(items: Sequence[RawItem]) -> list[str]:
    """The entry's live paragraphs ("a", "a.1", …) in the CFR's order: the numbered sequence less reserved lines,
    with the paragraphs it implies (those above a sub-paragraph; `a` when the sequence starts at `b`, the line the
    extraction loses)."""
    chosen = sequence(numbered_lines(items))
    live = {line.number for line in chosen if not line.reserved}
    reserved = {line.number for line in chosen if line.reserved}
    implied = {number[:end] for number in live for end in range(1, len(number))}
    if chosen and chosen[0].number[0] == "b":
        implied.add(("a",))
    found = (live | implied) - reserved
    return [".".join(number) for number in sorted(found, key=_key)]
