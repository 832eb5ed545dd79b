"""Opening the database and scoping sessions: one session, one transaction, per action.

SQLite (the default) is opened with WAL, synchronous=FULL, foreign keys and a busy
timeout; writing transactions start with ``BEGIN IMMEDIATE`` so two desks never both
read-then-write the same rows. PostgreSQL is used as it is, by URL.

Several centres in one PostgreSQL database (a town's shared server): each centre lives in
its own schema ``centre_<code>``; ``Database(url, centre=CODE)`` sets every pooled
connection's ``search_path`` to that schema, so every feature's unqualified queries,
sequences, unique rules and day closes stay inside the centre. Without a centre the
public schema is used, as for a single-centre database. An SQLite file is one centre.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

from frontdesk.core.errors import DatabaseError, DatabaseMissing
from frontdesk.core.i18n import tr
from frontdesk.core.paths import default_database_path

SQLITE_BUSY_TIMEOUT_MS = 10_000
# A write that still finds the database locked after the busy timeout is tried again this
# many times in all (with a short pause) before the user is told.
WRITE_ATTEMPTS = 3
RETRY_PAUSE_S = 0.2

T = TypeVar("T")


def resolve_url(url: str | None = None) -> str:
    """The database URL: ``url``, else ``FRONTDESK_DB``, else the embedded SQLite file.

    A bare file path is taken as an SQLite file.
    """
    chosen = url or os.environ.get("FRONTDESK_DB") or ""
    if not chosen:
        return sqlite_url(default_database_path())
    if "://" not in chosen:
        return sqlite_url(Path(chosen).expanduser().resolve())
    scheme, sep, rest = chosen.partition("://")
    if scheme.lower() in ("postgresql", "postgres"):  # the driver this program ships
        return f"postgresql+psycopg{sep}{rest}"
    return chosen


SUPPORTED_DRIVERS = {("sqlite", "pysqlite"), ("postgresql", "psycopg")}


def check_url(url: str) -> None:
    """Refuse, in words, a URL this program cannot open (another database, another driver,
    or not a URL at all) before SQLAlchemy tries to import a driver that is not there."""
    try:
        parsed = make_url(url)
        backend, driver = parsed.get_backend_name(), parsed.get_driver_name()
    except (sa_exc.ArgumentError, ValueError):
        raise DatabaseError(tr("看不懂数据库地址：{url}。请写 SQLite 文件的路径，或 "
                               "postgresql+psycopg://用户:密码@服务器/数据库名。",
                               url=url[:200])) from None
    if (backend, driver) not in SUPPORTED_DRIVERS:
        raise DatabaseError(tr(
            "不支持这种数据库：{url}。frontdesk 只能使用 SQLite 文件或 PostgreSQL"
            "（postgresql+psycopg://用户:密码@服务器/数据库名）。",
            url=parsed.render_as_string(hide_password=True)[:200]))


def sqlite_url(path: Path) -> str:
    """The URL of SQLite file ``path``, escaped so that it names exactly that file: a folder
    called ``a%20b`` or ``备份#1`` stays itself (a plain f-string URL would be decoded)."""
    text = str(path)
    if "%" not in text and "#" not in text and "?" not in text:
        return f"sqlite:///{text}"  # the usual case, kept readable
    return URL.create("sqlite", database=text).render_as_string(hide_password=False)


def sqlite_file(url: str) -> Path | None:
    """The file of an SQLite URL, or None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database
    if not database or database == ":memory:":
        return None
    return Path(database)


def missing_database_message(path: Path) -> str:
    """One line for a database file that does not exist: which path, how to make one."""
    return tr("找不到数据库文件：{path}。要新建数据库请运行 frontdesk init（或 frontdesk demo）；"
              "如果数据库在别处，请用 --db 或 FRONTDESK_DB 指明。", path=str(path))


def require_existing(url: str) -> None:
    """Refuse an SQLite URL whose file does not exist (DatabaseMissing); creates nothing."""
    path = sqlite_file(url)
    if path is not None and not path.exists():
        raise DatabaseMissing(missing_database_message(path))


def missing_folders(path: Path) -> list[Path]:
    """The folders above ``path`` that do not exist yet, deepest first (what making the
    file would make)."""
    missing = []
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return missing


def remove_new_database(path: Path, folders: list[Path]) -> None:
    """Take back an SQLite file made moments ago (a first start cancelled): the file, its
    -wal/-shm/-journal, and ``folders`` (from :func:`missing_folders`) left empty."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    for folder in folders:
        try:
            folder.rmdir()  # only an empty folder: anything put there meanwhile stays
        except OSError:
            break


