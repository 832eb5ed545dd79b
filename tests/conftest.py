"""Shared fixtures: a real SQLite file per test (copied from one migrated template),
a pinned clock, the demo centre's operators, and Qt offscreen."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

# Qt must know before the first QApplication exists.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from frontdesk.core.actor import ROLE_DESK, Actor
from frontdesk.core.centre import initialise
from frontdesk.core.clock import CENTRE_TZ, FixedClock
from frontdesk.core.db import Database
from frontdesk.core.i18n import set_language
from frontdesk.core.migrate import open_database
from frontdesk.core.operators import actor_for, create_operator, get_operator

ADMIN_PASSWORD = "admin-secret"
DESK_PASSWORD = "desk-secret"
NOW = dt.datetime(2026, 11, 22, 10, 0, tzinfo=CENTRE_TZ)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test gets its own data directory and Chinese as the language."""
    monkeypatch.setenv("FRONTDESK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("FRONTDESK_DB", raising=False)
    monkeypatch.delenv("FRONTDESK_OPERATOR", raising=False)
    set_language("zh_CN")
    yield
    set_language("zh_CN")


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty SQLite file made once per test session."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    db = open_database(f"sqlite:///{path}")
    db.dispose()
    return path


@pytest.fixture
def clock() -> FixedClock:
    """A clock pinned to 2026-11-22 10:00 in the centre's time zone."""
    return FixedClock(NOW)


@pytest.fixture
def db(template_db: Path, tmp_path: Path) -> Iterator[Database]:
    """A fresh, migrated SQLite database file for this test."""
    path = tmp_path / "frontdesk.sqlite3"
    shutil.copyfile(template_db, path)
    database = Database(f"sqlite:///{path}")
    yield database
    database.dispose()


@pytest.fixture
def centre_db(db: Database, clock: FixedClock) -> Database:
    """``db`` after first-run set-up: an admin ``admin`` and a desk operator ``desk``."""
    with db.session() as session:
        admin = initialise(session, centre_name="测试邻里中心", centre_code="TEST01",
                           town="测试街道", admin_username="admin",
                           admin_password=ADMIN_PASSWORD, admin_display_name="王管理",
                           clock=clock)
        create_operator(session, admin, "desk", "林前台", ROLE_DESK, DESK_PASSWORD)
    return db


def _actor(db: Database, username: str, clock: FixedClock) -> Actor:
    with db.read() as session:
        return actor_for(get_operator(session, username), clock)


@pytest.fixture
def admin(centre_db: Database, clock: FixedClock) -> Actor:
    """The administrator, acting by the pinned clock."""
    return _actor(centre_db, "admin", clock)


@pytest.fixture
def desk(centre_db: Database, clock: FixedClock) -> Actor:
    """A desk (前台) operator, acting by the pinned clock."""
    return _actor(centre_db, "desk", clock)


PG_URL = os.environ.get("FRONTDESK_TEST_PG_URL", "")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A new, empty database on the PostgreSQL test server, dropped afterwards.

    Skips when FRONTDESK_TEST_PG_URL is not set (scripts/test.sh starts a server and sets it).
    """
    if not PG_URL:
        pytest.skip("FRONTDESK_TEST_PG_URL is not set (scripts/test.sh starts a server)")
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"fd_{uuid.uuid4().hex[:12]}"
    server = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        server.dispose()


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[Database]:
    """The migrated PostgreSQL test database."""
    database = open_database(pg_url)
    yield database
    database.dispose()
