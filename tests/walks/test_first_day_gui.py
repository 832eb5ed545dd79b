"""Issue 16's first real day, through the screens alone.

A brand-new centre: no database file. The program starts as a user starts it (``run_gui``),
the first-run dialog makes the centre and its admin, the opening checklist (开业准备) comes
up, and from its buttons the admin sets up every job in the real forms — a desk operator,
check-in purposes with a default, a lunch session with price and capacity, funders and a
subsidy rule, a room, a volunteer activity with its point rule and a team, a points-shop item
with opening stock, the certificate's details. The checklist is reopened along the way and
each job turns ready. Then the desk operator logs in (the lock screen's "another operator"),
checks a visitor in, issues a subsidised meal ticket (receipt printed and read back), books
the room, awards volunteer points and redeems them (receipt), closes the day and exports the
package, which the town's reader accepts as a real (not demo) centre's day.

No demo, no service call behind the screen: the database is only read, to check. The process
clock is pinned (time-machine), so the walk is the same on any day and at any hour.
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from frontdesk.core.clock import CENTRE_TZ
from frontdesk.core.i18n import tr
from frontdesk.ui.dates import to_qdate
from tests.conftest import ON_POSTGRES
from tests.helpers.qt import isolate_qsettings

W = TypeVar("W", bound=QWidget)

# A Tuesday, shortly before lunch, in the centre's time zone.
MOMENT = dt.datetime(2026, 11, 24, 11, 20, tzinfo=CENTRE_TZ)
SHOTS = Path("/work/notes/shots/walk")
SIZES = ((1366, 768), (1024, 768))
ADMIN_PASSWORD = "first-pass-1"
DESK_PASSWORD = "desk-pass-1"


@pytest.fixture(autouse=True)
def _isolated_qsettings(tmp_path: Path) -> Iterator[Path]:
    """Per-PC settings (window places, the last operator) in this test's folder."""
    yield isolate_qsettings(tmp_path / "qsettings")


@pytest.fixture
def pinned_process_clock() -> Iterator[dt.datetime]:
    """The process clock at MOMENT, ticking from there: the desk's login takes its clock
    from the machine, as a user's run does."""
    import time_machine

    with time_machine.travel(MOMENT, tick=True):
        yield MOMENT


# ---- driving the screens ---------------------------------------------------------------------

