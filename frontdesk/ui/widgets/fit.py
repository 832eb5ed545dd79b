"""Sizes that follow the words: a field wide enough for its example text in any language.

A line edit elides a placeholder that does not fit ("e.g. Guishan Community Neighbourh…"),
and the example is the part a first-time user needs. English runs about twice as wide as
the Chinese source, so widths are measured from the text on screen, never fixed in pixels.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QSizePolicy, QStyle, QStyleOptionFrame, QWidget

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


def fit_placeholder(edit: QLineEdit, text: str | None = None) -> QLineEdit:
    """Make ``edit`` at least wide enough to show its whole placeholder (set to ``text`` if
    given); returns it."""
    if text is not None:
        edit.setPlaceholderText(text)
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


class ElidedLabel(QLabel):
    """A one-line label that ends in "…" when narrower than its text (the whole text in its
    tooltip), instead of being cut off mid-character; for the status bar's centre and
    database on a small screen."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), self.fontMetrics().horizontalAdvance("…") * 8),
                     hint.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideMiddle,
                                              rect.width())
        painter.drawText(rect, int(self.alignment()), shown)
