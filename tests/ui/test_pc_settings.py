"""本机设置: printers, the window's place and the last operator live on the PC (QSettings), not
in the centre's database; an old database's printers move to the PC once.

The window tests start the real desk program (``run_gui``, in start-up probe mode) in
subprocesses on Qt's offscreen platform given screens of a chosen size (a ``configfile``):
1366x768 and 1024x768 laptops, a second monitor that is later unplugged, a lowered resolution.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QMargins, QRect, QSettings, QSize, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from frontdesk.app import run_gui
from frontdesk.core import audit, settings
from frontdesk.core.actor import Actor
from frontdesk.core.centre import initialise
from frontdesk.core.clock import FixedClock
from frontdesk.core.db import Database
from frontdesk.core.errors import RuleError
from frontdesk.core.settings import SettingValue
from frontdesk.ui import pc_settings
from frontdesk.ui.context import DeskContext
from frontdesk.ui.dialogs import LoginDialog
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.pages.settings_page import SettingsPage
from tests.conftest import ADMIN_PASSWORD, DESK_PASSWORD, NOW
from tests.helpers.qt import when_modal
from tests.ui.test_printing_cups import cups_printer  # noqa: F401 - the fixture

ROOT = Path(__file__).resolve().parents[2]

# -- where the settings are kept ---------------------------------------------------------------


def test_settings_go_to_the_file_the_environment_names(tmp_path: Path) -> None:
    pc_settings.set_printer("receipt", "Thermal 80 小票机")
    path = Path(os.environ[pc_settings.ENV_FILE])
    assert path.parent == tmp_path and pc_settings.location() == str(path)
    assert QSettings(str(path), QSettings.Format.IniFormat).value("printers/receipt") == \
        "Thermal 80 小票机"


def test_without_the_environment_the_pcs_own_store_is_used(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _isolated_qsettings: Path) -> None:
    """QSettings("frontdesk", "frontdesk") in the user scope: here (IniFormat, tests/ui's
    conftest path) a file under this test's folder, never ~/.config."""
    monkeypatch.delenv(pc_settings.ENV_FILE)
    real = Path.home() / ".config" / "frontdesk" / "frontdesk.conf"
    real_before = real.read_bytes() if real.exists() else None
    pc_settings.set_last_operator("desk")
    expected = _isolated_qsettings / "UserScope" / "frontdesk" / "frontdesk.ini"
    assert Path(pc_settings.location()) == expected
    assert "last_operator=desk" in expected.read_text(encoding="utf-8")
    assert pc_settings.last_operator() == "desk"
    assert (real.read_bytes() if real.exists() else None) == real_before


