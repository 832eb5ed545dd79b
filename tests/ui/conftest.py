"""Qt fixtures: a logged-in desk context and the main window, offscreen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from frontdesk.core.actor import Actor
from frontdesk.core.db import Database
from frontdesk.core.i18n import set_language
from frontdesk.ui.context import DeskContext
from frontdesk.ui.main_window import MainWindow
from tests.helpers.qt import isolate_qsettings


@pytest.fixture(autouse=True)
def _isolated_qsettings(tmp_path: Path) -> Iterator[Path]:
    """QSettings made in the test process, with or without FRONTDESK_PC_SETTINGS, go to an INI
    file under this test's folder, never the real ~/.config (the root conftest also points
    FRONTDESK_PC_SETTINGS at a file of its own). Yields the folder."""
    yield isolate_qsettings(tmp_path / "qsettings")


@pytest.fixture
def desk_context(centre_db: Database, admin: Actor) -> DeskContext:
    """The desk as the administrator sees it."""
    return DeskContext(centre_db, admin)


@pytest.fixture
def main_window(qtbot: QtBot, desk_context: DeskContext) -> Iterator[MainWindow]:
    """The main window, shown offscreen."""
    window = MainWindow(desk_context)
    qtbot.add_widget(window)
    window.show()
    qtbot.wait_exposed(window)
    yield window
    window.close()


@pytest.fixture(params=["zh_CN", "en"])
def ui_language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """Chinese, then English, in the shipped fonts the program itself uses (Noto Sans SC
    11 pt): widths measured here are the widths a user sees. Restores the test font."""
    from frontdesk.ui.fonts import load_fonts

    old_font = qapp.font()
    load_fonts(qapp)
    set_language(request.param)
    yield request.param
    set_language("zh_CN")
    qapp.setFont(old_font)
