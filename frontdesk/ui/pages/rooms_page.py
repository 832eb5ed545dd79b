"""场地预约: the day view of every room, the week view of one, bookings and approvals."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.core.clock import CENTRE_TZ
from frontdesk.core.errors import FrontdeskError
from frontdesk.core.i18n import tr
from frontdesk.documents import service as documents
from frontdesk.residents.search import search_residents
from frontdesk.rooms import printed, recurrence, service
from frontdesk.rooms.models import (
    BOOKER_INTERNAL,
    BOOKER_KINDS,
    BOOKER_ORGANISATION,
    BOOKER_RESIDENT,
    CONFIRMED,
    PENDING,
)
from frontdesk.ui.context import show_error
from frontdesk.ui.dates import from_qdate, from_qdatetime, to_qdate, to_qdatetime
from frontdesk.ui.pages.base import Page
from frontdesk.ui.widgets.labels import error_label
from frontdesk.ui.widgets.room_grid import (
    STATUS_COLOURS,
    RoomGrid,
    day_columns,
    week_columns,
)

if TYPE_CHECKING:
    from frontdesk.core.scan import ScanHit
    from frontdesk.ui.context import DeskContext
    from frontdesk.ui.pages import PageSpec


class RoomsPage(Page):
    """Every room's day at a glance; one room's week; new bookings from a free slot."""

    topics = ("rooms",)

    def __init__(self, ctx: DeskContext, spec: PageSpec) -> None:
        super().__init__(ctx, spec)
        self.day = ctx.actor.today()
        self.rooms: list[service.RoomInfo] = []
        layout = QVBoxLayout(self)
        # Rows short enough for a 1024-pixel screen in English: the title with the actions,
        # then the day and view; the colour key sits under the grid with the counts.
        top = QHBoxLayout()
        top.addWidget(self.heading(tr("场地预约")))
        top.addStretch(1)
        layout.addLayout(top)

        bar = QHBoxLayout()
        self.prev_button = QPushButton(tr("◀ 前一天"))
        self.date_edit = QDateEdit(to_qdate(self.day))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd dddd")
        self.next_button = QPushButton(tr("后一天 ▶"))
        self.today_button = QPushButton(tr("今天"))
        self.view_combo = QComboBox()
        self.view_combo.addItem(tr("日视图（全部场地）"), "day")
        self.view_combo.addItem(tr("周视图（一个场地）"), "week")
        self.room_combo = QComboBox()
        self.room_combo.setMinimumWidth(140)
        self.new_button = QPushButton(tr("新建预约"))
        self.new_button.setObjectName("newBooking")
        self.queue_button = QPushButton(tr("待审核"))
        self.queue_button.setObjectName("approvalQueue")
        self.queue_button.setToolTip(tr("等待管理员批准的预约申请（所有日期）"))
        self.setup_button = QPushButton(tr("场地设置"))
        self.setup_button.setObjectName("roomSetup")
        self.schedule_button = QPushButton(tr("打印场地安排表"))
        self.schedule_button.setObjectName("printSchedule")
        self.schedule_button.setToolTip(tr("当天全部场地的安排（A4），可贴在大厅或场地门口。"))
        self.release_button = QPushButton(tr("释放未到"))
        self.release_button.setToolTip(tr("把开始后超过规定时间仍未签到的预约标记为未到，场地可再预约。"))
        for w in (self.prev_button, self.date_edit, self.next_button, self.today_button,
                  self.view_combo, self.room_combo):
            bar.addWidget(w)
        bar.addStretch(1)
        layout.addLayout(bar)

        for w in (self.new_button, self.queue_button, self.release_button, self.schedule_button,
                  self.setup_button):
            top.addWidget(w)

        legend = QHBoxLayout()
        for status, colour in STATUS_COLOURS.items():
            chip = QLabel(tr(service.STATUS_LABELS[status]))
            chip.setStyleSheet(f"background: {colour.name()}; color: "
                               f"{'#222' if status in (PENDING, 'no_show') else 'white'};"
                               "padding: 2px 8px; border-radius: 3px;")
            legend.addWidget(chip, 0, Qt.AlignmentFlag.AlignTop)
        closed = QLabel(tr("不开放"))
        closed.setStyleSheet("background: #e9e9e9; padding: 2px 8px; border-radius: 3px;")
        legend.addWidget(closed, 0, Qt.AlignmentFlag.AlignTop)

        self.grid = RoomGrid()
        self.grid_scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.grid)
        self.grid.cursor_moved.connect(
            lambda rect: scroll.ensureVisible(rect.center().x(), rect.center().y(), 0,
                                              rect.height()))
        # PageUp / PageDown turn the days (or weeks) while the arrows move in the grid.
        for key, step in ((Qt.Key.Key_PageUp, -1), (Qt.Key.Key_PageDown, 1)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda step=step: self.move_days(step))
        self.empty_box = QWidget()
        self.empty_box.setObjectName("roomsMissing")
        empty_layout = QHBoxLayout(self.empty_box)
        self.empty_label = QLabel()
        self.empty_label.setObjectName("roomsMissingText")
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("font-size: 12pt;")
        self.empty_button = QPushButton(tr("添加场地…"))
        self.empty_button.setObjectName("addFirstRoom")
        self.empty_button.clicked.connect(lambda: self.open_setup("rooms"))
        empty_layout.addWidget(self.empty_label, 1)
        empty_layout.addWidget(self.empty_button)
        self.empty_box.setStyleSheet("#roomsMissing { background: #fff8e1; }")
        self.empty_box.hide()
        layout.addWidget(self.empty_box)
        layout.addWidget(scroll, 1)
        self.summary = QLabel()
        self.summary.setObjectName("roomsSummary")
        self.summary.setWordWrap(True)
        hint = QLabel(tr("在空白处拖动选择时段即可新建预约；点击预约查看、签到或取消。"))
        hint.setStyleSheet("color: #666;")
        hint.setWordWrap(True)
        footer = QHBoxLayout()
        footer.addWidget(self.summary, 1)
        footer.addLayout(legend)
        layout.addLayout(footer)
        layout.addWidget(hint)

        self.prev_button.clicked.connect(lambda: self.move_days(-1))
        self.next_button.clicked.connect(lambda: self.move_days(1))
        self.today_button.clicked.connect(self.go_today)
        self.date_edit.dateChanged.connect(self._on_date)
        self.view_combo.currentIndexChanged.connect(self.refresh)
        self.room_combo.currentIndexChanged.connect(self.refresh)
        self.new_button.clicked.connect(self.new_booking)
        self.queue_button.clicked.connect(self.open_queue)
        self.release_button.clicked.connect(self.release_no_shows)
        self.setup_button.clicked.connect(lambda: self.open_setup())
        self.schedule_button.clicked.connect(lambda: print_schedule(self, self.ctx, self.day))
        self.grid.slot_selected.connect(self.book_slot)
        self.grid.booking_activated.connect(self.open_booking)

    # -- navigation ------------------------------------------------------------------------
    @property
    def week_mode(self) -> bool:
        return self.view_combo.currentData() == "week"

    def move_days(self, days: int) -> None:
        step = days * (7 if self.week_mode else 1)
        self.date_edit.setDate(to_qdate(self.day + dt.timedelta(days=step)))

    def go_today(self) -> None:
        self.date_edit.setDate(to_qdate(self.ctx.actor.today()))

    def _on_date(self, value: QDate) -> None:
        self.day = from_qdate(value)
        self.refresh()

    def refresh(self) -> None:
        """Reload the rooms and the bookings on screen."""
        try:
            self.rooms = self.ctx.read(service.list_rooms)
            if self.week_mode and self.rooms:
                room_id = self._chosen_room()
                monday = self.day - dt.timedelta(days=self.day.weekday())
                sched = self.ctx.read(service.schedule, monday, monday + dt.timedelta(days=6))
                columns = week_columns(sched, room_id, monday)
            else:
                sched = self.ctx.read(service.schedule, self.day, self.day)
                columns = day_columns(sched, self.day)
            pending = self.ctx.read(service.pending_bookings)
        except FrontdeskError as exc:
            show_error(self, exc.message)
            return
        self._fill_room_combo()
        self.room_combo.setVisible(self.week_mode)  # the week view is of one room
        self.prev_button.setText(tr("◀ 上一周") if self.week_mode else tr("◀ 前一天"))
        self.next_button.setText(tr("下一周 ▶") if self.week_mode else tr("后一天 ▶"))
        self.grid.set_data(columns, list(sched.bookings))
        self._show_missing()
        self.queue_button.setText(tr("待审核（{n}）", n=len(pending)))
        self.queue_button.setVisible(self.ctx.actor.is_admin or bool(pending))
        # The button counts requests on every date, the line below the grid what is on screen:
        # the line says which days it counts and where the rest of the queue is.
        counts = service.view_counts(sched.bookings, {(c.room_id, c.day) for c in columns},
                                     pending)
        if self.week_mode and columns:
            scope = tr("{room} {start} 至 {end}", room=self.room_combo.currentText(),
                       start=columns[0].day.isoformat(), end=columns[-1].day.isoformat())
        else:
            scope = self.day.isoformat()
        if counts.pending_elsewhere:
            text = tr("{scope}：共 {n} 条预约，其中待审核 {p} 条；另有 {q} 条待审核的预约在其他"
                      "日期或场地（点“待审核”查看）。", scope=scope, n=counts.bookings,
                      p=counts.pending, q=counts.pending_elsewhere)
        else:
            text = tr("{scope}：共 {n} 条预约，其中待审核 {p} 条。", scope=scope, n=counts.bookings,
                      p=counts.pending)
        self.summary.setText(text)

    def _show_missing(self) -> None:
        """No rooms yet: say so in plain words, with the button that fixes it (or who to ask)."""
        empty = not self.rooms
        self.empty_box.setVisible(empty)
        self.grid_scroll.setVisible(not empty)
        admin = self.ctx.actor.is_admin
        self.setup_button.setText(tr("场地设置") if admin else tr("查看场地设置"))
        if not empty:
            return
        self.empty_button.setVisible(admin)
        if admin:
            self.empty_label.setText(tr("还没有可以预约的场地。请先添加场地，设好容纳人数、开放时间和"
                                        "预约规则；大厅可以再分成几个区。"))
        else:
            self.empty_label.setText(tr("还没有可以预约的场地。请联系管理员在“场地设置”中添加场地。"))

    def _chosen_room(self) -> int:
        data = self.room_combo.currentData()
        return int(data) if data is not None else self.rooms[0].id

    def _fill_room_combo(self) -> None:
        current = self.room_combo.currentData()
        self.room_combo.blockSignals(True)
        self.room_combo.clear()
        for room in self.rooms:
            self.room_combo.addItem(room.name, room.id)
        index = self.room_combo.findData(current)
        self.room_combo.setCurrentIndex(max(0, index))
        self.room_combo.blockSignals(False)

    # -- actions ---------------------------------------------------------------------------
    def new_booking(self) -> None:
        """A new booking at the selected slot (or the next hour of the first room)."""
        if not self.rooms:
            show_error(self, tr("还没有场地。请管理员先在“场地设置”中添加场地。"))
            return
        if self.grid.columns:
            room_id, start, end = self.grid.selection()
        else:
            start = dt.datetime.combine(self.day, dt.time(9), CENTRE_TZ)
            room_id, end = self.rooms[0].id, start + dt.timedelta(hours=1)
        self.book_slot(room_id, start, end)

    def book_slot(self, room_id: int, start: dt.datetime, end: dt.datetime) -> None:
        dialog = BookingDialog(self.ctx, self.rooms, room_id, start, end, self)
        if dialog.exec():
            self.say(dialog.result_text, 8000)
            self.refresh()
            if dialog.print_slip.isChecked() and dialog.booking_id is not None:
                print_slip(self, self.ctx, dialog.booking_id)

    def open_booking(self, booking_id: int) -> None:
        dialog = BookingDetailsDialog(self.ctx, booking_id, self)
        dialog.exec()
        if dialog.changed:
            self.refresh()

    def show_hit(self, hit: ScanHit) -> None:
        """A scanned booking slip: show its day and open it."""
        if hit.kind != "booking":
            return
        booking = self.ctx.read(service.get_booking, hit.record_id)
        self.view_combo.setCurrentIndex(0)
        self.date_edit.setDate(to_qdate(booking.start.date()))
        self.open_booking(hit.record_id)

    def open_setup(self, tab: str = "rooms") -> None:
        """The 场地设置 dialog at ``tab`` (rooms, closures, orgs)."""
        from frontdesk.ui.pages.room_setup import RoomSetupDialog

        dialog = RoomSetupDialog(self.ctx, self)
        dialog.show_tab(tab)
        dialog.exec()
        if dialog.changed:
            self.refresh()

    def open_queue(self) -> None:
        ApprovalQueueDialog(self.ctx, self).exec()
        self.refresh()

    def release_no_shows(self) -> None:
        released = self.ctx.attempt(self, service.release_no_shows, topic="rooms")
        if released is not None:
            self.say(tr("已释放 {n} 个未到的预约。", n=len(released)))
            self.refresh()


def print_slip(parent: QWidget, ctx: DeskContext, booking_id: int) -> None:
    """Print a booking's slip (80 mm): a 补打 of the archived one if there is one, else a new
    one, archived first. The booking is already saved: a failure here only loses paper."""
    from frontdesk.ui.printing import archive_and_print, print_document

    try:
        done = ctx.read(documents.list_documents, kind=printed.KIND_SLIP,
                        record_type=printed.RECORD_TYPE, record_id=booking_id, limit=1)
        if done:
            print_document(parent, ctx, done[0].id)
            return
        pdf = ctx.read(printed.booking_slip_pdf, ctx.actor, booking_id)
    except FrontdeskError as exc:
        show_error(parent, tr("预约已保存，但预约单没有打印：{message}", message=exc.message))
        return
    archive_and_print(parent, ctx, kind=printed.KIND_SLIP, title=printed.slip_title(booking_id),
                      paper=documents.PAPER_RECEIPT_80, pdf=pdf,
                      record_type=printed.RECORD_TYPE, record_id=booking_id)


def print_schedule(parent: QWidget, ctx: DeskContext, day: dt.date) -> None:
    """Print the day's room schedule (A4), archived under that day."""
    from frontdesk.ui.printing import preview_and_print

    title = printed.schedule_title(day)
    try:
        pdf = ctx.read(printed.door_schedule_pdf, ctx.actor, day)
    except FrontdeskError as exc:
        show_error(parent, exc.message)
        return
    try:
        ctx.run(documents.archive_document, kind=printed.KIND_SCHEDULE, title=title,
                paper=documents.PAPER_A4, pdf=pdf, business_date=day, topic="documents")
    except FrontdeskError as exc:
        show_error(parent, tr("{message}\n本次仍可打印或另存为 PDF。", message=exc.message))
    preview_and_print(parent, ctx, pdf, documents.PAPER_A4, title)