class Walk:
    """What the walk saw and what went wrong. Every step runs inside the program's own event
    loop (``run_gui`` → ``app.exec``); a failed step is recorded, never raised into Qt (the
    program's error hook would open a dialog no one answers)."""

    def __init__(self, qtbot: Any, lang: str) -> None:
        self.qtbot = qtbot
        self.lang = lang
        self.failures: list[str] = []
        self.stray: list[str] = []  # dialogs no step expected (refusals, errors)
        self.expected: list[type[QWidget]] = []
        self.window: Any = None
        self.checklists: list[dict[str, tuple[bool, str]]] = []
        self.work: dict[str, str] = {}
        self.spooled: list[tuple[str, bytes]] = []  # (printer, pdf) sent without a dialog
        self.previewed: list[tuple[str, str, bytes]] = []  # (paper, title, pdf) previews
        self._watch = QTimer()
        self._watch.timeout.connect(self._close_strays)
        self._seen_stray: QWidget | None = None
        self._watch.start(400)

    def fail(self, where: str) -> None:
        self.failures.append(f"{where}:\n{traceback.format_exc()}")

    def _close_strays(self) -> None:
        """A modal no step waits for (a refusal, an unexpected error) is read and closed
        on the second look, so a wrong turn fails the test instead of hanging it."""
        widget = QApplication.activeModalWidget()
        if widget is None or any(isinstance(widget, kind) for kind in self.expected):
            self._seen_stray = None
            return
        if widget is not self._seen_stray:
            self._seen_stray = widget
            return
        text = widget.text() if isinstance(widget, QMessageBox) else ""
        self.stray.append(f"{type(widget).__name__} {widget.windowTitle()!r}: {text}")
        if isinstance(widget, QDialog):
            widget.reject()
        else:
            widget.close()

    def on_modal(self, kind: type[W], action: Callable[[W], None], *,
                 then: str = "") -> list[str]:
        """Run ``action`` on the next modal ``kind`` once it is open. ``then``: "accept" /
        "reject" it afterwards if still open. Returns a list that gets "done" appended."""
        done: list[str] = []
        self.expected.append(kind)
        tries = [0]

        def poll() -> None:
            widget = QApplication.activeModalWidget()
            if not isinstance(widget, kind):
                tries[0] += 1
                if tries[0] > 1500:  # 15 s
                    self.failures.append(f"{kind.__name__} never opened")
                    self.expected.remove(kind)
                    return
                QTimer.singleShot(10, poll)
                return
            try:
                action(widget)
                done.append("done")
            except Exception:
                self.fail(f"in {kind.__name__}")
                if isinstance(widget, QDialog) and widget.isVisible():
                    widget.reject()
                return
            finally:
                self.expected.remove(kind)
            if then and isinstance(widget, QDialog) and widget.isVisible():
                widget.accept() if then == "accept" else widget.reject()

        QTimer.singleShot(0, poll)
        return done

    def shoot(self, widget: QWidget, name: str) -> None:
        """A picture of ``widget`` at each screen size, in this run's language."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        old = widget.size()
        for width, height in SIZES:
            widget.resize(width, height)
            QApplication.processEvents()
            widget.grab().save(str(SHOTS / f"{name}-{self.lang}-{width}x{height}.png"))
        widget.resize(old)
        QApplication.processEvents()


def printers(walk: Walk, monkeypatch: pytest.MonkeyPatch) -> None:
    """This PC has one receipt printer; what reaches the spooler is kept instead of painted.
    Print previews (A4 papers, slips) are printed at once, as the desk would press 打印."""
    from frontdesk.ui import printing

    monkeypatch.setattr(printing, "available_printers", lambda: ["前台小票机"])
    chosen: list[str] = []
    real_print_pdf = printing.print_pdf

    def print_pdf(pdf: bytes, printer_name: str, title: str = "") -> None:
        chosen.append(printer_name)
        real_print_pdf(pdf, printer_name, title)

    monkeypatch.setattr(printing, "print_pdf", print_pdf)
    monkeypatch.setattr(printing, "paint_pdf",
                        lambda _printer, pdf: walk.spooled.append((chosen[-1], pdf)))

    def preview(_parent: Any, _ctx: Any, pdf: bytes, paper: str, title: str, *,
                after_print: Callable[[], object] | None = None) -> bool:
        walk.previewed.append((paper, title, pdf))
        if after_print is not None:
            after_print()
        return True

    monkeypatch.setattr(printing, "preview_and_print", preview)


def click(root: QWidget, name: str, kind: type[QAbstractButton] = QPushButton) -> None:
    """Click the visible, enabled button ``name`` under ``root`` with the mouse."""
    button = root.findChild(kind, name)
    assert button is not None, name
    assert button.isEnabled() and button.isVisibleTo(root), name
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def ok_button(dialog: QDialog) -> QPushButton:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    button = box.button(QDialogButtonBox.StandardButton.Ok)
    assert button is not None
    return button


def type_text(widget: QWidget, chars: str) -> None:
    """Type as an input method delivers text (keyClicks aborts on non-ASCII)."""
    for ch in chars:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch,
                           Qt.KeyboardModifier.NoModifier)


def fill(widget: QLineEdit, text: str) -> None:
    widget.clear()
    widget.setFocus()
    type_text(widget, text)


# ---- the walk --------------------------------------------------------------------------------

def read_checklist(dialog: Any) -> dict[str, tuple[bool, str]]:
    """key → (ready, what the line says), read from the dialog's own labels."""
    from frontdesk.ui.opening import READY_MARK

    out: dict[str, tuple[bool, str]] = {}
    for row, item in enumerate(dialog.items):
        detail = dialog.findChild(QWidget, f"openingDetail{row}")
        grid = detail.parentWidget().layout()
        tick = grid.itemAtPosition(row, 0).widget()
        out[item.key] = (tick.text() == READY_MARK, detail.text())
    return out


def id_number(birth: str, seq: str) -> str:
    """A valid 18-digit 居民身份证号码 of Jinjiang (350582) with the check digit."""
    body = "350582" + birth + seq
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(body, weights, strict=True))
    return body + "10X98765432"[total % 11]


ELDER_ID = id_number("19410301", "022")  # 85 on the walk's day: the 80+ rule applies
VOLUNTEER_ID = id_number("19800615", "013")


