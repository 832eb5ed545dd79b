"""The town's screens with real widgets offscreen: town admin login, centre picker, 切换中心."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from frontdesk.app import run_gui
from frontdesk.core.actor import ROLE_TOWN
from frontdesk.core.db import Database
from frontdesk.town import service as town
from frontdesk.ui.dialogs import LoginDialog
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.town import (
    CentrePickerDialog,
    TownLoginDialog,
    TownSession,
    is_town_database,
)
from tests.helpers.qt import when_modal

from .conftest import TOWN_ADMIN, TOWN_PASSWORD, Town

PG_URL = os.environ.get("FRONTDESK_TEST_PG_URL", "")
# Start-up, logins and the town's screens act by the process clock (the wall clock for a
# user): moved to the town tests' pinned moment for each test.
pytestmark = pytest.mark.usefixtures("process_clock")


def test_an_ordinary_database_keeps_the_usual_start_up(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'desk.sqlite3'}"
    assert not is_town_database(url)
    assert not (tmp_path / "desk.sqlite3").exists()  # asking created nothing


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="FRONTDESK_TEST_PG_URL is not set")
def test_town_login_then_the_centre_picker(qtbot: QtBot, town_db: Town, tmp_path: Path
                                           ) -> None:
    assert is_town_database(town_db.url)
    whole = town_db.whole()
    login = TownLoginDialog(whole, "测试街道")
    qtbot.add_widget(login)
    login.resize(login.sizeHint())
    login.username.setText(TOWN_ADMIN)
    login.password.setText("wrong")
    login.submit()
    assert login.message.text() == "用户名或密码错误。还可以再试 4 次。"
    login.grab().save(str(tmp_path / "town-login.png"))
    login.password.setText(TOWN_PASSWORD)
    login.submit()
    assert login.result() == TownLoginDialog.DialogCode.Accepted
    assert login.admin is not None and login.admin.display_name == "张镇长"

    with whole.read() as session:
        centres = town.list_centres(session)
    picker = CentrePickerDialog(centres)
    qtbot.add_widget(picker)
    picker.resize(picker.sizeHint())
    cells = [[picker.table.item(r, c).text() for c in range(3)] for r in range(2)]
    assert cells == [["阳光邻里中心", "aa", "（未日结过）"], ["月亮邻里中心", "bb", "（未日结过）"]]
    picker.grab().save(str(tmp_path / "town-picker.png"))
    picker.table.selectRow(1)
    picker.choose()
    assert picker.result() == CentrePickerDialog.DialogCode.Accepted and picker.code == "bb"
    for name in ("town-login.png", "town-picker.png"):
        assert (tmp_path / name).stat().st_size > 5_000


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="FRONTDESK_TEST_PG_URL is not set")
def test_a_town_admin_opens_a_centre_and_switches_to_another(qtbot: QtBot, town_db: Town
                                                             ) -> None:
    with town_db.whole().read() as session:
        admin = town.active_admin(session, TOWN_ADMIN)
    session_ = TownSession(town_db.url, admin)
    window = session_.open_centre("aa")
    session_.window = window
    qtbot.add_widget(window)
    window.show()
    QApplication.processEvents()  # the first page loads just after the window shows
    assert "阳光邻里中心" in window.windowTitle()
    assert window.ctx.actor.role == ROLE_TOWN and window.ctx.db.centre == "aa"
    button = window.findChild(QPushButton, "switchCentreButton")
    assert button is not None and button.text() == "切换中心"

    def pick_bb() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, CentrePickerDialog)
        assert dialog.table.currentRow() == 0  # the current centre is preselected
        dialog.table.selectRow(1)
        dialog.choose()

    QTimer.singleShot(0, pick_bb)
    button.click()
    assert session_.window is not window and session_.window is not None
    qtbot.add_widget(session_.window)
    assert "月亮邻里中心" in session_.window.windowTitle()
    assert session_.window.ctx.db.centre == "bb"
    assert session_.window.findChild(QPushButton, "switchCentreButton") is not None
    QApplication.processEvents()
    session_.window.close()
    session_.window.ctx.db.dispose()


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="FRONTDESK_TEST_PG_URL is not set")
def test_a_centre_login_dialog_accepts_a_town_admin(qtbot: QtBot, town_db: Town) -> None:
    db = town_db.centre("BB")
    dialog = LoginDialog(db, "月亮邻里中心")
    qtbot.add_widget(dialog)
    dialog.username.setText(TOWN_ADMIN)
    dialog.password.setText(TOWN_PASSWORD)
    dialog.submit()
    assert dialog.actor is not None and dialog.actor.role == ROLE_TOWN
    dialog2 = LoginDialog(db, "月亮邻里中心")
    qtbot.add_widget(dialog2)
    dialog2.username.setText("adminA")  # another centre's admin
    dialog2.password.setText("centre-secret")
    dialog2.submit()
    assert dialog2.actor is None and dialog2.message.text() == "用户名或密码错误。"


def _other_connections(url: str) -> int:
    """How many connections other than this query's own are open to the database."""
    probe = Database(url)
    try:
        with probe.engine.connect() as conn:
            return int(conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar_one())
    finally:
        probe.dispose()


def _close_when_attached(seen: dict[str, object]) -> None:
    """Note the desk's centre and operator and whether it offers 切换中心, then close it."""
    windows = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, MainWindow) and w.isVisible() and w.has_desk]
    if not windows:
        QTimer.singleShot(20, lambda: _close_when_attached(seen))
        return
    window = windows[0]
    seen["title"] = window.windowTitle()
    seen["operator"] = window.ctx.actor.role
    seen["switch"] = window.findChild(QPushButton, "switchCentreButton") is not None
    window.close()


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="FRONTDESK_TEST_PG_URL is not set")
def test_start_up_on_a_town_database_asks_a_town_admin_then_a_centre(
        qtbot: QtBot, town_db: Town) -> None:
    seen: dict[str, object] = {}

    def login(dialog: TownLoginDialog) -> None:
        dialog.username.setText(TOWN_ADMIN)
        dialog.password.setText(TOWN_PASSWORD)
        when_modal(CentrePickerDialog, pick)
        dialog.submit()

    def pick(picker: CentrePickerDialog) -> None:
        picker.table.selectRow(1)
        QTimer.singleShot(0, lambda: _close_when_attached(seen))
        picker.choose()

    when_modal(TownLoginDialog, login)
    before = _other_connections(town_db.url)
    assert run_gui(town_db.url, "zh_CN") == 0
    assert seen == {"title": "邻里前台 — 月亮邻里中心", "operator": ROLE_TOWN, "switch": True}
    assert _other_connections(town_db.url) == before  # start-up closed what it opened


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="FRONTDESK_TEST_PG_URL is not set")
def test_start_up_at_a_centre_desk_lets_a_town_admin_in_with_the_switch(
        qtbot: QtBot, town_db: Town, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRONTDESK_CENTRE", "AA")
    seen: dict[str, object] = {}

    def login(dialog: LoginDialog) -> None:
        dialog.username.setText(TOWN_ADMIN)
        dialog.password.setText(TOWN_PASSWORD)
        QTimer.singleShot(0, lambda: _close_when_attached(seen))
        dialog.submit()

    when_modal(LoginDialog, login)
    before = _other_connections(town_db.url)
    assert run_gui(town_db.url, "zh_CN") == 0
    assert seen == {"title": "邻里前台 — 阳光邻里中心", "operator": ROLE_TOWN, "switch": True}
    assert _other_connections(town_db.url) == before  # start-up closed what it opened
