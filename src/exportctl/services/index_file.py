"""The screening index kept on disk: built once per set of list versions, opened by later processes in milliseconds.

Parsing every list and building the index takes 10–20 s; a command that screens one name must not pay that. The
index tables are written to one SQLite file in the data directory (`<data dir>/index/<key>.sqlite`), and a later
process answers its queries by looking tokens up in that file (memory-mapped by SQLite; each value read is kept
in memory for the rest of the process) instead of rebuilding.

The key is a hash of everything the tables depend on (services/derived_files.py): each list's id and the hash of
its content (a stored version's, or the shipped file's bytes), exportctl's code and the versions of the libraries
that romanise names. A new list version or new code therefore gets a new file: a party is never screened against
an index of lists other than the current ones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import json
import os
import sqlite3
import tempfile
import threading
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar, overload

from exportctl.screening.entities import ListedEntity, list_version
from exportctl.screening.index import IndexedName, IndexTables, build_tables
from exportctl.screening.names import NameForm
from exportctl.services.derived_files import code_fingerprint, derived_dir, remove_older
from exportctl.services.lists import ListSource, entity_from_json

FORMAT = 1  # the file layout below; a change makes every older file unreadable by key
LIBRARIES = ("anyascii", "jellyfish", "pykakasi", "pypinyin", "rapidfuzz")  # they shape the names' forms
KEEP_FILES = 3  # older index files are removed, the newest few kept (another configuration may still use them)
MEMO_LIMIT = 500_000  # values kept per table before the memory is cleared (a long-running server stays bounded)

Progress = Callable[[str, int, int], None]  # (what is being done, done, total)

V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class ListInfo:
    """A list the index was built from, as the index file describes it."""

    list_id: str
    sha256: str
    source: str
    published: dt.date | None
    entity_count: int

    @property
    def version(self) -> str:
        return list_version(self.list_id, self.sha256)


def index_key(hashes: Mapping[str, str]) -> str:
    """The key of the index of the lists whose versions' hashes are `hashes` (list id → sha256)."""
    digest = hashlib.sha256(f"format {FORMAT} code {code_fingerprint()}".encode())
    for library in LIBRARIES:
        digest.update(f" {library}={importlib.metadata.version(library)}".encode())
    for list_id in sorted(hashes):
        digest.update(f"\n{list_id} {hashes[list_id]}".encode())
    return digest.hexdigest()[:32]


def index_dir() -> Path:
    return derived_dir("index")


def open_or_build(
    sources: Sequence[ListSource], progress: Progress | None = None, *, in_memory: bool = False
) -> IndexTables:
    """The index of `sources`: opened from its file when one was built before (read whole into memory with
    `in_memory`), else built (and kept, when the data directory can be written: a read-only one only costs the
    next process the same build)."""
    if not sources:
        return build_tables([])
    hashes = {source.list_id: source.content_hash() for source in sources}
    path = index_dir() / f"{index_key(hashes)}.sqlite"
    if path.exists():
        try:
            kept = load_index(path) if in_memory else open_index(path)
            if {list_id: info.sha256 for list_id, info in kept.lists.items()} == hashes:
                return kept
        except (sqlite3.DatabaseError, ValueError, KeyError):
            pass  # a damaged file (or one not from this program): built again below, and replaced
    lists = []
    for number, source in enumerate(sources):
        if progress:
            progress(f"reading {source.list_id}", number, len(sources) + 2)
        lists.append(source.read())
    if progress:
        progress("indexing names", len(sources), len(sources) + 2)
    tables = build_tables(lists)
    if progress:
        progress("writing the index", len(sources) + 1, len(sources) + 2)
    try:
        write_index(tables, path)
    except OSError:
        return tables
    finally:
        if progress:
            progress("index ready", len(sources) + 2, len(sources) + 2)
    remove_older(path, "*.sqlite", KEEP_FILES)
    return tables


