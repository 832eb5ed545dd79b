"""Issue 16, check-in and rooms from an empty centre: the setup services, bad input included.

Run on SQLite and (FRONTDESK_TEST_BACKEND=postgresql) on PostgreSQL: both must refuse the
same hostile text with the same message and change nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from frontdesk.checkin import service as checkin
from frontdesk.checkin import setup as checkin_setup
from frontdesk.checkin.models import CheckinPurpose, TallyGroup
from frontdesk.core import settings
from frontdesk.core.actor import Actor
from frontdesk.core.audit import AuditEntry
from frontdesk.core.db import Database
from frontdesk.core.errors import PermissionDenied, RuleError
from frontdesk.rooms import service as rooms
from frontdesk.rooms import setup as rooms_setup
from frontdesk.rooms.models import Organisation, Room
from tests.rooms.conftest import at

HOSTILE = json.loads((Path(__file__).parents[1] / "corpus" / "hostile_text.json")
                     .read_text(encoding="utf-8"))


def audit_count(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry)) or 0


def test_an_empty_centre_is_not_ready_until_rooms_exist(centre_db: Database,
                                                       admin: Actor) -> None:
    with centre_db.read() as s:
        items = checkin_setup.readiness(s) + rooms_setup.readiness(s)
    ready = {i.job: i.ready for i in items}
    assert ready == {"签到：签到事由": True, "签到：刷卡直接签到的默认事由": False,
                     "签到：匿名计数分组": True, "场地预约：场地与开放时间": False,
                     "场地预约：合作单位（共建单位）": False}
    rooms_item = next(i for i in items if i.page == "rooms" and i.needed)
    assert (rooms_item.missing, rooms_item.tab) == ("还没有可以预约的场地。", "rooms")
    assert [i.needed for i in items] == [True, False, False, True, False]
    with centre_db.session() as s:
        rooms.create_room(s, admin, "乒乓球室", hours=dict.fromkeys(range(7)))
    with centre_db.read() as s:
        (room_line, _) = rooms_setup.readiness(s)
    assert not room_line.ready and "没有设开放时间" in room_line.missing
    with centre_db.session() as s:
        for p in checkin.list_purposes(s):
            checkin.set_purpose_active(s, admin, p.id, False)
    with centre_db.read() as s:
        first = checkin_setup.readiness(s)[0]
    assert not first.ready and "还没有启用的签到事由" in first.missing


def test_purposes_are_added_reordered_renamed_and_retired_keeping_the_default(
        centre_db: Database, admin: Actor, desk: Actor) -> None:
    with centre_db.session() as s:
        made = checkin.save_purpose(s, admin, None, name="  义剪  ", area="elder", hotkey="j")
        assert (made.name, made.sort_order, made.hotkey) == ("义剪", 10, "J")  # at the end
        checkin.move_purpose(s, admin, made.id, -20)  # past the top: first
        checkin.set_default_purpose(s, admin, made.id)
    with centre_db.read() as s:
        assert checkin.list_purposes(s)[0].name == "义剪"
        assert checkin.default_purpose(s).id == made.id  # type: ignore[union-attr]
    with centre_db.session() as s:
        checkin.save_purpose(s, admin, made.id, name="爱心义剪", area="elder", hotkey="J")
    with centre_db.read() as s:  # renaming the default keeps it the default
        assert settings.get(s, "checkin.default_purpose") == "爱心义剪"
    with centre_db.session() as s, pytest.raises(RuleError, match="默认事由，不能停用"):
        checkin.set_purpose_active(s, admin, made.id, False)
    with centre_db.session() as s, pytest.raises(PermissionDenied):
        checkin.save_purpose(s, desk, None, name="前台加的", area="x")
    with centre_db.session() as s, pytest.raises(PermissionDenied):
        checkin.set_default_purpose(s, desk, None)
    with centre_db.session() as s:
        checkin.set_default_purpose(s, admin, None)
        retired = checkin.set_purpose_active(s, admin, made.id, False)
        other = checkin.save_purpose(s, admin, None, name="剪发", area="elder", hotkey="J")
        assert not retired.active and other.hotkey == "J"  # a retired purpose frees its key
        back = checkin.set_purpose_active(s, admin, made.id, True)
        assert back.active and back.hotkey is None  # its key went elsewhere meanwhile
    with centre_db.session() as s, pytest.raises(RuleError, match="已存在"):
        checkin.save_purpose(s, admin, None, name="剪发", area="elder")


def test_the_default_purpose_setting_only_names_an_active_purpose(centre_db: Database,
                                                                 admin: Actor) -> None:
    with centre_db.session() as s, pytest.raises(RuleError, match="没有这个签到事由"):
        settings.set_value(s, admin, "checkin.default_purpose", "不存在的事由")
    with centre_db.session() as s:
        settings.set_value(s, admin, "checkin.default_purpose", "5")  # a hot key
        assert settings.get(s, "checkin.default_purpose") == "长者食堂"
        settings.set_value(s, admin, "checkin.default_purpose", " ")
        assert settings.get(s, "checkin.default_purpose") == ""


def test_tally_groups_are_added_renamed_reordered_and_retired(centre_db: Database,
                                                             admin: Actor) -> None:
    with centre_db.session() as s:
        made = checkin.save_tally_group(s, admin, None, name="保洁员")
        checkin.move_tally_group(s, admin, made.id, -1)
        checkin.save_tally_group(s, admin, made.id, name="物业保洁")
        checkin.set_tally_group_active(s, admin, checkin.find_tally_group(s, "其他").id, False)
    with centre_db.read() as s:
        assert [g.name for g in checkin.list_tally_groups(s)] == [
            "外卖员", "快递员", "环卫工人", "物业保洁"]
        assert len(checkin.list_tally_groups(s, include_inactive=True)) == 5
    with centre_db.session() as s, pytest.raises(RuleError, match="已停用，可以选中它后重新启用"):
        checkin.save_tally_group(s, admin, None, name="其他")


@pytest.mark.parametrize("name", HOSTILE["names_keep"])
def test_names_people_write_are_kept(centre_db: Database, admin: Actor, name: str) -> None:
    with centre_db.session() as s:
        purpose = checkin.save_purpose(s, admin, None, name=name, area="x")
        group = checkin.save_tally_group(s, admin, None, name=name)
        room = rooms.create_room(s, admin, name)
        org = rooms.create_organisation(s, admin, name, contact=name)
    with centre_db.read() as s:
        assert s.get(CheckinPurpose, purpose.id).name == name.strip()  # type: ignore[union-attr]
        assert s.get(TallyGroup, group.id).name == name.strip()  # type: ignore[union-attr]
        assert s.get(Room, room.id).name == name.strip()  # type: ignore[union-attr]
        assert s.get(Organisation, org.id).contact == name.strip()  # type: ignore[union-attr]


@pytest.mark.parametrize("text", HOSTILE["control_chars"] + ["张\n三", "张\t三"])
def test_hidden_characters_are_refused_everywhere_and_nothing_changes(
        centre_db: Database, admin: Actor, text: str) -> None:
    before = audit_count(centre_db)
    attempts = [
        lambda s: checkin.save_purpose(s, admin, None, name=text, area="x"),
        lambda s: checkin.save_tally_group(s, admin, None, name=text),
        lambda s: rooms.create_room(s, admin, text),
        lambda s: rooms.create_room(s, admin, "阅览室", facilities=text),
        lambda s: rooms.create_organisation(s, admin, text),
        lambda s: rooms.create_organisation(s, admin, "梅岭中学", contact=text),
    ]
    for attempt in attempts:
        with centre_db.session() as s, pytest.raises(RuleError, match="看不见的控制字符"):
            attempt(s)
    assert audit_count(centre_db) == before
    with centre_db.read() as s:
        assert rooms.list_rooms(s) == [] and rooms.list_organisations(s) == []


@pytest.mark.parametrize("text", HOSTILE["whitespace"][:3])
def test_blank_names_are_refused(centre_db: Database, admin: Actor, text: str) -> None:
    for attempt, words in (
            (lambda s: checkin.save_purpose(s, admin, None, name=text, area="x"), "事由名称"),
            (lambda s: rooms.create_room(s, admin, text), "场地名称"),
            (lambda s: rooms.create_organisation(s, admin, text), "单位名称")):
        with centre_db.session() as s, pytest.raises(RuleError, match=f"请填写“{words}”"):
            attempt(s)


def test_over_long_names_are_refused_with_their_length(centre_db: Database,
                                                      admin: Actor) -> None:
    long = HOSTILE["lengths"][1]
    with centre_db.session() as s, pytest.raises(RuleError, match="最多 50 个字"):
        checkin.save_purpose(s, admin, None, name=long, area="x")
    with centre_db.session() as s, pytest.raises(RuleError, match="最多 100 个字"):
        rooms.create_room(s, admin, long)
    with centre_db.session() as s:  # exactly at the limit is fine on both databases
        assert len(rooms.create_room(s, admin, "厅" * 100).name) == 100


def test_a_part_larger_than_its_hall_is_refused(centre_db: Database, admin: Actor) -> None:
    with centre_db.session() as s:
        hall = rooms.create_room(s, admin, "多功能厅", capacity=120)
    with centre_db.session() as s, pytest.raises(RuleError, match="分区不能比整个场地大"):
        rooms.create_room(s, admin, "多功能厅A区", capacity=150, parent_id=hall.id)
    with centre_db.session() as s:
        part = rooms.create_room(s, admin, "多功能厅A区", capacity=60, parent_id=hall.id)
    rules = dict(facilities="", hours=dict.fromkeys(range(7), ("08:00", "22:00")),
                 max_minutes=240, advance_days=30, max_per_month=0,
                 allowed_bookers=("organisation",), needs_approval=False)
    with centre_db.session() as s, pytest.raises(RuleError, match="分区不能比整个场地大"):
        rooms.update_room(s, admin, part.id, name=part.name, capacity=121, **rules)
    with centre_db.session() as s, pytest.raises(RuleError, match="整个场地不能少于它"):
        rooms.update_room(s, admin, hall.id, name=hall.name, capacity=50, **rules)
    with centre_db.read() as s:
        assert (rooms.get_room(s, hall.id).capacity, rooms.get_room(s, part.id).capacity) == (
            120, 60)


def test_a_room_with_bookings_ahead_is_not_retired_and_a_retired_hall_takes_its_parts(
        centre_db: Database, admin: Actor) -> None:
    with centre_db.session() as s:
        hall = rooms.create_room(s, admin, "多功能厅", capacity=120)
        part = rooms.create_room(s, admin, "多功能厅A区", capacity=60, parent_id=hall.id)
        booking = rooms.book(s, admin, rooms.BookingRequest(
            part.id, at("2026-11-23", "09:00"), at("2026-11-23", "10:00"),
            rooms.internal_booker("四点钟学校")))
    with centre_db.session() as s, pytest.raises(RuleError, match="还有 1 个今后的预约"):
        rooms.set_room_active(s, admin, hall.id, False)
    with centre_db.session() as s:
        rooms.cancel(s, admin, booking.id, "改期")
        rooms.set_room_active(s, admin, hall.id, False)
    with centre_db.read() as s:
        assert rooms.list_rooms(s) == []
    with centre_db.session() as s, pytest.raises(RuleError, match="请先重新启用整个场地"):
        rooms.set_room_active(s, admin, part.id, True)
    with centre_db.session() as s:
        rooms.set_room_active(s, admin, hall.id, True)
        rooms.set_room_active(s, admin, part.id, True)
        assert len(rooms.list_rooms(s)) == 2


def test_partner_units_are_edited_and_retired_and_a_retired_one_cannot_book(
        centre_db: Database, admin: Actor, desk: Actor) -> None:
    with centre_db.session() as s, pytest.raises(PermissionDenied):
        rooms.create_organisation(s, desk, "前台加的单位")
    with centre_db.session() as s:
        room = rooms.create_room(s, admin, "企业共享会议室")
        org = rooms.create_organisation(s, admin, "晋江市某某科技公司", kind="firm")
        org = rooms.update_organisation(s, admin, org.id, name="某某科技（共建单位）",
                                        kind="party_unit", contact="许经理",
                                        phone="13960381122")
        rooms.set_organisation_active(s, admin, org.id, False)
    with centre_db.read() as s:
        assert rooms.list_organisations(s) == []
        (kept,) = rooms.list_organisations(s, include_inactive=True)
    assert (kept.name, kept.kind, kept.contact, kept.active) == (
        "某某科技（共建单位）", "party_unit", "许经理", False)
    with centre_db.session() as s, pytest.raises(RuleError, match="已停用，不能再用它预约"):
        rooms.book(s, admin, rooms.BookingRequest(
            room.id, at("2026-11-23", "09:00"), at("2026-11-23", "10:00"),
            rooms.organisation_booker(s, org.id)))
    with centre_db.session() as s, pytest.raises(RuleError, match="联系电话"):
        rooms.update_organisation(s, admin, org.id, name=kept.name, kind="firm", contact="",
                                  phone="打电话")


def test_hours_and_repeat_rules_are_said_in_words() -> None:
    from frontdesk.rooms.recurrence import describe_rule

    every_day = [("08:00", "22:00")] * 7
    assert rooms.describe_hours(every_day) == "每天 08:00-22:00"
    week = [("08:30", "21:00")] * 5 + [("09:00", "17:00"), None]
    assert rooms.describe_hours(week) == "周一至周五 08:30-21:00；周六 09:00-17:00；周日不开放"
    assert rooms.describe_hours([None] * 7) == "每天都不开放"
    assert describe_rule("FREQ=WEEKLY;BYDAY=TU") == "每周周二"
    assert describe_rule("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL=20270122") == (
        "每周周一、周二、周三、周四、周五，到 2027-01-22 为止")
    assert describe_rule("FREQ=MONTHLY;BYDAY=-1FR;COUNT=3") == "每月最后一个周五，共 3 次"
    assert describe_rule("FREQ=WEEKLY;BYSETPOS=2") == "按自定义规则重复"
    assert rooms.duration_text(90) == "1 小时 30 分钟"


def test_a_span_of_closed_days_and_the_clash_message_has_no_command_line_flag(
        centre_db: Database, admin: Actor) -> None:
    with centre_db.session() as s:
        room = rooms.create_room(s, admin, "红色阅读空间", advance_days=365)
        for i in range(3):
            rooms.add_closure(s, admin, room.id, dt.date(2027, 2, 5) + dt.timedelta(days=i),
                              "春节")
    with centre_db.read() as s:
        assert len(rooms.list_closures(s, dt.date(2027, 1, 1))) == 3
    with centre_db.session() as s, pytest.raises(RuleError) as refused:
        rooms.create_series(s, admin, rooms.BookingRequest(
            room.id, at("2027-02-01", "09:00"), at("2027-02-01", "10:00"),
            rooms.internal_booker("读书会")), "FREQ=DAILY;COUNT=10")
    assert "2027-02-05" in refused.value.message and "--" not in refused.value.message
