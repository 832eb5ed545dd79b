"""GUI start-up: a database that cannot be used is explained, and nothing is overwritten."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from frontdesk.app import run_gui
from frontdesk.core import startup_cache
from frontdesk.core.db import Database
from frontdesk.ui.dialogs import LoginDialog
from frontdesk.ui.main_window import MainWindow
from tests.helpers.qt import when_modal

# Start-up and login act by the process clock (the wall clock for a user): moved to the
# pinned moment (conftest NOW) for each test.
pytestmark = pytest.mark.usefixtures("process_clock")


def test_corrupt_database_is_explained_and_left_alone(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"not a database" * 500)
    seen: list[str] = []

    def read_and_close(box: QMessageBox) -> None:
        seen.append(box.text())
        box.close()

    when_modal(QMessageBox, read_and_close)
    assert run_gui(str(path), "zh_CN") == 1
    assert seen and "已损坏" in seen[0]
    assert path.read_bytes() == b"not a database" * 500


def test_first_start_sets_up_then_logs_in_then_shows_the_desk(qtbot: QtBot,
                                                             tmp_path: Path) -> None:
    from frontdesk.ui.dialogs import FirstRunDialog
    from frontdesk.ui.opening import OpeningChecklist

    steps: list[str] = []

    def first_run(dialog: FirstRunDialog) -> None:
        dialog.centre_name.setText("新中心")
        dialog.centre_code.setText("NEW01")
        dialog.town.setText("新镇")
        dialog.password.setText("first-pass")
        dialog.password_again.setText("first-pass")
        steps.append("first-run")
        when_modal(LoginDialog, login)
        dialog.submit()

    def login(dialog: LoginDialog) -> None:
        dialog.username.setText("admin")
        dialog.password.setText("first-pass")
        steps.append("login")
        when_modal(OpeningChecklist, checklist)
        dialog.submit()

    def checklist(dialog: OpeningChecklist) -> None:
        # A new centre's admin is shown what is still to set up, right after the first run.
        steps.append(dialog.windowTitle())
        dialog.reject()
        QTimer.singleShot(50, close_main)

    def close_main() -> None:
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible() and w.has_desk]
        if not windows:  # a slow machine: the desk is not up yet
            QTimer.singleShot(20, close_main)
            return
        steps.extend([windows[0].windowTitle(), windows[0].status_date.text()])
        windows[0].close()

    when_modal(FirstRunDialog, first_run)
    url = str(tmp_path / "new.sqlite3")
    assert run_gui(url, "zh_CN") == 0
    assert steps == ["first-run", "login", "开业准备", "邻里前台 — 新中心", "营业日期：2026-11-22"]
    # The next start can paint the window with the centre's name before opening the file.
    assert startup_cache.recall(url) == startup_cache.StartupHint("新中心", "zh_CN")


def _shown_main_window() -> MainWindow:
    windows = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, MainWindow) and w.isVisible()]
    assert len(windows) == 1
    return windows[0]


def test_the_window_is_up_with_the_remembered_centre_before_anyone_logs_in(
        qtbot: QtBot, centre_db: Database) -> None:
    url = centre_db.url
    startup_cache.remember(url, startup_cache.StartupHint("上次的中心名", "zh_CN"))
    seen: dict[str, object] = {}
    app = QApplication.instance()
    assert app is not None

    def at_show() -> None:  # the first paint, before the database is opened
        window = _shown_main_window()
        seen["first title"] = window.windowTitle()

    def at_login(dialog: LoginDialog) -> None:
        window = _shown_main_window()
        seen["behind"] = dialog.parent() is window
        seen["desk"] = window.has_desk
        seen["nav"] = window.nav.isEnabled()
        seen["waiting"] = window.waiting.text()
        # The database has been read by now: the title is the centre's real name.
        seen["title"] = window.windowTitle()
        dialog.reject()

    QTimer.singleShot(0, at_show)  # runs in the processEvents() of the first paint
    when_modal(LoginDialog, at_login)
    assert run_gui(url, None) == 0  # the login was cancelled: a clean exit
    assert seen == {"first title": "邻里前台 — 上次的中心名", "behind": True, "desk": False,
                    "nav": False, "waiting": "请登录", "title": "邻里前台 — 测试邻里中心"}


def test_a_language_changed_since_the_last_start_rewords_the_shell(
        qtbot: QtBot, centre_db: Database) -> None:
    url = centre_db.url
    startup_cache.remember(url, startup_cache.StartupHint("", "en"))  # the database says zh_CN
    seen: list[str] = []

    def at_login(dialog: LoginDialog) -> None:
        window = _shown_main_window()
        seen.extend([window.nav.item(0).text(), window.lock_button.text()])
        dialog.reject()

    when_modal(LoginDialog, at_login)
    assert run_gui(url, None) == 0
    assert seen == ["签到  F3", "锁屏"]


def test_shortcuts_do_nothing_before_login(qtbot: QtBot) -> None:
    window = MainWindow(centre_name="测试中心")
    qtbot.addWidget(window)
    window.show()
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert not window.pages and window.stack.currentWidget() is window.waiting
    assert window.windowTitle() == "邻里前台 — 测试中心"


def test_a_cancelled_first_start_leaves_no_database_behind(qtbot: QtBot, tmp_path: Path) -> None:
    """A --db that does not exist yet (a new centre, or a mistyped shortcut): the first-run
    dialog shows the new file; 退出 takes the file and the folders it needed back."""
    from frontdesk.ui.dialogs import FirstRunDialog

    target = tmp_path / "社工 王" / "数据 文件夹" / "前台.sqlite3"
    seen: list[str] = []

    def cancel(dialog: FirstRunDialog) -> None:
        assert dialog.new_file is not None
        seen.append(dialog.new_file.text())
        seen.append(str(target.exists()))  # made for the dialog, which writes into it
        dialog.reject()

    when_modal(FirstRunDialog, cancel)
    assert run_gui(str(target), "zh_CN") == 0
    assert seen == [f"新数据库文件：{target}（选“退出”则不保留）", "True"]
    assert not (tmp_path / "社工 王").exists()  # (the data folder "home" holds the start's hint)


def test_a_cancelled_first_run_keeps_a_database_it_did_not_make(qtbot: QtBot,
                                                                tmp_path: Path) -> None:
    from frontdesk.core.migrate import open_database
    from frontdesk.ui.dialogs import FirstRunDialog

    target = tmp_path / "empty.sqlite3"
    open_database(str(target)).dispose()  # made earlier (frontdesk demo half-way, a copy)
    seen: list[object] = []

    def cancel(dialog: FirstRunDialog) -> None:
        seen.append(dialog.new_file)
        dialog.reject()

    when_modal(FirstRunDialog, cancel)
    assert run_gui(str(target), "zh_CN") == 0
    assert seen == [None] and target.is_file()
