"""管理事由与计数分组: the admin's dialog for check-in purposes and tally groups."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.checkin import service
from frontdesk.checkin.models import AREAS
from frontdesk.core.i18n import tr

if TYPE_CHECKING:
    from frontdesk.ui.context import DeskContext


class _Editor(QWidget):
    """A list of records on the left, the chosen one's form on the right."""

    def __init__(self) -> None:
        super().__init__()
        self.current_id: int | None = None
        self.items = QListWidget()
        self.items.currentItemChanged.connect(self._on_chosen)
        self.form = QFormLayout()
        self.name = QLineEdit()
        self.name.setMaxLength(50)
        self.order = QSpinBox()
        self.order.setRange(0, 999)
        self.active = QCheckBox(tr("启用"))
        self.new_button = QPushButton(tr("新建"))
        self.new_button.clicked.connect(self.start_new)
        self.save_button = QPushButton(tr("保存"))
        self.save_button.clicked.connect(self.save)
        self.status = QLabel()
        right = QVBoxLayout()
        right.addLayout(self.form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.save_button)
        right.addLayout(buttons)
        right.addWidget(self.status)
        right.addStretch(1)
        row = QHBoxLayout(self)
        row.addWidget(self.items, 1)
        row.addLayout(right, 1)

    def _on_chosen(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.load(item.data(Qt.ItemDataRole.UserRole))

    def start_new(self) -> None:
        """Clear the form for a new record."""
        self.items.setCurrentRow(-1)
        self.current_id = None
        self.name.clear()
        self.order.setValue(self.items.count() + 1)
        self.active.setChecked(True)
        self.name.setFocus()

    def load(self, record: object) -> None:
        raise NotImplementedError

    def save(self) -> None:
        raise NotImplementedError


class PurposesEditor(_Editor):
    """Purposes (事由): name, 1+6+X area, hot key, order, active."""

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.area = QComboBox()
        for code, label in AREAS.items():
            self.area.addItem(tr(label), code)
        self.hotkey = QLineEdit()
        self.hotkey.setMaxLength(1)
        self.hotkey.setObjectName("purposeHotkey")
        self.form.addRow(tr("名称"), self.name)
        self.form.addRow(tr("服务领域"), self.area)
        self.form.addRow(tr("快捷键"), self.hotkey)
        self.form.addRow(tr("顺序"), self.order)
        self.form.addRow("", self.active)
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        self.items.clear()
        for p in self.ctx.read(service.list_purposes, include_inactive=True):
            text = f"[{p.hotkey or ' '}] {p.label}" + ("" if p.active else tr("（停用）"))
            item = QListWidgetItem(text, self.items)
            item.setData(Qt.ItemDataRole.UserRole, p)
            if p.id == select_id:
                self.items.setCurrentItem(item)

    def load(self, record: object) -> None:
        assert isinstance(record, service.PurposeInfo)
        self.current_id = record.id
        self.name.setText(record.name)
        self.area.setCurrentIndex(max(0, self.area.findData(record.area)))
        self.hotkey.setText(record.hotkey or "")
        self.order.setValue(record.sort_order)
        self.active.setChecked(record.active)

    def save(self) -> None:
        saved = self.ctx.attempt(self, service.save_purpose, self.current_id,
                                 name=self.name.text(), area=self.area.currentData(),
                                 active=self.active.isChecked(), sort_order=self.order.value(),
                                 hotkey=self.hotkey.text(), topic="checkin")
        if saved is not None:
            self.status.setText(tr("已保存：{name}", name=saved.label))
            self.reload(saved.id)


class TallyGroupsEditor(_Editor):
    """Tally groups (外卖员 ...): name, order, active."""

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.form.addRow(tr("名称"), self.name)
        self.form.addRow(tr("顺序"), self.order)
        self.form.addRow("", self.active)
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        self.items.clear()
        for g in self.ctx.read(service.list_tally_groups, include_inactive=True):
            item = QListWidgetItem(g.label + ("" if g.active else tr("（停用）")), self.items)
            item.setData(Qt.ItemDataRole.UserRole, g)
            if g.id == select_id:
                self.items.setCurrentItem(item)

    def load(self, record: object) -> None:
        assert isinstance(record, service.TallyGroupInfo)
        self.current_id = record.id
        self.name.setText(record.name)
        self.order.setValue(record.sort_order)
        self.active.setChecked(record.active)

    def save(self) -> None:
        saved = self.ctx.attempt(self, service.save_tally_group, self.current_id,
                                 name=self.name.text(), active=self.active.isChecked(),
                                 sort_order=self.order.value(), topic="checkin")
        if saved is not None:
            self.status.setText(tr("已保存：{name}", name=saved.label))
            self.reload(saved.id)


class CheckinAdminDialog(QDialog):
    """Both editors in tabs; changes are saved one record at a time and audited."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("管理签到事由与计数分组"))
        self.resize(640, 420)
        self.purposes = PurposesEditor(ctx)
        self.groups = TallyGroupsEditor(ctx)
        tabs = QTabWidget()
        tabs.addTab(self.purposes, tr("签到事由"))
        tabs.addTab(self.groups, tr("匿名计数分组"))
        close = QPushButton(tr("关闭"))
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("停用的事由和分组不再出现在签到页，历史记录保留。")))
        layout.addWidget(tabs)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
