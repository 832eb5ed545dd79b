"""The canteen's readiness for the opening checklist; a starting canteen (funders, sessions,
rules from a reference design) for the demo, and bulk history.

The reference rules are data an admin edits afterwards; nothing here is hard-coded into
the engine. ``bulk_history`` writes past tickets fast (demo, benchmark) with the same
engine the desk uses.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from frontdesk.canteen.models import DINE_IN, ELDER, MealTicket, TicketShare
from frontdesk.canteen.service import (
    FULL_PRICE_ELDER,
    RuleForm,
    create_funder,
    create_session,
    diner_facts,
    list_funders,
    list_rules,
    list_sessions,
    save_rule,
)
from frontdesk.canteen.subsidy import RuleSpec, compute_split
from frontdesk.core.actor import Actor
from frontdesk.core.clock import CENTRE_TZ
from frontdesk.core.i18n import tr
from frontdesk.core.ids import after_explicit_ids
from frontdesk.core.readiness import ReadinessItem
from frontdesk.residents.service import ResidentInfo

# The page and tab whose forms set the canteen up (`frontdesk screenshot canteen:admin`).
SETUP_PAGE, SETUP_TAB = "canteen", "admin"  # the page and tab of the set-up forms


def readiness(session: Session, day: dt.date | None = None) -> list[ReadinessItem]:
    """Whether the canteen can sell meals and record subsidies (on ``day``, default: any)."""
    sessions = list_sessions(session, day or dt.date.min)  # any day: only whether one exists
    funders = [f for f in list_funders(session) if not f.is_self]
    rules = [r.spec for r in list_rules(session)]
    live = [r for r in rules if day is None or r.in_force(day)
            or r.effective_from > day]
    items = [
        ReadinessItem(
            "canteen.sessions", tr("餐次与价格"), bool(sessions),
            "" if sessions else tr("还没有餐次（如午餐：时间、价格、份数），不能出票。"),
            SETUP_PAGE, SETUP_TAB, needed=True),
        ReadinessItem(
            "canteen.funders", tr("资助方"), bool(funders),
            "" if funders else tr("还没有资助方（如政府补助、村级、慈善）。可以先按全价售餐；"
                                  "要记补助，请先添加资助方。"),
            SETUP_PAGE, SETUP_TAB, needed=False),
        ReadinessItem(
            "canteen.rules", tr("补助规则"), bool(live),
            "" if live else (tr("补助规则都已过期：现在所有长者都按全价付费。") if rules else
                             tr("还没有补助规则：现在所有长者都按全价付费，没有补助可申报。")),
            SETUP_PAGE, SETUP_TAB, needed=False),
    ]
    return items


# 广州增城-style reference design (DOMAIN.md), with a village share: a 12 元 lunch.
LUNCH_PRICE_FEN = 1200
HARDSHIP_TAGS = ("低保", "特困", "低收入")


def install_reference_canteen(session: Session, actor: Actor) -> bool:
    """Funders, 午餐/晚餐 and three reference rules, if the canteen is still empty."""
    if list_funders(session, include_inactive=True):
        return False
    gov = create_funder(session, actor, "政府补助")
    village = create_funder(session, actor, "村级/社区")
    create_funder(session, actor, "慈善")
    create_funder(session, actor, "个人自付", is_self=True)
    create_session(session, actor, "午餐", "11:00", "13:00", LUNCH_PRICE_FEN, 80,
                   "三菜一汤：红烧肉、清炒时蔬、番茄炒蛋、紫菜汤")
    create_session(session, actor, "晚餐", "17:00", "18:30", 1000, 40, "两荤两素")
    start = dt.date(2026, 1, 1)
    self_id = next(f.id for f in list_funders(session) if f.is_self)
    save_rule(session, actor, RuleForm(
        "困难老人", 10, start, None, ((self_id, 100, False), (gov.id, 0, True)),
        min_age=60, tags=HARDSHIP_TAGS))
    save_rule(session, actor, RuleForm(
        "高龄老人（80岁以上）", 20, start, None, ((gov.id, 700, False), (village.id, 200, False)),
        min_age=80))
    save_rule(session, actor, RuleForm(
        "本地老人（60-79岁）", 30, start, None, ((gov.id, 500, False), (village.id, 200, False)),
        min_age=60, max_age=79, hukou="local"))
    return True


@dataclass(frozen=True)
class HistoryResult:
    """What bulk_history wrote."""

    tickets: int
    shares: int


def bulk_history(session: Session, actor: Actor, residents: list[ResidentInfo],
                 first: dt.date, last: dt.date, per_day: int, rng: random.Random,
                 rules: list[RuleSpec], self_funder_id: int) -> HistoryResult:
    """Past lunch tickets for ``per_day`` elders a day, split by the engine; bulk-inserted."""
    lunch = next(s for s in list_sessions(session, last) if s.name == "午餐")
    next_id = (session.scalar(select(func.max(MealTicket.id))) or 0) + 1
    tickets: list[dict[str, object]] = []
    shares: list[dict[str, object]] = []
    day = first
    while day <= last:
        count = min(per_day, len(residents))
        issued = dt.datetime.combine(day, dt.time(11, 30), CENTRE_TZ)
        for seq, r in enumerate(rng.sample(residents, count), start=1):
            split = compute_split(diner_facts(r, day), day, lunch.id, DINE_IN, lunch.price_fen,
                                  rules, self_funder_id)
            tickets.append(dict(
                id=next_id, number=f"{day:%Y%m%d}-{seq:04d}", business_date=day,
                session_id=lunch.id, session_name=lunch.name, meal_type=DINE_IN,
                diner_kind=ELDER, resident_id=r.id, diner_name=r.name,
                category=split.rule_name if split.subsidised else FULL_PRICE_ELDER,
                price_fen=split.price_fen, self_pay_fen=split.self_pay_fen,
                subsidised=split.subsidised, subsidy_slot=1 if split.subsidised else None,
                rule_id=split.rule_id, rule_reason=split.reason, payment="cash",
                issued_at=issued + dt.timedelta(seconds=seq * 20), issued_by=actor.username,
                printed_count=1, voided=False, follow_up_done=False))
            shares.extend(dict(ticket_id=next_id, funder_id=s.funder_id,
                               funder_name=s.funder_name, amount_fen=s.amount_fen)
                          for s in split.shares)
            next_id += 1
        day += dt.timedelta(days=1)
    if tickets:
        session.execute(insert(MealTicket), tickets)
    if shares:
        session.execute(insert(TicketShare), shares)
    after_explicit_ids(session, MealTicket)
    return HistoryResult(len(tickets), len(shares))
