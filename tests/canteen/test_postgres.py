"""On PostgreSQL: the migration's partial unique index, and two desks racing for one lunch.

Runs when FRONTDESK_TEST_PG_URL names a throwaway server (see ../shared/TECH_NOTES.md).
"""

from __future__ import annotations

import datetime as dt
import os
import threading

import pytest
from sqlalchemy import text

from frontdesk.canteen import service as svc
from frontdesk.canteen.dayexport import day_part
from frontdesk.canteen.setup import install_reference_canteen
from frontdesk.core.centre import initialise
from frontdesk.core.clock import CENTRE_TZ, FixedClock
from frontdesk.core.db import Database
from frontdesk.core.errors import RuleError
from frontdesk.dayclose.format import MEALS
from frontdesk.dayclose.registry import ExportOptions
from frontdesk.dayclose.service import close_day
from frontdesk.residents.models import Resident

PG_URL = os.environ.get("FRONTDESK_TEST_PG_URL", "")
pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(not PG_URL, reason="FRONTDESK_TEST_PG_URL is not set")]


@pytest.fixture
def pg(pg_db: Database) -> Database:
    return pg_db


def test_two_desks_race_for_one_subsidised_lunch_on_postgresql(pg: Database) -> None:
    clock = FixedClock(dt.datetime(2026, 11, 22, 11, 30, tzinfo=CENTRE_TZ))
    with pg.session() as session:
        admin = initialise(session, centre_name="PG 测试", centre_code="PG01", town="测试",
                           admin_username="admin", admin_password="pg-secret", clock=clock)
        install_reference_canteen(session, admin)
        elders = []
        for i in range(3):
            r = Resident(name=f"长者{i}", birth_date=dt.date(1940, 1, 1), card_code=f"P{i}",
                         hukou="local", created_at=clock.now(), updated_at=clock.now())
            session.add(r)
            session.flush()
            elders.append(r.id)
    with pg.engine.connect() as conn:
        where = conn.execute(text(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'uq_canteen_ticket_subsidy_slot'"
        )).scalar()
    assert where is not None and "WHERE" in where and "subsidised" in where

    barrier = threading.Barrier(4)
    outcomes: list[object] = []

    def desk(resident_id: int) -> None:
        barrier.wait()
        try:
            with pg.session() as session:
                outcomes.append(svc.issue_ticket(session, admin, resident_id=resident_id))
        except RuleError as exc:
            outcomes.append(exc)

    # Two desks for the same elder, two more for other elders, all at once.
    threads = [threading.Thread(target=desk, args=(rid,))
               for rid in (elders[0], elders[0], elders[1], elders[2])]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    tickets = [o for o in outcomes if isinstance(o, svc.TicketInfo)]
    first_elder = [t for t in tickets if t.resident_id == elders[0]]
    # The same elder: one subsidised ticket at most; a refusal or a full-price second.
    assert sum(1 for t in first_elder if t.subsidised) == 1
    assert {t.resident_id for t in tickets} == set(elders)
    assert len({t.number for t in tickets}) == len(tickets)  # numbers never collide

    # The day's export rows and totals, then the day lock, on PostgreSQL too.
    day = clock.now().date()
    with pg.read() as session:
        part = day_part(session, day, ExportOptions())
    assert part.totals["meals"] == len(part.sheets[MEALS]) == len(tickets)
    assert part.totals["meal_price_fen"] == sum(t.price_fen for t in tickets)
    assert sum(part.expected_payments.values()) == sum(t.self_pay_fen for t in tickets)
    with pg.session() as session:
        close_day(session, admin, day, counted_cash=part.expected_payments)
    with pytest.raises(RuleError, match="已日结"), pg.session() as session:
        svc.void_ticket(session, admin, tickets[0].id, "测试")
