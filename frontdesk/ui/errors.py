"""Unexpected errors in the desk program: logged, then told to the user in plain words.

An exception that escapes a slot or an event handler reaches ``sys.excepthook``
(``frontdesk.core.log``), which writes the traceback to the log and hands it to
:func:`report`. The user sees :class:`UnexpectedErrorDialog`: what was being done (the page
and the button, when known), whether anything was saved, where the log is, and a
「复制详情」 button that puts the full report on the clipboard. Never a traceback on screen,
never nothing; the program keeps running.

"Nothing was saved" is said only when it is true. Every action writes in one transaction
(``DeskContext.run``), which an exception rolls back; but one click can run several
actions (issue a ticket, then archive its receipt). :func:`track_commits` remembers the
Python stack of the last commit that wrote something; if the failing slot's frame was on it,
that slot had already saved part of its work, and the dialog says so instead.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import FrameType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from frontdesk.core import log
from frontdesk.core.errors import FrontdeskError
from frontdesk.core.i18n import tr

if TYPE_CHECKING:
    from frontdesk.ui.error_dialog import UnexpectedErrorDialog

# Start-up cost: this module is imported before the window shows, so it touches only Qt
# classes start-up has loaded already; the dialog (frontdesk.ui.error_dialog) is imported at
# the first error.

# -- did the failing action save anything? -----------------------------------------------------

_last_commit_stack: tuple[FrameType, ...] = ()
_tracking = False


def track_commits() -> None:
    """Remember the stack of every commit that wrote something (idempotent; the database
    layer is imported by then, so this costs start-up nothing)."""
    global _tracking
    if _tracking:
        return
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    def wrote(session: Session, *_args: Any) -> None:
        session.info["frontdesk_wrote"] = True

    def dml(state: Any) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            state.session.info["frontdesk_wrote"] = True

    def committed(session: Session) -> None:
        global _last_commit_stack
        if session.info.pop("frontdesk_wrote", False):
            frames = []
            frame: FrameType | None = sys._getframe(1)
            while frame is not None:
                frames.append(frame)
                frame = frame.f_back
            _last_commit_stack = tuple(frames)

    def rolled_back(session: Session, *_args: Any) -> None:
        session.info.pop("frontdesk_wrote", None)

    event.listen(Session, "after_flush", wrote)
    event.listen(Session, "do_orm_execute", dml)
    event.listen(Session, "after_commit", committed)
    event.listen(Session, "after_rollback", rolled_back)
    _tracking = True


def saved_before(tb: Any) -> bool:
    """Whether the function where the error surfaced (the slot Qt called) had already
    committed a write before it failed."""
    if tb is None:
        return False
    top = tb.tb_frame
    return any(frame is top for frame in _last_commit_stack)


# -- what was being done -----------------------------------------------------------------------

def _clean(text: str) -> str:
    return text.replace("&", "").rstrip(".…").strip()


def _sender_button(tb: Any) -> QAbstractButton | None:
    """The button whose signal ran the failing slot: the slot's ``self`` still knows its
    sender while the hook runs (PySide reports the error inside the signal's delivery)."""
    frame = tb.tb_frame if tb is not None else None
    receiver = frame.f_locals.get("self") if frame is not None else None
    if isinstance(receiver, QObject):
        try:
            sender = receiver.sender()
        except RuntimeError:  # the receiver is being deleted
            return None
        if isinstance(sender, QAbstractButton):
            return sender
    return None


def current_action(tb: Any = None) -> str:
    """What the user was doing, as far as the screen shows it: the page of the active main
    window and the button that was clicked (the slot's sender, else the focused button)."""
    from frontdesk.ui.main_window import MainWindow
    from frontdesk.ui.pages import PAGES

    parts = []
    window = QApplication.activeWindow()
    main = window if isinstance(window, MainWindow) else None
    if main is None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                main = widget
                break
    if main is not None and main.has_desk and 0 <= main.nav.currentRow() < len(PAGES):
        parts.append(tr(PAGES[main.nav.currentRow()].title))
    button = _sender_button(tb)
    focus = QApplication.focusWidget()
    if button is None and isinstance(focus, QAbstractButton):
        button = focus
    if button is not None and _clean(button.text()):
        parts.append(_clean(button.text()))
    elif window is not None and window is not main and _clean(window.windowTitle()):
        parts.append(_clean(window.windowTitle()))  # a dialog's own title
    return " · ".join(parts)


# -- reporting ---------------------------------------------------------------------------------

class _Bridge(QObject):
    """Carries an error to the GUI thread and shows it once control is back in the event
    loop (never a nested dialog inside the failing slot or paint event)."""

    error = Signal(object, str, bool, str)
    notice = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.dialog: UnexpectedErrorDialog | None = None
        self.error.connect(self._show, Qt.ConnectionType.QueuedConnection)
        self.notice.connect(self._notice, Qt.ConnectionType.QueuedConnection)

    def _show(self, exc: object, what: str, saved: bool, report: str) -> None:
        if isinstance(exc, FrontdeskError):  # a refusal a page forgot to catch: as a refusal
            from frontdesk.ui.context import show_error

            show_error(QApplication.activeWindow(), exc.message)
            return
        from frontdesk.ui.error_dialog import UnexpectedErrorDialog

        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.add_report(report)
            return
        self.dialog = UnexpectedErrorDialog(what, saved, report, _parent())
        self.dialog.finished.connect(self._closed)
        self.dialog.open()

    def _closed(self) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def _notice(self, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Warning, tr("日志无法写入"), message,
                          QMessageBox.StandardButton.Ok, _parent())
        box.setObjectName("logProblem")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()


_bridge: _Bridge | None = None


def _parent() -> QWidget | None:
    from frontdesk.ui.main_window import MainWindow

    window = QApplication.activeWindow()
    if window is not None and window.objectName() != "unexpectedError":
        return window
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow) and widget.isVisible():
            return widget
    return None


