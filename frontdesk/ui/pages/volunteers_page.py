"""志愿积分: volunteers and their hours, the redemption desk, the shop's stock, the ledger."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.core.clock import to_local
from frontdesk.core.errors import FrontdeskError
from frontdesk.core.i18n import N_, tr
from frontdesk.documents import service as documents
from frontdesk.ui import printing
from frontdesk.ui.context import show_error
from frontdesk.ui.dates import from_qdate, to_qdate
from frontdesk.ui.pages.base import Page
from frontdesk.ui.pages.volunteers_dialogs import (
    ActivityDialog,
    CategoryDialog,
    CertificateDetailsDialog,
    GoodsDialog,
    PapersDialog,
    TeamDialog,
    VolunteerDialog,
    cap_spin,
    fixed_points_spin,
)
from frontdesk.ui.widgets.fit import fit_placeholder
from frontdesk.ui.widgets.rows_model import RowsModel
from frontdesk.volunteers import ledger, papers, reports, service, setup, shop

if TYPE_CHECKING:
    from frontdesk.core.scan import ScanHit
    from frontdesk.ui.context import DeskContext
    from frontdesk.ui.pages import PageSpec

AnyIndex = QModelIndex | QPersistentModelIndex
WARNING_STYLE = ("background: #fdecea; color: #a61b1b; border: 1px solid #e0a0a0; "
                 "padding: 6px; font-weight: bold;")
BALANCE_STYLE = "font-size: 14pt; font-weight: bold;"
MISSING_STYLE = ("QFrame#missing { background: #fff4e0; border: 1px solid #e0b060; "
                 "border-radius: 4px; }")
ASK_ADMIN = N_("请联系管理员设置（管理员登录后在“志愿积分 → 队伍与服务项目”中添加）。")


class Signed(int):
    """A points change shown with its sign (+2, −34), still right-aligned as a number."""

    def __str__(self) -> str:
        return f"{int(self):+d}"


def _table(model: RowsModel, name: str, stretch: int = -1) -> QTableView:
    """A read-only, row-selecting table; column ``stretch`` (default the last) takes the slack."""
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.setAlternatingRowColors(True)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch % model.columnCount(), QHeaderView.ResizeMode.Stretch)
    return view


def _selected_key(view: QTableView, model: RowsModel) -> int | None:
    rows = view.selectionModel().selectedRows()
    return model.payloads[rows[0].row()] if rows else None




def _when(moment: dt.datetime | None) -> str:
    return "" if moment is None else to_local(moment).strftime("%Y-%m-%d %H:%M")


def _button(text: str, name: str, slot: Callable[[], object]) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.clicked.connect(slot)
    return button


class MissingBanner(QFrame):
    """What a job still lacks, in plain words, with the button that opens the form to fix it
    (an administrator) — or, for the desk, who to ask. Hidden when nothing is missing."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName("missing")
        self.setStyleSheet(MISSING_STYLE)
        self.text = QLabel()
        self.text.setObjectName(f"{name}Text")
        self.text.setWordWrap(True)
        self.button = QPushButton()
        self.button.setObjectName(f"{name}Button")
        self._slot: Callable[[], object] | None = None
        self.button.clicked.connect(lambda: self._slot() if self._slot else None)
        row = QHBoxLayout(self)
        row.addWidget(self.text, 1)
        row.addWidget(self.button)
        self.hide()

    def show_missing(self, text: str, button: str = "",
                     slot: Callable[[], object] | None = None) -> None:
        """Show ``text``; with ``button`` and ``slot``, the button that fixes it."""
        self.text.setText(text)
        self._slot = slot
        self.button.setText(button)
        self.button.setVisible(bool(button and slot))
        self.show()


class VolunteersPage(Page):
    """Four tabs: volunteers, the redemption desk, the shop's stock, the points ledger."""

    topics = ("volunteers", "shop", "residents", "settings")

    def __init__(self, ctx: DeskContext, spec: PageSpec) -> None:
        super().__init__(ctx, spec)
        self.tabs = QTabWidget()
        self.people = PeopleTab(self)
        self.desk = RedeemTab(self)
        self.stock = StockTab(self)
        self.ledger = LedgerTab(self)
        self.setup = SetupTab(self)
        # The tabs' names are what `frontdesk screenshot volunteers:NAME` opens.
        for tab, name, title in ((self.people, "people", tr("志愿者与服务时长")),
                                 (self.desk, "redeem", tr("积分兑换")),
                                 (self.stock, "stock", tr("积分超市库存")),
                                 (self.ledger, "ledger", tr("积分流水与报表")),
                                 (self.setup, "teams", tr("队伍与服务项目"))):
            tab.setObjectName(name)
            self.tabs.addTab(tab, title)
        self.tabs.currentChanged.connect(lambda _i: self.refresh())
        self.missing = MissingBanner("missingActivities")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading(tr("志愿积分")))
        layout.addWidget(self.missing)
        layout.addWidget(self.tabs, 1)

    def refresh(self) -> None:
        self.show_missing()
        current = self.tabs.currentWidget()
        if isinstance(current, PeopleTab | RedeemTab | StockTab | LedgerTab | SetupTab):
            current.refresh()

    def show_missing(self) -> None:
        """No activity yet: nobody's hours can be recorded — say so, and where to fix it."""
        if self.ctx.read(setup.has_activities):
            self.missing.hide()
            return
        text = tr("还没有服务项目和积分规则：志愿者签到、补录服务时长都要先选一个服务项目。")
        if self.ctx.actor.is_admin:
            self.missing.show_missing(text, tr("设置服务项目和积分规则"),
                                      lambda: self.open_setup("teams"))
        else:
            self.missing.show_missing(text + tr(ASK_ADMIN))

    def open_setup(self, part: str = "teams") -> None:
        """The set-up tab ``part`` (the 队伍与服务项目 tab at the first form still needed —
        a category, then an activity — or the shop's stock tab)."""
        if part == "stock":
            self.open_new_goods()
            return
        self.tabs.setCurrentWidget(self.setup)
        self.setup.focus_first_needed()

    def open_new_goods(self) -> None:
        """The stock tab with the cursor in the new item's name."""
        self.tabs.setCurrentWidget(self.stock)
        self.stock.new_name.setFocus()

    def run(self, action: Callable[..., Any], *args: Any, topic: str = "volunteers",
            **kwargs: Any) -> Any:
        """A write through the desk context; a refusal is shown and gives None."""
        return self.ctx.attempt(self, action, *args, topic=topic, **kwargs)

    def handle_scan(self, text: str) -> bool:
        """A scanned card: onto the redemption desk if it is open, else into the list."""
        if self.tabs.currentWidget() is self.desk:
            self.desk.load_volunteer(text)
            return True
        self.tabs.setCurrentWidget(self.people)
        return self.people.load_code(text)

    def show_hit(self, hit: ScanHit) -> None:
        if hit.kind == "volunteer":
            if self.tabs.currentWidget() is self.desk:
                self.desk.show_volunteer(hit.record_id)
            else:
                self.tabs.setCurrentWidget(self.people)
                self.people.show_volunteer(hit.record_id)


