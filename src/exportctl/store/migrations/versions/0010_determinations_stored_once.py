"""determinations stored once: a table of determinations keyed by the SHA-256 of their canonical text, cited by
orders (and by the ledger records written from now on) instead of copied into each

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 15:00:00

Existing orders' determinations move into the table; ledger records keep what they hold (rewriting them would
break the chain): records written before this revision hold their determination inline, later ones cite it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from alembic import op

from exportctl.determination_json import canonical

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

BATCH = 1_000
FOREIGN_KEY = "orders_determination_sha256_fkey"
determinations = sa.table("determinations", sa.column("sha256", sa.String), sa.column("body", sa.Text))


def _orders(**columns: Any) -> sa.TableClause:
    """The orders table with these of its columns (name → type), as this revision sees them."""
    return sa.table("orders", sa.column("id", sa.Integer), *(sa.column(n, t) for n, t in columns.items()))


INLINE = {"determination": sa.JSON(), "other_determinations": sa.JSON()}
CITED = {"determination_sha256": sa.String(), "other_determination_sha256": sa.JSON()}


def _in_batches(statement: sa.Select[Any]) -> Iterator[list[sa.Row[Any]]]:
    """The rows in pages by id: a large order book is moved without holding it in memory."""
    connection, last = op.get_bind(), 0
    while rows := connection.execute(statement.where(sa.column("id") > last).order_by("id").limit(BATCH)).all():
        yield list(rows)
        last = rows[-1].id


def _decoded(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _set(orders: sa.TableClause, changes: list[dict[str, Any]]) -> None:
    """Set each order's own determination column (the first after id) to `own`, the other regimes' to `others`."""
    own, others = (column.name for column in list(orders.c)[1:])
    statement = sa.update(orders).where(orders.c.id == sa.bindparam("order_id"))
    op.get_bind().execute(statement.values({own: sa.bindparam("own"), others: sa.bindparam("others")}), changes)


def upgrade() -> None:
    op.create_table(
        "determinations",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("determination_sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("other_determination_sha256", sa.JSON(), nullable=False, server_default="{}"))
        batch_op.create_foreign_key(FOREIGN_KEY, "determinations", ["determination_sha256"], ["sha256"])
    old, new = _orders(**INLINE), _orders(**CITED)
    connection, stored = op.get_bind(), set[str]()
    for rows in _in_batches(sa.select(old.c.id, old.c.determination, old.c.other_determinations)):
        texts: dict[str, str] = {}

        def key_of(encoded: Any, texts: dict[str, str] = texts) -> str:
            key, texts[key] = canonical(encoded)
            return key

        changes = [
            {
                "order_id": row.id,
                "own": key_of(_decoded(row.determination)) if _decoded(row.determination) else None,
                "others": {r: key_of(d) for r, d in (_decoded(row.other_determinations) or {}).items()},
            }
            for row in rows
        ]
        fresh = [{"sha256": key, "body": text} for key, text in texts.items() if key not in stored]
        if fresh:
            connection.execute(sa.insert(determinations), fresh)
        stored.update(texts)
        _set(new, changes)
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_column("determination")
        batch_op.drop_column("other_determinations")


def downgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("determination", sa.JSON(), nullable=False, server_default="{}"))
        batch_op.add_column(sa.Column("other_determinations", sa.JSON(), nullable=False, server_default="{}"))
    connection = op.get_bind()
    keys, inline = _orders(**CITED), _orders(**INLINE)
    for rows in _in_batches(sa.select(keys.c.id, keys.c.determination_sha256, keys.c.other_determination_sha256)):
        others = {row.id: _decoded(row.other_determination_sha256) or {} for row in rows}
        wanted = {row.determination_sha256 for row in rows} | {key for row in rows for key in others[row.id].values()}
        chosen = sa.select(determinations.c.sha256, determinations.c.body).where(determinations.c.sha256.in_(wanted))
        found = {key: text for key, text in connection.execute(chosen)}
        changes = [
            {
                "order_id": row.id,
                "own": json.loads(found[row.determination_sha256]) if row.determination_sha256 else {},
                "others": {regime: json.loads(found[key]) for regime, key in others[row.id].items()},
            }
            for row in rows
        ]
        _set(inline, changes)
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_constraint(FOREIGN_KEY, type_="foreignkey")
        batch_op.drop_column("other_determination_sha256")
        batch_op.drop_column("determination_sha256")
    op.drop_table("determinations")
