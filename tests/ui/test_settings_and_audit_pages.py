"""The settings page stores declared settings; the audit page lists who did what."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox, QSpinBox
from pytestqt.qtbot import QtBot

from frontdesk.core import audit, settings
from frontdesk.core.actor import Actor
from frontdesk.core.db import Database
from frontdesk.ui.context import DeskContext
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.pages.audit_page import AuditPage, AuditTableModel
from frontdesk.ui.pages.settings_page import SettingsPage


def test_settings_form_shows_every_declared_setting(main_window: MainWindow) -> None:
    page = main_window.show_page("settings")
    assert isinstance(page, SettingsPage)
    # All but the demo mark, which only `frontdesk demo` sets on the database it made.
    assert set(page.editors) == set(settings.SPECS) - {"centre.demo"}
    spin = page.editors["security.idle_lock_minutes"]
    assert isinstance(spin, QSpinBox) and spin.value() == 10


def test_saving_settings_stores_and_audits(qtbot: QtBot, main_window: MainWindow,
                                          centre_db: Database) -> None:
    page = main_window.show_page("settings")
    assert isinstance(page, SettingsPage)
    spin = page.editors["security.idle_lock_minutes"]
    language = page.editors["ui.language"]
    assert isinstance(spin, QSpinBox) and isinstance(language, QComboBox)
    spin.setValue(20)
    language.setCurrentIndex(language.findData("en"))
    with qtbot.wait_signal(main_window.ctx.changed) as blocker:
        page.save_button.click()
    assert blocker.args == ["settings"]
    with centre_db.read() as session:
        assert settings.get(session, "security.idle_lock_minutes") == 20
        assert settings.get(session, "ui.language") == "en"
        rows = audit.query_audit(session, action="setting.change", operator="admin")
    assert {r.entity_id for r in rows} == {"security.idle_lock_minutes", "ui.language"}
    assert main_window.statusBar().currentMessage() == "已保存 2 项设置。"


def test_desk_operator_sees_settings_read_only(qtbot: QtBot, centre_db: Database,
                                              desk: Actor) -> None:
    window = MainWindow(DeskContext(centre_db, desk))
    qtbot.add_widget(window)
    window.show()
    page = window.show_page("settings")
    assert isinstance(page, SettingsPage)
    assert not page.save_button.isEnabled()
    assert not page.editors["centre.name"].isEnabled()
    assert not page.operators_tab.table.isVisibleTo(page)
    audit_page = window.show_page("audit")
    assert isinstance(audit_page, AuditPage)
    assert audit_page.model.rowCount() == 0 and audit_page.notice.isVisibleTo(audit_page)


def test_operators_tab_lists_and_adds(qtbot: QtBot, main_window: MainWindow,
                                      centre_db: Database) -> None:
    from frontdesk.core.operators import create_operator

    page = main_window.show_page("settings")
    assert isinstance(page, SettingsPage)
    tab = page.operators_tab
    assert [tab.table.item(r, 0).text() for r in range(tab.table.rowCount())] == [
        "admin", "desk"]
    main_window.ctx.run(create_operator, "chen", "陈志强", "desk", "password9", topic="operators")
    assert [tab.table.item(r, 0).text() for r in range(tab.table.rowCount())] == [
        "admin", "chen", "desk"]
    assert tab.table.item(1, 2).text() == "前台"


def test_the_settings_tabs_have_names_and_open_by_name(main_window: MainWindow) -> None:
    """`frontdesk screenshot settings:backup` opens a tab by these names."""
    page = main_window.show_page("settings")
    assert isinstance(page, SettingsPage)
    assert page.tab_names() == ["general", "pc", "operators", "backup"]
    assert page.tabs.tabText(1) == "本机设置" and page.tabs.tabText(2) == "操作员账号"
    page.show_tab("backup")
    assert page.tabs.currentWidget() is page.backup_tab
    page.show_tab("operators")
    assert page.tabs.currentWidget() is page.operators_tab
    with pytest.raises(KeyError):
        page.show_tab("printers")
    assert page.tabs.currentWidget() is page.operators_tab


def test_the_operators_tab_reads_operators_in_english() -> None:
    """The tab lists every operator: plural, while the audit column 操作员 stays singular."""
    from frontdesk.core.i18n import set_language, tr

    set_language("en")
    assert (tr("操作员账号"), tr("操作员"), tr("系统设置")) == (
        "Operators", "Operator", "System settings")


def test_audit_page_lists_and_filters(qtbot: QtBot, main_window: MainWindow,
                                      qtmodeltester: object) -> None:
    page = main_window.show_page("audit")
    assert isinstance(page, AuditPage)
    # The last 30 days by the desk's clock (2026-11-22), whatever the machine's date is.
    assert (page.date_from.date(), page.date_to.date()) == (QDate(2026, 10, 23),
                                                            QDate(2026, 11, 22))
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]
    actions = {page.model.rows[r].action for r in range(page.model.rowCount())}
    assert {"centre.init", "operator.create"} <= actions
    page.text.setText("desk")
    page.refresh()
    assert page.model.rowCount() >= 1
    assert all("desk" in (r.summary + r.entity + (r.entity_id or "")) for r in page.model.rows)
    assert page.model.headerData(0, Qt.Orientation.Horizontal) == "时间"


def test_audit_model_is_a_valid_model(qtmodeltester: object, centre_db: Database) -> None:
    model = AuditTableModel()
    with centre_db.read() as session:
        model.set_rows(audit.query_audit(session))
    assert model.rowCount() > 0
    qtmodeltester.check(model)  # type: ignore[attr-defined]
