"""Rooms fixtures: a centre with rooms (one divided), a partner, a few residents."""

from __future__ import annotations

import datetime as dt

import pytest

from frontdesk.core.actor import Actor
from frontdesk.core.clock import CENTRE_TZ
from frontdesk.core.db import Database
from frontdesk.residents.models import Resident
from frontdesk.rooms import service
from frontdesk.rooms.models import BOOKER_INTERNAL, BOOKER_ORGANISATION, BOOKER_RESIDENT


def at(day: str, hhmm: str) -> dt.datetime:
    """A local moment, e.g. at("2026-11-23", "09:00")."""
    return dt.datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=CENTRE_TZ)


@pytest.fixture
def rooms(centre_db: Database, admin: Actor) -> dict[str, service.RoomInfo]:
    """会议室 (needs approval, organisations only), 多功能厅 with halves A/B, 乒乓球室."""
    with centre_db.session() as s:
        made = {
            "meeting": service.create_room(
                s, admin, "企业共享会议室", capacity=20,
                hours={d: ("08:30", "21:00") for d in range(5)},
                allowed_bookers=(BOOKER_ORGANISATION, BOOKER_INTERNAL), needs_approval=True),
            "hall": service.create_room(s, admin, "多功能厅", capacity=120),
        }
        made["half_a"] = service.create_room(s, admin, "多功能厅A区", capacity=60,
                                             parent_id=made["hall"].id)
        made["half_b"] = service.create_room(s, admin, "多功能厅B区", capacity=60,
                                             parent_id=made["hall"].id)
        made["pingpong"] = service.create_room(
            s, admin, "乒乓球室", capacity=8, max_minutes=120, max_per_month=2,
            allowed_bookers=(BOOKER_RESIDENT, BOOKER_INTERNAL))
        made["night"] = service.create_room(
            s, admin, "值班室", hours={d: ("00:00", "24:00") for d in range(7)})
    return made


@pytest.fixture
def partner(centre_db: Database, admin: Actor) -> service.Booker:
    with centre_db.session() as s:
        org = service.create_organisation(s, admin, "桂山实验小学", kind="school",
                                          contact="许老师", phone="13960381122")
        return service.organisation_booker(s, org.id)


@pytest.fixture
def resident(centre_db: Database, clock: object) -> service.Booker:
    """One active resident (made directly: registration is the residents feature's)."""
    now = dt.datetime(2026, 11, 1, tzinfo=CENTRE_TZ)
    with centre_db.session() as s:
        person = Resident(name="陈阿婆", phone="13812345678", created_at=now, updated_at=now)
        s.add(person)
        s.flush()
        return service.resident_booker(s, person.id)
