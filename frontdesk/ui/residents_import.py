"""导入居民: choose a file, check the column mapping, preview, import with progress."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.core.errors import FrontdeskError
from frontdesk.core.i18n import tr
from frontdesk.residents import importer

if TYPE_CHECKING:
    from frontdesk.ui.context import DeskContext

PREVIEW_ROWS = 30


class ImportDialog(QDialog):
    """Import residents from XLSX/CSV. Nothing is written until 开始导入."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.table: importer.RawTable | None = None
        self.outcome: importer.ImportOutcome | None = None
        self.setWindowTitle(tr("导入居民"))
        self.resize(1000, 680)
        self.file_label = QLabel(tr("请选择 XLSX 或 CSV 文件（CSV 可为 UTF-8 或 GBK 编码）。"))
        self.file_label.setWordWrap(True)
        choose = QPushButton(tr("选择文件…"))
        choose.setObjectName("chooseFile")
        choose.clicked.connect(self.choose_file)
        self.mapping_box = QGroupBox(tr("列对应（第一行表头）"))
        self.mapping_form = QFormLayout(self.mapping_box)
        self.combos: dict[str, QComboBox] = {}
        for name, label, _ in importer.FIELDS:
            combo = QComboBox()
            combo.setObjectName(f"map_{name}")
            combo.currentIndexChanged.connect(lambda _i: self.preview())
            self.combos[name] = combo
            self.mapping_form.addRow(tr(label), combo)
        mapping_scroll = QScrollArea()
        mapping_scroll.setWidgetResizable(True)
        mapping_scroll.setWidget(self.mapping_box)
        mapping_scroll.setFixedWidth(380)
        self.preview_table = QTableWidget()
        self.preview_table.setObjectName("importPreview")
        self.preview_table.verticalHeader().setVisible(False)
        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.update_box = QCheckBox(tr("证件号码已登记的，用文件中的信息更新已有档案"))
        self.update_box.setObjectName("importUpdate")
        self.update_box.toggled.connect(lambda _on: self.preview())
        self.import_button = QPushButton(tr("开始导入"))
        self.import_button.setObjectName("runImport")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.run_import)
        self.report_button = QPushButton(tr("保存未导入行报告…"))
        self.report_button.setObjectName("saveReport")
        self.report_button.setEnabled(False)
        self.report_button.clicked.connect(self.save_report)
        close = QPushButton(tr("关闭"))
        close.clicked.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(choose)
        middle = QHBoxLayout()
        middle.addWidget(mapping_scroll)
        right = QVBoxLayout()
        hint = tr("预览（前 {n} 行；“检查结果”列说明该行会怎样处理）", n=PREVIEW_ROWS)
        right.addWidget(QLabel(hint))
        right.addWidget(self.preview_table, 1)
        middle.addLayout(right, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.update_box)
        bottom.addStretch(1)
        bottom.addWidget(self.report_button)
        bottom.addWidget(self.import_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addWidget(self.summary)
        layout.addLayout(bottom)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("选择要导入的文件"), "",
                                              tr("表格 (*.xlsx *.csv);;所有文件 (*)"))
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> bool:
        """Read ``path`` and guess the mapping; a refusal is shown and nothing changes."""
        try:
            table = importer.read_table(path)
        except FrontdeskError as exc:
            self.summary.setText(exc.message)
            return False
        self.table = table
        self.outcome = None
        self.report_button.setEnabled(False)
        self.file_label.setText(tr("文件：{name}（{enc}，{n} 行数据）", name=path.name,
                                   enc=table.encoding, n=len(table.rows)))
        guess = importer.guess_mapping(table.headers)
        for name, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(tr("（不导入）"), -1)
            for i, header in enumerate(table.headers):
                combo.addItem(tr("第 {n} 列：{h}", n=i + 1, h=header or "—"), i)
            combo.setCurrentIndex(guess.get(name, -1) + 1)
            combo.blockSignals(False)
        self.preview()
        return True

    def mapping(self) -> dict[str, int]:
        """The mapping as chosen in the combo boxes."""
        return {name: int(combo.currentData()) for name, combo in self.combos.items()
                if combo.currentData() is not None and int(combo.currentData()) >= 0}

    def preview(self) -> None:
        """Check the whole file without writing; show the first rows and the totals."""
        if self.table is None:
            return
        mapping = self.mapping()
        fields = [name for name, _, _ in importer.FIELDS if name in mapping]
        rows = self.table.rows[:PREVIEW_ROWS]
        self.preview_table.clear()
        self.preview_table.setColumnCount(len(fields) + 2)
        self.preview_table.setRowCount(len(rows))
        # The verdict beside the row number, where it is seen without scrolling sideways.
        self.preview_table.setHorizontalHeaderLabels(
            [tr("行号"), tr("检查结果")] + [tr(importer.FIELD_LABELS[f]) for f in fields])
        try:
            outcome = self.ctx.run(importer.import_residents, self.table, mapping,
                                   update=self.update_box.isChecked(), dry_run=True)
        except FrontdeskError as exc:
            self.summary.setText(exc.message)
            self.import_button.setEnabled(False)
            return
        reasons = dict(outcome.rejected)
        for r, (row_no, cells) in enumerate(rows):
            self.preview_table.setItem(r, 0, QTableWidgetItem(str(row_no)))
            for c, name in enumerate(fields, start=2):
                i = mapping[name]
                self.preview_table.setItem(r, c, QTableWidgetItem(cells[i] if i < len(cells)
                                                                  else ""))
            verdict = QTableWidgetItem(reasons.get(row_no, tr("可以导入")))
            verdict.setToolTip(verdict.text())
            if row_no in reasons:
                verdict.setForeground(Qt.GlobalColor.red)
            self.preview_table.setItem(r, 1, verdict)
        self.preview_table.resizeColumnsToContents()
        if self.preview_table.columnWidth(1) > 320:  # long reasons: the tooltip has them all
            self.preview_table.setColumnWidth(1, 320)
        self.summary.setText(tr("检查结果：将新建 {c} 人，更新 {u} 人，{r} 行不能导入。",
                                c=outcome.created, u=outcome.updated, r=len(outcome.rejected)))
        self.import_button.setEnabled(outcome.created + outcome.updated > 0)
        self.outcome = outcome
        self.report_button.setEnabled(bool(outcome.rejected))

    def run_import(self) -> None:
        """Import in one transaction, with a progress bar; all or nothing."""
        if self.table is None:
            return
        progress = QProgressDialog(tr("正在导入…"), "", 0, len(self.table.rows), self)
        progress.setWindowTitle(tr("导入居民"))
        progress.setCancelButton(None)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)

        def step(done: int, total: int) -> None:
            progress.setMaximum(total)
            progress.setValue(done)
            progress.setLabelText(tr("正在导入… {done}/{total}", done=done, total=total))
            QApplication.processEvents()

        try:
            outcome = self.ctx.run(importer.import_residents, self.table, self.mapping(),
                                   update=self.update_box.isChecked(), progress=step,
                                   topic="residents")
        except FrontdeskError as exc:
            self.summary.setText(tr("导入失败，没有写入任何数据：{m}", m=exc.message))
            return
        finally:
            progress.close()
        self.outcome = outcome
        self.summary.setText(tr("导入完成：新建 {c} 人，更新 {u} 人，{r} 行未导入。",
                                c=outcome.created, u=outcome.updated, r=len(outcome.rejected)))
        self.import_button.setEnabled(False)
        self.report_button.setEnabled(bool(outcome.rejected))

    def save_report(self) -> None:
        if self.outcome is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, tr("保存报告"), "import-report.csv",
                                              "CSV (*.csv)")
        if path:
            try:
                importer.write_report(self.outcome, Path(path))
            except FrontdeskError as exc:
                self.summary.setText(exc.message)
