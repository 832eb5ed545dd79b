"""The canteen page offscreen: scan → split → Enter, printer faults, voids, rules, delivery."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QInputDialog, QLabel, QPushButton

from frontdesk.canteen import service as svc
from frontdesk.core.clock import FixedClock
from frontdesk.documents import service as documents
from frontdesk.ui import printing
from frontdesk.ui.context import DeskContext
from frontdesk.ui.pages import page_spec
from frontdesk.ui.pages.canteen_models import TicketTableModel
from frontdesk.ui.pages.canteen_page import CanteenPage, receipt_printer_for
from frontdesk.ui.pages.canteen_rule_dialog import RuleDialog
from tests.canteen.conftest import Canteen, canteen  # noqa: F401  (fixture)
from tests.documents.helpers import plumber_pages, squash
from tests.ui.test_printing import _answer_next_message_box as answer_next_message_box


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Messages that would have popped up in a dialog."""
    seen: list[str] = []
    monkeypatch.setattr("frontdesk.ui.context.show_error", lambda _p, m: seen.append(m))
    monkeypatch.setattr("frontdesk.ui.pages.canteen_page.show_error",
                        lambda _p, m: seen.append(m))
    return seen


@pytest.fixture
def page(qtbot, centre_db, admin, canteen: Canteen, clock: FixedClock,  # noqa: F811
         errors) -> CanteenPage:
    clock.moment = clock.moment.replace(hour=11, minute=30)
    widget = CanteenPage(DeskContext(centre_db, admin), page_spec("canteen"))
    widget.receipt_printer = lambda pdf, paper, title: None  # never a real spooler here
    qtbot.add_widget(widget)
    widget.resize(1100, 700)
    widget.show()
    widget.refresh()
    return widget


def type_chinese(widget, text: str) -> None:
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch,
                           Qt.KeyboardModifier.NoModifier)


def self_pay_text(page: CanteenPage) -> str:
    label = page.queue.preview_box.findChild(QLabel, "selfPay")
    return label.text() if label is not None else ""


def test_ticket_model_passes_the_model_tester(qtmodeltester, centre_db, admin,
                                              canteen: Canteen, clock) -> None:  # noqa: F811
    clock.moment = clock.moment.replace(hour=11, minute=30)
    with centre_db.session() as session:
        svc.issue_ticket(session, admin, resident_id=canteen.aged85)
        t = svc.issue_ticket(session, admin, resident_id=canteen.aged70, collector="儿子")
        svc.void_ticket(session, admin, t.id, "退餐")
        tickets = svc.list_tickets(session, admin.today())
    model = TicketTableModel()
    model.set_tickets(tickets)
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert "代领" in model.data(model.index(0, 1))
    assert model.data(model.index(0, 6)) == "已作废"
    assert "已作废：" in model.data(model.index(0, 6), Qt.ItemDataRole.ToolTipRole)


def test_scan_shows_the_split_and_enter_issues_the_ticket(qtbot, page: CanteenPage,
                                                          centre_db, admin) -> None:
    q = page.queue
    qtbot.keyClicks(q.scan, "C0001")
    qtbot.keyClick(q.scan, Qt.Key.Key_Return)
    assert q.pending is not None and self_pay_text(page) == "3.00"
    assert "高龄" in q.why.text()
    if os.environ.get("CANTEEN_SHOTS"):
        page.grab().save(str(Path(os.environ["CANTEEN_SHOTS"]) / "preview.png"))
    qtbot.keyClick(q.scan, Qt.Key.Key_Return)  # one keystroke after the scan
    with centre_db.read() as session:
        tickets = svc.list_tickets(session, admin.today())
    assert len(tickets) == 1 and tickets[0].self_pay_fen == 300
    assert tickets[0].number in q.last.text()
    assert q.pending is None and q.model.rowCount() == 1


