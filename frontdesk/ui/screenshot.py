"""`frontdesk screenshot`: one page of the main window rendered offscreen to a PNG."""

from __future__ import annotations

import os
from pathlib import Path

from frontdesk.core import settings
from frontdesk.core.db import Database
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr
from frontdesk.core.operators import actor_for, first_active_admin


def take_screenshot(db: Database, page: str, out: Path, *, lang: str | None = None,
                    size: tuple[int, int] = (1280, 800)) -> Path:
    """Render ``page`` logged in as the first active admin and save it to ``out``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with db.read() as session:
        admin = first_active_admin(session)
        if admin is None:
            raise RuleError(tr("数据库还没有初始设置，请先运行 frontdesk init 或 frontdesk demo。"))
        actor = actor_for(admin)
        language = lang or settings.get(session, "ui.language")

    from PySide6.QtWidgets import QApplication

    from frontdesk.app import create_application
    from frontdesk.ui.context import DeskContext
    from frontdesk.ui.main_window import MainWindow

    app = create_application(language)
    assert isinstance(app, QApplication)
    window = MainWindow(DeskContext(db, actor))
    window.resize(*size)
    window.show()
    window.show_page(page)
    for _ in range(5):
        app.processEvents()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(out)):
        raise RuleError(tr("无法保存截图：{path}", path=out))
    window.close()
    return out
