"""File paths with Chinese characters and spaces, as on a centre's PC
(``C:\\Users\\社工 王\\…``): the real program, run as a user runs it, from another folder.

A day's work through the command line: init, residents import, a check-in, the day close,
the export to a "USB stick", the town's merge of it, a backup and a restore; then the desk
itself starts offscreen on the same database. The day is the pinned one (conftest NOW): each
command's clock starts a minute after the last one's, as through a working morning.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from frontdesk.app import PAGE_READY_MARK, STARTUP_MARK, STARTUP_PROBE_ENV
from frontdesk.core.db import Database, resolve_url, sqlite_file
from tests.conftest import NOW
from tests.helpers.moved_clock import frontdesk_command

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.sqlite_only  # paths of SQLite files and backups


class Desk:
    """The `frontdesk` command for one user whose folders have Chinese names with spaces."""

    def __init__(self, root: Path) -> None:
        self.user = root / "社工 王"
        self.home = self.user / "AppData 本地" / "邻里 前台"  # FRONTDESK_HOME
        self.db = self.user / "数据 文件夹" / "前台.sqlite3"
        self.work = self.user / "我的 文档"
        self.elsewhere = root / "别的 文件夹"  # the current folder: nothing relative to it
        for folder in (self.work, self.elsewhere):
            folder.mkdir(parents=True)
        self.at = NOW  # when the next command starts, by its clock

    def run(self, *args: str, probe: bool = False) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "FRONTDESK_HOME": str(self.home), "PYTHONPATH": str(REPO),
               "QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "cp936"}
        env.pop("FRONTDESK_DB", None)
        if probe:
            env[STARTUP_PROBE_ENV] = "1"
        command = frontdesk_command(self.at, "--db", str(self.db), *args)
        self.at += dt.timedelta(minutes=1)
        return subprocess.run(command, capture_output=True, text=True, encoding="utf-8", env=env,
                              cwd=self.elsewhere, timeout=300)

    def ok(self, *args: str) -> str:
        done = self.run(*args)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr
        return done.stdout


def test_a_days_work_in_folders_with_chinese_names_and_spaces(tmp_path: Path) -> None:
    desk = Desk(tmp_path)
    password = desk.work / "管理员 密码.txt"
    password.write_text("pass-1234\n", encoding="utf-8")
    desk.ok("init", "--centre-name", "青阳 邻里中心", "--centre-code", "QY01", "--town", "青阳街道",
            "--admin", "boss", "--password-file", str(password))
    assert desk.db.read_bytes()[:16] == b"SQLite format 3\x00"

    residents = desk.work / "居民 名单（2026）.csv"
    residents.write_text("姓名,联系电话\n𠮷田花子,13905951234\n", encoding="utf-8-sig")
    desk.ok("--operator", "boss", "residents", "import", str(residents))
    found = json.loads(desk.ok("residents", "find", "13905951234", "--json"))
    assert [r["name"] for r in found] == ["𠮷田花子"]

    visit = json.loads(desk.ok("--operator", "boss", "checkin", found[0]["card_code"],
                               "--purpose", "党建活动", "--json"))
    assert visit["name"] == "𠮷田花子"
    day = visit["business_date"]  # the program's own today: the commands' clock's
    assert day == NOW.date().isoformat()

    # the close lists its reminders; acknowledged, it closes and backs up beside the data
    first = desk.run("--operator", "boss", "close", "--date", day)
    acks = re.findall(r"\[([a-z_.]+)\]", first.stderr)
    assert first.returncode == 1 and acks, first.stderr
    closed = desk.ok("--operator", "boss", "close", "--date", day,
                     *[arg for code in acks for arg in ("--ack", code)])
    backups = desk.home / "backups"
    assert str(backups) in closed

    stick = desk.user / "U 盘 (E)" / "日结 数据"
    stick.mkdir(parents=True)
    package = Path(desk.ok("--operator", "boss", "export", "--date", day, "--out",
                           str(stick)).strip().splitlines()[-1])
    assert package.parent == stick and package.is_file()
    with zipfile.ZipFile(package) as archive:
        assert archive.testzip() is None
    town = desk.user / "镇 汇总" / "汇总 表.xlsx"
    town.parent.mkdir()
    merged = desk.run("town", "merge", str(stick), "--out", str(town))  # checks the checksums
    assert merged.returncode == 0, merged.stderr
    assert town.read_bytes()[:2] == b"PK"

    made = desk.ok("backup")
    manual = next(backups.glob("*-manual.sqlite3"))
    assert str(manual) in made and manual.name.startswith("前台-")
    # a resident added later, then the backup taken before is restored
    more = desk.work / "补充 名单.csv"
    more.write_text("姓名,联系电话\n单田芳,13905955678\n", encoding="utf-8-sig")
    desk.ok("--operator", "boss", "residents", "import", str(more))
    desk.ok("--operator", "boss", "restore", str(manual), "--yes")
    db = Database(str(desk.db), create=False)
    try:
        with db.read() as session:
            from sqlalchemy import text

            names = session.execute(text("SELECT name FROM resident")).scalars().all()
    finally:
        db.dispose()
    assert names == ["𠮷田花子"]

    # the desk starts on the same database, window shown and first page filled
    started = desk.run(probe=True)
    assert started.returncode == 0, started.stderr
    assert STARTUP_MARK in started.stdout and PAGE_READY_MARK in started.stdout
    shot = desk.work / "截图 文件夹" / "签到 页.png"
    desk.ok("--operator", "boss", "screenshot", "checkin", str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # nothing was written relative to the current folder
    assert list(desk.elsewhere.iterdir()) == []


@pytest.mark.parametrize("folder", ["备份#1 100%", "a%20b 文件夹", "数据(旧) & 新"])
def test_folder_names_with_url_characters_name_exactly_that_file(tmp_path: Path,
                                                                  folder: str) -> None:
    """``#`` and ``%`` are allowed in Windows folder names; a database URL or an SQLite URI
    built by pasting the path in would name another file."""
    from frontdesk.core.backup import backup_database, restore_database
    from frontdesk.core.migrate import open_database

    target = tmp_path / folder / "前台.sqlite3"
    assert sqlite_file(resolve_url(str(target))) == target
    db = open_database(str(target))
    try:
        assert db.sqlite_path == target and target.is_file()
        saved = backup_database(db, reason="manual", dest_dir=tmp_path / folder / "备份")
        restore_database(db, saved, dest_dir=tmp_path / folder / "备份")
    finally:
        db.dispose()
    # no file under a cut-off or decoded name beside it
    assert [p.name for p in tmp_path.iterdir()] == [folder]
    assert {p.name for p in (tmp_path / folder).iterdir()} <= {
        "前台.sqlite3", "前台.sqlite3-wal", "前台.sqlite3-shm", "备份"}
    assert len(list((tmp_path / folder / "备份").glob("前台-*-pre-restore.sqlite3"))) == 1
