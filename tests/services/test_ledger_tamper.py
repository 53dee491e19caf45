"""Issue 10, item 9: the ledger's head is anchored outside the database and the business rows are checked.

Nine tamperings, each made the way a database owner would make them — with SQL, straight into the tables,
recomputing hashes where that hides the change from the chain — on SQLite and PostgreSQL. Each must make
`exportctl audit verify --head FILE` exit 1 naming what is wrong. The attacker knows the hash algorithm (the
code is open), so the tests use `ledger.record_hash` to forge; they do not know the key signing the head.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, select, text
from typer.testing import CliRunner

from exportctl import ledger
from exportctl.cli import app
from exportctl.demo import load_demo
from exportctl.screening.screener import Screener
from exportctl.services import actors, audit, orders
from exportctl.services.actors import Actor
from exportctl.store import db as store
from exportctl.store.models import AuditRecord
from tests.support.apiclient import make_api

runner = CliRunner()
ALICE, OLGA, OSCAR = Actor("alice", "clerk"), Actor("olga", "officer"), Actor("oscar", "officer")
RECORDS = AuditRecord.__table__
INDIVIDUAL = "IND-2019-KR-0815"  # 60 units, ¥12,000,000; SO-2019-0103 draws all of it


# --- the scenario -------------------------------------------------------------------------------------------------


def _ship(url: str, actor: Actor, number: str) -> None:
    with store.session(url) as db:
        order = orders.order_by_number(db, number)
        orders.ship_order(db, actor, number, order.ship_date)


def _release(url: str, actor: Actor, number: str, reason: str) -> None:
    with store.session(url) as db:
        orders.release_order(db, actor, number, reason)


def build_activity(url: str, screener: Screener) -> None:
    """The demo exporter, two shipments drawing on licences, and an override approved by two officers."""
    with store.session(url) as db:
        load_demo(db, actors.SYSTEM, screener)
        orders.set_four_eyes(db, actors.SYSTEM, ["indeterminate"])  # an override needs two officers
    _ship(url, ALICE, "SO-2019-0103")  # draws IND-2019-KR-0815 down to nothing
    _ship(url, ALICE, "SO-2019-0101")  # the general bulk licence
    _release(url, OLGA, "SO-2019-0301", "End use confirmed by the customer's letter of 2019-10-01")
    _release(url, OSCAR, "SO-2019-0301", "Letter checked against the customer's site visit")


def more_activity(url: str) -> None:
    _ship(url, ALICE, "SO-2019-0104")
    _ship(url, ALICE, "SO-2019-0301")


@dataclass
class Ledger:
    url: str
    tmp: Path

    def invoke(self, *args: str) -> tuple[int, str, str]:
        result = runner.invoke(app, list(args))
        return result.exit_code, result.stdout, result.stderr

    def export_head(self, name: str = "head.json", key: Path | None = None) -> Path:
        target = self.tmp / name
        code, _out, err = self.invoke("audit", "export-head", "--output", str(target), *_key_args(key))
        assert code == 0, err
        return target

    def verify(self, head: Path | None = None, key: Path | None = None) -> tuple[int, str]:
        head_args = ["--head", str(head)] if head is not None else []
        code, out, err = self.invoke("audit", "verify", *head_args, *_key_args(key))
        return code, _plain(out + err)

    def record(self, action: str, subject: str, actor: str | None = None) -> dict[str, Any]:
        """The first record of this action on this subject (by this actor)."""
        with store.engine(self.url).connect() as connection:
            statement = select(RECORDS).where(RECORDS.c.action == action, RECORDS.c.subject == subject)
            if actor is not None:
                statement = statement.where(RECORDS.c.actor == actor)
            return dict(connection.execute(statement.order_by(RECORDS.c.id)).mappings().first() or {})

    def chain_alone_verifies(self) -> bool:
        """What `audit verify` checked before issue 10: the links and the head row, nothing else."""
        with store.session(self.url, readonly=True) as db:
            return ledger.verify(db).ok

    def count(self) -> int:
        with store.engine(self.url).connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM audit_records")).scalar_one())

    def tamper(self, change: Callable[[Connection], None]) -> None:
        """Edit the database directly (not through exportctl), in one transaction."""
        with store.engine(self.url).begin() as connection:
            change(connection)


def _key_args(key: Path | None) -> list[str]:
    return ["--key", str(key)] if key is not None else []


def _plain(output: str) -> str:
    return re.sub(r"\s+", " ", output)  # rich wraps long lines for the terminal width


@pytest.fixture
def trail(database_url: str, screener: Screener, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Ledger]:
    monkeypatch.setenv("EXPORTCTL_DATABASE_URL", database_url)
    monkeypatch.delenv("EXPORTCTL_AUDIT_KEY_FILE", raising=False)
    build_activity(database_url, screener)
    yield Ledger(database_url, tmp_path)


@pytest.fixture
def key(tmp_path: Path) -> Path:
    path = tmp_path / "audit.key"
    path.write_text("9f1c4e0a7b2d8e6f3a5c1b9d7e2f4a6c\n")
    return path


# --- what an attacker does with SQL ---------------------------------------------------------------------------------


def rehash_from(connection: Connection, start: int) -> None:
    """Recompute every hash from record `start` on and move the head row: the chain is consistent again."""
    previous = connection.execute(select(RECORDS.c.hash).where(RECORDS.c.id == start - 1)).scalar()
    previous = previous or ledger.GENESIS
    rows = connection.execute(select(RECORDS).where(RECORDS.c.id >= start).order_by(RECORDS.c.id)).all()
    last_id = start - 1
    for row in rows:
        digest = ledger.record_hash(
            row.id, row.at, row.actor, row.action, row.subject, row.payload, row.pack_version, row.list_versions,
            previous,
        )  # fmt: skip
        connection.execute(RECORDS.update().where(RECORDS.c.id == row.id).values(prev_hash=previous, hash=digest))
        previous, last_id = digest, row.id
    move_head(connection, last_id, previous)


def move_head(connection: Connection, last_id: int, last_hash: str) -> None:
    connection.execute(
        text("UPDATE ledger_head SET last_id = :id, last_hash = :hash"), {"id": last_id, "hash": last_hash}
    )


def cut_tail(connection: Connection, keep: int) -> None:
    connection.execute(text("DELETE FROM audit_records WHERE id > :keep"), {"keep": keep})


def last_kept(connection: Connection) -> tuple[int, str]:
    row = connection.execute(select(RECORDS.c.id, RECORDS.c.hash).order_by(RECORDS.c.id.desc()).limit(1)).one()
    return int(row.id), str(row.hash)


def cut_and_move_head(keep: int) -> Callable[[Connection], None]:
    """Cut the tail and move the head row to the last record kept: the chain is consistent again."""

    def change(connection: Connection) -> None:
        cut_tail(connection, keep)
        move_head(connection, *last_kept(connection))

    return change


def set_payload(connection: Connection, record_id: int, payload: dict[str, Any]) -> None:
    connection.execute(RECORDS.update().where(RECORDS.c.id == record_id).values(payload=payload))


# --- an untampered ledger ------------------------------------------------------------------------------------------


def test_an_exported_head_is_still_contained_after_more_activity(trail: Ledger, key: Path) -> None:
    code, out = trail.verify()
    assert code == 0 and "agree with the ledger" in out, out
    signed = trail.export_head("signed.json", key)
    unsigned = trail.export_head("unsigned.json")
    head = json.loads(signed.read_text())
    assert head["records"] == trail.count() and head["format"] == "exportctl-ledger-head/1"
    assert re.fullmatch(r"[0-9a-f]{64}", head["head_hash"]) and re.fullmatch(r"[0-9a-f]{64}", head["first_hash"])
    assert head["head_hash"] == trail.record("order.release", "order:SO-2019-0301", "oscar")["hash"]
    assert head["signature"]["algorithm"] == "HMAC-SHA256" and "signature" not in json.loads(unsigned.read_text())

    more_activity(trail.url)
    assert trail.count() > head["records"]
    code, out = trail.verify(signed, key)
    assert code == 0, out
    assert f"{trail.count()} records verified" in out and f"contains the head of {head['records']} records" in out
    assert trail.verify(unsigned)[0] == 0
    later = trail.export_head("later.json", key)  # a newer head, and the older one, both hold
    assert trail.verify(later, key)[0] == 0 and trail.verify(signed, key)[0] == 0


def test_the_key_may_come_from_the_environment(trail: Ledger, key: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPORTCTL_AUDIT_KEY_FILE", str(key))
    head = trail.export_head()
    assert "signature" in json.loads(head.read_text())
    assert trail.verify(head)[0] == 0


# --- the nine tamperings ---------------------------------------------------------------------------------------------


def test_1_a_modified_record_is_named(trail: Ledger) -> None:
    head = trail.export_head()
    drawdown = trail.record("licence.drawdown", f"licence:{INDIVIDUAL}")
    trail.tamper(lambda c: set_payload(c, drawdown["id"], drawdown["payload"] | {"value_jpy": 1_000_000}))
    code, out = trail.verify(head)
    assert code == 1
    assert f"record {drawdown['id']} (licence.drawdown licence:{INDIVIDUAL})" in out and "modified" in out


def test_2_a_deleted_record_is_named(trail: Ledger) -> None:
    head = trail.export_head()
    release = trail.record("order.release", "order:SO-2019-0301", "olga")
    trail.tamper(lambda c: c.execute(text("DELETE FROM audit_records WHERE id = :id"), {"id": release["id"]}))
    code, out = trail.verify(head)
    assert code == 1 and f"record {release['id']} is missing" in out


def test_3_reordered_records_are_named(trail: Ledger) -> None:
    head = trail.export_head()
    first = trail.record("order.release", "order:SO-2019-0301", "olga")["id"]

    def swap(connection: Connection) -> None:
        for old, new in ((first, -1), (first + 1, first), (-1, first + 1)):
            connection.execute(text("UPDATE audit_records SET id = :new WHERE id = :old"), {"new": new, "old": old})

    trail.tamper(swap)
    code, out = trail.verify(head)
    assert code == 1 and f"at record {first}" in out and "link broken" in out


def test_4_a_cut_tail_is_named(trail: Ledger) -> None:
    head = trail.export_head()
    total = trail.count()
    trail.tamper(lambda c: cut_tail(c, total - 3))
    code, out = trail.verify(head)
    assert code == 1 and f"records {total - 2}…{total} are missing at the end" in out


def test_5_a_cut_tail_with_a_moved_head_row_is_caught_by_the_head(trail: Ledger) -> None:
    head = trail.export_head()
    total = trail.count()
    trail.tamper(cut_and_move_head(total - 3))
    assert trail.chain_alone_verifies()
    code, out = trail.verify(head)
    assert code == 1
    assert f"ends at record {total - 3}" in out and f"counts {total}" in out and f"{total - 2}…{total} were cut" in out


def test_6_a_forged_record_with_a_recomputed_hash_is_caught_by_the_head(trail: Ledger) -> None:
    """The last approval is replaced by one from another officer with another reason, hash recomputed."""
    head = trail.export_head()
    total = trail.count()
    payload = trail.record("order.release", "order:SO-2019-0301", "oscar")["payload"]

    def forge(connection: Connection) -> None:
        connection.execute(
            RECORDS.update()
            .where(RECORDS.c.id == total)
            .values(actor="otto", payload=payload | {"reason": "approved by telephone"})
        )
        rehash_from(connection, total)

    trail.tamper(forge)
    assert trail.chain_alone_verifies()
    code, out = trail.verify(head)
    assert code == 1 and f"record {total} does not match the head exported" in out


def test_7_a_rewritten_and_rehashed_chain_is_caught_by_the_head(trail: Ledger) -> None:
    """A party's name is rewritten in its first record and every hash after it recomputed."""
    head = trail.export_head()
    party = trail.record("party.add", "party:KR-SEORAE")

    def rewrite(connection: Connection) -> None:
        set_payload(connection, party["id"], party["payload"] | {"name": "Someone Else Co., Ltd."})
        rehash_from(connection, party["id"])

    trail.tamper(rewrite)
    assert trail.chain_alone_verifies() and trail.verify()[0] == 0  # consistent with itself: only the head tells
    code, out = trail.verify(head)
    assert code == 1 and f"record {trail.count()} does not match the head" in out and "rewritten" in out


