"""The volunteers' part of `frontdesk demo`: two teams, activities, months of service,
a stocked points shop and redemptions — all through the services, dated as they happened."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.core.actor import Actor
from frontdesk.core.clock import CENTRE_TZ, FixedClock
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr
from frontdesk.residents.models import STATUS_ACTIVE, Resident
from frontdesk.volunteers import service, shop
from frontdesk.volunteers.models import Volunteer

TEAMS = ("党员先锋服务队", "银发志愿者")
CATEGORIES = (("助老服务", 1), ("环境整治", 1), ("文明实践", 1), ("四点钟学校辅导", 2))
ACTIVITIES = (  # name, category, fixed points, cap hours
    ("长者食堂帮厨", "助老服务", None, 2.0),
    ("送餐上门", "助老服务", None, 2.0),
    ("垃圾分类督导", "环境整治", None, None),
    ("文明交通劝导", "文明实践", 3, None),
    ("四点钟学校作业辅导", "四点钟学校辅导", None, 2.0),
    ("政策宣传入户", "文明实践", 5, None),
)
GOODS = (("香皂", 12, "块", 60), ("洗衣液", 30, "瓶", 30), ("炒锅", 40, "个", 6),
         ("大米", 44, "袋", 20), ("牙膏", 10, "支", 50), ("毛巾", 15, "条", 40),
         ("食用油", 35, "桶", 15))
DEMO_NAMES = ("陈秀英", "林国强", "黄丽华", "吴建平", "蔡淑珍", "许志明", "洪美玲", "施文斌",
              "王春梅", "庄海燕", "苏振华", "郑玉兰", "李明辉", "张桂芳", "杨德胜", "周雅琴")


def _at(actor: Actor, day: dt.date, hour: int) -> Actor:
    clock = FixedClock(dt.datetime.combine(day, dt.time(hour), CENTRE_TZ))
    return Actor(actor.operator_id, actor.username, actor.display_name, actor.role, clock)


def _residents(session: Session, actor: Actor, wanted: int) -> list[int]:
    """Active residents to enrol; adds a few demo residents when there are not enough."""
    ids = list(session.scalars(select(Resident.id).where(Resident.status == STATUS_ACTIVE)
                               .order_by(Resident.id).limit(wanted)))
    for i, name in enumerate(DEMO_NAMES[: max(0, wanted - len(ids))]):
        r = Resident(name=name, card_code=f"ZYDEMO{i + 1:03d}", phone=f"1395950{i:04d}",
                     id_type="none", created_at=actor.now(), updated_at=actor.now())
        session.add(r)
        session.flush()
        ids.append(r.id)
    return ids


def demo_step(session: Session, actor: Actor, rng: random.Random) -> str:
    """Fill the volunteers and the points shop (skipped when volunteers already exist)."""
    if (session.scalar(select(func.count()).select_from(Volunteer)) or 0) > 0:
        return tr("志愿积分：已有数据，跳过。")
    today = actor.today()
    start = today - dt.timedelta(days=180)
    setup = _at(actor, start - dt.timedelta(days=1), 9)
    residents = _residents(session, setup, len(DEMO_NAMES))
    teams = [service.create_team(session, setup, name, residents[i])
             for i, name in enumerate(TEAMS)]
    cats = {name: service.create_category(session, setup, name, rate) for name, rate in CATEGORIES}
    acts = [service.create_activity(session, setup, name, cats[cat], fixed_points=fixed,
                                    cap_hours=cap) for name, cat, fixed, cap in ACTIVITIES]
    goods = [shop.add_goods(session, setup, name, price, unit) for name, price, unit, _ in GOODS]
    for g, (_, _, _, qty) in zip(goods, GOODS, strict=True):
        shop.restock(session, setup, g.id, qty, tr("首批入库"))
    volunteers = [service.enroll(session, setup, rid, team_id=teams[i % 2],
                                 joined_on=start - dt.timedelta(days=rng.randint(30, 900))).id
                  for i, rid in enumerate(residents)]
    records = redemptions = 0
    day = start
    while day < today:
        if day.weekday() < 6:
            for vid in rng.sample(volunteers, rng.randint(2, 6)):
                clerk = _at(actor, day, 17)
                hours = rng.choice((1, 1.5, 2, 2, 2.5, 3))
                try:
                    service.add_record(session, clerk, vid, rng.choice(acts), day, hours=hours,
                                       reason=tr("纸质签到表补录"), verified_by=tr("队长"))
                    records += 1
                except RuleError:
                    pass  # a day's cap reached: the desk would refuse it too
            if rng.random() < 0.3:
                vid = rng.choice(volunteers)
                basket = [shop.BasketLine(g.id, 1) for g in rng.sample(goods, rng.randint(1, 2))]
                try:
                    shop.redeem(session, _at(actor, day, 16), vid, basket)
                    redemptions += 1
                except RuleError:
                    pass  # not enough points yet
        day += dt.timedelta(days=1)
    return tr("志愿积分：{v} 名志愿者，{r} 条服务记录，{d} 次兑换，{g} 种物品。",
              v=len(volunteers), r=records, d=redemptions, g=len(goods))
