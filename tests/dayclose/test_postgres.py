"""Day close on a real PostgreSQL server: the lock, reopening, and its pg_dump backup."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from frontdesk.checkin.models import Checkin
from frontdesk.core import migrate
from frontdesk.core.centre import initialise
from frontdesk.core.clock import CENTRE_TZ, FixedClock
from frontdesk.core.dayguard import ensure_day_open
from frontdesk.core.db import Database
from frontdesk.core.errors import RuleError
from frontdesk.dayclose.service import (
    DayOverview,
    close_day,
    close_with_backup,
    day_overview,
    reopen_day,
)

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
    result = close_with_backup(db, admin, day)  # pg_dump of the server's version is installed
    assert result.backup is not None and result.backup.name.endswith("-close-20261122.pgdump")
    assert result.backup.read_bytes()[:5] == b"PGDMP" and "已备份" in result.backup_note
    with db.read() as session, pytest.raises(RuleError, match="已日结"):
        ensure_day_open(session, day)
    with db.session() as session:
        reopen_day(session, admin, day, "更正")
    with db.read() as session:
        ensure_day_open(session, day)
    db.dispose()


def test_close_without_a_usable_pg_dump_says_so_and_the_close_stands(
        pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = migrate.open_database(pg_url)
    clock = FixedClock(dt.datetime(2026, 11, 22, 18, 0, tzinfo=CENTRE_TZ))
    day = dt.date(2026, 11, 22)
    with db.session() as session:
        admin = initialise(session, centre_name="镇中心", centre_code="TOWN1", town="某镇",
                           admin_username="admin", admin_password="pg-password", clock=clock)
    empty = tmp_path / "no-tools"
    empty.mkdir()
    monkeypatch.setenv("FRONTDESK_PG_BIN", str(empty))
    result = close_with_backup(db, admin, day)
    assert result.backup is None and not result.backup_failed
    assert "没有 PostgreSQL 客户端工具" in result.backup_note
    with db.session() as session:
        reopen_day(session, admin, day, "更正")
    # A pg_dump older than the server: refused with what to install, not pg_dump's own error.
    old = tmp_path / "old-tools"
    old.mkdir()
    (old / "pg_dump").write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n")
    (old / "pg_dump").chmod(0o755)
    monkeypatch.setenv("FRONTDESK_PG_BIN", str(old))
    with db.read() as session:
        server = int(session.execute(text("SHOW server_version_num")).scalar_one()) // 10000
    result = close_with_backup(db, admin, day)
    assert result.backup is None and result.backup_failed
    assert f"postgresql-client-{server}" in result.backup_note and "9" in result.backup_note
    with db.read() as session, pytest.raises(RuleError, match="已日结"):
        ensure_day_open(session, day)
    db.dispose()


def _waiting_for_advisory_lock(db: Database) -> bool:
    with db.engine.connect() as conn:
        return bool(conn.execute(text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        )).scalar())


def _wait_until_blocked(db: Database, worker: threading.Thread) -> None:
    """Until ``worker`` waits for the day lock; fails if it finishes without waiting."""
    for _ in range(3000):
        if _waiting_for_advisory_lock(db):
            return
        assert worker.is_alive(), "it went through without waiting for the other transaction"
        time.sleep(0.01)
    raise AssertionError("never waited for the day lock")


def test_a_close_racing_with_a_check_in_lets_nothing_into_the_closed_day(
        pg_url: str) -> None:
    """Two connections (two server processes): a close waits for a check-in under way and
    counts it; a check-in that comes while a close is under way waits and is refused."""
    from frontdesk.checkin import service as checkin
    from tests.checkin.conftest import add_resident

    db = migrate.open_database(pg_url)
    other = Database(pg_url)  # the second desk: its own engine and connections
    clock = FixedClock(dt.datetime(2026, 11, 22, 18, 0, tzinfo=CENTRE_TZ))
    day = clock.now().date()
    with db.session() as session:
        admin = initialise(session, centre_name="镇中心", centre_code="TOWN1", town="某镇",
                           admin_username="admin", admin_password="pg-password", clock=clock)
    elder = add_resident(db, clock, "陈阿婆", card="C0001", birth=dt.date(1950, 3, 1))
    with db.read() as session:
        canteen = checkin.find_purpose(session, "长者食堂").id
    ack = {"checkin.open", "checkin.sheet_unprinted", "cash.cash"}
    outcome: dict[str, object] = {}

    def close() -> None:
        try:
            with other.session() as session:
                outcome["close"] = close_day(session, admin, day, acknowledged=ack)
        except Exception as exc:  # reported to the test thread
            outcome["close"] = exc

    # 1. A check-in is past the guard but not committed: the close must wait for it.
    with db.session() as session:
        checkin.check_in(session, admin, resident_id=elder, purpose_id=canteen)
        closer = threading.Thread(target=close)
        closer.start()
        _wait_until_blocked(db, closer)
    closer.join(30)
    closed = outcome["close"]
    assert isinstance(closed, DayOverview), closed
    with db.read() as session:
        assert closed.totals == day_overview(session, day).totals  # the check-in is counted
    with db.session() as session:
        reopen_day(session, admin, day, "再测一次")

    # 2. A close is under way: a check-in must wait for it and then be refused.
    def check_in() -> None:
        try:
            with other.session() as session:
                outcome["checkin"] = checkin.check_in(session, admin, resident_id=elder,
                                                      purpose_id=canteen, confirm_repeat=True)
        except Exception as exc:
            outcome["checkin"] = exc

    with db.session() as session:
        close_day(session, admin, day, acknowledged=ack)
        desk = threading.Thread(target=check_in)
        desk.start()
        _wait_until_blocked(db, desk)
    desk.join(30)
    refused = outcome["checkin"]
    assert isinstance(refused, RuleError) and "已日结" in str(refused), refused
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Checkin)) == 1
    other.dispose()
    db.dispose()
