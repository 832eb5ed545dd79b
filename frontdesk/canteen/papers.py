"""The canteen's printed paper as PDF bytes: the receipt (小票), the daily sheet (就餐登记表),
the delivery route sheet (送餐路线单), the kitchen sheet (备餐单) and the monthly claim.

Each renderer builds plain data (``frontdesk.canteen.reports``) and hands it to the shared
page kinds of ``frontdesk.documents``; ReportLab is only imported when a page is drawn.
The ``*_pdf(session, actor, day)`` functions are the canteen's ``DAY_SHEETS`` entries.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from frontdesk.canteen import reports
from frontdesk.core.actor import Actor
from frontdesk.core.centre import centre_info
from frontdesk.core.i18n import N_, tr
from frontdesk.core.money import format_yuan
from frontdesk.documents import service as documents
from frontdesk.documents.styles import DocumentMeta

# Document kinds, as archived (declared in documents.service.KINDS for the 文档 page).
KIND_TICKET = "canteen.ticket"
KIND_DAILY_SHEET = "canteen.daily_sheet"
KIND_ROUTE_SHEET = "canteen.route_sheet"
KIND_KITCHEN = "canteen.kitchen"
KIND_CLAIM = "canteen.claim"
RECORD_TICKET = "meal_ticket"

RECEIPT_TITLE = N_("长者食堂就餐凭证")


def _meta(session: Session, actor: Actor, title: str) -> DocumentMeta:
    return DocumentMeta(centre_info(session).name, title, actor.display_name, actor.now())


def _yuan(fen: int) -> str:
    return format_yuan(fen)


def _day_text(day: dt.date, *, money: bool = False) -> str:
    if money:
        return tr("日期：{date}　　金额单位：元", date=day.isoformat())
    return tr("日期：{date}", date=day.isoformat())


# -- receipt ------------------------------------------------------------------------------


def receipt_paper(width_mm: int) -> str:
    """The documents paper code of a receipt ``width_mm`` wide."""
    return documents.PAPER_RECEIPT_58 if width_mm == 58 else documents.PAPER_RECEIPT_80


def render_ticket_receipt(data: reports.Receipt, meta: DocumentMeta, *,
                          invariant: bool = False) -> bytes:
    """The ticket's receipt: number, date, session, type, elder, price, every share, self-pay."""
    from frontdesk.documents.receipts import Receipt, ReceiptLine, render_receipt

    lines = [
        ReceiptLine(tr("日期"), data.business_date.isoformat()),
        ReceiptLine(tr("餐次"), data.session_name),
        ReceiptLine(tr("类型"), data.meal_type),
        ReceiptLine(tr("就餐者"), data.diner_name, bold=True),
        ReceiptLine(tr("类别"), data.category),
        ReceiptLine(tr("餐价"), tr("{yuan} 元", yuan=_yuan(data.price_fen))),
    ]
    lines += [ReceiptLine(name, tr("{yuan} 元", yuan=_yuan(fen))) for name, fen in data.shares
              if fen]
    lines.append(ReceiptLine(tr("付款方式"), data.payment))
    if data.collector:
        lines.append(ReceiptLine(tr("代领人"), data.collector))
    notes: list[str] = []
    if data.menu:
        notes.append(tr("菜单：{menu}", menu=data.menu))
    if data.voided:
        notes.append(tr("此票已作废"))
    if data.reprint:
        notes.append(tr("补打"))
    notes.append(tr("请凭此票取餐"))
    return render_receipt(Receipt(
        meta, lines=tuple(lines), number=data.number,
        total=ReceiptLine(tr("个人自付"), tr("{yuan} 元", yuan=_yuan(data.self_pay_fen)),
                          bold=True),
        notes=tuple(notes), qr=data.number, width_mm=data.width_mm,
        large_print=data.large_print), invariant=invariant)


def receipt_pdf(session: Session, actor: Actor, ticket_id: int) -> tuple[bytes, str]:
    """The receipt PDF of a ticket and its paper code (80 or 58 mm, by the setting)."""
    data = reports.receipt(session, ticket_id)
    pdf = render_ticket_receipt(data, _meta(session, actor, tr(RECEIPT_TITLE)))
    return pdf, receipt_paper(data.width_mm)


# -- daily sheet (就餐登记表) ------------------------------------------------------------------


