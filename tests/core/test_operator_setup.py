"""`frontdesk operators ...` and the operators' readiness: accounts from an empty centre,
passwords from a file, a prompt or stdin (never the command line)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from frontdesk.cli import main
from frontdesk.core import audit
from frontdesk.core.actor import ROLE_DESK
from frontdesk.core.db import Database
from frontdesk.core.errors import RuleError
from frontdesk.core.operators import (
    authenticate,
    create_operator,
    list_operators,
    readiness,
    update_operator,
)
from tests.helpers.moved_clock import frontdesk_command

REPO = Path(__file__).resolve().parents[2]

# The CLI acts by the process clock: moved to the pinned moment (conftest NOW) for each test.
pytestmark = pytest.mark.usefixtures("process_clock")


@pytest.fixture
def run(centre_db: Database, capsys: pytest.CaptureFixture[str]):
    def invoke(*argv: str, operator: str = "admin") -> tuple[int, str, str]:
        code = main(["--db", centre_db.url, "--operator", operator, *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def _password_file(tmp_path: Path, password: str) -> str:
    path = tmp_path / "密码 文件.txt"
    path.write_text(password + "\n", encoding="utf-8")
    return str(path)


def test_add_list_role_reset_disable(run, centre_db: Database, tmp_path: Path, clock) -> None:
    code, out, _ = run("operators", "add", "chen", "--name", "陈志强", "--password-file",
                       _password_file(tmp_path, "chen-pass-1"), "--json")
    assert code == 0
    assert json.loads(out) | {"last_login_at": None} == {
        "username": "chen", "name": "陈志强", "role": "desk", "active": True,
        "locked_until": None, "last_login_at": None}
    code, out, _ = run("operators", "list", "--json")
    assert [(o["username"], o["role"]) for o in json.loads(out)] == [
        ("admin", "admin"), ("chen", "desk"), ("desk", "desk")]
    code, out, _ = run("operators", "set-role", "chen", "admin")
    assert code == 0 and out.strip() == "chen 的角色已改为管理员。"
    code, out, _ = run("operators", "rename", "chen", "陈 志强")
    assert code == 0
    code, out, _ = run("operators", "reset-password", "chen", "--password-file",
                       _password_file(tmp_path, "chen-pass-2"))
    assert code == 0 and "密码已重设" in out
    with centre_db.session() as s:
        assert not authenticate(s, "chen", "chen-pass-1", clock).ok
        assert authenticate(s, "chen", "chen-pass-2", clock).ok
    code, out, _ = run("operators", "disable", "chen")
    assert code == 0 and "已停用" in out
    with centre_db.session() as s:
        assert authenticate(s, "chen", "chen-pass-2", clock).message == "账号已停用，请联系管理员。"
    assert run("operators", "enable", "chen")[0] == 0
    with centre_db.read() as s:
        actions = [r.action for r in audit.query_audit(s, operator="admin")]
    assert actions.count("operator.update") == 4 and "operator.password" in actions


@pytest.mark.parametrize(("argv", "message"), [
    (("operators", "add", "chen", "--password-file", "PW:short"), "密码至少需要 6 位"),
    (("operators", "add", "陈", "--password-file", "PW:long-enough"), "用户名只能用"),
    (("operators", "add", "desk", "--password-file", "PW:long-enough"), "已被使用"),
    (("operators", "add", "chen", "--name", "陈\x1b志强", "--password-file", "PW:long-enough"),
     "控制字符"),
    (("operators", "set-role", "admin", "desk"), "至少要保留一名启用的管理员"),
    (("operators", "disable", "admin"), "至少要保留一名启用的管理员"),
    (("operators", "rename", "desk", "\u3000"), "请填写“姓名”"),
    (("operators", "reset-password", "nobody", "--password-file", "PW:long-enough"),
     "没有这个操作员"),
    (("operators", "add", "chen", "--password-file", "NOFILE"), "无法读取密码文件"),
])
def test_refusals_exit_1_and_change_nothing(run, centre_db: Database, tmp_path: Path,
                                            argv: tuple[str, ...], message: str) -> None:
    args = [(_password_file(tmp_path, a[3:]) if a.startswith("PW:") else
             str(tmp_path / "missing.txt") if a == "NOFILE" else a) for a in argv]
    with centre_db.read() as s:
        before = audit.count_audit(s)
    code, _out, err = run(*args)
    assert code == 1 and message in err, err
    with centre_db.read() as s:
        assert audit.count_audit(s) == before


def test_the_desk_cannot_manage_accounts(run, tmp_path: Path) -> None:
    code, _, err = run("operators", "add", "chen", "--password-file",
                       _password_file(tmp_path, "long-enough"), operator="desk")
    assert code == 1 and "只有管理员" in err
    code, _, err = run("operators", "reset-password", "admin", "--password-file",
                       _password_file(tmp_path, "long-enough"), operator="desk")
    assert code == 1 and "只有管理员" in err


def test_a_password_is_never_taken_from_the_command_line(run, centre_db: Database) -> None:
    for argv in (("operators", "add", "chen", "--password", "secret123"),
                 ("operators", "reset-password", "desk", "--password", "secret123")):
        code, out, err = run(*argv)
        assert code == 2 and "secret123" not in out + err and "不能写在命令行上" in err
    with pytest.raises(SystemExit) as stopped:  # never an abbreviation of --password-file
        run("operators", "add", "chen", "--passw", "secret123")
    assert stopped.value.code == 2
    with centre_db.read() as s:
        assert [o.username for o in list_operators(s)] == ["admin", "desk"]


def test_a_password_from_stdin_in_a_real_process(centre_db: Database, clock) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "FRONTDESK_OPERATOR": "admin"}
    # The child's clock at the pinned moment, as the checks below (by ``clock``) assume.
    done = subprocess.run(
        frontdesk_command(clock.now(), "--db", centre_db.url, "operators", "add", "lin",
                          "--name", "林小红", "--role", "desk", "--password-file", "-"),
        input="lin-pass-9\n", capture_output=True, text=True, encoding="utf-8", env=env,
        timeout=120)
    assert done.returncode == 0, done.stderr
    assert "已新增操作员 lin（林小红，前台）。" in done.stdout
    # Without a file and without a terminal, it says how instead of hanging on a prompt.
    refused = subprocess.run(
        frontdesk_command(clock.now(), "--db", centre_db.url, "operators", "reset-password",
                          "lin"), stdin=subprocess.DEVNULL, capture_output=True, text=True,
        encoding="utf-8", env=env, timeout=120)
    assert refused.returncode == 1 and "--password-file" in refused.stderr
    with centre_db.session() as s:
        assert authenticate(s, "lin", "lin-pass-9", clock).ok


def test_readiness_notes_a_centre_without_a_desk_account(db: Database, clock) -> None:
    from frontdesk.core.centre import initialise

    with db.session() as s:
        admin = initialise(s, centre_name="新中心", centre_code="NEW01", town="测试街道",
                           admin_username="admin", admin_password="admin-secret", clock=clock)
        (item,) = readiness(s)
        assert (item.job, item.ready, item.needed, item.page, item.tab) == (
            "操作员账号", False, False, "settings", "operators")
        assert "还没有前台账号" in item.missing
        create_operator(s, admin, "lin", "林小红", ROLE_DESK, "lin-pass-9")
        (item,) = readiness(s)
        assert (item.ready, item.missing) == (True, "")
        update_operator(s, admin, "lin", active=False)
        assert readiness(s)[0].ready is False


def test_operator_names_survive_the_hostile_corpus(centre_db: Database, admin) -> None:
    corpus = json.loads((REPO / "tests/corpus/hostile_text.json").read_text(encoding="utf-8"))
    with centre_db.session() as s:
        for i, name in enumerate(corpus["names_keep"]):
            info = create_operator(s, admin, f"user{i}", name, ROLE_DESK, "long-enough")
            assert info.display_name == name.strip()
    for bad in corpus["control_chars"][:5]:
        with pytest.raises(RuleError), centre_db.session() as s:
            update_operator(s, admin, "desk", display_name=bad)
