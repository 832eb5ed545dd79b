"""The volunteers page from an EMPTY centre (first run done, nothing else): it says what is
missing and offers the form; an admin sets up a points rule, a team, a shop item with its
opening stock and the certificate's details through the forms alone, then the desk records
one award and one redemption. Real widgets, offscreen."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox, QPushButton
from sqlalchemy import select

from frontdesk.core.db import Database
from frontdesk.ui.context import DeskContext
from frontdesk.ui.pages import page_spec
from frontdesk.ui.pages.volunteers_dialogs import (
    ActivityDialog,
    CertificateDetailsDialog,
    PapersDialog,
)
from frontdesk.ui.pages.volunteers_page import VolunteersPage
from frontdesk.volunteers import service, setup, shop
from frontdesk.volunteers.models import StockMovement
from tests.helpers.qt import when_modal
from tests.volunteers.conftest import add_resident


def type_text(widget, chars: str) -> None:
    """Type the way an input method delivers Chinese (keyClicks aborts on non-ASCII)."""
    for ch in chars:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch,
                           Qt.KeyboardModifier.NoModifier)


def retype(widget, chars: str) -> None:
    widget.clear()
    type_text(widget, chars)


@pytest.fixture
def errors(monkeypatch):
    """Messages that would appear in a dialog (a modal box would block the test)."""
    shown: list[str] = []
    for where in ("frontdesk.ui.context", "frontdesk.ui.pages.volunteers_page",
                  "frontdesk.ui.pages.volunteers_dialogs"):
        monkeypatch.setattr(f"{where}.show_error", lambda _p, m: shown.append(m))
    return shown


def _open(qtbot, ctx: DeskContext) -> VolunteersPage:
    page = VolunteersPage(ctx, page_spec("volunteers"))
    qtbot.add_widget(page)
    page.resize(1100, 700)
    page.show()
    page.refresh()
    return page


@pytest.fixture
def page(qtbot, centre_db: Database, admin, printed):
    widget = _open(qtbot, DeskContext(centre_db, admin))
    yield widget
    qtbot.waitUntil(lambda: not widget.ledger.checker.running)


def _modal_then(kind: type, action: Callable[[object], None], opener: Callable[[], object]
                ) -> None:
    """Open a modal dialog with ``opener`` and drive it with ``action`` while it is open."""
    when_modal(kind, action)
    opener()


def test_an_empty_centre_is_set_up_through_the_forms_then_used(
        qtbot, page, centre_db: Database, admin, desk, errors, printed) -> None:
    # What is missing, in words, with the button that fixes it.
    assert page.missing.isVisible()
    assert "还没有服务项目和积分规则" in page.missing.text.text()
    assert page.missing.button.text() == "设置服务项目和积分规则"
    page.missing.button.click()
    assert page.tabs.currentWidget() is page.setup
    setup_tab = page.setup
    assert setup_tab.forms_scroll.isVisible() and not setup_tab.notice.isVisible()
    assert setup_tab.activities.rowCount() == 0

    # An activity before any category: told what to do first.
    type_text(setup_tab.act_name, "垃圾分类宣传")
    setup_tab.add_activity()
    assert errors[-1].startswith("请先在上面新增一个服务类别")
    # ① a category with its points per hour (a duplicate is refused, the text kept).
    type_text(setup_tab.cat_name, "环境整治")
    setup_tab.cat_rate.setValue(10)
    setup_tab.findChild(QPushButton, "addCategoryButton").click()
    assert setup_tab.categories.rowCount() == 1 and setup_tab.cat_name.text() == ""
    type_text(setup_tab.cat_name, "环境整治")
    setup_tab.findChild(QPushButton, "addCategoryButton").click()
    assert errors[-1] == "已有名为“环境整治”的服务类别。"
    assert setup_tab.cat_name.text() == "环境整治"
    setup_tab.cat_name.clear()
    # ② the activity, capped at 3 hours a record.
    assert setup_tab.act_name.text() == "垃圾分类宣传"  # kept since the refusal
    setup_tab.act_cap.setValue(3)
    setup_tab.findChild(QPushButton, "addActivityButton").click()
    assert setup_tab.activities.rowCount() == 1
    assert setup_tab.activities.rows[0][:3] == ("垃圾分类宣传", "环境整治",
                                                "每小时 10 分，每次最多计 3 小时")
    assert not page.missing.isVisible()
    # Its rule edited through the dialog: no cap any more.
    setup_tab.activities_view.selectRow(0)

    def edit_rule(dialog: object) -> None:
        assert isinstance(dialog, ActivityDialog)
        dialog.cap.setValue(0)
        dialog.accept()

    _modal_then(ActivityDialog, edit_rule, setup_tab.edit_activity)
    assert setup_tab.activities.rows[0][2] == "每小时 10 分"
    # A team.
    type_text(setup_tab.team_name, "党员先锋服务队")
    setup_tab.findChild(QPushButton, "addTeamButton").click()
    assert setup_tab.teams.rows == [("党员先锋服务队", "", 0, "启用")]

    # The certificate's details: a bad phone is refused and the dialog keeps what was typed.
    assert "负责人：（未填写）" in setup_tab.cert_text.text()
    seen: dict[str, str] = {}

    def fill_details(dialog: object) -> None:
        assert isinstance(dialog, CertificateDetailsDialog)
        type_text(dialog.head, "王主任")
        type_text(dialog.contact, "打电话")
        type_text(dialog.seal, "测试社区居民委员会")
        dialog.accept()
        seen["after refusal"] = dialog.head.text() + "|" + dialog.contact.text()
        assert dialog.isVisible()
        retype(dialog.contact, "0595-88881234")
        dialog.accept()

    _modal_then(CertificateDetailsDialog, fill_details, setup_tab.edit_certificate)
    assert seen["after refusal"] == "王主任|打电话"
    assert errors[-1].startswith("电话号码格式不对：打电话")
    assert setup_tab.cert_text.text() == (
        "负责人：王主任　联系电话：0595-88881234　印章文字：测试社区居民委员会")

    # The redemption desk has nothing to offer yet: it says so, and the button leads to the form.
    page.tabs.setCurrentWidget(page.desk)
    assert page.desk.no_goods.isVisible()
    assert page.desk.no_goods.button.text() == "新增物品"
    page.desk.no_goods.button.click()
    stock = page.stock
    assert page.tabs.currentWidget() is stock and stock.empty.isVisible()
    type_text(stock.new_name, "香皂")
    stock.new_price.setValue(12)
    type_text(stock.new_unit, "块")
    stock.new_stock.setValue(10)
    stock.findChild(QPushButton, "addGoodsButton").click()
    assert stock.model.rows == [("香皂", "块", 12, 10, "在售")]
    assert not stock.empty.isVisible()
    with centre_db.read() as s:
        assert [(m.kind, m.quantity, m.reason) for m in s.scalars(select(StockMovement))] == [
            ("restock", 10, "期初库存")]
        assert shop.stock_problems(s) == []
        assert [i.ready for i in setup.readiness(s)] == [True, True, True, True]

    # The desk's day: a volunteer, one award, one redemption (the desk operator's screen).
    add_resident(centre_db, admin, "张三", "C0001")
    desk_page = _open(qtbot, DeskContext(centre_db, desk))
    people = desk_page.people
    type_text(people.enrol_code, "C0001")
    people.enrol_team.setCurrentIndex(people.enrol_team.findText("党员先锋服务队"))
    people.enrol()
    assert "张三（ZY000001） 党员先锋服务队" in people.title.text()
    assert people.activity.currentText() == "垃圾分类宣传"
    assert "每小时 10 分" in people.rule.text()
    people.manual_hours.setValue(2)
    type_text(people.manual_reason, "纸质签到表补录")
    people.save_manual()
    assert people.balance.text() == "积分余额：20 分"
    desk_page.tabs.setCurrentWidget(desk_page.desk)
    redeem = desk_page.desk
    assert not redeem.no_goods.isVisible()
    redeem.load_volunteer("C0001")
    redeem.goods_view.selectRow(0)
    redeem.add_selected()
    redeem.confirm.click()
    assert "余额 20 → 8 分" in redeem.last.text()
    assert printed.jobs[-1][1].startswith("积分兑换小票")
    with centre_db.read() as s:
        assert shop.find_goods(s, "香皂").stock == 9
        assert service.find_volunteer(s, "C0001").balance == 8
    assert not [e for e in errors if "电话" not in e and "服务类别" not in e]
    qtbot.waitUntil(lambda: not desk_page.ledger.checker.running)


def test_the_desk_sees_what_is_missing_and_whom_to_ask(qtbot, centre_db, desk) -> None:
    page = _open(qtbot, DeskContext(centre_db, desk))
    assert page.missing.isVisible() and not page.missing.button.isVisible()
    assert "请联系管理员" in page.missing.text.text()
    page.tabs.setCurrentWidget(page.setup)
    assert page.setup.notice.isVisible() and not page.setup.forms_scroll.isVisible()
    assert not page.setup.cert_button.isVisible()
    page.tabs.setCurrentWidget(page.desk)
    assert page.desk.no_goods.isVisible() and not page.desk.no_goods.button.isVisible()
    assert "请联系管理员" in page.desk.no_goods.text.text()
    page.tabs.setCurrentWidget(page.stock)
    assert page.stock.empty.text() == "积分超市还没有物品。请联系管理员新增物品。"
    qtbot.waitUntil(lambda: not page.ledger.checker.running)


def test_a_certificate_with_blank_details_warns_before_it_is_issued(
        qtbot, centre_db, admin, desk, errors, printed) -> None:
    rid = add_resident(centre_db, admin, "张三", "C0001")
    with centre_db.session() as s:
        cat = service.create_category(s, admin, "助老服务", 1)
        act = service.create_activity(s, admin, "助老陪伴", cat)
        v = service.enroll(s, admin, rid)
        service.add_record(s, admin, v.id, act, admin.today(), hours=2, reason="补录")
    dialog = PapersDialog(DeskContext(centre_db, desk), v)
    qtbot.add_widget(dialog)
    dialog.show()
    assert dialog.details_warning.isVisible()
    assert "“负责人”“联系电话”还没有填写" in dialog.details_warning.text()
    assert "请联系管理员" in dialog.details_warning.text()
    assert not dialog.details_button.isVisible()  # the desk cannot fill them in

    def answer(text: str) -> Callable[[object], None]:
        def click(box: object) -> None:
            assert isinstance(box, QMessageBox)
            assert box.defaultButton().text() == "先不开具"  # Enter from a scanner says no
            next(b for b in box.buttons() if b.text() == text).click()
        return click

    when_modal(QMessageBox, answer("先不开具"))
    dialog.issue_certificate()
    assert printed.jobs == []
    when_modal(QMessageBox, answer("仍然开具"))
    dialog.issue_certificate()
    assert printed.jobs[-1][1].startswith("志愿服务证明 ZYZM2026-00001")

    admin_dialog = PapersDialog(DeskContext(centre_db, admin), v)
    qtbot.add_widget(admin_dialog)
    admin_dialog.show()
    assert admin_dialog.details_button.isVisible()

    def fill(d: object) -> None:
        assert isinstance(d, CertificateDetailsDialog)
        type_text(d.head, "王主任")
        type_text(d.contact, "13905951234")
        QTimer.singleShot(0, d.accept)

    when_modal(CertificateDetailsDialog, fill)
    admin_dialog.details_button.click()
    assert not admin_dialog.details_warning.isVisible()
    admin_dialog.issue_certificate()  # no question any more
    assert printed.jobs[-1][1].startswith("志愿服务证明 ZYZM2026-00002")
    assert errors == []
