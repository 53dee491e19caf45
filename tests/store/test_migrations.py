"""Migrations bring a database created by an earlier version up to date, with its records (SQLite, PostgreSQL).

0005 adds the indexes the paged lists read by (issue 10): orders newest first, orders of one status, licences
by expiry. A database at 0004 holding orders gets them, and keeps its orders; downgrading removes them again.
0011 adds licence attachments and a party's address (issue 16): parties and licences of 0010 are kept, with no
address and no attachment, and a downgrade removes both again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, Table, delete, insert, inspect, select

from exportctl.store import db
from exportctl.store.models import Base, Licence, LicenceAttachment, Order, Party, StoredDetermination

LIST_INDEXES = {
    "orders": {
        "ix_orders_ship_date_id": ["ship_date", "id"],
        "ix_orders_status_ship_date_id": ["status", "ship_date", "id"],
    },
    "licences": {"ix_licences_valid_to_number": ["valid_to", "number"]},
}


def migrate(url: str, command_name: str, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS))
    config.attributes["engine"] = db.engine(url)
    getattr(command, command_name)(config, revision)


def list_indexes(url: str) -> dict[str, dict[str, list[str]]]:
    with db.engine(url).connect() as connection:
        inspector = inspect(connection)
        return {
            table: {
                index["name"]: list(index["column_names"])
                for index in inspector.get_indexes(table)
                if index["name"] in wanted
            }
            for table, wanted in LIST_INDEXES.items()
        }


def _order_row(number: str, ship_date: dt.date = dt.date(2019, 9, 1), **columns: Any) -> dict[str, Any]:
    """An order row as an earlier revision's table holds it (`columns`: those of later revisions)."""
    return {
        "number": number,
        "regime": "jp",
        "ship_date": ship_date,
        "destination": "KR",
        "status": "blocked",
        "blocking_reasons": ["licence-needed"],
        "determination": {},
        "created_by": "carol",
        "informed": False,
        "clearly_not": False,
        "created_at": dt.datetime(2019, 8, 1, tzinfo=dt.UTC),
        "updated_at": dt.datetime(2019, 8, 1, tzinfo=dt.UTC),
        **columns,
    }


def test_0005_indexes_a_database_of_the_previous_version(database_url: str) -> None:
    migrate(database_url, "upgrade", "0004")
    assert list_indexes(database_url) == {"orders": {}, "licences": {}}
    with db.engine(database_url).begin() as connection:
        connection.execute(
            insert(Table("orders", MetaData(), autoload_with=connection)),  # the table as it was at 0004
            [_order_row(f"SO-{i}", dt.date(2019, 9, 1) + dt.timedelta(days=i)) for i in range(3)],
        )

    migrate(database_url, "upgrade", "head")
    assert list_indexes(database_url) == LIST_INDEXES
    with db.engine(database_url).connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        assert connection.scalars(select(Order.number).order_by(Order.id)).all() == ["SO-0", "SO-1", "SO-2"]
        # 0008: an order entered before several regimes is decided under its own only
        kept = connection.execute(
            select(Order.also_under, Order.other_determination_sha256, Order.other_licences)
        ).all()
        assert [tuple(row) for row in kept] == [([], {}, {})] * 3
        # 0010: an order not yet determined cites no determination
        assert connection.scalars(select(Order.determination_sha256)).all() == [None] * 3

    migrate(database_url, "downgrade", "0004")
    assert list_indexes(database_url) == {"orders": {}, "licences": {}}
    migrate(database_url, "upgrade", "head")
    assert list_indexes(database_url) == LIST_INDEXES


