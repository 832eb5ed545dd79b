"""`frontdesk canteen ...`: issue a meal ticket, write the monthly claim, and set the canteen up
(meal sessions, a day's menu, funders, subsidy rules) over the same services as the GUI."""

from __future__ import annotations

import argparse
from typing import Any

from frontdesk.cli import CliContext, add_command, add_group, output_file
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr

MEAL_TYPE_WORDS = {"堂食": "dine_in", "打包": "takeaway", "送餐": "delivery",
                   "dine_in": "dine_in", "takeaway": "takeaway", "delivery": "delivery"}
PAYMENT_WORDS = {"现金": "cash", "微信": "wechat", "支付宝": "alipay", "其他": "other",
                 "cash": "cash", "wechat": "wechat", "alipay": "alipay", "other": "other"}


def register(subparsers: Any) -> None:
    """Add `canteen issue`, `canteen claim` and the setup commands."""
    inner = add_group(subparsers, "canteen", tr("长者食堂：出票、月度补助申报、餐次与补助设置"))

    p = add_command(inner, "issue", cmd_issue, tr("为扫码或输入的居民出一张餐票"))
    p.add_argument("code", metavar="CARD_OR_ID", help=tr("居民卡号或身份证号"))
    p.add_argument("--session", help=tr("餐次名称，例如 午餐（默认为当前餐次）"))
    p.add_argument("--type", dest="meal_type", default="堂食", choices=sorted(MEAL_TYPE_WORDS),
                   help=tr("就餐类型：堂食、打包或送餐"))
    p.add_argument("--pay", default="现金", choices=sorted(PAYMENT_WORDS),
                   help=tr("付款方式：现金、微信、支付宝或其他"))
    p.add_argument("--collector", help=tr("代领人（由他人代领时填写）"))
    p.add_argument("--route", help=tr("送餐路线"))
    p.add_argument("--receipt", type=output_file, metavar="OUT.pdf",
                   help=tr("把这张餐票的小票保存为 PDF（并存档，之后可用 reprint 补打）"))
    p.add_argument("--json", action="store_true", help=tr("以 JSON 输出餐票"))

    p = add_command(inner, "claim", cmd_claim, tr("导出某月的助餐补助申报表"))
    p.add_argument("--month", required=True, metavar="YYYY-MM")
    p.add_argument("--xlsx", required=True, type=output_file, metavar="OUT")
    p.add_argument("--pdf", type=output_file, metavar="OUT", help=tr("同时保存 PDF 申报表"))

    from frontdesk.canteen.setup_commands import register_setup

    register_setup(inner)


def cmd_issue(ctx: CliContext) -> int:
    from frontdesk.canteen import service as svc

    args: argparse.Namespace = ctx.args
    with ctx.write() as (session, actor):
        session_id = None if not args.session else svc.session_by_name(session, args.session).id
        t = svc.issue_from_scan(session, actor, args.code, session_id=session_id,
                                meal_type=MEAL_TYPE_WORDS[args.meal_type],
                                payment=PAYMENT_WORDS[args.pay], collector=args.collector,
                                route=args.route)
    receipt = None if args.receipt is None else _save_receipt(ctx, t.id, args.receipt)
    if args.json:
        ctx.print_json({
            "receipt": receipt, "number": t.number, "date": t.business_date.isoformat(),
            "session": t.session_name,
            "meal_type": t.meal_type, "name": t.diner_name, "category": t.category,
            "price_fen": t.price_fen,
            "shares": [{"funder": s.funder_name, "funder_id": s.funder_id,
                        "amount_fen": s.amount_fen} for s in t.shares],
            "self_pay_fen": t.self_pay_fen, "subsidised": t.subsidised,
            "rule_reason": t.rule_reason, "payment": t.payment, "collector": t.collector,
        })
        return 0
    from frontdesk.core.money import format_yuan

    shares = "，".join(f"{s.funder_name} {format_yuan(s.amount_fen)}" for s in t.shares)
    print(tr("餐票 {number}：{name} {session} 价格 {price} 元，{shares}自付 {self_pay} 元",
             number=t.number, name=t.diner_name, session=t.session_name,
             price=format_yuan(t.price_fen), shares=f"{shares}，" if shares else "",
             self_pay=format_yuan(t.self_pay_fen)))
    print(t.rule_reason)
    if receipt is not None:
        print(tr("小票已保存：{path}（存档编号 {doc}，补打：frontdesk reprint {doc}）",
                 path=receipt["path"], doc=receipt["document"]))
    return 0


def _save_receipt(ctx: CliContext, ticket_id: int, out: Any) -> dict[str, Any]:
    """The new ticket's receipt, as the desk prints it: rendered, archived, saved to ``out``.

    The ticket is already committed; a receipt that cannot be saved is said, and the ticket
    stands (its receipt can be made again with ``reprint``)."""
    from frontdesk.canteen import papers
    from frontdesk.canteen import service as svc
    from frontdesk.documents import service as documents

    with ctx.write() as (session, actor):
        ticket = svc.get_ticket(session, ticket_id)
        pdf, paper = papers.receipt_pdf(session, actor, ticket_id)
        doc = documents.archive_document(
            session, actor, kind=papers.KIND_TICKET,
            title=tr("就餐凭证 {number} {name}", number=ticket.number, name=ticket.diner_name),
            paper=paper, pdf=pdf, record_type=papers.RECORD_TICKET, record_id=ticket_id,
            business_date=ticket.business_date)
    try:
        out.write_bytes(pdf)
    except OSError as exc:
        raise RuleError(tr("餐票 {number} 已出，但小票没能保存到 {path}（{err}）；"
                           "可用 frontdesk reprint {doc} --pdf 文件 另存。",
                           number=ticket.number, path=out, err=exc.strerror or exc,
                           doc=doc.id)) from None
    return {"path": str(out), "document": doc.id}


def cmd_claim(ctx: CliContext) -> int:
    from frontdesk.canteen.reports import monthly_claim, write_claim_xlsx
    from frontdesk.core.money import format_yuan

    pdf = None
    with ctx.write() as (session, actor):
        claim = monthly_claim(session, actor, ctx.args.month)
        if ctx.args.pdf is not None:
            from frontdesk.canteen.papers import claim_pdf

            pdf = claim_pdf(session, actor, claim)
    out = write_claim_xlsx(claim, ctx.args.xlsx)
    print(tr("已导出 {month} 助餐补助申报：{n} 餐，写入 {path}", month=claim.month,
             n=claim.total.meals, path=out))
    if pdf is not None:
        try:
            ctx.args.pdf.parent.mkdir(parents=True, exist_ok=True)
            ctx.args.pdf.write_bytes(pdf)
        except OSError as exc:
            raise RuleError(tr("无法保存文件：{path}（{err}）", path=ctx.args.pdf,
                               err=exc)) from None
        print(tr("PDF 申报表：{path}", path=ctx.args.pdf))
    for f, amount in zip(claim.funders, claim.total.shares, strict=True):
        print(f"  {f.name}: {format_yuan(amount)}")
    print(f"  {tr('自付')}: {format_yuan(claim.total.self_pay_fen)}")
    return 0
