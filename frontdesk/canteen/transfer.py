"""The canteen's part of a centre's setup file: funders, meal sessions, subsidy rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.canteen.models import Funder, MealSession, MealTicket, SubsidyRule
from frontdesk.canteen.service import RuleForm, create_funder, create_session, save_rule
from frontdesk.centre_setup import Item, SetupSection
from frontdesk.core.actor import Actor
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import N_, tr


def _tickets_issued(session: Session) -> str | None:
    count = session.scalar(select(func.count()).select_from(MealTicket)) or 0
    return tr("已经出过 {n} 张餐票", n=count) if count else None


def _funders(session: Session) -> list[Item]:
    rows = session.scalars(select(Funder).where(Funder.active.is_(True))
                           .order_by(Funder.sort_order, Funder.id))
    return [{"name": f.name, "self": f.is_self} for f in rows]


def _create_funder(session: Session, actor: Actor, item: Item) -> None:
    is_self = bool(item.get("self"))
    if is_self and session.scalar(select(Funder.id).where(Funder.is_self.is_(True))):
        return  # this centre has its own-payment funder already, under its own name
    create_funder(session, actor, str(item["name"]), is_self=is_self)


def _sessions(session: Session) -> list[Item]:
    rows = session.scalars(select(MealSession).where(MealSession.active.is_(True))
                           .order_by(MealSession.sort_order, MealSession.id))
    return [{"name": s.name, "start_time": s.start_time, "end_time": s.end_time,
             "price_fen": s.price_fen, "capacity": s.capacity} for s in rows]


def _create_session(session: Session, actor: Actor, item: Item) -> None:
    capacity = item.get("capacity")
    create_session(session, actor, str(item["name"]), str(item["start_time"]),
                   str(item["end_time"]), int(item["price_fen"]),
                   None if capacity is None else int(capacity))


def _rules(session: Session) -> list[Item]:
    funders = {f.id: f for f in session.scalars(select(Funder))}
    meal_sessions = {s.id: s.name for s in session.scalars(select(MealSession))}
    rows = session.scalars(select(SubsidyRule).where(SubsidyRule.active.is_(True))
                           .order_by(SubsidyRule.priority, SubsidyRule.id))
    items = []
    for r in rows:
        items.append({
            "name": r.name, "priority": r.priority,
            "effective_from": r.effective_from.isoformat(),
            "effective_to": r.effective_to.isoformat() if r.effective_to else None,
            # The diner's own share names no funder: each centre calls it its own way.
            "shares": [{"funder": None if funders[s.funder_id].is_self
                        else funders[s.funder_id].name,
                        "amount_fen": s.amount_fen, "rest": s.is_rest} for s in r.shares],
            "min_age": r.min_age, "max_age": r.max_age,
            "tags": sorted(t for t in r.tags.split(",") if t),
            "hukou": r.hukou,
            "meal_types": sorted(t for t in r.meal_types.split(",") if t),
            "session": meal_sessions.get(r.session_id) if r.session_id else None,
            "min_price_fen": r.min_price_fen,
        })
    return items


def _create_rule(session: Session, actor: Actor, item: Item) -> None:
    funders = {f.name: f.id for f in session.scalars(select(Funder).where(Funder.active.is_(True)))}
    self_id = session.scalar(select(Funder.id).where(Funder.is_self.is_(True)))
    shares = []
    for share in item["shares"]:
        name = share["funder"]
        funder_id = self_id if name is None else funders.get(str(name))
        if funder_id is None:
            raise RuleError(tr("没有名为“{name}”的资助方。", name=name))
        shares.append((funder_id, int(share["amount_fen"]), bool(share["rest"])))
    session_id = None
    if item.get("session"):
        session_id = session.scalar(select(MealSession.id).where(
            MealSession.name == str(item["session"])))
        if session_id is None:
            raise RuleError(tr("没有名为“{name}”的餐次。", name=item["session"]))
    end = item.get("effective_to")
    form = RuleForm(
        name=str(item["name"]), priority=int(item["priority"]),
        effective_from=dt.date.fromisoformat(str(item["effective_from"])),
        effective_to=dt.date.fromisoformat(str(end)) if end else None,
        shares=tuple(shares), min_age=_int_or_none(item.get("min_age")),
        max_age=_int_or_none(item.get("max_age")),
        tags=tuple(str(t) for t in item.get("tags", ())), hukou=item.get("hukou"),
        meal_types=tuple(str(t) for t in item.get("meal_types", ())), session_id=session_id,
        min_price_fen=_int_or_none(item.get("min_price_fen")))
    save_rule(session, actor, form)


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)


FUNDERS = SetupSection("canteen.funders", N_("长者食堂资助方"), _funders, _create_funder,
                       _tickets_issued)
SESSIONS = SetupSection("canteen.sessions", N_("长者食堂餐次"), _sessions, _create_session,
                        _tickets_issued)
RULES = SetupSection("canteen.rules", N_("助餐补助规则"), _rules, _create_rule, _tickets_issued)
