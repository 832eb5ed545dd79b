"""Room booking rules (场地预约): rooms, bookers, bookings, series, approval, no-shows.

NO DOUBLE BOOKING. Every write that takes a slot checks for clashes and inserts in the
same write transaction, after locking the rooms involved:

* SQLite: write sessions begin with ``BEGIN IMMEDIATE`` (core/db.py), so a second desk's
  transaction waits until the first commits and then sees its booking.
* PostgreSQL: :func:`_lock_rooms` takes ``SELECT ... FOR UPDATE`` on the rows of every
  room in the clash group (the room, its whole, its halves), always in id order so two
  desks cannot deadlock. Two bookings that could clash always share a locked room row
  (a half and its whole both lock the whole), and under READ COMMITTED the clash query
  that follows the lock sees what the other desk committed. An exclusion constraint
  (``EXCLUDE USING gist (room_id WITH =, tstzrange(start, "end") WITH &&) WHERE status
  IN holding``, with btree_gist) would add a second guard for one room, but cannot see
  across a divided hall's halves, hence the lock.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import bindparam, func, insert, or_, select
from sqlalchemy.orm import Session

from frontdesk.core import audit, settings
from frontdesk.core.actor import Actor
from frontdesk.core.clock import CENTRE_TZ, to_local
from frontdesk.core.dayguard import ClosedDay, ensure_day_open, is_day_closed
from frontdesk.core.errors import NotFoundError, RuleError
from frontdesk.core.i18n import N_, tr
from frontdesk.core.scan import ScanHit
from frontdesk.core.textfields import clean_line
from frontdesk.residents.activity import ActivityItem
from frontdesk.residents.models import STATUS_ACTIVE, Resident
from frontdesk.residents.search import search_residents
from frontdesk.residents.service import find_by_card_or_id
from frontdesk.rooms import recurrence
from frontdesk.rooms.models import (
    BOOKER_INTERNAL,
    BOOKER_KINDS,
    BOOKER_ORGANISATION,
    BOOKER_RESIDENT,
    CANCELLED,
    CHECKED_IN,
    CONFIRMED,
    HOLDING,
    NO_SHOW,
    ORG_KINDS,
    ORG_OTHER,
    PENDING,
    STATUS_LABELS,
    Booking,
    BookingSeries,
    Organisation,
    Room,
    RoomClosure,
)

WEEKDAY_NAMES = (N_("周一"), N_("周二"), N_("周三"), N_("周四"), N_("周五"), N_("周六"),
                 N_("周日"))
DEFAULT_HOURS = ("08:00", "22:00")
PHONE_PATTERN = re.compile(r"^[0-9+\-() ]{7,20}$")
CHECK_IN_EARLY_MINUTES = 30  # a group may arrive a little early
# No booking is longer than a day, so clash queries can bound the start from below too
# and stay on the (room_id, start) index however many years of history there are.
MAX_BOOKING_MINUTES = 24 * 60

Hours = tuple[str, str] | None  # (open, close) as "HH:MM"; close may be "24:00"


# -- plain values -----------------------------------------------------------------------
@dataclass(frozen=True)
class RoomInfo:
    """A room and its rules, as screens and reports see it."""

    id: int
    name: str
    parent_id: int | None
    capacity: int
    facilities: str
    hours: tuple[Hours, ...]  # seven entries, Monday first; None = closed that weekday
    max_minutes: int
    advance_days: int
    max_per_month: int
    allowed_bookers: tuple[str, ...]
    needs_approval: bool
    active: bool

    def hours_on(self, day: dt.date) -> Hours:
        """Opening hours on ``day``'s weekday (None when closed that weekday)."""
        return self.hours[day.weekday()]


@dataclass(frozen=True)
class OrganisationInfo:
    """A partner organisation that books rooms."""

    id: int
    name: str
    kind: str
    contact: str
    phone: str
    active: bool


@dataclass(frozen=True)
class Booker:
    """Who a booking is for: a resident, an organisation, or the centre itself."""

    kind: str
    id: int | None
    name: str
    phone: str = ""


@dataclass(frozen=True)
class BookingRequest:
    """What the desk filled in for a new booking (times aware, any zone)."""

    room_id: int
    start: dt.datetime
    end: dt.datetime
    booker: Booker
    purpose: str = ""
    headcount: int = 0
    phone: str = ""
    notes: str = ""


@dataclass(frozen=True)
class BookingInfo:
    """A booking (one occurrence) as screens, slips and the CLI show it; times local."""

    id: int
    room_id: int
    room_name: str
    series_id: int | None
    is_exception: bool
    start: dt.datetime
    end: dt.datetime
    status: str
    purpose: str
    booker_kind: str
    booker_id: int | None
    booker_name: str
    headcount: int
    phone: str
    notes: str
    cancel_reason: str
    checked_in_at: dt.datetime | None
    created_by: str = ""

    @property
    def status_label(self) -> str:
        return tr(STATUS_LABELS.get(self.status, self.status))

    @property
    def holds_room(self) -> bool:
        return self.status in HOLDING

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


@dataclass(frozen=True)
class Clash:
    """An occurrence of a series that cannot be booked, and why."""

    start: dt.datetime
    end: dt.datetime
    reason: str


@dataclass(frozen=True)
class SeriesPlan:
    """What creating a series would do: the bookable occurrences and the clashes."""

    slots: tuple[tuple[dt.datetime, dt.datetime], ...]
    clashes: tuple[Clash, ...]
    holidays_skipped: tuple[dt.date, ...]
    unknown_years: tuple[int, ...]

    @property
    def notice(self) -> str:
        """What the user must know about holidays the calendar could not check."""
        if not self.unknown_years:
            return ""
        years = "、".join(str(y) for y in self.unknown_years)
        return tr("节假日日历只收录到 2026 年，{years} 年按普通日历处理（不跳过节假日），"
                  "请手动添加闭馆日。", years=years)


@dataclass(frozen=True)
class SeriesResult:
    """A created series: its id, the bookings made, the clashes skipped."""

    series_id: int
    bookings: tuple[BookingInfo, ...]
    skipped: tuple[Clash, ...]
    plan: SeriesPlan = field(repr=False)


@dataclass(frozen=True)
class Schedule:
    """Rooms and their bookings over a span: the day view, the week view, the door sheet."""

    day_from: dt.date
    day_to: dt.date
    rooms: tuple[RoomInfo, ...]
    bookings: tuple[BookingInfo, ...]
    closed: frozenset[tuple[int, dt.date]]  # (room id, day) closed by hand


# -- helpers ----------------------------------------------------------------------------
def _parse_hours(text: str) -> tuple[Hours, ...]:
    data = json.loads(text or "{}")
    result: list[Hours] = []
    for weekday in range(7):
        entry = data.get(str(weekday))
        result.append((entry[0], entry[1]) if entry else None)
    return tuple(result)


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def check_hours(hours: dict[int, tuple[str, str] | None]) -> str:
    """Opening hours as stored (JSON), after checking each "HH:MM" pair makes sense."""
    stored: dict[str, list[str]] = {}
    for weekday, pair in sorted(hours.items()):
        if pair is None:
            continue
        opening, closing = pair
        try:
            start, end = _minutes(opening), _minutes(closing)
        except ValueError:
            raise RuleError(tr("开放时间格式应为 时:分，例如 08:00。")) from None
        if not (0 <= start < end <= 24 * 60):
            raise RuleError(tr("{day} 的开放时间不对：关门时间要晚于开门时间。",
                               day=tr(WEEKDAY_NAMES[weekday])))
        stored[str(weekday)] = [opening, closing]
    return json.dumps(stored)


def hours_spec(hours: Sequence[Hours]) -> str:
    """Opening hours written back as :func:`parse_hours_spec` reads them ("1-5=08:30-21:00")."""
    parts: list[tuple[int, int, str]] = []
    for weekday, pair in enumerate(hours):
        if pair is None:
            continue
        span = f"{pair[0]}-{pair[1]}"
        if parts and parts[-1][1] == weekday and parts[-1][2] == span:
            parts[-1] = (parts[-1][0], weekday + 1, span)
        else:
            parts.append((weekday + 1, weekday + 1, span))
    return ",".join(f"{first}={span}" if first == last else f"{first}-{last}={span}"
                    for first, last, span in parts)


