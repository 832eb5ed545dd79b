"""Backups and restores: rotation, refusing strangers and newer files, a copy kept first."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

from frontdesk.core import backup
from frontdesk.core.actor import Actor
from frontdesk.core.audit import AuditEntry
from frontdesk.core.db import Database
from frontdesk.core.errors import PermissionDenied, RuleError
from frontdesk.core.operators import Operator, create_operator
from frontdesk.core.paths import backup_dir


def _operators(db: Database) -> set[str]:
    with db.read() as session:
        return set(session.scalars(select(Operator.username)))


def test_backup_rotates_and_lists_newest_first(centre_db: Database, tmp_path: Path) -> None:
    dest = tmp_path / "b"
    made = [backup.backup_database(centre_db, reason="manual", dest_dir=dest, keep=3)
            for _ in range(5)]
    listed = backup.list_backups(centre_db, dest)
    assert [b.path for b in listed] == made[:-4:-1]  # the newest three, newest first
    assert all(b.reason == "manual" and b.size_bytes > 0 for b in listed)
    assert not made[0].exists() and not made[1].exists()


def test_restore_brings_back_the_old_content_and_keeps_a_copy_first(
        centre_db: Database, admin: Actor, tmp_path: Path) -> None:
    dest = tmp_path / "b"
    old = backup.backup_database(centre_db, reason="manual", dest_dir=dest)
    with centre_db.session() as session:
        create_operator(session, admin, "late", "后来的人", "desk", "late-secret")
    assert "late" in _operators(centre_db)
    safety = backup.restore_database(centre_db, old, actor=admin, dest_dir=dest)
    assert "late" not in _operators(centre_db)  # the same Database object sees the restore
    with centre_db.read() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.action == "backup.restore")) == 1
    # ... and the copy taken first can undo it.
    backup.restore_database(centre_db, safety, dest_dir=dest)
    assert "late" in _operators(centre_db)


@pytest.mark.sqlite_only
def test_restore_refuses_strangers_and_newer_files(centre_db: Database, admin: Actor,
                                                   tmp_path: Path) -> None:
    text_file = tmp_path / "notes.sqlite3"
    text_file.write_text("这不是数据库", encoding="utf-8")
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    newer = tmp_path / "newer.sqlite3"
    shutil.copyfile(backup.backup_database(centre_db, reason="manual", dest_dir=tmp_path / "b"),
                    newer)
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    before = _operators(centre_db)
    for bad, words in ((text_file, "不是 frontdesk"), (other, "不是 frontdesk"),
                       (newer, "更新版本"), (tmp_path / "missing.sqlite3", "找不到")):
        with pytest.raises(RuleError, match=words):
            backup.restore_database(centre_db, bad, actor=admin, dest_dir=tmp_path / "b")
    assert _operators(centre_db) == before


def test_only_an_admin_restores(centre_db: Database, desk: Actor, tmp_path: Path) -> None:
    old = backup.backup_database(centre_db, reason="manual", dest_dir=tmp_path)
    with pytest.raises(PermissionDenied):
        backup.restore_database(centre_db, old, actor=desk, dest_dir=tmp_path)


@pytest.mark.sqlite_only
def test_start_up_backup_is_taken_before_migrations(centre_db: Database) -> None:
    assert backup.backup_at_start(Database("sqlite:///" + str(backup_dir() / "none.db"))) is None
    path = backup.backup_at_start(centre_db)
    assert path is not None and "-start" in path.name and path.parent == backup_dir()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM operator").fetchone()[0] == 2


@pytest.mark.sqlite_only  # PostgreSQL backups are pg_dump's: tests/core/test_pgtools.py
def test_backups_in_one_tick_of_a_coarse_clock_keep_their_own_names(
        centre_db: Database, tmp_path: Path) -> None:
    """A clock standing still (or moving in 15.6 ms steps, as on some Windows PCs) must not
    let a backup replace the one taken just before it: each is a microsecond later."""
    import time_machine

    from tests.conftest import NOW

    assert centre_db.sqlite_path is not None
    dest = tmp_path / "b"
    with time_machine.travel(NOW, tick=False):
        made = [backup.backup_database(centre_db, reason=reason, dest_dir=dest, keep=10)
                for reason in ("manual", "manual", "close", "manual")]
    assert len(set(made)) == 4 and all(p.is_file() for p in made)
    assert [p.name for p in made] == [
        f"{centre_db.sqlite_path.stem}-20261122-100000-00000{n}-{reason}.sqlite3"
        for n, reason in enumerate(("manual", "manual", "close", "manual"))]
    assert [b.path for b in backup.list_backups(centre_db, dest)] == made[::-1]
