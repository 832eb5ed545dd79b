"""长者食堂: the lunchtime queue (scan → split shown → Enter), delivery, pre-orders, admin."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.canteen import papers, reports
from frontdesk.canteen import service as svc
from frontdesk.canteen.models import DELIVERY_STATES, DINER_KINDS, MEAL_TYPES, PAYMENTS
from frontdesk.core.errors import FrontdeskError, NotFoundError, RuleError
from frontdesk.core.i18n import tr
from frontdesk.core.money import format_yuan
from frontdesk.documents import service as documents
from frontdesk.residents.search import search_residents
from frontdesk.residents.service import ResidentInfo, resolve_card_or_id
from frontdesk.ui import printing
from frontdesk.ui.context import show_error
from frontdesk.ui.dates import to_qdate
from frontdesk.ui.pages.base import Page
from frontdesk.ui.pages.canteen_models import CATEGORY_COLUMN, NAME_COLUMN, TicketTableModel
from frontdesk.ui.widgets.fit import fit_placeholder
from frontdesk.ui.widgets.labels import error_label

if TYPE_CHECKING:
    from frontdesk.core.scan import ScanHit
    from frontdesk.ui.context import DeskContext
    from frontdesk.ui.pages import PageSpec

BIG = "font-size: 26pt; font-weight: bold;"
MONEY = "font-size: 22pt; font-weight: bold; color: #333;"
SELF_PAY = "font-size: 34pt; font-weight: bold; color: #b00020;"
PANEL = "QFrame#preview { background: #fffaf0; border: 2px solid #e0c080; border-radius: 8px; }"

ReceiptPrinter = Callable[[bytes, str, str], None]  # (pdf, paper, title)


def receipt_printer_for(ctx: DeskContext) -> ReceiptPrinter:
    """Print a receipt straight on the receipt printer (no dialog: the queue keeps moving)."""
    def send(pdf: bytes, paper: str, title: str) -> None:
        name = printing.chosen_printer(paper)
        if not name:
            raise NoReceiptPrinter(tr("这台电脑没有可用的小票打印机"))
        printing.print_pdf(pdf, name, title)
    return send


class NoReceiptPrinter(RuleError):
    """No printer to send the receipt to (told quietly: the ticket is saved)."""


def print_day_sheet(parent: QWidget, ctx: DeskContext, kind: str, render: Callable[..., bytes],
                    day: dt.date, title: str) -> None:
    """Render one of the day's A4 sheets, archive it and open the print preview."""
    try:
        pdf = ctx.read(lambda session: render(session, ctx.actor, day))
    except FrontdeskError as exc:
        show_error(parent, exc.message)
        return
    printing.archive_and_print(parent, ctx, kind=kind, title=title,
                               paper=documents.PAPER_A4_LANDSCAPE
                               if kind != papers.KIND_KITCHEN else documents.PAPER_A4,
                               pdf=pdf, record_type="canteen_day", record_id=day.isoformat())


def _combo(items: dict[str, str]) -> QComboBox:
    combo = QComboBox()
    for code, label in items.items():
        combo.addItem(tr(label), code)
    return combo


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _note(text: str) -> QLabel:
    """A grey line that explains a box's rule; it wraps, so it never widens the page."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555;")
    return label


def _fill(table: QTableWidget, rows: list[list[str]], ids: list[int] | None = None) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            if ids is not None:
                item.setData(Qt.ItemDataRole.UserRole, ids[r])
            table.setItem(r, c, item)


def _selected_id(table: QTableWidget) -> int | None:
    items = table.selectedItems()
    return None if not items else int(items[0].data(Qt.ItemDataRole.UserRole))


class CanteenPage(Page):
    """The canteen: 出票 (the queue), 送餐, 预订, and for admins 餐次与价格, 补助规则, 月度申报."""

    topics = ("canteen", "residents")
    scan_kinds = ("resident", "meal_ticket")

    def __init__(self, ctx: DeskContext, spec: PageSpec) -> None:
        super().__init__(ctx, spec)
        # Sends the receipt after each ticket; tests put a fake printer here.
        self.receipt_printer: ReceiptPrinter = receipt_printer_for(ctx)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading(tr("长者食堂")))
        from frontdesk.ui.pages.canteen_setup import SetupNotice

        # what the canteen still lacks (no session, no funder, no rule), with the fixing button
        self.notice = SetupNotice(ctx, self.open_form)
        layout.addWidget(self.notice)
        self.tabs = QTabWidget()
        self.queue = QueueTab(self)
        self.delivery = DeliveryTab(self)
        self.preorders = PreOrderTab(self)
        self.admin_tab = AdminTab(self)
        # The tabs' names are what `frontdesk screenshot canteen:NAME` opens.
        for tab, name, title in ((self.queue, "tickets", tr("出票")),
                                 (self.delivery, "delivery", tr("送餐")),
                                 (self.preorders, "bookings", tr("预订")),
                                 (self.admin_tab, "admin", tr("餐次、规则与申报"))):
            tab.setObjectName(name)
            self.tabs.addTab(tab, title)
        self.tabs.currentChanged.connect(lambda _i: self.refresh())
        layout.addWidget(self.tabs)

    def refresh(self) -> None:
        current = self.tabs.currentWidget()
        refresh = getattr(current, "refresh", None)
        try:
            self.notice.refresh()
            if refresh is not None:
                refresh()
        except FrontdeskError as exc:
            self.say(exc.message)

    def refresh_all(self) -> None:
        """After a setup form saved: the notice and the tab shown."""
        self.refresh()

    def open_form(self, key: str) -> None:
        """The notice's button: the admin tab, with the form that fixes ``key`` open."""
        self.tabs.setCurrentWidget(self.admin_tab)
        self.admin_tab.open_form(key)

    def handle_scan(self, text: str) -> bool:
        """A code the global scan box did not know: treat it as a diner for the queue."""
        self.tabs.setCurrentWidget(self.queue)
        self.queue.lookup(text)
        return True

    def show_hit(self, hit: ScanHit) -> None:
        self.tabs.setCurrentWidget(self.queue)
        if hit.kind == "resident":
            self.queue.prepare(hit.record_id)
        elif hit.kind == "meal_ticket":  # a scanned receipt: select it for void or reprint
            self.queue.refresh()
            self.queue.select_ticket(hit.record_id)


