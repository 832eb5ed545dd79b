"""Shared fixtures: a real SQLite file per test (copied from one migrated template),
a pinned clock, the demo centre's operators, and Qt offscreen."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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
    """Each test gets its own data directory, its own per-PC settings file (also for the
    programs it starts: never the real ~/.config or registry), and Chinese as the language."""
    monkeypatch.setenv("FRONTDESK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("FRONTDESK_PC_SETTINGS", str(tmp_path / "pc-settings.ini"))
    monkeypatch.delenv("FRONTDESK_DB", raising=False)
    monkeypatch.delenv("FRONTDESK_OPERATOR", raising=False)
    monkeypatch.delenv("FRONTDESK_CENTRE", raising=False)
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
def process_clock(clock: FixedClock) -> Iterator[FixedClock]:
    """The process's own clock moved to the pinned moment (and ticking from there), for code
    that reads the real clock as a user's run would: the CLI (``main([...])``), the desk's
    start-up and login. Yields the pinned ``clock``: its moment is where the process clock
    started, a few seconds behind it at most. (Subprocesses do not inherit this: run them
    with tests.helpers.moved_clock.)"""
    import time_machine

    with time_machine.travel(clock.moment, tick=True):
        yield clock


@pytest.fixture
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A fresh, migrated database for this test: an SQLite file, or (with
    FRONTDESK_TEST_BACKEND=postgresql) a new database on the PostgreSQL test server, copied
    from one migrated template (see ``_PgCopies``)."""
    if ON_POSTGRES:
        url = request.getfixturevalue("pg_copies").take()
        database = Database(url)
        try:
            yield database
        finally:
            database.dispose()
            _drop_pg_database(url)
        return
    path = tmp_path / "frontdesk.sqlite3"
    shutil.copyfile(request.getfixturevalue("template_db"), path)
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
# The backend the ``db`` fixture (and so centre_db, admin, desk) runs on.
BACKEND = os.environ.get("FRONTDESK_TEST_BACKEND", "sqlite")
ON_POSTGRES = BACKEND in ("postgresql", "postgres", "pg")


def pytest_configure(config: pytest.Config) -> None:
    if ON_POSTGRES and not PG_URL:
        raise pytest.UsageError("FRONTDESK_TEST_BACKEND=postgresql needs FRONTDESK_TEST_PG_URL")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Packaging tests get a longer time limit (their fixtures build wheels and bundles); on
    the PostgreSQL run, skip tests that are about SQLite files by nature."""
    for item in items:
        if item.get_closest_marker("packaging") and not item.get_closest_marker("timeout"):
            item.add_marker(pytest.mark.timeout(1800))
    if not ON_POSTGRES:
        return
    skip = pytest.mark.skip(reason="SQLite-specific (PRAGMAs, files, sqlite backups); "
                                   "this run is on PostgreSQL")
    for item in items:
        if item.get_closest_marker("sqlite_only"):
            item.add_marker(skip)


def _create_pg_database(template: str | None = None) -> str:
    """A new database on the test server (a copy of ``template`` if given); returns its URL."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"fd_{uuid.uuid4().hex[:12]}"
    server = create_engine(PG_URL, isolation_level="AUTOCOMMIT", poolclass=_null_pool())
    with server.connect() as conn:
        suffix = f' TEMPLATE "{template}"' if template else ""
        conn.execute(text(f'CREATE DATABASE "{name}"{suffix}'))
    server.dispose()
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


def _drop_pg_database(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = create_engine(PG_URL, isolation_level="AUTOCOMMIT", poolclass=_null_pool())
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    server.dispose()


def _null_pool() -> Any:
    from sqlalchemy.pool import NullPool

    return NullPool


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A migrated, empty PostgreSQL database made once per session, copied for each test."""
    from sqlalchemy.engine import make_url

    url = _create_pg_database()
    database = open_database(url)
    database.dispose()
    try:
        yield str(make_url(url).database)
    finally:
        _drop_pg_database(url)


class _PgCopies:
    """Copies of the template database, made one or two tests ahead by a background thread.

    ``CREATE DATABASE … TEMPLATE`` takes 0.2-0.6 s on the test server (it copies ~9.5 MB,
    mostly system catalogues); made while the previous test runs, the server does it on the
    other core instead of the test waiting for it.
    """

    def __init__(self, template: str, ahead: int = 2) -> None:
        import queue
        import threading

        self.template = template
        self.ready: queue.Queue[str | BaseException] = queue.Queue(maxsize=ahead)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._fill, name="pg-copies", daemon=True)
        self.thread.start()

    def _fill(self) -> None:
        import queue

        while not self.stopping.is_set():
            try:
                item: str | BaseException = _create_pg_database(self.template)
            except BaseException as exc:  # handed to the test that takes it
                item = exc
            while True:
                try:
                    self.ready.put(item, timeout=0.1)
                    break
                except queue.Full:
                    if self.stopping.is_set():
                        if isinstance(item, str):
                            _drop_pg_database(item)
                        return

    def take(self) -> str:
        """A fresh copy of the template, for one test (the ``db`` fixture drops it)."""
        item = self.ready.get(timeout=300)
        if isinstance(item, BaseException):
            raise item
        return item

    def close(self) -> None:
        import queue

        self.stopping.set()
        self.thread.join()
        while True:
            try:
                item = self.ready.get_nowait()
            except queue.Empty:
                return
            if isinstance(item, str):
                _drop_pg_database(item)


@pytest.fixture(scope="session")
def pg_copies(pg_template: str) -> Iterator[_PgCopies]:
    """The source of the PostgreSQL run's per-test databases."""
    copies = _PgCopies(pg_template)
    try:
        yield copies
    finally:
        copies.close()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A new, empty database on the PostgreSQL test server, dropped afterwards.

    Skips when FRONTDESK_TEST_PG_URL is not set (scripts/test.sh starts a server and sets it).
    """
    if not PG_URL:
        pytest.skip("FRONTDESK_TEST_PG_URL is not set (scripts/test.sh starts a server)")
    url = _create_pg_database()
    try:
        yield url
    finally:
        _drop_pg_database(url)


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[Database]:
    """The migrated PostgreSQL test database."""
    database = open_database(pg_url)
    yield database
    database.dispose()