def checklist_step(walk: Walk, key: str, shot: str = "") -> dict[str, tuple[bool, str]]:
    """Open 开业准备 from the Help menu, read it, take its picture, press ``key``'s button."""
    from frontdesk.ui.opening import OpeningChecklist

    seen: dict[str, tuple[bool, str]] = {}

    def press(dialog: OpeningChecklist) -> None:
        seen.update(read_checklist(dialog))
        walk.checklists.append(dict(seen))
        if shot:
            walk.shoot(dialog, f"checklist-{shot}")
        if not key:
            dialog.reject()
            return
        row = next(i for i, item in enumerate(dialog.items) if item.key == key)
        QTest.mouseClick(dialog.buttons[row], Qt.MouseButton.LeftButton)

    done = walk.on_modal(OpeningChecklist, press)
    walk.window.checklist_action.trigger()
    assert done == ["done"], key
    return seen


def set_up_and_work(walk: Walk, out_dir: Path) -> None:
    from PySide6.QtCore import QTime

    from frontdesk.ui.dialogs import LoginDialog
    from frontdesk.ui.pages.canteen_rule_dialog import RuleDialog
    from frontdesk.ui.pages.canteen_setup import FunderDialog, SessionDialog
    from frontdesk.ui.pages.checkin_admin import CheckinAdminDialog
    from frontdesk.ui.pages.room_setup import RoomSetupDialog
    from frontdesk.ui.pages.settings_page import OperatorDialog
    from frontdesk.ui.pages.volunteers_dialogs import CertificateDetailsDialog

    window = walk.window
    first = walk.checklists[0]
    assert first["centre.info"][0]  # the first-run dialog filled it
    assert not first["canteen.sessions"][0] and not first["rooms.rooms"][0]
    assert not first["volunteers.activities"][0]

    # ① a desk operator: 操作员账号 → 设置 › 操作员
    checklist_step(walk, "operators")
    page = window.current_page()
    assert page.spec.key == "settings"
    assert page.tabs.currentWidget().objectName() == "operators"
    tab = page.operators_tab

    def new_operator(d: OperatorDialog) -> None:
        fill(d.username, "lin")
        fill(d.display_name, "林小梅")
        d.role.setCurrentIndex(d.role.findData("desk"))
        fill(d.password, DESK_PASSWORD)
        fill(d.confirm, DESK_PASSWORD)
        ok_button(d).click()

    done = walk.on_modal(OperatorDialog, new_operator)
    click(tab, "addOperator")
    assert done == ["done"]
    assert [tab.table.item(r, 0).text() for r in range(tab.table.rowCount())] == ["admin", "lin"]

    # ② check-in purposes and the default: 签到 › 管理事由与分组
    seen = checklist_step_with(walk, "checkin.default_purpose", CheckinAdminDialog,
                               set_up_purposes)
    assert seen["operators"][0]

    # ③ the canteen: a lunch with price and capacity, funders, a rule for the over-80s
    seen = checklist_step(walk, "canteen.sessions", shot="2-midway")
    assert seen["checkin.default_purpose"][0]
    page = window.current_page()
    assert page.spec.key == "canteen" and page.tabs.currentWidget() is page.admin_tab
    admin_tab = page.admin_tab

    def lunch(d: SessionDialog) -> None:
        fill(d.name, "午餐")
        d.start.setTime(QTime(11, 0))
        d.end.setTime(QTime(13, 0))
        fill(d.price, "10")
        fill(d.capacity, "60")
        fill(d.menu, "三菜一汤")
        ok_button(d).click()

    done = walk.on_modal(SessionDialog, lunch)
    click(admin_tab, "addSession")
    assert done == ["done"] and admin_tab.sessions.rowCount() == 1

    def funders(d: FunderDialog) -> None:
        for name in ("政府补助", "村级"):
            fill(d.name, name)
            click(d, "addFunder")
        assert d.items.count() == 3  # with 个人自付

    done = walk.on_modal(FunderDialog, funders, then="accept")
    click(admin_tab, "funders")
    assert done == ["done"]

    def rule(d: RuleDialog) -> None:
        ids = {f.name: f.id for f in d.funders}
        fill(d.name, "高龄老人（80岁以上）")
        fill(d.min_age, "80")
        fill(d.amounts[ids["政府补助"]], "5")
        fill(d.amounts[ids["村级"]], "2")
        ok_button(d).click()

    done = walk.on_modal(RuleDialog, rule)
    click(admin_tab, "addRule")
    assert done == ["done"] and admin_tab.rules.rowCount() == 1

    # ④ a room with opening hours and a partner unit: 场地设置
    def rooms(d: RoomSetupDialog) -> None:
        assert d.tabs.currentWidget().objectName() == "rooms"
        fill(d.room_name, "多功能厅")
        d.capacity.setValue(60)
        click(d, "addRoom")
        assert d.rooms_table.rowCount() == 1, d.message.text()
        d.show_tab("orgs")
        fill(d.org_name, "安海镇卫生院")
        fill(d.org_contact, "许医生")
        fill(d.org_phone, "13960381122")
        click(d, "addOrg")
        assert d.orgs_table.rowCount() == 1, d.message.text()

    seen = checklist_step_with(walk, "rooms.rooms", RoomSetupDialog, rooms)
    assert seen["canteen.sessions"][0] and seen["canteen.funders"][0]
    assert seen["canteen.rules"][0]

    # ⑤ volunteers: a category with its points per hour, an activity, a team, the certificate
    seen = checklist_step(walk, "volunteers.activities")
    assert seen["rooms.rooms"][0]
    page = window.current_page()
    assert page.spec.key == "volunteers" and page.tabs.currentWidget() is page.setup
    setup = page.setup
    fill(setup.cat_name, "助老服务")
    setup.cat_rate.setValue(10)
    click(setup, "addCategoryButton")
    fill(setup.act_name, "助老陪伴")
    setup.act_cap.setValue(3)
    click(setup, "addActivityButton")
    assert setup.activities.rowCount() == 1
    fill(setup.team_name, "党员先锋服务队")
    click(setup, "addTeamButton")
    assert len(setup.teams.rows) == 1

    def certificate(d: CertificateDetailsDialog) -> None:
        fill(d.head, "王主任")
        fill(d.contact, "0595-88881234")
        fill(d.seal, "海滨社区居民委员会")
        d.accept()

    seen = checklist_step(walk, "volunteers.certificate")
    page = window.current_page()
    done = walk.on_modal(CertificateDetailsDialog, certificate)
    click(page.setup, "editCertificateButton")
    assert done == ["done"]

    # ⑥ the points shop: an item with its opening stock
    seen = checklist_step(walk, "volunteers.shop")
    assert seen["volunteers.activities"][0] and seen["volunteers.teams"][0]
    assert seen["volunteers.certificate"][0]
    page = window.current_page()
    stock = page.stock
    assert page.tabs.currentWidget() is stock
    fill(stock.new_name, "香皂")
    stock.new_price.setValue(12)
    fill(stock.new_unit, "块")
    stock.new_stock.setValue(10)
    click(stock, "addGoodsButton")
    assert len(stock.model.rows) == 1

    # Everything ready: the checklist says so.
    seen = checklist_step(walk, "", shot="3-ready")
    assert all(ready for ready, _ in seen.values()), seen
    walk.shoot(window, "window-3-ready")

    # ⑦ two residents registered at the desk's residents page
    register(walk, "陈阿婆", ELDER_ID, "13812345678")
    register(walk, "张志强", VOLUNTEER_ID, "13912345678")
    elder_card, volunteer_card = card_of(walk, "陈阿婆"), card_of(walk, "张志强")

    # ⑧ the desk operator takes over: 锁屏, then the other operator logs in
    def other_operator(d: LoginDialog) -> None:
        fill(d.username, "lin")
        fill(d.password, DESK_PASSWORD)
        ok_button(d).click()

    done = walk.on_modal(LoginDialog, other_operator)
    click(window, "lockButton")
    assert done == ["done"]
    assert window.ctx.actor.username == "lin" and not window.ctx.actor.is_admin
    walk.work = dict(elder=elder_card, volunteer=volunteer_card)
    desk_day(walk, out_dir)


