"""Databases are made only on purpose: init, demo, town init and the first start.

Every other command on an SQLite file that does not exist says so in one line (the path,
how to make one), exits 1 and makes nothing: not the file, not its folder, no -wal.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from frontdesk.cli import main
from frontdesk.core.db import Database, missing_folders, remove_new_database
from frontdesk.core.errors import DatabaseMissing
from frontdesk.core.migrate import open_database

REPO = Path(__file__).resolve().parents[2]
SQLITE_MAGIC = b"SQLite format 3\x00"

DAY = "2026-11-22"
# Commands that read or change an existing database, with arguments that parse.
COMMANDS = [
    ["residents", "find", "王"],
    ["checkin", "C0001"],
    ["canteen", "issue", "C0001"],
    ["print-test"],
    ["sheet", "attendance", "--date", DAY, "--pdf", "OUT/x.pdf"],
    ["rooms", "list", "--from", DAY, "--to", DAY],
    ["close", "--date", DAY],
    ["export", "--date", DAY, "--out", "OUT"],
    ["backup"],
    ["backup", "--list"],
    ["restore", "BACKUP", "--yes"],
    ["screenshot", "audit", "OUT/x.png"],
    ["screenshot", "login", "OUT/x.png"],
]


def _fill(argv: list[str], tmp_path: Path) -> list[str]:
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    backup = tmp_path / "a-backup.sqlite3"
    backup.write_bytes(b"")
    return [str(out) if a == "OUT" else str(out / a[4:]) if a.startswith("OUT/")
            else str(backup) if a == "BACKUP" else a for a in argv]


def _tree(folder: Path) -> list[str]:
    """What is in ``folder``, less the data folder's log (FRONTDESK_HOME=tmp_path/home in
    the tests): the program notes a refusal there, which is no database made."""
    log = {"home", "home/logs", "home/logs/frontdesk.log", "home/logs/crash.log"}
    return sorted(n for n in (str(p.relative_to(folder)) for p in folder.rglob("*"))
                  if n not in log)


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda argv: " ".join(argv[:2]))
def test_a_command_on_a_missing_file_says_so_and_makes_nothing(
        argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    place = tmp_path / "没有 这个" / "文件夹"
    target = place / "前台.sqlite3"
    before = _tree(tmp_path)
    assert main(["--db", str(target), "--operator", "admin", *_fill(argv, tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err  # one line
    assert f"找不到数据库文件：{target}" in err and "frontdesk init" in err
    assert not (tmp_path / "没有 这个").exists()
    after = set(_tree(tmp_path)) - set(before)
    assert after <= {"out", "a-backup.sqlite3"}, after


def test_the_message_is_in_the_users_language(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "typo.sqlite3"
    assert main(["--lang", "en", "--db", str(target), "residents", "find", "王"]) == 1
    err = capsys.readouterr().err
    assert f"Database file not found: {target}." in err and "frontdesk init" in err
    assert not target.exists()


def test_a_mistyped_db_from_the_environment_or_none_makes_no_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The file named ``None`` a test once left in the repository: str(None) as --db."""
    monkeypatch.chdir(tmp_path)
    assert main(["--db", str(None), "residents", "find", "王"]) == 1
    assert f"找不到数据库文件：{tmp_path / 'None'}" in capsys.readouterr().err
    monkeypatch.setenv("FRONTDESK_DB", str(tmp_path / "envtypo.sqlite3"))
    assert main(["checkin", "C0001"]) == 1
    assert "envtypo.sqlite3" in capsys.readouterr().err
    assert _tree(tmp_path) == []


