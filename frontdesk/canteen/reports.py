"""The canteen's paper, as plain data: the daily sheet (就餐登记表), the receipt, the monthly claim.

Renderers (PDF) take these dataclasses; the claim is also written as XLSX here. Every
amount is integer fen and every total is the exact sum of the rows it covers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.canteen.models import (
    DELIVERY,
    ELDER,
    MEAL_TYPES,
    PAYMENTS,
    Funder,
    MealTicket,
    TicketShare,
)
from frontdesk.canteen.service import TicketInfo, get_ticket, list_tickets
from frontdesk.core import audit, settings
from frontdesk.core.actor import Actor
from frontdesk.core.centre import CentreInfo, centre_info
from frontdesk.core.clock import to_local
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr
from frontdesk.residents.models import Resident


@dataclass(frozen=True)
class FunderColumn:
    """A funder as a column of a sheet or claim."""

    id: int
    name: str


def _funder_columns(session: Session, tickets: list[TicketInfo]) -> tuple[FunderColumn, ...]:
    """Active non-self funders plus any that paid for these tickets, in the funders' order."""
    used = {s.funder_id for t in tickets for s in t.shares}
    rows = session.scalars(select(Funder).where(Funder.is_self.is_(False))
                           .order_by(Funder.sort_order, Funder.id))
    return tuple(FunderColumn(f.id, f.name) for f in rows if f.active or f.id in used)


# -- daily sheet --------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetRow:
    """One line of the daily sheet; the 签名 column is left blank for the diner."""

    seq: int
    number: str
    name: str
    category: str
    session_name: str
    meal_type: str  # label, in the user's language
    price_fen: int
    shares: tuple[int, ...]  # aligned with DailySheet.funders
    self_pay_fen: int
    collector: str | None
    delivery: bool


@dataclass(frozen=True)
class CashLine:
    """The cash box for one payment method."""

    payment: str  # label
    count: int
    amount_fen: int


@dataclass(frozen=True)
class DailySheet:
    """就餐登记表: every live ticket of a day, totals per funder, and the cash box."""

    centre: CentreInfo
    day: dt.date
    funders: tuple[FunderColumn, ...]
    rows: tuple[SheetRow, ...]
    funder_totals: tuple[int, ...]
    price_total_fen: int
    self_pay_total_fen: int
    cash_box: tuple[CashLine, ...]
    subsidised_count: int
    staff_count: int
    voided_count: int


def daily_sheet(session: Session, day: dt.date) -> DailySheet:
    """The daily canteen sheet for ``day`` (voided tickets left out, but counted)."""
    all_tickets = list_tickets(session, day)
    tickets = [t for t in all_tickets if not t.voided]
    funders = _funder_columns(session, tickets)
    rows = tuple(
        SheetRow(i, t.number, t.diner_name, tr(t.category), t.session_name,
                 tr(MEAL_TYPES.get(t.meal_type, t.meal_type)), t.price_fen,
                 tuple(t.share_of(f.id) for f in funders), t.self_pay_fen, t.collector,
                 t.meal_type == DELIVERY)
        for i, t in enumerate(tickets, start=1))
    cash = []
    for code, label in PAYMENTS.items():
        paid = [t for t in tickets if t.payment == code]
        if paid:
            cash.append(CashLine(tr(label), len(paid), sum(t.self_pay_fen for t in paid)))
    return DailySheet(
        centre_info(session), day, funders, rows,
        tuple(sum(r.shares[i] for r in rows) for i in range(len(funders))),
        sum(r.price_fen for r in rows), sum(r.self_pay_fen for r in rows), tuple(cash),
        sum(1 for t in tickets if t.subsidised),
        sum(1 for t in tickets if t.diner_kind != ELDER and t.diner_kind != "guest"),
        len(all_tickets) - len(tickets))


# -- delivery route sheet -------------------------------------------------------------------


@dataclass(frozen=True)
class RouteStop:
    """One delivery on the route sheet; the signature is collected on paper."""

    seq: int
    number: str
    name: str
    address: str
    phone: str
    meal: str  # session and type
    session_name: str
    collector: str | None
    status: str  # label: 待送 / 已签收 / 不在家
    note: str


@dataclass(frozen=True)
class RouteSheet:
    """送餐路线单 (A4): the day's deliveries grouped by route, with address and phone."""

    centre: CentreInfo
    day: dt.date
    routes: tuple[tuple[str, tuple[RouteStop, ...]], ...]


def route_sheet(session: Session, day: dt.date) -> RouteSheet:
    """The day's live deliveries by route, each with the elder's address and phone."""
    from frontdesk.canteen.models import DELIVERY_STATES
    from frontdesk.canteen.service import delivery_list

    tickets = delivery_list(session, day)
    ids = {t.resident_id for t in tickets if t.resident_id is not None}
    contact = {r.id: (r.address or "", r.phone or "") for r in session.scalars(
        select(Resident).where(Resident.id.in_(ids)))} if ids else {}
    routes: dict[str, list[RouteStop]] = {}
    for t in tickets:
        route = t.route or tr("未分路线")
        stops = routes.setdefault(route, [])
        address, phone = contact.get(t.resident_id or 0, ("", ""))
        stops.append(RouteStop(
            len(stops) + 1, t.number, t.diner_name, address, phone,
            f"{t.session_name} {tr(MEAL_TYPES.get(t.meal_type, t.meal_type))}", t.session_name,
            t.collector,
            tr(DELIVERY_STATES.get(t.delivery_status or "pending", "")), t.delivery_note or ""))
    return RouteSheet(centre_info(session), day,
                      tuple((name, tuple(stops)) for name, stops in routes.items()))


