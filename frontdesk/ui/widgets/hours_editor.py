"""开放时间: a room's opening hours as weekday boxes and times, never as "1-7=08:00-22:00"."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QTimeEdit,
    QWidget,
)

from frontdesk.core.i18n import tr
from frontdesk.rooms.service import DEFAULT_HOURS, WEEKDAY_NAMES, Hours

MIDNIGHT = "24:00"


def _qtime(hhmm: str) -> QTime:
    if hhmm == MIDNIGHT:
        return QTime(0, 0)
    hours, minutes = (int(x) for x in hhmm.split(":"))
    return QTime(hours, minutes)


class HoursEditor(QWidget):
    """Seven rows: a weekday's box (open that day or not), its opening and closing time.

    A closing time of 00:00 means open until midnight (stored as "24:00").
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(2)
        self.days: list[QCheckBox] = []
        self.opens: list[QTimeEdit] = []
        self.closes: list[QTimeEdit] = []
        for weekday, name in enumerate(WEEKDAY_NAMES):
            box = QCheckBox(tr(name))
            box.setObjectName(f"open_{weekday}")
            opening, closing = QTimeEdit(), QTimeEdit()
            for edit in (opening, closing):
                edit.setDisplayFormat("HH:mm")
            opening.setObjectName(f"opens_{weekday}")
            closing.setObjectName(f"closes_{weekday}")
            closing.setToolTip(tr("关门时间填 00:00 表示开到午夜。"))
            box.toggled.connect(opening.setEnabled)
            box.toggled.connect(closing.setEnabled)
            grid.addWidget(box, weekday, 0)
            grid.addWidget(opening, weekday, 1)
            grid.addWidget(QLabel(tr("至")), weekday, 2)
            grid.addWidget(closing, weekday, 3)
            self.days.append(box)
            self.opens.append(opening)
            self.closes.append(closing)
        self.copy_button = QPushButton(tr("各开放日都用周一的时间"))
        self.copy_button.setObjectName("copyMonday")
        self.copy_button.clicked.connect(self.copy_first_day)
        grid.addWidget(self.copy_button, 7, 0, 1, 4)
        grid.setColumnStretch(4, 1)
        self.set_hours([DEFAULT_HOURS] * 7)

    def set_hours(self, hours: Sequence[Hours]) -> None:
        """Show ``hours`` (seven entries, Monday first; None = closed that day)."""
        for weekday, pair in enumerate(hours):
            open_day = pair is not None
            shown = pair or DEFAULT_HOURS
            self.opens[weekday].setTime(_qtime(shown[0]))
            self.closes[weekday].setTime(_qtime(shown[1]))
            self.days[weekday].setChecked(open_day)
            self.opens[weekday].setEnabled(open_day)
            self.closes[weekday].setEnabled(open_day)

    def set_day(self, weekday: int, opening: str | None, closing: str = "") -> None:
        """Open ``weekday`` from ``opening`` to ``closing`` ("HH:MM"), or close it (None)."""
        self.days[weekday].setChecked(opening is not None)
        if opening is not None:
            self.opens[weekday].setTime(_qtime(opening))
            self.closes[weekday].setTime(_qtime(closing))

    def hours(self) -> dict[int, tuple[str, str] | None]:
        """The hours as the rooms service takes them (the service checks they make sense)."""
        result: dict[int, tuple[str, str] | None] = {}
        for weekday in range(7):
            if not self.days[weekday].isChecked():
                result[weekday] = None
                continue
            opening = self.opens[weekday].time().toString("HH:mm")
            closing = self.closes[weekday].time().toString("HH:mm")
            result[weekday] = (opening, MIDNIGHT if closing == "00:00" else closing)
        return result

    def copy_first_day(self) -> None:
        """Give every open day Monday's times (or the first open day's)."""
        first = next((d for d in range(7) if self.days[d].isChecked()), 0)
        for weekday in range(7):
            self.opens[weekday].setTime(self.opens[first].time())
            self.closes[weekday].setTime(self.closes[first].time())
