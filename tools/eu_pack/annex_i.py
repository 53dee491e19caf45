"""Annex I of Regulation (EU) 2021/821 as the pack's control files: one row per category, one entry per entry code.

An entry's `control_numbers` is its code alone and its `parts` are its live numbered sub-paragraphs (`3A001.a.1`), so
that each sub-paragraph is an item of its own and a number the text does not hold ("Not used", or no such paragraph)
resolves to nothing rather than to the entry.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml
from annex_criteria import EntryCriteria, merge
from source import ANNEX_I_SOURCE, RawAnnex, RawEntry
from yamlout import comments, dump

from exportctl.regime.schema import ControlFile, Parameter

# The id grammar the files are written in (pack.yaml's `entry_ids`): an entry code names its category, which is its
# row; groups A–C are goods, D (software) and E (technology) are technology entries.
ENTRY_IDS = {
    "goods": r"(?P<row>\d)[A-C]\d{3}",
    "technology": r"(?P<row>\d)[DE]\d{3}",
    "rows": r"\d",
}

# Annex I's table of contents (Parts II–XI): the categories' names.
CATEGORIES = {
    "0": "Nuclear materials, facilities and equipment",
    "1": "Special materials and related equipment",
    "2": "Materials processing",
    "3": "Electronics",
    "4": "Computers",
    "5": 'Telecommunications and "information security"',
    "6": "Sensors and lasers",
    "7": "Navigation and avionics",
    "8": "Marine",
    "9": "Aerospace and propulsion",
}

# The controlling regime from Annex I's numbering (third digit of the code); Category 0 is the NSG trigger list.
REGIME_BY_DIGIT = {"0": "wassenaar", "1": "mtcr", "2": "nsg", "3": "ag", "4": "cwc", "5": "eu"}

# The 500-series are the Union's own controls, first listed by Delegated Regulation (EU) 2025/2003, which entered into
# force on 2025-11-15, the day after its publication (its Art. 2, quoted by the shared data's notes file). That the
# 2025 update introduced the series (none was listed after Delegated Regulation (EU) 2024/2547) is read from
# secondary sources, not from the Official Journal: see the header of each control file.
SERIES_500_FROM = date(2025, 11, 15)
SERIES_500_NOTE = "a 500-series entry added by Delegated Regulation (EU) 2025/2003 (in force 2025-11-15, its Art. 2)"

LINE = re.compile(r"(?P<entry>\d[A-E]\d{3})(?P<sub>(?:\.[0-9a-z]+)*)\.?\s?(?P<text>.*)")
CODE = re.compile(r"\b\d[A-E]\d{3}(?:\.[0-9a-z]+)*")
# A line whose text starts like this is a note on the provision it follows, not a provision of its own;
# "SEE MILITARY GOODS CONTROLS FOR …" in a sub-paragraph's place says the item is on the military list, not in Annex I.
NOTE = re.compile(r"(N\.B\.|Notes?\b|Technical Notes?\b|SEE ALSO\b|SEE MILITARY GOODS CONTROLS\b)")
NOT_USED = re.compile(r"Not used\b")

# The extraction numbers 1C010.e's sub-paragraphs "1C010.1…" where the Regulation has "1C010.e.1…": 1C010.e reads
# "having all of the following:", and the entry's notes cite "1C010.e.1.b." and "1C010.e.2." (the DMA Tg paragraph
# the source numbers 1C010.1.2). Renumbered in this order; a renumbering that no longer applies is an error.
RENUMBERED = {"1C010": (("1C010.1.2", "1C010.e.2"), ("1C010.1", "1C010.e.1"))}


@dataclass
class AnnexEntry:
    """One Annex I entry code as the text gives it: its provisions by code, and the notes on them in order."""

    code: str
    title: str
    provisions: dict[str, str] = field(default_factory=dict)
    notes: list[tuple[str, str]] = field(default_factory=list)
    not_used: list[str] = field(default_factory=list)

    @property
    def category(self) -> str:
        return self.code[0]

    @property
    def live(self) -> bool:
        return not NOT_USED.match(self.title)

    @property
    def kind(self) -> str:
        return "technology" if self.code[1] in "DE" else "goods"

    @property
    def series_500(self) -> bool:
        return self.code[2] == "5"

    @property
    def regime(self) -> str:
        return "nsg" if self.category == "0" else REGIME_BY_DIGIT[self.code[2]]

    @property
    def parts(self) -> list[str]:
        """The live sub-paragraphs: not "Not used" (and cross-references to the military list are notes)."""
        return [code for code in self.provisions if code != self.code and code not in self.not_used]


def _renumbered(code: str, renumbering: tuple[tuple[str, str], ...], used: set[str]) -> str:
    for old, new in renumbering:
        if code == old or code.startswith(old + "."):
            used.add(old)
            return new + code[len(old) :]
    return code


def parse_entry(raw: RawEntry) -> AnnexEntry:
    entry: AnnexEntry | None = None
    renumbering, renumbered = RENUMBERED.get(raw["entry_code"], ()), set[str]()
    note_list = ""  # a note ending in ':' lists its points one level under the provision it follows
    for line in raw["verbatim_text"].split("\n"):
        match = LINE.fullmatch(line.strip())
        if match is None or match["entry"] != raw["entry_code"]:
            raise ValueError(f"{raw['entry_code']}: a line that does not start with its code: {line[:80]!r}")
        code = _renumbered(match["entry"] + match["sub"], renumbering, renumbered)
        text = match["text"].strip()
        if entry is None:
            if code != raw["entry_code"]:
                raise ValueError(f"{raw['entry_code']}: the text does not start with the entry's heading")
            entry = AnnexEntry(code, text, {code: text})
            continue
        in_note_list = bool(note_list) and code.rsplit(".", 1)[0] == note_list and not NOTE.match(text)
        note_list = code if NOTE.match(text) and text.endswith(":") else note_list if in_note_list else ""
        if in_note_list or NOTE.match(text) or code in entry.provisions:
            # a note or a point of its list (9A106.d's "The only servo valves … are the following: a. …"), or a
            # continuation of the provision (a table row)
            entry.notes.append((code, text))
        else:
            entry.provisions[code] = text
            if NOT_USED.match(text):
                entry.not_used.append(code)
    if entry is None:
        raise ValueError(f"{raw['entry_code']}: no text")
    if renumbered != {old for old, _new in renumbering}:
        raise ValueError(f"{raw['entry_code']}: the source no longer numbers {renumbering} so; check RENUMBERED")
    return entry


VERIFIED_FROM = "2025-11-15"
VERIFIED_TEXT = "Annex I as consolidated on 2025-11-15 (02021R0821-20251115)"


def entry_note(entry: AnnexEntry) -> str | None:
    lines = [f"[{code}] {text}" for code, text in entry.notes]
    if entry.not_used:
        lines.append(f"Not used in this text: {', '.join(entry.not_used)}.")
    return "\n".join(lines) or None


def entry_record(entry: AnnexEntry) -> dict[str, Any]:
    record: dict[str, Any] = {"id": entry.code}
    if entry.kind == "technology":
        record["kind"] = "technology"
    record["row"] = entry.category
    record["title"] = {"en": entry.title, "ja": entry.title}
    record["regime"] = entry.regime
    record["control_numbers"] = [entry.code]
    if entry.parts:
        record["parts"] = entry.parts
    if entry.series_500:
        record["periods"] = [{"from": SERIES_500_FROM, "source": ANNEX_I_SOURCE, "note": SERIES_500_NOTE}]
    else:
        record["periods"] = [{"source": ANNEX_I_SOURCE}]
    # The text the entry (and its criteria) was read in: a specification decided on an earlier date says so.
    record["verified"] = [{"from": VERIFIED_FROM, "text": VERIFIED_TEXT}]
    note = entry_note(entry)
    if note:
        record["note"] = note
    return record


def row_record(category: str, entries: list[AnnexEntry]) -> dict[str, Any]:
    name = f"Category {category} — {CATEGORIES[category]}"
    technology = f"{name}: software and technology"
    return {
        "id": category,
        "regime": "nsg" if category == "0" else "multiple",
        "goods_title": {"en": name, "ja": name},
        "technology_title": {"en": technology, "ja": technology},
        "goods_source": ANNEX_I_SOURCE,
        "technology_source": ANNEX_I_SOURCE,
        "destinations": "all",
        "sub_items": [entry.code for entry in entries if entry.live],
    }


def control_file(
    category: str,
    entries: list[AnnexEntry],
    annex: RawAnnex,
    criteria: Mapping[str, EntryCriteria],
    parameters: Mapping[str, Parameter],
) -> str:
    """The category's control file; an entry with hand-written criteria (annex_criteria.py) carries its clauses."""
    live = [entry for entry in entries if entry.live]
    series_500 = [entry.code for entry in live if entry.series_500]
    encoded = [entry.code for entry in live if entry.code in criteria]
    not_used = [entry.code for entry in entries if not entry.live]
    header = comments(
        f"Written by tools/eu_pack/build_annex.py from the consolidated text {annex['corpus_version']} (CELEX"
        f" {annex['celex']}, valid from {annex['valid_from']}); re-run the builder rather than editing by hand.",
        f"Annex I of Regulation (EU) 2021/821, Category {category} — {CATEGORIES[category]}. The category is the row"
        " (goods A–C; software D and technology E are technology entries); one entry per live entry code.",
        "title: the entry's first line without its code. ja repeats the English: no Japanese translation of Annex I"
        " exists in the source.",
        "control_numbers: the entry code. parts: each live sub-paragraph (3A001.a.1), an item of its own; a number"
        " under the entry that is not among them resolves to nothing. Sub-paragraphs the text marks 'Not used', 'SEE"
        " MILITARY GOODS CONTROLS' cross-references and the points a note lists are not parts (no dual-use item of the"
        " entry); the note names them. 1C010.e's sub-paragraphs, which the source numbers 1C010.1…, are 1C010.e.1….",
        "regime: from Annex I's numbering (third digit 0 Wassenaar, 1 MTCR, 2 NSG, 3 AG, 4 CWC, 5 the Union's"
        " 500-series; Category 0 NSG); the source text does not state the convention.",
        "note: the notes (N.B., Note, Technical Note, decontrol notes) in the text's order, each prefixed with the"
        " provision it follows.",
        f"Entry ids: goods {ENTRY_IDS['goods']}, technology {ENTRY_IDS['technology']}, rows {ENTRY_IDS['rows']}.",
        "500-series entries (from 2025-11-15: Delegated Regulation (EU) 2025/2003, in force the day after its"
        " publication per its Art. 2, as the shared data's notes file quotes it; that this regulation introduced the"
        " series is from secondary sources): " + (", ".join(series_500) or "none"),
        "Entry codes the text marks 'Not used' (no entry): " + (", ".join(not_used) or "none"),
        f"clauses, complete: merged from the hand-written tools/eu_pack/criteria/cat-{category}.yaml, written from the"
        " same verbatim text; entries with clauses: " + (", ".join(encoded) or "none") + ".",
    )
    body = ["rows:\n", dump([row_record(category, entries)], indent=2), "entries:\n"]
    for entry in live:
        record = entry_record(entry)
        if entry.code in criteria:
            record = merge(record, criteria[entry.code], parameters)
        body.append(dump([record], indent=2))
    text = header + "".join(body)
    ControlFile.model_validate(yaml.safe_load(text))  # fail here rather than in the pack loader
    return text
