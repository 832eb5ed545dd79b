"""Start-up on a town's shared database: town admin login, centre picker, 切换中心.

:func:`frontdesk.app.open_desk` (behind the already shown window) works as follows:

- a centre chosen (``--centre`` / ``FRONTDESK_CENTRE``): the usual start-up in that centre's
  schema; its login dialog also accepts a town admin (operators.authenticate asks the town
  registry);
- no centre chosen on a town database: :func:`town_admin_desk`, a town admin login, then
  the centre picker.

A town admin gets a 切换中心 button in the main window's toolbar (:func:`offer_centre_switch`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from frontdesk.core.errors import FrontdeskError
from frontdesk.core.i18n import tr
from frontdesk.ui.dialogs import CredentialsDialog
from frontdesk.ui.widgets.labels import error_label

if TYPE_CHECKING:
    from frontdesk.core.db import Database
    from frontdesk.town.service import CentreSummary, TownAdminInfo
    from frontdesk.ui.context import DeskContext
    from frontdesk.ui.main_window import MainWindow


class TownLoginDialog(CredentialsDialog):
    """镇街管理员登录: a town admin logs in to the town database before choosing a centre."""

    def __init__(self, db: Database, town: str, parent: QWidget | None = None) -> None:
        super().__init__(
            window_title=tr("镇街管理员登录 — 邻里前台"), title=town,
            hint=tr("这是镇街共用数据库。请用镇街管理员账号登录，然后选择要进入的中心。"
                    "中心的前台和管理员请在启动时用 --centre 指定本中心。"),
            ok_text=tr("登录"), cancel_text=tr("退出"), min_width=440, parent=parent)
        self.db = db
        self.admin: TownAdminInfo | None = None

    def check(self, username: str, password: str) -> str | None:
        from frontdesk.town.service import town_login

        result = town_login(self.db, username, password)
        if result.admin is None:
            return result.message
        self.admin = result.admin
        return None


class CentrePickerDialog(QDialog):
    """选择中心: the town's active centres with their codes and last closed day."""

    def __init__(self, centres: list[CentreSummary], *, current: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.centres = [c for c in centres if c.active]
        self.code: str | None = None
        self.setWindowTitle(tr("选择中心 — 邻里前台"))
        self.setMinimumSize(560, 360)
        hint = QLabel(tr("请选择要进入的中心（双击或按“进入”）："))
        self.table = QTableWidget(len(self.centres), 3)
        self.table.setHorizontalHeaderLabels([tr("中心名称"), tr("编码"), tr("最近日结")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        for row, centre in enumerate(self.centres):
            last = (centre.last_closed_day.isoformat() if centre.last_closed_day
                    else tr("（未日结过）"))
            for col, value in enumerate((centre.name, centre.code, last)):
                self.table.setItem(row, col, QTableWidgetItem(value))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda _index: self.choose())
        chosen = next((i for i, c in enumerate(self.centres) if c.code == current), 0)
        if self.centres:
            self.table.selectRow(chosen)
        self.message = error_label()
        if not self.centres:
            self.message.setText(tr("镇街还没有中心。请先用 frontdesk town add-centre 新建。"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("进入"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        buttons.accepted.connect(self.choose)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.table.setFocus()

    def choose(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.centres):
            self.message.setText(tr("请先选择一个中心。"))
            return
        self.code = self.centres[row].code
        self.accept()


def is_town_database(url: str) -> bool:
    """Whether ``url`` is a PostgreSQL database holding a town registry."""
    from sqlalchemy import exc as sa_exc
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from frontdesk.core.db import Database
    from frontdesk.town import TOWN_SCHEMA

    if make_url(url).get_backend_name() == "sqlite":
        return False
    probe = Database(url)
    try:
        with probe.engine.connect() as conn:
            return conn.execute(text("SELECT to_regclass(:t)"),
                                {"t": f"{TOWN_SCHEMA}.town_info"}).scalar() is not None
    except sa_exc.DBAPIError:
        return False  # the usual start-up explains a server it cannot reach
    finally:
        probe.dispose()


class TownSession:
    """The town admin's way between centres: the picker and the main window per centre."""

    def __init__(self, url: str, admin: TownAdminInfo) -> None:
        self.url = url
        self.admin = admin
        self.window: MainWindow | None = None

    def centres(self) -> list[CentreSummary]:
        from frontdesk.core.db import Database
        from frontdesk.town.service import list_centres

        whole = Database(self.url)
        try:
            with whole.read() as session:
                return list_centres(session, include_inactive=False)
        finally:
            whole.dispose()

    def pick(self, parent: QWidget | None = None, current: str | None = None) -> str | None:
        """The centre chosen in the picker, or None if cancelled."""
        picker = CentrePickerDialog(self.centres(), current=current, parent=parent)
        if picker.exec() != QDialog.DialogCode.Accepted:
            return None
        return picker.code

    def enter(self, code: str) -> DeskContext:
        """Centre ``code``'s desk, worked as this town admin (its mirror operator)."""
        from frontdesk.core.migrate import open_database
        from frontdesk.town.service import enter_centre
        from frontdesk.ui.context import DeskContext

        db = open_database(self.url, centre=code)
        try:
            with db.session() as session:
                actor = enter_centre(session, self.admin, how="gui")
        except BaseException:
            db.dispose()
            raise
        return DeskContext(db, actor)

    def open_centre(self, code: str) -> MainWindow:
        """Open centre ``code`` as this town admin in a main window of its own."""
        from frontdesk.ui.main_window import MainWindow

        window = MainWindow(self.enter(code))
        add_switch_action(window, self)
        return window

    def switch(self) -> None:
        """切换中心: pick another centre; its window replaces the current one."""
        old = self.window
        current = old.ctx.db.centre if old is not None else None
        code = self.pick(old, current)
        if code is None or (old is not None and code == current):
            return
        try:
            window = self.open_centre(code)
        except FrontdeskError as exc:
            QMessageBox.warning(old, tr("无法打开中心"), exc.message)
            return
        self.window = window
        window.place_on_screen(like=old)
        window.show()
        if old is not None:
            old.close()
            old.ctx.db.dispose()
            old.deleteLater()


def add_switch_action(window: MainWindow, town: TownSession) -> QPushButton:
    """A 切换中心 button in the main window's toolbar (town admins only)."""
    button = QPushButton(tr("切换中心"))
    button.setObjectName("switchCentreButton")
    button.setToolTip(tr("镇街管理员：换到另一个中心"))
    button.clicked.connect(town.switch)
    toolbar = window.findChild(QToolBar, "mainToolbar")
    if toolbar is not None:
        toolbar.addWidget(button)
    return button


def offer_centre_switch(window: MainWindow) -> None:
    """Give a town admin who logged in at a centre's desk the 切换中心 button."""
    from frontdesk.town.service import active_admin

    ctx = window.ctx
    if not ctx.actor.is_town_admin or window.findChild(QPushButton, "switchCentreButton"):
        return
    with ctx.db.read() as session:
        admin = active_admin(session, ctx.actor.username)
    town = TownSession(ctx.db.url, admin)
    town.window = window
    add_switch_action(window, town)


def town_admin_desk(window: MainWindow, url: str) -> tuple[DeskContext | None, int]:
    """No centre chosen on a town database: town admin login, then the centre picker.

    Returns the chosen centre's desk, or None and the exit code (0 when cancelled).
    """
    from frontdesk.core.db import Database
    from frontdesk.town.service import town_name

    # No start-up backup of the whole town database: each centre's desk backs up its own
    # schema; the server's administrator backs up the rest.
    whole = Database(url)
    try:
        with whole.read() as session:
            town = town_name(session)
        login = TownLoginDialog(whole, town, parent=window)
        if login.exec() != QDialog.DialogCode.Accepted or login.admin is None:
            return None, 0
    except FrontdeskError as exc:
        QMessageBox.critical(window, tr("无法打开数据库"), exc.message)
        return None, 1
    finally:
        whole.dispose()
    session = TownSession(url, login.admin)
    code = session.pick(window)
    if code is None:
        return None, 0
    try:
        ctx = session.enter(code)
    except FrontdeskError as exc:
        QMessageBox.critical(window, tr("无法打开中心"), exc.message)
        return None, 1
    session.window = window
    add_switch_action(window, session)
    return ctx, 0
