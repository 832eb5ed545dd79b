"""The same schema and rules on a real PostgreSQL server (FRONTDESK_TEST_PG_URL)."""

from __future__ import annotations

import os

import pytest

from frontdesk.core import migrate, operators
from frontdesk.core.centre import centre_info, initialise
from frontdesk.core.db import Database

PG_URL = os.environ.get("FRONTDESK_TEST_PG_URL")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="FRONTDESK_TEST_PG_URL is not set "
                       "(scripts/test.sh starts a server and sets it)"),
]




def test_migrations_run_up_and_down_on_postgresql(pg_url: str) -> None:
    db = migrate.open_database(pg_url)
    assert not migrate.needs_upgrade(db)
    migrate.downgrade(db, "base")
    assert migrate.needs_upgrade(db)
    migrate.upgrade(db)
    assert not migrate.needs_upgrade(db)
    db.dispose()


def test_set_up_and_login_on_postgresql(pg_url: str) -> None:
    db = migrate.open_database(pg_url)
    with db.session() as session:
        initialise(session, centre_name="镇中心", centre_code="TOWN1", town="某镇",
                   admin_username="admin", admin_password="pg-password")
    with db.session() as session:
        assert centre_info(session).code == "TOWN1"
        assert operators.authenticate(session, "admin", "pg-password").ok
        assert not operators.authenticate(session, "admin", "wrong").ok
    db.dispose()


def test_database_reports_postgresql_as_such(pg_url: str) -> None:
    db = Database(pg_url)
    assert not db.is_sqlite and db.sqlite_path is None
    db.check()
    db.dispose()
