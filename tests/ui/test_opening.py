"""The opening checklist (开业准备): each job's readiness, with a way to the form that fixes it."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from frontdesk.core.actor import Actor
from frontdesk.core.db import Database
from frontdesk.opening import opening_checklist, ready_to_open
from frontdesk.ui.context import DeskContext
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.opening import OpeningChecklist


def test_every_job_reports_and_the_centre_line_is_ready_after_first_run(
        centre_db: Database) -> None:
    with centre_db.read() as session:
        items = opening_checklist(session)
    assert items[0].job == "中心信息" and items[0].ready
    keys = [item.key for item in items]
    assert len(keys) == len(set(keys))
    assert {"canteen.sessions", "checkin.purposes", "rooms.rooms"} <= set(keys)
    by_key = {item.key: item for item in items}
    assert not by_key["canteen.sessions"].ready and not ready_to_open(items)
    assert all(item.job and item.page for item in items)
    assert all(item.missing for item in items if not item.ready)
    assert ready_to_open(items) == all(item.ready for item in items if item.needed)


def test_an_admins_button_opens_the_form_that_fixes_it(
        qtbot: QtBot, main_window: MainWindow) -> None:
    checklist = OpeningChecklist(main_window.ctx, main_window)
    qtbot.add_widget(checklist)
    checklist.go_to.connect(main_window.show_tab)
    assert checklist.buttons  # an admin gets buttons
    checklist.buttons[0].click()
    page = main_window.current_page()
    assert page.spec.key == "settings"
    assert page.tabs.currentWidget().objectName() == "general"  # type: ignore[attr-defined]


def test_a_desk_operator_sees_whether_it_is_ready_or_whom_to_ask(
        qtbot: QtBot, centre_db: Database, desk: Actor) -> None:
    checklist = OpeningChecklist(DeskContext(centre_db, desk))
    qtbot.add_widget(checklist)
    assert checklist.buttons == {}
    assert not checklist.ready  # a new centre has no meal session yet
    assert checklist.summary.text() == "还有几项没有准备好，请联系管理员设置：王管理。"


def test_the_canteen_line_leads_to_the_canteen_set_up_tab(
        qtbot: QtBot, main_window: MainWindow) -> None:
    checklist = OpeningChecklist(main_window.ctx, main_window)
    qtbot.add_widget(checklist)
    checklist.go_to.connect(main_window.show_tab)
    row = next(i for i, item in enumerate(checklist.items) if item.key == "canteen.sessions")
    assert checklist.buttons[row].text() == "去设置"
    checklist.buttons[row].click()
    page = main_window.current_page()
    assert page.spec.key == "canteen"
    assert page.tabs.currentWidget().objectName() == "admin"  # type: ignore[attr-defined]
