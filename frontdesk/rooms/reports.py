"""Room reports and the plain data of printed room documents.

Reports: utilisation per room per month (hours booked / hours open), bookings by
organisation, the no-show rate; all three as one XLSX workbook. Documents: the booking
slip (预约单) and the day's door schedule (场地安排表); their renderers come with the PDF
pipeline and take these dataclasses as they are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.core.centre import centre_info
from frontdesk.core.clock import CENTRE_TZ, to_local
from frontdesk.core.i18n import tr
from frontdesk.core.masking import mask_phone
from frontdesk.rooms.models import (
    BOOKER_KINDS,
    BOOKER_ORGANISATION,
    CANCELLED,
    CHECKED_IN,
    CONFIRMED,
    NO_SHOW,
    STATUS_LABELS,
    Booking,
    Organisation,
)
from frontdesk.rooms.service import (
    BookingInfo,
    RoomInfo,
    get_booking,
    get_room,
    schedule,
)

USED = (CONFIRMED, CHECKED_IN)  # bookings that count as the room being used


def month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    """The first and last day of a month."""
    first = dt.date(year, month, 1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


# -- utilisation ------------------------------------------------------------------------
@dataclass(frozen=True)
class UtilisationRow:
    """One room's use in a month."""

    room: str
    hours_open: float
    hours_booked: float
    bookings: int

    @property
    def ratio(self) -> float:
        """Hours booked / hours open (0 when the room was never open)."""
        return self.hours_booked / self.hours_open if self.hours_open else 0.0


def _open_minutes(room: RoomInfo, day: dt.date) -> int:
    hours = room.hours_on(day)
    if hours is None:
        return 0
    (oh, om), (ch, cm) = (map(int, hours[0].split(":")), map(int, hours[1].split(":")))
    return (ch * 60 + cm) - (oh * 60 + om)


def utilisation(session: Session, year: int, month: int) -> list[UtilisationRow]:
    """Per room: hours open (closed days left out), hours booked and kept (confirmed or
    checked in, clipped to the month), and the number of such bookings."""
    first, last = month_span(year, month)
    sched = schedule(session, first, last)
    month_start = dt.datetime.combine(first, dt.time(0), CENTRE_TZ)
    month_end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), CENTRE_TZ)
    rows = []
    for room in sched.rooms:
        open_minutes = sum(
            _open_minutes(room, first + dt.timedelta(days=i))
            for i in range((last - first).days + 1)
            if (room.id, first + dt.timedelta(days=i)) not in sched.closed)
        used = [b for b in sched.bookings if b.room_id == room.id and b.status in USED]
        booked = sum((min(b.end, month_end) - max(b.start, month_start)).total_seconds() / 60
                     for b in used)
        rows.append(UtilisationRow(room.name, round(open_minutes / 60, 1),
                                   round(booked / 60, 1), len(used)))
    return rows


# -- organisations and no-shows ---------------------------------------------------------
@dataclass(frozen=True)
class OrganisationRow:
    """One organisation's bookings over a span."""

    organisation: str
    bookings: int
    hours: float
    checked_in: int
    no_shows: int
    cancelled: int


def by_organisation(session: Session, day_from: dt.date, day_to: dt.date
                    ) -> list[OrganisationRow]:
    """Bookings per partner organisation, most bookings first."""
    rows = session.execute(
        select(Organisation.name, Booking.status, Booking.start, Booking.end)
        .join(Organisation, Organisation.id == Booking.organisation_id)
        .where(Booking.booker_kind == BOOKER_ORGANISATION, Booking.business_date >= day_from,
               Booking.business_date <= day_to))
    tally: dict[str, list[float]] = {}
    for name, status, start, end in rows:
        t = tally.setdefault(name, [0, 0.0, 0, 0, 0])
        if status == CANCELLED:
            t[4] += 1
            continue
        t[0] += 1
        t[1] += (end - start).total_seconds() / 3600
        t[2] += status == CHECKED_IN
        t[3] += status == NO_SHOW
    result = [OrganisationRow(name, int(t[0]), round(t[1], 1), int(t[2]), int(t[3]), int(t[4]))
              for name, t in tally.items()]
    return sorted(result, key=lambda r: (-r.bookings, r.organisation))


