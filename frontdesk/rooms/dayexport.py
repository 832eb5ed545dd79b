"""The rooms' share of a day's close and export package: the 场地 sheet and its totals.

Rows are the bookings whose business date (the day they start) is the day, whatever their
state, in the column order of ``frontdesk.dayclose.format`` (sheet 场地).

Warning that must be acknowledged before closing:
``rooms.unmarked`` — confirmed bookings that have started but were never marked
已签到 or 未到: the room-use figures would count them as neither used nor missed.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.core.clock import CENTRE_TZ, Clock, to_local
from frontdesk.core.dayguard import ClosedDay
from frontdesk.core.i18n import tr
from frontdesk.core.masking import mask_phone
from frontdesk.core.operators import Operator
from frontdesk.dayclose import format as fmt
from frontdesk.dayclose.package import Row
from frontdesk.dayclose.registry import DayPart, DayWarning, ExportOptions
from frontdesk.rooms.models import CANCELLED, CHECKED_IN, CONFIRMED, NO_SHOW, PENDING
from frontdesk.rooms.service import BookingInfo, list_bookings

WARNING_UNMARKED = "rooms.unmarked"
# The 状态 words of the export format (docs/export-format.md, sheet 场地).
EXPORT_STATUS = {CHECKED_IN: "已使用", NO_SHOW: "爽约", CANCELLED: "已取消", PENDING: "待审核",
                 CONFIRMED: "已确认"}
SCHEDULE_PDF = "rooms_schedule.pdf"
LISTED_IN_WARNING = 8
# The exporter is called without an actor, so "now" comes from here (tests pin it).
CLOCK: Clock = Clock()


def booking_number(booking_id: int) -> str:
    """The number printed on the slip and in the export: R000123."""
    return f"R{booking_id:06d}"


def day_part(session: Session, day: dt.date, options: ExportOptions,
             now: dt.datetime | None = None) -> DayPart:
    """The 场地 rows, room totals, the unmarked-bookings warning and (if asked) the schedule.

    ``now`` (default: :data:`CLOCK`) decides which confirmed bookings have started.
    """
    bookings = list_bookings(session, day, day)
    bookings.sort(key=lambda b: (b.start, b.id))
    names = dict(session.execute(select(Operator.username, Operator.display_name)).all())
    rows = [_row(b, names) for b in bookings]
    used = [b for b in bookings if b.status == CHECKED_IN]
    totals = {
        "bookings_held": len(used),
        "bookings_no_show": sum(b.status == NO_SHOW for b in bookings),
        "bookings_cancelled": sum(b.status == CANCELLED for b in bookings),
        "room_minutes": sum(b.minutes for b in used),
        "booking_headcount": sum(b.headcount for b in used),
    }
    moment = now or CLOCK.now()
    unmarked = [b for b in bookings if b.status == CONFIRMED and b.start <= moment]
    warnings = [_unmarked_warning(unmarked)] if unmarked else []
    pdfs = {SCHEDULE_PDF: _schedule_pdf(session, day)} if options.with_pdfs else {}
    return DayPart(sheets={fmt.BOOKINGS: rows}, totals=totals, warnings=warnings, pdfs=pdfs)


def _row(b: BookingInfo, names: dict[str, str]) -> Row:
    notes = "；".join(part for part in (b.cancel_reason, b.notes) if part)
    return (booking_number(b.id), b.room_name, b.start, b.end, b.minutes, b.booker_name,
            mask_phone(b.phone), b.headcount, b.purpose,
            f"S{b.series_id:06d}" if b.series_id is not None else "",
            EXPORT_STATUS.get(b.status, b.status), names.get(b.created_by, b.created_by), notes)


def _unmarked_warning(unmarked: list[BookingInfo]) -> DayWarning:
    listed = "、".join(f"{b.room_name} {b.start:%H:%M} {b.booker_name}"
                      for b in unmarked[:LISTED_IN_WARNING])
    if len(unmarked) > LISTED_IN_WARNING:
        listed += tr("等")
    return DayWarning(WARNING_UNMARKED, tr(
        "{n} 个场地预约已开始但未标记“已签到”或“未到”：{list}。请在场地预约页标记后再日结。",
        n=len(unmarked), list=listed))


def _schedule_pdf(session: Session, day: dt.date) -> bytes:
    """The day's schedule for the package: the closer and close time of the day, so the
    same closed day always gives the same bytes."""
    from frontdesk.rooms.printed import render_door_schedule

    closed = session.get(ClosedDay, day)
    operator = tr("日结")
    if closed is not None:  # the closer's name, as every other document shows operators
        operator = session.scalar(select(Operator.display_name).where(
            Operator.username == closed.closed_by)) or closed.closed_by
    printed_at = (to_local(closed.closed_at) if closed is not None
                  else dt.datetime.combine(day, dt.time(0), CENTRE_TZ))
    return render_door_schedule(session, day, operator, printed_at, invariant=True)