class QueueTab(QWidget):
    """出票: scan (or type a name) → the split in large numbers → Enter issues the ticket."""

    def __init__(self, page: CanteenPage) -> None:
        super().__init__()
        self.page = page
        self.ctx = page.ctx
        self.pending: svc.Preview | None = None
        self.override_reason: str | None = None

        self.session_combo = QComboBox()
        self.session_combo.setObjectName("sessionCombo")
        self.type_combo = _combo(MEAL_TYPES)
        self.pay_combo = _combo(PAYMENTS)
        self.collector = fit_placeholder(QLineEdit(placeholderText=tr("代领人（可不填）")))
        self.route = fit_placeholder(QLineEdit(placeholderText=tr("送餐路线")))
        # Two rows, so the options fit a narrow panel in English as in Chinese:
        # 餐次 [session ...........]
        # 类型 [type    ] 付款 [pay ]
        options = QGridLayout()
        options.addWidget(QLabel(tr("餐次")), 0, 0)
        options.addWidget(self.session_combo, 0, 1, 1, 3)
        options.addWidget(QLabel(tr("类型")), 1, 0)
        options.addWidget(self.type_combo, 1, 1)
        options.addWidget(QLabel(tr("付款")), 1, 2)
        options.addWidget(self.pay_combo, 1, 3)
        options.setColumnStretch(1, 1)
        options.setColumnStretch(3, 1)
        extras = QHBoxLayout()
        extras.addWidget(self.collector, 1)
        extras.addWidget(self.route, 1)
        for combo in (self.session_combo, self.type_combo):
            combo.currentIndexChanged.connect(lambda _i: self.repreview())

        self.scan = QLineEdit()
        self.scan.setObjectName("canteenScan")
        self.scan.setPlaceholderText(tr("扫卡或输入卡号/姓名，按回车"))
        self.scan.setStyleSheet("font-size: 16pt; padding: 6px;")
        self.scan.returnPressed.connect(self.on_enter)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self).activated.connect(self.cancel)

        self.choices = QListWidget()  # several residents matched a typed name
        self.choices.setObjectName("choices")
        self.choices.setVisible(False)
        self.choices.itemActivated.connect(
            lambda item: self.prepare(int(item.data(Qt.ItemDataRole.UserRole))))

        self.preview_box = QFrame()
        self.preview_box.setObjectName("preview")
        self.preview_box.setStyleSheet(PANEL)
        box = QVBoxLayout(self.preview_box)
        self.who = QLabel(tr("请扫码"))
        self.who.setObjectName("who")
        self.who.setStyleSheet(BIG)
        self.who.setWordWrap(True)  # a long name with the meal wraps, never widens the panel
        self.why = QLabel(tr("扫码后这里显示价格、各方补助和本人应付金额，再按回车出票。"))
        self.why.setObjectName("why")
        self.why.setWordWrap(True)
        self.amounts = QGridLayout()
        box.addWidget(self.who)
        box.addWidget(self.why)
        box.addLayout(self.amounts)
        buttons = QHBoxLayout()
        self.issue_button = QPushButton(tr("确认出票（回车）"))
        self.issue_button.setObjectName("issueButton")
        self.issue_button.setStyleSheet("font-size: 15pt; padding: 8px 24px;")
        self.issue_button.clicked.connect(self.confirm)
        self.override_button = QPushButton(tr("按补助出票（管理员，需填原因）"))
        self.override_button.clicked.connect(self.override)
        self.cancel_button = QPushButton(tr("取消（Esc）"))
        self.cancel_button.clicked.connect(self.cancel)
        self.other_button = QPushButton(tr("非登记就餐…"))
        self.other_button.setToolTip(tr("工作人员、志愿者或其他就餐者：全价，不申报补助"))
        self.other_button.clicked.connect(self.other_diner)
        for b in (self.issue_button, self.cancel_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        box.addLayout(buttons)
        box.addWidget(self.override_button, alignment=Qt.AlignmentFlag.AlignLeft)
        self.last = QLabel()
        self.last.setObjectName("lastTicket")
        self.last.setWordWrap(True)
        self.last.setStyleSheet("font-size: 13pt; color: #1b5e20;")

        other_row = QHBoxLayout()  # the way round the scan: a diner without a card
        other_row.addStretch(1)
        other_row.addWidget(self.other_button)
        left_panel = QWidget()
        left_panel.setObjectName("queuePanel")
        left_panel.setMaximumWidth(400)  # the list of today's tickets gets the rest
        left = QVBoxLayout(left_panel)
        left.setContentsMargins(0, 0, 0, 0)
        left.addLayout(options)
        left.addLayout(extras)
        left.addWidget(self.scan)
        left.addLayout(other_row)
        left.addWidget(self.choices)
        left.addWidget(self.preview_box)
        left.addWidget(self.last)
        left.addStretch(1)

        self.totals = QLabel()
        self.totals.setObjectName("totals")
        self.totals.setWordWrap(True)
        self.totals.setStyleSheet("font-size: 12pt;")
        self.model = TicketTableModel()
        self.table = QTableView()
        self.table.setObjectName("ticketTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Names stay whole; a long category elides (its tooltip says the rule), money shows.
        header.setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.Interactive)
        # four characters (a space between surname and name too); 代领 notes elide
        header.resizeSection(NAME_COLUMN,
                             self.table.fontMetrics().horizontalAdvance("厨师 老蔡") + 12)
        header.setSectionResizeMode(CATEGORY_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep the scanner's keys in the box
        void_button = QPushButton(tr("作废/退餐…"))
        void_button.clicked.connect(self.void_selected)
        reprint_button = QPushButton(tr("重打小票"))
        reprint_button.setToolTip(tr("预览后重打所选餐票的小票，纸上标注“补打”"))
        reprint_button.clicked.connect(self.reprint_selected)
        sheet_button = QPushButton(tr("打印今日就餐登记表…"))
        sheet_button.setObjectName("printDailySheet")
        sheet_button.clicked.connect(self.print_daily_sheet)
        right = QVBoxLayout()
        totals_box = QGroupBox(tr("今日合计"))
        QVBoxLayout(totals_box).addWidget(self.totals)
        right.addWidget(totals_box)
        right.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addWidget(void_button)
        row.addWidget(reprint_button)
        row.addStretch(1)
        row.addWidget(sheet_button)
        right.addLayout(row)

        layout = QHBoxLayout(self)
        layout.addWidget(left_panel, 2)
        layout.addLayout(right, 3)
        self.show_preview(None)

    # -- data ------------------------------------------------------------------------------
    def refresh(self) -> None:
        actor = self.ctx.actor
        chosen = self.session_combo.currentData()
        sessions = self.ctx.read(svc.list_sessions, actor.today())
        self.session_combo.blockSignals(True)
        self.session_combo.clear()
        for s in sessions:
            label = s.name + (tr("（停止供餐）") if s.closed else "")
            self.session_combo.addItem(f"{label}  {format_yuan(s.price_fen)}", s.id)
        if chosen is None and sessions:
            try:
                chosen = self.ctx.read(lambda session: svc.current_session(session, actor).id)
            except RuleError:
                chosen = None
        index = self.session_combo.findData(chosen)
        self.session_combo.setCurrentIndex(max(index, 0))
        self.session_combo.blockSignals(False)
        self.model.set_tickets(self.ctx.read(svc.list_tickets, actor.today()))
        sheet = self.ctx.read(reports.daily_sheet, actor.today())
        lines = [tr("共 {n} 份，其中补助 {s} 份，工作人员/志愿者 {staff} 份，作废 {v} 份",
                    n=len(sheet.rows), s=sheet.subsidised_count, staff=sheet.staff_count,
                    v=sheet.voided_count)]
        lines.append("　".join(f"{f.name} {format_yuan(total)}"
                              for f, total in zip(sheet.funders, sheet.funder_totals,
                                                  strict=True)))
        lines.append(tr("自付合计 {fen} 元", fen=format_yuan(sheet.self_pay_total_fen)) + "　"
                     + "　".join(f"{c.payment} {c.count} / {format_yuan(c.amount_fen)}"
                                for c in sheet.cash_box))
        self.totals.setText("\n".join(lines))
        self.scan.setFocus()

    # -- the queue -------------------------------------------------------------------------
    def on_enter(self) -> None:
        text = self.scan.text().strip()
        self.scan.clear()
        if text:
            self.lookup(text)
        elif self.pending is not None:
            self.confirm()

    def lookup(self, text: str) -> None:
        """A scanned card or ID number, else a name or phone to choose from."""
        self.choices.setVisible(False)
        try:
            resident: ResidentInfo = self.ctx.read(resolve_card_or_id, text)
        except NotFoundError:
            found = self.ctx.read(search_residents, text, 20)
            if len(found) == 1:
                self.prepare(found[0].id)
            elif not found:
                self.show_message(tr("没有找到“{text}”。请检查卡号，或用“非登记就餐”出票。",
                                     text=text))
            else:
                self.choices.clear()
                for r in found:
                    born = r.birth_date.isoformat() if r.birth_date else tr("出生日期未登记")
                    item = QListWidgetItem(f"{r.name}　{born}　{r.address or ''}")
                    item.setData(Qt.ItemDataRole.UserRole, r.id)
                    self.choices.addItem(item)
                self.choices.setVisible(True)
                self.choices.setCurrentRow(0)
                self.show_message(tr("找到 {n} 位居民，请双击选择。", n=len(found)))
            return
        except RuleError as exc:
            self.show_message(exc.message)
            return
        self.prepare(resident.id)

    def _options(self) -> dict[str, object]:
        return {"session_id": self.session_combo.currentData(),
                "meal_type": self.type_combo.currentData()}

    def prepare(self, resident_id: int | None, *, kind: str = "elder", name: str = "") -> None:
        """Work out and show the split for this diner; nothing is written yet."""
        self.choices.setVisible(False)
        self.override_reason = None
        try:
            preview = self.ctx.read(lambda s: svc.preview(
                s, self.ctx.actor, resident_id=resident_id, diner_kind=kind, diner_name=name,
                **self._options()))  # type: ignore[arg-type]
        except FrontdeskError as exc:
            self.show_preview(None)
            self.show_message(exc.message)
            return
        self.show_preview(preview)
        self.scan.setFocus()

    def repreview(self) -> None:
        if self.pending is not None:
            p = self.pending
            self.prepare(p.resident_id, kind=p.diner_kind, name=p.diner_name)

    def show_message(self, message: str) -> None:
        self.who.setText(tr("请扫码"))
        self.why.setText(message)
        self.why.setStyleSheet("color: #b00020; font-size: 13pt;")
        self._clear_amounts()
        self.issue_button.setEnabled(False)
        self.override_button.setVisible(False)

    def _clear_amounts(self) -> None:
        while self.amounts.count():
            item = self.amounts.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()

    def show_preview(self, preview: svc.Preview | None) -> None:
        self.pending = preview
        self._clear_amounts()
        self.why.setStyleSheet("font-size: 13pt;")
        if preview is None:
            self.who.setText(tr("请扫码"))
            self.why.setText(tr("扫码后这里显示价格、各方补助和本人应付金额，再按回车出票。"))
            self.issue_button.setEnabled(False)
            self.override_button.setVisible(False)
            return
        split = preview.split
        kind = tr(DINER_KINDS[preview.diner_kind])
        # The name large; the meal smaller beside it (it wraps under a long name).
        meal = html.escape(f"{preview.session_name}·{tr(MEAL_TYPES[preview.meal_type])}")
        self.who.setText(f"{html.escape(preview.diner_name)}　"
                         f"<span style='font-size: 16pt;'>{meal}</span>")
        notes = [split.reason]
        if preview.remaining is not None:
            notes.append(tr("本餐次还剩 {n} 份。", n=preview.remaining))
        if preview.diner_kind != "elder":
            notes.insert(0, kind)
        self.why.setText("\n".join(notes))
        cells = [(tr("价格"), split.price_fen, MONEY)]
        cells += [(s.funder_name, s.amount_fen, MONEY) for s in split.shares]
        cells.append((tr("本人应付"), split.self_pay_fen, SELF_PAY))
        for col, (label, fen, style) in enumerate(cells):
            caption = QLabel(label)
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            caption.setStyleSheet("font-size: 12pt;")
            value = QLabel(format_yuan(fen))
            value.setObjectName("selfPay" if style is SELF_PAY else f"amount{col}")
            value.setStyleSheet(style)
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.amounts.addWidget(caption, 0, col)
            self.amounts.addWidget(value, 1, col)
            caption.show()  # added to a visible panel: show now, not on the next event loop
            value.show()
        self.issue_button.setEnabled(True)
        self.override_button.setVisible(
            preview.already_subsidised > 0 and not split.subsidised and self.ctx.actor.is_admin)

    def confirm(self) -> None:
        """Issue the ticket the preview shows (the operator pressed Enter)."""
        p = self.pending
        if p is None:
            return
        ticket = self.ctx.attempt(
            self, svc.issue_ticket, resident_id=p.resident_id, session_id=p.session_id,
            meal_type=p.meal_type, payment=self.pay_combo.currentData(),
            diner_kind=p.diner_kind, diner_name=p.diner_name,
            collector=self.collector.text(), route=self.route.text(),
            override_reason=self.override_reason,
            expect_subsidised=None if self.override_reason else p.split.subsidised,
            topic="canteen")
        if ticket is None:
            self.repreview()
            return
        self.collector.clear()
        self.show_preview(None)
        self.last.setText(tr("已出票 {number}：{name}，自付 {fen} 元", number=ticket.number,
                             name=ticket.diner_name, fen=format_yuan(ticket.self_pay_fen)))
        self.print_receipt(ticket.id)
        self.refresh()

    def print_receipt(self, ticket_id: int) -> bool:
        """Render, archive and print the new ticket's receipt.

        The ticket is already committed: a failing archive or printer never undoes it; the
        operator is told and can reprint from the list.
        """
        ticket = self.ctx.read(svc.get_ticket, ticket_id)
        title = tr("就餐凭证 {number} {name}", number=ticket.number, name=ticket.diner_name)
        try:
            pdf, paper = self.ctx.read(lambda s: papers.receipt_pdf(s, self.ctx.actor, ticket_id))
        except FrontdeskError as exc:
            show_error(self, tr("{message}\n餐票已保存，可在列表中选中后“重打小票”。",
                                message=exc.message))
            return False
        try:
            self.ctx.run(documents.archive_document, kind=papers.KIND_TICKET, title=title,
                         paper=paper, pdf=pdf, record_type=papers.RECORD_TICKET,
                         record_id=ticket_id, business_date=ticket.business_date,
                         topic="documents")
        except FrontdeskError as exc:  # e.g. a full disk: still print this copy
            self.page.say(exc.message)
        try:
            self.page.receipt_printer(pdf, paper, title)
        except NoReceiptPrinter as exc:  # no printer at all: say so quietly, keep queueing
            self.page.say(tr("{message}：餐票 {number} 已保存，小票可在列表中“重打小票”或"
                             "另存为 PDF。", message=exc.message, number=ticket.number))
            return False
        except Exception as exc:  # any printer fault: the ticket stands
            show_error(self, tr("小票打印失败：{err}。餐票已保存，可在列表中选中后“重打小票”。",
                                err=exc))
            return False
        self.ctx.run(svc.mark_printed, ticket_id)
        return True

    def cancel(self) -> None:
        self.show_preview(None)
        self.choices.setVisible(False)
        self.scan.clear()
        self.scan.setFocus()

    def override(self) -> None:
        p = self.pending
        if p is None:
            return
        reason, ok = QInputDialog.getText(self, tr("按补助出票"),
                                          tr("为什么这一份也按补助出票？（会记入操作日志）"))
        if not ok or not reason.strip():
            return
        try:
            preview = self.ctx.read(lambda s: svc.preview(
                s, self.ctx.actor, resident_id=p.resident_id, session_id=p.session_id,
                meal_type=p.meal_type, override_reason=reason))
        except FrontdeskError as exc:
            show_error(self, exc.message)
            return
        self.show_preview(preview)
        self.override_reason = reason.strip()
        self.why.setText(self.why.text() + "\n" + tr("管理员特批：{reason}", reason=reason))

    def other_diner(self) -> None:
        kinds = {k: v for k, v in DINER_KINDS.items() if k != "elder"}
        labels = [tr(v) for v in kinds.values()]
        label, ok = QInputDialog.getItem(self, tr("非登记就餐"), tr("就餐者类别"), labels, 0,
                                         False)
        if not ok:
            return
        name, ok = QInputDialog.getText(self, tr("非登记就餐"), tr("就餐者姓名"))
        if ok:
            self.prepare(None, kind=list(kinds)[labels.index(label)], name=name)

    def select_ticket(self, ticket_id: int) -> None:
        """Select the ticket with ``ticket_id`` in today's list (if it is today's)."""
        for row, t in enumerate(self.model.tickets):
            if t.id == ticket_id:
                self.table.selectRow(row)
                return
        self.page.say(tr("这张餐票不是今天的，今天的列表里没有它。"))

    def _selected(self) -> svc.TicketInfo | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.page.say(tr("请先在列表中选中一张餐票。"))
            return None
        return self.model.ticket(rows[0].row())

    def void_selected(self) -> None:
        t = self._selected()
        if t is None:
            return
        reason, ok = QInputDialog.getText(
            self, tr("作废/退餐"), tr("作废 {number} {name}（自付 {fen} 元需退还）。原因：",
                                      number=t.number, name=t.diner_name,
                                      fen=format_yuan(t.self_pay_fen)))
        if ok and self.ctx.attempt(self, svc.void_ticket, t.id, reason,
                                   topic="canteen") is not None:
            self.refresh()

    def reprint_selected(self) -> None:
        """重打小票: the archived receipt, previewed, stamped 补打 (archived first if missing)."""
        t = self._selected()
        if t is None:
            return
        found = self.ctx.read(documents.list_documents, kind=papers.KIND_TICKET,
                              record_type=papers.RECORD_TICKET, record_id=t.id, limit=1)
        if not found:
            try:
                pdf, paper = self.ctx.read(lambda s: papers.receipt_pdf(s, self.ctx.actor, t.id))
                found = [self.ctx.run(
                    documents.archive_document, kind=papers.KIND_TICKET,
                    title=tr("就餐凭证 {number} {name}", number=t.number, name=t.diner_name),
                    paper=paper, pdf=pdf, record_type=papers.RECORD_TICKET, record_id=t.id,
                    business_date=t.business_date, topic="documents")]
            except FrontdeskError as exc:
                show_error(self, exc.message)
                return
        if printing.print_document(self, self.ctx, found[0].id):
            self.ctx.run(svc.mark_printed, t.id)

    def print_daily_sheet(self) -> None:
        day = self.ctx.actor.today()
        print_day_sheet(self, self.ctx, papers.KIND_DAILY_SHEET, papers.daily_sheet_pdf, day,
                        tr("长者食堂就餐登记表 {date}", date=day.isoformat()))


class DeliveryTab(QWidget):
    """送餐: today's route list, marked 已签收 or 不在家; 不在家 stays open until followed up."""

    def __init__(self, page: CanteenPage) -> None:
        super().__init__()
        self.ctx = page.ctx
        self.table = _table([tr("路线"), tr("餐票号"), tr("姓名"), tr("代领人"), tr("状态"),
                             tr("备注")])
        self.follow = _table([tr("日期"), tr("餐票号"), tr("姓名"), tr("情况")])
        signed = QPushButton(tr("已签收"))
        signed.clicked.connect(lambda: self.mark("signed"))
        away = QPushButton(tr("不在家…"))
        away.clicked.connect(lambda: self.mark("not_home"))
        done = QPushButton(tr("记录回访…"))
        done.clicked.connect(self.follow_up)
        route_sheet = QPushButton(tr("打印送餐路线单…"))
        route_sheet.setObjectName("printRouteSheet")
        route_sheet.clicked.connect(self.print_route_sheet)
        row = QHBoxLayout()
        row.addWidget(signed)
        row.addWidget(away)
        row.addStretch(1)
        row.addWidget(route_sheet)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("今天的送餐（按路线）")))
        layout.addWidget(self.table, 3)
        layout.addLayout(row)
        layout.addWidget(QLabel(tr("不在家、待回访")))
        layout.addWidget(self.follow, 2)
        layout.addWidget(done, alignment=Qt.AlignmentFlag.AlignLeft)

    def refresh(self) -> None:
        rows = self.ctx.read(svc.delivery_list, self.ctx.actor.today())
        _fill(self.table, [[t.route or tr("未分路线"), t.number, t.diner_name, t.collector or "",
                            tr(DELIVERY_STATES[t.delivery_status or "pending"]),
                            t.delivery_note or ""] for t in rows], [t.id for t in rows])
        open_ = self.ctx.read(svc.open_follow_ups)
        _fill(self.follow, [[t.business_date.isoformat(), t.number, t.diner_name,
                             t.delivery_note or ""] for t in open_], [t.id for t in open_])

    def mark(self, status: str) -> None:
        ticket_id = _selected_id(self.table)
        if ticket_id is None:
            return
        note = ""
        if status == "not_home":
            note, ok = QInputDialog.getText(self, tr("不在家"),
                                            tr("情况说明（例如：敲门无人应答）"))
            if not ok:
                return
        if self.ctx.attempt(self, svc.mark_delivery, ticket_id, status, note,
                            topic="canteen") is not None:
            self.refresh()

    def print_route_sheet(self) -> None:
        day = self.ctx.actor.today()
        print_day_sheet(self, self.ctx, papers.KIND_ROUTE_SHEET, papers.route_sheet_pdf, day,
                        tr("长者食堂送餐路线单 {date}", date=day.isoformat()))

    def follow_up(self) -> None:
        ticket_id = _selected_id(self.follow)
        if ticket_id is None:
            return
        note, ok = QInputDialog.getText(self, tr("记录回访"), tr("回访情况"))
        if ok and self.ctx.attempt(self, svc.record_follow_up, ticket_id, note,
                                   topic="canteen") is not None:
            self.refresh()


