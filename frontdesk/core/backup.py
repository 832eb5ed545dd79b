"""Database backups and restores.

SQLite: the online backup API (a consistent copy while desks keep working), rotated to
keep the newest N (setting ``backup.keep``). PostgreSQL: ``pg_dump -Fc`` / ``pg_restore``
when they are installed, of a version no older than the server's (found as
:mod:`frontdesk.core.pgtools` says, on Linux and Windows). Taken automatically at
start (before migrations) and at day close;
by hand from 设置 → 备份与恢复 or ``frontdesk backup`` / ``frontdesk restore FILE``.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from frontdesk.core.actor import Actor
from frontdesk.core.clock import Clock
from frontdesk.core.db import Database, quote_ident
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr
from frontdesk.core.paths import backup_dir

DEFAULT_KEEP = 10
SQLITE_SUFFIX = ".sqlite3"
PG_SUFFIX = ".pgdump"
SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class BackupFile:
    """One backup on disk, as the 备份与恢复 tab lists it."""

    path: Path
    taken_at: dt.datetime
    size_bytes: int
    reason: str


def backup_database(db: Database, *, reason: str, dest_dir: Path | None = None,
                    keep: int = DEFAULT_KEEP) -> Path:
    """Copy the database to a timestamped file (rotating to ``keep``); returns its path."""
    dest_dir = dest_dir or backup_dir()
    _make_folder(dest_dir)
    source = db.sqlite_path
    if source is None:
        if db.is_sqlite:
            raise RuleError(tr("内存数据库无法备份。"))
        target = _new_name(dest_dir, _pg_stem(db), reason, PG_SUFFIX)
        _pg_dump(db, target)
        rotate(dest_dir, _pg_stem(db), keep, PG_SUFFIX)
        return target
    target = _new_name(dest_dir, source.stem, reason, SQLITE_SUFFIX)
    partial = target.with_suffix(".partial")
    try:
        src = sqlite3.connect(source)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)  # never leave a half copy that looks like a backup
        raise RuleError(tr("备份失败：{detail}。数据库本身未受影响。", detail=str(exc))) from exc
    partial.replace(target)  # a complete file appears under its final name, or none does
    rotate(dest_dir, source.stem, keep)
    return target


def _new_name(dest_dir: Path, stem: str, reason: str, suffix: str) -> Path:
    """``STEM-YYYYMMDD-HHMMSS-ffffff-REASON.SUFFIX`` at the wall time in the centre's time zone
    (names sort by it, and 备份与恢复 shows it), a microsecond later while another backup of
    this database has that stamp already: a coarse clock (15.6 ms steps on some Windows PCs)
    or one standing still must not let a backup replace the one taken just before."""
    moment = Clock().now()
    taken = {p.name for p in dest_dir.iterdir()}
    while True:
        prefix = f"{stem}-{moment:%Y%m%d-%H%M%S-%f}-"
        if not any(name.startswith(prefix) for name in taken):
            return dest_dir / f"{prefix}{reason}{suffix}"
        moment += dt.timedelta(microseconds=1)


def _make_folder(folder: Path) -> None:
    """The backup folder, made if missing; a file in its place is refused in words."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise RuleError(tr("备份位置“{path}”是一个文件，不是文件夹。请换一个文件夹。"
                           "数据库本身未受影响。", path=str(folder))) from None
    except OSError as exc:
        raise RuleError(tr("无法创建备份文件夹“{path}”：{reason}。数据库本身未受影响。",
                           path=str(folder), reason=exc.strerror or exc)) from None


def rotate(dest_dir: Path, stem: str, keep: int, suffix: str = SQLITE_SUFFIX) -> None:
    """Delete all but the newest ``keep`` backups of ``stem``."""
    backups = sorted(dest_dir.glob(f"{stem}-*{suffix}"), key=lambda p: p.name)
    for old in backups[:-keep] if keep > 0 else []:
        old.unlink(missing_ok=True)


def list_backups(db: Database, dest_dir: Path | None = None) -> list[BackupFile]:
    """This database's backups in the backup folder, newest first."""
    dest_dir = dest_dir or backup_dir()
    if db.sqlite_path is not None:
        stem, suffix = db.sqlite_path.stem, SQLITE_SUFFIX
    else:
        stem, suffix = _pg_stem(db), PG_SUFFIX
    found = []
    for path in sorted(dest_dir.glob(f"{stem}-*{suffix}"), key=lambda p: p.name, reverse=True):
        rest = path.name[len(stem) + 1:-len(suffix)]  # 20261122-100000-000000-reason
        parts = rest.split("-", 3)
        try:
            taken = dt.datetime.strptime("-".join(parts[:3]), "%Y%m%d-%H%M%S-%f")
        except ValueError:
            continue  # not one of ours
        found.append(BackupFile(path, taken, path.stat().st_size, parts[3] if len(parts) > 3
                                else ""))
    return found


