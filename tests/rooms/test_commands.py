"""`frontdesk rooms ...` through the real CLI entry point on a real database file."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from frontdesk.cli import main
from frontdesk.core.db import Database
from frontdesk.rooms import service
from tests.conftest import NOW


@pytest.fixture
def cli(centre_db: Database, rooms, partner, process_clock, monkeypatch: pytest.MonkeyPatch):
    """The CLI acting as admin, with the process clock at the pinned moment (NOW)."""
    monkeypatch.setenv("FRONTDESK_DB", centre_db.url)
    monkeypatch.setenv("FRONTDESK_OPERATOR", "admin")
    return main


def test_book_then_conflict_exits_1_unless_skipped(cli, capsys):
    day = (NOW.date() + dt.timedelta(days=3)).isoformat()  # ahead, but within 30 days
    assert cli(["rooms", "book", "多功能厅", f"{day}T09:00", f"{day}T10:00",
                "--booker", "桂山实验小学", "--purpose", "家长会"]) == 0
    assert cli(["rooms", "book", "多功能厅A区", f"{day}T09:30", f"{day}T10:30",
                "--booker", "桂山实验小学"]) == 1
    assert "冲突" in capsys.readouterr().err
    assert cli(["rooms", "book", "多功能厅", f"{day}T09:00", f"{day}T10:00", "--booker",
                "桂山实验小学", "--rrule", "FREQ=DAILY;COUNT=3", "--skip-conflicts",
                "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["bookings"]) == 2 and len(out["skipped"]) == 1
    assert cli(["rooms", "list", "--from", day, "--to", "2099-01-01", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == 3
    assert set(listed[0]) >= {"id", "room", "start", "end", "status", "booker"}
    assert listed[0]["booker"] == "桂山实验小学" and listed[0]["start"].endswith("+08:00")


def test_rooms_json_and_bad_input(cli, capsys):
    # A week after the CLI's today (its process clock is at NOW): never a day now past.
    day = (NOW.date() + dt.timedelta(days=7)).isoformat()
    assert cli(["rooms", "rooms", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in listed][:4] == ["企业共享会议室", "多功能厅", "多功能厅A区",
                                               "多功能厅B区"]
    assert listed[2]["part_of"] == "多功能厅"
    assert cli(["rooms", "book", "没有的房间", f"{day}T09:00", f"{day}T10:00",
                "--booker", "桂山实验小学"]) == 1
    assert "没有名为“没有的房间”的场地" in capsys.readouterr().err
    assert cli(["rooms", "book", "多功能厅", "明天九点", f"{day}T10:00",
                "--booker", "桂山实验小学"]) == 1
    assert "看不懂" in capsys.readouterr().err
    assert cli(["rooms", "book", "多功能厅", f"{day}T09:00", f"{day}T10:00",
                "--booker", "桂山实验小学", "--rrule", "FREQ=WEKLY;COUNT=2"]) == 1
    assert "重复规则" in capsys.readouterr().err


def test_report_writes_an_xlsx(cli, tmp_path):
    out = tmp_path / "r.xlsx"
    assert cli(["rooms", "report", "--month", "2026-11", "--xlsx", str(out)]) == 0
    assert out.stat().st_size > 0


def test_service_find_room_lists_the_rooms(centre_db, rooms):
    with centre_db.read() as s:
        assert service.find_room(s, "乒乓球室").capacity == 8


def test_list_as_csv_opens_in_excel_with_chinese_intact(cli, centre_db, tmp_path):
    day = (NOW.date() + dt.timedelta(days=2)).isoformat()
    assert cli(["rooms", "book", "多功能厅", f"{day}T09:00", f"{day}T10:00",
                "--booker", "桂山实验小学", "--purpose", "家长会"]) == 0
    out = tmp_path / "bookings.csv"
    assert cli(["rooms", "list", "--from", day, "--to", day, "--csv", str(out)]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("编号,场地,开始")
    assert "多功能厅" in lines[1] and "家长会" in lines[1] and "139****1122" in lines[1]


def test_admin_sets_up_rooms_closures_and_partners_from_the_command_line(cli, centre_db,
                                                                          capsys):
    assert cli(["rooms", "add-room", "红色阅读空间", "--capacity", "30", "--hours",
                "1-5=08:30-21:00,6=09:00-17:00", "--max-hours", "2", "--approval",
                "--bookers", "organisation"]) == 0
    assert cli(["rooms", "add-room", "多功能厅C区", "--part-of", "多功能厅"]) == 0
    assert cli(["rooms", "add-org", "梅岭中学", "--kind", "school", "--phone", "0595-85601234"]
               ) == 0
    assert cli(["rooms", "close-day", "红色阅读空间", "2026-12-24", "--reason", "盘点"]) == 0
    with centre_db.read() as s:
        room = service.find_room(s, "红色阅读空间")
        assert (room.capacity, room.max_minutes, room.needs_approval) == (30, 120, True)
        assert room.hours[0] == ("08:30", "21:00") and room.hours[6] is None
        assert room.allowed_bookers == ("organisation",)
        assert service.find_room(s, "多功能厅C区").parent_id == service.find_room(
            s, "多功能厅").id
        assert [o.name for o in service.list_organisations(s)] == ["桂山实验小学", "梅岭中学"]
    assert cli(["rooms", "add-room", "坏房间", "--hours", "周一到周五"]) == 1
    assert "看不懂" in capsys.readouterr().err
    monkey_desk = ["--operator", "desk", "rooms", "add-room", "前台加的房间"]
    assert cli(monkey_desk) == 1
    assert "只有管理员" in capsys.readouterr().err


@pytest.mark.parametrize(("spec", "monday", "sunday"), [
    ("08:00-22:00", ("08:00", "22:00"), ("08:00", "22:00")),
    ("1-5=08:30-21:00, 6=09:00-17:00", ("08:30", "21:00"), None),
    ("7=00:00-24:00", None, ("00:00", "24:00")),
])
def test_hours_spec(spec, monday, sunday):
    hours = service.parse_hours_spec(spec)
    assert (hours[0], hours[6]) == (monday, sunday)


@pytest.mark.parametrize("spec", ["0-5=08:00-20:00", "1-5=20:00-08:00", "1-5=8点-20点", "abc"])
def test_bad_hours_spec_is_refused(spec):
    from frontdesk.core.errors import RuleError

    with pytest.raises(RuleError):
        service.parse_hours_spec(spec)
