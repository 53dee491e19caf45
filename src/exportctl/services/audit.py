"""Verifying the trail against an exported head and against the business rows; replaying a recorded
determination with the pack version it cites; exporting the trail.

The chain alone proves only that it is consistent with itself: whoever owns the database can rewrite a
record and rehash everything after it. Two checks close that. The head exported earlier (`export_head`,
signed with an HMAC key kept outside the database) must still be contained in the chain. And the business
rows must hold what the ledger's records imply — licence usage equals the drawdowns recorded, an order's
status is the last transition recorded for it, releases and drawdowns were made by the users recorded — so
changing a row without a matching record, or a record without its row, is named.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from exportctl import determination_json, ledger
from exportctl.core_types import ScreeningHit, Transaction
from exportctl.determine.engine import determine
from exportctl.services import regimes
from exportctl.services.errors import NotFound, RecordError
from exportctl.store.models import AuditRecord, Drawdown, Licence, Order, PackVersion, Release


@dataclass
class _RecordedScreener:
    """Gives back exactly the screening hits the determination saw, so the replay needs no list files."""

    hits: dict[tuple[str, str | None], tuple[ScreeningHit, ...]]  # by the (name, country) the engine asked
    lists: frozenset[str]

    def screen_party(self, name: str, country: str | None) -> tuple[ScreeningHit, ...]:
        return self.hits.get((name, country), ())

    def has_list(self, list_id: str) -> bool:
        return list_id in self.lists

    def list_age_days(self, list_id: str) -> int | None:
        return None  # the record keeps list versions, not their ages

    def max_list_age_days(self, pack_limit: int | None) -> int | None:
        return pack_limit


@dataclass(frozen=True)
class Replay:
    record_id: int
    pack_version: str
    identical: bool
    recorded: dict[str, Any]
    replayed: dict[str, Any]


def replay(db: Session, record_id: int) -> Replay:
    record = db.get(AuditRecord, record_id)
    if record is None:
        raise NotFound(f"audit record {record_id} does not exist")
    if record.action != "order.determine" or record.pack_version is None:
        raise RecordError(f"audit record {record_id} is '{record.action}', not a determination")
    stored = db.get(PackVersion, record.pack_version)
    if stored is None:
        raise RecordError(f"pack version {record.pack_version} is not kept in this database")
    regime = regimes.kept_version(stored.files)
    payload = record.payload
    transaction = Transaction.model_validate(payload["transaction"])
    # The engine screens the end user in its country (else the destination) and the consignee in the
    # destination; a party that is both is one query, so its hits are recorded twice, not to be added up.
    hits: dict[tuple[str, str | None], tuple[ScreeningHit, ...]] = {}
    queries = (
        ("end_user", transaction.end_user, transaction.end_user_country or transaction.destination),
        ("consignee", transaction.consignee, transaction.destination),
    )
    for role, name, country in queries:
        if name is not None:
            hits[(name, country)] = tuple(determination_json.decode_hit(h) for h in payload["screening"][role])
    screener = _RecordedScreener(hits, frozenset(record.list_versions))
    snapshot = regime.at(transaction.date)
    replayed = determination_json.encode(determine(snapshot, transaction, screener if record.list_versions else None))
    recorded = _recorded_determination(db, record_id, payload)
    # Compared without the reasons' Japanese texts: a record stored before the engine wrote them replays identical.
    identical = determination_json.comparable(replayed) == determination_json.comparable(recorded)
    return Replay(record_id, record.pack_version, identical, recorded, replayed)


def _recorded_determination(db: Session, record_id: int, payload: dict[str, Any]) -> dict[str, Any]:
    """The determination a record holds (records before stored determinations held it inline) or cites."""
    if "determination" in payload:
        inline: dict[str, Any] = payload["determination"]
        return inline
    try:
        return ledger.cited_determination(db, payload["determination_sha256"])
    except LookupError as exc:
        raise RecordError(f"audit record {record_id}: {exc}") from None


def export(db: Session, batch: int = 5000) -> Iterator[str]:
    """Every record as one JSON line, in chain order; a record citing stored determinations carries their texts
    (`determinations`: key → the text whose SHA-256 is the key), so the export is checked without the database."""
    last = 0
    while True:
        rows = db.scalars(select(AuditRecord).where(AuditRecord.id > last).order_by(AuditRecord.id).limit(batch)).all()
        if not rows:
            return
        texts = ledger.stored_texts(db, {key for row in rows for key in ledger.cited_determinations(row.payload)})
        for row in rows:
            cited = {key: texts.get(key) for key in ledger.cited_determinations(row.payload)}
            yield json.dumps(
                {
                    "id": row.id,
                    "at": row.at.isoformat(),
                    "actor": row.actor,
                    "action": row.action,
                    "subject": row.subject,
                    "payload": row.payload,
                    "pack_version": row.pack_version,
                    "list_versions": row.list_versions,
                    "prev_hash": row.prev_hash,
                    "hash": row.hash,
                    **({"determinations": cited} if cited else {}),
                },
                ensure_ascii=False,
            )
        last = rows[-1].id
        db.expunge_all()


# --- the exported head ------------------------------------------------------------------------------------------

HEAD_FORMAT = "exportctl-ledger-head/1"
KEY_FILE_ENV = "EXPORTCTL_AUDIT_KEY_FILE"
MIN_KEY_BYTES = 16  # 128 bits: a shorter secret could be guessed from a signed head
SIGNATURE = "HMAC-SHA256"
_HASH = re.compile(r"[0-9a-f]{64}")


class HeadFileError(ValueError):
    """A head or key file that cannot be used (unreadable, malformed): bad input, not a verification result."""


def verification_dict(result: ledger.Verification) -> dict[str, Any]:
    """The answer of `audit verify`, the same in the CLI and the API."""
    return {"ok": result.ok, "checked": result.checked, "first_bad": result.first_bad, "problem": result.problem}


def read_key(path: Path) -> bytes:
    """The secret in a key file (surrounding whitespace dropped, so `openssl rand -hex 32 > FILE` works)."""
    try:
        key = path.read_bytes().strip()
    except OSError as exc:
        raise HeadFileError(f"key file {path}: {exc.strerror or exc}") from exc
    if len(key) < MIN_KEY_BYTES:
        raise HeadFileError(f"key file {path}: holds {len(key)} bytes; a key needs at least {MIN_KEY_BYTES}")
    return key


def _canonical(document: dict[str, Any]) -> bytes:
    content = {key: value for key, value in document.items() if key != "signature"}
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _mac(key: bytes, document: dict[str, Any]) -> str:
    return hmac.new(key, _canonical(document), hashlib.sha256).hexdigest()


def key_id(key: bytes) -> str:
    """Names a key without revealing it, so a verifier can say which key signed a head."""
    return hashlib.sha256(b"exportctl-audit-key:" + key).hexdigest()[:16]


def head_document(result: ledger.Verification, key: bytes | None, now: dt.datetime | None = None) -> dict[str, Any]:
    """The head of a verified chain as a document to keep outside the database; signed when a key is given."""
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    document: dict[str, Any] = {
        "format": HEAD_FORMAT,
        "records": result.checked,
        "head_hash": result.head_hash,
        "first_hash": result.first_hash,
        "exported_at": moment.isoformat(timespec="seconds").replace("+00:00", "Z"),
    }
    if key is not None:
        document["signature"] = {"algorithm": SIGNATURE, "key_id": key_id(key), "value": _mac(key, document)}
    return document


def _require(document: dict[str, Any], name: str, valid: bool, expected: str) -> None:
    if not valid:
        raise HeadFileError(f"head file: '{name}' must be {expected}, not {json.dumps(document.get(name))[:80]}")


def _is_hash(value: Any) -> bool:
    return isinstance(value, str) and _HASH.fullmatch(value) is not None


def parse_head(text: str) -> dict[str, Any]:
    """A head document read back, its fields checked (their meaning is checked against the chain later)."""
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise HeadFileError(f"head file: not JSON ({exc})") from exc
    if not isinstance(document, dict) or document.get("format") != HEAD_FORMAT:
        raise HeadFileError(f"head file: not an exportctl ledger head (format {HEAD_FORMAT} expected)")
    records, first = document.get("records"), document.get("first_hash")
    _require(document, "records", type(records) is int and records >= 0, "a record count")
    _require(document, "head_hash", _is_hash(document.get("head_hash")), "a SHA-256 hash")
    first_valid = first is None if records == 0 else _is_hash(first)
    _require(document, "first_hash", first_valid, "null for an empty ledger, else a SHA-256 hash")
    _require(document, "exported_at", isinstance(document.get("exported_at"), str), "a time")
    signature = document.get("signature")
    _require(document, "signature", signature is None or isinstance(signature, dict), "an object")
    return document


def anchor_of(document: dict[str, Any]) -> ledger.Anchor:
    return ledger.Anchor(document["records"], document["head_hash"], document["first_hash"], document["exported_at"])


def signature_problem(document: dict[str, Any], key: bytes | None) -> str | None:
    """Why the head's signature does not hold, or None. A key given and no signature is a failure: anyone
    who can write the head file could otherwise drop the signature and forge the rest."""
    signature = document.get("signature")
    if key is None:
        if signature is not None:
            return "the head is signed; give its key (the HMAC key file it was signed with) to check the signature"
        return None
    if signature is None:
        return "the head is not signed, but a key was given: an unsigned head cannot be trusted"
    if signature.get("algorithm") != SIGNATURE:
        return f"the head's signature is {signature.get('algorithm')!r}, not {SIGNATURE}"
    if signature.get("key_id") != key_id(key):
        return f"the head was signed with another key (key id {signature.get('key_id')}, this key is {key_id(key)})"
    value = signature.get("value")
    if not isinstance(value, str) or not hmac.compare_digest(value, _mac(key, document)):
        return "the head's signature does not hold: the head file was changed after it was signed"
    return None


# --- business rows against the ledger ---------------------------------------------------------------------------

_QUANTITY_TOLERANCE = 1e-6  # quantities are floats: sums in another order may differ in the last bits


@dataclass
class _LicenceTrail:
    added: int | None = None  # the id of its licence.add record
    quantity: float = 0.0
    value_jpy: int = 0
    drawdowns: list[tuple[int, str, float, int]] = field(default_factory=list)  # record id, actor, quantity, value


@dataclass
class _OrderTrail:
    status: str | None = None
    status_record: int = 0
    status_action: str = ""
    releases: list[tuple[int, str]] = field(default_factory=list)  # record id, officer


def _status_after(action: str, payload: dict[str, Any]) -> str | None:
    """The status an order record leaves the order in, or None when the record does not change it."""
    if isinstance(payload.get("status"), str):
        return str(payload["status"])
    if action == "order.ship":
        return "shipped"
    if action == "order.release":
        approvals, needed = payload.get("approvals"), payload.get("needed")
        if isinstance(approvals, int) and isinstance(needed, int):
            return "released" if approvals >= needed else None
    return None


def _amount(value: Any) -> float:
    # A payload rewritten to hold something else draws nothing; the licence row then disagrees and is named.
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


@dataclass
class LedgerImplied:
    """What the ledger's records say the licence book and the orders hold; fed one record at a time."""

    licences: dict[str, _LicenceTrail] = field(default_factory=dict)
    orders: dict[str, _OrderTrail] = field(default_factory=dict)

    def visit(self, record: Row[Any]) -> None:
        kind, _, name = str(record.subject).partition(":")
        payload = record.payload if isinstance(record.payload, dict) else {}
        if kind == "licence":
            self._licence(self.licences.setdefault(name, _LicenceTrail()), record, payload)
        elif kind == "order":
            self._order(self.orders.setdefault(name, _OrderTrail()), record, payload)

    @staticmethod
    def _licence(trail: _LicenceTrail, record: Row[Any], payload: dict[str, Any]) -> None:
        if record.action == "licence.add":
            trail.added = record.id
        elif record.action == "licence.drawdown":
            quantity, value = _amount(payload.get("quantity")), int(_amount(payload.get("value_jpy")))
            trail.quantity += quantity
            trail.value_jpy += value
            trail.drawdowns.append((record.id, record.actor, quantity, value))

    @staticmethod
    def _order(trail: _OrderTrail, record: Row[Any], payload: dict[str, Any]) -> None:
        status = _status_after(record.action, payload)
        if status is not None:
            trail.status, trail.status_record, trail.status_action = status, record.id, record.action
        if record.action == "order.release":
            trail.releases.append((record.id, record.actor))