class PreOrderTab(QWidget):
    """预订: meals booked for a coming day, and what the kitchen cooks."""

    def __init__(self, page: CanteenPage) -> None:
        super().__init__()
        self.ctx = page.ctx
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.dateChanged.connect(lambda _d: self.refresh())
        self.session_combo = QComboBox()
        self.type_combo = _combo(MEAL_TYPES)
        self.who = QLineEdit()
        self.who.setPlaceholderText(tr("居民卡号/姓名，或团体名称"))
        self.group = QCheckBox(tr("团体"))
        self.count = QSpinBox()
        self.count.setRange(1, 500)
        add = QPushButton(tr("添加预订"))
        add.clicked.connect(self.add)
        form = QHBoxLayout()
        for w in (QLabel(tr("日期")), self.day, self.session_combo, self.type_combo, self.who,
                  self.group, QLabel(tr("份数")), self.count, add):
            form.addWidget(w)
        self.kitchen = QLabel()
        self.kitchen.setObjectName("kitchen")
        self.kitchen.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.table = _table([tr("餐次"), tr("类型"), tr("预订人"), tr("份数"), tr("备注")])
        cancel = QPushButton(tr("取消所选预订…"))
        cancel.clicked.connect(self.cancel)
        kitchen_sheet = QPushButton(tr("打印备餐单…"))
        kitchen_sheet.setObjectName("printKitchen")
        kitchen_sheet.clicked.connect(self.print_kitchen)
        buttons = QHBoxLayout()
        buttons.addWidget(cancel)
        buttons.addStretch(1)
        buttons.addWidget(kitchen_sheet)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.kitchen)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self._day_set = False

    def refresh(self) -> None:
        if not self._day_set:
            tomorrow = self.ctx.actor.today() + dt.timedelta(days=1)
            self.day.blockSignals(True)
            self.day.setDate(to_qdate(tomorrow))
            self.day.blockSignals(False)
            self._day_set = True
        day = self.day.date().toPython()
        assert isinstance(day, dt.date)
        sessions = self.ctx.read(svc.list_sessions, day)
        names = {s.id: s.name for s in sessions}
        if self.session_combo.count() != len(sessions):
            self.session_combo.clear()
            for s in sessions:
                self.session_combo.addItem(s.name, s.id)
        counts = self.ctx.read(svc.kitchen_counts, day)
        self.kitchen.setText(tr("{day} 厨房备餐：", day=day.isoformat()) + ("　".join(
            f"{c.session_name}{tr(MEAL_TYPES[c.meal_type])} {c.count}" for c in counts)
            or tr("暂无预订")))
        orders = self.ctx.read(svc.list_pre_orders, day)
        _fill(self.table, [[names.get(o.session_id, ""), tr(MEAL_TYPES[o.meal_type]), o.who,
                            str(o.count), o.note] for o in orders], [o.id for o in orders])

    def add(self) -> None:
        day = self.day.date().toPython()
        text = self.who.text().strip()
        resident_id = None
        if not self.group.isChecked():
            try:
                resident_id = self.ctx.read(resolve_card_or_id, text).id
            except NotFoundError:
                found = self.ctx.read(search_residents, text, 2)
                if len(found) != 1:
                    show_error(self, tr("请输入一位居民的卡号或完整姓名（找到 {n} 位）；"
                                        "团体预订请勾选“团体”。", n=len(found)))
                    return
                resident_id = found[0].id
            except RuleError as exc:
                show_error(self, exc.message)
                return
        if self.ctx.attempt(self, svc.add_pre_order, day=day,
                            session_id=self.session_combo.currentData(),
                            meal_type=self.type_combo.currentData(), resident_id=resident_id,
                            group_name=text if resident_id is None else None,
                            count=self.count.value() if resident_id is None else 1,
                            topic="canteen") is not None:
            self.who.clear()
            self.refresh()

    def print_kitchen(self) -> None:
        day = self.day.date().toPython()
        assert isinstance(day, dt.date)
        print_day_sheet(self, self.ctx, papers.KIND_KITCHEN, papers.kitchen_pdf, day,
                        tr("长者食堂备餐单 {date}", date=day.isoformat()))

    def cancel(self) -> None:
        order_id = _selected_id(self.table)
        if order_id is None:
            return
        reason, ok = QInputDialog.getText(self, tr("取消预订"), tr("取消原因"))
        if ok and self.ctx.attempt(self, svc.cancel_pre_order, order_id, reason,
                                   topic="canteen") is not None:
            self.refresh()


