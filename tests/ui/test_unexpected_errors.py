"""An unexpected error from a real button click in the real main window: logged with its
traceback, shown in plain words (what was done, whether anything was saved, where the log
is, 复制详情), and the program keeps working. Plus the residents merge that used to vanish.

Fault injection: a service function is replaced by one that raises (monkeypatch); the
click, the transaction, the log file and the dialog are the real ones. pytest-qt's own
exception capture is switched off for these tests, so the program's hook sees the error.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from frontdesk.canteen import service as canteen_service
from frontdesk.core import audit, log
from frontdesk.core.actor import Actor
from frontdesk.core.audit import AuditEntry
from frontdesk.core.clock import FixedClock
from frontdesk.core.db import Database
from frontdesk.core.i18n import set_language
from frontdesk.rooms import service as rooms_service
from frontdesk.ui import errors
from frontdesk.ui.context import DeskContext
from frontdesk.ui.error_dialog import UnexpectedErrorDialog
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.pages.residents_page import ResidentsPage
from frontdesk.ui.pages.rooms_page import RoomsPage
from tests.canteen.conftest import Canteen, add_resident, canteen  # noqa: F401
from tests.helpers.qt import when_modal

SHOTS = Path("/work/notes/shots")

pytestmark = pytest.mark.qt_no_exception_capture


@pytest.fixture
def error_reporting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The program's own error path, as ``frontdesk`` installs it: the log in the test's data
    folder, sys.excepthook → log → the GUI's dialog. Returns the log file."""
    handler = log.setup("INFO", folder=tmp_path / "logs")
    monkeypatch.setattr(sys, "excepthook", log.excepthook)
    undo = errors.install()
    yield handler.path
    undo()
    log.close()


def _rooms(qtbot: QtBot, ctx: DeskContext) -> tuple[MainWindow, RoomsPage]:
    window = MainWindow(ctx)
    qtbot.add_widget(window)
    window.show()
    qtbot.wait_exposed(window)
    page = window.show_page("rooms")
    assert isinstance(page, RoomsPage)
    return window, page


def _dialog(qtbot: QtBot) -> UnexpectedErrorDialog:
    qtbot.waitUntil(lambda: errors.open_dialog() is not None
                    and errors.open_dialog().isVisible(), timeout=5000)  # type: ignore[union-attr]
    dialog = errors.open_dialog()
    assert dialog is not None
    return dialog


def _audit_count(db: Database, action: str) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.action == action)) or 0


def _inject(monkeypatch: pytest.MonkeyPatch, *, raise_after_write: bool = True) -> None:
    """``release_no_shows`` writes an audit row, then fails unexpectedly."""
    def broken(session: object, actor: Actor) -> list[object]:
        audit.record(session, actor, "test.half_done", "booking", 1, "written, then a bug")  # type: ignore[arg-type]
        raise RuntimeError("injected fault: a bug in release_no_shows")

    monkeypatch.setattr(rooms_service, "release_no_shows", broken)


