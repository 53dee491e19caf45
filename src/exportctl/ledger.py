"""The audit trail: append-only records, each holding the hash of the one before.

A record's hash covers its id, time, actor, action, subject, payload, pack and list versions and the previous
hash, in a canonical JSON form that survives a database round trip. Appends lock the single `ledger_head`
row, so concurrent writers extend the chain one at a time. `verify` walks the chain in id order and names
the first record that was modified, deleted or reordered; the head row catches records cut from the end.

Whoever owns the database can cut the tail and move the head row, or rewrite a record and rehash everything
after it: the chain is then consistent with itself. An `Anchor` — a head exported earlier and kept outside
the database (`audit export-head`) — catches that: the chain must still hold the anchored record count, with
the anchored hash at that position and the anchored first record.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from exportctl.store.models import AuditRecord, LedgerHead, StoredDetermination

GENESIS = "0" * 64
HEAD_ID = 1


def _utc(moment: dt.datetime) -> str:
    """Timestamps as naive UTC ISO text: SQLite returns them without a zone, PostgreSQL with one."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds")


def record_hash(
    record_id: int,
    at: dt.datetime,
    actor: str,
    action: str,
    subject: str,
    payload: Mapping[str, Any],
    pack_version: str | None,
    list_versions: Mapping[str, Any],
    prev_hash: str,
) -> str:
    canonical = json.dumps(
        {
            "id": record_id,
            "at": _utc(at),
            "actor": actor,
            "action": action,
            "subject": subject,
            "payload": payload,
            "pack_version": pack_version,
            "list_versions": list_versions,
            "prev_hash": prev_hash,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _head(db: Session) -> LedgerHead:
    statement = select(LedgerHead).where(LedgerHead.id == HEAD_ID)
    if db.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update()
    head = db.scalars(statement.execution_options(populate_existing=True)).first()  # the locked row, not a stale copy
    if head is None:
        head = LedgerHead(id=HEAD_ID, last_id=0, last_hash=GENESIS)
        db.add(head)
        db.flush()
    return head


class Chain:
    """Appends to the chain within one transaction, the head row locked once (`append` locks it per record).

    A bulk operation (`services.orders.add_orders`) appends a record per order: the head stays locked by the
    transaction (PostgreSQL: FOR UPDATE; SQLite writers hold the database), so it is read once and advanced in
    memory. `row` gives a record's columns for the caller to insert with the others (one executemany; `append` adds
    one as an ORM record); the head row is written at the next flush."""

    def __init__(self, db: Session) -> None:
        self.head = _head(db)

    def row(
        self,
        actor: str,
        action: str,
        subject: str,
        payload: Mapping[str, Any],
        *,
        pack_version: str | None = None,
        list_versions: Mapping[str, Any] | None = None,
        at: dt.datetime | None = None,
    ) -> dict[str, Any]:
        """The next record's columns (`AuditRecord`), hashed and linked; the head advanced to it."""
        head = self.head
        record_id = head.last_id + 1
        moment = at or dt.datetime.now(dt.UTC)
        versions = dict(list_versions or {})
        content = json.loads(json.dumps(payload, default=str))  # exactly what the database will give back
        digest = record_hash(record_id, moment, actor, action, subject, content, pack_version, versions, head.last_hash)
        row = {
            "id": record_id,
            "at": moment,
            "actor": actor,
            "action": action,
            "subject": subject,
            "payload": content,
            "pack_version": pack_version,
            "list_versions": versions,
            "prev_hash": head.last_hash,
            "hash": digest,
        }
        head.last_id, head.last_hash = record_id, digest
        return row


def append(
    db: Session,
    actor: str,
    action: str,
    subject: str,
    payload: Mapping[str, Any],
    *,
    pack_version: str | None = None,
    list_versions: Mapping[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> AuditRecord:
    """Add one record in the caller's transaction (it commits or rolls back with the change it records)."""
    chain = Chain(db)
    record = AuditRecord(
        **chain.row(actor, action, subject, payload, pack_version=pack_version, list_versions=list_versions, at=at)
    )
    db.add(record)
    db.flush()
    return record


@dataclass(frozen=True)
class Anchor:
    """A head exported earlier (`records` records, the last with `head_hash`): the chain must still hold it."""

    records: int
    head_hash: str
    first_hash: str | None  # record 1's hash: which ledger this head belongs to (None for an empty ledger)
    exported_at: str = ""


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    first_bad: int | None = None
    problem: str = ""
    # Details beside the verdict (not part of a comparison of two verifications' results):
    head_hash: str = field(default=GENESIS, compare=False)  # the last verified record's (GENESIS when empty)
    first_hash: str | None = field(default=None, compare=False)  # record 1's
    check: str = field(default="chain", compare=False)  # what failed: chain, head (the anchor), rows, signature


Visit = Callable[[Row[Any]], None]

_COLUMNS = (
    AuditRecord.id,
    AuditRecord.at,
    AuditRecord.actor,
    AuditRecord.action,
    AuditRecord.subject,
    AuditRecord.payload,
    AuditRecord.pack_version,
    AuditRecord.list_versions,
    AuditRecord.prev_hash,
    AuditRecord.hash,
)


def _records(db: Session, batch: int) -> Iterator[Row[Any]]:
    """The records in id order, as plain rows (no ORM objects: the walk reads each once)."""
    last = 0
    while True:
        rows = db.execute(select(*_COLUMNS).where(AuditRecord.id > last).order_by(AuditRecord.id).limit(batch)).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].id


def _link_problem(record: Row[Any], expected_id: int, expected_prev: str) -> tuple[int, str] | None:
    """Why this record breaks the chain (with the id to name), or None. The hash is recomputed from every
    column it covers, the actor included: a record re-attributed to another user no longer matches."""
    if record.id != expected_id:
        return expected_id, f"record {expected_id} is missing (next is {record.id})"
    if record.prev_hash != expected_prev:
        return record.id, "previous-hash link broken (a record was changed or moved)"
    digest = record_hash(
        record.id,
        record.at,
        record.actor,
        record.action,
        record.subject,
        record.payload,
        record.pack_version,
        record.list_versions,
        record.prev_hash,
    )
    if digest != record.hash:
        return record.id, "content does not match its hash (the record was modified)"
    return None


def _anchor_problem(record: Row[Any], anchor: Anchor) -> str | None:
    """A record that is linked correctly but is not the one the exported head saw at its position."""
    if record.id == 1 and anchor.first_hash is not None and record.hash != anchor.first_hash:
        return "record 1 is not the exported head's first record: the ledger was rebuilt or replaced"
    if record.id == anchor.records and record.hash != anchor.head_hash:
        return (
            f"record {record.id} does not match the head exported{_when(anchor)}: the chain up to it was "
            "rewritten and rehashed, or records were cut and forged in their place"
        )
    return None


def _when(anchor: Anchor) -> str:
    return f" at {anchor.exported_at}" if anchor.exported_at else ""


def _short_of(anchor: Anchor, checked: int) -> str:
    if checked == 0:
        return f"the ledger is empty, but the head exported{_when(anchor)} counts {anchor.records} records"
    return (
        f"the ledger ends at record {checked}, but the head exported{_when(anchor)} counts {anchor.records}: "
        f"records {checked + 1}…{anchor.records} were cut and the head row moved to hide it"
    )


def verify(db: Session, batch: int = 5000, anchor: Anchor | None = None, visit: Visit | None = None) -> Verification:
    """Walk the chain; with an `anchor`, it must also contain that exported head. `visit` sees every
    record that verified, in order (the services compare the business rows with what they imply). The
    determinations the records cite are hashed again, a batch of records at a time."""
    expected_prev, expected_id, checked, first = GENESIS, 1, 0, None
    cited = _Cited(db, batch)
    for record in _records(db, batch):
        broken = _link_problem(record, expected_id, expected_prev)
        if broken is not None:
            return Verification(False, checked, broken[0], broken[1], expected_prev, first)
        unanchored = _anchor_problem(record, anchor) if anchor is not None else None
        if unanchored is not None:
            return Verification(False, checked, record.id, unanchored, expected_prev, first, "head")
        altered = cited.add(record)
        if altered is not None:
            return Verification(False, checked, altered[0], altered[1], expected_prev, first, "determinations")
        if visit is not None:
            visit(record)
        first = first or record.hash
        expected_prev, expected_id, checked = record.hash, record.id + 1, checked + 1
    altered = cited.check()
    if altered is not None:
        return Verification(False, checked, altered[0], altered[1], expected_prev, first, "determinations")
    mismatch = _head_row_problem(db.get(LedgerHead, HEAD_ID), checked, expected_prev)
    if mismatch is not None:
        return Verification(False, checked, mismatch[0], mismatch[1], expected_prev, first)
    if anchor is not None and anchor.records > checked:  # the head row was moved (or removed) along with the tail
        return Verification(False, checked, checked + 1, _short_of(anchor, checked), expected_prev, first, "head")
    return Verification(True, checked, head_hash=expected_prev, first_hash=first)


def check_records(db: Session, ids: Iterable[int]) -> dict[int, str | None]:
    """Each record's problem (None: it holds), judged against its neighbours instead of by walking the whole
    chain: its content matches its hash, its previous-hash link names the record before it, the record after it
    (or the head row, for the last) links to it, and the determinations it cites hash to their keys. A record
    changed and rehashed breaks its successor's link; only a rewrite of everything after it escapes, which
    `verify` with an exported anchor catches. Bounded by the records asked for, whatever the ledger's size."""
    wanted = sorted(set(ids))
    neighbours = {i + step for i in wanted for step in (-1, 0, 1)}
    rows = {row.id: row for row in db.execute(select(*_COLUMNS).where(AuditRecord.id.in_(neighbours)))}
    head = db.get(LedgerHead, HEAD_ID)
    problems: dict[int, str | None] = {}
    for record_id in wanted:
        record = rows.get(record_id)
        if record is None:
            problems[record_id] = f"record {record_id} is missing"
            continue
        before = GENESIS if record_id == 1 else getattr(rows.get(record_id - 1), "hash", None)
        if before is None:
            problems[record_id] = f"record {record_id - 1}, before it, is missing"
            continue
        broken = _link_problem(record, record_id, before)
        after = rows.get(record_id + 1)
        if broken is not None:
            problems[record_id] = broken[1]
        elif after is not None and after.prev_hash != record.hash:
            problems[record_id] = f"record {record_id + 1} does not link to it (it was changed and rehashed)"
        elif after is None:
            problems[record_id] = _last_problem(record, head)
        else:
            problems[record_id] = None
    citing = {key: i for i in wanted if problems[i] is None for key in cited_determinations(rows[i].payload)}
    for record_id, problem in _citation_problems(db, citing):
        problems[record_id] = problem
    return problems


def _last_problem(record: Row[Any], head: LedgerHead | None) -> str | None:
    """A record with no record after it must be the one the head row holds: else the records after it were cut
    (or it was replaced)."""
    if head is None or (head.last_id == record.id and head.last_hash == record.hash):
        return None
    if head.last_id > record.id:
        return f"record {record.id + 1}, after it, is missing (the head row counts {head.last_id})"
    return f"record {record.id} is not the one the head row holds (it was replaced)"


def cited_determinations(payload: Mapping[str, Any]) -> list[str]:
    """The keys of the stored determinations (`StoredDetermination`) a record's payload cites: an order's
    determination under its regime and under each of its other regimes."""
    keys = [payload["determination_sha256"]] if "determination_sha256" in payload else []
    return keys + list(payload.get("other_determination_sha256", {}).values())


def cited_determination(db: Session, key: str) -> dict[str, Any]:
    """A stored determination a record cites, its text hashed again: a row altered or removed is refused."""
    record = db.get(StoredDetermination, key)
    if record is None or hashlib.sha256(record.body.encode()).hexdigest() != key:
        raise LookupError(f"determination {key} is {'missing' if record is None else 'altered'}")
    return record.content


def stored_texts(db: Session, keys: Iterable[str]) -> dict[str, str]:
    """The stored determinations' texts of these keys (those stored), by key."""
    chosen = select(StoredDetermination.sha256, StoredDetermination.body)
    return {key: text for key, text in db.execute(chosen.where(StoredDetermination.sha256.in_(list(keys))))}


class _Cited:
    """The determinations cited by the records walked so far, checked a batch at a time: each must be stored with
    a text whose SHA-256 is its key (the chain covers the key, the key covers the text)."""

    def __init__(self, db: Session, batch: int) -> None:
        self.db, self.batch = db, batch
        self.waiting: dict[str, int] = {}  # key → the first record citing it

    def add(self, record: Row[Any]) -> tuple[int, str] | None:
        for key in cited_determinations(record.payload):
            self.waiting.setdefault(key, record.id)
        return self.check() if len(self.waiting) >= self.batch else None

    def check(self) -> tuple[int, str] | None:
        waiting, self.waiting = self.waiting, {}
        problems = _citation_problems(self.db, waiting)
        return min(problems) if problems else None


def _citation_problems(db: Session, citing: Mapping[str, int]) -> list[tuple[int, str]]:
    """The cited determinations (key → a record citing it) that are missing or whose text no longer hashes to
    their key, with the record to name."""
    texts = stored_texts(db, citing)
    problems = []
    for key, record_id in citing.items():
        text = texts.get(key)
        if text is None:
            problems.append((record_id, f"record {record_id} cites determination {key}, which is missing"))
        elif hashlib.sha256(text.encode()).hexdigest() != key:
            problems.append((record_id, f"determination {key}, cited by record {record_id}, was altered"))
    return problems


def _head_row_problem(head: LedgerHead | None, checked: int, last_hash: str) -> tuple[int, str] | None:
    """The head row (which appends maintain) against the walked chain: catches a tail cut by hand."""
    if head is None or (head.last_id == checked and head.last_hash == last_hash):
        return None
    if head.last_id > checked:
        return checked + 1, f"records {checked + 1}…{head.last_id} are missing at the end"
    if head.last_id < checked:
        return head.last_id + 1, f"records {head.last_id + 1}…{checked} were added behind the head row's back"
    return checked, f"record {checked} is not the one the head row holds (the last record was replaced)"
