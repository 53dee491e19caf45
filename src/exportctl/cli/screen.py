"""`screen`: one party name, or a CSV of parties, against the loaded lists."""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import track
from rich.table import Table

from exportctl import determination_json
from exportctl.cli.common import Format, FormatOption, configured_screener, country_option, emit_json, err, fail, out
from exportctl.cli.root import app
from exportctl.core_types import ScreeningHit
from exportctl.screening.score import DEFAULT_THRESHOLD
from exportctl.screening.screener import QueryKind, Screener

OUTPUT_COLUMNS = ["id", "name", "list", "entity_id", "matched_name", "score", "country", "concerns"]


def _lists(option: str | None) -> frozenset[str] | None:
    return frozenset(part.strip() for part in option.split(",") if part.strip()) if option else None


def _screener(lists: frozenset[str] | None) -> Screener:
    screener = configured_screener()
    if not screener.index.lists:
        fail("no screening lists are loaded: run `exportctl lists load` or set EXPORTCTL_LISTS_DIR")
    missing = sorted((lists or frozenset()) - screener.index.lists.keys())
    if missing:
        fail(f"--lists: not loaded: {', '.join(missing)} (loaded: {', '.join(sorted(screener.index.lists))})")
    return screener


@app.command()
def screen(
    name: Annotated[str | None, typer.Argument(help="Party name, in any script.")] = None,
    country: Annotated[str | None, typer.Option("--country", help="The party's country (ISO alpha-2).")] = None,
    lists: Annotated[str | None, typer.Option("--lists", help="Comma-separated list ids (default: all).")] = None,
    threshold: Annotated[float, typer.Option("--threshold", min=0.0, max=1.0, help="Score threshold.")] = (
        DEFAULT_THRESHOLD
    ),
    kind: Annotated[str, typer.Option("--kind", help="company | person | any")] = "any",
    limit: Annotated[int, typer.Option("--limit", min=1, help="Most hits per query.")] = 10,
    input_file: Annotated[Path | None, typer.Option("--input", help="Batch: CSV with name[, id, country].")] = None,
    output_file: Annotated[Path | None, typer.Option("--output", help="Batch: CSV of hits to write.")] = None,
    output_format: FormatOption = Format.table,
) -> None:
    """Screen a party against the restricted-party lists; every hit says why it matched."""
    if kind not in ("company", "person", "any"):
        fail(f"--kind: '{kind}' is not company, person or any")
    query_kind: QueryKind = kind  # type: ignore[assignment]
    chosen = _lists(lists)
    if input_file is not None:
        if output_file is None:
            fail("--output is required with --input")
        _batch(_screener(chosen), input_file, output_file, chosen, threshold, query_kind, limit)
        return
    if not name:
        fail("give a NAME to screen, or --input FILE")
    result = _screener(chosen).screen(
        name, country_option(country, "--country"), kind=query_kind, lists=chosen, threshold=threshold, limit=limit
    )
    if output_format is Format.json:
        emit_json(
            {
                "query": name,
                "country": result.country,
                "threshold": threshold,
                "hits": [determination_json.encode_hit(h) for h in result.hits],
            }
        )
        return
    _print_hits(name, result.hits)


def _print_hits(name: str, hits: tuple[ScreeningHit, ...]) -> None:
    if not hits:
        out.print(f"[green]no hit[/] for '{name}'")
        return
    table = Table("score", "list", "entity", "matched name", "why", show_lines=True)
    for hit in hits:
        aligned = ", ".join(f"{a['query']}≈{a['candidate']} {a['similarity']}" for a in hit.explanation["aligned"])
        notes = "; ".join(hit.explanation.get("adjustments", []))
        why = f"{hit.explanation['method']}: {aligned}" + (f"\n{notes}" if notes else "")
        concerns = f" [{', '.join(hit.concerns)}]" if hit.concerns else ""
        table.add_row(f"{hit.score:.3f}", hit.list_id, f"{hit.name}{concerns}\n{hit.entity_id}", hit.matched_name, why)
    out.print(table)


def _batch(
    screener: Screener,
    source: Path,
    target: Path,
    lists: frozenset[str] | None,
    threshold: float,
    kind: QueryKind,
    limit: int,
) -> None:
    try:
        with source.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or "name" not in reader.fieldnames:
                fail(f"{source}: row 1 must be a header with a 'name' column (optional 'id', 'country')")
            parties = list(reader)
    except OSError as exc:
        fail(f"--input {source}: {exc.strerror}")
    except (csv.Error, UnicodeDecodeError) as exc:
        fail(f"--input {source}: not a UTF-8 CSV file ({exc})")
    queries: list[tuple[str, str, str | None]] = []
    for row_number, row in enumerate(parties, start=2):
        party = (row.get("name") or "").strip()
        if not party:
            fail(f"{source}: row {row_number}, column name: empty")
        queries.append(
            (
                row.get("id") or str(row_number - 1),
                party,
                # An empty cell is a party without a country (as in every imported table), not a blank code.
                country_option(
                    (row.get("country") or "").strip() or None, f"{source}: row {row_number}, column country"
                ),
            )
        )
    rows: list[list[str]] = []
    for party_id, party, country in track(queries, description="screening", console=err):
        for hit in screener.screen(party, country, kind=kind, lists=lists, threshold=threshold, limit=limit).hits:
            rows.append(
                [
                    party_id,
                    party,
                    hit.list_id,
                    hit.entity_id,
                    hit.matched_name,
                    f"{hit.score:.4f}",
                    hit.country,
                    " ".join(hit.concerns),
                ]
            )
    # Write to a temporary file first: a failed run leaves no half-written output.
    descriptor, temporary = tempfile.mkstemp(dir=target.parent if target.parent.exists() else None, suffix=".csv")
    with os.fdopen(descriptor, "w", newline="", encoding="utf-8") as output:
        writer = csv.writer(output)
        writer.writerow(OUTPUT_COLUMNS)
        writer.writerows(rows)
    Path(temporary).replace(target)
    err.print(f"{len(queries)} parties screened, {len(rows)} hits → {target}")
