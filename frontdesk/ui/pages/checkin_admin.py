"""管理事由与计数分组: the admin's dialog for check-in purposes, the default purpose and the
tally groups. A refused save keeps what was typed and says why under the form."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

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
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.checkin import service
from frontdesk.checkin.models import AREAS
from frontdesk.core.errors import FrontdeskError
from frontdesk.core.i18n import tr
from frontdesk.ui.widgets.labels import ERROR_STYLE, error_label

if TYPE_CHECKING:
    from frontdesk.ui.context import DeskContext

OK_STYLE = "color: #1b5e20;"


class _Editor(QWidget):
    """A list of records on the left, the chosen one's form and actions on the right."""

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.current_id: int | None = None
        self.items = QListWidget()
        self.items.currentItemChanged.connect(self._on_chosen)
        self.form = QFormLayout()
        self.name = QLineEdit()
        self.name.setMaxLength(50)
        self.active = QCheckBox(tr("启用（取消勾选即停用，历史记录保留）"))
        self.active.setChecked(True)
        self.new_button = QPushButton(tr("新建"))
        self.new_button.setObjectName("newRecord")
        self.new_button.clicked.connect(self.start_new)
        self.save_button = QPushButton(tr("保存"))
        self.save_button.setObjectName("saveRecord")
        self.save_button.clicked.connect(self.save)
        self.up_button = QPushButton(tr("上移"))
        self.up_button.setObjectName("moveUp")
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button = QPushButton(tr("下移"))
        self.down_button.setObjectName("moveDown")
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.form_title = QLabel()
        self.form_title.setStyleSheet("font-weight: bold;")
        self.status = error_label("status")
        right = QVBoxLayout()
        right.addWidget(self.form_title)
        right.addLayout(self.form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        right.addLayout(buttons)
        right.addWidget(self.status)
        right.addStretch(1)
        order = QHBoxLayout()
        order.addWidget(self.up_button)
        order.addWidget(self.down_button)
        order.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.items, 1)
        left.addLayout(order)
        outer = QVBoxLayout(self)
        self.header = QVBoxLayout()
        outer.addLayout(self.header)
        row = QHBoxLayout()
        row.addLayout(left, 1)
        row.addLayout(right, 1)
        outer.addLayout(row, 1)
        if not ctx.actor.is_admin:
            for button in (self.new_button, self.save_button, self.up_button,
                           self.down_button):
                button.setEnabled(False)

    def _on_chosen(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.load(item.data(Qt.ItemDataRole.UserRole))
            self.form_title.setText(tr("修改：{name}", name=item.text()))

    def start_new(self) -> None:
        """Clear the form for a new record."""
        self.items.setCurrentRow(-1)
        self.current_id = None
        self.name.clear()
        self.active.setChecked(True)
        self.form_title.setText(tr("新建"))
        self.name.setFocus()

    def _attempt(self, action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run ``action``; a refusal is said under the form and gives None (form kept)."""
        try:
            result = self.ctx.run(action, *args, topic="checkin", **kwargs)
        except FrontdeskError as exc:
            self.status.setStyleSheet(ERROR_STYLE)
            self.status.setText(exc.message)
            return None
        self.status.setStyleSheet(OK_STYLE)
        return result if result is not None else True

    def _select(self, record_id: int | None) -> None:
        for i in range(self.items.count()):
            item = self.items.item(i)
            if item is not None and item.data(Qt.ItemDataRole.UserRole).id == record_id:
                self.items.setCurrentItem(item)

    def move_selected(self, step: int) -> None:
        """Move the selected record ``step`` places in the list (and on the check-in page)."""
        if self.current_id is None:
            self.status.setStyleSheet(ERROR_STYLE)
            self.status.setText(tr("请先在左边的列表中选中一项。"))
            return
        moved = self.current_id
        if self._attempt(self.mover, moved, step) is not None:
            self.status.clear()
            self.reload(moved)

    mover: Callable[..., Any]

    def reload(self, select_id: int | None = None) -> None:
        raise NotImplementedError

    def load(self, record: object) -> None:
        raise NotImplementedError

    def save(self) -> None:
        raise NotImplementedError


class PurposesEditor(_Editor):
    """Purposes (事由): name, 1+6+X area, hot key, active; order; the default purpose."""

    mover = staticmethod(service.move_purpose)

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__(ctx)
        self.area = QComboBox()
        for code, label in AREAS.items():
            self.area.addItem(tr(label), code)
        self.hotkey = QLineEdit()
        self.hotkey.setMaxLength(1)
        self.hotkey.setMaximumWidth(60)
        self.hotkey.setObjectName("purposeHotkey")
        self.hotkey.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.hotkey.setToolTip(tr("签到页上按这个键即选中此事由；可不填。"))
        self.form.addRow(tr("名称"), self.name)
        self.form.addRow(tr("服务领域"), self.area)
        self.form.addRow(tr("快捷键"), self.hotkey)
        self.form.addRow("", self.active)
        self.default_combo = QComboBox()
        self.default_combo.setObjectName("defaultPurposeChoice")
        self.default_button = QPushButton(tr("保存默认事由"))
        self.default_button.setObjectName("saveDefaultPurpose")
        self.default_button.clicked.connect(self.save_default)
        self.default_button.setEnabled(ctx.actor.is_admin)
        default_row = QHBoxLayout()
        default_row.addWidget(QLabel(tr("刷卡直接签到的默认事由：")))
        default_row.addWidget(self.default_combo, 1)
        default_row.addWidget(self.default_button)
        self.header.addLayout(default_row)
        hint = QLabel(tr("设了默认事由，刷卡后直接按它签到；不设则每次都要选事由。"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666;")
        self.header.addWidget(hint)
        self.start_new()
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        self.items.blockSignals(True)
        self.items.clear()
        purposes = self.ctx.read(service.list_purposes, include_inactive=True)
        try:
            default = self.ctx.read(service.default_purpose)
        except FrontdeskError:
            default = None
        for p in purposes:
            key = f"[{p.hotkey}] " if p.hotkey else ""
            text = key + p.label + ("" if p.active else tr("（停用）"))
            if default is not None and p.id == default.id:
                text += tr("（默认）")
            item = QListWidgetItem(text, self.items)
            item.setData(Qt.ItemDataRole.UserRole, p)
            if not p.active:
                item.setForeground(Qt.GlobalColor.gray)
        self.items.blockSignals(False)
        self._select(select_id)
        self.default_combo.clear()
        self.default_combo.addItem(tr("（不设默认，每次选择事由）"), None)
        for p in purposes:
            if p.active:
                self.default_combo.addItem(p.label, p.id)
        self.default_combo.setCurrentIndex(
            max(0, self.default_combo.findData(default.id if default else None)))

    def start_new(self) -> None:
        super().start_new()
        self.area.setCurrentIndex(0)
        self.hotkey.clear()

    def load(self, record: object) -> None:
        assert isinstance(record, service.PurposeInfo)
        self.current_id = record.id
        self.name.setText(record.label)
        self.area.setCurrentIndex(max(0, self.area.findData(record.area)))
        self.hotkey.setText(record.hotkey or "")
        self.active.setChecked(record.active)

    def save(self) -> None:
        name = self.name.text()
        if self.current_id is not None:
            current = self.items.currentItem()
            record = current.data(Qt.ItemDataRole.UserRole) if current else None
            if record is not None and name.strip() == record.label:
                name = record.name  # a seeded name shown translated: keep its source name
        saved = self._attempt(service.save_purpose, self.current_id, name=name,
                              area=self.area.currentData(), active=self.active.isChecked(),
                              hotkey=self.hotkey.text())
        if saved is not None:
            self.reload(saved.id)
            self.status.setStyleSheet(OK_STYLE)
            self.status.setText(tr("已保存：{name}", name=saved.label))

    def save_default(self) -> None:
        chosen = self._attempt(service.set_default_purpose, self.default_combo.currentData())
        if chosen is not None:
            self.reload(self.current_id)
            self.status.setStyleSheet(OK_STYLE)
            self.status.setText(tr("默认事由：{name}", name=chosen.label)
                                if isinstance(chosen, service.PurposeInfo)
                                else tr("已改为每次选择事由。"))


class TallyGroupsEditor(_Editor):
    """Tally groups (外卖员 ...): name, active; order."""

    mover = staticmethod(service.move_tally_group)

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__(ctx)
        self.form.addRow(tr("名称"), self.name)
        self.form.addRow("", self.active)
        self.start_new()
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        self.items.blockSignals(True)
        self.items.clear()
        for g in self.ctx.read(service.list_tally_groups, include_inactive=True):
            item = QListWidgetItem(g.label + ("" if g.active else tr("（停用）")), self.items)
            item.setData(Qt.ItemDataRole.UserRole, g)
            if not g.active:
                item.setForeground(Qt.GlobalColor.gray)
        self.items.blockSignals(False)
        self._select(select_id)

    def load(self, record: object) -> None:
        assert isinstance(record, service.TallyGroupInfo)
        self.current_id = record.id
        self.name.setText(record.label)
        self.active.setChecked(record.active)

    def save(self) -> None:
        name = self.name.text()
        current = self.items.currentItem() if self.current_id is not None else None
        record = current.data(Qt.ItemDataRole.UserRole) if current else None
        if record is not None and name.strip() == record.label:
            name = record.name
        saved = self._attempt(service.save_tally_group, self.current_id, name=name,
                              active=self.active.isChecked())
        if saved is not None:
            self.reload(saved.id)
            self.status.setStyleSheet(OK_STYLE)
            self.status.setText(tr("已保存：{name}", name=saved.label))


class CheckinAdminDialog(QDialog):
    """Both editors in tabs (``tabs``: purposes, groups); each save is one audited change."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("管理签到事由与计数分组"))
        self.resize(720, 480)
        self.purposes = PurposesEditor(ctx)
        self.purposes.setObjectName("purposes")
        self.groups = TallyGroupsEditor(ctx)
        self.groups.setObjectName("groups")
        self.tabs = QTabWidget()
        self.tabs.addTab(self.purposes, tr("签到事由"))
        self.tabs.addTab(self.groups, tr("匿名计数分组"))
        close = QPushButton(tr("关闭"))
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        intro = QLabel(tr("停用的事由和分组不再出现在签到页，历史记录保留。"))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        if not ctx.actor.is_admin:
            notice = QLabel(tr("只有管理员可以修改签到事由和分组；如需修改请联系管理员。"))
            notice.setWordWrap(True)
            notice.setStyleSheet("background: #fff8e1; padding: 6px;")
            layout.addWidget(notice)
        layout.addWidget(self.tabs)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)

    def show_tab(self, name: str) -> None:
        """Bring the tab ``name`` (purposes, groups) to the front."""
        index = {"purposes": 0, "groups": 1}.get(name)
        if index is None:
            raise KeyError(name)
        self.tabs.setCurrentIndex(index)
