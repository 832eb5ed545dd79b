"""The opening checklist (开业准备) on screen: each job with a tick when it is ready, what is
still missing in plain words, and a button to the form that fixes it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from frontdesk.core.i18n import tr
from frontdesk.core.readiness import ReadinessItem
from frontdesk.ui.context import DeskContext

READY_MARK, MISSING_MARK, OPTIONAL_MARK = "✔", "✘", "○"


def _admin_names(session: object) -> list[str]:
    from frontdesk.core.actor import ROLE_ADMIN
    from frontdesk.core.operators import list_operators

    return [op.display_name for op in list_operators(session)  # type: ignore[arg-type]
            if op.role == ROLE_ADMIN and op.active]


class OpeningChecklist(QDialog):
    """开业准备. An admin gets a button per job that is not ready; a desk operator sees
    whether the centre is ready, and otherwise which administrator to ask."""

    go_to = Signal(str, str)  # page key, tab object name

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        from frontdesk.opening import opening_checklist, ready_to_open

        super().__init__(parent)
        self.setObjectName("openingChecklist")
        self.setWindowTitle(tr("开业准备"))
        self.items: list[ReadinessItem] = ctx.read(opening_checklist)
        admins = ctx.read(_admin_names)
        self.ready = ready_to_open(self.items)
        is_admin = ctx.actor.is_admin
        self.summary = QLabel()
        self.summary.setObjectName("openingSummary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size: 13pt; font-weight: bold;")
        if self.ready:
            self.summary.setText(tr("各项工作都已准备好，可以开始使用。"))
        elif is_admin:
            self.summary.setText(tr("还有几项没有准备好。点每一项右边的按钮去设置，设好后这里会打上勾。"))
        else:
            self.summary.setText(tr("还有几项没有准备好，请联系管理员设置：{names}。",
                                    names="、".join(admins) or tr("本中心管理员")))
        grid = QGridLayout()
        grid.setColumnStretch(2, 1)
        grid.setHorizontalSpacing(16)  # a long job name must not run into its detail
        self.buttons: dict[int, QPushButton] = {}
        for row, item in enumerate(self.items):
            mark = READY_MARK if item.ready else (MISSING_MARK if item.needed else OPTIONAL_MARK)
            tick = QLabel(mark)
            tick.setStyleSheet("font-size: 14pt; color: %s;" % (
                "#1e7e34" if item.ready else ("#b00020" if item.needed else "#777")))
            job = QLabel(item.job)
            job.setStyleSheet("font-weight: bold;")
            if item.ready:
                text = tr("已准备好")
            elif item.needed:
                text = item.missing
            else:
                text = tr("可以以后再设置。{missing}", missing=item.missing)
            detail = QLabel(text)
            detail.setWordWrap(True)
            detail.setObjectName(f"openingDetail{row}")
            grid.addWidget(tick, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(job, row, 1, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(detail, row, 2, Qt.AlignmentFlag.AlignTop)
            if is_admin and item.page:
                button = QPushButton(tr("去设置") if not item.ready else tr("查看"))
                button.setObjectName(f"openingGo{row}")
                button.clicked.connect(lambda _=False, it=item: self._go(it))
                grid.addWidget(button, row, 3, Qt.AlignmentFlag.AlignTop)
                self.buttons[row] = button
        inner = QWidget()
        inner.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        close = QDialogButtonBox()
        close.addButton(tr("关闭"), QDialogButtonBox.ButtonRole.RejectRole)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)
        layout.addWidget(close)
        self._fit(inner)

    def _fit(self, inner: QWidget) -> None:
        """Tall enough to show every job without scrolling when the screen has the room
        (1366x768 has); on a lower screen the list scrolls."""
        from PySide6.QtGui import QGuiApplication

        width, height = 760, inner.sizeHint().height() + 150  # the summary, the close button
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            room = screen.availableGeometry()
            width = min(width, room.width() - 40)
            height = min(height, room.height() - 60)
        self.resize(width, max(height, 360))

    def _go(self, item: ReadinessItem) -> None:
        self.accept()  # first: the form may open a dialog of its own
        self.go_to.emit(item.page, item.tab)
