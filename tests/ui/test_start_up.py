"""GUI start-up: a database that cannot be used is explained, and nothing is overwritten."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from frontdesk.app import run_gui


def test_corrupt_database_is_explained_and_left_alone(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"not a database" * 500)
    seen: list[str] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        box.close()

    QTimer.singleShot(0, read_and_close)
    assert run_gui(str(path), "zh_CN") == 1
    assert seen and "已损坏" in seen[0]
    assert path.read_bytes() == b"not a database" * 500


def test_first_start_sets_up_then_logs_in_then_shows_the_desk(qtbot: QtBot,
                                                             tmp_path: Path) -> None:
    from frontdesk.ui.dialogs import FirstRunDialog, LoginDialog
    from frontdesk.ui.main_window import MainWindow

    steps: list[str] = []

    def first_run() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, FirstRunDialog)
        dialog.centre_name.setText("新中心")
        dialog.centre_code.setText("NEW01")
        dialog.town.setText("新镇")
        dialog.password.setText("first-pass")
        dialog.password_again.setText("first-pass")
        steps.append("first-run")
        QTimer.singleShot(0, login)
        dialog.submit()

    def login() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, LoginDialog)
        dialog.username.setText("admin")
        dialog.password.setText("first-pass")
        steps.append("login")
        QTimer.singleShot(50, close_main)
        dialog.submit()

    def close_main() -> None:
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]
        if not windows:  # a slow machine: the desk is not up yet
            QTimer.singleShot(20, close_main)
            return
        steps.append(windows[0].windowTitle())
        windows[0].close()

    QTimer.singleShot(0, first_run)
    assert run_gui(str(tmp_path / "new.sqlite3"), "zh_CN") == 0
    assert steps == ["first-run", "login", "邻里前台 — 新中心"]
