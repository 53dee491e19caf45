"""Build the US pack's control list and destinations from the shared EAR extractions (issue 13).

Reads the Commerce Control List, the Commerce Country Chart and the Country Groups (the shared JSON in
../shared/data/us/, read where they are and never copied into the repository) and writes into the pack folder
(default src/exportctl/packs/us):

- control/cat-0.yaml … cat-9.yaml: per CCL category one row and one entry per ECCN, with its paragraphs as `parts`
  (categories the extraction gives in full: ccl_paragraphs.py), its License Requirements as `controls`
  (chart_text.py, chart_footnotes.py) and, for each ECCN the hand-written tools/us_pack/criteria/cat-N.yaml gives
  criteria, its clauses and `complete` (checked as the EU builder checks its own, tools/eu_pack/annex_criteria.py:
  an ECCN the CCL does not have, a control number that is not one of the ECCN's paragraphs, a parameter the pack
  does not define or a value of another type is an error);
- destinations.yaml: the Country Chart's columns, the Country Groups and the countries the controls name as tables,
  and the destination groups (destinations_file.py). The text after the line '# --- hand-written below ---' of the
  file being replaced (the embargoes, written by hand) is kept.

Every file is built and validated against the pack schema before any is written.

Usage: .venv/bin/python tools/us_pack/build_pack.py --shared ../shared/data/us [--pack DIR] [--criteria DIR]
       [--parameters DIR]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The pack's YAML style is the EU builder's (tools/eu_pack/yamlout.py); this folder's modules come first.
sys.path[1:1] = [str(HERE), str(HERE.parent / "eu_pack")]

from annex_criteria import check_entries, read_criteria, read_parameters  # noqa: E402
from ccl_paragraphs import paragraphs  # noqa: E402
from ccl_source import RawEntry, Shared, load  # noqa: E402
from chart_footnotes import footnote_readings  # noqa: E402
from chart_text import Paragraphs, Reading, read_line  # noqa: E402
from control_files import CATEGORIES, Eccn, control_file  # noqa: E402
from destinations_file import destinations_file, split_hand_written  # noqa: E402

REPO = HERE.parents[1]
DEFAULT_PACK = REPO / "src" / "exportctl" / "packs" / "us"
DEFAULT_CRITERIA = HERE / "criteria"
# The criteria are checked against the repository's pack parameters, wherever the control files are written.
DEFAULT_PARAMETERS = DEFAULT_PACK / "parameters"


@dataclass(frozen=True)
class Summary:
    eccns: int
    parts: int
    controls: int
    approximate: int
    encoded: int
    clauses: int
    without_controls: tuple[str, ...]
    files: tuple[Path, ...]


def read_eccns(shared: Shared) -> list[Eccn]:
    """Every ECCN with its paragraphs and controls."""
    ccl = shared["ccl"]
    entries = ccl["entries"]
    if len(entries) != ccl["entryCount"] or len({entry["eccn"] for entry in entries}) != len(entries):
        raise ValueError(f"{len(entries)} ECCNs read, the source counts {ccl['entryCount']} (or repeats one)")
    deep = set(ccl["deepCategories"])
    numbered = {
        entry["eccn"]: Paragraphs(paragraphs(entry.get("items", []))) for entry in entries if entry["category"] in deep
    }
    added = footnote_readings(shared["chart"]["footnotes"], numbered)
    unknown = sorted(set(added) - {entry["eccn"] for entry in entries})
    if unknown:
        raise ValueError(f"Country Chart footnotes list ECCNs the CCL does not have: {', '.join(unknown)}")
    return [_eccn(entry, numbered.get(entry["eccn"]), added.get(entry["eccn"], [])) for entry in entries]


def _eccn(entry: RawEntry, numbered: Paragraphs | None, added: list[Reading]) -> Eccn:
    eccn = entry["eccn"]
    controls = [
        reading
        for line in entry["countryChart"]
        for reading in read_line(eccn, line["control"], line["countryChart"], numbered)
    ]
    parts = tuple(numbered.numbers) if numbered else ()
    return Eccn(entry, parts, tuple(controls + added))


def named_countries(eccns: list[Eccn]) -> set[str]:
    """The countries the controls name (their tables `country-xx`), as ISO codes."""
    return {
        table.removeprefix("country-").upper()
        for eccn in eccns
        for control in eccn.controls
        for tables in control.scope.values()
        for table in tables
        if table.startswith("country-")
    }


def build(
    shared_folder: Path,
    pack: Path,
    criteria_folder: Path = DEFAULT_CRITERIA,
    parameters: Path = DEFAULT_PARAMETERS,
) -> Summary:
    shared = load(shared_folder)
    eccns = read_eccns(shared)
    criteria = read_criteria(criteria_folder)
    check_entries(criteria, [eccn.id for eccn in eccns])
    defined = read_parameters(parameters)
    issue = shared["ccl"]["ecfrIssueDate"]
    deep = set(shared["ccl"]["deepCategories"])
    files: list[tuple[Path, str]] = []
    for category in CATEGORIES:
        of_category = [eccn for eccn in eccns if eccn.raw["category"] == category]
        text = control_file(category, of_category, issue, category in deep, criteria, defined)
        files.append((pack / "control" / f"cat-{category}.yaml", text))
    destinations = pack / "destinations.yaml"
    existing = destinations.read_text(encoding="utf-8") if destinations.is_file() else None
    hand_written = split_hand_written(existing)[1] if existing is not None else None
    chart, groups = shared["chart"], shared["groups"]
    files.append((destinations, destinations_file(chart, groups, named_countries(eccns), hand_written)))
    for path, text in files:  # written only once every file is built and valid
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Summary(
        eccns=len(eccns),
        parts=sum(len(eccn.parts) for eccn in eccns),
        controls=sum(len(eccn.controls) for eccn in eccns),
        approximate=sum(1 for eccn in eccns for control in eccn.controls if control.approximate),
        encoded=len(criteria),
        clauses=sum(len(entry.clauses) for entry in criteria.values()),
        without_controls=tuple(eccn.id for eccn in eccns if not eccn.controls),
        files=tuple(path for path, _text in files),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, required=True, help="the shared EAR extractions (../shared/data/us)")
    parser.add_argument("--pack", type=Path, default=DEFAULT_PACK, help=f"pack folder (default {DEFAULT_PACK})")
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
        summary = build(args.shared, args.pack, args.criteria, args.parameters)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(
        f"{summary.eccns} ECCNs, {summary.parts} parts, {summary.controls} controls ({summary.approximate} read"
        f" approximately, on the side of a licence); {summary.clauses} clauses for {summary.encoded} ECCNs;"
        f" {len(summary.without_controls)} ECCNs without controls;"
        f" wrote {len(summary.files)} files under {args.pack}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