@dataclass(frozen=True)
class NoShowRate:
    """How often booked rooms stood empty: no-shows among bookings whose time has come."""

    checked_in: int
    no_shows: int

    @property
    def rate(self) -> float:
        total = self.checked_in + self.no_shows
        return self.no_shows / total if total else 0.0


def no_show_rate(session: Session, day_from: dt.date, day_to: dt.date) -> NoShowRate:
    """Checked-in and no-show counts over a span."""
    statuses = list(session.scalars(select(Booking.status).where(
        Booking.business_date >= day_from, Booking.business_date <= day_to,
        Booking.status.in_((CHECKED_IN, NO_SHOW)))))
    return NoShowRate(statuses.count(CHECKED_IN), statuses.count(NO_SHOW))


def export_xlsx(session: Session, year: int, month: int, path: Path) -> Path:
    """The month's room report as an Excel workbook: utilisation, organisations, no-shows."""
    from openpyxl import Workbook  # imported on first use: keeps start-up light

    first, last = month_span(year, month)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = tr("场地使用率")
    sheet.append([tr("场地"), tr("开放小时"), tr("预约小时"), tr("预约次数"), tr("使用率")])
    for row in utilisation(session, year, month):
        sheet.append([row.room, row.hours_open, row.hours_booked, row.bookings,
                      round(row.ratio, 4)])
        sheet.cell(sheet.max_row, 5).number_format = "0.0%"
    orgs = book.create_sheet(tr("合作单位"))
    orgs.append([tr("单位"), tr("预约次数"), tr("预约小时"), tr("已签到"), tr("未到"),
                 tr("已取消")])
    for o in by_organisation(session, first, last):
        orgs.append([o.organisation, o.bookings, o.hours, o.checked_in, o.no_shows,
                     o.cancelled])
    rate = no_show_rate(session, first, last)
    shows = book.create_sheet(tr("未到率"))
    shows.append([tr("已签到"), tr("未到"), tr("未到率")])
    shows.append([rate.checked_in, rate.no_shows, round(rate.rate, 4)])
    shows.cell(2, 3).number_format = "0.0%"
    for ws in (sheet, orgs, shows):
        ws.column_dimensions["A"].width = 28
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


# -- documents' plain data --------------------------------------------------------------
@dataclass(frozen=True)
class BookingSlip:
    """Everything a booking slip (预约单) shows; the phone is masked."""

    centre_name: str
    number: str
    room: str
    date: dt.date
    time_range: str
    booker: str
    booker_kind: str
    phone_masked: str
    headcount: int
    purpose: str
    status: str
    series_note: str
    rules: tuple[str, ...]
    issued_at: dt.datetime
    issued_by: str


def booking_slip(session: Session, booking_id: int, *, issued_by: str,
                 issued_at: dt.datetime) -> BookingSlip:
    """The slip for booking ``booking_id``, issued now by ``issued_by``."""
    from frontdesk.rooms.service import no_show_minutes

    b = get_booking(session, booking_id)
    room = get_room(session, b.room_id)
    rules: tuple[str, ...] = (
        tr("请凭本单在开始前到前台签到。"),
        tr("开始后 {n} 分钟未签到，场地将被释放。", n=no_show_minutes(session)),
        tr("预约实名登记，不得转让。"),
    )
    if room.capacity:
        rules += (tr("本场地最多容纳 {n} 人。", n=room.capacity),)
    series_note = _series_note(session, b.series_id) if b.series_id is not None else ""
    return BookingSlip(
        centre_info(session).name, f"R{b.id:06d}", b.room_name, b.start.date(),
        _time_range(b), b.booker_name, tr(BOOKER_KINDS.get(b.booker_kind, b.booker_kind)),
        mask_phone(b.phone), b.headcount, b.purpose, b.status_label, series_note, rules,
        to_local(issued_at), issued_by)


