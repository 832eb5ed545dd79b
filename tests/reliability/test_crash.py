"""Power-cut safety: a writer killed with SIGKILL again and again loses nothing it reported.

A child process writes check-ins and meal tickets in a loop and prints each id after its
transaction commits. It is killed at random moments; afterwards the database must be intact
(``PRAGMA integrity_check`` on SQLite), hold every printed id, and show nothing half-written
(a ticket without its funder shares, a record without its audit row).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from frontdesk.canteen import service as canteen
from frontdesk.canteen.models import MealTicket, TicketShare
from frontdesk.canteen.setup import install_reference_canteen
from frontdesk.checkin import service as checkin
from frontdesk.checkin.models import Checkin
from frontdesk.core.actor import Actor
from frontdesk.core.audit import AuditEntry
from frontdesk.core.db import Database
from tests.reliability.test_concurrency import add_people
from tests.reliability.workers import LUNCH_TIME

# 25 kills by default (time-bounded); FRONTDESK_CRASH_KILLS changes it.
KILLS = int(os.environ.get("FRONTDESK_CRASH_KILLS", "25"))
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _prepare(db: Database, admin: Actor) -> tuple[list[int], list[int]]:
    people = add_people(db, admin, 5)
    with db.session() as session:
        install_reference_canteen(session, admin)
        checkin.save_purpose(session, admin, None, name="日常活动", area="elder")
        settings_purpose = checkin.list_purposes(session)[0].name
        from frontdesk.core import settings

        settings.set_value(session, admin, "checkin.default_purpose", settings_purpose)
        lunch = canteen.session_by_name(session, "午餐").id
        canteen.set_day(session, admin, lunch, LUNCH_TIME.date(), capacity=100_000)
    return people, people


def _run_and_kill(url: str, residents: list[int], diners: list[int], rng: random.Random
                  ) -> list[str]:
    """Start the writer, let it commit a few records, then SIGKILL it mid-stream."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.workers", url,
         ",".join(map(str, residents)), ",".join(map(str, diners))],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    reported = []
    for _ in range(rng.randint(1, 6)):
        line = proc.stdout.readline()
        if not line:
            break
        reported.append(line.strip())
    time.sleep(rng.uniform(0, 0.02))  # somewhere inside the next transaction
    os.kill(proc.pid, signal.SIGKILL)
    rest, err = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL, err
    reported += [line.strip() for line in rest.splitlines() if line.strip()]
    return reported


def test_killed_writer_loses_nothing_it_reported(centre_db: Database, admin: Actor) -> None:
    residents, diners = _prepare(centre_db, admin)
    rng = random.Random(20261122)
    reported: list[str] = []
    for _ in range(KILLS):
        reported += _run_and_kill(centre_db.url, residents, diners, rng)
    checkins = {int(r.split()[1]) for r in reported if r.startswith("checkin ")}
    tickets = {int(r.split()[1]) for r in reported if r.startswith("ticket ")}
    assert len(checkins) + len(tickets) >= KILLS  # each run committed something

    if centre_db.is_sqlite:
        with centre_db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    with centre_db.read() as session:
        stored_checkins = set(session.scalars(select(Checkin.id)))
        stored_tickets = set(session.scalars(select(MealTicket.id)))
        assert checkins <= stored_checkins
        assert tickets <= stored_tickets
        # Nothing half-written: funder shares plus self-pay make each ticket's price, and a
        # subsidised ticket has its shares ...
        subsidised = 0
        for ticket in session.scalars(select(MealTicket)):
            shares = session.scalars(select(TicketShare.amount_fen)
                                     .where(TicketShare.ticket_id == ticket.id)).all()
            assert sum(shares) + ticket.self_pay_fen == ticket.price_fen, ticket.number
            assert bool(shares) == ticket.subsidised, ticket.number
            subsidised += ticket.subsidised
        assert subsidised >= 1
        # ... and every record its audit row, written in the same transaction.
        for entity, ids in (("checkin", stored_checkins), ("canteen_ticket", stored_tickets)):
            audited = set(session.scalars(select(AuditEntry.entity_id)
                                          .where(AuditEntry.entity == entity)))
            assert {str(i) for i in ids} == audited
        assert session.scalar(select(func.count()).select_from(Checkin)) == len(stored_checkins)
