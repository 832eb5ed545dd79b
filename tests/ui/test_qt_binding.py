"""Guards against a known-bad Qt binding: PySide6 6.12 on Python 3.11 drops a reference to
None on every void call, and the program aborts after a few thousand repaints."""

from __future__ import annotations

import sys

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot


def test_void_qt_calls_keep_none_alive(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.add_widget(widget)
    image = QImage(20, 20, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    before = sys.getrefcount(None)
    for _ in range(1000):
        widget.update()
        painter.fillRect(QRect(0, 0, 5, 5), QColor("red"))
    after = sys.getrefcount(None)
    painter.end()
    assert after >= before - 50, f"None lost {before - after} references in 2,000 Qt calls"
