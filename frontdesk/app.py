"""GUI start-up: Qt application, fonts, language, database, first run, login, main window."""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import TYPE_CHECKING

from frontdesk.core.i18n import current_language, set_language, tr

if TYPE_CHECKING:
    from frontdesk.core.actor import Actor
    from frontdesk.core.db import Database

STARTUP_PROBE_ENV = "FRONTDESK_STARTUP_PROBE"
STARTUP_MARK = "FRONTDESK_MAIN_WINDOW_SHOWN"
PAGE_READY_MARK = "FRONTDESK_FIRST_PAGE_READY"


def create_application(lang: str | None = None) -> object:
    """The QApplication with the shipped fonts and Qt's own catalogue for ``lang``."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from frontdesk.core.paths import resource_dir
    from frontdesk.ui.fonts import load_fonts

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("frontdesk")
    if isinstance(app, QApplication):
        app.setApplicationDisplayName(tr("邻里前台"))
        app.setWindowIcon(QIcon(str(resource_dir() / "icons" / "frontdesk.png")))
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


def _backup_at_start(db_url: str | None) -> None:
    """Back the database up before anything (migrations included) touches it."""
    from PySide6.QtWidgets import QMessageBox

    from frontdesk.core.backup import backup_at_start
    from frontdesk.core.db import Database
    from frontdesk.core.errors import FrontdeskError

    raw = Database(db_url)
    try:
        backup_at_start(raw)
    except FrontdeskError as exc:  # the desk can still work; the admin must know
        QMessageBox.warning(None, tr("自动备份失败"), exc.message)
    finally:
        raw.dispose()


def run_gui(db_url: str | None = None, lang: str | None = None) -> int:
    """Start the desk program; returns the exit code."""
    started = time.perf_counter()
    # SQLAlchemy is the heaviest import; let it load on the second core while Qt starts.
    preload = threading.Thread(target=_preload_data_layer, name="preload", daemon=True)
    preload.start()
    from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

    from frontdesk.core import settings
    from frontdesk.core.centre import centre_info, is_initialised
    from frontdesk.core.errors import FrontdeskError
    from frontdesk.core.migrate import open_database

    app = create_application(None)
    assert isinstance(app, QApplication)
    preload.join()
    from frontdesk.ui.town import run_town_gui  # a town's shared database (several centres)

    town_exit = run_town_gui(db_url, lang)
    if town_exit is not None:
        return town_exit
    _backup_at_start(db_url)
    try:
        db = open_database(db_url)
        with db.read() as session:
            create_application(lang or settings.get(session, "ui.language"))
            initialised = is_initialised(session)
    except FrontdeskError as exc:
        QMessageBox.critical(None, tr("无法打开数据库"), exc.message)
        return 1

    from frontdesk.ui.context import DeskContext
    from frontdesk.ui.dialogs import FirstRunDialog, LoginDialog
    from frontdesk.ui.main_window import MainWindow

    probe = os.environ.get(STARTUP_PROBE_ENV) == "1"
    if probe:
        actor = _probe_actor(db)
    else:
        if not initialised:
            first_run = FirstRunDialog(db)
            if first_run.exec() != QDialog.DialogCode.Accepted:
                return 0
        with db.read() as session:
            centre = centre_info(session)
        login = LoginDialog(db, centre.name)
        if login.exec() != QDialog.DialogCode.Accepted or login.actor is None:
            return 0
        actor = login.actor
    window = MainWindow(DeskContext(db, actor))
    window.show()
    if probe:
        app.processEvents()  # the window's first paint
        print(f"{STARTUP_MARK} {time.perf_counter() - started:.4f} {current_language()}",
              flush=True)
        app.processEvents()  # the first page, built and filled just after the window shows
        app.processEvents()
        print(f"{PAGE_READY_MARK} {time.perf_counter() - started:.4f}", flush=True)
        return 0
    return app.exec()


def _probe_actor(db: Database) -> Actor:
    """The first active admin, for the start-up benchmark (no login dialog to wait on)."""
    from frontdesk.core.operators import actor_for, first_active_admin

    with db.read() as session:
        admin = first_active_admin(session)
        if admin is None:
            raise SystemExit("start-up probe needs an initialised database")
        return actor_for(admin)


def _preload_data_layer() -> None:
    """Import the database layer (run in a thread at start-up)."""
    import frontdesk.core.centre
    import frontdesk.core.migrate
    import frontdesk.core.operators
    import frontdesk.core.settings  # noqa: F401