class PeopleTab(QWidget):
    """The volunteer list; a volunteer's details, sign in/out and hand-added hours."""

    def __init__(self, page: VolunteersPage) -> None:
        super().__init__()
        self.page = page
        self.ctx = page.ctx
        self.volunteer_id: int | None = None
        self.search = QLineEdit()
        self.search.setObjectName("volunteerSearch")
        self.search.setPlaceholderText(tr("按姓名、编号或队伍筛选"))
        self.search.textChanged.connect(lambda _t: self.refresh())
        self.model = RowsModel((N_("编号"), N_("姓名"), N_("队伍"), N_("积分")))
        self.view = _table(self.model, "volunteerTable", stretch=2)
        self.view.selectionModel().selectionChanged.connect(self._on_select)
        self.enrol_code = QLineEdit()
        self.enrol_code.setObjectName("enrolCode")
        self.enrol_code.setPlaceholderText(tr("居民卡号或证件号"))
        self.enrol_team = QComboBox()
        enrol = QGroupBox(tr("登记新志愿者"))
        enrol_form = QFormLayout(enrol)
        enrol_form.addRow(tr("居民"), self.enrol_code)
        enrol_form.addRow(tr("志愿服务队"), self.enrol_team)
        enrol_form.addRow("", _button(tr("登记为志愿者"), "enrolButton", self.enrol))
        left = QVBoxLayout()
        left.addWidget(self.search)
        left.addWidget(self.view, 1)
        left.addWidget(enrol)

        self.title = QLabel(tr("请在左侧选择志愿者，或扫描居民卡。"))
        self.title.setObjectName("volunteerTitle")
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.balance = QLabel()
        self.balance.setObjectName("volunteerBalance")
        self.balance.setStyleSheet(BALANCE_STYLE)
        self.edit_button = _button(tr("编辑 / 停用"), "editVolunteerButton", self.edit)
        self.papers_button = _button(tr("服务明细与证明…"), "papersButton", self.open_papers)
        self.papers_button.setToolTip(tr("选择期间，打印服务明细或开具志愿服务证明；也可补打"))
        self.activity = QComboBox()
        self.activity.setObjectName("activityCombo")
        self.rule = QLabel()
        self.rule.setStyleSheet("color: #555;")
        self.rule.setWordWrap(True)
        self.activity.currentIndexChanged.connect(self._show_rule)
        self.open_state = QLabel()
        self.open_state.setObjectName("openState")
        self.sign_in_button = _button(tr("服务签到"), "signInButton", self.sign_in)
        self.sign_out_button = _button(tr("服务签退"), "signOutButton", self.sign_out)
        signing = QGroupBox(tr("前台签到 / 签退（时长自动计算）"))
        sign_row = QHBoxLayout(signing)
        sign_row.addWidget(self.open_state, 1)
        sign_row.addWidget(self.sign_in_button)
        sign_row.addWidget(self.sign_out_button)

        self.manual_date = QDateEdit()
        self.manual_date.setObjectName("manualDate")
        self.manual_date.setCalendarPopup(True)
        self.manual_date.setDisplayFormat("yyyy-MM-dd")
        self.manual_hours = QDoubleSpinBox()
        self.manual_hours.setObjectName("manualHours")
        self.manual_hours.setRange(0, 99)  # wider than a day: the service explains why not
        self.manual_hours.setDecimals(1)
        self.manual_hours.setSingleStep(0.5)
        self.manual_hours.setSuffix(tr(" 小时"))
        self.manual_reason = QLineEdit()
        self.manual_reason.setObjectName("manualReason")
        self.manual_reason.setPlaceholderText(tr("必填，例如：纸质签到表补录"))
        self.manual_verifier = QLineEdit()
        self.manual_verifier.setObjectName("manualVerifier")
        self.manual_verifier.setPlaceholderText(tr("队长或经办人姓名（默认本人）"))
        manual = QGroupBox(tr("手工补录服务时长（需填写原因）"))
        form = QFormLayout(manual)
        form.addRow(tr("服务日期"), self.manual_date)
        form.addRow(tr("服务时长"), self.manual_hours)
        form.addRow(tr("补录原因"), self.manual_reason)
        form.addRow(tr("核实人"), self.manual_verifier)
        self.save_manual_button = _button(tr("保存补录"), "saveManualButton", self.save_manual)
        form.addRow("", self.save_manual_button)
        self._request_key = uuid.uuid4().hex

        self.records = RowsModel((N_("日期"), N_("服务项目"), N_("时长(小时)"), N_("积分"),
                                  N_("来源"), N_("核实人"), N_("备注")))
        self.records_view = _table(self.records, "serviceTable")
        right = QVBoxLayout()
        right.addWidget(self.title)
        balance_row = QHBoxLayout()
        balance_row.addWidget(self.balance, 1)
        balance_row.addWidget(self.edit_button)
        balance_row.addWidget(self.papers_button)
        right.addLayout(balance_row)
        act_row = QHBoxLayout()
        act_row.addWidget(QLabel(tr("服务项目")))
        act_row.addWidget(self.activity, 1)
        right.addLayout(act_row)
        right.addWidget(self.rule)
        right.addWidget(signing)
        right.addWidget(manual)
        right.addWidget(QLabel(tr("服务记录")))
        right.addWidget(self.records_view, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 2)
        layout.addLayout(right, 3)
        self._set_enabled(False)

    def _set_enabled(self, on: bool) -> None:
        for w in (self.sign_in_button, self.sign_out_button, self.manual_date,
                  self.manual_hours, self.manual_reason, self.manual_verifier,
                  self.save_manual_button):
            w.setEnabled(on)
        self.edit_button.setEnabled(self.volunteer_id is not None)
        self.papers_button.setEnabled(self.volunteer_id is not None)

    def refresh(self) -> None:
        rows = self.ctx.read(service.list_volunteers, self.search.text())
        self.model.set_rows([(v.number, v.name if v.active else tr("{name}（已停用）", name=v.name),
                              v.team or tr("未分队"), v.balance) for v in rows],
                            [v.id for v in rows])
        activities = self.ctx.read(service.list_activities)
        current = self.activity.currentData()
        self.activity.blockSignals(True)
        self.activity.clear()
        for a in activities:
            self.activity.addItem(a.name, a.id)
        if current is not None and self.activity.findData(current) >= 0:
            self.activity.setCurrentIndex(self.activity.findData(current))
        self.activity.blockSignals(False)
        self._activities = {a.id: a for a in activities}
        self._show_rule()
        self.enrol_team.clear()
        self.enrol_team.addItem(tr("（不分队）"), None)
        for tid, name, _leader in self.ctx.read(service.list_teams):
            self.enrol_team.addItem(name, tid)
        self.manual_date.setMaximumDate(to_qdate(self.ctx.actor.today()))
        if self.manual_date.date() == QDate(2000, 1, 1) or self.volunteer_id is None:
            self.manual_date.setDate(to_qdate(self.ctx.actor.today()))
        if self.volunteer_id is not None:
            self.show_volunteer(self.volunteer_id)

    def _show_rule(self) -> None:
        act = getattr(self, "_activities", {}).get(self.activity.currentData())
        self.rule.setText("" if act is None else tr("积分规则：{rule}（{rounding}）",
                                                   rule=act.rule_text(),
                                                   rounding=tr(service.ROUNDING_RULE)))

    def _on_select(self) -> None:
        vid = _selected_key(self.view, self.model)
        if vid is not None and vid != self.volunteer_id:
            self.show_volunteer(vid)

    def load_code(self, code: str) -> bool:
        """Show the volunteer a scanned card names; tells the desk when it names no one."""
        try:
            v = self.ctx.read(service.find_volunteer, code)
        except FrontdeskError as exc:
            self.page.say(exc.message)
            self.enrol_code.setText(code)
            return True
        self.show_volunteer(v.id)
        return True

    def show_volunteer(self, volunteer_id: int) -> None:
        v = self.ctx.read(service.get_volunteer, volunteer_id)
        self.volunteer_id = v.id
        self.title.setText(tr("{name}（{number}） {team} · 加入于 {joined}{skills}",
                              name=v.name, number=v.number, team=v.team or tr("未分队"),
                              joined=v.joined_on.isoformat(),
                              skills=tr("，特长：{s}", s=v.skills) if v.skills else "")
                           + ("" if v.active else tr("（已停用）")))
        self.balance.setText(tr("积分余额：{n} 分", n=v.balance))
        open_rec = self.ctx.read(service.open_record, v.id)
        self._set_enabled(v.active)
        self.edit_button.setEnabled(True)
        self.papers_button.setEnabled(True)
        self.sign_in_button.setEnabled(v.active and open_rec is None)
        self.sign_out_button.setEnabled(open_rec is not None)
        self.open_state.setText(
            tr("未签到") if open_rec is None else
            tr("{time} 签到：{activity}", time=_when(open_rec.started_at)[-5:],
               activity=open_rec.activity))
        records = self.ctx.read(service.list_records, v.id, limit=200)
        self.records.set_rows([
            (r.service_date.isoformat(), r.activity, f"{r.minutes / 60:.1f}", r.points,
             tr(service.SOURCE_LABELS.get(r.source, r.source)), r.verified_by,
             _record_note(r)) for r in records], [r.id for r in records])

    def edit(self) -> None:
        if self.volunteer_id is None:
            return
        v = self.ctx.read(service.get_volunteer, self.volunteer_id)
        dialog = VolunteerDialog(self.ctx, v, self)
        if dialog.exec():
            self.refresh()

    def open_papers(self) -> None:
        if self.volunteer_id is None:
            return
        PapersDialog(self.ctx, self.ctx.read(service.get_volunteer, self.volunteer_id),
                     self).exec()

    def enrol(self) -> None:
        from frontdesk.residents.service import resolve_card_or_id

        code = self.enrol_code.text().strip()
        if not code:
            show_error(self, tr("请先扫描或输入居民卡号 / 证件号。"))
            return

        def action(session: Any, actor: Any) -> service.VolunteerInfo:
            resident = resolve_card_or_id(session, code)
            return service.enroll(session, actor, resident.id,
                                  team_id=self.enrol_team.currentData())

        v = self.page.run(action)
        if v is not None:
            self.enrol_code.clear()
            self.page.say(tr("{name} 已登记为志愿者，编号 {number}。", name=v.name,
                             number=v.number))
            self.refresh()
            self.show_volunteer(v.id)

    def sign_in(self) -> None:
        if self.volunteer_id is None or self.activity.currentData() is None:
            return
        if self.page.run(service.sign_in, self.volunteer_id, self.activity.currentData()):
            self.show_volunteer(self.volunteer_id)

    def sign_out(self) -> None:
        if self.volunteer_id is None:
            return
        r = self.page.run(service.sign_out, self.volunteer_id)
        if r is not None:
            self.page.say(tr("已签退：{h} 小时，得 {points} 分。", h=f"{r.minutes / 60:.1f}",
                             points=r.points))
            self.refresh()

    def save_manual(self) -> None:
        if self.volunteer_id is None or self.activity.currentData() is None:
            return
        r = self.page.run(
            service.add_record, self.volunteer_id, self.activity.currentData(),
            from_qdate(self.manual_date.date()), hours=self.manual_hours.value(),
            reason=self.manual_reason.text(), verified_by=self.manual_verifier.text(),
            request_key=self._request_key)
        if r is not None:  # kept as typed on refusal; cleared once saved
            self._request_key = uuid.uuid4().hex
            self.manual_reason.clear()
            self.manual_hours.setValue(0)
            self.page.say(tr("已补录：{h} 小时，得 {points} 分。", h=f"{r.minutes / 60:.1f}",
                             points=r.points))
            self.refresh()


