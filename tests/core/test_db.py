"""Opening databases: pragmas, and a clear message for each way it can go wrong."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from frontdesk.core.db import Database, resolve_url
from frontdesk.core.errors import DatabaseError
from frontdesk.core.migrate import open_database


@pytest.mark.sqlite_only
def test_sqlite_is_opened_with_wal_full_sync_foreign_keys_and_busy_timeout(db: Database) -> None:
    with db.engine.connect() as conn:
        pragma = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                  for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")}
    assert pragma == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1,
                      "busy_timeout": 10000}


def test_url_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert resolve_url("sqlite:///x.db") == "sqlite:///x.db"
    assert resolve_url(str(tmp_path / "a.sqlite3")) == f"sqlite:///{tmp_path / 'a.sqlite3'}"
    monkeypatch.setenv("FRONTDESK_DB", "postgresql+psycopg://u@h/d")
    assert resolve_url(None) == "postgresql+psycopg://u@h/d"
    monkeypatch.delenv("FRONTDESK_DB")
    assert resolve_url(None).endswith("home/frontdesk.sqlite3")


@pytest.mark.sqlite_only
def test_write_sessions_take_the_write_lock_at_begin(db: Database) -> None:
    """BEGIN IMMEDIATE: while one desk's action runs, another cannot start writing."""
    assert db.sqlite_path is not None
    with db.session() as session:
        session.execute(text("SELECT 1"))  # only reads so far, yet the lock is held
        other = sqlite3.connect(db.sqlite_path, timeout=0.05, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
    with db.read() as session:  # read transactions do not block each other
        session.execute(text("SELECT 1"))
        other = sqlite3.connect(db.sqlite_path, timeout=0.05, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        other.close()


@pytest.fixture
def immutable_copy(db: Database, tmp_path: Path) -> Iterator[Path]:
    """A database file that even root cannot write (chattr +i)."""
    path = tmp_path / "ro" / "frontdesk.sqlite3"
    path.parent.mkdir()
    db.dispose()
    assert db.sqlite_path is not None
    shutil.copyfile(db.sqlite_path, path)
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("this filesystem cannot mark files immutable (chattr +i)")
    yield path
    subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.mark.sqlite_only
def test_read_only_file_gets_a_clear_message_and_is_untouched(immutable_copy: Path) -> None:
    before = immutable_copy.read_bytes()
    with pytest.raises(DatabaseError, match="只读"):
        open_database(str(immutable_copy))
    assert immutable_copy.read_bytes() == before


def test_corrupt_file_gets_a_clear_message_and_is_untouched(tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"this is not a database, just some text" * 100)
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="已损坏"):
        open_database(str(path))
    assert path.read_bytes() == before


def test_unreachable_postgresql_gets_a_clear_message() -> None:
    with pytest.raises(DatabaseError, match="无法连接数据库服务器") as caught:
        open_database("postgresql+psycopg://frontdesk:secret@127.0.0.1:9/none?connect_timeout=2")
    assert "secret" not in caught.value.message
