"""导出/导入中心设置 on screen: choose a file, see what importing will do, then import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.core.errors import FrontdeskError, RuleError
from frontdesk.core.i18n import tr
from frontdesk.ui.context import DeskContext, show_error

FILE_FILTER = "JSON (*.json)"


def _action_words() -> dict[str, str]:
    from frontdesk.centre_setup import ADD, DIFFERS, SAME

    return {ADD: tr("新增"), SAME: tr("已有，相同"), DIFFERS: tr("已有同名项目，设置不同：不改动")}


class SetupImportDialog(QDialog):
    """What importing a setup file will do here, item by item; 导入 carries it out."""

    def __init__(self, ctx: DeskContext, setup: dict[str, Any], source: str,
                 parent: QWidget | None = None) -> None:
        from frontdesk.centre_setup import ADD, plan_import

        super().__init__(parent)
        self.setObjectName("setupImport")
        self.setWindowTitle(tr("导入中心设置"))
        self.ctx, self.setup = ctx, setup
        plan = ctx.read(plan_import, setup)
        self.added = sum(change.action == ADD for change in plan)
        words = _action_words()
        self.table = QTableWidget(len(plan), 3)
        self.table.setObjectName("setupPlan")
        self.table.setHorizontalHeaderLabels([tr("类别"), tr("名称"), tr("导入后")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, change in enumerate(plan):
            for col, text in enumerate((change.section, change.name, words[change.action])):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        if self.added:
            text = tr("文件：{file}\n将新增 {n} 项；本中心已有的项目一律不改动。",
                      file=source, n=self.added)
        else:
            text = tr("文件：{file}\n这个文件里的设置本中心都已经有了，不需要导入。", file=source)
        summary = QLabel(text)
        summary.setObjectName("setupSummary")
        summary.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.import_button = QPushButton(tr("导入"))
        self.import_button.setObjectName("setupImportConfirm")
        self.import_button.setEnabled(self.added > 0)
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.confirm)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(680, 480)

    def confirm(self) -> None:
        """Import; a refusal is shown and the dialog stays open (nothing was changed)."""
        from frontdesk.centre_setup import import_setup

        if self.ctx.attempt(self, import_setup, self.setup, topic="settings") is not None:
            self.accept()


def export_setup_to(ctx: DeskContext, parent: QWidget | None, path: Path) -> bool:
    """Write this centre's setup to ``path``; a failure is shown. Returns whether it worked."""
    from frontdesk.centre_setup import export_setup
    from frontdesk.dayclose.package import write_atomically

    try:
        write_atomically(path, ctx.read(export_setup))
    except OSError as exc:
        show_error(parent, tr("无法写入文件 {path}：{err}", path=path, err=exc.strerror or exc))
        return False
    except FrontdeskError as exc:
        show_error(parent, exc.message)
        return False
    return True


def read_setup_file(parent: QWidget | None, path: Path) -> dict[str, Any] | None:
    """The setup in ``path``, or None after telling the user why it cannot be used."""
    from frontdesk.centre_setup import read_setup

    try:
        return read_setup(path.read_bytes())
    except OSError as exc:
        show_error(parent, tr("无法读取文件 {path}：{err}", path=path, err=exc.strerror or exc))
    except RuleError as exc:
        show_error(parent, exc.message)
    return None


def choose_and_export(ctx: DeskContext, parent: QWidget) -> None:
    """导出中心设置…: pick where to save, then save."""
    from frontdesk.core.centre import centre_info

    code = ctx.read(centre_info).code
    name, _ = QFileDialog.getSaveFileName(parent, tr("导出中心设置"),
                                          f"{code}-中心设置.json", FILE_FILTER)
    if name and export_setup_to(ctx, parent, Path(name)):
        QMessageBox.information(parent, tr("导出中心设置"),
                                tr("已导出中心设置：{path}", path=name))


def choose_and_import(ctx: DeskContext, parent: QWidget) -> None:
    """导入中心设置…: pick a file, preview, import."""
    name, _ = QFileDialog.getOpenFileName(parent, tr("导入中心设置"), "", FILE_FILTER)
    if not name:
        return
    setup = read_setup_file(parent, Path(name))
    if setup is not None:
        SetupImportDialog(ctx, setup, name, parent).exec()