def _record_note(r: service.ServiceInfo) -> str:
    if r.status == "void":
        return tr("已作废")
    if r.status == "open":
        return tr("未签退")
    parts = [r.reason] if r.reason else []
    if r.credited_minutes < r.minutes:
        parts.append(tr("按上限计 {h} 小时", h=f"{r.credited_minutes / 60:g}"))
    return "；".join(parts)


class RedeemTab(QWidget):
    """The redemption desk: scan → balance → basket → confirm."""

    def __init__(self, page: VolunteersPage) -> None:
        super().__init__()
        self.page = page
        self.ctx = page.ctx
        self.volunteer: service.VolunteerInfo | None = None
        self.basket: dict[int, int] = {}
        self.goods: dict[int, shop.GoodsInfo] = {}
        self.code = QLineEdit()
        self.code.setObjectName("redeemCode")
        self.code.setPlaceholderText(tr("① 扫描居民卡 / 输入证件号或志愿者编号，按回车"))
        self.code.returnPressed.connect(lambda: self.load_volunteer(self.code.text()))
        self.no_goods = MissingBanner("missingGoods")
        self.who = QLabel(tr("尚未选择志愿者"))
        self.who.setObjectName("redeemWho")
        self.who.setStyleSheet(BALANCE_STYLE)
        self.goods_model = RowsModel((N_("物品"), N_("兑换积分"), N_("库存")))
        self.goods_view = _table(self.goods_model, "redeemGoods", stretch=0)
        self.goods_view.doubleClicked.connect(lambda _i: self.add_selected())
        self.quantity = QSpinBox()
        self.quantity.setRange(1, 99)
        self.basket_model = RowsModel((N_("物品"), N_("数量"), N_("单价"), N_("积分")))
        self.basket_view = _table(self.basket_model, "basketTable", stretch=0)
        self.total = QLabel()
        self.total.setObjectName("basketTotal")
        self.total.setStyleSheet(BALANCE_STYLE)
        self.confirm = _button(tr("③ 确认兑换"), "confirmRedeem", self.confirm_redeem)
        self.confirm.setStyleSheet("font-size: 13pt; padding: 6px 18px;")
        self.last = QLabel()
        self.last.setObjectName("lastReceipt")
        self.last.setWordWrap(True)
        self.recent = RowsModel((N_("兑换单号"), N_("时间"), N_("志愿者"), N_("物品"),
                                 N_("积分"), N_("状态")))
        self.recent_view = _table(self.recent, "recentRedemptions", stretch=3)
        self.reverse_reason = QLineEdit()
        self.reverse_reason.setObjectName("reverseReason")
        self.reverse_reason.setPlaceholderText(tr("冲销原因（管理员）"))

        left = QVBoxLayout()
        left.addWidget(self.no_goods)
        left.addWidget(self.code)
        left.addWidget(self.who)
        left.addWidget(QLabel(tr("② 选择物品（双击加入）")))
        left.addWidget(self.goods_view, 1)
        add_row = QHBoxLayout()
        add_row.addWidget(QLabel(tr("数量")))
        add_row.addWidget(self.quantity)
        add_row.addWidget(_button(tr("加入兑换清单"), "addToBasket", self.add_selected))
        add_row.addStretch(1)
        left.addLayout(add_row)
        right = QVBoxLayout()
        right.addWidget(QLabel(tr("兑换清单")))
        right.addWidget(self.basket_view, 1)
        basket_row = QHBoxLayout()
        basket_row.addWidget(_button(tr("移除选中"), "removeFromBasket", self.remove_selected))
        basket_row.addWidget(_button(tr("清空"), "clearBasket", self.clear_basket))
        basket_row.addStretch(1)
        right.addLayout(basket_row)
        right.addWidget(self.total)
        right.addWidget(self.confirm)
        right.addWidget(self.last)
        right.addWidget(QLabel(tr("最近兑换")))
        right.addWidget(self.recent_view, 1)
        right.addWidget(self.reverse_reason)  # a row of its own: room for the reason
        rev_row = QHBoxLayout()
        self.reverse_button = _button(tr("冲销选中兑换"), "reverseRedemption", self.reverse)
        rev_row.addWidget(self.reverse_button)
        rev_row.addStretch(1)
        rev_row.addWidget(_button(tr("补打小票"), "reprintReceipt", self.reprint))
        right.addLayout(rev_row)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 1)
        self._request_key = uuid.uuid4().hex

    def refresh(self) -> None:
        goods = self.ctx.read(shop.list_goods)
        self.goods = {g.id: g for g in goods}
        self.goods_model.set_rows([(g.name, g.points_price, g.stock) for g in goods],
                                  [g.id for g in goods])
        self._show_missing_goods(goods)
        if self.volunteer is not None:
            self.show_volunteer(self.volunteer.id)
        recent = self.ctx.read(shop.list_redemptions, None, 30)
        self.recent.set_rows([
            (r.number, _when(r.at)[5:], r.volunteer_name,
             "、".join(f"{ln.name}×{ln.quantity}" for ln in r.lines), r.total_points,
             tr("已冲销") if r.reversed else tr("已兑换")) for r in recent],
            [r.redemption_id for r in recent])
        admin = self.ctx.actor.is_admin
        self.reverse_reason.setVisible(admin)
        self.reverse_button.setVisible(admin)
        self._show_basket()

    def _show_missing_goods(self, goods: list[shop.GoodsInfo]) -> None:
        if goods and any(g.stock > 0 for g in goods):
            self.no_goods.hide()
            return
        text = (tr("积分超市还没有物品，暂时不能兑换。") if not goods
                else tr("积分超市的物品都没有库存，暂时不能兑换。"))
        if self.ctx.actor.is_admin:
            self.no_goods.show_missing(text, tr("新增物品") if not goods else tr("去入库"),
                                       self.page.open_new_goods)
        else:
            self.no_goods.show_missing(text + tr("请联系管理员新增物品或入库。"))

    def load_volunteer(self, code: str) -> None:
        try:
            v = self.ctx.read(service.find_volunteer, code)
        except FrontdeskError as exc:
            show_error(self, exc.message)
            return
        self.code.clear()
        if self.volunteer is None or self.volunteer.id != v.id:
            self.basket.clear()
        self.show_volunteer(v.id)

    def show_volunteer(self, volunteer_id: int) -> None:
        self.volunteer = self.ctx.read(service.get_volunteer, volunteer_id)
        self.who.setText(tr("{name}（{number}） 积分余额：{n} 分", name=self.volunteer.name,
                            number=self.volunteer.number, n=self.volunteer.balance))
        self._show_basket()

    def add_selected(self) -> None:
        gid = _selected_key(self.goods_view, self.goods_model)
        if gid is None:
            self.page.say(tr("请先在左侧选中一件物品。"))
            return
        self.basket[gid] = self.basket.get(gid, 0) + self.quantity.value()
        self.quantity.setValue(1)
        self._show_basket()

    def remove_selected(self) -> None:
        gid = _selected_key(self.basket_view, self.basket_model)
        if gid is not None:
            self.basket.pop(gid, None)
            self._show_basket()

    def clear_basket(self) -> None:
        self.basket.clear()
        self._show_basket()

    def basket_total(self) -> int:
        return sum(self.goods[g].points_price * q for g, q in self.basket.items()
                   if g in self.goods)

    def _show_basket(self) -> None:
        lines = [(gid, q) for gid, q in self.basket.items() if gid in self.goods]
        self.basket_model.set_rows([
            (self.goods[g].name, q, self.goods[g].points_price, self.goods[g].points_price * q)
            for g, q in lines], [g for g, _ in lines])
        total = self.basket_total()
        if self.volunteer is None:
            self.total.setText(tr("合计 {total} 分", total=total))
            self.total.setStyleSheet(BALANCE_STYLE)
        else:
            after = self.volunteer.balance - total
            self.total.setText(tr("合计 {total} 分 · 兑换后余额 {after} 分", total=total,
                                  after=after))
            self.total.setStyleSheet(BALANCE_STYLE + ("color: #a61b1b;" if after < 0 else ""))
        self.confirm.setEnabled(self.volunteer is not None and bool(lines))

    def confirm_redeem(self) -> None:
        if self.volunteer is None or not self.basket:
            return
        basket = [shop.BasketLine(g, q) for g, q in self.basket.items()]
        receipt = self.page.run(shop.redeem, self.volunteer.id, basket,
                                request_key=self._request_key, topic="shop")
        if receipt is None:
            self.refresh()  # the basket stays as it was; stock and balance are re-read
            return
        self._request_key = uuid.uuid4().hex
        self.basket.clear()
        self.last.setText(tr("兑换成功：{number}，共 {total} 分，余额 {before} → {after} 分。",
                             number=receipt.number, total=receipt.total_points,
                             before=receipt.balance_before, after=receipt.balance_after))
        self.refresh()
        self.print_receipt(receipt)

    def print_receipt(self, receipt: shop.RedemptionReceipt) -> None:
        """Render, archive and print a redemption's receipt (the redemption is already saved)."""
        try:
            pdf = self.ctx.read(papers.receipt_pdf, self.ctx.actor, receipt)
        except Exception as exc:
            show_error(self, tr("兑换 {number} 已完成，但小票生成失败：{err}\n"
                                "可稍后在“最近兑换”中补打。", number=receipt.number, err=exc))
            return
        printing.archive_and_print(
            self, self.ctx, kind=papers.KIND_RECEIPT, title=papers.receipt_title(receipt),
            paper=documents.PAPER_RECEIPT_80, pdf=pdf, record_type="redemption",
            record_id=receipt.redemption_id)

    def reprint(self) -> None:
        """补打: the archived receipt stamped as a reprint, or a first print if none was kept."""
        rid = _selected_key(self.recent_view, self.recent)
        if rid is None:
            show_error(self, tr("请先在“最近兑换”中选中一条兑换记录。"))
            return
        docs = self.ctx.read(documents.list_documents, kind=papers.KIND_RECEIPT,
                             record_type="redemption", record_id=rid, limit=1)
        if docs:
            printing.print_document(self, self.ctx, docs[0].id)
        else:
            self.print_receipt(self.ctx.read(shop.receipt, rid))  # first print, archived now

    def reverse(self) -> None:
        rid = _selected_key(self.recent_view, self.recent)
        if rid is None:
            show_error(self, tr("请先选中要冲销的兑换记录。"))
            return
        if self.page.run(shop.reverse_redemption, rid, self.reverse_reason.text(),
                         topic="shop") is not None:
            self.reverse_reason.clear()
            self.refresh()