def test_the_default_database_is_not_made_by_a_read_command(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # FRONTDESK_HOME is tmp_path/home (conftest): a fresh PC, nothing set up yet.
    assert main(["residents", "find", "王"]) == 1
    assert "frontdesk.sqlite3" in capsys.readouterr().err
    assert not (tmp_path / "home" / "frontdesk.sqlite3").exists()


def test_init_makes_the_database_and_its_folders(tmp_path: Path) -> None:
    password = tmp_path / "pw.txt"
    password.write_text("s3cret-pass", encoding="utf-8")
    target = tmp_path / "新 文件夹" / "下一层" / "c.sqlite3"
    assert main(["--db", str(target), "init", "--centre-name", "新中心", "--centre-code", "N1",
                 "--town", "某镇", "--admin", "boss", "--password-file", str(password)]) == 0
    assert target.read_bytes()[:16] == SQLITE_MAGIC
    # once made, the other commands use it
    assert main(["--db", str(target), "backup", "--list"]) == 0


def test_town_init_on_a_missing_sqlite_file_asks_for_postgresql_and_makes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    password = tmp_path / "pw"
    password.write_text("town-secret", encoding="utf-8")
    target = tmp_path / "新" / "town.sqlite3"
    for argv in (["town", "init", "--town", "某镇", "--admin", "zhang", "--password-file",
                  str(password)], ["town", "centres"]):
        assert main(["--db", str(target), *argv]) == 1
        assert "需要 PostgreSQL" in capsys.readouterr().err
    assert not (tmp_path / "新").exists()


def test_the_database_layer_refuses_only_when_asked(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b.sqlite3"
    with pytest.raises(DatabaseMissing, match="找不到数据库文件"):
        Database(f"sqlite:///{target}", create=False)
    with pytest.raises(DatabaseMissing):
        open_database(str(target), create=False)
    assert not (tmp_path / "a").exists()
    made = open_database(str(target))  # the default (services, tests): makes it
    made.dispose()
    assert target.is_file()
    again = Database(str(target), create=False)  # an existing file is fine
    again.check()
    again.dispose()
    memory = Database("sqlite://", create=False)  # nothing on disk to miss
    memory.check()
    memory.dispose()


def test_a_new_database_is_taken_back_with_the_folders_it_made(tmp_path: Path) -> None:
    (tmp_path / "kept").mkdir()
    target = tmp_path / "kept" / "new 1" / "new 2" / "x.sqlite3"
    folders = missing_folders(target)
    assert folders == [target.parent, target.parent.parent]
    db = open_database(str(target))
    with db.read() as session:  # a WAL database in use has its -wal and -shm beside it
        session.connection()
        assert Path(f"{target}-wal").exists()
    db.dispose()
    remove_new_database(target, folders)
    assert _tree(tmp_path) == ["kept"]


def test_a_folder_that_got_other_files_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "new" / "x.sqlite3"
    folders = missing_folders(target)
    open_database(str(target)).dispose()
    (tmp_path / "new" / "notes.txt").write_text("mine", encoding="utf-8")
    remove_new_database(target, folders)
    assert _tree(tmp_path) == ["new", "new/notes.txt"]


def test_no_database_file_is_tracked_by_git() -> None:
    """A test run once committed an SQLite file (named ``None``): none may be tracked."""
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout (an unpacked sdist)")
    listed = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z"], capture_output=True,
                            check=True).stdout.decode("utf-8").split("\0")
    assert len(listed) > 100  # the listing really worked
    tracked_databases = []
    for name in filter(None, listed):
        path = REPO / name
        if path.is_file():
            with path.open("rb") as fh:
                if fh.read(16) == SQLITE_MAGIC:
                    tracked_databases.append(name)
    assert tracked_databases == []


def test_git_ignores_database_files() -> None:
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout (an unpacked sdist)")
    names = ["None", "x.sqlite3", "sub/x.sqlite3-wal", "y.sqlite3-shm", "z.sqlite",
             "z.sqlite-journal", "a.db", "a.db-wal"]
    done = subprocess.run(["git", "-C", str(REPO), "check-ignore", "--no-index", *names],
                          capture_output=True, text=True, check=False)
    assert sorted(done.stdout.split()) == sorted(names)


def test_a_real_subprocess_on_a_missing_file_exits_1_without_a_traceback(
        tmp_path: Path) -> None:
    target = tmp_path / "社工 王" / "数据 文件夹" / "前台.sqlite3"
    done = subprocess.run([sys.executable, "-m", "frontdesk", "--db", str(target), "backup"],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert done.returncode == 1
    assert done.stderr.strip().startswith("错误：找不到数据库文件")
    assert "Traceback" not in done.stderr
    assert _tree(tmp_path) == []


def test_every_command_and_the_start_up_say_whether_they_may_make_a_database() -> None:
    """Database() and open_database() make a missing SQLite file by default (services, tests,
    benchmarks); the command line and the desk's start-up must choose with ``create=``."""
    import ast

    package = REPO / "frontdesk"
    sources = [package / "cli.py", package / "app.py", *sorted(package.rglob("commands.py"))]
    undecided = []
    for source in sources:
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name in {"Database", "open_database"} and not any(
                    k.arg == "create" for k in node.keywords):
                undecided.append(f"{source.relative_to(REPO)}:{node.lineno}")
    assert len(sources) > 5
    assert undecided == []


def test_init_where_no_folder_can_be_made_says_so(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder", encoding="utf-8")
    password = tmp_path / "pw.txt"
    password.write_text("s3cret-pass", encoding="utf-8")
    target = blocker / "sub" / "c.sqlite3"
    assert main(["--db", str(target), "init", "--centre-name", "新中心", "--centre-code", "N1",
                 "--town", "某镇", "--admin", "boss", "--password-file", str(password)]) == 1
    assert f"无法打开数据库文件：{target}" in capsys.readouterr().err
