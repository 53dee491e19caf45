"""Reading a CSV or Excel sheet into rows of text, with typed accessors whose errors name the row and column.

Rows are numbered as a spreadsheet shows them: the header is row 1. Blank rows are skipped (their numbers
are kept). Every value is text; Excel numbers, dates and booleans become the text a CSV would hold.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zipfile import BadZipFile, ZipFile

from openpyxl import load_workbook

from exportctl.countries import alpha_2
from exportctl.services.errors import RecordError, shown
from exportctl.services.records import MAX_JPY

TRUE = ("true", "yes", "1")
FALSE = ("false", "no", "0")


class InvalidImport(RecordError):
    """A file that cannot be imported: names the file, the row (header = row 1) and the column."""


@dataclass(frozen=True)
class Row:
    source: str
    number: int
    values: dict[str, str]

    def problem(self, column: str | None, text: str) -> InvalidImport:
        where = f"row {self.number}" + (f", column {column}" if column else "")
        return InvalidImport(f"{self.source}: {where}: {text}")

    def text(self, column: str, required: bool = False) -> str | None:
        value = self.values.get(column, "")
        if not value:
            if required:
                raise self.problem(column, "required, but empty")
            return None
        return value

    def required(self, column: str) -> str:
        value = self.text(column, required=True)
        assert value is not None
        return value

    def date(self, column: str, required: bool = False) -> dt.date | None:
        value = self.text(column, required)
        if value is None:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise self.problem(column, f"{shown(value)} is not a date (YYYY-MM-DD)") from None

    def boolean(self, column: str) -> bool | None:
        value = self.text(column)
        if value is None:
            return None
        if value.lower() in TRUE:
            return True
        if value.lower() in FALSE:
            return False
        raise self.problem(column, f"{shown(value)} is not true/false, yes/no or 1/0")

    def decimal(self, column: str) -> float | None:
        value = self.text(column)
        if value is None:
            return None
        try:
            number = float(value.replace(",", ""))
        except ValueError:
            raise self.problem(column, f"{shown(value)} is not a number") from None
        if number < 0 or not math.isfinite(number):
            raise self.problem(column, f"{shown(value)} is not a number of zero or more")
        return number

    def integer(self, column: str) -> int | None:
        value = self.text(column)
        if value is None:
            return None
        try:
            number = int(value.replace(",", ""))
        except ValueError:
            raise self.problem(column, f"{shown(value)} is not a whole number") from None
        if number < 0:
            raise self.problem(column, f"{shown(value)} is not a whole number of zero or more")
        if number > MAX_JPY:
            raise self.problem(column, f"{shown(value)} is larger than {MAX_JPY}")
        return number

    def country(self, column: str, required: bool = False) -> str | None:
        value = self.text(column, required)
        return None if value is None else self._country(column, value)

    def countries(self, column: str) -> list[str]:
        return [self._country(column, value) for value in self.codes(column)]

    def _country(self, column: str, value: str) -> str:
        try:
            return alpha_2(value)
        except ValueError as exc:
            raise self.problem(column, str(exc)) from None

    def codes(self, column: str) -> list[str]:
        """A list written with ';' between its values."""
        return [part.strip() for part in (self.text(column) or "").split(";") if part.strip()]

    def choice(self, column: str, allowed: Iterable[str], default: str | None = None) -> str | None:
        value = self.text(column)
        if value is None:
            return default
        options = list(allowed)
        if value not in options:
            raise self.problem(column, f"{shown(value)} is not one of {', '.join(options)}")
        return value


@dataclass(frozen=True)
class Table:
    source: str
    columns: list[str]
    rows: list[Row]

    def check_columns(self, required: Iterable[str], optional: Iterable[str]) -> None:
        known = [*required, *optional]
        for column in self.columns:
            if column not in known:
                raise InvalidImport(
                    f"{self.source}: row 1, column {column}: unknown column (known: {', '.join(known)})"
                )
        for column in required:
            if column not in self.columns:
                raise InvalidImport(f"{self.source}: row 1, column {column}: missing (the header needs it)")


def read_table(path: Path) -> Table:
    """The first sheet of an .xlsx file, or a UTF-8 .csv file, as a header and rows of text."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        lines = _csv_rows(path)
    elif suffix == ".xlsx":
        lines = _xlsx_rows(path)
    else:
        raise InvalidImport(f"{path.name}: not a .csv or .xlsx file")
    return _table(path.name, lines)


def _table(source: str, lines: Iterator[list[str]]) -> Table:
    columns = header_columns(source, next(lines, None))
    rows: list[Row] = []
    for number, values in enumerate(lines, start=2):
        cells = row_cells(source, number, values, len(columns))
        if cells is not None:
            rows.append(Row(source, number, dict(zip(columns, cells, strict=True))))
    return Table(source, columns, rows)


def header_columns(source: str, header: Sequence[str] | None) -> list[str]:
    """Row 1's column names, lower-cased; an empty or repeated name is refused (a repeated one would hide a cell)."""
    if not header or not any(header):
        raise InvalidImport(f"{source}: row 1: no header (row 1 must name the columns)")
    columns = [name.strip().lower() for name in header]
    while columns and not columns[-1]:
        columns.pop()
    for index, name in enumerate(columns):
        if not name:
            raise InvalidImport(f"{source}: row 1, column {index + 1}: no column name")
        if name in columns[:index]:
            raise InvalidImport(f"{source}: row 1, column {name}: appears twice")
    return columns


def row_cells(source: str, number: int, values: Sequence[str], width: int) -> list[str] | None:
    """A row's cells, stripped and padded to the header's width; None for a blank row (skipped, its number kept)."""
    cells = [value.strip() for value in values]
    if not any(cells):
        return None
    if any(cells[width:]):
        raise InvalidImport(f"{source}: row {number}: more values than the header has columns")
    return cells[:width] + [""] * (width - len(cells))


def _csv_rows(path: Path) -> Iterator[list[str]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
    except OSError as exc:
        raise InvalidImport(f"{path.name}: {exc.strerror}") from exc
    except (csv.Error, UnicodeDecodeError) as exc:
        raise InvalidImport(f"{path.name}: not a UTF-8 CSV file ({exc})") from exc
    return iter(rows)


MAX_XLSX_UNPACKED = 512 << 20  # bytes once unzipped: a 50,000-row sheet is well under 100 MiB


def _xlsx_rows(path: Path) -> Iterator[list[str]]:
    try:
        with ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except OSError as exc:
        raise InvalidImport(f"{path.name}: {exc.strerror or 'cannot be read'}") from exc
    except (BadZipFile, ValueError, EOFError) as exc:
        raise InvalidImport(f"{path.name}: not an Excel .xlsx workbook (not a zip archive)") from exc
    if unpacked > MAX_XLSX_UNPACKED:
        raise InvalidImport(f"{path.name}: unpacks to {unpacked >> 20} MiB; at most {MAX_XLSX_UNPACKED >> 20} MiB")
    try:
        workbook = load_workbook(path, data_only=True)
        sheet = workbook.worksheets[0]
        rows = [[cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
    except MemoryError:
        raise
    except Exception as exc:
        # openpyxl fails on a damaged workbook with whatever its parsers raise (KeyError, TypeError, lxml and
        # zlib errors, ...): every one of them means the same thing to the user, and none may be a traceback.
        raise InvalidImport(f"{path.name}: not a readable Excel .xlsx workbook ({type(exc).__name__})") from exc
    return iter(rows)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
