"""Demo data for check-in: months of realistic visits, tallies and group visits.

Written with bulk inserts (a few thousand rows in well under a second); today is left with a
morning's worth of entries and some people still in the centre.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from frontdesk.core import audit
from frontdesk.core.actor import Actor
from frontdesk.core.clock import CENTRE_TZ
from frontdesk.core.i18n import tr
from frontdesk.residents.models import Resident, ResidentTag

from .models import Checkin, CheckinPurpose, GroupVisit, TallyEntry, TallyGroup

DEMO_DAYS = 120
SURNAMES = "陈林黄王张李吴蔡许郑洪施杨刘苏"
GIVEN = ["秀英", "玉兰", "阿婆", "金水", "志明", "建国", "美玲", "小明", "雅婷", "子涵", "俊杰",
         "丽华", "国栋", "春生", "淑珍", "梓萱", "宇航", "文斌", "海燕", "世杰"]
# How many named visits a purpose gets on a typical weekday (weekends: fewer errands).
PURPOSE_WEIGHTS = {"党建活动": 3, "助老服务": 8, "四点钟学校": 12, "健康咨询": 6,
                   "长者食堂": 30, "文体活动": 10, "便民办事": 9, "红蜂驿站": 5, "其他": 2}


def _ensure_residents(session: Session, actor: Actor, rng: random.Random) -> list[
        tuple[int, int | None]]:
    """(id, birth year) of the residents to use; a few are added if the registry is empty."""
    rows = session.execute(select(Resident.id, Resident.birth_date)
                           .where(Resident.status == "active").limit(400)).all()
    if len(rows) >= 30:
        return [(rid, b.year if b else None) for rid, b in rows]
    now = actor.now()
    for i in range(60):
        kind = rng.random()
        year = (rng.randint(1936, 1965) if kind < 0.45 else rng.randint(2012, 2019)
                if kind < 0.7 else rng.randint(1975, 2002))
        resident = Resident(
            name=rng.choice(SURNAMES) + rng.choice(GIVEN), sex=rng.choice("MF"),
            birth_date=dt.date(year, rng.randint(1, 12), rng.randint(1, 28)),
            phone=f"13{rng.randint(5, 9)}{rng.randint(10_000_000, 99_999_999)}",
            card_code=f"GS{i + 1:04d}", status="active", id_type="none", temporary=False,
            created_at=now, updated_at=now)
        if 1975 <= year <= 2002 and rng.random() < 0.4:
            resident.tags = [ResidentTag(tag="新就业群体")]
        session.add(resident)
    session.flush()
    rows = session.execute(select(Resident.id, Resident.birth_date)
                           .where(Resident.status == "active")).all()
    return [(rid, b.year if b else None) for rid, b in rows]


def demo_step(session: Session, actor: Actor, rng: random.Random) -> str:
    """Fill about four months of check-ins, tallies and group visits (once)."""
    if session.scalar(select(func.count()).select_from(Checkin)):
        return tr("签到演示数据已存在，跳过。")
    people = _ensure_residents(session, actor, rng)
    elders = [rid for rid, year in people if year and year <= 1966]
    children = [rid for rid, year in people if year and year >= 2010]
    purposes = {p.name: p.id for p in session.scalars(select(CheckinPurpose))}
    groups = [g.id for g in session.scalars(select(TallyGroup))]
    today = actor.today()
    now = actor.now()
    checkins: list[dict[str, object]] = []
    tallies: list[dict[str, object]] = []
    visits: list[dict[str, object]] = []
    names = ["王丽", "林小燕", "陈志强"]
    for back in range(DEMO_DAYS, -1, -1):
        day = today - dt.timedelta(days=back)
        weekend = day.weekday() >= 5
        for name, weight in PURPOSE_WEIGHTS.items():
            if name not in purposes:
                continue
            n = max(0, int(rng.gauss(weight * (0.6 if weekend else 1.0), weight * 0.25)))
            pool = elders if name in ("长者食堂", "助老服务") else children if \
                name == "四点钟学校" else [rid for rid, _ in people]
            for _ in range(n):
                hour = 11 if name == "长者食堂" else 16 if name == "四点钟学校" else \
                    rng.randint(8, 19)
                at = dt.datetime(day.year, day.month, day.day, hour, rng.randint(0, 59),
                                 tzinfo=CENTRE_TZ)
                if at > now:
                    continue
                out = at + dt.timedelta(minutes=rng.randint(10, 150))
                still_here = back == 0 and rng.random() < 0.3
                checkins.append({
                    "resident_id": rng.choice(pool or [rid for rid, _ in people]),
                    "purpose_id": purposes[name], "checked_in_at": at, "business_date": day,
                    "operator_id": None, "operator_name": rng.choice(names),
                    "checked_out_at": None if still_here or out > now else out,
                    "duration_minutes": None if still_here or out > now
                    else int((out - at).total_seconds() // 60),
                    "confirmed_repeat": False, "voided": False})
        for gid in groups:
            for _ in range(rng.randint(0, 6)):
                at = dt.datetime(day.year, day.month, day.day, rng.randint(9, 20),
                                 rng.randint(0, 59), tzinfo=CENTRE_TZ)
                if at <= now:
                    tallies.append({"group_id": gid, "count": 1, "at": at, "business_date": day,
                                    "operator_id": None, "operator_name": rng.choice(names),
                                    "voided": False})
        if not weekend and rng.random() < 0.12:
            at = dt.datetime(day.year, day.month, day.day, 15, 0, tzinfo=CENTRE_TZ)
            if at <= now:
                visits.append({"organisation": rng.choice(["桂山小学三年级", "晋江市老年大学",
                                                           "梅岭街道卫生院", "共建单位党支部"]),
                               "head_count": rng.randint(12, 45),
                               "purpose_id": purposes.get("党建活动"), "contact": None,
                               "at": at, "business_date": day, "operator_id": None,
                               "operator_name": rng.choice(names), "voided": False})
    checkins.sort(key=lambda r: r["checked_in_at"])  # type: ignore[arg-type, return-value]
    if checkins:
        session.execute(insert(Checkin), checkins)
    if tallies:
        session.execute(insert(TallyEntry), tallies)
    if visits:
        session.execute(insert(GroupVisit), visits)
    audit.record(session, actor, "checkin.demo", "checkin", None,
                 f"{len(checkins)} check-ins, {len(tallies)} tallies, {len(visits)} groups")
    return tr("已生成 {days} 天的签到演示数据：签到 {n} 人次，匿名计数 {t} 次，团体来访 {g} 批。",
              days=DEMO_DAYS, n=len(checkins), t=len(tallies), g=len(visits))
