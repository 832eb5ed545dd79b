"""F1 opens the shipped user guide at the current page's section; 关于 shows where things live."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from frontdesk.core.i18n import set_language
from frontdesk.ui.help import GUIDE_FILES, SECTIONS, AboutDialog, GuideWindow, guide_path
from frontdesk.ui.main_window import MainWindow


@pytest.mark.parametrize("lang", sorted(GUIDE_FILES))
def test_every_page_has_a_section_in_the_shipped_guide(lang: str) -> None:
    headings = [line.lstrip("#").strip()
                for line in guide_path(lang).read_text(encoding="utf-8").splitlines()
                if line.startswith("#")]
    from frontdesk.ui.pages import PAGES

    for spec in PAGES:
        wanted = SECTIONS[lang][spec.key]
        assert any(h.startswith(wanted) for h in headings), (lang, spec.key, wanted)


def test_f1_opens_the_guide_at_the_page_in_view(qtbot: QtBot, main_window: MainWindow) -> None:
    main_window.show_page("canteen")
    qtbot.keyClick(main_window, Qt.Key.Key_F1)
    guide = main_window.guide
    assert isinstance(guide, GuideWindow) and guide.isVisible()
    assert guide.section.startswith("3.3 长者食堂")
    # The section's heading is at the cursor and the first line in view.
    qtbot.wait_exposed(guide)
    cursor_rect = guide.browser.cursorRect()
    assert 0 <= cursor_rect.top() < 40
    assert guide.browser.textCursor().block().text() == guide.section
    main_window.show_page("rooms")
    qtbot.keyClick(main_window, Qt.Key.Key_F1)
    assert main_window.guide is not guide and main_window.guide.section.startswith("3.4")


def test_the_guide_speaks_english_when_the_desk_does(qtbot: QtBot) -> None:
    set_language("en")
    guide = GuideWindow("dayclose")
    qtbot.add_widget(guide)
    assert guide.windowTitle() == "User guide"
    assert guide.section.startswith("3.6 Day close")


def test_the_about_box_names_version_data_database_and_log(
        qtbot: QtBot, main_window: MainWindow) -> None:
    from frontdesk import __version__
    from frontdesk.core.log import log_dir
    from frontdesk.core.paths import data_dir

    seen: dict[str, str] = {}

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, AboutDialog)
        seen.update(box.values)
        box.reject()

    QTimer.singleShot(0, read_and_close)
    main_window.open_about()
    assert seen == {"version": __version__, "data": str(data_dir()),
                    "database": main_window.ctx.db.display_url, "log": str(log_dir())}
