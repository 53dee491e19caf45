"""Determinations stored once (`StoredDetermination`), keyed by the SHA-256 of their canonical text.

An order cites its latest determination by key and the ledger record of that determination cites the same key,
so each determination is written once however many records cite it (a re-check that changes nothing cites the
row it found). `Pending` gathers the determinations of a bulk entry and writes the new ones in one statement.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session, make_transient_to_detached

from exportctl import determination_json
from exportctl.store.db import insert_missing
from exportctl.store.models import StoredDetermination


def keep(db: Session, encoded: Mapping[str, Any]) -> StoredDetermination:
    """Store an encoded determination unless it is stored already; the session's record of it."""
    return keep_text(db, *determination_json.canonical(encoded))


def keep_text(db: Session, key: str, text: str) -> StoredDetermination:
    """Store a determination's canonical text (`determination_json.canonical`: its key and text) unless it is
    stored already; the session's record of it."""
    pending = Pending()
    pending.texts[key] = text
    pending.write(db)
    return _attached(db, key, text)


@dataclass
class Pending:
    """Determinations to store (key → canonical text), written together by `write` (before the rows citing them
    are flushed)."""

    texts: dict[str, str] = field(default_factory=dict)

    def write(self, db: Session) -> None:
        # In key order: two entries writing some of the same determinations wait for each other, never in a cycle.
        rows = [{"sha256": k, "body": t} for k, t in sorted(self.texts.items())]
        insert_missing(db, StoredDetermination, rows, "sha256")
        self.texts.clear()


def _attached(db: Session, key: str, text: str) -> StoredDetermination:
    """The session's object for the row of `key`, without reading or writing it: the row is (or will be, before
    the flush) exactly this text, since the key is the text's hash."""
    record = StoredDetermination(sha256=key, body=text)
    make_transient_to_detached(record)
    return db.merge(record, load=False)
