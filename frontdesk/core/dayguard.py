"""The day-close lock (日结): once a business date is closed, its records do not change.

Every feature's write service calls :func:`ensure_day_open` for the business date of the
record it creates, edits or voids. The tables live here (not in ``frontdesk.dayclose``)
so features can import the guard without pulling in the export machinery.

A close racing with a write must not let the write slip into the closed day. On SQLite
every writing transaction starts with BEGIN IMMEDIATE, so they never overlap. On
PostgreSQL the guard takes a shared transaction-level advisory lock on the date and closing
or reopening takes it exclusively (:func:`lock_day`): a close waits for writes already past
the guard to commit (and then counts them), and a write that comes while a close is under
way waits for it and is then refused.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, Index, String, Text, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr
from frontdesk.core.models import Base


class ClosedDay(Base):
    """The close state of one business date (日结): present once the day was first closed."""

    __tablename__ = "closed_day"

    business_date: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    closed: Mapped[bool] = mapped_column(Boolean)  # False while reopened
    closed_at: Mapped[dt.datetime]
    closed_by: Mapped[str] = mapped_column(String(64))
    counted_cash_json: Mapped[str] = mapped_column(Text, default="{}")  # method → fen
    acknowledged_json: Mapped[str] = mapped_column(Text, default="[]")  # warning codes
    exported_at: Mapped[dt.datetime | None]  # last complete (non-draft) export of this close
    export_sha256: Mapped[str | None] = mapped_column(String(64))


class DayCloseEvent(Base):
    """History of a day's closes, reopenings and exports (never rewritten)."""

    __tablename__ = "day_close_event"
    __table_args__ = (Index("ix_day_close_event_business_date", "business_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    business_date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))  # close / reopen / export
    at: Mapped[dt.datetime]
    operator_username: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text, default="")
    detail_json: Mapped[str] = mapped_column(Text, default="{}")


def is_day_closed(session: Session, business_date: dt.date) -> bool:
    """Whether ``business_date`` is closed (and not reopened)."""
    row = session.get(ClosedDay, business_date)
    return row is not None and row.closed


def lock_day(session: Session, business_date: dt.date, *, exclusive: bool) -> None:
    """Take the date's close lock until the transaction ends (PostgreSQL; SQLite needs none).

    Writes take it shared (many desks at once), closing and reopening exclusively. The key
    includes the schema, so centres in one database do not wait for each other.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    session.execute(text(
        f"SELECT {function}(hashtextextended("
        "'frontdesk.closed_day:' || current_schema() || ':' || :day, 0))"),
        {"day": business_date.isoformat()})


def ensure_day_open(session: Session, business_date: dt.date) -> None:
    """Refuse any change to a record of ``business_date`` once that day is closed."""
    lock_day(session, business_date, exclusive=False)
    # Read the row again: one loaded earlier in this transaction may predate a close.
    row = session.get(ClosedDay, business_date, populate_existing=True)
    if row is not None and row.closed:
        raise RuleError(tr(
            "{date} 已日结，当天的记录不能再修改。如需更正，请管理员先重新开放这一天并说明原因。",
            date=business_date.isoformat()))
