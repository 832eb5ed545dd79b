"""The booking calendar: columns (rooms on a day, or days of one room), time as rows.

Painted with QPainter (fast for ten rooms). Select a free slot with the mouse or the
keyboard (arrows move, Shift+↑/↓ stretch, Enter books it); click or Enter on a booking
opens it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from frontdesk.core.clock import CENTRE_TZ
from frontdesk.core.db import Database
from frontdesk.core.i18n import tr
from frontdesk.rooms.models import CHECKED_IN, CONFIRMED, NO_SHOW, PENDING
from frontdesk.rooms.service import WEEKDAY_NAMES, BookingInfo, Hours, Schedule

SLOT_MINUTES = 30
ROW_HEIGHT = 24
HEADER_HEIGHT = 44
GUTTER_WIDTH = 56
MIN_COLUMN_WIDTH = 120

STATUS_COLOURS = {
    PENDING: QColor("#f6c453"),
    CONFIRMED: QColor("#5b8def"),
    CHECKED_IN: QColor("#3fa36b"),
    NO_SHOW: QColor("#b0b0b0"),
}
CLOSED_COLOUR = QColor("#e9e9e9")
SELECTION_COLOUR = QColor(192, 57, 43, 70)


@dataclass(frozen=True)
class Column:
    """One column of the grid: a room on a day."""

    title: str
    subtitle: str
    room_id: int
    day: dt.date
    hours: Hours  # None = closed all day
    closed: bool = False
    blocked_by: frozenset[int] = frozenset()  # rooms whose bookings block this one (whole/halves)


class RoomGrid(QWidget):
    """The calendar grid. ``slot_selected(room_id, start, end)``; ``booking_activated(id)``."""

    slot_selected = Signal(int, object, object)
    booking_activated = Signal(int)
    cursor_moved = Signal(QRect)  # where the keyboard cursor is, to scroll it into view

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("roomGrid")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.columns: list[Column] = []
        self.bookings: list[tuple[int, BookingInfo]] = []  # (column index, booking)
        self.blocks: list[tuple[int, BookingInfo]] = []  # bookings of a whole or a half
        self.first_minute = 8 * 60
        self.last_minute = 22 * 60
        self.cursor_col = 0
        self.cursor_row = 0
        self.anchor_row = 0
        self._dragging = False
        self.setToolTip(tr("拖动选择空闲时段新建预约，点击预约查看详情。"
                           "键盘：方向键移动，Shift+上下键扩展，回车确认。"))

    # -- data ------------------------------------------------------------------------------
    def set_data(self, columns: list[Column], bookings: list[BookingInfo]) -> None:
        """Show ``columns`` and the bookings that fall in them."""
        self.columns = columns
        index = {(c.room_id, c.day): i for i, c in enumerate(columns)}
        placed: list[tuple[int, BookingInfo]] = []
        blocks: list[tuple[int, BookingInfo]] = []
        for b in bookings:
            day = b.start.date()
            while day <= b.end.date():
                i = index.get((b.room_id, day))
                if i is not None:
                    placed.append((i, b))
                blocks.extend((j, b) for j, c in enumerate(columns)
                              if c.day == day and b.room_id in c.blocked_by)
                day += dt.timedelta(days=1)
        self.bookings, self.blocks = placed, blocks
        opens = [self._minutes(c.hours[0]) for c in columns if c.hours]
        closes = [self._minutes(c.hours[1]) for c in columns if c.hours]
        self.first_minute = (min(opens) // 60) * 60 if opens else 8 * 60
        self.last_minute = -(-max(closes) // 60) * 60 if closes else 22 * 60
        self.cursor_col = min(self.cursor_col, max(0, len(columns) - 1))
        self.cursor_row = self.anchor_row = min(self.cursor_row, self.rows - 1)
        self.setFixedHeight(HEADER_HEIGHT + self.rows * ROW_HEIGHT + 1)
        self.setMinimumWidth(GUTTER_WIDTH + MIN_COLUMN_WIDTH * max(1, len(columns)))
        self.update()

    @staticmethod
    def _minutes(hhmm: str) -> int:
        hours, minutes = hhmm.split(":")
        return int(hours) * 60 + int(minutes)

    @property
    def rows(self) -> int:
        return max(1, (self.last_minute - self.first_minute) // SLOT_MINUTES)

    def sizeHint(self) -> QSize:
        return QSize(GUTTER_WIDTH + MIN_COLUMN_WIDTH * max(1, len(self.columns)),
                     HEADER_HEIGHT + self.rows * ROW_HEIGHT + 1)

    # -- geometry --------------------------------------------------------------------------
    def column_width(self) -> float:
        return (self.width() - GUTTER_WIDTH) / max(1, len(self.columns))

    def cell_rect(self, col: int, row: int, rows: int = 1) -> QRect:
        """The rectangle of ``rows`` slots from ``row`` in column ``col``."""
        width = self.column_width()
        x = GUTTER_WIDTH + int(col * width)
        return QRect(x, HEADER_HEIGHT + row * ROW_HEIGHT, int((col + 1) * width) - int(col * width),
                     rows * ROW_HEIGHT)

    def slot_time(self, col: int, row: int) -> dt.datetime:
        """When slot ``row`` of column ``col`` starts."""
        minute = self.first_minute + row * SLOT_MINUTES
        midnight = dt.datetime.combine(self.columns[col].day, dt.time(0), CENTRE_TZ)
        return midnight + dt.timedelta(minutes=minute)

    def cell_at(self, pos: QPoint) -> tuple[int, int] | None:
        """The (column, row) under ``pos``, or None outside the grid."""
        if pos.x() < GUTTER_WIDTH or pos.y() < HEADER_HEIGHT or not self.columns:
            return None
        col = int((pos.x() - GUTTER_WIDTH) / self.column_width())
        row = (pos.y() - HEADER_HEIGHT) // ROW_HEIGHT
        if 0 <= col < len(self.columns) and 0 <= row < self.rows:
            return col, row
        return None

    def booking_at(self, col: int, row: int) -> BookingInfo | None:
        """The booking covering slot ``row`` of column ``col``."""
        start = self.slot_time(col, row)
        end = start + dt.timedelta(minutes=SLOT_MINUTES)
        for c, b in self.bookings:
            if c == col and b.start < end and b.end > start:
                return b
        return None

    def blocked_at(self, col: int, row: int) -> BookingInfo | None:
        """A booking of the whole (or a half) that blocks slot ``row`` of column ``col``."""
        start = self.slot_time(col, row)
        end = start + dt.timedelta(minutes=SLOT_MINUTES)
        for c, b in self.blocks:
            if c == col and b.start < end and b.end > start:
                return b
        return None

    def is_open(self, col: int, row: int) -> bool:
        """Whether the room is open during slot ``row`` of column ``col``."""
        column = self.columns[col]
        if column.closed or column.hours is None:
            return False
        minute = self.first_minute + row * SLOT_MINUTES
        return self._minutes(column.hours[0]) <= minute < self._minutes(column.hours[1])

    def _booking_rect(self, col: int, b: BookingInfo) -> QRect:
        midnight = dt.datetime.combine(self.columns[col].day, dt.time(0), CENTRE_TZ)
        top = max(self.first_minute, int((b.start - midnight).total_seconds() // 60))
        bottom = min(self.last_minute, int((b.end - midnight).total_seconds() // 60))
        cell = self.cell_rect(col, 0)
        y1 = HEADER_HEIGHT + (top - self.first_minute) * ROW_HEIGHT // SLOT_MINUTES
        y2 = HEADER_HEIGHT + (bottom - self.first_minute) * ROW_HEIGHT // SLOT_MINUTES
        return QRect(cell.x() + 3, y1 + 1, cell.width() - 6, max(ROW_HEIGHT // 2, y2 - y1 - 2))

    # -- painting --------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, p: QPainter) -> None:
        p.fillRect(self.rect(), QColor("white"))
        grid_pen = QPen(QColor("#d8d8d8"))
        text_pen = QPen(QColor("#333333"))
        base = QFont(self.font())
        bold = QFont(base)
        bold.setBold(True)
        for col, column in enumerate(self.columns):
            for row in range(self.rows):
                if not self.is_open(col, row):
                    p.fillRect(self.cell_rect(col, row), CLOSED_COLOUR)
            head = self.cell_rect(col, 0)
            head_rect = QRect(head.x(), 0, head.width(), HEADER_HEIGHT)
            p.fillRect(head_rect, QColor("#f4ecec"))
            p.setPen(text_pen)
            p.setFont(bold)
            p.drawText(head_rect.adjusted(4, 2, -4, -HEADER_HEIGHT // 2),
                       int(Qt.AlignmentFlag.AlignCenter),
                       p.fontMetrics().elidedText(column.title, Qt.TextElideMode.ElideRight,
                                                  head_rect.width() - 8))
            p.setFont(base)
            subtitle = tr("今日闭馆") if column.closed else column.subtitle
            p.drawText(head_rect.adjusted(4, HEADER_HEIGHT // 2, -4, -2),
                       int(Qt.AlignmentFlag.AlignCenter),
                       p.fontMetrics().elidedText(subtitle, Qt.TextElideMode.ElideRight,
                                                  head_rect.width() - 8))
        p.setPen(grid_pen)
        for row in range(self.rows + 1):
            y = HEADER_HEIGHT + row * ROW_HEIGHT
            p.drawLine(GUTTER_WIDTH if row % 2 else 0, y, self.width(), y)
        for col in range(len(self.columns) + 1):
            x = GUTTER_WIDTH + int(col * self.column_width())
            p.drawLine(x, 0, x, self.height())
        p.setPen(text_pen)
        for row in range(0, self.rows, 60 // SLOT_MINUTES):
            minute = self.first_minute + row * SLOT_MINUTES
            p.drawText(QRect(0, HEADER_HEIGHT + row * ROW_HEIGHT + 2, GUTTER_WIDTH - 6,
                             ROW_HEIGHT), int(Qt.AlignmentFlag.AlignRight),
                       f"{minute // 60:02d}:{minute % 60:02d}")
        if self.hasFocus() or self._dragging:
            self._paint_selection(p)
        for col, b in self.blocks:
            rect = self._booking_rect(col, b)
            p.fillRect(rect, QBrush(QColor("#9aa5b8"), Qt.BrushStyle.BDiagPattern))
            p.setPen(QPen(QColor("#555555")))
            p.drawText(rect.adjusted(4, 2, -4, -2), int(Qt.AlignmentFlag.AlignLeft
                       | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap),
                       tr("{room}已占用", room=b.room_name))
        for col, b in self.bookings:
            self._paint_booking(p, col, b)
        if self.columns and self.hasFocus():
            p.setPen(QPen(QColor("#8b1a1a"), 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(self.cell_rect(self.cursor_col, self.cursor_row).adjusted(1, 1, -1, -1))

    def _paint_selection(self, p: QPainter) -> None:
        if not self.columns:
            return
        top, bottom = sorted((self.anchor_row, self.cursor_row))
        p.fillRect(self.cell_rect(self.cursor_col, top, bottom - top + 1), SELECTION_COLOUR)

    def _paint_booking(self, p: QPainter, col: int, b: BookingInfo) -> None:
        rect = self._booking_rect(col, b)
        colour = STATUS_COLOURS.get(b.status, QColor("#999999"))
        p.setPen(QPen(colour.darker(130)))
        p.setBrush(colour.lighter(150) if b.status == PENDING else colour)
        p.drawRoundedRect(rect, 4, 4)
        p.setPen(QPen(QColor("#222222") if b.status in (PENDING, NO_SHOW) else QColor("white")))
        text = f"{b.start:%H:%M}-{b.end:%H:%M} {b.booker_name}\n{b.purpose}"
        if b.status == PENDING:
            text = f"[{b.status_label}] " + text
        p.drawText(rect.adjusted(4, 2, -4, -2),
                   int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                       | Qt.TextFlag.TextWordWrap), text)

    # -- mouse and keyboard ----------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            cell = self.cell_at(event.pos())
            booking = None if cell is None else (self.booking_at(*cell) or self.blocked_at(*cell))
            if booking is not None:
                # Short slots cut their text: the whole booking on hover.
                QToolTip.showText(event.globalPos(), self.describe(booking), self)
                return True
        return super().event(event)

    @staticmethod
    def describe(b: BookingInfo) -> str:
        """A booking in a few lines (tooltip)."""
        lines = [f"{b.room_name}  {b.start:%m-%d %H:%M}-{b.end:%H:%M}  {b.status_label}",
                 b.booker_name, b.purpose]
        if b.headcount:
            lines.append(tr("预计 {n} 人", n=b.headcount))
        return "\n".join(line for line in lines if line)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position().toPoint())
        if cell is None or event.button() != Qt.MouseButton.LeftButton:
            return
        self.setFocus()
        col, row = cell
        self.cursor_col, self.cursor_row, self.anchor_row = col, row, row
        booking = self.booking_at(col, row) or self.blocked_at(col, row)
        if booking is not None:
            self.update()
            self.booking_activated.emit(booking.id)
            return
        self._dragging = True
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position().toPoint())
        if self._dragging and cell is not None and cell[0] == self.cursor_col:
            self.cursor_row = cell[1]
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._dragging:
            self._dragging = False
            self.emit_selection()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.columns:
            super().keyPressEvent(event)
            return
        key, shift = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = -1 if key == Qt.Key.Key_Up else 1
            self.cursor_row = min(self.rows - 1, max(0, self.cursor_row + step))
            if not shift:
                self.anchor_row = self.cursor_row
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            step = -1 if key == Qt.Key.Key_Left else 1
            self.cursor_col = min(len(self.columns) - 1, max(0, self.cursor_col + step))
            self.anchor_row = self.cursor_row
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            booking = (self.booking_at(self.cursor_col, self.cursor_row)
                       or self.blocked_at(self.cursor_col, self.cursor_row))
            if booking is not None and self.anchor_row == self.cursor_row:
                self.booking_activated.emit(booking.id)
            else:
                self.emit_selection()
            return
        else:
            super().keyPressEvent(event)
            return
        self.cursor_moved.emit(self.cell_rect(self.cursor_col, self.cursor_row))
        self.update()

    def selection(self) -> tuple[int, dt.datetime, dt.datetime]:
        """The selected (room id, start, end)."""
        top, bottom = sorted((self.anchor_row, self.cursor_row))
        start = self.slot_time(self.cursor_col, top)
        end = self.slot_time(self.cursor_col, bottom) + dt.timedelta(minutes=SLOT_MINUTES)
        return self.columns[self.cursor_col].room_id, start, end

    def emit_selection(self) -> None:
        """Offer the selected slot for a new booking."""
        if self.columns:
            self.slot_selected.emit(*self.selection())


def day_columns(schedule: Schedule, day: dt.date) -> list[Column]:
    """The day view's columns: every room on ``day``."""
    names = {r.id: r.name for r in schedule.rooms}
    columns = []
    for room in schedule.rooms:
        part = tr("{whole}的一部分", whole=names.get(room.parent_id, "")) if room.parent_id else ""
        subtitle = part or tr("{n} 人", n=room.capacity)
        related = {r.id for r in schedule.rooms
                   if r.id == room.parent_id or r.parent_id == room.id}
        columns.append(Column(room.name, subtitle, room.id, day, room.hours_on(day),
                              (room.id, day) in schedule.closed, frozenset(related)))
    return columns


