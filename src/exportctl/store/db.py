"""Connecting to the configured database and bringing its schema up to date.

SQLite file by default (`./var/exportctl.db`, or EXPORTCTL_DATABASE_URL); PostgreSQL for teams. SQLite is
opened in WAL mode with a busy timeout and foreign keys on; writers that must not interleave (drawdowns,
ledger appends) start their transaction with BEGIN IMMEDIATE there, and lock rows on PostgreSQL. Reads
(`session(readonly=True)`: GET requests, `audit verify`, `impact`) begin DEFERRED on SQLite: in WAL mode
they read a snapshot and neither wait for nor hold the write lock. A new SQLite file is created with mode
0600 (its -wal and -shm files inherit the mode): the records are the exporter's, not every local user's.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, String, Table, Text, create_engine, event, func, insert, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

DATABASE_URL_ENV = "EXPORTCTL_DATABASE_URL"
MIGRATIONS = Path(__file__).parent / "migrations"


def database_url() -> str:
    url = os.environ.get(DATABASE_URL_ENV)
    if url:
        return url
    folder = Path(os.environ.get("EXPORTCTL_DATA_DIR", "var"))
    return f"sqlite:///{folder / 'exportctl.db'}"


def _create_private(path: Path) -> None:
    """Create the database file (and its folder) readable by the owner only, before SQLite opens it."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        return  # an existing database keeps the mode its owner gave it


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    connection.isolation_level = None  # let SQLAlchemy's "BEGIN" events decide the transaction mode
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # BEGIN IMMEDIATE takes the write lock at the start: two writers never both read a stale balance.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_begin_deferred(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


@cache
def engine(url: str | None = None, readonly: bool = False) -> Engine:
    """The engine for a URL. On SQLite a `readonly` engine begins its transactions DEFERRED: a long read
    (`audit verify` over a million records) then does not hold the write lock that writers wait for."""
    url = url or database_url()
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1].split("?", 1)[0] if "///" in url else ""
        if path and path != ":memory:":
            _create_private(Path(path))
        created = create_engine(url, connect_args={"timeout": 30})
        event.listen(created, "connect", _sqlite_pragmas)
        event.listen(created, "begin", _sqlite_begin_deferred if readonly else _sqlite_begin)
        return created
    if readonly:
        return engine(url)
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_size=10, max_overflow=10)


def upgrade(url: str | None = None) -> None:
    """Apply every Alembic migration not yet applied."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine(url)
    command.upgrade(config, "head")


_FIRST_USE = threading.Lock()


@cache
def _sessions_migrated(url: str) -> sessionmaker[Session]:
    upgrade(url)
    return sessionmaker(engine(url), expire_on_commit=False)


def _sessions(url: str) -> sessionmaker[Session]:
    # A server's first requests arrive together on several threads: migrate once, not concurrently
    # (Alembic's context is process-global).
    with _FIRST_USE:
        return _sessions_migrated(url)


@contextmanager
def session(url: str | None = None, readonly: bool = False) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back (nothing written) on any error."""
    url = url or database_url()
    factory = _sessions(url)  # also for a read: the first use of a new database creates its schema
    with Session(engine(url, True), expire_on_commit=False) if readonly else factory() as db, db.begin():
        yield db


def insert_missing(db: Session, model: type[Any], rows: Sequence[Mapping[str, Any]], key: str) -> None:
    """Insert the rows whose `key` is not stored yet, in one statement per page of rows (executemany). Concurrent
    transactions may insert the same key at once: the first wins, the others do nothing (a plain insert made all
    but one fail with a duplicate key)."""
    if not rows:
        return
    insert = postgresql_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    # The table, not the mapped class: a Core statement, which neither flushes the session nor loads objects.
    db.execute(insert(model.__table__).on_conflict_do_nothing(index_elements=[key]), list(rows))


def reserve_ids(db: Session, model: type[Any], count: int) -> list[int]:
    """`count` new primary keys of `model`'s table for rows this transaction inserts. With their keys given,
    the ORM inserts many rows in one executemany instead of asking the database for each new key (RETURNING,
    whose many-row statements cost more to build than the rows cost to write). PostgreSQL hands the keys
    out from the column's sequence (safe beside concurrent inserts); on SQLite a writer holds the database
    (BEGIN IMMEDIATE), so the keys after the largest are free."""
    if count == 0:
        return []
    table = model.__table__
    if db.get_bind().dialect.name == "postgresql":
        sequence = func.pg_get_serial_sequence(table.name, "id")
        keys = select(func.nextval(sequence)).select_from(func.generate_series(1, count))
        return list(db.scalars(keys))
    largest = db.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0
    return list(range(largest + 1, largest + 1 + count))


def insert_rows(db: Session, model: type[Any], rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert these rows (the same columns in each, keys included: `reserve_ids`) in the session's transaction,
    without ORM objects, so the caller checks them first (`unstorable`). PostgreSQL takes them in one COPY, each
    value bound by its column's type exactly as an INSERT binds it; elsewhere one executemany of an INSERT."""
    if not rows:
        return
    table = model.__table__
    connection = db.connection()
    dialect = connection.dialect
    if dialect.name != "postgresql":
        db.execute(insert(table), list(rows))
        return
    keys = list(rows[0])
    binds = [table.c[key].type.dialect_impl(dialect).bind_processor(dialect) for key in keys]
    quote = dialect.identifier_preparer.quote
    statement = f"COPY {quote(table.name)} ({', '.join(quote(key) for key in keys)}) FROM STDIN"
    driver = connection.connection.driver_connection  # psycopg's, in the session's transaction
    assert driver is not None
    columns = list(zip(keys, binds, strict=True))
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([row[key] if bind is None else bind(row[key]) for key, bind in columns])


@cache
def _texts(table: Table) -> list[tuple[str, int | None]]:
    """The text columns of a table, with their length limits (None: unlimited)."""
    return [(c.key, getattr(c.type, "length", None)) for c in table.columns if isinstance(c.type, String | Text)]


def unstorable(model: type[Any], row: Mapping[str, Any]) -> str | None:
    """Why a row of `model`'s table cannot be stored as it is (a text that does not fit its column or holds NUL,
    naming the column), or None: what `services.records` refuses in every flush, for rows inserted without one
    (PostgreSQL would fail with a 500; SQLite would silently store it)."""
    for key, limit in _texts(model.__table__):
        value = row.get(key)
        if not isinstance(value, str):
            continue
        if "\x00" in value:
            return f"{key}: contains a NUL character"
        if limit is not None and len(value) > limit:
            return f"{key}: {len(value)} characters; at most {limit}"
    return None