def checklist_step_with(walk: Walk, key: str, kind: type[W],
                        action: Callable[[W], None]) -> dict[str, tuple[bool, str]]:
    """A checklist button that opens a set-up dialog: drive it, then close it."""
    done = walk.on_modal(kind, action, then="accept")
    seen = checklist_step(walk, key)
    assert done == ["done"], kind.__name__
    return seen


def set_up_purposes(d: Any) -> None:
    editor = d.purposes
    click(editor, "newRecord")
    fill(editor.name, "健康讲座")
    editor.area.setCurrentIndex(editor.area.findData("health"))
    click(editor, "saveRecord")
    editor.default_combo.setCurrentIndex(editor.default_combo.findText("健康讲座"))
    click(editor, "saveDefaultPurpose")


def register(walk: Walk, name: str, id_no: str, phone: str) -> None:
    """新建居民 on the residents page: name, ID number, phone, consent; 保存."""
    page = walk.window.show_page("residents")
    click(page, "newResident")
    form = page.form
    fill(form.name, name)
    fill(form.id_number, id_no)
    fill(form.phone, phone)
    form.consent_general.setChecked(True)
    click(page, "saveResident")
    assert page.current_id is not None, page.message.text()


def card_of(walk: Walk, name: str) -> str:
    """The card code the program gave ``name`` (read from the database, as printed)."""
    from sqlalchemy import select

    from frontdesk.residents.models import Resident

    with walk.window.ctx.db.read() as session:
        code = session.scalar(select(Resident.card_code).where(Resident.name == name))
    assert code
    return str(code)


