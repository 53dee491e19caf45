"""orders under several regimes: the other regimes, their determinations and licences; lines' US facts

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 04:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("also_under", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("other_determinations", sa.JSON(), nullable=False, server_default="{}"))
        batch_op.add_column(sa.Column("other_licences", sa.JSON(), nullable=False, server_default="{}"))
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("value_usd", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("us_content_pct", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("us_direct_product", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.drop_column("us_direct_product")
        batch_op.drop_column("us_content_pct")
        batch_op.drop_column("value_usd")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_column("other_licences")
        batch_op.drop_column("other_determinations")
        batch_op.drop_column("also_under")
