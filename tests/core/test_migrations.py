"""Alembic migrations: from empty, with data, downgrade, and refusing newer databases."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from frontdesk.core import migrate
from frontdesk.core.db import Database
from frontdesk.core.errors import DatabaseTooNew
from frontdesk.core.schema import load_all_models
from frontdesk.migrations import SCHEMA_HEADS


def test_upgrade_from_empty_creates_every_model_table(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    assert migrate.needs_upgrade(db)
    assert migrate.upgrade(db) is None  # nothing to back up in a new file
    with db.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
    assert set(load_all_models().tables) <= tables
    assert migrate.current_revisions(db) == set(SCHEMA_HEADS)
    assert not migrate.needs_upgrade(db)


def test_models_and_migrations_agree(tmp_path: Path) -> None:
    """Autogenerate against a migrated database finds nothing to add or change."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    db = Database(f"sqlite:///{tmp_path / 'cmp.sqlite3'}")
    migrate.upgrade(db)
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), load_all_models())
    assert diff == []


def test_upgrade_keeps_data_and_takes_a_backup_first(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    db = Database(f"sqlite:///{path}")
    migrate.upgrade(db)
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO setting_value (key, value_json, updated_at, updated_by) "
                          "VALUES ('centre.name', '\"老中心\"', '2026-01-01 00:00:00', 'x')"))
    # The database as the first release left it: only the foundation's tables.
    migrate.downgrade(db, "0001_foundation")
    assert migrate.current_revisions(db) == {"0001_foundation"}
    assert migrate.needs_upgrade(db)
    backup = migrate.upgrade(db)
    assert backup is not None and backup.exists()
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT value_json FROM setting_value").fetchone()[0] == '"老中心"'
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == (
            "0001_foundation")
    assert migrate.current_revisions(db) == set(SCHEMA_HEADS)
    with db.engine.connect() as conn:
        value = conn.execute(text("SELECT value_json FROM setting_value")).scalar()
    assert value == '"老中心"'


def test_downgrade_to_base_removes_the_tables(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'down.sqlite3'}")
    migrate.upgrade(db)
    migrate.downgrade(db, "base")
    with db.engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(db)
    assert not migrate.needs_upgrade(db)


def test_a_database_from_a_newer_program_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite3"
    db = Database(f"sqlite:///{path}")
    migrate.upgrade(db)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    db.dispose()
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNew) as caught:
        migrate.open_database(f"sqlite:///{path}")
    assert "更新版本" in caught.value.message
    assert path.read_bytes() == before
