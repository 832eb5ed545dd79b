"""Driving modal dialogs that the code under test opens itself (start-up, confirmations)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

T = TypeVar("T")


def when_modal(kind: type[T], action: Callable[[T], None]) -> None:
    """Run ``action`` on the modal dialog of ``kind`` as soon as it is open (start-up paints
    the window and opens the database first, so the dialog is not there at once)."""
    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind):
            action(widget)
        else:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)


def isolate_qsettings(folder: Path) -> Path:
    """Send every QSettings the test process makes to INI files under ``folder``, never the
    real ~/.config. Returns the folder."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder / scope.name))
    return folder
