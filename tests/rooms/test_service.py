"""Booking rules on a real SQLite file: every bad input the issue lists, clashes, states."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from frontdesk.core.audit import AuditEntry
from frontdesk.core.db import Database
from frontdesk.core.errors import PermissionDenied, RuleError
from frontdesk.rooms import service
from frontdesk.rooms.models import (
    CANCELLED,
    CHECKED_IN,
    CONFIRMED,
    NO_SHOW,
    PENDING,
    Booking,
)
from tests.rooms.conftest import at


def req(room: service.RoomInfo, booker: service.Booker, start: dt.datetime,
        end: dt.datetime, **kw: object) -> service.BookingRequest:
    return service.BookingRequest(room.id, start, end, booker, **kw)  # type: ignore[arg-type]


def count_bookings(db: Database) -> int:
    with db.read() as s:
        return len(list(s.scalars(select(Booking.id))))


def test_a_booking_is_stored_audited_and_shown_in_local_time(centre_db, admin, rooms, partner):
    with centre_db.session() as s:
        b = service.book(s, admin, req(rooms["hall"], partner, at("2026-11-23", "09:00"),
                                       at("2026-11-23", "11:00"), purpose="家长会", headcount=80))
    assert (b.status, b.booker_name, b.phone) == (CONFIRMED, "桂山实验小学", "13960381122")
    assert f"{b.start:%H:%M}-{b.end:%H:%M}" == "09:00-11:00"
    with centre_db.read() as s:
        actions = list(s.scalars(select(AuditEntry.action)))
        stored = s.get(Booking, b.id)
        assert stored is not None and stored.start.tzinfo is not None
    assert "booking.create" in actions


@pytest.mark.parametrize(("start", "end", "message"), [
    (("2026-11-23", "11:00"), ("2026-11-23", "09:00"), "结束时间必须晚于开始时间"),
    (("2026-11-23", "07:00"), ("2026-11-23", "09:00"), "超出开放时间"),
    (("2026-11-23", "21:00"), ("2026-11-23", "23:00"), "超出开放时间"),
    (("2026-11-23", "08:00"), ("2026-11-23", "13:00"), "每次最多预约 4 小时"),
    (("2026-11-21", "09:00"), ("2026-11-21", "10:00"), "不能预约已经过去的时间"),
    (("2027-03-01", "09:00"), ("2027-03-01", "10:00"), "最多只能提前 30 天预约"),
    (("2026-11-23", "23:00"), ("2026-11-24", "01:00"), "超出开放时间"),
])
def test_bad_times_are_refused_with_a_clear_message(centre_db, admin, rooms, partner, start,
                                                    end, message):
    with pytest.raises(RuleError, match=message), centre_db.session() as s:
        service.book(s, admin, req(rooms["hall"], partner, at(*start), at(*end)))
    assert count_bookings(centre_db) == 0


def test_across_midnight_books_a_room_open_all_night_and_blocks_both_days(
        centre_db, admin, rooms):
    night = service.internal_booker("夜间值班")
    with centre_db.session() as s:
        b = service.book(s, admin, req(rooms["night"], night, at("2026-11-23", "23:00"),
                                       at("2026-11-24", "01:00")))
    assert b.minutes == 120
    with pytest.raises(RuleError, match="冲突"), centre_db.session() as s:
        service.book(s, admin, req(rooms["night"], night, at("2026-11-24", "00:30"),
                                   at("2026-11-24", "02:00")))
    with centre_db.read() as s:
        next_day = service.schedule(s, dt.date(2026, 11, 24), dt.date(2026, 11, 24))
    assert [x.id for x in next_day.bookings] == [b.id]


def test_a_closed_room_and_a_closed_weekday_are_refused(centre_db, admin, rooms, partner):
    with centre_db.session() as s:
        service.add_closure(s, admin, rooms["hall"].id, dt.date(2026, 11, 25), "消防检查")
    with pytest.raises(RuleError, match="闭馆（消防检查）"), centre_db.session() as s:
        service.book(s, admin, req(rooms["hall"], partner, at("2026-11-25", "09:00"),
                                   at("2026-11-25", "10:00")))
    with pytest.raises(RuleError, match="闭馆"), centre_db.session() as s:  # the halves too
        service.book(s, admin, req(rooms["half_a"], partner, at("2026-11-25", "09:00"),
                                   at("2026-11-25", "10:00")))
    with pytest.raises(RuleError, match="周六不开放"), centre_db.session() as s:
        service.book(s, admin, req(rooms["meeting"], partner, at("2026-11-28", "09:00"),
                                   at("2026-11-28", "10:00")))


def test_overlap_is_refused_but_touching_slots_are_fine(centre_db, admin, rooms, partner):
    with centre_db.session() as s:
        service.book(s, admin, req(rooms["hall"], partner, at("2026-11-23", "09:00"),
                                   at("2026-11-23", "10:00")))
        service.book(s, admin, req(rooms["hall"], partner, at("2026-11-23", "10:00"),
                                   at("2026-11-23", "11:00")))
    with pytest.raises(RuleError, match="与已有预约冲突：多功能厅 2026-11-23 09:00-10:00"), \
            centre_db.session() as s:
        service.book(s, admin, req(rooms["hall"], partner, at("2026-11-23", "09:30"),
                                   at("2026-11-23", "09:45")))


def test_the_whole_blocks_the_halves_and_a_half_blocks_the_whole(centre_db, admin, rooms,
                                                                 partner):
    with centre_db.session() as s:
        service.book(s, admin, req(rooms["half_a"], partner, at("2026-11-23", "09:00"),
                                   at("2026-11-23", "10:00")))
        # The other half stays free.
        service.book(s, admin, req(rooms["half_b"], partner, at("2026-11-23", "09:00"),
                                   at("2026-11-23", "10:00")))
        service.book(s, admin, req(rooms["hall"], partner, at("2026-11-23", "14:00"),
                                   at("2026-11-23", "16:00")))
    with pytest.raises(RuleError, match="多功能厅A区"), centre_db.session() as s:
        service.book(s, admin, req(rooms["hall"], partner, at("2026-11-23", "09:30"),
                                   at("2026-11-23", "10:30")))
    with pytest.raises(RuleError, match="与已有预约冲突：多功能厅 "), centre_db.session() as s:
        service.book(s, admin, req(rooms["half_b"], partner, at("2026-11-23", "15:00"),
                                   at("2026-11-23", "15:30")))


def test_room_rules_on_bookers_headcount_and_monthly_limit(centre_db, admin, rooms, partner,
                                                           resident):
    with pytest.raises(RuleError, match="不接受居民预约"), centre_db.session() as s:
        service.book(s, admin, req(rooms["meeting"], resident, at("2026-11-23", "09:00"),
                                   at("2026-11-23", "10:00")))
    with pytest.raises(RuleError, match="最多容纳 8 人"), centre_db.session() as s:
        service.book(s, admin, req(rooms["pingpong"], resident, at("2026-11-23", "09:00"),
                                   at("2026-11-23", "10:00"), headcount=9))
    with centre_db.session() as s:
        for day in ("2026-11-23", "2026-11-24"):
            service.book(s, admin, req(rooms["pingpong"], resident, at(day, "09:00"),
                                       at(day, "10:00")))
    with pytest.raises(RuleError, match="每人每月最多 2 次"), centre_db.session() as s:
        service.book(s, admin, req(rooms["pingpong"], resident, at("2026-11-25", "09:00"),
                                   at("2026-11-25", "10:00")))
    with centre_db.session() as s:  # a new month, a new allowance
        service.book(s, admin, req(rooms["pingpong"], resident, at("2026-12-01", "09:00"),
                                   at("2026-12-01", "10:00")))
    with pytest.raises(RuleError, match="联系电话"), centre_db.session() as s:
        service.book(s, admin, req(rooms["hall"], partner, at("2026-11-26", "09:00"),
                                   at("2026-11-26", "10:00"), phone="abc"))


def test_approval_pending_blocks_then_admin_approves_or_rejects(centre_db, admin, desk, rooms,
                                                                partner):
    with centre_db.session() as s:
        first = service.book(s, desk, req(rooms["meeting"], partner, at("2026-11-23", "09:00"),
                                          at("2026-11-23", "10:00")))
        second = service.book(s, desk, req(rooms["meeting"], partner,
                                           at("2026-11-24", "09:00"), at("2026-11-24", "10:00")))
    assert first.status == PENDING
    with pytest.raises(RuleError, match="冲突"), centre_db.session() as s:
        service.book(s, admin, req(rooms["meeting"], partner, at("2026-11-23", "09:30"),
                                   at("2026-11-23", "10:30")))
    with pytest.raises(PermissionDenied), centre_db.session() as s:
        service.approve(s, desk, first.id)
    with centre_db.session() as s:
        assert [b.id for b in service.pending_bookings(s)] == [first.id, second.id]
        assert service.approve(s, admin, first.id).status == CONFIRMED
        with pytest.raises(RuleError, match="原因"):
            service.reject(s, admin, second.id, " ")
        rejected = service.reject(s, admin, second.id, "当天有上级检查")
    assert rejected.status == CANCELLED and "当天有上级检查" in rejected.cancel_reason


def test_check_in_and_no_show_release_the_slot(centre_db, admin, rooms, partner, clock):
    with centre_db.session() as s:
        early = service.book(s, admin, req(rooms["hall"], partner, at("2026-11-22", "10:30"),
                                           at("2026-11-22", "11:30")))
        late = service.book(s, admin, req(rooms["hall"], partner, at("2026-11-22", "12:00"),
                                          at("2026-11-22", "13:00")))
        assert service.check_in(s, admin, early.id).status == CHECKED_IN
        with pytest.raises(RuleError, match="开始后 15 分钟"):
            service.mark_no_show(s, admin, late.id)
    clock.advance(hours=2, minutes=16)  # 12:16
    with centre_db.session() as s:
        released = service.release_no_shows(s, admin)
    assert [b.id for b in released] == [late.id] and released[0].status == NO_SHOW
    with centre_db.session() as s:  # the slot can be booked again
        service.book(s, admin, req(rooms["hall"], partner, at("2026-11-22", "12:30"),
                                   at("2026-11-22", "13:00")))


def test_two_desks_booking_the_same_slot_at_once_exactly_one_wins(centre_db, admin, rooms,
                                                                  partner):
    import threading

    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def desk_books(room: service.RoomInfo) -> None:
        other = Database(centre_db.url)  # its own engine: another desk's connection
        try:
            barrier.wait()
            with other.session() as s:
                service.book(s, admin, req(room, partner, at("2026-11-23", "09:00"),
                                           at("2026-11-23", "10:00")))
            outcomes.append("booked")
        except RuleError as exc:
            outcomes.append(exc.message)
        finally:
            other.dispose()

    # One desk books the hall, the other its half, at the same moment.
    threads = [threading.Thread(target=desk_books, args=(r,))
               for r in (rooms["hall"], rooms["half_a"])]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(o == "booked" for o in outcomes) == [False, True]
    assert count_bookings(centre_db) == 1


def test_cancel_needs_a_reason_and_is_audited(centre_db, admin, rooms, partner):
    with centre_db.session() as s:
        b = service.book(s, admin, req(rooms["hall"], partner, at("2026-11-23", "09:00"),
                                       at("2026-11-23", "10:00")))
        with pytest.raises(RuleError, match="取消原因"):
            service.cancel(s, admin, b.id, "")
        done = service.cancel(s, admin, b.id, "活动改期")
    assert [d.status for d in done] == [CANCELLED]
    with centre_db.read() as s:
        assert "booking.cancel" in set(s.scalars(select(AuditEntry.action)))
        assert s.get(Booking, b.id) is not None  # kept, never deleted


def test_resolve_booker_by_organisation_card_name_or_centre(centre_db, rooms, partner,
                                                            resident):
    with centre_db.read() as s:
        assert service.resolve_booker(s, "桂山实验小学") == partner
        assert service.resolve_booker(s, "陈阿婆").id == resident.id
        assert service.resolve_booker(s, "中心:四点钟学校").name == "四点钟学校"
        with pytest.raises(RuleError, match="没有找到预约人"):
            service.resolve_booker(s, "不存在的人")


def test_admin_only_room_set_up(centre_db, desk, admin):
    with pytest.raises(PermissionDenied), centre_db.session() as s:
        service.create_room(s, desk, "新房间")
    with pytest.raises(RuleError, match="关门时间要晚于开门时间"), centre_db.session() as s:
        service.create_room(s, admin, "新房间", hours={0: ("18:00", "08:00")})


def test_room_rules_can_be_changed_later_and_apply_to_new_bookings(centre_db, admin, desk,
                                                                   rooms, partner):
    hall = rooms["hall"]
    with centre_db.session() as s:
        kept = service.book(s, admin, service.BookingRequest(
            hall.id, at("2026-11-23", "09:00"), at("2026-11-23", "13:00"), partner, "讲座"))
    changes = dict(name="多功能大厅", capacity=100, facilities="音响", max_minutes=120,
                   hours=service.parse_hours_spec("1-5=09:00-18:00"), advance_days=14,
                   max_per_month=0, allowed_bookers=("organisation",), needs_approval=True)
    with centre_db.session() as s, pytest.raises(PermissionDenied):
        service.update_room(s, desk, hall.id, **changes)
    with centre_db.session() as s, pytest.raises(RuleError, match="已经有名为"):
        service.update_room(s, admin, hall.id, **{**changes, "name": "乒乓球室"})
    with centre_db.session() as s:
        room = service.update_room(s, admin, hall.id, **changes)
        trail = s.scalars(select(AuditEntry.summary).where(
            AuditEntry.action == "room.update")).one()
    assert (room.name, room.capacity, room.max_minutes, room.needs_approval) == (
        "多功能大厅", 100, 120, True)
    assert service.hours_spec(room.hours) == "1-5=09:00-18:00"
    assert "多功能厅" in trail and "多功能大厅" in trail
    with centre_db.read() as s:
        assert service.get_booking(s, kept.id).minutes == 240  # made before: kept as it was
    with centre_db.session() as s, pytest.raises(RuleError, match="最多预约 2 小时"):
        service.book(s, admin, service.BookingRequest(
            hall.id, at("2026-11-24", "09:00"), at("2026-11-24", "12:00"), partner, "讲座"))
    with centre_db.session() as s, pytest.raises(RuleError, match="不开放"):
        service.book(s, admin, service.BookingRequest(
            hall.id, at("2026-11-28", "09:00"), at("2026-11-28", "10:00"), partner, "讲座"))
    with centre_db.session() as s, pytest.raises(RuleError, match="还有 1 个今后的预约"):
        service.update_room(s, admin, hall.id, **{**changes, "active": False})
    with centre_db.session() as s:
        service.cancel(s, admin, kept.id, "场地改造")
        service.update_room(s, admin, hall.id, **{**changes, "active": False})
        assert hall.id not in [r.id for r in service.list_rooms(s)]
    with centre_db.session() as s, pytest.raises(RuleError, match="已停用"):
        service.book(s, admin, service.BookingRequest(
            hall.id, at("2026-11-24", "09:00"), at("2026-11-24", "10:00"), partner, "讲座"))


def test_a_closed_day_can_be_removed_and_the_room_booked_again(centre_db, admin, desk, rooms,
                                                               partner):
    from frontdesk.core.errors import NotFoundError

    day = dt.date(2026, 11, 24)
    with centre_db.session() as s:
        service.add_closure(s, admin, rooms["hall"].id, day, "消防检查")
        listed = service.list_closures(s, dt.date(2026, 11, 22))
    assert [(c.room_name, c.day, c.reason) for c in listed] == [("多功能厅", day, "消防检查")]
    request = service.BookingRequest(rooms["half_a"].id, at("2026-11-24", "09:00"),
                                     at("2026-11-24", "10:00"), partner, "讲座")
    with centre_db.session() as s, pytest.raises(RuleError, match="闭馆"):
        service.book(s, admin, request)
    with centre_db.session() as s, pytest.raises(PermissionDenied):
        service.remove_closure(s, desk, rooms["hall"].id, day)
    with centre_db.session() as s:
        service.remove_closure(s, admin, rooms["hall"].id, day)
    with centre_db.session() as s, pytest.raises(NotFoundError, match="不是闭馆日"):
        service.remove_closure(s, admin, rooms["hall"].id, day)
    with centre_db.session() as s:
        assert service.list_closures(s, dt.date(2026, 11, 22)) == []
        assert service.book(s, admin, request).status == "confirmed"


def test_hours_spec_reads_back_what_parse_hours_spec_wrote():
    for text in ("1-5=08:30-21:00,6=09:00-17:00", "1-7=08:00-22:00", "2=08:00-09:00,4=08:00-09:00"):
        hours = service.parse_hours_spec(text)
        assert service.hours_spec([hours[d] for d in range(7)]) == text


def test_view_counts_split_the_queue_between_the_view_and_elsewhere(centre_db, admin, desk,
                                                                    rooms, partner):
    day = dt.date(2026, 11, 24)
    with centre_db.session() as s:
        for hour in ("09:00", "14:00"):  # two requests on the 24th, one on the 25th
            service.book(s, desk, service.BookingRequest(
                rooms["meeting"].id, at("2026-11-24", hour), at("2026-11-24", hour[:2] + ":30"),
                partner, "例会", 5))
        service.book(s, desk, service.BookingRequest(
            rooms["meeting"].id, at("2026-11-25", "09:00"), at("2026-11-25", "10:00"), partner,
            "例会", 5))
        service.book(s, admin, service.BookingRequest(
            rooms["hall"].id, at("2026-11-24", "09:00"), at("2026-11-24", "10:00"), partner,
            "讲座", 5))
        sched = service.schedule(s, day, day)
        pending = service.pending_bookings(s)
    assert len(pending) == 3
    everything = {(r.id, day) for r in sched.rooms}
    assert service.view_counts(sched.bookings, everything, pending) == service.ViewCounts(3, 2, 1)
    hall_only = {(rooms["hall"].id, day)}
    assert service.view_counts(sched.bookings, hall_only, pending) == service.ViewCounts(1, 0, 3)
