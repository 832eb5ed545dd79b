"""设置 → 本机设置: this PC's printers, kept on the PC (``pc_settings``), not in the database.

Anyone logged in may choose them: which printer sits beside this desk is no centre policy,
and choosing one is not audited. 保存并打印测试页 sends a test page of every paper to the printer
this PC chose for it (the command line's ``print-test`` cannot: it does not read these).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.core.errors import FrontdeskError
from frontdesk.core.i18n import tr
from frontdesk.ui import pc_settings
from frontdesk.ui.context import show_error
from frontdesk.ui.widgets.fit import ElidedLabel

if TYPE_CHECKING:
    from frontdesk.ui.context import DeskContext


def _default_text(role: str) -> str:
    """What "no choice" means for ``role``, as its first item says."""
    if role in pc_settings.FALLBACK_ROLE:
        return tr("（与 A4 打印机相同）")
    return tr("（系统默认打印机）")


class PcSettingsTab(QWidget):
    """A printer for each kind of paper on this computer, saved with 保存本机设置."""

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.ctx = ctx
        intro = QLabel(tr(
            "这一页的设置只保存在这台电脑上，只对这台电脑有效：每台前台电脑选自己的打印机，"
            "互不影响，也不记入操作日志。全中心共用的设置（价格、规则、安全等）在“系统设置”里。"))
        intro.setWordWrap(True)
        box = QGroupBox(tr("这台电脑的打印机"))
        form = QFormLayout(box)
        self.printers: dict[str, QComboBox] = {}
        for role, label in pc_settings.PRINTER_ROLES.items():
            combo = QComboBox()
            combo.setObjectName(f"pcPrinter_{role}")
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(24)
            self.printers[role] = combo
            form.addRow(tr(label), combo)
        hint = QLabel(tr(
            "在打印预览里换用别的打印机打印后，程序会记住那台打印机。"
            "主窗口的大小和位置、上次登录的用户名也记在这台电脑上。"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666;")
        self.where = ElidedLabel()
        self.where.setObjectName("pcSettingsLocation")
        self.where.setStyleSheet("color: #666;")
        self.save_button = QPushButton(tr("保存本机设置"))
        self.save_button.setObjectName("savePcSettings")
        self.save_button.clicked.connect(self.save)
        self.test_button = QPushButton(tr("保存并打印测试页"))
        self.test_button.setObjectName("printTestPages")
        self.test_button.clicked.connect(self.print_test_pages)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(box)
        layout.addWidget(hint)
        layout.addLayout(buttons)
        layout.addWidget(self.where)
        layout.addStretch(1)

    def refresh(self) -> None:
        """List the printers this computer has now, with this PC's choices selected (a chosen
        printer that is not connected now stays chosen, marked as such)."""
        from frontdesk.ui.printing import fill_printer_combo

        for role, combo in self.printers.items():
            fill_printer_combo(combo, _default_text(role))
            chosen = pc_settings.printer(role)
            if chosen and combo.findData(chosen) < 0:
                combo.addItem(tr("{printer}（现在未连接）", printer=chosen), chosen)
            combo.setCurrentIndex(max(combo.findData(chosen), 0))
        self.where.setText(tr("保存位置：{path}", path=pc_settings.location()))

    def save(self) -> bool:
        """Store the chosen printers on this PC; True when saved."""
        try:
            for role, combo in self.printers.items():
                pc_settings.set_printer(role, str(combo.currentData() or ""))
        except FrontdeskError as exc:
            show_error(self, exc.message)
            return False
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(tr("已保存本机设置（只对这台电脑有效）。"), 5000)
        return True

    def print_test_pages(self) -> list[str]:
        """Save, then print a test page of every paper on the printer chosen for it, without
        dialogs; tell the user where each went. Returns the lines shown."""
        from frontdesk.core.centre import centre_info
        from frontdesk.documents.service import PAPERS
        from frontdesk.documents.testpages import test_pages
        from frontdesk.ui import printing

        if not self.save():
            return []
        try:
            centre = self.ctx.read(centre_info)
        except FrontdeskError as exc:
            show_error(self, exc.message)
            return []
        lines: list[str] = []
        for page in test_pages(centre.name, self.ctx.actor.display_name, self.ctx.actor.now()):
            name = printing.chosen_printer(page.paper)
            if not name:
                lines.append(tr("{title}：这台电脑没有可用的打印机", title=page.title))
                continue
            try:
                printing.print_pdf(page.pdf, name, page.title)
            except FrontdeskError as exc:
                lines.append(tr("{title}：{message}", title=page.title, message=exc.message))
            else:
                lines.append(tr("{title}（{paper}）→ {printer}", title=page.title,
                                paper=tr(PAPERS.get(page.paper, page.paper)), printer=name))
        box = QMessageBox(QMessageBox.Icon.Information, tr("打印测试页"), "\n".join(lines),
                          QMessageBox.StandardButton.Ok, self)
        box.exec()
        return lines
