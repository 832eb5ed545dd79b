"""设置: the centre's declared settings as a form, this PC's own settings (本机设置), the
operators and the backups (admins only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.core import operators, settings
from frontdesk.core.actor import ROLE_DESK, ROLES, role_label
from frontdesk.core.clock import to_local
from frontdesk.core.i18n import LANGUAGES, N_, tr
from frontdesk.ui.backup_tab import BackupTab
from frontdesk.ui.pages.base import Page
from frontdesk.ui.pc_settings_tab import PcSettingsTab

if TYPE_CHECKING:
    from frontdesk.ui.context import DeskContext
    from frontdesk.ui.pages import PageSpec

GROUPS = {"centre": N_("中心信息"), "ui": N_("界面"), "security": N_("安全"),
          "backup": N_("备份"), "printing": N_("打印"), "residents": N_("居民档案"),
          "checkin": N_("签到"), "canteen": N_("长者食堂"), "rooms": N_("场地预约"),
          "volunteers": N_("志愿积分"), "dayclose": N_("日结与导出")}


class SettingsPage(Page):
    """Every declared centre setting, editable by admins; this PC's printers (anyone); the
    operators and the backups in further tabs."""

    topics = ("settings", "operators", "backup")

    def __init__(self, ctx: DeskContext, spec: PageSpec) -> None:
        super().__init__(ctx, spec)
        self.editors: dict[str, QWidget] = {}
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.heading(tr("设置")))
        top.addStretch(1)
        self.checklist_button = QPushButton(tr("开业准备…"))
        self.checklist_button.setObjectName("openChecklist")
        self.checklist_button.setToolTip(tr("看看各项工作是否都已设置好"))
        self.checklist_button.clicked.connect(self._open_checklist)
        top.addWidget(self.checklist_button)
        self.export_setup_button = QPushButton(tr("导出中心设置…"))
        self.export_setup_button.setObjectName("exportSetup")
        self.export_setup_button.setToolTip(tr("把餐次、资助方、规则、事由、场地、队伍、积分物品等设置"
                                               "存成一个文件，给别的中心照着用（不含任何人的信息）"))
        self.import_setup_button = QPushButton(tr("导入中心设置…"))
        self.import_setup_button.setObjectName("importSetup")
        self.import_setup_button.setToolTip(tr("从别的中心导出的设置文件导入，导入前会先列出要做的改动"))
        for button, slot in ((self.export_setup_button, self._export_setup),
                             (self.import_setup_button, self._import_setup)):
            button.clicked.connect(slot)
            button.setVisible(ctx.actor.is_admin)
            top.addWidget(button)
        layout.addLayout(top)
        self.tabs = QTabWidget()
        # The tabs' names are what `frontdesk screenshot settings:NAME` opens.
        general = self._build_settings_tab()
        general.setObjectName("general")
        self.tabs.addTab(general, tr("系统设置"))
        self.pc_tab = PcSettingsTab(ctx)
        self.pc_tab.setObjectName("pc")
        self.tabs.addTab(self.pc_tab, tr("本机设置"))
        self.operators_tab = OperatorsTab(ctx)
        self.operators_tab.setObjectName("operators")
        self.tabs.addTab(self.operators_tab, tr("操作员账号"))
        self.backup_tab = BackupTab(ctx)
        self.backup_tab.setObjectName("backup")
        self.tabs.addTab(self.backup_tab, tr("备份与恢复"))
        layout.addWidget(self.tabs)

    def _export_setup(self) -> None:
        from frontdesk.ui.setup_transfer import choose_and_export

        choose_and_export(self.ctx, self)

    def _import_setup(self) -> None:
        from frontdesk.ui.setup_transfer import choose_and_import

        choose_and_import(self.ctx, self)

    def _open_checklist(self) -> None:
        window = self.window()
        if hasattr(window, "open_checklist"):
            window.open_checklist()

    def _build_settings_tab(self) -> QWidget:
        inner = QWidget()
        column = QVBoxLayout(inner)
        scope = QLabel(tr("这些是全中心共用的设置：保存在数据库里，对本中心每台电脑都有效，"
                          "修改会记入操作日志。打印机在“本机设置”里选。"))
        scope.setObjectName("centreScope")
        scope.setWordWrap(True)
        scope.setStyleSheet("color: #666;")
        column.addWidget(scope)
        forms: dict[str, QFormLayout] = {}
        for key, declared in settings.SPECS.items():
            if not declared.on_form:
                continue
            group = key.split(".", 1)[0]
            if group not in forms:
                box = QGroupBox(tr(GROUPS.get(group, group)))
                forms[group] = QFormLayout(box)
                column.addWidget(box)
            editor = self._editor_for(declared)
            editor.setObjectName(f"setting_{key}")
            self.editors[key] = editor
            forms[group].addRow(tr(declared.label), editor)
        self.note = QLabel(tr("界面语言在重新启动程序后生效。"))
        self.note.setStyleSheet("color: #666;")
        column.addWidget(self.note)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(tr("保存设置"))
        self.save_button.setObjectName("saveSettings")
        self.save_button.clicked.connect(self.save)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        column.addLayout(buttons)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        return scroll

    @staticmethod
    def _editor_for(declared: settings.SettingSpec) -> QWidget:
        if declared.key == "ui.language":
            combo = QComboBox()
            for code, name in LANGUAGES.items():
                combo.addItem(name, code)
            return combo
        if declared.key == DEFAULT_PURPOSE:
            return QComboBox()  # the active purposes, filled on refresh
        if declared.choices:
            combo = QComboBox()
            for choice in declared.choices:  # human words on screen, the stored value as data
                combo.addItem(declared.choice_label(choice), choice)
            return combo
        if declared.type is bool:
            return QCheckBox()
        if declared.type is int:
            spin = QSpinBox()
            spin.setRange(declared.minimum if declared.minimum is not None else -10**6,
                          declared.maximum if declared.maximum is not None else 10**6)
            return spin
        line = QLineEdit()
        line.setMaxLength(500)
        return line

    def refresh(self) -> None:
        values = self.ctx.read(settings.get_all)
        admin = self.ctx.actor.is_admin
        purposes = self.editors.get(DEFAULT_PURPOSE)
        if isinstance(purposes, QComboBox):
            _fill_purposes(purposes, self.ctx)
        for key, editor in self.editors.items():
            _set_editor_value(editor, values[key])
            editor.setEnabled(admin or not settings.SPECS[key].admin_only)
        self.save_button.setEnabled(admin)
        self.pc_tab.refresh()
        self.operators_tab.refresh()
        self.backup_tab.refresh()

    def save(self) -> None:
        """Store every changed value in one transaction; a refusal keeps the form as typed."""
        wanted = {key: _editor_value(editor) for key, editor in self.editors.items()}

        def store(session: Any, actor: Any) -> int:
            changed = 0
            for key, value in wanted.items():
                if settings.get(session, key) != settings.SPECS[key].validate(value):
                    settings.set_value(session, actor, key, value)
                    changed += 1
            return changed

        changed = self.ctx.attempt(self, store, topic="settings")
        if changed is not None:
            self.say(tr("已保存 {n} 项设置。", n=changed))


DEFAULT_PURPOSE = "checkin.default_purpose"


def _fill_purposes(combo: QComboBox, ctx: DeskContext) -> None:
    """The default check-in purpose: one of the active purposes, or none (choose each time)."""
    from frontdesk.checkin.service import list_purposes

    combo.clear()
    combo.addItem(tr("（不设默认，每次选择事由）"), "")
    for purpose in ctx.read(list_purposes):
        combo.addItem(purpose.label, purpose.name)


def _set_editor_value(editor: QWidget, value: Any) -> None:
    if isinstance(editor, QComboBox):
        index = editor.findData(value)
        editor.setCurrentIndex(max(index, 0))
    elif isinstance(editor, QCheckBox):
        editor.setChecked(bool(value))
    elif isinstance(editor, QSpinBox):
        editor.setValue(int(value))
    elif isinstance(editor, QLineEdit):
        editor.setText(str(value))


def _editor_value(editor: QWidget) -> Any:
    if isinstance(editor, QComboBox):
        return editor.currentData()
    if isinstance(editor, QCheckBox):
        return editor.isChecked()
    if isinstance(editor, QSpinBox):
        return editor.value()
    if isinstance(editor, QLineEdit):
        return editor.text()
    raise TypeError(editor)


class OperatorsTab(QWidget):
    """The operator list with add, edit, password reset, unlock and (de)activate."""

    COLUMNS = (N_("用户名"), N_("姓名"), N_("角色"), N_("状态"), N_("最近登录"))

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.rows: list[operators.OperatorInfo] = []
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("operatorsTable")
        self.table.setHorizontalHeaderLabels([tr(c) for c in self.COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.notice = Page.admin_only_notice()
        self.hint = QLabel()  # what the accounts still lack (no desk account yet)
        self.hint.setObjectName("operatorsHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #8a5300;")
        self.buttons: list[QPushButton] = []
        bar = QHBoxLayout()
        for label, slot, name in (
                (tr("新增操作员"), self.add, "addOperator"),
                (tr("修改姓名/角色"), self.edit, "editOperator"),
                (tr("重设密码"), self.reset_password, "resetPassword"),
                (tr("解除锁定"), self.unlock, "unlockOperator"),
                (tr("停用/启用"), self.toggle_active, "toggleOperator")):
            button = QPushButton(label)
            button.setObjectName(name)
            button.clicked.connect(slot)
            bar.addWidget(button)
            self.buttons.append(button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(self.hint)
        layout.addLayout(bar)
        layout.addWidget(self.table)

    def refresh(self) -> None:
        admin = self.ctx.actor.is_admin
        self.notice.setVisible(not admin)
        self.table.setVisible(admin)
        for button in self.buttons:
            button.setVisible(admin)
        if not admin:
            self.hint.hide()
            return
        self.rows = self.ctx.read(operators.list_operators)
        missing = self.ctx.read(operators.readiness)[0].missing
        self.hint.setText(missing)
        self.hint.setVisible(bool(missing))
        self.table.setRowCount(len(self.rows))
        for r, op in enumerate(self.rows):
            status = tr("启用") if op.active else tr("已停用")
            if op.locked_until is not None and op.locked_until > self.ctx.actor.now():
                status = tr("已锁定")
            last = to_local(op.last_login_at).strftime("%Y-%m-%d %H:%M") if op.last_login_at \
                else ""
            for c, value in enumerate((op.username, op.display_name, role_label(op.role),
                                       status, last)):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()

    def selected(self) -> operators.OperatorInfo | None:
        row = self.table.currentRow()
        if 0 <= row < len(self.rows):
            return self.rows[row]
        QMessageBox.information(self, tr("请选择"), tr("请先在列表中选择一位操作员。"))
        return None

    def add(self) -> None:
        dialog = OperatorDialog(self)
        while dialog.exec():
            if dialog.password.text() != dialog.confirm.text():
                from frontdesk.ui.context import show_error

                show_error(self, tr("两次输入的密码不一致，请重新输入。"))
                continue
            done = self.ctx.attempt(self, operators.create_operator, dialog.username.text(),
                                    dialog.display_name.text(), dialog.role.currentData(),
                                    dialog.password.text(), topic="operators")
            if done is not None:
                return  # on refusal the dialog reopens with what was typed

    def edit(self) -> None:
        op = self.selected()
        if op is None:
            return
        dialog = OperatorDialog(self, op)
        while dialog.exec():
            done = self.ctx.attempt(self, operators.update_operator, op.username,
                                    display_name=dialog.display_name.text(),
                                    role=dialog.role.currentData(), topic="operators")
            if done is not None:
                return

    def reset_password(self) -> None:
        op = self.selected()
        if op is None:
            return
        dialog = PasswordDialog(self, op)
        while dialog.exec():
            if dialog.password.text() != dialog.confirm.text():
                from frontdesk.ui.context import show_error

                show_error(self, tr("两次输入的密码不一致，请重新输入。"))
                continue
            if self.ctx.attempt(self, operators.set_password, op.username,
                                dialog.password.text(), topic="operators") is None:
                continue  # refused (too short): the dialog reopens with what was typed
            QMessageBox.information(self, tr("重设密码"), tr("密码已重设。"))
            return

    def unlock(self) -> None:
        op = self.selected()
        if op is not None:
            self.ctx.attempt(self, operators.unlock, op.username, topic="operators")

    def toggle_active(self) -> None:
        op = self.selected()
        if op is not None:
            self.ctx.attempt(self, operators.update_operator, op.username,
                             active=not op.active, topic="operators")


class OperatorDialog(QDialog):
    """Fields of a new or existing operator."""

    def __init__(self, parent: QWidget, existing: operators.OperatorInfo | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("修改操作员") if existing else tr("新增操作员"))
        self.username = QLineEdit(existing.username if existing else "")
        self.username.setEnabled(existing is None)
        self.display_name = QLineEdit(existing.display_name if existing else "")
        self.role = QComboBox()
        for role in ROLES:
            self.role.addItem(role_label(role), role)
        self.role.setCurrentIndex(self.role.findData(existing.role if existing else ROLE_DESK))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        for widget, name in ((self.username, "operatorUsername"),
                             (self.display_name, "operatorName"), (self.role, "operatorRole"),
                             (self.password, "operatorPassword"),
                             (self.confirm, "operatorConfirm")):
            widget.setObjectName(name)
        self.username.setPlaceholderText(tr("登录用，字母或数字，例如 lin"))
        form = QFormLayout(self)
        form.addRow(tr("用户名"), self.username)
        form.addRow(tr("姓名"), self.display_name)
        form.addRow(tr("角色"), self.role)
        if existing is None:
            form.addRow(tr("初始密码"), self.password)
            form.addRow(tr("再输一次密码"), self.confirm)
            roles = QLabel(tr("前台：日常签到、助餐、预约、兑换；管理员：还能修改设置和账号。"))
            roles.setWordWrap(True)
            form.addRow("", roles)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("确定"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class PasswordDialog(QDialog):
    """A new password for an operator, typed twice."""

    def __init__(self, parent: QWidget, op: operators.OperatorInfo) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("重设密码"))
        self.password = QLineEdit()
        self.password.setObjectName("newPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setObjectName("confirmPassword")
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout(self)
        form.addRow(QLabel(tr("给 {name} 设置新密码：", name=op.display_name)))
        form.addRow(tr("新密码"), self.password)
        form.addRow(tr("再输一次密码"), self.confirm)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("确定"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
