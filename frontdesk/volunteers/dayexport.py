"""Volunteers' part of a day's close and export: sheets 志愿服务, 积分兑换, 库存 and totals.

Rows follow the column order of ``frontdesk.dayclose.format`` (docs/export-format.md).
Warnings (to resolve or acknowledge before closing):
- ``volunteers.open``: a volunteer signed in that day and never signed out (their hours
  would be missing from the day);
- ``volunteers.stock``: an item's movements of the day do not add up
  (opening + in − out ≠ closing), or its stock differs from its movements (账物不符).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.core.i18n import tr
from frontdesk.core.masking import mask_id_number
from frontdesk.core.operators import Operator
from frontdesk.dayclose import format as fmt
from frontdesk.dayclose.package import Row
from frontdesk.dayclose.registry import DayPart, DayWarning, ExportOptions
from frontdesk.residents.models import Resident
from frontdesk.volunteers.models import (
    MOVE_COUNT,
    MOVE_REDEMPTION,
    MOVE_RESTOCK,
    MOVE_REVERSAL,
    MOVE_WRITEOFF,
    RECORD_OPEN,
    RECORD_VOID,
    REDEMPTION_REVERSED,
    SOURCE_DESK,
    Activity,
    ActivityCategory,
    Goods,
    Redemption,
    RedemptionLine,
    ServiceRecord,
    StockMovement,
    Volunteer,
)

STATUS_VALID, STATUS_VOID = fmt.STATUS_VALID, fmt.STATUS_VOID
# 变动类型 words of the 库存 sheet (docs/export-format.md); 盘点 splits into 盘盈 / 盘亏.
MOVE_WORDS = {MOVE_RESTOCK: "入库", MOVE_REDEMPTION: "兑换出库", MOVE_REVERSAL: "作废冲回",
              MOVE_WRITEOFF: "报损"}


def _operator_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Operator.username, Operator.display_name)).all())


def cell_int(cell: object) -> int:
    """An integer cell of a row (0 for an empty one)."""
    return cell if isinstance(cell, int) else 0


def service_rows(session: Session, day: dt.date) -> list[Row]:
    """The 志愿服务 rows of ``day``: finished and voided records, by time then id."""
    names = _operator_names(session)
    stmt = (select(ServiceRecord, Volunteer.number, Resident.name, Resident.id_number,
                   Activity.name, ActivityCategory.name)
            .join(Volunteer, Volunteer.id == ServiceRecord.volunteer_id)
            .join(Resident, Resident.id == Volunteer.resident_id)
            .join(Activity, Activity.id == ServiceRecord.activity_id)
            .join(ActivityCategory, ActivityCategory.id == Activity.category_id)
            .where(ServiceRecord.service_date == day, ServiceRecord.status != RECORD_OPEN))
    found = sorted(session.execute(stmt).all(),
                   key=lambda row: (row[0].started_at or row[0].created_at, row[0].id))
    rows: list[Row] = []
    for r, number, name, id_number, activity, category in found:
        void = r.status == RECORD_VOID
        rows.append((
            f"FW{r.id:06d}", number, name, mask_id_number(id_number), activity, category,
            r.started_at, r.ended_at, r.credited_minutes, r.points,
            "签到签退" if r.source == SOURCE_DESK else "手工补录", r.reason,
            names.get(r.created_by, r.created_by), STATUS_VOID if void else STATUS_VALID,
            r.void_reason if void else ""))
    return rows


def redemption_rows(session: Session, day: dt.date) -> list[Row]:
    """The 积分兑换 rows of ``day``: one per item redeemed, by time then number."""
    names = _operator_names(session)
    stmt = (select(Redemption, RedemptionLine, Volunteer.number, Resident.name)
            .join(RedemptionLine, RedemptionLine.redemption_id == Redemption.id)
            .join(Volunteer, Volunteer.id == Redemption.volunteer_id)
            .join(Resident, Resident.id == Volunteer.resident_id)
            .where(Redemption.business_date == day)
            .order_by(Redemption.at, Redemption.id, RedemptionLine.id))
    rows: list[Row] = []
    for r, line, number, name in session.execute(stmt):
        void = r.status == REDEMPTION_REVERSED
        rows.append((r.number, r.at, number, name, line.goods_name, line.quantity,
                     line.unit_points, line.points, r.balance_after,
                     names.get(r.operator, r.operator), STATUS_VOID if void else STATUS_VALID,
                     r.reversed_reason if void else ""))
    return rows


def stock_rows(session: Session, day: dt.date) -> list[Row]:
    """The 库存 rows of ``day``: every stock movement, by time then id."""
    names = _operator_names(session)
    stmt = (select(StockMovement, Goods.name, Goods.unit, Redemption.number)
            .join(Goods, Goods.id == StockMovement.goods_id)
            .outerjoin(Redemption, Redemption.id == StockMovement.redemption_id)
            .where(StockMovement.business_date == day)
            .order_by(StockMovement.at, StockMovement.id))
    rows: list[Row] = []
    for m, goods, unit, number in session.execute(stmt):
        if m.kind == MOVE_COUNT:
            word = "盘盈" if m.quantity > 0 else "盘亏"
        else:
            word = MOVE_WORDS.get(m.kind, m.kind)
        # A redemption's movement carries its number as the reason: that is the 关联单号.
        reason = "" if m.kind == MOVE_REDEMPTION else m.reason
        rows.append((f"KC{m.id:06d}", m.at, goods, unit or "件", word, m.quantity,
                     m.stock_after, number or "", reason, names.get(m.operator, m.operator)))
    return rows


@dataclass(frozen=True)
class StockDayLine:
    """One item's stock over a day: opening + in − out = closing."""

    name: str
    opening: int
    stock_in: int
    stock_out: int
    closing: int

    @property
    def reconciles(self) -> bool:
        return self.opening + self.stock_in - self.stock_out == self.closing


