"""`regime show|diff|entries` and `pack validate`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from exportctl import regime_json
from exportctl.cli.common import Format, FormatOption, emit_json, input_errors, out, parse_date
from exportctl.cli.root import pack_app, regime_app
from exportctl.regime.diff import diff
from exportctl.regime.files import read_pack_dir
from exportctl.regime.loader import parse_pack
from exportctl.regime.snapshot import Snapshot
from exportctl.services import regimes


def _regime_snapshot(regime_id: str, date: str, flag: str) -> Snapshot:
    with input_errors():
        return regimes.regime(regime_id).at(parse_date(date, flag))


@regime_app.command("show")
def regime_show(
    regime_id: Annotated[str, typer.Argument(metavar="REGIME", help="Regime pack id, e.g. jp.")],
    date: Annotated[str, typer.Option("--date", help="Date (YYYY-MM-DD).")],
    output_format: FormatOption = Format.table,
) -> None:
    """Country groups, tables and special measures in force on a date."""
    snapshot = _regime_snapshot(regime_id, date, "--date")
    groups, rest = snapshot.group_members(), snapshot.pack.destinations.rest.id
    measures = [regime_json.fact_dict(snapshot, f) for k, f in snapshot.facts.items() if k.startswith("measure/")]
    if output_format is Format.json:
        emit_json(
            {
                "regime": snapshot.regime,
                "pack_version": snapshot.pack_version,
                "date": date,
                "groups": {**groups, rest: "every other country"},
                "tables": {name: sorted(members) for name, members in snapshot.tables.items()},
                "embargoes": sorted(snapshot.embargoes),
                "measures": measures,
                "facts": [regime_json.fact_dict(snapshot, f) for f in snapshot.facts.values()],
            }
        )
        return
    out.print(f"[bold]{snapshot.regime}[/] on {date} (pack {snapshot.pack_version}; unchanged over {snapshot.valid})")
    table = Table("group", "members")
    for group, members in groups.items():
        table.add_row(group, " ".join(members))
    table.add_row(rest, "every other country")
    out.print(table)
    out.print(f"embargoes: {', '.join(sorted(snapshot.embargoes)) or 'none'}")
    out.print("special measures:" if measures else "special measures: none")
    for measure in measures:
        out.print(f"  • {measure['text']} [dim]({measure['source']['id']})[/]")


@regime_app.command("diff")
def regime_diff(
    regime_id: Annotated[str, typer.Argument(metavar="REGIME")],
    date1: Annotated[str, typer.Argument(metavar="D1")],
    date2: Annotated[str, typer.Argument(metavar="D2")],
    output_format: FormatOption = Format.table,
) -> None:
    """The facts that changed between two dates, with the instruments that changed them."""
    before = _regime_snapshot(regime_id, date1, "D1")
    after = _regime_snapshot(regime_id, date2, "D2")
    changes = diff(before, after)
    start, end = sorted((parse_date(date1, "D1"), parse_date(date2, "D2")))
    change_dates = [d.isoformat() for d in regimes.regime(regime_id).changes_between(start, end)]
    if output_format is Format.json:
        emit_json(
            {
                "regime": regime_id,
                "from": date1,
                "to": date2,
                "pack_version": after.pack_version,
                "change_dates": change_dates,
                "changes": [regime_json.change_dict(before, after, c) for c in changes],
            }
        )
        return
    table = Table("change", "fact", "source", show_lines=False)
    for change in changes:
        source = after.sources[change.source]
        table.add_row(change.kind, change.text, f"{source.instrument} {source.article or ''}".strip())
    out.print(f"[bold]{regime_id}[/] {date1} → {date2}: {len(changes)} change(s)")
    if change_dates:
        out.print(f"rules changed on: {', '.join(change_dates)}")
    out.print(table)


class EntryKind(StrEnum):
    goods = "goods"
    technology = "technology"


@regime_app.command("entries")
def regime_entries(
    regime_id: Annotated[str, typer.Argument(metavar="REGIME")],
    date: Annotated[str, typer.Option("--date", help="Date (YYYY-MM-DD).")],
    kind: Annotated[EntryKind | None, typer.Option("--kind", help="goods or technology (default: both).")] = None,
    output_format: FormatOption = Format.table,
) -> None:
    """The control-list entries in force on a date: numbers, criteria, complete or not — what the pack covers."""
    snapshot = _regime_snapshot(regime_id, date, "--date")
    data = regime_json.entries_dict(snapshot, kind.value if kind else None)
    if output_format is Format.json:
        emit_json(data)
        return
    table = Table("entry", "kind", "title", "numbers", "criteria", "complete")
    for entry in data["entries"]:
        table.add_row(
            entry["id"],
            entry["kind"],
            entry["title"]["en"],
            ", ".join(entry["control_numbers"]),
            str(entry["criteria"]),
            "yes" if entry["complete"] else "[magenta]no[/]",
        )
    out.print(table)
    complete = sum(1 for entry in data["entries"] if entry["complete"])
    out.print(f"{len(data['entries'])} entries in force on {date}, {complete} complete")
    if data["unencoded"]:
        out.print(f"[magenta]sub-items of the law without an entry:[/] {', '.join(data['unencoded'])}")


@pack_app.command("validate")
def pack_validate(folder: Annotated[Path, typer.Argument(help="Pack folder.")]) -> None:
    """Validate a pack folder; errors name the file, key path and line."""
    with input_errors():
        pack = parse_pack(read_pack_dir(folder))
    out.print(f"{folder}: valid — pack {pack.version}, {len(pack.entries)} entries, {len(pack.sources)} sources")
