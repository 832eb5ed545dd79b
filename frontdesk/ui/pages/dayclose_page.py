"""日结与导出: the day's summary, warnings, cash count, close / reopen, export and print-all."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from frontdesk.core.clock import to_local
from frontdesk.core.errors import FrontdeskError, RuleError
from frontdesk.core.i18n import N_, tr
from frontdesk.core.money import format_yuan, parse_yuan
from frontdesk.dayclose import service
from frontdesk.dayclose.registry import DayWarning
from frontdesk.dayclose.summary import NOTHING, state_text
from frontdesk.documents import service as documents
from frontdesk.ui import printing
from frontdesk.ui.context import show_error
from frontdesk.ui.dates import from_qdate, to_qdate
from frontdesk.ui.pages.base import Page

if TYPE_CHECKING:
    from frontdesk.ui.context import DeskContext
    from frontdesk.ui.pages import PageSpec

BANNER_STYLES = {
    service.STATE_OPEN: "background: #fff4d6; color: #7a5200; border: 1px solid #e0b44c;",
    service.STATE_CLOSED: "background: #e3f4e6; color: #1f6b2c; border: 1px solid #7cc08a;",
    service.STATE_REOPENED: "background: #fde2e0; color: #9b1c13; border: 1px solid #e07a70;",
}
EVENT_NAMES = {"close": N_("日结"), "reopen": N_("重新开放"), "export": N_("导出")}


class DayClosePage(Page):
    """Close a business date: check the summary, resolve warnings, count cash, lock, export."""

    topics = ("dayclose", "checkin", "canteen", "rooms", "volunteers")

    def __init__(self, ctx: DeskContext, spec: PageSpec) -> None:
        super().__init__(ctx, spec)
        self.view: service.DayCloseView | None = None

        self.date = QDateEdit(to_qdate(ctx.actor.today()))
        self.date.setObjectName("dayDate")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setMaximumDate(to_qdate(ctx.actor.today()))
        self.date.dateChanged.connect(lambda _d: self.refresh())
        self.banner = QLabel()
        self.banner.setObjectName("stateBanner")
        self.banner.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.heading(tr(spec.title)))
        top.addSpacing(16)
        top.addWidget(QLabel(tr("营业日期")))
        top.addWidget(self.date)
        top.addWidget(self.banner, 1)

        # Left: the day's summary.
        self.summary = QTreeWidget()
        self.summary.setObjectName("summaryTree")
        self.summary.setColumnCount(2)
        self.summary.setHeaderLabels([tr("项目"), tr("数值")])
        self.summary.setRootIsDecorated(False)
        # The item column takes what is left, so the figures are never scrolled out of view.
        header = self.summary.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        summary_box = QGroupBox(tr("当日汇总"))
        QVBoxLayout(summary_box).addWidget(self.summary)

        # Right: warnings, cash, close/reopen, export, print.
        self.warnings = QListWidget()
        self.warnings.setObjectName("warningList")
        self.warnings.setWordWrap(True)
        self.warnings.setMinimumHeight(70)
        self.warnings.setMaximumHeight(110)
        # The title stays short (a group box title cannot wrap and would widen the column);
        # the how-to goes in a wrapping line under it.
        warn_box = QGroupBox(tr("日结前的提醒"))
        warn_hint = QLabel(tr("能处理的先处理；确实无法处理的勾选“已知悉”。"))
        warn_hint.setWordWrap(True)
        warn_layout = QVBoxLayout(warn_box)
        warn_layout.addWidget(warn_hint)
        warn_layout.addWidget(self.warnings)

        self.cash_edits: dict[str, QLineEdit] = {}
        self.cash_expected: dict[str, QLabel] = {}
        self.cash_diff: dict[str, QLabel] = {}
        cash_grid = QGridLayout()
        for col, text in enumerate((tr("收款方式"), tr("票据应收（元）"), tr("实点（元）"),
                                    tr("差额（元）"))):
            head = QLabel(text)
            head.setWordWrap(True)  # English headings are long: wrap, do not widen the page
            head.setStyleSheet("font-weight: bold;")
            cash_grid.addWidget(head, 0, col)
        from frontdesk.dayclose import format as fmt

        for row, (method, label) in enumerate(fmt.PAYMENT_METHODS.items(), start=1):
            edit = QLineEdit()
            edit.setObjectName(f"cash_{method}")
            edit.setPlaceholderText(tr("必填") if method == "cash" else tr("选填"))
            edit.setMaximumWidth(160)
            edit.textChanged.connect(lambda _t: self._update_cash())
            self.cash_edits[method] = edit
            self.cash_expected[method] = QLabel()
            self.cash_diff[method] = QLabel()
            cash_grid.addWidget(QLabel(tr(label)), row, 0)
            cash_grid.addWidget(self.cash_expected[method], row, 1)
            cash_grid.addWidget(edit, row, 2)
            cash_grid.addWidget(self.cash_diff[method], row, 3)
        cash_box = QGroupBox(tr("清点钱箱"))
        cash_box.setLayout(cash_grid)

        self.close_button = QPushButton(tr("关闭当日（日结）"))
        self.close_button.setObjectName("closeDay")
        self.close_button.setStyleSheet("font-weight: bold; padding: 6px 14px;")
        self.close_button.clicked.connect(self.close_day)
        self.reopen_button = QPushButton(tr("重新开放…"))
        self.reopen_button.setObjectName("reopenDay")
        self.reopen_button.clicked.connect(self.reopen_day)
        self.print_button = QPushButton(tr("打印/保存当日全部表格…"))
        self.print_button.setObjectName("printAll")
        self.print_button.clicked.connect(self.print_all)
        actions = QGridLayout()  # two rows, so the column fits a 1024-pixel screen in English
        actions.addWidget(self.close_button, 0, 0)
        actions.addWidget(self.reopen_button, 0, 1)
        actions.addWidget(self.print_button, 1, 0, 1, 2)
        actions.setColumnStretch(2, 1)

        self.export_from = QDateEdit()
        self.export_to = QDateEdit()
        for date_edit in (self.export_from, self.export_to):
            date_edit.setCalendarPopup(True)
            date_edit.setDisplayFormat("yyyy-MM-dd")
        self.export_from.setObjectName("exportFrom")
        self.export_to.setObjectName("exportTo")
        self.folder = QLineEdit()
        self.folder.setObjectName("exportFolder")
        self.folder.setPlaceholderText(tr("选择 U 盘或文件夹"))
        choose = QPushButton(tr("选择…"))
        choose.clicked.connect(self.choose_folder)
        self.draft = QCheckBox(tr("未日结的日期导出为草稿"))
        self.draft.setObjectName("exportDraft")
        self.export_button = QPushButton(tr("导出数据包"))
        self.export_button.setObjectName("exportButton")
        self.export_button.clicked.connect(self.export)
        self.progress = QProgressBar()
        self.progress.setObjectName("exportProgress")
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress_text = QLabel()
        self.progress_text.setWordWrap(True)
        export_box = QGroupBox(tr("导出给镇/街道（每天一个 ZIP 数据包）"))
        form = QFormLayout(export_box)
        dates = QHBoxLayout()
        dates.addWidget(self.export_from)
        dates.addWidget(QLabel(tr("至")))
        dates.addWidget(self.export_to)
        dates.addStretch(1)
        form.addRow(tr("日期"), dates)
        where = QHBoxLayout()
        where.addWidget(self.folder, 1)
        where.addWidget(choose)
        form.addRow(tr("导出到"), where)
        form.addRow(self.draft)
        run = QHBoxLayout()
        run.addStretch(1)
        run.addWidget(self.export_button)
        form.addRow(run)
        form.addRow(self.progress)
        form.addRow(self.progress_text)

        self.history = QLabel()
        self.history.setObjectName("dayHistory")
        self.history.setWordWrap(True)
        self.history.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        history_box = QGroupBox(tr("这一天的记录"))
        QVBoxLayout(history_box).addWidget(self.history)

        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        right_column.addWidget(warn_box)
        right_column.addWidget(cash_box)
        right_column.addLayout(actions)
        right_column.addWidget(export_box)
        right_column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(right)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        left_column = QVBoxLayout()
        left_column.addWidget(summary_box, 3)
        left_column.addWidget(history_box, 1)
        body = QHBoxLayout()
        body.addLayout(left_column, 2)
        body.addWidget(scroll, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        self._set_export_dates()

    # -- reading -------------------------------------------------------------------------
    def day(self) -> dt.date:
        """The business date on screen."""
        return from_qdate(self.date.date())

    def _set_export_dates(self) -> None:
        self.export_from.setDate(self.date.date())
        self.export_to.setDate(self.date.date())

    def refresh(self) -> None:
        """Reload the chosen date's summary, state, warnings and history."""
        self.date.setMaximumDate(to_qdate(self.ctx.actor.today()))
        try:
            self.view = self.ctx.read(service.day_close_view, self.day())
        except FrontdeskError as exc:
            show_error(self, exc.message)
            return
        self._set_export_dates()
        view = self.view
        overview = view.overview
        self._show_banner(overview)
        self.summary.clear()
        for section in view.sections:
            head = QTreeWidgetItem([section.title, "" if section.lines else NOTHING])
            font = head.font(0)
            font.setBold(True)
            head.setFont(0, font)
            self.summary.addTopLevelItem(head)
            for label, value in section.lines:
                item = QTreeWidgetItem([label, value])
                item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight
                                      | Qt.AlignmentFlag.AlignVCenter)
                self.summary.addTopLevelItem(item)
        cash_head = QTreeWidgetItem([tr("钱箱（票据应收）"), ""])
        font = cash_head.font(0)
        font.setBold(True)
        cash_head.setFont(0, font)
        self.summary.addTopLevelItem(cash_head)
        for line in view.cash:
            item = QTreeWidgetItem([line.label, tr("{amount} 元", amount=format_yuan(
                line.expected_fen))])
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.summary.addTopLevelItem(item)
        closed = overview.state == service.STATE_CLOSED
        for line in view.cash:
            self.cash_expected[line.method].setText(format_yuan(line.expected_fen))
            edit = self.cash_edits[line.method]
            edit.setReadOnly(closed)
            if closed:
                counted = overview.counted_cash.get(line.method)
                edit.setText("" if counted is None else format_yuan(counted))
        self.close_button.setEnabled(not closed)
        self.reopen_button.setEnabled(closed and self.ctx.actor.is_admin)
        self.reopen_button.setToolTip("" if self.ctx.actor.is_admin
                                      else tr("只有管理员可以重新开放已日结的一天。"))
        self.export_button.setText(tr("导出数据包") if closed else tr("导出草稿"))
        self.draft.setChecked(not closed)
        self._update_cash()
        self._show_history(overview)

    def _show_banner(self, overview: service.DayOverview) -> None:
        state = overview.state
        text = state_text(state, overview.closed_by, overview.closed_at)
        if state == service.STATE_CLOSED:
            text += tr("；当天记录已锁定。") + (tr("尚未导出。") if overview.needs_export
                                          else tr("已导出。"))
        elif state == service.STATE_OPEN:
            text += tr("：当天记录还可以修改；现在导出的数据包是草稿。")
        self.banner.setText(text)
        self.banner.setProperty("state", state)
        self.banner.setStyleSheet(f"QLabel {{ {BANNER_STYLES[state]} padding: 6px 10px;"
                                  " font-size: 12pt; font-weight: bold; }")

    def _show_history(self, overview: service.DayOverview) -> None:
        lines = []
        for event in overview.history:
            when = to_local(event.at).strftime("%Y-%m-%d %H:%M")
            what = tr(EVENT_NAMES.get(event.kind, event.kind))
            reason = tr("（原因：{reason}）", reason=event.reason) if event.reason else ""
            lines.append(f"{when}　{what}　{event.operator}{reason}")
        self.history.setText("\n".join(lines) or tr("还没有日结或导出记录。"))

    # -- cash and warnings ---------------------------------------------------------------
    def counted_cash(self) -> dict[str, int]:
        """The counted amounts entered, in fen (RuleError for an amount that is not money)."""
        counted = {}
        for method, edit in self.cash_edits.items():
            if edit.text().strip():
                counted[method] = parse_yuan(edit.text())
        return counted

    def _update_cash(self) -> None:
        """Show each difference and refresh the warning list (cash gaps follow the input)."""
        if self.view is None:
            return
        expected = {line.method: line.expected_fen for line in self.view.cash}
        for method, edit in self.cash_edits.items():
            label = self.cash_diff[method]
            try:
                got = parse_yuan(edit.text()) if edit.text().strip() else None
            except RuleError:
                label.setText(tr("金额格式不对"))
                label.setStyleSheet("color: #b00020;")
                continue
            if got is None:
                label.setText("")
                continue
            diff = got - expected.get(method, 0)
            label.setText(format_yuan(diff))
            label.setStyleSheet("color: #1f6b2c;" if diff == 0 else "color: #b00020; "
                                "font-weight: bold;")
        self._fill_warnings()

    def current_warnings(self) -> list[DayWarning]:
        """The features' warnings plus the cash box's, for what is entered now."""
        if self.view is None:
            return []
        expected = {line.method: line.expected_fen for line in self.view.cash}
        try:
            counted = self.counted_cash()
        except RuleError:
            counted = {}
        cash = service.cash_warnings(expected, counted)
        return [*self.view.overview.warnings, *cash]

    def _fill_warnings(self) -> None:
        checked = self.acknowledged()
        self.warnings.clear()
        if self.view is not None and self.view.overview.state == service.STATE_CLOSED:
            QListWidgetItem(tr("这一天已日结。"), self.warnings)
            return
        found = self.current_warnings()
        for warning in found:
            item = QListWidgetItem(tr("已知悉：{message}", message=warning.message),
                                   self.warnings)
            item.setData(Qt.ItemDataRole.UserRole, warning.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if warning.code in checked
                               else Qt.CheckState.Unchecked)
        if not found:
            QListWidgetItem(tr("没有需要处理的提醒。"), self.warnings)

    def acknowledged(self) -> set[str]:
        """Codes of the warnings ticked as acknowledged."""
        codes = set()
        for i in range(self.warnings.count()):
            item = self.warnings.item(i)
            code = item.data(Qt.ItemDataRole.UserRole)
            if code and item.checkState() == Qt.CheckState.Checked:
                codes.add(str(code))
        return codes

    # -- actions -------------------------------------------------------------------------
    def close_day(self) -> None:
        """Close the day (lock + backup); a refusal is explained and nothing entered is lost."""
        day = self.day()
        try:
            counted = self.counted_cash()
        except FrontdeskError as exc:
            show_error(self, exc.message)
            return
        ticked = self.acknowledged()
        still_open = [w for w in self.current_warnings() if w.code not in ticked]
        if still_open:  # said here in words (the service's refusal names the CLI's codes)
            show_error(self, tr("日结前请先处理下面的提醒，或在“提醒”列表中勾选“已知悉”：\n{lines}",
                                lines="\n".join("• " + w.message for w in still_open)))
            return
        try:
            result = service.close_with_backup(self.ctx.db, self.ctx.actor, day,
                                               counted_cash=counted,
                                               acknowledged=self.acknowledged())
        except FrontdeskError as exc:
            show_error(self, exc.message)
            return
        self.ctx.changed.emit("dayclose")
        self.refresh()
        self.say(result.backup_note, 10000)
        if result.backup_failed:
            show_error(self, result.backup_note)

    def reopen_day(self) -> None:
        """Reopen a closed day (admins), asking for the reason."""
        if not self.ctx.actor.is_admin:
            show_error(self, tr("只有管理员可以重新开放已日结的一天。"))
            return
        reason, ok = QInputDialog.getText(
            self, tr("重新开放"), tr("重新开放 {date} 的原因（将记入操作日志）：",
                                     date=self.day().isoformat()))
        if not ok:
            return
        try:
            self.ctx.run(service.reopen_day, self.day(), reason, topic="dayclose")
        except FrontdeskError as exc:
            show_error(self, exc.message)
            return
        self.refresh()
        self.say(tr("已重新开放 {date}。改正后请重新日结并重新导出。",
                    date=self.day().isoformat()))

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("选择导出文件夹（U 盘）"),
                                                  self.folder.text() or str(Path.home()))
        if folder:
            self.folder.setText(folder)

    def _progress(self, done: int, total: int, what: str) -> None:
        self.progress.setValue(100 * done // max(total, 1))
        self.progress_text.setText(what)
        QApplication.processEvents()  # the bar moves while the packages are written

    def export(self) -> None:
        """Write one package per day of the chosen range into the chosen folder."""
        folder = self.folder.text().strip()
        if not folder:
            show_error(self, tr("请先选择导出到哪个文件夹（U 盘）。"))
            return
        first, last = from_qdate(self.export_from.date()), from_qdate(self.export_to.date())
        self.progress.setValue(0)
        self.export_button.setEnabled(False)
        try:
            results = service.export_days(self.ctx.db, self.ctx.actor, first, last,
                                          Path(folder), draft_ok=self.draft.isChecked(),
                                          progress=self._progress)
        except FrontdeskError as exc:
            self.progress_text.setText(tr("导出没有完成。"))
            show_error(self, exc.message)
            return
        finally:
            self.export_button.setEnabled(True)
        self.ctx.changed.emit("dayclose")
        names = "\n".join(r.path.name + (tr("（草稿）") if r.draft else "") for r in results)
        self.progress_text.setText(tr("已导出 {n} 个数据包到 {folder}：\n{names}",
                                      n=len(results), folder=folder, names=names))
        self.refresh()

    def print_all(self) -> None:
        """Print (or save into a folder) the day's summary and every day sheet, in one go."""
        box = QMessageBox(QMessageBox.Icon.Question, tr("打印当日全部表格"),
                          tr("打印 {date} 的日结汇总表和各登记表？也可以把它们保存为 PDF 文件。",
                             date=self.day().isoformat()),
                          QMessageBox.StandardButton.NoButton, self)
        print_button = box.addButton(tr("打印"), QMessageBox.ButtonRole.AcceptRole)
        save_button = box.addButton(tr("保存为 PDF 到文件夹"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(tr("取消"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is print_button:
            printer = printing.chosen_printer(documents.PAPER_A4)
            if not printer:
                show_error(self, tr("这台电脑没有可用的打印机。请改为保存为 PDF。"))
                return
            self.print_papers(printer=printer)
        elif box.clickedButton() is save_button:
            folder = QFileDialog.getExistingDirectory(self, tr("保存到文件夹"),
                                                      str(Path.home()))
            if folder:
                self.print_papers(folder=Path(folder))

    def print_papers(self, *, printer: str = "", folder: Path | None = None) -> list[Path]:
        """Render the day's papers, archive each, then print them or save them into ``folder``.

        Returns the files saved (printing returns an empty list).
        """
        day = self.day()
        try:
            papers = self.ctx.read(service.day_papers, self.ctx.actor, day)
        except FrontdeskError as exc:
            show_error(self, exc.message)
            return []
        saved: list[Path] = []
        problems: list[str] = []
        failed = 0
        for paper in papers:
            try:
                self.ctx.run(documents.archive_document, kind=paper.kind, title=paper.title,
                             paper=documents.PAPER_A4, pdf=paper.pdf, business_date=day,
                             record_type="closed_day", record_id=day.isoformat(),
                             topic="documents")
            except FrontdeskError as exc:  # the paper still prints; the desk is told
                problems.append(exc.message)
            try:
                if folder is not None:
                    path = folder / f"{paper.file_stem}.pdf"
                    printing.write_pdf(paper.pdf, path)
                    saved.append(path)
                else:
                    printing.print_pdf(paper.pdf, printer, paper.title)
            except FrontdeskError as exc:
                failed += 1
                problems.append(f"{paper.title}：{exc.message}")
        if problems:
            show_error(self, "\n".join(problems))
        done = len(papers) - failed
        self.say(tr("已保存 {n} 份表格到 {folder}", n=len(saved), folder=str(folder))
                 if folder is not None else tr("已发送 {n} 份表格到打印机 {printer}",
                                               n=done, printer=printer), 10000)
        return saved
