"""The centre's clock: aware timestamps and the business date.

Everything that needs "now" asks a :class:`Clock`, so tests and the benchmark can
pin time, and the business date rolls over at midnight in the centre's time zone.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

CENTRE_TZ = ZoneInfo("Asia/Shanghai")


class Clock:
    """Wall-clock time in the centre's time zone."""

    def now(self) -> dt.datetime:
        """The current moment, timezone-aware."""
        return dt.datetime.now(CENTRE_TZ)

    def today(self) -> dt.date:
        """The current business date (the centre's calendar day)."""
        return self.now().date()


class FixedClock(Clock):
    """A clock that shows a set moment until moved (tests, benchmark, demo)."""

    def __init__(self, moment: dt.datetime) -> None:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=CENTRE_TZ)
        self.moment = moment

    def now(self) -> dt.datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        """Move the clock forward by a ``timedelta(**delta)``."""
        self.moment += dt.timedelta(**delta)


def machine_now() -> dt.datetime:
    """The machine's own local time, aware: only for the program's records about itself (the
    log, whose lines ``logging`` stamps by the same clock), never for the centre's business."""
    return dt.datetime.now().astimezone()


def to_local(moment: dt.datetime) -> dt.datetime:
    """``moment`` in the centre's time zone (naive values are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(CENTRE_TZ)