class AdminTab(QWidget):
    """Sessions and prices, funders, subsidy rules (admins edit), the rule preview, the claim.

    A desk operator sees what is set up, read-only, and who to ask; a day's menu is theirs.
    """

    def __init__(self, page: CanteenPage) -> None:
        super().__init__()
        self.page = page
        self.ctx = page.ctx
        admin = self.ctx.actor.is_admin
        self.sessions = _table([tr("餐次"), tr("时间"), tr("价格"), tr("份数上限"), tr("菜单")])
        self.sessions.setObjectName("sessionTable")
        # the menu takes what is left and elides (its whole text is in the form)
        self.sessions.horizontalHeader().setStretchLastSection(False)
        self.sessions.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.sessions.doubleClicked.connect(lambda _i: self.edit_session())
        add_session = QPushButton(tr("新增餐次…"))
        add_session.setObjectName("addSession")
        add_session.clicked.connect(self.add_session)
        edit_session = QPushButton(tr("修改所选…"))
        edit_session.setObjectName("editSession")
        edit_session.setToolTip(tr("改名称、时间、价格、份数、标准菜单，或停用"))
        edit_session.clicked.connect(self.edit_session)
        day_menu = QPushButton(tr("某日菜单…"))
        day_menu.setObjectName("dayMenu")
        day_menu.setToolTip(tr("某一天的菜单、停止供餐（管理员还可改当天价格）"))
        day_menu.clicked.connect(self.day_menu)
        # Box titles stay short (a title never wraps and sets the box's least width); the
        # rule of each box is a line inside it that wraps.
        session_box = QGroupBox(tr("餐次与价格"))
        sl = QVBoxLayout(session_box)
        sl.addWidget(_note(tr("改价不影响已出的餐票。") if admin else
                           tr("新增或修改餐次、价格请联系管理员；某日菜单可以自己填写。")))
        sl.addWidget(self.sessions)
        sb = QGridLayout()  # two a row: the words fit a narrow column in English too
        for n, b in enumerate((add_session, edit_session, day_menu)):
            b.setVisible(admin or b is day_menu)
            sb.addWidget(b, n // 2, n % 2)
        sb.setColumnStretch(2, 1)
        sl.addLayout(sb)

        self.rules = _table([tr("规则名称"), tr("适用对象"), tr("谁付多少"), tr("有效期")])
        self.rules.setObjectName("ruleTable")
        self.rules.setWordWrap(True)
        header = self.rules.horizontalHeader()
        for column in (1, 2):  # who and what wrap into the room there is
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        for column, sample in ((0, "高龄老人（80岁）"), (3, "2026-01-01 至")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, self.rules.fontMetrics().horizontalAdvance(sample) + 16)
        self.rules.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.rules.doubleClicked.connect(lambda _i: self.edit_rule())
        self.rule_message = error_label("ruleMessage")
        add_rule = QPushButton(tr("新增规则…"))
        add_rule.setObjectName("addRule")
        add_rule.clicked.connect(self.add_rule)
        edit_rule = QPushButton(tr("修改所选…"))
        edit_rule.setObjectName("editRule")
        edit_rule.clicked.connect(self.edit_rule)
        retire = QPushButton(tr("停用所选规则…"))
        retire.setObjectName("retireRule")
        retire.clicked.connect(self.retire_rule)
        funders_button = QPushButton(tr("资助方…"))
        funders_button.setObjectName("funders")
        funders_button.clicked.connect(self.manage_funders)
        self.funders = QLabel()
        self.funders.setObjectName("funderLine")
        self.funders.setWordWrap(True)
        rule_box = QGroupBox(tr("补助规则"))
        rl = QVBoxLayout(rule_box)
        rl.addWidget(_note(tr("每位长者按第一条符合的规则补助（排在前面的先用）；没有符合的规则时"
                              "按全价收费。") if admin else
                           tr("每位长者按第一条符合的规则补助；没有符合的规则时按全价收费。"
                              "规则由管理员设置。")))
        rl.addWidget(self.rules)
        rl.addWidget(self.funders)
        rb = QGridLayout()
        for n, b in enumerate((add_rule, edit_rule, retire, funders_button)):
            b.setVisible(admin)
            rb.addWidget(b, n // 2, n % 2)
        rb.setColumnStretch(2, 1)
        rl.addLayout(rb)
        rl.addWidget(self.rule_message)

        self.preview_who = QLineEdit()
        self.preview_who.setPlaceholderText(tr("居民卡号或姓名"))
        self.preview_type = _combo(MEAL_TYPES)
        show = QPushButton(tr("试算"))
        show.clicked.connect(self.try_rules)
        self.preview_result = QLabel()
        self.preview_result.setObjectName("ruleTry")
        self.preview_result.setWordWrap(True)
        self.month = QLineEdit()
        self.month.setPlaceholderText("2026-11")
        export = QPushButton(tr("导出月度申报 XLSX…"))
        export.clicked.connect(self.export_claim)
        claim_pdf = QPushButton(tr("打印月度申报表…"))
        claim_pdf.setObjectName("printClaim")
        claim_pdf.clicked.connect(self.print_claim)
        tools = QGroupBox(tr("规则试算与月度申报"))
        tl = QGridLayout(tools)
        tl.addWidget(self.preview_who, 0, 0, 1, 3)
        tl.addWidget(self.preview_type, 1, 0, 1, 2)
        tl.addWidget(show, 1, 2)
        tl.addWidget(self.preview_result, 2, 0, 1, 3)
        tl.addWidget(QLabel(tr("月份")), 3, 0)
        tl.addWidget(self.month, 3, 1)
        tl.addWidget(export, 3, 2)
        tl.addWidget(claim_pdf, 4, 2)

        layout = QGridLayout(self)
        layout.addWidget(session_box, 0, 0)
        layout.addWidget(tools, 1, 0)
        layout.addWidget(rule_box, 0, 1, 2, 1)
        layout.setColumnStretch(1, 2)
        layout.setColumnStretch(0, 1)

    def refresh(self) -> None:
        today = self.ctx.actor.today()
        sessions = self.ctx.read(svc.list_sessions, today, include_inactive=True)
        self._sessions = sessions
        _fill(self.sessions, [[s.name + ("" if s.active else tr("（已停用）")),
                               f"{s.start_time}-{s.end_time}", format_yuan(s.price_fen),
                               tr("不限") if s.capacity is None else str(s.capacity), s.menu]
                              for s in sessions], [s.id for s in sessions])
        rules = self.ctx.read(svc.list_rules)
        self._rules = rules
        names = {s.id: s.name for s in sessions}
        funders = self.ctx.read(svc.list_funders)
        self_id = next((f.id for f in funders if f.is_self), None)
        _fill(self.rules, [[r.spec.name, svc.rule_conditions_words(r.spec, names),
                            svc.rule_shares_words(r.spec, self_id),
                            svc.rule_dates_words(r.spec)] for r in rules],
              [r.id for r in rules])
        others = [f.name for f in funders if not f.is_self]
        self.funders.setText(tr("资助方：{names}。规则没有分给资助方的部分由本人自付。",
                                names="、".join(others)) if others else
                             tr("还没有资助方（如政府补助、村级、慈善）。"))
        if not self.month.text():
            self.month.setText(f"{today:%Y-%m}")

    def _selected_session(self) -> svc.SessionInfo | None:
        session_id = _selected_id(self.sessions)
        return next((s for s in getattr(self, "_sessions", []) if s.id == session_id), None)

    def open_form(self, key: str) -> None:
        """Open the form that fixes what the notice says is missing."""
        {"session": self.add_session, "funders": self.manage_funders,
         "rule": self.add_rule}[key]()

    def add_session(self) -> None:
        from frontdesk.ui.pages.canteen_setup import SessionDialog

        if SessionDialog(self.ctx, self).exec():
            self.page.refresh_all()

    def edit_session(self) -> None:
        from frontdesk.ui.pages.canteen_setup import SessionDialog

        if not self.ctx.actor.is_admin:
            return
        chosen = self._selected_session()
        if chosen is None:
            show_error(self, tr("请先在列表中选中一个餐次；还没有餐次时请点“新增餐次”。"))
            return
        if SessionDialog(self.ctx, self, chosen).exec():
            self.page.refresh_all()

    def day_menu(self) -> None:
        from frontdesk.ui.pages.canteen_setup import DayMenuDialog

        if not self.ctx.read(svc.list_sessions, self.ctx.actor.today()):
            show_error(self, tr("还没有餐次，请先新增餐次。") if self.ctx.actor.is_admin else
                       tr("还没有餐次。请联系管理员新增餐次。"))
            return
        chosen = self._selected_session()
        if DayMenuDialog(self.ctx, self, chosen.id if chosen else None).exec():
            self.page.refresh_all()

    def manage_funders(self) -> None:
        from frontdesk.ui.pages.canteen_setup import FunderDialog

        FunderDialog(self.ctx, self).exec()
        self.page.refresh_all()

    def add_rule(self) -> None:
        from frontdesk.ui.pages.canteen_rule_dialog import RuleDialog

        if RuleDialog(self.ctx, self).exec():
            self.page.refresh_all()

    def edit_rule(self) -> None:
        from frontdesk.ui.pages.canteen_rule_dialog import RuleDialog

        if not self.ctx.actor.is_admin:
            return
        rule_id = _selected_id(self.rules)
        chosen = next((r for r in getattr(self, "_rules", []) if r.id == rule_id), None)
        if chosen is None:
            show_error(self, tr("请先在列表中选中一条规则。"))
            return
        if RuleDialog(self.ctx, self, chosen).exec():
            self.page.refresh_all()

    def retire_rule(self) -> None:
        rule_id = _selected_id(self.rules)
        if rule_id is None:
            show_error(self, tr("请先在列表中选中一条规则。"))
            return
        reason, ok = QInputDialog.getText(self, tr("停用规则"), tr("停用原因"))
        if ok and self.ctx.attempt(self, svc.retire_rule, rule_id, reason,
                                   topic="canteen") is not None:
            self.page.refresh_all()

    def try_rules(self) -> None:
        """Preview: which rule applies to this resident's meal today, and why."""
        text = self.preview_who.text().strip()
        try:
            try:
                resident_id = self.ctx.read(resolve_card_or_id, text).id
            except NotFoundError:
                found = self.ctx.read(search_residents, text, 2)
                if not found:
                    raise
                resident_id = found[0].id
            p = self.ctx.read(lambda s: svc.preview(
                s, self.ctx.actor, resident_id=resident_id,
                meal_type=self.preview_type.currentData()))
        except FrontdeskError as exc:
            self.preview_result.setText(exc.message)
            return
        shares = "，".join(f"{s.funder_name} {format_yuan(s.amount_fen)}" for s in p.split.shares)
        self.preview_result.setText(tr(
            "{name}：{reason}\n价格 {price}，{shares}本人自付 {self_pay}", name=p.diner_name,
            reason=p.split.reason, price=format_yuan(p.split.price_fen),
            shares=f"{shares}，" if shares else "", self_pay=format_yuan(p.split.self_pay_fen)))

    def export_claim(self) -> None:
        month = self.month.text().strip()
        path, _ = QFileDialog.getSaveFileName(self, tr("导出月度申报"),
                                              str(Path.home() / f"claim-{month}.xlsx"),
                                              "Excel (*.xlsx)")
        if not path:
            return
        claim = self.ctx.attempt(self, reports.monthly_claim, month)
        if claim is None:
            return
        try:
            reports.write_claim_xlsx(claim, Path(path))
        except RuleError as exc:
            show_error(self, exc.message)
            return
        self.preview_result.setText(tr("已导出 {month} 助餐补助申报：{n} 餐，写入 {path}",
                                       month=claim.month, n=claim.total.meals, path=path))


    def print_claim(self) -> None:
        """The month's claim as PDF: archived, then the print preview (with Save as PDF)."""
        made = self.ctx.attempt(self, papers.claim_with_pdf, self.month.text().strip())
        if made is None:
            return
        claim, pdf = made
        printing.archive_and_print(self, self.ctx, kind=papers.KIND_CLAIM,
                                   title=tr("助餐补助申报表 {month}", month=claim.month),
                                   paper=documents.PAPER_A4_LANDSCAPE, pdf=pdf,
                                   record_type="canteen_claim", record_id=claim.month)
        self.preview_result.setText(tr("{month} 助餐补助申报：{n} 餐，已存档（可在“文档”中补打）。",
                                       month=claim.month, n=claim.total.meals))
