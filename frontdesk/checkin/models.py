"""Check-in tables (来访签到): purposes, check-ins, anonymous tallies, group visits.

Every row carries the centre's business date (indexed), so a day's sheet costs the same on a
five-year database as on a new one. Rows are voided with a reason, never deleted.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.core import operators as _operators  # noqa: F401  (table the FKs point at)
from frontdesk.core.i18n import N_
from frontdesk.core.models import Base

# The 1+6+X areas a purpose belongs to (code -> Chinese label, shown through tr()).
AREAS: dict[str, str] = {
    "party": N_("党建引领"),
    "elder": N_("老有所养"),
    "child": N_("幼有所育"),
    "health": N_("病有所医"),
    "food": N_("食有所安"),
    "leisure": N_("居有所乐"),
    "errand": N_("事有所办"),
    "x": N_("X（其他需求）"),
}

# The names the migration seeds, marked here so they are translated when shown.
SEEDED_NAMES = (
    N_("党建活动"), N_("助老服务"), N_("四点钟学校"), N_("健康咨询"), N_("长者食堂"),
    N_("文体活动"), N_("便民办事"), N_("红蜂驿站"), N_("其他"),
    N_("外卖员"), N_("快递员"), N_("环卫工人"),
)


class CheckinPurpose(Base):
    """Why someone came (事由), configurable by an admin."""

    __tablename__ = "checkin_purpose"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    area: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(default=0)
    hotkey: Mapped[str | None] = mapped_column(String(1))


class TallyGroup(Base):
    """A group of unnamed visitors counted by tally (外卖员, 快递员, 环卫工人, 其他)."""

    __tablename__ = "tally_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(default=0)


class Checkin(Base):
    """One visit by a (possibly temporary) resident: 签到, optional 签退."""

    __tablename__ = "checkin"
    __table_args__ = (
        Index("ix_checkin_business_date", "business_date"),
        Index("ix_checkin_resident_at", "resident_id", "checked_in_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"))
    purpose_id: Mapped[int] = mapped_column(ForeignKey("checkin_purpose.id"))
    checked_in_at: Mapped[dt.datetime]
    business_date: Mapped[dt.date] = mapped_column(Date)
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operator.id"))
    operator_name: Mapped[str] = mapped_column(String(50))
    checked_out_at: Mapped[dt.datetime | None]
    duration_minutes: Mapped[int | None]
    confirmed_repeat: Mapped[bool] = mapped_column(Boolean, default=False)
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    void_reason: Mapped[str | None] = mapped_column(String(200))
    voided_at: Mapped[dt.datetime | None]
    voided_by: Mapped[str | None] = mapped_column(String(64))


class TallyEntry(Base):
    """One click on a tally counter: ``count`` unnamed visitors of a group."""

    __tablename__ = "tally_entry"
    __table_args__ = (Index("ix_tally_entry_business_date", "business_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("tally_group.id"))
    count: Mapped[int] = mapped_column(default=1)
    at: Mapped[dt.datetime]
    business_date: Mapped[dt.date] = mapped_column(Date)
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operator.id"))
    operator_name: Mapped[str] = mapped_column(String(50))
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    void_reason: Mapped[str | None] = mapped_column(String(200))
    voided_at: Mapped[dt.datetime | None]
    voided_by: Mapped[str | None] = mapped_column(String(64))


class GroupVisit(Base):
    """A group arriving together (a school class): one entry with a head count."""

    __tablename__ = "group_visit"
    __table_args__ = (Index("ix_group_visit_business_date", "business_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation: Mapped[str] = mapped_column(String(100))
    head_count: Mapped[int]
    purpose_id: Mapped[int | None] = mapped_column(ForeignKey("checkin_purpose.id"))
    contact: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[dt.datetime]
    business_date: Mapped[dt.date] = mapped_column(Date)
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operator.id"))
    operator_name: Mapped[str] = mapped_column(String(50))
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    void_reason: Mapped[str | None] = mapped_column(String(200))
    voided_at: Mapped[dt.datetime | None]
    voided_by: Mapped[str | None] = mapped_column(String(64))
