"""The compliance records, as SQLAlchemy 2 models. One schema for SQLite and PostgreSQL.

Nothing here is ever deleted by the application: reclassifications add rows, reviews and releases are
records of their own, and every change is also written to the hash-chained audit ledger (`AuditRecord`).
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cached_property
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, object_session, relationship

from exportctl.settings import DEFAULT_REGIME


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


Timestamp = DateTime(timezone=True)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))  # viewer | clerk | officer | admin
    password_hash: Mapped[str | None] = mapped_column(String(200))  # argon2; None: no web login
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=_now)


class ApiToken(Base):
    """A token for systems calling the API as a user. Only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=_now)
    revoked: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship()


class Party(Base):
    __tablename__ = "parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    country: Mapped[str | None] = mapped_column(String(2))
    # The postal address, as the party's documents give it (kept for the records; screening does not read it).
    address: Mapped[str | None] = mapped_column(String(500))
    roles: Mapped[list[Any]] = mapped_column(default=list)  # customer, consignee, end-user
    screening_status: Mapped[str] = mapped_column(String(20), default="unscreened")  # clear | hits | unscreened
    screened_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    list_versions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=_now)

    hits: Mapped[list[PartyHit]] = relationship(back_populates="party", order_by="PartyHit.id")


class PartyHit(Base):
    """A screening hit on a party, and its review. A false-positive review holds while the list entry's
    fingerprint is unchanged; a changed entry is a new hit to review."""

    __tablename__ = "party_hits"
    __table_args__ = (UniqueConstraint("party_id", "list_id", "entity_id", "entity_fingerprint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"), index=True)
    list_id: Mapped[str] = mapped_column(String(32))
    list_version: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(128))
    entity_fingerprint: Mapped[str] = mapped_column(String(32))
    entity_name: Mapped[str] = mapped_column(String(500))
    matched_name: Mapped[str] = mapped_column(String(500))
    score: Mapped[float]
    explanation: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | confirmed | false-positive
    reviewed_by: Mapped[str | None] = mapped_column(String(100))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    review_reason: Mapped[str | None] = mapped_column(Text)
    first_seen: Mapped[dt.datetime] = mapped_column(Timestamp, default=_now)
    last_seen: Mapped[dt.datetime] = mapped_column(Timestamp, default=_now)

    party: Mapped[Party] = relationship(back_populates="hits")


class Item(Base):
    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    description: Mapped[str] = mapped_column(String(500))
    hs_code: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=_now)

    classifications: Mapped[list[Classification]] = relationship(back_populates="item", order_by="Classification.id")


class Classification(Base):
    """One classification of an item under one regime; a reclassification adds a row (history kept)."""

    __tablename__ = "classifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    regime: Mapped[str] = mapped_column(String(16))
    reference: Mapped[str] = mapped_column(String(64))  # entry id, international number or hs:CODE
    entries: Mapped[list[Any]] = mapped_column(default=list)
    rationale: Mapped[str] = mapped_column(Text)
    classified_by: Mapped[str] = mapped_column(String(100))
    classified_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=_now)
    valid_from: Mapped[dt.date] = mapped_column(Date)

    item: Mapped[Item] = relationship(back_populates="classifications")