def describe_hours(hours: Sequence[Hours]) -> str:
    """Opening hours in words: "周一至周五 08:30-21:00；周六、周日不开放" (never the CLI syntax)."""
    groups: list[tuple[list[int], Hours]] = []
    for weekday, pair in enumerate(hours):
        if groups and groups[-1][1] == pair:
            groups[-1][0].append(weekday)
        else:
            groups.append(([weekday], pair))
    if len(groups) == 1:
        pair = groups[0][1]
        return tr("每天都不开放") if pair is None else tr("每天 {open}-{close}", open=pair[0],
                                                        close=pair[1])
    parts = []
    for days, pair in groups:
        names = [tr(WEEKDAY_NAMES[d]) for d in days]
        if len(names) >= 3:
            span = tr("{first}至{last}", first=names[0], last=names[-1])
        else:
            span = tr("、").join(names)
        parts.append(tr("{days}不开放", days=span) if pair is None
                     else f"{span} {pair[0]}-{pair[1]}")
    return tr("；").join(parts)


def parse_hours_spec(text: str) -> dict[int, tuple[str, str] | None]:
    """Opening hours written as "1-5=08:30-21:00,6=09:00-17:00" (1 = Monday, 7 = Sunday);
    days not named are closed. A bare "08:00-22:00" means every day."""
    text = "".join(text.split()).replace("，", ",").replace("：", ":")
    if "=" not in text:
        text = f"1-7={text}"
    hours: dict[int, tuple[str, str] | None] = dict.fromkeys(range(7))
    for part in filter(None, text.split(",")):
        try:
            days, span = part.split("=")
            first, _, last = days.partition("-")
            opening, closing = span.split("-")
            weekdays = range(int(first) - 1, int(last or first))
        except ValueError:
            raise RuleError(tr("开放时间“{text}”看不懂，请写成 1-5=08:30-21:00,6=09:00-17:00"
                               "（1 是周一，7 是周日）。", text=part)) from None
        if not (0 <= weekdays.start < weekdays.stop <= 7):
            raise RuleError(tr("星期要在 1（周一）到 7（周日）之间：{text}", text=part))
        for weekday in weekdays:
            hours[weekday] = (opening, closing)
    check_hours(hours)
    return hours


def _room_info(room: Room) -> RoomInfo:
    return RoomInfo(room.id, room.name, room.parent_id, room.capacity, room.facilities,
                    _parse_hours(room.opening_hours), room.max_minutes, room.advance_days,
                    room.max_per_month, tuple(k for k in room.allowed_bookers.split(",") if k),
                    room.needs_approval, room.active)


def _org_info(org: Organisation) -> OrganisationInfo:
    return OrganisationInfo(org.id, org.name, org.kind, org.contact, org.phone, org.active)


def _booking_info(b: Booking, room_name: str) -> BookingInfo:
    booker_id = b.resident_id if b.booker_kind == BOOKER_RESIDENT else b.organisation_id
    return BookingInfo(
        b.id, b.room_id, room_name, b.series_id, b.is_exception, to_local(b.start),
        to_local(b.end), b.status, b.purpose, b.booker_kind, booker_id, b.booker_name,
        b.headcount, b.phone, b.notes, b.cancel_reason,
        None if b.checked_in_at is None else to_local(b.checked_in_at), b.created_by,
    )


def _room_names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Room.id, Room.name)).all())


def _get_room(session: Session, room_id: int) -> Room:
    room = session.get(Room, room_id)
    if room is None:
        raise NotFoundError(tr("没有这个场地（编号 {id}）。", id=room_id))
    return room


def _get_booking(session: Session, booking_id: int) -> Booking:
    booking = session.get(Booking, booking_id)
    if booking is None:
        raise NotFoundError(tr("没有这条预约（编号 {id}）。", id=booking_id))
    return booking


def clash_group(session: Session, room_id: int) -> list[int]:
    """The rooms a booking of ``room_id`` blocks: itself, its whole, its halves."""
    room = _get_room(session, room_id)
    ids = {room.id}
    if room.parent_id is not None:
        ids.add(room.parent_id)
    ids.update(session.scalars(select(Room.id).where(Room.parent_id == room.id)))
    return sorted(ids)


def _lock_rooms(session: Session, room_ids: Sequence[int]) -> None:
    """Lock the clash group's room rows until commit (PostgreSQL; SQLite holds the file)."""
    session.execute(select(Room.id).where(Room.id.in_(room_ids)).order_by(Room.id)
                    .with_for_update())


def _fmt_span(start: dt.datetime, end: dt.datetime) -> str:
    start, end = to_local(start), to_local(end)
    if start.date() == end.date():
        return f"{start:%Y-%m-%d %H:%M}-{end:%H:%M}"
    return f"{start:%Y-%m-%d %H:%M} - {end:%Y-%m-%d %H:%M}"