def test_7b_rebuilding_the_ledger_from_record_1_is_named_at_record_1(trail: Ledger) -> None:
    head = trail.export_head()

    def rebuild(connection: Connection) -> None:
        connection.execute(text("UPDATE audit_records SET actor = 'admin' WHERE id = 1"))
        rehash_from(connection, 1)

    trail.tamper(rebuild)
    code, out = trail.verify(head)
    assert code == 1 and "record 1 is not the exported head's first record" in out


def test_8_a_record_reattributed_to_another_officer_is_caught(trail: Ledger) -> None:
    """olga's approval becomes otto's — in the ledger (rehashed) and in the releases table alike."""
    head = trail.export_head()
    release = trail.record("order.release", "order:SO-2019-0301", "olga")

    def reattribute(connection: Connection) -> None:
        connection.execute(text("UPDATE audit_records SET actor = 'otto' WHERE id = :id"), {"id": release["id"]})
        connection.execute(text("UPDATE releases SET officer = 'otto' WHERE officer = 'olga'"))
        rehash_from(connection, release["id"])

    trail.tamper(reattribute)
    assert trail.chain_alone_verifies() and trail.verify()[0] == 0  # rows and chain agree: only the head tells
    code, out = trail.verify(head)
    assert code == 1 and "does not match the head exported" in out


