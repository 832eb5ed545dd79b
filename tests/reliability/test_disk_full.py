"""A disk that fills during writes: a clear message, nothing committed is lost, no corruption.

The database lives on a small tmpfs (mounted for the test; skipped where mount is not
permitted). Writes go on until the disk is full.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from frontdesk.core import audit
from frontdesk.core.actor import Actor
from frontdesk.core.audit import AuditEntry
from frontdesk.core.db import Database
from frontdesk.core.errors import DatabaseError

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 3 MB tmpfs, unmounted afterwards."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_gives_a_clear_message_and_keeps_what_was_committed(
        centre_db: Database, admin: Actor, small_disk: Path) -> None:
    assert centre_db.sqlite_path is not None
    centre_db.dispose()
    path = small_disk / "frontdesk.sqlite3"
    shutil.copyfile(centre_db.sqlite_path, path)
    db = Database(f"sqlite:///{path}")
    committed = 0
    message = ""
    for _ in range(10_000):
        try:
            db.write(lambda s, n=committed: audit.record(s, admin, "test.fill", "disk", n,
                                                         "填" * 2000))
            committed += 1
        except DatabaseError as exc:
            message = exc.message
            break
    assert "磁盘空间已满" in message, message
    db.dispose()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    reopened = Database(f"sqlite:///{path}")
    with reopened.read() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.action == "test.fill")) == committed
    reopened.dispose()
    assert committed > 10
