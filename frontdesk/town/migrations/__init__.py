"""Alembic migrations of the town registry (schema ``town``)."""
