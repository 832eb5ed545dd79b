"""Volunteers' printed papers: the redemption receipt (80 mm), the volunteer's statement,
the 志愿服务证明 certificate (A4) and the day sheets. ReportLab through the documents API.

Renderers take plain data (or read it in the session they are given) and return PDF bytes;
the screen archives and prints them after the record's own transaction committed.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from sqlalchemy.orm import Session

from frontdesk.core.actor import Actor
from frontdesk.core.centre import centre_info
from frontdesk.core.clock import to_local
from frontdesk.core.i18n import tr
from frontdesk.documents.styles import MM, DocumentMeta
from frontdesk.volunteers.reports import CertificateData, Statement, hours, statement
from frontdesk.volunteers.shop import RedemptionReceipt

KIND_RECEIPT = "volunteers.redemption"
KIND_STATEMENT = "volunteers.statement"
KIND_CERTIFICATE = "volunteers.certificate"
KIND_DAY_SERVICE = "volunteers.day_service"
KIND_DAY_SHOP = "volunteers.day_shop"


def _meta(session: Session, actor: Actor, title: str) -> DocumentMeta:
    return DocumentMeta(centre_info(session).name, title, actor.display_name, actor.now())


def _hours_text(minutes: int) -> str:
    return f"{hours(minutes):g}"


# -- the redemption receipt ---------------------------------------------------------------

def receipt_title(r: RedemptionReceipt) -> str:
    """The archive title of a redemption's receipt."""
    return tr("积分兑换小票 {number}", number=r.number)


def render_redemption_receipt(r: RedemptionReceipt, meta: DocumentMeta, *,
                              large_print: bool = False, invariant: bool = False) -> bytes:
    """The 80 mm receipt of a redemption: items, points, balance before and after."""
    from frontdesk.documents.receipts import Receipt, ReceiptLine, render_receipt

    lines = [ReceiptLine(tr("志愿者"), f"{r.volunteer_name}（{r.volunteer_number}）"),
             ReceiptLine(tr("兑换时间"), to_local(r.at).strftime("%Y-%m-%d %H:%M"))]
    lines += [ReceiptLine(f"{ln.name} × {ln.quantity}",
                          tr("{n} 积分", n=ln.points)) for ln in r.lines]
    lines += [ReceiptLine(tr("合计扣减"), tr("{n} 积分", n=r.total_points), bold=True),
              ReceiptLine(tr("兑换前余额"), tr("{n} 积分", n=r.balance_before))]
    notes = [tr("积分兑换后不退还；服务时长记录不受影响。")]
    if r.reversed:
        notes.insert(0, tr("本次兑换已由管理员冲销，积分与物品已退回。"))
    return render_receipt(Receipt(
        meta, lines=tuple(lines), number=r.number,
        total=ReceiptLine(tr("兑换后余额"), tr("{n} 积分", n=r.balance_after), bold=True),
        notes=tuple(notes), width_mm=80, large_print=large_print), invariant=invariant)


def receipt_pdf(session: Session, actor: Actor, r: RedemptionReceipt) -> bytes:
    """The receipt of a redemption just made (its data came back from ``shop.redeem``)."""
    from frontdesk.documents import service as documents

    meta = DocumentMeta(r.centre_name, tr("积分兑换小票"), actor.display_name, actor.now())
    return render_redemption_receipt(r, meta, large_print=documents.receipt_large_print(session))


def redemption_receipt_pdf(session: Session, actor: Actor, redemption_id: int) -> bytes:
    """Read a redemption and render its receipt (a first print of an older one)."""
    from frontdesk.volunteers import shop

    return receipt_pdf(session, actor, shop.receipt(session, redemption_id))


# -- the statement ------------------------------------------------------------------------

def statement_title(st: Statement) -> str:
    """The archive title of a statement."""
    return tr("志愿服务明细 {name} {start}至{end}", name=st.name,
              start=st.period_from.isoformat(), end=st.period_to.isoformat())


def render_statement(st: Statement, meta: DocumentMeta, *, invariant: bool = False) -> bytes:
    """A volunteer's hours and points over a period, one row per service record (A4)."""
    from frontdesk.documents.sheets import Column, SheetSpec, render_sheet

    rows = tuple((str(i), s.service_date.isoformat(), s.activity, _hours_text(s.minutes),
                  str(s.points), s.verified_by)
                 for i, s in enumerate(st.services, start=1))
    subtitle = tr("{name}（{number}）{team}  期间 {start} 至 {end}", name=st.name,
                  number=st.volunteer_number, team=f" · {st.team}" if st.team else "",
                  start=st.period_from.isoformat(), end=st.period_to.isoformat())
    return render_sheet(SheetSpec(
        meta,
        columns=(Column(tr("序号"), 0.6, "right"), Column(tr("服务日期"), 1.4),
                 Column(tr("服务项目"), 3), Column(tr("时长（小时）"), 1.2, "right"),
                 Column(tr("获得积分"), 1, "right"), Column(tr("核实人"), 1.6)),
        rows=rows, subtitle=subtitle,
        totals=((tr("服务次数"), tr("{n} 次", n=len(st.services))),
                (tr("服务时长合计"), tr("{h} 小时", h=_hours_text(st.total_minutes))),
                (tr("期间获得积分"), tr("{n} 积分", n=st.points_earned)),
                (tr("期间兑换积分"), tr("{n} 积分", n=st.points_redeemed)),
                (tr("期间其他变动（调整、过期、冲销）"), f"{st.points_other:+d}"),
                (tr("当前积分余额"), tr("{n} 积分", n=st.balance_now))),
        sign_off=(tr("经办人"), tr("负责人")),
        empty_text=tr("这段时间没有服务记录")), invariant=invariant)


