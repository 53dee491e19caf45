"""The three labelled pair sets of the screening evaluation, their categories and the tune / held split.

Shared by the builders (`build_pairs.py`, `build_class_pairs.py`, `build_public_pairs.py`), the scorer
(`screening.py`) and the test that checks the CSVs are well formed, so that all of them agree on the columns,
the known categories and how a pair is assigned to its part.

The split: every pair is in `tune` or `held`, decided by a stable hash of (query, candidate) alone, so a pair
keeps its part when the sets are rebuilt or reordered, and the same pair is in the same part in every set. About
40 % are `held`. The held part is never used to adjust the scorer: look at its figures, never at its pairs.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent

COLUMNS = ("query", "candidate", "kind", "label", "category", "source", "part")
KINDS = ("person", "company")
PARTS = ("tune", "held")
HELD_PERCENT = 40

# set name → CSV file
SETS: dict[str, Path] = {
    "lists": HERE / "screening-pairs.csv",
    "public": HERE / "public_pairs.csv",
    "classes": HERE / "class-pairs.csv",
}

# The shipped-list set (build_pairs.py).
LIST_CATEGORIES = (
    "exact",
    "alias",
    "legal-form",
    "abbreviation",
    "typo",
    "word-order",
    "transliteration",
    "cross-script",
    "hard-negative",
)

# The error classes of issue 15 (build_class_pairs.py). Misses: pairs that are the same party (label 1).
MISS_CLASSES = (
    "legal-form-lang",  # legal forms written out vs abbreviated, many languages
    "title",  # titles and honorifics on one side
    "digits-for-letters",  # "1gor", "S3rgei"
    "number-words",  # "Forty-Four" / "44"
    "nickname",  # "Bill" / "William", from a public nickname table
    "middle-name",  # patronymic or middle name on one side only
    "repeated-part",  # a name part repeated on one side
    "slavic-translit",  # Latvian, Polish, German, French, Ukrainian forms of Russian names
    "script",  # Thai, Khmer, Bengali, Devanagari, Georgian, Armenian, Greek, Hebrew
    "han-korean",  # a Korean name in Han script vs its romanisation (金 read Kim)
    "org-translation",  # organisation words translated across scripts (株式会社, 大学, завод …)
)
# False hits: the class's negatives (label 0) with, beside them, the positives that the same names give under a
# harmless change, so that each class has its own precision.
FALSE_HIT_CLASSES = (
    "hangul-syllable",  # two Hangul names one syllable apart that romanise alike
    "han-reading",  # two Han-script Korean names whose readings collapse to one romanisation
    "rare-surname",  # one distinctive letter in a rare surname ("Pezeshkian" / "Pezeshfar" style)
    "org-word",  # organisation names differing in one distinctive word ("Bank of Chad" / "Bank of China")
)
CLASS_CATEGORIES = MISS_CLASSES + FALSE_HIT_CLASSES

# The public suites (build_public_pairs.py) are sorted into the same vocabulary where they fit.
PUBLIC_CATEGORIES = (
    "exact",
    "typo",
    "legal-form",
    "word-order",
    "transliteration",
    "cross-script",
    "title",
    "middle-name",
    "nickname",
    "number-words",
    "abbreviation",
    "different-name",
)

CATEGORIES: dict[str, tuple[str, ...]] = {
    "lists": LIST_CATEGORIES,
    "public": PUBLIC_CATEGORIES,
    "classes": CLASS_CATEGORIES,
}


def part_of(query: str, candidate: str) -> str:
    """`held` or `tune`, from a hash of the pair alone (stable across rebuilds, orderings and machines)."""
    digest = hashlib.sha256(f"{query}\x1f{candidate}".encode()).digest()
    return "held" if int.from_bytes(digest[:8], "big") % 100 < HELD_PERCENT else "tune"


@dataclass(frozen=True)
class Row:
    query: str
    candidate: str
    kind: str
    label: int
    category: str
    source: str
    part: str
    set: str = ""

    @property
    def negative_kind(self) -> str:
        return self.source.rsplit("#", 1)[-1] if "#" in self.source else "other"


def read_set(name: str, path: Path | None = None) -> list[Row]:
    """Rows of one set; a row without a `part` gets it from the hash (older CSVs)."""
    with (path or SETS[name]).open(encoding="utf-8", newline="") as handle:
        return [
            Row(
                r["query"],
                r["candidate"],
                r["kind"],
                int(r["label"]),
                r["category"],
                r["source"],
                r.get("part") or part_of(r["query"], r["candidate"]),
                name,
            )
            for r in csv.DictReader(handle)
        ]


def write_set(path: Path, rows: list[tuple[str, str, str, int, str, str]]) -> None:
    """Write (query, candidate, kind, label, category, source) rows with their part added."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for query, candidate, kind, label, category, source in rows:
            writer.writerow([query, candidate, kind, label, category, source, part_of(query, candidate)])
