"""Rooms and the day close: the 场地 sheet and totals, the unmarked warning, the day lock."""

from __future__ import annotations

import datetime as dt

import pytest

from frontdesk.core.clock import CENTRE_TZ
from frontdesk.core.errors import RuleError
from frontdesk.dayclose import format as fmt
from frontdesk.dayclose import registry
from frontdesk.dayclose import service as dayclose
from frontdesk.dayclose.registry import ExportOptions
from frontdesk.residents.activity import ACTIVITY_PROVIDERS, recent_activity
from frontdesk.rooms import dayexport, reports, service
from tests.documents.helpers import pypdf_pages, squash
from tests.rooms.conftest import at

DAY = dt.date(2026, 11, 23)
TYPES = {fmt.TEXT: str, fmt.INTEGER: int, fmt.DATETIME: dt.datetime}


def _book(s, actor, room, booker, start, end, purpose="讲座", headcount=30):
    return service.book(s, actor, service.BookingRequest(
        room.id, at("2026-11-23", start), at("2026-11-23", end), booker, purpose, headcount))


@pytest.fixture(autouse=True)
def _pinned_close_clock(clock, monkeypatch):
    """The close asks the exporter without an actor: it must see the tests' clock too."""
    monkeypatch.setattr(dayexport, "CLOCK", clock)


@pytest.fixture
def settled_day(centre_db, admin, desk, rooms, partner, resident, clock):
    """2026-11-23: one used, one no-show, one cancelled, one pending, one never marked."""
    with centre_db.session() as s:
        used = _book(s, admin, rooms["hall"], partner, "09:00", "11:00", headcount=40)
        missed = _book(s, admin, rooms["half_a"], partner, "14:00", "15:00")
        dropped = _book(s, admin, rooms["pingpong"], resident, "10:00", "11:00",
                        headcount=4)
        pending = _book(s, desk, rooms["meeting"], partner, "16:00", "17:00", headcount=10)
        forgotten = _book(s, admin, rooms["night"], partner, "12:00", "13:30", headcount=5)
        service.cancel(s, admin, dropped.id, "下雨")
    clock.advance(days=1, minutes=-45)  # 2026-11-23 09:15
    with centre_db.session() as s:
        service.check_in(s, admin, used.id)
    clock.advance(hours=7)  # 16:15
    with centre_db.session() as s:
        service.mark_no_show(s, admin, missed.id)
    return {"used": used, "missed": missed, "dropped": dropped, "pending": pending,
            "forgotten": forgotten}


def test_rows_follow_the_export_format_and_totals_match_the_reports(centre_db, settled_day,
                                                                     clock):
    assert "frontdesk.rooms.dayexport:day_part" in registry.DAY_EXPORTERS
    with centre_db.read() as s:
        part = dayexport.day_part(s, DAY, ExportOptions(), now=clock.now())
        rate = reports.no_show_rate(s, DAY, DAY)
    spec = fmt.SHEETS_BY_NAME[fmt.BOOKINGS]
    rows = part.sheets[fmt.BOOKINGS]
    for row in rows:
        assert len(row) == len(spec.columns)
        for cell, column in zip(row, spec.columns, strict=True):
            assert isinstance(cell, TYPES[column.type]), (column.name, cell)
    by_number = {row[0]: dict(zip([c.name for c in spec.columns], row, strict=True))
                 for row in rows}
    used = by_number[f"R{settled_day['used'].id:06d}"]
    assert (used["场地"], used["时长"], used["人数"], used["状态"], used["联系电话"],
            used["经办人"]) == ("多功能厅", 120, 40, "已使用", "139****1122", "王管理")
    assert used["开始"] == dt.datetime(2026, 11, 23, 9, 0, tzinfo=CENTRE_TZ)
    statuses = [r[10] for r in rows]
    assert statuses == ["已使用", "已取消", "已确认", "爽约", "待审核"]  # by start time
    assert by_number[f"R{settled_day['dropped'].id:06d}"]["备注"] == "下雨"
    assert part.totals == {"bookings_held": 1, "bookings_no_show": 1,
                           "bookings_cancelled": 1, "room_minutes": 120,
                           "booking_headcount": 40}
    assert (part.totals["bookings_held"], part.totals["bookings_no_show"]) == (
        rate.checked_in, rate.no_shows)
    assert part.pdfs == {}


