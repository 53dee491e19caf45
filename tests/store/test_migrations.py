"""Migrations bring a database created by an earlier version up to date, with its records (SQLite, PostgreSQL).

0005 adds the indexes the paged lists read by (issue 10): orders newest first, orders of one status, licences
by expiry. A database at 0004 holding orders gets them, and keeps its orders; downgrading removes them again.
"""

from __future__ import annotations

import datetime as dt

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, Table, insert, inspect, select

from exportctl.store import db
from exportctl.store.models import Base, Order

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


def test_0005_indexes_a_database_of_the_previous_version(database_url: str) -> None:
    migrate(database_url, "upgrade", "0004")
    assert list_indexes(database_url) == {"orders": {}, "licences": {}}
    with db.engine(database_url).begin() as connection:
        connection.execute(
            insert(Table("orders", MetaData(), autoload_with=connection)),  # the table as it was at 0004
            [
                {
                    "number": f"SO-{i}",
                    "regime": "jp",
                    "ship_date": dt.date(2019, 9, 1) + dt.timedelta(days=i),
                    "destination": "KR",
                    "status": "blocked",
                    "blocking_reasons": ["licence-needed"],
                    "determination": {},
                    "created_by": "carol",
                    "informed": False,
                    "clearly_not": False,
                    "created_at": dt.datetime(2019, 8, 1, tzinfo=dt.UTC),
                    "updated_at": dt.datetime(2019, 8, 1, tzinfo=dt.UTC),
                }
                for i in range(3)
            ],
        )

    migrate(database_url, "upgrade", "head")
    assert list_indexes(database_url) == LIST_INDEXES
    with db.engine(database_url).connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        assert connection.scalars(select(Order.number).order_by(Order.id)).all() == ["SO-0", "SO-1", "SO-2"]
        # 0008: an order entered before several regimes is decided under its own only
        kept = connection.execute(select(Order.also_under, Order.other_determinations, Order.other_licences)).all()
        assert [tuple(row) for row in kept] == [([], {}, {})] * 3

    migrate(database_url, "downgrade", "0004")
    assert list_indexes(database_url) == {"orders": {}, "licences": {}}
    migrate(database_url, "upgrade", "head")
    assert list_indexes(database_url) == LIST_INDEXES
