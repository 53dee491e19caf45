"""Score the labelled screening pairs with exportctl's matcher and, when installed, nomenklatura's logic-v2.

    .venv-eval/bin/python eval/screening.py [--set lists|public|classes|all] [--part held|tune|all]
                                            [--json] [--errors 5] [--only exportctl|logic-v2]

Three sets (pairsets.py): `lists` (eval/screening-pairs.csv, from the shipped lists), `public` (eval/public_pairs.csv,
from public matching test suites) and `classes` (eval/class-pairs.csv, one category per error class of issue 15).
Every pair is in the `tune` or the `held` part; the held part is never used to adjust the scorer.

Ours decides with `compare(query, candidate, kind).match` (its default threshold). logic-v2 decides with
`score >= 0.70`, yente's default match threshold, on followthemoney entities of schema Person or Company
carrying only the `name` property. Both scorers score every pair in the same run. Reported per set and part
(tune / held / all): precision, recall, F1 and the false-positive rate on negatives; then per category of the
chosen part: the same four figures (recall for categories of positives only, the false-positive rate for
negatives). Also the time per pair. Runs without nomenklatura: it then reports ours only and says so.

For the `lists` set a second measure asks the screening question itself: is the query matched by the *listed
entity* it came from, under any of the names the list gives it? Both scorers see the same names: ours takes its
best name pair, logic-v2 gets one entity carrying all the names. It needs the list files (../shared/data/lists,
or --lists-dir); `--no-entity` skips it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

from pairsets import CATEGORIES, SETS, Row, read_set

HERE = Path(__file__).resolve().parent
LISTS_DIR = HERE.parents[1] / "shared" / "data" / "lists"
LOGIC_V2_THRESHOLD = 0.70  # yente's default `threshold` for /match

# --- scorers --------------------------------------------------------------------------------------------------

Kind = Literal["person", "company"]
Decide = Callable[[Row], tuple[bool, float]]
DecideEntity = Callable[[str, str, list[str]], bool]


def ours() -> tuple[Decide | None, str]:
    try:
        from exportctl.screening import compare
    except ImportError as exc:
        return None, f"exportctl.screening.compare is not importable ({exc})"

    def decide(row: Row) -> tuple[bool, float]:
        result = compare(row.query, row.candidate, kind=cast(Kind, row.kind))
        return bool(result.match), float(result.score)

    return decide, "compare(...).match at its default threshold"


def ours_entity() -> DecideEntity | None:
    try:
        from exportctl.screening import compare
    except ImportError:
        return None

    def decide(query: str, kind: str, names: list[str]) -> bool:
        return any(compare(query, name, kind=cast(Kind, kind)).match for name in names)

    return decide


def _proxy(schema: str, values: list[str]) -> Any:
    from followthemoney.proxy import EntityProxy  # type: ignore[import-not-found,unused-ignore]

    # logic-v2 caches analysed names per entity *id* (functools.lru_cache on EntityProxy, which hashes by id):
    # reusing one id for different names silently scores later pairs against the first name. The id is
    # therefore derived from the names.
    entity_id = hashlib.sha1("\x1f".join([schema, *values]).encode()).hexdigest()
    return EntityProxy.from_dict({"id": entity_id, "schema": schema, "properties": {"name": values}})


def _logic_v2_algorithm() -> tuple[Any, Any, str]:
    try:
        from nomenklatura.matching import get_algorithm  # type: ignore[import-not-found,unused-ignore]
    except ImportError as exc:
        return None, None, f"nomenklatura is not installed ({exc}); install eval/requirements.txt"
    algorithm = get_algorithm("logic-v2")
    if algorithm is None:
        return None, None, "nomenklatura has no logic-v2 algorithm"
    return algorithm, algorithm.default_config(), ""


def logic_v2(threshold: float) -> tuple[Decide | None, str]:
    algorithm, config, problem = _logic_v2_algorithm()
    if algorithm is None:
        return None, problem

    def decide(row: Row) -> tuple[bool, float]:
        schema = "Person" if row.kind == "person" else "Company"
        score = float(algorithm.compare(_proxy(schema, [row.query]), _proxy(schema, [row.candidate]), config).score)
        return score >= threshold, score

    return decide, f"nomenklatura logic-v2, score >= {threshold:.2f}"


def logic_v2_entity(threshold: float) -> DecideEntity | None:
    algorithm, config, _ = _logic_v2_algorithm()
    if algorithm is None:
        return None

    def decide(query: str, kind: str, names: list[str]) -> bool:
        schema = "Person" if kind == "person" else "Company"
        return float(algorithm.compare(_proxy(schema, [query]), _proxy(schema, names), config).score) >= threshold

    return decide


def listed_names(lists_dir: Path) -> dict[str, list[str]] | None:
    """entity id → every name the list gives it, from the official files."""
    try:
        from exportctl.screening.sources import registry
    except ImportError:
        return None
    if not lists_dir.is_dir():
        return None
    names: dict[str, list[str]] = {}
    for list_id, path in registry.default_files(lists_dir).items():
        for entity in registry.read_list(list_id, path).entities:
            names[entity.entity_id] = [*entity.names, *entity.weak_aliases]
    return names


def entity_recall(
    decide: DecideEntity | None, rows: Iterable[Row], names: dict[str, list[str]]
) -> tuple[dict[str, float], int]:
    """Recall per positive category against the listed entity; also how many rows could not be resolved."""
    if decide is None:
        return {}, 0
    found: dict[str, list[bool]] = defaultdict(list)
    unresolved = 0
    for row in rows:
        if row.label != 1:
            continue
        entity_id = row.source.split("+", 1)[0].split("#", 1)[0]
        listed = names.get(entity_id)
        if not listed:
            unresolved += 1
            continue
        found[row.category].append(decide(row.query, row.kind, listed))
    return {c: sum(v) / len(v) for c, v in found.items()}, unresolved


# --- metrics --------------------------------------------------------------------------------------------------


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, label: int, match: bool) -> None:
        if label:
            self.tp += match
            self.fn += not match
        else:
            self.fp += match
            self.tn += not match

    @property
    def positives(self) -> int:
        return self.tp + self.fn

    @property
    def negatives(self) -> int:
        return self.fp + self.tn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.positives if self.positives else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def fp_rate(self) -> float | None:
        return self.fp / self.negatives if self.negatives else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "fp_rate": self.fp_rate,
        }


@dataclass
class Scored:
    """One scorer's decisions on every row, in row order."""

    name: str
    description: str
    available: bool
    decisions: list[tuple[bool, float]] = field(default_factory=list)
    warmup_seconds: float = 0.0
    ms_per_pair: float = 0.0
    p95_ms: float = 0.0
    entity_recall: dict[str, float] = field(default_factory=dict)
    entity_unresolved: int = 0


