"""Japan's pack files of pack format 1 read as format 2: the vocabulary the engine held before the pack declared it.

Versions of the pack stored before format 2 (`services/orders.keep_pack_version`) are replayed years later. They are
upgraded with the values Japan's engine used then, written here rather than read from today's YAML: the YAML may
change with the law, a stored version must keep reading as it was determined. They are the values format 2's YAML
was first written with (tests/regime/test_pack_format_upgrade.py checks the shipped pack still agrees).
"""

from __future__ import annotations

import copy
from typing import Any

from exportctl.regime.yamltext import PackError

# pack.yaml. Technology provided in JP was decided by residency; the grammar of Appended Table 1's and the Foreign
# Exchange Order's ids (the schema's ENTRY_ID and ROW_ID); the words of the engine's reasons.
HOME = ["JP"]
ENTRY_IDS = {
    "goods": {"pattern": r"(?P<row>\d{1,2}(-2)?)(\(\d{1,2}(-\d{1,2})?\))?", "examples": ["5(17)", "3-2(1)", "16"]},
    "technology": {
        "pattern": r"tech:(?P<row>\d{1,2}(-2)?)(\(\d{1,2}(-\d{1,2})?\))?",
        "examples": ["tech:2(1)", "tech:16"],
    },
    "rows": {"pattern": r"\d{1,2}(-2)?", "examples": ["5", "3-2"]},
}
TERMS = {
    "home": "Japan",
    "not_listed": "not listed in rows 1–15",
    "informed": "METI has informed the exporter",
    "not_informed": "no inform notice",
    "end_user_list": "End User List",
}

# destinations.yaml: the snapshot derived the groups in this order (a country in table-4 and table-3-2 cited table-4).
GROUPS = [
    {"id": "A", "title": {"en": "Group A", "ja": "グループA"}, "tables": ["table-3"]},
    {"id": "D", "title": {"en": "Group D", "ja": "グループD"}, "tables": ["table-4", "table-3-2"]},
    {"id": "B", "title": {"en": "Group B", "ja": "グループB"}, "tables": ["group-b"]},
    {"id": "C", "title": {"en": "Group C", "ja": "グループC"}},
]

# licences.yaml: what the engine's "licence required" reasons cited, and the codes `exportctl timeline` printed
# (a type without one printed its id, as a type without `abbreviation` still does).
REQUIRED = {
    "goods": {"source": "jp.fefta.art48", "law": "FEFTA art. 48(1)", "listed_in": "Appended Table 1"},
    "technology": {
        "source": "jp.fefta.art25",
        "law": "FEFTA art. 25(1)",
        "listed_in": "the Foreign Exchange Order's Appended Table",
    },
}
ABBREVIATIONS = {
    "individual": "IND",
    "general-bulk": "GB",
    "special-general-bulk": "SGB",
    "specific-bulk": "SB",
    "specific-subsidiary-bulk": "SSB",
    "special-return-bulk": "SRB",
}

# catch_all.yaml: format 1's four scope words, as the engine read them.
SCOPES: dict[str, dict[str, list[str]]] = {
    "all": {},
    "group-a": {"groups": ["A"]},
    "outside-group-a": {"outside_groups": ["A"]},
    "table-3-2": {"tables": ["table-3-2"]},
}

# control/*.yaml: the row the engine took for the catch-all row.
CATCH_ALL_ROW = "16"

# The keys format 2 added at the top of a file: a file holding one is not format 1 (it lacks `format: 2`).
ADDED = {"pack.yaml": ("home", "entry_ids", "terms"), "destinations.yaml": ("groups",), "licences.yaml": ("required",)}


def upgrade(files: dict[str, Any]) -> dict[str, Any]:
    """Format 1 → 2, changing `files` (name → parsed YAML) in place. A file that is not the shape format 1 had is
    left as it is, for validation to locate the problem."""
    _refuse_format_2(files)
    new = copy.deepcopy  # each load gets its own copies: the values above stay as the engine had them
    files["pack.yaml"].update(home=new(HOME), entry_ids=new(ENTRY_IDS), terms=new(TERMS))
    destinations = files.get("destinations.yaml")
    licences = files.get("licences.yaml")
    catch_all = files.get("catch_all.yaml")
    if isinstance(destinations, dict):
        destinations["groups"] = new(GROUPS)
    if isinstance(licences, dict):
        licences["required"] = new(REQUIRED)
        for licence, found in _items(licences.get("types")):
            if isinstance(found, dict) and licence in ABBREVIATIONS:
                found["abbreviation"] = ABBREVIATIONS[licence]
    if isinstance(catch_all, dict):
        for _, rule in _items(catch_all.get("rules")):
            scope = rule.get("destinations") if isinstance(rule, dict) else None
            if isinstance(scope, str) and scope in SCOPES:
                rule["destinations"] = new(SCOPES[scope])
    for name, control in files.items():
        if name.startswith("control/") and isinstance(control, dict):
            for _, row in _items(control.get("rows")):
                if isinstance(row, dict) and str(row.get("id")) == CATCH_ALL_ROW:
                    row["catch_all"] = True
    return files


def _refuse_format_2(files: dict[str, Any]) -> None:
    for name, keys in ADDED.items():
        data = files.get(name)
        for key in keys:
            if isinstance(data, dict) and key in data:
                raise PackError(
                    name, (key,), None, f"pack format 1 has no '{key}': a pack in the current format says `format: 2`"
                )


def _items(value: Any) -> list[tuple[Any, Any]]:
    """A mapping's items or a list's (index, item) pairs; nothing for anything else."""
    if isinstance(value, dict):
        return list(value.items())
    return list(enumerate(value)) if isinstance(value, list) else []
