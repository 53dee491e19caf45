"""The shape of the shared EAR extractions (../shared/data/us/), read where they are, and the pack's source ids."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypedDict

CCL_FILE = "ear-ccl-2026-07-23.json"
CHART_FILE = "ear-country-chart-2026-07-23.json"
GROUPS_FILE = "ear-country-groups-2026-07-23.json"

CCL_SOURCE = "us.ear.774-supp1"
CHART_SOURCE = "us.ear.738-supp1"
GROUPS_SOURCE = "us.ear.740-supp1"


class RawItem(TypedDict):
    paragraph: str | None
    kind: str  # item, text or note
    depth: int
    text: str


class RawChartLine(TypedDict, total=False):
    control: str
    countryChart: str
    singleCellRow: bool
    requirementCellEmptyInSource: bool


class RawEntry(TypedDict, total=False):
    eccn: str
    category: str
    productGroup: str
    heading: str
    reasonForControl: str | None
    countryChart: list[RawChartLine]
    items: list[RawItem]


class RawCcl(TypedDict):
    ecfrIssueDate: str
    deepCategories: list[str]
    entryCount: int
    entries: list[RawEntry]


class RawRow(TypedDict):
    marks: list[str]
    footnotes: list[int]


class RawChart(TypedDict):
    ecfrIssueDate: str
    columns: list[str]
    columnLabels: dict[str, str]
    countries: dict[str, RawRow]
    embargoed: dict[str, Any]
    footnotes: dict[str, str]
    aliases: dict[str, str]
    territoryInheritance: dict[str, dict[str, str]]


class RawGroups(TypedDict):
    ecfrIssueDate: str
    labels: dict[str, str]
    groups: dict[str, list[str]]
    aliases: dict[str, str]


class Shared(TypedDict):
    ccl: RawCcl
    chart: RawChart
    groups: RawGroups


def _read(path: Path) -> Any:
    if not path.is_file():
        raise FileNotFoundError(f"{path}: not found (the shared EAR extractions are read where they are)")
    return json.loads(path.read_text(encoding="utf-8"))


def load(folder: Path) -> Shared:
    return {
        "ccl": _read(folder / CCL_FILE),
        "chart": _read(folder / CHART_FILE),
        "groups": _read(folder / GROUPS_FILE),
    }