def test_a_typed_chinese_name_finds_the_elder(qtbot, page: CanteenPage) -> None:
    q = page.queue
    q.scan.setFocus()
    type_chinese(q.scan, "黄婶")
    qtbot.keyClick(q.scan, Qt.Key.Key_Return)
    assert q.pending is not None and q.pending.split.rule_name == "困难老人"
    assert self_pay_text(page) == "1.00"


def test_unknown_card_says_so_and_writes_nothing(qtbot, page: CanteenPage, centre_db,
                                                 admin) -> None:
    q = page.queue
    qtbot.keyClicks(q.scan, "ZZ999")
    qtbot.keyClick(q.scan, Qt.Key.Key_Return)
    assert q.pending is None and "ZZ999" in q.why.text()
    assert not q.issue_button.isEnabled()
    qtbot.keyClick(q.scan, Qt.Key.Key_Return)
    with centre_db.read() as session:
        assert svc.list_tickets(session, admin.today()) == []


def test_the_receipt_is_archived_and_printed_after_each_ticket(
        qtbot, page: CanteenPage, centre_db, admin) -> None:
    sent: list[tuple[bytes, str, str]] = []
    page.receipt_printer = lambda pdf, paper, title: sent.append((pdf, paper, title))
    q = page.queue
    qtbot.keyClicks(q.scan, "C0001")
    qtbot.keyClick(q.scan, Qt.Key.Key_Return)
    qtbot.keyClick(q.scan, Qt.Key.Key_Return)
    with centre_db.read() as session:
        (ticket,) = svc.list_tickets(session, admin.today())
        (doc,) = documents.list_documents(session, record_type="meal_ticket",
                                          record_id=ticket.id)
        stored = documents.get_document_pdf(session, doc.id)
    assert ticket.printed_count == 1
    assert doc.kind == "canteen.ticket" and doc.paper == "receipt80"
    assert doc.operator_username == admin.username and doc.business_date == admin.today()
    (pdf, paper, title), = sent
    assert pdf == stored and paper == "receipt80" and ticket.number in title
    assert ticket.number in squash("".join(plumber_pages(pdf)))


