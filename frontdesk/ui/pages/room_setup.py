"""场地设置: add rooms with their rules, closed days and partner organisations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.core.errors import FrontdeskError
from frontdesk.core.i18n import tr
from frontdesk.rooms import service
from frontdesk.rooms.models import BOOKER_KINDS, ORG_KINDS
from frontdesk.ui.dates import from_qdate, to_qdate
from frontdesk.ui.widgets.labels import ERROR_STYLE, error_label

if TYPE_CHECKING:
    from frontdesk.ui.context import DeskContext


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            table.setItem(i, j, QTableWidgetItem(value))
    table.resizeColumnsToContents()


def hours_text(room: service.RoomInfo) -> str:
    """Opening hours in a line: "周一 08:30-21:00；周六 09:00-17:00；周日 不开放"."""
    parts: list[tuple[str, str]] = []
    for weekday, hours in enumerate(room.hours):
        span = f"{hours[0]}-{hours[1]}" if hours else tr("不开放")
        if parts and parts[-1][1] == span:
            parts[-1] = (parts[-1][0].split("-")[0] + "-" + tr(service.WEEKDAY_NAMES[weekday]),
                         span)
        else:
            parts.append((tr(service.WEEKDAY_NAMES[weekday]), span))
    return "；".join(f"{days} {span}" for days, span in parts)


class RoomSetupDialog(QDialog):
    """Rooms, closed days and partner organisations in three tabs."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.changed = False
        self.setWindowTitle(tr("场地设置"))
        self.resize(960, 760)
        tabs = QTabWidget()
        tabs.addTab(self._rooms_tab(), tr("场地"))
        tabs.addTab(self._closures_tab(), tr("闭馆日"))
        tabs.addTab(self._orgs_tab(), tr("合作单位"))
        self.message = error_label()
        close = QPushButton(tr("关闭"))
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addLayout(bottom)
        self.load()

    # -- tabs --------------------------------------------------------------------------------
    def _rooms_tab(self) -> QWidget:
        tab = QWidget()
        self.rooms_table = _table([tr("场地"), tr("容纳人数"), tr("所属"), tr("开放时间"),
                                   tr("每次最长"), tr("提前天数"), tr("每人每月"), tr("审核")])
        self.room_name = QLineEdit()
        self.capacity = QSpinBox()
        self.capacity.setRange(0, 9999)
        self.facilities = QLineEdit()
        self.facilities.setPlaceholderText(tr("例如：投影仪、白板、音响"))
        self.part_of = QComboBox()
        self.hours = QLineEdit("1-7=08:00-22:00")
        self.hours.setToolTip(tr("1 是周一，7 是周日；没写到的日子不开放。"
                                 "例如 1-5=08:30-21:00,6=09:00-17:00"))
        self.max_hours = QDoubleSpinBox()
        self.max_hours.setRange(0.5, 24)
        self.max_hours.setSingleStep(0.5)
        self.max_hours.setValue(4)
        self.max_hours.setSuffix(tr(" 小时"))
        self.advance_days = QSpinBox()
        self.advance_days.setRange(1, 730)
        self.advance_days.setValue(30)
        self.per_month = QSpinBox()
        self.per_month.setRange(0, 100)
        self.per_month.setSpecialValueText(tr("不限"))
        self.booker_boxes: dict[str, QCheckBox] = {}
        bookers = QHBoxLayout()
        for kind, label in BOOKER_KINDS.items():
            box = QCheckBox(tr(label))
            box.setChecked(True)
            self.booker_boxes[kind] = box
            bookers.addWidget(box)
        bookers.addStretch(1)
        self.approval = QCheckBox(tr("预约需要管理员审核"))
        self.active = QCheckBox(tr("接受预约（取消勾选即停用此场地）"))
        self.active.setChecked(True)
        add = QPushButton(tr("添加为新场地"))
        add.setObjectName("addRoom")
        add.clicked.connect(self.add_room)
        self.save_room_button = QPushButton(tr("保存对所选场地的修改"))
        self.save_room_button.setObjectName("saveRoom")
        self.save_room_button.setEnabled(False)
        self.save_room_button.clicked.connect(self.save_room)
        self.rooms_table.itemSelectionChanged.connect(self.room_selected)
        actions = QHBoxLayout()
        actions.addWidget(add)
        actions.addWidget(self.save_room_button)
        actions.addStretch(1)
        form = QFormLayout()
        form.addRow(tr("场地名称"), self.room_name)
        form.addRow(tr("容纳人数"), self.capacity)
        form.addRow(tr("设施"), self.facilities)
        form.addRow(tr("属于（分区）"), self.part_of)
        form.addRow(tr("开放时间"), self.hours)
        form.addRow(tr("每次最长"), self.max_hours)
        form.addRow(tr("最多提前天数"), self.advance_days)
        form.addRow(tr("每人每月最多"), self.per_month)
        form.addRow(tr("谁可以预约"), bookers)
        form.addRow("", self.approval)
        form.addRow("", self.active)
        form.addRow("", actions)
        self.rooms_table.setMinimumHeight(200)
        hint = QLabel(tr("点选表格中的场地可修改它的规则；"
                         "已有的预约不受影响，新规则用于以后的预约。"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666;")
        layout = QVBoxLayout(tab)
        layout.addWidget(self.rooms_table, 1)
        layout.addWidget(hint)
        layout.addLayout(form)
        return tab

    def _closures_tab(self) -> QWidget:
        tab = QWidget()
        self.closure_room = QComboBox()
        self.closure_day = QDateEdit(to_qdate(self.ctx.actor.today()))
        self.closure_day.setCalendarPopup(True)
        self.closure_day.setDisplayFormat("yyyy-MM-dd")
        self.closure_reason = QLineEdit()
        self.closure_reason.setPlaceholderText(tr("例如：消防检查、节假日"))
        add = QPushButton(tr("添加闭馆日"))
        add.clicked.connect(self.add_closure)
        note = QLabel(tr("法定节假日日历只到 2026 年；之后的节假日请在这里按日期添加。"
                         "整个场地闭馆时，它的分区也不能预约。"))
        note.setWordWrap(True)
        self.closures_table = _table([tr("日期"), tr("场地"), tr("原因")])
        self.closures_table.setObjectName("closuresTable")
        remove = QPushButton(tr("删除所选闭馆日"))
        remove.setObjectName("removeClosure")
        remove.clicked.connect(self.remove_closure)
        form = QFormLayout()
        form.addRow(tr("场地"), self.closure_room)
        form.addRow(tr("日期"), self.closure_day)
        form.addRow(tr("原因"), self.closure_reason)
        form.addRow("", add)
        form.addRow(note)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("今天及以后的闭馆日：")))
        row.addStretch(1)
        row.addWidget(remove)
        layout = QVBoxLayout(tab)
        layout.addLayout(row)
        layout.addWidget(self.closures_table, 1)
        layout.addLayout(form)
        return tab

    def _orgs_tab(self) -> QWidget:
        tab = QWidget()
        self.orgs_table = _table([tr("单位"), tr("类型"), tr("联系人"), tr("联系电话")])
        self.org_name = QLineEdit()
        self.org_kind = QComboBox()
        for kind, label in ORG_KINDS.items():
            self.org_kind.addItem(tr(label), kind)
        self.org_contact = QLineEdit()
        self.org_phone = QLineEdit()
        add = QPushButton(tr("添加单位"))
        add.clicked.connect(self.add_org)
        form = QFormLayout()
        form.addRow(tr("单位名称"), self.org_name)
        form.addRow(tr("类型"), self.org_kind)
        form.addRow(tr("联系人"), self.org_contact)
        form.addRow(tr("联系电话"), self.org_phone)
        form.addRow("", add)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.orgs_table, 1)
        layout.addLayout(form)
        return tab

    # -- data ----------------------------------------------------------------------------------
    def load(self) -> None:
        rooms = self.ctx.read(service.list_rooms, include_inactive=True)
        self.rooms = rooms
        names = {r.id: r.name for r in rooms}
        _fill(self.rooms_table, [
            [r.name + ("" if r.active else tr("（已停用）")), str(r.capacity),
             names.get(r.parent_id or 0, ""), hours_text(r),
             tr("{n} 分钟", n=r.max_minutes), str(r.advance_days),
             str(r.max_per_month or tr("不限")), tr("是") if r.needs_approval else ""]
            for r in rooms])
        self.save_room_button.setEnabled(False)
        self.closures = self.ctx.read(service.list_closures, self.ctx.actor.today())
        _fill(self.closures_table, [[c.day.isoformat(), c.room_name, c.reason]
                                    for c in self.closures])
        self.part_of.clear()
        self.part_of.addItem(tr("（独立场地）"), None)
        self.closure_room.clear()
        for r in rooms:
            if r.parent_id is None:
                self.part_of.addItem(r.name, r.id)
            self.closure_room.addItem(r.name, r.id)
        _fill(self.orgs_table, [[o.name, tr(ORG_KINDS.get(o.kind, o.kind)), o.contact, o.phone]
                                for o in self.ctx.read(service.list_organisations)])

    def _error(self, text: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)

    def _attempt(self, action: object, *args: object, **kwargs: object) -> bool:
        try:
            self.ctx.run(action, *args, topic="rooms", **kwargs)  # type: ignore[arg-type]
        except FrontdeskError as exc:
            self._error(exc.message)
            return False
        self.message.clear()
        self.changed = True
        self.load()
        return True

    def add_room(self) -> None:
        try:
            hours = service.parse_hours_spec(self.hours.text())
        except FrontdeskError as exc:
            self._error(exc.message)
            return
        if self._attempt(
                service.create_room, self.room_name.text(), capacity=self.capacity.value(),
                facilities=self.facilities.text(), hours=hours,
                parent_id=self.part_of.currentData(),
                max_minutes=round(self.max_hours.value() * 60),
                advance_days=self.advance_days.value(), max_per_month=self.per_month.value(),
                allowed_bookers=[k for k, box in self.booker_boxes.items() if box.isChecked()],
                needs_approval=self.approval.isChecked()):
            self.room_name.clear()

    def _selected_room(self) -> service.RoomInfo | None:
        row = self.rooms_table.currentRow()
        selected = self.rooms_table.selectionModel().hasSelection()
        return self.rooms[row] if selected and 0 <= row < len(self.rooms) else None

    def room_selected(self) -> None:
        """Put the chosen room's rules into the form, ready to change."""
        room = self._selected_room()
        self.save_room_button.setEnabled(room is not None)
        if room is None:
            return
        self.room_name.setText(room.name)
        self.capacity.setValue(room.capacity)
        self.facilities.setText(room.facilities)
        self.part_of.setCurrentIndex(max(0, self.part_of.findData(room.parent_id)))
        self.hours.setText(service.hours_spec(room.hours))
        self.max_hours.setValue(room.max_minutes / 60)
        self.advance_days.setValue(room.advance_days)
        self.per_month.setValue(room.max_per_month)
        for kind, box in self.booker_boxes.items():
            box.setChecked(kind in room.allowed_bookers)
        self.approval.setChecked(room.needs_approval)
        self.active.setChecked(room.active)

    def save_room(self) -> None:
        room = self._selected_room()
        if room is None:
            return
        if self.part_of.currentData() != room.parent_id:
            self._error(tr("场地建好后不能改变分区关系；如需调整，请停用后重新添加。"))
            return
        try:
            hours = service.parse_hours_spec(self.hours.text())
        except FrontdeskError as exc:
            self._error(exc.message)
            return
        if self._attempt(
                service.update_room, room.id, name=self.room_name.text(),
                capacity=self.capacity.value(), facilities=self.facilities.text(), hours=hours,
                max_minutes=round(self.max_hours.value() * 60),
                advance_days=self.advance_days.value(), max_per_month=self.per_month.value(),
                allowed_bookers=[k for k, box in self.booker_boxes.items() if box.isChecked()],
                needs_approval=self.approval.isChecked(), active=self.active.isChecked()):
            self.message.setStyleSheet("color: #1b5e20;")
            self.message.setText(tr("已保存“{name}”的规则。", name=self.room_name.text().strip()))

    def remove_closure(self) -> None:
        row = self.closures_table.currentRow()
        if not self.closures_table.selectionModel().hasSelection() \
                or not 0 <= row < len(self.closures):
            self._error(tr("请先在表格中选择要删除的闭馆日。"))
            return
        closure = self.closures[row]
        if self._attempt(service.remove_closure, closure.room_id, closure.day):
            self.message.setStyleSheet("color: #1b5e20;")
            self.message.setText(tr("{room} {day} 恢复开放。", room=closure.room_name,
                                    day=closure.day.isoformat()))

    def add_closure(self) -> None:
        if self._attempt(service.add_closure, self.closure_room.currentData(),
                         from_qdate(self.closure_day.date()), self.closure_reason.text()):
            self.message.setStyleSheet("color: #1b5e20;")
            self.message.setText(tr("已添加闭馆日。已有的预约请在日视图中查看并通知预约人。"))

    def add_org(self) -> None:
        if self._attempt(service.create_organisation, self.org_name.text(),
                         kind=self.org_kind.currentData(), contact=self.org_contact.text(),
                         phone=self.org_phone.text()):
            self.org_name.clear()
            self.org_contact.clear()
            self.org_phone.clear()