def test_a_settings_file_that_cannot_be_written_is_explained(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv(pc_settings.ENV_FILE, str(blocker / "pc.ini"))
    with pytest.raises(RuleError, match="无法保存本机设置"):
        pc_settings.set_printer("a4", "Office")
    pc_settings.set_last_operator("desk")  # forgotten quietly: the login works without it


# -- an older database's printers ------------------------------------------------------------

def _store_old_printers(db: Database, **values: str) -> None:
    """What an older version wrote for printing.receipt_printer / printing.a4_printer."""
    with db.session() as session:
        for role, name in values.items():
            session.add(SettingValue(key=settings.MOVED_TO_PC[role],
                                     value_json=json.dumps(name, ensure_ascii=False),
                                     updated_at=NOW, updated_by="admin"))


def test_printers_an_old_database_holds_move_to_a_pc_that_has_none(
        qtbot: QtBot, centre_db: Database, admin: Actor) -> None:
    _store_old_printers(centre_db, receipt="GP-80 小票机", a4="HP LaserJet 办公室")
    pc_settings.set_printer("a4", "")  # this PC chose the system default: that is a choice
    window = MainWindow(DeskContext(centre_db, admin))
    qtbot.add_widget(window)
    assert pc_settings.printer("receipt") == "GP-80 小票机"
    assert pc_settings.has_printer("a4") and pc_settings.printer("a4") == ""
    # Once: a choice made on this PC afterwards is not overwritten at the next start.
    pc_settings.set_printer("receipt", "Other")
    assert pc_settings.carry_over_from_database(centre_db) == []
    assert pc_settings.printer("receipt") == "Other"
    # The centre's settings no longer offer or list the keys; the rows stay for other PCs.
    with centre_db.read() as session:
        assert "printing.receipt_printer" not in settings.get_all(session)
        assert settings.stored_value(session, "printing.a4_printer") == "HP LaserJet 办公室"
        with pytest.raises(RuleError, match="没有这个设置项"):
            settings.set_value(session, admin, "printing.receipt_printer", "X")


def test_a_second_pc_on_the_same_database_takes_the_old_printer_too(
        centre_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _store_old_printers(centre_db, receipt="GP-80")
    assert pc_settings.carry_over_from_database(centre_db) == ["receipt"]
    monkeypatch.setenv(pc_settings.ENV_FILE, str(tmp_path / "second-pc.ini"))
    assert pc_settings.printer("receipt") == ""
    assert pc_settings.carry_over_from_database(centre_db) == ["receipt"]
    assert pc_settings.printer("receipt") == "GP-80"


def test_choosing_this_pcs_printers_writes_nothing_to_the_database(
        qtbot: QtBot, main_window: MainWindow, centre_db: Database,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from frontdesk.ui import printing

    monkeypatch.setattr(printing, "available_printers", lambda: ["PDF", "Thermal"])
    with centre_db.read() as session:
        before = (len(audit.query_audit(session)), settings.get_all(session))
    page = main_window.show_page("settings")
    assert isinstance(page, SettingsPage)
    page.show_tab("pc")
    tab = page.pc_tab
    tab.printers["receipt"].setCurrentIndex(tab.printers["receipt"].findData("Thermal"))
    tab.save_button.click()
    assert pc_settings.printer("receipt") == "Thermal"
    assert main_window.statusBar().currentMessage() == "已保存本机设置（只对这台电脑有效）。"
    with centre_db.read() as session:
        assert (len(audit.query_audit(session)), settings.get_all(session)) == before


# -- the last operator -----------------------------------------------------------------------

def test_the_login_is_prefilled_with_who_logged_in_last_on_this_pc(
        qtbot: QtBot, centre_db: Database, process_clock: FixedClock) -> None:
    """The real start-up and login (by the process clock, at the pinned moment)."""
    seen: list[tuple[str, bool]] = []

    def log_in_as_desk(dialog: LoginDialog) -> None:
        seen.append((dialog.username.text(), dialog.focusWidget() is dialog.password))
        dialog.username.setText("desk")
        dialog.password.setText(DESK_PASSWORD)
        QTimer.singleShot(0, _close_desk_window)
        dialog.submit()

    def look_and_cancel(dialog: LoginDialog) -> None:
        seen.append((dialog.username.text(), dialog.focusWidget() is dialog.password))
        dialog.reject()

    when_modal(LoginDialog, log_in_as_desk)
    assert run_gui(centre_db.url, "zh_CN") == 0
    assert pc_settings.last_operator() == "desk"
    when_modal(LoginDialog, look_and_cancel)
    assert run_gui(centre_db.url, "zh_CN") == 0
    assert seen == [("", False), ("desk", True)]


def _close_desk_window() -> None:
    windows = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, MainWindow) and w.isVisible() and w.has_desk]
    if not windows:
        QTimer.singleShot(20, _close_desk_window)
        return
    windows[0].close()


def test_unlocking_as_someone_else_makes_them_the_last_operator(
        qtbot: QtBot, main_window: MainWindow) -> None:
    def switch(dialog: LoginDialog) -> None:
        dialog.username.setText("desk")
        dialog.password.setText(DESK_PASSWORD)
        dialog.submit()

    when_modal(LoginDialog, switch)
    main_window.lock()
    assert pc_settings.last_operator() == "desk"


def test_a_wrong_password_is_not_remembered(qtbot: QtBot, centre_db: Database) -> None:
    dialog = LoginDialog(centre_db, "测试邻里中心")
    qtbot.add_widget(dialog)
    dialog.username.setText("admin")
    dialog.password.setText("wrong")
    dialog.submit()
    assert pc_settings.last_operator() == ""
    dialog.password.setText(ADMIN_PASSWORD)
    dialog.submit()
    assert pc_settings.last_operator() == "admin"


# -- fitting the window (the geometry rules themselves) ------------------------------------------

NO_FRAME = QMargins(0, 0, 0, 0)
LEAST = QSize(1000, 620)


@pytest.mark.parametrize(("screen", "frame"), [
    (QRect(0, 0, 1366, 768), pc_settings.FRAME_GUESS),
    (QRect(0, 0, 1366, 728), pc_settings.FRAME_GUESS),  # Windows: a 40-pixel task bar
    (QRect(0, 0, 1024, 768), pc_settings.FRAME_GUESS),
    (QRect(0, 0, 1024, 728), NO_FRAME),
    (QRect(1920, 0, 1920, 1080), pc_settings.FRAME_GUESS),
])
def test_a_fitted_window_and_its_frame_stay_within_the_screen(screen: QRect,
                                                              frame: QMargins) -> None:
    rect = pc_settings.fitted_geometry(screen, LEAST, frame)
    assert screen.contains(rect.marginsAdded(frame)), (rect, screen)
    assert rect.width() >= LEAST.width() and rect.height() >= LEAST.height()
    assert rect.width() <= 1280 and rect.height() <= 800
    if screen.width() >= 1366:
        assert rect.width() == 1280  # the preferred width where it fits


def test_a_big_screen_gets_the_preferred_size_centred() -> None:
    rect = pc_settings.fitted_geometry(QRect(0, 0, 1920, 1080), LEAST, NO_FRAME)
    assert rect == QRect(320, 140, 1280, 800)


def test_a_window_that_fits_is_left_where_it_is() -> None:
    screens = [QRect(0, 0, 1366, 768), QRect(1366, 0, 1920, 1080)]
    kept = QRect(1500, 100, 1200, 700)
    assert pc_settings.on_screen(kept, screens, LEAST, NO_FRAME) == kept
    across = QRect(1000, 100, 900, 600)  # across both monitors, every pixel on one of them
    assert pc_settings.on_screen(across, screens, LEAST, NO_FRAME) == across


def test_a_window_partly_off_the_screen_is_pulled_back_and_shrunk() -> None:
    screen = QRect(0, 0, 1024, 768)
    back = pc_settings.on_screen(QRect(600, 300, 1280, 800), [screen], LEAST,
                                 pc_settings.FRAME_GUESS)
    assert screen.contains(back.marginsAdded(pc_settings.FRAME_GUESS))
    assert back.size() == QSize(1024 - 16, 768 - 40)


def test_a_window_on_a_monitor_that_is_gone_comes_to_the_middle_of_the_primary() -> None:
    primary = QRect(0, 0, 1366, 768)
    back = pc_settings.on_screen(QRect(2000, 200, 1100, 700), [primary], LEAST, NO_FRAME)
    assert back == QRect(133, 34, 1100, 700)


# -- the real program on screens of a given size ------------------------------------------------

def _screens(path: Path, *screens: tuple[str, int, int, int, int]) -> str:
    """An offscreen platform with these screens (name, x, y, width, height), frames drawn."""
    path.write_text(json.dumps({"windowFrameMargins": True, "screens": [
        {"name": name, "x": x, "y": y, "width": w, "height": h, "logicalDpi": 96,
         "logicalBaseDpi": 96, "dpr": 1} for name, x, y, w, h in screens]}), encoding="utf-8")
    return f"offscreen:configfile={path}"


DRIVER = """
import json, sys
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication
from frontdesk.app import run_gui
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.pages.settings_page import SettingsPage

assert run_gui(sys.argv[1], "zh_CN") == 0
app = QApplication.instance()
(window,) = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow)]
for _ in range(3):
    app.processEvents()
def rect(r):
    return [r.x(), r.y(), r.width(), r.height()]
seen = {"frame": rect(window.frameGeometry()), "inside": rect(window.geometry()),
        "maximised": window.isMaximized(), "screen": window.screen().name(),
        "free": [rect(s.availableGeometry()) for s in app.screens()]}
then = sys.argv[2]
if then == "maximise":
    window.showMaximized()
elif then != "-":
    window.setGeometry(QRect(*(int(n) for n in then.split(","))))
app.processEvents()
window.close()
print("SEEN " + json.dumps(seen))
"""


@pytest.fixture
def desk_file(template_db: Path, tmp_path: Path, clock: FixedClock) -> str:
    """An SQLite desk database with a centre and an administrator (the probe logs in)."""
    path = tmp_path / "desk.sqlite3"
    shutil.copyfile(template_db, path)
    db = Database(f"sqlite:///{path}")
    with db.session() as session:
        initialise(session, centre_name="测试邻里中心", centre_code="TEST01", town="测试街道",
                   admin_username="admin", admin_password=ADMIN_PASSWORD, clock=clock)
    db.dispose()
    return str(path)


def _start(desk_file: str, platform: str, then: str = "-") -> dict[str, object]:
    """Start the desk program on ``platform``'s screens, look at its window, then move it
    (``x,y,w,h``) or maximise it and close it, as a user would before quitting."""
    env = {**os.environ, "QT_QPA_PLATFORM": platform, "FRONTDESK_STARTUP_PROBE": "1",
           "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", DRIVER, desk_file, then], env=env,
                            capture_output=True, text=True, encoding="utf-8", timeout=120,
                            cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    (line,) = [ln for ln in result.stdout.splitlines() if ln.startswith("SEEN ")]
    seen: dict[str, object] = json.loads(line.removeprefix("SEEN "))
    return seen


def _within(seen: dict[str, object]) -> bool:
    """Whether the window's whole frame is on one screen's free area."""
    frame = QRect(*seen["frame"])  # type: ignore[misc]
    return any(QRect(*free).contains(frame) for free in seen["free"])  # type: ignore[attr-defined]


@pytest.mark.parametrize("size", [(1366, 768), (1024, 768)])
def test_the_first_start_fits_a_small_screen_and_the_next_start_remembers(
        desk_file: str, tmp_path: Path, size: tuple[int, int]) -> None:
    platform = _screens(tmp_path / "screen.json", ("laptop", 0, 0, *size))
    first = _start(desk_file, platform, then="40,30,900,640")
    assert _within(first), first
    inside = QRect(*first["inside"])  # type: ignore[misc]
    assert inside.height() < size[1] and inside.width() <= 1280
    again = _start(desk_file, platform, then="maximise")
    assert again["inside"] == [40, 30, 900, 640] and not again["maximised"]
    third = _start(desk_file, platform)
    assert third["maximised"] and _within(third), third


def test_a_window_left_on_an_unplugged_monitor_comes_back(desk_file: str,
                                                          tmp_path: Path) -> None:
    two = _screens(tmp_path / "two.json", ("laptop", 0, 0, 1366, 768),
                   ("monitor", 1366, 0, 1920, 1080))
    _start(desk_file, two, then="1500,100,1600,900")
    back = _start(desk_file, two)
    assert back["screen"] == "monitor" and back["inside"] == [1500, 100, 1600, 900]
    one = _screens(tmp_path / "one.json", ("laptop", 0, 0, 1366, 768))
    alone = _start(desk_file, one)
    assert alone["screen"] == "laptop" and _within(alone), alone


def test_a_lowered_resolution_keeps_a_window_that_still_fits_and_shrinks_one_that_does_not(
        desk_file: str, tmp_path: Path) -> None:
    big = _screens(tmp_path / "big.json", ("screen", 0, 0, 1920, 1080))
    small = _screens(tmp_path / "small.json", ("screen", 0, 0, 1024, 768))
    _start(desk_file, big, then="60,40,900,650")
    assert _start(desk_file, small)["inside"] == [60, 40, 900, 650]
    _start(desk_file, big, then="300,200,1500,850")
    shrunk = _start(desk_file, small)
    assert _within(shrunk), shrunk


def test_a_window_maximised_on_an_unplugged_monitor_opens_maximised_on_the_laptop(
        desk_file: str, tmp_path: Path) -> None:
    two = _screens(tmp_path / "two.json", ("laptop", 0, 0, 1366, 768),
                   ("monitor", 1366, 0, 1920, 1080))
    _start(desk_file, two, then="1500,100,1600,900")
    _start(desk_file, two, then="maximise")
    one = _screens(tmp_path / "one.json", ("laptop", 0, 0, 1366, 768))
    alone = _start(desk_file, one)
    assert alone["maximised"] and alone["screen"] == "laptop" and _within(alone), alone


# -- test pages from the 本机设置 tab, through a real spooler -----------------------------------

@pytest.mark.printing
def test_test_pages_go_to_the_printer_chosen_for_each_paper(
        qtbot: QtBot, main_window: MainWindow, cups_printer: str) -> None:  # noqa: F811
    """Every paper on the cups-pdf printer chosen for it on this tab (found in cups-pdf's
    output folder by the 测 of 测试页 in the job's file name)."""
    import time

    from PySide6.QtWidgets import QMessageBox

    from tests.documents.helpers import MM, page_sizes
    from tests.ui.test_printing_cups import _output_dirs

    page = main_window.show_page("settings")
    assert isinstance(page, SettingsPage)
    page.show_tab("pc")
    tab = page.pc_tab
    for combo in tab.printers.values():
        combo.setCurrentIndex(combo.findData(cups_printer))
    before = {p for folder in _output_dirs() if folder.is_dir() for p in folder.glob("*.pdf")}
    shown: list[str] = []

    def read_and_close(box: QMessageBox) -> None:
        shown.append(box.text())
        box.accept()

    when_modal(QMessageBox, read_and_close)
    lines = tab.print_test_pages()
    assert len(lines) == 6 and all(line.endswith(f"→ {cups_printer}") for line in lines), lines
    assert shown == ["\n".join(lines)]
    assert pc_settings.printer("card") == cups_printer  # saved first
    deadline, printed = time.monotonic() + 90, []
    while time.monotonic() < deadline:
        printed = [p for folder in _output_dirs() if folder.is_dir()
                   for p in folder.glob("*_346_265_213_*.pdf") if p not in before]
        if len(printed) >= 6 and all(p.read_bytes().rstrip().endswith(b"%%EOF")
                                     for p in printed):
            break
        time.sleep(0.3)
    widths = sorted(page_sizes(p.read_bytes())[0][0] / MM for p in printed)
    for path in printed:
        path.unlink()
    assert widths == pytest.approx([58, 80, 80, 85.6, 210, 297], abs=1.5)  # card: 85.6 mm
