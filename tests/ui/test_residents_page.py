"""The residents page with real widgets offscreen: search by keyboard, save, refuse, import."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from frontdesk.core.actor import Actor
from frontdesk.core.audit import query_audit
from frontdesk.core.db import Database
from frontdesk.residents.search import search_residents
from frontdesk.residents.service import ResidentForm, create_resident, get_resident
from frontdesk.ui.context import DeskContext
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.pages.residents_page import ResidentsPage
from frontdesk.ui.residents_import import ImportDialog
from frontdesk.ui.widgets.resident_model import ResidentTableModel
from tests.residents.helpers import ric


def _type(widget: QWidget, text: str) -> None:
    """Type ``text`` key by key (non-ASCII cannot go through qtbot.keyClicks)."""
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch,
                           Qt.KeyboardModifier.NoModifier)


@pytest.fixture
def registered(centre_db: Database, admin: Actor) -> dict[str, int]:
    ids = {}
    with centre_db.session() as session:
        for name, number in (("张三丰", ric(seq="111")), ("单田芳", ric(seq="113")),
                             ("𠮷田花子", "")):
            ids[name] = create_resident(session, admin, ResidentForm(
                name=name, id_number=number), confirm_duplicates=True).id
    return ids


def _page(qtbot: QtBot, db: Database, actor: Actor) -> tuple[MainWindow, ResidentsPage]:
    window = MainWindow(DeskContext(db, actor))
    qtbot.add_widget(window)
    window.show()
    page = window.show_page("residents")
    assert isinstance(page, ResidentsPage)
    return window, page


def test_the_table_model_passes_qt_model_checks(qtmodeltester: object, centre_db: Database,
                                               registered: dict[str, int]) -> None:
    model = ResidentTableModel(dt.date(2026, 11, 22))
    with centre_db.read() as session:
        model.set_rows(search_residents(session, "田"))
    assert model.rowCount() == 2
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert "*" in model.data(model.index(0, 4))  # the list always masks ID numbers


def test_type_chinese_arrow_down_enter_opens_the_record(qtbot: QtBot, centre_db: Database,
                                                       desk: Actor,
                                                       registered: dict[str, int]) -> None:
    _, page = _page(qtbot, centre_db, desk)
    page.search_box.setFocus()
    _type(page.search_box, "单田")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    QTest.keyClick(page.search_box, Qt.Key.Key_Down)
    assert page.table.hasFocus()
    QTest.keyClick(page.table, Qt.Key.Key_Return)
    assert page.current_id == registered["单田芳"]
    assert page.form.name.text() == "单田芳"
    assert page.form.id_number.text().startswith("350582****")  # a desk operator: masked
    assert not page.merge_button.isEnabled()


def test_pinyin_initials_and_enter_open_the_first_match(qtbot: QtBot, centre_db: Database,
                                                       admin: Actor,
                                                       registered: dict[str, int]) -> None:
    _, page = _page(qtbot, centre_db, admin)
    page.search_box.setFocus()
    qtbot.keyClicks(page.search_box, "stf")
    QTest.keyClick(page.search_box, Qt.Key.Key_Return)
    assert page.current_id == registered["单田芳"]
    assert page.form.id_number.text() == ric(seq="113")  # an admin sees it ...
    with centre_db.read() as session:  # ... and the audit says so
        assert query_audit(session, action="resident.id_shown")[0].operator == "admin"


def test_a_refused_save_keeps_everything_typed(qtbot: QtBot, centre_db: Database, desk: Actor
                                               ) -> None:
    _, page = _page(qtbot, centre_db, desk)
    page.new_button.click()
    _type(page.form.name, "阿依古丽·买买提")
    bad = ric()[:-1] + ("0" if ric()[-1] != "0" else "1")
    page.form.id_number.setText(bad)
    page.form.phone.setText("13812345678")
    page.form.tag_boxes["高龄"].setChecked(True)
    page.save_button.click()
    assert "校验位" in page.message.text() and page.message.isVisible()
    assert (page.form.name.text(), page.form.id_number.text(), page.form.phone.text()) == (
        "阿依古丽·买买提", bad, "13812345678")
    assert page.form.tag_boxes["高龄"].isChecked()
    page.form.id_number.setText(ric(birth="19800202", seq="222"))
    page.save_button.click()
    assert page.current_id is not None and not page.message.isVisible()
    with centre_db.read() as session:
        saved = get_resident(session, page.current_id)
    assert (saved.name, saved.sex, saved.birth_date, saved.tags) == (
        "阿依古丽·买买提", "F", dt.date(1980, 2, 2), ("高龄",))


def test_the_card_button_needs_an_open_resident(qtbot: QtBot, centre_db: Database,
                                                desk: Actor, registered: dict[str, int]) -> None:
    _, page = _page(qtbot, centre_db, desk)
    page.new_resident()
    assert not page.print_button.isEnabled()
    page.open_resident(registered["张三丰"])
    assert page.print_button.isEnabled() and page.print_list_button.isEnabled()


def test_the_global_scan_box_opens_the_resident(qtbot: QtBot, centre_db: Database, desk: Actor,
                                                registered: dict[str, int]) -> None:
    window, _ = _page(qtbot, centre_db, desk)
    window.show_page("settings")  # a page that does not work with residents itself
    with centre_db.read() as session:
        card = get_resident(session, registered["𠮷田花子"]).card_code or ""
    window.on_scanned(card)
    page = window.current_page()
    assert isinstance(page, ResidentsPage)
    assert page.current_id == registered["𠮷田花子"]


def test_import_dialog_previews_then_imports(qtbot: QtBot, centre_db: Database, desk: Actor,
                                             tmp_path: Path) -> None:
    path = tmp_path / "居民.csv"
    with path.open("w", encoding="gbk", newline="") as handle:
        csv.writer(handle).writerows([
            ["姓名", "身份证号码", "手机号", "人员类别"],
            ["林堃", ric(seq="701"), "13812340000", "高龄"],
            ["王喆", "123", "", ""],
        ])
    dialog = ImportDialog(DeskContext(centre_db, desk))
    qtbot.add_widget(dialog)
    assert not dialog.load_file(tmp_path)  # a folder: said plainly, nothing loaded
    assert "文件夹" in dialog.summary.text()
    assert dialog.load_file(path)
    assert dialog.combos["id_number"].currentData() == 1
    assert "将新建 1 人" in dialog.summary.text() and "1 行不能导入" in dialog.summary.text()
    assert dialog.preview_table.item(1, 1).text().startswith("身份证号码应为 18 位")
    with centre_db.read() as session:
        assert search_residents(session, "林堃") == []  # the preview wrote nothing
    dialog.import_button.click()
    assert "导入完成：新建 1 人" in dialog.summary.text()
    assert dialog.report_button.isEnabled()
    with centre_db.read() as session:
        assert [r.name for r in search_residents(session, "lk")] == ["林堃"]


def test_printing_a_card_archives_it_and_offers_the_pdf(
        qtbot: QtBot, centre_db: Database, desk: Actor, registered: dict[str, int],
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pypdf import PdfReader

    from frontdesk.documents.service import list_documents
    from frontdesk.ui import printing
    from tests.ui.test_printing import _answer_next_message_box

    monkeypatch.setattr(printing, "available_printers", lambda: [])  # no printer: save
    saved = tmp_path / "card.pdf"
    monkeypatch.setattr(printing.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(saved), "")))
    _, page = _page(qtbot, centre_db, desk)
    page.open_resident(registered["𠮷田花子"])
    texts: list[str] = []
    _answer_next_message_box(texts, "另存为 PDF")
    page.print_button.click()
    assert "没有可用的打印机" in texts[0]
    # the rare 𠮷 comes from the fallback font, so it is its own text run
    assert "𠮷田花子" in PdfReader(saved).pages[0].extract_text().replace("\n", "")
    with centre_db.read() as session:
        docs = list_documents(session)
    assert [(d.kind, d.record_type, d.record_id, d.paper) for d in docs] == [
        ("residents.card", "resident", str(registered["𠮷田花子"]), "card")]


def test_the_form_fits_beside_the_list_at_1280_by_800(qtbot: QtBot, desk_context: DeskContext,
                                                      ui_language: str) -> None:
    """In the shipped fonts, Chinese and English: the form scrolls down, never sideways (the
    English labels and the long kinds of document used to push it 100 px past its pane), and
    the examples in the ID-number and phone fields show whole."""
    from PySide6.QtWidgets import QApplication

    from frontdesk.ui.widgets.fit import placeholder_fits

    window = MainWindow(desk_context)
    qtbot.add_widget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.wait_exposed(window)
    page = window.show_page("residents")
    assert isinstance(page, ResidentsPage)
    QApplication.processEvents()
    scroll = page.form_scroll
    assert not scroll.horizontalScrollBar().isVisible()
    assert scroll.widget().minimumSizeHint().width() <= scroll.viewport().width()
    for edit in (page.form.id_number, page.form.phone):
        assert placeholder_fits(edit), edit.placeholderText()
