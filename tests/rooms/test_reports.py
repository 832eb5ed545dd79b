"""Reports and printed documents' data, from bookings made and settled through the service."""

from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook

from frontdesk.rooms import reports, service
from tests.rooms.conftest import at


def _book(s, actor, room, booker, day, start, end):
    return service.book(s, actor, service.BookingRequest(room.id, at(day, start), at(day, end),
                                                         booker, "讲座", 30))


def test_utilisation_organisations_no_shows_and_xlsx(centre_db, admin, rooms, partner, clock,
                                                    tmp_path):
    with centre_db.session() as s:
        came = _book(s, admin, rooms["hall"], partner, "2026-11-22", "10:30", "12:30")
        missed = _book(s, admin, rooms["hall"], partner, "2026-11-22", "14:00", "15:00")
        dropped = _book(s, admin, rooms["hall"], partner, "2026-11-23", "09:00", "10:00")
        service.check_in(s, admin, came.id)
        service.cancel(s, admin, dropped.id, "改期")
    clock.advance(hours=4, minutes=30)  # 14:30
    with centre_db.session() as s:
        service.mark_no_show(s, admin, missed.id)
        rows = {r.room: r for r in reports.utilisation(s, 2026, 11)}
        orgs = reports.by_organisation(s, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
        rate = reports.no_show_rate(s, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
        path = reports.export_xlsx(s, 2026, 11, tmp_path / "rooms.xlsx")
    hall = rows["多功能厅"]
    assert hall.hours_open == 30 * 14 and hall.hours_booked == 2.0 and hall.bookings == 1
    assert rows["企业共享会议室"].hours_open == 21 * 12.5  # 21 weekdays in November 2026
    assert orgs == [reports.OrganisationRow("桂山实验小学", 2, 3.0, 1, 1, 1)]
    assert (rate.checked_in, rate.no_shows, rate.rate) == (1, 1, 0.5)
    book = load_workbook(path)
    assert book.sheetnames == ["场地使用率", "合作单位", "未到率"]
    table = list(book["场地使用率"].values)
    assert table[0][0] == "场地" and ("多功能厅", 420, 2, 1, round(2 / 420, 4)) in table


def test_booking_slip_masks_the_phone_and_says_the_rules(centre_db, admin, rooms, partner):
    with centre_db.session() as s:
        b = _book(s, admin, rooms["hall"], partner, "2026-11-23", "09:00", "11:00")
        slip = reports.booking_slip(s, b.id, issued_by="王管理", issued_at=admin.now())
    assert slip.number == f"R{b.id:06d}" and slip.phone_masked == "139****1122"
    assert (slip.centre_name, slip.room, slip.time_range) == ("测试邻里中心", "多功能厅",
                                                              "09:00-11:00")
    assert any("15 分钟" in rule for rule in slip.rules)
    assert any("120 人" in rule for rule in slip.rules)


def test_door_schedule_lists_each_room_and_marks_closures(centre_db, admin, rooms, partner):
    with centre_db.session() as s:
        _book(s, admin, rooms["hall"], partner, "2026-11-23", "14:00", "16:00")
        _book(s, admin, rooms["hall"], partner, "2026-11-23", "09:00", "10:00")
        service.add_closure(s, admin, rooms["pingpong"].id, dt.date(2026, 11, 23), "换球台")
        sheet = reports.door_schedule(s, dt.date(2026, 11, 23))
    by_room = {r.room: r for r in sheet.rooms}
    assert [e.time_range for e in by_room["多功能厅"].entries] == ["09:00-10:00", "14:00-16:00"]
    assert by_room["乒乓球室"].closed_reason == "今日闭馆"
    assert by_room["企业共享会议室"].hours == "08:30-21:00"


def test_slip_and_csv_mask_phones_like_every_other_feature(centre_db, admin, rooms, partner,
                                                            tmp_path):
    from frontdesk.core.masking import mask_phone

    with centre_db.session() as s:
        b = service.book(s, admin, service.BookingRequest(
            rooms["hall"].id, at("2026-11-23", "09:00"), at("2026-11-23", "10:00"), partner,
            "讲座", 3, "0595-85601234"))
        slip = reports.booking_slip(s, b.id, issued_by="王管理", issued_at=admin.now())
        path = reports.export_bookings_csv(s, dt.date(2026, 11, 23), dt.date(2026, 11, 23),
                                           tmp_path / "b.csv")
    assert slip.phone_masked == mask_phone("0595-85601234") == "********1234"
    assert "********1234" in path.read_text(encoding="utf-8-sig")
    assert reports.mask_phone is mask_phone  # the one shared copy, not its own
