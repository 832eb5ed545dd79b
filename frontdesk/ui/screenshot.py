"""`frontdesk screenshot`: a page of the main window (or one of its tabs, ``PAGE:TAB`` such
as ``settings:backup``), or a start-up dialog, rendered offscreen to a PNG.

Pages are rendered logged in as the first active administrator. The dialogs are the real
ones from ``frontdesk.ui.dialogs``, built the way ``app.run_gui`` and ``MainWindow.lock``
build them: ``firstrun`` with its fields empty (as on a new, empty database), ``login`` with
the centre's name, ``lock`` with the first administrator's user name filled in. Nothing is
written to the database.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from frontdesk.core import settings
from frontdesk.core.actor import Actor
from frontdesk.core.db import Database
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr
from frontdesk.core.operators import actor_for, first_active_admin

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

DIALOGS = ("firstrun", "login", "lock")
PAGE_SIZE = (1280, 800)


def take_screenshot(db: Database, page: str, out: Path, *, lang: str | None = None,
                    size: tuple[int, int] | None = None) -> Path:
    """Render ``page`` (a main-window page key, ``key:tab``, or one of ``DIALOGS``) and save
    it to ``out``.

    ``size`` defaults to 1280x800 for pages and to the dialog's own size for dialogs.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
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
    widget = _dialog(db, page, actor) if page in DIALOGS else _main_window(db, page, actor)
    if size is not None:
        widget.resize(*size)
    elif page in DIALOGS:
        # Its own size as on a real screen: adjustSize() would cap it at 2/3 of the offscreen
        # platform's 800x600 screen and cut off whatever is wider than 533 pixels.
        widget.resize(widget.sizeHint().expandedTo(widget.minimumSizeHint()))
    else:
        widget.resize(*PAGE_SIZE)
    widget.show()
    if page not in DIALOGS:
        key, _, tab = page.partition(":")
        shown = widget.show_page(key)  # type: ignore[attr-defined]
        if tab:
            try:
                shown.show_tab(tab)
            except KeyError:
                widget.close()
                raise RuleError(tr("页面 {page} 没有叫 {tab} 的标签页（有：{tabs}）。", page=key,
                                   tab=tab, tabs=", ".join(shown.tab_names()) or "-")) from None
    for _ in range(5):
        app.processEvents()
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        if not widget.grab().save(str(out)):
            raise RuleError(tr("无法保存截图：{path}", path=out))
    finally:
        widget.close()
        widget.deleteLater()
    return out


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