class StockTab(QWidget):
    """The shop's goods: restock, write off, count, add goods."""

    def __init__(self, page: VolunteersPage) -> None:
        super().__init__()
        self.page = page
        self.ctx = page.ctx
        self.model = RowsModel((N_("物品"), N_("计量单位"), N_("兑换积分"), N_("库存"), N_("状态")))
        self.view = _table(self.model, "stockTable", stretch=0)
        self.edit_button = _button(tr("编辑选中物品（改名、改价、下架）"), "editGoodsButton",
                                   self.edit)
        self.quantity = QSpinBox()
        self.quantity.setObjectName("stockQuantity")
        self.quantity.setRange(0, 100_000)
        self.reason = QLineEdit()
        self.reason.setObjectName("stockReason")
        self.reason.setPlaceholderText(tr("原因（报损、盘点必填）"))
        moves = QGroupBox(tr("选中物品的库存变动"))
        form = QFormLayout(moves)
        form.addRow(tr("数量"), self.quantity)
        form.addRow(tr("原因"), self.reason)
        buttons = QHBoxLayout()
        buttons.addWidget(_button(tr("入库"), "restockButton", self.restock))
        buttons.addWidget(_button(tr("报损"), "writeOffButton", self.write_off))
        buttons.addWidget(_button(tr("盘点（数量为实盘数）"), "countButton", self.count))
        form.addRow(buttons)
        self.new_name = QLineEdit()
        self.new_name.setObjectName("newGoodsName")
        self.new_price = QSpinBox()
        self.new_price.setObjectName("newGoodsPrice")
        self.new_price.setRange(0, 100_000)
        self.new_price.setSuffix(tr(" 积分"))
        self.new_unit = QLineEdit()
        self.new_unit.setObjectName("newGoodsUnit")
        self.new_unit.setPlaceholderText(tr("个、袋、瓶……"))
        self.new_stock = QSpinBox()
        self.new_stock.setObjectName("newGoodsStock")
        self.new_stock.setRange(0, shop.MAX_QUANTITY)
        self.new_stock.setToolTip(tr("现在架上有多少件；记为一笔“期初库存”入库"))
        self.new_goods = QGroupBox(tr("新增物品（管理员）"))
        new_form = QFormLayout(self.new_goods)
        new_form.addRow(tr("名称"), self.new_name)
        new_form.addRow(tr("兑换积分"), self.new_price)
        new_form.addRow(tr("计量单位"), self.new_unit)
        new_form.addRow(tr("期初库存"), self.new_stock)
        new_form.addRow("", _button(tr("新增"), "addGoodsButton", self.add_goods))
        self.empty = QLabel()
        self.empty.setObjectName("stockEmpty")
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #8a5300;")
        side = QVBoxLayout()
        side.addWidget(self.empty)
        side.addWidget(moves)
        side.addWidget(self.edit_button)
        side.addWidget(self.new_goods)
        side.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addWidget(self.view, 3)
        layout.addLayout(side, 2)

    def refresh(self) -> None:
        goods = self.ctx.read(shop.list_goods, include_inactive=True)
        self.model.set_rows([(g.name, g.unit, g.points_price, g.stock,
                              tr("在售") if g.active else tr("已下架")) for g in goods],
                            [g.id for g in goods])
        self.new_goods.setVisible(self.ctx.actor.is_admin)
        self.edit_button.setVisible(self.ctx.actor.is_admin)
        if goods:
            self.empty.hide()
        else:
            self.empty.setText(
                tr("积分超市还没有物品。在下方“新增物品”填写名称、兑换积分和现有数量（期初库存）。")
                if self.ctx.actor.is_admin else
                tr("积分超市还没有物品。请联系管理员新增物品。"))
            self.empty.show()

    def _selected(self) -> int | None:
        gid = _selected_key(self.view, self.model)
        if gid is None:
            show_error(self, tr("请先在左侧选中一件物品。"))
        return gid

    def _move(self, action: Callable[..., Any]) -> None:
        gid = self._selected()
        if gid is None:
            return
        if self.page.run(action, gid, self.quantity.value(), self.reason.text(),
                         topic="shop") is not None:
            self.reason.clear()
            self.quantity.setValue(0)
            self.refresh()

    def edit(self) -> None:
        gid = self._selected()
        if gid is None:
            return
        goods = next(g for g in self.ctx.read(shop.list_goods, include_inactive=True)
                     if g.id == gid)
        if GoodsDialog(self.ctx, goods, self).exec():
            self.refresh()

    def restock(self) -> None:
        self._move(shop.restock)

    def write_off(self) -> None:
        self._move(shop.write_off)

    def count(self) -> None:
        self._move(shop.count_stock)

    def add_goods(self) -> None:
        g = self.page.run(shop.add_goods, self.new_name.text(), self.new_price.value(),
                          self.new_unit.text(), opening_stock=self.new_stock.value(),
                          topic="shop")
        if g is not None:  # kept as typed on refusal; cleared once saved
            self.new_name.clear()
            self.new_unit.clear()
            self.new_price.setValue(0)
            self.new_stock.setValue(0)
            self.page.say(tr("已新增物品 {name}，库存 {stock}。", name=g.name, stock=g.stock))
            self.refresh()


