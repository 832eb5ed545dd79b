"""Repeat series: RRULE expansion, holidays, clashes, and edits that keep exceptions."""

from __future__ import annotations

import datetime as dt

import pytest

from frontdesk.core.clock import CENTRE_TZ
from frontdesk.core.errors import RuleError
from frontdesk.rooms import recurrence, service
from frontdesk.rooms.models import CANCELLED, CONFIRMED
from tests.rooms.conftest import at


def test_weekly_every_two_weeks_on_two_days_until_a_date():
    rule = recurrence.weekly_rule([0, 2], interval=2, until=dt.date(2026, 12, 31))
    assert rule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20261231T235959"
    got = recurrence.expand(rule, at("2026-11-23", "16:00")).starts
    assert [f"{s:%m-%d %a %H:%M}" for s in got] == [
        "11-23 Mon 16:00", "11-25 Wed 16:00", "12-07 Mon 16:00", "12-09 Wed 16:00",
        "12-21 Mon 16:00", "12-23 Wed 16:00"]
    assert all(s.tzinfo is CENTRE_TZ for s in got)


def test_monthly_by_date_and_by_nth_weekday_with_count():
    by_date = recurrence.expand(recurrence.monthly_rule(day=31, count=3), at("2026-12-31", "09:00"))
    assert [s.date().isoformat() for s in by_date.starts] == ["2026-12-31", "2027-01-31",
                                                              "2027-03-31"]
    third_friday = recurrence.monthly_rule(nth=3, weekday=4, count=2)
    got = recurrence.expand(third_friday, at("2026-11-20", "19:00")).starts
    assert [s.date().isoformat() for s in got] == ["2026-11-20", "2026-12-18"]


@pytest.mark.parametrize(("rule", "message"), [
    ("FREQ=WEKLY;COUNT=3", "写得不对"),
    ("FREQ=WEEKLY;BYDAY=XX;COUNT=3", "写得不对"),
    ("hello", "结束日期（UNTIL）或次数（COUNT）"),
    ("FREQ=WEEKLY", "结束日期（UNTIL）或次数（COUNT）"),
    ("", "请填写重复规则"),
    ("FREQ=DAILY;COUNT=10000", "超过 400 次"),
    ("FREQ=WEEKLY;UNTIL=20261101", "没有产生任何一次预约"),
    # Never matching: refused from a bounded search, not after searching to the year 9999.
    ("FREQ=DAILY;BYMONTHDAY=31;BYMONTH=2;COUNT=3", "10 年内没有一次预约"),
    ("FREQ=WEEKLY;BYMONTHDAY=31;BYMONTH=2;COUNT=1", "10 年内没有一次预约"),
    ("FREQ=DAILY;BYMONTHDAY=31;BYMONTH=2;UNTIL=99991231", "10 年内没有一次预约"),
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;COUNT=5", "排到开始 10 年以后"),
    ("FREQ=YEARLY;UNTIL=20451231", "排到开始 10 年以后"),
])
def test_bad_rules_give_plain_chinese_messages(rule, message):
    with pytest.raises(RuleError, match=message):
        recurrence.expand(rule, at("2026-11-23", "16:00"))


def test_public_holidays_are_skipped_and_unknown_years_reported():
    daily = recurrence.expand("FREQ=DAILY;COUNT=10", at("2026-09-28", "16:00"),
                              skip_holidays=True)
    assert dt.date(2026, 10, 1) in daily.holidays_skipped
    assert all(s.date() not in daily.holidays_skipped for s in daily.starts)
    assert daily.unknown_years == ()
    beyond = recurrence.expand("FREQ=WEEKLY;COUNT=3", at("2026-12-24", "16:00"),
                               skip_holidays=True)
    assert len(beyond.starts) == 3 and beyond.unknown_years == (2027,)


def _series_req(rooms, partner, start="2026-11-23", hhmm=("16:00", "18:00")):
    return service.BookingRequest(rooms["hall"].id, at(start, hhmm[0]), at(start, hhmm[1]),
                                  partner, "课后托管", 30)


