"""The 志愿积分 page with real widgets offscreen: hours, the redemption desk, stock, ledger."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import text

from frontdesk.ui.context import DeskContext
from frontdesk.ui.pages import page_spec
from frontdesk.ui.pages.volunteers_page import Signed, VolunteersPage
from frontdesk.ui.widgets.rows_model import RowsModel
from frontdesk.volunteers import service, shop


def type_text(widget, chars: str) -> None:
    """Type Chinese the way an input method delivers it (keyClicks aborts on non-ASCII)."""
    for ch in chars:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch,
                           Qt.KeyboardModifier.NoModifier)


@pytest.fixture
def errors(monkeypatch):
    """Messages the page would show in a dialog (a modal box would block the test)."""
    shown: list[str] = []
    monkeypatch.setattr("frontdesk.ui.context.show_error", lambda _p, m: shown.append(m))
    monkeypatch.setattr("frontdesk.ui.pages.volunteers_page.show_error",
                        lambda _p, m: shown.append(m))
    return shown


@pytest.fixture
def page(qtbot, vdb, admin, printed):
    db, _ = vdb
    ctx = DeskContext(db, admin)
    widget = VolunteersPage(ctx, page_spec("volunteers"))
    qtbot.add_widget(widget)
    widget.resize(1100, 700)
    widget.show()
    widget.refresh()
    yield widget
    qtbot.waitUntil(lambda: not widget.ledger.checker.running)  # no walk outlives the test


def test_rows_model_passes_the_model_tester(qtmodeltester) -> None:
    model = RowsModel(("编号", "姓名", "积分"))
    model.set_rows([("ZY000001", "张三", 10), ("ZY000002", "李四", Signed(-3))], [1, 2])
    qtmodeltester.check(model)
    assert model.data(model.index(1, 2)) == "-3"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "姓名"


def test_sign_in_and_out_at_the_desk(page, vdb, clock) -> None:
    _, s = vdb
    people = page.people
    assert people.model.rowCount() == 2
    people.view.selectRow(0)
    assert "张三" in people.title.text()
    people.activity.setCurrentIndex(people.activity.findData(s.tenfold))
    assert "每小时 10 分" in people.rule.text()
    people.sign_in_button.click()
    assert not people.sign_in_button.isEnabled() and people.sign_out_button.isEnabled()
    assert "10:00 签到：垃圾分类宣传" in people.open_state.text()
    clock.advance(hours=1, minutes=30)
    people.sign_out_button.click()
    assert people.balance.text() == "积分余额：15 分"
    assert people.records.rowCount() == 1
    assert people.records.data(people.records.index(0, 4)) == "前台签到"


def test_hand_added_hours_need_a_reason_and_sane_hours(page, vdb, errors) -> None:
    db, s = vdb
    people = page.people
    people.view.selectRow(0)
    people.activity.setCurrentIndex(people.activity.findData(s.tenfold))
    people.manual_hours.setValue(25)
    type_text(people.manual_reason, "纸质签到表补录")
    people.save_manual()
    assert errors[-1] == "服务时长 25 小时不可能：一天最多 24 小时。"
    assert people.manual_reason.text() == "纸质签到表补录"  # kept for correcting
    people.manual_hours.setValue(2)
    people.manual_reason.clear()
    people.save_manual()
    assert errors[-1] == "手工补录的服务记录必须填写原因。"
    type_text(people.manual_reason, "纸质签到表补录")
    people.save_manual()
    assert len(errors) == 2
    assert people.balance.text() == "积分余额：20 分"
    assert people.manual_reason.text() == ""
    with db.read() as session:
        assert service.list_records(session, s.vol_a)[0].reason == "纸质签到表补录"


def test_enrol_a_scanned_resident(page, errors) -> None:
    page.handle_scan("C0003")  # 王五 is a resident, not a volunteer yet
    assert page.people.enrol_code.text() == "C0003"
    page.people.enrol()
    assert errors == []
    assert page.people.model.rowCount() == 3
    assert "王五（ZY000003）" in page.people.title.text()


def test_redemption_desk_scan_basket_confirm(page, vdb, desk, errors) -> None:
    db, s = vdb
    with db.session() as session:
        service.add_record(session, desk, s.vol_a, s.tenfold, dt.date(2026, 11, 22), hours=8,
                           reason="补录")
    page.tabs.setCurrentWidget(page.desk)
    redeem = page.desk
    page.handle_scan("C0001")
    assert redeem.who.text() == "张三（ZY000001） 积分余额：80 分"
    redeem.goods_view.selectRow(0)  # 香皂 12
    redeem.quantity.setValue(2)
    redeem.add_selected()
    redeem.goods_view.selectRow(2)  # 大米 44
    redeem.add_selected()
    assert redeem.total.text() == "合计 68 分 · 兑换后余额 12 分"
    redeem.goods_view.selectRow(1)  # 炒锅 40: more than the balance
    redeem.add_selected()
    assert "兑换后余额 -28 分" in redeem.total.text()
    redeem.confirm.click()
    assert errors == ["积分不足：当前余额 80 分，需要 108 分。"]
    assert redeem.basket_model.rowCount() == 3  # nothing lost: the basket is still there
    redeem.basket_view.selectRow(2)
    redeem.remove_selected()
    redeem.confirm.click()
    assert len(errors) == 1
    assert "余额 80 → 12 分" in redeem.last.text()
    assert redeem.basket_model.rowCount() == 0
    assert redeem.who.text().endswith("积分余额：12 分")
    assert redeem.recent.rowCount() == 1
    with db.read() as session:
        assert shop.find_goods(session, "香皂").stock == 8


def test_stock_tab_moves_need_a_selection_and_reasons(page, errors) -> None:
    page.tabs.setCurrentWidget(page.stock)
    tab = page.stock
    tab.quantity.setValue(5)
    tab.restock()
    assert errors[-1] == "请先在左侧选中一件物品。"
    tab.view.selectRow(0)
    tab.restock()
    assert tab.model.data(tab.model.index(0, 3)) == "15"
    tab.view.selectRow(0)
    tab.quantity.setValue(1)
    tab.write_off()
    assert errors[-1] == "报损必须填写原因。"
    type_text(tab.reason, "受潮")
    tab.write_off()
    assert tab.model.data(tab.model.index(0, 3)) == "14"


def test_ledger_tab_warns_when_the_chain_is_broken(qtbot, page, vdb, desk, tmp_path) -> None:
    db, s = vdb
    with db.session() as session:
        service.add_record(session, desk, s.vol_a, s.tenfold, dt.date(2026, 11, 22), hours=1,
                           reason="补录")
    page.tabs.setCurrentWidget(page.ledger)
    qtbot.waitUntil(lambda: not page.ledger.checker.running)
    assert page.ledger.warning.isHidden()
    assert "共 1 条，校验通过" in page.ledger.status.text()
    assert page.ledger.model.data(page.ledger.model.index(0, 4)) == "+10"
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE points_entry SET points = 100 WHERE id = 1"))
    page.ledger.refresh()
    qtbot.waitUntil(lambda: not page.ledger.checker.running)
    assert page.ledger.warning.isVisible()
    assert "流水 1：内容被改动" in page.ledger.warning.text()
    out = tmp_path / "reports.xlsx"
    page.ledger.export_to(str(out))
    assert len(load_workbook(out).sheetnames) == 5


def test_the_page_speaks_english(qtbot, vdb, admin) -> None:
    from frontdesk.core.i18n import set_language

    db, _ = vdb
    set_language("en")
    widget = VolunteersPage(DeskContext(db, admin), page_spec("volunteers"))
    qtbot.add_widget(widget)
    widget.refresh()
    assert [widget.tabs.tabText(i) for i in range(4)] == [
        "Volunteers and hours", "Redeem points", "Shop stock", "Ledger and reports"]
    assert widget.people.sign_in_button.text() == "Sign in"
    assert widget.people.sign_out_button.text() == "Sign out"


def test_setup_tab_adds_teams_categories_and_activities(page, errors) -> None:
    page.tabs.setCurrentWidget(page.setup)
    tab = page.setup
    assert tab.teams.rowCount() == 1 and tab.activities.rowCount() == 3
    assert tab.activities.data(tab.activities.index(0, 2)) == "每小时 1 分，每次最多计 2 小时"
    type_text(tab.team_name, "银发志愿者")
    tab.team_leader.setText("C0002")
    tab.add_team()
    assert tab.teams.rows[-1] == ("银发志愿者", "李四", 0, "启用")
    type_text(tab.cat_name, "文明实践")
    tab.cat_rate.setValue(2)
    tab.add_category()
    tab.act_category.setCurrentIndex(tab.act_category.count() - 1)
    type_text(tab.act_name, "交通劝导")
    tab.act_cap.setValue(1.5)
    tab.add_activity()
    assert errors == []
    assert tab.activities.rows[-1] == ("交通劝导", "文明实践", "每小时 2 分，每次最多计 1.5 小时",
                                      "启用")
    type_text(tab.act_name, "交通劝导")
    tab.add_activity()
    assert errors == ["已有名为“交通劝导”的服务项目。"]
    assert page.tabs.tabText(4) == "队伍与服务项目"


def test_admin_adjusts_and_reverses_from_the_ledger(page, vdb, desk, errors) -> None:
    db, s = vdb
    with db.session() as session:
        service.add_record(session, desk, s.vol_a, s.tenfold, dt.date(2026, 11, 22), hours=2,
                           reason="补录")
    page.tabs.setCurrentWidget(page.ledger)
    tab = page.ledger
    assert tab.admin_box.isVisible()
    tab.adjust_code.setText("C0001")
    tab.adjust_points.setValue(5)
    tab.adjust()
    assert errors == ["调整积分必须填写原因。"]
    type_text(tab.adjust_reason, "优秀志愿者奖励")
    tab.adjust()
    assert tab.model.data(tab.model.index(0, 4)) == "+5"
    tab.view.selectRow(1)  # the 20 points earned for the service record
    type_text(tab.adjust_reason, "录错了人")
    tab.reverse()
    assert len(errors) == 1
    assert tab.model.data(tab.model.index(0, 4)) == "-20"
    assert tab.model.data(tab.model.index(0, 5)) == "5"
    with db.read() as session:
        assert service.list_records(session, s.vol_a)[0].status == "void"
        assert service.balance(session, s.vol_a) == 5


def test_desk_operator_sees_no_admin_actions(qtbot, vdb, desk) -> None:
    db, _ = vdb
    widget = VolunteersPage(DeskContext(db, desk), page_spec("volunteers"))
    qtbot.add_widget(widget)
    widget.show()
    widget.tabs.setCurrentWidget(widget.ledger)
    assert not widget.ledger.admin_box.isVisible()
    widget.tabs.setCurrentWidget(widget.desk)
    assert not widget.desk.reverse_button.isVisible()
    widget.tabs.setCurrentWidget(widget.setup)
    assert not widget.setup.forms_scroll.isVisible() and widget.setup.notice.isVisible()
    assert not widget.setup.edit_team_button.isVisible()
    widget.tabs.setCurrentWidget(widget.stock)
    assert not widget.stock.edit_button.isVisible()
    qtbot.waitUntil(lambda: not widget.ledger.checker.running)