def render_daily_sheet(sheet: reports.DailySheet, meta: DocumentMeta, *,
                       invariant: bool = False) -> bytes:
    """就餐登记表: one row per live ticket with a signature column, totals and the cash box."""
    from frontdesk.documents.sheets import Column, SheetSpec, render_sheet

    columns = (
        Column(tr("序号"), 0.6, "right"), Column(tr("姓名"), 2.4), Column(tr("类别"), 1.8),
        Column(tr("餐次"), 0.9), Column(tr("类型"), 0.9), Column(tr("价格"), 0.9, "right"),
        *(Column(f.name, 1.0, "right") for f in sheet.funders),
        Column(tr("自付"), 0.9, "right"), Column(tr("签名"), 2.2))
    rows = []
    for r in sheet.rows:
        name = r.name
        if r.collector:
            name += "\n" + tr("（代领：{who}）", who=r.collector)
        rows.append((str(r.seq), name, r.category, r.session_name, r.meal_type,
                     _yuan(r.price_fen), *(_yuan(s) for s in r.shares), _yuan(r.self_pay_fen),
                     ""))
    totals = [(tr("份数"), tr("{n} 份（其中补助 {s} 份，工作人员/志愿者 {staff} 份）；"
                              "另有作废 {v} 张，不计入", n=len(sheet.rows),
                              s=sheet.subsidised_count, staff=sheet.staff_count,
                              v=sheet.voided_count)),
              (tr("餐费合计"), tr("{yuan} 元", yuan=_yuan(sheet.price_total_fen)))]
    totals += [(tr("{funder}合计", funder=f.name), tr("{yuan} 元", yuan=_yuan(fen)))
               for f, fen in zip(sheet.funders, sheet.funder_totals, strict=True)]
    totals.append((tr("自付合计"), tr("{yuan} 元", yuan=_yuan(sheet.self_pay_total_fen))))
    cash = "；".join(tr("{method} {n} 笔 {yuan} 元", method=c.payment, n=c.count,
                       yuan=_yuan(c.amount_fen)) for c in sheet.cash_box)
    totals.append((tr("应收款（按付款方式）"), cash or tr("无")))
    return render_sheet(SheetSpec(
        meta, columns=columns, rows=tuple(rows), subtitle=_day_text(sheet.day, money=True),
        landscape=True, signature_rows=True, totals=tuple(totals),
        sign_off=(tr("经办人"), tr("负责人")), empty_text=tr("当天没有就餐记录")),
        invariant=invariant)


def daily_sheet_pdf(session: Session, actor: Actor, day: dt.date) -> bytes:
    """The daily canteen sheet of ``day`` (DAY_SHEETS["canteen"])."""
    return render_daily_sheet(reports.daily_sheet(session, day),
                              _meta(session, actor, tr("长者食堂就餐登记表")))


# -- delivery route sheet (送餐路线单) ---------------------------------------------------------


def render_route_sheet(route: reports.RouteSheet, meta: DocumentMeta, *,
                       invariant: bool = False) -> bytes:
    """送餐路线单: each delivery with address and phone, and a column to sign on delivery."""
    from frontdesk.documents.sheets import Column, SheetSpec, render_sheet

    columns = (Column(tr("序号"), 0.6, "right"), Column(tr("路线"), 1.1),
               Column(tr("姓名"), 1.8), Column(tr("地址"), 3.0), Column(tr("电话"), 1.5),
               Column(tr("餐次"), 0.8), Column(tr("状态"), 0.9), Column(tr("备注"), 1.6),
               Column(tr("签收（不在家请注明）"), 2.2))
    rows = []
    seq = 0
    for name, stops in route.routes:
        for stop in stops:
            seq += 1
            who = stop.name if not stop.collector else stop.name + "\n" + tr(
                "（代领：{who}）", who=stop.collector)
            rows.append((str(seq), name, who, stop.address, stop.phone, stop.session_name,
                         stop.status, stop.note, ""))
    totals = tuple((tr("路线 {route}", route=name), tr("{n} 份", n=len(stops)))
                   for name, stops in route.routes)
    return render_sheet(SheetSpec(
        meta, columns=columns, rows=tuple(rows), subtitle=_day_text(route.day),
        landscape=True, signature_rows=True,
        totals=(*totals, (tr("合计"), tr("{n} 份", n=seq))),
        sign_off=(tr("送餐人"), tr("经办人")), empty_text=tr("当天没有送餐")),
        invariant=invariant)


def route_sheet_pdf(session: Session, actor: Actor, day: dt.date) -> bytes:
    """The delivery route sheet of ``day`` (DAY_SHEETS["canteen_route"])."""
    return render_route_sheet(reports.route_sheet(session, day),
                              _meta(session, actor, tr("长者食堂送餐路线单")))


# -- kitchen sheet (备餐单) -------------------------------------------------------------------


