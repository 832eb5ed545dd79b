"""The no-double-booking guarantee on PostgreSQL (needs FRONTDESK_TEST_PG_URL to a server
where the test may create databases, e.g. postgresql+psycopg://postgres@/postgres?host=DIR)."""

from __future__ import annotations

import os
import threading

import pytest

from frontdesk.core.centre import initialise
from frontdesk.core.clock import FixedClock
from frontdesk.core.db import Database
from frontdesk.core.errors import RuleError
from frontdesk.rooms import service
from tests.conftest import NOW
from tests.rooms.conftest import at

pytestmark = pytest.mark.postgres
PG_URL = os.environ.get("FRONTDESK_TEST_PG_URL", "")


@pytest.fixture
def pg(pg_db: Database) -> Database:
    return pg_db


def test_a_second_desk_waits_for_the_room_lock_then_sees_the_clash(pg: Database) -> None:
    with pg.session() as s:
        admin = initialise(s, centre_name="测试中心", centre_code="PG01", town="测试街道",
                           admin_username="admin", admin_password="admin-secret",
                           clock=FixedClock(NOW))
        hall = service.create_room(s, admin, "多功能厅")
        half = service.create_room(s, admin, "多功能厅A区", parent_id=hall.id)
    booker = service.internal_booker("社工站")
    first_desk = pg.session()
    s1 = first_desk.__enter__()
    service.book(s1, admin, service.BookingRequest(hall.id, at("2026-11-23", "09:00"),
                                                   at("2026-11-23", "10:00"), booker))
    outcome: list[str] = []

    def second_desk() -> None:
        other = Database(pg.url)
        try:
            with other.session() as s2:
                service.book(s2, admin, service.BookingRequest(
                    half.id, at("2026-11-23", "09:30"), at("2026-11-23", "10:30"), booker))
            outcome.append("booked")
        except RuleError as exc:
            outcome.append(exc.message)
        finally:
            other.dispose()

    thread = threading.Thread(target=second_desk)
    thread.start()
    thread.join(1.5)
    assert thread.is_alive() and outcome == []  # held at the lock, not booked past it
    first_desk.__exit__(None, None, None)  # the first desk commits
    thread.join(30)
    assert len(outcome) == 1 and "冲突" in outcome[0]
    with pg.read() as s:
        assert len(service.list_bookings(s, NOW.date(), NOW.date().replace(day=30))) == 1