def _same_quantity(a: float, b: float) -> bool:
    return abs(a - b) <= _QUANTITY_TOLERANCE * max(1.0, abs(a), abs(b))


def _licence_mismatches(db: Session, implied: LedgerImplied) -> Iterator[str]:
    drawn: dict[int, list[tuple[str, float, int]]] = {}
    for row in db.execute(
        select(Drawdown.licence_id, Drawdown.drawn_by, Drawdown.quantity, Drawdown.value_jpy).order_by(Drawdown.id)
    ):
        drawn.setdefault(row.licence_id, []).append((row.drawn_by, row.quantity, row.value_jpy))
    book = db.execute(
        select(Licence.id, Licence.number, Licence.quantity_used, Licence.value_used_jpy).order_by(Licence.number)
    ).all()
    for licence in book:
        trail = implied.licences.get(licence.number, _LicenceTrail())
        yield from _licence_rows(licence, trail, drawn.get(licence.id, []))
    known = {licence.number for licence in book}
    for number, trail in implied.licences.items():
        if number not in known and trail.added is not None:
            yield f"licence {number} is in the ledger (record {trail.added}) but not in the licence book"


def _licence_rows(
    licence: Row[int, str, float, int], trail: _LicenceTrail, rows: list[tuple[str, float, int]]
) -> Iterator[str]:
    name, records = f"licence {licence.number}", len(trail.drawdowns)
    if trail.added is None:
        yield f"{name} is in the licence book but the ledger has no record of it being added"
    if licence.value_used_jpy != trail.value_jpy:
        yield (
            f"{name}: ¥{licence.value_used_jpy:,} used in the licence book, but its {records} drawdown record(s) "
            f"in the ledger add up to ¥{trail.value_jpy:,}"
        )
    if not _same_quantity(licence.quantity_used, trail.quantity):
        yield (
            f"{name}: quantity {licence.quantity_used:g} used in the licence book, but its {records} drawdown "
            f"record(s) in the ledger add up to {trail.quantity:g}"
        )
    if len(rows) != records:
        yield f"{name}: {len(rows)} drawdown(s) in the drawdowns table, {records} in the ledger"
        return
    for number, ((record_id, actor, quantity, value), (by, row_quantity, row_value)) in enumerate(
        zip(trail.drawdowns, rows, strict=True), start=1
    ):
        if by != actor:
            yield f"{name}: drawdown {number} is by {by} in the drawdowns table, by {actor} in record {record_id}"
        elif row_value != value or not _same_quantity(row_quantity, quantity):
            yield (
                f"{name}: drawdown {number} is {row_quantity:g} / ¥{row_value:,} in the drawdowns table, "
                f"{quantity:g} / ¥{value:,} in record {record_id}"
            )


