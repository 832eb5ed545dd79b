"""Room booking tables (场地预约): rooms, closures, organisations, series, bookings."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.core.i18n import N_
from frontdesk.core.models import Base

# Booking states: 待审核 → 已确认 → 已签到 / 未到 / 已取消.
PENDING = "pending"
CONFIRMED = "confirmed"
CHECKED_IN = "checked_in"
NO_SHOW = "no_show"
CANCELLED = "cancelled"
STATUS_LABELS = {
    PENDING: N_("待审核"),
    CONFIRMED: N_("已确认"),
    CHECKED_IN: N_("已签到"),
    NO_SHOW: N_("未到"),
    CANCELLED: N_("已取消"),
}
# States that hold the room: a pending request is tentative but still blocks the slot.
HOLDING = (PENDING, CONFIRMED, CHECKED_IN)

# Who books.
BOOKER_RESIDENT = "resident"
BOOKER_ORGANISATION = "organisation"
BOOKER_INTERNAL = "internal"  # the centre's own activities
BOOKER_KINDS = {
    BOOKER_RESIDENT: N_("居民"),
    BOOKER_ORGANISATION: N_("合作单位"),
    BOOKER_INTERNAL: N_("中心自用"),
}

ORG_FIRM = "firm"
ORG_SCHOOL = "school"
ORG_PARTY = "party_unit"
ORG_OTHER = "other"
ORG_KINDS = {
    ORG_FIRM: N_("企业"),
    ORG_SCHOOL: N_("学校"),
    ORG_PARTY: N_("党建共建单位"),
    ORG_OTHER: N_("其他"),
}


class Room(Base):
    """A bookable room (场地) with its own rules.

    A divided room's halves point at the whole with ``parent_id``: booking the whole
    blocks both halves and booking a half blocks the whole.
    """

    __tablename__ = "room"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("room.id"))
    capacity: Mapped[int] = mapped_column(default=0)
    facilities: Mapped[str] = mapped_column(String(500), default="")
    # JSON: {"0": ["08:00", "22:00"], ...}, weekday 0 = Monday; a missing day is closed.
    opening_hours: Mapped[str] = mapped_column(Text)
    max_minutes: Mapped[int] = mapped_column(default=240)
    advance_days: Mapped[int] = mapped_column(default=30)
    max_per_month: Mapped[int] = mapped_column(default=0)  # per booker; 0 = no limit
    allowed_bookers: Mapped[str] = mapped_column(String(100),
                                                 default="resident,organisation,internal")
    needs_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime]


class RoomClosure(Base):
    """A date a room is closed (闭馆日), entered by hand: repairs, holidays beyond the calendar."""

    __tablename__ = "room_closure"
    __table_args__ = (UniqueConstraint("room_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("room.id"))
    day: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="")


class Organisation(Base):
    """A booker that is not a person: partner firm, school, 党建共建 unit."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default=ORG_OTHER)
    contact: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime]


class BookingSeries(Base):
    """A repeating booking (重复预约): an RFC 5545 RRULE over a first occurrence.

    Its occurrences are Booking rows; an occurrence changed on its own is marked as an
    exception and keeps its change when the series is edited later.
    """

    __tablename__ = "booking_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("room.id"))
    rrule: Mapped[str] = mapped_column(String(500))
    first_start: Mapped[dt.datetime]
    duration_minutes: Mapped[int]
    skip_holidays: Mapped[bool] = mapped_column(Boolean, default=False)
    purpose: Mapped[str] = mapped_column(String(200), default="")
    booker_kind: Mapped[str] = mapped_column(String(16))
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    booker_name: Mapped[str] = mapped_column(String(200), default="")
    headcount: Mapped[int] = mapped_column(default=0)
    phone: Mapped[str] = mapped_column(String(32), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    split_from_id: Mapped[int | None] = mapped_column(ForeignKey("booking_series.id"))
    created_at: Mapped[dt.datetime]
    created_by: Mapped[str] = mapped_column(String(64))


class Booking(Base):
    """One booked slot (预约) of a room; a series' occurrence or a single booking.

    Never deleted: cancelled with a reason instead.
    """

    __tablename__ = "booking"
    __table_args__ = (
        Index("ix_booking_room_start", "room_id", "start"),
        Index("ix_booking_business_date", "business_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("room.id"))
    series_id: Mapped[int | None] = mapped_column(ForeignKey("booking_series.id"), index=True)
    is_exception: Mapped[bool] = mapped_column(Boolean, default=False)
    start: Mapped[dt.datetime]
    end: Mapped[dt.datetime]
    business_date: Mapped[dt.date] = mapped_column(Date)
    purpose: Mapped[str] = mapped_column(String(200), default="")
    booker_kind: Mapped[str] = mapped_column(String(16))
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"),
                                                        index=True)
    booker_name: Mapped[str] = mapped_column(String(200), default="")  # shown name, kept
    headcount: Mapped[int] = mapped_column(default=0)
    phone: Mapped[str] = mapped_column(String(32), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=CONFIRMED)
    cancel_reason: Mapped[str] = mapped_column(String(500), default="")
    checked_in_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime]
    created_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime]
