"""Alembic environment: migrations run against the engine exportctl configured (see store/db.py)."""

from __future__ import annotations

from alembic import context

from exportctl.store.models import Base

connectable = context.config.attributes["engine"]
with connectable.connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