CENTRE_ENV = "FRONTDESK_CENTRE"
# A centre's code (also its export file names and, lower-cased, its PostgreSQL schema).
CENTRE_CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{2,32}$")
CENTRE_SCHEMA_PREFIX = "centre_"


def resolve_centre(centre: str | None = None) -> str | None:
    """The centre to work in: ``centre``, else ``FRONTDESK_CENTRE``, else none (lower-cased)."""
    chosen = (centre or os.environ.get(CENTRE_ENV) or "").strip()
    return chosen.lower() or None


def centre_schema(code: str) -> str:
    """The PostgreSQL schema of centre ``code`` (``centre_<code>``, lower case).

    Refuses a code that breaks the centre-code rule (so the name is always safe to quote).
    """
    code = code.strip()
    if not CENTRE_CODE_PATTERN.match(code):
        raise DatabaseError(tr("中心编码无效：{code}（只能用 2-32 位字母、数字、下划线或连字符）。",
                               code=code[:40]))
    return CENTRE_SCHEMA_PREFIX + code.lower()


def quote_ident(name: str) -> str:
    """``name`` as a double-quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _on_pg_connect(dbapi_conn: Any, _record: Any, schema: str) -> None:
    # Outside any transaction, so a later rollback cannot undo it (SQLAlchemy's own recipe).
    autocommit = dbapi_conn.autocommit
    dbapi_conn.autocommit = True
    cur = dbapi_conn.cursor()
    cur.execute(f"SET SESSION search_path TO {quote_ident(schema)}")
    cur.close()
    dbapi_conn.autocommit = autocommit


def display_url(url: str) -> str:
    """The URL without its password (an SQLite file as its path), for screens and messages."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        return parsed.database
    return parsed.render_as_string(hide_password=True)


def _on_sqlite_connect(dbapi_conn: sqlite3.Connection, _record: Any,
                       busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own is too late).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = FULL")
    cur.close()


