"""The check-in page's paperwork: print and reprint the 来访登记表, today's room bookings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from frontdesk.checkin.models import Checkin
from frontdesk.checkin.sheet import KIND, RECORD_TYPE
from frontdesk.core.actor import Actor
from frontdesk.core.clock import CENTRE_TZ, FixedClock
from frontdesk.core.db import Database
from frontdesk.core.errors import RuleError
from frontdesk.documents import service as documents
from frontdesk.rooms import service as rooms
from frontdesk.rooms.models import CHECKED_IN
from frontdesk.ui import printing
from frontdesk.ui.context import DeskContext
from frontdesk.ui.dates import to_qdate
from frontdesk.ui.pages import page_spec
from frontdesk.ui.pages.checkin_page import CheckinPage
from frontdesk.ui.pages.checkin_sheet import AttendanceSheetDialog
from tests.checkin.conftest import fill_day, people  # noqa: F401  (fixture)
from tests.documents.helpers import pypdf_pages, squash

DAY = dt.date(2026, 11, 22)
Printed = list[tuple[str, str, bytes]]


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch) -> Printed:
    """Every preview opened (title, paper, PDF); the desk presses 打印 each time."""
    seen: Printed = []

    def preview(parent: Any, ctx: DeskContext, pdf: bytes, paper: str, title: str, *,
                after_print: Callable[[], object] | None = None) -> bool:
        seen.append((title, paper, pdf))
        if after_print is not None:
            after_print()
        return True

    monkeypatch.setattr(printing, "preview_and_print", preview)
    return seen


def _answer_message_boxes(texts: list[str]) -> QTimer:
    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            texts.append(box.text())
            box.accept()

    timer = QTimer()
    timer.timeout.connect(answer)
    timer.start(20)
    return timer


def _checkins(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Checkin)) or 0


def test_print_a_past_day_then_reprint_it(
        qtbot: QtBot, centre_db: Database, desk: Actor, clock: FixedClock,
        people: dict[str, int], printed: Printed) -> None:  # noqa: F811
    fill_day(centre_db, desk, clock)
    clock.moment = dt.datetime(2026, 11, 24, 9, 0, tzinfo=CENTRE_TZ)  # two days later
    ctx = DeskContext(centre_db, desk)
    dialog = AttendanceSheetDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.date.date() == to_qdate(dt.date(2026, 11, 24))
    dialog.date.setDate(to_qdate(DAY))
    assert not dialog.reprint_button.isEnabled()  # nothing printed for that day yet
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    [(title, paper, pdf)] = printed
    assert (title, paper) == ("来访登记表 2026-11-22", documents.PAPER_A4)
    assert "陈阿婆" in squash("".join(pypdf_pages(pdf)))
    with centre_db.read() as session:
        [doc] = documents.list_documents(session, kind=KIND)
    # Archived under the day it shows, not the day it was printed.
    assert (doc.business_date, doc.record_type, doc.record_id) == (DAY, RECORD_TYPE,
                                                                   "2026-11-22")
    assert dialog.archived.count() == 1 and dialog.reprint_button.isEnabled()
    qtbot.mouseClick(dialog.reprint_button, Qt.MouseButton.LeftButton)
    assert len(printed) == 2 and "补打" in squash("".join(pypdf_pages(printed[1][2])))
    with centre_db.read() as session:
        assert documents.get_document(session, doc.id).reprint_count == 1
    assert "已补打 1 次" in dialog.archived.item(0).text()
    # Another date lists only its own sheets.
    dialog.date.setDate(to_qdate(dt.date(2026, 11, 23)))
    assert dialog.archived.item(0).text() == "（还没有打印过）"


def test_printing_failures_never_touch_the_check_ins(
        qtbot: QtBot, centre_db: Database, desk: Actor, clock: FixedClock,
        people: dict[str, int], printed: Printed,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    fill_day(centre_db, desk, clock)
    before = _checkins(centre_db)

    def disk_full(*args: object, **kwargs: object) -> None:
        raise RuleError("磁盘空间已满，文档未能存档。")

    monkeypatch.setattr(documents, "archive_document", disk_full)
    dialog = AttendanceSheetDialog(DeskContext(centre_db, desk))
    qtbot.addWidget(dialog)
    texts: list[str] = []
    timer = _answer_message_boxes(texts)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    timer.stop()
    assert "磁盘空间已满" in texts[0] and "仍可打印" in texts[0]
    assert len(printed) == 1  # the desk can still print this copy
    assert _checkins(centre_db) == before
    monkeypatch.undo()

    def printer_gone(*args: object, **kwargs: object) -> bool:
        return False  # the preview told the user; nothing printed

    monkeypatch.setattr(printing, "preview_and_print", printer_gone)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert _checkins(centre_db) == before
    with centre_db.read() as session:
        assert len(documents.list_documents(session, kind=KIND)) == 1  # kept for a reprint


@pytest.fixture
def page(qtbot: QtBot, centre_db: Database, desk: Actor,
         people: dict[str, int]) -> Iterator[CheckinPage]:  # noqa: F811
    widget = CheckinPage(DeskContext(centre_db, desk), page_spec("checkin"))
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    widget.refresh()
    yield widget


def _book(db: Database, admin: Actor, start: str, end: str, who: str) -> rooms.BookingInfo:
    with db.session() as session:
        room = rooms.create_room(session, admin, f"{who}的活动室", capacity=40)
        return rooms.book(session, admin, rooms.BookingRequest(
            room.id, dt.datetime.fromisoformat(f"2026-11-22T{start}").replace(tzinfo=CENTRE_TZ),
            dt.datetime.fromisoformat(f"2026-11-22T{end}").replace(tzinfo=CENTRE_TZ),
            rooms.internal_booker(who), purpose="活动", headcount=12))


def test_todays_bookings_check_in_with_one_click(
        qtbot: QtBot, page: CheckinPage, centre_db: Database, admin: Actor,
        qtmodeltester: Any) -> None:
    morning = _book(centre_db, admin, "10:15", "11:00", "书法班")
    _book(centre_db, admin, "15:00", "16:00", "舞蹈队")
    page.refresh()
    assert page.side_tabs.tabText(1) == "今日场地预约（2）"
    qtmodeltester.check(page.bookings.model)
    assert page.bookings.model.rows[0][:3] == ("10:15–11:00", "书法班的活动室", "书法班")
    page.side_tabs.setCurrentIndex(1)
    page.bookings.view.selectRow(0)
    qtbot.mouseClick(page.bookings.check_in_button, Qt.MouseButton.LeftButton)
    with centre_db.read() as session:
        assert rooms.get_booking(session, morning.id).status == CHECKED_IN
    assert page.bookings.model.rows[0][4] == "已签到"
    # The afternoon one is too early (the rooms rule): the desk is told, nothing changes.
    page.bookings.view.selectRow(1)
    texts: list[str] = []
    timer = _answer_message_boxes(texts)
    qtbot.mouseClick(page.bookings.check_in_button, Qt.MouseButton.LeftButton)
    timer.stop()
    assert "还没到签到时间" in texts[0]
    assert page.bookings.model.rows[1][4] == "已确认"


def test_the_sheet_button_opens_the_dialog(qtbot: QtBot, page: CheckinPage,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[AttendanceSheetDialog] = []
    monkeypatch.setattr(AttendanceSheetDialog, "exec", lambda self: opened.append(self) or 0)
    qtbot.mouseClick(page.sheet_button, Qt.MouseButton.LeftButton)
    assert len(opened) == 1 and opened[0].day() == DAY


def test_a_printed_sheet_is_reprinted_from_the_documents_page(
        qtbot: QtBot, centre_db: Database, desk: Actor, clock: FixedClock,
        people: dict[str, int], printed: Printed) -> None:  # noqa: F811
    from PySide6.QtCore import QDate, QItemSelectionModel

    from frontdesk.ui.pages.checkin_sheet import print_attendance_sheet
    from frontdesk.ui.pages.documents_page import DocumentsPage

    fill_day(centre_db, desk, clock)
    ctx = DeskContext(centre_db, desk)
    info = print_attendance_sheet(None, ctx, DAY)
    assert info is not None
    page = DocumentsPage(ctx, page_spec("documents"))
    qtbot.addWidget(page)
    page.date_from.setDate(QDate(2026, 11, 15))
    page.date_to.setDate(QDate(2026, 11, 22))
    page.show()
    page.refresh()
    assert page.kind.findText("来访登记表") > 0  # the kind has its name in the filter
    assert page.model.index(0, 2).data() == "来访登记表 2026-11-22"
    page.view.selectionModel().select(
        page.model.index(0, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
    page.reprint_button.click()
    assert "补打（第1次）" in squash(pypdf_pages(printed[-1][2])[0])
    with centre_db.read() as session:
        assert documents.get_document(session, info.id).reprint_count == 1
