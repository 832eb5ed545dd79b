"""Printing: PDF bytes → QtPdf → QPrinter, with preview, a printer per paper, and Save as PDF.

Pages use two helpers:

- :func:`archive_and_print` right after a record was saved: archives the PDF (in its own
  transaction) and opens the print preview. Neither failure touches the record.
- :func:`print_document` for an archived document: a reprint, stamped 补打 on the paper.

Each PC remembers its own printer for receipts, for A4 and for cards (本机设置,
``frontdesk.ui.pc_settings``; not the centre's database). The paper size always follows the
PDF's own page size, so an 80 mm receipt never comes out on A4.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMarginsF,
    QRectF,
    QSize,
    QSizeF,
    Qt,
)
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QMessageBox,
    QToolBar,
    QToolButton,
    QWidget,
)

from frontdesk.core.errors import FrontdeskError, RuleError
from frontdesk.core.i18n import tr
from frontdesk.documents import service as documents
from frontdesk.ui import pc_settings
from frontdesk.ui.context import DeskContext, show_error

MAX_DPI = 300  # enough for thermal (203 dpi) and office printers; more only costs time


def ensure_application() -> None:
    """Create the QApplication printing needs when a command line runs without the GUI."""
    if QApplication.instance() is None:
        QApplication([])


def available_printers() -> list[str]:
    """The names of the printers this computer can print to now."""
    return list(QPrinterInfo.availablePrinterNames())


def printer_combo(default_text: str = "") -> QComboBox:
    """A choice of this computer's printers, first ``default_text`` (stored as ""; "the
    system default" unless told otherwise)."""
    combo = QComboBox()
    fill_printer_combo(combo, default_text)
    return combo


def fill_printer_combo(combo: QComboBox, default_text: str = "") -> None:
    """(Re)list this computer's printers in ``combo``: printers come and go."""
    combo.clear()
    combo.addItem(default_text or tr("（系统默认打印机）"), "")
    for name in available_printers():
        combo.addItem(name, name)


def load_pdf(pdf: bytes) -> QPdfDocument:
    """A QPdfDocument of ``pdf`` (a RuleError when it cannot be read)."""
    document = QPdfDocument()
    buffer = QBuffer(document)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
        raise RuleError(tr("无法读取要打印的 PDF 文件。"))
    return document


def page_layout(size_pt: QSizeF) -> QPageLayout:
    """A margin-less page layout exactly ``size_pt`` (the PDF's own page size)."""
    page_size = QPageSize(size_pt, QPageSize.Unit.Point, "",
                          QPageSize.SizeMatchPolicy.ExactMatch)
    return QPageLayout(page_size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0),
                       QPageLayout.Unit.Point)


