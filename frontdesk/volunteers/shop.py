"""积分超市: goods priced in points, every stock movement recorded, baskets redeemed.

Stock and points change in one transaction. Both are taken with conditional UPDATEs
("stock = stock − n WHERE stock ≥ n"), so when two desks take the last item or the last
points at the same moment exactly one succeeds and the other is told why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from frontdesk.core import audit
from frontdesk.core.actor import Actor
from frontdesk.core.centre import centre_info
from frontdesk.core.dayguard import ensure_day_open
from frontdesk.core.errors import NotFoundError, RuleError
from frontdesk.core.i18n import N_, tr
from frontdesk.core.textfields import clean_line
from frontdesk.residents.models import Resident
from frontdesk.volunteers import ledger
from frontdesk.volunteers.models import (
    MOVE_COUNT,
    MOVE_REDEMPTION,
    MOVE_RESTOCK,
    MOVE_REVERSAL,
    MOVE_WRITEOFF,
    REDEEMED,
    REDEMPTION_DONE,
    REDEMPTION_REVERSED,
    REVERSED,
    Goods,
    Redemption,
    RedemptionLine,
    StockMovement,
    Volunteer,
)
from frontdesk.volunteers.service import get_volunteer

MOVE_LABELS = {
    MOVE_RESTOCK: N_("入库"), MOVE_REDEMPTION: N_("兑换"), MOVE_WRITEOFF: N_("报损"),
    MOVE_COUNT: N_("盘点"), MOVE_REVERSAL: N_("兑换冲销"),
}
MAX_QUANTITY = 10_000
NAME_LIMIT, UNIT_LIMIT = 100, 16  # the columns of shop_goods
OPENING_STOCK = N_("期初库存")  # the reason on an item's first movement


@dataclass(frozen=True)
class GoodsInfo:
    """An item of the shop."""

    id: int
    name: str
    unit: str
    points_price: int
    stock: int
    active: bool


@dataclass(frozen=True)
class BasketLine:
    """What the desk wants to redeem: an item and how many."""

    goods_id: int
    quantity: int


@dataclass(frozen=True)
class ReceiptLine:
    """One printed line of a redemption."""

    name: str
    quantity: int
    unit_points: int
    points: int


@dataclass(frozen=True)
class RedemptionReceipt:
    """Everything the 80 mm redemption receipt shows (the renderer comes with the PDFs)."""

    redemption_id: int
    number: str
    centre_name: str
    at: dt.datetime
    volunteer_number: str
    volunteer_name: str
    lines: tuple[ReceiptLine, ...]
    total_points: int
    balance_before: int
    balance_after: int
    operator: str
    reversed: bool


def _goods_info(g: Goods) -> GoodsInfo:
    return GoodsInfo(g.id, g.name, g.unit, g.points_price, g.stock, g.active)


def list_goods(session: Session, *, include_inactive: bool = False) -> list[GoodsInfo]:
    """The shop's goods, by name."""
    stmt = select(Goods).order_by(Goods.id)
    if not include_inactive:
        stmt = stmt.where(Goods.active.is_(True))
    return [_goods_info(g) for g in session.scalars(stmt)]


def find_goods(session: Session, name_or_id: str) -> GoodsInfo:
    """An item by its name or number."""
    text = name_or_id.strip()
    g = session.scalar(select(Goods).where(Goods.name == text))
    if g is None and text.isdigit():
        g = session.get(Goods, int(text))
    if g is None:
        raise NotFoundError(tr("积分超市没有“{name}”。", name=text))
    return _goods_info(g)


def _check_price(points_price: int) -> None:
    if not 0 < points_price <= 100_000:
        raise RuleError(tr("兑换积分应为 1 到 100000 之间的整数。"))


