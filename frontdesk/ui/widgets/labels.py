"""Labels that look the same wherever they appear."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

ERROR_STYLE = "color: #b00020;"


def error_label(name: str = "message") -> QLabel:
    """The red, wrapping line under a form where a refusal is explained."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    return label
