"""The rooms part of `frontdesk demo`: a real centre's rooms, partners and months of bookings.

Past days are booked through the same services as the desk, each by a clock set to that
morning, so history looks like the desk made it: checked in, a few no-shows, cancellations.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.core import operators
from frontdesk.core.actor import Actor
from frontdesk.core.clock import CENTRE_TZ, FixedClock
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr
from frontdesk.residents.models import STATUS_ACTIVE, Resident
from frontdesk.rooms import service
from frontdesk.rooms.models import (
    BOOKER_INTERNAL,
    BOOKER_ORGANISATION,
    BOOKER_RESIDENT,
    ORG_FIRM,
    ORG_PARTY,
    ORG_SCHOOL,
    Room,
)

WEEKDAYS_0830_2100 = {d: ("08:30", "21:00") for d in range(5)} | {5: ("09:00", "17:00")}
PARTNERS = [
    ("桂山鞋服有限公司", ORG_FIRM, "黄经理", "13805951234"),
    ("梅岭街道市场监管所党支部", ORG_PARTY, "庄书记", "0595-85601234"),
    ("桂山实验小学", ORG_SCHOOL, "许老师", "13960381122"),
    ("晋江市梅岭供电所党支部", ORG_PARTY, "蔡主任", "13905958866"),
    ("桂山社区老年协会", ORG_PARTY, "吴会长", "13665953377"),
]
ACTIVITIES = [
    ("多功能厅", ["社区健康讲座", "长者体检", "党员大会", "广场舞排练", "亲子读书会"]),
    ("多功能厅A区", ["书法班", "太极拳", "手工编织"]),
    ("多功能厅B区", ["合唱排练", "瑜伽", "亲子手工"]),
    ("企业共享会议室", ["项目例会", "党建共建座谈", "员工培训", "客户洽谈"]),
    ("乒乓球室", ["乒乓球", "乒乓球友谊赛"]),
    ("邻里会事厅", ["居民议事会", "矛盾调解", "楼道长会议", "网格员例会"]),
]


def _at(admin: Actor, moment: dt.datetime) -> Actor:
    return Actor(admin.operator_id, admin.username, admin.display_name, admin.role,
                 FixedClock(moment))


def demo_step(session: Session, admin: Actor, rng: random.Random) -> str:
    """Create the demo rooms, partners and about three months of bookings (once)."""
    if (session.scalar(select(func.count()).select_from(Room)) or 0) > 0:
        return tr("场地预约：演示数据已存在")
    today = admin.today()
    start_day = today - dt.timedelta(days=60)
    setup = _at(admin, dt.datetime.combine(start_day - dt.timedelta(days=1), dt.time(8),
                                           CENTRE_TZ))
    service.create_room(
        session, setup, "企业共享会议室", capacity=20, facilities="投影仪、白板、视频会议",
        hours=dict(WEEKDAYS_0830_2100), allowed_bookers=(BOOKER_ORGANISATION, BOOKER_INTERNAL),
        needs_approval=True, advance_days=60)
    hall = service.create_room(session, setup, "多功能厅", capacity=120,
                               facilities="音响、投影、舞台", advance_days=90)
    service.create_room(session, setup, "多功能厅A区", capacity=60, facilities="音响",
                        parent_id=hall.id, advance_days=90)
    service.create_room(session, setup, "多功能厅B区", capacity=60, facilities="投影",
                        parent_id=hall.id, advance_days=90)
    study = service.create_room(
        session, setup, "四点钟学校自习室", capacity=40, facilities="课桌椅 40 套、图书角",
        hours={d: ("08:00", "21:00") for d in range(7)},
        allowed_bookers=(BOOKER_INTERNAL, BOOKER_ORGANISATION), advance_days=180)
    service.create_room(session, setup, "乒乓球室", capacity=8, facilities="球台 2 张",
                        max_minutes=120, max_per_month=8)
    service.create_room(session, setup, "邻里会事厅", capacity=50, facilities="圆桌、话筒",
                        hours={d: ("08:00", "21:30") for d in range(7)})
    orgs = [service.create_organisation(session, setup, n, kind=k, contact=c, phone=p)
            for n, k, c, p in PARTNERS]

    # The four o'clock school: every weekday afternoon this term, holidays skipped.
    first = dt.datetime.combine(start_day, dt.time(16), CENTRE_TZ)
    while first.weekday() >= 5:
        first += dt.timedelta(days=1)
    term = service.create_series(
        session, setup,
        service.BookingRequest(study.id, first, first + dt.timedelta(hours=2),
                               service.internal_booker("四点钟学校"), "课后托管与作业辅导", 35),
        f"FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;UNTIL={today.year + 1}0122",
        skip_holidays=True, skip_conflicts=True)

    residents = list(session.scalars(select(Resident).where(Resident.status == STATUS_ACTIVE)
                                     .limit(30)))
    desk = operators.get_operator(session, "lin")
    rooms = {r.name: r for r in service.list_rooms(session)}
    made = len(term.bookings)
    for offset in range(-60, 22):
        day = today + dt.timedelta(days=offset)
        morning = dt.datetime.combine(day, dt.time(7, 30), CENTRE_TZ)
        for room_name, purposes in ACTIVITIES:
            room = rooms[room_name]
            for _ in range(rng.randint(0, 3)):
                hour = rng.choice([9, 10, 14, 15, 19])
                start = dt.datetime.combine(day, dt.time(hour), CENTRE_TZ)
                length = rng.choice([60, 90, 120])
                booker = _pick_booker(session, rng, room, orgs, residents)
                if booker is None:
                    continue
                # Made a few days ahead; some meeting-room requests come from the desk
                # and wait for approval.
                by = _at(admin, morning - dt.timedelta(days=3))
                if room.needs_approval and rng.random() < 0.4:
                    by = operators.actor_for(desk, FixedClock(morning - dt.timedelta(days=1)))
                req = service.BookingRequest(
                    room.id, start, start + dt.timedelta(minutes=length), booker,
                    rng.choice(purposes), rng.randint(2, max(2, min(room.capacity, 40))))
                try:
                    service.book(session, by, req)
                    made += 1
                except RuleError:
                    continue
        if offset < 0:
            _settle_day(session, admin, day, rng)
    return tr("场地预约：{rooms} 个场地、{orgs} 个合作单位、{n} 条预约", rooms=len(rooms),
              orgs=len(orgs), n=made)


def _pick_booker(session: Session, rng: random.Random, room: service.RoomInfo,
                 orgs: list[service.OrganisationInfo], residents: list[Resident]
                 ) -> service.Booker | None:
    kinds = [k for k in room.allowed_bookers if k != BOOKER_RESIDENT or residents]
    kind = rng.choice(kinds)
    if kind == BOOKER_ORGANISATION:
        return service.organisation_booker(session, rng.choice(orgs).id)
    if kind == BOOKER_RESIDENT:
        return service.resident_booker(session, rng.choice(residents).id)
    return service.internal_booker(rng.choice(["社工站", "党群服务中心", "志愿者服务队"]))


def _settle_day(session: Session, admin: Actor, day: dt.date, rng: random.Random) -> None:
    """What happened on a past day: most came, some never did, a few cancelled."""
    for b in service.list_bookings(session, day, day, include_cancelled=False):
        roll = rng.random()
        if b.status == "pending":
            service.approve(session, _at(admin, b.start - dt.timedelta(days=1)), b.id)
        if roll < 0.8:
            service.check_in(session, _at(admin, b.start + dt.timedelta(minutes=5)), b.id)
        elif roll < 0.9:
            service.mark_no_show(session, _at(admin, b.start + dt.timedelta(minutes=30)), b.id)
        else:
            service.cancel(session, _at(admin, b.start - dt.timedelta(hours=3)), b.id,
                           rng.choice(["活动改期", "人数不足", "天气原因"]))