def test_8b_reattribution_without_rehash_fails_the_hash_which_covers_the_actor(trail: Ledger) -> None:
    release = trail.record("order.release", "order:SO-2019-0301", "olga")
    trail.tamper(lambda c: c.execute(text("UPDATE audit_records SET actor = 'oscar' WHERE id = :id"), release))
    code, out = trail.verify()
    assert code == 1 and f"record {release['id']} (order.release order:SO-2019-0301)" in out and "modified" in out


def test_8c_reattribution_in_the_ledger_alone_is_named_by_the_releases_table(trail: Ledger) -> None:
    release = trail.record("order.release", "order:SO-2019-0301", "olga")

    def reattribute(connection: Connection) -> None:
        connection.execute(text("UPDATE audit_records SET actor = 'otto' WHERE id = :id"), {"id": release["id"]})
        rehash_from(connection, release["id"])

    trail.tamper(reattribute)
    assert trail.chain_alone_verifies()
    code, out = trail.verify()  # no head at all: the business rows still tell
    assert code == 1
    assert (
        f"order SO-2019-0301: approval 1 was given by olga per the releases table, by otto per record {release['id']}"
        in out
    )


def test_9_an_emptied_ledger_is_caught(trail: Ledger) -> None:
    head = trail.export_head()
    total = trail.count()

    def empty(connection: Connection) -> None:
        connection.execute(text("DELETE FROM audit_records"))
        connection.execute(text("DELETE FROM ledger_head"))

    trail.tamper(empty)
    code, out = trail.verify(head)
    assert code == 1 and "the ledger is empty, but the head exported at" in out and f"counts {total} records" in out
    code, out = trail.verify()  # without a head, the licence book and the orders have no records behind them
    assert code == 1 and "licence GB-2019-0042 is in the licence book but the ledger has no record" in out


