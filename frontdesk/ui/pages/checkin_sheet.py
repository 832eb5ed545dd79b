"""The check-in page's paperwork: print the 来访登记表 of any date, reprint an archived one,
and today's room bookings for a one-click 已签到."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from frontdesk.core.clock import to_local
from frontdesk.core.errors import FrontdeskError
from frontdesk.core.i18n import N_, tr
from frontdesk.documents import service as documents
from frontdesk.ui import printing
from frontdesk.ui.context import show_error
from frontdesk.ui.dates import from_qdate, to_qdate

if TYPE_CHECKING:
    from frontdesk.rooms.service import BookingInfo
    from frontdesk.ui.context import DeskContext
    from frontdesk.ui.widgets.rows_model import RowsModel


def print_attendance_sheet(parent: QWidget | None, ctx: DeskContext, day: dt.date
                           ) -> documents.DocumentInfo | None:
    """Render the 来访登记表 of ``day``, archive it under that date and open the preview.

    The check-ins themselves are already stored: nothing here can lose or change them.
    """
    from frontdesk.checkin.sheet import KIND, RECORD_TYPE, attendance_pdf, sheet_title

    try:
        pdf = ctx.read(attendance_pdf, ctx.actor, day)
    except FrontdeskError as exc:
        show_error(parent, exc.message)
        return None
    return printing.archive_and_print(parent, ctx, kind=KIND, title=sheet_title(day),
                                      paper=documents.PAPER_A4, pdf=pdf,
                                      record_type=RECORD_TYPE, record_id=day.isoformat(),
                                      business_date=day)


class AttendanceSheetDialog(QDialog):
    """Choose a date; print its sheet afresh, or reprint (补打) one printed before."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("来访登记表"))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        note = QLabel(tr("打印某一天的来访登记表（A4，带签名栏），供来访者签名后存档。"
                         "打印过的表可以在下面补打。"))
        note.setWordWrap(True)
        layout.addWidget(note)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("日期")))
        self.date = QDateEdit(to_qdate(ctx.actor.today()))
        self.date.setObjectName("sheetDate")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setMaximumDate(to_qdate(ctx.actor.today()))
        self.date.dateChanged.connect(self.load)
        row.addWidget(self.date)
        row.addStretch(1)
        self.print_button = QPushButton(tr("打印这一天的登记表"))
        self.print_button.setObjectName("printSheet")
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_new)
        row.addWidget(self.print_button)
        layout.addLayout(row)
        layout.addWidget(QLabel(tr("这一天已打印的登记表：")))
        self.archived = QListWidget()
        self.archived.setObjectName("archivedSheets")
        self.archived.setMinimumHeight(90)
        self.archived.itemActivated.connect(lambda _item: self.reprint_selected())
        layout.addWidget(self.archived)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.reprint_button = QPushButton(tr("补打所选"))
        self.reprint_button.setObjectName("reprintSheet")
        self.reprint_button.clicked.connect(self.reprint_selected)
        buttons.addWidget(self.reprint_button)
        close = QPushButton(tr("关闭"))
        close.clicked.connect(self.reject)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.load()

    def day(self) -> dt.date:
        return from_qdate(self.date.date())

    def load(self) -> None:
        """List the sheets archived for the chosen date."""
        from frontdesk.checkin.sheet import KIND, RECORD_TYPE

        day = self.day()
        found = self.ctx.read(documents.list_documents, kind=KIND, record_type=RECORD_TYPE,
                              record_id=day.isoformat())
        self.archived.clear()
        for doc in found:
            text = tr("{time} 由 {operator} 打印", time=to_local(doc.created_at)
                      .strftime("%Y-%m-%d %H:%M"), operator=doc.operator)
            if doc.reprint_count:
                text += tr("（已补打 {n} 次）", n=doc.reprint_count)
            item = QListWidgetItem(text, self.archived)
            item.setData(Qt.ItemDataRole.UserRole, doc.id)
        if not found:
            QListWidgetItem(tr("（还没有打印过）"), self.archived).setFlags(
                Qt.ItemFlag.NoItemFlags)
        else:
            self.archived.setCurrentRow(0)
        self.reprint_button.setEnabled(bool(found))

    def print_new(self) -> None:
        print_attendance_sheet(self, self.ctx, self.day())
        self.load()

    def reprint_selected(self) -> None:
        item = self.archived.currentItem()
        doc_id = None if item is None else item.data(Qt.ItemDataRole.UserRole)
        if doc_id is None:
            return
        printing.print_document(self, self.ctx, int(doc_id))
        self.load()


BOOKING_HEADERS = (N_("时间"), N_("场地"), N_("预约人"), N_("人数"), N_("状态"))


class BookingsBox(QWidget):
    """Today's confirmed room bookings; select one and click 已签到 when the group arrives."""

    def __init__(self, ctx: DeskContext, model: RowsModel) -> None:
        super().__init__()
        self.ctx = ctx
        self.model = model
        layout = QVBoxLayout(self)
        self.view = QTableView()
        self.view.setObjectName("todayBookings")
        self.view.setModel(model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        # The booker's name is the long one: it takes the room left; the rest fit their text.
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.view.doubleClicked.connect(lambda _index: self.check_in_selected())
        layout.addWidget(self.view)
        self.check_in_button = QPushButton(tr("已签到（到场）"))
        self.check_in_button.setObjectName("bookingCheckIn")
        self.check_in_button.setToolTip(tr("预约的人或单位到了：选中后点这里"))
        self.check_in_button.clicked.connect(self.check_in_selected)
        layout.addWidget(self.check_in_button)
        # Told what happened, so the page can confirm it where the desk looks.
        self.on_checked_in: Callable[[str], object] = lambda _message: None

    def load(self, day: dt.date) -> None:
        """Show ``day``'s bookings that are confirmed or already checked in."""
        from frontdesk.rooms import service as rooms
        from frontdesk.rooms.models import CHECKED_IN, CONFIRMED

        bookings = self.ctx.read(rooms.list_bookings, day, day,
                                 statuses=(CONFIRMED, CHECKED_IN))
        self.model.set_rows(
            [(f"{b.start:%H:%M}–{b.end:%H:%M}", b.room_name, b.booker_name,
              str(b.headcount or ""), b.status_label) for b in bookings], list(bookings))

    def check_in_selected(self) -> BookingInfo | None:
        """Mark the selected booking 已签到 (the rooms service checks the time window)."""
        from frontdesk.rooms import service as rooms
        from frontdesk.rooms.models import CONFIRMED

        rows = self.view.selectionModel().selectedRows()
        if not rows:
            show_error(self, tr("请先在“今日场地预约”中选中一条预约。"))
            return None
        booking: BookingInfo = self.model.payloads[rows[0].row()]
        if booking.status != CONFIRMED:
            show_error(self, tr("{room} {time} 的预约已经签到过了。", room=booking.room_name,
                                time=f"{booking.start:%H:%M}"))
            return None
        done = self.ctx.attempt(self, rooms.check_in, booking.id, topic="rooms")
        if done is not None:
            self.on_checked_in(tr("{booker} 已签到：{room} {time}", booker=done.booker_name,
                                  room=done.room_name, time=f"{done.start:%H:%M}"))
        return done