def statement_pdf(session: Session, actor: Actor, volunteer_id: int, date_from: dt.date,
                  date_to: dt.date) -> tuple[Statement, bytes]:
    """Read and render a volunteer's statement."""
    st = statement(session, volunteer_id, date_from, date_to)
    return st, render_statement(st, _meta(session, actor, tr("志愿服务明细")))


# -- the certificate ----------------------------------------------------------------------

def certificate_title(c: CertificateData) -> str:
    """The archive title of a certificate."""
    return tr("志愿服务证明 {number} {name}", number=c.number, name=c.name)


def render_certificate(c: CertificateData, meta: DocumentMeta, *,
                       invariant: bool = False) -> bytes:
    """The 志愿服务证明 (A4): every field 民政部令第67号 asks for, and a place for the seal."""
    from frontdesk.documents import fonts
    from frontdesk.documents.styles import numbered_canvas, paragraph_styles

    fonts.register_fonts()
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = paragraph_styles()
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    body = ParagraphStyle("cert_body", parent=styles["body"], fontSize=12, leading=20,
                          firstLineIndent=24)
    cell = ParagraphStyle("cert_cell", parent=styles["body"], fontSize=11, leading=16)
    label = ParagraphStyle("cert_label", parent=cell, fontName=fonts.BOLD)
    right = ParagraphStyle("cert_right", parent=cell, alignment=TA_RIGHT)
    title = ParagraphStyle("cert_title", parent=styles["title"], fontSize=22, leading=30)

    def p(text: str, style: Any = cell) -> Any:
        return Paragraph(fonts.markup(text), style)

    period = tr("{start} 至 {end}", start=c.period_from.isoformat(), end=c.period_to.isoformat())
    content = "；".join(c.service_content)
    story: list[Any] = [
        p(tr("证明编号：{number}", number=c.number), right),
        Paragraph(fonts.markup(tr("志愿服务证明")), title), Spacer(1, 4 * MM),
        p(tr("兹证明 {name}（{id_type}：{id_number}，志愿者编号 {vno}）于 {period} 期间参加"
             "本单位组织的志愿服务，累计服务时长 {h} 小时。服务时长仅计实际服务时间，"
             "不含往返路途。", name=c.name, id_type=c.id_type, id_number=c.id_number or tr("无"),
             vno=c.volunteer_number, period=period, h=f"{c.total_hours:g}"), body),
        p(tr("特此证明。"), body), Spacer(1, 4 * MM),
    ]
    fields = [
        (tr("姓名"), c.name), (tr("证件类型"), c.id_type),
        (tr("证件号码"), c.id_number or tr("无")), (tr("志愿者编号"), c.volunteer_number),
        (tr("服务期间"), period), (tr("服务时长"), tr("{h} 小时", h=f"{c.total_hours:g}")),
        (tr("服务内容"), content), (tr("出具单位"), c.issuer),
        (tr("负责人"), c.head or " "), (tr("经办人"), c.handler),
        (tr("联系电话"), c.contact or " "), (tr("出具日期"), c.issued_on.isoformat()),
    ]
    usable = A4[0] - 2 * 20 * MM
    table = Table([[p(k, label), p(v)] for k, v in fields],
                  colWidths=[usable * 0.24, usable * 0.76])
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.6, (0.3, 0.3, 0.3)),
        ("BACKGROUND", (0, 0), (0, -1), (0.93, 0.93, 0.93)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    # The seal goes over the issuer's name: an empty box the size of an official seal.
    # With the seal's words set, they stand in the box: the desk knows which seal to use.
    seal_words = f"{c.seal}\n{tr('（盖章处）')}" if c.seal else tr("（盖章处）")
    seal = Table([[p(seal_words, styles["cell_centre"])]],
                 colWidths=[42 * MM], rowHeights=[42 * MM])
    seal.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.6, (0.6, 0.6, 0.6)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TEXTCOLOR", (0, 0), (-1, -1), (0.6, 0.6, 0.6)),
    ]))
    signature = Table([[
        [p(tr("出具单位（盖章）：{issuer}", issuer=c.seal or c.issuer)), Spacer(1, 3 * MM),
         p(tr("负责人（签字）：{head}", head=c.head or "________________")), Spacer(1, 3 * MM),
         p(tr("经办人（签字）：{handler}", handler=c.handler)), Spacer(1, 3 * MM),
         p(tr("日期：{date}", date=c.issued_on.isoformat()))],
        seal]], colWidths=[usable - 50 * MM, 50 * MM])
    signature.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [table, Spacer(1, 6 * MM), signature, Spacer(1, 4 * MM),
              p(tr("依据《志愿服务记录与证明出具办法》（民政部令第67号）“谁组织谁记录，谁记录谁证明”出具。"
                   "本证明须加盖出具单位公章方为有效。"), styles["body"])]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * MM, rightMargin=20 * MM,
                            topMargin=20 * MM, bottomMargin=18 * MM, title=meta.title,
                            author=meta.centre_name, creator="frontdesk",
                            invariant=int(invariant))
    doc.build(story, canvasmaker=numbered_canvas(meta))
    return buffer.getvalue()


