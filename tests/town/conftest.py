"""A town database on the PostgreSQL test server: the registry and two centres, AA and BB."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from frontdesk.core.clock import CENTRE_TZ, FixedClock
from frontdesk.core.db import Database
from frontdesk.core.migrate import open_database
from frontdesk.town import service as town

TOWN_ADMIN = "zhang"
TOWN_PASSWORD = "town-secret"
CENTRE_PASSWORD = "centre-secret"
# Lunch time on the test day (the canteen's 午餐 is open).
LUNCH = dt.datetime(2026, 11, 22, 11, 30, tzinfo=CENTRE_TZ)


@dataclass
class Town:
    """The town database's URL and one open Database per centre (closed afterwards)."""

    url: str
    clock: FixedClock
    opened: list[Database]

    def centre(self, code: str) -> Database:
        db = open_database(self.url, centre=code)
        self.opened.append(db)
        return db

    def whole(self) -> Database:
        db = Database(self.url)
        self.opened.append(db)
        return db


@pytest.fixture
def clock() -> FixedClock:
    """The town tests' pinned moment: lunch time on the test day (``process_clock`` moves
    the process clock here too)."""
    return FixedClock(LUNCH)


@pytest.fixture
def town_db(pg_url: str, clock: FixedClock) -> Iterator[Town]:
    """A town 测试街道 with town admin ``zhang`` and centres AA (admin ``adminA``) and BB
    (admin ``adminB``), both migrated from empty in their own schemas."""
    made = Town(pg_url, clock, [])
    whole = made.whole()
    town.init_town(whole, town="测试街道", admin_username=TOWN_ADMIN,
                   admin_password=TOWN_PASSWORD, admin_display_name="张镇长", clock=clock)
    town.add_centre(whole, TOWN_ADMIN, code="AA", name="阳光邻里中心", admin_username="adminA",
                    admin_password=CENTRE_PASSWORD, clock=clock)
    town.add_centre(whole, TOWN_ADMIN, code="BB", name="月亮邻里中心", admin_username="adminB",
                    admin_password=CENTRE_PASSWORD, clock=clock)
    try:
        yield made
    finally:
        for db in made.opened:
            db.dispose()