def kitchen_pdf(session: Session, actor: Actor, day: dt.date) -> bytes:
    """备餐单: the pre-orders booked for ``day`` and the count per session and type."""
    from frontdesk.canteen.models import MEAL_TYPES
    from frontdesk.canteen.service import kitchen_counts, list_pre_orders, list_sessions
    from frontdesk.documents.sheets import Column, SheetSpec, render_sheet

    names = {s.id: s.name for s in list_sessions(session, day, include_inactive=True)}
    rows = tuple((str(i), names.get(p.session_id, "?"),
                  tr(MEAL_TYPES.get(p.meal_type, p.meal_type)), p.who, str(p.count), p.note)
                 for i, p in enumerate(list_pre_orders(session, day), start=1))
    counts = kitchen_counts(session, day)
    totals = tuple((f"{c.session_name} {tr(MEAL_TYPES.get(c.meal_type, c.meal_type))}",
                    tr("{n} 份", n=c.count)) for c in counts)
    return render_sheet(SheetSpec(
        _meta(session, actor, tr("长者食堂备餐单（预订）")),
        columns=(Column(tr("序号"), 0.6, "right"), Column(tr("餐次"), 1.0),
                 Column(tr("类型"), 1.0), Column(tr("预订人/团体"), 3.0),
                 Column(tr("份数"), 0.8, "right"), Column(tr("备注"), 3.0)),
        rows=rows, subtitle=_day_text(day),
        totals=(*totals, (tr("合计"), tr("{n} 份", n=sum(c.count for c in counts)))),
        empty_text=tr("这一天没有预订")))


# -- monthly claim --------------------------------------------------------------------------


def render_claim(claim: reports.Claim, meta: DocumentMeta, *, invariant: bool = False) -> bytes:
    """The monthly claim: every subsidised meal per elder per day, totals per category/funder."""
    from frontdesk.documents.sheets import Column, SheetSpec, render_sheet

    columns = (Column(tr("序号"), 0.6, "right"), Column(tr("日期"), 1.2),
               Column(tr("餐次"), 0.8), Column(tr("姓名"), 1.8), Column(tr("身份证号"), 2.2),
               Column(tr("类别"), 1.8), Column(tr("类型"), 0.8),
               Column(tr("价格"), 0.9, "right"),
               *(Column(f.name, 1.0, "right") for f in claim.funders),
               Column(tr("自付"), 0.9, "right"))
    # 类型 says 送餐 for deliveries; a funder's empty cell means it paid nothing (a month
    # is a thousand rows or more: fewer drawn cells keep the claim quick).
    rows = tuple((str(i), r.day.isoformat(), r.session_name, r.name, r.id_number,
                  tr(r.category), r.meal_type, _yuan(r.price_fen),
                  *(_yuan(fen) if fen else "" for fen in r.shares), _yuan(r.self_pay_fen))
                 for i, r in enumerate(claim.rows, start=1))

    def shares_text(total: reports.ClaimTotal) -> str:
        parts = [tr("{n} 餐", n=total.meals), tr("餐费 {yuan} 元", yuan=_yuan(total.price_fen))]
        parts += [tr("{funder} {yuan} 元", funder=f.name, yuan=_yuan(fen))
                  for f, fen in zip(claim.funders, total.shares, strict=True)]
        parts.append(tr("自付 {yuan} 元", yuan=_yuan(total.self_pay_fen)))
        return "，".join(parts)

    totals = [(tr("类别：{category}", category=tr(c.label)), shares_text(c))
              for c in claim.categories]
    totals.append((tr("合计"), shares_text(claim.total)))
    totals += [(tr("申报{funder}", funder=f.name), tr("{yuan} 元", yuan=_yuan(fen)))
               for f, fen in zip(claim.funders, claim.total.shares, strict=True)]
    totals.append((tr("涉及长者"), tr("{n} 人", n=len(claim.elders))))
    return render_sheet(SheetSpec(
        meta, columns=columns, rows=rows,
        subtitle=tr("申报月份：{month}　　{town}　　金额单位：元", month=claim.month,
                    town=claim.centre.town),
        landscape=True, totals=tuple(totals),
        sign_off=(tr("经办人"), tr("负责人"), tr("审核（民政）")),
        empty_text=tr("这个月没有可申报的补助餐")), invariant=invariant)


def claim_pdf(session: Session, actor: Actor, claim: reports.Claim) -> bytes:
    """The claim as an A4 landscape PDF."""
    title = tr("{centre} 长者食堂助餐补助申报表", centre=claim.centre.name)
    return render_claim(claim, _meta(session, actor, title))


def claim_with_pdf(session: Session, actor: Actor, month: str) -> tuple[reports.Claim, bytes]:
    """The claim for ``month`` and its PDF (producing a claim is audited)."""
    claim = reports.monthly_claim(session, actor, month)
    return claim, claim_pdf(session, actor, claim)
