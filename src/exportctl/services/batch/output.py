"""A batch's output: one Parquet file per finished partition, then the whole output, CSV or Parquet by extension.

A partition's file is written under a temporary name and renamed: its presence is the record that the partition
is done, so a run killed at any moment resumes with what is complete. The output is assembled from the parts in
partition order and renamed into place at the end: a reader never sees half of it.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from exportctl.services.batch.rows import DETERMINE_OUTPUT, SCREEN_OUTPUT
from exportctl.services.tables import InvalidImport

FORMATS = (".csv", ".parquet")


def schema(kind: str) -> pa.Schema:
    if kind == "determine":
        return pa.schema(
            [(name, pa.bool_() if name == "licence_required" else pa.string()) for name in DETERMINE_OUTPUT]
        )
    return pa.schema([(name, pa.float64() if name == "score" else pa.string()) for name in SCREEN_OUTPUT])


def check_output(path: Path) -> None:
    if path.suffix.lower() not in FORMATS:
        raise InvalidImport(f"--output {path}: not a .csv or .parquet file name")
    if not path.parent.is_dir():
        raise InvalidImport(f"--output {path}: the folder {path.parent} does not exist")


def part_path(folder: Path, number: int) -> Path:
    return folder / f"part-{number:07d}.parquet"


def done_parts(folder: Path) -> set[int]:
    return {int(p.stem.removeprefix("part-")) for p in folder.glob("part-*.parquet")}


def _temporary(folder: Path, suffix: str) -> Path:
    descriptor, name = tempfile.mkstemp(dir=folder, suffix=suffix)
    os.close(descriptor)
    return Path(name)


def parquet_bytes(kind: str, rows: Sequence[dict[str, Any]]) -> bytes:
    """A partition's output rows as a Parquet file's bytes (a worker sends these: compact, and the client only
    writes them)."""
    sink = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(list(rows), schema=schema(kind)), sink)
    return sink.getvalue()


def write_part(folder: Path, number: int, data: bytes) -> None:
    temporary = _temporary(folder, ".tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, part_path(folder, number))
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def assemble(folder: Path, parts: int, kind: str, target: Path) -> int:
    """The output from parts 0 … parts-1, in order; returns its number of rows."""
    temporary = _temporary(target.parent, target.suffix + ".tmp")
    rows = 0
    try:
        if target.suffix.lower() == ".parquet":
            with pq.ParquetWriter(temporary, schema(kind)) as writer:
                for number in range(parts):
                    table = pq.read_table(part_path(folder, number), schema=schema(kind))
                    writer.write_table(table)
                    rows += table.num_rows
        else:
            columns = schema(kind).names
            with temporary.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(columns)
                for number in range(parts):
                    for record in pq.read_table(part_path(folder, number)).to_pylist():
                        writer.writerow([_cell(record[name]) for name in columns])
                        rows += 1
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return rows


def _cell(value: Any) -> str:
    if value is None:
        return ""  # unknown (licence_required of an indeterminate line): an empty cell, never "false"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)