def test_a_failing_printer_leaves_the_ticket_standing_and_reprint_works(
        qtbot, page: CanteenPage, centre_db, admin, errors: list[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_pdf: bytes, _paper: str, _title: str) -> None:
        raise OSError("打印机缺纸")

    page.receipt_printer = broken
    q = page.queue
    qtbot.keyClicks(q.scan, "C0002")
    qtbot.keyClick(q.scan, Qt.Key.Key_Return)
    qtbot.keyClick(q.scan, Qt.Key.Key_Return)
    assert errors and "缺纸" in errors[-1] and "已保存" in errors[-1]
    with centre_db.read() as session:
        (ticket,) = svc.list_tickets(session, admin.today())
        (doc,) = documents.list_documents(session, record_type="meal_ticket",
                                          record_id=ticket.id)
    assert ticket.printed_count == 0 and not ticket.voided
    # 重打小票 with no printer on this computer: told so, and the receipt saved as PDF,
    # stamped 补打.
    monkeypatch.setattr(printing, "available_printers", lambda: [])
    target = tmp_path / "reprint.pdf"
    monkeypatch.setattr(printing.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    texts: list[str] = []
    answer_next_message_box(texts, "另存为 PDF")
    q.table.selectRow(0)
    q.reprint_selected()
    assert "没有可用的打印机" in texts[0]
    text = squash("".join(plumber_pages(target.read_bytes())))
    assert ticket.number in text and "补打" in text
    with centre_db.read() as session:
        assert svc.get_ticket(session, ticket.id).printed_count == 1
        assert documents.get_document(session, doc.id).reprint_count == 1


def test_no_receipt_printer_is_said_quietly_and_the_queue_goes_on(
        qtbot, page: CanteenPage, centre_db, admin, errors: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(printing, "available_printers", lambda: [])
    page.receipt_printer = receipt_printer_for(page.ctx)
    said: list[str] = []
    monkeypatch.setattr(page, "say", said.append)
    q = page.queue
    for card in ("C0001", "C0002"):
        qtbot.keyClicks(q.scan, card)
        qtbot.keyClick(q.scan, Qt.Key.Key_Return)
        qtbot.keyClick(q.scan, Qt.Key.Key_Return)
    assert errors == [] and len(said) == 2 and "小票打印机" in said[0]
    with centre_db.read() as session:
        tickets = svc.list_tickets(session, admin.today())
    assert len(tickets) == 2 and all(t.printed_count == 0 for t in tickets)


def test_day_sheets_are_archived_and_offered_for_printing(
        qtbot, page: CanteenPage, centre_db, admin, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    qtbot.keyClicks(page.queue.scan, "C0001")
    qtbot.keyClick(page.queue.scan, Qt.Key.Key_Return)
    qtbot.keyClick(page.queue.scan, Qt.Key.Key_Return)
    monkeypatch.setattr(printing, "available_printers", lambda: [])
    texts: list[str] = []
    for button in (page.queue.findChild(QPushButton, "printDailySheet"),
                   page.delivery.findChild(QPushButton, "printRouteSheet"),
                   page.preorders.findChild(QPushButton, "printKitchen")):
        answer_next_message_box(texts, "关闭")
        button.click()
    assert len(texts) == 3 and all("没有可用的打印机" in t for t in texts)
    with centre_db.read() as session:
        kinds = {d.kind: d for d in documents.list_documents(session)}
    assert {"canteen.daily_sheet", "canteen.route_sheet", "canteen.kitchen"} <= set(kinds)
    sheet = kinds["canteen.daily_sheet"]
    assert sheet.paper == "a4_landscape" and sheet.record_id == admin.today().isoformat()


def test_closed_session_is_refused_with_a_message(qtbot, page: CanteenPage, centre_db,
                                                  admin, canteen: Canteen) -> None:  # noqa: F811
    with centre_db.session() as session:
        svc.set_day(session, admin, canteen.lunch, admin.today(), closed=True)
    page.queue.refresh()
    qtbot.keyClicks(page.queue.scan, "C0001")
    qtbot.keyClick(page.queue.scan, Qt.Key.Key_Return)
    assert page.queue.pending is None and "停止供餐" in page.queue.why.text()


def test_void_asks_for_a_reason(qtbot, page: CanteenPage, centre_db, admin,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    q = page.queue
    qtbot.keyClicks(q.scan, "C0003")
    qtbot.keyClick(q.scan, Qt.Key.Key_Return)
    qtbot.keyClick(q.scan, Qt.Key.Key_Return)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("打错了", True))
    q.table.selectRow(0)
    q.void_selected()
    with centre_db.read() as session:
        (ticket,) = svc.list_tickets(session, admin.today())
    assert ticket.voided and ticket.void_reason == "打错了"
    assert "作废 1 份" in q.totals.text()


def test_rule_dialog_keeps_the_fields_and_says_why_on_overlap(qtbot, page: CanteenPage,
                                                              centre_db) -> None:
    dialog = RuleDialog(page.ctx)
    qtbot.add_widget(dialog)
    dialog.name.setText("重复的高龄规则")
    dialog.priority.setValue(20)
    dialog.min_age.setText("85")
    first = next(iter(dialog.amounts.values()))
    first.setText("5")
    dialog.submit()
    assert "优先级相同" in dialog.message.text()
    assert dialog.name.text() == "重复的高龄规则" and first.text() == "5"
    dialog.min_age.setText("八十")
    dialog.submit()
    assert "整数" in dialog.message.text()
    dialog.min_age.setText("85")
    dialog.priority.setValue(5)
    dialog.submit()
    with centre_db.read() as session:
        assert any(r.spec.name == "重复的高龄规则" for r in svc.list_rules(session))


def test_delivery_tab_marks_not_at_home_and_follow_up(qtbot, page: CanteenPage, centre_db,
                                                      admin, canteen: Canteen,  # noqa: F811
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    with centre_db.session() as session:
        svc.issue_ticket(session, admin, resident_id=canteen.aged85, meal_type="delivery",
                         route="一组")
    page.tabs.setCurrentWidget(page.delivery)
    assert page.delivery.table.rowCount() == 1
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("敲门无人", True))
    page.delivery.table.selectRow(0)
    page.delivery.mark("not_home")
    assert page.delivery.follow.rowCount() == 1
    page.delivery.follow.selectRow(0)
    page.delivery.follow_up()
    assert page.delivery.follow.rowCount() == 0


def test_the_queue_fits_a_1280_and_a_1024_screen(qtbot, centre_db, admin, canteen: Canteen,  # noqa: F811
                                                 clock: FixedClock, ui_language: str) -> None:
    """Measured on the real main window in the shipped fonts, Chinese and English: the window
    can be as small as 1024x768; at 1280x800 the ticket list needs no sideways scrolling and
    shows every column but the category whole, the fields show their whole examples and the
    buttons their whole words. (English used to need 1196 pixels and a scrolled list.)"""
    from PySide6.QtWidgets import QAbstractButton, QApplication

    from frontdesk.canteen.models import DELIVERY_NOT_HOME
    from frontdesk.ui.main_window import MainWindow
    from frontdesk.ui.widgets.fit import placeholder_fits

    clock.moment = clock.moment.replace(hour=11, minute=30)
    with centre_db.session() as s:  # a day's list with the widest kinds of row
        svc.issue_ticket(s, admin, resident_id=canteen.aged85, payment="wechat")
        t = svc.issue_ticket(s, admin, resident_id=canteen.aged70, meal_type="delivery",
                             collector="儿子", route="桂山一路")
        svc.mark_delivery(s, admin, t.id, DELIVERY_NOT_HOME)
        svc.issue_ticket(s, admin, resident_id=canteen.poor65, meal_type="takeaway",
                         payment="wechat")
        v = svc.issue_ticket(s, admin, resident_id=canteen.migrant70)
        svc.void_ticket(s, admin, v.id, "家属临时接回家吃饭，不在中心用餐" * 2)
        svc.issue_ticket(s, admin, resident_id=None, diner_kind="staff", diner_name="厨师 老蔡")
    window = MainWindow(DeskContext(centre_db, admin))
    qtbot.add_widget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.wait_exposed(window)
    page = window.show_page("canteen")
    assert isinstance(page, CanteenPage)
    page.receipt_printer = lambda pdf, paper, title: None
    for tab in page.tab_names():  # every tab counts towards the page's least size
        page.show_tab(tab)
    page.show_tab("tickets")
    queue = page.queue
    queue.prepare(canteen.aged85)  # the split in large figures
    QApplication.processEvents()

    least = window.minimumSizeHint()
    assert least.width() <= 1024 and least.height() <= 768, least
    assert (window.width(), window.height()) == (1280, 800)

    table, header = queue.table, queue.table.horizontalHeader()
    assert table.model().rowCount() == 5
    assert not table.horizontalScrollBar().isVisible()
    for column in range(3, header.count()):
        assert header.sectionSize(column) >= max(table.sizeHintForColumn(column),
                                                 header.sectionSizeHint(column)), column
    # names whole (a 代领 note may elide), the category stretches into the rest and elides
    assert header.sectionSize(1) >= table.fontMetrics().horizontalAdvance("厨师 老蔡") + 8
    assert header.sectionSize(2) >= 60
    for edit in (queue.collector, queue.route, queue.scan):
        assert placeholder_fits(edit), edit.placeholderText()
    for combo in (queue.session_combo, queue.type_combo, queue.pay_combo):
        assert combo.width() >= combo.sizeHint().width(), combo.currentText()
    for button in queue.findChildren(QAbstractButton):
        if button.isVisible():
            assert button.width() >= button.minimumSizeHint().width(), button.text()
    for label in queue.preview_box.findChildren(QLabel):
        if label.isVisible() and not label.wordWrap():
            assert label.width() >= label.minimumSizeHint().width(), label.text()
