"""An ECCN's License Requirements table as controls: each line's reason, destinations and paragraphs.

Each line of the table pairs a control ("NS applies to 3A001.b.2 …") with its Country Chart cell ("NS Column 1", or
a sentence: "To or within Macau or a destination specified in Country Group D:5 …"). A line is read as:

- reason: the code the control names, with the chart column's number ("NS1"); without a column, the code alone;
- destinations: the column's table (`chart-ns1`), the countries and country groups a sentence names, `{}` (every
  destination) when it says worldwide or all destinations;
- parts: the paragraphs of the entry the control is limited to ("applies to 3A001.z.1.a, z.2.a" → 3A001.z.1.a,
  3A001.z.2.a; "entire entry, except 1E002.g" → every other paragraph), none for the whole entry.

Where the text says more than that (a condition "when usable in missiles", an exception "except those … for use in
civil telecommunications", a cell that refers to another section), the reading errs on the side of a licence: the
condition or exception is not applied (the control covers the paragraphs it names, or the whole entry when the
limit is not a paragraph list), and a cell whose destinations are not stated is read as every destination. Such
readings carry the reasons they are not exact (`Reading.approximate`), which the control files print.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from country_names import UnknownCountry, iso_code

Scope = dict[str, list[str]]  # a Destinations: tables / outside_tables (empty: every destination)

CHART_CODES = "CB|NP|NS|MT|RS|FC|CC|AT"
CODES = f"{CHART_CODES}|UN|EI|SL|SI|CW"
LEADING_CODE = re.compile(rf"(?P<code>{CODES})\s+appl(?:y|ies)\b,?\s*(?:to\s+)?")
RUSSIA_SECTOR = re.compile(r"Russian industry sector sanctions?\s+appl(?:y|ies)\s+(?:to\s+)?")
RUSSIA_SECTOR_REASON = "Russian industry sector sanctions"
COLUMN = re.compile(rf"\b(?P<code>{CHART_CODES})\s+Column\s+(?P<number>\d)\b")
BARE_COLUMN = re.compile(r"Column\s+(?P<number>\d)\.?")

# --- destinations --------------------------------------------------------------------------------------------

WORLDWIDE = re.compile(r"\bworldwide\b|\blicense is required for all destinations\b(?!, except)", re.IGNORECASE)
ALL_EXCEPT = re.compile(r"license is required for ALL destinations, except (?P<names>[A-Z][A-Za-z ]+?),", re.I)
TO_OR_WITHIN = re.compile(
    r"To or within (?P<within>.+?)(?:, excluding any destination also specified in (?P<outside>.+?))?\."
    r"(?:\s+See .*)?",
    re.DOTALL,
)
LICENSE_TO = re.compile(
    r"A license is required for (?P<what>.+?) to (?P<names>[A-Z].+?) (?:(?:or|and) transfer within .+? )?"
    r"for (?P<why>[\w -]+?) reasons\b.*",
    re.DOTALL,
)
COUNTRY_LIST = re.compile(r"(?P<names>[A-Z][A-Za-z ,]+?)\s*\(see § [^()]*(?:\([^()]*\))*[^()]*\)\.?")
GROUP = re.compile(r"\b(?P<letter>[A-E]):(?P<number>\d)\b|\bCountry Group (?P<b>B)\b")
SPECIFIED = re.compile(r"\s+or\s+(?:a\s+)?destinations?\s+specified\s+in\b")
NAME_SEPARATOR = re.compile(r"\s*,\s*(?:or\s+|and\s+)?|\s+(?:or|and)\s+")
NOT_STATED = "the cell does not state the destinations ('{cell}'): read as every destination until a person reads it"


def chart_table(code: str, number: str) -> str:
    return f"chart-{code.lower()}{number}"


def country_table(code: str) -> str:
    return f"country-{code.lower()}"


def group_table(group: str) -> str:
    """`D:1` → `cg-d1`, `B` → `cg-b`."""
    return "cg-" + group.replace(":", "").lower()


def _groups(text: str) -> list[str]:
    return [
        group_table(match["b"] or f"{match['letter']}:{match['number']}")
        for match in GROUP.finditer(text)
        if match["b"] or match["letter"]
    ]


def _countries(names: str, where: str) -> list[str]:
    return [
        country_table(iso_code(re.sub(r"^the\s+", "", name), where))
        for name in NAME_SEPARATOR.split(names.strip(" ."))
        if name
    ]


def _to_or_within(match: re.Match[str], where: str) -> Scope:
    within = match["within"]
    named = SPECIFIED.split(within, maxsplit=1)
    countries = _countries(named[0], where) if len(named) == 2 else []
    scope: Scope = {"tables": countries + _groups(within)}
    if not scope["tables"]:
        raise UnknownCountry(f"{where}: no destination in {within!r}")
    if match["outside"]:
        scope["outside_tables"] = _groups(match["outside"])
    return scope


@dataclass(frozen=True)
class ScopeReading:
    reason: str
    scope: Scope
    approximate: tuple[str, ...] = ()


def read_scope(code: str | None, cell: str, where: str) -> ScopeReading:
    """The destinations a Country Chart cell names, and the reason code it gives the control."""
    text = " ".join(cell.split())
    reason = code or RUSSIA_SECTOR_REASON
    columns = list(COLUMN.finditer(text))
    if len(columns) == 1:
        column = columns[0]
        if code is not None and column["code"] != code:
            raise ValueError(f"{where}: the control names {code}, its chart cell {column['code']}: {cell!r}")
        rest = (text[: column.start()] + text[column.end() :]).strip(" .,")
        note = (f"the cell also says '{rest}', not encoded",) if rest else ()
        return ScopeReading(column["code"] + column["number"], {"tables": [chart_table(*column.groups())]}, note)
    if len(columns) > 1:
        raise ValueError(f"{where}: several columns in one cell (not split into controls): {cell!r}")
    if (bare := BARE_COLUMN.fullmatch(text)) and code in CHART_CODES.split("|"):
        return ScopeReading(f"{code}{bare['number']}", {"tables": [chart_table(code, bare["number"])]})
    try:
        if match := ALL_EXCEPT.search(text):
            return ScopeReading(reason, {"outside_tables": _countries(match["names"], where)})
        if WORLDWIDE.search(text):
            return ScopeReading(reason, {})
        if match := TO_OR_WITHIN.fullmatch(text):
            return ScopeReading(reason, _to_or_within(match, where))
        if match := LICENSE_TO.fullmatch(text):
            what = match["what"]
            note = (f"'{what}' is not encoded",) if re.search(r"\b(?:other than|except)\b", what) else ()
            return ScopeReading(reason, {"tables": _countries(match["names"], where)}, note)
        if match := COUNTRY_LIST.fullmatch(text):
            return ScopeReading(reason, {"tables": _countries(match["names"], where)})
    except UnknownCountry:
        pass  # a sentence that names no country the pack knows ("CWC non-States Parties"): not stated here
    return ScopeReading(reason, {}, (NOT_STATED.format(cell=text),))


# --- paragraphs ----------------------------------------------------------------------------------------------

LEVEL = r"(?:[a-z]|\d+)"
FULL = re.compile(rf"(?P<eccn>\d[A-E]\d{{3}})(?P<number>(?:\.{LEVEL}(?![a-z0-9]))*)")
DOTTED = re.compile(rf"\.(?P<number>{LEVEL}(?:\.{LEVEL})*)(?![\w])")
UNDOTTED = re.compile(rf"(?P<number>[a-z]\.{LEVEL}(?:\.{LEVEL})*)(?![\w])")
LETTER = re.compile(r"(?P<number>[a-z])(?=$|[,;)]|\.(?:\s|$)|\s+(?:and|or|to|through|only)\b)")
PARAGRAPH_WORD = re.compile(r"paragraphs?\s+")
SEPARATOR = re.compile(r"\s*,\s*(?:(?:and|or)\s+)?|\s+(?:and|or)\s+(?:to\s+)?|\s+(?P<range>through|to)\s+")
EXCEPT_PAREN = re.compile(r"\s*\(except\s+(?P<body>[^()]*(?:\([^()]*\)[^()]*)*)\)")
BOUNDARY = " (,:;"
ENTIRE = re.compile(r"(?:the\s+)?entire\s+entry\.?")
ENTIRE_EXCEPT = re.compile(r"(?:the\s+)?entire\s+entry,?\s+except:?\s+(?P<list>.+?)\.?")
# Where one alternative of a control ends and the next begins: each must name paragraphs of the entry, or the
# alternative without them ("shotguns … and paragraphs .c") would be left out of the control.
ALTERNATIVES = re.compile(r";\s*(?:(?:and|AND)\s+)?|\s+AND\s+|,?\s+as well as\s+|,?\s+and\s+to\s+")
LINKED = re.compile(r"(?:^|\b(?:in|by|of|under))\s*$")  # a description that qualifies the paragraphs after it
# A paragraph number the runs did not read ("b (carbon …", "and e.1 for"): the list is not understood.
STRAY = re.compile(r"(?<![\w.’'])(?:\.[a-z](?![\w])|[a-z]\.\d+\b|[b-z](?=\s\(|,))")
FILLER = re.compile(
    r"“?(?:items|commodities|software|technology)”?|\b(?:controlled|specified|described|in|by|to|only|of this entry"
    r"|and|or|ECCNs?)\b|[,;.]"
)
EXCEPT_BEFORE = re.compile(r"\bexcept\b[^;]*$", re.IGNORECASE)


@dataclass
class Run:
    """A list of paragraph references ("3A001.b.2 and b.3", "paragraphs .a, .b"), as full numbers per ECCN."""

    start: int
    end: int
    refs: list[tuple[str, str]] = field(default_factory=list)  # (ECCN, paragraph; "" for the entry itself)
    excluded: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # a ref → its "(except …)" paragraphs
    approximate: list[str] = field(default_factory=list)


def _normalised(text: str) -> str:
    """Spacing the source varies: "8A620. b" → "8A620.b", "9A004 .g" → "9A004.g", "3A001.z. 1.b" → "3A001.z.1.b"."""
    text = " ".join(text.split())
    text = re.sub(r"(\d[A-E]\d{3})\s+\.(?=[a-z0-9])", r"\1.", text)
    return re.sub(r"(\d[A-E]\d{3}(?:\.[a-z0-9]+)*)\.\s(?=(?:[a-z]|\d+)(?:[.,\s]|$))", r"\1.", text)


def _relative(text: str, position: int) -> re.Match[str] | None:
    return DOTTED.match(text, position) or UNDOTTED.match(text, position) or LETTER.match(text, position)


def _resolve(number: str, previous: str) -> str:
    """A number written after another: `.16` after `d.15` is `d.16` (a level under the same paragraph); one that
    starts with a letter (`b.3`, `.c`) counts from the entry."""
    if number[0].isalpha():
        return number
    levels = number.split(".")
    return ".".join(previous.split(".")[: -len(levels)] + levels)


def _range(first: str, last: str) -> list[str] | None:
    """`a.1` … `a.3` → a.1, a.2, a.3; None when the two ends are not siblings."""
    *head, start = first.split(".")
    *tail, end = last.split(".")
    if head != tail or start.isdigit() != end.isdigit():
        return None
    if start.isdigit():
        levels = [str(level) for level in range(int(start), int(end) + 1)]
    else:
        levels = [chr(level) for level in range(ord(start), ord(end) + 1)]
    return [".".join([*head, level]) for level in levels] or None


def _run(text: str, position: int, eccn: str, number: str) -> Run:
    """The list that starts at `position` with a first reference already read (ending at `position`)."""
    run = Run(position, position, [(eccn, number)])
    while True:
        if paren := EXCEPT_PAREN.match(text, run.end):
            body = _list(paren["body"], eccn, number)
            if body is None:
                run.approximate.append(f"the exception '(except {paren['body']})' is not applied")
            else:
                run.excluded[run.refs[-1]] = [part for _eccn, part in body]
            run.end = paren.end()
        separator = SEPARATOR.match(text, run.end)
        if separator is None:
            return run
        item = _first(text, separator.end(), eccn, number)
        if item is None:
            return run
        eccn, following, end = item
        if separator["range"]:
            members = _range(number, following) if eccn == run.refs[-1][0] else None
            if members is None:
                run.approximate.append(f"the range '{text[run.end : end]}' is not read")
                members = [following]
            run.refs.extend((eccn, member) for member in members[1:])
        else:
            run.refs.append((eccn, following))
        number, run.end = following, end


def _first(text: str, position: int, eccn: str, previous: str) -> tuple[str, str, int] | None:
    """The reference at `position`: (ECCN, paragraph, end), a bare number counting from `eccn`."""
    if full := FULL.match(text, position):
        return full["eccn"], full["number"].lstrip("."), full.end()
    if relative := _relative(text, position):
        return eccn, _resolve(relative["number"], previous), relative.end()
    return None


def _list(text: str, eccn: str, previous: str) -> list[tuple[str, str]] | None:
    """A text that is one list of references only ("a.3.d.2.a and a.3.e", "0A606.b and .y"); None otherwise."""
    first = _first(text, 0, eccn, previous)
    if first is None:
        return None
    run = _run(text, first[2], first[0], first[1])
    return run.refs if text[run.end :].strip(" .") == "" and not run.excluded else None


def runs(text: str, eccn: str) -> list[Run]:
    """Every list of references in a control's text, left to right."""
    found: list[Run] = []
    position = 0
    while position < len(text):
        if position and text[position - 1] not in BOUNDARY:
            position += 1
            continue
        start = position
        if full := FULL.match(text, position):
            run = _run(text, full.end(), full["eccn"], full["number"].lstrip("."))
        elif (word := PARAGRAPH_WORD.match(text, position)) and (relative := _relative(text, word.end())):
            run = _run(text, relative.end(), eccn, relative["number"])
        else:
            position += 1
            continue
        run.start = start
        found.append(run)
        position = max(run.end, position + 1)
    return found


