"""Locking the screen after a spell without keyboard or mouse input."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
}


class IdleWatcher(QObject):
    """Emits ``idle`` once input has been absent for ``minutes`` (0 disables)."""

    idle = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.minutes = minutes
        self.last_activity = time.monotonic()
        self.paused = False
        self.timer = QTimer(self)
        self.timer.setInterval(5_000)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY:
            self.last_activity = time.monotonic()
        return False

    def check(self) -> None:
        """Emit ``idle`` if the idle time has run out."""
        if self.paused or self.minutes <= 0:
            return
        window = self.parent()
        if isinstance(window, QWidget) and not window.isVisible():
            return  # a closed or hidden desk has nothing on screen to hide
        if time.monotonic() - self.last_activity >= self.minutes * 60:
            self.paused = True
            self.idle.emit()

    def resume(self) -> None:
        """Start counting again (after the user unlocked)."""
        self.last_activity = time.monotonic()
        self.paused = False
