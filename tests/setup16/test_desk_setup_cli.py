"""Issue 16 on the command line alone: check-in purposes, tally groups, rooms, closed days and
partner units set up from an empty centre; refusals exit 1 with the reason and change nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from frontdesk.cli import EXIT_REFUSED, EXIT_USAGE, main
from frontdesk.core.audit import AuditEntry
from frontdesk.core.db import Database

# The CLI acts by the process clock: moved to the pinned moment (conftest NOW) for each test.
pytestmark = pytest.mark.usefixtures("process_clock")


@pytest.fixture
def cli(centre_db: Database, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("FRONTDESK_DB", centre_db.url)
    monkeypatch.setenv("FRONTDESK_OPERATOR", "admin")
    return main


def audited(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry)) or 0


def test_check_in_is_set_up_from_the_command_line(cli, centre_db, capsys) -> None:
    assert cli(["purposes", "add", "健康讲座", "--area", "病有所医", "--hotkey", "h",
                "--default"]) == 0
    assert cli(["purposes", "move", "健康讲座", "--by", "-100"]) == 0
    assert cli(["purposes", "edit", "健康讲座", "--name", "健康大讲堂", "--hotkey", "none"]) == 0
    assert cli(["purposes", "retire", "其他"]) == 0
    assert cli(["tally-groups", "add", "保洁员"]) == 0
    assert cli(["tally-groups", "rename", "保洁员", "物业保洁"]) == 0
    assert cli(["tally-groups", "move", "物业保洁", "--by", "-10"]) == 0
    assert cli(["tally-groups", "retire", "其他"]) == 0
    capsys.readouterr()
    assert cli(["purposes", "list", "--json", "--all"]) == 0
    purposes = json.loads(capsys.readouterr().out)
    first = purposes[0]
    assert (first["name"], first["area"], first["hotkey"], first["default"]) == (
        "健康大讲堂", "health", None, True)
    assert [p["name"] for p in purposes if not p["active"]] == ["其他"]
    assert cli(["tally-groups", "list", "--json"]) == 0
    groups = [g["name"] for g in json.loads(capsys.readouterr().out)]
    assert groups == ["物业保洁", "外卖员", "快递员", "环卫工人"]
    assert cli(["purposes", "list"]) == 0
    assert "* [ ] 健康大讲堂" in capsys.readouterr().out


def test_check_in_setup_refusals_exit_1_and_change_nothing(cli, centre_db, capsys) -> None:
    before = audited(centre_db)
    for args, words in (
            (["purposes", "add", "坏\x07名", "--area", "x"], "看不见的控制字符"),
            (["purposes", "add", "新事由", "--area", "火星"], "没有这个服务领域"),
            (["purposes", "add", "长者食堂", "--area", "food"], "已存在"),
            (["purposes", "add", "新事由", "--area", "x", "--hotkey", "1"], "快捷键 1 已被"),
            (["purposes", "retire", "不存在"], "没有这个签到事由"),
            (["purposes", "default", "不存在"], "没有这个签到事由"),
            (["tally-groups", "add", "外卖员"], "已存在"),
            (["purposes", "add", "前台加的", "--area", "x", "--operator", "desk"], "管理员")):
        assert cli(args) == EXIT_REFUSED, args
        assert words in capsys.readouterr().err, args
    assert audited(centre_db) == before
    assert cli(["purposes", "default"]) == EXIT_USAGE  # neither a name nor --none
    assert cli(["purposes"]) == EXIT_USAGE
    capsys.readouterr()


def test_a_check_in_without_purpose_or_default_says_how_to_fix_it(cli, centre_db,
                                                                 capsys) -> None:

    import datetime as dt

    from frontdesk.residents.models import Resident

    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    with centre_db.session() as s:
        s.add(Resident(name="陈阿婆", card_code="C0001", created_at=now, updated_at=now))
    assert cli(["checkin", "C0001", "--operator", "desk"]) == EXIT_REFUSED
    err = capsys.readouterr().err
    assert "没有设定默认事由" in err and "--purpose" in err
    assert "frontdesk purposes default" in err and "长者食堂" in err
    assert cli(["purposes", "default", "长者食堂"]) == 0
    assert cli(["checkin", "C0001", "--operator", "desk", "--json"]) == 0
    assert json.loads(capsys.readouterr().out.split("\n", 1)[1])["purpose"] == "长者食堂"


def test_rooms_and_partner_units_are_set_up_edited_and_retired(cli, centre_db, capsys) -> None:
    assert cli(["rooms", "add-room", "多功能厅", "--capacity", "120",
                "--hours", "1-5=08:30-21:00,6=09:00-17:00"]) == 0
    assert cli(["rooms", "add-room", "多功能厅A区", "--capacity", "60",
                "--part-of", "多功能厅"]) == 0
    before = audited(centre_db)
    assert cli(["rooms", "add-room", "多功能厅B区", "--capacity", "200",
                "--part-of", "多功能厅"]) == EXIT_REFUSED
    assert "分区不能比整个场地大" in capsys.readouterr().err
    assert cli(["rooms", "edit-room", "多功能厅", "--capacity", "40"]) == EXIT_REFUSED
    assert "整个场地不能少于它" in capsys.readouterr().err
    assert audited(centre_db) == before
    assert cli(["rooms", "edit-room", "多功能厅", "--name", "多功能大厅", "--approval", "yes",
                "--max-hours", "2"]) == 0
    assert cli(["rooms", "close-day", "多功能大厅", "2027-02-05", "--to", "2027-02-07",
                "--reason", "春节"]) == 0
    assert cli(["rooms", "open-day", "多功能大厅", "2027-02-07"]) == 0
    assert cli(["rooms", "add-org", "晋江某某科技", "--kind", "firm"]) == 0
    assert cli(["rooms", "edit-org", "晋江某某科技", "--kind", "party_unit", "--contact",
                "许经理", "--phone", "13960381122"]) == 0
    assert cli(["rooms", "retire-org", "晋江某某科技"]) == 0
    assert cli(["rooms", "retire-room", "多功能大厅"]) == 0
    capsys.readouterr()
    assert cli(["rooms", "rooms", "--all", "--json"]) == 0
    listed = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    hall = listed["多功能大厅"]
    assert (hall["active"], hall["capacity"], hall["max_minutes"], hall["needs_approval"]) == (
        False, 120, 120, True)
    assert listed["多功能厅A区"]["active"] is False  # retired with its hall
    assert cli(["rooms", "closures", "--from", "2027-01-01", "--json"]) == 0
    assert [c["day"] for c in json.loads(capsys.readouterr().out)] == ["2027-02-05",
                                                                      "2027-02-06"]
    assert cli(["rooms", "orgs", "--all", "--json"]) == 0
    (org,) = json.loads(capsys.readouterr().out)
    assert (org["kind"], org["contact"], org["active"]) == ("party_unit", "许经理", False)
    assert cli(["rooms", "restore-room", "多功能大厅"]) == 0
    assert cli(["rooms", "rooms"]) == 0
    out = capsys.readouterr().out
    assert "周一至周五 08:30-21:00；周六 09:00-17:00；周日不开放" in out
    assert cli(["rooms", "add-org", "前台加的", "--operator", "desk"]) == EXIT_REFUSED
    capsys.readouterr()
