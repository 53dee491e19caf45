"""Build the EU pack's control list and the drafts of its Union general export authorisations (issue 12).

Reads the consolidated extraction of Annexes I and II of Regulation (EU) 2021/821 (the shared JSON in
../shared/data/eu/, read where it is and never copied into the repository) and writes:

- into the pack folder (default src/exportctl/packs/eu): control/cat-0.yaml … cat-9.yaml, per Annex I category one
  row (goods A–C, software and technology D–E) and one entry per live entry code with its live sub-paragraphs as
  `parts`, its notes as text and the 500-series dated (annex_i.py), and for each entry that the hand-written
  tools/eu_pack/criteria/cat-N.yaml gives criteria, its clauses and `complete` (annex_criteria.py: an entry, control
  number or parameter that does not exist is an error, reported before any file is written);
- into the notes folder (default /work/notes/eu-draft), for the lead to merge into the pack's own files:
  ugea-destinations.yaml (a country table per authorisation) and ugea-coverage.yaml (what each covers, on which
  conditions) (ugea_pack.py); and the review drafts ugeas.yaml (all that Annex II says, as read) and annex-iv.yaml
  (annex_ii.py).

Usage: .venv/bin/python tools/eu_pack/build_annex.py JSON [--pack DIR] [--notes DIR] [--criteria DIR] [--parameters DIR]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from annex_criteria import CriteriaError, check_entries, read_criteria, read_parameters
from annex_i import CATEGORIES, AnnexEntry, control_file, parse_entry
from annex_ii import annex_iv_file, read_annex_ii, ugeas_file
from source import load
from ugea_pack import coverage_file, destinations_file

REPO = Path(__file__).resolve().parents[2]
DEFAULT_PACK = REPO / "src" / "exportctl" / "packs" / "eu"
DEFAULT_NOTES = Path("/work/notes/eu-draft")
DEFAULT_CRITERIA = REPO / "tools" / "eu_pack" / "criteria"
# The criteria are checked against the repository's pack parameters, wherever the control files are written.
DEFAULT_PARAMETERS = DEFAULT_PACK / "parameters"


@dataclass(frozen=True)
class Summary:
    codes: int
    entries: int
    not_used: tuple[str, ...]
    parts: int
    series_500: tuple[str, ...]
    encoded: int
    clauses: int
    coverage: int
    files: tuple[Path, ...]


def build(
    source: Path,
    pack: Path,
    notes: Path,
    criteria_folder: Path = DEFAULT_CRITERIA,
    parameters: Path = DEFAULT_PARAMETERS,
) -> Summary:
    annex = load(source)
    parsed = [parse_entry(raw) for raw in annex["entries"]]
    if len(parsed) != annex["entry_count"] or len({entry.code for entry in parsed}) != len(parsed):
        raise ValueError(f"{len(parsed)} entries parsed, the source counts {annex['entry_count']}")
    live: dict[str, AnnexEntry] = {entry.code: entry for entry in parsed if entry.live}
    criteria = read_criteria(criteria_folder)
    check_entries(criteria, live)
    defined = read_parameters(parameters)
    by_category: dict[str, list[AnnexEntry]] = {category: [] for category in CATEGORIES}
    for entry in parsed:
        by_category[entry.category].append(entry)
    files: list[tuple[Path, str]] = [
        (pack / "control" / f"cat-{category}.yaml", control_file(category, entries, annex, criteria, defined))
        for category, entries in by_category.items()
    ]
    annex_ii = read_annex_ii(annex, {code for entry in live.values() for code in (entry.code, *entry.parts)})
    coverage = coverage_file(annex_ii, live, annex["corpus_version"])
    files += [
        (notes / "ugea-destinations.yaml", destinations_file(annex_ii, annex["corpus_version"])),
        (notes / "ugea-coverage.yaml", coverage),
        (notes / "ugeas.yaml", ugeas_file(annex, annex_ii)),
        (notes / "annex-iv.yaml", annex_iv_file(annex)),
    ]
    for path, text in files:  # written only once every file is built and valid
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Summary(
        codes=len(parsed),
        entries=len(live),
        not_used=tuple(entry.code for entry in parsed if not entry.live),
        parts=sum(len(entry.parts) for entry in live.values()),
        series_500=tuple(code for code, entry in live.items() if entry.series_500),
        encoded=len(criteria),
        clauses=sum(len(entry.clauses) for entry in criteria.values()),
        coverage=coverage.count("\n- licence: "),
        files=tuple(path for path, _text in files),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("source", type=Path, help="the Annex I/II JSON (../shared/data/eu/eu-2021-821-annex-*.json)")
    parser.add_argument("--pack", type=Path, default=DEFAULT_PACK, help=f"pack folder (default {DEFAULT_PACK})")
    parser.add_argument("--notes", type=Path, default=DEFAULT_NOTES, help=f"drafts folder (default {DEFAULT_NOTES})")
    parser.add_argument(
        "--criteria", type=Path, default=DEFAULT_CRITERIA, help=f"criteria folder (default {DEFAULT_CRITERIA})"
    )
    parser.add_argument(
        "--parameters",
        type=Path,
        default=DEFAULT_PARAMETERS,
        help=f"the pack parameters the criteria name (default {DEFAULT_PARAMETERS})",
    )
    args = parser.parse_args(argv)
    try:
        summary = build(args.source, args.pack, args.notes, args.criteria, args.parameters)
    except CriteriaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(
        f"{summary.codes} entry codes: {summary.entries} entries ({', '.join(summary.not_used)} not used),"
        f" {summary.parts} parts, {len(summary.series_500)} 500-series entries; {summary.clauses} clauses on"
        f" {summary.encoded} entries; {summary.coverage} coverage items; wrote {len(summary.files)} files under"
        f" {args.pack} and {args.notes}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
