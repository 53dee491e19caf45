"""`audit verify | export-head | replay | export` and `demo load`."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from exportctl import determination_json, ledger
from exportctl.cli.acting import party_screener, transaction
from exportctl.cli.common import Format, FormatOption, emit_json, err, fail, input_errors, out
from exportctl.cli.root import audit_app, demo_app
from exportctl.demo import load_demo
from exportctl.services import audit
from exportctl.store import db as store
from exportctl.store.models import AuditRecord

HeadOption = Annotated[
    Path | None,
    typer.Option("--head", help="A head written by `audit export-head`: the chain must still contain it."),
]
KeyOption = Annotated[
    Path | None,
    typer.Option(
        "--key",
        envvar=audit.KEY_FILE_ENV,
        help="HMAC key file to sign (export-head) or check (verify --head) the head.",
    ),
]


def _key(path: Path | None) -> bytes | None:
    try:
        return audit.read_key(path) if path is not None else None
    except audit.HeadFileError as exc:
        fail(str(exc))


def _head(path: Path) -> dict[str, Any]:
    try:
        return audit.parse_head(path.read_text(encoding="utf-8"))
    except OSError as exc:
        fail(f"head file {path}: {exc.strerror or exc}")
    except (audit.HeadFileError, UnicodeDecodeError) as exc:
        fail(f"{path}: {exc}")


def _verified(anchor: ledger.Anchor | None) -> tuple[ledger.Verification, str]:
    """Verify in one read snapshot; also name the record the chain broke at (its action and subject)."""
    with input_errors(), store.session(readonly=True) as db:  # a long read: no write lock held
        audit.consistent_snapshot(db)
        result = audit.verify(db, anchor)
        bad = db.get(AuditRecord, result.first_bad) if result.first_bad is not None else None
        return result, f" ({bad.action} {bad.subject})" if bad is not None else ""


def _report(result: ledger.Verification, what: str, head: dict[str, Any] | None) -> None:
    if result.ok:
        anchored = (
            f"; it contains the head of {head['records']} records exported at {head['exported_at']}" if head else ""
        )
        out.print(f"audit trail intact: {result.checked} records verified{anchored}")
        out.print("licence usage, order status, releases and drawdowns agree with the ledger")
    elif result.check == "signature":
        out.print(f"[bold red]head not trusted[/]: {result.problem}")
    elif result.check == "rows":
        out.print(f"[bold red]business rows disagree with the ledger[/]: {result.problem}")
        out.print(f"{result.checked} records verified")
    else:
        out.print(f"[bold red]audit trail broken[/] at record {result.first_bad}{what}: {result.problem}")
        out.print(f"{result.checked} records before it verified")


def _head_summary(document: dict[str, Any], result: ledger.Verification) -> dict[str, Any]:
    signed = document.get("signature") is not None
    failed = None if result.ok else result.check  # chain, head, signature or rows
    return {"records": document["records"], "exported_at": document["exported_at"], "signed": signed, "failed": failed}


@audit_app.command("verify")
def audit_verify(head: HeadOption = None, key: KeyOption = None, output_format: FormatOption = Format.table) -> None:
    """Check the hash chain, and that licences and orders agree with it; with --head, that it still contains
    that exported head (signed: checked with the key). Exit 1 naming what is wrong; 0 when intact."""
    if head is None and key is not None:
        fail("--key checks the signature of a head: give --head FILE too")
    document = _head(head) if head is not None else None
    secret = _key(key) if document is not None else None
    unsigned = audit.signature_problem(document, secret) if document is not None else None
    if unsigned is not None:
        result, what = ledger.Verification(False, 0, problem=unsigned, check="signature"), ""
    else:
        result, what = _verified(audit.anchor_of(document) if document is not None else None)
    if output_format is Format.json:
        data = audit.verification_dict(result)
        if document is not None:
            data["head"] = _head_summary(document, result)
        emit_json(data)
    else:
        _report(result, what, document)
    if not result.ok:
        raise typer.Exit(1)


@audit_app.command("export-head")
def audit_export_head(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
    key: KeyOption = None,
) -> None:
    """Write the ledger's head (record count, last and first hash, time) as JSON, signed when a key is given.
    Keep it outside the database: `audit verify --head FILE` later proves the ledger still contains it.
    Refused (exit 1) when the ledger does not verify: a head must not anchor a tampered ledger."""
    secret = _key(key)
    result, what = _verified(None)
    if not result.ok:
        _report(result, what, None)
        err.print("[bold red]no head exported[/]: the ledger does not verify")
        raise typer.Exit(1)
    text = json.dumps(audit.head_document(result, secret), indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        _replace(output, text)
    signed = (
        f"signed with key {audit.key_id(secret)}" if secret is not None else "[yellow]unsigned[/] (sign with --key)"
    )
    err.print(f"ledger head exported: {result.checked} records, {signed}" + (f" → {output}" if output else ""))


def _replace(output: Path, text: str) -> None:
    # A temporary file first: a failed write leaves no half-written file behind.
    descriptor, temporary = tempfile.mkstemp(dir=output.parent if output.parent.exists() else None)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    Path(temporary).replace(output)


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
        recorded, replayed = (determination_json.comparable(d) for d in (result.recorded, result.replayed))
        for key in sorted(recorded.keys() | replayed.keys()):
            if recorded.get(key) != replayed.get(key):
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
