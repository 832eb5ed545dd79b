"""The demo step fills months of check-ins once, and the data it writes reads back."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from frontdesk.checkin import service
from frontdesk.checkin.models import Checkin, TallyEntry
from frontdesk.checkin.reports import attendance_sheet
from frontdesk.core.clock import FixedClock
from frontdesk.core.db import Database
from frontdesk.demo import build_demo


def test_demo_fills_months_once(db: Database, process_clock: FixedClock) -> None:
    first = build_demo(db)  # the demo acts by the process clock, as `frontdesk demo` does
    assert any("签到演示数据" in line for line in first.lines)
    with db.read() as session:
        visits = session.scalar(select(func.count()).select_from(Checkin)) or 0
        tallies = session.scalar(select(func.count()).select_from(TallyEntry)) or 0
        span = session.execute(select(func.min(Checkin.business_date),
                                      func.max(Checkin.business_date))).one()
        yesterday = service.day_counts(session, process_clock.today() - dt.timedelta(days=1))
        sheet = attendance_sheet(session, span[1])
    assert visits > 3000 and tallies > 300
    assert (span[1] - span[0]).days >= 100
    assert yesterday.visits > 0
    assert sheet.rows and all(r.time for r in sheet.rows)
    second = build_demo(db)
    assert any("跳过" in line for line in second.lines)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Checkin)) == visits
