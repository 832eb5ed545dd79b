"""The log file: rotation, and the faults a desk PC meets — a log folder deleted while the
program runs, a read-only folder, a disk that fills while the log rotates. The program
never stops for its log: the user is told once, in one line, and writing resumes by itself.

The read-only folder and the full disk are real: small tmpfs mounts (skipped where mount is
not permitted), as tests/reliability/test_disk_full.py does for the database.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from frontdesk.core import log


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """What the log tells the user (the announcer); the log is closed afterwards."""
    lines: list[str] = []
    log.set_announcer(lines.append)
    yield lines
    log.set_announcer(None)
    log.close()


def _mount(tmp_path: Path, name: str, options: str) -> Path:
    point = tmp_path / name
    point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    return point


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 200 KB tmpfs, unmounted afterwards."""
    point = _mount(tmp_path, "disk", "size=200k")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """A read-only file system (root ignores chmod; a read-only mount it cannot ignore)."""
    point = _mount(tmp_path, "ro", "ro,size=100k")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


def _records(n: int, size: int = 150) -> None:
    for i in range(n):
        log.logger.info("record %05d %s", i, "记" * (size // 3))


def test_the_log_rotates_at_its_size_keeping_n_files_of_utf8(tmp_path: Path,
                                                               told: list[str]) -> None:
    handler = log.setup("INFO", folder=tmp_path / "logs", max_bytes=4000, backup_count=2)
    assert not handler.path.exists()  # opened at the first record, not at set-up
    _records(200)
    names = sorted(p.name for p in (tmp_path / "logs").iterdir())
    assert names == ["frontdesk.log", "frontdesk.log.1", "frontdesk.log.2"]
    for path in (tmp_path / "logs").iterdir():
        assert path.stat().st_size <= 4000
        text = path.read_text(encoding="utf-8")  # whole UTF-8 records, Chinese intact
        assert all(" INFO " in line and line.endswith("记") for line in text.splitlines())
    assert "record 00199" in handler.path.read_text(encoding="utf-8")
    assert told == []


def test_the_level_comes_from_the_argument_else_the_environment(
        tmp_path: Path, told: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(log.LEVEL_ENV, "warning")
    log.setup(None, folder=tmp_path / "a")
    assert logging.getLogger().level == logging.WARNING
    log.setup("debug", folder=tmp_path / "a")
    assert logging.getLogger().level == logging.DEBUG
    monkeypatch.setenv(log.LEVEL_ENV, "loud")  # not a level: the default
    log.setup(None, folder=tmp_path / "a")
    assert logging.getLogger().level == logging.INFO
    assert log.parse_level("Warn") == "WARNING" and log.parse_level("x") is None


def test_a_log_folder_deleted_while_running_comes_back(tmp_path: Path,
                                                       told: list[str]) -> None:
    handler = log.setup("INFO", folder=tmp_path / "logs")
    log.logger.info("before")
    shutil.rmtree(tmp_path / "logs")
    log.logger.info("after the folder was deleted")
    assert handler.path.read_text(encoding="utf-8").count("after the folder was deleted") == 1
    handler.path.unlink()  # the file alone, too
    log.logger.info("after the file was deleted")
    assert "after the file was deleted" in handler.path.read_text(encoding="utf-8")
    assert told == [] and handler.problem == ""


def test_a_read_only_folder_is_told_once_and_the_program_goes_on(
        read_only: Path, told: list[str], capfd: pytest.CaptureFixture[str]) -> None:
    handler = log.setup("INFO", folder=read_only / "logs")
    _records(30)
    log.logger.error("an error nobody can write down", exc_info=RuntimeError("x"))
    assert len(told) == 1, told
    assert "日志文件夹不能写入" in told[0] and "程序照常运行" in told[0]
    assert str(read_only) in told[0]
    assert handler.problem == told[0] and log.where() == told[0]
    assert capfd.readouterr().err == ""  # no "--- Logging error ---" tracebacks


def test_a_disk_that_fills_while_the_log_rotates(small_disk: Path, told: list[str]) -> None:
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (150 * 1024))  # ~50 KB left for the log
    handler = log.setup("INFO", folder=small_disk / "logs", max_bytes=20_000, backup_count=3)
    _records(800)  # ~120 KB of records: rotation fills the disk
    assert len(told) == 1, told
    assert "磁盘已满" in told[0] and "程序照常运行" in told[0]
    assert handler.problem == told[0]
    assert (small_disk / "logs" / "frontdesk.log.1").exists()  # it rotated on the way
    filler.unlink()  # room again: the log resumes by itself, and says it was away
    log.logger.info("after the disk was cleared")
    text = handler.path.read_text(encoding="utf-8")
    assert "after the disk was cleared" in text and "the log is written again" in text
    assert handler.problem == ""
    for path in (small_disk / "logs").iterdir():  # records whole, one per line
        for line in path.read_text(encoding="utf-8").splitlines():
            assert line == "" or line.startswith("20"), line
    assert len(told) == 1


def test_uncaught_errors_and_hard_crashes_reach_the_log(tmp_path: Path) -> None:
    """A real process: install_hooks as ``frontdesk`` does; a thread's uncaught error, then
    an uncaught error in the main thread, then (another process) a segmentation fault."""
    env = {"FRONTDESK_HOME": str(tmp_path / "home"), "PYTHONPATH": str(Path.cwd()),
           "PATH": "/usr/bin:/bin"}
    code = (
        "import threading\n"
        "from frontdesk.core import log\n"
        "log.setup(); log.install_hooks()\n"
        "t = threading.Thread(target=lambda: 1 / 0, name='printer'); t.start(); t.join()\n"
        "raise LookupError('uncaught in main')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, encoding="utf-8", check=False)
    logged = (tmp_path / "home" / "logs" / "frontdesk.log").read_text(encoding="utf-8")
    assert "unexpected error in thread printer" in logged and "ZeroDivisionError" in logged
    assert "LookupError: uncaught in main" in logged
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"程序出错：LookupError。详情已记入日志：{tmp_path / 'home' / 'logs' / 'frontdesk.log'}"]

    crash = ("from frontdesk.core import log\n"
             "log.setup(); log.install_hooks()\n"
             "import faulthandler; faulthandler._sigsegv()\n")
    done = subprocess.run([sys.executable, "-c", crash], env=env, capture_output=True,
                          text=True, check=False)
    assert done.returncode != 0
    dump = (tmp_path / "home" / "logs" / "crash.log").read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in dump
