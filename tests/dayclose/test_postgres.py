"""Day close on a real PostgreSQL server: the lock, reopening, and no backup of its own."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from frontdesk.core import migrate
from frontdesk.core.centre import initialise
from frontdesk.core.clock import CENTRE_TZ, FixedClock
from frontdesk.core.dayguard import ensure_day_open
from frontdesk.core.errors import RuleError
from frontdesk.dayclose.service import close_with_backup, reopen_day

PG_URL = os.environ.get("FRONTDESK_TEST_PG_URL")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="FRONTDESK_TEST_PG_URL is not set "
                       "(scripts/test.sh starts a server and sets it)"),
]




def test_close_lock_and_reopen_on_postgresql(pg_url: str) -> None:
    db = migrate.open_database(pg_url)
    clock = FixedClock(dt.datetime(2026, 11, 22, 18, 0, tzinfo=CENTRE_TZ))
    day = dt.date(2026, 11, 22)
    with db.session() as session:
        admin = initialise(session, centre_name="镇中心", centre_code="TOWN1", town="某镇",
                           admin_username="admin", admin_password="pg-password", clock=clock)
    result = close_with_backup(db, admin, day)
    assert result.backup is None and "pg_dump" in result.backup_note
    with db.read() as session, pytest.raises(RuleError, match="已日结"):
        ensure_day_open(session, day)
    with db.session() as session:
        reopen_day(session, admin, day, "更正")
    with db.read() as session:
        ensure_day_open(session, day)
    db.dispose()
