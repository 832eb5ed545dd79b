"""A resident's recent activity across features, for the detail form (最近动态).

Each feature adds a provider to ``ACTIVITY_PROVIDERS`` ("module:function"), a function
``(session, resident_id, limit) -> list[ActivityItem]`` that returns that resident's latest
records in its area (check-ins, meals, bookings, volunteer hours ...). The registry's own
provider lists changes to the record itself from the audit trail.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.core.audit import AuditEntry
from frontdesk.core.i18n import N_, tr


@dataclass(frozen=True)
class ActivityItem:
    """One thing a resident did or had done (shown newest first)."""

    at: dt.datetime
    area: str  # Chinese source text of the feature (签到, 长者食堂 ...), shown through tr()
    summary: str  # already in the user's language


ActivityProvider = Callable[[Session, int, int], list[ActivityItem]]

# "module:function" providers; each feature adds one line.
ACTIVITY_PROVIDERS: list[str] = [
    "frontdesk.residents.activity:record_changes",
    "frontdesk.rooms.service:resident_activity",
    "frontdesk.checkin.activity:recent_checkins",
    "frontdesk.canteen.dayexport:recent_meals",
    "frontdesk.volunteers.activity:recent_activity",
]

_ACTIONS = {
    "resident.create": N_("登记建档"),
    "resident.update": N_("修改档案"),
    "resident.status": N_("档案状态变更"),
    "resident.merge": N_("合并重复档案"),
    "resident.merged_away": N_("已合并到其他档案"),
    "resident.card": N_("补办居民卡"),
    "resident.import_update": N_("导入更新"),
}


def record_changes(session: Session, resident_id: int, limit: int) -> list[ActivityItem]:
    """The registry's provider: changes to the record (not views of the ID number)."""
    rows = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity == "resident", AuditEntry.entity_id == str(resident_id),
               AuditEntry.action.in_(list(_ACTIONS)))
        .order_by(AuditEntry.id.desc()).limit(limit))
    return [ActivityItem(r.at, N_("居民档案"),
                         tr("{what}（{who}）", what=tr(_ACTIONS[r.action]),
                            who=r.operator_username))
            for r in rows]


def recent_activity(session: Session, resident_id: int, limit: int = 20) -> list[ActivityItem]:
    """The latest ``limit`` items from every provider, newest first."""
    items: list[ActivityItem] = []
    for ref in ACTIVITY_PROVIDERS:
        module_name, func_name = ref.split(":")
        provider: ActivityProvider = getattr(importlib.import_module(module_name), func_name)
        items.extend(provider(session, resident_id, limit))
    items.sort(key=lambda item: item.at, reverse=True)
    return items[:limit]
