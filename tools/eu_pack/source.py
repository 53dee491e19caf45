"""The shape of the shared extraction of Regulation (EU) 2021/821's annexes (../shared/data/eu/), read where it is."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TypedDict

ANNEX_I_SOURCE = "eu.2021-821.annex-i"
ANNEX_II_SOURCE = "eu.2021-821.annex-ii"


class RawEntry(TypedDict):
    entry_code: str
    category: str
    verbatim_text: str
    parameters: list[str]
    applicable_notes: list[str]


class RawUgea(TypedDict):
    id: str
    title: str
    verbatim_text: str


class RawAnnex(TypedDict):
    celex: str
    corpus_version: str
    valid_from: str
    entry_count: int
    entries: list[RawEntry]
    geas: list[RawUgea]
    gea_common_list: str


def load(path: Path) -> RawAnnex:
    annex: RawAnnex = json.loads(path.read_text(encoding="utf-8"))
    return annex
