"""场地设置: rooms with their rules and opening hours, closed days and partner units.

Admins change them; a desk operator sees the same tabs read-only, with who to ask. A refused
save keeps everything typed and says why under the form.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
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
from frontdesk.ui.widgets.hours_editor import HoursEditor
from frontdesk.ui.widgets.labels import ERROR_STYLE, error_label

if TYPE_CHECKING:
    from frontdesk.ui.context import DeskContext

OK_STYLE = "color: #1b5e20;"
FAILED = object()  # what _attempt gives back when the service refused


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setVisible(False)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            table.setItem(i, j, QTableWidgetItem(value))
    table.resizeColumnsToContents()


def hours_text(room: service.RoomInfo) -> str:
    """Opening hours in words: "周一至周五 08:30-21:00；周六、周日不开放"."""
    return service.describe_hours(room.hours)


def rules_text(room: service.RoomInfo) -> str:
    """A room's booking rules in a line of words."""
    parts = [tr("每次最长 {d}", d=service.duration_text(room.max_minutes)),
             tr("最多提前 {n} 天", n=room.advance_days)]
    if room.max_per_month:
        parts.append(tr("每人每月最多 {n} 次", n=room.max_per_month))
    parts.append(tr("可预约：{who}", who=tr("、").join(
        tr(BOOKER_KINDS[k]) for k in room.allowed_bookers if k in BOOKER_KINDS)))
    if room.needs_approval:
        parts.append(tr("需管理员审核"))
    return tr("；").join(parts)