# --- business rows against the ledger ------------------------------------------------------------------------------


ROW_TAMPERINGS: dict[str, tuple[str, str]] = {
    "licence value used": (
        f"UPDATE licences SET value_used_jpy = 0 WHERE number = '{INDIVIDUAL}'",
        f"licence {INDIVIDUAL}: ¥0 used in the licence book, but its 1 drawdown record(s) in the ledger add up to "
        "¥12,000,000",
    ),
    "licence quantity used": (
        f"UPDATE licences SET quantity_used = 20 WHERE number = '{INDIVIDUAL}'",
        f"licence {INDIVIDUAL}: quantity 20 used in the licence book, but its 1 drawdown record(s) in the ledger add "
        "up to 60",
    ),
    "a drawdown row removed": (
        "DELETE FROM drawdowns",
        "drawdown(s) in the drawdowns table",
    ),
    "a drawdown row re-attributed": (
        "UPDATE drawdowns SET drawn_by = 'carl'",
        "drawdown 1 is by carl in the drawdowns table, by alice in record",
    ),
    "a shipped order put back": (
        "UPDATE orders SET status = 'released' WHERE number = 'SO-2019-0103'",
        "order SO-2019-0103: status 'released' in the orders table, but its last transition in the ledger (record",
    ),
    "a blocked order released by hand": (
        "UPDATE orders SET status = 'released' WHERE number = 'SO-2019-0601'",
        "order SO-2019-0601: status 'released' in the orders table",
    ),
    "an approval re-attributed": (
        "UPDATE releases SET officer = 'oscar' WHERE officer = 'olga'",
        "order SO-2019-0301: approval 1 was given by oscar per the releases table, by olga per record",
    ),
}