@dataclass(frozen=True)
class PartsReading:
    parts: tuple[str, ...]
    approximate: tuple[str, ...] = ()


class Paragraphs:
    """An entry's paragraphs ("a", "a.1", …, in the CFR's order), as a tree for the paragraphs a control leaves
    out ("entire entry, except .y")."""

    def __init__(self, numbers: Sequence[str]) -> None:
        self.numbers = list(numbers)
        self.known = set(self.numbers)
        self.children: dict[str, list[str]] = {}
        for number in self.numbers:
            parent = number.rsplit(".", 1)[0] if "." in number else ""
            self.children.setdefault(parent, []).append(number)

    def __contains__(self, number: object) -> bool:
        return number in self.known

    def cover(self, scope: str, excluded: Iterable[str]) -> list[str]:
        """The fewest paragraphs that hold all of `scope` ("" the entry) but none of `excluded`."""
        left_out = set(excluded)

        def under(node: str) -> list[str]:
            if node in left_out:
                return []
            if not any(node == "" or out.startswith(node + ".") for out in left_out):
                return [node]
            return [part for child in self.children.get(node, []) for part in under(child)]

        return under(scope)


def _conditions(rest: str) -> bool:
    """Whether the text outside the references says more than which items ("items controlled by", "only")."""
    return bool(FILLER.sub("", rest).strip(" ’'“”()"))