def keep_setting(db: Database) -> int:
    """The ``backup.keep`` setting, or the default when the database cannot say yet."""
    try:
        from frontdesk.core import settings

        with db.read() as session:
            return int(settings.get(session, "backup.keep"))
    except Exception:  # a new or old schema: rotation must not stop the program starting
        return DEFAULT_KEEP


def backup_at_start(db: Database) -> Path | None:
    """The start-up backup, taken before migrations; None when there is nothing to save.

    PostgreSQL is backed up only when pg_dump is on PATH (the town's server is usually
    backed up by its own administrator).
    """
    path = db.sqlite_path
    if path is not None:
        if not path.is_file() or _magic(path, len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            return None  # nothing yet, or not a database: opening it will explain
    elif db.is_sqlite or not pg_tools_available():
        return None
    return backup_database(db, reason="start", keep=keep_setting(db))


# -- restore ---------------------------------------------------------------------------------

def check_backup_file(file: Path) -> set[str]:
    """Refuse a file that is not a frontdesk SQLite database or comes from a newer program.

    Returns the schema revisions the file holds.
    """
    from frontdesk.core.migrate import known_revisions

    if not file.is_file():
        raise RuleError(tr("找不到备份文件：{path}", path=str(file)))
    if _magic(file, len(SQLITE_MAGIC)) != SQLITE_MAGIC:
        raise RuleError(tr("“{name}”不是 frontdesk 的数据库备份，不能恢复。", name=file.name))
    try:
        conn = sqlite3.connect(_read_only_uri(file), uri=True)
        try:
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise RuleError(tr("备份文件“{name}”已损坏，不能恢复。", name=file.name))
            revisions = {r[0] for r in conn.execute("SELECT version_num FROM alembic_version")}
            conn.execute("SELECT count(*) FROM operator").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise RuleError(tr("“{name}”不是 frontdesk 的数据库备份，不能恢复。", name=file.name)
                        ) from exc
    unknown = revisions - known_revisions()
    if unknown or not revisions:
        raise RuleError(tr("备份“{name}”来自更新版本的 frontdesk（版本 {rev}），"
                           "请先升级程序。当前数据库未被改动。", name=file.name,
                           rev=", ".join(sorted(unknown)) or "?"))
    return revisions


def _read_only_uri(file: Path) -> str:
    """An SQLite URI opening ``file`` read-only. Path.as_uri() percent-encodes it, so a folder
    named like ``备份#1 100%`` works, and gives Windows' form (``file:///C:/Users/...``)."""
    return f"{Path(file).resolve().as_uri()}?mode=ro"


def _magic(file: Path, size: int) -> bytes:
    with file.open("rb") as fh:
        return fh.read(size)


def restore_database(db: Database, file: Path, *, actor: Actor | None = None,
                     dest_dir: Path | None = None) -> Path:
    """Replace the database's content with backup ``file``; returns the safety copy taken first.

    Admins only when an ``actor`` is given (the GUI); the restore is then audited in the
    restored database. The current database is backed up (reason ``pre-restore``) before
    anything changes; the restored content is brought up to this program's schema. Pooled
    connections are closed, so the same Database object goes on working with the new data.
    """
    file = Path(file)
    if actor is not None:
        actor.require_admin()
    if db.sqlite_path is None:
        if db.is_sqlite:
            raise RuleError(tr("内存数据库无法恢复。"))
        safety = _pg_restore(db, file, dest_dir)
    else:
        safety = _sqlite_restore(db, file, dest_dir)
    if actor is not None:
        from frontdesk.core import audit
        from frontdesk.core.operators import actor_for, get_operator

        with db.session() as session:
            try:  # the operator as the restored database knows them
                who = actor_for(get_operator(session, actor.username), actor.clock)
            except RuleError:
                who = actor
            audit.record(session, who, "backup.restore", "database", None,
                         f"restored {file.name}; previous content saved as {safety.name}")
    return safety


def _sqlite_restore(db: Database, file: Path, dest_dir: Path | None) -> Path:
    assert db.sqlite_path is not None
    check_backup_file(file)
    if file.resolve() == db.sqlite_path.resolve():
        raise RuleError(tr("不能用数据库文件本身来恢复。"))
    safety = backup_database(db, reason="pre-restore", dest_dir=dest_dir, keep=10_000)
    db.dispose()
    try:
        src = sqlite3.connect(_read_only_uri(file), uri=True)
        try:
            dst = sqlite3.connect(db.sqlite_path, timeout=db.busy_timeout_ms / 1000)
            try:
                src.backup(dst)  # page by page inside one write transaction: all or nothing
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise RuleError(tr("恢复失败：{detail}。当前数据库未被改动，恢复前的副本在 {path}。",
                           detail=str(exc), path=str(safety))) from exc
    _after_restore(db)
    return safety


def _after_restore(db: Database) -> None:
    from frontdesk.core.migrate import upgrade
    from frontdesk.residents.search import forget_indexes

    db.dispose()
    upgrade(db, backup=False)  # an older backup: bring it to this program's schema
    forget_indexes()


# -- PostgreSQL ------------------------------------------------------------------------------

def _pg_stem(db: Database) -> str:
    stem = f"pg-{make_url(db.url).database or 'frontdesk'}"
    return f"{stem}-{db.centre}" if db.centre else stem


def _schema_options(db: Database, *, pattern: bool = True) -> list[str]:
    """A centre on a town database: only its own schema.

    pg_dump's ``-n`` takes a pattern (quoted, so ``-`` and case are literal); pg_restore's
    takes the plain name.
    """
    if not db.schema:
        return []
    return ["-n", quote_ident(db.schema) if pattern else db.schema]


def _libpq_url(db: Database) -> str:
    return make_url(db.url).set(drivername="postgresql").render_as_string(hide_password=False)


def _server_major(db: Database) -> int | None:
    """The PostgreSQL server's major version (15 for 15.8), or None if it cannot be asked."""
    try:
        with db.engine.connect() as conn:
            number = conn.exec_driver_sql("SHOW server_version_num").scalar()
        return int(str(number)) // 10000
    except Exception:  # pg_dump itself will then say what is wrong with the connection
        return None


def pg_tools_available() -> bool:
    """Whether pg_dump can be found at all (a PostgreSQL database is then backed up here)."""
    from frontdesk.core.pgtools import candidates

    return bool(candidates("pg_dump"))


def _pg_tool(name: str, db: Database) -> str:
    """``name`` (pg_dump, pg_restore) of a version that can work with the database's server,
    looked for as :mod:`frontdesk.core.pgtools` says (PATH, Program Files, Debian, a folder
    chosen for this PC). pg_dump refuses a server newer than itself, so an older tool is
    refused here with what to install instead."""
    from frontdesk.core.pgtools import pick

    return pick(name, _server_major(db))


def _pg_dump(db: Database, target: Path) -> None:
    partial = target.with_suffix(".partial")
    done = subprocess.run([_pg_tool("pg_dump", db), "-Fc", *_schema_options(db), "-f",
                           str(partial), _libpq_url(db)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        raise RuleError(tr("备份失败：{detail}。数据库本身未受影响。",
                           detail=done.stderr.strip()[:300]))
    partial.replace(target)


def _check_centre_dump(db: Database, file: Path) -> None:
    """A centre restores only its own schema's backup (never another centre's)."""
    listing = subprocess.run([_pg_tool("pg_restore", db), "-l", str(file)], capture_output=True,
                             text=True, check=False)
    schemas = {line.split()[-2] for line in listing.stdout.splitlines()
               if " SCHEMA - " in line and len(line.split()) >= 2}
    if db.schema not in schemas:
        raise RuleError(tr("“{name}”不是中心 {code} 的备份（备份里的 schema：{found}），"
                           "不能恢复到这个中心。", name=file.name, code=db.centre or "",
                           found="、".join(sorted(schemas)) or "-"))


def _pg_restore(db: Database, file: Path, dest_dir: Path | None) -> Path:
    if not file.is_file() or _magic(file, 5) != b"PGDMP":
        raise RuleError(tr("“{name}”不是 frontdesk 的数据库备份，不能恢复。", name=file.name))
    if db.schema:
        _check_centre_dump(db, file)
    safety = backup_database(db, reason="pre-restore", dest_dir=dest_dir, keep=10_000)
    db.dispose()
    done = subprocess.run([_pg_tool("pg_restore", db), "--clean", "--if-exists", "--no-owner",
                           "--single-transaction", *_schema_options(db, pattern=False),
                           "-d", _libpq_url(db), str(file)],
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "PGOPTIONS": "-c client_min_messages=warning"})
    if done.returncode != 0:
        raise RuleError(tr("恢复失败：{detail}。当前数据库未被改动，恢复前的副本在 {path}。",
                           detail=done.stderr.strip()[:300], path=str(safety)))
    _after_restore(db)
    return safety
