"""SQLite "database is locked" never reaches the user as a crash: retried, then explained."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from sqlalchemy import text

from frontdesk.cli import main
from frontdesk.core import settings
from frontdesk.core.actor import Actor
from frontdesk.core.db import Database
from frontdesk.core.errors import DatabaseError
from frontdesk.ui.context import DeskContext

pytestmark = pytest.mark.sqlite_only

HOLD = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("ROLLBACK")
"""


def _hold_write_lock(db: Database, seconds: float) -> subprocess.Popen[str]:
    """Another process (another desk) holding the write lock for ``seconds``."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(db.sqlite_path), str(seconds)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def _set_town(session: object, actor: Actor) -> None:
    settings.set_value(session, actor, "centre.town", "梅岭街道")  # type: ignore[arg-type]


def test_a_lock_held_past_the_busy_timeout_gives_a_clear_message(centre_db: Database,
                                                                 admin: Actor) -> None:
    impatient = Database(centre_db.url, busy_timeout_ms=150)
    holder = _hold_write_lock(centre_db, 30)
    try:
        started = time.monotonic()
        with pytest.raises(DatabaseError, match="数据库正忙"):
            impatient.write(lambda session: _set_town(session, admin))
        assert time.monotonic() - started < 10  # bounded: three short tries, not a hang
        ctx = DeskContext(impatient, admin)
        with pytest.raises(DatabaseError, match="数据库正忙"):
            ctx.run(_set_town)
    finally:
        holder.kill()
        holder.communicate()
    # Nothing was half-written, and the same database works once the other desk is done.
    impatient.write(lambda session: _set_town(session, admin))
    with impatient.read() as session:
        assert settings.get(session, "centre.town") == "梅岭街道"
    impatient.dispose()


def test_a_short_lock_is_waited_out_by_the_retry(centre_db: Database, admin: Actor) -> None:
    impatient = Database(centre_db.url, busy_timeout_ms=100)
    holder = _hold_write_lock(centre_db, 0.3)
    try:
        impatient.write(lambda session: _set_town(session, admin))  # tries again, succeeds
    finally:
        holder.communicate()
    with impatient.read() as session:
        assert session.execute(text("SELECT 1")).scalar() == 1
        assert settings.get(session, "centre.town") == "梅岭街道"
    impatient.dispose()


@pytest.mark.usefixtures("process_clock")  # the CLI acts by the process clock
def test_the_cli_says_busy_instead_of_a_traceback(centre_db: Database,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from frontdesk.core import db as db_module

    holder = _hold_write_lock(centre_db, 30)
    old = db_module.SQLITE_BUSY_TIMEOUT_MS
    db_module.SQLITE_BUSY_TIMEOUT_MS = 150
    try:
        code = main(["--db", centre_db.url, "--operator", "admin", "checkin", "C0001"])
    finally:
        db_module.SQLITE_BUSY_TIMEOUT_MS = old
        holder.kill()
        holder.communicate()
    assert code == 1
    assert "数据库正忙" in capsys.readouterr().err