def _whole(why: str) -> PartsReading:
    return PartsReading((), (why,))


def _entire_entry(body: str, eccn: str, paragraphs: Paragraphs | None) -> PartsReading:
    if ENTIRE.fullmatch(body):
        return PartsReading(())
    exception = ENTIRE_EXCEPT.fullmatch(body)
    listed = _list(exception["list"], eccn, "") if exception else None
    if exception is None or listed is None:
        return _whole("its conditions and exceptions are not applied: read for the whole entry")
    numbers = [number for ref_eccn, number in listed if ref_eccn == eccn and number]
    if paragraphs is None:
        why = "the extraction does not number this category's paragraphs"
        return _whole(f"the exception of {exception['list']} is not applied ({why}): read for the whole entry")
    if len(numbers) != len(listed) or any(number not in paragraphs for number in numbers):
        return _whole(f"the exception of {exception['list']} is not applied: read for the whole entry")
    return PartsReading(tuple(f"{eccn}.{part}" for part in paragraphs.cover("", numbers)))


def _alternatives_named(text: str, own: Sequence[Run]) -> bool:
    """Whether every alternative of the text names paragraphs of the entry, and the text before the first names
    only what they are ("pulse discharge capacitors in 3A001.e.2")."""
    prefix = text[: own[0].start].strip()
    if prefix and (ALTERNATIVES.search(prefix) or not LINKED.search(prefix)):
        return False
    splits = list(ALTERNATIVES.finditer(text, own[0].end))
    starts = [split.end() for split in splits]
    ends = [split.start() for split in splits[1:]] + [len(text)] * bool(splits)
    bounds = zip(starts, ends, strict=True)
    return all(any(start <= run.start < end for run in own) for start, end in bounds)


