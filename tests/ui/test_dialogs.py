"""First-run and login dialogs keep what was typed and say plainly what is wrong."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from frontdesk.core.centre import centre_info, is_initialised
from frontdesk.core.db import Database
from frontdesk.ui.dialogs import FirstRunDialog, LoginDialog
from frontdesk.ui.widgets.fit import placeholder_fits
from tests.conftest import DESK_PASSWORD


def test_first_run_refuses_bad_input_without_losing_it(qtbot: QtBot, db: Database) -> None:
    dialog = FirstRunDialog(db)
    qtbot.add_widget(dialog)
    dialog.centre_name.setText("桂山社区邻里中心")
    dialog.centre_code.setText("桂山")  # not letters/digits
    dialog.town.setText("梅岭街道")
    dialog.password.setText("secret1")
    dialog.password_again.setText("secret1")
    dialog.submit()
    assert "中心编码只能用" in dialog.message.text()
    assert dialog.centre_name.text() == "桂山社区邻里中心"
    assert dialog.result() == 0
    dialog.password_again.setText("secret2")
    dialog.centre_code.setText("GS01")
    dialog.submit()
    assert dialog.message.text() == "两次输入的密码不一致。"
    dialog.password_again.setText("secret1")
    dialog.submit()
    assert dialog.result() == FirstRunDialog.DialogCode.Accepted
    assert dialog.admin is not None and dialog.admin.username == "admin"
    with db.read() as session:
        assert is_initialised(session)
        assert centre_info(session).code == "GS01"


def test_login_shows_the_reason_and_keeps_the_username(qtbot: QtBot, centre_db: Database) -> None:
    dialog = LoginDialog(centre_db, "测试邻里中心")
    qtbot.add_widget(dialog)
    dialog.username.setText("desk")
    dialog.password.setText("wrong")
    dialog.submit()
    assert dialog.message.text() == "用户名或密码错误。还可以再试 4 次。"
    assert dialog.username.text() == "desk" and dialog.password.text() == ""
    dialog.password.setText(DESK_PASSWORD)
    dialog.submit()
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    assert dialog.actor is not None and dialog.actor.username == "desk"


def test_login_locks_after_five_wrong_passwords(qtbot: QtBot, centre_db: Database) -> None:
    dialog = LoginDialog(centre_db)
    qtbot.add_widget(dialog)
    dialog.username.setText("desk")
    for _ in range(5):
        dialog.password.setText("wrong")
        dialog.submit()
    assert "账号已锁定" in dialog.message.text()
    dialog.password.setText(DESK_PASSWORD)
    dialog.submit()
    assert "账号已锁定" in dialog.message.text()
    assert dialog.actor is None


def test_first_run_shows_the_whole_examples(qtbot: QtBot, db: Database, ui_language: str) -> None:
    """The centre-name example is what a new centre copies: it must not be cut off."""
    dialog = FirstRunDialog(db)
    qtbot.add_widget(dialog)
    dialog.resize(dialog.sizeHint())  # as a real screen of 1024 pixels or more shows it
    dialog.show()
    qtbot.wait_exposed(dialog)
    assert dialog.width() <= 1024 * 2 // 3  # adjustSize() would not have to cut it down
    for edit in (dialog.centre_name, dialog.centre_code, dialog.town):
        assert edit.placeholderText() and placeholder_fits(edit), edit.placeholderText()
