"""The canteen's demo step: the reference canteen, elders to feed, months of lunches, today."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.canteen import service as svc
from frontdesk.canteen.models import MealTicket
from frontdesk.canteen.setup import bulk_history, install_reference_canteen
from frontdesk.core.actor import Actor
from frontdesk.core.i18n import tr
from frontdesk.residents.models import (
    HUKOU_LOCAL,
    HUKOU_NON_LOCAL,
    ID_TYPE_RIC,
    STATUS_ACTIVE,
    Resident,
    ResidentTag,
)
from frontdesk.residents.service import ResidentInfo, info

SURNAMES = "陈林黄王吴蔡许郑李张施洪庄苏杨"
GIVEN = ["阿婆", "秀英", "玉兰", "金水", "清泉", "丽华", "火炎", "美珠", "国强", "淑贞",
         "瑞祥", "宝珠", "振华", "春花", "水生", "桂香"]
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def ric_number(birth: dt.date, seq: int, male: bool) -> str:
    """A well-formed Jinjiang (350582) ID number with its MOD 11-2 check digit."""
    order = seq * 2 + (1 if male else 0)
    body = f"350582{birth:%Y%m%d}{order % 1000:03d}"
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 11]
    return body + check


def demo_elders(session: Session, actor: Actor, rng: random.Random, want: int = 60
                ) -> list[ResidentInfo]:
    """Active residents aged 60+; when the registry has too few, add demo elders."""
    today = actor.today()
    limit = today.replace(year=today.year - 60)
    found = [info(r) for r in session.scalars(select(Resident).where(
        Resident.status == STATUS_ACTIVE, Resident.birth_date <= limit).limit(500))]
    if len(found) >= want // 2:
        return found
    now = actor.now()
    taken = set(session.scalars(select(Resident.id_number).where(
        Resident.id_number.is_not(None))))
    for i in range(want - len(found)):
        number = ""
        while not number or number in taken:  # a fresh, unique, well-formed ID number
            birth = dt.date(rng.randint(1936, 1966), rng.randint(1, 12), rng.randint(1, 28))
            male = rng.random() < 0.45
            number = ric_number(birth, rng.randint(0, 499), male)
        taken.add(number)
        r = Resident(
            name=rng.choice(SURNAMES) + rng.choice(GIVEN), sex="M" if male else "F",
            birth_date=birth, id_type=ID_TYPE_RIC, id_number=number,
            phone=f"1{rng.choice('3589')}{rng.randint(0, 999999999):09d}",
            address=f"桂山社区{rng.randint(1, 12)}组{rng.randint(1, 80)}号",
            hukou=HUKOU_NON_LOCAL if rng.random() < 0.15 else HUKOU_LOCAL,
            card_code=f"GS{9000 + i:05d}", created_at=now, updated_at=now)
        tags = [t for t, p in (("低保", 0.08), ("特困", 0.03), ("独居", 0.2), ("失能", 0.05))
                if rng.random() < p]
        r.tags = [ResidentTag(tag=t) for t in tags]
        session.add(r)
        session.flush()
        found.append(info(r))
    return found


def build(session: Session, actor: Actor, rng: random.Random) -> str:
    """Reference canteen, three months of lunches, and today's queue so far."""
    install_reference_canteen(session, actor)
    if session.scalar(select(func.count()).select_from(MealTicket)):
        return tr("长者食堂：已有餐票，未重复生成。")
    elders = demo_elders(session, actor, rng)
    today = actor.today()
    lunch = next(s for s in svc.list_sessions(session, today) if s.name == "午餐")
    history = bulk_history(session, actor, elders, today - dt.timedelta(days=92),
                           today - dt.timedelta(days=1), 32, rng, svc.active_rule_specs(session),
                           svc.self_funder_id(session))
    queue = rng.sample(elders, min(18, len(elders)))
    for n, elder in enumerate(queue):
        meal_type = "delivery" if n % 6 == 5 else "takeaway" if n % 7 == 3 else "dine_in"
        svc.issue_ticket(session, actor, resident_id=elder.id, session_id=lunch.id,
                         meal_type=meal_type, payment=rng.choice(["cash", "cash", "wechat"]),
                         route=tr("一组") if meal_type == "delivery" else None,
                         collector=tr("女儿代领") if n == 4 else None)
    svc.issue_ticket(session, actor, resident_id=None, session_id=lunch.id,
                     diner_kind="staff", diner_name="厨师 老蔡")
    deliveries = svc.delivery_list(session, today)
    if deliveries:
        svc.mark_delivery(session, actor, deliveries[0].id, "signed")
    if len(deliveries) > 1:
        svc.mark_delivery(session, actor, deliveries[1].id, "not_home", "敲门无人应答")
    tomorrow = today + dt.timedelta(days=1)
    for elder in queue[:12]:
        svc.add_pre_order(session, actor, day=tomorrow, session_id=lunch.id,
                          resident_id=elder.id)
    svc.add_pre_order(session, actor, day=tomorrow, session_id=lunch.id, group_name="志愿者服务队",
                      count=5)
    booked = sum(c.count for c in svc.kitchen_counts(session, tomorrow))
    return tr("长者食堂：{n} 张历史餐票，今天已出 {today} 张，明天预订 {pre} 份。",
              n=history.tickets, today=len(svc.list_tickets(session, today)), pre=booked)