def _outside(text: str, found: Sequence[Run]) -> str:
    """The text that no list of references covers."""
    ends = [0, *(run.end for run in found)]
    starts = [*(run.start for run in found), len(text)]
    return " ".join(text[end:start] for end, start in zip(ends, starts, strict=True))


def read_parts(eccn: str, body: str, paragraphs: Paragraphs | None) -> PartsReading:
    """The paragraphs of `eccn` a control's text (after "XX applies to") limits it to; none: the whole entry."""
    text = _normalised(body)
    if re.match(r"(?:the\s+)?entire\s+entry\b", text):
        return _entire_entry(text, eccn, paragraphs)
    found = runs(text, eccn)
    excepted = [run for run in found if EXCEPT_BEFORE.search(text[: run.start])]
    own = [run for run in found if run not in excepted and any(ref_eccn == eccn for ref_eccn, _ in run.refs)]
    notes = [note for run in found for note in run.approximate]
    for run in excepted:
        clause = EXCEPT_BEFORE.search(text[: run.start])
        start = clause.start() if clause else run.start
        quoted = text[start:].split(";", 1)[0]
        notes.append(f"the exception '{quoted}' is not applied")
    if not own:
        return _whole("the text limits the control to what it describes, not to paragraphs: read for the whole entry")
    numbers = [number for run in own for ref_eccn, number in run.refs if ref_eccn == eccn]
    rest = _outside(text, found)
    if "" in numbers:  # the entry itself ("0A506"), or with a condition ("0A502 for shotguns …")
        exact = not notes and not _conditions(rest)
        return PartsReading(()) if exact else _whole("its conditions are not applied: read for the whole entry")
    if not _alternatives_named(text, own):
        return _whole("an alternative of the text names no paragraph: read for the whole entry")
    if STRAY.search(rest):
        return _whole("the text's list of paragraphs is not read: read for the whole entry")
    if paragraphs is not None and (missing := [number for number in numbers if number not in paragraphs]):
        return _whole(f"names {', '.join(missing)}, which the entry's text does not number: read for the whole entry")
    parts: list[str] = []
    for run in own:
        for ref in run.refs:
            if ref[0] != eccn:
                continue
            excluded = run.excluded.get(ref, [])
            if excluded and paragraphs is not None and all(number in paragraphs for number in excluded):
                covered = paragraphs.cover(ref[1], excluded)
            else:
                covered = [ref[1]]
                if excluded:
                    notes.append(f"the exception of {', '.join(excluded)} is not applied")
            parts.extend(f"{eccn}.{number}" for number in covered if f"{eccn}.{number}" not in parts)
    if _conditions(rest) and not notes:
        notes.append("the text's conditions are not applied: read for all of the paragraphs it names")
    return PartsReading(tuple(parts), tuple(notes))


