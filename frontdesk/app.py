"""GUI start-up: Qt application, fonts, language, database, first run, login, main window."""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING

from frontdesk.core.i18n import current_language, set_language, tr

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from frontdesk.core.actor import Actor
    from frontdesk.core.db import Database
    from frontdesk.ui.context import DeskContext
    from frontdesk.ui.main_window import MainWindow

STARTUP_PROBE_ENV = "FRONTDESK_STARTUP_PROBE"
STARTUP_MARK = "FRONTDESK_MAIN_WINDOW_SHOWN"
LOGIN_READY_MARK = "FRONTDESK_LOGIN_READY"  # the database is open; the login would show
PAGE_READY_MARK = "FRONTDESK_FIRST_PAGE_READY"


def create_application(lang: str | None = None) -> object:
    """The QApplication with the shipped fonts and Qt's own catalogue for ``lang``."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from frontdesk.core import resources
    from frontdesk.ui.fonts import load_fonts

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("frontdesk")
    if isinstance(app, QApplication):
        app.setApplicationDisplayName(tr("邻里前台"))
        app.setWindowIcon(QIcon(str(resources.icon_path())))
    load_fonts(app)  # type: ignore[arg-type]
    if lang:
        set_language(lang)
        qt_lang = "zh_CN" if lang == "zh_CN" else "en"
        QLocale.setDefault(QLocale(qt_lang))
        translator = QTranslator(app)
        path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(f"qtbase_{qt_lang}", path):
            app.installTranslator(translator)
    return app


def _backup_at_start(db_url: str | None, centre: str | None, window: QWidget) -> None:
    """Back the database (a town database: the centre's schema) up before anything,
    migrations included, touches it."""
    from PySide6.QtWidgets import QMessageBox

    from frontdesk.core.backup import backup_at_start
    from frontdesk.core.db import Database
    from frontdesk.core.errors import FrontdeskError

    # --centre on an SQLite file: refused, explained. Called only when the file exists.
    raw = Database(db_url, centre=centre, create=False)
    try:
        backup_at_start(raw)
    except FrontdeskError as exc:  # the desk can still work; the admin must know
        QMessageBox.warning(window, tr("自动备份失败"), exc.message)
    finally:
        raw.dispose()


def run_gui(db_url: str | None = None, lang: str | None = None) -> int:
    """Start the desk program; returns the exit code.

    The window is on screen first, from what the last start remembered (the centre's name,
    the language); the database layer loads, backs up, migrates and asks for a login
    behind it. Importing SQLAlchemy alone takes longer than a whole bare Qt window.
    """
    started = time.perf_counter()
    from PySide6.QtWidgets import QApplication

    from frontdesk.core import log, startup_cache
    from frontdesk.ui import errors

    hint = startup_cache.recall(db_url)
    app = create_application(lang or hint.language or current_language())
    assert isinstance(app, QApplication)
    # From here on an unexpected error is logged and shown in plain words (ui/errors.py),
    # Qt's own warnings go to the same log, and a log that cannot be written is told once.
    undo_report = errors.install()
    undo_qt_log = errors.install_qt_message_handler()
    log.started("frontdesk desk")
    try:
        return _run_desk(app, started, db_url, lang, hint)
    except Exception:  # start-up failed: told, logged, a clean exit code
        errors.show_now(sys.exc_info(), tr("启动程序"))  # type: ignore[arg-type]
        return 1
    finally:
        undo_qt_log()
        undo_report()


def _run_desk(app: object, started: float, db_url: str | None, lang: str | None,
              hint: object) -> int:
    from PySide6.QtWidgets import QApplication

    from frontdesk.core import startup_cache
    from frontdesk.ui.main_window import MainWindow

    assert isinstance(app, QApplication) and isinstance(hint, startup_cache.StartupHint)
    window = MainWindow(centre_name=hint.centre_name)
    window.place_on_screen()  # where this PC's last run left it, or fitted to the screen
    window.show()
    app.processEvents()  # the window's first paint
    probe = os.environ.get(STARTUP_PROBE_ENV) == "1"
    if probe:
        print(f"{STARTUP_MARK} {time.perf_counter() - started:.4f} {current_language()}",
              flush=True)
    ctx, code = open_desk(window, db_url, lang, probe=probe)
    if ctx is None:  # cancelled or refused: open_desk closed what it opened
        window.close()
        return code
    window.attach(ctx)
    if window.first_run_done and ctx.actor.is_admin:
        # A new centre: show what still needs setting up before the first visitor comes.
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, window.open_checklist)
    if ctx.actor.is_town_admin:
        from frontdesk.ui.town import offer_centre_switch

        offer_centre_switch(window)
    startup_cache.remember(db_url, startup_cache.StartupHint(window.centre.name,
                                                             current_language()))
    if probe:
        app.processEvents()  # the first page, built and filled just after attaching
        app.processEvents()
        print(f"{PAGE_READY_MARK} {time.perf_counter() - started:.4f}", flush=True)
        code = 0
    else:
        code = app.exec()
    _close_desks()
    return code


def _close_desks() -> None:
    """Close the database connections of every desk window (切换中心 may have made several)."""
    from PySide6.QtWidgets import QApplication

    from frontdesk.ui.main_window import MainWindow

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow) and widget.has_desk:
            widget.ctx.db.dispose()


def open_desk(window: MainWindow, db_url: str | None, lang: str | None, *,
              probe: bool = False) -> tuple[DeskContext | None, int]:
    """Open the database behind the shown window, then first run and login.

    Returns the desk, or None and the exit code (0 when someone cancelled).
    """
    from PySide6.QtWidgets import QDialog, QMessageBox

    from frontdesk.core import settings
    from frontdesk.core.centre import centre_info, is_initialised
    from frontdesk.core.db import (
        check_url,
        missing_folders,
        remove_new_database,
        resolve_centre,
        resolve_url,
        sqlite_file,
    )
    from frontdesk.core.errors import FrontdeskError
    from frontdesk.core.migrate import open_database
    from frontdesk.ui.errors import track_commits
    from frontdesk.ui.town import is_town_database, town_admin_desk

    track_commits()  # the database layer is loaded now: the first-run and login dialogs too

    centre = resolve_centre(None)  # a centre's code on a town's shared database
    try:
        check_url(resolve_url(db_url))  # another kind of database: said before anything
    except FrontdeskError as exc:
        QMessageBox.critical(window, tr("无法打开数据库"), exc.message)
        return None, 1
    if centre is None and is_town_database(resolve_url(db_url)):
        window.show_waiting(tr("请登录"))
        return town_admin_desk(window, resolve_url(db_url))
    # A first start (the default database, or a --db file that does not exist yet) makes
    # the database for the first-run dialog; cancelling that dialog takes it back.
    target = sqlite_file(resolve_url(db_url))
    new_file = target if target is not None and not target.exists() else None
    new_folders = missing_folders(new_file) if new_file is not None else []
    db: Database | None = None
    try:
        if new_file is None:
            _backup_at_start(db_url, centre, window)
        db = open_database(db_url, centre=centre, create=new_file is not None)
        with db.read() as session:
            language = lang or settings.get(session, "ui.language")
            initialised = is_initialised(session)
    except FrontdeskError as exc:
        if db is not None:
            db.dispose()
        if new_file is not None:
            remove_new_database(new_file, new_folders)
        QMessageBox.critical(window, tr("无法打开数据库"), exc.message)
        return None, 1
    if language != current_language():  # the database says otherwise than the last start
        create_application(language)
        window.retranslate_shell()

    from frontdesk.ui.context import DeskContext
    from frontdesk.ui.dialogs import FirstRunDialog, LoginDialog

    if probe:
        print(LOGIN_READY_MARK, flush=True)
        return DeskContext(db, _probe_actor(db)), 0
    window.show_waiting(tr("请登录"))
    if not initialised:
        first_run = FirstRunDialog(db, window,
                                   new_file=str(new_file) if new_file is not None else None)
        if first_run.exec() != QDialog.DialogCode.Accepted:
            db.dispose()
            if new_file is not None:  # nothing was set up: no database is left behind
                remove_new_database(new_file, new_folders)
            return None, 0
        window.first_run_done = True
    with db.read() as session:
        info = centre_info(session)
    window.show_centre_name(info.name)
    from frontdesk.ui.pc_settings import last_operator

    login = LoginDialog(db, info.name, username=last_operator(), parent=window)
    if login.exec() != QDialog.DialogCode.Accepted or login.actor is None:
        db.dispose()
        return None, 0
    return DeskContext(db, login.actor), 0


def _probe_actor(db: Database) -> Actor:
    """The first active admin, for the start-up benchmark (no login dialog to wait on)."""
    from frontdesk.core.operators import actor_for, first_active_admin

    with db.read() as session:
        admin = first_active_admin(session)
        if admin is None:
            raise SystemExit("start-up probe needs an initialised database")
        return actor_for(admin)
