"""The command line under bad input and faults: one clear line in the user's language, the
documented exit code, nothing written half-way, never a traceback on screen.

Exit codes (README, Command line): 0 done, 1 refused or unexpected error, 2 bad usage,
130 interrupted (Ctrl-C), 141 output closed early. Real subprocesses for the unexpected
error, the closed pipe, Ctrl-C and the read-only data folder; the argument checks run
``main`` in-process.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from frontdesk.cli import EXIT_BROKEN_PIPE, EXIT_INTERRUPTED, main
from frontdesk.core.actor import Actor
from frontdesk.core.db import Database
from frontdesk.residents.models import Resident
from tests.residents.helpers import ric

pytestmark = pytest.mark.sqlite_only  # the CLI runs on the test's SQLite file


def _main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """Exit code and stderr of ``frontdesk ARGV`` run in-process (argparse's exit included)."""
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    return code, err


def _db_args(db: Database) -> list[str]:
    assert db.sqlite_path is not None
    return ["--db", str(db.sqlite_path), "--operator", "admin"]


# -- bad arguments: refused before any work, in words ------------------------------------------

@pytest.mark.parametrize(("argv", "words"), [
    (["rooms", "list", "--from", "2026-11-01", "--to", "2026-11-02", "--csv", "{dir}"],
     "是一个文件夹；请写要保存的文件名"),
    (["rooms", "report", "--month", "2026-11", "--xlsx", "{dir}"], "是一个文件夹"),
    (["checkin", "export", "--xlsx", "{dir}"], "是一个文件夹"),
    (["canteen", "claim", "--month", "2026-11", "--xlsx", "{file}/x.xlsx"],
     "是一个文件，不是文件夹，不能在里面保存“x.xlsx”"),
    (["sheet", "canteen", "--date", "2026-11-22", "--pdf", "{dir}"], "是一个文件夹"),
    (["reprint", "1", "--pdf", "{dir}"], "是一个文件夹"),
    (["screenshot", "checkin", "{dir}"], "是一个文件夹"),
    (["bench", "--json", "{dir}"], "是一个文件夹"),
    (["residents", "import", "{file}", "--report", "{dir}"], "是一个文件夹"),
    (["restore", "{dir}", "--yes"], "是一个文件夹；请写要读取的文件"),
    (["backup", "--dir", "{file}"], "是一个文件，不是文件夹；请写一个文件夹"),
    (["backup", "--dir", "{file}/sub"], "是一个文件，不是文件夹"),
    (["export", "--date", "2026-11-22", "--out", "{file}"], "是一个文件，不是文件夹"),
    (["print-test", "--pdf-dir", "{file}"], "是一个文件，不是文件夹"),
    (["town", "merge", "{dir}", "--out", "{dir}"], "是一个文件夹"),
    (["rooms", "add-room", "新室", "--max-hours", "nan"], "每次最长小时数应大于 0、不超过 24：nan"),
    (["rooms", "add-room", "新室", "--max-hours", "inf"], "每次最长小时数应大于 0、不超过 24：inf"),
    (["rooms", "add-room", "新室", "--max-hours", "-1"], "每次最长小时数应大于 0、不超过 24：-1"),
    (["rooms", "add-room", "新室", "--max-hours", "四"], "每次最长小时数应大于 0、不超过 24：四"),
    (["--log-level", "loud", "rooms", "rooms"], "日志级别应为"),
])
def test_bad_arguments_are_refused_in_words_with_exit_2(
        centre_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        argv: list[str], words: str) -> None:
    a_file = tmp_path / "a file.txt"
    a_file.write_text("x", encoding="utf-8")
    folder = tmp_path / "一个 文件夹"
    folder.mkdir()
    filled = [w.format(dir=folder, file=a_file) for w in argv]
    code, err = _main(capsys, *_db_args(centre_db), *filled)
    assert code == 2, err
    assert words in err, err
    assert err.strip().splitlines()[-1].count("error:") == 1  # argparse's one line at the end


def test_a_folder_to_import_is_refused_by_the_importer_with_exit_1(
        centre_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The importer (used by the GUI too) explains a folder itself: a refusal, exit 1."""
    code, err = _main(capsys, *_db_args(centre_db), "residents", "import", str(tmp_path))
    assert code == 1 and "是文件夹，不是文件" in err, err


def test_float_arguments_inside_services_refuse_nan_and_inf_too(
        centre_db: Database, admin: Actor, capsys: pytest.CaptureFixture[str]) -> None:
    """`volunteers award --hours` is checked by the service (the GUI uses it as well)."""
    from frontdesk.residents.service import ResidentForm, create_resident
    from frontdesk.volunteers import service as volunteers

    with centre_db.session() as session:
        resident = create_resident(session, admin, ResidentForm(name="志愿者甲"))
        volunteers.enroll(session, admin, resident.id)
        category = volunteers.create_category(session, admin, "助老", 1)
        volunteers.create_activity(session, admin, "陪伴长者", category)
    assert resident.card_code is not None
    for hours, words in (("nan", "服务时长必须大于 0 小时"), ("inf", "一天最多 24 小时"),
                         ("-2", "服务时长必须大于 0 小时"), ("1e309", "一天最多 24 小时")):
        code, err = _main(capsys, *_db_args(centre_db), "volunteers", "award",
                          resident.card_code, "--hours", hours, "--reason", "补录")
        assert code == 1 and words in err, err


def test_an_unsupported_database_is_refused_in_words(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    for url, words in (("mysql://u:secret@host/db", "不支持这种数据库：mysql://u:***@host/db"),
                       ("postgresql+psycopg2://h/db", "不支持这种数据库"),
                       ("sqlite+pysqlcipher:///x.db", "不支持这种数据库"),
                       ("://", "看不懂数据库地址")):
        code, err = _main(capsys, "--db", url, "rooms", "rooms")
        assert code == 1 and words in err, err
        assert "secret" not in err
    code, err = _main(capsys, "--lang", "en", "--db", "mysql://h/db", "rooms", "rooms")
    assert code == 1 and "This kind of database is not supported" in err


def test_postgres_urls_without_a_driver_use_the_shipped_one() -> None:
    from frontdesk.core.db import resolve_url

    assert resolve_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert resolve_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert resolve_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


def test_english_words_when_english_is_chosen(centre_db: Database, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _main(capsys, "--lang", "en", *_db_args(centre_db), "rooms", "list",
                      "--from", "2026-11-01", "--to", "2026-11-02", "--csv", str(tmp_path))
    assert code == 2 and "is a folder; give the name of the file to save" in err


# -- real processes ----------------------------------------------------------------------------

def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(Path.cwd()), **extra}
    env.pop("FRONTDESK_LOG_LEVEL", None)
    return env


def test_an_unexpected_error_is_one_line_and_the_traceback_is_in_the_log(
        centre_db: Database, tmp_path: Path) -> None:
    """Fault injection in a real `frontdesk rooms rooms`: the service raises a bug."""
    code = (
        "import sys\n"
        "from frontdesk.rooms import service\n"
        "def broken(*args, **kwargs): raise KeyError('injected fault')\n"
        "service.list_rooms = broken\n"
        f"sys.argv = ['frontdesk', '--db', {str(centre_db.sqlite_path)!r}, 'rooms', 'rooms']\n"
        "from frontdesk.cli import main\n"
        "raise SystemExit(main())\n"
    )
    home = tmp_path / "数据 目录"
    done = subprocess.run([sys.executable, "-c", code], env=_env(FRONTDESK_HOME=str(home)),
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    log_file = home / "logs" / "frontdesk.log"
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"程序出错（KeyError），这次命令没有完成。详情已记入日志：{log_file}"]
    logged = log_file.read_text(encoding="utf-8")
    assert "unexpected error while frontdesk rooms rooms" in logged
    assert "Traceback (most recent call last)" in logged and "KeyError: 'injected fault'" in logged
    assert str(centre_db.sqlite_path) not in logged.split("Traceback")[0]  # no option values


def test_output_to_a_closed_pipe_exits_quietly_with_141(centre_db: Database) -> None:
    """`frontdesk ... | head -1` when head has gone: no BrokenPipeError traceback."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "frontdesk", "--db", str(centre_db.sqlite_path), "residents",
         "find", "王"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env())
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the command writes a word
    err = proc.stderr.read().decode("utf-8")
    proc.stderr.close()
    assert proc.wait(timeout=120) == EXIT_BROKEN_PIPE
    assert err == ""


def test_the_same_through_a_shell_pipe_into_head(centre_db: Database, tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["姓名", "电话"])
        writer.writerows([f"王{n:05d}", f"138{n:08d}"] for n in range(3000))
    db = ["--db", str(centre_db.sqlite_path)]
    subprocess.run([sys.executable, "-m", "frontdesk", *db, "--operator", "admin", "residents",
                    "import", str(big)], env=_env(), check=True, capture_output=True, timeout=300)
    shell = (f"{sys.executable} -m frontdesk --db '{centre_db.sqlite_path}' residents find 王 "
             "--json --limit 3000 | head -c 10 >/dev/null; echo \"rc=${PIPESTATUS[0]}\"")
    done = subprocess.run(["bash", "-c", shell], env=_env(), capture_output=True, text=True,
                          timeout=120)
    assert done.stdout.strip() == f"rc={EXIT_BROKEN_PIPE}", done.stderr
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr


@pytest.fixture
def many_rows(tmp_path: Path) -> Path:
    path = tmp_path / "居民 名单.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["姓名", "身份证号", "电话"])
        for n in range(20_000):
            writer.writerow([f"测试{n:05d}", ric(birth=f"19{40 + n % 50:02d}0101",
                                                 seq=f"{n % 999 + 1:03d}") if n < 900 else "",
                             f"139{n:08d}"])
    return path


def _residents(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Resident)) or 0