def test_0010_stores_each_determination_once_and_gives_it_back(database_url: str) -> None:
    """Orders of 0009 held their determinations inline; 0010 moves them into `determinations`, one row per distinct
    determination under the SHA-256 of its text, and a downgrade puts them back as they were."""
    korea = {
        "regime": "jp",
        "outcome": "licence_required",
        "reasons": [{"rule": "list-control", "text": "輸出貿易管理令別表第1の3の2項に該当する"}],
        "lines": [{"index": 0, "item": "3(2)", "entries": ["3(2)"]}],
    }
    usa = {"regime": "jp", "outcome": "no_licence_required", "reasons": [], "lines": []}
    ear = {"regime": "us", "outcome": "licence_required", "reasons_for_control": ["NS2", "AT1"], "lines": []}
    inline = {"SO-A": (korea, {}), "SO-B": (korea, {}), "SO-C": (usa, {"us": ear})}
    migrate(database_url, "upgrade", "0009")
    with db.engine(database_url).begin() as connection:
        table = Table("orders", MetaData(), autoload_with=connection)
        rows = [
            _order_row(n, determination=d, also_under=sorted(o), other_determinations=o, other_licences={})
            for n, (d, o) in inline.items()
        ]
        connection.execute(insert(table), rows)

    migrate(database_url, "upgrade", "head")
    with db.session(database_url) as s:
        stored = s.scalars(select(StoredDetermination)).all()
        assert len(stored) == 3  # korea is stored once for two orders
        assert all(hashlib.sha256(row.body.encode()).hexdigest() == row.sha256 for row in stored)
        moved = {o.number: (o.determination, o.other_determinations) for o in s.scalars(select(Order))}
        assert moved == inline
        assert len({o.determination_sha256 for o in s.scalars(select(Order))}) == 2

    migrate(database_url, "downgrade", "0009")
    with db.engine(database_url).connect() as connection:
        table = Table("orders", MetaData(), autoload_with=connection)
        back = connection.execute(select(table.c.number, table.c.determination, table.c.other_determinations))
        assert {number: (own, others) for number, own, others in back} == inline
        assert "determinations" not in inspect(connection).get_table_names()
    migrate(database_url, "upgrade", "head")


def test_0011_adds_licence_attachments_and_party_addresses(database_url: str) -> None:
    migrate(database_url, "upgrade", "0010")
    with db.engine(database_url).begin() as connection:
        parties = Table("parties", MetaData(), autoload_with=connection)  # the tables as they were at 0010
        licences = Table("licences", MetaData(), autoload_with=connection)
        assert "address" not in parties.c
        connection.execute(
            insert(parties),
            [
                {
                    "code": "KR-HANBIT",
                    "name": "Hanbit Semiconductor Materials Co., Ltd.",
                    "country": "KR",
                    "roles": ["consignee"],
                    "screening_status": "clear",
                    "list_versions": {},
                    "created_at": dt.datetime(2019, 8, 1, tzinfo=dt.UTC),
                }
            ],
        )
        connection.execute(
            insert(licences),
            [
                {
                    "regime": "jp",
                    "type": "individual",
                    "number": "IND-1",
                    "holder": "Example Materials K.K.",
                    "destinations": ["KR"],
                    "consignees": [],
                    "end_users": [],
                    "entries": [],
                    "items": [],
                    "quantity_used": 0.0,
                    "value_used_jpy": 0,
                    "valid_from": dt.date(2019, 8, 8),
                    "valid_to": dt.date(2020, 2, 7),
                    "created_at": dt.datetime(2019, 8, 8, tzinfo=dt.UTC),
                }
            ],
        )

    migrate(database_url, "upgrade", "head")
    scan = b"%PDF-1.7\n" + bytes(range(256)) * 4  # every byte value: stored and read back unchanged
    with db.engine(database_url).begin() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        assert connection.execute(select(Party.code, Party.address)).all() == [("KR-HANBIT", None)]
        licence_id = connection.scalar(select(Licence.id))
        connection.execute(
            insert(LicenceAttachment),
            [
                {
                    "licence_id": licence_id,
                    "file_name": "許可証.pdf",
                    "content_type": "application/pdf",
                    "size": len(scan),
                    "sha256": hashlib.sha256(scan).hexdigest(),
                    "content": scan,
                    "uploaded_by": "otto",
                    "uploaded_at": dt.datetime(2019, 8, 9, tzinfo=dt.UTC),
                }
            ],
        )
        assert connection.scalar(select(LicenceAttachment.content)) == scan
        connection.execute(delete(LicenceAttachment))

    migrate(database_url, "downgrade", "0010")
    with db.engine(database_url).connect() as connection:
        inspector = inspect(connection)
        assert "licence_attachments" not in inspector.get_table_names()
        assert "address" not in {column["name"] for column in inspector.get_columns("parties")}
        assert connection.execute(select(Table("parties", MetaData(), autoload_with=connection).c.code)).all() == [
            ("KR-HANBIT",)
        ]
    migrate(database_url, "upgrade", "head")
