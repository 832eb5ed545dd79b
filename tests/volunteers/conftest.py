"""Volunteer fixtures: a few residents, a team, activities and shop goods on a real database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from frontdesk.core.actor import Actor
from frontdesk.core.db import Database
from frontdesk.residents.models import Resident
from frontdesk.volunteers import service, shop


def add_resident(db: Database, actor: Actor, name: str, card: str,
                 id_number: str | None = None) -> int:
    """A resident row made directly (the residents feature owns registration)."""
    with db.session() as session:
        r = Resident(name=name, card_code=card, id_number=id_number,
                     id_type="ric" if id_number else "none", phone="13800001234",
                     created_at=actor.now(), updated_at=actor.now())
        session.add(r)
        session.flush()
        return r.id


@dataclass(frozen=True)
class Setup:
    """Ids of what the ``vdb`` fixture made."""

    team: int
    hourly: int  # 1 point per hour, capped at 2 h
    tenfold: int  # 10 points per hour
    fixed: int  # 5 points per record
    vol_a: int
    vol_b: int
    res_c: int  # a resident who is not a volunteer
    soap: int
    wok: int
    rice: int


@pytest.fixture
def vdb(centre_db: Database, admin: Actor) -> tuple[Database, Setup]:
    """A centre with two volunteers, three activities and three goods in stock."""
    a = add_resident(centre_db, admin, "张三", "C0001", "350582199001011234")
    b = add_resident(centre_db, admin, "李四", "C0002")
    c = add_resident(centre_db, admin, "王五", "C0003")
    with centre_db.session() as s:
        team = service.create_team(s, admin, "党员先锋服务队", a)
        cat1 = service.create_category(s, admin, "助老服务", 1)
        cat10 = service.create_category(s, admin, "环境整治", 10)
        hourly = service.create_activity(s, admin, "助老陪伴", cat1, cap_hours=2)
        tenfold = service.create_activity(s, admin, "垃圾分类宣传", cat10)
        fixed = service.create_activity(s, admin, "文明劝导", cat1, fixed_points=5)
        va = service.enroll(s, admin, a, team_id=team, skills="理发",
                            joined_on=dt.date(2025, 1, 1)).id
        vb = service.enroll(s, admin, b).id
        soap = shop.add_goods(s, admin, "香皂", 12, "块").id
        wok = shop.add_goods(s, admin, "炒锅", 40, "个").id
        rice = shop.add_goods(s, admin, "大米", 44, "袋").id
        shop.restock(s, admin, soap, 10)
        shop.restock(s, admin, wok, 1)
        shop.restock(s, admin, rice, 5)
    return centre_db, Setup(team, hourly, tenfold, fixed, va, vb, c, soap, wok, rice)


@dataclass
class Printed:
    """What reached the print preview (the dialog itself would block a test)."""

    jobs: list[tuple[str, str, bytes]]  # (paper, title, pdf)


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch) -> Printed:
    """Stand in for the printer: record each job, and count reprints as printed."""
    from frontdesk.ui import printing

    seen = Printed([])

    def preview(_parent, _ctx, pdf, paper, title, *, after_print=None) -> bool:
        seen.jobs.append((paper, title, pdf))
        if after_print is not None:
            after_print()
        return True

    monkeypatch.setattr(printing, "preview_and_print", preview)
    return seen
