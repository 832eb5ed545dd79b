"""居民档案: search as you type, the list, and the detail form with recent activity.

Keyboard: type to search, Down moves into the list, Enter opens the highlighted resident
(the cursor goes to the name field), Esc goes back to the search box. Ctrl+N new resident,
Ctrl+S save, Ctrl+I import.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from frontdesk.core.clock import to_local
from frontdesk.core.errors import FrontdeskError
from frontdesk.core.i18n import N_, tr
from frontdesk.residents import service
from frontdesk.residents.activity import recent_activity
from frontdesk.residents.models import (
    HUKOU_LOCAL,
    HUKOU_NON_LOCAL,
    ID_TYPE_HMT,
    ID_TYPE_NONE,
    ID_TYPE_PASSPORT,
    ID_TYPE_RIC,
    STATUS_ACTIVE,
    STATUS_DECEASED,
    STATUS_MOVED,
)
from frontdesk.residents.search import search_residents
from frontdesk.ui.context import show_error
from frontdesk.ui.dates import to_qdate
from frontdesk.ui.pages.base import Page
from frontdesk.ui.widgets.labels import error_label
from frontdesk.ui.widgets.resident_model import STATUS_LABELS, ResidentTableModel

if TYPE_CHECKING:
    from frontdesk.core.scan import ScanHit
    from frontdesk.ui.context import DeskContext
    from frontdesk.ui.pages import PageSpec


ID_TYPE_LABELS = ((ID_TYPE_RIC, N_("居民身份证")), (ID_TYPE_HMT, N_("港澳台居民居住证")),
                  (ID_TYPE_PASSPORT, N_("护照")), (ID_TYPE_NONE, N_("无证件")))
NO_DATE = QDate(1900, 1, 1)


class _ListKeys(QObject):
    """Enter on the list opens the resident; Up on the first row goes back to search."""

    def __init__(self, page: ResidentsPage) -> None:
        super().__init__(page)
        self.page = page

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.page.open_current()
                return True
            if key == Qt.Key.Key_Up and self.page.table.currentIndex().row() <= 0:
                self.page.search_box.setFocus()
                return True
            if key == Qt.Key.Key_Escape:
                self.page.search_box.setFocus()
                self.page.search_box.selectAll()
                return True
        return False


class _SearchKeys(QObject):
    """Down from the search box moves into the list; Enter opens the first match."""

    def __init__(self, page: ResidentsPage) -> None:
        super().__init__(page)
        self.page = page

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Down and self.page.model.rowCount():
                self.page.table.setFocus()
                self.page.table.selectRow(max(0, self.page.table.currentIndex().row()))
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.page.run_search()
                if self.page.model.rowCount():
                    self.page.table.selectRow(0)
                    self.page.open_current()
                return True
        return False


class ResidentForm(QWidget):
    """The detail form of one resident (or a new one)."""

    def __init__(self, tags: list[str]) -> None:
        super().__init__()
        self.name = QLineEdit()
        self.name.setObjectName("residentName")
        self.sex = QComboBox()
        for value, label in (("", "—"), ("M", tr("男")), ("F", tr("女"))):
            self.sex.addItem(label, value)
        self.birth = QDateEdit()
        self.birth.setDisplayFormat("yyyy-MM-dd")
        self.birth.setMinimumDate(NO_DATE)
        self.birth.setSpecialValueText(tr("未填"))
        self.birth.setCalendarPopup(True)
        self.id_type = QComboBox()
        for value, label in ID_TYPE_LABELS:
            self.id_type.addItem(tr(label), value)
        # The longest kind of document must not set the form's width (the list shows it whole).
        self.id_type.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.id_type.setMinimumContentsLength(12)
        self.id_number = QLineEdit()
        self.id_number.setObjectName("residentIdNumber")
        self.id_number.setPlaceholderText(tr("18 位或 15 位；出生日期和性别会自动填写"))
        self.phone = QLineEdit()
        self.phone.setPlaceholderText(tr("手机 11 位，或座机如 0595-88881234"))
        self.address = QLineEdit()
        self.grid = QLineEdit()
        self.hukou = QComboBox()
        for value, label in (("", "—"), (HUKOU_LOCAL, tr("本地户籍")),
                             (HUKOU_NON_LOCAL, tr("外来"))):
            self.hukou.addItem(label, value)
        self.household = QLineEdit()
        self.emergency_contact = QLineEdit()
        self.emergency_phone = QLineEdit()
        self.guardian_name = QLineEdit()
        self.guardian_phone = QLineEdit()
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(60)
        self.notes.setTabChangesFocus(True)
        self.tag_boxes: dict[str, QCheckBox] = {}
        tag_box = QGroupBox(tr("标签"))
        tag_grid = QGridLayout(tag_box)
        for i, tag in enumerate(tags):
            box = QCheckBox(tag)
            self.tag_boxes[tag] = box
            tag_grid.addWidget(box, i // 5, i % 5)
        self.consent_general = QCheckBox(tr("同意登记个人信息"))
        self.consent_sensitive = QCheckBox(tr("同意登记敏感信息（健康、低保/特困等）"))
        self.consent_guardian = QCheckBox(tr("监护人已同意（未满 14 周岁）"))
        self.consent_note = QLabel()
        self.consent_note.setStyleSheet("color: #666;")
        self.consent_note.setWordWrap(True)

        identity = QGroupBox(tr("基本信息"))
        form = QFormLayout(identity)
        form.addRow(tr("姓名 *"), self.name)
        form.addRow(tr("证件类型"), self.id_type)
        form.addRow(tr("证件号码"), self.id_number)
        row = QHBoxLayout()
        row.addWidget(self.sex)
        row.addWidget(QLabel(tr("出生日期")))
        row.addWidget(self.birth, 1)
        form.addRow(tr("性别"), row)
        form.addRow(tr("电话"), self.phone)
        form.addRow(tr("住址"), self.address)
        row = QHBoxLayout()
        row.addWidget(self.grid, 1)
        row.addWidget(QLabel(tr("户号")))
        row.addWidget(self.household, 1)
        form.addRow(tr("网格"), row)
        form.addRow(tr("户籍"), self.hukou)  # a row of its own: "Household registration" is long
        contacts = QGroupBox(tr("联系人与同意"))
        cform = QFormLayout(contacts)
        row = QHBoxLayout()
        row.addWidget(self.emergency_contact, 1)
        row.addWidget(self.emergency_phone, 1)
        cform.addRow(tr("紧急联系人 / 电话"), row)
        row = QHBoxLayout()
        row.addWidget(self.guardian_name, 1)
        row.addWidget(self.guardian_phone, 1)
        cform.addRow(tr("监护人 / 电话"), row)
        cform.addRow(self.consent_general)
        cform.addRow(self.consent_sensitive)
        cform.addRow(self.consent_guardian)
        cform.addRow(self.consent_note)
        cform.addRow(tr("备注"), self.notes)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(identity)
        layout.addWidget(tag_box)
        layout.addWidget(contacts)

    def clear(self) -> None:
        """An empty form for a new resident."""
        for edit in (self.name, self.id_number, self.phone, self.address, self.grid,
                     self.household, self.emergency_contact, self.emergency_phone,
                     self.guardian_name, self.guardian_phone):
            edit.clear()
        self.notes.clear()
        self.sex.setCurrentIndex(0)
        self.hukou.setCurrentIndex(0)
        self.id_type.setCurrentIndex(0)
        self.birth.setDate(NO_DATE)
        for box in self.tag_boxes.values():
            box.setChecked(False)
        for box in (self.consent_general, self.consent_sensitive, self.consent_guardian):
            box.setChecked(False)
        self.consent_note.clear()

    def load(self, d: service.ResidentDetail) -> None:
        """Show ``d`` (its ID number as the service decided: masked or full)."""
        r = d.info
        self.name.setText(r.name)
        self.id_type.setCurrentIndex(max(0, self.id_type.findData(r.id_type)))
        self.id_number.setText(d.id_number_shown)
        self.sex.setCurrentIndex(max(0, self.sex.findData(r.sex or "")))
        born = r.birth_date
        self.birth.setDate(to_qdate(born) if born else NO_DATE)
        self.phone.setText(r.phone or "")
        self.address.setText(r.address or "")
        self.grid.setText(d.grid or "")
        self.hukou.setCurrentIndex(max(0, self.hukou.findData(r.hukou or "")))
        self.household.setText(d.household or "")
        self.emergency_contact.setText(d.emergency_contact or "")
        self.emergency_phone.setText(d.emergency_phone or "")
        self.guardian_name.setText(d.guardian_name or "")
        self.guardian_phone.setText(d.guardian_phone or "")
        self.notes.setPlainText(d.notes or "")
        for tag, box in self.tag_boxes.items():
            box.setChecked(tag in r.tags)
        self.consent_general.setChecked(d.consent_general)
        self.consent_sensitive.setChecked(d.consent_sensitive)
        self.consent_guardian.setChecked(d.consent_guardian)
        if d.consent_at is not None:
            self.consent_note.setText(tr("同意记录：{at}，经办 {who}",
                                         at=to_local(d.consent_at).strftime("%Y-%m-%d %H:%M"),
                                         who=d.consent_by or ""))
        else:
            self.consent_note.setText(tr("尚未记录同意"))

    def form(self) -> service.ResidentForm:
        """What is typed, as the service's form."""
        birth: dt.date | None = None
        if self.birth.date() != NO_DATE:
            birth = self.birth.date().toPython()  # type: ignore[assignment]
        return service.ResidentForm(
            name=self.name.text(), sex=self.sex.currentData() or None, birth_date=birth,
            id_type=self.id_type.currentData(), id_number=self.id_number.text(),
            phone=self.phone.text(), address=self.address.text(), grid=self.grid.text(),
            hukou=self.hukou.currentData() or None, household=self.household.text(),
            tags=tuple(t for t, box in self.tag_boxes.items() if box.isChecked()),
            emergency_contact=self.emergency_contact.text(),
            emergency_phone=self.emergency_phone.text(),
            guardian_name=self.guardian_name.text(), guardian_phone=self.guardian_phone.text(),
            consent_general=self.consent_general.isChecked(),
            consent_sensitive=self.consent_sensitive.isChecked(),
            consent_guardian=self.consent_guardian.isChecked(),
            notes=self.notes.toPlainText(),
        )


