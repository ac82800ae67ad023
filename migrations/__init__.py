"""Alembic migrations: the single source of the database schema."""
