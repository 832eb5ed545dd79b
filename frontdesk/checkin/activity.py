"""A resident's recent check-ins for their record (ACTIVITY_PROVIDERS)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.core.i18n import N_, tr
from frontdesk.residents.activity import ActivityItem

from .models import Checkin, CheckinPurpose


def recent_checkins(session: Session, resident_id: int, limit: int) -> list[ActivityItem]:
    """The resident's latest ``limit`` check-ins, newest first (voided ones marked)."""
    rows = session.execute(
        select(Checkin.checked_in_at, CheckinPurpose.name, Checkin.duration_minutes,
               Checkin.operator_name, Checkin.voided)
        .join(CheckinPurpose, CheckinPurpose.id == Checkin.purpose_id)
        .where(Checkin.resident_id == resident_id)
        .order_by(Checkin.checked_in_at.desc(), Checkin.id.desc()).limit(limit))
    items = []
    for at, purpose, minutes, operator, voided in rows:
        text = tr("签到：{purpose}（接待人 {operator}）", purpose=tr(purpose), operator=operator)
        if minutes is not None:
            text += tr("，停留 {m} 分钟", m=minutes)
        if voided:
            text += tr("（已撤销）")
        items.append(ActivityItem(at, N_("签到"), text))
    return items
