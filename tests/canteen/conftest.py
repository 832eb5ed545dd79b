"""Canteen fixtures: a few residents (made directly with the Resident model) and the
reference canteen (funders, 午餐 at 12 元, three rules)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from frontdesk.canteen.service import list_funders, list_sessions
from frontdesk.canteen.setup import install_reference_canteen
from frontdesk.core.actor import Actor
from frontdesk.core.db import Database
from frontdesk.residents.models import HUKOU_LOCAL, HUKOU_NON_LOCAL, Resident, ResidentTag


def add_resident(db: Database, actor: Actor, name: str, birth: dt.date | None, *,
                 card: str, hukou: str | None = HUKOU_LOCAL, tags: tuple[str, ...] = ()) -> int:
    """A resident row, straight into the table (the residents feature owns the screens)."""
    with db.session() as session:
        r = Resident(name=name, birth_date=birth, card_code=card, hukou=hukou,
                     created_at=actor.now(), updated_at=actor.now(),
                     address="桂山村 1 号", phone="13800000000")
        r.tags = [ResidentTag(tag=t) for t in tags]
        session.add(r)
        session.flush()
        return r.id


@dataclass(frozen=True)
class Canteen:
    """The reference canteen's ids and a few elders."""

    gov: int
    village: int
    charity: int
    self_id: int
    lunch: int
    dinner: int
    aged85: int  # 高龄, local
    aged70: int  # local 70
    poor65: int  # 低保 65
    migrant70: int  # 外来 70: no subsidy under the reference rules
    no_birth: int  # no birth date


@pytest.fixture
def canteen(centre_db: Database, admin: Actor) -> Canteen:
    with centre_db.session() as session:
        install_reference_canteen(session, admin)
        funders = {f.name: f.id for f in list_funders(session)}
        sessions = {s.name: s.id for s in list_sessions(session, admin.today())}
    return Canteen(
        funders["政府补助"], funders["村级/社区"], funders["慈善"], funders["个人自付"],
        sessions["午餐"], sessions["晚餐"],
        add_resident(centre_db, admin, "陈阿婆", dt.date(1941, 3, 1), card="C0001"),
        add_resident(centre_db, admin, "林伯", dt.date(1956, 5, 5), card="C0002"),
        add_resident(centre_db, admin, "黄婶", dt.date(1961, 1, 1), card="C0003",
                     tags=("低保",)),
        add_resident(centre_db, admin, "王叔", dt.date(1956, 1, 1), card="C0004",
                     hukou=HUKOU_NON_LOCAL),
        add_resident(centre_db, admin, "无名伯", None, card="C0005"),
    )
