"""Bringing a database to the current schema, safely.

Start-up compares the alembic_version table with ``SCHEMA_HEADS`` (no Alembic import
when nothing is to do). An older database is backed up, then upgraded; a database from
a newer program is refused untouched.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text
from sqlalchemy import exc as sa_exc

from frontdesk.core.db import Database, explain_database_error
from frontdesk.core.errors import DatabaseTooNew
from frontdesk.core.i18n import tr
from frontdesk.migrations import SCHEMA_HEADS

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at the packaged migrations."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


def script_heads() -> set[str]:
    """The head revisions found in the migrations folder."""
    from alembic.script import ScriptDirectory

    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def known_revisions() -> set[str]:
    """Every revision the migrations folder knows."""
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revisions(db: Database) -> set[str]:
    """The revisions recorded in the database (empty for a new database)."""
    try:
        with db.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return set()
            return {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}
    except sa_exc.DBAPIError as exc:
        raise explain_database_error(exc, db.display_url) from exc


def has_user_tables(db: Database) -> bool:
    """Whether the database holds any table at all (worth a backup before changing it)."""
    with db.engine.connect() as conn:
        return bool(inspect(conn).get_table_names())


def needs_upgrade(db: Database) -> bool:
    """Whether the schema is behind this program's (raises DatabaseTooNew if ahead)."""
    current = current_revisions(db)
    if current == SCHEMA_HEADS:
        return False
    unknown = current - known_revisions()
    if unknown:
        raise DatabaseTooNew(tr(
            "这个数据库由更新版本的 frontdesk 创建（版本 {rev}），当前程序无法使用。"
            "请升级程序后再打开；数据库未被改动。", rev=", ".join(sorted(unknown))))
    return True


def upgrade(db: Database, *, backup: bool = True) -> Path | None:
    """Upgrade to the newest schema; an existing SQLite file is backed up first.

    Returns the backup's path, if one was taken.
    """
    if not needs_upgrade(db):
        return None
    backup_path = None
    if backup and db.sqlite_path is not None and has_user_tables(db):
        from frontdesk.core.backup import backup_database

        backup_path = backup_database(db, reason="pre-upgrade")
    from alembic import command

    try:
        with db.engine.begin() as conn:
            command.upgrade(alembic_config(conn), "heads")
    except sa_exc.DBAPIError as exc:
        raise explain_database_error(exc, db.display_url) from exc
    return backup_path


def downgrade(db: Database, revision: str) -> None:
    """Step the schema back to ``revision`` (for tests and emergencies)."""
    from alembic import command

    with db.engine.begin() as conn:
        command.downgrade(alembic_config(conn), revision)


def open_database(url: str | None = None, centre: str | None = None, *,
                  create: bool = True) -> Database:
    """Open the database named by ``url`` (or the default), check it, and bring it up to date.

    ``centre``: the centre's code on a town's shared PostgreSQL database (its own schema,
    migrated there). An unknown centre, or a town database opened without one, is refused
    before anything is created. ``create=False``: an SQLite file that does not exist is
    refused (DatabaseMissing) instead of made.
    """
    db = Database(url, centre=centre, create=create)
    try:
        db.check()
        if not db.is_sqlite:
            from frontdesk.town.service import check_centre_choice

            check_centre_choice(db)
        upgrade(db)
    except BaseException:
        db.dispose()
        raise
    return db
