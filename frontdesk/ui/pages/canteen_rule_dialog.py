"""The dialog where an admin writes a subsidy rule; refusals keep every field and say why."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from frontdesk.canteen import service as svc
from frontdesk.canteen.models import MEAL_TYPES
from frontdesk.canteen.subsidy import HUKOU_LABELS
from frontdesk.core.errors import FrontdeskError, RuleError
from frontdesk.core.i18n import tr
from frontdesk.core.money import format_yuan, parse_yuan
from frontdesk.ui.dates import to_qdate
from frontdesk.ui.widgets.labels import error_label

if TYPE_CHECKING:
    from frontdesk.ui.context import DeskContext


class RuleDialog(QDialog):
    """新增补助规则 / 修改补助规则: conditions, dates, priority, and what each funder pays."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None,
                 existing: svc.RuleInfo | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.existing = existing
        self.setWindowTitle(tr("修改补助规则") if existing else tr("新增补助规则"))
        self.setMinimumWidth(560)
        today = ctx.actor.today()
        self.name = QLineEdit()
        self.name.setObjectName("ruleName")
        self.name.setPlaceholderText(tr("例如：高龄老人（80岁以上）"))
        self.priority = QSpinBox()
        self.priority.setRange(1, svc.PRIORITY_MAX)
        self.priority.setValue(ctx.read(svc.next_priority))
        self.start = QDateEdit(to_qdate(today))
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("yyyy-MM-dd")
        self.has_end = QCheckBox(tr("有结束日期"))
        self.end = QDateEdit(to_qdate(today.replace(month=12, day=31)))
        self.end.setCalendarPopup(True)
        self.end.setDisplayFormat("yyyy-MM-dd")
        self.min_age = QLineEdit()
        self.max_age = QLineEdit()
        for w in (self.min_age, self.max_age):
            w.setPlaceholderText(tr("不限"))
        self.tags = QLineEdit()
        self.tags.setPlaceholderText(tr("任一即可，用顿号分隔：低保、特困"))
        self.hukou = QComboBox()
        self.hukou.addItem(tr("不限"), None)
        for code, label in HUKOU_LABELS.items():
            self.hukou.addItem(tr(label), code)
        self.types = {code: QCheckBox(tr(label)) for code, label in MEAL_TYPES.items()}
        self.min_price = QLineEdit()
        self.min_price.setPlaceholderText(tr("不限"))
        self.session_combo = QComboBox()
        self.session_combo.addItem(tr("所有餐次"), None)
        for s in ctx.read(svc.list_sessions, today):
            self.session_combo.addItem(s.name, s.id)
        # the funders in use, and (on edit) any retired one the rule still names
        named = set() if existing is None else {s.funder_id for s in existing.spec.shares}
        self.funders = [f for f in ctx.read(svc.list_funders, include_inactive=True)
                        if f.active or f.id in named]
        self.amounts = {f.id: QLineEdit("0") for f in self.funders}
        for f in self.funders:
            self.amounts[f.id].setObjectName(f"amount_{f.id}")
        self.rest = QComboBox()
        for f in self.funders:
            self.rest.addItem(f.name, f.id)
        self.rest.setCurrentIndex(next((i for i, f in enumerate(self.funders) if f.is_self), 0))

        form = QFormLayout()
        form.addRow(tr("规则名称"), self.name)
        form.addRow(tr("优先级（数字小的先用）"), self.priority)
        dates = QHBoxLayout()
        dates.addWidget(self.start)
        dates.addWidget(self.has_end)
        dates.addWidget(self.end)
        form.addRow(tr("有效期"), dates)
        ages = QHBoxLayout()
        ages.addWidget(self.min_age)
        ages.addWidget(QLabel(tr("至")))
        ages.addWidget(self.max_age)
        ages.addWidget(QLabel(tr("岁（按就餐日期计算）")))
        form.addRow(tr("年龄"), ages)
        form.addRow(tr("标签"), self.tags)
        form.addRow(tr("户籍"), self.hukou)
        types = QHBoxLayout()
        for box in self.types.values():
            types.addWidget(box)
        form.addRow(tr("就餐类型（都不选为不限）"), types)
        form.addRow(tr("餐次"), self.session_combo)
        form.addRow(tr("餐价至少（元）"), self.min_price)
        for f in self.funders:
            form.addRow(tr("{name} 固定承担（元）", name=f.name), self.amounts[f.id])
        form.addRow(tr("其余部分由谁承担"), self.rest)
        self.message = error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("保存规则"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        if existing is not None:
            self.load(existing.spec)
        if not any(not f.is_self for f in self.funders):
            self.message.setText(tr("还没有资助方：请先在“资助方…”中添加政府补助、村级等，"
                                    "再写补助规则。"))

    def load(self, spec: svc.RuleSpec) -> None:
        """Fill the form with a rule to edit."""
        self.name.setText(spec.name)
        self.priority.setValue(spec.priority)
        self.start.setDate(to_qdate(spec.effective_from))
        self.has_end.setChecked(spec.effective_to is not None)
        if spec.effective_to is not None:
            self.end.setDate(to_qdate(spec.effective_to))
        self.min_age.setText("" if spec.min_age is None else str(spec.min_age))
        self.max_age.setText("" if spec.max_age is None else str(spec.max_age))
        self.tags.setText("、".join(sorted(spec.tags)))
        self.hukou.setCurrentIndex(max(0, self.hukou.findData(spec.hukou)))
        for code, box in self.types.items():
            box.setChecked(code in spec.meal_types)
        self.session_combo.setCurrentIndex(max(0, self.session_combo.findData(spec.session_id)))
        self.min_price.setText("" if spec.min_price_fen is None
                               else format_yuan(spec.min_price_fen))
        for s in spec.shares:
            if s.is_rest:
                self.rest.setCurrentIndex(max(0, self.rest.findData(s.funder_id)))
            elif s.funder_id in self.amounts:
                self.amounts[s.funder_id].setText(format_yuan(s.amount_fen))

    @staticmethod
    def _age(text: str) -> int | None:
        text = text.strip()
        if not text:
            return None
        if not text.isdigit():
            raise RuleError(tr("年龄要填整数，不限请留空。"))
        return int(text)

    def form(self) -> svc.RuleForm:
        """What was typed, as a RuleForm (RuleError for what cannot be read)."""
        rest_id = self.rest.currentData()
        shares = [(f.id, parse_yuan(self.amounts[f.id].text() or "0"), False)
                  for f in self.funders if f.id != rest_id]
        shares = [s for s in shares if s[1]] + [(rest_id, 0, True)]
        start = self.start.date().toPython()
        end = self.end.date().toPython() if self.has_end.isChecked() else None
        assert isinstance(start, dt.date)
        min_price = self.min_price.text().strip()
        tags = tuple(t.strip() for t in self.tags.text().replace("，", "、").replace(
            ",", "、").split("、") if t.strip())
        return svc.RuleForm(
            self.name.text(), self.priority.value(), start,
            end if isinstance(end, dt.date) else None, tuple(shares),
            min_age=self._age(self.min_age.text()), max_age=self._age(self.max_age.text()),
            tags=tags, hukou=self.hukou.currentData(),
            meal_types=tuple(c for c, box in self.types.items() if box.isChecked()),
            session_id=self.session_combo.currentData(),
            min_price_fen=parse_yuan(min_price) if min_price else None)

    def submit(self) -> None:
        try:
            form = self.form()
            self.ctx.run(svc.save_rule, form,
                         None if self.existing is None else self.existing.id, topic="canteen")
        except FrontdeskError as exc:
            self.message.setText(exc.message)
            self.adjustSize()  # room for the wrapped message: nothing clipped
            return
        self.accept()
