"""Dialogs of the volunteers page: edit or stop a volunteer, a team, an item of the shop;
print a volunteer's statement or certificate for a chosen period (and reprint earlier ones)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from frontdesk.core.errors import FrontdeskError
from frontdesk.core.i18n import tr
from frontdesk.documents import service as documents
from frontdesk.ui import printing
from frontdesk.ui.context import show_error
from frontdesk.ui.dates import from_qdate, to_qdate
from frontdesk.volunteers import papers, reports, service, setup, shop

if TYPE_CHECKING:
    from frontdesk.ui.context import DeskContext

RECORD_VOLUNTEER = "volunteer"  # statements and certificates belong to the volunteer


def _buttons(dialog: QDialog, save_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                           | QDialogButtonBox.StandardButton.Cancel)
    box.button(QDialogButtonBox.StandardButton.Save).setText(save_text)
    box.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class _EditDialog(QDialog):
    """A form that saves through the desk context; a refusal keeps the dialog and its input."""

    def __init__(self, ctx: DeskContext, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.form = QFormLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(_buttons(self, tr("保存")))
        self.result_value: Any = None

    def save(self) -> Any:
        """Run the write; None when it was refused (the message was shown)."""
        raise NotImplementedError

    def accept(self) -> None:
        self.result_value = self.save()
        if self.result_value is not None:
            super().accept()


class VolunteerDialog(_EditDialog):
    """Change a volunteer's team and skills; stop or restart them (admins)."""

    def __init__(self, ctx: DeskContext, volunteer: service.VolunteerInfo,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("编辑志愿者 {name}（{number}）", name=volunteer.name,
                                 number=volunteer.number), parent)
        self.volunteer = volunteer
        self.team = QComboBox()
        self.team.setObjectName("editTeam")
        self.team.addItem(tr("（不分队）"), None)
        for tid, name, _leader in ctx.read(service.list_teams):
            self.team.addItem(name, tid)
        index = self.team.findText(volunteer.team) if volunteer.team else 0
        self.team.setCurrentIndex(max(0, index))
        self.skills = QLineEdit(volunteer.skills)
        self.skills.setObjectName("editSkills")
        self.skills.setMaxLength(200)
        self.active = QCheckBox(tr("在册（取消勾选即停用：保留时长和积分，不能再签到和兑换）"))
        self.active.setObjectName("editActive")
        self.active.setChecked(volunteer.active)
        self.active.setEnabled(ctx.actor.is_admin)
        self.form.addRow(tr("志愿服务队"), self.team)
        self.form.addRow(tr("特长"), self.skills)
        self.form.addRow(tr("状态"), self.active)
        if not ctx.actor.is_admin:
            self.form.addRow("", QLabel(tr("停用或恢复志愿者需要管理员。")))

    def save(self) -> Any:
        return self.ctx.attempt(self, service.update_volunteer, self.volunteer.id,
                                team_id=self.team.currentData(), skills=self.skills.text(),
                                active=self.active.isChecked(), topic="volunteers")


class TeamDialog(_EditDialog):
    """Rename a team, change its leader, stop or restart it (admins)."""

    def __init__(self, ctx: DeskContext, team: service.TeamInfo,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("编辑队伍 {name}", name=team.name), parent)
        self.team = team
        self.name = QLineEdit(team.name)
        self.name.setObjectName("editTeamName")
        self.leader = QLineEdit(team.leader_card)
        self.leader.setObjectName("editTeamLeader")
        self.leader.setPlaceholderText(tr("队长的居民卡号或证件号（可不填）"))
        self.active = QCheckBox(tr("启用（停用后不能再选这个队伍，队员保留）"))
        self.active.setObjectName("editTeamActive")
        self.active.setChecked(team.active)
        self.form.addRow(tr("名称"), self.name)
        self.form.addRow(tr("队长"), self.leader)
        self.form.addRow(tr("状态"), self.active)

    def save(self) -> Any:
        from frontdesk.residents.service import resolve_card_or_id

        name, leader, active = self.name.text(), self.leader.text().strip(), self.active.isChecked()

        def action(session: Any, actor: Any) -> service.TeamInfo:
            leader_id = resolve_card_or_id(session, leader).id if leader else None
            return service.update_team(session, actor, self.team.id, name=name,
                                       leader_resident_id=leader_id, active=active)

        return self.ctx.attempt(self, action, topic="volunteers")


