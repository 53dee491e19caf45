"""orders and licences: indexes for the paged lists (newest orders first, by status) and licence expiry

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 22:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index("ix_orders_ship_date_id", ["ship_date", "id"], unique=False)
        batch_op.create_index("ix_orders_status_ship_date_id", ["status", "ship_date", "id"], unique=False)
    with op.batch_alter_table("licences", schema=None) as batch_op:
        batch_op.create_index("ix_licences_valid_to_number", ["valid_to", "number"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("licences", schema=None) as batch_op:
        batch_op.drop_index("ix_licences_valid_to_number")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index("ix_orders_status_ship_date_id")
        batch_op.drop_index("ix_orders_ship_date_id")