def _outside_hours(room: RoomInfo, start: dt.datetime, end: dt.datetime) -> str | None:
    """Why [start, end) is outside opening hours, or None; a span over midnight is split."""
    local_start, local_end = to_local(start), to_local(end)
    day = local_start.date()
    while True:
        day_start = dt.datetime.combine(day, dt.time(0), CENTRE_TZ)
        piece_from = max(local_start, day_start)
        piece_to = min(local_end, day_start + dt.timedelta(days=1))
        if piece_from >= piece_to:
            break
        hours = room.hours_on(day)
        if hours is None:
            return tr("{room} {day}不开放。", room=room.name,
                      day=tr(WEEKDAY_NAMES[day.weekday()]))
        opening, closing = _minutes(hours[0]), _minutes(hours[1])
        from_min = int((piece_from - day_start).total_seconds() // 60)
        to_min = int((piece_to - day_start).total_seconds() // 60)
        if from_min < opening or to_min > closing:
            return tr("超出开放时间：{room} {day}开放 {open}-{close}。", room=room.name,
                      day=tr(WEEKDAY_NAMES[day.weekday()]), open=hours[0], close=hours[1])
        day += dt.timedelta(days=1)
    return None


def _ensure_days_open(session: Session, days: Iterable[dt.date]) -> None:
    """:func:`ensure_day_open` for many days in one query (a year of a series)."""
    closed = session.scalar(select(ClosedDay.business_date).where(
        ClosedDay.business_date.in_(sorted(days)), ClosedDay.closed.is_(True))
        .order_by(ClosedDay.business_date).limit(1))
    if closed is not None:
        ensure_day_open(session, closed)  # refuses with the shared message


def _local_days(start: dt.datetime, end: dt.datetime) -> list[dt.date]:
    first = to_local(start).date()
    last = to_local(end - dt.timedelta(microseconds=1)).date()
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def _closures(session: Session, room_ids: Sequence[int], day_from: dt.date, day_to: dt.date
              ) -> dict[dt.date, str]:
    rows = session.execute(select(RoomClosure.day, RoomClosure.reason).where(
        RoomClosure.room_id.in_(room_ids), RoomClosure.day >= day_from,
        RoomClosure.day <= day_to))
    return {day: reason for day, reason in rows}


# -- rooms ------------------------------------------------------------------------------
def list_rooms(session: Session, *, include_inactive: bool = False) -> list[RoomInfo]:
    """The rooms in display order (a divided room's halves right after it)."""
    stmt = select(Room).order_by(Room.sort_order, Room.id)
    if not include_inactive:
        stmt = stmt.where(Room.active.is_(True))
    return [_room_info(r) for r in session.scalars(stmt)]


def get_room(session: Session, room_id: int) -> RoomInfo:
    """The room with ``room_id``."""
    return _room_info(_get_room(session, room_id))


def find_room(session: Session, name_or_id: str) -> RoomInfo:
    """The room named ``name_or_id`` (or with that number)."""
    text = name_or_id.strip()
    room = session.scalar(select(Room).where(Room.name == text))
    if room is None and text.isdigit():
        room = session.get(Room, int(text))
    if room is None:
        names = "、".join(r.name for r in list_rooms(session))
        raise NotFoundError(tr("没有名为“{name}”的场地。现有场地：{names}", name=text,
                               names=names or tr("（无）")))
    return _room_info(room)


def _check_rule_numbers(capacity: int, max_minutes: int, advance_days: int,
                        max_per_month: int, allowed_bookers: Sequence[str]) -> None:
    if capacity < 0 or not 0 < max_minutes <= MAX_BOOKING_MINUTES or advance_days <= 0 \
            or max_per_month < 0:
        raise RuleError(tr("场地规则的数字不能为负数；每次最长时长要在 1 分钟到 24 小时之间，"
                           "可提前天数要大于 0。"))
    unknown = [k for k in allowed_bookers if k not in BOOKER_KINDS]
    if unknown or not allowed_bookers:
        raise RuleError(tr("请至少选择一类可以预约的人。"))


def create_room(
    session: Session,
    actor: Actor,
    name: str,
    *,
    capacity: int = 0,
    facilities: str = "",
    hours: dict[int, tuple[str, str] | None] | None = None,
    parent_id: int | None = None,
    max_minutes: int = 240,
    advance_days: int = 30,
    max_per_month: int = 0,
    allowed_bookers: Sequence[str] = tuple(BOOKER_KINDS),
    needs_approval: bool = False,
) -> RoomInfo:
    """Add a room with its rules (admins only). ``hours`` defaults to 08:00-22:00 daily."""
    actor.require_admin()
    name = clean_line(tr("场地名称"), name, limit=100, required=True)
    facilities = clean_line(tr("设施"), facilities, limit=500)
    if session.scalar(select(Room.id).where(Room.name == name)) is not None:
        raise RuleError(tr("已经有名为“{name}”的场地。", name=name))
    _check_rule_numbers(capacity, max_minutes, advance_days, max_per_month, allowed_bookers)
    parent = None
    if parent_id is not None:
        parent = _get_room(session, parent_id)
        if parent.parent_id is not None:
            raise RuleError(tr("场地只能分成一层（半场不能再分）。"))
        if not parent.active:
            raise RuleError(tr("“{hall}”已停用，不能再给它分区。", hall=parent.name))
        _check_part_fits(parent, capacity)
    if hours is None:
        hours = dict.fromkeys(range(7), DEFAULT_HOURS)
    order = (session.scalar(select(func.max(Room.sort_order))) or 0) + 10
    if parent is not None:
        order = parent.sort_order + 1 + len(
            list(session.scalars(select(Room.id).where(Room.parent_id == parent.id))))
    room = Room(name=name, parent_id=parent_id, capacity=capacity, facilities=facilities,
                opening_hours=check_hours(hours), max_minutes=max_minutes,
                advance_days=advance_days, max_per_month=max_per_month,
                allowed_bookers=",".join(allowed_bookers), needs_approval=needs_approval,
                active=True, sort_order=order, created_at=actor.now())
    session.add(room)
    session.flush()
    audit.record(session, actor, "room.create", "room", room.id,
                 f"{name}; capacity={capacity}; approval={needs_approval}")
    return _room_info(room)


def add_closure(session: Session, actor: Actor, room_id: int, day: dt.date, reason: str = ""
                ) -> None:
    """Close a room on ``day`` (admins only); bookings already made that day are listed
    by :func:`list_bookings` for the desk to call the bookers."""
    actor.require_admin()
    room = _get_room(session, room_id)
    reason = clean_line(tr("闭馆原因"), reason, limit=200)
    exists = session.scalar(select(RoomClosure.id).where(RoomClosure.room_id == room_id,
                                                         RoomClosure.day == day))
    if exists is not None:
        return
    ensure_day_open(session, day)
    session.add(RoomClosure(room_id=room_id, day=day, reason=reason))
    audit.record(session, actor, "room.close_day", "room", room_id,
                 f"{room.name} {day.isoformat()} {reason}")


@dataclass(frozen=True)
class ClosureInfo:
    """A closed day (闭馆日) of a room."""

    room_id: int
    room_name: str
    day: dt.date
    reason: str


def update_room(
    session: Session,
    actor: Actor,
    room_id: int,
    *,
    name: str,
    capacity: int,
    facilities: str,
    hours: dict[int, tuple[str, str] | None],
    max_minutes: int,
    advance_days: int,
    max_per_month: int,
    allowed_bookers: Sequence[str],
    needs_approval: bool,
    active: bool = True,
) -> RoomInfo:
    """Change a room's rules (admins only). Bookings already made keep their times; the new
    rules apply to bookings made from now on."""
    actor.require_admin()
    room = _get_room(session, room_id)
    name = clean_line(tr("场地名称"), name, limit=100, required=True)
    facilities = clean_line(tr("设施"), facilities, limit=500)
    if session.scalar(select(Room.id).where(Room.name == name, Room.id != room_id)) is not None:
        raise RuleError(tr("已经有名为“{name}”的场地。", name=name))
    _check_rule_numbers(capacity, max_minutes, advance_days, max_per_month, allowed_bookers)
    if room.parent_id is not None:
        _check_part_fits(_get_room(session, room.parent_id), capacity)
    elif capacity:
        largest = session.scalar(select(Room).where(Room.parent_id == room.id)
                                 .order_by(Room.capacity.desc()).limit(1))
        if largest is not None and largest.capacity > capacity:
            raise RuleError(tr("“{hall}”的分区“{part}”能容纳 {n} 人，整个场地不能少于它。"
                               "请先改小分区的人数。", hall=name, part=largest.name,
                               n=largest.capacity))
    if room.active and not active:
        _check_can_retire(session, actor, room)
    if active and not room.active and room.parent_id is not None:
        hall = _get_room(session, room.parent_id)
        if not hall.active:
            raise RuleError(tr("“{hall}”已停用：请先重新启用整个场地，再启用它的分区。",
                               hall=hall.name))
    before = _room_snapshot(room)
    room.name, room.capacity, room.facilities = name, capacity, facilities
    room.opening_hours = check_hours(hours)
    room.max_minutes, room.advance_days = max_minutes, advance_days
    room.max_per_month, room.needs_approval = max_per_month, needs_approval
    room.allowed_bookers = ",".join(allowed_bookers)
    room.active = active
    audit.record(session, actor, "room.update", "room", room.id,
                 audit.describe_change(before, _room_snapshot(room)))
    return _room_info(room)


def _check_part_fits(hall: Room, capacity: int) -> None:
    """A part of a hall holds no more people than the whole hall."""
    if hall.capacity and capacity > hall.capacity:
        raise RuleError(tr("分区不能比整个场地大：“{hall}”最多容纳 {cap} 人，分区填了 {n} 人。",
                           hall=hall.name, cap=hall.capacity, n=capacity))


def _check_can_retire(session: Session, actor: Actor, room: Room) -> None:
    """A room is retired only when no booking from now on still holds it (or its parts)."""
    ids = [room.id, *session.scalars(select(Room.id).where(Room.parent_id == room.id,
                                                           Room.active.is_(True)))]
    upcoming = session.scalar(select(func.count()).select_from(Booking).where(
        Booking.room_id.in_(ids), Booking.status.in_(HOLDING), Booking.end > actor.now())) or 0
    if upcoming:
        raise RuleError(tr("“{room}”还有 {n} 个今后的预约（含分区），不能停用。请先取消这些预约"
                           "或通知预约人，再停用。", room=room.name, n=upcoming))


def set_room_active(session: Session, actor: Actor, room_id: int, active: bool) -> RoomInfo:
    """Retire (停用) a room, or bring it back. Its past bookings stay as they are; a hall's
    parts are retired with it (and come back one by one)."""
    actor.require_admin()
    room = _get_room(session, room_id)
    info = _room_info(room)
    result = update_room(
        session, actor, room.id, name=room.name, capacity=room.capacity,
        facilities=room.facilities,
        hours={d: h for d, h in enumerate(info.hours)}, max_minutes=room.max_minutes,
        advance_days=room.advance_days, max_per_month=room.max_per_month,
        allowed_bookers=info.allowed_bookers, needs_approval=room.needs_approval,
        active=active)
    if not active:
        for part in session.scalars(select(Room).where(Room.parent_id == room.id,
                                                       Room.active.is_(True))):
            part.active = False
            audit.record(session, actor, "room.update", "room", part.id,
                         f"active: True → False (with {room.name})")
    return result


def _room_snapshot(room: Room) -> dict[str, object]:
    return {"name": room.name, "capacity": room.capacity, "facilities": room.facilities,
            "hours": room.opening_hours, "max_minutes": room.max_minutes,
            "advance_days": room.advance_days, "max_per_month": room.max_per_month,
            "allowed_bookers": room.allowed_bookers, "needs_approval": room.needs_approval,
            "active": room.active}


def list_closures(session: Session, day_from: dt.date, day_to: dt.date | None = None
                  ) -> list[ClosureInfo]:
    """Closed days from ``day_from`` (to ``day_to`` if given), by day and room."""
    stmt = (select(RoomClosure, Room.name).join(Room, Room.id == RoomClosure.room_id)
            .where(RoomClosure.day >= day_from).order_by(RoomClosure.day, Room.sort_order))
    if day_to is not None:
        stmt = stmt.where(RoomClosure.day <= day_to)
    return [ClosureInfo(c.room_id, name, c.day, c.reason) for c, name in session.execute(stmt)]


def remove_closure(session: Session, actor: Actor, room_id: int, day: dt.date) -> None:
    """Open a room again on a day closed by mistake (admins only; the audit trail keeps it)."""
    actor.require_admin()
    room = _get_room(session, room_id)
    closure = session.scalar(select(RoomClosure).where(RoomClosure.room_id == room_id,
                                                       RoomClosure.day == day))
    if closure is None:
        raise NotFoundError(tr("{room} {day} 不是闭馆日。", room=room.name, day=day.isoformat()))
    ensure_day_open(session, day)
    audit.record(session, actor, "room.open_day", "room", room_id,
                 f"{room.name} {day.isoformat()} (was closed: {closure.reason})")
    # A closed day is a room setting, not a business record: the audit row above keeps it.
    session.delete(closure)


# -- organisations and bookers ----------------------------------------------------------
def _org_fields(session: Session, org_id: int | None, name: str, kind: str, contact: str,
                phone: str) -> tuple[str, str, str]:
    name = clean_line(tr("单位名称"), name, limit=200, required=True)
    contact = clean_line(tr("联系人"), contact, limit=100)
    if kind not in ORG_KINDS:
        raise RuleError(tr("单位类型无效：{kind}", kind=kind))
    clash = session.scalar(select(Organisation).where(Organisation.name == name))
    if clash is not None and clash.id != org_id:
        raise RuleError(tr("已经有名为“{name}”的单位。", name=name) + (
            "" if clash.active else tr("它已停用，可以选中它后重新启用。")))
    return name, contact, _check_phone(phone)


def create_organisation(session: Session, actor: Actor, name: str, *, kind: str = ORG_OTHER,
                        contact: str = "", phone: str = "") -> OrganisationInfo:
    """Register a partner organisation (合作单位 / 共建单位) that books rooms; admins only."""
    actor.require_admin()
    name, contact, phone = _org_fields(session, None, name, kind, contact, phone)
    org = Organisation(name=name, kind=kind, contact=contact, phone=phone, active=True,
                       created_at=actor.now())
    session.add(org)
    session.flush()
    audit.record(session, actor, "organisation.create", "organisation", org.id, name)
    return _org_info(org)


def update_organisation(session: Session, actor: Actor, org_id: int, *, name: str, kind: str,
                        contact: str, phone: str, active: bool = True) -> OrganisationInfo:
    """Change a partner organisation's name, kind, contact, phone or retire it (admins only).
    Bookings made before keep the name they were made under."""
    actor.require_admin()
    org = session.get(Organisation, org_id)
    if org is None:
        raise NotFoundError(tr("没有这个单位（编号 {id}）。", id=org_id))
    name, contact, phone = _org_fields(session, org.id, name, kind, contact, phone)
    before = {"name": org.name, "kind": org.kind, "contact": org.contact, "phone": org.phone,
              "active": org.active}
    org.name, org.kind, org.contact, org.phone, org.active = name, kind, contact, phone, active
    audit.record(session, actor, "organisation.update", "organisation", org.id,
                 audit.describe_change(before, {"name": name, "kind": kind, "contact": contact,
                                                "phone": phone, "active": active}))
    return _org_info(org)


def set_organisation_active(session: Session, actor: Actor, org_id: int, active: bool
                            ) -> OrganisationInfo:
    """Retire (停用) a partner organisation or bring it back; its bookings stay."""
    org = session.get(Organisation, org_id)
    if org is None:
        raise NotFoundError(tr("没有这个单位（编号 {id}）。", id=org_id))
    return update_organisation(session, actor, org.id, name=org.name, kind=org.kind,
                               contact=org.contact, phone=org.phone, active=active)


def find_organisation(session: Session, name: str) -> OrganisationInfo:
    """The organisation with exactly this name (active or not)."""
    org = session.scalar(select(Organisation).where(Organisation.name == name.strip()))
    if org is None:
        raise NotFoundError(tr("没有名为“{name}”的单位。", name=name.strip()))
    return _org_info(org)


def list_organisations(session: Session, *, include_inactive: bool = False
                       ) -> list[OrganisationInfo]:
    """Organisations by name (active ones unless asked)."""
    stmt = select(Organisation).order_by(Organisation.active.desc(), Organisation.name)
    if not include_inactive:
        stmt = stmt.where(Organisation.active.is_(True))
    return [_org_info(o) for o in session.scalars(stmt)]


def _check_phone(phone: str) -> str:
    phone = phone.strip()
    if phone and not PHONE_PATTERN.match(phone):
        raise RuleError(tr("联系电话“{phone}”不对：请填写手机号或座机号。", phone=phone))
    return phone


def resident_booker(session: Session, resident_id: int) -> Booker:
    """A resident as a booker."""
    resident = session.get(Resident, resident_id)
    if resident is None:
        raise NotFoundError(tr("没有这位居民（编号 {id}）。", id=resident_id))
    return Booker(BOOKER_RESIDENT, resident.id, resident.name, resident.phone or "")


def organisation_booker(session: Session, organisation_id: int) -> Booker:
    """An organisation as a booker."""
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise NotFoundError(tr("没有这个单位（编号 {id}）。", id=organisation_id))
    if not org.active:
        raise RuleError(tr("单位“{name}”已停用，不能再用它预约。", name=org.name))
    return Booker(BOOKER_ORGANISATION, org.id, org.name, org.phone)


def internal_booker(name: str) -> Booker:
    """The centre's own activity (e.g. 四点钟学校) as a booker."""
    name = name.strip()
    if not name:
        raise RuleError(tr("请填写使用的活动或部门名称。"))
    return Booker(BOOKER_INTERNAL, None, name)


def resolve_booker(session: Session, text: str) -> Booker:
    """The booker ``text`` names: an organisation, a resident's card/ID number or unique
    name; "中心:名称" for the centre's own use."""
    text = text.strip()
    if not text:
        raise RuleError(tr("请填写预约人。"))
    for prefix in ("中心:", "中心：", "internal:"):
        if text.startswith(prefix):
            return internal_booker(text[len(prefix):])
    org = session.scalar(select(Organisation).where(Organisation.name == text))
    if org is not None:
        return organisation_booker(session, org.id)
    resident = find_by_card_or_id(session, text)
    if resident is not None:
        return resident_booker(session, resident.id)
    named = [r for r in search_residents(session, text, 10) if r.name == text]
    if len(named) == 1:
        return resident_booker(session, named[0].id)
    if len(named) > 1:
        raise RuleError(tr("有 {n} 位居民叫“{name}”，请用卡号或证件号指定。", n=len(named),
                           name=text))
    raise NotFoundError(tr("没有找到预约人“{name}”：请填写单位全称、居民卡号、证件号或姓名。",
                           name=text))


# -- the checks -------------------------------------------------------------------------
def _check_request(session: Session, actor: Actor, room: RoomInfo, req: BookingRequest,
                   *, first: bool = True) -> None:
    """The rules every occurrence shares: times, duration, booker, headcount, advance."""
    if req.start.tzinfo is None or req.end.tzinfo is None:
        raise RuleError(tr("预约时间缺少时区。"))  # a bug in the caller, said plainly
    if not room.active:
        raise RuleError(tr("场地“{room}”已停用，不能预约。", room=room.name))
    if req.end <= req.start:
        raise RuleError(tr("结束时间必须晚于开始时间。如果要跨过午夜，结束日期请选第二天。"))
    minutes = (req.end - req.start).total_seconds() / 60
    if minutes > room.max_minutes:
        raise RuleError(tr("{room} 每次最多预约 {limit}，这次是 {asked}。", room=room.name,
                           limit=_duration(room.max_minutes), asked=_duration(int(minutes))))
    now = actor.now()
    if first and req.start < now:
        raise RuleError(tr("不能预约已经过去的时间（{when}）。",
                           when=_fmt_span(req.start, req.end)))
    if first and to_local(req.start).date() > to_local(now).date() + dt.timedelta(
            days=room.advance_days):
        raise RuleError(tr("{room} 最多只能提前 {n} 天预约。", room=room.name,
                           n=room.advance_days))
    if req.booker.kind not in room.allowed_bookers:
        raise RuleError(tr("{room} 不接受{kind}预约。", room=room.name,
                           kind=tr(BOOKER_KINDS.get(req.booker.kind, req.booker.kind))))
    if req.booker.kind != BOOKER_INTERNAL and req.booker.id is None:
        raise RuleError(tr("请选择预约人。"))
    if req.booker.kind == BOOKER_RESIDENT and req.booker.id is not None:
        resident = session.get(Resident, req.booker.id)
        if resident is None or resident.status != STATUS_ACTIVE:
            raise RuleError(tr("这位居民的档案不是在册状态，不能预约。"))
    if req.headcount < 0:
        raise RuleError(tr("人数不能为负数。"))
    if room.capacity and req.headcount > room.capacity:
        raise RuleError(tr("{room} 最多容纳 {cap} 人，预计 {n} 人超出了。", room=room.name,
                           cap=room.capacity, n=req.headcount))
    _check_phone(req.phone)
    if len(req.purpose) > 200:
        raise RuleError(tr("用途太长（最多 200 字）。"))


def duration_text(minutes: int) -> str:
    """A duration in words: "2 小时", "1 小时 30 分钟"."""
    return _duration(minutes)


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if rest == 0:
        return tr("{h} 小时", h=hours)
    return tr("{h} 小时 {m} 分钟", h=hours, m=rest)


class _SlotChecker:
    """Checks slots of one room against opening hours, closures and existing bookings.

    Closures come in one query over the whole span; clashes are asked per slot (an indexed
    range query each), which stays fast however many bookings the years hold.
    """

    def __init__(self, session: Session, room: RoomInfo, slots: Sequence[tuple[dt.datetime,
                 dt.datetime]], exclude: Iterable[int] = ()) -> None:
        self.session = session
        self.room = room
        self.group = clash_group(session, room.id)
        _lock_rooms(session, self.group)
        # Built once, run per slot as plain Core (a 52-week series runs it 52 times).
        b, r = Booking.__table__.c, Room.__table__.c
        query = (select(r.name, b.start, b.end, b.booker_name)
                 .join_from(Booking.__table__, Room.__table__, r.id == b.room_id)
                 .where(b.room_id.in_(self.group), b.status.in_(HOLDING),
                        b.start < bindparam("e"), b.end > bindparam("s"),
                        b.start > bindparam("floor"))
                 .order_by(b.start).limit(1))
        excluded = list(exclude)
        if excluded:
            query = query.where(b.id.not_in(excluded))
        self.query = query
        self.connection = session.connection()
        first, last = min(s for s, _ in slots), max(e for _, e in slots)
        self.closed = _closures(session, self.group, to_local(first).date(),
                                to_local(last).date())

    def problem(self, start: dt.datetime, end: dt.datetime) -> str | None:
        """Why [start, end) cannot be booked, or None."""
        for day in _local_days(start, end):
            if day in self.closed:
                reason = self.closed[day]
                return tr("{day} 闭馆{reason}", day=day.isoformat(),
                          reason=f"（{reason}）" if reason else "")
        outside = _outside_hours(self.room, start, end)
        if outside:
            return outside
        floor = start - dt.timedelta(minutes=MAX_BOOKING_MINUTES)
        other = self.connection.execute(self.query,
                                        {"s": start, "e": end, "floor": floor}).first()
        if other is not None:
            return tr("与已有预约冲突：{room} {when} {who}", room=other[0],
                      when=_fmt_span(other[1], other[2]), who=other[3])
        return None


def _check_monthly_cap(session: Session, room: RoomInfo, booker: Booker,
                       starts: Sequence[dt.datetime]) -> None:
    """Refuse when a resident would pass the room's bookings-per-month limit."""
    if not room.max_per_month or booker.kind != BOOKER_RESIDENT or not starts:
        return
    group = clash_group(session, room.id)
    wanted: dict[tuple[int, int], int] = {}
    for start in starts:
        local = to_local(start)
        wanted[(local.year, local.month)] = wanted.get((local.year, local.month), 0) + 1
    for (year, month), extra in sorted(wanted.items()):
        month_start = dt.datetime(year, month, 1, tzinfo=CENTRE_TZ)
        month_end = (month_start + dt.timedelta(days=32)).replace(day=1)
        held = session.scalar(select(func.count()).select_from(Booking).where(
            Booking.resident_id == booker.id, Booking.room_id.in_(group),
            Booking.status.in_((*HOLDING, NO_SHOW)), Booking.start >= month_start,
            Booking.start < month_end)) or 0
        if held + extra > room.max_per_month:
            raise RuleError(tr("{name} 在 {month} 已预约 {held} 次，{room} 每人每月最多 {n} 次。",
                               name=booker.name, month=f"{year}-{month:02d}", held=held,
                               room=room.name, n=room.max_per_month))


def _new_booking(actor: Actor, room: RoomInfo, req: BookingRequest, start: dt.datetime,
                 end: dt.datetime, series_id: int | None) -> dict[str, object]:
    """The column values of a new booking."""
    status = PENDING if room.needs_approval and not actor.is_admin else CONFIRMED
    now = actor.now()
    booker = req.booker
    return dict(
        room_id=room.id, series_id=series_id, is_exception=False, start=start, end=end,
        business_date=to_local(start).date(), purpose=req.purpose.strip(),
        booker_kind=booker.kind,
        resident_id=booker.id if booker.kind == BOOKER_RESIDENT else None,
        organisation_id=booker.id if booker.kind == BOOKER_ORGANISATION else None,
        booker_name=booker.name, headcount=req.headcount,
        phone=req.phone.strip() or booker.phone, notes=req.notes.strip(), status=status,
        cancel_reason="", checked_in_at=None, created_at=now, created_by=actor.username,
        updated_at=now,
    )


# -- booking ----------------------------------------------------------------------------
def book(session: Session, actor: Actor, req: BookingRequest) -> BookingInfo:
    """Book one slot; refuses a clash with any booking of the room, its whole or halves.

    Rooms that need approval get a pending (待审核) booking unless an admin books.
    """
    room = get_room(session, req.room_id)
    _check_request(session, actor, room, req)
    checker = _SlotChecker(session, room, [(req.start, req.end)])
    problem = checker.problem(req.start, req.end)
    if problem:
        raise RuleError(problem)
    ensure_day_open(session, to_local(req.start).date())
    _check_monthly_cap(session, room, req.booker, [req.start])
    booking = Booking(**_new_booking(actor, room, req, req.start, req.end, None))
    session.add(booking)
    session.flush()
    audit.record(session, actor, "booking.create", "booking", booking.id,
                 f"{room.name} {_fmt_span(req.start, req.end)} {req.booker.name} "
                 f"{req.purpose}; {booking.status}")
    return _booking_info(booking, room.name)


def plan_series(session: Session, actor: Actor, req: BookingRequest, rule: str, *,
                skip_holidays: bool = False) -> SeriesPlan:
    """Expand ``rule`` from ``req``'s slot and sort the occurrences into bookable and clashing.

    Nothing is written; the desk shows the clashes and asks to skip them or cancel.
    """
    room = get_room(session, req.room_id)
    _check_request(session, actor, room, req)
    expansion = recurrence.expand(rule, req.start, skip_holidays=skip_holidays)
    duration = req.end - req.start
    slots = [(s, s + duration) for s in expansion.starts]
    if slots[0][0] < actor.now():
        raise RuleError(tr("重复预约的第一次不能在已经过去的时间。"))
    checker = _SlotChecker(session, room, slots)
    ok: list[tuple[dt.datetime, dt.datetime]] = []
    clashes: list[Clash] = []
    for start, end in slots:
        problem = checker.problem(start, end)
        if problem:
            clashes.append(Clash(start, end, problem))
        else:
            ok.append((start, end))
    return SeriesPlan(tuple(ok), tuple(clashes), expansion.holidays_skipped,
                      expansion.unknown_years)


def create_series(session: Session, actor: Actor, req: BookingRequest, rule: str, *,
                  skip_holidays: bool = False, skip_conflicts: bool = False) -> SeriesResult:
    """Create a repeating booking. Clashing dates are refused (listed in the message)
    unless ``skip_conflicts``, when they are left out and reported back."""
    plan = plan_series(session, actor, req, rule, skip_holidays=skip_holidays)
    if plan.clashes and not skip_conflicts:
        raise RuleError(clash_message(plan.clashes) + "\n" + tr("可以跳过这些日期，或取消。"))
    if not plan.slots:
        raise RuleError(tr("所有日期都有冲突，没有可以预约的时间。"))
    room = get_room(session, req.room_id)
    _ensure_days_open(session, {to_local(s).date() for s, _ in plan.slots})
    _check_monthly_cap(session, room, req.booker, [s for s, _ in plan.slots])
    booker = req.booker
    series = BookingSeries(
        room_id=room.id, rrule=recurrence.normalise_rule(rule), first_start=plan.slots[0][0],
        duration_minutes=int((req.end - req.start).total_seconds() // 60),
        skip_holidays=skip_holidays, purpose=req.purpose.strip(), booker_kind=booker.kind,
        resident_id=booker.id if booker.kind == BOOKER_RESIDENT else None,
        organisation_id=booker.id if booker.kind == BOOKER_ORGANISATION else None,
        booker_name=booker.name, headcount=req.headcount, phone=req.phone.strip(),
        notes=req.notes.strip(), created_at=actor.now(), created_by=actor.username)
    session.add(series)
    session.flush()
    rows = [_new_booking(actor, room, req, start, end, series.id) for start, end in plan.slots]
    # One multi-row INSERT (a year of weekly occurrences in a few milliseconds).
    ids = session.scalars(insert(Booking).returning(Booking.id, sort_by_parameter_order=True),
                          rows).all()
    skipped = "; ".join(c.start.date().isoformat() for c in plan.clashes)
    audit.record(session, actor, "booking.series_create", "booking_series", series.id,
                 f"{room.name} {series.rrule} ×{len(rows)} {booker.name} {req.purpose}"
                 + (f"; skipped {skipped}" if skipped else ""))
    infos = tuple(
        BookingInfo(booking_id, room.id, room.name, series.id, False, to_local(start),
                    to_local(end), str(row["status"]), str(row["purpose"]), booker.kind,
                    booker.id, booker.name, req.headcount, str(row["phone"]),
                    str(row["notes"]), "", None, actor.username)
        for booking_id, row, (start, end) in zip(ids, rows, plan.slots, strict=True))
    return SeriesResult(series.id, infos, plan.clashes, plan)


def clash_message(clashes: Sequence[Clash], limit: int = 10) -> str:
    """The clashing dates, one a line, for a refusal or a question to the user."""
    lines = [tr("以下 {n} 个日期无法预约：", n=len(clashes))]
    lines += [f"{c.start:%Y-%m-%d} {tr(WEEKDAY_NAMES[c.start.weekday()])}：{c.reason}"
              for c in clashes[:limit]]
    if len(clashes) > limit:
        lines.append(tr("……还有 {n} 个", n=len(clashes) - limit))
    return "\n".join(lines)


# -- status changes ---------------------------------------------------------------------
def _change_status(session: Session, actor: Actor, booking: Booking, status: str,
                   action: str, note: str = "") -> BookingInfo:
    ensure_day_open(session, booking.business_date)
    old = booking.status
    booking.status = status
    booking.updated_at = actor.now()
    room = _get_room(session, booking.room_id)
    audit.record(session, actor, action, "booking", booking.id,
                 f"{room.name} {_fmt_span(booking.start, booking.end)} {booking.booker_name}: "
                 f"{old} → {status}" + (f"; {note}" if note else ""))
    return _booking_info(booking, room.name)


def approve(session: Session, actor: Actor, booking_id: int) -> BookingInfo:
    """Approve a pending request (admins only); it must still fit, pending rows block too."""
    actor.require_admin()
    booking = _get_booking(session, booking_id)
    if booking.status != PENDING:
        raise RuleError(tr("这条预约不是待审核状态（现在是“{status}”）。",
                           status=tr(STATUS_LABELS[booking.status])))
    return _change_status(session, actor, booking, CONFIRMED, "booking.approve")


def reject(session: Session, actor: Actor, booking_id: int, reason: str) -> BookingInfo:
    """Reject a pending request with a reason (admins only); it becomes cancelled."""
    actor.require_admin()
    booking = _get_booking(session, booking_id)
    if booking.status != PENDING:
        raise RuleError(tr("这条预约不是待审核状态（现在是“{status}”）。",
                           status=tr(STATUS_LABELS[booking.status])))
    reason = reason.strip()
    if not reason:
        raise RuleError(tr("请填写不批准的原因。"))
    booking.cancel_reason = tr("未批准：{reason}", reason=reason)
    return _change_status(session, actor, booking, CANCELLED, "booking.reject", reason)


def check_in(session: Session, actor: Actor, booking_id: int) -> BookingInfo:
    """Mark a confirmed booking as arrived (已签到), from a little before its start to its end."""
    booking = _get_booking(session, booking_id)
    if booking.status != CONFIRMED:
        raise RuleError(tr("只有已确认的预约可以签到（现在是“{status}”）。",
                           status=tr(STATUS_LABELS[booking.status])))
    now = actor.now()
    if now < booking.start - dt.timedelta(minutes=CHECK_IN_EARLY_MINUTES):
        raise RuleError(tr("还没到签到时间：最早开始前 {n} 分钟可以签到。",
                           n=CHECK_IN_EARLY_MINUTES))
    if now >= booking.end:
        raise RuleError(tr("这次预约已经结束，不能再签到。"))
    booking.checked_in_at = now
    return _change_status(session, actor, booking, CHECKED_IN, "booking.check_in")


def no_show_minutes(session: Session) -> int:
    """Minutes after the start when an unclaimed booking may be released (a setting)."""
    return int(settings.get(session, "rooms.no_show_minutes"))


def mark_no_show(session: Session, actor: Actor, booking_id: int) -> BookingInfo:
    """Release a confirmed booking nobody claimed (未到) once the grace time has passed."""
    booking = _get_booking(session, booking_id)
    if booking.status != CONFIRMED:
        raise RuleError(tr("只有已确认且未签到的预约可以标记为未到。"))
    grace = no_show_minutes(session)
    if actor.now() < booking.start + dt.timedelta(minutes=grace):
        raise RuleError(tr("开始后 {n} 分钟仍未签到才能标记为未到。", n=grace))
    return _change_status(session, actor, booking, NO_SHOW, "booking.no_show")


def release_no_shows(session: Session, actor: Actor) -> list[BookingInfo]:
    """Mark every confirmed booking past its grace time without a check-in as 未到."""
    cutoff = actor.now() - dt.timedelta(minutes=no_show_minutes(session))
    due = session.scalars(select(Booking).where(Booking.status == CONFIRMED,
                                                Booking.start <= cutoff).order_by(Booking.start))
    # A closed day's leftovers were acknowledged at the close; they stay as they are.
    return [_change_status(session, actor, b, NO_SHOW, "booking.no_show", "auto")
            for b in list(due) if not is_day_closed(session, b.business_date)]


SCOPE_ONE = "one"
SCOPE_FOLLOWING = "following"
SCOPE_SERIES = "series"
SCOPES = (SCOPE_ONE, SCOPE_FOLLOWING, SCOPE_SERIES)


def _scope_rows(session: Session, booking: Booking, scope: str) -> list[Booking]:
    if scope not in SCOPES:
        raise RuleError(tr("范围无效：{scope}", scope=scope))
    if scope == SCOPE_ONE or booking.series_id is None:
        return [booking]
    stmt = select(Booking).where(Booking.series_id == booking.series_id).order_by(Booking.start)
    if scope == SCOPE_FOLLOWING:
        stmt = stmt.where(Booking.start >= booking.start)
    return list(session.scalars(stmt))


def cancel(session: Session, actor: Actor, booking_id: int, reason: str, *,
           scope: str = SCOPE_ONE) -> list[BookingInfo]:
    """Cancel one occurrence, this and the following ones, or the whole series (with a reason).

    Occurrences already past, checked in or cancelled are left as they are.
    """
    reason = reason.strip()
    if not reason:
        raise RuleError(tr("请填写取消原因。"))
    booking = _get_booking(session, booking_id)
    if booking.status not in (PENDING, CONFIRMED):
        raise RuleError(tr("这条预约现在是“{status}”，不能取消。",
                           status=tr(STATUS_LABELS[booking.status])))
    now = actor.now()
    done = []
    for row in _scope_rows(session, booking, scope):
        if row.status not in (PENDING, CONFIRMED) or (row.id != booking.id and row.end <= now):
            continue
        if row.id != booking.id and is_day_closed(session, row.business_date):
            continue  # a closed day keeps its records
        row.cancel_reason = reason
        if scope == SCOPE_ONE and row.series_id is not None:
            row.is_exception = True
        done.append(_change_status(session, actor, row, CANCELLED, "booking.cancel", reason))
    return done


def update_booking(session: Session, actor: Actor, booking_id: int, *,
                   start: dt.datetime | None = None, end: dt.datetime | None = None,
                   purpose: str | None = None, headcount: int | None = None,
                   phone: str | None = None, notes: str | None = None) -> BookingInfo:
    """Change one occurrence; in a series it becomes an exception that later series edits
    leave alone."""
    booking = _get_booking(session, booking_id)
    if booking.status not in (PENDING, CONFIRMED):
        raise RuleError(tr("这条预约现在是“{status}”，不能修改。",
                           status=tr(STATUS_LABELS[booking.status])))
    room = get_room(session, booking.room_id)
    new_start = start or to_local(booking.start)
    new_end = end or to_local(booking.end)
    req = BookingRequest(room.id, new_start, new_end, _booker_of(booking),
                         booking.purpose if purpose is None else purpose,
                         booking.headcount if headcount is None else headcount,
                         booking.phone if phone is None else phone,
                         booking.notes if notes is None else notes)
    moved = new_start != booking.start or new_end != booking.end
    _check_request(session, actor, room, req, first=moved)
    if moved:
        problem = _SlotChecker(session, room, [(new_start, new_end)],
                               exclude=[booking.id]).problem(new_start, new_end)
        if problem:
            raise RuleError(problem)
    ensure_day_open(session, booking.business_date)
    ensure_day_open(session, to_local(new_start).date())
    before = _snapshot(booking)
    _apply(booking, req)
    if booking.series_id is not None:
        booking.is_exception = True
    booking.updated_at = actor.now()
    audit.record(session, actor, "booking.update", "booking", booking.id,
                 audit.describe_change(before, _snapshot(booking)))
    return _booking_info(booking, room.name)


def update_series(session: Session, actor: Actor, booking_id: int, *, scope: str = SCOPE_SERIES,
                  start_time: dt.time | None = None, end_time: dt.time | None = None,
                  purpose: str | None = None, headcount: int | None = None,
                  phone: str | None = None, notes: str | None = None) -> list[BookingInfo]:
    """Change the whole series, or this and the following occurrences (which then become a
    series of their own). Past, cancelled, checked-in and individually changed occurrences
    keep what they have. A new time must fit every changed occurrence, or nothing changes.
    """
    booking = _get_booking(session, booking_id)
    if booking.series_id is None:
        raise RuleError(tr("这条预约不属于重复预约。"))
    if scope not in (SCOPE_FOLLOWING, SCOPE_SERIES):
        raise RuleError(tr("范围无效：{scope}", scope=scope))
    series = session.get(BookingSeries, booking.series_id)
    assert series is not None
    now = actor.now()
    rows = [r for r in _scope_rows(session, booking, scope)
            if not r.is_exception and r.status in (PENDING, CONFIRMED) and r.start >= now]
    if not rows:
        raise RuleError(tr("没有可以修改的后续预约。"))
    if scope == SCOPE_FOLLOWING and rows[0].start > _first_start(session, series.id):
        series = _split_series(session, actor, series, rows)
    room = get_room(session, series.room_id)
    new_times = []
    for row in rows:
        day = to_local(row.start).date()
        s = dt.datetime.combine(day, start_time, CENTRE_TZ) if start_time else to_local(row.start)
        e = dt.datetime.combine(day, end_time, CENTRE_TZ) if end_time else to_local(row.end)
        if e <= s:
            e += dt.timedelta(days=1)  # an end before the start means the next morning
        new_times.append((s, e))
    template = BookingRequest(room.id, new_times[0][0], new_times[0][1], _booker_of(rows[0]),
                              series.purpose if purpose is None else purpose,
                              series.headcount if headcount is None else headcount,
                              series.phone if phone is None else phone,
                              series.notes if notes is None else notes)
    _check_request(session, actor, room, template, first=False)
    if start_time or end_time:
        checker = _SlotChecker(session, room, new_times, exclude=[r.id for r in rows])
        clashes = [Clash(s, e, p) for s, e in new_times if (p := checker.problem(s, e))]
        if clashes:
            raise RuleError(clash_message(clashes))
    _ensure_days_open(session, {r.business_date for r in rows})
    before = _series_snapshot(series)
    series.purpose, series.headcount = template.purpose.strip(), template.headcount
    series.phone, series.notes = template.phone.strip(), template.notes.strip()
    if start_time or end_time:
        series.duration_minutes = int((new_times[0][1] - new_times[0][0]).total_seconds() // 60)
    result = []
    for row, (s, e) in zip(rows, new_times, strict=True):
        _apply(row, BookingRequest(room.id, s, e, template.booker, template.purpose,
                                   template.headcount, template.phone, template.notes))
        row.series_id = series.id
        row.updated_at = now
        result.append(_booking_info(row, room.name))
    audit.record(session, actor, "booking.series_update", "booking_series", series.id,
                 f"{scope} ×{len(rows)}: "
                 + audit.describe_change(before, _series_snapshot(series))
                 + (f"; time {start_time}-{end_time}" if start_time or end_time else ""))
    return result


def _first_start(session: Session, series_id: int) -> dt.datetime:
    first = session.scalar(select(func.min(Booking.start)).where(Booking.series_id == series_id))
    assert first is not None
    return first.replace(tzinfo=dt.UTC) if first.tzinfo is None else first


def _split_series(session: Session, actor: Actor, series: BookingSeries,
                  rows: Sequence[Booking]) -> BookingSeries:
    """A new series for "this and the following" (its exceptions there move along)."""
    tail = BookingSeries(
        room_id=series.room_id, rrule=series.rrule, first_start=rows[0].start,
        duration_minutes=series.duration_minutes, skip_holidays=series.skip_holidays,
        purpose=series.purpose, booker_kind=series.booker_kind, resident_id=series.resident_id,
        organisation_id=series.organisation_id, booker_name=series.booker_name,
        headcount=series.headcount, phone=series.phone, notes=series.notes,
        split_from_id=series.id, created_at=actor.now(), created_by=actor.username)
    session.add(tail)
    session.flush()
    for row in session.scalars(select(Booking).where(Booking.series_id == series.id,
                                                     Booking.start >= rows[0].start)):
        row.series_id = tail.id
    audit.record(session, actor, "booking.series_split", "booking_series", tail.id,
                 f"from series {series.id} at {_fmt_span(rows[0].start, rows[0].end)}")
    return tail


def _booker_of(b: Booking) -> Booker:
    booker_id = b.resident_id if b.booker_kind == BOOKER_RESIDENT else b.organisation_id
    return Booker(b.booker_kind, booker_id, b.booker_name)


def _apply(b: Booking, req: BookingRequest) -> None:
    b.start, b.end = req.start, req.end
    b.business_date = to_local(req.start).date()
    b.purpose, b.headcount = req.purpose.strip(), req.headcount
    b.phone, b.notes = _check_phone(req.phone), req.notes.strip()


def _snapshot(b: Booking) -> dict[str, object]:
    return {"start": to_local(b.start).isoformat(timespec="minutes"),
            "end": to_local(b.end).isoformat(timespec="minutes"), "purpose": b.purpose,
            "headcount": b.headcount, "phone": b.phone, "notes": b.notes}


def _series_snapshot(s: BookingSeries) -> dict[str, object]:
    return {"purpose": s.purpose, "headcount": s.headcount, "phone": s.phone, "notes": s.notes}


# -- reading ----------------------------------------------------------------------------
def describe_series(session: Session, series_id: int) -> str:
    """A repeat series in words with its time: "每周一、周三，共 8 次 16:00-18:00"."""
    series = session.get(BookingSeries, series_id)
    if series is None:
        raise NotFoundError(tr("没有这个重复预约（编号 {id}）。", id=series_id))
    start = to_local(series.first_start)
    end = start + dt.timedelta(minutes=series.duration_minutes)
    text = f"{recurrence.describe_rule(series.rrule)} {start:%H:%M}-{end:%H:%M}"
    if series.skip_holidays:
        text += tr("，节假日跳过")
    return text


def get_booking(session: Session, booking_id: int) -> BookingInfo:
    """The booking with ``booking_id``."""
    booking = _get_booking(session, booking_id)
    return _booking_info(booking, _get_room(session, booking.room_id).name)


def list_bookings(session: Session, day_from: dt.date, day_to: dt.date, *,
                  room_id: int | None = None, include_cancelled: bool = True,
                  statuses: Sequence[str] | None = None) -> list[BookingInfo]:
    """Bookings starting on ``day_from`` .. ``day_to`` (business dates), by start."""
    stmt = (select(Booking).where(Booking.business_date >= day_from,
                                  Booking.business_date <= day_to)
            .order_by(Booking.start, Booking.room_id))
    if room_id is not None:
        stmt = stmt.where(Booking.room_id == room_id)
    if statuses is not None:
        stmt = stmt.where(Booking.status.in_(statuses))
    elif not include_cancelled:
        stmt = stmt.where(Booking.status != CANCELLED)
    names = _room_names(session)
    return [_booking_info(b, names.get(b.room_id, "")) for b in session.scalars(stmt)]


def pending_bookings(session: Session) -> list[BookingInfo]:
    """Requests waiting for an admin's approval (审核队列), soonest first."""
    names = _room_names(session)
    rows = session.scalars(select(Booking).where(Booking.status == PENDING)
                           .order_by(Booking.start))
    return [_booking_info(b, names.get(b.room_id, "")) for b in rows]


@dataclass(frozen=True)
class ViewCounts:
    """The rooms page's status line: what the view holds, and the queue beyond it."""

    bookings: int  # bookings holding a room in the view
    pending: int  # of those, requests awaiting approval
    pending_elsewhere: int  # requests awaiting approval outside the view (other days, rooms)


def view_counts(bookings: Iterable[BookingInfo], shown: Collection[tuple[int, dt.date]],
                pending: Iterable[BookingInfo]) -> ViewCounts:
    """Count ``bookings`` (a schedule's) whose (room, start day) is ``shown``, and split the
    approval queue ``pending`` (every date, as the 待审核 button counts it) into the
    requests in the view and those elsewhere, so the two numbers on screen add up."""
    held = [b for b in bookings if b.holds_room and (b.room_id, b.start.date()) in shown]
    here = {b.id for b in held if b.status == PENDING}
    return ViewCounts(len(held), len(here), sum(1 for b in pending if b.id not in here))


def schedule(session: Session, day_from: dt.date, day_to: dt.date, *,
             room_id: int | None = None) -> Schedule:
    """Rooms and their bookings (cancelled ones left out) over ``day_from`` .. ``day_to``.

    A booking across midnight is found from both days it touches.
    """
    rooms = [r for r in list_rooms(session) if room_id is None or r.id == room_id]
    start = dt.datetime.combine(day_from, dt.time(0), CENTRE_TZ)
    end = dt.datetime.combine(day_to + dt.timedelta(days=1), dt.time(0), CENTRE_TZ)
    # The business-date bound keeps this on its index (a booking starts at most a day before).
    stmt = (select(Booking).where(Booking.start < end, Booking.end > start,
                                  Booking.business_date >= day_from - dt.timedelta(days=1),
                                  Booking.business_date <= day_to,
                                  Booking.status != CANCELLED)
            .order_by(Booking.start))
    if room_id is not None:
        stmt = stmt.where(Booking.room_id == room_id)
    names = {r.id: r.name for r in rooms}
    bookings = tuple(_booking_info(b, names.get(b.room_id, "")) for b in session.scalars(stmt)
                     if b.room_id in names)
    closed = frozenset(session.execute(
        select(RoomClosure.room_id, RoomClosure.day).where(
            RoomClosure.day >= day_from, RoomClosure.day <= day_to)).all())
    return Schedule(day_from, day_to, tuple(rooms), bookings, closed)


def bookings_of(session: Session, booker: Booker, *, upcoming_from: dt.datetime | None = None
                ) -> list[BookingInfo]:
    """A booker's bookings (upcoming ones from ``upcoming_from`` if given), by start."""
    column = Booking.resident_id if booker.kind == BOOKER_RESIDENT else Booking.organisation_id
    stmt = select(Booking).where(column == booker.id).order_by(Booking.start)
    if upcoming_from is not None:
        stmt = stmt.where(or_(Booking.start >= upcoming_from, Booking.end > upcoming_from))
    names = _room_names(session)
    return [_booking_info(b, names.get(b.room_id, "")) for b in session.scalars(stmt)]


SLIP_CODE = re.compile(r"^R(\d{6,})$", re.IGNORECASE)


def resolve_slip_code(session: Session, code: str) -> ScanHit | None:
    """A scanned booking slip number (R000123) → that booking on the rooms page."""
    match = SLIP_CODE.match(code.strip())
    if match is None:
        return None
    booking = session.get(Booking, int(match.group(1)))
    if booking is None:
        return None
    info = _booking_info(booking, _get_room(session, booking.room_id).name)
    return ScanHit("rooms", "booking", info.id,
                   f"{info.room_name} {info.start:%m-%d %H:%M} {info.booker_name}")


def resident_activity(session: Session, resident_id: int, limit: int) -> list[ActivityItem]:
    """A resident's latest room bookings, for the resident's record (最近动态)."""
    rows = session.scalars(select(Booking).where(Booking.resident_id == resident_id)
                           .order_by(Booking.start.desc(), Booking.id.desc()).limit(limit))
    names = _room_names(session)
    items = []
    for b in rows:
        info = _booking_info(b, names.get(b.room_id, ""))
        items.append(ActivityItem(info.start, N_("场地预约"), tr(
            "{room} {when}（{status}）{purpose}", room=info.room_name,
            when=f"{info.start:%Y-%m-%d %H:%M}-{info.end:%H:%M}", status=info.status_label,
            purpose=info.purpose)))
    return items
