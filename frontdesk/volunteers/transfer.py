"""Volunteers' part of a centre's setup file: teams (no members, no leader), service
categories with their points, activities, and the points shop's goods (no stock)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.centre_setup import Item, SetupSection
from frontdesk.core.actor import Actor
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import N_, tr
from frontdesk.volunteers.models import ActivityCategory
from frontdesk.volunteers.service import (
    create_activity,
    create_category,
    create_team,
    list_activities,
    list_categories,
    list_teams,
)
from frontdesk.volunteers.shop import add_goods, list_goods


def _teams(session: Session) -> list[Item]:
    return [{"name": name} for _id, name, _leader in list_teams(session)]


def _create_team(session: Session, actor: Actor, item: Item) -> None:
    create_team(session, actor, str(item["name"]))


def _categories(session: Session) -> list[Item]:
    return [{"name": name, "points_per_hour": points}
            for _id, name, points in list_categories(session)]


def _create_category(session: Session, actor: Actor, item: Item) -> None:
    create_category(session, actor, str(item["name"]), int(item["points_per_hour"]))


def _activities(session: Session) -> list[Item]:
    return [{"name": a.name, "category": a.category, "fixed_points": a.fixed_points,
             "cap_minutes": a.cap_minutes} for a in list_activities(session)]


def _create_activity(session: Session, actor: Actor, item: Item) -> None:
    category = session.scalar(select(ActivityCategory.id).where(
        ActivityCategory.name == str(item["category"])))
    if category is None:
        raise RuleError(tr("没有名为“{name}”的服务类别。", name=item["category"]))
    cap = item.get("cap_minutes")
    fixed = item.get("fixed_points")
    create_activity(session, actor, str(item["name"]), category,
                    fixed_points=None if fixed is None else int(fixed),
                    cap_hours=None if cap is None else int(cap) / 60)


def _goods(session: Session) -> list[Item]:
    return [{"name": g.name, "points_price": g.points_price, "unit": g.unit}
            for g in list_goods(session)]


def _create_goods(session: Session, actor: Actor, item: Item) -> None:
    add_goods(session, actor, str(item["name"]), int(item["points_price"]),
              str(item.get("unit", "")))


TEAMS = SetupSection("volunteers.teams", N_("志愿服务队"), _teams, _create_team)
CATEGORIES = SetupSection("volunteers.categories", N_("志愿服务类别与积分"), _categories,
                          _create_category)
ACTIVITIES = SetupSection("volunteers.activities", N_("志愿服务项目"), _activities,
                          _create_activity)
GOODS = SetupSection("volunteers.goods", N_("积分超市物品"), _goods, _create_goods)