def certificate_pdf(session: Session, actor: Actor, data: CertificateData) -> bytes:
    """Render an issued certificate."""
    return render_certificate(data, _meta(session, actor, tr("志愿服务证明")))


# -- the day sheets (DAY_SHEETS and the day close's PDFs) ----------------------------------

def day_service_sheet(session: Session, actor: Actor, day: dt.date) -> bytes:
    """The day's volunteer service records (志愿服务登记表), A4 landscape."""
    from frontdesk.documents.sheets import Column, SheetSpec, render_sheet
    from frontdesk.volunteers import dayexport

    rows = dayexport.service_rows(session, day)
    valid = [r for r in rows if r[13] == dayexport.STATUS_VALID]
    text_rows = tuple((str(i), str(r[1]), str(r[2]), str(r[4]), _time(r[6]), _time(r[7]),
                       str(r[8]), str(r[9]), str(r[10]), str(r[11]), str(r[12]), str(r[13]))
                      for i, r in enumerate(rows, start=1))
    return render_sheet(SheetSpec(
        _meta(session, actor, tr("志愿服务登记表")),
        columns=(Column(tr("序号"), 0.5, "right"), Column(tr("编号"), 1), Column(tr("姓名"), 1.4),
                 Column(tr("服务项目"), 1.8), Column(tr("签到"), 0.7), Column(tr("签退"), 0.7),
                 Column(tr("时长（分钟）"), 0.8, "right"), Column(tr("积分"), 0.6, "right"),
                 Column(tr("记录方式"), 0.9), Column(tr("补录原因"), 1.6),
                 Column(tr("经办人"), 0.9), Column(tr("状态"), 0.7)),
        rows=text_rows, subtitle=tr("日期 {date}", date=day.isoformat()), landscape=True,
        totals=((tr("服务人次"), tr("{n} 人次", n=len(valid))),
                (tr("服务时长"), tr("{n} 分钟", n=sum(dayexport.cell_int(r[8]) for r in valid))),
                (tr("获得积分"), tr("{n} 积分", n=sum(dayexport.cell_int(r[9]) for r in valid)))),
        sign_off=(tr("经办人"), tr("负责人"))))


def day_shop_sheet(session: Session, actor: Actor, day: dt.date) -> bytes:
    """The points shop's day: each item's stock reconciled (opening + in − out = closing)."""
    from frontdesk.documents.sheets import Column, SheetSpec, render_sheet
    from frontdesk.volunteers import dayexport

    lines = dayexport.stock_day_lines(session, day)
    rows = tuple((ln.name, str(ln.opening), str(ln.stock_in), str(ln.stock_out),
                  str(ln.closing), tr("相符") if ln.reconciles else tr("不符"))
                 for ln in lines)
    redemptions = dayexport.redemption_rows(session, day)
    valid = [r for r in redemptions if r[10] == dayexport.STATUS_VALID]
    return render_sheet(SheetSpec(
        _meta(session, actor, tr("积分超市库存日报")),
        columns=(Column(tr("物品"), 3), Column(tr("期初"), 1, "right"),
                 Column(tr("入库"), 1, "right"), Column(tr("出库"), 1, "right"),
                 Column(tr("期末"), 1, "right"), Column(tr("核对"), 1, "centre")),
        rows=rows, subtitle=tr("日期 {date}　期初 + 入库 − 出库 = 期末", date=day.isoformat()),
        totals=((tr("兑换笔数"), tr("{n} 笔", n=len({r[0] for r in valid}))),
                (tr("兑换积分"), tr("{n} 积分", n=sum(dayexport.cell_int(r[7]) for r in valid))),
                (tr("核对不符的物品"), str(sum(1 for ln in lines if not ln.reconciles)))),
        sign_off=(tr("经办人"), tr("负责人"))))


def _time(value: object) -> str:
    return "" if not isinstance(value, dt.datetime) else to_local(value).strftime("%H:%M")