def _series_note(session: Session, series_id: int) -> str:
    """"重复预约：共 12 次，2026-12-01 至 2027-02-16" (the occurrences still held)."""
    from frontdesk.rooms.service import HOLDING

    starts = [to_local(s) for s in session.scalars(
        select(Booking.start).where(Booking.series_id == series_id,
                                    Booking.status.in_(HOLDING)).order_by(Booking.start))]
    if not starts:
        return tr("重复预约中的一次")
    return tr("重复预约：共 {n} 次，{first} 至 {last}", n=len(starts),
              first=f"{starts[0]:%Y-%m-%d}", last=f"{starts[-1]:%Y-%m-%d}")


def _time_range(b: BookingInfo) -> str:
    if b.end.date() != b.start.date():
        return tr("{start} 至次日 {end}", start=f"{b.start:%H:%M}", end=f"{b.end:%H:%M}")
    return f"{b.start:%H:%M}-{b.end:%H:%M}"


@dataclass(frozen=True)
class DoorEntry:
    """One line of a room's door schedule."""

    time_range: str
    booker: str
    purpose: str
    headcount: int
    status: str


@dataclass(frozen=True)
class DoorRoom:
    """One room's page (or block) of the door schedule."""

    room: str
    capacity: int
    hours: str  # "08:00-22:00" or "不开放"
    closed_reason: str
    entries: tuple[DoorEntry, ...]
    # Times its whole or one of its halves is booked ("多功能厅B区 09:00-10:00"): not free then.
    shared: tuple[str, ...] = ()


@dataclass(frozen=True)
class DoorSchedule:
    """The day's room schedule for the door (场地安排表): a block per room."""

    centre_name: str
    day: dt.date
    rooms: tuple[DoorRoom, ...]


def door_schedule(session: Session, day: dt.date) -> DoorSchedule:
    """Who uses which room on ``day``, room by room (pending requests marked as such)."""
    sched = schedule(session, day, day)
    rooms = []
    for room in sched.rooms:
        hours = room.hours_on(day)
        closed = (room.id, day) in sched.closed
        entries = tuple(
            DoorEntry(_time_range(b), b.booker_name, b.purpose, b.headcount,
                      tr(STATUS_LABELS[b.status]))
            for b in sched.bookings if b.room_id == room.id and b.status != NO_SHOW)
        related = {r.id for r in sched.rooms
                   if r.id == room.parent_id or r.parent_id == room.id}
        shared = tuple(f"{b.room_name} {_time_range(b)}" for b in sched.bookings
                       if b.room_id in related and b.status != NO_SHOW)
        rooms.append(DoorRoom(
            room.name, room.capacity,
            f"{hours[0]}-{hours[1]}" if hours and not closed else tr("不开放"),
            tr("今日闭馆") if closed else "", entries, shared))
    return DoorSchedule(centre_info(session).name, day, tuple(rooms))



def export_bookings_csv(session: Session, day_from: dt.date, day_to: dt.date, path: Path,
                        *, room_id: int | None = None) -> Path:
    """Bookings over a span as CSV that opens in Excel with Chinese intact (UTF-8 with BOM);
    phones masked."""
    import csv

    from frontdesk.rooms.service import list_bookings

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([tr("编号"), tr("场地"), tr("开始"), tr("结束"), tr("预约人"),
                         tr("预约人类型"), tr("用途"), tr("预计人数"), tr("联系电话"),
                         tr("状态"), tr("取消原因")])
        for b in list_bookings(session, day_from, day_to, room_id=room_id):
            writer.writerow([f"R{b.id:06d}", b.room_name, f"{b.start:%Y-%m-%d %H:%M}",
                             f"{b.end:%Y-%m-%d %H:%M}", b.booker_name,
                             tr(BOOKER_KINDS.get(b.booker_kind, b.booker_kind)), b.purpose,
                             b.headcount, mask_phone(b.phone), b.status_label,
                             b.cancel_reason])
    return path
