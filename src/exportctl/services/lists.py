"""Screening lists on disk: the versions a user loaded, and the shipped defaults.

`lists load` parses an official file and keeps that version (entities as gzip JSON lines, named by the
file's hash) so that `lists diff` can compare versions later and a screening can cite the version it used.
Nothing is written unless the whole file parsed.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from exportctl.screening.entities import ListedEntity, LoadedList
from exportctl.screening.sources import registry

DATA_DIR_ENV = "EXPORTCTL_DATA_DIR"
LISTS_DIR_ENV = "EXPORTCTL_LISTS_DIR"


def data_dir() -> Path:
    return Path(os.environ.get(DATA_DIR_ENV, "var"))


def shipped_lists_dirs() -> list[Path]:
    """EXPORTCTL_LISTS_DIR: the folders of official list files, separated like PATH (`lists:us`)."""
    value = os.environ.get(LISTS_DIR_ENV, "")
    return [Path(folder) for folder in value.split(os.pathsep) if folder]


@dataclass(frozen=True)
class StoredVersion:
    list_id: str
    version: str
    sha256: str
    source: str
    published: dt.date | None
    loaded_at: str
    entities: int
    names: int


@dataclass(frozen=True)
class EntityChange:
    kind: str  # added | removed | changed
    entity_id: str
    before: ListedEntity | None
    after: ListedEntity | None


class ListStore:
    def __init__(self, root: Path | None = None) -> None:
        self.root = (root or data_dir()) / "lists"

    def _manifest_path(self) -> Path:
        return self.root / "manifest.json"

    def versions(self) -> list[StoredVersion]:
        path = self._manifest_path()
        if not path.exists():
            return []
        rows: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
        return [
            StoredVersion(**{**row, "published": dt.date.fromisoformat(row["published"]) if row["published"] else None})
            for row in rows
        ]

    def save(self, loaded: LoadedList, loaded_at: dt.datetime) -> StoredVersion:
        folder = self.root / loaded.list_id
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{loaded.version}.jsonl.gz"
        temporary = target.with_suffix(".tmp")
        with gzip.open(temporary, "wt", encoding="utf-8") as handle:
            for entity in loaded.entities:
                handle.write(json.dumps(asdict(entity), ensure_ascii=False) + "\n")
        temporary.replace(target)  # atomic: a reader never sees half a version
        stored = StoredVersion(
            list_id=loaded.list_id,
            version=loaded.version,
            sha256=loaded.sha256,
            source=loaded.source,
            published=loaded.published,
            loaded_at=loaded_at.isoformat(timespec="seconds"),
            entities=len(loaded.entities),
            names=loaded.name_count,
        )
        rows = [v for v in self.versions() if v.version != stored.version] + [stored]
        payload = [{**asdict(v), "published": v.published.isoformat() if v.published else None} for v in rows]
        manifest = self._manifest_path()
        manifest.with_suffix(".tmp").write_text(json.dumps(payload, indent=2), encoding="utf-8")
        manifest.with_suffix(".tmp").replace(manifest)
        return stored

    def read(self, stored: StoredVersion) -> LoadedList:
        path = self.root / stored.list_id / f"{stored.version}.jsonl.gz"
        entities = tuple(entity_from_json(json.loads(line)) for line in _lines(path))
        return LoadedList(stored.list_id, stored.sha256, stored.source, stored.published, entities)

    def find(self, list_id: str, version: str | None = None) -> StoredVersion:
        """A stored version by id, or the latest loaded version of a list."""
        candidates = [v for v in self.versions() if v.list_id == list_id]
        if version is not None:
            candidates = [v for v in candidates if v.version == version or v.sha256.startswith(version)]
        if not candidates:
            raise LookupError(f"no stored version{' ' + version if version else ''} of list '{list_id}'")
        return candidates[-1]

    def latest(self) -> list[StoredVersion]:
        by_list: dict[str, StoredVersion] = {}
        for stored in self.versions():
            by_list[stored.list_id] = stored
        return list(by_list.values())


def _lines(path: Path) -> Iterator[str]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        yield from handle


def entity_from_json(row: dict[str, Any]) -> ListedEntity:
    fields: dict[str, Any] = {key: tuple(value) if isinstance(value, list) else value for key, value in row.items()}
    return ListedEntity(**fields)


def diff_versions(before: LoadedList, after: LoadedList) -> list[EntityChange]:
    old = {e.entity_id: e for e in before.entities}
    new = {e.entity_id: e for e in after.entities}
    changes = [EntityChange("added", key, None, new[key]) for key in new.keys() - old.keys()]
    changes += [EntityChange("removed", key, old[key], None) for key in old.keys() - new.keys()]
    changes += [
        EntityChange("changed", key, old[key], new[key])
        for key in old.keys() & new.keys()
        if old[key].fingerprint() != new[key].fingerprint()
    ]
    return sorted(changes, key=lambda change: (change.kind, change.entity_id))


def load_file(list_id: str, path: Path) -> LoadedList:
    return registry.read_list(list_id, path)


def _as_of(published: dt.date | None, fetched: dt.date) -> dt.date:
    return max(published, fetched) if published is not None else fetched


def file_as_of(loaded: LoadedList, path: Path) -> dt.date:
    """The day a list file was last known current: its publication, or when it was written, if later."""
    return _as_of(loaded.published, _modified(path))


def _modified(path: Path) -> dt.date:
    return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).date()


@dataclass(frozen=True)
class ListSource:
    """A list to screen against, before it is read: the latest stored version of a list, or a shipped file."""

    list_id: str
    stored: StoredVersion | None = None
    path: Path | None = None

    def read(self) -> LoadedList:
        if self.stored is not None:
            return ListStore().read(self.stored)
        assert self.path is not None
        return registry.read_list(self.list_id, self.path)

    def content_hash(self) -> str:
        """The version's sha256 (as the list read from it will have), known without parsing the list."""
        if self.stored is not None:
            return self.stored.sha256
        assert self.path is not None
        return registry.version_hash(self.list_id, self.path)

    def as_of(self, published: dt.date | None) -> dt.date:
        """The day the list was last known current, given its publication (read from the list)."""
        if self.stored is not None:
            return _as_of(published, dt.datetime.fromisoformat(self.stored.loaded_at).date())
        assert self.path is not None
        return _as_of(published, _modified(self.path))


def list_sources(only: set[str] | None = None) -> list[ListSource]:
    """The lists to screen against: the latest stored version of each list, else the shipped file."""
    sources = {
        stored.list_id: ListSource(stored.list_id, stored=stored)
        for stored in ListStore().latest()
        if not only or stored.list_id in only
    }
    folders = [folder for folder in shipped_lists_dirs() if folder.is_dir()]
    if folders:
        for list_id, path in registry.default_files(*folders).items():
            if list_id not in sources and (not only or list_id in only):
                sources[list_id] = ListSource(list_id, path=path)
    return list(sources.values())
