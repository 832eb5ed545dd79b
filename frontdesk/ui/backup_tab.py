"""设置 → 备份与恢复: list the backups, back up now, restore a chosen file (admins)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.core import backup
from frontdesk.core.errors import FrontdeskError
from frontdesk.core.i18n import N_, tr
from frontdesk.core.paths import backup_dir
from frontdesk.ui.context import show_error
from frontdesk.ui.pages.base import Page

if TYPE_CHECKING:
    from frontdesk.ui.context import DeskContext

# What each automatic backup was taken for, as the file name records it.
REASONS = {"start": N_("启动时自动"), "manual": N_("手动"), "pre-upgrade": N_("升级前自动"),
           "pre-restore": N_("恢复前自动")}


def reason_label(reason: str) -> str:
    """A backup's reason in the user's words (日结 backups carry the day)."""
    if reason.startswith("close-"):
        day = reason.removeprefix("close-")
        if len(day) == 8 and day.isdigit():
            day = f"{day[:4]}-{day[4:6]}-{day[6:]}"
        return tr("日结 {day}", day=day)
    return tr(REASONS[reason]) if reason in REASONS else reason


class BackupTab(QWidget):
    """The backups of this database, newest first, with 立即备份 and 恢复."""

    COLUMNS = (N_("备份时间"), N_("原因"), N_("大小"), N_("文件"))

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.rows: list[backup.BackupFile] = []
        self.notice = Page.admin_only_notice()
        self.hint = QLabel(tr(
            "程序每次启动和每次日结时都会自动备份数据库，只保留最新的几份（份数见“系统设置”）。"
            "恢复会用所选备份覆盖当前数据，恢复前会先把当前数据库另存一份。"))
        self.hint.setWordWrap(True)
        self.folder = QLabel()
        self.folder.setWordWrap(True)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("backupsTable")
        self.table.setHorizontalHeaderLabels([tr(c) for c in self.COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.backup_button = QPushButton(tr("立即备份"))
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button = QPushButton(tr("用选中的备份恢复…"))
        self.restore_button.clicked.connect(self.restore_selected)
        self.file_button = QPushButton(tr("从其他文件恢复…"))
        self.file_button.clicked.connect(self.restore_from_file)
        bar = QHBoxLayout()
        for button in (self.backup_button, self.restore_button, self.file_button):
            bar.addWidget(button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(self.hint)
        layout.addLayout(bar)
        layout.addWidget(self.folder)
        layout.addWidget(self.table)

    def refresh(self) -> None:
        admin = self.ctx.actor.is_admin
        self.notice.setVisible(not admin)
        for w in (self.hint, self.folder, self.table, self.backup_button, self.restore_button,
                  self.file_button):
            w.setVisible(admin)
        if not admin:
            return
        self.folder.setText(tr("备份文件夹：{path}", path=str(backup_dir())))
        self.rows = backup.list_backups(self.ctx.db)
        self.table.setRowCount(len(self.rows))
        for r, item in enumerate(self.rows):
            size = tr("{n} KB", n=f"{max(1, item.size_bytes // 1024):,}")
            for c, value in enumerate((item.taken_at.strftime("%Y-%m-%d %H:%M:%S"),
                                       reason_label(item.reason), size, item.path.name)):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()

    def back_up_now(self) -> None:
        try:
            path = backup.backup_database(self.ctx.db, reason="manual",
                                          keep=backup.keep_setting(self.ctx.db))
        except FrontdeskError as exc:
            show_error(self, exc.message)
            return
        self.refresh()
        QMessageBox.information(self, tr("备份完成"), tr("已备份到 {path}", path=str(path)))

    def restore_selected(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.rows):
            QMessageBox.information(self, tr("请选择"), tr("请先在列表中选择一份备份。"))
            return
        self.restore(self.rows[row].path)

    def restore_from_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, tr("选择备份文件"), str(backup_dir()),
                                              tr("数据库备份 (*.sqlite3 *.pgdump);;所有文件 (*)"))
        if name:
            self.restore(Path(name))

    def restore(self, file: Path) -> None:
        """Confirm, restore ``file``, then tell every page that all data changed."""
        answer = QMessageBox.question(
            self, tr("确认恢复"),
            tr("用备份“{name}”覆盖当前全部数据？\n当前数据库会先另存一份，之后仍可恢复回来。",
               name=file.name))
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            safety = backup.restore_database(self.ctx.db, file, actor=self.ctx.actor)
        except FrontdeskError as exc:
            show_error(self, exc.message)
            return
        # The database was reopened on the restored file: every page reloads what it shows.
        for topic in ("settings", "operators", "residents", "checkin", "canteen", "rooms",
                      "volunteers", "dayclose", "documents", "audit", "backup"):
            self.ctx.changed.emit(topic)
        self.refresh()
        QMessageBox.information(self, tr("恢复完成"), tr(
            "已从“{name}”恢复。恢复前的数据库已另存为：{path}", name=file.name, path=str(safety)))