def test_series_clashes_are_listed_then_skipped_on_request(centre_db, admin, rooms, partner):
    with centre_db.session() as s:
        service.book(s, admin, service.BookingRequest(
            rooms["half_a"].id, at("2026-11-30", "17:00"), at("2026-11-30", "17:30"), partner))
        service.add_closure(s, admin, rooms["hall"].id, dt.date(2026, 12, 7), "维修")
    rule = "FREQ=WEEKLY;BYDAY=MO;COUNT=4"
    with pytest.raises(RuleError) as refused, centre_db.session() as s:
        service.create_series(s, admin, _series_req(rooms, partner), rule)
    assert "2026-11-30" in refused.value.message and "2026-12-07" in refused.value.message
    with centre_db.read() as s:
        assert service.list_bookings(s, dt.date(2026, 11, 23), dt.date(2026, 12, 31),
                                     room_id=rooms["hall"].id) == []
    with centre_db.session() as s:
        result = service.create_series(s, admin, _series_req(rooms, partner), rule,
                                       skip_conflicts=True)
    assert [b.start.date().isoformat() for b in result.bookings] == ["2026-11-23", "2026-12-14"]
    assert [c.start.date().isoformat() for c in result.skipped] == ["2026-11-30", "2026-12-07"]


def test_series_beyond_the_holiday_calendar_tells_the_user(centre_db, admin, rooms, partner):
    with centre_db.session() as s:
        plan = service.plan_series(s, admin, _series_req(rooms, partner, "2026-12-21"),
                                   "FREQ=WEEKLY;COUNT=3", skip_holidays=True)
    assert len(plan.slots) == 3
    assert "2027" in plan.notice and "普通日历" in plan.notice


def test_edits_one_following_and_whole_series_keep_exceptions(centre_db, admin, rooms,
                                                              partner):
    rule = "FREQ=WEEKLY;BYDAY=MO;COUNT=4"
    with centre_db.session() as s:
        made = service.create_series(s, admin, _series_req(rooms, partner), rule).bookings
    first, second, third, fourth = (b.id for b in made)
    with centre_db.session() as s:
        service.update_booking(s, admin, second, purpose="家长开放日", headcount=60)
        service.update_series(s, admin, first, purpose="作业辅导", start_time=dt.time(15),
                              end_time=dt.time(17))
    with centre_db.read() as s:
        got = {b.id: b for b in service.list_bookings(s, dt.date(2026, 11, 23),
                                                      dt.date(2026, 12, 31))}
    assert got[second].purpose == "家长开放日" and f"{got[second].start:%H:%M}" == "16:00"
    assert got[first].purpose == got[third].purpose == "作业辅导"
    assert f"{got[fourth].start:%H:%M}-{got[fourth].end:%H:%M}" == "15:00-17:00"
    with centre_db.session() as s:
        following = service.update_series(s, admin, third, scope=service.SCOPE_FOLLOWING,
                                          headcount=12)
        assert {b.id for b in following} == {third, fourth}
        assert following[0].series_id != got[first].series_id  # split off
        service.cancel(s, admin, third, "寒假", scope=service.SCOPE_FOLLOWING)
        left = {b.id: b.status for b in service.list_bookings(
            s, dt.date(2026, 11, 23), dt.date(2026, 12, 31))}
    assert left == {first: CONFIRMED, second: CONFIRMED, third: CANCELLED, fourth: CANCELLED}


def test_moving_a_series_onto_a_taken_slot_changes_nothing(centre_db, admin, rooms, partner):
    with centre_db.session() as s:
        made = service.create_series(s, admin, _series_req(rooms, partner),
                                     "FREQ=WEEKLY;COUNT=2").bookings
        service.book(s, admin, service.BookingRequest(
            rooms["hall"].id, at("2026-11-30", "19:00"), at("2026-11-30", "20:00"), partner))
    with pytest.raises(RuleError, match="2026-11-30"), centre_db.session() as s:
        service.update_series(s, admin, made[0].id, start_time=dt.time(18, 30),
                              end_time=dt.time(19, 30))
    with centre_db.read() as s:
        assert f"{service.get_booking(s, made[1].id).start:%H:%M}" == "16:00"
