"""签到: scan or type → the person appears → one key picks the purpose → Enter.

Also the tally counters, group visits, the 在中心 list with check-out, undo, today's
numbers and a 14-day chart. The business date is asked from the actor's clock on every
refresh (never cached), so entries after midnight land on the new day.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.checkin import service
from frontdesk.checkin.reports import sex_label
from frontdesk.core.clock import to_local
from frontdesk.core.errors import FrontdeskError
from frontdesk.core.i18n import N_, tr
from frontdesk.core.masking import mask_phone
from frontdesk.residents.search import search_residents
from frontdesk.residents.service import ResidentInfo, find_by_card_or_id, get_resident, info
from frontdesk.ui.context import show_error
from frontdesk.ui.pages.base import Page
from frontdesk.ui.pages.checkin_sheet import BOOKING_HEADERS, AttendanceSheetDialog, BookingsBox
from frontdesk.ui.widgets.bar_chart import BarChart
from frontdesk.ui.widgets.rows_model import RowsModel

if TYPE_CHECKING:
    from frontdesk.core.scan import ScanHit
    from frontdesk.ui.context import DeskContext
    from frontdesk.ui.pages import PageSpec

AnyIndex = QModelIndex | QPersistentModelIndex

PURPOSE_STYLE = """
QPushButton[purpose="true"] { padding: 5px 8px; font-size: 12pt; text-align: left; }
QPushButton[purpose="true"]:checked { background: #c0392b; color: white; font-weight: bold; }
"""


class QuickRegisterDialog(QDialog):
    """临时登记: a visitor with no record, by name and (optionally) phone."""

    def __init__(self, parent: QWidget | None, name: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("临时登记"))
        self.name = QLineEdit(name)
        self.name.setObjectName("quickName")
        self.phone = QLineEdit()
        self.phone.setObjectName("quickPhone")
        self.phone.setPlaceholderText(tr("可不填；不填则只登记姓名"))
        form = QFormLayout(self)
        note = QLabel(tr("没有档案的来访者：登记姓名（和电话）后即可签到，档案以“临时”标记，"
                         "之后可在居民档案中补全。"))
        note.setWordWrap(True)
        self.setMinimumWidth(460)
        form.addRow(note)
        form.addRow(tr("姓名"), self.name)
        form.addRow(tr("电话"), self.phone)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class GroupVisitDialog(QDialog):
    """团体来访: one entry for a group, with its organisation and head count."""

    def __init__(self, parent: QWidget | None, purposes: list[service.PurposeInfo]) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("团体来访登记"))
        self.setMinimumWidth(420)
        self.organisation = QLineEdit()
        self.organisation.setObjectName("groupOrganisation")
        self.organisation.setPlaceholderText(tr("例如：桂山小学三年级二班"))
        self.head_count = QSpinBox()
        self.head_count.setObjectName("groupHeadCount")
        self.head_count.setRange(1, service.MAX_HEAD_COUNT)
        self.head_count.setValue(10)
        self.purpose = QComboBox()
        self.purpose.addItem(tr("（不填）"), None)
        for p in purposes:
            self.purpose.addItem(p.label, p.id)
        self.contact = QLineEdit()
        form = QFormLayout(self)
        form.addRow(tr("来访单位"), self.organisation)
        form.addRow(tr("人数"), self.head_count)
        form.addRow(tr("事由"), self.purpose)
        form.addRow(tr("联系人"), self.contact)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class CheckinPage(Page):
    """The desk's most frequent action, keyboard first."""

    topics = ("checkin", "settings", "residents", "rooms")
    scan_kinds = ("resident",)
    IN_CENTRE_HEADERS = (N_("签到时间"), N_("姓名"), N_("事由"))

    def __init__(self, ctx: DeskContext, spec: PageSpec) -> None:
        super().__init__(ctx, spec)
        self.setStyleSheet(PURPOSE_STYLE)
        self.person: ResidentInfo | None = None
        self.purpose_id: int | None = None
        self.purposes: list[service.PurposeInfo] = []
        self.centre_default: int | None = None  # the centre's default purpose, last read
        self.purpose_buttons: dict[int, QPushButton] = {}
        self.tally_buttons: dict[int, QPushButton] = {}
        self.data: service.CheckinPageData | None = None
        # Dialog hooks (replaced in tests): a yes/no question and a line of text.
        self.ask_yes_no: Callable[[str, str], bool] = self._ask_yes_no
        self.ask_text: Callable[[str, str], str | None] = self._ask_text

        outer = QHBoxLayout(self)
        left = QVBoxLayout()
        right = QVBoxLayout()
        outer.addLayout(left, 3)
        outer.addLayout(right, 2)

        title_row = QHBoxLayout()
        title_row.addWidget(self.heading(tr("签到")))
        self.date_label = QLabel()
        self.date_label.setObjectName("checkinDate")
        self.date_label.setStyleSheet("font-size: 12pt; color: #555;")
        title_row.addWidget(self.date_label)
        title_row.addStretch(1)
        self.sheet_button = QPushButton(tr("打印来访登记表…"))
        self.sheet_button.setObjectName("attendanceSheet")
        self.sheet_button.setToolTip(tr("打印或补打任一天的来访登记表（带签名栏）"))
        self.sheet_button.clicked.connect(self.open_sheet_dialog)
        title_row.addWidget(self.sheet_button)
        left.addLayout(title_row)
        self.warning = QLabel()
        self.warning.setObjectName("checkinWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("background: #fdecea; color: #8b1a1a; padding: 6px;"
                                   "font-weight: bold;")
        self.warning.hide()
        left.addWidget(self.warning)

        input_row = QHBoxLayout()
        self.input = QLineEdit()
        self.input.setObjectName("checkinInput")
        self.input.setPlaceholderText(tr("刷卡，或输入姓名 / 电话后四位，按回车"))
        self.input.setStyleSheet("font-size: 14pt; padding: 6px;")
        self.input.returnPressed.connect(self.on_enter)
        self.input.installEventFilter(self)
        input_row.addWidget(self.input, 1)
        self.register_button = QPushButton(tr("临时登记…"))
        self.register_button.setObjectName("quickRegister")
        self.register_button.clicked.connect(self.open_quick_register)
        input_row.addWidget(self.register_button)
        left.addLayout(input_row)

        self.matches = QListWidget()
        self.matches.setObjectName("checkinMatches")
        self.matches.setMaximumHeight(110)
        self.matches.itemActivated.connect(self._on_match_chosen)
        self.matches.hide()
        left.addWidget(self.matches)
        self.person_label = QLabel()
        self.person_label.setObjectName("checkinPerson")
        self.person_label.setWordWrap(True)
        self._person_style(done=False)
        left.addWidget(self.person_label)

        self.purpose_box = QGroupBox(tr("事由：按数字键或快捷键选择，回车签到"))
        purpose_layout = QVBoxLayout(self.purpose_box)
        self.purposes_missing, self.purposes_missing_text, self.purposes_fix = _missing_row(
            "purposesMissing", tr("添加签到事由…"), lambda: self.open_admin("purposes"))
        purpose_layout.addWidget(self.purposes_missing)
        self.purpose_grid = QGridLayout()
        purpose_layout.addLayout(self.purpose_grid)
        left.addWidget(self.purpose_box)

        commit_row = QHBoxLayout()
        commit_row.addWidget(QLabel(tr("刷卡后直接签到为：")))
        self.default_combo = QComboBox()
        self.default_combo.setObjectName("defaultPurpose")
        self.default_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.default_combo.setMinimumWidth(200)
        self.default_combo.setToolTip(tr("选定后，刷卡即按此事由签到，无需再按键"))
        commit_row.addWidget(self.default_combo)
        commit_row.addStretch(1)
        self.commit_button = QPushButton(tr("签到（回车）"))
        self.commit_button.setObjectName("checkinButton")
        self.commit_button.setStyleSheet("font-size: 13pt; padding: 8px 24px;")
        self.commit_button.clicked.connect(self.commit)
        commit_row.addWidget(self.commit_button)
        left.addLayout(commit_row)

        self.tally_box = QGroupBox(tr("匿名计数（不登记姓名，点一下记一人）"))
        tally_layout = QVBoxLayout(self.tally_box)
        self.groups_missing, self.groups_missing_text, self.groups_fix = _missing_row(
            "groupsMissing", tr("添加计数分组…"), lambda: self.open_admin("groups"))
        tally_layout.addWidget(self.groups_missing)
        self.tally_row = QGridLayout()
        tally_layout.addLayout(self.tally_row)
        left.addWidget(self.tally_box)
        group_row = QHBoxLayout()
        self.group_button = QPushButton(tr("团体来访登记…"))
        self.group_button.setObjectName("groupVisit")
        self.group_button.clicked.connect(self.open_group_visit)
        group_row.addWidget(self.group_button)
        group_row.addStretch(1)
        self.admin_button = QPushButton(tr("管理事由与分组…"))
        self.admin_button.setObjectName("checkinAdmin")
        self.admin_button.clicked.connect(lambda: self.open_admin())
        group_row.addWidget(self.admin_button)
        left.addLayout(group_row)

        self.today_box = QGroupBox(tr("今日统计"))
        today_layout = QVBoxLayout(self.today_box)
        self.today_label = QLabel()
        self.today_label.setObjectName("todaySummary")
        self.today_label.setWordWrap(True)
        today_layout.addWidget(self.today_label)
        today_layout.addWidget(QLabel(tr("近 14 天来访人数")))
        self.chart = BarChart()
        self.chart.setObjectName("recentChart")
        today_layout.addWidget(self.chart)
        right.addWidget(self.today_box)

        self.side_tabs = QTabWidget()
        self.side_tabs.setObjectName("checkinSideTabs")
        self.in_centre_box = QWidget()
        in_layout = QVBoxLayout(self.in_centre_box)
        self.in_centre_model = RowsModel(self.IN_CENTRE_HEADERS)
        self.in_centre_view = QTableView()
        self.in_centre_view.setObjectName("inCentre")
        self.in_centre_view.setModel(self.in_centre_model)
        self.in_centre_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.in_centre_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.in_centre_view.verticalHeader().setVisible(False)
        self.in_centre_view.horizontalHeader().setStretchLastSection(True)
        in_layout.addWidget(self.in_centre_view)
        self.checkout_button = QPushButton(tr("签退所选"))
        self.checkout_button.setObjectName("checkOut")
        self.checkout_button.clicked.connect(self.check_out_selected)
        in_layout.addWidget(self.checkout_button)
        self.side_tabs.addTab(self.in_centre_box, "")
        self.bookings = BookingsBox(ctx, RowsModel(BOOKING_HEADERS))
        self.bookings.on_checked_in = self._after_booking_check_in
        self.side_tabs.addTab(self.bookings, "")
        right.addWidget(self.side_tabs, 1)

        recent_box = QGroupBox(tr("最近记录（可撤销）"))
        recent_layout = QVBoxLayout(recent_box)
        self.recent = QListWidget()
        self.recent.setObjectName("recentEntries")
        self.recent.setMinimumHeight(48)
        recent_layout.addWidget(self.recent)
        self.undo_button = QPushButton(tr("撤销所选…"))
        self.undo_button.setObjectName("undoEntry")
        self.undo_button.clicked.connect(self.undo_selected)
        recent_layout.addWidget(self.undo_button)
        left.addWidget(recent_box, 1)

        # The business date rolls over at midnight: look again every half minute.
        self.day_timer = QTimer(self)
        self.day_timer.setInterval(30_000)
        self.day_timer.timeout.connect(self._check_day)
        self.day_timer.start()
        self._show_person()

    # -- loading ---------------------------------------------------------------------------
    def refresh(self) -> None:
        actor = self.ctx.actor
        day = actor.today()
        self.admin_button.setVisible(actor.is_admin)
        purposes, groups, default = self.ctx.read(_choices)
        default_id = default.id if default is not None else None
        if (purposes != self.purposes or default_id != self.centre_default
                or not self.default_combo.count()):
            # A new centre default (the admin just set it) replaces this desk's pick.
            self._build_purposes(purposes)
            self._fill_default_combo(default, keep=default_id == self.centre_default)
            self.centre_default = default_id
        if [g.id for g in groups] != list(self.tally_buttons):
            self._build_tallies(groups)
        self._show_missing(purposes, groups)
        self.data = data = self.ctx.read(service.page_data, actor.now(), day)
        self.date_label.setText(tr("营业日期：{date}", date=day.isoformat()))
        self.warning.setText(data.warning)
        self.warning.setVisible(bool(data.warning))
        counts = data.counts
        lines = [tr("来访总人数 <b>{n}</b>（签到 {v} 人次，匿名计数 {t} 人，团体 {g} 批 {h} 人）",
                    n=counts.people, v=counts.visits, t=counts.tallies, g=counts.group_visits,
                    h=counts.group_heads)]
        by_purpose = [f"{label} {n}" for label, n in counts.by_purpose if n]
        if by_purpose:
            lines.append(tr("按事由：") + tr("，").join(by_purpose))
        lines.append(tr("在中心：{n} 人", n=len(data.in_centre)))
        self.today_label.setText("<br>".join(lines))
        self.chart.set_bars([(d.day.strftime("%d"), d.people) for d in data.series])
        group_counts = dict(counts.by_group)
        for group in groups:
            button = self.tally_buttons[group.id]
            button.setText(tr("{name} +1（今日 {n}）", name=group.label,
                              n=group_counts.get(group.label, 0)))
        self.side_tabs.setTabText(0, tr("在中心（{n} 人）", n=len(data.in_centre)))
        self.in_centre_model.set_rows(
            [(to_local(r.checked_in_at).strftime("%H:%M"), r.name, r.purpose)
             for r in data.in_centre], list(data.in_centre))
        self.in_centre_view.resizeColumnsToContents()
        self.bookings.load(day)
        self.side_tabs.setTabText(1, tr("今日场地预约（{n}）", n=len(self.bookings.model.rows)))
        self.recent.clear()
        for entry in data.recent:
            text = f"{to_local(entry.at).strftime('%H:%M')}  {entry.label}"
            if entry.voided:
                text += "  " + tr("（已撤销）")
            item = QListWidgetItem(text, self.recent)
            item.setData(Qt.ItemDataRole.UserRole, (entry.kind, entry.id))
            if entry.voided:
                item.setForeground(Qt.GlobalColor.gray)

    def open_sheet_dialog(self) -> None:
        AttendanceSheetDialog(self.ctx, self).exec()

    def _after_booking_check_in(self, message: str) -> None:
        self.say(message)
        self.refresh()

    def open_setup(self, part: str) -> None:
        self.open_admin(part)

    def open_admin(self, tab: str = "purposes") -> None:
        """The 管理事由与分组 dialog at ``tab`` (purposes, groups)."""
        from frontdesk.ui.pages.checkin_admin import CheckinAdminDialog

        dialog = CheckinAdminDialog(self.ctx, self)
        dialog.show_tab(tab)
        dialog.exec()
        self.refresh()

    def _show_missing(self, purposes: list[service.PurposeInfo],
                      groups: list[service.TallyGroupInfo]) -> None:
        """What is not set up yet, in plain words, with the button that fixes it (admins) or
        who to ask (the desk)."""
        admin = self.ctx.actor.is_admin
        self.purposes_missing.setVisible(not purposes)
        self.purposes_fix.setVisible(admin)
        self.purposes_missing_text.setText(
            tr("还没有签到事由，来访者签到时无法选择来意。请添加事由（例如助老服务、健康咨询）。")
            if admin else tr("还没有签到事由，暂时不能签到。请联系管理员添加签到事由。"))
        self.groups_missing.setVisible(not groups)
        self.groups_fix.setVisible(admin)
        self.groups_missing_text.setText(
            tr("还没有匿名计数分组（外卖员、快递员、环卫工人等不登记姓名的来访者）。")
            if admin else tr("还没有匿名计数分组。需要时请联系管理员添加。"))

    def _check_day(self) -> None:
        if self.data is not None and self.data.day != self.ctx.actor.today() and self.isVisible():
            self.refresh()

    def _build_purposes(self, purposes: list[service.PurposeInfo]) -> None:
        for button in self.purpose_buttons.values():
            self.purpose_grid.removeWidget(button)
            button.deleteLater()
        self.purpose_buttons = {}
        self.purposes = purposes
        for i, p in enumerate(purposes):
            key = f"[{p.hotkey}] " if p.hotkey else ""
            button = QPushButton(f"{key}{p.label}")
            button.setProperty("purpose", True)
            button.setCheckable(True)
            button.setObjectName(f"purpose_{p.id}")
            button.setToolTip(p.area_label)
            button.clicked.connect(lambda _=False, pid=p.id: self.choose_purpose(pid))
            self.purpose_grid.addWidget(button, i // 3, i % 3)
            self.purpose_buttons[p.id] = button
        if self.purpose_id not in self.purpose_buttons:
            self.purpose_id = None
        self._mark_purpose()

    def _fill_default_combo(self, default: service.PurposeInfo | None, *,
                            keep: bool = True) -> None:
        current = self.default_combo.currentData() if keep else None
        self.default_combo.clear()
        self.default_combo.addItem(tr("（每次选择事由）"), None)
        for p in self.purposes:
            self.default_combo.addItem(p.label, p.id)
        wanted = current if current is not None else (default.id if default else None)
        index = self.default_combo.findData(wanted)
        self.default_combo.setCurrentIndex(max(0, index))

    def _build_tallies(self, groups: list[service.TallyGroupInfo]) -> None:
        for button in self.tally_buttons.values():
            self.tally_row.removeWidget(button)
            button.deleteLater()
        self.tally_buttons = {}
        # Two or three to a row: the page keeps room for the right column in any language.
        columns = 2 if len(groups) <= 4 else 3
        for i, group in enumerate(groups):
            button = QPushButton(group.label)
            button.setObjectName(f"tally_{group.id}")
            button.setStyleSheet("padding: 5px 8px;")
            button.clicked.connect(lambda _=False, gid=group.id: self.add_tally(gid))
            self.tally_row.addWidget(button, i // columns, i % columns)
            self.tally_buttons[group.id] = button

    # -- keyboard --------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """In the empty input, with a person chosen, a hot key picks the purpose."""
        if (watched is self.input and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and not self.input.text()
                and self.person is not None):
            key = event.text().upper()
            for p in self.purposes:
                if key and p.hotkey == key:
                    self.choose_purpose(p.id)
                    return True
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.matches.isVisible():
                self.matches.setFocus()
                return True
        if watched is self.input and event.type() == QEvent.Type.KeyPress and isinstance(
                event, QKeyEvent) and event.key() == Qt.Key.Key_Escape:
            self.clear_person()
            return True
        return super().eventFilter(watched, event)

    def handle_scan(self, text: str) -> bool:
        """Text from the global scan box: treat it as typed here."""
        self.take_input(text)
        return True

    def on_enter(self) -> None:
        text = self.input.text().strip()
        self.input.clear()
        if text:
            self.take_input(text)
        else:
            self.commit()

    def show_hit(self, hit: ScanHit) -> None:
        """A resident's card scanned into the global scan box: as if scanned here."""
        self.take_card_holder(self.ctx.read(get_resident, hit.record_id))

    def take_card_holder(self, person: ResidentInfo) -> None:
        """Select a scanned person; with a default purpose set, check them in at once."""
        self.select_person(person)
        if self.default_combo.currentData() is not None:
            self.purpose_id = self.default_combo.currentData()
            self.commit()

    def take_input(self, text: str) -> None:
        """A scanned card / typed ID checks in at once with a default purpose; else search."""
        card_holder = self.ctx.read(_by_code, text)
        if card_holder is not None:
            self.take_card_holder(card_holder)
            return
        found = self.ctx.read(search_residents, text, 20)
        if not found:
            self.matches.hide()
            self.say(tr("没有找到“{text}”。没有档案的来访者请点“临时登记”。", text=text), 8000)
            self.person_label.setText(tr("没有找到“{text}”。没有档案的来访者请点“临时登记”。",
                                         text=text))
            return
        if len(found) == 1:
            self.select_person(found[0])
            return
        self.person = None
        self.person_label.setText(tr("找到 {n} 位：用上下键选中，按回车确认", n=len(found)))
        self.matches.clear()
        for person in found:
            item = QListWidgetItem(_describe(person, self.ctx.actor.today()), self.matches)
            item.setData(Qt.ItemDataRole.UserRole, person)
        self.matches.show()
        self.matches.setCurrentRow(0)
        self.matches.setFocus()

    def _on_match_chosen(self, item: QListWidgetItem) -> None:
        self.select_person(item.data(Qt.ItemDataRole.UserRole))
        self.input.setFocus()

    def select_person(self, person: ResidentInfo) -> None:
        """Show ``person`` as the one to check in."""
        self.person = person
        self.matches.hide()
        self._show_person()
        self.input.setFocus()

    def clear_person(self) -> None:
        self.person = None
        self.purpose_id = None
        self.matches.hide()
        self._mark_purpose()
        self._show_person()

    def _person_style(self, *, done: bool) -> None:
        background, border = ("#e8f5e9", "#2e7d32") if done else ("#f6f6f6", "#dddddd")
        self.person_label.setStyleSheet(f"font-size: 15pt; padding: 8px; background: {background};"
                                        f"border: 1px solid {border};")

    def _show_person(self) -> None:
        self._person_style(done=False)
        if self.person is None:
            self.person_label.setText(tr("请刷卡，或输入姓名 / 电话查找来访者"))
            return
        self.person_label.setText(_describe(self.person, self.ctx.actor.today()))

    def choose_purpose(self, purpose_id: int) -> None:
        self.purpose_id = purpose_id
        self._mark_purpose()
        self.input.setFocus()

    def _mark_purpose(self) -> None:
        for pid, button in self.purpose_buttons.items():
            button.setChecked(pid == self.purpose_id)

    # -- actions ---------------------------------------------------------------------------
    def commit(self) -> None:
        """Check the chosen person in for the chosen purpose (asks on a repeat)."""
        if self.person is None:
            self.say(tr("请先刷卡或选择一位居民。"))
            return
        if self.purpose_id is None:
            self.say(tr("请选择签到事由。") if self.purposes
                     else tr("还没有签到事由，请先添加（或联系管理员）。"))
            return
        person_id, purpose_id = self.person.id, self.purpose_id
        result: service.CheckinResult | None
        try:
            result = self.ctx.run(service.check_in, resident_id=person_id,
                                  purpose_id=purpose_id, topic="checkin")
        except service.RepeatCheckin as repeat:
            if not self.ask_yes_no(tr("重复签到"), repeat.message):
                self.say(tr("未重复签到。"))
                self.clear_person()
                return
            result = self.ctx.attempt(self, service.check_in, resident_id=person_id,
                                      purpose_id=purpose_id, confirm_repeat=True,
                                      topic="checkin")
        except FrontdeskError as exc:
            show_error(self, exc.message)
            return
        if result is None:
            return
        done = tr("已签到：{name}，事由：{purpose}", name=result.entry.name,
                  purpose=result.entry.purpose)
        self.say(done)
        self.clear_person()
        # The page itself confirms, so the desk sees it where they look.
        self.person_label.setText(done + " ✓")
        self._person_style(done=True)
        self.refresh()
        self.input.setFocus()

    def add_tally(self, group_id: int) -> None:
        if self.ctx.attempt(self, service.add_tally, group_id, topic="checkin") is not None:
            self.refresh()

    def open_quick_register(self) -> None:
        dialog = QuickRegisterDialog(self, self.input.text().strip())
        if dialog.exec():
            self.quick_register(dialog.name.text(), dialog.phone.text())

    def quick_register(self, name: str, phone: str) -> ResidentInfo | None:
        """Register a visitor with no record and choose them for check-in."""
        person = self.ctx.attempt(self, service.register_visitor, name, phone,
                                  topic="residents")
        if person is not None:
            self.input.clear()
            self.select_person(person)
        return person

    def open_group_visit(self) -> None:
        dialog = GroupVisitDialog(self, self.purposes)
        if dialog.exec():
            self.add_group_visit(dialog.organisation.text(), dialog.head_count.value(),
                                 dialog.purpose.currentData(), dialog.contact.text())

    def add_group_visit(self, organisation: str, head_count: int, purpose_id: int | None,
                        contact: str = "") -> None:
        if self.ctx.attempt(self, service.add_group_visit, organisation, head_count,
                            purpose_id, contact, topic="checkin") is not None:
            self.refresh()

    def check_out_selected(self) -> None:
        rows = self.in_centre_view.selectionModel().selectedRows()
        if not rows:
            self.say(tr("请先在“在中心”列表中选中一人。"))
            return
        entry: service.CheckinRow = self.in_centre_model.payloads[rows[0].row()]
        out = self.ctx.attempt(self, service.check_out, entry.id, topic="checkin")
        if out is not None:
            self.say(tr("{name} 已签退，停留 {m} 分钟。", name=out.name, m=out.duration_minutes))
            self.refresh()

    def undo_selected(self) -> None:
        item = self.recent.currentItem()
        if item is None:
            self.say(tr("请先在“最近记录”中选中一条。"))
            return
        kind, entry_id = item.data(Qt.ItemDataRole.UserRole)
        reason = self.ask_text(tr("撤销记录"), tr("撤销“{entry}”的原因：", entry=item.text()))
        if reason is None:
            return
        self.ctx.attempt(self, service.void_entry, kind, entry_id, reason, topic="checkin")
        self.refresh()

    def _ask_yes_no(self, title: str, message: str) -> bool:
        answer = QMessageBox.question(self, title, message)
        return answer == QMessageBox.StandardButton.Yes

    def _ask_text(self, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getText(self, title, label)
        return text if ok else None


def _missing_row(name: str, button_text: str, fix: Callable[[], None]
                 ) -> tuple[QWidget, QLabel, QPushButton]:
    """A pale line saying what is missing, with the button that opens the form to add it."""
    box = QWidget()
    box.setObjectName(name)
    box.setStyleSheet(f"#{name} {{ background: #fff8e1; }}")
    row = QHBoxLayout(box)
    label = QLabel()
    label.setObjectName(f"{name}Text")
    label.setWordWrap(True)
    button = QPushButton(button_text)
    button.setObjectName(f"{name}Fix")
    button.clicked.connect(fix)
    row.addWidget(label, 1)
    row.addWidget(button)
    box.hide()
    return box, label, button


def _choices(session: Any) -> tuple[list[service.PurposeInfo], list[service.TallyGroupInfo],
                                    service.PurposeInfo | None]:
    try:
        default = service.default_purpose(session)
    except FrontdeskError:
        default = None  # a default naming a purpose since removed: choose each time
    return service.list_purposes(session), service.list_tally_groups(session), default


def _by_code(session: Any, text: str) -> ResidentInfo | None:
    found = find_by_card_or_id(session, text)
    return None if found is None else info(found)


def _describe(person: ResidentInfo, today: Any) -> str:
    """One line about a person: name, sex, age, masked phone, marks."""
    parts = [person.name]
    if person.sex:
        parts.append(sex_label(person.sex))
    age = person.age_on(today)
    if age is not None:
        parts.append(tr("{n} 岁", n=age))
    if person.phone:
        parts.append(mask_phone(person.phone))
    if person.temporary:
        parts.append(tr("临时"))
    if person.status != "active":
        parts.append(tr("（档案已停用）"))
    return " · ".join(parts)

