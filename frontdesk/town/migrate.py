"""Bringing the town registry (schema ``town``) to the current version.

The same pattern as :mod:`frontdesk.core.migrate`: ``TOWN_HEADS`` answers "up to date"
without importing Alembic; otherwise the town chain runs with its version table in
schema ``town`` (separate from every centre's ``alembic_version``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text
from sqlalchemy import exc as sa_exc

from frontdesk.core.db import Database, explain_database_error
from frontdesk.core.errors import DatabaseTooNew
from frontdesk.core.i18n import tr
from frontdesk.town import TOWN_HEADS, TOWN_SCHEMA

if TYPE_CHECKING:
    from alembic.config import Config

TOWN_MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def town_alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at the town registry's migrations."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(TOWN_MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


def town_script_heads() -> set[str]:
    """The head revisions of the town chain."""
    from alembic.script import ScriptDirectory

    return set(ScriptDirectory.from_config(town_alembic_config()).get_heads())


def has_town_registry(conn: Connection) -> bool:
    """Whether this PostgreSQL database holds a town registry."""
    return conn.execute(text("SELECT to_regclass(:t)"),
                        {"t": f"{TOWN_SCHEMA}.alembic_version"}).scalar() is not None


def town_revisions(db: Database) -> set[str]:
    """The town registry's recorded revisions (empty: no registry)."""
    if db.is_sqlite:
        return set()
    try:
        with db.engine.connect() as conn:
            if not has_town_registry(conn):
                return set()
            rows = conn.execute(text(f'SELECT version_num FROM "{TOWN_SCHEMA}".alembic_version'))
            return {row[0] for row in rows}
    except sa_exc.DBAPIError as exc:
        raise explain_database_error(exc, db.display_url) from exc


def upgrade_town(db: Database) -> None:
    """Create or upgrade the town registry (refuses a registry from a newer program)."""
    current = town_revisions(db)
    if current == TOWN_HEADS:
        return
    from alembic import command
    from alembic.script import ScriptDirectory

    known = {s.revision for s in
             ScriptDirectory.from_config(town_alembic_config()).walk_revisions()}
    if current - known:
        raise DatabaseTooNew(tr(
            "镇街登记表由更新版本的 frontdesk 创建（版本 {rev}），当前程序无法使用。"
            "请升级程序后再打开；数据库未被改动。", rev=", ".join(sorted(current - known))))
    try:
        with db.engine.begin() as conn:
            command.upgrade(town_alembic_config(conn), "heads")
    except sa_exc.DBAPIError as exc:
        raise explain_database_error(exc, db.display_url) from exc