def test_ctrl_c_in_the_middle_of_an_import_rolls_it_all_back(
        centre_db: Database, many_rows: Path) -> None:
    before = _residents(centre_db)
    proc = subprocess.Popen(
        [sys.executable, "-m", "frontdesk", "--db", str(centre_db.sqlite_path), "--operator",
         "admin", "residents", "import", str(many_rows)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(), text=True,
        encoding="utf-8")
    assert proc.stdout is not None and proc.stderr is not None
    seen = ""
    deadline = time.monotonic() + 240
    while "已检查 5000/20000 行" not in seen and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        seen += line
    assert "已检查 5000/20000 行" in seen, seen  # in the middle of the one write transaction
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == EXIT_INTERRUPTED, err
    assert err.splitlines() == [
        "已中断（Ctrl-C）。没有完成的写入都已撤销，数据库没有改动一半的记录。"]
    assert "已检查 20000/20000" not in out
    assert _residents(centre_db) == before  # nothing half-written
    with centre_db.read() as session:  # and the file is sound
        assert session.execute(select(func.count()).select_from(Resident)).scalar() == before


@pytest.fixture
def read_only_home(tmp_path: Path) -> Iterator[Path]:
    point = tmp_path / "ro home"
    point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=100k", "tmpfs", str(point)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


def test_a_read_only_data_folder_is_said_once_and_the_command_still_runs(
        centre_db: Database, read_only_home: Path, tmp_path: Path) -> None:
    out = tmp_path / "visits.csv"
    done = subprocess.run(
        [sys.executable, "-m", "frontdesk", "--db", str(centre_db.sqlite_path), "checkin",
         "export", "--date", "2026-11-22", "--csv", str(out)],
        env=_env(FRONTDESK_HOME=str(read_only_home)), capture_output=True, text=True,
        encoding="utf-8", timeout=120)
    assert done.returncode == 0, done.stderr
    assert out.exists()
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "日志文件夹不能写入" in lines[0] and "程序照常运行" in lines[0]


def test_a_file_that_cannot_be_written_is_one_line_with_exit_1(
        centre_db: Database, read_only_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A write the command itself does not explain (a read-only disk) still gets one line
    in words from ``main``, and exit code 1."""
    target = read_only_home / "bookings.csv"
    code, err = _main(capsys, "--db", str(centre_db.sqlite_path), "rooms", "list",
                      "--from", "2026-11-01", "--to", "2026-11-30", "--csv", str(target))
    assert code == 1
    assert err.strip() == f"错误：没有权限读写“{target}”（只读或被其他程序占用）。"


def test_an_unexpected_error_with_a_read_only_log_says_both_once(
        centre_db: Database, read_only_home: Path) -> None:
    code = (
        "import sys\n"
        "from frontdesk.rooms import service\n"
        "def broken(*args, **kwargs): raise KeyError('injected fault')\n"
        "service.list_rooms = broken\n"
        f"sys.argv = ['frontdesk', '--db', {str(centre_db.sqlite_path)!r}, 'rooms', 'rooms']\n"
        "from frontdesk.cli import main\n"
        "raise SystemExit(main())\n"
    )
    done = subprocess.run([sys.executable, "-c", code],
                          env=_env(FRONTDESK_HOME=str(read_only_home)), capture_output=True,
                          text=True, encoding="utf-8", timeout=120)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert len(lines) == 2, lines
    assert "日志文件夹不能写入" in lines[0]
    assert lines[1] == ("程序出错（KeyError），这次命令没有完成；"
                        "日志写不进去（见上一行），详情没有保存。")
