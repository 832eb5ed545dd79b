"""Sizes that follow the words: a field wide enough for its example text in any language.

A line edit elides a placeholder that does not fit ("e.g. Guishan Community Neighbourh…"),
and the example is the part a first-time user needs. English runs about twice as wide as
the Chinese source, so widths are measured from the text on screen, never fixed in pixels.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QStyle, QStyleOptionFrame

# QLineEdit keeps this many pixels free on each side of its text (QLineEditPrivate).
_LINE_EDIT_MARGIN = 2


def text_room(edit: QLineEdit) -> int:
    """The width the line edit has for its text now (inside frame and margins)."""
    margins = edit.textMargins()
    return (edit.contentsRect().width() - margins.left() - margins.right()
            - 2 * _LINE_EDIT_MARGIN - 2 * _frame(edit))


def placeholder_fits(edit: QLineEdit) -> bool:
    """True if the whole placeholder shows at the line edit's current width."""
    return edit.fontMetrics().horizontalAdvance(edit.placeholderText()) <= text_room(edit)


def fit_placeholder(edit: QLineEdit) -> QLineEdit:
    """Make ``edit`` at least wide enough to show its whole placeholder; returns it."""
    margins = edit.textMargins()
    need = (edit.fontMetrics().horizontalAdvance(edit.placeholderText()) + margins.left()
            + margins.right() + 2 * _LINE_EDIT_MARGIN + 2 * _frame(edit) + 8)
    edit.setMinimumWidth(max(edit.minimumWidth(), need))
    return edit


def _frame(edit: QLineEdit) -> int:
    if not edit.hasFrame():
        return 0
    option = QStyleOptionFrame()
    option.initFrom(edit)
    return edit.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, option, edit)
