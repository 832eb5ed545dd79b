"""Issue 16 through the screens alone: from an empty centre (first run done, nothing else) an
admin sets up check-in purposes with a default, a tally group, a room with opening hours and
a partner unit through the forms, then the desk does one check-in and one booking."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from frontdesk.checkin import service as checkin
from frontdesk.core.actor import Actor
from frontdesk.core.clock import CENTRE_TZ
from frontdesk.core.db import Database
from frontdesk.rooms import service as rooms
from frontdesk.ui.context import DeskContext
from frontdesk.ui.pages import page_spec
from frontdesk.ui.pages.checkin_admin import CheckinAdminDialog
from frontdesk.ui.pages.checkin_page import CheckinPage
from frontdesk.ui.pages.room_setup import RoomSetupDialog
from frontdesk.ui.pages.rooms_page import BookingDialog, RoomsPage


def when_modal(kind: type[QDialog], act: Callable[[QDialog], None]) -> list[str]:
    """Run ``act`` on the next modal dialog of ``kind`` once it is shown (exec() blocks)."""
    seen: list[str] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(20, poll)
            return
        try:
            act(dialog)
            seen.append("done")
        finally:
            dialog.accept()

    QTimer.singleShot(0, poll)
    return seen


def click(root: QWidget, name: str) -> None:
    from PySide6.QtWidgets import QPushButton

    button = root.findChild(QPushButton, name)
    assert button is not None, name
    assert button.isEnabled() and button.isVisibleTo(root), name
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.fixture
def admin_ctx(centre_db: Database, admin: Actor) -> DeskContext:
    return DeskContext(centre_db, admin)


def test_an_empty_centre_is_set_up_through_the_forms_then_checks_in_and_books(
        qtbot: QtBot, centre_db: Database, admin_ctx: DeskContext, desk: Actor) -> None:
    # -- rooms: the page says what is missing and offers the button that fixes it
    rooms_page = RoomsPage(admin_ctx, page_spec("rooms"))
    qtbot.addWidget(rooms_page)
    rooms_page.resize(1200, 760)
    rooms_page.show()
    rooms_page.refresh()
    assert rooms_page.empty_box.isVisible() and not rooms_page.grid_scroll.isVisible()
    assert "还没有可以预约的场地" in rooms_page.empty_label.text()

    def set_up_rooms(dialog: QDialog) -> None:
        assert isinstance(dialog, RoomSetupDialog)
        assert dialog.tabs.currentWidget().objectName() == "rooms"
        dialog.room_name.setText("多功能厅")
        dialog.capacity.setValue(80)
        dialog.facilities.setText("投影仪、音响")
        dialog.hours.days[6].setChecked(False)  # closed on Sundays
        dialog.hours.opens[0].setTime(dialog.hours.opens[0].time().fromString("08:30", "HH:mm"))
        dialog.hours.closes[0].setTime(dialog.hours.closes[0].time().fromString("21:00",
                                                                                "HH:mm"))
        click(dialog, "copyMonday")
        dialog.hours.closes[5].setTime(dialog.hours.closes[5].time().fromString("12:00",
                                                                                "HH:mm"))
        dialog.hours.opens[5].setTime(dialog.hours.opens[5].time().fromString("13:00",
                                                                              "HH:mm"))
        click(dialog, "addRoom")  # Saturday closes before it opens: refused, form kept
        assert "周六 的开放时间不对" in dialog.message.text()
        assert dialog.room_name.text() == "多功能厅" and dialog.capacity.value() == 80
        dialog.hours.opens[5].setTime(dialog.hours.opens[5].time().fromString("09:00",
                                                                              "HH:mm"))
        click(dialog, "addRoom")
        assert dialog.message.text() == "已添加场地“多功能厅”。"
        assert dialog.rooms_table.item(0, 3).text() == (
            "周一至周五 08:30-21:00；周六 09:00-12:00；周日不开放")
        dialog.room_name.setText("多功能厅A区")
        dialog.capacity.setValue(100)
        dialog.part_of.setCurrentIndex(dialog.part_of.findText("多功能厅"))
        click(dialog, "addRoom")
        assert "分区不能比整个场地大" in dialog.message.text()
        dialog.capacity.setValue(40)
        click(dialog, "addRoom")
        dialog.show_tab("orgs")
        dialog.org_name.setText("晋江某某科技有限公司")
        dialog.org_kind.setCurrentIndex(dialog.org_kind.findData("party_unit"))
        dialog.org_contact.setText("许经理")
        dialog.org_phone.setText("13960381122")
        click(dialog, "addOrg")
        assert dialog.orgs_table.rowCount() == 1
        assert dialog.orgs_table.item(0, 1).text() == "党建共建单位"

    done = when_modal(RoomSetupDialog, set_up_rooms)
    click(rooms_page, "addFirstRoom")
    assert done == ["done"]
    assert not rooms_page.empty_box.isVisible() and rooms_page.grid_scroll.isVisible()
    assert [c.title for c in rooms_page.grid.columns] == ["多功能厅", "多功能厅A区"]

    # -- check-in: purposes with a default and a tally group, in the admin's dialog
    checkin_page = CheckinPage(admin_ctx, page_spec("checkin"))
    qtbot.addWidget(checkin_page)
    checkin_page.resize(1200, 760)
    checkin_page.show()
    checkin_page.refresh()

    def set_up_checkin(dialog: QDialog) -> None:
        assert isinstance(dialog, CheckinAdminDialog)
        editor = dialog.purposes
        click(editor, "newRecord")
        editor.name.setText("长者食堂")  # exists already: refused, what was typed stays
        click(editor, "saveRecord")
        assert "已存在" in editor.status.text() and editor.name.text() == "长者食堂"
        editor.name.setText("健康讲座")
        editor.area.setCurrentIndex(editor.area.findData("health"))
        QTest.keyClicks(editor.hotkey, "h")
        click(editor, "saveRecord")
        assert editor.status.text() == "已保存：健康讲座"
        click(editor, "moveUp")
        editor.default_combo.setCurrentIndex(editor.default_combo.findText("健康讲座"))
        click(editor, "saveDefaultPurpose")
        assert editor.status.text() == "默认事由：健康讲座"
        dialog.show_tab("groups")
        groups = dialog.groups
        click(groups, "newRecord")
        groups.name.setText("保洁员")
        click(groups, "saveRecord")
        assert groups.items.count() == 5

    done = when_modal(CheckinAdminDialog, set_up_checkin)
    click(checkin_page, "checkinAdmin")
    assert done == ["done"]
    with centre_db.read() as s:
        assert checkin.default_purpose(s).name == "健康讲座"  # type: ignore[union-attr]
        names = [p.name for p in checkin.list_purposes(s)]
    assert names.index("健康讲座") == len(names) - 2  # moved up one place
    assert any("保洁员" in b.text() for b in checkin_page.tally_buttons.values())

    # -- the desk's day: one check-in (a walk-in visitor) and one booking
    desk_ctx = DeskContext(centre_db, desk)
    desk_checkin = CheckinPage(desk_ctx, page_spec("checkin"))
    qtbot.addWidget(desk_checkin)
    desk_checkin.show()
    desk_checkin.refresh()
    assert desk_checkin.admin_button.isHidden()
    assert desk_checkin.default_combo.currentText() == "健康讲座"
    person = desk_checkin.quick_register("陈阿婆", "13812345678")
    assert person is not None and desk_checkin.person == person
    desk_checkin.input.setFocus()
    QTest.keyClick(desk_checkin.input, Qt.Key.Key_H)
    QTest.keyClick(desk_checkin.input, Qt.Key.Key_Return)
    assert desk_checkin.in_centre_model.rows[0][1:] == ("陈阿婆", "健康讲座")

    desk_rooms = RoomsPage(desk_ctx, page_spec("rooms"))
    qtbot.addWidget(desk_rooms)
    desk_rooms.show()
    desk_rooms.refresh()
    assert desk_rooms.setup_button.text() == "查看场地设置"

    def fill_booking(dialog: QDialog) -> None:
        assert isinstance(dialog, BookingDialog)
        assert dialog.org.currentText() == "晋江某某科技有限公司"
        dialog.purpose.setText("党建共建座谈会")
        dialog.headcount.setValue(30)
        dialog.print_slip.setChecked(False)
        dialog.submit()
        assert dialog.message.text() == ""

    monday = dt.date(2026, 11, 23)
    done = when_modal(BookingDialog, fill_booking)
    desk_rooms.book_slot(desk_rooms.rooms[0].id,
                         dt.datetime.combine(monday, dt.time(14), CENTRE_TZ),
                         dt.datetime.combine(monday, dt.time(16), CENTRE_TZ))
    assert done == ["done"]
    with centre_db.read() as s:
        (booking,) = rooms.list_bookings(s, monday, monday)
    assert (booking.room_name, booking.booker_name, booking.purpose, booking.status) == (
        "多功能厅", "晋江某某科技有限公司", "党建共建座谈会", "confirmed")


def test_the_missing_states_say_who_to_ask_for_the_desk(
        qtbot: QtBot, centre_db: Database, admin: Actor, desk: Actor) -> None:
    with centre_db.session() as s:  # a centre whose purposes and groups were all retired
        for p in checkin.list_purposes(s):
            checkin.set_purpose_active(s, admin, p.id, False)
        for g in checkin.list_tally_groups(s):
            checkin.set_tally_group_active(s, admin, g.id, False)
    for actor, words, fixable in ((admin, "请添加事由", True), (desk, "请联系管理员", False)):
        page = CheckinPage(DeskContext(centre_db, actor), page_spec("checkin"))
        qtbot.addWidget(page)
        page.show()
        page.refresh()
        assert page.purposes_missing.isVisible() and page.groups_missing.isVisible()
        assert words in page.purposes_missing_text.text()
        assert page.purposes_fix.isVisible() is fixable
        rooms_page = RoomsPage(DeskContext(centre_db, actor), page_spec("rooms"))
        qtbot.addWidget(rooms_page)
        rooms_page.show()
        rooms_page.refresh()
        assert rooms_page.empty_box.isVisible()
        assert rooms_page.empty_button.isVisible() is fixable
        assert ("请联系管理员" in rooms_page.empty_label.text()) is not fixable

    setup = RoomSetupDialog(DeskContext(centre_db, desk))
    qtbot.addWidget(setup)
    setup.show()
    assert setup.notice.isVisible() and not setup.add_room_button.isEnabled()
    setup.add_room()  # even if reached: the service refuses, the message says why
    assert "管理员" in setup.message.text()