# --- lines ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    reason: str
    text: str
    scope: Scope
    parts: tuple[str, ...]
    approximate: tuple[str, ...]


def _pairs(control: str, cell: str) -> list[tuple[str, str]]:
    """A line as (control, cell) pairs: a line whose cell names two columns ("NP Column 1 AT Column 1") is two
    controls, and a cell the extraction merged with its control ("CB applies to entire entry CB Column 2.") is
    split from it."""
    columns = list(COLUMN.finditer(cell))
    if len(columns) > 1:
        controls = [match.start() for match in LEADING_CODE.finditer(control)]
        if len(controls) != len(columns):
            raise ValueError(f"{len(columns)} columns for {len(controls)} controls: {control!r} / {cell!r}")
        pieces = [
            control[start:end].strip() for start, end in zip(controls, [*controls[1:], len(control)], strict=True)
        ]
        return [(piece, column.group()) for piece, column in zip(pieces, columns, strict=True)]
    if control == cell and len(columns) == 1 and columns[0].start() > 0:
        return [(control[: columns[0].start()].strip(), control[columns[0].start() :].strip())]
    return [(control, cell)]


def read_line(eccn: str, control: str, cell: str, paragraphs: Paragraphs | None) -> list[Reading]:
    """One line of the entry's License Requirements table, as one control or (two columns in a cell) two."""
    readings = []
    for own_control, own_cell in _pairs(control.strip(), cell.strip()):
        where = f"{eccn} ({own_control!r})"
        leading = LEADING_CODE.match(own_control) or RUSSIA_SECTOR.match(own_control)
        if leading is None:
            raise ValueError(f"{where}: the control names no reason for control")
        code = leading.groupdict().get("code")
        scope = read_scope(code, own_cell, where)
        parts = read_parts(eccn, own_control[leading.end() :], paragraphs)
        plain_cell = own_cell == own_control or COLUMN.fullmatch(own_cell.rstrip(" ."))
        text = own_control if plain_cell else f"{own_control} — {' '.join(own_cell.split())}"
        readings.append(Reading(scope.reason, text, scope.scope, parts.parts, scope.approximate + parts.approximate))
    return readings
