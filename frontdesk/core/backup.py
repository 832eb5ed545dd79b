"""Database backups: SQLite's online backup API, rotated to keep the newest N."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from frontdesk.core.db import Database
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr
from frontdesk.core.paths import backup_dir

DEFAULT_KEEP = 10


def backup_database(db: Database, *, reason: str, dest_dir: Path | None = None,
                    keep: int = DEFAULT_KEEP) -> Path:
    """Copy the SQLite database to a timestamped file; returns its path."""
    source = db.sqlite_path
    if source is None:
        raise RuleError(tr("只有 SQLite 数据库可以在程序内备份；PostgreSQL 请用 pg_dump。"))
    dest_dir = dest_dir or backup_dir()
    dest_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = dest_dir / f"{source.stem}-{stamp}-{reason}.sqlite3"
    partial = target.with_suffix(".partial")
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    partial.replace(target)  # a complete file appears under its final name, or none does
    rotate(dest_dir, source.stem, keep)
    return target


def rotate(dest_dir: Path, stem: str, keep: int) -> None:
    """Delete all but the newest ``keep`` backups of ``stem``."""
    backups = sorted(dest_dir.glob(f"{stem}-*.sqlite3"), key=lambda p: p.name)
    for old in backups[:-keep] if keep > 0 else []:
        old.unlink(missing_ok=True)