def test_started_unmarked_bookings_warn_and_the_close_needs_them_acknowledged(
        centre_db, admin, settled_day, clock):
    with centre_db.read() as s:
        early = dayexport.day_part(s, DAY, ExportOptions(),
                                   now=at("2026-11-23", "11:59"))
        late = dayexport.day_part(s, DAY, ExportOptions(with_pdfs=True), now=clock.now())
    assert early.warnings == []  # 值班室 12:00 has not started yet
    (warning,) = late.warnings
    assert warning.code == "rooms.unmarked" and "值班室 12:00 桂山实验小学" in warning.message
    assert late.pdfs[dayexport.SCHEDULE_PDF].startswith(b"%PDF-")
    clock.advance(days=1)
    with centre_db.session() as s, pytest.raises(RuleError) as refused:
        dayclose.close_day(s, admin, DAY)
    assert "值班室 12:00" in refused.value.message
    with centre_db.session() as s:
        dayclose.close_day(s, admin, DAY, acknowledged=["rooms.unmarked"])
    with centre_db.read() as s:
        first = dayexport.day_part(s, DAY, ExportOptions(with_pdfs=True)).pdfs
        second = dayexport.day_part(s, DAY, ExportOptions(with_pdfs=True)).pdfs
    assert first == second  # a closed day's schedule is the same bytes every time
    assert "操作员王管理" in squash(pypdf_pages(first[dayexport.SCHEDULE_PDF])[0])  # the closer


def test_a_closed_day_refuses_changes_and_a_reopened_day_accepts_them(
        centre_db, admin, settled_day, clock):
    clock.advance(days=1)  # 2026-11-24 16:15
    forgotten, pending = settled_day["forgotten"].id, settled_day["pending"].id
    with centre_db.session() as s:
        dayclose.close_day(s, admin, DAY, acknowledged=["rooms.unmarked"])
    for action, args in ((service.mark_no_show, ()), (service.cancel, ("改期",)),
                         (service.update_booking, ())):
        with centre_db.session() as s, pytest.raises(RuleError, match="已日结"):
            action(s, admin, forgotten, *args)
    with centre_db.session() as s, pytest.raises(RuleError, match="已日结"):
        service.approve(s, admin, pending)
    with centre_db.session() as s, pytest.raises(RuleError, match="已日结"):
        service.add_closure(s, admin, 1, DAY, "补记")
    with centre_db.session() as s:
        assert service.release_no_shows(s, admin) == []  # the closed day's rows stay
    with centre_db.session() as s:
        dayclose.reopen_day(s, admin, DAY, "补记未到")
    with centre_db.session() as s:
        assert service.mark_no_show(s, admin, forgotten).status == "no_show"
        assert service.approve(s, admin, pending).status == "confirmed"


def test_booking_today_after_the_close_is_refused_until_reopened(centre_db, admin, rooms,
                                                                 partner):
    today = dt.date(2026, 11, 22)
    with centre_db.session() as s:
        dayclose.close_day(s, admin, today)
    request = service.BookingRequest(rooms["hall"].id, at("2026-11-22", "15:00"),
                                     at("2026-11-22", "16:00"), partner, "临时会议")
    with centre_db.session() as s, pytest.raises(RuleError, match="2026-11-22 已日结"):
        service.book(s, admin, request)
    with centre_db.session() as s, pytest.raises(RuleError, match="已日结"):
        service.create_series(s, admin, request, "FREQ=DAILY;COUNT=2")
    with centre_db.read() as s:
        assert service.list_bookings(s, today, today) == []  # nothing half-written
    with centre_db.session() as s:
        dayclose.reopen_day(s, admin, today, "临时加会")
    with centre_db.session() as s:
        assert service.book(s, admin, request).status == "confirmed"


def test_a_residents_bookings_show_on_their_record(centre_db, admin, rooms, resident):
    assert "frontdesk.rooms.service:resident_activity" in ACTIVITY_PROVIDERS
    with centre_db.session() as s:
        _book(s, admin, rooms["pingpong"], resident, "10:00", "11:00", "乒乓球", 4)
    with centre_db.read() as s:
        items = [i for i in recent_activity(s, resident.id) if i.area == "场地预约"]
    assert [i.summary for i in items] == ["乒乓球室 2026-11-23 10:00-11:00（已确认）乒乓球"]
    assert items[0].at == at("2026-11-23", "10:00")
