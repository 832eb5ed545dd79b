"""The `frontdesk` command: init, demo, screenshot, exit codes, operators."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest

from frontdesk import __version__
from frontdesk.cli import main
from frontdesk.core import audit, operators
from frontdesk.core.centre import centre_info
from frontdesk.core.clock import CENTRE_TZ, to_local
from frontdesk.core.db import Database
from frontdesk.demo import DEMO_ADMIN, DEMO_PASSWORD
from tests.conftest import NOW
from tests.helpers.moved_clock import frontdesk_command


def _run(*args: str, env: dict[str, str] | None = None, at: dt.datetime = NOW
         ) -> subprocess.CompletedProcess[str]:
    """``python -m frontdesk *args`` in a subprocess whose clock starts at ``at``."""
    return subprocess.run(frontdesk_command(at, *args), capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=120)


def test_version() -> None:
    out = _run("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"frontdesk {__version__}"


def test_init_sets_up_the_centre_without_the_gui(tmp_path: Path, process_clock) -> None:
    password = tmp_path / "pw.txt"
    password.write_text("s3cret-pass\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    code = main(["--db", url, "init", "--centre-name", "青阳街道邻里中心", "--centre-code", "QY01",
                 "--town", "青阳街道", "--admin", "boss", "--password-file", str(password)])
    assert code == 0
    db = Database(url)
    with db.session() as session:
        assert centre_info(session).name == "青阳街道邻里中心"
        assert operators.authenticate(session, "boss", "s3cret-pass").ok
    db.dispose()
    # a second init is refused with exit code 1 and a reason
    again = _run("--db", url, "init", "--centre-name", "x", "--centre-code", "XX", "--town", "t",
                 "--admin", "b2", "--password-file", str(password))
    assert again.returncode == 1
    assert "已经完成初始设置" in again.stderr


def test_a_subprocess_acts_by_the_clock_the_test_gives_it(tmp_path: Path) -> None:
    password = tmp_path / "pw.txt"
    password.write_text("s3cret-pass\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    moment = dt.datetime(2031, 2, 28, 23, 59, 30, tzinfo=CENTRE_TZ)  # not today, nor NOW
    done = _run("--db", url, "init", "--centre-name", "青阳街道邻里中心", "--centre-code",
                "QY01", "--town", "青阳街道", "--admin", "boss", "--password-file",
                str(password), at=moment)
    assert done.returncode == 0, done.stderr
    db = Database(url)
    with db.read() as session:
        (row,) = audit.query_audit(session, limit=1)
    db.dispose()
    assert dt.timedelta(0) <= to_local(row.at) - moment < dt.timedelta(seconds=60)


def test_bad_usage_exits_2() -> None:
    assert _run("no-such-command").returncode == 2
    assert _run("init", "--centre-name", "x").returncode == 2


@pytest.mark.parametrize("group", [["rooms"], ["purposes"], ["tally-groups"], ["operators"],
                                   ["setup"], ["canteen"], ["canteen", "session"], ["shop"],
                                   ["volunteers", "team"]])
def test_a_group_named_without_an_action_shows_its_actions(
        group: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Every command group answers alike: its help on stderr, nothing on stdout, exit 2."""
    assert main(group) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(f"usage: frontdesk {' '.join(group)} ")
    assert "ACTION" in err and "--db URL" in err


def test_demo_creates_the_demo_centre_and_prints_the_login(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    out = _run("demo", env={"FRONTDESK_DB": url})
    assert out.returncode == 0, out.stderr
    assert f"用户名 {DEMO_ADMIN}，密码 {DEMO_PASSWORD}" in out.stdout
    assert "用户名 lin，密码" in out.stdout
    again = _run("--db", url, "demo", "--lang", "en")  # fills, never duplicates
    assert again.returncode == 0
    # The logins existed already (their passwords may have been changed since): not printed.
    assert "password" not in again.stdout
    db = Database(url)
    with db.read() as session:
        assert [o.username for o in operators.list_operators(session)] == ["admin", "chen", "lin"]
    db.dispose()


def test_unknown_operator_is_refused(centre_db: Database, process_clock) -> None:
    from frontdesk.cli import CliContext, build_parser

    args = build_parser().parse_args(["--db", centre_db.url, "--operator", "ghost", "demo"])
    context = CliContext(args)
    with pytest.raises(Exception, match="没有这个操作员"), context.write():
        pass
    context.db.dispose()  # as cli.main does: a pooled server connection must be closed


def test_screenshot_renders_a_page(tmp_path: Path, centre_db: Database) -> None:
    out = tmp_path / "shot.png"
    result = _run("--db", centre_db.url, "screenshot", "settings", str(out), "--lang", "en",
                  env={"QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)


def test_screenshot_of_an_uninitialised_database_says_what_to_do(tmp_path: Path) -> None:
    result = _run("--db", str(tmp_path / "empty.sqlite3"), "screenshot", "audit",
                  str(tmp_path / "x.png"))
    assert result.returncode == 1
    assert "frontdesk init" in result.stderr
