"""The global scan/search box, and the filter that routes stray keystrokes to it.

A keyboard-wedge scanner "types" a code and presses Enter. Wherever the focus is,
unless it is in a field that takes text, those keys go to the scan box.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from frontdesk.core.i18n import tr


class ScanBox(QLineEdit):
    """One line for a scanned card or a typed name/phone; Enter sends it."""

    scanned = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scanBox")
        self.retranslate()
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(380)
        self.returnPressed.connect(self._send)

    def retranslate(self) -> None:
        """Word the hint in the current language."""
        self.setPlaceholderText(tr("扫码或输入 居民卡号 / 姓名 / 电话，按回车（F2）"))

    def _send(self) -> None:
        text = self.text().strip()
        if text:
            self.scanned.emit(text)
        self.clear()


def takes_text(widget: QWidget | None) -> bool:
    """Whether keystrokes aimed at ``widget`` are meant for it (an input field)."""
    if widget is None:
        return False
    if isinstance(widget, QLineEdit | QTextEdit | QPlainTextEdit | QAbstractSpinBox):
        return not getattr(widget, "isReadOnly", lambda: False)()
    return isinstance(widget, QComboBox) and widget.isEditable()


class ScanRouter(QObject):
    """Sends printable keys that no input field wants to the scan box."""

    def __init__(self, scan_box: ScanBox) -> None:
        super().__init__(scan_box)
        self.scan_box = scan_box

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        # Judge by the widget the key is delivered to: once the first key has moved the
        # focus here, the rest of a scanner's burst follows on its own.
        if not isinstance(watched, QWidget) or watched is self.scan_box or takes_text(watched):
            return False
        if watched.window() is not self.scan_box.window():
            return False  # a dialog or another window
        if QApplication.activeModalWidget() is not None:
            return False
        text = event.text()
        if not text or not text.isprintable() or event.modifiers() & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            return False
        self.scan_box.setFocus(Qt.FocusReason.OtherFocusReason)
        self.scan_box.insert(text)
        return True