def add_goods(session: Session, actor: Actor, name: str, points_price: int,
              unit: str = "", opening_stock: int = 0) -> GoodsInfo:
    """Put a new item in the shop (admins only), with its opening stock (期初库存).

    The opening stock is a stock movement like any other (入库, reason 期初库存), so the
    shop's stock reconciles from the first day; a negative stock is refused.
    """
    actor.require_admin()
    name = clean_line(tr("物品名称"), name, limit=NAME_LIMIT, required=True)
    unit = clean_line(tr("计量单位"), unit, limit=UNIT_LIMIT)
    _check_price(points_price)
    if opening_stock < 0:
        raise RuleError(tr("期初库存不能是负数。"))
    if opening_stock > MAX_QUANTITY:
        raise RuleError(tr("期初库存最多 {max}。", max=MAX_QUANTITY))
    if session.scalar(select(Goods).where(Goods.name == name)) is not None:
        raise RuleError(tr("已有名为“{name}”的物品。", name=name))
    g = Goods(name=name, unit=unit, points_price=points_price, stock=0, active=True,
              created_at=actor.now())
    session.add(g)
    session.flush()
    audit.record(session, actor, "shop.goods.add", "shop_goods", g.id,
                 f"{name}: {points_price} points, opening stock {opening_stock}")
    if opening_stock:
        _move(session, actor, g.id, MOVE_RESTOCK, opening_stock, tr(OPENING_STOCK))
    session.refresh(g)
    return _goods_info(g)


def set_price(session: Session, actor: Actor, goods_id: int, points_price: int) -> GoodsInfo:
    """Change an item's price in points (past redemptions keep their price)."""
    actor.require_admin()
    g = _goods(session, goods_id)
    _check_price(points_price)
    old = g.points_price
    g.points_price = points_price
    audit.record(session, actor, "shop.goods.price", "shop_goods", g.id,
                 f"{g.name}: {old} → {points_price}")
    return _goods_info(g)


def update_goods(session: Session, actor: Actor, goods_id: int, *, name: str, unit: str,
                 points_price: int, active: bool) -> GoodsInfo:
    """Edit an item (admins): name, unit, price; take it off the shelf or back (上架/下架).

    Past redemptions keep the name and price they had; stock only moves by movements.
    """
    actor.require_admin()
    g = _goods(session, goods_id)
    name = clean_line(tr("物品名称"), name, limit=NAME_LIMIT, required=True)
    unit = clean_line(tr("计量单位"), unit, limit=UNIT_LIMIT)
    _check_price(points_price)
    if name != g.name and session.scalar(select(Goods).where(Goods.name == name)) is not None:
        raise RuleError(tr("已有名为“{name}”的物品。", name=name))
    before = f"{g.name}/{g.unit}/{g.points_price}/{'on' if g.active else 'off'}"
    g.name, g.unit, g.points_price, g.active = name, unit, points_price, active
    audit.record(session, actor, "shop.goods.update", "shop_goods", g.id,
                 f"{before} → {name}/{g.unit}/{points_price}/{'on' if active else 'off'}")
    return _goods_info(g)


def _goods(session: Session, goods_id: int) -> Goods:
    g = session.get(Goods, goods_id)
    if g is None:
        raise NotFoundError(tr("积分超市没有这件物品（编号 {id}）。", id=goods_id))
    return g


def _move(session: Session, actor: Actor, goods_id: int, kind: str, quantity: int,
          reason: str, redemption_id: int | None = None) -> int:
    """Change stock by ``quantity`` and record the movement; refuses negative stock."""
    ensure_day_open(session, actor.today())  # the movement is dated today
    new_stock = session.execute(
        update(Goods).where(Goods.id == goods_id, Goods.stock + quantity >= 0)
        .values(stock=Goods.stock + quantity).returning(Goods.stock)).scalar()
    if new_stock is None:
        g = _goods(session, goods_id)
        raise RuleError(tr("“{name}”库存不足：现有 {stock}，需要 {need}。", name=g.name,
                           stock=g.stock, need=-quantity))
    # (Goods already in the session were updated by the UPDATE itself: "auto" synchronise.)
    session.add(StockMovement(goods_id=goods_id, kind=kind, quantity=quantity,
                              stock_after=new_stock, at=actor.now(),
                              business_date=actor.today(), reason=reason,
                              operator=actor.username, redemption_id=redemption_id))
    return new_stock


def _check_quantity(quantity: int) -> None:
    if quantity <= 0 or quantity > MAX_QUANTITY:
        raise RuleError(tr("数量应为 1 到 {max} 之间的整数。", max=MAX_QUANTITY))


def restock(session: Session, actor: Actor, goods_id: int, quantity: int,
            reason: str = "") -> GoodsInfo:
    """入库: goods arrive."""
    _check_quantity(quantity)
    g = _goods(session, goods_id)
    _move(session, actor, goods_id, MOVE_RESTOCK, quantity, reason.strip())
    audit.record(session, actor, "shop.restock", "shop_goods", goods_id,
                 f"{g.name} +{quantity}; {reason}")
    return _goods_info(_goods(session, goods_id))