class ResidentsPage(Page):
    """The registry: one search box, the matches, and the chosen resident's record."""

    topics = ("residents",)

    def __init__(self, ctx: DeskContext, spec: PageSpec) -> None:
        super().__init__(ctx, spec)
        self.current_id: int | None = None
        tags = ctx.read(service.configured_tags)

        self.search_box = QLineEdit()
        self.search_box.setObjectName("residentSearch")
        self.search_box.setPlaceholderText(
            tr("输入姓名、拼音（如 zsf）、电话或后 4 位、证件号后 4-6 位、居民卡号"))
        self.search_box.setClearButtonEnabled(True)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(120)  # one search per pause, not per key of a scan
        self.search_timer.timeout.connect(self.run_search)
        self.search_box.textChanged.connect(lambda _text: self.search_timer.start())
        self.search_box.installEventFilter(_SearchKeys(self))
        self.new_button = QPushButton(tr("新建居民 Ctrl+N"))
        self.new_button.setObjectName("newResident")
        self.new_button.clicked.connect(self.new_resident)
        self.import_button = QPushButton(tr("导入…"))
        self.import_button.setObjectName("importResidents")
        self.import_button.clicked.connect(self.import_file)
        self.print_list_button = self._print_button(tr("打印所列居民卡"))
        self.print_list_button.clicked.connect(self.print_listed_cards)

        self.model = ResidentTableModel(ctx.actor.today())
        self.table = QTableView()
        self.table.setObjectName("residentTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self.open_current())
        self.table.installEventFilter(_ListKeys(self))
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: #666;")

        self.title = QLabel()
        self.title.setObjectName("residentTitle")
        self.title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.form = ResidentForm(tags)
        self.message = error_label("residentMessage")
        self.message.setVisible(False)
        self.save_button = QPushButton(tr("保存 Ctrl+S"))
        self.save_button.setObjectName("saveResident")
        self.save_button.clicked.connect(self.save)
        self.status_button = QPushButton(tr("迁出 / 去世…"))
        self.status_button.setObjectName("residentStatus")
        self.status_button.clicked.connect(self.change_status)
        self.merge_button = QPushButton(tr("合并重复档案…"))
        self.merge_button.setObjectName("mergeResident")
        self.merge_button.clicked.connect(self.merge)
        self.print_button = self._print_button(tr("打印居民卡"))
        self.print_button.clicked.connect(self.print_card)
        self.activity = QListWidget()
        self.activity.setObjectName("residentActivity")
        self.activity.setMaximumHeight(130)

        top = QHBoxLayout()
        top.addWidget(self.search_box, 1)
        top.addWidget(self.new_button)
        top.addWidget(self.import_button)
        top.addWidget(self.print_list_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.count_label)
        # Title, actions and messages stay in view; the long form scrolls beneath them.
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.addWidget(self.form)
        detail_layout.addWidget(QLabel(tr("最近动态")))
        detail_layout.addWidget(self.activity)
        self.form_scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(detail)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.title)
        buttons = QHBoxLayout()
        for button in (self.save_button, self.status_button, self.merge_button,
                       self.print_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        right_layout.addLayout(buttons)
        right_layout.addWidget(self.message)
        right_layout.addWidget(scroll, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([560, 520])  # the list through 状态 in view; the form fits too
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading(tr("居民档案")))
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        QShortcut(QKeySequence("Ctrl+N"), self).activated.connect(self.new_resident)
        QShortcut(QKeySequence("Ctrl+S"), self).activated.connect(self.save)
        QShortcut(QKeySequence("Ctrl+I"), self).activated.connect(self.import_file)
        QShortcut(QKeySequence("Ctrl+F"), self).activated.connect(self.focus_search)
        self.new_resident()
        # Build the search index off the GUI thread (seconds at 50,000 residents), so the
        # first keystroke does not wait for it. Its own session; no widget is touched.
        threading.Thread(target=self._warm_index, daemon=True).start()

    def _warm_index(self) -> None:
        from frontdesk.residents.search import current_index

        with contextlib.suppress(Exception):  # a failure here only means a slower first search
            self.ctx.read(current_index)

    @staticmethod
    def _print_button(text: str) -> QPushButton:
        return QPushButton(text)

    # -- searching ------------------------------------------------------------------------
    def refresh(self) -> None:
        self.run_search()

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def run_search(self) -> None:
        """Show the matches for the search box (the 50 most recent ones when it is empty)."""
        self.search_timer.stop()
        text = self.search_box.text().strip()
        try:
            rows = (self.ctx.read(search_residents, text, 50) if text
                    else self.ctx.read(_recent, 50))
        except FrontdeskError as exc:
            show_error(self, exc.message)
            return
        self.model.set_rows(rows)
        if text:
            self.count_label.setText(tr("找到 {n} 位（最多显示 50 位）", n=len(rows))
                                     if rows else tr("没有找到。可按 Ctrl+N 新建居民。"))
        else:
            self.count_label.setText(tr("最近登记的居民"))

    def open_current(self) -> None:
        """Open the highlighted resident in the form."""
        resident = self.model.resident(self.table.currentIndex().row())
        if resident is not None:
            self.open_resident(resident.id)
            self.form.name.setFocus()

    def open_resident(self, resident_id: int) -> None:
        """Load one resident into the form (an audit row when an admin sees the full ID)."""
        try:
            detail = self.ctx.run(service.resident_detail, resident_id)
            activity = self.ctx.read(recent_activity, resident_id, 20)
        except FrontdeskError as exc:
            show_error(self, exc.message)
            return
        self.current_id = resident_id
        self.form.load(detail)
        state = tr(STATUS_LABELS.get(detail.info.status, detail.info.status))
        self.title.setText(tr("{name}（档案号 {id}，{state}）", name=detail.info.name,
                              id=resident_id, state=state))
        self.show_problem("")
        self.status_button.setEnabled(True)
        self.merge_button.setEnabled(self.ctx.actor.is_admin)
        self.print_button.setEnabled(True)
        self.activity.clear()
        for item in activity:
            self.activity.addItem(f"{to_local(item.at):%Y-%m-%d %H:%M}  {tr(item.area)}  "
                                  f"{item.summary}")
        if not activity:
            self.activity.addItem(tr("暂无记录"))

    def new_resident(self) -> None:
        """An empty form; the cursor in the name field."""
        self.current_id = None
        self.form.clear()
        self.form.consent_note.setText(tr("保存时记录同意的日期和经办人"))
        self.title.setText(tr("新建居民"))
        self.show_problem("")
        self.status_button.setEnabled(False)
        self.merge_button.setEnabled(False)
        self.print_button.setEnabled(False)
        self.activity.clear()
        self.form.name.setFocus()

    # -- writing --------------------------------------------------------------------------
    def show_problem(self, text: str) -> None:
        """Say above the form why saving was refused (hidden when there is nothing to say)."""
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def save(self) -> None:
        """Save the form; on refusal keep everything typed and say why."""
        form = self.form.form()
        try:
            if self.current_id is None:
                try:
                    saved = self.ctx.run(service.create_resident, form, topic="residents")
                except service.LikelyDuplicates as dup:
                    if not self._confirm_duplicates(dup):
                        self.show_problem(dup.message)
                        return
                    saved = self.ctx.run(service.create_resident, form,
                                         confirm_duplicates=True, topic="residents")
            else:
                saved = self.ctx.run(service.update_resident, self.current_id, form,
                                     topic="residents")
        except FrontdeskError as exc:
            self.show_problem(exc.message)
            return
        self.open_resident(saved.id)
        self.say(tr("已保存：{name}", name=saved.name))

    def _confirm_duplicates(self, dup: service.LikelyDuplicates) -> bool:
        lines = "\n".join(
            f"{m.name}  {m.birth_date or ''}  {m.phone or ''}  ({tr('档案号')} {m.id})"
            for m in dup.matches)
        box = QMessageBox(QMessageBox.Icon.Question, tr("可能重复"),
                          tr("已有相似的居民：\n{lines}\n\n确定是另一个人，仍然新建吗？",
                             lines=lines),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def change_status(self) -> None:
        """Mark moved away / deceased / active again, with a reason."""
        if self.current_id is None:
            return
        labels = [tr(STATUS_LABELS[s]) for s in (STATUS_MOVED, STATUS_DECEASED, STATUS_ACTIVE)]
        choice, ok = QInputDialog.getItem(self, tr("档案状态"), tr("新的状态："), labels, 0, False)
        if not ok:
            return
        status = (STATUS_MOVED, STATUS_DECEASED, STATUS_ACTIVE)[labels.index(choice)]
        reason, ok = QInputDialog.getText(self, tr("档案状态"), tr("原因："))
        if not ok:
            return
        if self.ctx.attempt(self, service.set_status, self.current_id, status, reason,
                            topic="residents") is not None:
            self.open_resident(self.current_id)

    def merge(self) -> None:
        """Merge another record of the same person into this one (admins)."""
        if self.current_id is None:
            return
        question = tr("把哪个档案号合并到本档案（{id}）？", id=self.current_id)
        other, ok = QInputDialog.getInt(self, tr("合并重复档案"), question, 1, 1, 2_000_000_000)
        if not ok:
            return
        reason, ok = QInputDialog.getText(self, tr("合并重复档案"), tr("合并原因："))
        if not ok:
            return
        if self.ctx.attempt(self, service.merge_residents, self.current_id, other, reason,
                            topic="residents") is not None:
            self.open_resident(self.current_id)
            self.say(tr("已合并"))

    def import_file(self) -> None:
        """The import dialog (mapping, preview, progress)."""
        from frontdesk.ui.residents_import import ImportDialog

        dialog = ImportDialog(self.ctx, self)
        dialog.exec()
        self.run_search()

    # -- cards ----------------------------------------------------------------------------
    def print_card(self) -> None:
        if self.current_id is not None:
            self._print([self.current_id])

    def print_listed_cards(self) -> None:
        self._print([r.id for r in self.model.rows])

    def _print(self, ids: list[int]) -> None:
        """Print 居民卡: one card-sized page for one person, an A4 sheet with cut marks for many."""
        if not ids:
            return
        from frontdesk.documents.cards import render_cards
        from frontdesk.documents.service import PAPER_A4, PAPER_CARD
        from frontdesk.ui.printing import archive_and_print

        try:
            cards = self.ctx.read(service.card_print_data, ids)
        except FrontdeskError as exc:
            show_error(self, exc.message)
            return
        many = len(cards) > 1
        archive_and_print(
            self, self.ctx, kind="residents.card",
            title=tr("居民卡（{n} 张）", n=len(cards)) if many else tr("居民卡：{name}",
                                                                   name=cards[0].name),
            paper=PAPER_A4 if many else PAPER_CARD, pdf=render_cards(cards, on_sheet=many),
            record_type=None if many else "resident", record_id=None if many else ids[0])

    # -- the global scan box --------------------------------------------------------------
    def show_hit(self, hit: ScanHit) -> None:
        if hit.kind == "resident":
            self.search_box.setText(hit.label)
            self.run_search()
            self.open_resident(hit.record_id)

    def handle_scan(self, text: str) -> bool:
        self.search_box.setText(text)
        self.run_search()
        self.search_box.setFocus()
        return True


def _recent(session: object, limit: int) -> list[service.ResidentInfo]:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from frontdesk.residents.models import Resident

    assert isinstance(session, Session)
    rows = session.scalars(select(Resident).where(Resident.merged_into_id.is_(None))
                           .order_by(Resident.id.desc()).limit(limit))
    return [service.info(r) for r in rows]
