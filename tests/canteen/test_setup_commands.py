"""`frontdesk canteen session|menu|funder|rule` in-process, from an empty centre."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from frontdesk.cli import main
from frontdesk.core.db import Database
from tests.conftest import ON_POSTGRES

# The CLI acts by the process clock: moved to the pinned moment (conftest NOW) for each test.
pytestmark = pytest.mark.usefixtures("process_clock")


def run(db: Database, *args: str) -> int:
    return main(["canteen", *args, "--db", db.url, "--operator", "admin"])


def snapshot(db: Database, tmp_path: Path) -> bytes:
    """The database's bytes (SQLite), to prove a refusal changed nothing at all."""
    db.dispose()
    path = Path(db.url.removeprefix("sqlite:///"))
    copy = tmp_path / "copy.sqlite3"
    shutil.copyfile(path, copy)
    return copy.read_bytes()


def test_an_empty_centre_is_set_up_on_the_command_line(
        centre_db, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["canteen", "session", "list", "--db", centre_db.url]) == 0
    assert "还没有餐次" in capsys.readouterr().out
    assert run(centre_db, "session", "add", "午餐", "--start", "11:00", "--end", "13:00",
               "--price", "9.9", "--capacity", "60", "--menu", "三菜一汤") == 0
    assert run(centre_db, "funder", "add", "政府补助") == 0
    assert run(centre_db, "funder", "add", "村级") == 0
    assert run(centre_db, "rule", "add", "--name", "高龄老人", "--min-age", "80",
               "--share", "政府补助=5", "--share", "村级=2", "--from", "2026-01-01") == 0
    assert run(centre_db, "rule", "add", "--name", "困难老人", "--tag", "低保", "--tag", "特困",
               "--share", "个人自付=1", "--rest", "政府补助", "--from", "2026-01-01",
               "--type", "堂食", "--type", "送餐") == 0
    out = capsys.readouterr().out
    assert "高龄老人：80 岁及以上；政府补助付 5.00 元，村级付 2.00 元，其余本人付" in out
    assert "困难老人：属于低保、特困之一，堂食、送餐；本人付 1.00 元，其余由政府补助付" in out
    assert run(centre_db, "menu", "--session", "午餐", "--date", "2026-12-01", "红烧鱼、青菜") == 0
    capsys.readouterr()
    assert main(["canteen", "session", "list", "--date", "2026-12-01", "--json",
                 "--db", centre_db.url]) == 0
    [lunch] = json.loads(capsys.readouterr().out)
    assert (lunch["name"], lunch["price_fen"], lunch["capacity"], lunch["menu"]) == (
        "午餐", 990, 60, "红烧鱼、青菜")
    assert main(["canteen", "rule", "list", "--json", "--db", centre_db.url]) == 0
    rules = json.loads(capsys.readouterr().out)
    assert [(r["name"], r["priority"]) for r in rules] == [("高龄老人", 10), ("困难老人", 20)]
    assert rules[1]["shares"][-1] == {"funder": "政府补助", "funder_id": rules[1]["shares"][-1][
        "funder_id"], "amount_fen": 0, "rest": True}
    assert main(["canteen", "funder", "list", "--json", "--db", centre_db.url]) == 0
    assert [f["name"] for f in json.loads(capsys.readouterr().out)] == [
        "政府补助", "村级", "个人自付"]


def test_edit_retire_and_rename(centre_db, capsys: pytest.CaptureFixture[str]) -> None:
    run(centre_db, "session", "add", "午餐", "--start", "11:00", "--end", "13:00",
        "--price", "10")
    run(centre_db, "funder", "add", "政府")
    run(centre_db, "rule", "add", "--name", "高龄老人", "--min-age", "80", "--share", "政府=5",
        "--from", "2026-01-01")
    assert run(centre_db, "session", "edit", "午餐", "--name", "中餐", "--price", "12",
               "--end", "13:30") == 0
    assert run(centre_db, "rule", "edit", "高龄老人", "--to", "2026-12-31",
               "--min-age", "85") == 0
    assert run(centre_db, "funder", "rename", "政府", "政府补助") == 0
    out = capsys.readouterr().out
    assert "中餐  11:00-13:30  12.00 元" in out
    assert "85 岁及以上；政府付 5.00 元，其余本人付；2026-01-01 至 2026-12-31" in out
    assert run(centre_db, "funder", "retire", "政府补助") == 1
    assert "高龄老人" in capsys.readouterr().err
    assert run(centre_db, "rule", "retire", "高龄老人", "--reason", "新政策") == 0
    assert run(centre_db, "funder", "retire", "政府补助") == 0
    assert run(centre_db, "session", "retire", "中餐") == 0
    capsys.readouterr()
    assert main(["canteen", "session", "list", "--db", centre_db.url]) == 0
    assert "中餐" not in capsys.readouterr().out
    assert main(["canteen", "rule", "list", "--all", "--db", centre_db.url]) == 0
    assert "（已停用）" in capsys.readouterr().out


@pytest.mark.parametrize("args, words", [
    (("session", "add", "晚餐", "--start", "12:00", "--end", "14:00", "--price", "8"), "重叠"),
    (("session", "add", "午餐", "--start", "17:00", "--end", "18:00", "--price", "8"), "已经有"),
    (("session", "add", "点心", "--start", "17:00", "--end", "18:00", "--price", "-1"), "负数"),
    (("session", "add", "点\x1b心", "--start", "17:00", "--end", "18:00", "--price", "8"),
     "控制字符"),
    (("rule", "add", "--name", "太多", "--share", "政府补助=20", "--from", "2026-01-01"),
     "超过了午餐的价格"),
    (("rule", "add", "--name", "倒序", "--share", "政府补助=2", "--from", "2026-06-01",
      "--to", "2026-01-01"), "早于"),
    (("rule", "add", "--name", "无名资助", "--share", "基金会=2", "--from", "2026-01-01"),
     "没有名为“基金会”的资助方"),
    (("rule", "add", "--name", "坏写法", "--share", "政府补助", "--from", "2026-01-01"),
     "资助方=金额"),
    (("funder", "add", "政府补助"), "已经有"),
    (("menu", "--session", "早餐", "--date", "2026-12-01", "粥"), "没有名为“早餐”的餐次"),
])
def test_refusals_exit_1_say_why_and_change_nothing(
        centre_db, tmp_path: Path, capsys: pytest.CaptureFixture[str], args, words) -> None:
    run(centre_db, "session", "add", "午餐", "--start", "11:00", "--end", "13:00",
        "--price", "10")
    run(centre_db, "funder", "add", "政府补助")
    before = None if ON_POSTGRES else snapshot(centre_db, tmp_path)
    capsys.readouterr()
    assert run(centre_db, *args) == 1
    assert words in capsys.readouterr().err
    if before is not None:
        assert snapshot(centre_db, tmp_path) == before


def test_bad_usage_exits_2(centre_db, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(centre_db, "session") == 2
    with pytest.raises(SystemExit) as caught:
        run(centre_db, "session", "add", "午餐", "--start", "11:00")  # no --end, no --price
    assert caught.value.code == 2
    with pytest.raises(SystemExit) as caught:
        run(centre_db, "rule", "add", "--name", "x", "--from", "2026-13-01")
    assert caught.value.code == 2


def test_writes_need_an_admin(centre_db, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["canteen", "session", "add", "午餐", "--start", "11:00", "--end", "13:00",
                 "--price", "10", "--db", centre_db.url, "--operator", "desk"]) == 1
    assert "管理员" in capsys.readouterr().err
