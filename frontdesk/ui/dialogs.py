"""Start-up dialogs: first-run set-up, login, and the idle-lock screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk import __version__
from frontdesk.core import centre, operators
from frontdesk.core.actor import Actor
from frontdesk.core.clock import Clock
from frontdesk.core.db import Database
from frontdesk.core.errors import FrontdeskError
from frontdesk.core.i18n import tr
from frontdesk.ui.widgets.fit import fit_placeholder
from frontdesk.ui.widgets.labels import error_label


class FirstRunDialog(QDialog):
    """首次使用: the centre's identity and the first administrator."""

    def __init__(self, db: Database, parent: QWidget | None = None, *,
                 new_file: str | None = None) -> None:
        """``new_file``: the database file this start made for the set-up (shown, so a
        mistyped path is seen; 退出 removes it again)."""
        super().__init__(parent)
        self.db = db
        self.admin: Actor | None = None
        self.setWindowTitle(tr("首次使用设置 — 邻里前台"))
        self.setMinimumWidth(520)
        intro = QLabel(tr("欢迎使用邻里前台。请填写中心信息，并创建第一个管理员账号。"))
        intro.setWordWrap(True)
        # The examples are what a new centre needs: wide enough to show whole in any language.
        self.centre_name, self.centre_code, self.town = (
            fit_placeholder(QLineEdit(placeholderText=text))
            for text in (tr("例如：桂山社区党建+邻里中心"), tr("字母或数字，例如 JJGS01"),
                         tr("例如：梅岭街道")))
        self.admin_username = QLineEdit("admin")
        self.admin_name = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again = QLineEdit()
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(tr("中心名称"), self.centre_name)
        form.addRow(tr("中心编码"), self.centre_code)
        form.addRow(tr("所属镇/街道"), self.town)
        form.addRow(tr("管理员用户名"), self.admin_username)
        form.addRow(tr("管理员姓名"), self.admin_name)
        form.addRow(tr("密码"), self.password)
        form.addRow(tr("再次输入密码"), self.password_again)
        self.message = error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("完成设置"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("退出"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        self.new_file: QLabel | None = None
        if new_file:
            self.new_file = QLabel(tr("新数据库文件：{path}（选“退出”则不保留）", path=new_file))
            self.new_file.setWordWrap(True)
            self.new_file.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(self.new_file)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def submit(self) -> None:
        """Validate through the service; on refusal keep every field and say why."""
        if self.password.text() != self.password_again.text():
            self.message.setText(tr("两次输入的密码不一致。"))
            return
        try:
            with self.db.session() as session:
                self.admin = centre.initialise(
                    session,
                    centre_name=self.centre_name.text(),
                    centre_code=self.centre_code.text(),
                    town=self.town.text(),
                    admin_username=self.admin_username.text(),
                    admin_password=self.password.text(),
                    admin_display_name=self.admin_name.text(),
                )
        except FrontdeskError as exc:
            self.message.setText(exc.message)
            return
        self.accept()


class CredentialsDialog(QDialog):
    """A username-and-password dialog: a big title, a hint, the two fields, a red message
    line and two buttons. :meth:`check` says whether the password is right."""

    def __init__(self, *, window_title: str, title: str, hint: str, ok_text: str,
                 cancel_text: str, username: str = "", min_width: int = 420,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(window_title)
        self.setMinimumWidth(min_width)
        heading = QLabel(title)
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        heading.setStyleSheet("font-size: 18pt; font-weight: bold; margin: 8px;")
        hint_label = QLabel(hint)
        hint_label.setWordWrap(True)
        self.username = QLineEdit(username)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(tr("用户名"), self.username)
        form.addRow(tr("密码"), self.password)
        self.message = error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel_text)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        version = QLabel(f"frontdesk {__version__}")
        version.setStyleSheet("color: #888;")
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(hint_label)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        layout.addWidget(version, alignment=Qt.AlignmentFlag.AlignRight)
        (self.password if username else self.username).setFocus()

    def check(self, username: str, password: str) -> str | None:
        """None when the password is right (keep who it is), else why not, in words."""
        raise NotImplementedError

    def submit(self) -> None:
        """Check the password; the failure count is committed even when it is wrong."""
        if not self.username.text().strip():
            self.message.setText(tr("请输入用户名。"))
            return
        try:
            refused = self.check(self.username.text(), self.password.text())
        except FrontdeskError as exc:
            self.message.setText(exc.message)
            return
        if refused is not None:
            self.message.setText(refused)
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()


class LoginDialog(CredentialsDialog):
    """登录 at start (``username``: pre-filled, e.g. who logged in last on this PC), and 解锁
    when the screen locked itself after idle time. Whoever logs in is remembered on this PC."""

    def __init__(self, db: Database, centre_name: str = "", *, locked_user: str = "",
                 username: str = "", clock: Clock | None = None,
                 parent: QWidget | None = None) -> None:
        locking = bool(locked_user)
        super().__init__(
            window_title=tr("屏幕已锁定") if locking else tr("登录 — 邻里前台"),
            title=centre_name or tr("邻里前台"),
            hint=(tr("长时间无操作，屏幕已锁定。请输入密码继续，或换一位操作员登录。")
                  if locking else tr("请输入用户名和密码。")),
            ok_text=tr("解锁") if locking else tr("登录"),
            cancel_text=tr("退出程序") if locking else tr("退出"),
            username=locked_user or username, parent=parent)
        self.db = db
        self.clock = clock  # the desk's clock when unlocking; None: the wall clock
        self.actor: Actor | None = None

    def check(self, username: str, password: str) -> str | None:
        with self.db.session() as session:
            result = operators.authenticate(session, username, password, self.clock)
        if not result.ok:
            return result.message
        self.actor = result.actor
        from frontdesk.ui import pc_settings

        pc_settings.set_last_operator(result.actor.username if result.actor else username)
        return None
