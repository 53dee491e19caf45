"""licence attachments (the scanned licence: PDF, PNG, JPEG or TIFF, its bytes in the database) and a party's
postal address

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 00:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "licence_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("licence_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=100), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["licence_id"], ["licences.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("licence_attachments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_licence_attachments_licence_id"), ["licence_id"], unique=False)
    with op.batch_alter_table("parties", schema=None) as batch_op:
        batch_op.add_column(sa.Column("address", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("parties", schema=None) as batch_op:
        batch_op.drop_column("address")
    with op.batch_alter_table("licence_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_licence_attachments_licence_id"))
    op.drop_table("licence_attachments")
