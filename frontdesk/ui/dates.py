"""Converting between Python dates and Qt's QDate (the stubs accept no datetime.date)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, QTime

from frontdesk.core.clock import CENTRE_TZ


def to_qdate(day: dt.date) -> QDate:
    """``day`` as a QDate."""
    return QDate(day.year, day.month, day.day)


def from_qdate(value: QDate) -> dt.date:
    """``value`` as a datetime.date."""
    return dt.date(value.year(), value.month(), value.day())


def to_qdatetime(moment: dt.datetime) -> QDateTime:
    """``moment`` as a QDateTime in the centre's time zone, to the minute."""
    local = moment.astimezone(CENTRE_TZ)
    return QDateTime(to_qdate(local.date()), QTime(local.hour, local.minute))


def from_qdatetime(value: QDateTime) -> dt.datetime:
    """``value`` (the centre's local time) as an aware datetime."""
    d, t = value.date(), value.time()
    return dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=CENTRE_TZ)
