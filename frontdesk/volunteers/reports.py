"""Statements, the 志愿服务证明's data, and the reports a centre hands to the town.

Printed documents are rendered elsewhere from the plain data gathered here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from frontdesk.core import audit, settings
from frontdesk.core.actor import Actor
from frontdesk.core.centre import centre_info
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import N_, tr
from frontdesk.core.masking import mask_id_number
from frontdesk.residents.models import Resident
from frontdesk.volunteers.models import (
    EARNED,
    MOVE_COUNT,
    MOVE_REDEMPTION,
    MOVE_RESTOCK,
    MOVE_REVERSAL,
    MOVE_WRITEOFF,
    RECORD_DONE,
    REDEEMED,
    REDEMPTION_DONE,
    Certificate,
    Goods,
    PointsEntry,
    Redemption,
    RedemptionLine,
    ServiceRecord,
    StockMovement,
    Volunteer,
    VolunteerTeam,
)
from frontdesk.volunteers.service import ServiceInfo, get_volunteer, list_records

ID_TYPE_LABELS = {"ric": N_("居民身份证"), "hmt": N_("港澳台居民居住证"), "passport": N_("护照"),
                  "none": N_("无")}


def hours(minutes: int) -> float:
    """Minutes as hours with two decimals, as paper shows them."""
    return round(minutes / 60, 2)


@dataclass(frozen=True)
class Statement:
    """A volunteer's statement over a period: services, hours, points in and out."""

    volunteer_number: str
    name: str
    team: str
    period_from: dt.date
    period_to: dt.date
    services: tuple[ServiceInfo, ...]
    total_minutes: int
    points_earned: int
    points_redeemed: int
    points_other: int  # adjustments, expiry, reversals
    balance_now: int


def statement(session: Session, volunteer_id: int, date_from: dt.date,
              date_to: dt.date) -> Statement:
    """Hours and points of one volunteer between two dates (inclusive)."""
    if date_from > date_to:
        raise RuleError(tr("开始日期不能晚于结束日期。"))
    v = get_volunteer(session, volunteer_id)
    services = [s for s in list_records(session, volunteer_id, date_from, date_to, limit=100_000)
                if s.status == RECORD_DONE]
    sums: dict[str, int] = defaultdict(int)
    for kind, total in session.execute(
            select(PointsEntry.kind, func.sum(PointsEntry.points))
            .where(PointsEntry.volunteer_id == volunteer_id,
                   PointsEntry.business_date.between(date_from, date_to))
            .group_by(PointsEntry.kind)):
        sums[kind] = int(total or 0)
    other = sum(t for k, t in sums.items() if k not in (EARNED, REDEEMED))
    return Statement(v.number, v.name, v.team, date_from, date_to,
                     tuple(sorted(services, key=lambda s: (s.service_date, s.id))),
                     sum(s.minutes for s in services), sums[EARNED], -sums[REDEEMED], other,
                     v.balance)


@dataclass(frozen=True)
class CertificateData:
    """Every field of a 志愿服务证明 (民政部令第67号): the renderer adds layout and seal."""

    number: str
    name: str
    id_type: str
    id_number: str  # masked unless the full number was asked for (and logged)
    volunteer_number: str
    period_from: dt.date
    period_to: dt.date
    total_hours: float
    service_content: tuple[str, ...]  # activities with their hours
    issuer: str
    head: str  # 负责人
    handler: str  # 经办人
    contact: str
    issued_on: dt.date
    seal: str = ""  # 印章文字: the unit's name on the seal (blank: the issuer's name)