def _order_mismatches(db: Session, implied: LedgerImplied) -> Iterator[str]:
    released: dict[str, list[str]] = {}
    for row in db.execute(select(Order.number, Release.officer).join(Release.order).order_by(Release.id)):
        released.setdefault(row.number, []).append(row.officer)
    table = db.execute(select(Order.number, Order.status).order_by(Order.number)).all()
    for order in table:
        trail = implied.orders.get(order.number)
        if trail is None or trail.status is None:
            yield f"order {order.number} is in the orders table but the ledger has no status for it"
            continue
        if order.status != trail.status:
            last = f"record {trail.status_record}, {trail.status_action}"
            yield (
                f"order {order.number}: status '{order.status}' in the orders table, but its last transition in "
                f"the ledger ({last}) left it '{trail.status}'"
            )
        yield from _release_rows(order.number, trail, released.get(order.number, []))
    known = {order.number for order in table}
    for number, trail in implied.orders.items():
        if number not in known and trail.status is not None:
            yield f"order {number} is in the ledger (record {trail.status_record}) but not in the orders table"


def _release_rows(number: str, trail: _OrderTrail, officers: list[str]) -> Iterator[str]:
    recorded = [officer for _id, officer in trail.releases]
    if len(officers) != len(recorded):
        yield f"order {number}: {len(officers)} release(s) in the releases table, {len(recorded)} in the ledger"
        return
    for position, (officer, (record_id, actor)) in enumerate(zip(officers, trail.releases, strict=True), start=1):
        if officer != actor:
            yield (
                f"order {number}: approval {position} was given by {officer} per the releases table, "
                f"by {actor} per record {record_id}"
            )


def row_mismatches(db: Session, implied: LedgerImplied) -> list[str]:
    """Every disagreement between the business rows and the ledger, licences first, each naming its row."""
    return [*_licence_mismatches(db, implied), *_order_mismatches(db, implied)]


# --- verification -------------------------------------------------------------------------------------------------


def consistent_snapshot(db: Session) -> None:
    """Read the ledger and the rows as of one moment (PostgreSQL's default isolation shows each statement
    the latest commits, so a shipment committed mid-walk would look like a mismatch). SQLite's read
    transaction already is one snapshot. Call before the session's first statement."""
    if db.get_bind().dialect.name == "postgresql":
        db.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def verify(db: Session, anchor: ledger.Anchor | None = None) -> ledger.Verification:
    """The chain (containing `anchor` when given), then the business rows against what it implies."""
    implied = LedgerImplied()
    result = ledger.verify(db, anchor=anchor, visit=implied.visit)
    if not result.ok:
        return result
    mismatches = row_mismatches(db, implied)
    if not mismatches:
        return result
    more = f" (and {len(mismatches) - 1} more)" if len(mismatches) > 1 else ""
    return replace(result, ok=False, problem=mismatches[0] + more, check="rows")