# --- writing ----------------------------------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE lists (list_id TEXT PRIMARY KEY, sha256 TEXT, source TEXT, published TEXT, entities INTEGER)
    WITHOUT ROWID;
CREATE TABLE entities (key TEXT PRIMARY KEY, json TEXT NOT NULL) WITHOUT ROWID;  -- key: the entity id
CREATE TABLE names (id INTEGER PRIMARY KEY, entity_id TEXT NOT NULL, name TEXT NOT NULL, weak INTEGER NOT NULL,
    forms TEXT NOT NULL, quick TEXT NOT NULL);
CREATE TABLE postings (key TEXT PRIMARY KEY, ids BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE phonetic (key TEXT PRIMARY KEY, ids BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE deletions (key TEXT PRIMARY KEY, tokens TEXT NOT NULL) WITHOUT ROWID;
"""
_SEPARATOR = "\x1f"  # between tokens: never part of a normalised token


def _ids(ids: Sequence[int]) -> bytes:
    return array("I", ids).tobytes()


def _forms(forms: tuple[NameForm, ...]) -> str:
    return json.dumps([[f.variant, f.tokens, f.weights, f.legal, f.joined, f.skeleton] for f in forms])


def write_index(tables: IndexTables, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(descriptor)
    try:
        connection = sqlite3.connect(temporary)
        try:
            connection.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
            connection.execute("INSERT INTO meta VALUES ('format', ?), ('names', ?)", (FORMAT, len(tables.names)))
            connection.executemany(
                "INSERT INTO lists VALUES (?, ?, ?, ?, ?)",
                [(v.list_id, v.sha256, v.source, _date(v.published), v.entity_count) for v in tables.lists.values()],
            )
            connection.executemany(
                "INSERT INTO entities VALUES (?, ?)",
                ((e.entity_id, json.dumps(asdict(e), ensure_ascii=False)) for e in tables.entities.values()),
            )
            connection.executemany(
                "INSERT INTO names VALUES (?, ?, ?, ?, ?, ?)",
                (
                    (i, n.entity.entity_id, n.name, n.weak, _forms(n.forms), tables.quick[i])
                    for i, n in enumerate(tables.names)
                ),
            )
            for table, rows in (("postings", tables.postings), ("phonetic", tables.phonetic)):
                connection.executemany(f"INSERT INTO {table} VALUES (?, ?)", ((k, _ids(v)) for k, v in rows.items()))
            connection.executemany(
                "INSERT INTO deletions VALUES (?, ?)", ((k, _SEPARATOR.join(v)) for k, v in tables.deletions.items())
            )
            connection.commit()
        finally:
            connection.close()
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _date(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


# --- reading ----------------------------------------------------------------------------------------------------


class _File:
    """One read-only connection, shared by the threads of a server (SQLite serialises them; the lock keeps a
    statement and its fetch together)."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self.connection.execute("PRAGMA mmap_size=1073741824")
        self.lock = threading.Lock()

    def one(self, sql: str, key: object) -> Any:
        with self.lock:
            return self.connection.execute(sql, (key,)).fetchone()

    def all(self, sql: str) -> list[Any]:
        with self.lock:
            return self.connection.execute(sql).fetchall()


class _Table(Mapping[str, V]):
    """A key → value table of the file, read on demand; what was read is remembered."""

    def __init__(self, file: _File, table: str, column: str, decode: Callable[[Any], V]) -> None:
        self._file = file
        self._table = table
        self._select = f"SELECT {column} FROM {table} WHERE key = ?"
        self._decode = decode
        self._memo: dict[str, V | None] = {}

    def get_or_none(self, key: str) -> V | None:
        try:
            return self._memo[key]
        except KeyError:
            pass
        row = self._file.one(self._select, key)
        value = None if row is None else self._decode(row[0])
        if len(self._memo) >= MEMO_LIMIT:
            self._memo.clear()
        self._memo[key] = value
        return value

    def __getitem__(self, key: str) -> V:
        value = self.get_or_none(key)
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get_or_none(key) is not None

    def __iter__(self) -> Iterator[str]:
        return iter([row[0] for row in self._file.all(f"SELECT key FROM {self._table}")])

    def __len__(self) -> int:
        count: int = self._file.all(f"SELECT count(*) FROM {self._table}")[0][0]
        return count


def _decode_ids(blob: bytes) -> Sequence[int]:
    ids = array("I")
    ids.frombytes(blob)
    return tuple(ids)  # a tuple's ints are objects already: voting iterates them without boxing each again


def _decode_tokens(text: str) -> tuple[str, ...]:
    return tuple(text.split(_SEPARATOR))


def _decode_entity(text: str) -> ListedEntity:
    return entity_from_json(json.loads(text))


def _decode_forms(text: str) -> tuple[NameForm, ...]:
    return tuple(
        NameForm(variant, tuple(tokens), tuple(weights), legal, joined, skeleton)
        for variant, tokens, weights, legal, joined, skeleton in json.loads(text)
    )


def _named(entities: Mapping[str, ListedEntity], entity_id: str, name: str, weak: int, forms: str) -> IndexedName:
    return IndexedName(entities[entity_id], name, bool(weak), _decode_forms(forms))


class _Column(Sequence[V]):
    """The names table read by name id, one column (or several, decoded together) at a time; what was read is
    remembered."""

    def __init__(self, file: _File, count: int, columns: str, decode: Callable[[tuple[Any, ...]], V]) -> None:
        self._file = file
        self._count = count
        self._select = f"SELECT {columns} FROM names WHERE id = ?"
        self._decode = decode
        self._memo: dict[int, V] = {}

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> V: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[V]: ...
    def __getitem__(self, index: int | slice) -> V | Sequence[V]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if not 0 <= index < self._count:
            raise IndexError(index)
        try:
            return self._memo[index]
        except KeyError:
            pass
        found = self._decode(tuple(self._file.one(self._select, index)))
        if len(self._memo) >= MEMO_LIMIT:
            self._memo.clear()
        self._memo[index] = found
        return found


def open_index(path: Path) -> IndexTables:
    """The tables of an index file, read on demand."""
    file = _File(path)
    (count,) = file.one("SELECT value FROM meta WHERE key = ?", "names")
    lists = {
        list_id: ListInfo(list_id, sha256, source, dt.date.fromisoformat(published) if published else None, entities)
        for list_id, sha256, source, published, entities in file.all("SELECT * FROM lists")
    }
    entities: _Table[ListedEntity] = _Table(file, "entities", "json", _decode_entity)
    return IndexTables(
        lists=lists,
        entities=entities,
        names=_Column(file, int(count), "entity_id, name, weak, forms", lambda row: _named(entities, *row)),
        quick=_Column(file, int(count), "quick", lambda row: str(row[0])),
        postings=_Table(file, "postings", "ids", _decode_ids),
        phonetic=_Table(file, "phonetic", "ids", _decode_ids),
        deletions=_Table(file, "deletions", "tokens", _decode_tokens),
    )


def load_index(path: Path) -> IndexTables:
    """The tables of an index file, all read into memory (a batch worker answers many queries from one load)."""
    lazy = open_index(path)
    file = _File(path)
    entities = {entity_id: _decode_entity(text) for entity_id, text in file.all("SELECT key, json FROM entities")}
    names = [_named(entities, *row) for row in file.all("SELECT entity_id, name, weak, forms FROM names ORDER BY id")]
    return IndexTables(
        lists=lazy.lists,
        entities=entities,
        names=names,
        quick=[text for (text,) in file.all("SELECT quick FROM names ORDER BY id")],
        postings={key: _decode_ids(ids) for key, ids in file.all("SELECT key, ids FROM postings")},
        phonetic={key: _decode_ids(ids) for key, ids in file.all("SELECT key, ids FROM phonetic")},
        deletions={key: _decode_tokens(text) for key, text in file.all("SELECT key, tokens FROM deletions")},
    )