def go(walk: Walk, key: Qt.Key, page_key: str) -> Any:
    """Press the page's function key, as the desk does (the window active, as on a PC)."""
    window = walk.window
    window.activateWindow()
    walk.qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    QTest.keyClick(window, key)
    page = window.current_page()
    assert page.spec.key == page_key, page.spec.key
    return page


def press_enter(widget: QWidget) -> None:
    QTest.keyClick(widget, Qt.Key.Key_Return)


def desk_day(walk: Walk, out_dir: Path) -> None:
    from PySide6.QtCore import QDateTime, QTime

    from frontdesk.rooms.models import BOOKER_ORGANISATION
    from frontdesk.ui.pages.rooms_page import BookingDialog

    elder, volunteer = walk.work["elder"], walk.work["volunteer"]
    today = walk.window.ctx.actor.today()
    assert today == MOMENT.date()

    # One check-in: her card scanned into the check-in box, the default purpose applies.
    checkin = go(walk, Qt.Key.Key_F3, "checkin")
    checkin.input.setFocus()
    fill(checkin.input, elder)
    press_enter(checkin.input)
    assert [row[1:] for row in checkin.in_centre_model.rows] == [("陈阿婆", "健康讲座")], (
        elder, checkin.person_label.text(), walk.window.statusBar().currentMessage(),
        checkin.default_combo.currentText(), checkin.input.text())

    # One meal ticket: scanned at the canteen queue, Enter shows the split, Enter issues it;
    # the receipt goes straight to the receipt printer.
    canteen = go(walk, Qt.Key.Key_F4, "canteen")
    canteen.tabs.setCurrentWidget(canteen.queue)
    queue = canteen.queue
    fill(queue.scan, elder)
    press_enter(queue.scan)
    assert queue.pending is not None and queue.pending.split.self_pay_fen == 300
    press_enter(queue.scan)
    assert len(walk.spooled) == 1, walk.stray

    # One booking: 新建预约 for the partner unit, tomorrow afternoon; the slip is printed.
    rooms = go(walk, Qt.Key.Key_F5, "rooms")
    tomorrow = today + dt.timedelta(days=1)

    def book(d: BookingDialog) -> None:
        d.kind.setCurrentIndex(d.kind.findData(BOOKER_ORGANISATION))
        d.start.setDateTime(QDateTime(to_qdate(tomorrow), QTime(14, 0)))
        d.end.setDateTime(QDateTime(to_qdate(tomorrow), QTime(16, 0)))
        fill(d.purpose, "健康讲座")
        d.headcount.setValue(30)
        ok_button(d).click()
        assert not d.isVisible(), d.message.text()

    done = walk.on_modal(BookingDialog, book)
    click(rooms, "newBooking")
    assert done == ["done"]

    # One volunteer award: 张志强 enrolled, two hours entered from the paper sheet.
    vols = go(walk, Qt.Key.Key_F6, "volunteers")
    vols.tabs.setCurrentWidget(vols.people)
    people = vols.people
    fill(people.enrol_code, volunteer)
    people.enrol_team.setCurrentIndex(people.enrol_team.findText("党员先锋服务队"))
    click(people, "enrolButton")
    assert people.activity.currentText() == "助老陪伴"
    people.manual_hours.setValue(2)
    fill(people.manual_reason, "纸质签到表补录")
    click(people, "saveManualButton")
    assert people.balance.text() == tr("积分余额：{n} 分", n=20)

    # One redemption: his card at the shop desk, the soap into the basket, confirmed.
    vols.tabs.setCurrentWidget(vols.desk)
    redeem = vols.desk
    fill(redeem.code, volunteer)
    press_enter(redeem.code)
    redeem.goods_view.selectRow(0)
    click(redeem, "addToBasket")
    click(redeem, "confirmRedeem")

    # The end of the day: she leaves (签退), the sign-in sheet is printed for signatures.
    from frontdesk.ui.pages.checkin_sheet import AttendanceSheetDialog

    checkin = go(walk, Qt.Key.Key_F3, "checkin")
    checkin.in_centre_view.selectRow(0)
    click(checkin, "checkOut")
    assert checkin.in_centre_model.rows == []
    done = walk.on_modal(AttendanceSheetDialog, lambda d: click(d, "printSheet"),
                         then="accept")
    click(checkin, "attendanceSheet")
    assert done == ["done"]

    # Close the day: the cash counted (her 3.00 元), then the package to the USB stick.
    dayclose = go(walk, Qt.Key.Key_F8, "dayclose")
    fill(dayclose.cash_edits["cash"], "3.00")
    walk.shoot(walk.window, "window-4-dayclose")
    click(dayclose, "closeDay")
    assert dayclose.close_button.isHidden() or not dayclose.close_button.isEnabled(), (
        dayclose.banner.text())
    fill(dayclose.folder, str(out_dir))
    click(dayclose, "exportButton")
    walk.work["export text"] = dayclose.progress_text.text()