def issue_certificate(session: Session, actor: Actor, volunteer_id: int, date_from: dt.date,
                      date_to: dt.date, *, full_id: bool = False) -> CertificateData:
    """Number and record a certificate of service hours; returns what it shows.

    The ID number is masked (350582********1234) unless ``full_id``: some bodies want the
    full number on the person's own proof; that is logged as a view of the full number.
    """
    if full_id:
        actor.require_admin()
    st = statement(session, volunteer_id, date_from, date_to)
    if st.total_minutes <= 0:
        raise RuleError(tr("这段时间没有服务记录，无法开具证明。"))
    v = session.get(Volunteer, volunteer_id)
    assert v is not None
    resident = session.get(Resident, v.resident_id)
    assert resident is not None
    year = actor.today().year
    count = session.scalar(select(func.count()).select_from(Certificate)
                           .where(Certificate.number.like(f"ZYZM{year}-%"))) or 0
    number = f"ZYZM{year}-{count + 1:05d}"
    session.add(Certificate(number=number, volunteer_id=volunteer_id, period_from=date_from,
                            period_to=date_to, minutes=st.total_minutes, issued_at=actor.now(),
                            issued_by=actor.username))
    by_activity: dict[str, int] = defaultdict(int)
    for s in st.services:
        by_activity[s.activity] += s.minutes
    content = tuple(tr("{activity} {h} 小时", activity=name, h=f"{hours(m):g}")
                    for name, m in sorted(by_activity.items(), key=lambda kv: -kv[1]))
    centre = centre_info(session)
    audit.record(session, actor, "volunteer.certificate", "volunteer", volunteer_id,
                 f"{number}: {date_from}–{date_to}, {st.total_minutes} min"
                 + ("; full ID number printed" if full_id and resident.id_number else ""))
    if full_id and resident.id_number:
        audit.record(session, actor, "resident.id_shown", "resident", resident.id,
                     f"full ID number on certificate {number}")
    return CertificateData(
        number, resident.name, tr(ID_TYPE_LABELS.get(resident.id_type, resident.id_type)),
        (resident.id_number or "") if full_id else mask_id_number(resident.id_number),
        v.number, date_from, date_to, hours(st.total_minutes),
        content, centre.name, settings.get(session, "volunteers.certificate_head"),
        actor.display_name, settings.get(session, "volunteers.certificate_contact"),
        actor.today(), settings.get(session, "volunteers.certificate_seal"))


# -- reports -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Report:
    """A report table: a title, column headings and rows (plain values)."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]


def hours_by_team_month(session: Session, date_from: dt.date, date_to: dt.date) -> Report:
    """Service hours, points and volunteers per team and month."""
    month = func.substr(cast(ServiceRecord.service_date, String), 1, 7)
    rows = session.execute(
        select(func.coalesce(VolunteerTeam.name, ""), month,
               func.sum(ServiceRecord.minutes), func.sum(ServiceRecord.points),
               func.count(func.distinct(ServiceRecord.volunteer_id)))
        .join(Volunteer, Volunteer.id == ServiceRecord.volunteer_id)
        .outerjoin(VolunteerTeam, VolunteerTeam.id == Volunteer.team_id)
        .where(ServiceRecord.status == RECORD_DONE,
               ServiceRecord.service_date.between(date_from, date_to))
        .group_by(VolunteerTeam.name, month))
    # Sorted here, not in SQL: databases put NULL (no team) first (SQLite) or last
    # (PostgreSQL) and order Chinese text by their own collation. Month, then team, 未分队 last.
    ordered = sorted(rows, key=lambda row: (row[1], not row[0], row[0]))
    return Report(tr("服务时长（按队伍、月份）"),
                  (tr("队伍"), tr("月份"), tr("小时"), tr("积分"), tr("志愿者人数")),
                  tuple((team or tr("未分队"), m, hours(int(mins or 0)), int(pts or 0), int(n))
                        for team, m, mins, pts, n in ordered))


def top_volunteers(session: Session, date_from: dt.date, date_to: dt.date,
                   limit: int = 20) -> Report:
    """The volunteers with the most service hours in the period."""
    total = func.sum(ServiceRecord.minutes)
    rows = session.execute(
        select(Volunteer.number, Resident.name, total, func.sum(ServiceRecord.points))
        .join(Volunteer, Volunteer.id == ServiceRecord.volunteer_id)
        .join(Resident, Resident.id == Volunteer.resident_id)
        .where(ServiceRecord.status == RECORD_DONE,
               ServiceRecord.service_date.between(date_from, date_to))
        .group_by(Volunteer.id, Volunteer.number, Resident.name)
        .order_by(total.desc(), Volunteer.number).limit(limit))
    return Report(tr("服务时长排行"), (tr("名次"), tr("志愿者编号"), tr("姓名"), tr("小时"),
                                       tr("积分")),
                  tuple((i, num, name, hours(int(m or 0)), int(p or 0))
                        for i, (num, name, m, p) in enumerate(rows, start=1)))


def points_liability(session: Session) -> Report:
    """Points still owed to volunteers (the sum of balances), per volunteer and in total."""
    rows = list(session.execute(
        select(Volunteer.number, Resident.name, Volunteer.balance)
        .join(Resident, Resident.id == Volunteer.resident_id)
        .where(Volunteer.balance > 0).order_by(Volunteer.balance.desc(), Volunteer.number)))
    total = sum(b for _, _, b in rows)
    return Report(tr("积分负债（未兑换积分）"), (tr("志愿者编号"), tr("姓名"), tr("积分余额")),
                  (*((n, name, b) for n, name, b in rows), (tr("合计"), "", total)))


@dataclass(frozen=True)
class StockLine:
    """One item's stock over a period: opening + in − out = closing."""

    name: str
    opening: int
    restocked: int
    returned: int  # redemptions reversed
    redeemed: int
    written_off: int
    counted: int  # 盘点 differences (signed)
    closing: int

    @property
    def reconciles(self) -> bool:
        return (self.opening + self.restocked + self.returned - self.redeemed
                - self.written_off + self.counted == self.closing)


