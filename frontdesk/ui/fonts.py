"""Loading the shipped Chinese fonts into Qt, so no system CJK font is needed."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from frontdesk.core import resources

UI_FONT_FILES = resources.FONT_FILES  # Noto Sans SC regular and bold, then the rare-character cut
UI_POINT_SIZE = 11

_families: list[str] = []


def load_fonts(app: QApplication) -> list[str]:
    """Register the shipped fonts once and make Noto Sans SC the application font.

    Qt falls back to the next family in the list (the rare-character font) for glyphs
    the main font lacks, such as 𠮷.
    """
    if not _families:
        for name in UI_FONT_FILES:
            font_id = QFontDatabase.addApplicationFont(str(resources.font_path(name)))
            for family in QFontDatabase.applicationFontFamilies(font_id):
                if family not in _families:
                    _families.append(family)
    font = QFont()
    font.setFamilies(_families)
    font.setPointSize(UI_POINT_SIZE)
    app.setFont(font)
    return list(_families)
