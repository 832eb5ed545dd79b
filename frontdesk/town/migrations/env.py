"""Alembic environment of the town registry: tables and version table in schema ``town``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from frontdesk.town import TOWN_SCHEMA
from frontdesk.town.models import TownBase

connection = context.config.attributes["connection"]
# The version table lives in the schema, so the schema must exist before Alembic looks.
connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{TOWN_SCHEMA}"'))
context.configure(
    connection=connection,
    target_metadata=TownBase.metadata,
    version_table_schema=TOWN_SCHEMA,
    include_schemas=True,
    include_name=lambda name, type_, _parent: type_ != "schema" or name == TOWN_SCHEMA,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
