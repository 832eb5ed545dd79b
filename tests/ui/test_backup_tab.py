"""设置 → 备份与恢复: back up now, restore the selected backup, all through the real widgets."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from frontdesk.core.actor import Actor
from frontdesk.core.db import Database
from frontdesk.core.operators import Operator, create_operator
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.pages.settings_page import SettingsPage


def _answer_boxes(seen: list[str], count: int) -> None:
    """Press 是/OK on the next ``count`` message boxes, noting their text."""
    def press() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            yes = box.button(QMessageBox.StandardButton.Yes)
            (yes or box.button(QMessageBox.StandardButton.Ok)).click()
            if len(seen) < count:
                QTimer.singleShot(20, press)
        else:
            QTimer.singleShot(20, press)
    QTimer.singleShot(20, press)


def test_back_up_now_then_restore_it(main_window: MainWindow, centre_db: Database,
                                     admin: Actor) -> None:
    page = main_window.show_page("settings")
    assert isinstance(page, SettingsPage)
    tab = page.backup_tab
    page.tabs.setCurrentWidget(tab)
    assert tab.table.rowCount() == 0
    seen: list[str] = []
    _answer_boxes(seen, 1)
    tab.backup_button.click()
    assert tab.table.rowCount() == 1 and "已备份到" in seen[0]
    assert tab.table.item(0, 1).text() == "手动"

    with centre_db.session() as session:
        create_operator(session, admin, "late", "后来的人", "desk", "late-secret")
    tab.table.selectRow(0)
    seen.clear()
    _answer_boxes(seen, 2)
    tab.restore_button.click()
    assert "覆盖当前全部数据" in seen[0] and "已从" in seen[1]
    with centre_db.read() as session:
        assert "late" not in set(session.scalars(select(Operator.username)))
    assert tab.table.rowCount() == 2  # the backup, and the copy taken before restoring
    assert {tab.table.item(r, 1).text() for r in range(2)} == {"手动", "恢复前自动"}


def test_desk_operator_sees_only_the_notice(main_window: MainWindow, desk: Actor) -> None:
    main_window.ctx.set_actor(desk)
    page = main_window.show_page("settings")
    assert isinstance(page, SettingsPage)
    page.refresh()
    assert page.backup_tab.notice.isVisibleTo(page.backup_tab)
    assert not page.backup_tab.table.isVisibleTo(page.backup_tab)
