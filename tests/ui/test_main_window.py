"""The main window: navigation, status bar, the global scan box, idle lock."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QScrollArea
from pytestqt.qtbot import QtBot

from frontdesk.core import scan
from frontdesk.core.actor import Actor
from frontdesk.core.clock import FixedClock
from frontdesk.core.db import Database
from frontdesk.core.scan import ScanHit
from frontdesk.ui.dialogs import LoginDialog
from frontdesk.ui.idle import IdleWatcher
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.pages import PAGES
from tests.conftest import ADMIN_PASSWORD, DESK_PASSWORD


def test_every_page_opens_from_the_navigation(qtbot: QtBot, main_window: MainWindow) -> None:
    titles = [main_window.nav.item(i).text() for i in range(main_window.nav.count())]
    assert [t.split()[0] for t in titles] == [
        "签到", "长者食堂", "场地预约", "志愿积分", "居民档案", "日结与导出", "设置", "操作日志"][
        :len(titles)] or len(titles) == len(PAGES)
    for row, spec in enumerate(PAGES):
        main_window.nav.setCurrentRow(row)
        area = main_window.stack.currentWidget()
        assert isinstance(area, QScrollArea) and area.widget() is main_window.pages[spec.key]
        assert main_window.pages[spec.key].objectName() == f"page_{spec.key}"


def test_function_keys_switch_pages(qtbot: QtBot, main_window: MainWindow) -> None:
    qtbot.keyClick(main_window, Qt.Key.Key_F9)
    assert main_window.current_page().spec.key == "settings"


def test_status_bar_shows_centre_operator_date_and_database(main_window: MainWindow) -> None:
    assert main_window.status_centre.text() == "中心：测试邻里中心"
    assert main_window.status_operator.text() == "操作员：王管理（管理员）"
    assert main_window.status_date.text() == "营业日期：2026-11-22"
    assert main_window.status_db.text().endswith(
        "frontdesk.sqlite3" if main_window.ctx.db.is_sqlite else main_window.ctx.db.display_url)


def test_stray_keys_go_to_the_scan_box(qtbot: QtBot, main_window: MainWindow) -> None:
    """A keyboard-wedge scanner types into whatever has focus; the scan box catches it."""
    main_window.activateWindow()
    main_window.nav.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is main_window.nav)
    qtbot.keyClicks(main_window.nav, "FD0001")
    assert main_window.scan_box.text() == "FD0001"


def test_unknown_scan_is_reported_in_the_status_bar(qtbot: QtBot,
                                                    main_window: MainWindow) -> None:
    main_window.scan_box.setText("NO-SUCH-CODE")
    qtbot.keyClick(main_window.scan_box, Qt.Key.Key_Return)
    assert main_window.scan_box.text() == ""
    assert "NO-SUCH-CODE" in main_window.statusBar().currentMessage()


def test_a_resolved_scan_opens_its_page(qtbot: QtBot, main_window: MainWindow,
                                        monkeypatch: object) -> None:
    def resolver(session: object, code: str) -> ScanHit | None:
        return ScanHit("settings", "test", 1, "测试记录") if code == "HIT1" else None

    import sys
    import types

    module = types.ModuleType("frontdesk_test_resolver")
    module.resolve = resolver  # type: ignore[attr-defined]
    sys.modules["frontdesk_test_resolver"] = module
    scan.RESOLVERS.insert(0, "frontdesk_test_resolver:resolve")
    try:
        main_window.on_scanned("ＨＩＴ1")  # full-width, as some scanners send
        assert main_window.current_page().spec.key == "settings"
        assert main_window.statusBar().currentMessage() == "已找到：测试记录"
    finally:
        scan.RESOLVERS.remove("frontdesk_test_resolver:resolve")
        del sys.modules["frontdesk_test_resolver"]


def test_idle_watcher_fires_once_after_the_idle_time(qtbot: QtBot) -> None:
    watcher = IdleWatcher(minutes=1)
    watcher.last_activity -= 61
    with qtbot.wait_signal(watcher.idle, timeout=1000):
        watcher.check()
    with qtbot.assert_not_emitted(watcher.idle):
        watcher.check()  # paused until resumed
    watcher.resume()
    with qtbot.assert_not_emitted(watcher.idle):
        watcher.check()


def test_idle_watcher_of_a_hidden_window_never_locks(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QWidget

    window = QWidget()
    qtbot.add_widget(window)
    watcher = IdleWatcher(minutes=1, parent=window)
    watcher.last_activity -= 61
    with qtbot.assert_not_emitted(watcher.idle):
        watcher.check()  # closed or never shown: nothing on screen to hide
    window.show()
    with qtbot.wait_signal(watcher.idle, timeout=1000):
        watcher.check()


def test_idle_watcher_zero_means_never(qtbot: QtBot) -> None:
    watcher = IdleWatcher(minutes=0)
    watcher.last_activity -= 10**6
    with qtbot.assert_not_emitted(watcher.idle):
        watcher.check()


def test_lock_screen_unlocks_and_can_switch_operator(qtbot: QtBot, main_window: MainWindow,
                                                     clock: FixedClock) -> None:
    def answer(username: str, password: str) -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, LoginDialog)
        assert dialog.username.text() == "admin"  # the locked operator is prefilled
        assert not main_window.body.isVisible()  # the desk is hidden while locked
        dialog.username.setText(username)
        dialog.password.setText(password)
        dialog.submit()

    QTimer.singleShot(0, lambda: answer("admin", ADMIN_PASSWORD))
    main_window.lock()
    assert main_window.body.isVisible()
    assert main_window.ctx.actor.username == "admin"
    QTimer.singleShot(0, lambda: answer("desk", DESK_PASSWORD))
    main_window.lock()
    assert main_window.ctx.actor.username == "desk"
    assert main_window.status_operator.text() == "操作员：林前台（前台）"
    assert main_window.ctx.actor.clock is clock  # the desk goes on by its own clock


def test_every_page_and_tab_fits_a_1024_by_768_screen(qtbot: QtBot, main_window: MainWindow,
                                                      ui_language: str) -> None:
    """1024x768 is the smallest screen a centre PC might have; Windows keeps 40 pixels for
    its task bar and 31 for the title bar, 8 for each border. Measured on every page and tab
    in the shipped fonts, Chinese and English: the window itself never needs more than that
    (a lower page scrolls inside it), and no page needs sideways scrolling beside the
    navigation. (In English the rooms page once made the window 1669 pixels wide, the
    canteen 1196, volunteers 1170; the check-in page needs 747 pixels of height.)"""
    for spec in PAGES:
        page = main_window.show_page(spec.key)
        for tab in page.tab_names() or [""]:
            if tab:
                page.show_tab(tab)
            least = main_window.minimumSizeHint()
            assert least.width() <= 1024 - 16 and least.height() <= 768 - 40 - 31, (
                spec.key, tab, least)
            wide = main_window.nav.width() + page.minimumSizeHint().width()
            assert wide <= 1024 - 16, (spec.key, tab, wide)


def test_the_status_bar_gives_way_on_a_small_screen(qtbot: QtBot, main_window: MainWindow,
                                                    ui_language: str) -> None:
    """At 1024 pixels a long centre name and database path end in "…" (whole in the
    tooltip) and the operator and business date stay whole; they used to be cut off."""
    long_name = "晋江市梅岭街道桂山社区党建+邻里中心"
    main_window.show_centre_name(long_name)
    main_window.update_status()
    main_window.status_centre.setText(main_window.status_centre.text().replace(
        "测试邻里中心", long_name))
    main_window.resize(1024, 768)
    QApplication.processEvents()
    assert main_window.width() == 1024
    for label in (main_window.status_operator, main_window.status_date):
        assert label.width() >= label.sizeHint().width(), label.text()
    centre, database = main_window.status_centre, main_window.status_db
    assert long_name in centre.toolTip() and database.toolTip() == database.text()
    assert centre.geometry().right() < main_window.status_operator.geometry().left()
    assert database.geometry().right() <= main_window.statusBar().width()


def test_a_demo_centre_says_demo_in_the_title_and_status_bar(
        qtbot: QtBot, centre_db: Database, admin: Actor) -> None:
    from frontdesk.core.centre import mark_demo
    from frontdesk.ui.context import DeskContext

    with centre_db.session() as session:
        mark_demo(session, admin)
    window = MainWindow(DeskContext(centre_db, admin))
    qtbot.add_widget(window)
    assert window.windowTitle() == "邻里前台 — 【演示】测试邻里中心"
    assert "【演示】" in window.status_centre.text()


def test_a_page_lower_than_the_window_scrolls_and_never_takes_the_focus(
        qtbot: QtBot, main_window: MainWindow) -> None:
    """On a 1366x768 screen with a task bar the window's inside is about 690 pixels high; the
    check-in page needs more, so it scrolls inside the window instead of growing it."""
    main_window.resize(1280, 650)
    page = main_window.show_page("checkin")
    QApplication.processEvents()
    area = main_window.stack.currentWidget()
    assert isinstance(area, QScrollArea) and area.widget() is page
    assert main_window.height() == 650
    assert page.height() >= page.minimumSizeHint().height() > area.viewport().height()
    assert area.verticalScrollBar().maximum() > 0
    assert area.focusPolicy() == Qt.FocusPolicy.NoFocus
