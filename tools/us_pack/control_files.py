"""The CCL (Supplement No. 1 to part 774) as the pack's control files: one row per category, one entry per ECCN."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from annex_criteria import EntryCriteria, merge
from ccl_source import CCL_SOURCE, RawEntry
from chart_text import Reading, Scope
from yamlout import comments, dump

from exportctl.regime.schema import ControlFile, Parameter

# Supplement No. 1 to part 774: the categories' names.
CATEGORIES = {
    "0": "Nuclear Materials, Facilities, and Equipment [and Miscellaneous Items]",
    "1": "Special Materials and Related Equipment, Chemicals, “Microorganisms,” and “Toxins”",
    "2": "Materials Processing",
    "3": "Electronics",
    "4": "Computers",
    "5": "Telecommunications and “Information Security”",
    "6": "Sensors and Lasers",
    "7": "Navigation and Avionics",
    "8": "Marine",
    "9": "Aerospace and Propulsion",
}
TITLE_LIMIT = 200
SEE_LIST = re.compile(r"\s*\(see list of items control(?:led|s)\)", re.IGNORECASE)


@dataclass(frozen=True)
class Eccn:
    """An ECCN as read: its entry in the extraction, its paragraphs (deep categories only) and its controls."""

    raw: RawEntry
    parts: tuple[str, ...]
    controls: tuple[Reading, ...]

    @property
    def id(self) -> str:
        return self.raw["eccn"]

    @property
    def approximate(self) -> list[str]:
        return [f"{control.reason}: {note}" for control in self.controls for note in control.approximate]


def title(heading: str) -> tuple[str, str | None]:
    """The heading on one line, without "(see List of Items Controlled)", cut at a word within TITLE_LIMIT; and the
    whole heading when it was cut."""
    line = " ".join(SEE_LIST.sub("", heading).split())
    if len(line) <= TITLE_LIMIT:
        return line, None
    cut = line[: TITLE_LIMIT - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…", " ".join(heading.split())


def _scope(scope: Scope) -> dict[str, list[str]]:
    return {key: list(tables) for key, tables in scope.items() if tables}


def control_record(reading: Reading) -> dict[str, Any]:
    record: dict[str, Any] = {"reason": reading.reason, "text": reading.text, "destinations": _scope(reading.scope)}
    if reading.parts:
        record["parts"] = list(reading.parts)
    return record


def entry_record(eccn: Eccn) -> dict[str, Any]:
    text, whole = title(eccn.raw["heading"])
    record: dict[str, Any] = {
        "id": eccn.id,
        "kind": "technology" if eccn.id[1] in "DE" else "goods",
        "row": eccn.raw["category"],
        "title": {"en": text, "ja": text},
        "control_numbers": [eccn.id],
    }
    if eccn.parts:
        record["parts"] = [f"{eccn.id}.{part}" for part in eccn.parts]
    record["periods"] = [{"source": CCL_SOURCE}]
    if eccn.controls:
        record["controls"] = [control_record(reading) for reading in eccn.controls]
    if whole:
        record["note"] = whole
    return record


def row_record(category: str, eccns: Sequence[Eccn]) -> dict[str, Any]:
    name = f"Category {category} — {CATEGORIES[category]}"
    technology = f"{name}: software and technology"
    return {
        "id": category,
        "regime": "ccl",
        "goods_title": {"en": name, "ja": name},
        "technology_title": {"en": technology, "ja": technology},
        "goods_source": CCL_SOURCE,
        "technology_source": CCL_SOURCE,
        "destinations": "chart",
        "sub_items": [eccn.id for eccn in eccns],
    }


def _entry_comment(eccn: Eccn) -> str:
    """The controls read approximately, above the entry, for the person who reads them against the law."""
    lines = [
        wrapped
        for note in eccn.approximate
        for wrapped in textwrap.wrap(f"{eccn.id} {note}", 114, subsequent_indent="    ")
    ]
    return "".join(f"  # {line}\n" for line in lines)


def control_file(
    category: str,
    eccns: Sequence[Eccn],
    issue_date: str,
    deep: bool,
    criteria: Mapping[str, EntryCriteria] | None = None,
    parameters: Mapping[str, Parameter] | None = None,
) -> str:
    """The category's control file, validated against the pack schema; an ECCN with hand-written criteria
    (tools/us_pack/criteria/cat-N.yaml, checked by tools/eu_pack/annex_criteria.py) carries its clauses."""
    criteria, parameters = criteria or {}, parameters or {}
    encoded = [eccn.id for eccn in eccns if eccn.id in criteria]
    merged = (
        f"clauses, complete: merged from the hand-written tools/us_pack/criteria/cat-{category}.yaml, written from"
        f" the paragraph text of the same extraction; ECCNs with clauses: {', '.join(encoded)}."
    )
    without = [eccn.id for eccn in eccns if not eccn.controls]
    approximate = [eccn for eccn in eccns if eccn.approximate]
    header = comments(
        f"Written by tools/us_pack/build_pack.py from the shared extraction of the Commerce Control List (15 CFR part"
        f" 774, Supplement No. 1, eCFR of {issue_date}); re-run the builder rather than editing by hand.",
        f"Category {category} — {CATEGORIES[category]}. The category is the row (product groups A–C goods, D software"
        " and E technology are technology entries); one entry per ECCN. title: the heading on one line (cut at 200"
        " characters; note: the whole heading); ja repeats the English.",
        "parts: "
        + (
            "each paragraph of the ECCN's list of items (3A001.b.2), as the builder reads the extraction's numbered"
            " lines (tools/us_pack/ccl_paragraphs.py): lists inside notes and [Reserved] paragraphs are not parts."
            if deep
            else "none (the extraction gives this category's headings only): a number under an ECCN resolves to it."
        ),
        "controls: one per line of the ECCN's License Requirements table (tools/us_pack/chart_text.py): reason (the"
        " code and the Country Chart column, NS1; the code alone where the chart does not decide), the text (the"
        " control, and the chart cell when it is a sentence), destinations (the column's table, the countries and"
        " Country Groups the cell names; {} every destination), parts (the paragraphs the control is limited to;"
        " none: the whole entry). Country Chart footnotes 7 and 10 add controls (chart_footnotes.py).",
        "Where the text says more than a column and a list of paragraphs, the control is read on the side of a"
        " licence (conditions and exceptions not applied; destinations not stated: every destination) and the"
        " reason is given above the entry, for a person to check against the CFR: "
        + (
            f"{sum(len(eccn.approximate) for eccn in approximate)} notes on {len(approximate)} entries."
            if approximate
            else "none."
        ),
        "ECCNs without a License Requirements table (no controls: a licence for every destination): "
        + (", ".join(without) or "none")
        + ".",
        *([merged] if encoded else []),
    )
    body = ["rows:\n", dump([row_record(category, eccns)], indent=2), "entries:\n"]
    for eccn in eccns:
        record = entry_record(eccn)
        if eccn.id in criteria:
            record = merge(record, criteria[eccn.id], parameters)
        body.append(_entry_comment(eccn))
        body.append(dump([record], indent=2))
    text = header + "".join(body)
    ControlFile.model_validate(yaml.safe_load(text))  # fail here rather than in the pack loader
    return text
