"""Benchmark: screening throughput and latency over every shipped list, against a brute-force baseline.

Run: `make bench-screen` (or `.venv/bin/python bench/screen.py [--queries N] [--baseline-queries N]`).

- Loads all shipped lists (../shared/data/lists) and reports entity and name counts, parse and index time.
- Runs a reproducible mix of queries on one core: listed names with the variations users type (case, typos,
  word order, legal-form changes, dropped words), listed non-Latin names (Japanese, Chinese, Korean,
  Cyrillic, Arabic), and names that are on no list. Reports queries/s, p50/p99 latency and RSS.
- Baseline in the same run: a brute-force rapidfuzz scan (token_sort_ratio over every listed name, cut-off
  85) on a sample of the same queries. Reports the speed ratio and the recall of both (was the listed entity
  a query came from among the hits?) and how often each flags a name that is on no list.
Targets (issue 3): ≥ 1,000 queries/s on one core; p99 ≤ 5 ms; index build ≤ 15 s; RSS ≤ 1 GB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import random
import resource
import statistics
import time
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from exportctl.screening.entities import ListedEntity
from exportctl.screening.names import normalise
from exportctl.screening.screener import Screener
from exportctl.screening.sources import registry

DEFAULT_LISTS = Path(__file__).resolve().parents[2] / "shared" / "data" / "lists"
UNLISTED_WORDS = [
    "Acme", "Sakura", "Nordlicht", "Pacific", "Sunrise", "Blue", "Harbor", "Kestrel", "Mitsuboshi", "Fuji",
    "Alpen", "Meridian", "Orchid", "Granite", "Lumen", "Vertex", "Hanami", "Kawase", "Oakridge", "Sterling",
]  # fmt: skip
UNLISTED_TRADES = ["Precision", "Foods", "Logistics", "Textiles", "Optics", "Ceramics", "Software", "Motors"]
UNLISTED_FORMS = ["Co., Ltd.", "GmbH", "LLC", "K.K.", "Inc.", "S.A.", "Pte Ltd", ""]
GIVEN = ["Taro", "Hanako", "Maria", "John", "Wei", "Olga", "Pierre", "Aiko", "Lars", "Ana", "Kenji", "Sofia"]
FAMILY = ["Tanaka", "Schmidt", "Rossi", "Novak", "Larsen", "Moreau", "Okafor", "Silva", "Brennan", "Haugen"]


def _typo(name: str, rng: random.Random) -> str:
    words = name.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if len(word) < 5:
        return name
    i = rng.randrange(1, len(word) - 1)
    edit = rng.choice(["drop", "swap", "double"])
    if edit == "drop":
        word = word[:i] + word[i + 1 :]
    elif edit == "swap":
        word = word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    else:
        word = word[:i] + word[i] + word[i:]
    words[longest] = word
    return " ".join(words)


def _variation(name: str, rng: random.Random) -> tuple[str, str]:
    kind = rng.choice(["exact", "case", "typo", "order", "legal", "drop-word"])
    words = name.split()
    if kind == "case":
        return name.upper() if rng.random() < 0.5 else name.title(), kind
    if kind == "typo":
        return _typo(name, rng), kind
    if kind == "order" and len(words) >= 2:
        return " ".join([*words[1:], words[0]]), kind
    if kind == "legal":
        return f"{name} {rng.choice(['Co., Ltd.', 'LLC', 'Limited', 'JSC'])}", kind
    if kind == "drop-word" and len(words) >= 4:
        return " ".join(words[:-1]), kind
    return name, "exact"


def query_mix(screener: Screener, count: int, seed: int = 3) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    listed = [(n.entity, n.name) for n in screener.index.names if not n.weak]
    latin = [(e, n) for e, n in listed if n.isascii()]
    other = [(e, n) for e, n in listed if not n.isascii()]
    queries: list[dict[str, Any]] = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.45:
            entity, name = rng.choice(latin)
            text, variation = _variation(name, rng)
            queries.append({"query": text, "entity": entity.entity_id, "variation": variation, "kind": _kind(entity)})
        elif roll < 0.55:
            entity, name = rng.choice(other)
            queries.append({"query": name, "entity": entity.entity_id, "variation": "non-latin", "kind": _kind(entity)})
        elif roll < 0.8:
            words = [rng.choice(UNLISTED_WORDS), rng.choice(UNLISTED_TRADES), rng.choice(UNLISTED_FORMS)]
            queries.append({"query": " ".join(w for w in words if w), "entity": None, "variation": "unlisted"})
        else:
            person = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
            queries.append({"query": person, "entity": None, "variation": "unlisted", "kind": "person"})
    return queries


def _kind(entity: ListedEntity) -> str:
    return "person" if entity.kind == "person" else "company"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lists-dir", type=Path, default=DEFAULT_LISTS)
    parser.add_argument("--queries", type=int, default=20_000)
    parser.add_argument("--baseline-queries", type=int, default=1_000)
    args = parser.parse_args()

    started = time.perf_counter()
    lists = [
        registry.read_list(list_id, path) for list_id, path in sorted(registry.default_files(args.lists_dir).items())
    ]
    parse_s = time.perf_counter() - started
    started = time.perf_counter()
    screener = Screener(lists)
    index_s = time.perf_counter() - started

    queries = query_mix(screener, args.queries)
    latencies: list[float] = []
    found: list[bool] = []
    flagged_unlisted: list[bool] = []
    for query in queries:
        t0 = time.perf_counter()
        result = screener.screen(query["query"])
        latencies.append(time.perf_counter() - t0)
        ids = {hit.entity_id for hit in result.hits}
        if query["entity"]:
            found.append(query["entity"] in ids)
        else:
            flagged_unlisted.append(bool(ids))
    total = sum(latencies)

    # Baseline: brute-force rapidfuzz over every name, on the first queries of the same mix.
    names = [normalise(n.name) for n in screener.index.names]
    owners = [n.entity.entity_id for n in screener.index.names]
    sample = queries[: args.baseline_queries]
    base_latencies: list[float] = []
    base_found: list[bool] = []
    base_flagged: list[bool] = []
    ours_on_sample: list[bool] = []
    for query in sample:
        t0 = time.perf_counter()
        matches = process.extract(
            normalise(query["query"]), names, scorer=fuzz.token_sort_ratio, score_cutoff=85, limit=10
        )
        base_latencies.append(time.perf_counter() - t0)
        ids = {owners[position] for _, _, position in matches}
        if query["entity"]:
            base_found.append(query["entity"] in ids)
            ours_on_sample.append(query["entity"] in {h.entity_id for h in screener.screen(query["query"]).hits})
        else:
            base_flagged.append(bool(ids))

    by_variation: dict[str, list[bool]] = {}
    for query, hit in zip([q for q in queries if q["entity"]], found, strict=True):
        by_variation.setdefault(query["variation"], []).append(hit)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()} python {platform.python_version()}",
        "lists": {loaded.list_id: {"entities": len(loaded.entities), "names": loaded.name_count} for loaded in lists},
        "entities": sum(len(loaded.entities) for loaded in lists),
        "indexed_names": len(screener.index.names),
        "parse_s": round(parse_s, 2),
        "index_build_s": round(index_s, 2),
        "queries": len(queries),
        "queries_per_s": round(len(queries) / total),
        "p50_ms": round(percentile(latencies, 0.5) * 1000, 3),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 3),
        "mean_ms": round(statistics.mean(latencies) * 1000, 3),
        "recall": round(sum(found) / len(found), 4),
        "recall_by_variation": {k: round(sum(v) / len(v), 4) for k, v in sorted(by_variation.items())},
        "unlisted_flagged_rate": round(sum(flagged_unlisted) / len(flagged_unlisted), 4),
        "baseline": {
            "method": "rapidfuzz process.extract, token_sort_ratio ≥ 85, over every name",
            "queries": len(sample),
            "queries_per_s": round(len(sample) / sum(base_latencies)),
            "p50_ms": round(percentile(base_latencies, 0.5) * 1000, 3),
            "recall": round(sum(base_found) / len(base_found), 4),
            "ours_recall_same_queries": round(sum(ours_on_sample) / len(ours_on_sample), 4),
            "unlisted_flagged_rate": round(sum(base_flagged) / len(base_flagged), 4),
        },
        "speed_ratio_vs_baseline": round((len(queries) / total) / (len(sample) / sum(base_latencies)), 1),
        "rss_mb": round(rss_mb),
        "targets_met": {
            "queries_per_s>=1000": len(queries) / total >= 1000,
            "p99_ms<=5": percentile(latencies, 0.99) <= 0.005,
            "index_build_s<=15": index_s <= 15,
            "rss_mb<=1024": rss_mb <= 1024,
        },
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
