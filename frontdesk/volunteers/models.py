"""Volunteer tables: volunteers and teams, activities, service records, the points ledger
(a hash chain), the shop's goods, stock movements and redemptions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from frontdesk.core.models import Base

# Ledger entry kinds.
EARNED = "earned"
REDEEMED = "redeemed"
ADJUSTED = "adjusted"
EXPIRED = "expired"
REVERSED = "reversed"
ENTRY_KINDS = (EARNED, REDEEMED, ADJUSTED, EXPIRED, REVERSED)

# Where a service record came from.
SOURCE_DESK = "desk"  # signed in and out at the desk
SOURCE_MANUAL = "manual"  # added by hand (needs a reason)

RECORD_OPEN = "open"  # signed in, not yet out
RECORD_DONE = "done"
RECORD_VOID = "void"

# Stock movement kinds.
MOVE_RESTOCK = "restock"  # 入库
MOVE_REDEMPTION = "redemption"  # 兑换
MOVE_WRITEOFF = "writeoff"  # 报损
MOVE_COUNT = "count"  # 盘点
MOVE_REVERSAL = "reversal"  # 兑换冲销（退回库存）
MOVE_KINDS = (MOVE_RESTOCK, MOVE_REDEMPTION, MOVE_WRITEOFF, MOVE_COUNT, MOVE_REVERSAL)

REDEMPTION_DONE = "done"
REDEMPTION_REVERSED = "reversed"


class VolunteerTeam(Base):
    """A volunteer team (志愿服务队), e.g. 党员先锋服务队, with its leader."""

    __tablename__ = "volunteer_team"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    leader_resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime]


class Volunteer(Base):
    """A resident enrolled as a volunteer (志愿者). ``balance`` mirrors the ledger."""

    __tablename__ = "volunteer"
    __table_args__ = (
        CheckConstraint("balance >= 0", name="balance_not_negative"),
        # One volunteer per resident: merging two enrolled records is refused in words.
        {"info": {"on_resident_merge": "frontdesk.volunteers.service:prepare_resident_merge"}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id"), unique=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("volunteer_team.id"), index=True)
    joined_on: Mapped[dt.date] = mapped_column(Date)
    skills: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The running balance, updated in the same transaction as every ledger entry
    # (so a lookup is one row, whatever the ledger's length); verify checks it.
    balance: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime]


class ActivityCategory(Base):
    """A service category (服务类别) with its points per hour."""

    __tablename__ = "volunteer_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    points_per_hour: Mapped[int] = mapped_column(Integer, default=1)


class Activity(Base):
    """A kind of service (服务项目): its category, an optional fixed award and hour cap."""

    __tablename__ = "volunteer_activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("volunteer_category.id"))
    fixed_points: Mapped[int | None] = mapped_column(Integer)  # instead of per hour
    cap_minutes: Mapped[int | None] = mapped_column(Integer)  # most credited per record
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    category: Mapped[ActivityCategory] = relationship(lazy="joined")


class ServiceRecord(Base):
    """One stretch of service (服务记录): who, what, when, how long, verified by whom."""

    __tablename__ = "volunteer_service"
    __table_args__ = (
        Index("ix_volunteer_service_volunteer_date", "volunteer_id", "service_date"),
        CheckConstraint("minutes >= 0 AND minutes <= 1440", name="minutes_in_a_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteer.id"))
    activity_id: Mapped[int] = mapped_column(ForeignKey("volunteer_activity.id"))
    service_date: Mapped[dt.date] = mapped_column(Date, index=True)
    started_at: Mapped[dt.datetime | None]
    ended_at: Mapped[dt.datetime | None]
    minutes: Mapped[int] = mapped_column(Integer, default=0)  # actual service time
    credited_minutes: Mapped[int] = mapped_column(Integer, default=0)  # after the caps
    points: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")  # why it was added by hand
    verified_by: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[str] = mapped_column(String(16), default=RECORD_DONE)
    void_reason: Mapped[str] = mapped_column(Text, default="")
    # A save retried with the same key finds this record instead of adding another.
    request_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime]
    created_by: Mapped[str] = mapped_column(String(64))


class PointsEntry(Base):
    """One line of the append-only points ledger (积分流水).

    Entries form one chain: each stores the previous entry's hash and its own, so a
    changed, inserted or deleted row breaks the chain. ``source_key`` is unique, so the
    points for one service record (or one reversal) can only be written once.
    """

    __tablename__ = "points_entry"
    __table_args__ = (Index("ix_points_entry_volunteer", "volunteer_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteer.id"))
    kind: Mapped[str] = mapped_column(String(16))
    points: Mapped[int] = mapped_column(Integer)  # signed: + credit, − debit
    balance_after: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime]
    business_date: Mapped[dt.date] = mapped_column(Date, index=True)
    source_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    service_record_id: Mapped[int | None] = mapped_column(ForeignKey("volunteer_service.id"))
    redemption_id: Mapped[int | None] = mapped_column(ForeignKey("redemption.id"))
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("points_entry.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    operator: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class LedgerHead(Base):
    """The end of the ledger chain (one row): locked by every append, so appends queue."""

    __tablename__ = "points_ledger_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_entry_id: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))


class Goods(Base):
    """An item in the points shop (积分超市) with its price in points; ``stock`` mirrors
    the movements."""

    __tablename__ = "shop_goods"
    __table_args__ = (
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint("points_price > 0", name="price_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    unit: Mapped[str] = mapped_column(String(16), default="")
    points_price: Mapped[int] = mapped_column(Integer)
    stock: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime]


class StockMovement(Base):
    """Every change of stock (入库, 兑换, 报损, 盘点, 冲销) with who and why."""

    __tablename__ = "shop_stock_movement"
    __table_args__ = (Index("ix_shop_stock_movement_goods", "goods_id", "business_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    goods_id: Mapped[int] = mapped_column(ForeignKey("shop_goods.id"))
    kind: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[int] = mapped_column(Integer)  # signed
    stock_after: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime]
    business_date: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    operator: Mapped[str] = mapped_column(String(64))
    redemption_id: Mapped[int | None] = mapped_column(ForeignKey("redemption.id"))


class Redemption(Base):
    """A basket redeemed for points (积分兑换) at the desk."""

    __tablename__ = "redemption"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteer.id"), index=True)
    at: Mapped[dt.datetime]
    business_date: Mapped[dt.date] = mapped_column(Date, index=True)
    total_points: Mapped[int] = mapped_column(Integer)
    balance_before: Mapped[int] = mapped_column(Integer)
    balance_after: Mapped[int] = mapped_column(Integer)
    operator: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default=REDEMPTION_DONE)
    reversed_reason: Mapped[str] = mapped_column(Text, default="")
    reversed_at: Mapped[dt.datetime | None]
    reversed_by: Mapped[str | None] = mapped_column(String(64))
    request_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    lines: Mapped[list[RedemptionLine]] = relationship(
        back_populates="redemption", lazy="selectin", order_by="RedemptionLine.id")


class RedemptionLine(Base):
    """One item of a redemption, with the price in points it had that day."""

    __tablename__ = "redemption_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    redemption_id: Mapped[int] = mapped_column(ForeignKey("redemption.id"), index=True)
    goods_id: Mapped[int] = mapped_column(ForeignKey("shop_goods.id"))
    goods_name: Mapped[str] = mapped_column(String(100))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_points: Mapped[int] = mapped_column(Integer)
    points: Mapped[int] = mapped_column(Integer)

    redemption: Mapped[Redemption] = relationship(back_populates="lines")


class Certificate(Base):
    """A numbered 志愿服务证明 issued to a volunteer (the number is never reused)."""

    __tablename__ = "volunteer_certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteer.id"))
    period_from: Mapped[dt.date] = mapped_column(Date)
    period_to: Mapped[dt.date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[dt.datetime]
    issued_by: Mapped[str] = mapped_column(String(64))