def make_printer(pdf: bytes, printer_name: str = "", title: str = "") -> QPrinter:
    """A QPrinter for ``printer_name`` (empty: PDF output) sized like the PDF's first page."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if printer_name:
        printer.setPrinterName(printer_name)
    else:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setFullPage(True)
    printer.setPageLayout(page_layout(load_pdf(pdf).pagePointSize(0)))
    printer.setDocName(title or "frontdesk")
    return printer


def page_image(document: QPdfDocument, page: int, dpi: int) -> QImage:
    """Page ``page`` rendered at ``dpi`` on white (QtPdf's own image is transparent)."""
    size_pt = document.pagePointSize(page)
    pixels = QSize(max(1, round(size_pt.width() / 72 * dpi)),
                   max(1, round(size_pt.height() / 72 * dpi)))
    rendered = document.render(page, pixels)
    image = QImage(pixels, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return image


def paint_pdf(printer: QPrinter, pdf: bytes) -> None:
    """Paint every page of ``pdf`` onto ``printer``, on paper the size of the PDF's pages.

    The paper size is set from the first page (every renderer here makes pages of one
    size); Qt cannot change it once the job (or the preview) is running.

    A printer that is no longer there (unplugged, removed) gives a RuleError; Qt would
    otherwise quietly send the job to the default printer.
    """
    name = printer.printerName()
    if (printer.outputFormat() == QPrinter.OutputFormat.NativeFormat
            and name not in available_printers()):
        raise RuleError(tr("打印机“{printer}”现在不可用（可能已断开或被删除）。"
                           "记录已保存，可以在“文档”页补打，或另存为 PDF。", printer=name))
    document = load_pdf(pdf)
    dpi = min(printer.resolution(), MAX_DPI)
    if printer.printerState() != QPrinter.PrinterState.Active:  # the preview is active
        printer.setPageLayout(page_layout(document.pagePointSize(0)))
    painter = QPainter()
    if not painter.begin(printer):
        raise RuleError(tr("无法开始打印（打印机“{printer}”没有响应）。记录已保存，可以稍后补打。",
                           printer=name or tr("PDF 文件")))
    # Smooth scaling: the preview shrinks the 300 dpi page; without it thin rules vanish.
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    try:
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            target = QRectF(0, 0, painter.device().width(), painter.device().height())
            painter.drawImage(target, page_image(document, page, dpi))
    finally:
        painter.end()


def print_pdf(pdf: bytes, printer_name: str, title: str = "") -> None:
    """Print ``pdf`` on ``printer_name`` without dialogs (print-test, tests, batch jobs)."""
    if printer_name not in available_printers():
        raise RuleError(tr("没有名为“{printer}”的打印机。", printer=printer_name))
    paint_pdf(make_printer(pdf, printer_name, title), pdf)


def write_pdf(pdf: bytes, path: Path) -> None:
    """Save ``pdf`` to ``path``; a full disk or a locked folder gives a RuleError."""
    try:
        path.write_bytes(pdf)
    except OSError as exc:
        raise RuleError(tr("无法保存 PDF 文件“{path}”：{error}", path=path,
                           error=exc.strerror or exc)) from exc


def save_pdf_as(parent: QWidget | None, pdf: bytes, suggested_name: str) -> Path | None:
    """Ask where to save ``pdf`` and save it there; None when cancelled or refused."""
    safe = "".join(c if c not in '\\/:*?"<>|' else "_" for c in suggested_name) or "document"
    name, _ = QFileDialog.getSaveFileName(parent, tr("另存为 PDF"),
                                          str(Path.home() / f"{safe}.pdf"),
                                          tr("PDF 文件 (*.pdf)"))
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() != ".pdf":
        path = path.with_suffix(".pdf")
    try:
        write_pdf(pdf, path)
    except FrontdeskError as exc:
        show_error(parent, exc.message)
        return None
    return path


def pick_printer(remembered: str) -> str:
    """``remembered`` if that printer still exists, else the system default, else any; or ""."""
    available = available_printers()
    if remembered in available:
        return remembered
    default = QPrinterInfo.defaultPrinterName()
    if default in available:
        return default
    return available[0] if available else ""


def chosen_printer(paper: str) -> str:
    """The printer for ``paper``: the one this PC chose for its kind, else the default."""
    return pick_printer(pc_settings.effective_printer(documents.printer_role(paper)))


def remember_printer(paper: str, printer_name: str) -> None:
    """Keep the printer the user printed ``paper`` on (in the print dialog) as this PC's
    choice for that kind of paper. Not a centre setting: nothing is audited; a PC whose
    settings cannot be written just does not remember."""
    role = documents.printer_role(paper)
    if printer_name and pc_settings.effective_printer(role) != printer_name:
        with contextlib.suppress(FrontdeskError):
            pc_settings.set_printer(role, printer_name)


def offer_save_instead(parent: QWidget | None, message: str, pdf: bytes, title: str) -> bool:
    """Tell the user printing is not possible and offer Save as PDF; True if saved."""
    box = QMessageBox(QMessageBox.Icon.Warning, tr("无法打印"), message,
                      QMessageBox.StandardButton.NoButton, parent)
    save = box.addButton(tr("另存为 PDF"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(tr("关闭"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is save and save_pdf_as(parent, pdf, title) is not None


class PreviewDialog(QPrintPreviewDialog):
    """Qt's print preview of a PDF, with a Save as PDF button; remembers what went wrong."""

    def __init__(self, printer: QPrinter, pdf: bytes, title: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(printer, parent)
        self.pdf = pdf
        self.title = title
        self.error: str = ""
        self.printed = False
        self.saved = False
        self.setWindowTitle(tr("打印预览 — {title}", title=title))
        self.resize(900, 760)
        self.paintRequested.connect(self._paint)
        toolbar = self.findChild(QToolBar)
        if toolbar is not None:
            # Qt's print button (the toolbar's last action) is a bare icon: give it words,
            # it is the step users look for.
            actions = [a for a in toolbar.actions() if not a.isSeparator()]
            button = toolbar.widgetForAction(actions[-1]) if actions else None
            if isinstance(button, QToolButton):
                actions[-1].setText(tr("打印"))
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            toolbar.addSeparator()
            action = toolbar.addAction(tr("另存为 PDF"))
            action.setObjectName("saveAsPdf")
            action.triggered.connect(self._save)

    def _save(self) -> None:
        if save_pdf_as(self, self.pdf, self.title) is not None:
            self.saved = True

    def _paint(self, printer: QPrinter) -> None:
        try:
            paint_pdf(printer, self.pdf)
        except FrontdeskError as exc:
            self.error = exc.message
        else:
            self.printed = True


def preview_and_print(parent: QWidget | None, ctx: DeskContext, pdf: bytes, paper: str,
                      title: str, *, after_print: Callable[[], object] | None = None) -> bool:
    """Show the print preview on the remembered printer and print; True when done.

    No printer at all, or one that vanished before printing: the user is told and can save
    the PDF instead. ``after_print`` runs once the paper exists: the job went to the
    printer, or the PDF was saved (to print elsewhere).
    """
    done = False
    printer_name = chosen_printer(paper)
    if not printer_name:
        done = offer_save_instead(parent, tr("这台电脑没有可用的打印机。可以先把文档另存为 PDF，"
                                             "以后再打印或拷到别的电脑打印。"), pdf, title)
    else:
        try:
            printer = make_printer(pdf, printer_name, title)
        except FrontdeskError as exc:
            show_error(parent, exc.message)
            return False
        dialog = PreviewDialog(printer, pdf, title, parent)
        dialog.exec()
        if dialog.error:
            done = offer_save_instead(parent, dialog.error, pdf, title)
        elif dialog.printed:
            remember_printer(paper, printer.printerName())
        done = done or dialog.printed or dialog.saved
    if done and after_print is not None:
        after_print()
    return done


def archive_and_print(parent: QWidget | None, ctx: DeskContext, *, kind: str, title: str,
                      paper: str, pdf: bytes, record_type: str | None = None,
                      record_id: object | None = None, business_date: dt.date | None = None
                      ) -> documents.DocumentInfo | None:
    """Archive a freshly rendered document, then preview and print it.

    Call it after the record's own transaction committed. If archiving fails (a full
    disk) the user is told and can still print or save this copy; the record stays.
    """
    info = None
    try:
        info = ctx.run(documents.archive_document, kind=kind, title=title, paper=paper,
                       pdf=pdf, record_type=record_type, record_id=record_id,
                       business_date=business_date, topic="documents")
    except FrontdeskError as exc:
        show_error(parent, tr("{message}\n本次仍可打印或另存为 PDF。", message=exc.message))
    preview_and_print(parent, ctx, pdf, paper, title)
    return info


def print_document(parent: QWidget | None, ctx: DeskContext, doc_id: int) -> bool:
    """Reprint (补打) an archived document: stamped on the paper, counted and audited."""
    try:
        info = ctx.read(documents.get_document, doc_id)
        preview = ctx.read(documents.reprint_pdf, ctx.actor, doc_id)
    except FrontdeskError as exc:
        show_error(parent, exc.message)
        return False
    return preview_and_print(
        parent, ctx, preview, info.paper, info.title,
        after_print=lambda: ctx.attempt(parent, documents.mark_reprint, doc_id,
                                        topic="documents"))
