"""A resident's recent volunteering for their record (最近动态): service hours and redemptions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.core.clock import CENTRE_TZ
from frontdesk.core.i18n import N_, tr
from frontdesk.residents.activity import ActivityItem
from frontdesk.volunteers.models import (
    RECORD_OPEN,
    RECORD_VOID,
    REDEMPTION_REVERSED,
    Activity,
    Redemption,
    ServiceRecord,
    Volunteer,
)

AREA = N_("志愿服务")


def recent_activity(session: Session, resident_id: int, limit: int) -> list[ActivityItem]:
    """The resident's latest service records and redemptions, newest first."""
    vid = session.scalar(select(Volunteer.id).where(Volunteer.resident_id == resident_id))
    if vid is None:
        return []
    items: list[ActivityItem] = []
    for r, name in session.execute(
            select(ServiceRecord, Activity.name)
            .join(Activity, Activity.id == ServiceRecord.activity_id)
            .where(ServiceRecord.volunteer_id == vid)
            .order_by(ServiceRecord.id.desc()).limit(limit)):
        at = r.started_at or dt.datetime.combine(r.service_date, dt.time(12), CENTRE_TZ)
        if r.status == RECORD_OPEN:
            text = tr("{activity}：已签到，服务中", activity=name)
        else:
            text = tr("{activity}：{h} 小时，{points} 积分", activity=name,
                      h=f"{r.minutes / 60:g}", points=r.points)
            if r.status == RECORD_VOID:
                text += tr("（已作废）")
        items.append(ActivityItem(at, AREA, text))
    for red in session.scalars(select(Redemption).where(Redemption.volunteer_id == vid)
                               .order_by(Redemption.id.desc()).limit(limit)):
        text = tr("积分兑换 {number}：{items}，{n} 积分", number=red.number,
                  items="、".join(f"{ln.goods_name}×{ln.quantity}" for ln in red.lines),
                  n=red.total_points)
        if red.status == REDEMPTION_REVERSED:
            text += tr("（已冲销）")
        items.append(ActivityItem(red.at, AREA, text))
    items.sort(key=lambda item: item.at, reverse=True)
    return items[:limit]