def write_off(session: Session, actor: Actor, goods_id: int, quantity: int,
              reason: str) -> GoodsInfo:
    """报损: damaged or lost goods leave the stock, with a reason."""
    _check_quantity(quantity)
    if not reason.strip():
        raise RuleError(tr("报损必须填写原因。"))
    g = _goods(session, goods_id)
    _move(session, actor, goods_id, MOVE_WRITEOFF, -quantity, reason.strip())
    audit.record(session, actor, "shop.writeoff", "shop_goods", goods_id,
                 f"{g.name} -{quantity}; {reason}")
    return _goods_info(_goods(session, goods_id))


def count_stock(session: Session, actor: Actor, goods_id: int, counted: int,
                reason: str) -> GoodsInfo:
    """盘点: set the stock to what was counted; the difference is recorded with a reason."""
    if counted < 0 or counted > 1_000_000:
        raise RuleError(tr("盘点数量不能为负数。"))
    if not reason.strip():
        raise RuleError(tr("盘点调整必须填写原因。"))
    g = _goods(session, goods_id)
    difference = counted - g.stock
    if difference != 0:
        _move(session, actor, goods_id, MOVE_COUNT, difference, reason.strip())
    audit.record(session, actor, "shop.count", "shop_goods", goods_id,
                 f"{g.name}: counted {counted} ({difference:+d}); {reason}")
    return _goods_info(_goods(session, goods_id))


def _next_number(session: Session, actor: Actor) -> str:
    day = actor.today()
    prefix = f"DH{day:%Y%m%d}-"
    count = session.scalar(select(func.count()).select_from(Redemption)
                           .where(Redemption.business_date == day)) or 0
    return f"{prefix}{count + 1:04d}"


def redeem(session: Session, actor: Actor, volunteer_id: int, basket: list[BasketLine], *,
           request_key: str | None = None) -> RedemptionReceipt:
    """Redeem a basket: points and stock leave together, or nothing changes.

    Refused with a clear message when points or stock fall short. Retrying with the same
    ``request_key`` returns the first redemption.
    """
    if request_key:
        existing = session.scalar(select(Redemption).where(Redemption.request_key == request_key))
        if existing is not None:
            return receipt(session, existing.id)
    if not basket:
        raise RuleError(tr("兑换清单是空的。"))
    volunteer = session.get(Volunteer, volunteer_id)
    if volunteer is None:
        raise NotFoundError(tr("没有这位志愿者（编号 {id}）。", id=volunteer_id))
    if not volunteer.active:
        raise RuleError(tr("这位志愿者已停用。"))
    merged: dict[int, int] = {}
    for line in basket:
        _check_quantity(line.quantity)
        merged[line.goods_id] = merged.get(line.goods_id, 0) + line.quantity
    found = {g.id: g for g in session.scalars(select(Goods).where(Goods.id.in_(merged)))}
    lines: list[RedemptionLine] = []
    for goods_id, quantity in merged.items():
        g = found.get(goods_id)
        if g is None:
            raise NotFoundError(tr("积分超市没有这件物品（编号 {id}）。", id=goods_id))
        if not g.active:
            raise RuleError(tr("“{name}”已下架。", name=g.name))
        lines.append(RedemptionLine(goods_id=g.id, goods_name=g.name, quantity=quantity,
                                    unit_points=g.points_price,
                                    points=g.points_price * quantity))
    total = sum(line.points for line in lines)
    balance_before = volunteer.balance
    if total > balance_before:
        raise RuleError(tr("积分不足：当前余额 {balance} 分，需要 {need} 分。",
                           balance=balance_before, need=total))
    # A savepoint: a refusal half-way (the last item just went) undoes this basket's
    # rows even if the caller goes on to commit other work.
    with session.begin_nested():
        # Queue behind other desks' ledger writes before numbering (PostgreSQL; SQLite's
        # BEGIN IMMEDIATE already has): two desks must not both take the day's next number.
        ledger.lock(session)
        redemption = Redemption(
            number=_next_number(session, actor), volunteer_id=volunteer_id, at=actor.now(),
            business_date=actor.today(), total_points=total, balance_before=balance_before,
            balance_after=balance_before - total, operator=actor.username,
            status=REDEMPTION_DONE, request_key=request_key or None, lines=lines)
        session.add(redemption)
        session.flush()
        for item in lines:
            _move(session, actor, item.goods_id, MOVE_REDEMPTION, -item.quantity,
                  redemption.number, redemption.id)
        entry = ledger.append(session, actor, volunteer_id, REDEEMED, -total,
                              reason=redemption.number, source_key=f"redeem:{redemption.id}",
                              redemption_id=redemption.id)
    # Another desk may have spent points since we read the balance: trust the ledger.
    redemption.balance_before = entry.balance_after + total
    redemption.balance_after = entry.balance_after
    name = session.scalar(select(Resident.name).where(Resident.id == volunteer.resident_id))
    audit.record(session, actor, "shop.redeem", "redemption", redemption.id,
                 f"{redemption.number} {volunteer.number} {total} points: "
                 + ", ".join(f"{ln.goods_name}×{ln.quantity}" for ln in lines))
    return _receipt(session, redemption, volunteer.number, name or "")