class Licence(Base):
    __tablename__ = "licences"
    # The licence book lists by expiry; the dashboard asks which are in force or expire soon.
    __table_args__ = (Index("ix_licences_valid_to_number", "valid_to", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    regime: Mapped[str] = mapped_column(String(16))
    type: Mapped[str] = mapped_column(String(40))
    number: Mapped[str] = mapped_column(String(64), unique=True)
    holder: Mapped[str] = mapped_column(String(200))
    destinations: Mapped[list[Any]] = mapped_column(default=list)  # empty: any destination the type allows
    consignees: Mapped[list[Any]] = mapped_column(default=list)  # party codes; empty: any
    end_users: Mapped[list[Any]] = mapped_column(default=list)
    entries: Mapped[list[Any]] = mapped_column(default=list)  # entry ids; empty with items empty: any
    items: Mapped[list[Any]] = mapped_column(default=list)  # item codes
    quantity_limit: Mapped[float | None]
    value_limit_jpy: Mapped[int | None] = mapped_column(BigInteger)
    quantity_used: Mapped[float] = mapped_column(default=0.0)
    value_used_jpy: Mapped[int] = mapped_column(BigInteger, default=0)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=_now)


class LicenceAttachment(Base):
    """A file kept with a licence (the scanned licence, the authority's letter): PDF, PNG, JPEG or TIFF, its bytes
    in the database, so that an upload and its ledger record are one transaction (services/licence_files.py). An
    officer may remove one: the row goes, and the ledger keeps its name, size and SHA-256."""

    __tablename__ = "licence_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    licence_id: Mapped[int] = mapped_column(ForeignKey("licences.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(40))  # as recognised from the bytes, never as sent
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)  # read only to download
    uploaded_by: Mapped[str] = mapped_column(String(100))
    uploaded_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=_now)


class StoredDetermination(Base):
    """A determination as recorded, stored once: its canonical JSON text (`determination_json.canonical`) under
    the text's SHA-256. Orders and ledger records cite it by that key, so a determination cited by an order and
    by its ledger record (or by many re-checks that changed nothing) is written once, and the ledger's hash chain,
    which covers the key, covers the text: `ledger.verify` hashes every cited text again."""

    __tablename__ = "determinations"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    body: Mapped[str] = mapped_column(Text)

    @cached_property
    def content(self) -> dict[str, Any]:
        """The determination as JSON data (parsed once per loaded row)."""
        parsed: dict[str, Any] = json.loads(self.body)
        return parsed