def test_a_bug_behind_a_button_is_logged_and_told_and_nothing_is_saved(
        qtbot: QtBot, desk_context: DeskContext, error_reporting: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    window, page = _rooms(qtbot, desk_context)
    _inject(monkeypatch)
    qtbot.mouseClick(page.release_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(qtbot)

    # The log has the whole traceback; the screen has none of it.
    logged = error_reporting.read_text(encoding="utf-8")
    assert "unexpected error" in logged and "Traceback (most recent call last)" in logged
    assert "RuntimeError: injected fault: a bug in release_no_shows" in logged
    assert "rooms_page.py" in logged
    shown = " ".join(label.text() for label in (dialog.heading, dialog.saved_line,
                                                dialog.go_on, dialog.log_line))
    assert "Traceback" not in shown and "RuntimeError" not in shown
    assert dialog.heading.text() == "“场地预约 · 释放未到”没有完成：程序出了意外的错误。"
    assert dialog.saved_line.text() == "这次操作没有保存任何内容，可以再试一次。"
    assert str(error_reporting).replace("/", "/\u200b") in dialog.log_line.text()
    # ... and that is true: the row written before the bug was rolled back with it.
    assert _audit_count(desk_context.db, "test.half_done") == 0

    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert "RuntimeError: injected fault" in copied and str(error_reporting) in copied
    assert "action: 场地预约 · 释放未到" in copied

    # A second error while the dialog is open joins it (one dialog, not a pile).
    qtbot.mouseClick(page.release_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.extra == 1)
    assert "又发生了 1 次错误" in dialog.more.text()
    assert len([w for w in QApplication.topLevelWidgets()
                if isinstance(w, UnexpectedErrorDialog) and w.isVisible()]) == 1

    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    # The program carries on: the page still works.
    monkeypatch.undo()
    monkeypatch.setattr(sys, "excepthook", log.excepthook)
    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    assert window.isVisible() and errors.open_dialog() is None


def test_a_bug_after_a_save_in_the_same_click_says_part_was_saved(
        qtbot: QtBot, desk_context: DeskContext, error_reporting: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _, page = _rooms(qtbot, desk_context)
    real = rooms_service.release_no_shows

    def writes(session: object, actor: Actor) -> object:
        audit.record(session, actor, "test.saved", "booking", 1, "saved")  # type: ignore[arg-type]
        return real(session, actor)  # type: ignore[arg-type]

    def broken_say(text: str) -> None:
        raise RuntimeError("injected fault after the save")

    monkeypatch.setattr(rooms_service, "release_no_shows", writes)
    monkeypatch.setattr(page, "say", broken_say)
    qtbot.mouseClick(page.release_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(qtbot)
    assert _audit_count(desk_context.db, "test.saved") == 1
    assert "已经保存了一部分" in dialog.saved_line.text()
    dialog.accept()


def test_a_refusal_that_escapes_a_page_is_shown_as_a_refusal(
        qtbot: QtBot, desk_context: DeskContext, error_reporting: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from frontdesk.core.errors import RuleError

    _, page = _rooms(qtbot, desk_context)

    def refuse() -> None:
        raise RuleError("这一天已经日结，不能再改。")

    monkeypatch.setattr(page, "say", lambda text: refuse())
    seen: list[str] = []

    def read(box: QMessageBox) -> None:
        seen.append(box.text())
        box.accept()

    when_modal(QMessageBox, read)
    qtbot.mouseClick(page.release_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: seen == ["这一天已经日结，不能再改。"], timeout=5000)
    assert errors.open_dialog() is None
    assert "refused (not caught by the screen)" in error_reporting.read_text(encoding="utf-8")


def test_the_dialog_speaks_english_when_english_is_chosen(
        qtbot: QtBot, desk_context: DeskContext, error_reporting: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    set_language("en")
    _, page = _rooms(qtbot, desk_context)
    _inject(monkeypatch)
    qtbot.mouseClick(page.release_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(qtbot)
    assert dialog.windowTitle() == "Unexpected error"
    assert dialog.heading.text() == ('"Rooms · Release no-shows" did not finish: the '
                                     'program ran into an unexpected error.')
    assert dialog.saved_line.text() == "Nothing was saved for this action; you can try again."
    assert dialog.copy_button.text() == "Copy details"
    dialog.accept()


def test_a_log_that_cannot_be_written_is_said_once_in_the_dialog_too(
        qtbot: QtBot, desk_context: DeskContext, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the log folder should be", encoding="utf-8")
    log.setup("INFO", folder=blocker / "logs")
    monkeypatch.setattr(sys, "excepthook", log.excepthook)
    undo = errors.install()
    notices: list[str] = []
    when_modal(QMessageBox, lambda box: (notices.append(box.text()), box.accept()))
    try:
        _, page = _rooms(qtbot, desk_context)
        _inject(monkeypatch)
        qtbot.mouseClick(page.release_button, Qt.MouseButton.LeftButton)
        dialog = _dialog(qtbot)
        assert "没能写进日志" in dialog.log_line.text()
        assert "RuntimeError: injected fault" in dialog.details()  # still on the clipboard
        dialog.accept()
        qtbot.waitUntil(lambda: len(notices) == 1, timeout=5000)  # the one-time notice
        assert "程序照常运行" in notices[0] and str(blocker) in notices[0]
        qtbot.mouseClick(page.release_button, Qt.MouseButton.LeftButton)
        _dialog(qtbot).accept()
        qtbot.wait(50)
        assert len(notices) == 1  # once, not at every record
    finally:
        undo()
        log.close()


def _shot(window: MainWindow, dialog: UnexpectedErrorDialog, size: tuple[int, int],
          out: Path) -> QPixmap:
    """The screen as the user sees it: the window filling a WxH screen, the dialog centred
    over it (where Qt puts a dialog on its parent)."""
    window.resize(*size)
    QApplication.processEvents()
    dialog.adjustSize()
    picture = QPixmap(*size)
    picture.fill(Qt.GlobalColor.white)
    painter = QPainter(picture)
    painter.drawPixmap(0, 0, window.grab())
    at = QPoint((size[0] - dialog.width()) // 2, (size[1] - dialog.height()) // 2)
    painter.fillRect(at.x() - 1, at.y() - 1, dialog.width() + 2, dialog.height() + 2,
                     Qt.GlobalColor.darkGray)
    painter.drawPixmap(at, dialog.grab())
    painter.end()
    out.parent.mkdir(parents=True, exist_ok=True)
    assert picture.save(str(out))
    return picture


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_screenshot_of_the_dialog_at_1366_and_1024(
        qtbot: QtBot, qapp: QApplication, desk_context: DeskContext, error_reporting: Path,
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, lang: str) -> None:
    """PNGs for the issue's record (under /work/notes/shots when that folder can be made)."""
    from frontdesk.ui.fonts import load_fonts

    old_font = qapp.font()
    load_fonts(qapp)  # the shipped fonts, as the program shows them
    set_language(lang)
    try:
        window, page = _rooms(qtbot, desk_context)
        _inject(monkeypatch)
        qtbot.mouseClick(page.release_button, Qt.MouseButton.LeftButton)
        dialog = _dialog(qtbot)
        folder = SHOTS if SHOTS.parent.is_dir() else tmp_path
        for size in ((1366, 768), (1024, 768)):
            _shot(window, dialog, size, folder / f"unexpected-error-{lang}-{size[0]}x{size[1]}.png")
            # Nothing clipped: the dialog fits the screen, every line wraps inside it.
            assert dialog.width() <= size[0] - 40 and dialog.height() <= size[1] - 80
            for label in (dialog.heading, dialog.saved_line, dialog.go_on, dialog.log_line):
                assert label.heightForWidth(label.width()) <= label.height() + 1, label.text()
        dialog.accept()
    finally:
        qapp.setFont(old_font)


# -- the residents merge that used to fail with an IntegrityError nobody saw ------------------

def test_merging_two_subsidised_records_is_refused_in_a_dialog(
        qtbot: QtBot, centre_db: Database, admin: Actor, canteen: Canteen,  # noqa: F811
        clock: FixedClock, error_reporting: Path) -> None:
    clock.moment = clock.moment.replace(hour=11, minute=30)
    twin = add_resident(centre_db, admin, "林伯", dt.date(1956, 5, 5), card="C0099")
    with centre_db.session() as session:
        canteen_service.issue_ticket(session, admin, resident_id=canteen.aged70)
        canteen_service.issue_ticket(session, admin, resident_id=twin)
    window = MainWindow(DeskContext(centre_db, admin))
    qtbot.add_widget(window)
    window.show()
    page = window.show_page("residents")
    assert isinstance(page, ResidentsPage)
    page.open_resident(canteen.aged70)
    seen: list[str] = []

    def refusal(box: QMessageBox) -> None:
        seen.append(box.text())
        box.accept()

    def reason(dialog: QInputDialog) -> None:
        dialog.setTextValue("重复登记")
        when_modal(QMessageBox, refusal)
        dialog.accept()

    def which(dialog: QInputDialog) -> None:
        dialog.setIntValue(twin)
        when_modal(QInputDialog, reason)
        dialog.accept()

    when_modal(QInputDialog, which)
    qtbot.mouseClick(page.merge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert "同一餐次都领了补助餐" in seen[0] and "作废" in seen[0]
    assert errors.open_dialog() is None  # a refusal, not an unexpected error
    assert "IntegrityError" not in error_reporting.read_text(encoding="utf-8") \
        if error_reporting.exists() else True


def test_qt_messages_go_to_the_same_log(qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtCore import qInfo

    handler = log.setup("INFO", folder=tmp_path / "logs")
    undo = errors.install_qt_message_handler()
    try:
        qInfo("a message from Qt itself")
    finally:
        undo()
    qInfo("after the handler was removed")
    text = handler.path.read_text(encoding="utf-8")
    log.close()
    assert " INFO    " in text and "qt: a message from Qt itself" in text
    assert "after the handler was removed" not in text


def test_the_desk_on_an_unsupported_database_says_so_and_exits_1(qtbot: QtBot) -> None:
    from frontdesk.app import run_gui

    seen: list[str] = []
    when_modal(QMessageBox, lambda box: (seen.append(box.text()), box.accept()))
    assert run_gui("mysql://desk:secret@server/centre", "zh_CN") == 1
    assert seen and "不支持这种数据库" in seen[0] and "secret" not in seen[0]
    assert errors.open_dialog() is None