class CategoryDialog(_EditDialog):
    """Rename a service category or change its points per hour (admins)."""

    def __init__(self, ctx: DeskContext, category: tuple[int, str, int],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("编辑服务类别 {name}", name=category[1]), parent)
        self.category_id = category[0]
        self.name = QLineEdit(category[1])
        self.name.setObjectName("editCategoryName")
        self.rate = QSpinBox()
        self.rate.setObjectName("editCategoryRate")
        self.rate.setRange(0, 100)
        self.rate.setValue(category[2])
        self.rate.setSuffix(tr(" 分/小时"))
        self.form.addRow(tr("名称"), self.name)
        self.form.addRow(tr("每小时积分"), self.rate)
        note = QLabel(tr("已记录的服务保留原来的积分；新的积分标准从保存后开始计算。"))
        note.setWordWrap(True)
        self.form.addRow("", note)

    def save(self) -> Any:
        return self.ctx.attempt(self, service.update_category, self.category_id,
                                name=self.name.text(), points_per_hour=self.rate.value(),
                                topic="volunteers")


def fixed_points_spin(name: str) -> QSpinBox:
    """Fixed points per record; 0 reads 按小时计 (the category's points per hour)."""
    spin = QSpinBox()
    spin.setObjectName(name)
    spin.setRange(0, 1000)
    spin.setSpecialValueText(tr("按小时计"))
    return spin


def cap_spin(name: str) -> QDoubleSpinBox:
    """The most hours credited per record; 0 reads 不限."""
    spin = QDoubleSpinBox()
    spin.setObjectName(name)
    spin.setRange(0, 24)
    spin.setSingleStep(0.5)
    spin.setDecimals(1)
    spin.setSuffix(tr(" 小时"))
    spin.setSpecialValueText(tr("不限"))
    return spin


class ActivityDialog(_EditDialog):
    """Edit an activity and its points rule, or stop it (admins)."""

    def __init__(self, ctx: DeskContext, activity: service.ActivityInfo,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("编辑服务项目 {name}", name=activity.name), parent)
        self.activity = activity
        self.name = QLineEdit(activity.name)
        self.name.setObjectName("editActivityName")
        self.category = QComboBox()
        self.category.setObjectName("editActivityCategory")
        for cid, name, rate in ctx.read(service.list_categories):
            self.category.addItem(tr("{name}（每小时 {n} 分）", name=name, n=rate), cid)
        self.category.setCurrentIndex(max(0, self.category.findData(activity.category_id)))
        self.fixed = fixed_points_spin("editActivityFixed")
        self.fixed.setValue(activity.fixed_points or 0)
        self.cap = cap_spin("editActivityCap")
        self.cap.setValue((activity.cap_minutes or 0) / 60)
        self.active = QCheckBox(tr("启用（停用后不能再选这个服务项目，已有记录保留）"))
        self.active.setObjectName("editActivityActive")
        self.active.setChecked(activity.active)
        self.form.addRow(tr("名称"), self.name)
        self.form.addRow(tr("服务类别"), self.category)
        self.form.addRow(tr("固定积分（每次）"), self.fixed)
        self.form.addRow(tr("每次最多计入"), self.cap)
        self.form.addRow(tr("状态"), self.active)
        note = QLabel(tr("已记录的服务保留原来的积分；新的规则从保存后开始计算。"))
        note.setWordWrap(True)
        self.form.addRow("", note)

    def save(self) -> Any:
        return self.ctx.attempt(self, service.update_activity, self.activity.id,
                                name=self.name.text(), category_id=self.category.currentData(),
                                fixed_points=self.fixed.value() or None,
                                cap_hours=self.cap.value() or None,
                                active=self.active.isChecked(), topic="volunteers")


