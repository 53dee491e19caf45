"""Determinations stored before the engine wrote Japanese reason texts (`text_ja`) still decode, replay as identical
and verify, on SQLite and PostgreSQL.

A determination is stored by the SHA-256 of its canonical text, so a record written before `text_ja` existed cites
a text without it, and the engine now writes it. The replay compares the two without the Japanese texts (they
restate the English ones); the ledger verifies each cited text against its own key, untouched by the change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from exportctl import determination_json, ledger
from exportctl.order_input import LineInput, OrderInput
from exportctl.services import audit, determinations, orders, records
from exportctl.services.actors import SYSTEM, Actor
from exportctl.store import db
from exportctl.store.models import AuditRecord

CLERK = Actor("carol", "clerk")


def without_japanese(encoded: dict[str, Any]) -> dict[str, Any]:
    """A determination as the engine stored it before it wrote Japanese: no `text_ja` anywhere."""
    older = determination_json.comparable(encoded)
    assert "text_ja" not in determination_json.canonical(older)[1]
    return older


def test_a_determination_stored_without_japanese_replays_identical(database_url: str) -> None:
    with db.session(database_url) as s:
        records.add_user(s, SYSTEM, CLERK.name, CLERK.role)
        order = OrderInput(
            number="JA-1",
            ship_date=dt.date(2019, 9, 2),
            destination="KR",
            end_use="memory chip fabrication",
            lines=[LineInput(reference="3C002", quantity=1, value_jpy=5_000_000)],
        )
        orders.add_order(s, CLERK, order, None)
    with db.session(database_url) as s:
        current = s.scalars(select(AuditRecord).where(AuditRecord.action == "order.determine")).one()
        stored = audit.replay(s, current.id).recorded
        assert any("text_ja" in reason for reason in stored["reasons"])  # what the engine writes now
        older = without_japanese(stored)
        payload = {key: value for key, value in current.payload.items() if key != "determination_sha256"}
        versions = {"pack_version": current.pack_version, "list_versions": current.list_versions}
        # As records held them before stored determinations (inline), and as they cite them now (by key).
        inline = ledger.append(
            s, CLERK.name, "order.determine", "order:JA-1", {**payload, "determination": older}, **versions
        )
        kept = determinations.keep(s, older)
        cited = ledger.append(
            s, CLERK.name, "order.determine", "order:JA-1", {**payload, "determination_sha256": kept.sha256}, **versions
        )
        inline_id, cited_id = inline.id, cited.id
    with db.session(database_url) as s:
        for record_id in (inline_id, cited_id):
            replay = audit.replay(s, record_id)
            assert replay.recorded == older
            assert replay.identical, record_id
            assert replay.replayed != replay.recorded  # the replay writes the Japanese the record lacks
            decoded = determination_json.decode(replay.recorded)
            assert all(reason.text_ja is None for reason in decoded.reasons)
        assert ledger.verify(s).ok


def test_a_changed_english_text_is_still_a_difference(database_url: str) -> None:
    """Leaving the Japanese out of the comparison must not hide a change of what the determination says."""
    with db.session(database_url) as s:
        records.add_user(s, SYSTEM, CLERK.name, CLERK.role)
        order = OrderInput(
            number="JA-2",
            ship_date=dt.date(2019, 9, 2),
            destination="KR",
            lines=[LineInput(reference="3C002", quantity=1, value_jpy=5_000_000)],
        )
        orders.add_order(s, CLERK, order, None)
    with db.session(database_url) as s:
        current = s.scalars(select(AuditRecord).where(AuditRecord.action == "order.determine")).one()
        recorded = audit.replay(s, current.id).recorded
        altered = without_japanese(recorded)
        altered["reasons"][0]["text"] += " (edited)"
        payload = {key: value for key, value in current.payload.items() if key != "determination_sha256"}
        record = ledger.append(
            s,
            CLERK.name,
            "order.determine",
            "order:JA-2",
            {**payload, "determination": altered},
            pack_version=current.pack_version,
            list_versions=current.list_versions,
        )
        record_id = record.id
    with db.session(database_url) as s:
        assert not audit.replay(s, record_id).identical