def _on_sqlite_begin(conn: Any) -> None:
    mode = conn.get_execution_options().get("frontdesk_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


class Database:
    """An open database: the engine plus sessions scoped to one action each."""

    def __init__(self, url: str | None = None, *, echo: bool = False,
                 busy_timeout_ms: int | None = None, centre: str | None = None,
                 create: bool = True) -> None:
        """``create=False``: an SQLite file that does not exist is refused (DatabaseMissing)
        before anything, its folder included, is made. The command line and the desk pass
        it everywhere but where a database is made on purpose (init, demo, first run)."""
        self.url = resolve_url(url)
        check_url(self.url)
        self.may_create = create
        self.busy_timeout_ms = (SQLITE_BUSY_TIMEOUT_MS if busy_timeout_ms is None
                                else busy_timeout_ms)
        self.is_sqlite = make_url(self.url).get_backend_name() == "sqlite"
        # The centre's code (lower case) and schema on a town database; None: public schema.
        self.centre = centre.strip().lower() if centre and centre.strip() else None
        self.schema: str | None = None
        if self.centre is not None:
            if self.is_sqlite:
                raise DatabaseError(tr(
                    "SQLite 数据库文件只属于一个中心，不能用 --centre / FRONTDESK_CENTRE "
                    "选择中心（{code}）。多个中心共用一个数据库需要 PostgreSQL。",
                    code=self.centre))
            self.schema = centre_schema(self.centre)
        if not create:
            require_existing(self.url)
        self.engine = self._create_engine(echo)
        writer = self.engine.execution_options(frontdesk_begin="IMMEDIATE")
        self._write_sessions = sessionmaker(writer, expire_on_commit=False)
        self._read_sessions = sessionmaker(self.engine, expire_on_commit=False)

    def _create_engine(self, echo: bool) -> Engine:
        if self.is_sqlite:
            path = self.sqlite_path
            if path is not None and self.may_create:
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:  # a read-only drive, no rights, a file in the way
                    raise DatabaseError(tr("无法打开数据库文件：{where}。请检查路径和权限。",
                                           where=str(path))) from exc
            engine = create_engine(
                self.url, echo=echo, connect_args={"timeout": self.busy_timeout_ms / 1000}
            )
            event.listen(engine, "connect",
                         partial(_on_sqlite_connect, busy_timeout_ms=self.busy_timeout_ms))
            event.listen(engine, "begin", _on_sqlite_begin)
            return engine
        engine = create_engine(self.url, echo=echo, pool_pre_ping=True)
        if self.schema is not None:
            # insert=True: before the dialect's first-connect set-up, so its default
            # schema (used by reflection and Alembic) is the centre's too.
            event.listen(engine, "connect", partial(_on_pg_connect, schema=self.schema),
                         insert=True)
        return engine

    @property
    def sqlite_path(self) -> Path | None:
        """The SQLite file, or None for other databases and in-memory SQLite."""
        return sqlite_file(self.url)

    @property
    def display_url(self) -> str:
        shown = display_url(self.url)
        return f"{shown} [{self.centre}]" if self.centre else shown

    @contextmanager
    def session(self, *, write: bool = True) -> Iterator[Session]:
        """One transaction: commit if the block succeeds, roll back if it raises."""
        factory = self._write_sessions if write else self._read_sessions
        session = factory()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def write(self, work: Callable[[Session], T], *, attempts: int = WRITE_ATTEMPTS) -> T:
        """Run ``work(session)`` in one write transaction, retried briefly while locked.

        The busy timeout already waits for another desk's write; this covers the rare
        SQLite "database is locked" that still gets through. After the last attempt the
        user gets a DatabaseError in plain words, never a crash.
        """
        for attempt in range(1, attempts + 1):
            try:
                with self.session() as session:
                    return work(session)
            except sa_exc.OperationalError as exc:
                if not is_locked_error(exc) or attempt == attempts:
                    raise explain_database_error(exc, self.display_url) from exc
                time.sleep(RETRY_PAUSE_S * attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def read(self) -> Any:
        """A read-only transaction (no write lock is taken on SQLite)."""
        return self.session(write=False)

    def check(self) -> None:
        """Connect once and turn the usual failures into messages a user can act on."""
        path = self.sqlite_path
        if path is not None and path.exists() and not (
                os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
            raise DatabaseError(_read_only_message(self.display_url))
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
                if self.is_sqlite:
                    conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
        except sa_exc.DBAPIError as exc:
            raise explain_database_error(exc, self.display_url) from exc

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def is_locked_error(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite's "database is locked / busy" (worth trying again)."""
    detail = str(getattr(exc, "orig", exc)).lower()
    return "database is locked" in detail or "database is busy" in detail


def explain_database_error(exc: BaseException, where: str) -> DatabaseError:
    """A user-facing DatabaseError for a low-level failure opening ``where``."""
    detail = str(getattr(exc, "orig", exc)).lower()
    if "readonly" in detail or "read-only" in detail or "read only" in detail:
        msg = _read_only_message(where)
    elif "not a database" in detail or "malformed" in detail or "corrupt" in detail:
        msg = tr("数据库文件已损坏或不是 frontdesk 的数据库：{where}。"
                 "请从备份恢复，或联系管理员。原文件未被改动。", where=where)
    elif "unable to open" in detail:
        msg = tr("无法打开数据库文件：{where}。请检查路径和权限。", where=where)
    elif "disk is full" in detail or "disk full" in detail or "no space left" in detail:
        msg = tr("磁盘空间已满，无法写入数据库：{where}。请清理磁盘后再试，已保存的数据不受影响。",
                 where=where)
    elif "locked" in detail or "busy" in detail:
        msg = tr("数据库正忙（另一台电脑或程序正在写入），请稍后再试。")
    elif "connection" in detail or "connect" in detail or "resolve" in detail:
        msg = tr("无法连接数据库服务器：{where}。请检查网络和服务器是否开启。", where=where)
    elif "password" in detail or "authentication" in detail:
        msg = tr("数据库用户名或密码错误：{where}。", where=where)
    else:
        msg = tr("数据库出错：{detail}", detail=str(getattr(exc, "orig", exc))[:300])
    return DatabaseError(msg)


def _read_only_message(where: str) -> str:
    return tr("数据库文件是只读的，无法写入：{where}。请检查文件权限或换一个位置。", where=where)