class CertificateDetailsDialog(_EditDialog):
    """The centre's details on every 志愿服务证明: 负责人, 联系电话, 印章文字 (admins)."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("志愿服务证明信息"), parent)
        details = ctx.read(setup.certificate_details)
        self.head = QLineEdit(details.head)
        self.head.setObjectName("certificateHead")
        self.head.setPlaceholderText(tr("例如：中心主任的姓名"))
        self.contact = QLineEdit(details.contact)
        self.contact.setObjectName("certificateContact")
        self.contact.setPlaceholderText(tr("例如：0595-88881234"))
        self.seal = QLineEdit(details.seal)
        self.seal.setObjectName("certificateSeal")
        self.seal.setPlaceholderText(tr("公章上的单位名称，例如：某某社区居民委员会"))
        intro = QLabel(tr("这些信息印在每一份志愿服务证明上。印章文字写公章上的单位名称，"
                          "不填则用中心名称。"))
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.form.addRow(tr("负责人"), self.head)
        self.form.addRow(tr("联系电话"), self.contact)
        self.form.addRow(tr("印章文字"), self.seal)
        self.setMinimumWidth(480)

    def save(self) -> Any:
        return self.ctx.attempt(self, setup.set_certificate_details, head=self.head.text(),
                                contact=self.contact.text(), seal=self.seal.text(),
                                topic="volunteers")


class GoodsDialog(_EditDialog):
    """Edit an item of the shop: name, unit, price in points, on the shelf or not (admins)."""

    def __init__(self, ctx: DeskContext, goods: shop.GoodsInfo,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, tr("编辑物品 {name}", name=goods.name), parent)
        self.goods = goods
        self.name = QLineEdit(goods.name)
        self.name.setObjectName("editGoodsName")
        self.unit = QLineEdit(goods.unit)
        self.unit.setObjectName("editGoodsUnit")
        self.unit.setMaxLength(16)
        self.price = QSpinBox()
        self.price.setObjectName("editGoodsPrice")
        self.price.setRange(0, 100_000)
        self.price.setValue(goods.points_price)
        self.price.setSuffix(tr(" 积分"))
        self.active = QCheckBox(tr("上架（取消勾选即下架，库存记录保留）"))
        self.active.setObjectName("editGoodsActive")
        self.active.setChecked(goods.active)
        self.form.addRow(tr("名称"), self.name)
        self.form.addRow(tr("计量单位"), self.unit)
        self.form.addRow(tr("兑换积分"), self.price)
        self.form.addRow(tr("状态"), self.active)
        self.form.addRow("", QLabel(tr("改价只影响以后的兑换；库存请用入库、报损、盘点调整。")))

    def save(self) -> Any:
        return self.ctx.attempt(self, shop.update_goods, self.goods.id, name=self.name.text(),
                                unit=self.unit.text(), points_price=self.price.value(),
                                active=self.active.isChecked(), topic="shop")


class PapersDialog(QDialog):
    """A volunteer's statement (服务明细) and certificate (志愿服务证明) for a chosen period,
    and the ones printed before, to reprint (补打)."""

    def __init__(self, ctx: DeskContext, volunteer: service.VolunteerInfo,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.volunteer = volunteer
        self.setWindowTitle(tr("服务明细与志愿服务证明"))
        self.setMinimumWidth(560)
        who = QLabel(tr("{name}（{number}）", name=volunteer.name, number=volunteer.number))
        who.setWordWrap(True)
        who.setStyleSheet("font-size: 13pt; font-weight: bold;")
        today = to_qdate(ctx.actor.today())
        joined = to_qdate(volunteer.joined_on)
        self.date_from = QDateEdit(max(QDate(today.year(), 1, 1), joined))
        self.date_from.setObjectName("papersFrom")
        self.date_to = QDateEdit(today)
        self.date_to.setObjectName("papersTo")
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setMaximumDate(today)
        period = QHBoxLayout()
        period.addWidget(self.date_from)
        period.addWidget(QLabel(tr("至")))
        period.addWidget(self.date_to)
        period.addStretch(1)
        self.details_warning = QLabel()
        self.details_warning.setObjectName("certificateWarning")
        self.details_warning.setWordWrap(True)
        self.details_warning.setStyleSheet("color: #8a5300;")
        self.details_button = QPushButton(tr("填写证明信息…"))
        self.details_button.setObjectName("fillCertificateDetails")
        self.details_button.clicked.connect(self.fill_details)
        self.full_id = QCheckBox(tr("证明上打印完整证件号码（仅管理员，会记录查看）"))
        self.full_id.setObjectName("papersFullId")
        self.full_id.setVisible(ctx.actor.is_admin)
        self.statement_button = QPushButton(tr("打印服务明细"))
        self.statement_button.setObjectName("printStatement")
        self.statement_button.clicked.connect(self.print_statement)
        self.certificate_button = QPushButton(tr("开具志愿服务证明"))
        self.certificate_button.setObjectName("issueCertificate")
        self.certificate_button.clicked.connect(self.issue_certificate)
        actions = QHBoxLayout()
        actions.addWidget(self.statement_button)
        actions.addWidget(self.certificate_button)
        actions.addStretch(1)
        self.earlier = QListWidget()
        self.earlier.setObjectName("earlierPapers")
        self.earlier.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.earlier.itemDoubleClicked.connect(lambda _item: self.reprint())
        reprint = QPushButton(tr("补打选中"))
        reprint.setObjectName("reprintPaper")
        reprint.clicked.connect(self.reprint)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText(tr("关闭"))
        close.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(tr("期间"), period)
        form.addRow("", self.full_id)
        layout = QVBoxLayout(self)
        layout.addWidget(who)
        layout.addLayout(form)
        layout.addLayout(actions)
        warning_row = QHBoxLayout()
        warning_row.addWidget(self.details_warning, 1)
        warning_row.addWidget(self.details_button)
        layout.addLayout(warning_row)
        layout.addWidget(QLabel(tr("已打印的明细和证明（双击补打）")))
        layout.addWidget(self.earlier, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(reprint)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout.addLayout(bottom)
        self.load_earlier()
        self.show_details_warning()

    def show_details_warning(self) -> None:
        """Say plainly when the certificate would print a blank 负责人 or 联系电话."""
        warning = self.ctx.read(setup.certificate_warning)
        if warning and not self.ctx.actor.is_admin:
            warning += tr("请联系管理员在“志愿积分 → 队伍与服务项目”中填写证明信息。")
        self.details_warning.setText(warning)
        self.details_warning.setVisible(bool(warning))
        self.details_button.setVisible(bool(warning) and self.ctx.actor.is_admin)

    def fill_details(self) -> None:
        if CertificateDetailsDialog(self.ctx, self).exec():
            self.show_details_warning()

    def confirm_blank_details(self) -> bool:
        """Issue with blank details only when the desk says so (No is the default)."""
        warning = self.ctx.read(setup.certificate_warning)
        if not warning:
            return True
        box = QMessageBox(QMessageBox.Icon.Warning, tr("证明信息不完整"),
                          warning + "\n" + tr("仍然开具这份证明吗？"), parent=self)
        yes = box.addButton(tr("仍然开具"), QMessageBox.ButtonRole.AcceptRole)
        no = box.addButton(tr("先不开具"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(no)
        box.exec()
        return box.clickedButton() is yes

    def period(self) -> tuple[dt.date, dt.date]:
        return from_qdate(self.date_from.date()), from_qdate(self.date_to.date())

    def load_earlier(self) -> None:
        docs = self.ctx.read(documents.list_documents, record_type=RECORD_VOLUNTEER,
                             record_id=self.volunteer.id, limit=100)
        self.earlier.clear()
        for d in docs:
            reprinted = tr("，补打 {n} 次", n=d.reprint_count) if d.reprint_count else ""
            item = QListWidgetItem(tr("{date}  {title}{reprinted}",
                                      date=d.business_date.isoformat(), title=d.title,
                                      reprinted=reprinted))
            item.setData(Qt.ItemDataRole.UserRole, d.id)
            self.earlier.addItem(item)

    def print_statement(self) -> None:
        start, end = self.period()
        try:
            st, pdf = self.ctx.read(papers.statement_pdf, self.ctx.actor, self.volunteer.id,
                                    start, end)
        except FrontdeskError as exc:
            show_error(self, exc.message)
            return
        printing.archive_and_print(
            self, self.ctx, kind=papers.KIND_STATEMENT, title=papers.statement_title(st),
            paper=documents.PAPER_A4, pdf=pdf, record_type=RECORD_VOLUNTEER,
            record_id=self.volunteer.id)
        self.load_earlier()

    def issue_certificate(self) -> None:
        start, end = self.period()
        if not self.confirm_blank_details():
            return
        cert = self.ctx.attempt(self, reports.issue_certificate, self.volunteer.id, start, end,
                                full_id=self.full_id.isChecked(), topic="volunteers")
        if cert is None:
            return
        # The certificate's number is taken and committed; printing may fail without losing it.
        try:
            pdf = self.ctx.read(papers.certificate_pdf, self.ctx.actor, cert)
        except Exception as exc:
            show_error(self, tr("证明 {number} 已登记，但生成 PDF 失败：{err}",
                                number=cert.number, err=exc))
            return
        printing.archive_and_print(
            self, self.ctx, kind=papers.KIND_CERTIFICATE, title=papers.certificate_title(cert),
            paper=documents.PAPER_A4, pdf=pdf, record_type=RECORD_VOLUNTEER,
            record_id=self.volunteer.id)
        self.load_earlier()

    def reprint(self) -> None:
        item = self.earlier.currentItem()
        if item is None:
            show_error(self, tr("请先选中一份已打印的文档。"))
            return
        printing.print_document(self, self.ctx, int(item.data(Qt.ItemDataRole.UserRole)))
        self.load_earlier()
