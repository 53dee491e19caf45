"""A batch's output: one Parquet file per finished partition, then the whole output, CSV or Parquet by extension.

A partition's file is written under a temporary name and renamed: its presence is the record that the partition
is done, so a run killed at any moment resumes with what is complete. The output is assembled from the parts in
partition order, while the run goes on (`Assembly`), and renamed into place at the end: a reader never sees half of
it.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

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


class Assembly:
    """The output assembled while a run goes on: each part is appended as soon as it and every part before it are
    done (parts finish nearly in order), so that little is left to do once the last one is in; written under a
    temporary name and renamed into place by `finish`, removed if the run fails (`with`)."""

    def __init__(self, folder: Path, kind: str, target: Path) -> None:
        self.folder, self.kind, self.target = folder, kind, target
        self.next = 0  # the first part not appended yet
        self.rows = 0
        # In the parts folder: a run killed leaves it where the next run's clean-up removes it.
        self.temporary = _temporary(folder, target.suffix + ".tmp")
        self._parquet: pq.ParquetWriter | None = None
        self._text: TextIO | None = None
        self._columns = schema(kind).names
        if target.suffix.lower() == ".parquet":
            self._parquet = pq.ParquetWriter(self.temporary, schema(kind))
        else:
            self._text = self.temporary.open("w", newline="", encoding="utf-8")
            csv.writer(self._text).writerow(self._columns)

    def __enter__(self) -> Assembly:
        return self

    def __exit__(self, failed: type[BaseException] | None, *_: object) -> None:
        self._close()
        if failed is not None:
            self.temporary.unlink(missing_ok=True)

    def add_ready(self, done: set[int]) -> None:
        """Append every part done that follows the ones appended."""
        while self.next in done:
            self._append(self.next)
            self.next += 1

    def finish(self, parts: int) -> int:
        """Append the parts left of 0 … parts-1 and put the output in place; returns its number of rows."""
        self.add_ready(set(range(parts)))
        self._close()
        os.replace(self.temporary, self.target)
        return self.rows

    def _append(self, number: int) -> None:
        table = pq.read_table(part_path(self.folder, number), schema=schema(self.kind))
        self.rows += table.num_rows
        if self._parquet is not None:
            self._parquet.write_table(table)
        elif self._text is not None:
            writer = csv.writer(self._text)
            for record in table.to_pylist():
                writer.writerow([_cell(record[name]) for name in self._columns])

    def _close(self) -> None:
        if self._parquet is not None:
            self._parquet.close()
            self._parquet = None
        if self._text is not None:
            self._text.close()
            self._text = None


def _cell(value: Any) -> str:
    if value is None:
        return ""  # unknown (licence_required of an indeterminate line): an empty cell, never "false"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)