class BookingDialog(QDialog):
    """新建预约: one slot or a repeating series. A refusal keeps everything typed."""

    def __init__(self, ctx: DeskContext, rooms: list[service.RoomInfo], room_id: int,
                 start: dt.datetime, end: dt.datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result_text = ""
        self.setWindowTitle(tr("新建预约"))
        self.setMinimumWidth(560)
        self.room = QComboBox()
        for room in rooms:
            self.room.addItem(room.name, room.id)
        self.room.setCurrentIndex(max(0, self.room.findData(room_id)))
        self.start = QDateTimeEdit(to_qdatetime(start))
        self.end = QDateTimeEdit(to_qdatetime(end))
        for edit in (self.start, self.end):
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
            edit.setCalendarPopup(True)

        self.kind = QComboBox()
        for kind in (BOOKER_ORGANISATION, BOOKER_RESIDENT, BOOKER_INTERNAL):
            self.kind.addItem(tr(BOOKER_KINDS[kind]), kind)
        self.org = QComboBox()
        self.org.setObjectName("bookingOrg")
        for org in ctx.read(service.list_organisations):
            self.org.addItem(org.name, org.id)
        if not self.org.count():
            self.org.addItem(tr("（还没有登记合作单位：请管理员在“场地设置 → 合作单位”中添加）"),
                             None)
        self.resident_query = QLineEdit()
        self.resident_query.setPlaceholderText(tr("姓名、卡号、证件号或电话，回车查找"))
        self.resident = QComboBox()
        resident_box = QWidget()
        row = QHBoxLayout(resident_box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.resident_query, 1)
        row.addWidget(self.resident, 1)
        self.internal = QLineEdit()
        self.internal.setPlaceholderText(tr("例如：四点钟学校、社工站"))
        self.booker_stack = QStackedWidget()
        for w in (self.org, resident_box, self.internal):
            self.booker_stack.addWidget(w)
        self.kind.currentIndexChanged.connect(self.booker_stack.setCurrentIndex)
        self.resident_query.returnPressed.connect(self.find_residents)

        self.purpose = QLineEdit()
        self.headcount = QSpinBox()
        self.headcount.setRange(0, 9999)
        self.phone = QLineEdit()
        self.phone.setPlaceholderText(tr("不填则用预约人登记的电话"))
        self.notes = QLineEdit()
        form = QFormLayout()
        form.addRow(tr("场地"), self.room)
        form.addRow(tr("开始"), self.start)
        form.addRow(tr("结束"), self.end)
        form.addRow(tr("预约人类型"), self.kind)
        form.addRow(tr("预约人"), self.booker_stack)
        form.addRow(tr("用途"), self.purpose)
        form.addRow(tr("预计人数"), self.headcount)
        form.addRow(tr("联系电话"), self.phone)
        form.addRow(tr("备注"), self.notes)

        self.repeat = QGroupBox(tr("重复预约"))
        self.repeat.setCheckable(True)
        self.repeat.setChecked(False)
        self.freq = QComboBox()
        self.freq.addItem(tr("每周"), "weekly")
        self.freq.addItem(tr("每月（按日期）"), "monthly_day")
        self.freq.addItem(tr("每月（第几个星期几）"), "monthly_nth")
        self.interval = QSpinBox()
        self.interval.setRange(1, 8)
        self.interval.setPrefix(tr("每 "))
        self.interval.setSuffix(tr(" 周"))
        self.weekdays: list[QCheckBox] = []
        days_row = QHBoxLayout()
        for i, name in enumerate(service.WEEKDAY_NAMES):
            box = QCheckBox(tr(name))
            box.setChecked(i == start.weekday())
            self.weekdays.append(box)
            days_row.addWidget(box)
        self.until_radio = QRadioButton(tr("直到"))
        self.count_radio = QRadioButton(tr("共"))
        ends = QButtonGroup(self)
        ends.addButton(self.until_radio)
        ends.addButton(self.count_radio)
        self.until_radio.setChecked(True)
        self.until = QDateEdit(to_qdate(start.date() + dt.timedelta(days=56)))
        self.until.setCalendarPopup(True)
        self.until.setDisplayFormat("yyyy-MM-dd")
        self.count = QSpinBox()
        self.count.setRange(1, recurrence.MAX_OCCURRENCES)
        self.count.setValue(8)
        self.count.setSuffix(tr(" 次"))
        end_row = QHBoxLayout()
        for w in (self.until_radio, self.until, self.count_radio, self.count):
            end_row.addWidget(w)
        end_row.addStretch(1)
        self.skip_holidays = QCheckBox(tr("跳过法定节假日"))
        self.skip_holidays.setChecked(True)
        self.rule = ""  # the repeat rule the options describe (the service reads it)
        self.rule_words = QLabel()
        self.rule_words.setObjectName("ruleWords")
        self.rule_words.setWordWrap(True)
        self.rule_words.setStyleSheet("font-weight: bold;")
        repeat_form = QFormLayout(self.repeat)
        top = QHBoxLayout()
        top.addWidget(self.freq)
        top.addWidget(self.interval)
        top.addStretch(1)
        repeat_form.addRow(tr("频率"), top)
        repeat_form.addRow(tr("星期"), days_row)
        repeat_form.addRow(tr("结束"), end_row)
        repeat_form.addRow("", self.skip_holidays)
        repeat_form.addRow(tr("重复"), self.rule_words)
        for signal in (self.freq.currentIndexChanged, self.interval.valueChanged,
                       self.until.dateChanged, self.count.valueChanged,
                       self.until_radio.toggled, self.start.dateTimeChanged,
                       self.end.dateTimeChanged):
            signal.connect(self.update_rule)
        for box in self.weekdays:
            box.toggled.connect(self.update_rule)
        self.update_rule()

        self.print_slip = QCheckBox(tr("预约后打印预约单（小票）"))
        self.print_slip.setObjectName("printSlip")
        self.print_slip.setChecked(True)
        self.booking_id: int | None = None  # the booking made (a series: its first)
        self.message = error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("预约"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.repeat)
        layout.addWidget(self.print_slip)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def find_residents(self) -> None:
        """Fill the resident list from the search box."""
        found = self.ctx.read(search_residents, self.resident_query.text(), 20)
        self.resident.clear()
        for r in found:
            self.resident.addItem(f"{r.name} {r.phone or ''}".strip(), r.id)
        if not found:
            self.message.setText(tr("没有找到这位居民。"))

    def update_rule(self) -> None:
        """Work out the repeat rule the options describe, and say it in words."""
        start = from_qdatetime(self.start.dateTime())
        until = from_qdate(self.until.date()) if self.until_radio.isChecked() else None
        count = self.count.value() if self.count_radio.isChecked() else None
        freq = self.freq.currentData()
        if freq == "weekly":
            days = [i for i, box in enumerate(self.weekdays) if box.isChecked()]
            rule = recurrence.weekly_rule(days, interval=self.interval.value(), until=until,
                                          count=count)
        elif freq == "monthly_day":
            rule = recurrence.monthly_rule(day=start.day, until=until, count=count)
        else:
            rule = recurrence.monthly_rule(nth=(start.day - 1) // 7 + 1,
                                           weekday=start.weekday(), until=until, count=count)
        self.interval.setEnabled(freq == "weekly")
        for box in self.weekdays:
            box.setEnabled(freq == "weekly")
        self.rule = rule
        time = f"{start:%H:%M}-{from_qdatetime(self.end.dateTime()):%H:%M}"
        self.rule_words.setText(f"{recurrence.describe_rule(rule)} {time}")

    def request(self) -> service.BookingRequest:
        """The booking as filled in (the service checks the rules)."""
        kind = self.kind.currentData()
        if kind == BOOKER_ORGANISATION:
            if self.org.currentData() is None:
                raise FrontdeskError(tr("请选择合作单位。"))
            booker = self.ctx.read(service.organisation_booker, int(self.org.currentData()))
        elif kind == BOOKER_RESIDENT:
            if self.resident.currentData() is None:
                raise FrontdeskError(tr("请先查找并选择居民。"))
            booker = self.ctx.read(service.resident_booker, int(self.resident.currentData()))
        else:
            booker = service.internal_booker(self.internal.text())
        return service.BookingRequest(
            int(self.room.currentData()), from_qdatetime(self.start.dateTime()),
            from_qdatetime(self.end.dateTime()), booker, self.purpose.text(),
            self.headcount.value(), self.phone.text(), self.notes.text())

    def submit(self) -> None:
        try:
            req = self.request()
            if not self.repeat.isChecked():
                booking = self.ctx.run(service.book, req, topic="rooms")
                self.booking_id = booking.id
                self.result_text = tr("已预约：{room} {when}（{status}）", room=booking.room_name,
                                      when=f"{booking.start:%m-%d %H:%M}-{booking.end:%H:%M}",
                                      status=booking.status_label)
                self.accept()
                return
            rule, skip = self.rule, self.skip_holidays.isChecked()
            plan = self.ctx.run(service.plan_series, req, rule, skip_holidays=skip)
        except FrontdeskError as exc:
            self.message.setText(exc.message)
            return
        if (plan.clashes or plan.notice) and not self.confirm_plan(plan):
            return
        try:
            result = self.ctx.run(service.create_series, req, rule, skip_holidays=skip,
                                  skip_conflicts=True, topic="rooms")
        except FrontdeskError as exc:
            self.message.setText(exc.message)
            return
        self.booking_id = result.bookings[0].id
        self.result_text = tr("已创建重复预约：{n} 次，跳过 {k} 次。", n=len(result.bookings),
                              k=len(result.skipped))
        self.accept()

    def confirm_plan(self, plan: service.SeriesPlan) -> bool:
        """Show clashing dates and the holiday-calendar notice; True to go ahead."""
        text = tr("可以预约 {n} 次。", n=len(plan.slots))
        if plan.clashes:
            text += "\n\n" + service.clash_message(plan.clashes)
        if plan.notice:
            text += "\n\n" + plan.notice
        box = QMessageBox(QMessageBox.Icon.Question, tr("确认重复预约"), text,
                          QMessageBox.StandardButton.NoButton, self)
        go = box.addButton(tr("跳过冲突日期并预约") if plan.clashes else tr("继续预约"),
                           QMessageBox.ButtonRole.AcceptRole)
        box.addButton(tr("返回修改"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is go


class BookingDetailsDialog(QDialog):
    """One booking: who, when, what; check in, no-show, cancel, approve."""

    def __init__(self, ctx: DeskContext, booking_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.changed = False
        self.booking = ctx.read(service.get_booking, booking_id)
        b = self.booking
        self.setWindowTitle(tr("预约详情"))
        self.setMinimumWidth(420)
        form = QFormLayout()
        when = f"{b.start:%Y-%m-%d %H:%M} - {b.end:%H:%M}"
        if b.end.date() != b.start.date():
            when = f"{b.start:%Y-%m-%d %H:%M} - {b.end:%Y-%m-%d %H:%M}"
        rows = [
            (tr("编号"), f"R{b.id:06d}"), (tr("场地"), b.room_name), (tr("时间"), when),
            (tr("预约人"), f"{b.booker_name}（{tr(BOOKER_KINDS[b.booker_kind])}）"),
            (tr("用途"), b.purpose), (tr("预计人数"), str(b.headcount)),
            (tr("联系电话"), b.phone), (tr("状态"), b.status_label),
        ]
        if b.series_id is not None:
            series = ctx.read(service.describe_series, b.series_id)
            rows.append((tr("重复"), tr("重复预约中的一次：{series}", series=series)
                         + (tr("（单独改过）") if b.is_exception else "")))
        if b.cancel_reason:
            rows.append((tr("取消原因"), b.cancel_reason))
        if b.notes:
            rows.append((tr("备注"), b.notes))
        for label, value in rows:
            text = QLabel(value)
            text.setWordWrap(True)
            form.addRow(label, text)
        buttons = QHBoxLayout()
        self.check_in_button = QPushButton(tr("签到"))
        self.no_show_button = QPushButton(tr("标记未到"))
        self.cancel_button = QPushButton(tr("取消预约"))
        self.edit_button = QPushButton(tr("修改"))
        self.edit_button.setVisible(b.status in (PENDING, CONFIRMED))
        self.edit_button.clicked.connect(self.edit_booking)
        self.approve_button = QPushButton(tr("批准"))
        self.reject_button = QPushButton(tr("不批准"))
        self.slip_docs = ctx.read(documents.list_documents, kind=printed.KIND_SLIP,
                                  record_type=printed.RECORD_TYPE, record_id=b.id, limit=1)
        self.print_button = QPushButton(tr("补打预约单") if self.slip_docs else tr("打印预约单"))
        self.print_button.setObjectName("printSlip")
        self.print_button.clicked.connect(lambda: print_slip(self, self.ctx, self.booking.id))
        close = QPushButton(tr("关闭"))
        self.check_in_button.setVisible(b.status == CONFIRMED)
        self.no_show_button.setVisible(b.status == CONFIRMED)
        self.cancel_button.setVisible(b.status in (PENDING, CONFIRMED))
        admin_pending = b.status == PENDING and ctx.actor.is_admin
        self.approve_button.setVisible(admin_pending)
        self.reject_button.setVisible(admin_pending)
        for w in (self.approve_button, self.reject_button, self.check_in_button,
                  self.no_show_button, self.edit_button, self.cancel_button):
            buttons.addWidget(w)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(close)
        self.check_in_button.clicked.connect(lambda: self._do(service.check_in))
        self.no_show_button.clicked.connect(lambda: self._do(service.mark_no_show))
        self.approve_button.clicked.connect(lambda: self._do(service.approve))
        self.reject_button.clicked.connect(self.reject_request)
        self.cancel_button.clicked.connect(self.cancel_booking)
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)

    def _do(self, action: object, *args: object, **kwargs: object) -> None:
        if self.ctx.attempt(self, action, self.booking.id, *args,  # type: ignore[arg-type]
                            topic="rooms", **kwargs) is not None:
            self.changed = True
            self.accept()

    def edit_booking(self) -> None:
        dialog = EditBookingDialog(self.ctx, self.booking, self)
        if dialog.exec():
            self.changed = True
            self.accept()

    def reject_request(self) -> None:
        reason, ok = QInputDialog.getText(self, tr("不批准"), tr("不批准的原因："))
        if ok:
            self._do(service.reject, reason)

    def cancel_booking(self) -> None:
        scope = service.SCOPE_ONE
        if self.booking.series_id is not None:
            choices = [tr("仅此次"), tr("此次及以后"), tr("整个重复预约")]
            choice, ok = QInputDialog.getItem(self, tr("取消预约"), tr("取消哪些？"), choices,
                                              0, False)
            if not ok:
                return
            scope = service.SCOPES[choices.index(choice)]
        reason, ok = QInputDialog.getText(self, tr("取消预约"), tr("取消原因："))
        if ok:
            self._do(service.cancel, reason, scope=scope)


class ApprovalQueueDialog(QDialog):
    """审核队列: pending requests with approve / reject (admins)."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("待审核的预约"))
        self.resize(820, 420)
        self.table = QTableWidget(0, 7)
        self.table.setObjectName("pendingTable")
        self.table.setHorizontalHeaderLabels([tr("时间"), tr("场地"), tr("预约人"), tr("用途"),
                                              tr("人数"), tr("联系电话"), tr("提交人")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.approve_button = QPushButton(tr("批准"))
        self.reject_button = QPushButton(tr("不批准"))
        self.approve_button.setEnabled(ctx.actor.is_admin)
        self.reject_button.setEnabled(ctx.actor.is_admin)
        close = QPushButton(tr("关闭"))
        self.approve_button.clicked.connect(self.approve)
        self.reject_button.clicked.connect(self.reject_selected)
        close.clicked.connect(self.accept)
        note = QLabel("" if ctx.actor.is_admin else tr("只有管理员可以审核。"))
        row = QHBoxLayout()
        row.addWidget(note)
        row.addStretch(1)
        for w in (self.approve_button, self.reject_button, close):
            row.addWidget(w)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(row)
        self.load()

    def load(self) -> None:
        self.pending = self.ctx.read(service.pending_bookings)
        self.table.setRowCount(len(self.pending))
        for i, b in enumerate(self.pending):
            values = [f"{b.start:%Y-%m-%d %H:%M}-{b.end:%H:%M}", b.room_name, b.booker_name,
                      b.purpose, str(b.headcount), b.phone, b.created_by]
            for j, value in enumerate(values):
                self.table.setItem(i, j, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        if self.pending:
            self.table.selectRow(0)

    def _selected(self) -> service.BookingInfo | None:
        row = self.table.currentRow()
        return self.pending[row] if 0 <= row < len(self.pending) else None

    def approve(self) -> None:
        b = self._selected()
        if b is not None and self.ctx.attempt(self, service.approve, b.id,
                                              topic="rooms") is not None:
            self.load()

    def reject_selected(self) -> None:
        b = self._selected()
        if b is None:
            return
        reason, ok = QInputDialog.getText(self, tr("不批准"), tr("不批准的原因："))
        if ok and self.ctx.attempt(self, service.reject, b.id, reason,
                                   topic="rooms") is not None:
            self.load()


class EditBookingDialog(QDialog):
    """修改预约: this occurrence only, this and the following, or the whole series."""

    def __init__(self, ctx: DeskContext, booking: service.BookingInfo,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.booking = booking
        self.setWindowTitle(tr("修改预约"))
        self.setMinimumWidth(460)
        self.start = QDateTimeEdit(to_qdatetime(booking.start))
        self.end = QDateTimeEdit(to_qdatetime(booking.end))
        for edit in (self.start, self.end):
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
            edit.setCalendarPopup(True)
        self.purpose = QLineEdit(booking.purpose)
        self.headcount = QSpinBox()
        self.headcount.setRange(0, 9999)
        self.headcount.setValue(booking.headcount)
        self.phone = QLineEdit(booking.phone)
        self.notes = QLineEdit(booking.notes)
        self.scope = QComboBox()
        self.scope.addItem(tr("仅此次"), service.SCOPE_ONE)
        if booking.series_id is not None:
            self.scope.addItem(tr("此次及以后"), service.SCOPE_FOLLOWING)
            self.scope.addItem(tr("整个重复预约"), service.SCOPE_SERIES)
        self.scope.setEnabled(booking.series_id is not None)
        form = QFormLayout()
        form.addRow(tr("修改范围"), self.scope)
        form.addRow(tr("开始"), self.start)
        form.addRow(tr("结束"), self.end)
        form.addRow(tr("用途"), self.purpose)
        form.addRow(tr("预计人数"), self.headcount)
        form.addRow(tr("联系电话"), self.phone)
        form.addRow(tr("备注"), self.notes)
        note = QLabel(tr("修改整个重复预约时，日期不变，只改时间和内容；"
                         "单独改过的那几次保持不变。"))
        note.setWordWrap(True)
        note.setStyleSheet("color: #666;")
        self.message = error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("保存"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def submit(self) -> None:
        start, end = from_qdatetime(self.start.dateTime()), from_qdatetime(self.end.dateTime())
        scope = self.scope.currentData()
        fields = {"purpose": self.purpose.text(), "headcount": self.headcount.value(),
                  "phone": self.phone.text(), "notes": self.notes.text()}
        try:
            if scope == service.SCOPE_ONE:
                self.ctx.run(service.update_booking, self.booking.id, start=start, end=end,
                             topic="rooms", **fields)
            else:
                moved = (start, end) != (self.booking.start, self.booking.end)
                self.ctx.run(service.update_series, self.booking.id, scope=scope,
                             start_time=start.time() if moved else None,
                             end_time=end.time() if moved else None, topic="rooms", **fields)
        except FrontdeskError as exc:
            self.message.setText(exc.message)
            return
        self.accept()