def score(name: str, decide: Decide | None, description: str, rows: list[Row]) -> Scored:
    scored = Scored(name, description, decide is not None)
    if decide is None:
        return scored
    started = time.perf_counter()
    decide(Row("Warm Up Trading Co., Ltd.", "Warm Up Trading Company Limited", "company", 1, "exact", "", "tune"))
    decide(Row("ウォームアップ", "Warm Up", "person", 1, "exact", "", "tune"))
    scored.warmup_seconds = time.perf_counter() - started
    timings: list[float] = []
    for row in rows:
        t0 = time.perf_counter()
        scored.decisions.append(decide(row))
        timings.append(time.perf_counter() - t0)
    scored.ms_per_pair = 1000 * statistics.fmean(timings) if timings else 0.0
    scored.p95_ms = 1000 * sorted(timings)[int(0.95 * (len(timings) - 1))] if timings else 0.0
    return scored


def counts(rows: list[Row], scored: Scored, keep: Callable[[Row], bool]) -> Counts:
    out = Counts()
    for row, (match, _) in zip(rows, scored.decisions, strict=True):
        if keep(row):
            out.add(row.label, match)
    return out


def in_part(row: Row, part: str) -> bool:
    return part == "all" or row.part == part


# --- output ---------------------------------------------------------------------------------------------------


def fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def overview(rows: list[Row], live: list[Scored], set_names: list[str]) -> list[str]:
    head = f"{'set / part':22}{'pairs':>7}{'pos':>6}{'neg':>6}"
    for s in live:
        head += f" | {s.name + ' P':>13}{'R':>7}{'F1':>7}{'FPR':>7}"
    lines = [head, "-" * len(head)]
    for set_name in [*set_names, *(["all"] if len(set_names) > 1 else [])]:
        for part in ("tune", "held", "all"):

            def keep(row: Row, set_name: str = set_name, part: str = part) -> bool:
                return (set_name == "all" or row.set == set_name) and in_part(row, part)

            base = counts(rows, live[0], keep)
            line = f"{set_name + ' / ' + part:22}{base.positives + base.negatives:>7}{base.positives:>6}"
            line += f"{base.negatives:>6}"
            for s in live:
                c = counts(rows, s, keep)
                line += f" | {fmt(c.precision):>13}{fmt(c.recall):>7}{fmt(c.f1):>7}{fmt(c.fp_rate):>7}"
            lines.append(line)
    return lines


def per_category(rows: list[Row], live: list[Scored], set_name: str, part: str) -> list[str]:
    head = f"{set_name + ' [' + part + '] category':30}{'pos':>5}{'neg':>5}"
    for s in live:
        head += f" | {s.name + ' P':>13}{'R':>7}{'F1':>7}{'FPR':>7}"
    lines = [head, "-" * len(head)]
    for category in CATEGORIES[set_name]:

        def keep(row: Row, category: str = category) -> bool:
            return row.set == set_name and row.category == category and in_part(row, part)

        base = counts(rows, live[0], keep)
        if not base.positives + base.negatives:
            continue
        line = f"{'  ' + category:30}{base.positives:>5}{base.negatives:>5}"
        for s in live:
            c = counts(rows, s, keep)
            line += f" | {fmt(c.precision):>13}{fmt(c.recall):>7}{fmt(c.f1):>7}{fmt(c.fp_rate):>7}"
        lines.append(line)
    return lines


def errors(rows: list[Row], live: list[Scored], part: str, limit: int) -> list[str]:
    lines: list[str] = []
    for s in live:
        wrong: dict[tuple[str, str], list[str]] = defaultdict(list)
        for row, (match, value) in zip(rows, s.decisions, strict=True):
            if in_part(row, part) and match != bool(row.label):
                wrong[(row.set, row.category)].append(f"    {value:.3f}  {row.query!r} ~ {row.candidate!r}")
        for (set_name, category), examples in sorted(wrong.items()):
            lines.append(f"{s.name}: wrong in {set_name}/{category} ({len(examples)}):")
            lines += examples[:limit]
    return lines


def in_set_part(set_name: str, part: str) -> Callable[[Row], bool]:
    return lambda row: row.set == set_name and in_part(row, part)


def in_category(set_name: str, category: str, part: str) -> Callable[[Row], bool]:
    return lambda row: row.set == set_name and row.category == category and in_part(row, part)


