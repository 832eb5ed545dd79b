"""The canteen's part of the day close and export (日结), and a resident's recent meals.

:func:`day_part` is the canteen's ``DAY_EXPORTERS`` entry: the 就餐 sheet (columns of
``frontdesk.dayclose.format``), the meal totals, the money the desk should hold per payment
method, and the warnings to settle before closing:

- ``canteen.delivery.unmarked``: deliveries not yet marked 已签收 or 不在家;
- ``canteen.delivery.not_home``: deliveries 不在家 still waiting for a follow-up;
- ``canteen.funder.unmapped``: a funder whose name does not say which export column
  (政府补助 / 村(社区)补助 / 慈善) it belongs to; its money is put under 慈善.

:func:`recent_meals` is the canteen's ``ACTIVITY_PROVIDERS`` entry.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.canteen.models import (
    DELIVERY,
    DELIVERY_NOT_HOME,
    DELIVERY_SIGNED,
    MEAL_TYPES,
    PAYMENTS,
    Funder,
    MealTicket,
)
from frontdesk.core.i18n import N_, tr
from frontdesk.core.masking import mask_id_number
from frontdesk.core.money import format_yuan
from frontdesk.core.operators import Operator
from frontdesk.dayclose import format as fmt
from frontdesk.dayclose.registry import DayPart, DayWarning, ExportOptions
from frontdesk.residents.activity import ActivityItem
from frontdesk.residents.models import Resident

GOV, VILLAGE, CHARITY = 0, 1, 2  # positions in fmt.FUNDERS (自付 is the ticket's self-pay)
# Words in a funder's name that tell its export column; village words are tried first
# because "社区" contains "区".
_COLUMN_WORDS = ((VILLAGE, ("村", "社区", "居委")),
                 (CHARITY, ("慈善", "捐", "公益", "基金")),
                 (GOV, ("政府", "民政", "财政", "市", "区", "镇", "街道", "县", "省")))


def funder_column(name: str) -> int | None:
    """Which export column (GOV, VILLAGE, CHARITY) a funder named ``name`` belongs to."""
    for column, words in _COLUMN_WORDS:
        if any(w in name for w in words):
            return column
    return None


def _age(birth: dt.date | None, day: dt.date) -> int | None:
    if birth is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def day_part(session: Session, day: dt.date, options: ExportOptions) -> DayPart:
    """The canteen's rows, totals, expected payments, warnings and PDFs for ``day``."""
    tickets = list(session.scalars(select(MealTicket).where(MealTicket.business_date == day)
                                   .order_by(MealTicket.issued_at, MealTicket.id)))
    residents = {r.id: (r.id_number, r.birth_date) for r in session.scalars(
        select(Resident).where(Resident.id.in_(
            {t.resident_id for t in tickets if t.resident_id is not None})))} if tickets else {}
    names = dict(session.execute(select(Operator.username, Operator.display_name)).all())
    columns: dict[int, int] = {}
    unmapped: list[str] = []
    for f in session.scalars(select(Funder).where(Funder.is_self.is_(False))):
        found = funder_column(f.name)
        if found is None:
            unmapped.append(f.name)
        columns[f.id] = CHARITY if found is None else found

    rows = []
    totals = dict.fromkeys(("meals", "meals_subsidised", "meals_delivered", "meal_price_fen",
                            "meal_gov_fen", "meal_village_fen", "meal_charity_fen",
                            "meal_self_fen"), 0)
    payments: dict[str, int] = {}
    unmarked: list[str] = []
    not_home: list[str] = []
    used_unmapped = False
    for t in tickets:
        shares = [0, 0, 0]
        for s in t.shares:
            shares[columns.get(s.funder_id, CHARITY)] += s.amount_fen
            used_unmapped = used_unmapped or funder_column(s.funder_name) is None
        id_number, birth = residents.get(t.resident_id or 0, (None, None))
        delivered = t.meal_type == DELIVERY
        result = ""
        if delivered and t.delivery_status == DELIVERY_SIGNED:
            result = "已送达"
        elif delivered and t.delivery_status == DELIVERY_NOT_HOME:
            result = "不在家"
        rows.append((
            day, t.number, t.issued_at, t.diner_name,
            (id_number or "") if options.full_id_numbers else mask_id_number(id_number),
            _age(birth, day), t.category, t.session_name, MEAL_TYPES.get(t.meal_type, ""),
            t.price_fen, *shares, t.self_pay_fen,
            PAYMENTS.get(t.payment, t.payment) if t.self_pay_fen else "",
            delivered, result, t.collector or "", t.override_reason or "",
            names.get(t.issued_by, t.issued_by),
            fmt.STATUS_VOID if t.voided else fmt.STATUS_VALID, t.void_reason or ""))
        if t.voided:
            continue
        totals["meals"] += 1
        totals["meals_subsidised"] += int(any(shares))
        totals["meals_delivered"] += int(delivered)
        totals["meal_price_fen"] += t.price_fen
        totals["meal_gov_fen"] += shares[GOV]
        totals["meal_village_fen"] += shares[VILLAGE]
        totals["meal_charity_fen"] += shares[CHARITY]
        totals["meal_self_fen"] += t.self_pay_fen
        if t.self_pay_fen:
            payments[t.payment] = payments.get(t.payment, 0) + t.self_pay_fen
        if delivered and not result:
            unmarked.append(t.diner_name)
        if delivered and t.delivery_status == DELIVERY_NOT_HOME and not t.follow_up_done:
            not_home.append(t.diner_name)
    for method in PAYMENTS:
        if method in payments:
            totals[f"cash_{method}_fen"] = payments[method]

    warnings = []
    if unmarked:
        warnings.append(DayWarning("canteen.delivery.unmarked", tr(
            "有 {n} 份送餐还没有标记“已签收”或“不在家”：{names}", n=len(unmarked),
            names="、".join(unmarked))))
    if not_home:
        warnings.append(DayWarning("canteen.delivery.not_home", tr(
            "有 {n} 份送餐“不在家”还没有回访：{names}", n=len(not_home),
            names="、".join(not_home))))
    if unmapped and used_unmapped:
        warnings.append(DayWarning("canteen.funder.unmapped", tr(
            "资助方“{names}”的名称看不出属于政府补助、村(社区)补助还是慈善，导出时计入慈善。"
            "请管理员改名（名称中含“政府”“村/社区”或“慈善”）。", names="、".join(unmapped))))

    pdfs: dict[str, bytes] = {}
    if options.with_pdfs:
        pdfs = _day_pdfs(session, day, any(t.meal_type == DELIVERY for t in tickets))
    return DayPart({fmt.MEALS: rows}, totals, payments, tuple(warnings), pdfs)