class RoomSetupDialog(QDialog):
    """Rooms, closed days and partner units in three tabs (``tabs``: rooms, closures, orgs)."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.changed = False
        self.rooms: list[service.RoomInfo] = []
        self.orgs: list[service.OrganisationInfo] = []
        self.closures: list[service.ClosureInfo] = []
        self.setWindowTitle(tr("场地设置"))
        self.resize(980, 680)
        self.tabs = QTabWidget()
        for widget, name, label in ((self._rooms_tab(), "rooms", tr("场地")),
                                    (self._closures_tab(), "closures", tr("闭馆日")),
                                    (self._orgs_tab(), "orgs", tr("合作单位"))):
            widget.setObjectName(name)
            self.tabs.addTab(widget, label)
        self.message = error_label()
        close = QPushButton(tr("关闭"))
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        self.notice = QLabel(tr("只有管理员可以修改场地设置。"
                                "需要添加或修改场地、闭馆日、合作单位时，请联系管理员。"))
        self.notice.setObjectName("adminOnlyNotice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("background: #fff8e1; padding: 6px;")
        self.notice.setVisible(not ctx.actor.is_admin)
        layout.addWidget(self.notice)
        layout.addWidget(self.tabs, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(close)
        layout.addLayout(bottom)
        self._lock_for_desk()
        self.load()
        self.new_room()

    def show_tab(self, name: str) -> None:
        """Bring the tab ``name`` (rooms, closures, orgs) to the front."""
        for i in range(self.tabs.count()):
            widget = self.tabs.widget(i)
            if widget is not None and widget.objectName() == name:
                self.tabs.setCurrentIndex(i)
                return
        raise KeyError(name)

    # -- tabs --------------------------------------------------------------------------------
    def _rooms_tab(self) -> QWidget:
        tab = QWidget()
        self.rooms_table = _table([tr("场地"), tr("容纳人数"), tr("属于"), tr("开放时间"),
                                   tr("预约规则")])
        self.rooms_table.setObjectName("roomsTable")
        self.rooms_table.itemSelectionChanged.connect(self.room_selected)
        self.room_name = QLineEdit()
        self.room_name.setObjectName("roomName")
        self.room_name.setMaxLength(100)
        self.capacity = QSpinBox()
        self.capacity.setRange(0, 9999)
        self.capacity.setSpecialValueText(tr("不限"))
        self.facilities = QLineEdit()
        self.facilities.setMaxLength(500)
        self.facilities.setPlaceholderText(tr("例如：投影仪、白板、音响"))
        self.part_of = QComboBox()
        self.part_of.setToolTip(tr("一个大厅可以分成几个区分别预约：约了整个大厅，各区都被占用；"
                                   "约了一个区，整个大厅就不能再约。"))
        self.max_hours = QDoubleSpinBox()
        self.max_hours.setRange(0.5, 24)
        self.max_hours.setSingleStep(0.5)
        self.max_hours.setDecimals(1)
        self.max_hours.setValue(4)
        self.max_hours.setSuffix(tr(" 小时"))
        self.advance_days = QSpinBox()
        self.advance_days.setRange(1, 730)
        self.advance_days.setValue(30)
        self.advance_days.setSuffix(tr(" 天"))
        self.per_month = QSpinBox()
        self.per_month.setRange(0, 100)
        self.per_month.setSpecialValueText(tr("不限"))
        self.per_month.setSuffix(tr(" 次"))
        self.booker_boxes: dict[str, QCheckBox] = {}
        bookers = QHBoxLayout()
        for kind, label in BOOKER_KINDS.items():
            box = QCheckBox(tr(label))
            box.setChecked(True)
            self.booker_boxes[kind] = box
            bookers.addWidget(box)
        bookers.addStretch(1)
        self.approval = QCheckBox(tr("预约需要管理员审核"))
        self.hours = HoursEditor()
        self.hours.setObjectName("hoursEditor")

        self.new_room_button = QPushButton(tr("清空表单，新建场地"))
        self.new_room_button.setObjectName("newRoom")
        self.new_room_button.clicked.connect(self.new_room)
        self.add_room_button = QPushButton(tr("添加为新场地"))
        self.add_room_button.setObjectName("addRoom")
        self.add_room_button.clicked.connect(self.add_room)
        self.save_room_button = QPushButton(tr("保存修改"))
        self.save_room_button.setObjectName("saveRoom")
        self.save_room_button.clicked.connect(self.save_room)
        self.retire_room_button = QPushButton(tr("停用此场地"))
        self.retire_room_button.setObjectName("retireRoom")
        self.retire_room_button.clicked.connect(self.toggle_room)
        actions = QHBoxLayout()
        for button in (self.new_room_button, self.add_room_button, self.save_room_button,
                       self.retire_room_button):
            actions.addWidget(button)
        actions.addStretch(1)

        basics = QFormLayout()
        basics.addRow(tr("场地名称"), self.room_name)
        basics.addRow(tr("容纳人数"), self.capacity)
        basics.addRow(tr("设施"), self.facilities)
        basics.addRow(tr("属于哪个大厅"), self.part_of)
        basics.addRow(tr("每次最长"), self.max_hours)
        basics.addRow(tr("最多提前"), self.advance_days)
        basics.addRow(tr("每人每月最多"), self.per_month)
        basics.addRow(tr("谁可以预约"), bookers)
        basics.addRow("", self.approval)
        hours_box = QGroupBox(tr("开放时间（勾选开放的日子）"))
        QVBoxLayout(hours_box).addWidget(self.hours)
        form_row = QHBoxLayout()
        form_row.addLayout(basics, 3)
        form_row.addWidget(hours_box, 2)
        self.room_form_title = QLabel()
        self.room_form_title.setObjectName("roomFormTitle")
        self.room_form_title.setStyleSheet("font-weight: bold;")
        hint = QLabel(tr("点选表格中的场地可修改它的规则；"
                         "已有的预约不受影响，新规则用于以后的预约。"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666;")
        layout = QVBoxLayout(tab)
        layout.addWidget(self.rooms_table, 1)
        layout.addWidget(hint)
        layout.addWidget(self.room_form_title)
        layout.addLayout(form_row)
        layout.addLayout(actions)
        return tab

    def _closures_tab(self) -> QWidget:
        tab = QWidget()
        today = to_qdate(self.ctx.actor.today())
        self.closure_room = QComboBox()
        self.closure_day = QDateEdit(today)
        self.closure_to = QDateEdit(today)
        for edit in (self.closure_day, self.closure_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.closure_day.dateChanged.connect(self._closure_start_moved)
        self.closure_reason = QLineEdit()
        self.closure_reason.setMaxLength(200)
        self.closure_reason.setPlaceholderText(tr("例如：消防检查、春节"))
        self.add_closure_button = QPushButton(tr("添加闭馆日"))
        self.add_closure_button.setObjectName("addClosure")
        self.add_closure_button.clicked.connect(self.add_closure)
        note = QLabel(tr("法定节假日日历只到 2026 年；之后的节假日请在这里按日期添加。"
                         "整个场地闭馆时，它的分区也不能预约。"))
        note.setWordWrap(True)
        self.closures_table = _table([tr("日期"), tr("场地"), tr("原因")])
        self.closures_table.setObjectName("closuresTable")
        self.remove_closure_button = QPushButton(tr("取消所选闭馆日（恢复开放）"))
        self.remove_closure_button.setObjectName("removeClosure")
        self.remove_closure_button.clicked.connect(self.remove_closure)
        days = QHBoxLayout()
        days.addWidget(self.closure_day)
        days.addWidget(QLabel(tr("至")))
        days.addWidget(self.closure_to)
        days.addStretch(1)
        form = QFormLayout()
        form.addRow(tr("场地"), self.closure_room)
        form.addRow(tr("日期"), days)
        form.addRow(tr("原因"), self.closure_reason)
        form.addRow("", self.add_closure_button)
        form.addRow(note)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("今天及以后的闭馆日：")))
        row.addStretch(1)
        row.addWidget(self.remove_closure_button)
        layout = QVBoxLayout(tab)
        layout.addLayout(row)
        layout.addWidget(self.closures_table, 1)
        layout.addLayout(form)
        return tab

    def _orgs_tab(self) -> QWidget:
        tab = QWidget()
        self.orgs_table = _table([tr("单位"), tr("类型"), tr("联系人"), tr("联系电话")])
        self.orgs_table.setObjectName("orgsTable")
        self.orgs_table.itemSelectionChanged.connect(self.org_selected)
        self.org_name = QLineEdit()
        self.org_name.setObjectName("orgName")
        self.org_name.setMaxLength(200)
        self.org_kind = QComboBox()
        for kind, label in ORG_KINDS.items():
            self.org_kind.addItem(tr(label), kind)
        self.org_contact = QLineEdit()
        self.org_contact.setMaxLength(100)
        self.org_phone = QLineEdit()
        self.org_phone.setMaxLength(20)
        self.new_org_button = QPushButton(tr("清空表单，新建单位"))
        self.new_org_button.clicked.connect(self.new_org)
        self.add_org_button = QPushButton(tr("添加单位"))
        self.add_org_button.setObjectName("addOrg")
        self.add_org_button.clicked.connect(self.add_org)
        self.save_org_button = QPushButton(tr("保存修改"))
        self.save_org_button.setObjectName("saveOrg")
        self.save_org_button.clicked.connect(self.save_org)
        self.retire_org_button = QPushButton(tr("停用此单位"))
        self.retire_org_button.setObjectName("retireOrg")
        self.retire_org_button.clicked.connect(self.toggle_org)
        actions = QHBoxLayout()
        for button in (self.new_org_button, self.add_org_button, self.save_org_button,
                       self.retire_org_button):
            actions.addWidget(button)
        actions.addStretch(1)
        form = QFormLayout()
        form.addRow(tr("单位名称"), self.org_name)
        form.addRow(tr("类型"), self.org_kind)
        form.addRow(tr("联系人"), self.org_contact)
        form.addRow(tr("联系电话"), self.org_phone)
        hint = QLabel(tr("企业、学校、党建共建单位等以单位名义预约场地前，先在这里登记。"
                         "点选表格中的单位可修改；停用的单位不能再预约，历史预约保留。"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666;")
        layout = QVBoxLayout(tab)
        layout.addWidget(self.orgs_table, 1)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addLayout(actions)
        return tab

    def _lock_for_desk(self) -> None:
        """A desk operator sees everything but changes nothing (the services refuse too)."""
        if self.ctx.actor.is_admin:
            return
        for button in (self.new_room_button, self.add_room_button, self.save_room_button,
                       self.retire_room_button, self.add_closure_button,
                       self.remove_closure_button, self.new_org_button, self.add_org_button,
                       self.save_org_button, self.retire_org_button,
                       self.hours.copy_button):
            button.setEnabled(False)

    # -- data ----------------------------------------------------------------------------------
    def load(self) -> None:
        rooms = self.ctx.read(service.list_rooms, include_inactive=True)
        self.rooms = rooms
        names = {r.id: r.name for r in rooms}
        _fill(self.rooms_table, [
            [r.name + ("" if r.active else tr("（已停用）")),
             str(r.capacity) if r.capacity else tr("不限"),
             names.get(r.parent_id or 0, ""), hours_text(r), rules_text(r)]
            for r in rooms])
        self.closures = self.ctx.read(service.list_closures, self.ctx.actor.today())
        _fill(self.closures_table, [[c.day.isoformat(), c.room_name, c.reason]
                                    for c in self.closures])
        current_part = self.part_of.currentData()
        self.part_of.clear()
        self.part_of.addItem(tr("（独立场地，不属于别的场地）"), None)
        self.closure_room.clear()
        for r in rooms:
            if r.parent_id is None and r.active:
                self.part_of.addItem(r.name, r.id)
            if r.active:
                self.closure_room.addItem(r.name, r.id)
        self.part_of.setCurrentIndex(max(0, self.part_of.findData(current_part)))
        self.orgs = self.ctx.read(service.list_organisations, include_inactive=True)
        _fill(self.orgs_table, [[o.name + ("" if o.active else tr("（已停用）")),
                                 tr(ORG_KINDS.get(o.kind, o.kind)), o.contact, o.phone]
                                for o in self.orgs])
        self._update_room_buttons()
        self._update_org_buttons()

    def _error(self, text: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)

    def _done(self, text: str) -> None:
        self.message.setStyleSheet(OK_STYLE)
        self.message.setText(text)

    def _attempt(self, action: object, *args: object, **kwargs: object) -> object:
        """Run ``action``; a refusal is said under the form (all typed text kept): FAILED."""
        try:
            result: object = self.ctx.run(action, *args, topic="rooms",  # type: ignore[arg-type]
                                          **kwargs)
        except FrontdeskError as exc:
            self._error(exc.message)
            return FAILED
        self.message.clear()
        self.changed = True
        return result

    # -- rooms ---------------------------------------------------------------------------------
    def _selected_room(self) -> service.RoomInfo | None:
        row = self.rooms_table.currentRow()
        selected = self.rooms_table.selectionModel().hasSelection()
        return self.rooms[row] if selected and 0 <= row < len(self.rooms) else None

    def _update_room_buttons(self) -> None:
        room = self._selected_room()
        admin = self.ctx.actor.is_admin
        self.save_room_button.setEnabled(admin and room is not None)
        self.retire_room_button.setEnabled(admin and room is not None)
        self.retire_room_button.setText(tr("重新启用此场地") if room and not room.active
                                        else tr("停用此场地"))
        self.part_of.setEnabled(room is None)
        self.room_form_title.setText(tr("修改场地：{name}", name=room.name) if room
                                     else tr("新场地"))

    def new_room(self) -> None:
        """Empty the form for a new room."""
        self.rooms_table.clearSelection()
        self.room_name.clear()
        self.capacity.setValue(0)
        self.facilities.clear()
        self.part_of.setCurrentIndex(0)
        self.max_hours.setValue(4)
        self.advance_days.setValue(30)
        self.per_month.setValue(0)
        for box in self.booker_boxes.values():
            box.setChecked(True)
        self.approval.setChecked(False)
        self.hours.set_hours([service.DEFAULT_HOURS] * 7)
        self._update_room_buttons()

    def room_selected(self) -> None:
        """Put the chosen room's rules into the form, ready to change."""
        room = self._selected_room()
        self._update_room_buttons()
        if room is None:
            return
        self.room_name.setText(room.name)
        self.capacity.setValue(room.capacity)
        self.facilities.setText(room.facilities)
        self.part_of.setCurrentIndex(max(0, self.part_of.findData(room.parent_id)))
        if self.part_of.currentData() != room.parent_id:  # its hall is retired: show it anyway
            names = {r.id: r.name for r in self.rooms}
            self.part_of.addItem(names.get(room.parent_id or 0, ""), room.parent_id)
            self.part_of.setCurrentIndex(self.part_of.count() - 1)
        self.hours.set_hours(room.hours)
        self.max_hours.setValue(room.max_minutes / 60)
        self.advance_days.setValue(room.advance_days)
        self.per_month.setValue(room.max_per_month)
        for kind, box in self.booker_boxes.items():
            box.setChecked(kind in room.allowed_bookers)
        self.approval.setChecked(room.needs_approval)

    def _rules(self) -> dict[str, object]:
        return dict(capacity=self.capacity.value(), facilities=self.facilities.text(),
                    hours=self.hours.hours(), max_minutes=round(self.max_hours.value() * 60),
                    advance_days=self.advance_days.value(),
                    max_per_month=self.per_month.value(),
                    allowed_bookers=[k for k, box in self.booker_boxes.items()
                                     if box.isChecked()],
                    needs_approval=self.approval.isChecked())

    def _select_room(self, room_id: int) -> None:
        for i, r in enumerate(self.rooms):
            if r.id == room_id:
                self.rooms_table.selectRow(i)

    def add_room(self) -> None:
        made = self._attempt(service.create_room, self.room_name.text(),
                             parent_id=self.part_of.currentData(), **self._rules())
        if isinstance(made, service.RoomInfo):
            self.load()
            self.new_room()
            self._done(tr("已添加场地“{name}”。", name=made.name))

    def save_room(self) -> None:
        room = self._selected_room()
        if room is None:
            self._error(tr("请先在表格中点选要修改的场地。"))
            return
        saved = self._attempt(service.update_room, room.id, name=self.room_name.text(),
                              active=room.active, **self._rules())
        if isinstance(saved, service.RoomInfo):
            self.load()
            self._select_room(saved.id)
            self._done(tr("已保存“{name}”的规则。", name=saved.name))

    def toggle_room(self) -> None:
        room = self._selected_room()
        if room is None:
            self._error(tr("请先在表格中点选场地。"))
            return
        saved = self._attempt(service.set_room_active, room.id, not room.active)
        if isinstance(saved, service.RoomInfo):
            self.load()
            self._select_room(saved.id)
            self._done(tr("“{name}”已重新启用，可以预约。", name=saved.name) if saved.active
                       else tr("“{name}”已停用，不再出现在预约页；历史预约保留。", name=saved.name))

    # -- closures ------------------------------------------------------------------------------
    def _closure_start_moved(self) -> None:
        if self.closure_to.date() < self.closure_day.date():
            self.closure_to.setDate(self.closure_day.date())

    def remove_closure(self) -> None:
        row = self.closures_table.currentRow()
        if not self.closures_table.selectionModel().hasSelection() \
                or not 0 <= row < len(self.closures):
            self._error(tr("请先在表格中选择要取消的闭馆日。"))
            return
        closure = self.closures[row]
        if self._attempt(service.remove_closure, closure.room_id, closure.day) is not FAILED:
            self.load()
            self._done(tr("{room} {day} 恢复开放。", room=closure.room_name,
                          day=closure.day.isoformat()))

    def add_closure(self) -> None:
        room_id = self.closure_room.currentData()
        if room_id is None:
            self._error(tr("还没有场地：请先在“场地”标签页添加场地。"))
            return
        first, last = from_qdate(self.closure_day.date()), from_qdate(self.closure_to.date())
        if last < first:
            self._error(tr("结束日期早于开始日期。"))
            return
        if (last - first).days > 366:
            self._error(tr("一次最多设置一年的闭馆日。"))
            return
        reason = self.closure_reason.text()

        def close_days(session: object, actor: object) -> int:
            for i in range((last - first).days + 1):
                service.add_closure(session, actor, room_id,  # type: ignore[arg-type]
                                    first + dt.timedelta(days=i), reason)
            return (last - first).days + 1

        if self._attempt(close_days) is not FAILED:
            self.load()
            self.closure_reason.clear()
            self._done(tr("已添加闭馆日。已有的预约请在日视图中查看并通知预约人。"))

    # -- partner units -------------------------------------------------------------------------
    def _selected_org(self) -> service.OrganisationInfo | None:
        row = self.orgs_table.currentRow()
        selected = self.orgs_table.selectionModel().hasSelection()
        return self.orgs[row] if selected and 0 <= row < len(self.orgs) else None

    def _update_org_buttons(self) -> None:
        org = self._selected_org()
        admin = self.ctx.actor.is_admin
        self.save_org_button.setEnabled(admin and org is not None)
        self.retire_org_button.setEnabled(admin and org is not None)
        self.retire_org_button.setText(tr("重新启用此单位") if org and not org.active
                                       else tr("停用此单位"))

    def new_org(self) -> None:
        self.orgs_table.clearSelection()
        for edit in (self.org_name, self.org_contact, self.org_phone):
            edit.clear()
        self.org_kind.setCurrentIndex(0)
        self._update_org_buttons()

    def org_selected(self) -> None:
        org = self._selected_org()
        self._update_org_buttons()
        if org is None:
            return
        self.org_name.setText(org.name)
        self.org_kind.setCurrentIndex(max(0, self.org_kind.findData(org.kind)))
        self.org_contact.setText(org.contact)
        self.org_phone.setText(org.phone)

    def _select_org(self, org_id: int) -> None:
        for i, o in enumerate(self.orgs):
            if o.id == org_id:
                self.orgs_table.selectRow(i)

    def add_org(self) -> None:
        made = self._attempt(service.create_organisation, self.org_name.text(),
                             kind=self.org_kind.currentData(), contact=self.org_contact.text(),
                             phone=self.org_phone.text())
        if isinstance(made, service.OrganisationInfo):
            self.load()
            self.new_org()
            self._done(tr("已添加单位“{name}”。", name=made.name))

    def save_org(self) -> None:
        org = self._selected_org()
        if org is None:
            self._error(tr("请先在表格中点选要修改的单位。"))
            return
        saved = self._attempt(service.update_organisation, org.id, name=self.org_name.text(),
                              kind=self.org_kind.currentData(),
                              contact=self.org_contact.text(), phone=self.org_phone.text(),
                              active=org.active)
        if isinstance(saved, service.OrganisationInfo):
            self.load()
            self._select_org(saved.id)
            self._done(tr("已保存单位“{name}”。", name=saved.name))

    def toggle_org(self) -> None:
        org = self._selected_org()
        if org is None:
            self._error(tr("请先在表格中点选单位。"))
            return
        saved = self._attempt(service.set_organisation_active, org.id, not org.active)
        if isinstance(saved, service.OrganisationInfo):
            self.load()
            self._select_org(saved.id)
            self._done(tr("“{name}”已重新启用。", name=saved.name) if saved.active
                       else tr("“{name}”已停用，不能再预约；历史预约保留。", name=saved.name))
