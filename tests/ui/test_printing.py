"""Qt printing: PDF → QtPdf → QPrinter at the document's own paper size; preview; no printer."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrintPreviewWidget
from PySide6.QtWidgets import QApplication, QMessageBox, QToolBar
from pytestqt.qtbot import QtBot

from frontdesk.core import settings
from frontdesk.core.actor import Actor
from frontdesk.core.db import Database
from frontdesk.core.errors import RuleError
from frontdesk.documents import service
from frontdesk.documents.receipts import Receipt, ReceiptLine, render_receipt
from frontdesk.documents.sheets import Column, SheetSpec, render_sheet
from frontdesk.ui import pc_settings, printing
from frontdesk.ui.context import DeskContext
from tests.documents.helpers import MM, meta, page_sizes

RECEIPT = render_receipt(Receipt(meta("就餐凭证"), lines=(ReceiptLine("姓名", "王𠮷"),)))
SHEET = render_sheet(SheetSpec(meta("登记表"), (Column("序号"), Column("姓名")),
                               tuple((str(i), f"居民{i}") for i in range(90))))


def _print_to_file(pdf: bytes, path: Path) -> bytes:
    printer = printing.make_printer(pdf)
    printer.setOutputFileName(str(path))
    printing.paint_pdf(printer, pdf)
    return path.read_bytes()


def test_a_receipt_prints_on_80_mm_paper_not_a4(qapp: QApplication, tmp_path: Path) -> None:
    printed = _print_to_file(RECEIPT, tmp_path / "receipt.pdf")
    (width, height), = page_sizes(printed)
    (_, want_h), = page_sizes(RECEIPT)
    assert width == pytest.approx(80 * MM, abs=1.0)
    assert height == pytest.approx(want_h, abs=1.0)


def test_every_page_of_a_sheet_is_printed_on_a4(qapp: QApplication, tmp_path: Path) -> None:
    printed = _print_to_file(SHEET, tmp_path / "sheet.pdf")
    sizes = page_sizes(printed)
    assert len(sizes) == len(page_sizes(SHEET)) > 1
    assert all(s == pytest.approx((210 * MM, 297 * MM), abs=1.0) for s in sizes)
    # Pictures of the pages, not text: the printed PDF carries the rendered images.
    reader = pypdf.PdfReader(io.BytesIO(printed))
    assert all(page.images for page in reader.pages)


def test_page_images_are_painted_on_white(qapp: QApplication) -> None:
    image = printing.page_image(printing.load_pdf(RECEIPT), 0, 100)
    assert image.width() == round(80 * MM / 72 * 100)
    assert image.pixelColor(1, 1).name() == "#ffffff"
    assert image.pixelColor(1, 1).alpha() == 255


def test_printing_to_an_unknown_printer_is_refused(qapp: QApplication) -> None:
    # Qt itself would quietly fall back to the default printer.
    with pytest.raises(RuleError, match="没有名为“FrontdeskUnpluggedPrinter”的打印机"):
        printing.print_pdf(RECEIPT, "FrontdeskUnpluggedPrinter")


def test_unreadable_pdf_is_refused(qapp: QApplication) -> None:
    with pytest.raises(RuleError, match="无法读取"):
        printing.load_pdf(b"%PDF-1.4 broken")


def test_write_pdf_reports_a_folder_that_cannot_be_written(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="无法保存 PDF"):
        printing.write_pdf(RECEIPT, tmp_path / "missing-folder" / "x.pdf")


def test_preview_shows_every_page_and_offers_save_as_pdf(qtbot: QtBot) -> None:
    printer = printing.make_printer(SHEET)
    dialog = printing.PreviewDialog(printer, SHEET, "登记表")
    qtbot.add_widget(dialog)
    dialog.show()
    preview = dialog.findChild(QPrintPreviewWidget)
    assert preview is not None
    qtbot.wait_until(lambda: preview.pageCount() == len(page_sizes(SHEET)))
    toolbar = dialog.findChild(QToolBar)
    assert toolbar is not None
    assert "saveAsPdf" in [a.objectName() for a in toolbar.actions()]
    assert dialog.error == ""
    dialog.close()


def _answer_next_message_box(texts: list[str], button_text: str) -> None:
    """When the next message box opens, note its text and press ``button_text``."""
    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        texts.append(box.text())
        for button in box.buttons():
            if button.text() == button_text:
                button.click()
                return
        box.reject()
    QTimer.singleShot(0, answer)


def test_no_printer_tells_the_user_and_saves_the_pdf_instead(
        qtbot: QtBot, centre_db: Database, desk: Actor, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A computer with no printer at all (this one may have CUPS).
    monkeypatch.setattr(printing, "available_printers", lambda: [])
    target = tmp_path / "saved.pdf"
    monkeypatch.setattr(printing.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    ctx = DeskContext(centre_db, desk)
    texts: list[str] = []
    _answer_next_message_box(texts, "另存为 PDF")
    assert printing.preview_and_print(None, ctx, RECEIPT, service.PAPER_RECEIPT_80,
                                      "就餐凭证") is True  # done: saved to print elsewhere
    assert "没有可用的打印机" in texts[0]
    assert target.read_bytes() == RECEIPT


def test_archive_failure_still_lets_the_user_print(
        qtbot: QtBot, centre_db: Database, desk: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(printing, "available_printers", lambda: [])
    ctx = DeskContext(centre_db, desk)
    texts: list[str] = []
    _answer_next_message_box(texts, "OK")
    QTimer.singleShot(200, lambda: _answer_next_message_box(texts, "关闭"))
    info = printing.archive_and_print(None, ctx, kind="canteen.ticket", title="就餐凭证",
                                      paper="a3", pdf=RECEIPT)
    assert info is None
    assert "未知的纸张类型" in texts[0] and "仍可打印" in texts[0]
    assert "没有可用的打印机" in texts[1]


def test_chosen_printer_is_this_pcs_choice_per_kind_of_paper(
        qapp: QApplication, centre_db: Database, desk: Actor,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from frontdesk.core import audit

    monkeypatch.setattr(printing, "available_printers", lambda: ["Thermal80", "Office"])
    with centre_db.read() as session:
        audited_before = len(audit.query_audit(session))
    printing.remember_printer(service.PAPER_RECEIPT_58, "Thermal80")
    printing.remember_printer(service.PAPER_A4, "Office")
    assert printing.chosen_printer(service.PAPER_RECEIPT_80) == "Thermal80"
    assert printing.chosen_printer(service.PAPER_A4_LANDSCAPE) == "Office"
    assert printing.chosen_printer(service.PAPER_CARD) == "Office"  # no card printer: the A4 one
    assert pc_settings.printer("receipt") == "Thermal80" and not pc_settings.has_printer("card")
    # On the PC, not in the centre's database, and no audit entry for it.
    with centre_db.read() as session:
        assert settings.stored_value(session, "printing.receipt_printer") is None
        assert len(audit.query_audit(session)) == audited_before
    monkeypatch.setattr(printing, "available_printers", lambda: ["Office"])
    assert printing.chosen_printer(service.PAPER_RECEIPT_80) == "Office"  # unplugged


def test_settings_page_shows_this_pcs_printers_and_keeps_an_unplugged_one(
        qtbot: QtBot, centre_db: Database, desk: Actor, monkeypatch: pytest.MonkeyPatch
        ) -> None:
    from PySide6.QtWidgets import QComboBox

    from frontdesk.ui.pages import page_spec
    from frontdesk.ui.pages.settings_page import SettingsPage

    monkeypatch.setattr(printing, "available_printers", lambda: ["Thermal80", "Office"])
    pc_settings.set_printer("a4", "OldLaser")
    # a desk operator (no admin) chooses this PC's printers
    page = SettingsPage(DeskContext(centre_db, desk), page_spec("settings"))
    qtbot.add_widget(page)
    page.refresh()
    receipt, a4, card = (page.pc_tab.printers[role] for role in ("receipt", "a4", "card"))
    assert all(isinstance(c, QComboBox) for c in (receipt, a4, card))
    assert [receipt.itemData(i) for i in range(receipt.count())] == ["", "Thermal80", "Office"]
    assert receipt.itemText(0) == "（系统默认打印机）"
    assert card.itemText(0) == "（与 A4 打印机相同）"
    assert a4.currentData() == "OldLaser" and a4.currentText() == "OldLaser（现在未连接）"
    assert page.pc_tab.save_button.isEnabled() and not page.save_button.isEnabled()
    receipt.setCurrentIndex(receipt.findData("Thermal80"))
    card.setCurrentIndex(card.findData("Office"))
    assert page.pc_tab.save()
    assert (pc_settings.printer("receipt"), pc_settings.printer("a4"),
            pc_settings.printer("card")) == ("Thermal80", "OldLaser", "Office")
    # The centre's form no longer offers any printer.
    assert not any(key.endswith("_printer") for key in page.editors)
