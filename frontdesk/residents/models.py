"""Resident tables (居民档案)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from frontdesk.core.models import Base

STATUS_ACTIVE = "active"
STATUS_MOVED = "moved"
STATUS_DECEASED = "deceased"
STATUSES = (STATUS_ACTIVE, STATUS_MOVED, STATUS_DECEASED)

ID_TYPE_RIC = "ric"  # 居民身份证
ID_TYPE_HMT = "hmt"  # 港澳台居民居住证
ID_TYPE_PASSPORT = "passport"
ID_TYPE_NONE = "none"
ID_TYPES = (ID_TYPE_RIC, ID_TYPE_HMT, ID_TYPE_PASSPORT, ID_TYPE_NONE)

HUKOU_LOCAL = "local"  # 本地户籍
HUKOU_NON_LOCAL = "non_local"  # 外来


class Resident(Base):
    """A person the centre serves (居民). Never deleted: moved away or deceased instead."""

    __tablename__ = "resident"
    __table_args__ = (
        Index("ix_resident_name", "name"),
        Index("ix_resident_phone", "phone"),
        Index("ix_resident_change_seq", "change_seq"),
        Index("ix_resident_household", "household"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    sex: Mapped[str | None] = mapped_column(String(1))  # "M" / "F"
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    id_type: Mapped[str] = mapped_column(String(16), default=ID_TYPE_NONE)
    # Normalised (upper-case X, no spaces); unique where present.
    id_number: Mapped[str | None] = mapped_column(String(32), unique=True)
    phone: Mapped[str | None] = mapped_column(String(32))
    address: Mapped[str | None] = mapped_column(String(500))
    grid: Mapped[str | None] = mapped_column(String(100))
    hukou: Mapped[str | None] = mapped_column(String(16))
    card_code: Mapped[str | None] = mapped_column(String(32), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=STATUS_ACTIVE)
    temporary: Mapped[bool] = mapped_column(Boolean, default=False)  # 临时 quick registration
    emergency_contact: Mapped[str | None] = mapped_column(String(100))
    emergency_phone: Mapped[str | None] = mapped_column(String(32))
    guardian_name: Mapped[str | None] = mapped_column(String(100))
    guardian_phone: Mapped[str | None] = mapped_column(String(32))
    consent_general: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_sensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_guardian: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_at: Mapped[dt.datetime | None]
    consent_by: Mapped[str | None] = mapped_column(String(64))
    notes: Mapped[str | None] = mapped_column(Text)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id"))
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    # Added by the residents registry (all after the original columns).
    household: Mapped[str | None] = mapped_column(String(64))  # 户号: who lives together
    name_pinyin: Mapped[str] = mapped_column(String(400), default="")  # search keys, see pinyin.py
    name_initials: Mapped[str] = mapped_column(String(100), default="")
    # Raised on every change; the in-memory search index reloads rows above what it has seen.
    change_seq: Mapped[int] = mapped_column(default=0)

    tags: Mapped[list[ResidentTag]] = relationship(
        back_populates="resident", cascade="all, delete-orphan", lazy="selectin",
        order_by="ResidentTag.tag",
    )


class ResidentTag(Base):
    """A tag on a resident (高龄, 独居, 低保, 党员 ...)."""

    __tablename__ = "resident_tag"
    __table_args__ = (UniqueConstraint("resident_id", "tag"), Index("ix_resident_tag_tag", "tag"))

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"))
    tag: Mapped[str] = mapped_column(String(32))

    resident: Mapped[Resident] = relationship(back_populates="tags")
