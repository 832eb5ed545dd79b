"""Alembic migrations of the frontdesk schema.

``SCHEMA_HEADS`` lets start-up tell "up to date" from the alembic_version table without
importing Alembic; a test checks it equals the real heads of ``versions/``.
"""

SCHEMA_HEADS = frozenset({"0008_dayclose"})