def stock_day_lines(session: Session, day: dt.date) -> list[StockDayLine]:
    """Every item that had stock or movement: opening and closing come from the movements'
    own running stock, so a missing or changed movement shows as a line that does not add up."""
    lines = []
    for g in session.scalars(select(Goods).order_by(Goods.id)):
        opening = session.scalar(
            select(StockMovement.stock_after)
            .where(StockMovement.goods_id == g.id, StockMovement.business_date < day)
            .order_by(StockMovement.id.desc()).limit(1)) or 0
        closing = session.scalar(
            select(StockMovement.stock_after)
            .where(StockMovement.goods_id == g.id, StockMovement.business_date <= day)
            .order_by(StockMovement.id.desc()).limit(1))
        stock_in, stock_out = session.execute(
            select(func.coalesce(func.sum(StockMovement.quantity)
                                 .filter(StockMovement.quantity > 0), 0),
                   func.coalesce(-func.sum(StockMovement.quantity)
                                 .filter(StockMovement.quantity < 0), 0))
            .where(StockMovement.goods_id == g.id, StockMovement.business_date == day)).one()
        if closing is None and not stock_in and not stock_out:
            continue  # never stocked yet
        lines.append(StockDayLine(g.name, opening, int(stock_in), int(stock_out),
                                  opening if closing is None else closing))
    return lines


def day_part(session: Session, day: dt.date, options: ExportOptions) -> DayPart:
    """Volunteers' sheets, totals, warnings (and PDFs when asked) for ``day``."""
    service = service_rows(session, day)
    redemptions = redemption_rows(session, day)
    stock = stock_rows(session, day)
    valid_service = [r for r in service if r[13] == STATUS_VALID]
    valid_redemptions = [r for r in redemptions if r[10] == STATUS_VALID]
    quantities = [cell_int(r[5]) for r in stock]
    totals = {
        "volunteer_people": len(valid_service),
        "volunteer_minutes": sum(cell_int(r[8]) for r in valid_service),
        "points_earned": sum(cell_int(r[9]) for r in valid_service),
        "points_redeemed": sum(cell_int(r[7]) for r in valid_redemptions),
        # 兑换笔数 counts redemptions (兑换单号), not the item rows of the sheet.
        "redemptions": len({r[0] for r in valid_redemptions}),
        "stock_in": sum(q for q in quantities if q > 0),
        "stock_out": -sum(q for q in quantities if q < 0),
    }
    warnings: list[DayWarning] = []
    still_open = session.scalar(select(func.count()).select_from(ServiceRecord).where(
        ServiceRecord.service_date == day, ServiceRecord.status == RECORD_OPEN)) or 0
    if still_open:
        warnings.append(DayWarning("volunteers.open", tr(
            "有 {n} 位志愿者签到后未签退，当天的服务时长不完整：请先为他们签退。", n=still_open)))
    broken = [ln.name for ln in stock_day_lines(session, day) if not ln.reconciles]
    from frontdesk.volunteers.shop import stock_problems

    problems = stock_problems(session)
    if broken or problems:
        warnings.append(DayWarning("volunteers.stock", tr(
            "积分超市库存账物不符：{items}。请管理员盘点核查。",
            items="、".join(broken) or "；".join(problems))))
    pdfs: dict[str, bytes] = {}
    if options.with_pdfs:
        from frontdesk.core.actor import Actor
        from frontdesk.volunteers import papers

        printer = Actor.system()
        pdfs["volunteer_service.pdf"] = papers.day_service_sheet(session, printer, day)
        pdfs["points_shop_stock.pdf"] = papers.day_shop_sheet(session, printer, day)
    return DayPart(sheets={fmt.VOLUNTEER: service, fmt.REDEMPTIONS: redemptions,
                           fmt.STOCK: stock},
                   totals=totals, warnings=tuple(warnings), pdfs=pdfs)