# -- receipt ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    """What the 80 mm receipt shows."""

    centre_name: str
    number: str
    business_date: dt.date
    issued_at: dt.datetime  # centre time
    diner_name: str
    session_name: str
    meal_type: str
    menu: str
    price_fen: int
    shares: tuple[tuple[str, int], ...]  # (funder name, fen)
    self_pay_fen: int
    payment: str
    subsidised: bool
    category: str
    collector: str | None
    operator: str
    reprint: bool
    large_print: bool  # the printing.receipt_large_print setting
    voided: bool
    width_mm: int  # 80 or 58: the printing.receipt_width_mm setting


def receipt(session: Session, ticket_id: int) -> Receipt:
    """The receipt of a ticket (a reprint when it was printed before)."""
    from frontdesk.canteen.service import list_sessions

    t = get_ticket(session, ticket_id)
    menu = next((s.menu for s in list_sessions(session, t.business_date, include_inactive=True)
                 if s.id == t.session_id), "")
    from frontdesk.documents.service import receipt_large_print

    return Receipt(
        centre_info(session).name, t.number, t.business_date, to_local(t.issued_at),
        t.diner_name, t.session_name, tr(MEAL_TYPES.get(t.meal_type, t.meal_type)), menu,
        t.price_fen, tuple((s.funder_name, s.amount_fen) for s in t.shares), t.self_pay_fen,
        tr(PAYMENTS.get(t.payment, t.payment)), t.subsidised, tr(t.category), t.collector,
        t.issued_by, t.printed_count > 0, receipt_large_print(session), t.voided,
        int(settings.get(session, "printing.receipt_width_mm")))


# -- monthly claim ------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimRow:
    """One subsidised meal in a claim (per elder per day)."""

    day: dt.date
    session_name: str
    name: str
    id_number: str  # in full: the claim needs it (viewing is audited)
    category: str
    meal_type: str
    price_fen: int
    shares: tuple[int, ...]  # aligned with Claim.funders
    self_pay_fen: int
    delivery: bool
    number: str


@dataclass(frozen=True)
class ClaimTotal:
    """Totals for one category (or for the whole claim)."""

    label: str
    meals: int
    price_fen: int
    shares: tuple[int, ...]
    self_pay_fen: int


@dataclass(frozen=True)
class ElderTotal:
    """One elder's month: meal days, meals and each funder's share."""

    name: str
    id_number: str
    days: int
    meals: int
    shares: tuple[int, ...]
    self_pay_fen: int


@dataclass(frozen=True)
class Claim:
    """The monthly claim (补助申报): every subsidised elder meal, by category and elder."""

    centre: CentreInfo
    month: str  # "YYYY-MM"
    funders: tuple[FunderColumn, ...]
    rows: tuple[ClaimRow, ...]
    categories: tuple[ClaimTotal, ...]
    elders: tuple[ElderTotal, ...]
    total: ClaimTotal


def parse_month(text: str) -> tuple[dt.date, dt.date]:
    """The first and last day of "YYYY-MM"."""
    try:
        first = dt.datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError:
        raise RuleError(tr("月份格式应为 年-月，例如 2026-11。")) from None
    nxt = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, nxt - dt.timedelta(days=1)


def _total(label: str, rows: list[ClaimRow], width: int) -> ClaimTotal:
    return ClaimTotal(label, len(rows), sum(r.price_fen for r in rows),
                      tuple(sum(r.shares[i] for r in rows) for i in range(width)),
                      sum(r.self_pay_fen for r in rows))


