"""The canteen's setup forms: a meal session, a day's menu, the funders; and the notice that
says what is missing (from ``canteen.setup.readiness``) with the button that fixes it.

Every form keeps what was typed when a save is refused and says why under the fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.canteen import service as svc
from frontdesk.canteen.setup import readiness
from frontdesk.core.errors import FrontdeskError, RuleError
from frontdesk.core.i18n import N_, tr
from frontdesk.core.money import format_yuan, parse_yuan
from frontdesk.core.readiness import ReadinessItem
from frontdesk.ui.dates import from_qdate, to_qdate
from frontdesk.ui.widgets.labels import error_label

if TYPE_CHECKING:
    from frontdesk.ui.context import DeskContext

ASK_ADMIN = N_("请联系管理员在“长者食堂 → 餐次、规则与申报”中设置。")


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    ok = box.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    ok.setObjectName("saveButton")
    box.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
    box.rejected.connect(dialog.reject)
    return box


def _time_edit(value: str) -> QTimeEdit:
    edit = QTimeEdit(QTime.fromString(value, "HH:mm"))
    edit.setDisplayFormat("HH:mm")
    return edit


def _capacity(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise RuleError(tr("份数上限要填整数，不限请留空。"))
    return int(text)


class SessionDialog(QDialog):
    """新增餐次 / 修改餐次: name, times, price in 元, places, the standard menu, in use."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None,
                 existing: svc.SessionInfo | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.existing = existing
        self.saved: svc.SessionInfo | None = None
        self.setWindowTitle(tr("修改餐次") if existing else tr("新增餐次"))
        self.setMinimumWidth(460)
        self.name = QLineEdit(existing.name if existing else "")
        self.name.setObjectName("sessionName")
        self.name.setMaxLength(svc.SESSION_NAME_MAX + 5)  # too long is said, not cut silently
        self.name.setPlaceholderText(tr("例如：午餐"))
        self.start = _time_edit(existing.start_time if existing else "11:00")
        self.start.setObjectName("sessionStart")
        self.end = _time_edit(existing.end_time if existing else "13:00")
        self.end.setObjectName("sessionEnd")
        self.price = QLineEdit(format_yuan(existing.price_fen) if existing else "")
        self.price.setObjectName("sessionPrice")
        self.price.setPlaceholderText(tr("例如：9.9"))
        self.capacity = QLineEdit("" if not existing or existing.capacity is None
                                  else str(existing.capacity))
        self.capacity.setObjectName("sessionCapacity")
        self.capacity.setPlaceholderText(tr("不限请留空"))
        self.menu = QLineEdit(existing.menu if existing else "")
        self.menu.setObjectName("sessionMenu")
        self.menu.setPlaceholderText(tr("例如：三菜一汤"))
        self.active = QCheckBox(tr("使用中（取消勾选即停用：保留记录，不再出票）"))
        self.active.setChecked(existing.active if existing else True)
        form = QFormLayout()
        form.addRow(tr("餐次名称"), self.name)
        times = QHBoxLayout()
        times.addWidget(self.start)
        times.addWidget(QLabel(tr("至")))
        times.addWidget(self.end)
        times.addStretch(1)
        form.addRow(tr("供餐时间"), times)
        form.addRow(tr("价格（元）"), self.price)
        form.addRow(tr("份数上限"), self.capacity)
        form.addRow(tr("标准菜单"), self.menu)
        if existing is not None:
            form.addRow("", self.active)
        note = QLabel(tr("改价不影响已出的餐票。各餐次的时间不能重叠。"))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.message = error_label("sessionMessage")
        buttons = _buttons(self, tr("保存餐次"))
        buttons.accepted.connect(self.submit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def submit(self) -> None:
        try:
            price = parse_yuan(self.price.text()) if self.price.text().strip() else None
            if price is None:
                raise RuleError(tr("请填写价格（元），例如 9.9。"))
            capacity = _capacity(self.capacity.text())
            start = self.start.time().toString("HH:mm")
            end = self.end.time().toString("HH:mm")
            if self.existing is None:
                self.saved = self.ctx.run(svc.create_session, self.name.text(), start, end,
                                          price, capacity, self.menu.text(), topic="canteen")
            else:
                self.saved = self.ctx.run(
                    svc.update_session, self.existing.id, name=self.name.text(),
                    price_fen=price, capacity=capacity, menu=self.menu.text(),
                    start_time=start, end_time=end, active=self.active.isChecked(),
                    topic="canteen")
        except FrontdeskError as exc:
            self.message.setText(exc.message)
            self.adjustSize()  # room for the wrapped message: nothing clipped
            return
        self.accept()


class DayMenuDialog(QDialog):
    """某日菜单: one date's menu for a session, its closing, and (admins) its own price."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None,
                 session_id: int | None = None, day: dt.date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("某日菜单"))
        self.setMinimumWidth(460)
        self.session_combo = QComboBox()
        self.session_combo.setObjectName("daySession")
        for s in ctx.read(svc.list_sessions, ctx.actor.today()):
            self.session_combo.addItem(s.name, s.id)
        if session_id is not None:
            self.session_combo.setCurrentIndex(max(0, self.session_combo.findData(session_id)))
        self.day = QDateEdit(to_qdate(day or ctx.actor.today()))
        self.day.setObjectName("dayDate")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.menu = QLineEdit()
        self.menu.setObjectName("dayMenu")
        self.standard = QLabel()
        self.standard.setWordWrap(True)
        self.standard.setStyleSheet("color: #555;")
        self.closed = QCheckBox(tr("这一天这一餐停止供餐"))
        self.price = QLineEdit()
        self.price.setObjectName("dayPrice")
        self.price.setPlaceholderText(tr("与平时相同请留空"))
        self.capacity = QLineEdit()
        self.capacity.setPlaceholderText(tr("与平时相同请留空"))
        form = QFormLayout()
        form.addRow(tr("餐次"), self.session_combo)
        form.addRow(tr("日期"), self.day)
        form.addRow(tr("当天菜单"), self.menu)
        form.addRow("", self.standard)
        form.addRow("", self.closed)
        if ctx.actor.is_admin:
            form.addRow(tr("当天价格（元）"), self.price)
            form.addRow(tr("当天份数上限"), self.capacity)
        self.message = error_label("dayMessage")
        buttons = _buttons(self, tr("保存"))
        buttons.accepted.connect(self.submit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.session_combo.currentIndexChanged.connect(lambda _i: self.load())
        self.day.dateChanged.connect(lambda _d: self.load())
        self.load()

    def _day(self) -> dt.date:
        return from_qdate(self.day.date())

    def load(self) -> None:
        session_id = self.session_combo.currentData()
        if session_id is None:
            self.standard.setText(tr("还没有餐次，请先新增餐次。"))
            return
        menu, price, capacity, closed = self.ctx.read(svc.day_override, session_id,
                                                      self._day())
        standard = next(s for s in self.ctx.read(svc.list_sessions, dt.date.min,
                                                 include_inactive=True) if s.id == session_id)
        self.menu.setText(menu if menu is not None else "")
        self.menu.setPlaceholderText(standard.menu or tr("（没有标准菜单）"))
        self.standard.setText(tr("不填则用标准菜单：{menu}；平时价格 {price} 元。",
                                 menu=standard.menu or tr("（无）"),
                                 price=format_yuan(standard.price_fen)))
        self.price.setText("" if price is None else format_yuan(price))
        self.capacity.setText("" if capacity is None else str(capacity))
        self.closed.setChecked(closed)

    def submit(self) -> None:
        session_id = self.session_combo.currentData()
        try:
            if session_id is None:
                raise RuleError(tr("还没有餐次，请先新增餐次。"))
            menu = self.menu.text().strip() or None
            price = parse_yuan(self.price.text()) if self.price.text().strip() else None
            self.ctx.run(svc.set_day, session_id, self._day(), menu=menu, price_fen=price,
                         capacity=_capacity(self.capacity.text()),
                         closed=self.closed.isChecked(), topic="canteen")
        except FrontdeskError as exc:
            self.message.setText(exc.message)
            self.adjustSize()  # room for the wrapped message: nothing clipped
            return
        self.accept()


class FunderDialog(QDialog):
    """资助方: the list (政府补助, 村级, 慈善...), add, rename, retire or use again."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("资助方"))
        self.setMinimumWidth(480)
        self.items = QListWidget()
        self.items.setObjectName("funderList")
        self.items.currentItemChanged.connect(self._chosen)
        self.name = QLineEdit()
        self.name.setObjectName("funderName")
        self.name.setPlaceholderText(tr("例如：政府补助、村级、慈善基金会"))
        self.add_button = QPushButton(tr("新增"))
        self.add_button.setObjectName("addFunder")
        self.add_button.clicked.connect(self.add)
        self.rename_button = QPushButton(tr("改名"))
        self.rename_button.clicked.connect(self.rename)
        self.retire_button = QPushButton(tr("停用"))
        self.retire_button.clicked.connect(self.toggle)
        note = QLabel(tr("资助方是每份餐的出资方。改名后已出的餐票保留原名称；用在补助规则里的"
                         "资助方要先停用或修改那些规则才能停用。"))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.message = error_label("funderMessage")
        row = QHBoxLayout()
        row.addWidget(self.name, 1)
        for b in (self.add_button, self.rename_button, self.retire_button):
            row.addWidget(b)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText(tr("关闭"))
        close.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.items)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        self.items.clear()
        for f in self.ctx.read(svc.list_funders, include_inactive=True):
            text = f.name + (tr("（就餐者本人）") if f.is_self else
                             "" if f.active else tr("（已停用）"))
            item = QListWidgetItem(text, self.items)
            item.setData(Qt.ItemDataRole.UserRole, f)
            if f.id == select_id:
                self.items.setCurrentItem(item)
        self._chosen(self.items.currentItem())

    def _current(self) -> svc.FunderInfo | None:
        item = self.items.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def _chosen(self, item: QListWidgetItem | None) -> None:
        f = None if item is None else item.data(Qt.ItemDataRole.UserRole)
        self.rename_button.setEnabled(f is not None)
        self.retire_button.setEnabled(f is not None and not f.is_self)
        self.retire_button.setText(tr("重新启用") if f is not None and not f.active
                                   else tr("停用"))
        if f is not None:
            self.name.setText(f.name)

    def _attempt(self, action: Callable[..., svc.FunderInfo], *args: object) -> None:
        try:
            done = self.ctx.run(action, *args, topic="canteen")
        except FrontdeskError as exc:
            self.message.setText(exc.message)
            return
        self.message.clear()
        self.reload(done.id)

    def add(self) -> None:
        self._attempt(svc.create_funder, self.name.text())

    def rename(self) -> None:
        f = self._current()
        if f is None:
            self.message.setText(tr("请先在列表中选中一个资助方。"))
            return
        self._attempt(svc.rename_funder, f.id, self.name.text(), f.active)

    def toggle(self) -> None:
        f = self._current()
        if f is not None:
            self._attempt(svc.restore_funder if not f.active else svc.retire_funder, f.id)