def report(exc_info: log.ExcInfo, details: str) -> None:
    """``frontdesk.core.log``'s reporter in the GUI: the dialog, shown from the event loop."""
    exc_type, exc, tb = exc_info
    if issubclass(exc_type, KeyboardInterrupt):  # Ctrl-C in the console that started it
        QApplication.quit()
        return
    if _bridge is None:
        return
    _bridge.error.emit(exc, _action_line(details), saved_before(tb), details)


def _action_line(details: str) -> str:
    for line in details.splitlines()[:4]:
        if line.startswith("action: "):
            return line.removeprefix("action: ")
    return ""


def describe(tb: Any) -> str:
    """``frontdesk.core.log``'s describer in the GUI: the page and button (GUI thread only)."""
    from PySide6.QtCore import QThread

    app = QApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        return ""
    return current_action(tb)


def announce(message: str) -> None:
    """``frontdesk.core.log``'s announcer in the GUI: the log cannot be written (once)."""
    if _bridge is not None:
        _bridge.notice.emit(message)


def install() -> Callable[[], None]:
    """Report unexpected errors and log problems through the GUI from now on; returns the
    function that undoes it (start-up calls it when the program ends)."""
    global _bridge
    _bridge = _Bridge()
    log.set_reporter(report, describe)
    log.set_announcer(announce)

    def undo() -> None:
        global _bridge
        log.set_reporter(None)
        log.set_announcer(None)
        if _bridge is not None and _bridge.dialog is not None:
            _bridge.dialog.close()
        _bridge = None

    return undo


def open_dialog() -> UnexpectedErrorDialog | None:
    """The unexpected-error dialog on screen now, if any (tests, screenshots)."""
    return _bridge.dialog if _bridge is not None else None


def show_now(exc_info: log.ExcInfo, what: str) -> None:
    """An error before the event loop runs (start-up): logged, and shown at once (modal).
    Without a screen (offscreen: a smoke run, a test) nobody could close it: one line on
    stderr instead."""
    from frontdesk.ui.error_dialog import UnexpectedErrorDialog

    details = log.record_unexpected(exc_info, what)
    if QApplication.platformName() == "offscreen":
        print(tr("程序出错（{error}），{action}没有完成。详情已记入日志：{where}",
                 error=exc_info[0].__name__, action=what, where=log.where()),
              file=sys.stderr, flush=True)
        return
    dialog = UnexpectedErrorDialog(what, saved_before(exc_info[2]), details, _parent())
    dialog.exec()


# -- Qt's own messages -------------------------------------------------------------------------

def install_qt_message_handler() -> Callable[[], None]:
    """Qt's warnings (qWarning, failed style sheets, missing plugins) into the same log;
    the handler that was there before (a test's) still gets them. Returns the undo."""
    import logging

    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    qt_log = logging.getLogger("qt")
    levels = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
              QtMsgType.QtWarningMsg: logging.WARNING,
              QtMsgType.QtCriticalMsg: logging.ERROR, QtMsgType.QtFatalMsg: logging.CRITICAL}
    previous: Any = None

    def handler(kind: QtMsgType, context: Any, message: str) -> None:
        where = f" ({context.file}:{context.line})" if context is not None and context.file else ""
        qt_log.log(levels.get(kind, logging.WARNING), "%s%s", message, where)
        if previous is not None:
            previous(kind, context, message)

    previous = qInstallMessageHandler(handler)

    def undo() -> None:
        qInstallMessageHandler(previous)

    return undo
