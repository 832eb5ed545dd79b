"""Printed room documents: the booking slip (预约单) and the day's room schedule (场地安排表).

The slip is an 80 mm receipt: the desk hands it over the counter, and its QR code holds the
slip number (R000123) that the global scan box opens. The schedule is one A4 table of every
room for the day, grouped by room, for the notice board at the entrance: one sheet shows
the whole centre, and a room with nothing booked takes one line instead of a page.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from frontdesk.core.actor import Actor
from frontdesk.core.i18n import N_, tr
from frontdesk.documents import service as documents
from frontdesk.documents.styles import DocumentMeta
from frontdesk.rooms import reports

KIND_SLIP = "rooms.slip"
KIND_SCHEDULE = "rooms.schedule"
RECORD_TYPE = "booking"
# For the 文档 page's filter (the lines in documents.service.KINDS use these labels).
KIND_LABELS = {KIND_SLIP: N_("场地预约单"), KIND_SCHEDULE: N_("场地安排表")}
WEEKDAYS = (N_("星期一"), N_("星期二"), N_("星期三"), N_("星期四"), N_("星期五"),
            N_("星期六"), N_("星期日"))


def slip_title(booking_id: int) -> str:
    """The archive title of a booking's slip."""
    return tr("场地预约单 {number}", number=f"R{booking_id:06d}")


def booking_slip_pdf(session: Session, actor: Actor, booking_id: int, *,
                     invariant: bool = False) -> bytes:
    """The booking slip as an 80 mm receipt with the slip number as a QR code."""
    from frontdesk.documents.receipts import Receipt, ReceiptLine, render_receipt

    slip = reports.booking_slip(session, booking_id, issued_by=actor.display_name,
                                issued_at=actor.now())
    lines = [
        ReceiptLine(tr("场地"), slip.room, bold=True),
        ReceiptLine(tr("日期"), f"{slip.date:%Y-%m-%d} {tr(WEEKDAYS[slip.date.weekday()])}"),
        ReceiptLine(tr("时间"), slip.time_range, bold=True),
        ReceiptLine(tr("预约人"), f"{slip.booker}（{slip.booker_kind}）"),
    ]
    if slip.phone_masked:
        lines.append(ReceiptLine(tr("联系电话"), slip.phone_masked))
    if slip.headcount:
        lines.append(ReceiptLine(tr("预计人数"), tr("{n} 人", n=slip.headcount)))
    if slip.purpose:
        lines.append(ReceiptLine(tr("用途"), slip.purpose))
    if slip.series_note:
        lines.append(ReceiptLine(slip.series_note))
    meta = DocumentMeta(slip.centre_name, tr("场地预约单"), slip.issued_by, slip.issued_at)
    receipt = Receipt(meta, lines=tuple(lines), number=slip.number,
                      total=ReceiptLine(tr("状态"), slip.status, bold=True),
                      notes=slip.rules, qr=slip.number, width_mm=80,
                      large_print=documents.receipt_large_print(session))
    return render_receipt(receipt, invariant=invariant)


def schedule_title(day: dt.date) -> str:
    """The archive title of a day's room schedule."""
    return tr("场地安排表 {day}", day=day.isoformat())


def door_schedule_pdf(session: Session, actor: Actor, day: dt.date, *,
                      invariant: bool = False) -> bytes:
    """The day's room schedule (场地安排表): one A4 table, rooms in display order.

    Registered as DAY_SHEETS["rooms"] (``frontdesk sheet rooms --date D --pdf OUT``).
    """
    return render_door_schedule(session, day, actor.display_name, actor.now(),
                                invariant=invariant)


def render_door_schedule(session: Session, day: dt.date, operator: str,
                         printed_at: dt.datetime, *, invariant: bool = False) -> bytes:
    """The schedule PDF with a given operator and print time (the day close fixes both)."""
    from frontdesk.documents.sheets import Column, SheetSpec, render_sheet

    door = reports.door_schedule(session, day)
    rows: list[tuple[str, ...]] = []
    booked = 0
    for room in door.rooms:
        name = tr("{room}（{n} 人）", room=room.room, n=room.capacity) if room.capacity \
            else room.room
        if room.closed_reason or room.hours == tr("不开放"):
            rows.append((name, room.hours, room.closed_reason, "", "", ""))
            continue
        first = len(rows)
        if not room.entries and not room.shared:
            rows.append((name, room.hours, tr("今日无预约"), "", "", ""))
        for entry in room.entries:
            booked += 1
            rows.append(("", entry.time_range, entry.booker, entry.purpose,
                         str(entry.headcount) if entry.headcount else "", entry.status))
        if room.shared:
            # A divided hall: booking the whole blocks its halves and a half blocks the whole.
            rows.append(("", "", tr("这些时段不可用（整场或分区已预约）"), "、".join(room.shared),
                         "", ""))
        rows[first] = (name, *rows[first][1:])
    columns = (Column(tr("场地"), 2.6), Column(tr("时间"), 1.5), Column(tr("预约人/单位"), 2.6),
               Column(tr("用途"), 2.4), Column(tr("人数"), 0.7, "right"),
               Column(tr("状态"), 0.9, "centre"))
    meta = DocumentMeta(door.centre_name, tr("场地安排表"), operator, printed_at)
    spec = SheetSpec(meta, columns=columns, rows=tuple(rows),
                     subtitle=f"{day:%Y-%m-%d} {tr(WEEKDAYS[day.weekday()])}",
                     totals=((tr("预约场次"), tr("{n} 场", n=booked)),),
                     empty_text=tr("还没有场地。"))
    return render_sheet(spec, invariant=invariant)