class SetupNotice(QFrame):
    """What the canteen still lacks, in plain words, each with the button that fixes it
    (for a desk operator: who to ask). Hidden when nothing is missing."""

    def __init__(self, ctx: DeskContext, open_form: Callable[[str], None]) -> None:
        super().__init__()
        self.ctx = ctx
        self.open_form = open_form
        self.setObjectName("setupNotice")
        self.setStyleSheet("QFrame#setupNotice { background: #fff8e1; border: 1px solid #e0b050;"
                           " border-radius: 6px; }")
        self.rows = QVBoxLayout(self)
        self.rows.setContentsMargins(10, 6, 10, 6)
        self.items: list[ReadinessItem] = []

    def refresh(self) -> None:
        while self.rows.count():
            taken = self.rows.takeAt(0)
            inner = taken.layout() if taken is not None else None
            while inner is not None and inner.count():
                child = inner.takeAt(0)
                widget = child.widget() if child is not None else None
                if widget is not None:  # gone at once, not on the next event loop
                    widget.setParent(None)
                    widget.deleteLater()
        self.items = self.ctx.read(readiness, self.ctx.actor.today())
        missing = {i.key: i for i in self.items if not i.ready}
        lines: list[tuple[str, str, str, bool]] = []  # text, button text, form key, blocking
        if "canteen.sessions" in missing:
            lines.append((missing["canteen.sessions"].missing, tr("新增餐次…"), "session",
                          True))
        if "canteen.funders" in missing:
            lines.append((tr("还没有资助方和补助规则：现在所有长者都按全价付费，没有补助可申报。"
                             "要记政府、村级等补助，请先添加资助方，再新增补助规则。")
                          if "canteen.rules" in missing else missing["canteen.funders"].missing,
                          tr("添加资助方…"), "funders", False))
        elif "canteen.rules" in missing:
            lines.append((missing["canteen.rules"].missing, tr("新增补助规则…"), "rule", False))
        for text, button_text, key, blocking in lines:
            row = QHBoxLayout()
            self.rows.addLayout(row)  # first: the widgets then get this frame as parent
            label = QLabel(text if self.ctx.actor.is_admin else f"{text}{tr(ASK_ADMIN)}")
            label.setObjectName(f"missing_{key}")
            label.setWordWrap(True)
            label.setStyleSheet("font-weight: bold; color: #8a4b00;" if blocking else
                                "color: #5d4300;")
            row.addWidget(label, 1)
            label.show()  # added to a visible frame: shown now, not left hidden
            if self.ctx.actor.is_admin:
                button = QPushButton(button_text)
                button.setObjectName(f"fix_{key}")
                button.clicked.connect(lambda _c=False, k=key: self.open_form(k))
                row.addWidget(button)
                button.show()
        self.setVisible(bool(lines))
