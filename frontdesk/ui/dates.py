"""Converting between Python dates and Qt's QDate (the stubs accept no datetime.date)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate


def to_qdate(day: dt.date) -> QDate:
    """``day`` as a QDate."""
    return QDate(day.year, day.month, day.day)


def from_qdate(value: QDate) -> dt.date:
    """``value`` as a datetime.date."""
    return dt.date(value.year(), value.month(), value.day())
