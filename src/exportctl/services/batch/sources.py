"""A batch's input, read as a stream of partitions: a CSV or Parquet file, or a PostgreSQL table or query.

Whatever the input's size, only the partitions in flight are in memory. Rows are numbered as the file shows them
(CSV: the header is row 1; Parquet and databases: the first record is row 2, as if a header preceded it), so that
an error names the row a user can find.

PostgreSQL is given as a URL with the table or the query as a parameter: `postgresql://user@host/db?table=orders`
(a table, optionally `schema.table`) or `...?query=SELECT ...`. The query runs in a read-only transaction and its
rows are fetched through a server-side cursor.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from exportctl.services.tables import InvalidImport, Row, cell_text, header_columns, row_cells

if TYPE_CHECKING:
    from sqlalchemy import Connection

Record = tuple[tuple[str, ...], int, list[str]]  # the header, the row's number, its cells
Records = Callable[[str], Iterator[Record]]  # the rows of an input, given how errors name it
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$")


@dataclass(frozen=True)
class Partition:
    """Rows of the input, compact (what travels to a worker is small to pickle): a CSV file's lines as read, parsed
    into rows where the rows are used (a worker: the client only finds where its records end), or the header and
    each row's cells (Parquet, a database)."""

    number: int
    source: str
    header: tuple[str, ...]
    numbers: list[int]  # each row's number, as the input shows it (Parquet, database)
    values: list[list[str]]
    lines: list[str] = field(default_factory=list)  # CSV: the lines of the partition's records, blank ones included
    first_line: int = 0  # CSV: the number of the line before its first
    count: int = 0  # CSV: its rows, blank ones not counted

    @property
    def rows(self) -> list[Row]:
        if self.lines:
            return list(self._csv_rows())
        return [
            Row(self.source, number, dict(zip(self.header, values, strict=False)))
            for number, values in zip(self.numbers, self.values, strict=True)
        ]

    def _csv_rows(self) -> Iterator[Row]:
        reader = csv.reader(self.lines)
        width = len(self.header)
        for values in reader:
            number = self.first_line + reader.line_num
            cells = row_cells(self.source, number, values, width)
            if cells is not None:
                yield Row(self.source, number, dict(zip(self.header, cells, strict=True)))

    def __len__(self) -> int:
        return self.count if self.lines else len(self.values)


@dataclass(frozen=True)
class BatchInput:
    """Where a batch reads from; `columns` and `partitions` read it (a file is opened again by each)."""

    location: str  # a path, or a database URL
    source: str  # how errors name it: the file's name, or the table

    @classmethod
    def of(cls, text: str) -> BatchInput:
        if text.startswith(("postgresql://", "postgresql+psycopg://", "postgres://")):
            return cls(text, _database_source(text))
        path = Path(text)
        if path.suffix.lower() not in (".csv", ".parquet"):
            raise InvalidImport(f"--input {text}: not a .csv or .parquet file, nor a postgresql:// URL")
        if not path.is_file():
            raise InvalidImport(f"--input {text}: no such file")
        return cls(text, path.name)

    @property
    def is_database(self) -> bool:
        return "://" in self.location

    def identity(self) -> str:
        """What the input is, for deciding whether a run may resume: a file's content hash; a database query's
        URL (its rows cannot be hashed before reading them: a resumed run over a changed table reads it again
        only for the partitions not yet done — say so to whoever resumes)."""
        if self.is_database:
            return hashlib.sha256(self.location.encode()).hexdigest()
        digest = hashlib.sha256()
        with open(self.location, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()

    def row_count(self) -> int | None:
        """The number of rows when it is known without reading them all (Parquet's metadata), else None."""
        if self.location.lower().endswith(".parquet") and not self.is_database:
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(self.location).metadata.num_rows)
        return None

    def partitions(self, size: int) -> Iterator[Partition]:
        """The rows, `size` at a time."""
        if self.is_database:
            records = _database_records(self.location)
        elif self.location.lower().endswith(".parquet"):
            records = _parquet_records(Path(self.location))
        else:
            yield from _csv_partitions(Path(self.location), self.source, size)
            return
        header: tuple[str, ...] = ()
        numbers: list[int] = []
        values: list[list[str]] = []
        count = 0
        for header, number, cells in records(self.source):
            numbers.append(number)
            values.append(cells)
            if len(values) == size:
                yield Partition(count, self.source, header, numbers, values)
                count, numbers, values = count + 1, [], []
        if values:
            yield Partition(count, self.source, header, numbers, values)

    def columns(self) -> list[str]:
        """Row 1's column names (refused when one is empty or repeated), read before any work starts."""
        if self.is_database:
            return header_columns(self.source, _database_columns(self.location))
        if self.location.lower().endswith(".parquet"):
            import pyarrow.parquet as pq

            return header_columns(self.source, pq.ParquetFile(self.location).schema_arrow.names)
        with _open_csv(Path(self.location)) as handle:
            return header_columns(self.source, next(csv.reader(handle), None))


def _open_csv(path: Path) -> TextIO:
    try:
        return path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise InvalidImport(f"{path.name}: {exc.strerror}") from exc


