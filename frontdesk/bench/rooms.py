"""Room bookings on five years of history: a 52-week series with its clash check, the day
view of ten rooms (query + paint), and the printed slip and day schedule (PDF bytes)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import insert

from frontdesk.bench.harness import BenchRun
from frontdesk.core.actor import Actor
from frontdesk.core.centre import initialise
from frontdesk.core.clock import CENTRE_TZ, FixedClock
from frontdesk.core.migrate import open_database

ROOMS = 10
SLOT_HOURS = (8, 9, 10, 13, 14, 15, 16, 17, 18, 19)  # 21:00-22:00 stays free for the series


def run(bench: BenchRun) -> None:
    """Build the centre's booking history, then time the issue's two targets."""
    names = ("rooms: weekly series", "rooms: day view", "rooms: booking slip",
             "rooms: day schedule")
    if not any(bench.wanted(name) for name in names):
        return
    from frontdesk.rooms import service
    from frontdesk.rooms.models import BOOKER_INTERNAL, CHECKED_IN, CONFIRMED, NO_SHOW, Booking

    years = 5 if bench.scale == "full" else 0.2
    now = dt.datetime(2026, 11, 22, 9, 0, tzinfo=CENTRE_TZ)
    first_day = (now - dt.timedelta(days=int(365 * (years - 1)) if years >= 1 else 30)).date()
    last_day = (now + dt.timedelta(days=int(365 * min(years, 1)))).date()
    db = open_database(f"sqlite:///{bench.workdir / 'rooms.sqlite3'}")
    rng = random.Random(7)
    with db.session() as session:
        admin = initialise(session, centre_name="基准测试中心", centre_code="BENCH07",
                           town="测试镇", admin_username="admin",
                           admin_password="bench-password", clock=FixedClock(now))
        rooms = [service.create_room(session, admin, f"活动室{i + 1}", capacity=40,
                                     advance_days=400) for i in range(ROOMS)]
    rows = []
    stamp = dt.datetime.combine(first_day, dt.time(8), CENTRE_TZ)
    day = first_day
    while day <= last_day:
        for room in rooms:
            for hour in rng.sample(SLOT_HOURS, 5):
                start = dt.datetime.combine(day, dt.time(hour), CENTRE_TZ)
                status = CONFIRMED if day >= now.date() else rng.choice(
                    (CHECKED_IN, CHECKED_IN, CHECKED_IN, NO_SHOW))
                rows.append({
                    "room_id": room.id, "series_id": None, "is_exception": False,
                    "start": start, "end": start + dt.timedelta(hours=1),
                    "business_date": day, "purpose": "活动", "booker_kind": BOOKER_INTERNAL,
                    "resident_id": None, "organisation_id": None, "booker_name": "社工站",
                    "headcount": 10, "phone": "", "notes": "", "status": status,
                    "cancel_reason": "", "checked_in_at": None, "created_at": stamp,
                    "created_by": "admin", "updated_at": stamp})
        day += dt.timedelta(days=1)
    with db.session() as session:
        for i in range(0, len(rows), 20_000):
            session.execute(insert(Booking), rows[i:i + 20_000])
    bench.record_value("rooms: bookings in the history", len(rows), "rows")

    actor = Actor(admin.operator_id, admin.username, admin.display_name, admin.role,
                  FixedClock(now))
    slots = iter([(room, weekday) for weekday in range(7) for room in rooms])

    def create_series() -> None:
        room, weekday = next(slots)
        day = now.date() + dt.timedelta(days=(weekday - now.weekday()) % 7 or 7)
        start = dt.datetime.combine(day, dt.time(21), CENTRE_TZ)
        req = service.BookingRequest(room.id, start, start + dt.timedelta(minutes=45),
                                     service.internal_booker("夜校"), "夜校", 20)
        with db.session() as session:
            result = service.create_series(session, actor, req, "FREQ=WEEKLY;COUNT=52")
        assert len(result.bookings) == 52

    repeat = 50 if bench.scale == "full" else 10
    bench.time("rooms: weekly series of 52 with clash check", create_series, repeat=repeat,
               warmup=3, target_ms=100)
    if bench.wanted("rooms: day view"):
        from frontdesk.ui.widgets.room_grid import DayViewProbe

        probe = DayViewProbe(db)
        days = iter([now.date() - dt.timedelta(days=i) for i in range(400)])
        bench.time("rooms: day view of 10 rooms (query + paint)",
                   lambda: probe.render(next(days)), repeat=repeat * 2, warmup=3,
                   target_ms=50)
        probe.close()
    _time_documents(bench, db, actor, now, repeat)
    db.dispose()


def _time_documents(bench: BenchRun, db: Any, actor: Actor, now: dt.datetime,
                    repeat: int) -> None:
    """The booking slip (80 mm, with its QR code) and the day's A4 schedule of ten rooms."""
    from frontdesk.rooms import printed, service

    with db.read() as session:
        booking_ids = [b.id for b in service.list_bookings(session, now.date(), now.date())]
    ids = iter(booking_ids * (repeat // len(booking_ids) + 5))

    def slip() -> None:
        with db.read() as session:
            assert printed.booking_slip_pdf(session, actor, next(ids)).startswith(b"%PDF-")

    bench.time("rooms: booking slip PDF (80 mm, QR)", slip, repeat=repeat, warmup=3,
               target_ms=100, note="no target in the issue; a receipt is ~30 ms of ReportLab")
    days = iter([now.date() - dt.timedelta(days=i) for i in range(400)])

    def schedule() -> None:
        with db.read() as session:
            assert printed.door_schedule_pdf(session, actor, next(days)).startswith(b"%PDF-")

    bench.time("rooms: day schedule PDF (A4, 10 rooms)", schedule, repeat=repeat, warmup=3,
               target_ms=300, note="no target in the issue")
