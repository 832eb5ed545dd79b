"""Alembic environment: runs on the connection handed over by frontdesk.core.migrate."""

from __future__ import annotations

from alembic import context

from frontdesk.core.schema import load_all_models

target_metadata = load_all_models()
connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=target_metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
