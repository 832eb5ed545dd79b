"""The rooms page on real widgets offscreen: the grid, selecting a slot, the booking dialog."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from frontdesk.rooms import service
from frontdesk.ui.context import DeskContext
from frontdesk.ui.pages import page_spec
from frontdesk.ui.pages.rooms_page import BookingDialog, RoomsPage
from frontdesk.ui.widgets.room_grid import GUTTER_WIDTH, HEADER_HEIGHT, ROW_HEIGHT
from tests.rooms.conftest import at


@pytest.fixture
def page(qtbot, centre_db, admin, rooms, partner):
    with centre_db.session() as s:
        service.book(s, admin, service.BookingRequest(
            rooms["hall"].id, at("2026-11-23", "09:00"), at("2026-11-23", "11:00"), partner,
            "家长会", 40))
    ctx = DeskContext(centre_db, admin)
    widget = RoomsPage(ctx, page_spec("rooms"))
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    widget.date_edit.setDate(widget.date_edit.date().addDays(1))  # 2026-11-23
    return widget


def test_day_view_shows_every_room_and_blocks_the_halves(page, rooms):
    grid = page.grid
    assert [c.title for c in grid.columns] == ["企业共享会议室", "多功能厅", "多功能厅A区",
                                               "多功能厅B区", "乒乓球室", "值班室"]
    hall, half_a = 1, 2
    nine = (9 * 60 - grid.first_minute) // 30
    assert grid.booking_at(hall, nine).purpose == "家长会"
    assert grid.booking_at(half_a, nine) is None
    assert grid.blocked_at(half_a, nine).room_name == "多功能厅"
    tip = grid.describe(grid.booking_at(hall, nine))
    assert tip.splitlines() == ["多功能厅  11-23 09:00-11:00  已确认", "桂山实验小学", "家长会",
                                "预计 40 人"]
    assert "共 1 条预约" in page.summary.text()


def test_the_status_line_and_the_pending_button_add_up(page, centre_db, desk, rooms, partner):
    """The 待审核 button counts requests on every date; the line under the grid counts the
    day on screen, says which day, and where the other requests are (it used to say
    "共 1 条预约，其中待审核 0 条" beside "待审核（1）")."""
    with centre_db.session() as s:
        request = service.book(s, desk, service.BookingRequest(
            rooms["meeting"].id, at("2026-11-24", "14:00"), at("2026-11-24", "15:00"), partner,
            "项目例会", 10))
    assert request.status == "pending"
    page.refresh()
    assert page.queue_button.text() == "待审核（1）"
    assert page.summary.text() == ("2026-11-23：共 1 条预约，其中待审核 0 条；"
                                   "另有 1 条待审核的预约在其他日期或场地（点“待审核”查看）。")
    page.date_edit.setDate(page.date_edit.date().addDays(1))  # the day of the request
    assert page.queue_button.text() == "待审核（1）"
    assert page.summary.text() == "2026-11-24：共 1 条预约，其中待审核 1 条。"
    page.view_combo.setCurrentIndex(page.view_combo.findData("week"))  # 会议室's week
    assert page.summary.text() == ("企业共享会议室 2026-11-23 至 2026-11-29："
                                   "共 1 条预约，其中待审核 1 条。")


def test_clicking_a_booking_opens_it_and_keyboard_selects_a_free_slot(page, qtbot):
    grid = page.grid
    nine = (9 * 60 - grid.first_minute) // 30
    rect = grid.cell_rect(1, nine)
    grid.booking_activated.disconnect(page.open_booking)  # no modal dialog in the test
    with qtbot.wait_signal(grid.booking_activated) as opened:
        QTest.mouseClick(grid, Qt.MouseButton.LeftButton, pos=rect.center())
    with page.ctx.db.read() as s:
        assert service.get_booking(s, opened.args[0]).purpose == "家长会"
    grid.slot_selected.disconnect(page.book_slot)
    grid.setFocus()
    grid.cursor_col, grid.cursor_row, grid.anchor_row = 4, nine, nine  # 乒乓球室 09:00
    QTest.keyClick(grid, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(grid, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    with qtbot.wait_signal(grid.slot_selected) as chosen:
        QTest.keyClick(grid, Qt.Key.Key_Return)
    room_id, start, end = chosen.args
    assert (f"{start:%H:%M}", f"{end:%H:%M}") == ("09:00", "10:30")
    assert room_id == grid.columns[4].room_id


def test_dragging_over_free_cells_selects_that_slot(page, qtbot):
    grid = page.grid
    grid.slot_selected.disconnect(page.book_slot)
    row = (14 * 60 - grid.first_minute) // 30
    top = QPoint(GUTTER_WIDTH + int(grid.column_width() * 5.5),
                 HEADER_HEIGHT + row * ROW_HEIGHT + 5)
    with qtbot.wait_signal(grid.slot_selected) as chosen:
        QTest.mousePress(grid, Qt.MouseButton.LeftButton, pos=top)
        QTest.mouseMove(grid, top + QPoint(0, ROW_HEIGHT * 3))
        QTest.mouseRelease(grid, Qt.MouseButton.LeftButton, pos=top + QPoint(0, ROW_HEIGHT * 3))
    _, start, end = chosen.args
    assert (f"{start:%H:%M}", f"{end:%H:%M}") == ("14:00", "16:00")


def test_week_view_shows_one_room_for_seven_days(page):
    page.view_combo.setCurrentIndex(1)
    page.room_combo.setCurrentIndex(page.room_combo.findText("多功能厅A区"))
    assert page.grid.columns[0].subtitle == "11-23"
    assert len(page.grid.columns) == 7 and page.grid.columns[0].room_id == \
        page.room_combo.currentData()


def type_text(widget, text: str) -> None:
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch,
                           Qt.KeyboardModifier.NoModifier)


def test_booking_dialog_books_and_keeps_input_on_refusal(qtbot, centre_db, admin, rooms,
                                                         partner):
    ctx = DeskContext(centre_db, admin)
    dialog = BookingDialog(ctx, ctx.read(service.list_rooms), rooms["hall"].id,
                           at("2026-11-23", "10:00"), at("2026-11-23", "11:00"))
    qtbot.addWidget(dialog)
    type_text(dialog.purpose, "讲座")
    dialog.submit()  # clashes with nothing yet: booked
    assert dialog.result() == dialog.DialogCode.Accepted
    again = BookingDialog(ctx, ctx.read(service.list_rooms), rooms["half_b"].id,
                          at("2026-11-23", "10:30"), at("2026-11-23", "11:30"))
    qtbot.addWidget(again)
    type_text(again.purpose, "合唱")
    again.submit()
    assert "冲突" in again.message.text() and again.purpose.text() == "合唱"
    assert again.result() != again.DialogCode.Accepted


def test_booking_dialog_repeat_options_write_the_rule(qtbot, centre_db, admin, rooms):
    ctx = DeskContext(centre_db, admin)
    dialog = BookingDialog(ctx, ctx.read(service.list_rooms), rooms["hall"].id,
                           at("2026-11-23", "16:00"), at("2026-11-23", "18:00"))
    qtbot.addWidget(dialog)
    dialog.repeat.setChecked(True)
    dialog.weekdays[2].setChecked(True)
    dialog.interval.setValue(2)
    dialog.count_radio.setChecked(True)
    dialog.count.setValue(6)
    assert dialog.rule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=6"
    # the screen says it in words, never the rule itself
    assert dialog.rule_words.text() == "每 2 周的周一、周三，共 6 次 16:00-18:00"
    dialog.freq.setCurrentIndex(2)
    assert dialog.rule == "FREQ=MONTHLY;BYDAY=4MO;COUNT=6"
    assert dialog.rule_words.text() == "每月第 4 个周一，共 6 次 16:00-18:00"
    dialog.kind.setCurrentIndex(2)
    type_text(dialog.internal, "四点钟学校")
    dialog.freq.setCurrentIndex(0)
    dialog.submit()
    assert dialog.result() == dialog.DialogCode.Accepted
    with centre_db.read() as s:
        made = service.list_bookings(s, dt.date(2026, 11, 23), dt.date(2027, 3, 1))
    assert len(made) == 6 and made[0].booker_name == "四点钟学校"


def test_edit_dialog_changes_one_occurrence_and_keeps_input_on_refusal(qtbot, centre_db, admin,
                                                                       rooms, partner):
    from frontdesk.ui.pages.rooms_page import EditBookingDialog

    ctx = DeskContext(centre_db, admin)
    with centre_db.session() as s:
        made = service.create_series(s, admin, service.BookingRequest(
            rooms["hall"].id, at("2026-11-23", "16:00"), at("2026-11-23", "17:00"), partner,
            "课后托管"), "FREQ=WEEKLY;COUNT=3").bookings
        service.book(s, admin, service.BookingRequest(
            rooms["hall"].id, at("2026-11-30", "18:00"), at("2026-11-30", "19:00"), partner))
    dialog = EditBookingDialog(ctx, made[1])
    qtbot.addWidget(dialog)
    dialog.end.setDateTime(dialog.end.dateTime().addSecs(3600 * 2))  # onto the 18:00 booking
    dialog.submit()
    assert "冲突" in dialog.message.text()
    dialog.end.setDateTime(dialog.end.dateTime().addSecs(-3600 * 2))
    dialog.purpose.clear()
    type_text(dialog.purpose, "家长会")
    dialog.submit()
    assert dialog.result() == dialog.DialogCode.Accepted
    with centre_db.read() as s:
        changed = service.get_booking(s, made[1].id)
        untouched = service.get_booking(s, made[2].id)
    assert (changed.purpose, changed.is_exception) == ("家长会", True)
    assert untouched.purpose == "课后托管"


def test_a_scanned_slip_number_finds_the_booking(centre_db, admin, rooms, partner):
    from frontdesk.core.scan import resolve

    with centre_db.session() as s:
        b = service.book(s, admin, service.BookingRequest(
            rooms["hall"].id, at("2026-11-23", "09:00"), at("2026-11-23", "10:00"), partner))
    with centre_db.read() as s:
        hit = resolve(s, f"ｒ{b.id:06d}")  # full-width, as some scanners type it
        assert resolve(s, "R999999") is None
    assert hit is not None and (hit.page, hit.kind, hit.record_id) == ("rooms", "booking", b.id)


def test_room_setup_adds_rooms_closures_and_partners(qtbot, centre_db, admin, desk, rooms):
    from frontdesk.ui.pages.room_setup import RoomSetupDialog

    dialog = RoomSetupDialog(DeskContext(centre_db, admin))
    qtbot.addWidget(dialog)
    type_text(dialog.room_name, "红色阅读空间")
    for weekday in range(7):
        dialog.hours.set_day(weekday, "08:30", "21:00") if weekday < 5 else \
            dialog.hours.set_day(weekday, None)
    dialog.hours.set_day(0, "21:00", "08:30")
    dialog.add_room()
    assert "周一 的开放时间不对" in dialog.message.text()
    assert dialog.room_name.text() == "红色阅读空间"  # what was typed is kept
    dialog.hours.set_day(0, "08:30", "21:00")
    dialog.capacity.setValue(30)
    dialog.booker_boxes["resident"].setChecked(False)
    dialog.add_room()
    assert dialog.message.text() == "已添加场地“红色阅读空间”。" and dialog.room_name.text() == ""
    names = [dialog.rooms_table.item(i, 0).text() for i in range(dialog.rooms_table.rowCount())]
    assert "红色阅读空间" in names
    row = names.index("红色阅读空间")
    assert dialog.rooms_table.item(row, 3).text() == "周一至周五 08:30-21:00；周六、周日不开放"
    type_text(dialog.org_name, "梅岭中学")
    dialog.add_org()
    assert dialog.orgs_table.rowCount() == 1
    dialog.closure_room.setCurrentIndex(dialog.closure_room.findText("红色阅读空间"))
    assert dialog.closure_day.date().toString("yyyy-MM-dd") == "2026-11-22"  # the desk's today
    dialog.closure_day.setDate(dialog.closure_day.date().fromString("2026-12-24", "yyyy-MM-dd"))
    dialog.add_closure()
    with centre_db.read() as s:
        room = service.find_room(s, "红色阅读空间")
        assert room.allowed_bookers == ("organisation", "internal")
        closed = service.schedule(s, dt.date(2026, 12, 24), dt.date(2026, 12, 24)).closed
    assert (room.id, dt.date(2026, 12, 24)) in closed

    as_desk = RoomSetupDialog(DeskContext(centre_db, desk))
    qtbot.addWidget(as_desk)
    type_text(as_desk.room_name, "前台加的")
    as_desk.add_room()
    assert "只有管理员" in as_desk.message.text()


def test_page_keys_turn_the_day_and_the_cursor_stays_in_view(page, qtbot):
    grid = page.grid
    grid.setFocus()
    qtbot.waitUntil(grid.hasFocus)
    QTest.keyClick(grid, Qt.Key.Key_PageDown)
    assert page.day == dt.date(2026, 11, 24)
    QTest.keyClick(grid, Qt.Key.Key_PageUp)
    assert page.day == dt.date(2026, 11, 23)
    with qtbot.wait_signal(grid.cursor_moved):
        for _ in range(grid.rows):
            QTest.keyClick(grid, Qt.Key.Key_Down)
    assert grid.cursor_row == grid.rows - 1
    assert grid.y() < 0  # scrolled down to follow the cursor
    visible = page.grid_scroll.viewport().rect().translated(-grid.pos())
    assert visible.contains(grid.cell_rect(grid.cursor_col, grid.cursor_row).center())
