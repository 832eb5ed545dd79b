"""Elder canteen tables (长者食堂): sessions, menus, funders, subsidy rules, tickets, pre-orders.

A ticket copies the price, the rule and every funder's share at issue time, so a later
rule or price change never rewrites it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from frontdesk.core.i18n import N_
from frontdesk.core.models import Base

# Meal types (类型).
DINE_IN, TAKEAWAY, DELIVERY = "dine_in", "takeaway", "delivery"
MEAL_TYPES = {DINE_IN: N_("堂食"), TAKEAWAY: N_("打包"), DELIVERY: N_("送餐")}

# Who ate: an elder (may be subsidised), staff or volunteer (counted, never claimed), a guest.
ELDER, STAFF, VOLUNTEER, GUEST = "elder", "staff", "volunteer", "guest"
DINER_KINDS = {ELDER: N_("长者"), STAFF: N_("工作人员"), VOLUNTEER: N_("志愿者"),
               GUEST: N_("其他就餐者")}

# Payment methods: recorded only, no payment integration.
PAYMENTS = {"cash": N_("现金"), "wechat": N_("微信"), "alipay": N_("支付宝"), "other": N_("其他")}

# Delivery states (送餐).
DELIVERY_PENDING, DELIVERY_SIGNED, DELIVERY_NOT_HOME = "pending", "signed", "not_home"
DELIVERY_STATES = {DELIVERY_PENDING: N_("待送"), DELIVERY_SIGNED: N_("已签收"),
                   DELIVERY_NOT_HOME: N_("不在家")}


class MealSession(Base):
    """A meal session of the day (餐次: 午餐, 晚餐) with its standard price and capacity."""

    __tablename__ = "canteen_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(20), unique=True)
    start_time: Mapped[str] = mapped_column(String(5))  # "HH:MM", centre time
    end_time: Mapped[str] = mapped_column(String(5))
    price_fen: Mapped[int] = mapped_column(Integer)
    capacity: Mapped[int | None] = mapped_column(Integer)
    menu: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class MealDay(Base):
    """One session on one date when it differs from the standard: menu, price, capacity, closed."""

    __tablename__ = "canteen_day"
    __table_args__ = (UniqueConstraint("session_id", "business_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("canteen_session.id"))
    business_date: Mapped[dt.date] = mapped_column(Date)
    menu: Mapped[str | None] = mapped_column(Text)
    price_fen: Mapped[int | None] = mapped_column(Integer)
    capacity: Mapped[int | None] = mapped_column(Integer)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)


class Funder(Base):
    """Who pays part of a meal (资助方): 政府补助, 村级/社区, 慈善; ``is_self`` is the diner."""

    __tablename__ = "canteen_funder"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    is_self: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class SubsidyRule(Base):
    """A subsidy rule (补助规则): who it matches, from when, and what each funder pays.

    Empty conditions match everyone. Lower ``priority`` numbers are tried first.
    """

    __tablename__ = "canteen_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    priority: Mapped[int] = mapped_column(Integer)
    effective_from: Mapped[dt.date] = mapped_column(Date)
    effective_to: Mapped[dt.date | None] = mapped_column(Date)  # inclusive
    min_age: Mapped[int | None] = mapped_column(Integer)
    max_age: Mapped[int | None] = mapped_column(Integer)
    tags: Mapped[str] = mapped_column(String(200), default="")  # any of, comma-separated
    hukou: Mapped[str | None] = mapped_column(String(16))
    meal_types: Mapped[str] = mapped_column(String(60), default="")  # comma-separated
    session_id: Mapped[int | None] = mapped_column(ForeignKey("canteen_session.id"))
    min_price_fen: Mapped[int | None] = mapped_column(Integer)  # "meal must cost ≥ X"
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]

    shares: Mapped[list[RuleShare]] = relationship(
        back_populates="rule", cascade="all, delete-orphan", lazy="selectin",
        order_by="RuleShare.id")


class RuleShare(Base):
    """What one funder pays under a rule: a fixed amount, or the rest of the price."""

    __tablename__ = "canteen_rule_share"

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("canteen_rule.id"))
    funder_id: Mapped[int] = mapped_column(ForeignKey("canteen_funder.id"))
    amount_fen: Mapped[int] = mapped_column(Integer, default=0)
    is_rest: Mapped[bool] = mapped_column(Boolean, default=False)

    rule: Mapped[SubsidyRule] = relationship(back_populates="shares")


class MealTicket(Base):
    """A 长者食堂 meal ticket (餐票): the meal, the diner and the split, copied at issue time."""

    __tablename__ = "canteen_ticket"
    __table_args__ = (
        Index("ix_canteen_ticket_day", "business_date", "session_id"),
        Index("ix_canteen_ticket_resident", "resident_id", "business_date"),
        # One live subsidised meal per elder, session and cap slot: two desks cannot both win.
        Index("uq_canteen_ticket_subsidy_slot", "resident_id", "business_date", "session_id",
              "subsidy_slot", unique=True,
              sqlite_where=text("subsidised AND NOT voided"),
              postgresql_where=text("subsidised AND NOT voided")),
        # Merging two records of one elder must keep that rule (residents.merge_residents).
        {"info": {"on_resident_merge": "frontdesk.canteen.service:prepare_resident_merge"}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    business_date: Mapped[dt.date] = mapped_column(Date)
    session_id: Mapped[int] = mapped_column(ForeignKey("canteen_session.id"))
    session_name: Mapped[str] = mapped_column(String(20))
    meal_type: Mapped[str] = mapped_column(String(16))
    diner_kind: Mapped[str] = mapped_column(String(16))
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id"))
    diner_name: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(100))  # 类别 as printed: the rule's name
    price_fen: Mapped[int] = mapped_column(Integer)
    self_pay_fen: Mapped[int] = mapped_column(Integer)
    subsidised: Mapped[bool] = mapped_column(Boolean, default=False)
    subsidy_slot: Mapped[int | None] = mapped_column(Integer)
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("canteen_rule.id"))
    rule_reason: Mapped[str] = mapped_column(Text, default="")
    override_reason: Mapped[str | None] = mapped_column(Text)
    payment: Mapped[str] = mapped_column(String(16))
    collector: Mapped[str | None] = mapped_column(String(100))  # 代领人
    route: Mapped[str | None] = mapped_column(String(50))
    delivery_status: Mapped[str | None] = mapped_column(String(16))
    delivery_note: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[dt.datetime | None]
    follow_up_done: Mapped[bool] = mapped_column(Boolean, default=False)
    pre_order_id: Mapped[int | None] = mapped_column(ForeignKey("canteen_pre_order.id"))
    issued_at: Mapped[dt.datetime]
    issued_by: Mapped[str] = mapped_column(String(64))
    printed_count: Mapped[int] = mapped_column(Integer, default=0)
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    void_reason: Mapped[str | None] = mapped_column(Text)
    voided_at: Mapped[dt.datetime | None]
    voided_by: Mapped[str | None] = mapped_column(String(64))

    shares: Mapped[list[TicketShare]] = relationship(
        back_populates="ticket", cascade="all, delete-orphan", lazy="selectin",
        order_by="TicketShare.id")


class TicketShare(Base):
    """One funder's share of a ticket, with the funder's name as it was then."""

    __tablename__ = "canteen_ticket_share"
    __table_args__ = (UniqueConstraint("ticket_id", "funder_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("canteen_ticket.id"))
    funder_id: Mapped[int] = mapped_column(ForeignKey("canteen_funder.id"))
    funder_name: Mapped[str] = mapped_column(String(50))
    amount_fen: Mapped[int] = mapped_column(Integer)

    ticket: Mapped[MealTicket] = relationship(back_populates="shares")


class PreOrder(Base):
    """A meal booked for a coming day (预订), for a person or a group, so the kitchen knows."""

    __tablename__ = "canteen_pre_order"
    __table_args__ = (Index("ix_canteen_pre_order_day", "business_date", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    business_date: Mapped[dt.date] = mapped_column(Date)
    session_id: Mapped[int] = mapped_column(ForeignKey("canteen_session.id"))
    meal_type: Mapped[str] = mapped_column(String(16))
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id"))
    group_name: Mapped[str | None] = mapped_column(String(100))
    count: Mapped[int] = mapped_column(Integer, default=1)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime]
    created_by: Mapped[str] = mapped_column(String(64))
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