def _csv_partitions(path: Path, source: str, size: int) -> Iterator[Partition]:
    """A CSV file's partitions of `size` rows, each its lines as read. The client parses the records only to find
    where they end (a quoted cell may hold a line break) and to refuse what `row_cells` would refuse (the error
    names the row before any work on it starts); stripping the cells and making the rows is left to the workers,
    which halves what the client spends on each row."""
    with _open_csv(path) as handle:
        taken: list[str] = []

        def lines() -> Iterator[str]:
            for line in handle:
                taken.append(line)
                yield line

        reader = csv.reader(lines())
        number, rows = 0, 0
        try:
            header = tuple(header_columns(source, next(reader, None)))
            width, first_line = len(header), reader.line_num
            taken.clear()
            for values in reader:
                if not any(map(str.strip, values)):
                    continue  # a blank row: skipped where the rows are made, its line kept for the numbers after it
                if len(values) > width and any(map(str.strip, values[width:])):
                    row_cells(source, reader.line_num, values, width)  # raises, naming the row
                rows += 1
                if rows == size:
                    yield Partition(number, source, header, [], [], list(taken), first_line, rows)
                    number, rows, first_line = number + 1, 0, reader.line_num
                    taken.clear()
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InvalidImport(f"{source}: row {reader.line_num}: not a UTF-8 CSV file ({exc})") from exc
        if rows:
            yield Partition(number, source, header, [], [], list(taken), first_line, rows)


def _parquet_records(path: Path) -> Records:
    def records(source: str) -> Iterator[Record]:
        import pyarrow.parquet as pq

        number = 1
        for batch in pq.ParquetFile(path).iter_batches(batch_size=10_000):
            header = tuple(header_columns(source, batch.schema.names))
            columns = [[cell_text(value).strip() for value in column.to_pylist()] for column in batch.columns]
            for cells in zip(*columns, strict=True):
                number += 1
                yield header, number, list(cells)

    return records


# --- PostgreSQL -------------------------------------------------------------------------------------------------


def _split_url(url: str) -> tuple[str, str]:
    """The connection URL (for SQLAlchemy, psycopg driver) and the SQL selecting the rows."""
    parts = urlsplit(url)
    parameters = parse_qsl(parts.query, keep_blank_values=True)
    table = [value for key, value in parameters if key == "table"]
    query = [value for key, value in parameters if key == "query"]
    if len(table) + len(query) != 1:
        raise InvalidImport(f"--input {_hidden(url)}: give exactly one of ?table=NAME or ?query=SELECT …")
    if table and not _IDENTIFIER.match(table[0]):
        raise InvalidImport(f"--input {_hidden(url)}: table '{table[0]}' is not a table name (schema.table)")
    quoted = ".".join(f'"{part}"' for part in table[0].split(".")) if table else ""
    sql = f"SELECT * FROM {quoted}" if table else query[0]
    rest = urlencode([(key, value) for key, value in parameters if key not in ("table", "query")])
    scheme = "postgresql+psycopg"
    return urlunsplit((scheme, parts.netloc, parts.path, rest, "")), sql


def _hidden(url: str) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)[-1] if "@" in parts.netloc else parts.netloc
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _database_source(url: str) -> str:
    _split_url(url)  # a URL without its table or query is refused here, before anything runs
    table = dict(parse_qsl(urlsplit(url).query)).get("table")
    return f"table {table}" if table else f"query at {_hidden(url)}"


def _connect(url: str) -> tuple[Connection, str]:
    from sqlalchemy import create_engine
    from sqlalchemy.exc import SQLAlchemyError

    connection_url, sql = _split_url(url)
    try:
        connection = create_engine(connection_url).connect()
        connection.exec_driver_sql("SET TRANSACTION READ ONLY")
    except SQLAlchemyError as exc:
        raise InvalidImport(f"--input {_hidden(url)}: {exc.__class__.__name__}: {getattr(exc, 'orig', exc)}") from exc
    return connection, sql


def _database_columns(url: str) -> list[str]:
    from sqlalchemy.exc import SQLAlchemyError

    connection, sql = _connect(url)
    try:
        result = connection.exec_driver_sql(f"SELECT * FROM ({sql}) AS input LIMIT 0")
        return list(result.keys())
    except SQLAlchemyError as exc:
        raise InvalidImport(f"--input {_hidden(url)}: {getattr(exc, 'orig', exc)}") from exc
    finally:
        connection.close()


def _database_records(url: str) -> Records:
    def records(source: str) -> Iterator[Record]:
        from sqlalchemy.exc import SQLAlchemyError

        connection, sql = _connect(url)
        try:
            result = connection.execution_options(stream_results=True, yield_per=10_000).exec_driver_sql(sql)
            header = tuple(header_columns(source, list(result.keys())))
            for number, record in enumerate(result, start=2):
                yield header, number, [cell_text(value).strip() for value in record]
        except SQLAlchemyError as exc:
            raise InvalidImport(f"--input {_hidden(url)}: {getattr(exc, 'orig', exc)}") from exc
        finally:
            connection.close()

    return records
