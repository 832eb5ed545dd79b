"""The 文档 page: lists archived documents, filters them, saves and reprints any."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QItemSelectionModel, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from frontdesk.core.actor import Actor
from frontdesk.core.db import Database
from frontdesk.documents import service
from frontdesk.documents.receipts import Receipt, render_receipt
from frontdesk.ui import printing
from frontdesk.ui.context import DeskContext
from frontdesk.ui.pages import page_spec
from frontdesk.ui.pages.documents_page import DocumentsPage, DocumentTableModel
from tests.documents.helpers import meta, pypdf_pages


def _archive(db: Database, actor: Actor, title: str, kind: str = "canteen.ticket") -> int:
    pdf = render_receipt(Receipt(meta(title)))
    with db.session() as session:
        return service.archive_document(session, actor, kind=kind, title=title,
                                        paper=service.PAPER_RECEIPT_80, pdf=pdf).id


@pytest.fixture
def page(qtbot: QtBot, centre_db: Database, desk: Actor) -> DocumentsPage:
    _archive(centre_db, desk, "就餐凭证 王𠮷")
    _archive(centre_db, desk, "来访登记表", kind="checkin.daily_sheet")
    widget = DocumentsPage(DeskContext(centre_db, desk), page_spec("documents"))
    qtbot.add_widget(widget)
    # The last week by the desk's clock (2026-11-22), whatever the machine's date is.
    assert (widget.date_from.date(), widget.date_to.date()) == (QDate(2026, 11, 15),
                                                                QDate(2026, 11, 22))
    widget.show()
    widget.refresh()
    return widget


def test_model_passes_qt_model_tests(qtmodeltester: ModelTester, centre_db: Database,
                                     desk: Actor) -> None:
    _archive(centre_db, desk, "就餐凭证")
    model = DocumentTableModel()
    with centre_db.read() as session:
        model.set_rows(service.list_documents(session))
    qtmodeltester.check(model)
    assert model.rowCount() == 1


def test_page_lists_and_filters_documents(page: DocumentsPage) -> None:
    assert page.model.rowCount() == 2
    assert page.model.index(0, 2).data() == "来访登记表"
    assert page.model.index(1, 3).data() == "80 毫米小票"
    assert "共 2 份" in page.count.text()
    assert not page.reprint_button.isEnabled()
    page.kind.setCurrentIndex(page.kind.findData("canteen.ticket"))
    page.refresh()
    assert [page.model.index(r, 2).data() for r in range(page.model.rowCount())] == [
        "就餐凭证 王𠮷"]
    page.kind.setCurrentIndex(0)
    page.text.setText("登记")
    page.refresh()
    assert page.model.rowCount() == 1
    page.date_from.setDate(QDate(2026, 11, 23))
    page.date_to.setDate(QDate(2026, 11, 30))
    page.refresh()
    assert page.model.rowCount() == 0


def _select(page: DocumentsPage, row: int) -> None:
    page.view.selectionModel().select(
        page.model.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect
        | QItemSelectionModel.SelectionFlag.Rows)


def test_save_as_pdf_writes_the_original(page: DocumentsPage, centre_db: Database,
                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    target = tmp_path / "copy.pdf"
    monkeypatch.setattr(printing.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    _select(page, 1)
    assert page.save_button.isEnabled()
    page.save_button.click()
    doc_id = page.selected_id()
    assert doc_id is not None
    with centre_db.read() as session:
        assert target.read_bytes() == service.get_document_pdf(session, doc_id)


def test_reprint_without_a_printer_offers_the_stamped_pdf(
        page: DocumentsPage, centre_db: Database, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(printing, "available_printers", lambda: [])
    target = tmp_path / "reprint.pdf"
    monkeypatch.setattr(printing.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))

    def press_save() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, press_save)
            return
        next(b for b in box.findChildren(type(page.save_button))
             if b.text() == "另存为 PDF").click()

    QTimer.singleShot(0, press_save)
    _select(page, 1)
    doc_id = page.selected_id()
    assert doc_id is not None
    page.reprint_button.click()
    assert "补打（第 1 次）" in pypdf_pages(target.read_bytes())[0]
    with centre_db.read() as session:
        # The saved copy says 补打 and will be printed elsewhere: it counts.
        assert service.get_document(session, doc_id).reprint_count == 1
        assert page.model.index(1, 6).data() == "1"


def test_page_is_in_the_navigation_after_dayclose() -> None:
    from frontdesk.ui.pages import PAGES

    keys = [p.key for p in PAGES]
    assert keys.index("documents") == keys.index("dayclose") + 1
