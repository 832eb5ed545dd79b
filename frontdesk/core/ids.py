"""Rows bulk-inserted with ids chosen in Python (demo history, benches).

SQLite picks the next id from the table itself; PostgreSQL from a sequence that explicit
ids do not move, so the next ordinary insert would clash with them ("Key (id)=(1) already
exists"). :func:`after_explicit_ids` moves the sequences past the rows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session


def after_explicit_ids(session: Session, *models: Any) -> None:
    """Move each model's ``id`` sequence past its largest id (PostgreSQL; SQLite needs none)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for model in models:
        table = model.__table__
        quoted = session.get_bind().dialect.identifier_preparer.format_table(table)
        session.execute(text(
            "SELECT setval(pg_get_serial_sequence(:table, 'id'),"
            f" coalesce(max(id), 0) + 1, false) FROM {quoted}"),
            {"table": quoted})
