"""Start-up on a town's shared database: town admin login, centre picker, 切换中心.

``run_town_gui`` is called once from :func:`frontdesk.app.run_gui`, before the usual
start-up opens the database. It returns None for an ordinary database (an SQLite file,
a single-centre PostgreSQL database), and the usual start-up goes on untouched. On a
town database it runs the whole session itself:

- a centre chosen (``--centre`` / ``FRONTDESK_CENTRE``): that centre's usual login dialog,
  which also accepts a town admin (operators.authenticate asks the town registry);
- no centre chosen: a town admin login, then the centre picker, then the main window.

A town admin gets a 切换中心 button in the main window's toolbar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from frontdesk import __version__
from frontdesk.core.errors import FrontdeskError
from frontdesk.core.i18n import tr

if TYPE_CHECKING:
    from frontdesk.core.actor import Actor
    from frontdesk.core.db import Database
    from frontdesk.town.service import CentreSummary, TownAdminInfo
    from frontdesk.ui.main_window import MainWindow


def _message_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    label.setObjectName("message")
    return label


class TownLoginDialog(QDialog):
    """镇街管理员登录: a town admin logs in to the town database before choosing a centre."""

    def __init__(self, db: Database, town: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.admin: TownAdminInfo | None = None
        self.setWindowTitle(tr("镇街管理员登录 — 邻里前台"))
        self.setMinimumWidth(440)
        title = QLabel(town)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setStyleSheet("font-size: 18pt; font-weight: bold; margin: 8px;")
        hint = QLabel(tr("这是镇街共用数据库。请用镇街管理员账号登录，然后选择要进入的中心。"
                         "中心的前台和管理员请在启动时用 --centre 指定本中心。"))
        hint.setWordWrap(True)
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(tr("用户名"), self.username)
        form.addRow(tr("密码"), self.password)
        self.message = _message_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("登录"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("退出"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        version = QLabel(f"frontdesk {__version__}")
        version.setStyleSheet("color: #888;")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        layout.addWidget(version, alignment=Qt.AlignmentFlag.AlignRight)
        self.username.setFocus()

    def submit(self) -> None:
        """Check the password; the failure count is committed even when it is wrong."""
        from frontdesk.town.service import town_login

        if not self.username.text().strip():
            self.message.setText(tr("请输入用户名。"))
            return
        try:
            result = town_login(self.db, self.username.text(), self.password.text())
        except FrontdeskError as exc:
            self.message.setText(exc.message)
            return
        if result.admin is None:
            self.message.setText(result.message)
            self.password.clear()
            self.password.setFocus()
            return
        self.admin = result.admin
        self.accept()


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
        self.message = _message_label()
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

    def open_centre(self, code: str) -> MainWindow:
        """Open centre ``code`` as this town admin (its mirror operator) in a main window."""
        from frontdesk.core.migrate import open_database
        from frontdesk.town.service import enter_centre
        from frontdesk.ui.context import DeskContext
        from frontdesk.ui.main_window import MainWindow

        db = open_database(self.url, centre=code)
        try:
            with db.session() as session:
                actor = enter_centre(session, self.admin, how="gui")
        except BaseException:
            db.dispose()
            raise
        window = MainWindow(DeskContext(db, actor))
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


def _critical(title: str, message: str) -> int:
    QMessageBox.critical(None, title, message)
    return 1


def run_town_gui(db_url: str | None = None, lang: str | None = None) -> int | None:
    """The GUI session on a town database; None when the database is not one."""
    from frontdesk.app import create_application
    from frontdesk.core.db import Database, resolve_centre, resolve_url
    from frontdesk.core.migrate import open_database

    url = resolve_url(db_url)
    centre = resolve_centre(None)
    if not centre and not is_town_database(url):
        return None
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    if centre:
        # A centre's own desk: back up its schema, then its usual login (town admins too).
        try:
            Database(url, centre=centre).dispose()  # an SQLite file: refused with a reason
        except FrontdeskError as exc:
            return _critical(tr("无法打开数据库"), exc.message)
        _backup_centre_at_start(url, centre)
        try:
            db = open_database(url, centre=centre)
        except FrontdeskError as exc:
            return _critical(tr("无法打开数据库"), exc.message)
        return _run_centre_desk(app, db, lang)
    # No start-up backup of the whole town database: each centre's desk backs up its own
    # schema; the server's administrator backs up the rest.
    from frontdesk.town.service import town_name

    whole = Database(url)
    try:
        with whole.read() as session:
            town = town_name(session)
        create_application(lang)
        login = TownLoginDialog(whole, town)
        if login.exec() != QDialog.DialogCode.Accepted or login.admin is None:
            return 0
    except FrontdeskError as exc:
        return _critical(tr("无法打开数据库"), exc.message)
    finally:
        whole.dispose()
    session = TownSession(url, login.admin)
    code = session.pick()
    if code is None:
        return 0
    try:
        session.window = session.open_centre(code)
    except FrontdeskError as exc:
        return _critical(tr("无法打开中心"), exc.message)
    session.window.show()
    return app.exec()


def _backup_centre_at_start(url: str, centre: str) -> None:
    """The start-up backup of this centre's schema (pg_dump -n), when pg_dump is present."""
    from frontdesk.core.backup import backup_at_start
    from frontdesk.core.db import Database

    raw = Database(url, centre=centre)
    try:
        backup_at_start(raw)
    except FrontdeskError as exc:  # the desk can still work; the admin must know
        QMessageBox.warning(None, tr("自动备份失败"), exc.message)
    finally:
        raw.dispose()


def _run_centre_desk(app: QApplication, db: Database, lang: str | None) -> int:
    """One centre's desk: its language, its login dialog, its main window."""
    from frontdesk.app import create_application
    from frontdesk.core import settings
    from frontdesk.core.centre import centre_info
    from frontdesk.ui.context import DeskContext
    from frontdesk.ui.dialogs import LoginDialog
    from frontdesk.ui.main_window import MainWindow

    with db.read() as session:
        create_application(lang or settings.get(session, "ui.language"))
        centre = centre_info(session)
    login = LoginDialog(db, centre.name)
    if login.exec() != QDialog.DialogCode.Accepted or login.actor is None:
        return 0
    actor: Actor = login.actor
    window = MainWindow(DeskContext(db, actor))
    if actor.is_town_admin:
        from frontdesk.town.service import active_admin

        with db.read() as session:
            admin = active_admin(session, actor.username)
        town = TownSession(db.url, admin)
        town.window = window
        add_switch_action(window, town)
    window.show()
    return app.exec()