def run_walk(qtbot: Any, db_url: str, lang: str, out_dir: Path,
             monkeypatch: pytest.MonkeyPatch) -> Walk:
    from frontdesk.app import run_gui
    from frontdesk.ui.dialogs import FirstRunDialog, LoginDialog
    from frontdesk.ui.opening import OpeningChecklist

    walk = Walk(qtbot, lang)
    printers(walk, monkeypatch)

    def first_run(dialog: FirstRunDialog) -> None:
        fill(dialog.centre_name, "海滨邻里中心")
        fill(dialog.centre_code, "HB01")
        fill(dialog.town, "安海镇")
        fill(dialog.admin_name, "王主任")
        fill(dialog.password, ADMIN_PASSWORD)
        fill(dialog.password_again, ADMIN_PASSWORD)
        walk.on_modal(LoginDialog, login)
        ok_button(dialog).click()

    def login(dialog: LoginDialog) -> None:
        assert dialog.username.text() in ("", "admin")
        fill(dialog.username, "admin")
        fill(dialog.password, ADMIN_PASSWORD)
        walk.on_modal(OpeningChecklist, first_checklist)
        ok_button(dialog).click()

    def first_checklist(dialog: OpeningChecklist) -> None:
        walk.window = dialog.parentWidget()
        walk.checklists.append(read_checklist(dialog))
        walk.shoot(dialog, "checklist-1-start")
        walk.shoot(walk.window, "window-1-start")
        QTimer.singleShot(0, rest)
        dialog.reject()

    def rest() -> None:
        try:
            set_up_and_work(walk, out_dir)
        except Exception:
            walk.fail("the walk")
        finally:
            walk.window.close()

    walk.on_modal(FirstRunDialog, first_run)
    code = run_gui(db_url, lang)
    walk._watch.stop()
    assert code == 0
    return walk


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_a_new_centres_first_day_through_the_screens(
        qtbot: Any, tmp_path: Path, lang: str, pinned_process_clock: dt.datetime,
        monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    if ON_POSTGRES:  # an empty database on the test server: the program migrates it
        url = target = request.getfixturevalue("pg_url")
    else:  # no file yet: the first start makes it (in a folder with Chinese and a space)
        db_file = tmp_path / "中心 数据" / "前台.sqlite3"
        db_file.parent.mkdir()
        target, url = str(db_file), f"sqlite:///{db_file}"
    out_dir = tmp_path / "U盘 导出"
    out_dir.mkdir()
    walk = run_walk(qtbot, target, lang, out_dir, monkeypatch)
    assert not walk.failures, "\n".join([*walk.failures, "dialogs nobody expected:",
                                         *walk.stray])
    assert walk.stray == []
    # The checklist turned ready job by job, and all of it at the end.
    assert [c["operators"][0] for c in walk.checklists[:3]] == [False, False, True]
    assert all(ready for ready, _ in walk.checklists[-1].values())
    check_receipts(walk)
    check_database(url)
    check_package(out_dir)


def check_receipts(walk: Walk) -> None:
    """The meal receipt went to the receipt printer; it splits the 10 元 lunch by the rule."""
    from tests.documents.helpers import pypdf_pages, squash

    (printer, ticket_pdf), = walk.spooled
    assert printer == "前台小票机"
    text = squash("".join(pypdf_pages(ticket_pdf)))
    assert "陈阿婆" in text
    for amount in ("10.00", "5.00", "2.00", "3.00"):  # price, government, village, self-pay
        assert amount in text, (amount, text)
    titles = [title for _paper, title, _pdf in walk.previewed]
    redeemed = [pdf for _paper, title, pdf in walk.previewed
                if title.startswith(tr("积分兑换小票"))]
    assert len(redeemed) == 1, titles
    text = squash("".join(pypdf_pages(redeemed[0])))
    assert "香皂" in text and "张志强" in text, text


def check_database(url: str) -> None:
    """What the walk left in the database, read only."""
    from sqlalchemy import func, select

    from frontdesk.canteen import service as canteen
    from frontdesk.checkin.models import Checkin
    from frontdesk.core.db import Database
    from frontdesk.core.operators import list_operators
    from frontdesk.dayclose import service as dayclose
    from frontdesk.rooms import service as rooms
    from frontdesk.volunteers import service as volunteers
    from frontdesk.volunteers import shop

    db = Database(url, create=False)
    try:
        with db.read() as s:
            ops = {op.username: op for op in list_operators(s)}
            assert sorted(ops) == ["admin", "lin"] and ops["lin"].role == "desk"
            desk_id = ops["lin"].id
            (ticket,) = canteen.list_tickets(s, MOMENT.date())
            assert (ticket.price_fen, ticket.self_pay_fen) == (1000, 300)
            assert sorted((x.funder_name, x.amount_fen) for x in ticket.shares) == [
                ("政府补助", 500), ("村级", 200)]
            checkins = s.scalars(select(Checkin)).all()
            assert [(c.operator_id, c.checked_out_at is not None) for c in checkins] == [
                (desk_id, True)]
            tomorrow = MOMENT.date() + dt.timedelta(days=1)
            (booking,) = rooms.list_bookings(s, tomorrow, tomorrow)
            assert (booking.room_name, booking.status) == ("多功能厅", "confirmed")
            volunteer = volunteers.find_volunteer(s, VOLUNTEER_ID)
            assert (volunteer.name, volunteer.team, volunteer.balance) == (
                "张志强", "党员先锋服务队", 20 - 12)  # 2 h × 10 points, the soap 12
            assert shop.find_goods(s, "香皂").stock == 9
            overview = dayclose.day_overview(s, MOMENT.date())
            assert overview.state == dayclose.STATE_CLOSED
            assert s.scalar(select(func.count()).select_from(Checkin)) == 1
    finally:
        db.dispose()


def check_package(out_dir: Path) -> None:
    """The exported package, read as the town reads it: complete, this centre's, not demo."""
    import json
    import zipfile

    from frontdesk.dayclose.town import merge_packages, read_package

    (package,) = sorted(out_dir.glob("*.zip"))
    info = read_package(package)  # refuses a tampered, partial or demo package
    assert (info.centre_code, info.centre_name, info.town) == ("HB01", "海滨邻里中心", "安海镇")
    assert info.business_date == MOMENT.date() and not info.draft
    with zipfile.ZipFile(package) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest.get("demo") is False
    totals = info.totals
    assert (totals["meals"], totals["meals_subsidised"], totals["meal_price_fen"]) == (1, 1, 1000)
    assert (totals["meal_self_fen"], totals["cash_cash_fen"]) == (300, 300)
    # The funders the admin named land in the town's columns by their kind.
    assert (totals.get("meal_gov_fen"), totals.get("meal_village_fen")) == (500, 200), totals
    merge = merge_packages([out_dir])
    assert len(merge.packages) == 1 and merge.refused == ()
