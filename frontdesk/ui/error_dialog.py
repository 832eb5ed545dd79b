"""The dialog of an unexpected error (see frontdesk.ui.errors): plain words, the log's
path, 复制详情. Imported at the first error, not at start-up."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from frontdesk.core import log
from frontdesk.core.i18n import tr


def _breakable(path: str) -> str:
    """A path that a label may wrap after each folder (zero-width spaces, display only)."""
    return path.replace("/", "/\u200b").replace("\\", "\\\u200b")


class UnexpectedErrorDialog(QDialog):
    """What the user sees after an unexpected error: plain words, the log, copy details."""

    def __init__(self, what: str, saved: bool, report: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unexpectedError")
        self.setWindowTitle(tr("程序出错"))
        self.reports = [report]
        self.extra = 0

        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(48, 48))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.heading = QLabel(tr("“{action}”没有完成：程序出了意外的错误。", action=what)
                              if what else tr("程序出了意外的错误，刚才的操作没有完成。"))
        self.heading.setObjectName("heading")
        self.heading.setStyleSheet("font-weight: bold;")
        self.saved_line = QLabel(
            tr("出错前，这次操作已经保存了一部分（例如已出票或已登记）。请先核对，再决定是否重做，"
               "不要重复登记。") if saved else
            tr("这次操作没有保存任何内容，可以再试一次。"))
        self.saved_line.setObjectName("savedLine")
        self.go_on = QLabel(tr("程序可以继续使用。如果再次出错，请把详情交给管理员。"))
        problem = log.problem() if log.current_path() is None or log.problem() else ""
        path = log.current_path()
        if problem or path is None:
            self.log_line = QLabel(tr("错误详情没能写进日志（{problem}）。请点“复制详情”，"
                                      "把详情粘贴给管理员。", problem=problem))
        else:
            self.log_line = QLabel(tr("详情已记入日志文件：{path}", path=_breakable(str(path))))
        self.log_line.setObjectName("logLine")
        self.log_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.more = QLabel()
        self.more.setObjectName("more")
        self.more.setVisible(False)
        self.copied = QLabel()
        self.copied.setObjectName("copied")
        self.copied.setVisible(False)
        for label in (self.heading, self.saved_line, self.go_on, self.log_line, self.more,
                      self.copied):
            label.setWordWrap(True)

        self.text_box = QWidget()
        text = QVBoxLayout(self.text_box)
        text.setContentsMargins(0, 0, 0, 0)
        for label in (self.heading, self.saved_line, self.go_on, self.log_line, self.more,
                      self.copied):
            text.addWidget(label)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addWidget(self.text_box, 1)

        self.copy_button = QPushButton(tr("复制详情"))
        self.copy_button.setObjectName("copyDetails")
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self.copy_details)
        self.folder_button = QPushButton(tr("打开日志文件夹"))
        self.folder_button.setObjectName("openLogFolder")
        self.folder_button.setAutoDefault(False)
        self.folder_button.setEnabled(path is not None and path.parent.is_dir())
        self.folder_button.clicked.connect(self.open_folder)
        self.close_button = QPushButton(tr("关闭"))
        self.close_button.setObjectName("close")
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.folder_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        # The height follows the wrapped text exactly (no gaps under short lines).
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinAndMaxSize)
        layout.addLayout(top)
        layout.addSpacing(8)
        layout.addLayout(buttons)
        self._fit_width()

    def _fit_width(self) -> None:
        """Wide enough for the sentences to wrap into a few lines, never wider than the
        screen (the text column's width; the height then follows the wrapped text)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry().width() if screen is not None else 1024
        self.text_box.setMinimumWidth(max(min(480, available - 160), 200))
        self.setMaximumWidth(max(available - 40, 320))

    def add_report(self, report: str) -> None:
        """Another unexpected error while this dialog is open: counted, details kept."""
        self.reports.append(report)
        self.extra += 1
        self.more.setText(tr("之后又发生了 {n} 次错误，详情会一起复制。", n=self.extra))
        self.more.setVisible(True)

    def details(self) -> str:
        """Everything "复制详情" copies: each error's report, separated."""
        head = tr("邻里前台 错误详情")
        path = log.current_path()
        if path is not None:
            head += f"\nlog: {path}"
        return head + "\n\n" + "\n\n----\n\n".join(self.reports) + "\n"

    def copy_details(self) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(self.details())
        self.copied.setText(tr("详情已复制，可以粘贴到微信或邮件里发给管理员。"))
        self.copied.setVisible(True)

    def open_folder(self) -> None:
        path = log.current_path()
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
