"""Qt fixtures: a logged-in desk context and the main window, offscreen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from frontdesk.core.actor import Actor
from frontdesk.core.db import Database
from frontdesk.ui.context import DeskContext
from frontdesk.ui.main_window import MainWindow


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
