"""`lists load | ls | diff`: keep versions of the official lists and compare them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from exportctl.cli.acting import transaction
from exportctl.cli.common import (
    Format,
    FormatOption,
    configured_screener,
    emit_json,
    err,
    fail,
    input_errors,
    out,
)
from exportctl.cli.root import lists_app
from exportctl.screening.entities import LoadedList
from exportctl.screening.sources import registry
from exportctl.services import list_update, screening
from exportctl.services.lists import ListStore, diff_versions, load_file, shipped_lists_dirs


@lists_app.command("load")
def lists_load(
    files: Annotated[list[Path] | None, typer.Argument(help="List files; with --list, one file of that list.")] = None,
    list_id: Annotated[str | None, typer.Option("--list", help=f"List id: {', '.join(registry.READERS)}.")] = None,
) -> None:
    """Parse official list files and keep their versions (default: the shipped files in EXPORTCTL_LISTS_DIR)."""
    if list_id is not None and list_id not in registry.READERS:
        fail(f"--list: unknown list '{list_id}' (known: {', '.join(registry.READERS)})")
    if files:
        if list_id is None and len(files) > 1:
            fail("--list is required to load several files of unknown kind")
        targets = [(list_id or _guess(files[0]), path) for path in files]
    else:
        folders = shipped_lists_dirs()
        if not folders:
            fail("give list files, or set EXPORTCTL_LISTS_DIR to a folder of official list files")
        targets = sorted(registry.default_files(*folders).items())
    store = ListStore()
    with input_errors():
        loaded = [load_file(target_id, path) for target_id, path in targets]  # parse all before writing any
    now = dt.datetime.now(dt.UTC)
    updates: list[tuple[LoadedList, LoadedList]] = []
    for item in loaded:
        previous = [v for v in store.versions() if v.list_id == item.list_id and v.version != item.version]
        stored = store.save(item, now)
        out.print(
            f"{stored.list_id}: {stored.version} — {stored.entities} entities, {stored.names} names ({stored.source})"
        )
        if previous:
            updates.append((store.read(previous[-1]), item))
    if updates:
        _delta_screen(updates)


def _delta_screen(updates: list[tuple[LoadedList, LoadedList]]) -> None:
    """A new version of a list already loaded: re-screen the parties its added or changed entries affect."""
    if not list_update.database_exists():
        out.print("no database yet: no parties to re-screen")
        return
    screening.screener.cache_clear()  # the screener over the versions just stored
    full = configured_screener()
    with transaction() as (db, actor):
        results = list_update.rescreen(db, actor, updates, full)
    for result in results:
        out.print(
            f"{result.list_id}: {result.added} added, {result.changed} changed, {result.removed} removed; "
            f"re-screened {len(result.parties_rescreened)} part(ies): {', '.join(result.parties_rescreened) or '—'}"
        )
        if result.orders_blocked:
            out.print(f"[bold red]orders blocked:[/] {', '.join(result.orders_blocked)}")


@lists_app.command("update")
def lists_update(
    lists: Annotated[
        list[str] | None,
        typer.Option("--lists", metavar="ID", help="Lists to update (repeat, or comma-separated); default: all."),
    ] = None,
    urls: Annotated[
        list[str] | None,
        typer.Option(
            "--url", metavar="ID=URL", help=f"Where to fetch a list (repeatable; also {list_update.URLS_ENV})."
        ),
    ] = None,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds to wait for the server.")] = 60.0,
) -> None:
    """Fetch the official lists from their publishers and keep each new version (conditional requests)."""
    try:
        chosen = list_update.targets(lists or [], urls or [])
    except list_update.ConfigError as exc:
        fail(str(exc))
    if not chosen:
        fail(f"no list has a URL: give --url ID=URL or set {list_update.URLS_ENV}")
    outcomes = list_update.update_lists(chosen, timeout, _report)
    updates = [o.update for o in outcomes if o.update is not None]
    if updates:
        _delta_screen(updates)
    if any(o.status == "failed" for o in outcomes):
        raise typer.Exit(1)


def _report(outcome: list_update.Outcome) -> None:
    kept = outcome.stored.version if outcome.stored else "(none)"
    if outcome.status == "failed":
        err.print(
            f"{outcome.list_id}: kept version {kept}: {outcome.detail}", markup=False, highlight=False, soft_wrap=True
        )
    elif outcome.status == "not-modified":
        out.print(f"{outcome.list_id}: unchanged (not modified)", markup=False, highlight=False)
    elif outcome.status == "unchanged":
        out.print(f"{outcome.list_id}: unchanged ({kept})", markup=False, highlight=False)
    else:
        stored = outcome.stored
        assert stored is not None
        out.print(
            f"{stored.list_id}: {stored.version} — {stored.entities} entities, {stored.names} names ({stored.source})",
            markup=False,
            soft_wrap=True,
        )


def _guess(path: Path) -> str:
    for list_id, candidate in registry.default_files(path.parent).items():
        if candidate == path:
            return list_id
    fail(f"{path}: cannot tell which list this is from its name; give --list")


@lists_app.command("ls")
def lists_ls(output_format: FormatOption = Format.table) -> None:
    """The list versions loaded, oldest first."""
    versions = ListStore().versions()
    if output_format is Format.json:
        emit_json([v.__dict__ for v in versions])
        return
    table = Table("list", "version", "published", "loaded at", "entities", "names")
    for v in versions:
        table.add_row(v.list_id, v.version, str(v.published or "—"), v.loaded_at, str(v.entities), str(v.names))
    out.print(table)


@lists_app.command("diff")
def lists_diff(
    list_id: Annotated[str, typer.Argument(metavar="LIST")],
    old: Annotated[str | None, typer.Argument(metavar="[OLD]", help="Version (default: the one before NEW).")] = None,
    new: Annotated[str | None, typer.Argument(metavar="[NEW]", help="Version (default: the latest).")] = None,
    output_format: FormatOption = Format.table,
) -> None:
    """Entries added, removed and changed between two loaded versions of a list."""
    store = ListStore()
    versions = [v for v in store.versions() if v.list_id == list_id]
    try:
        after = store.find(list_id, new)
        if old is None:
            earlier = [v for v in versions if v.version != after.version and v.loaded_at <= after.loaded_at]
            if not earlier:
                fail(f"only one version of '{list_id}' is loaded; load another to compare")
            before = earlier[-1]
        else:
            before = store.find(list_id, old)
    except LookupError as exc:
        fail(str(exc))
    changes = diff_versions(store.read(before), store.read(after))
    if output_format is Format.json:
        emit_json(
            {
                "list": list_id,
                "from": before.version,
                "to": after.version,
                "changes": [
                    {
                        "change": c.kind,
                        "entity_id": c.entity_id,
                        "before": (c.before.names if c.before else None),
                        "after": (c.after.names if c.after else None),
                    }
                    for c in changes
                ],
            }
        )
        return
    out.print(f"[bold]{list_id}[/] {before.version} → {after.version}: {len(changes)} change(s)")
    table = Table("change", "entity", "name")
    for change in changes:
        entity = change.after or change.before
        assert entity is not None
        table.add_row(change.kind, change.entity_id, entity.name)
    out.print(table)
