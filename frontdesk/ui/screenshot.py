"""`frontdesk screenshot`: a page of the main window (or one of its tabs, ``PAGE:TAB`` such
as ``settings:backup``), a set-up form, or a start-up dialog, rendered offscreen to a PNG.

Pages are rendered logged in as the first active administrator. The dialogs are the real
ones from ``frontdesk.ui.dialogs``, built the way ``app.run_gui`` and ``MainWindow.lock``
build them: ``firstrun`` with its fields empty (as on a new, empty database), ``login`` with
the centre's name, ``lock`` with the first administrator's user name filled in.

The main window's own dialogs are reached the way a user reaches them, through the real
code paths (each ``exec()`` runs; the picture is taken while it is open, then every dialog
is cancelled):

- ``opening``: the opening checklist (开业准备), as 帮助 → 开业准备 opens it;
- ``PAGE/PART``: the set-up form of ``PAGE`` that the checklist's 去设置 button opens
  (``Page.open_setup(PART)``: a tab of the page, or the page's set-up dialog at a tab), e.g.
  ``checkin/purposes``, ``rooms/orgs``, ``canteen/admin``;
- ``setup-import``: 设置 → 导入中心设置 with the file given as ``setup_file``, showing what
  importing it would change;
- any of them followed by ``!BUTTON`` (repeatable): click the button with that object name
  (in the dialog on top, else in the page) and show what it opens, e.g.
  ``canteen/admin!addSession`` (the new meal session form) or ``opening!openingGo4``.

Without ``screen`` a page is 1280x800 and a dialog is cut out at its own size. With
``screen`` (W, H) the picture is what a user sees on a W×H screen: the window maximised
(the screen less 40 pixels of task bar and 30 of title bar) with the open dialogs painted
centred over it, and dialogs that fit themselves to the screen see that screen.

Nothing is written to the database (the forms are only opened, never saved).
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frontdesk.core import settings
from frontdesk.core.actor import Actor
from frontdesk.core.db import Database
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr
from frontdesk.core.operators import actor_for, first_active_admin

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtGui import QPixmap
    from PySide6.QtWidgets import QApplication, QWidget

DIALOGS = ("firstrun", "login", "lock")
WINDOW_DIALOGS = ("opening", "setup-import")  # dialogs the main window opens
PAGE_SIZE = (1280, 800)
TASK_BAR, TITLE_BAR = 40, 30  # pixels a maximised window loses on a Windows screen
STEP_TIMEOUT_MS = 60_000


def take_screenshot(db: Database, page: str, out: Path, *, lang: str | None = None,
                    size: tuple[int, int] | None = None,
                    screen: tuple[int, int] | None = None,
                    setup_file: Path | None = None) -> Path:
    """Render ``page`` (a main-window page key, ``key:tab``, ``key/part``, ``opening``,
    ``setup-import``, each optionally followed by ``!button``s, or one of ``DIALOGS``) and
    save it to ``out``.

    ``size`` defaults to 1280x800 for pages and to the dialog's own size for dialogs;
    ``screen`` pictures the whole screen of that size instead (see the module's doc).
    """
    _offscreen_screen(screen or PAGE_SIZE)
    with db.read() as session:
        language = lang or settings.get(session, "ui.language")
        admin = first_active_admin(session)
        if admin is None and page != "firstrun":
            raise RuleError(tr("数据库还没有初始设置，请先运行 frontdesk init 或 frontdesk demo。"))
        actor = actor_for(admin) if admin is not None else None

    from PySide6.QtWidgets import QApplication

    from frontdesk.app import create_application

    app = create_application(language)
    assert isinstance(app, QApplication)
    if page in DIALOGS:
        widget = _dialog(db, page, actor)
        if size is not None:
            widget.resize(*size)
        else:
            # Its own size as on a real screen: adjustSize() would cap it at 2/3 of the
            # screen and cut off whatever is wider.
            widget.resize(widget.sizeHint().expandedTo(widget.minimumSizeHint()))
        widget.show()
        for _ in range(5):
            app.processEvents()
        try:  # before anyone has logged in: the dialog on the desktop
            _save(_over_window(None, [widget.grab()], screen) if screen else widget.grab(), out)
        finally:
            widget.close()
            widget.deleteLater()
        return out

    window = _main_window(db, page, actor)
    if screen is not None:
        window.resize(screen[0], screen[1] - TASK_BAR - TITLE_BAR)
    else:
        window.resize(*(size or PAGE_SIZE))
    window.show()
    try:
        pictures = _drive(app, window, _steps(window, page, setup_file, db))
        if screen is not None:
            picture = _over_window(window, pictures, screen)
        elif pictures:
            picture = pictures[-1]  # the dialog on top, at its own size
        else:
            picture = window.grab()
        _save(picture, out)
    finally:
        window.close()
        window.deleteLater()
    return out


def _save(picture: QPixmap, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    if not picture.save(str(out)):
        raise RuleError(tr("无法保存截图：{path}", path=out))


def _offscreen_screen(screen: tuple[int, int]) -> None:
    """Before the QApplication: an offscreen screen of this size (less the task bar), so that
    dialogs that fit themselves to the screen see the one pictured."""
    from PySide6.QtWidgets import QApplication

    platform = os.environ.get("QT_QPA_PLATFORM", "offscreen")
    if QApplication.instance() is not None or not platform.startswith("offscreen"):
        return
    config = {"screens": [{"name": "screenshot", "x": 0, "y": 0, "width": screen[0],
                           "height": screen[1] - TASK_BAR, "logicalDpi": 96,
                           "logicalBaseDpi": 96, "dpr": 1}]}
    handle, name = tempfile.mkstemp(prefix="frontdesk-screen-", suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        json.dump(config, file)
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={name}"


def _steps(window: Any, target: str, setup_file: Path | None,
           db: Database) -> list[Callable[[], None]]:
    """What to do, one step at a time, to bring ``target`` on screen."""
    base, *buttons = target.split("!")
    steps: list[Callable[[], None]] = []
    if base == "opening":
        steps.append(window.open_checklist)
    elif base == "setup-import":
        if setup_file is None:
            raise RuleError(tr("setup-import 需要一个中心设置文件（--setup-file）。"))
        steps.append(lambda: _open_import(window, setup_file))
    else:
        key, _, part = base.partition("/")
        key, _, tab = key.partition(":")
        steps.append(lambda: _show(window, key, tab))
        if part:
            steps.append(lambda: window.show_tab(key, part))
    steps.extend(functools.partial(_click, window, name) for name in buttons)
    return steps


def _show(window: Any, key: str, tab: str) -> None:
    shown = window.show_page(key)
    if tab:
        try:
            shown.show_tab(tab)
        except KeyError:
            raise RuleError(tr("页面 {page} 没有叫 {tab} 的标签页（有：{tabs}）。", page=key,
                               tab=tab, tabs=", ".join(shown.tab_names()) or "-")) from None


def _open_import(window: Any, path: Path) -> None:
    from frontdesk.ui.setup_transfer import SetupImportDialog, read_setup_file

    window.show_page("settings")
    setup = read_setup_file(window, path)
    if setup is not None:
        SetupImportDialog(window.ctx, setup, str(path), window).exec()


def _click(window: Any, name: str) -> None:
    """Click the button ``name`` in the dialog on top (or the window)."""
    from PySide6.QtWidgets import QAbstractButton, QApplication

    where = QApplication.activeModalWidget() or window
    button = where.findChild(QAbstractButton, name)
    if button is None or not button.isVisible():
        names = sorted({b.objectName() for b in where.findChildren(QAbstractButton)
                        if b.objectName() and b.isVisible()})
        raise RuleError(tr("这里没有叫 {name} 的按钮（有：{names}）。", name=name,
                           names=", ".join(names) or "-"))
    button.click()


def _drive(app: QApplication, window: QWidget,
           steps: list[Callable[[], None]]) -> list[QPixmap]:
    """Run ``steps`` in the event loop (a step may open a modal dialog and wait in its
    ``exec()``); return pictures of the dialogs open at the end, bottom first, taken
    before they are all cancelled."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QDialog

    loop = QEventLoop()
    pending = list(steps)
    opened: list[QWidget] = []
    failure: list[BaseException] = []
    pictures: list[QPixmap] = []

    def note_modal() -> None:
        modal = app.activeModalWidget()
        if modal is not None and modal not in opened:
            opened.append(modal)

    def run(step: Callable[[], None]) -> None:
        try:
            step()
        except BaseException as exc:  # carried out of the event loop, raised after it
            if not failure:
                failure.append(exc)
                QTimer.singleShot(0, close_all)

    def next_step() -> None:
        if failure:
            return
        note_modal()
        if pending:
            step = pending.pop(0)
            QTimer.singleShot(0, lambda: run(step))  # may stay inside a dialog's exec()
            QTimer.singleShot(0, next_step)  # runs next, in that dialog's event loop
            return
        for _ in range(5):
            app.processEvents()
        pictures.extend(w.grab() for w in opened if w.isVisible())
        close_all()

    def close_all() -> None:
        modal = app.activeModalWidget()
        if modal is not None:
            if isinstance(modal, QDialog):
                modal.reject()
            else:
                modal.close()
            QTimer.singleShot(0, close_all)
        else:
            loop.quit()

    def too_long() -> None:
        if not failure:
            failure.append(RuleError(tr("截图超时：{target}", target=str(steps))))
        close_all()

    watchdog = QTimer()
    watchdog.setSingleShot(True)
    watchdog.timeout.connect(too_long)
    watchdog.start(STEP_TIMEOUT_MS)
    QTimer.singleShot(0, next_step)
    loop.exec()
    watchdog.stop()
    if failure:
        raise failure[0]
    return pictures


def _over_window(window: QWidget | None, dialogs: list[QPixmap],
                 screen: tuple[int, int]) -> QPixmap:
    """The screen: ``window`` (a grey desktop without one) with ``dialogs`` centred over it."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QColor, QPainter, QPixmap

    if window is not None:
        canvas = window.grab()
    else:
        canvas = QPixmap(screen[0], screen[1] - TASK_BAR - TITLE_BAR)
        canvas.fill(QColor("#5a6b7b"))
    painter = QPainter(canvas)
    for picture in dialogs:
        x = max(0, (canvas.width() - picture.width()) // 2)
        y = max(0, (canvas.height() - picture.height()) // 2)
        painter.setPen(QColor("#333333"))
        painter.drawRect(x - 1, y - 1, picture.width() + 1, picture.height() + 1)
        painter.drawPixmap(QPoint(x, y), picture)
    painter.end()
    return canvas


def _main_window(db: Database, page: str, actor: Actor | None) -> QWidget:
    from frontdesk.ui.context import DeskContext
    from frontdesk.ui.main_window import MainWindow

    assert actor is not None
    return MainWindow(DeskContext(db, actor))


def _dialog(db: Database, which: str, actor: Actor | None) -> QWidget:
    from frontdesk.core.centre import centre_info
    from frontdesk.ui.dialogs import FirstRunDialog, LoginDialog

    if which == "firstrun":
        return FirstRunDialog(db)
    assert actor is not None
    with db.read() as session:
        centre_name = centre_info(session).name
    if which == "login":
        return LoginDialog(db, centre_name)
    return LoginDialog(db, centre_name, locked_user=actor.username)
