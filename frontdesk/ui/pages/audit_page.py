"""操作日志: the audit trail, filterable (admins only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from frontdesk.core import audit
from frontdesk.core.audit_labels import action_label, entity_label
from frontdesk.core.clock import to_local
from frontdesk.core.i18n import N_, tr
from frontdesk.ui.dates import from_qdate, to_qdate
from frontdesk.ui.pages.base import Page

if TYPE_CHECKING:
    from frontdesk.ui.context import DeskContext
    from frontdesk.ui.pages import PageSpec

AnyIndex = QModelIndex | QPersistentModelIndex


class AuditTableModel(QAbstractTableModel):
    """Audit rows for a table view."""

    HEADERS = (N_("时间"), N_("操作员"), N_("操作"), N_("对象"), N_("编号"), N_("内容"))

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[audit.AuditRow] = []

    def set_rows(self, rows: list[audit.AuditRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self.rows[index.row()]
        values = (to_local(row.at).strftime("%Y-%m-%d %H:%M:%S"), row.operator,
                  action_label(row.action), entity_label(row.entity), row.entity_id or "",
                  row.summary)
        return values[index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(self.HEADERS[section])
        return None


class AuditPage(Page):
    """Lists who did what and when, newest first."""

    topics = ("settings", "operators")

    def __init__(self, ctx: DeskContext, spec: PageSpec) -> None:
        super().__init__(ctx, spec)
        today = to_qdate(ctx.actor.today())  # the desk's clock, not the PC's
        self.date_from = QDateEdit(today.addDays(-30))
        self.date_to = QDateEdit(today)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.operator = QComboBox()
        self.action = QComboBox()
        self.text = QLineEdit()
        self.text.setPlaceholderText(tr("搜索内容"))
        self.text.returnPressed.connect(self.refresh)
        search = QPushButton(tr("查询"))
        search.clicked.connect(self.refresh)
        filters = QHBoxLayout()
        for label, widget in ((tr("从"), self.date_from), (tr("到"), self.date_to),
                              (tr("操作员"), self.operator), (tr("操作"), self.action)):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addWidget(self.text, 1)
        filters.addWidget(search)
        self.model = AuditTableModel()
        self.view = QTableView()
        self.view.setObjectName("auditTable")
        self.view.setModel(self.model)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.verticalHeader().setVisible(False)
        self.view.setAlternatingRowColors(True)
        self.notice = self.admin_only_notice()
        self.count = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading(tr("操作日志")))
        layout.addWidget(self.notice)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count)
        self._filters_loaded = False

    def _load_filter_choices(self) -> None:
        from frontdesk.core.operators import list_operators

        self.operator.clear()
        self.operator.addItem(tr("全部"), "")
        for op in self.ctx.read(list_operators):
            self.operator.addItem(f"{op.display_name}（{op.username}）", op.username)
        self.operator.addItem(tr("系统"), "system")
        self.action.clear()
        self.action.addItem(tr("全部"), "")
        labelled = sorted((action_label(a), a) for a in self.ctx.read(audit.audit_actions))
        for label, action in labelled:  # the words on screen, the key behind them
            self.action.addItem(label, action)
        self._filters_loaded = True

    def refresh(self) -> None:
        admin = self.ctx.actor.is_admin
        self.notice.setVisible(not admin)
        self.view.setVisible(admin)
        if not admin:
            self.model.set_rows([])
            return
        if not self._filters_loaded:
            self._load_filter_choices()
        rows = self.ctx.read(
            audit.query_audit,
            date_from=from_qdate(self.date_from.date()),
            date_to=from_qdate(self.date_to.date()),
            operator=self.operator.currentData() or None,
            action=self.action.currentData() or None,
            text=self.text.text().strip() or None,
        )
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        self.count.setText(tr("共 {n} 条（最多显示 500 条）", n=len(rows)))

