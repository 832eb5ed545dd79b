"""文档: every archived document, filterable; reprint (补打) or save any of them as PDF."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from frontdesk.core.clock import to_local
from frontdesk.core.errors import FrontdeskError
from frontdesk.core.i18n import N_, tr
from frontdesk.documents import service as documents
from frontdesk.ui import printing
from frontdesk.ui.context import show_error
from frontdesk.ui.dates import from_qdate, to_qdate
from frontdesk.ui.pages.base import Page

if TYPE_CHECKING:
    from frontdesk.ui.context import DeskContext
    from frontdesk.ui.pages import PageSpec

AnyIndex = QModelIndex | QPersistentModelIndex


class DocumentTableModel(QAbstractTableModel):
    """Archived documents for a table view, newest first."""

    HEADERS = (N_("编号"), N_("业务日期"), N_("标题"), N_("纸张"), N_("操作员"), N_("打印时间"),
               N_("补打次数"))

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[documents.DocumentInfo] = []

    def set_rows(self, rows: list[documents.DocumentInfo]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            values = (str(row.id), row.business_date.isoformat(), row.title,
                      tr(documents.PAPERS.get(row.paper, row.paper)), row.operator,
                      to_local(row.created_at).strftime("%Y-%m-%d %H:%M"),
                      str(row.reprint_count))
            return values[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (0, 6):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(self.HEADERS[section])
        return None


class DocumentsPage(Page):
    """Lists what was printed; reprints (marked 补打) or saves a copy as PDF."""

    topics = ("documents",)

    def __init__(self, ctx: DeskContext, spec: PageSpec) -> None:
        super().__init__(ctx, spec)
        today = to_qdate(ctx.actor.today())  # the desk's business date, by its clock
        self.date_from = QDateEdit(today.addDays(-7))
        self.date_to = QDateEdit(today)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.kind = QComboBox()
        self.kind.setMinimumContentsLength(10)
        self.text = QLineEdit()
        self.text.setPlaceholderText(tr("标题、记录编号或操作员"))
        self.text.returnPressed.connect(self.refresh)
        search = QPushButton(tr("查询"))
        search.clicked.connect(self.refresh)
        filters = QHBoxLayout()
        for label, widget in ((tr("业务日期从"), self.date_from), (tr("到"), self.date_to),
                              (tr("类型"), self.kind)):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addWidget(self.text, 1)
        filters.addWidget(search)

        self.model = DocumentTableModel()
        self.view = QTableView()
        self.view.setObjectName("documentsTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.setAlternatingRowColors(True)
        self.view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.view.doubleClicked.connect(lambda _index: self.reprint())
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)

        self.reprint_button = QPushButton(tr("补打…"))
        self.reprint_button.setObjectName("reprint")
        self.reprint_button.setToolTip(tr("重新打印选中的文档，纸上会印“补打”字样，并记入操作日志。"))
        self.reprint_button.clicked.connect(self.reprint)
        self.save_button = QPushButton(tr("另存为 PDF…"))
        self.save_button.setObjectName("savePdf")
        self.save_button.clicked.connect(self.save_pdf)
        self.count = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.count, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.reprint_button)

        hint = QLabel(
            tr("每次打印的票据、登记表和卡片都会自动存档。选中一份可以补打或另存为 PDF。"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading(tr("文档")))
        layout.addWidget(hint)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    def _load_kinds(self) -> None:
        current = self.kind.currentData()
        self.kind.blockSignals(True)
        self.kind.clear()
        self.kind.addItem(tr("全部"), "")
        for kind in self.ctx.read(documents.document_kinds):
            self.kind.addItem(tr(documents.kind_label(kind)), kind)
        self.kind.setCurrentIndex(max(self.kind.findData(current), 0))
        self.kind.blockSignals(False)

    def refresh(self) -> None:
        self._load_kinds()
        rows = self.ctx.read(
            documents.list_documents,
            date_from=from_qdate(self.date_from.date()),
            date_to=from_qdate(self.date_to.date()),
            kind=self.kind.currentData() or None,
            text=self.text.text().strip() or None,
        )
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        self.view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.count.setText(tr("共 {n} 份（最多显示 500 份）", n=len(rows)))
        self._update_buttons()

    def selected_id(self) -> int | None:
        """The id of the selected document, if any."""
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        return int(self.model.data(rows[0], Qt.ItemDataRole.UserRole))

    def _update_buttons(self) -> None:
        chosen = self.selected_id() is not None
        self.reprint_button.setEnabled(chosen)
        self.save_button.setEnabled(chosen)

    def reprint(self) -> None:
        """Preview and print the selected document as a reprint (补打)."""
        doc_id = self.selected_id()
        if doc_id is not None and printing.print_document(self, self.ctx, doc_id):
            self.say(tr("已补打文档 {id}。", id=doc_id))

    def save_pdf(self) -> None:
        """Save the selected document, as first printed, to a PDF file."""
        doc_id = self.selected_id()
        if doc_id is None:
            return
        try:
            info = self.ctx.read(documents.get_document, doc_id)
            pdf = self.ctx.read(documents.get_document_pdf, doc_id)
        except FrontdeskError as exc:
            show_error(self, exc.message)
            return
        path = printing.save_pdf_as(self, pdf, f"{info.id}-{info.title}")
        if path is not None:
            self.say(tr("已保存到 {path}", path=path))

