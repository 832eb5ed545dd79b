"""Printing from the rooms page: the slip after booking and from the details, the schedule,
and editing rooms and closed days in the setup dialog. Real widgets, real database."""

from __future__ import annotations

import datetime as dt

import pytest

from frontdesk.core.errors import RuleError
from frontdesk.documents import service as documents
from frontdesk.rooms import printed, service
from frontdesk.ui import printing
from frontdesk.ui.context import DeskContext
from frontdesk.ui.pages import rooms_page
from frontdesk.ui.pages.rooms_page import BookingDetailsDialog, BookingDialog
from tests.rooms.conftest import at
from tests.rooms.test_page import type_text


@pytest.fixture
def no_printer(monkeypatch):
    """A desk without a printer: note what the user is told instead of a modal box."""
    told: list[str] = []
    monkeypatch.setattr(printing, "available_printers", lambda: [])
    monkeypatch.setattr(printing, "offer_save_instead",
                        lambda parent, message, pdf, title: told.append(message) or False)
    return told


def _book_in_dialog(qtbot, ctx, rooms):
    dialog = BookingDialog(ctx, ctx.read(service.list_rooms), rooms["hall"].id,
                           at("2026-11-23", "10:00"), at("2026-11-23", "11:00"))
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(2)
    type_text(dialog.internal, "社工站")
    dialog.submit()
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.print_slip.isChecked()
    return dialog.booking_id


def test_slip_is_archived_with_its_booking_and_reprinted_from_the_details(
        qtbot, centre_db, admin, rooms, no_printer, monkeypatch):
    ctx = DeskContext(centre_db, admin)
    booking_id = _book_in_dialog(qtbot, ctx, rooms)
    rooms_page.print_slip(None, ctx, booking_id)
    assert "没有可用的打印机" in no_printer[0]
    with centre_db.read() as s:
        (doc,) = documents.list_documents(s, record_type="booking", record_id=booking_id)
        pdf = documents.get_document_pdf(s, doc.id)
    assert (doc.kind, doc.paper, doc.operator, doc.business_date) == (
        "rooms.slip", "receipt80", "王管理", dt.date(2026, 11, 22))
    assert doc.title == f"场地预约单 R{booking_id:06d}" and pdf.startswith(b"%PDF-")
    assert documents.kind_label("rooms.slip") == "场地预约单"

    details = BookingDetailsDialog(ctx, booking_id)
    qtbot.addWidget(details)
    assert details.print_button.text() == "补打预约单"
    reprinted: list[int] = []
    monkeypatch.setattr(printing, "print_document",
                        lambda parent, ctx, doc_id: reprinted.append(doc_id) or True)
    details.print_button.click()
    assert reprinted == [doc.id]  # the archived slip, stamped 补打, not a second archive


def test_a_slip_that_cannot_be_made_loses_nothing(qtbot, centre_db, admin, rooms, no_printer,
                                                  monkeypatch):
    ctx = DeskContext(centre_db, admin)
    booking_id = _book_in_dialog(qtbot, ctx, rooms)

    def broken(*args, **kwargs):
        raise RuleError("磁盘空间已满")

    told: list[str] = []
    monkeypatch.setattr(printed, "booking_slip_pdf", broken)
    monkeypatch.setattr(rooms_page, "show_error", lambda parent, message: told.append(message))
    rooms_page.print_slip(None, ctx, booking_id)
    assert told == ["预约已保存，但预约单没有打印：磁盘空间已满"]
    with centre_db.read() as s:
        assert service.get_booking(s, booking_id).status == "confirmed"
        assert documents.list_documents(s, record_type="booking", record_id=booking_id) == []
    details = BookingDetailsDialog(ctx, booking_id)
    qtbot.addWidget(details)
    assert details.print_button.text() == "打印预约单"  # can be printed later


def test_schedule_is_archived_under_its_own_day(qtbot, centre_db, admin, rooms, no_printer):
    ctx = DeskContext(centre_db, admin)
    rooms_page.print_schedule(None, ctx, dt.date(2026, 11, 25))
    with centre_db.read() as s:
        (doc,) = documents.list_documents(s, kind="rooms.schedule")
    assert (doc.business_date, doc.paper, doc.title) == (
        dt.date(2026, 11, 25), "a4", "场地安排表 2026-11-25")
    assert "没有可用的打印机" in no_printer[0]


def test_setup_edits_a_rooms_rules_and_removes_a_closed_day(qtbot, centre_db, admin, rooms):
    from frontdesk.ui.pages.room_setup import RoomSetupDialog

    with centre_db.session() as s:
        service.add_closure(s, admin, rooms["hall"].id, dt.date(2026, 12, 1), "消防检查")
    dialog = RoomSetupDialog(DeskContext(centre_db, admin))
    qtbot.addWidget(dialog)
    assert not dialog.save_room_button.isEnabled()
    row = [r.name for r in dialog.rooms].index("企业共享会议室")
    dialog.rooms_table.selectRow(row)
    assert dialog.save_room_button.isEnabled()
    assert (dialog.room_name.text(), dialog.capacity.value()) == ("企业共享会议室", 20)
    assert dialog.hours.hours() == {**{d: ("08:30", "21:00") for d in range(5)}, 5: None,
                                    6: None}
    assert dialog.approval.isChecked() and not dialog.booker_boxes["resident"].isChecked()
    dialog.hours.set_day(5, "08:30", "21:00")
    dialog.capacity.setValue(24)
    dialog.approval.setChecked(False)
    dialog.save_room()
    assert "已保存" in dialog.message.text()
    with centre_db.read() as s:
        room = service.get_room(s, rooms["meeting"].id)
    assert (room.capacity, room.needs_approval, room.hours[5]) == (24, False,
                                                                  ("08:30", "21:00"))

    assert dialog.closures_table.rowCount() == 1
    assert dialog.closures_table.item(0, 1).text() == "多功能厅"
    dialog.remove_closure()
    assert "请先在表格中选择" in dialog.message.text()
    dialog.closures_table.selectRow(0)
    dialog.remove_closure()
    assert "恢复开放" in dialog.message.text() and dialog.closures_table.rowCount() == 0
    with centre_db.read() as s:
        assert service.list_closures(s, dt.date(2026, 11, 22)) == []
