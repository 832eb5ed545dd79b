"""Several desks, as real processes, racing for the same thing: exactly one wins.

Runs on whichever database the ``db`` fixture gives (SQLite, or PostgreSQL when
FRONTDESK_TEST_BACKEND=postgresql): each desk is a spawned process with its own engine.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from frontdesk.canteen.models import MealTicket
from frontdesk.canteen.setup import install_reference_canteen
from frontdesk.checkin import service as checkin
from frontdesk.checkin.models import Checkin
from frontdesk.core.actor import Actor
from frontdesk.core.clock import CENTRE_TZ
from frontdesk.core.db import Database
from frontdesk.residents.models import Resident
from frontdesk.rooms import service as rooms
from frontdesk.rooms.models import Booking
from frontdesk.volunteers import service as volunteers
from frontdesk.volunteers import shop
from frontdesk.volunteers.models import Redemption
from tests.reliability.workers import run_desks, run_desks_per_desk

DESKS = 4
ROUNDS = 3

pytestmark = pytest.mark.slow


def add_people(db: Database, admin: Actor, n: int, prefix: str = "长者") -> list[int]:
    """``n`` elders born in 1940 with cards (made directly: registration is residents')."""
    ids = []
    with db.session() as session:
        for i in range(n):
            r = Resident(name=f"{prefix}{i}", birth_date=dt.date(1940, 1, 1),
                         card_code=f"{prefix[:1]}{i:04d}", hukou="local",
                         created_at=admin.now(), updated_at=admin.now())
            session.add(r)
            session.flush()
            ids.append(r.id)
    return ids


def winners(outcomes: dict[int, list[str]]) -> list[int]:
    """How many desks succeeded in each round (and no desk crashed)."""
    for texts in outcomes.values():
        assert len(texts) == DESKS
        assert not [t for t in texts if t.startswith("crash:")], texts
        assert sum(t.startswith("ok:") for t in texts) == 1, texts
    return [sum(t.startswith("ok:") for t in texts) for texts in outcomes.values()]


def test_same_elders_subsidised_lunch_is_issued_once(centre_db: Database, admin: Actor) -> None:
    with centre_db.session() as session:
        install_reference_canteen(session, admin)
    elders = add_people(centre_db, admin, ROUNDS)
    outcomes = run_desks(centre_db.url, "lunch", elders, DESKS)
    assert winners(outcomes) == [1] * ROUNDS
    with centre_db.read() as session:
        for elder in elders:
            assert session.scalar(select(func.count()).select_from(MealTicket).where(
                MealTicket.resident_id == elder, MealTicket.subsidised.is_(True))) == 1
        numbers = session.scalars(select(MealTicket.number)).all()
    assert len(numbers) == len(set(numbers)) == ROUNDS


def test_same_room_slot_is_booked_once(centre_db: Database, admin: Actor) -> None:
    with centre_db.session() as session:
        room = rooms.create_room(session, admin, "多功能厅", capacity=100,
                                 hours={d: ("00:00", "24:00") for d in range(7)})
    day = dt.datetime(2026, 11, 24, 9, 0, tzinfo=CENTRE_TZ)
    slots = [(room.id, day + dt.timedelta(hours=h)) for h in range(ROUNDS)]
    outcomes = run_desks(centre_db.url, "room", slots, DESKS)
    assert winners(outcomes) == [1] * ROUNDS
    with centre_db.read() as session:
        assert session.scalar(select(func.count()).select_from(Booking)) == ROUNDS


def test_last_item_in_the_shop_goes_once(centre_db: Database, admin: Actor) -> None:
    people = add_people(centre_db, admin, DESKS, prefix="志愿者")
    with centre_db.session() as session:
        vols = [volunteers.enroll(session, admin, p).id for p in people]
        for v in vols:
            volunteers.adjust(session, admin, v, 100, "测试积分")
        goods = [shop.add_goods(session, admin, f"香皂{i}", 10, "块").id for i in range(ROUNDS)]
        for g in goods:
            shop.restock(session, admin, g, 1, "最后一块")
    # Each desk serves its own volunteer; they all want the last bar of soap.
    outcomes = run_desks_per_desk(centre_db.url, "shop",
                                  [[(v, g) for g in goods] for v in vols])
    assert winners(outcomes) == [1] * ROUNDS
    with centre_db.read() as session:
        assert all(shop.find_goods(session, str(g)).stock == 0 for g in goods)
        assert session.scalar(select(func.count()).select_from(Redemption)) == ROUNDS


def test_last_points_are_spent_once(centre_db: Database, admin: Actor) -> None:
    people = add_people(centre_db, admin, ROUNDS, prefix="志愿者")
    with centre_db.session() as session:
        vols = [volunteers.enroll(session, admin, p).id for p in people]
        for v in vols:
            volunteers.adjust(session, admin, v, 10, "刚好够一次")
        goods = shop.add_goods(session, admin, "毛巾", 10, "条").id
        shop.restock(session, admin, goods, 100, "入库")
    outcomes = run_desks(centre_db.url, "shop", [(v, goods) for v in vols], DESKS)
    assert winners(outcomes) == [1] * ROUNDS
    with centre_db.read() as session:
        assert all(volunteers.balance(session, v) == 0 for v in vols)


def test_same_persons_check_in_is_recorded_once(centre_db: Database, admin: Actor) -> None:
    people = add_people(centre_db, admin, ROUNDS)
    with centre_db.session() as session:
        purpose = checkin.save_purpose(session, admin, None, name="日常活动", area="elder").id
    outcomes = run_desks(centre_db.url, "checkin", [(p, purpose) for p in people], DESKS)
    assert winners(outcomes) == [1] * ROUNDS
    with centre_db.read() as session:
        assert session.scalar(select(func.count()).select_from(Checkin)) == ROUNDS
