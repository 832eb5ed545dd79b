"""The audit trail: who changed what, when — written in the same transaction as the change."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Date, ForeignKey, Index, String, Text, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from frontdesk.core.actor import Actor
from frontdesk.core.clock import to_local
from frontdesk.core.models import Base

SUMMARY_LIMIT = 2000


class AuditEntry(Base):
    """One audited action (审计记录)."""

    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_entity", "entity", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(index=True)
    business_date: Mapped[dt.date] = mapped_column(Date, index=True)
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operator.id"))
    operator_username: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(Text, default="")


@dataclass(frozen=True)
class AuditRow:
    """An audit entry as screens and reports show it."""

    id: int
    at: dt.datetime
    operator: str
    action: str
    entity: str
    entity_id: str | None
    summary: str


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: object | None = None,
    summary: str = "",
) -> AuditEntry:
    """Add an audit row for ``action`` on ``entity`` to the session's transaction."""
    now = actor.now()
    entry = AuditEntry(
        at=now,
        business_date=to_local(now).date(),
        operator_id=actor.operator_id,
        operator_username=actor.username,
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        summary=summary[:SUMMARY_LIMIT],
    )
    session.add(entry)
    return entry


def describe_change(before: dict[str, object], after: dict[str, object]) -> str:
    """A short "field: old → new" summary of what differs between two snapshots."""
    parts = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old != new:
            parts.append(f"{key}: {old!s} → {new!s}")
    return "; ".join(parts)


def query_audit(
    session: Session,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    operator: str | None = None,
    action: str | None = None,
    text: str | None = None,
    limit: int = 500,
    offset: int = 0,
) -> list[AuditRow]:
    """Audit rows, newest first, filtered by date range, operator, action and free text."""
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc())
    if date_from is not None:
        stmt = stmt.where(AuditEntry.business_date >= date_from)
    if date_to is not None:
        stmt = stmt.where(AuditEntry.business_date <= date_to)
    if operator:
        stmt = stmt.where(AuditEntry.operator_username == operator)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    if text:
        like = f"%{text}%"
        stmt = stmt.where(
            AuditEntry.summary.like(like)
            | AuditEntry.entity.like(like)
            | AuditEntry.entity_id.like(like)
        )
    rows = session.scalars(stmt.limit(limit).offset(offset))
    return [
        AuditRow(r.id, r.at, r.operator_username, r.action, r.entity, r.entity_id, r.summary)
        for r in rows
    ]


def audit_actions(session: Session) -> list[str]:
    """The distinct actions recorded so far (for a filter list)."""
    return list(session.scalars(select(AuditEntry.action).group_by(AuditEntry.action)))


def count_audit(session: Session) -> int:
    """How many audit rows there are."""
    return session.scalar(select(func.count()).select_from(AuditEntry)) or 0
