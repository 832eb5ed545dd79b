"""The check-in page offscreen: keyboard flow, tallies, undo, check-out, midnight, clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from frontdesk.checkin.models import Checkin
from frontdesk.core.actor import Actor
from frontdesk.core.clock import CENTRE_TZ, FixedClock
from frontdesk.core.db import Database
from frontdesk.ui.context import DeskContext
from frontdesk.ui.pages import page_spec
from frontdesk.ui.pages.checkin_page import CheckinPage
from frontdesk.ui.widgets.bar_chart import BAR_LAST, BarChart
from frontdesk.ui.widgets.rows_model import RowsModel
from tests.checkin.conftest import people  # noqa: F401  (fixture)


@pytest.fixture
def page(qtbot: QtBot, centre_db: Database, desk: Actor,
         people: dict[str, int]) -> Iterator[CheckinPage]:  # noqa: F811
    ctx = DeskContext(centre_db, desk)
    widget = CheckinPage(ctx, page_spec("checkin"))
    qtbot.addWidget(widget)
    widget.resize(1100, 760)
    widget.show()
    widget.refresh()
    yield widget


def stored(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Checkin).where(
            Checkin.voided.is_(False))) or 0


def scan(page: CheckinPage, text: str) -> None:
    page.input.setFocus()
    QTest.keyClicks(page.input, text)
    QTest.keyClick(page.input, Qt.Key.Key_Return)


def type_chinese(page: CheckinPage, text: str) -> None:
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, page.input, Qt.Key.Key_unknown, ch,
                           Qt.KeyboardModifier.NoModifier)
    QTest.keyClick(page.input, Qt.Key.Key_Return)


def test_rows_model_passes_the_model_tester(qtmodeltester: object) -> None:
    model = RowsModel(("时间", "姓名"))
    model.set_rows([("10:00", "陈阿婆"), ("10:05", "林小明")], [1, 2])
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_scan_then_digit_then_enter_checks_in(page: CheckinPage, centre_db: Database) -> None:
    scan(page, "C0001")
    assert "陈阿婆" in page.person_label.text() and "76 岁" in page.person_label.text()
    assert stored(centre_db) == 0
    QTest.keyClick(page.input, Qt.Key.Key_5)  # [5] 长者食堂
    assert page.input.text() == ""
    assert page.purpose_buttons[page.purpose_id or 0].text() == "[5] 长者食堂"
    QTest.keyClick(page.input, Qt.Key.Key_Return)
    assert stored(centre_db) == 1
    assert "签到 1 人次" in page.today_label.text()
    assert page.in_centre_model.rows[0][1:] == ("陈阿婆", "长者食堂")
    assert page.person is None  # ready for the next visitor
    assert page.person_label.text() == "已签到：陈阿婆，事由：长者食堂 ✓"


def test_default_purpose_checks_in_on_the_scan_alone(page: CheckinPage,
                                                     centre_db: Database) -> None:
    page.default_combo.setCurrentIndex(page.default_combo.findText("四点钟学校"))
    scan(page, "C0002")
    assert stored(centre_db) == 1
    assert page.in_centre_model.rows[0][1:] == ("林小明", "四点钟学校")


def test_name_search_in_chinese_selects_the_single_match(page: CheckinPage) -> None:
    type_chinese(page, "王师傅")
    assert page.person is not None and page.person.name == "王师傅"
    assert "139****1111" in page.person_label.text()


def test_unknown_code_says_so_and_stores_nothing(page: CheckinPage, centre_db: Database) -> None:
    scan(page, "NOSUCH1")
    assert "没有找到“NOSUCH1”" in page.person_label.text()
    assert page.person is None and stored(centre_db) == 0


def _close_next_message_box(answers: list[str]) -> None:
    def close() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            answers.append(box.text())
            box.accept()
        else:
            QTimer.singleShot(20, close)
    QTimer.singleShot(20, close)


def test_deceased_resident_is_refused_visibly(page: CheckinPage, centre_db: Database) -> None:
    scan(page, "C0005")
    assert "档案已停用" in page.person_label.text()
    page.choose_purpose(page.purposes[0].id)
    messages: list[str] = []
    _close_next_message_box(messages)
    page.commit()
    assert messages and "已去世" in messages[0]
    assert stored(centre_db) == 0


def test_repeat_asks_and_the_desk_decides(page: CheckinPage, centre_db: Database) -> None:
    questions: list[str] = []
    answer = [False]

    def ask(title: str, message: str) -> bool:
        questions.append(message)
        return answer[0]

    page.ask_yes_no = ask
    for _ in range(2):
        scan(page, "C0001")
        QTest.keyClick(page.input, Qt.Key.Key_5)
        QTest.keyClick(page.input, Qt.Key.Key_Return)
    assert stored(centre_db) == 1 and "已经签到过" in questions[0]
    answer[0] = True
    scan(page, "C0001")
    QTest.keyClick(page.input, Qt.Key.Key_5)
    QTest.keyClick(page.input, Qt.Key.Key_Return)
    assert stored(centre_db) == 2 and len(questions) == 2


def test_tally_group_visit_quick_registration_undo_and_check_out(
        qtbot: QtBot, page: CheckinPage, centre_db: Database, clock: FixedClock) -> None:
    first_group = next(iter(page.tally_buttons.values()))
    qtbot.mouseClick(first_group, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(first_group, Qt.MouseButton.LeftButton)
    assert "（今日 2）" in first_group.text()
    page.add_group_visit("桂山小学", 30, None)
    assert "团体 1 批 30 人" in page.today_label.text()

    clock.advance(minutes=1)
    person = page.quick_register("赵临时", "")
    assert person is not None and person.temporary
    assert "临时" in page.person_label.text()
    QTest.keyClick(page.input, Qt.Key.Key_7)
    QTest.keyClick(page.input, Qt.Key.Key_Return)
    assert stored(centre_db) == 1
    assert "来访总人数 <b>33</b>" in page.today_label.text()

    page.recent.setCurrentRow(0)  # the newest: the check-in
    page.ask_text = lambda title, label: "登记错了"
    page.undo_selected()
    assert stored(centre_db) == 0
    assert "（已撤销）" in page.recent.item(0).text()
    assert "来访总人数 <b>32</b>" in page.today_label.text()

    scan(page, "C0002")
    QTest.keyClick(page.input, Qt.Key.Key_3)
    QTest.keyClick(page.input, Qt.Key.Key_Return)
    clock.advance(minutes=45)
    page.in_centre_view.selectRow(0)
    page.check_out_selected()
    assert page.in_centre_model.rows == []
    with centre_db.read() as session:
        done = session.scalars(select(Checkin).where(Checkin.voided.is_(False))).one()
    assert done.duration_minutes == 45


def test_midnight_roll_over_while_the_page_is_open(page: CheckinPage, centre_db: Database,
                                                   clock: FixedClock) -> None:
    clock.moment = dt.datetime(2026, 11, 22, 23, 59, 40, tzinfo=CENTRE_TZ)
    page.default_combo.setCurrentIndex(page.default_combo.findText("红蜂驿站"))
    scan(page, "C0003")
    assert "2026-11-22" in page.date_label.text()
    clock.advance(seconds=30)
    scan(page, "C0001")
    assert "2026-11-23" in page.date_label.text()
    assert "签到 1 人次" in page.today_label.text()
    with centre_db.read() as session:
        days = sorted(session.scalars(select(Checkin.business_date)))
    assert days == [dt.date(2026, 11, 22), dt.date(2026, 11, 23)]


def test_clock_going_backwards_is_shown(page: CheckinPage, centre_db: Database,
                                        clock: FixedClock) -> None:
    page.default_combo.setCurrentIndex(page.default_combo.findText("长者食堂"))
    scan(page, "C0001")
    assert page.warning.isHidden()
    clock.advance(hours=-2)
    scan(page, "C0002")
    assert page.warning.isVisible() and "早了 120 分钟" in page.warning.text()
    assert stored(centre_db) == 2


def test_bar_chart_paints_today_darker(qtbot: QtBot) -> None:
    chart = BarChart()
    qtbot.addWidget(chart)
    chart.resize(280, 150)
    chart.set_bars([("01", 5), ("02", 10)])
    image = chart.grab().toImage()
    # the middle of the right half, just above the axis, is inside today's bar
    colour = QColor(image.pixel(210, 150 - 30))
    assert colour.name() == BAR_LAST.name()


def test_admin_adds_a_purpose_with_a_hot_key_and_the_desk_uses_it(
        qtbot: QtBot, centre_db: Database, admin: Actor, desk: Actor,
        people: dict[str, int]) -> None:  # noqa: F811
    from frontdesk.ui.pages.checkin_admin import CheckinAdminDialog

    ctx = DeskContext(centre_db, admin)
    dialog = CheckinAdminDialog(ctx)
    qtbot.addWidget(dialog)
    editor = dialog.purposes
    assert editor.items.count() == 9
    editor.start_new()
    editor.name.setText("义剪")
    editor.area.setCurrentIndex(editor.area.findData("elder"))
    QTest.keyClicks(editor.hotkey, "j")
    editor.save()
    assert "义剪" in editor.status.text() and editor.items.count() == 10
    editor.items.setCurrentRow(0)  # [1] 党建活动: switch it off
    editor.active.setChecked(False)
    editor.save()
    groups = dialog.groups
    groups.start_new()
    groups.name.setText("保洁员")
    groups.save()
    assert groups.items.count() == 5

    page = CheckinPage(DeskContext(centre_db, desk), page_spec("checkin"))
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    assert page.admin_button.isHidden()  # desk operators do not manage purposes
    labels = [b.text() for b in page.purpose_buttons.values()]
    assert "[J] 义剪" in labels and "[1] 党建活动" not in labels
    assert any("保洁员" in b.text() for b in page.tally_buttons.values())
    scan(page, "C0001")
    QTest.keyClick(page.input, Qt.Key.Key_J)
    QTest.keyClick(page.input, Qt.Key.Key_Return)
    assert page.in_centre_model.rows[0][1:] == ("陈阿婆", "义剪")


def test_the_main_window_scan_box_feeds_the_check_in_page(
        qtbot: QtBot, centre_db: Database, desk: Actor,
        people: dict[str, int]) -> None:  # noqa: F811
    from frontdesk.ui.main_window import MainWindow

    window = MainWindow(DeskContext(centre_db, desk))
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("checkin")
    assert isinstance(page, CheckinPage)
    window.scan_box.setText("C0002")
    window.scan_box.returnPressed.emit()
    assert page.person is not None and page.person.name == "林小明"


def test_a_default_purpose_set_while_the_page_is_open_is_taken_up(
        page: CheckinPage, centre_db: Database, admin: Actor) -> None:
    """The admin sets the centre's default (开业准备 → 签到) with the page already built:
    the next refresh shows it and a scanned card checks in at once; the desk's own pick
    afterwards survives refreshes while the centre's default stays the same."""
    from frontdesk.checkin import service

    assert page.default_combo.currentData() is None
    with centre_db.session() as session:
        school = next(p for p in service.list_purposes(session) if p.name == "四点钟学校")
        service.set_default_purpose(session, admin, school.id)
    page.refresh()
    assert page.default_combo.currentText() == "四点钟学校"
    scan(page, "C0002")
    assert stored(centre_db) == 1
    assert page.in_centre_model.rows[0][1:] == ("林小明", "四点钟学校")
    page.default_combo.setCurrentIndex(page.default_combo.findText("长者食堂"))
    page.refresh()
    assert page.default_combo.currentText() == "长者食堂"
