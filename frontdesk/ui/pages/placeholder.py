"""A page whose feature is still being built."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout

from frontdesk.core.i18n import tr
from frontdesk.ui.pages.base import Page

if TYPE_CHECKING:
    from frontdesk.ui.context import DeskContext
    from frontdesk.ui.pages import PageSpec


class PlaceholderPage(Page):
    """Says plainly that this part of the desk is not available yet."""

    def __init__(self, ctx: DeskContext, spec: PageSpec) -> None:
        super().__init__(ctx, spec)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading(tr(spec.title)))
        note = QLabel(tr("此功能正在建设中，将在后续版本中提供。"))
        note.setWordWrap(True)
        note.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(note)
        layout.addStretch(1)