def monthly_claim(session: Session, actor: Actor, month: str) -> Claim:
    """The claim for ``month``: live subsidised elder tickets only (voided and staff left out).

    Full ID numbers are shown, so producing a claim is audited.
    """
    first, last = parse_month(month)
    live = (MealTicket.business_date >= first, MealTicket.business_date <= last,
            MealTicket.voided.is_(False), MealTicket.subsidised.is_(True),
            MealTicket.diner_kind == ELDER)
    # Plain columns, not ORM objects: a month of a busy canteen is a few thousand rows.
    found = session.execute(
        select(MealTicket.id, MealTicket.business_date, MealTicket.session_name,
               MealTicket.diner_name, Resident.id_number, MealTicket.category,
               MealTicket.meal_type, MealTicket.price_fen, MealTicket.self_pay_fen,
               MealTicket.number)
        .join(Resident, Resident.id == MealTicket.resident_id).where(*live)
        .order_by(MealTicket.business_date, MealTicket.session_id, MealTicket.diner_name,
                  MealTicket.id)).all()
    ticket_shares: dict[int, list[tuple[int, int]]] = {}
    for ticket_id, funder_id, amount in session.execute(
            select(TicketShare.ticket_id, TicketShare.funder_id, TicketShare.amount_fen)
            .join(MealTicket, MealTicket.id == TicketShare.ticket_id).where(*live)):
        ticket_shares.setdefault(ticket_id, []).append((funder_id, amount))
    used = {f for pairs in ticket_shares.values() for f, _ in pairs}
    funders = tuple(FunderColumn(f.id, f.name) for f in session.scalars(
        select(Funder).where(Funder.is_self.is_(False)).order_by(Funder.sort_order, Funder.id))
        if f.active or f.id in used)
    index = {f.id: i for i, f in enumerate(funders)}
    type_labels = {code: tr(label) for code, label in MEAL_TYPES.items()}
    rows = []
    for tid, day, session_name, name, id_number, category, meal_type, price, self_pay, number \
            in found:
        shares = [0] * len(funders)
        for funder_id, amount in ticket_shares.get(tid, ()):
            shares[index[funder_id]] += amount
        rows.append(ClaimRow(day, session_name, name, id_number or "", category,
                             type_labels.get(meal_type, meal_type), price, tuple(shares),
                             self_pay, meal_type == DELIVERY, number))
    width = len(funders)
    by_category: dict[str, list[ClaimRow]] = {}
    by_elder: dict[tuple[str, str], list[ClaimRow]] = {}
    for r in rows:
        by_category.setdefault(r.category, []).append(r)
        by_elder.setdefault((r.id_number, r.name), []).append(r)
    categories = tuple(_total(c, rs, width) for c, rs in sorted(by_category.items()))
    elders = tuple(
        ElderTotal(name, idn, len({r.day for r in rs}), len(rs),
                   tuple(sum(r.shares[i] for r in rs) for i in range(width)),
                   sum(r.self_pay_fen for r in rs))
        for (idn, name), rs in sorted(by_elder.items(), key=lambda kv: kv[0][1]))
    audit.record(session, actor, "canteen.claim", "canteen_claim", month,
                 f"{month}: {len(rows)} meals (full ID numbers shown)")
    return Claim(centre_info(session), month, funders, tuple(rows), categories, elders,
                 _total(tr("合计"), rows, width))


def write_claim_xlsx(claim: Claim, out: Path) -> Path:
    """Write the claim as an Excel workbook: 明细, 按长者, 按类别 (amounts in 元)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)  # streams rows: a busy month stays fast
    bold = Font(bold=True)

    def cells(sheet: Any, values: list[Any], *, header: bool = False) -> list[Any]:
        row: list[Any] = []
        for value in values:
            if header or isinstance(value, float):  # only styled cells cost a wrapper
                cell = WriteOnlyCell(sheet, value=value)
                if header:
                    cell.font = bold
                else:
                    cell.number_format = "0.00"
                row.append(cell)
            else:
                row.append(value)  # dates get openpyxl's date format by themselves
        return row

    def yuan(fen: int) -> float:
        return fen / 100

    funder_names = [f.name for f in claim.funders]
    ws = wb.create_sheet(tr("明细"))
    ws.append(cells(ws, [tr("{centre} 长者食堂助餐补助申报 {month}", centre=claim.centre.name,
                            month=claim.month)], header=True))
    ws.append(cells(ws, [tr("日期"), tr("餐次"), tr("姓名"), tr("身份证号"), tr("类别"),
                         tr("类型"), tr("价格"), *funder_names, tr("自付"), tr("送餐"),
                         tr("餐票号")], header=True))
    yes = tr("是")
    for r in claim.rows:
        ws.append(cells(ws, [r.day, r.session_name, r.name, r.id_number, tr(r.category),
                             r.meal_type, yuan(r.price_fen), *map(yuan, r.shares),
                             yuan(r.self_pay_fen), yes if r.delivery else "", r.number]))
    t = claim.total
    ws.append(cells(ws, [tr("合计"), "", "", "", "", "", yuan(t.price_fen),
                         *map(yuan, t.shares), yuan(t.self_pay_fen)]))

    ws2 = wb.create_sheet(tr("按长者"))
    ws2.append(cells(ws2, [tr("姓名"), tr("身份证号"), tr("就餐天数"), tr("餐数"),
                           *funder_names, tr("自付")], header=True))
    for e in claim.elders:
        ws2.append(cells(ws2, [e.name, e.id_number, e.days, e.meals, *map(yuan, e.shares),
                               yuan(e.self_pay_fen)]))
    ws3 = wb.create_sheet(tr("按类别"))
    ws3.append(cells(ws3, [tr("类别"), tr("餐数"), tr("价格"), *funder_names, tr("自付")],
                     header=True))
    for c in (*claim.categories, t):
        ws3.append(cells(ws3, [tr(c.label), c.meals, yuan(c.price_fen), *map(yuan, c.shares),
                               yuan(c.self_pay_fen)]))
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        wb.save(out)
    except OSError as exc:
        raise RuleError(tr("无法保存文件：{path}（{err}）", path=out, err=exc)) from None
    return out