def reverse_redemption(session: Session, actor: Actor, redemption_id: int,
                       reason: str) -> RedemptionReceipt:
    """Undo a redemption (admins, with a reason): points and stock come back as new entries."""
    actor.require_admin()
    reason = reason.strip()
    if not reason:
        raise RuleError(tr("冲销必须填写原因。"))
    r = session.get(Redemption, redemption_id)
    if r is None:
        raise NotFoundError(tr("没有这条兑换记录。"))
    if r.status == REDEMPTION_REVERSED:
        raise RuleError(tr("这条兑换记录已经冲销过。"))
    ensure_day_open(session, r.business_date)  # the redemption's own day changes status
    for line in r.lines:
        _move(session, actor, line.goods_id, MOVE_REVERSAL, line.quantity,
              f"{r.number}: {reason}", r.id)
    original = ledger.find_by_source(session, f"redeem:{r.id}")
    ledger.append(session, actor, r.volunteer_id, REVERSED, r.total_points,
                  reason=f"{r.number}: {reason}", source_key=f"unredeem:{r.id}",
                  redemption_id=r.id, reverses_id=original.id if original else None)
    r.status = REDEMPTION_REVERSED
    r.reversed_reason = reason
    r.reversed_at = actor.now()
    r.reversed_by = actor.username
    audit.record(session, actor, "shop.redeem.reverse", "redemption", r.id,
                 f"{r.number}; {reason}")
    return receipt(session, r.id)


def _receipt(session: Session, r: Redemption, volunteer_number: str,
             volunteer_name: str) -> RedemptionReceipt:
    return RedemptionReceipt(
        r.id, r.number, centre_info(session).name, r.at, volunteer_number,
        volunteer_name,
        tuple(ReceiptLine(ln.goods_name, ln.quantity, ln.unit_points, ln.points)
              for ln in r.lines),
        r.total_points, r.balance_before, r.balance_after, r.operator,
        r.status == REDEMPTION_REVERSED)


def receipt(session: Session, redemption_id: int) -> RedemptionReceipt:
    """The plain data of a redemption's receipt."""
    r = session.get(Redemption, redemption_id)
    if r is None:
        raise NotFoundError(tr("没有这条兑换记录。"))
    v = get_volunteer(session, r.volunteer_id)
    return _receipt(session, r, v.number, v.name)


def list_redemptions(session: Session, volunteer_id: int | None = None,
                     limit: int = 200) -> list[RedemptionReceipt]:
    """Recent redemptions, newest first."""
    stmt = select(Redemption.id).order_by(Redemption.id.desc())
    if volunteer_id is not None:
        stmt = stmt.where(Redemption.volunteer_id == volunteer_id)
    return [receipt(session, rid) for rid in session.scalars(stmt.limit(limit))]



def stock_problems(session: Session) -> list[str]:
    """Goods whose stock differs from the sum of their movements (账物不符), as messages."""
    totals = {goods_id: total for goods_id, total in session.execute(
        select(StockMovement.goods_id, func.sum(StockMovement.quantity))
        .group_by(StockMovement.goods_id))}
    return [tr("“{name}”库存 {stock} 与出入库记录合计 {total} 不符", name=g.name, stock=g.stock,
               total=int(totals.get(g.id) or 0))
            for g in session.scalars(select(Goods).order_by(Goods.id))
            if g.stock != int(totals.get(g.id) or 0)]
