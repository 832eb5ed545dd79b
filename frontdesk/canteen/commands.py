"""`frontdesk canteen ...`: issue a meal ticket, write the monthly claim, and set the canteen up
(meal sessions, a day's menu, funders, subsidy rules) over the same services as the GUI."""

from __future__ import annotations

import argparse
from typing import Any

from frontdesk.cli import EXIT_USAGE, CliContext, add_command, add_common_options, output_file
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr

MEAL_TYPE_WORDS = {"堂食": "dine_in", "打包": "takeaway", "送餐": "delivery",
                   "dine_in": "dine_in", "takeaway": "takeaway", "delivery": "delivery"}
PAYMENT_WORDS = {"现金": "cash", "微信": "wechat", "支付宝": "alipay", "其他": "other",
                 "cash": "cash", "wechat": "wechat", "alipay": "alipay", "other": "other"}


def register(subparsers: Any) -> None:
    """Add `canteen issue`, `canteen claim` and the setup commands."""
    canteen = add_command(subparsers, "canteen", _usage,
                          tr("长者食堂：出票、月度补助申报、餐次与补助设置"))
    inner = canteen.add_subparsers(dest="canteen_command", metavar="ACTION")

    p = inner.add_parser("issue", help=tr("为扫码或输入的居民出一张餐票"),
                         description=tr("为扫码或输入的居民出一张餐票"))
    add_common_options(p, suppress=True)
    p.set_defaults(handler=cmd_issue)
    p.add_argument("code", metavar="CARD_OR_ID", help=tr("居民卡号或身份证号"))
    p.add_argument("--session", help=tr("餐次名称，例如 午餐（默认为当前餐次）"))
    p.add_argument("--type", dest="meal_type", default="堂食", choices=sorted(MEAL_TYPE_WORDS),
                   help=tr("就餐类型：堂食、打包或送餐"))
    p.add_argument("--pay", default="现金", choices=sorted(PAYMENT_WORDS),
                   help=tr("付款方式：现金、微信、支付宝或其他"))
    p.add_argument("--collector", help=tr("代领人（由他人代领时填写）"))
    p.add_argument("--route", help=tr("送餐路线"))
    p.add_argument("--json", action="store_true", help=tr("以 JSON 输出餐票"))

    p = inner.add_parser("claim", help=tr("导出某月的助餐补助申报表"),
                         description=tr("导出某月的助餐补助申报表"))
    add_common_options(p, suppress=True)
    p.set_defaults(handler=cmd_claim)
    p.add_argument("--month", required=True, metavar="YYYY-MM")
    p.add_argument("--xlsx", required=True, type=output_file, metavar="OUT")
    p.add_argument("--pdf", type=output_file, metavar="OUT", help=tr("同时保存 PDF 申报表"))

    from frontdesk.canteen.setup_commands import register_setup

    register_setup(inner)


def _usage(ctx: CliContext) -> int:
    print(tr("用法：frontdesk canteen issue|claim|session|menu|funder|rule ...（frontdesk canteen "
             "--help 查看说明）"))
    return EXIT_USAGE


def cmd_issue(ctx: CliContext) -> int:
    from frontdesk.canteen import service as svc

    args: argparse.Namespace = ctx.args
    with ctx.write() as (session, actor):
        session_id = None if not args.session else svc.session_by_name(session, args.session).id
        t = svc.issue_from_scan(session, actor, args.code, session_id=session_id,
                                meal_type=MEAL_TYPE_WORDS[args.meal_type],
                                payment=PAYMENT_WORDS[args.pay], collector=args.collector,
                                route=args.route)
    if args.json:
        ctx.print_json({
            "number": t.number, "date": t.business_date.isoformat(), "session": t.session_name,
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
    return 0


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