class LedgerChecker(QObject):
    """Walks the points ledger off the GUI thread, in a session of its own.

    Results come back as signals (queued onto the GUI thread); widgets are never touched
    from the worker, and the desk keeps working while five years of entries are walked.
    """

    progressed = Signal(int, int)  # done, total
    finished = Signal(object)  # (head state, LedgerCheck) or an error message (str)

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.running = False
        self.finished.connect(self._done)

    def start(self) -> bool:
        """Start a walk; False when one is already running."""
        if self.running:
            return False
        self.running = True
        threading.Thread(target=self._run, name="ledger-check", daemon=True).start()
        return True

    def _run(self) -> None:
        try:
            with self.ctx.db.read() as session:
                head = ledger.head_state(session)
                check = ledger.verify_ledger(session, progress=self.progressed.emit)
            outcome: object = (head, check)
        except Exception as exc:
            outcome = tr("校验积分流水时出错：{err}", err=exc)
        with contextlib.suppress(RuntimeError):  # the page was closed while the walk ran
            self.finished.emit(outcome)

    def _done(self, _outcome: object) -> None:
        self.running = False


class LedgerTab(QWidget):
    """The points ledger with the chain's check, and the reports' export."""

    def __init__(self, page: VolunteersPage) -> None:
        super().__init__()
        self.page = page
        self.ctx = page.ctx
        self.warning = QLabel()
        self.warning.setObjectName("ledgerWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(WARNING_STYLE)
        self.status = QLabel()
        self.status.setObjectName("ledgerStatus")
        self.progress = QProgressBar()
        self.progress.setObjectName("ledgerProgress")
        self.progress.setMaximumWidth(260)
        self.progress.hide()
        self.checker = LedgerChecker(page.ctx)
        self.checker.progressed.connect(self._on_progress)
        self.checker.finished.connect(self._on_checked)
        self.model = RowsModel((N_("流水号"), N_("时间"), N_("志愿者"), N_("类型"), N_("积分"),
                                N_("余额"), N_("说明"), N_("操作员")))
        self.view = _table(self.model, "ledgerTable", stretch=6)
        today = to_qdate(page.ctx.actor.today())
        self.date_from = QDateEdit(QDate(today.year(), 1, 1))
        self.date_to = QDateEdit(today)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        export = QHBoxLayout()
        export.addWidget(QLabel(tr("报表期间")))
        export.addWidget(self.date_from)
        export.addWidget(QLabel(tr("至")))
        export.addWidget(self.date_to)
        export.addWidget(_button(tr("导出报表（Excel）"), "exportReports", self.choose_export))
        export.addStretch(1)
        self.verify_button = _button(tr("重新校验流水"), "verifyButton",
                                     self.verify)
        export.addWidget(self.verify_button)
        self.adjust_code = QLineEdit()
        self.adjust_code.setObjectName("adjustCode")
        fit_placeholder(self.adjust_code, tr("志愿者编号或居民卡号"))
        self.adjust_points = QSpinBox()
        self.adjust_points.setObjectName("adjustPoints")
        self.adjust_points.setRange(-100_000, 100_000)
        self.adjust_points.setSuffix(tr(" 分"))
        self.adjust_reason = QLineEdit()
        self.adjust_reason.setObjectName("adjustReason")
        self.adjust_reason.setPlaceholderText(tr("原因（必填）"))
        self.admin_box = QGroupBox(tr("管理员：调整积分，或冲销选中的一条流水（服务记录随之作废）"))
        admin_row = QHBoxLayout(self.admin_box)
        admin_row.addWidget(self.adjust_code, 1)
        admin_row.addWidget(self.adjust_points)
        admin_row.addWidget(self.adjust_reason, 2)
        admin_row.addWidget(_button(tr("调整积分"), "adjustButton", self.adjust))
        admin_row.addWidget(_button(tr("冲销选中流水"), "reverseEntryButton", self.reverse))
        layout = QVBoxLayout(self)
        layout.addWidget(self.warning)
        state_row = QHBoxLayout()
        state_row.addWidget(self.status, 1)
        state_row.addWidget(self.progress)
        layout.addLayout(state_row)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.admin_box)
        layout.addLayout(export)

    def adjust(self) -> None:
        def action(session: Any, actor: Any) -> service.EntryInfo:
            v = service.find_volunteer(session, self.adjust_code.text())
            return service.adjust(session, actor, v.id, self.adjust_points.value(),
                                  self.adjust_reason.text())

        if self.page.run(action) is not None:
            self.adjust_reason.clear()
            self.adjust_points.setValue(0)
            self.refresh()

    def reverse(self) -> None:
        entry_id = _selected_key(self.view, self.model)
        if entry_id is None:
            show_error(self, tr("请先在上方选中一条积分流水。"))
            return
        if self.page.run(service.reverse_or_void, entry_id, self.adjust_reason.text()):
            self.adjust_reason.clear()
            self.refresh()

    def verify(self) -> None:
        """Check the chain in the background; the result replaces the state line when done."""
        if self.checker.start():
            self.verify_button.setEnabled(False)
            self.progress.setRange(0, 0)  # busy until the first count arrives
            self.progress.show()
            self.status.show()
            self.status.setText(tr("正在后台校验积分流水，可以继续操作……"))

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.status.setText(tr("正在后台校验积分流水：{done} / {total} 条……", done=done,
                               total=total))

    def _on_checked(self, outcome: object) -> None:
        self.verify_button.setEnabled(True)
        self.progress.hide()
        if isinstance(outcome, tuple):
            self._show_check(outcome[1])
        else:
            self.warning.setText(str(outcome))
            self.warning.show()

    def _show_check(self, check: ledger.LedgerCheck) -> None:
        stock = self.ctx.read(shop.stock_problems)
        if check.intact and not stock:
            self.warning.hide()
            self.status.show()
            self.status.setText(tr("积分流水完整：共 {n} 条，校验通过。", n=check.entries))
        else:
            lines = [tr("流水 {id}：{problem}", id=p.entry_id, problem=p.problem)
                     for p in check.problems] + stock
            more = len(lines) - 8
            self.warning.setText(
                tr("警告：积分流水或库存记录被改动或删除，共 {n} 处异常。请联系管理员核查，"
                   "在查明前不要手工修改数据库。", n=len(lines)) + "\n" + "\n".join(lines[:8])
                + (("\n" + tr("…另有 {n} 处", n=more)) if more > 0 else ""))
            self.warning.show()
            self.status.hide()

    def refresh(self) -> None:
        self.verify()
        self.admin_box.setVisible(self.ctx.actor.is_admin)
        entries = self.ctx.read(service.list_entries, None, 500)
        names = {v.id: f"{v.name}（{v.number}）"
                 for v in self.ctx.read(service.list_volunteers, "", 100_000)}
        self.model.set_rows([
            (e.id, _when(e.at), names.get(e.volunteer_id, str(e.volunteer_id)),
             tr(service.KIND_LABELS.get(e.kind, e.kind)), Signed(e.points), e.balance_after,
             e.reason, e.operator) for e in entries], [e.id for e in entries])

    def choose_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("导出报表"), tr("志愿积分报表.xlsx"),
                                              "Excel (*.xlsx)")
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> None:
        """Write every report for the chosen period to ``path`` (XLSX)."""
        from pathlib import Path

        start, end = from_qdate(self.date_from.date()), from_qdate(self.date_to.date())
        try:
            all_reports = self.ctx.read(reports.all_reports, start, end)
            reports.write_xlsx(all_reports, Path(path))
        except (FrontdeskError, OSError) as exc:
            show_error(self, tr("导出失败：{err}", err=getattr(exc, "message", exc)))
            return
        self.page.say(tr("已导出：{path}", path=path))