@pytest.mark.parametrize("name", sorted(ROW_TAMPERINGS))
def test_business_rows_that_disagree_with_the_ledger_are_named(trail: Ledger, name: str) -> None:
    statement, named = ROW_TAMPERINGS[name]
    head = trail.export_head()
    trail.tamper(lambda c: c.execute(text(statement)))
    for code, out in (trail.verify(), trail.verify(head)):
        assert code == 1 and "business rows disagree with the ledger" in out
        assert named in out, out


def test_export_head_refuses_a_ledger_that_does_not_verify(trail: Ledger) -> None:
    trail.tamper(lambda c: c.execute(text(ROW_TAMPERINGS["licence value used"][0])))
    code, _out, err = trail.invoke("audit", "export-head", "--output", str(trail.tmp / "head.json"))
    assert code == 1 and "no head exported" in _plain(err) and not (trail.tmp / "head.json").exists()


# --- the head file and its signature --------------------------------------------------------------------------------


def test_the_signature_protects_the_head_file(trail: Ledger, key: Path, tmp_path: Path) -> None:
    signed = trail.export_head("signed.json", key)
    document = json.loads(signed.read_text())

    # The head file edited to match a cut ledger: the signature no longer holds.
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(document | {"records": document["records"] - 3}))
    code, out = trail.verify(edited, key)
    assert code == 1 and "signature does not hold" in out

    other = tmp_path / "other.key"
    other.write_text("another secret, 32 characters..\n")
    code, out = trail.verify(signed, other)
    assert code == 1 and "signed with another key" in out

    code, out = trail.verify(signed)  # signed, but no key to check it
    assert code == 1 and "give its key" in out

    stripped = tmp_path / "stripped.json"  # an attacker drops the signature and forges the rest
    stripped.write_text(json.dumps({k: v for k, v in document.items() if k != "signature"}))
    code, out = trail.verify(stripped, key)
    assert code == 1 and "not signed" in out


@pytest.mark.parametrize(
    ("content", "named"),
    [
        ("not json", "not JSON"),
        ('{"format": "something else"}', "not an exportctl ledger head"),
        ('{"format": "exportctl-ledger-head/1", "records": -1}', "'records' must be a record count"),
    ],
)
def test_an_unusable_head_file_is_bad_input(trail: Ledger, tmp_path: Path, content: str, named: str) -> None:
    head = tmp_path / "bad.json"
    head.write_text(content)
    code, out = trail.verify(head)
    assert code == 2 and named in out


def test_a_short_key_is_refused(trail: Ledger, tmp_path: Path) -> None:
    weak = tmp_path / "weak.key"
    weak.write_text("secret\n")
    code, _out, err = trail.invoke("audit", "export-head", "--key", str(weak))
    assert code == 2 and "at least 16" in _plain(err)


def test_verify_as_json_names_the_failed_check(trail: Ledger) -> None:
    head = trail.export_head()
    trail.tamper(cut_and_move_head(10))
    code, out, _err = trail.invoke("audit", "verify", "--head", str(head), "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["ok"] is False and data["checked"] == 10 and data["first_bad"] == 11
    assert data["head"]["failed"] == "head" and data["head"]["signed"] is False


# --- over HTTP -------------------------------------------------------------------------------------------------------


def test_the_api_verifies_against_an_exported_head(trail: Ledger, screener: Screener) -> None:
    head = json.loads(trail.export_head().read_text())
    api = make_api(trail.url, screener)  # adds its users (recorded): the head is still contained
    params = {"head_records": head["records"], "head_hash": head["head_hash"], "first_hash": head["first_hash"]}
    answer = api.get("/audit/verify", params=params).json()
    assert answer["ok"] is True and answer["head"] == {"records": head["records"], "failed": None}
    assert trail.count() > head["records"]

    trail.tamper(cut_and_move_head(head["records"] - 1))
    answer = api.get("/audit/verify", params=params).json()
    assert answer["ok"] is False and answer["head"]["failed"] == "head" and "were cut" in answer["problem"]
    assert api.get("/audit/verify", params={"head_records": 3}).status_code == 422  # a count without its hash


def test_the_head_time_is_utc() -> None:
    """The head's time is UTC whatever the machine's zone, so heads from two offices compare."""
    result = ledger.Verification(True, 0)
    moment = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    assert audit.head_document(result, None, moment)["exported_at"] == "2026-03-01T00:00:00Z"
