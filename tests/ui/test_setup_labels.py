"""Human words on the settings form and the audit page: choices and actions have labels."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from frontdesk.core import settings
from frontdesk.core.db import Database
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.pages.audit_page import AuditPage
from frontdesk.ui.pages.settings_page import SettingsPage


def test_the_expiry_choice_shows_words_and_stores_the_value(main_window: MainWindow,
                                                            centre_db: Database) -> None:
    page = main_window.show_page("settings")
    assert isinstance(page, SettingsPage)
    combo = page.editors["volunteers.expiry"]
    assert isinstance(combo, QComboBox)
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert texts == ["长期有效，不过期", "到获得当年的年底", "按年数（见下一项）"]
    assert not any(code in " ".join(texts) for code in ("none", "year_end", "years"))
    combo.setCurrentIndex(1)
    page.save_button.click()
    with centre_db.read() as session:
        assert settings.get(session, "volunteers.expiry") == "year_end"
    assert "volunteers.certificate_seal" in page.editors


def test_the_audit_page_names_actions_in_words(main_window: MainWindow) -> None:
    page = main_window.show_page("audit")
    assert isinstance(page, AuditPage)
    shown = {page.model.data(page.model.index(r, 2)) for r in range(page.model.rowCount())}
    assert {"首次使用设置", "新增操作员"} <= shown
    assert not [s for s in shown if "." in s]
    objects = {page.model.data(page.model.index(r, 3)) for r in range(page.model.rowCount())}
    assert "操作员" in objects and "operator" not in objects
    filters = [page.action.itemText(i) for i in range(page.action.count())]
    assert "新增操作员" in filters and "operator.create" not in filters
    page.action.setCurrentIndex(filters.index("新增操作员"))
    page.refresh()
    assert {r.action for r in page.model.rows} == {"operator.create"}