class SetupTab(QWidget):
    """Teams, service categories and activities with their points rules, and the
    certificate's details: admins add and change them; the desk sees them read-only."""

    def __init__(self, page: VolunteersPage) -> None:
        super().__init__()
        self.page = page
        self.ctx = page.ctx
        self.teams = RowsModel((N_("队伍"), N_("队长"), N_("在册队员"), N_("状态")))
        self.teams_view = _table(self.teams, "teamTable", stretch=0)
        self.categories = RowsModel((N_("服务类别"), N_("每小时积分")))
        self.categories_view = _table(self.categories, "categoryTable", stretch=0)
        self.activities = RowsModel((N_("服务项目"), N_("服务类别"), N_("积分规则"), N_("状态")))
        self.activities_view = _table(self.activities, "activityTable", stretch=2)
        self.notice = QLabel(tr("队伍、服务项目和积分规则由管理员设置；"
                                "需要新增或修改时请联系管理员。"))
        self.notice.setObjectName("setupNotice")
        self.notice.setWordWrap(True)
        self.team_name = QLineEdit()
        self.team_name.setObjectName("teamName")
        self.team_leader = QLineEdit()
        self.team_leader.setObjectName("teamLeader")
        self.team_leader.setPlaceholderText(tr("队长的居民卡号或证件号（可不填）"))
        self.cat_name = QLineEdit()
        self.cat_name.setObjectName("categoryName")
        self.cat_name.setPlaceholderText(tr("例如：助老服务、环境整治"))
        self.cat_rate = QSpinBox()
        self.cat_rate.setObjectName("categoryRate")
        self.cat_rate.setRange(0, 100)
        self.cat_rate.setValue(1)
        self.cat_rate.setSuffix(tr(" 分/小时"))
        self.act_name = QLineEdit()
        self.act_name.setObjectName("activityName")
        self.act_name.setPlaceholderText(tr("例如：助老陪伴、文明劝导"))
        self.act_category = QComboBox()
        self.act_category.setObjectName("activityCategory")
        self.act_fixed = fixed_points_spin("activityFixed")
        self.act_cap = cap_spin("activityCap")
        self.cert_text = QLabel()
        self.cert_text.setObjectName("certificateDetails")
        self.cert_text.setWordWrap(True)

        self.forms = QWidget()
        forms = QVBoxLayout(self.forms)
        forms.setContentsMargins(0, 0, 0, 0)
        cat_box = QGroupBox(tr("① 新增服务类别（按小时计分）"))
        f = QFormLayout(cat_box)
        f.addRow(tr("名称"), self.cat_name)
        f.addRow(tr("每小时积分"), self.cat_rate)
        f.addRow("", _button(tr("新增类别"), "addCategoryButton", self.add_category))
        act_box = QGroupBox(tr("② 新增服务项目（签到时选择）"))
        f = QFormLayout(act_box)
        f.addRow(tr("名称"), self.act_name)
        f.addRow(tr("服务类别"), self.act_category)
        f.addRow(tr("固定积分（每次）"), self.act_fixed)
        f.addRow(tr("每次最多计入"), self.act_cap)
        f.addRow("", _button(tr("新增服务项目"), "addActivityButton", self.add_activity))
        team_box = QGroupBox(tr("新增队伍（可不分队）"))
        f = QFormLayout(team_box)
        f.addRow(tr("名称"), self.team_name)
        f.addRow(tr("队长"), self.team_leader)
        f.addRow("", _button(tr("新增队伍"), "addTeamButton", self.add_team))
        expire = _button(tr("清理过期积分"), "expireButton", self.expire)
        expire.setToolTip(tr("有效期在“设置”中选择；到期积分需在这里执行清理后才会扣除。"))
        for box in (cat_box, act_box, team_box, expire):
            forms.addWidget(box)
        forms.addStretch(1)
        scroll = QScrollArea()  # the forms scroll on a small screen; the lists keep their room
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.forms)
        self.forms_scroll = scroll

        cert_box = QGroupBox(tr("志愿服务证明信息（印在每份证明上）"))
        cert_row = QHBoxLayout(cert_box)
        cert_row.addWidget(self.cert_text, 1)
        self.cert_button = _button(tr("修改证明信息…"), "editCertificateButton",
                                   self.edit_certificate)
        cert_row.addWidget(self.cert_button)

        lists = QVBoxLayout()
        lists.addWidget(self.notice)
        rules_title = QLabel(tr("服务项目与积分规则（{rounding}）",
                                rounding=tr(service.ROUNDING_RULE)))
        rules_title.setWordWrap(True)  # a long rounding rule wraps, never widens the page
        lists.addWidget(rules_title)
        lists.addWidget(self.activities_view, 3)
        self.edit_activity_button = _button(tr("编辑选中服务项目（改规则、停用）"),
                                            "editActivityButton", self.edit_activity)
        self.edit_category_button = _button(tr("编辑选中类别"), "editCategoryButton",
                                            self.edit_category)
        row = QHBoxLayout()
        row.addWidget(self.edit_activity_button)
        row.addStretch(1)
        lists.addLayout(row)
        pair = QHBoxLayout()
        cats = QVBoxLayout()
        cats.addWidget(QLabel(tr("服务类别")))
        cats.addWidget(self.categories_view, 1)
        cats.addWidget(self.edit_category_button)
        teams = QVBoxLayout()
        teams.addWidget(QLabel(tr("志愿服务队")))
        teams.addWidget(self.teams_view, 1)
        self.edit_team_button = _button(tr("编辑选中队伍（改名、换队长、停用）"), "editTeamButton",
                                        self.edit_team)
        teams.addWidget(self.edit_team_button)
        pair.addLayout(cats, 2)
        pair.addLayout(teams, 3)
        lists.addLayout(pair, 2)
        lists.addWidget(cert_box)
        layout = QHBoxLayout(self)
        layout.addLayout(lists, 3)
        layout.addWidget(scroll, 2)

    def refresh(self) -> None:
        teams = self.ctx.read(service.team_details)
        self.teams.set_rows([(t.name, t.leader, t.members, tr("启用") if t.active else tr("已停用"))
                             for t in teams], [t.id for t in teams])
        self._teams = {t.id: t for t in teams}
        acts = self.ctx.read(service.list_activities, include_inactive=True)
        self.activities.set_rows([(a.name, a.category, a.rule_text(),
                                   tr("启用") if a.active else tr("已停用")) for a in acts],
                                 [a.id for a in acts])
        self._activities = {a.id: a for a in acts}
        cats = self.ctx.read(service.list_categories)
        self.categories.set_rows([(name, tr("{n} 分", n=rate)) for _cid, name, rate in cats],
                                 [cid for cid, _name, _rate in cats])
        self._categories = {c[0]: c for c in cats}
        current = self.act_category.currentData()
        self.act_category.clear()
        for cid, name, rate in cats:
            self.act_category.addItem(tr("{name}（每小时 {n} 分）", name=name, n=rate), cid)
        if current is not None and self.act_category.findData(current) >= 0:
            self.act_category.setCurrentIndex(self.act_category.findData(current))
        details = self.ctx.read(setup.certificate_details)
        blank = tr("（未填写）")
        self.cert_text.setText(tr("负责人：{head}　联系电话：{contact}　印章文字：{seal}",
                                  head=details.head or blank, contact=details.contact or blank,
                                  seal=details.seal or tr("（用中心名称）")))
        admin = self.ctx.actor.is_admin
        self.forms_scroll.setVisible(admin)
        for button in (self.edit_team_button, self.edit_activity_button,
                       self.edit_category_button, self.cert_button):
            button.setVisible(admin)
        self.notice.setVisible(not admin)

    def focus_first_needed(self) -> None:
        """The cursor in the first form still needed: a category, then an activity."""
        if self.categories.rowCount() == 0:
            self.cat_name.setFocus()
        else:
            self.act_name.setFocus()

    def edit_team(self) -> None:
        tid = _selected_key(self.teams_view, self.teams)
        if tid is None:
            show_error(self, tr("请先在上方选中一个队伍。"))
            return
        if TeamDialog(self.ctx, self._teams[tid], self).exec():
            self.refresh()

    def edit_category(self) -> None:
        cid = _selected_key(self.categories_view, self.categories)
        if cid is None:
            show_error(self, tr("请先在列表中选中一个服务类别。"))
            return
        if CategoryDialog(self.ctx, self._categories[cid], self).exec():
            self.refresh()

    def edit_activity(self) -> None:
        aid = _selected_key(self.activities_view, self.activities)
        if aid is None:
            show_error(self, tr("请先在列表中选中一个服务项目。"))
            return
        if ActivityDialog(self.ctx, self._activities[aid], self).exec():
            self.refresh()

    def edit_certificate(self) -> None:
        if CertificateDetailsDialog(self.ctx, self).exec():
            self.refresh()

    def add_team(self) -> None:
        from frontdesk.residents.service import resolve_card_or_id

        name, leader = self.team_name.text(), self.team_leader.text().strip()

        def action(session: Any, actor: Any) -> int:
            leader_id = resolve_card_or_id(session, leader).id if leader else None
            return service.create_team(session, actor, name, leader_id)

        if self.page.run(action) is not None:
            self.team_name.clear()
            self.team_leader.clear()
            self.refresh()

    def add_category(self) -> None:
        if self.page.run(service.create_category, self.cat_name.text(),
                         self.cat_rate.value()) is not None:
            self.cat_name.clear()
            self.refresh()
            self.act_name.setFocus()  # the next step: an activity in this category

    def add_activity(self) -> None:
        category = self.act_category.currentData()
        if category is None:
            show_error(self, tr("请先在上面新增一个服务类别（例如“助老服务，每小时 1 分”）。"))
            self.cat_name.setFocus()
            return
        if self.page.run(service.create_activity, self.act_name.text(), category,
                         fixed_points=self.act_fixed.value() or None,
                         cap_hours=self.act_cap.value() or None) is not None:
            self.act_name.clear()
            self.act_fixed.setValue(0)
            self.act_cap.setValue(0)
            self.refresh()

    def expire(self) -> None:
        total = self.page.run(service.expire_points)
        if total is not None:
            self.page.say(tr("已清理过期积分 {n} 分。", n=total))
