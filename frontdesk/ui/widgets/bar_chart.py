"""A small bar chart painted with QPainter (QtCharts is not shipped with the app)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR = QColor("#c0392b")
BAR_LAST = QColor("#8b1a1a")
TEXT = QColor("#333333")
AXIS = QColor("#bbbbbb")


class BarChart(QWidget):
    """Bars with their value on top and a label below; the last bar (today) is darker."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[tuple[str, int]] = []
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_bars(self, bars: list[tuple[str, int]]) -> None:
        """Show ``(label, value)`` bars, left to right."""
        self.bars = list(bars)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        if not self.bars:
            painter.end()
            return
        slot = self.width() / len(self.bars)
        # Narrow bars: shrink the text until the widest value fits its bar's slot.
        font = painter.font()
        widest = max((str(v) for _, v in self.bars), key=len)
        while painter.fontMetrics().horizontalAdvance(widest + "0") > slot and \
                font.pointSizeF() > 6:
            font.setPointSizeF(font.pointSizeF() - 0.5)
            painter.setFont(font)
        metrics = painter.fontMetrics()
        text_h = metrics.height()
        top, bottom = text_h + 4, self.height() - text_h - 6
        usable = max(1, bottom - top)
        peak = max(1, max(v for _, v in self.bars))
        painter.setPen(AXIS)
        painter.drawLine(0, bottom, self.width(), bottom)
        for i, (label, value) in enumerate(self.bars):
            height = usable * value / peak
            x = i * slot + slot * 0.15
            rect = QRectF(x, bottom - height, slot * 0.7, height)
            painter.fillRect(rect, BAR_LAST if i == len(self.bars) - 1 else BAR)
            painter.setPen(TEXT)
            painter.drawText(QRectF(i * slot, bottom - height - text_h - 2, slot, text_h),
                             Qt.AlignmentFlag.AlignCenter, str(value))
            painter.drawText(QRectF(i * slot, bottom + 3, slot, text_h),
                             Qt.AlignmentFlag.AlignCenter, label)
        painter.end()