def report_json(rows: list[Row], scorers: list[Scored], set_names: list[str], part: str) -> dict[str, Any]:
    out: dict[str, Any] = {"pairs": len(rows), "part": part, "sets": set_names, "scorers": []}
    for s in scorers:
        entry: dict[str, Any] = {
            "name": s.name,
            "description": s.description,
            "available": s.available,
            "ms_per_pair": s.ms_per_pair,
            "p95_ms": s.p95_ms,
            "warmup_seconds": s.warmup_seconds,
            "entity_recall_lists": s.entity_recall,
            "entity_unresolved": s.entity_unresolved,
        }
        if s.available:
            by_set: dict[str, Any] = {}
            for set_name in set_names:
                parts = {p: counts(rows, s, in_set_part(set_name, p)).as_dict() for p in ("tune", "held", "all")}
                categories = {c: counts(rows, s, in_category(set_name, c, part)) for c in CATEGORIES[set_name]}
                by_set[set_name] = {
                    "parts": parts,
                    "categories": {c: v.as_dict() for c, v in categories.items() if v.positives + v.negatives},
                }
            entry["sets"] = by_set
        out["scorers"].append(entry)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=(*SETS, "all"), default="all", help="which pair set(s) to score")
    parser.add_argument("--part", choices=("held", "tune", "all"), default="all", help="part shown per category")
    parser.add_argument("--pairs", type=Path, help="score this CSV (as the `lists` set) instead")
    parser.add_argument("--json", action="store_true", help="print machine-readable results")
    parser.add_argument("--errors", type=int, default=0, help="show up to N wrong decisions per category")
    parser.add_argument("--logic-v2-threshold", type=float, default=LOGIC_V2_THRESHOLD)
    parser.add_argument("--only", choices=("exportctl", "logic-v2"), help="run one scorer only")
    parser.add_argument("--lists-dir", type=Path, default=LISTS_DIR, help="official list files, for entity recall")
    parser.add_argument("--no-entity", action="store_true", help="skip the listed-entity measure")
    args = parser.parse_args(argv)
    set_names = list(SETS) if args.set == "all" else [args.set]
    if args.pairs:
        set_names = ["lists"]
        rows = read_set("lists", args.pairs)
    else:
        rows = [row for name in set_names for row in read_set(name)]
    makers: list[tuple[str, Callable[[], tuple[Decide | None, str]]]] = [
        ("exportctl", ours),
        ("logic-v2", lambda: logic_v2(args.logic_v2_threshold)),
    ]
    scorers = [score(name, *make(), rows) for name, make in makers if args.only in (None, name)]
    live = [s for s in scorers if s.available]
    if "lists" in set_names and live and not args.no_entity:
        names = listed_names(args.lists_dir)
        if names is not None:
            entity_makers: dict[str, Callable[[], DecideEntity | None]] = {
                "exportctl": ours_entity,
                "logic-v2": lambda: logic_v2_entity(args.logic_v2_threshold),
            }
            chosen = [r for r in rows if r.set == "lists" and in_part(r, args.part)]
            for s in live:
                s.entity_recall, s.entity_unresolved = entity_recall(entity_makers[s.name](), chosen, names)
    if args.json:
        json.dump(report_json(rows, scorers, set_names, args.part), sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0 if live else 1
    lines = [f"{len(rows)} pairs: {sum(r.label for r in rows)} positive, {sum(1 - r.label for r in rows)} negative"]
    for s in scorers:
        lines.append(f"  {s.name}: {s.description if s.available else 'NOT AVAILABLE: ' + s.description}")
    if live:
        lines += ["", *overview(rows, live, set_names)]
        for set_name in set_names:
            lines += ["", *per_category(rows, live, set_name, args.part)]
        if any(s.entity_recall for s in live):
            lines += ["", f"lists [{args.part}]: recall against the listed entity (all its names)"]
            for category in CATEGORIES["lists"][:-1]:
                values = "".join(f"{s.name:>12} {fmt(s.entity_recall.get(category)):>6}" for s in live)
                lines.append(f"  {category:26}{values}")
            lines.append("  rows not resolved to an entity: " + ", ".join(str(s.entity_unresolved) for s in live))
        lines.append("")
        for s in live:
            lines.append(
                f"{s.name}: {s.ms_per_pair:.3f} ms per pair (p95 {s.p95_ms:.3f}); warm-up {s.warmup_seconds:.2f} s"
            )
        if args.errors:
            lines += ["", *errors(rows, live, args.part, args.errors)]
    print("\n".join(lines))
    return 0 if live else 1


if __name__ == "__main__":
    sys.exit(main())
