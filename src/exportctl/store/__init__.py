"""Storage: SQLAlchemy models, the database connection, Alembic migrations."""