def week_columns(schedule: Schedule, room_id: int, monday: dt.date) -> list[Column]:
    """The week view's columns: one room on each day of the week from ``monday``."""
    room = next(r for r in schedule.rooms if r.id == room_id)
    related = frozenset(r.id for r in schedule.rooms
                        if r.id == room.parent_id or r.parent_id == room.id)
    columns = []
    for i in range(7):
        day = monday + dt.timedelta(days=i)
        columns.append(Column(tr(WEEKDAY_NAMES[day.weekday()]), f"{day:%m-%d}", room.id, day,
                              room.hours_on(day), (room.id, day) in schedule.closed, related))
    return columns


class DayViewProbe:
    """The day view drawn offscreen, for `frontdesk bench` (query + layout + paint)."""

    def __init__(self, db: Database, size: tuple[int, int] = (1100, 700)) -> None:
        import os

        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from frontdesk.app import create_application

        self.app = create_application("zh_CN")
        self.db = db
        self.grid = RoomGrid()
        self.grid.resize(*size)

    def render(self, day: dt.date) -> int:
        """Load ``day`` and paint it; returns how many bookings were drawn."""
        from frontdesk.rooms.service import schedule

        with self.db.read() as session:
            sched = schedule(session, day, day)
        self.grid.set_data(day_columns(sched, day), list(sched.bookings))
        self.grid.grab()
        return len(self.grid.bookings)

    def close(self) -> None:
        """Free the widget while Qt is still fully alive (not during interpreter shutdown)."""
        self.grid.deleteLater()
        del self.grid
        self.app.processEvents()  # type: ignore[attr-defined]