def _day_pdfs(session: Session, day: dt.date, deliveries: bool) -> dict[str, bytes]:
    """The day's 就餐登记表 (and 送餐路线单 when there were deliveries), byte-stable."""
    from frontdesk.canteen import papers, reports
    from frontdesk.core.centre import centre_info
    from frontdesk.core.clock import CENTRE_TZ
    from frontdesk.documents.styles import DocumentMeta

    # Printed "at" the end of the business day by the system: a re-export is identical.
    at = dt.datetime.combine(day, dt.time(23, 59), CENTRE_TZ)
    centre = centre_info(session).name
    pdfs = {"canteen_daily_sheet.pdf": papers.render_daily_sheet(
        reports.daily_sheet(session, day),
        DocumentMeta(centre, tr("长者食堂就餐登记表"), tr("系统"), at), invariant=True)}
    if deliveries:
        pdfs["canteen_route_sheet.pdf"] = papers.render_route_sheet(
            reports.route_sheet(session, day),
            DocumentMeta(centre, tr("长者食堂送餐路线单"), tr("系统"), at), invariant=True)
    return pdfs


def recent_meals(session: Session, resident_id: int, limit: int) -> list[ActivityItem]:
    """A resident's latest meal tickets, for the 最近动态 of their record."""
    rows = session.scalars(select(MealTicket).where(MealTicket.resident_id == resident_id)
                           .order_by(MealTicket.issued_at.desc(), MealTicket.id.desc())
                           .limit(limit))
    items = []
    for t in rows:
        summary = tr("{session} {type}，餐票 {number}，自付 {yuan} 元", session=t.session_name,
                     type=tr(MEAL_TYPES.get(t.meal_type, t.meal_type)), number=t.number,
                     yuan=format_yuan(t.self_pay_fen))
        if t.collector:
            summary += tr("，{who} 代领", who=t.collector)
        if t.voided:
            summary += tr("（已作废：{reason}）", reason=t.void_reason or "")
        items.append(ActivityItem(t.issued_at, N_("长者食堂"), summary))
    return items
