"""The canteen set up from an EMPTY centre through its forms alone (no demo, no service calls
for the setup), then one meal ticket with its receipt archived, as the desk issues it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QPushButton

from frontdesk.canteen import service as svc
from frontdesk.core.clock import FixedClock
from frontdesk.documents import service as documents
from frontdesk.ui.context import DeskContext
from frontdesk.ui.pages import page_spec
from frontdesk.ui.pages.canteen_page import CanteenPage
from frontdesk.ui.pages.canteen_rule_dialog import RuleDialog
from frontdesk.ui.pages.canteen_setup import DayMenuDialog, FunderDialog, SessionDialog
from tests.canteen.conftest import add_resident
from tests.documents.helpers import plumber_pages, squash


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    monkeypatch.setattr("frontdesk.ui.context.show_error", lambda _p, m: seen.append(m))
    monkeypatch.setattr("frontdesk.ui.pages.canteen_page.show_error",
                        lambda _p, m: seen.append(m))
    return seen


def make_page(qtbot, db, actor) -> CanteenPage:
    widget = CanteenPage(DeskContext(db, actor), page_spec("canteen"))
    qtbot.add_widget(widget)
    widget.resize(1366, 768)
    widget.show()
    widget.refresh()
    return widget


def on_dialog(kind: type[QDialog], steps: Callable[[QDialog], None], seen: list[str]) -> None:
    """Run ``steps`` on the modal ``kind`` the next click opens; it always ends closed (a
    failed step is kept in ``seen`` and the dialog is rejected, so the test never hangs)."""
    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if not isinstance(widget, kind):
            from PySide6.QtCore import QTimer

            QTimer.singleShot(10, poll)
            return
        try:
            steps(widget)
        except Exception as exc:  # reported by the test after exec() returns
            seen.append(f"FAILED {type(exc).__name__}: {exc}")
        if widget.isVisible():
            widget.reject()

    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, poll)


def ok(dialog: QDialog) -> None:
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def test_from_an_empty_centre_to_a_subsidised_ticket_through_the_forms(
        qtbot, centre_db, admin, clock: FixedClock, errors: list[str]) -> None:
    page = make_page(qtbot, centre_db, admin)
    # Nothing set up: the page says so in words, with the button that fixes it.
    assert page.notice.isVisible()
    missing = page.notice.findChild(QLabel, "missing_session")
    assert missing is not None and "还没有餐次" in missing.text() and missing.isVisible()
    assert page.notice.findChild(QPushButton, "fix_session").isVisible()
    assert page.notice.findChild(QLabel, "missing_funders") is not None
    seen: list[str] = []

    def fill_session(d: QDialog) -> None:
        assert isinstance(d, SessionDialog)
        d.name.setText("午餐")
        d.start.setTime(QTime(11, 0))
        d.end.setTime(QTime(13, 0))
        d.price.setText("十元")  # refused: the form keeps everything and says why
        d.capacity.setText("60")
        d.menu.setText("三菜一汤")
        ok(d)
        seen.append(d.message.text())
        assert d.isVisible() and d.name.text() == "午餐" and d.menu.text() == "三菜一汤"
        d.price.setText("10")
        ok(d)

    on_dialog(SessionDialog, fill_session, seen)
    page.notice.findChild(QPushButton, "fix_session").click()
    assert "金额格式不对" in seen[0] and not [s for s in seen if s.startswith("FAILED")]
    assert page.notice.findChild(QLabel, "missing_session") is None

    def add_funders(d: QDialog) -> None:
        assert isinstance(d, FunderDialog)
        for name in ("政府补助", "村级", "政府补助"):
            d.name.setText(name)
            d.add_button.click()
        seen.append(d.message.text())  # the second 政府补助 is refused
        assert d.items.count() == 3  # 政府补助, 村级, 个人自付
        d.accept()

    on_dialog(FunderDialog, add_funders, seen)
    page.notice.findChild(QPushButton, "fix_funders").click()
    assert "已经有" in seen[-1] and not [s for s in seen if s.startswith("FAILED")]
    rule_button = page.notice.findChild(QPushButton, "fix_rule")
    assert rule_button is not None  # funders there: the note now asks for a rule

    def write_rule(d: QDialog) -> None:
        assert isinstance(d, RuleDialog)
        ids = {f.name: f.id for f in d.funders}
        d.name.setText("高龄老人（80岁以上）")
        d.min_age.setText("80")
        d.amounts[ids["政府补助"]].setText("12")  # more than the 10 元 lunch: refused
        d.amounts[ids["村级"]].setText("2")
        ok(d)
        seen.append(d.message.text())
        assert d.isVisible() and d.min_age.text() == "80"
        d.amounts[ids["政府补助"]].setText("5")
        ok(d)

    on_dialog(RuleDialog, write_rule, seen)
    rule_button.click()
    assert "超过了午餐的价格" in seen[-1] and not [s for s in seen if s.startswith("FAILED")]
    assert not page.notice.isVisible()  # nothing missing any more
    assert page.tabs.currentWidget() is page.admin_tab
    rules = page.admin_tab.rules
    assert rules.rowCount() == 1
    assert rules.item(0, 1).text() == "80 岁及以上"
    assert rules.item(0, 2).text() == "政府补助付 5.00 元，村级付 2.00 元，其余本人付"
    assert "[" not in rules.item(0, 3).text()

    # One real use: the desk scans the elder's card at lunchtime, Enter issues the ticket.
    elder = add_resident(centre_db, admin, "陈阿婆", dt.date(1941, 3, 1), card="E0001")
    clock.moment = clock.moment.replace(hour=11, minute=30)
    sent: list[tuple[bytes, str, str]] = []
    page.receipt_printer = lambda pdf, paper, title: sent.append((pdf, paper, title))
    page.tabs.setCurrentWidget(page.queue)
    q = page.queue
    qtbot.keyClicks(q.scan, "E0001")
    qtbot.keyClick(q.scan, Qt.Key.Key_Return)
    assert q.pending is not None and q.pending.split.self_pay_fen == 300
    qtbot.keyClick(q.scan, Qt.Key.Key_Return)
    assert errors == []
    with centre_db.read() as session:
        (ticket,) = svc.list_tickets(session, admin.today())
        (doc,) = documents.list_documents(session, record_type="meal_ticket",
                                          record_id=ticket.id)
        stored = documents.get_document_pdf(session, doc.id)
    assert (ticket.resident_id, ticket.price_fen, ticket.self_pay_fen) == (elder, 1000, 300)
    assert sorted((s.funder_name, s.amount_fen) for s in ticket.shares) == [
        ("政府补助", 500), ("村级", 200)]
    assert ticket.printed_count == 1 and doc.kind == "canteen.ticket"
    (pdf, _paper, _title), = sent
    assert pdf == stored
    text = squash("".join(plumber_pages(pdf)))
    assert ticket.number in text and "陈阿婆" in text and "3.00" in text


def test_sessions_are_edited_and_retired_and_a_day_menu_set_through_the_forms(
        qtbot, centre_db, admin, errors: list[str]) -> None:
    page = make_page(qtbot, centre_db, admin)
    seen: list[str] = []

    def new_session(name: str, start: tuple[int, int], end: tuple[int, int], price: str
                    ) -> Callable[[QDialog], None]:
        def steps(d: QDialog) -> None:
            assert isinstance(d, SessionDialog)
            d.name.setText(name)
            d.start.setTime(QTime(*start))
            d.end.setTime(QTime(*end))
            d.price.setText(price)
            ok(d)
            seen.append(d.message.text())
        return steps

    page.tabs.setCurrentWidget(page.admin_tab)
    admin_tab = page.admin_tab
    add = admin_tab.findChild(QPushButton, "addSession")
    on_dialog(SessionDialog, new_session("午餐", (11, 0), (13, 0), "10"), seen)
    add.click()
    on_dialog(SessionDialog, new_session("晚餐", (12, 30), (18, 0), "8"), seen)
    add.click()
    assert "重叠" in seen[-1]  # refused, the dialog was left open with the fields
    on_dialog(SessionDialog, new_session("晚餐", (17, 0), (18, 30), "8"), seen)
    add.click()
    assert admin_tab.sessions.rowCount() == 2

    def rename_and_retire(d: QDialog) -> None:
        assert isinstance(d, SessionDialog) and d.name.text() == "晚餐"
        d.name.setText("夜宵")
        d.active.setChecked(False)
        ok(d)

    admin_tab.sessions.selectRow(1)
    on_dialog(SessionDialog, rename_and_retire, seen)
    admin_tab.findChild(QPushButton, "editSession").click()
    assert admin_tab.sessions.item(1, 0).text() == "夜宵（已停用）"
    tomorrow = admin.today() + dt.timedelta(days=1)

    def menu(d: QDialog) -> None:
        assert isinstance(d, DayMenuDialog)
        d.day.setDate(d.day.date().addDays(1))
        d.menu.setText("红烧鱼、青菜、紫菜汤")
        ok(d)

    admin_tab.sessions.selectRow(0)
    on_dialog(DayMenuDialog, menu, seen)
    admin_tab.findChild(QPushButton, "dayMenu").click()
    assert not [s for s in seen if s.startswith("FAILED")], seen
    with centre_db.read() as session:
        lunch = svc.session_by_name(session, "午餐")
        assert svc.day_settings(session, lunch.id, tomorrow).menu == "红烧鱼、青菜、紫菜汤"
        assert [s.name for s in svc.list_sessions(session, tomorrow)] == ["午餐"]


def test_a_rule_is_edited_in_the_form_and_read_in_words(qtbot, centre_db, admin,
                                                        errors: list[str]) -> None:
    page = make_page(qtbot, centre_db, admin)
    seen: list[str] = []
    page.tabs.setCurrentWidget(page.admin_tab)
    with centre_db.session() as session:  # a rule to edit (the first test writes one in the form)
        svc.create_session(session, admin, "午餐", "11:00", "13:00", 1200)
        gov = svc.create_funder(session, admin, "政府补助")
        svc.save_rule(session, admin, svc.RuleForm(
            "困难老人", 10, dt.date(2026, 1, 1), None, ((gov.id, 1100, False),),
            tags=("低保", "特困")))
    page.refresh()
    tab = page.admin_tab
    tab.rules.selectRow(0)

    def change(d: QDialog) -> None:
        assert isinstance(d, RuleDialog) and d.name.text() == "困难老人"
        assert d.tags.text() == "低保、特困" and d.amounts[gov.id].text() == "11.00"
        d.rest.setCurrentIndex(d.rest.findData(gov.id))
        d.amounts[next(f.id for f in d.funders if f.is_self)].setText("1")
        d.has_end.setChecked(True)
        ok(d)

    on_dialog(RuleDialog, change, seen)
    tab.findChild(QPushButton, "editRule").click()
    assert not seen, seen
    assert tab.rules.item(0, 1).text() == "属于低保、特困之一"
    assert tab.rules.item(0, 2).text() == "本人付 1.00 元，其余由政府补助付"
    assert tab.rules.item(0, 3).text() == "2026-01-01 至 2026-12-31"


def test_a_desk_operator_sees_what_is_missing_and_whom_to_ask(qtbot, centre_db, desk) -> None:
    page = make_page(qtbot, centre_db, desk)
    label = page.notice.findChild(QLabel, "missing_session")
    assert label is not None and "请联系管理员" in label.text()
    assert page.notice.findChild(QPushButton, "fix_session") is None
    page.tabs.setCurrentWidget(page.admin_tab)
    assert not page.admin_tab.findChild(QPushButton, "addSession").isVisible()
    assert not page.admin_tab.findChild(QPushButton, "addRule").isVisible()
    assert page.admin_tab.findChild(QPushButton, "dayMenu").isVisible()  # menus are the desk's