class Order(Base):
    __tablename__ = "orders"
    # Lists page orders newest first (ship date, then id), all of them or those of one status (the dashboard's
    # blocked orders, /orders?status=…): one index each reads a page in order without sorting the table.
    __table_args__ = (
        Index("ix_orders_ship_date_id", "ship_date", "id"),
        Index("ix_orders_status_ship_date_id", "status", "ship_date", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    regime: Mapped[str] = mapped_column(String(16), default=DEFAULT_REGIME)
    ship_date: Mapped[dt.date] = mapped_column(Date)
    origin: Mapped[str | None] = mapped_column(String(2))  # where the export leaves from (EU: a member state)
    destination: Mapped[str] = mapped_column(String(2))
    destination_region: Mapped[str | None] = mapped_column(String(8))  # ISO 3166-2, where a law treats it apart
    consignee_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"))
    end_user_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"))
    end_use: Mapped[str | None] = mapped_column(Text)
    wmd_end_use: Mapped[bool | None] = mapped_column(Boolean)
    conventional_end_use: Mapped[bool | None] = mapped_column(Boolean)
    repression_end_use: Mapped[bool | None] = mapped_column(Boolean)
    informed: Mapped[bool] = mapped_column(default=False)
    clearly_not: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default="new")  # released | blocked | shipped
    shipped_on: Mapped[dt.date | None] = mapped_column(Date)  # the actual date of shipment, a fact
    # Counts determinations: an officer's approval holds for the determination it was given on only.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    blocking_reasons: Mapped[list[Any]] = mapped_column(default=list)
    outcome: Mapped[str | None] = mapped_column(String(32))
    # The latest determination, stored once in `determinations` (the ledger record of it cites the same row).
    determination_sha256: Mapped[str | None] = mapped_column(ForeignKey("determinations.sha256"))
    # The other regimes the order is decided under (a Japanese export with US content: also the EAR), each one's
    # determination (regime → its key in `determinations`), and the licences of their books that lifted their
    # licence requirement (line number → number).
    also_under: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")
    other_determination_sha256: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")
    other_licences: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")
    pack_version: Mapped[str | None] = mapped_column(String(40))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=_now)

    consignee: Mapped[Party | None] = relationship(foreign_keys=[consignee_id])
    end_user: Mapped[Party | None] = relationship(foreign_keys=[end_user_id])
    lines: Mapped[list[OrderLine]] = relationship(back_populates="order", order_by="OrderLine.line_no")
    releases: Mapped[list[Release]] = relationship(back_populates="order", order_by="Release.id")
    determination_record: Mapped[StoredDetermination | None] = relationship()

    @property
    def determination(self) -> dict[str, Any]:
        """The latest determination under the order's regime as JSON data ({} before the first)."""
        record = self.determination_record
        return record.content if record is not None else {}

    @property
    def other_determinations(self) -> dict[str, dict[str, Any]]:
        """The latest determination under each of the order's other regimes, as JSON data."""
        session = object_session(self)
        if session is None:
            raise RuntimeError(f"order {self.number} is not in a session: its determinations cannot be read")
        found: dict[str, dict[str, Any]] = {}
        for regime, key in self.other_determination_sha256.items():
            record = session.get(StoredDetermination, key)
            if record is None:
                raise LookupError(f"order {self.number}: determination {key} under {regime} is not stored")
            found[regime] = record.content
        return found


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (UniqueConstraint("order_id", "line_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    reference: Mapped[str] = mapped_column(String(64))  # what the engine was given: entry, number or hs:CODE
    kind: Mapped[str] = mapped_column(String(16), default="goods")
    quantity: Mapped[float | None]
    value_jpy: Mapped[int | None] = mapped_column(BigInteger)
    value_eur: Mapped[int | None] = mapped_column(BigInteger)
    value_usd: Mapped[int | None] = mapped_column(BigInteger)
    us_content_pct: Mapped[float | None] = mapped_column(Float)
    us_direct_product: Mapped[bool | None] = mapped_column(Boolean)
    residency: Mapped[str | None] = mapped_column(String(40))
    tech_purpose: Mapped[str | None] = mapped_column(String(16))
    outcome: Mapped[str | None] = mapped_column(String(32))
    eligible_licences: Mapped[list[Any]] = mapped_column(default=list)
    licence_id: Mapped[int | None] = mapped_column(ForeignKey("licences.id"))

    order: Mapped[Order] = relationship(back_populates="lines")
    item: Mapped[Item | None] = relationship()
    licence: Mapped[Licence | None] = relationship()


class Drawdown(Base):
    __tablename__ = "drawdowns"

    id: Mapped[int] = mapped_column(primary_key=True)
    licence_id: Mapped[int] = mapped_column(ForeignKey("licences.id"), index=True)
    order_line_id: Mapped[int | None] = mapped_column(ForeignKey("order_lines.id"))
    quantity: Mapped[float]
    value_jpy: Mapped[int] = mapped_column(BigInteger)
    drawn_by: Mapped[str] = mapped_column(String(100))
    drawn_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=_now)


class Release(Base):
    """An officer's release of a blocked order (a second officer's approval is a second row)."""

    __tablename__ = "releases"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    officer: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    blocking_reasons: Mapped[list[Any]] = mapped_column(default=list)
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # the order's, when given
    released_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=_now)

    order: Mapped[Order] = relationship(back_populates="releases")


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(default=dict)


class PackVersion(Base):
    """Every pack version a determination cited, with its files, so any determination can be replayed."""

    __tablename__ = "pack_versions"

    version: Mapped[str] = mapped_column(String(40), primary_key=True)
    regime: Mapped[str] = mapped_column(String(16))
    files: Mapped[dict[str, Any]] = mapped_column()
    stored_at: Mapped[dt.datetime] = mapped_column(Timestamp, default=_now)


class AuditRecord(Base):
    """Append-only, hash-chained: `hash` covers the record's content and the previous record's hash."""

    __tablename__ = "audit_records"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(Timestamp)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject: Mapped[str] = mapped_column(String(128), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column()
    pack_version: Mapped[str | None] = mapped_column(String(40))
    list_versions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class LedgerHead(Base):
    """One row: the last record's id and hash. Appends lock it, so the chain is written one record at a time."""

    __tablename__ = "ledger_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_id: Mapped[int] = mapped_column(BigInteger, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