def stock_lines(session: Session, date_from: dt.date, date_to: dt.date) -> list[StockLine]:
    """Every item's movements in the period; closing comes from the movements' own
    running stock, so a movement missing or changed shows as a line that does not add up."""
    lines = []
    for g in session.scalars(select(Goods).order_by(Goods.id)):
        before = session.scalar(
            select(StockMovement.stock_after).where(StockMovement.goods_id == g.id,
                                                    StockMovement.business_date < date_from)
            .order_by(StockMovement.id.desc()).limit(1)) or 0
        last = session.scalar(
            select(StockMovement.stock_after).where(StockMovement.goods_id == g.id,
                                                    StockMovement.business_date <= date_to)
            .order_by(StockMovement.id.desc()).limit(1))
        sums: dict[str, int] = defaultdict(int)
        for kind, qty in session.execute(
                select(StockMovement.kind, func.sum(StockMovement.quantity))
                .where(StockMovement.goods_id == g.id,
                       StockMovement.business_date.between(date_from, date_to))
                .group_by(StockMovement.kind)):
            sums[kind] = int(qty or 0)
        lines.append(StockLine(g.name, before, sums[MOVE_RESTOCK], sums[MOVE_REVERSAL],
                               -sums[MOVE_REDEMPTION], -sums[MOVE_WRITEOFF], sums[MOVE_COUNT],
                               before if last is None else last))
    return lines


def stock_report(session: Session, date_from: dt.date, date_to: dt.date) -> Report:
    """The stock reconciliation (账物相符) as a table."""
    return Report(
        tr("库存对账（期初 + 入库 − 出库 = 期末）"),
        (tr("物品"), tr("期初"), tr("入库"), tr("冲销退回"), tr("兑换"), tr("报损"),
         tr("盘点差异"), tr("期末"), tr("是否相符")),
        tuple((ln.name, ln.opening, ln.restocked, ln.returned, ln.redeemed, ln.written_off,
               ln.counted, ln.closing, tr("相符") if ln.reconciles else tr("不符"))
              for ln in stock_lines(session, date_from, date_to)))


def redemptions_by_item(session: Session, date_from: dt.date, date_to: dt.date) -> Report:
    """How many of each item were redeemed, and for how many points."""
    rows = session.execute(
        select(RedemptionLine.goods_name, func.sum(RedemptionLine.quantity),
               func.sum(RedemptionLine.points), func.count(func.distinct(Redemption.id)))
        .join(Redemption, Redemption.id == RedemptionLine.redemption_id)
        .where(Redemption.status == REDEMPTION_DONE,
               Redemption.business_date.between(date_from, date_to))
        .group_by(RedemptionLine.goods_name).order_by(func.sum(RedemptionLine.points).desc()))
    return Report(tr("兑换统计（按物品）"), (tr("物品"), tr("数量"), tr("积分"), tr("兑换次数")),
                  tuple((n, int(q), int(p), int(c)) for n, q, p, c in rows))


def all_reports(session: Session, date_from: dt.date, date_to: dt.date) -> list[Report]:
    """Every report for the period, in the order the workbook shows them."""
    return [hours_by_team_month(session, date_from, date_to),
            top_volunteers(session, date_from, date_to),
            points_liability(session),
            stock_report(session, date_from, date_to),
            redemptions_by_item(session, date_from, date_to)]


def write_xlsx(reports: list[Report], path: Path) -> Path:
    """Save reports as one workbook, a sheet each."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for i, report in enumerate(reports, start=1):
        title = f"{i} {report.title}"
        for ch in "[]:*?/\\":
            title = title.replace(ch, " ")
        ws = wb.create_sheet(title[:31])
        ws.append(list(report.headers))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in report.rows:
            ws.append(list(row))
        for col in ws.columns:
            width = max(len(str(c.value or "")) for c in col) * 2 + 2
            ws.column_dimensions[col[0].column_letter].width = min(40, width)
    wb.save(path)
    return path


def to_csv(report: Report) -> bytes:
    """A report as CSV, UTF-8 with BOM so Excel shows the Chinese."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(report.headers)
    writer.writerows(report.rows)
    return buf.getvalue().encode("utf-8-sig")

