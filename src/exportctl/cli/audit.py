"""`audit verify | replay | export` and `demo load`."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, TextIO

import typer

from exportctl import ledger
from exportctl.cli.acting import party_screener, transaction
from exportctl.cli.app import audit_app, demo_app
from exportctl.cli.common import Format, FormatOption, emit_json, err, input_errors, out
from exportctl.demo import load_demo
from exportctl.services import audit
from exportctl.store import db as store
from exportctl.store.models import AuditRecord


@audit_app.command("verify")
def audit_verify(output_format: FormatOption = Format.table) -> None:
    """Check the hash chain: exit 1 naming the first record modified, deleted or reordered; 0 when intact."""
    with input_errors(), store.session(readonly=True) as db:  # a long read: no write lock held
        result = ledger.verify(db)
        bad = db.get(AuditRecord, result.first_bad) if result.first_bad is not None else None
        what = f" ({bad.action} {bad.subject})" if bad is not None else ""
    if output_format is Format.json:
        emit_json(
            {"ok": result.ok, "checked": result.checked, "first_bad": result.first_bad, "problem": result.problem}
        )
    elif result.ok:
        out.print(f"audit trail intact: {result.checked} records verified")
    else:
        out.print(f"[bold red]audit trail broken[/] at record {result.first_bad}{what}: {result.problem}")
        out.print(f"{result.checked} records before it verified")
    if not result.ok:
        raise typer.Exit(1)


@audit_app.command("replay")
def audit_replay(
    record_id: Annotated[int, typer.Argument(metavar="ID", help="Id of an order.determine record.")],
    output_format: FormatOption = Format.table,
) -> None:
    """Recompute a recorded determination with the pack version it cites; exit 1 unless identical."""
    with transaction() as (db, _actor):
        result = audit.replay(db, record_id)
    if output_format is Format.json:
        emit_json(
            {
                "id": result.record_id,
                "pack_version": result.pack_version,
                "identical": result.identical,
                "recorded": result.recorded,
                "replayed": result.replayed,
            }
        )
    else:
        out.print(
            f"record {result.record_id}, pack {result.pack_version}: outcome {result.recorded.get('outcome')} "
            f"recorded, {result.replayed.get('outcome')} replayed"
        )
        out.print(f"identical: {'yes' if result.identical else '[bold red]no[/]'}")
        for key in sorted(result.recorded.keys() | result.replayed.keys()):
            if result.recorded.get(key) != result.replayed.get(key):
                out.print(f"  differs: {key}")
    if not result.identical:
        raise typer.Exit(1)


def _write(lines: Iterator[str], handle: TextIO) -> int:
    count = 0
    for line in lines:
        handle.write(line + "\n")
        count += 1
    return count


@audit_app.command("export")
def audit_export(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
) -> None:
    """Every audit record as one JSON line, in chain order."""
    with input_errors(), store.session(readonly=True) as db:
        if output is None:
            count = _write(audit.export(db), sys.stdout)
        else:
            # A temporary file first: a failed export leaves no half-written file behind.
            descriptor, temporary = tempfile.mkstemp(dir=output.parent if output.parent.exists() else None)
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                count = _write(audit.export(db), handle)
            Path(temporary).replace(output)
    err.print(f"{count} audit records exported" + (f" → {output}" if output else ""))


@demo_app.command("load")
def demo_load() -> None:
    """Fill the configured database with the demo exporter (admin; refused when already loaded)."""
    screener = party_screener()
    with transaction() as (db, actor):
        counts = load_demo(db, actor, screener)
    out.print("demo loaded: " + ", ".join(f"{value} {key}" for key, value in counts.items()))
    out.print("try: exportctl orders list · exportctl orders show SO-2019-0302 · exportctl audit verify")
