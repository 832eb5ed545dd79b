"""Residents for the check-in tests, made with the Resident model directly."""

from __future__ import annotations

import datetime as dt

import pytest

from frontdesk.checkin import service
from frontdesk.core.actor import Actor
from frontdesk.core.clock import FixedClock
from frontdesk.core.db import Database
from frontdesk.residents.models import Resident, ResidentTag


def add_resident(db: Database, clock: FixedClock, name: str, *, card: str | None = None,
                 birth: dt.date | None = None, sex: str | None = None, phone: str | None = None,
                 status: str = "active", tags: tuple[str, ...] = ()) -> int:
    """Insert one resident and return its id."""
    with db.session() as session:
        resident = Resident(name=name, card_code=card, birth_date=birth, sex=sex, phone=phone,
                            status=status, id_type="none", temporary=False,
                            created_at=clock.now(), updated_at=clock.now())
        resident.tags = [ResidentTag(tag=t) for t in tags]
        session.add(resident)
        session.flush()
        return resident.id


@pytest.fixture
def people(centre_db: Database, clock: FixedClock) -> dict[str, int]:
    """An elder, a child, a courier (新就业群体), someone moved away and someone deceased."""
    return {
        "elder": add_resident(centre_db, clock, "陈阿婆", card="C0001", sex="F",
                              birth=dt.date(1950, 3, 1), phone="13812341234"),
        "child": add_resident(centre_db, clock, "林小明", card="C0002", sex="M",
                              birth=dt.date(2016, 5, 2)),
        "rider": add_resident(centre_db, clock, "王师傅", card="C0003", sex="M",
                              birth=dt.date(1990, 1, 1), phone="13900001111",
                              tags=("新就业群体",)),
        "moved": add_resident(centre_db, clock, "张迁", card="C0004", status="moved"),
        "deceased": add_resident(centre_db, clock, "李故", card="C0005", status="deceased"),
    }


def fill_day(db: Database, desk: Actor, clock: FixedClock) -> None:
    """A day at 2026-11-22: four valid check-ins (one temporary visitor), one voided, a tally
    of 3 快递员 and a group of 35; the clock ends two hours and five minutes later."""
    with db.session() as session:
        canteen = service.find_purpose(session, "长者食堂").id
        school = service.find_purpose(session, "四点钟学校").id
        service.check_in(session, desk, code="C0001", purpose_id=canteen)
    clock.advance(minutes=5)
    with db.session() as session:
        service.check_in(session, desk, code="C0002", purpose_id=school)
        temp = service.register_visitor(session, desk, "赵临时")
        service.check_in(session, desk, resident_id=temp.id, purpose_id=canteen)
        wrong = service.check_in(session, desk, code="C0003", purpose_id=canteen).entry
        service.void_entry(session, desk, "checkin", wrong.id, "刷错卡")
        service.add_tally(session, desk, service.list_tally_groups(session)[1].id, 3)
        service.add_group_visit(session, desk, "桂山小学", 35, school)
    clock.advance(hours=2)
    with db.session() as session:
        service.check_in(session, desk, code="C0001", purpose_id=canteen)  # after the window
