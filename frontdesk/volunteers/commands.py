"""`frontdesk volunteers ...` and `frontdesk shop ...`: the desk's volunteer work from a shell."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from frontdesk.cli import EXIT_REFUSED, EXIT_USAGE, CliContext, add_command
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr


def register(subparsers: Any) -> None:
    """Add the `volunteers` and `shop` command groups."""
    vol = add_command(subparsers, "volunteers", _usage, tr("志愿者与志愿积分"))
    vol.set_defaults(usage_parser=vol)
    vsub = vol.add_subparsers(dest="volunteers_command", metavar="ACTION")

    p = add_command(vsub, "enroll", cmd_enroll, tr("把居民登记为志愿者"))
    p.add_argument("code", metavar="CARD_OR_ID")
    p.add_argument("--team", help=tr("志愿服务队名称"))
    p.add_argument("--skills", default="", help=tr("特长"))
    _json(p)

    p = add_command(vsub, "list", cmd_list, tr("列出志愿者"))
    p.add_argument("--search", default="", help=tr("按姓名、编号或队伍筛选"))
    _json(p)

    p = add_command(vsub, "award", cmd_award, tr("补录今天的服务时长并记入积分"))
    p.add_argument("code", metavar="CARD_OR_ID")
    p.add_argument("--hours", type=float, required=True, metavar="H")
    p.add_argument("--activity", metavar="NAME", help=tr("服务项目名称（默认第一个）"))
    p.add_argument("--reason", default="", help=tr("补录原因"))
    p.add_argument("--key", help=argparse.SUPPRESS)  # idempotency key for scripted retries
    _json(p)

    p = add_command(vsub, "balance", cmd_balance, tr("查询积分余额"))
    p.add_argument("code", metavar="CARD_OR_ID")
    _json(p)

    p = add_command(vsub, "redeem", cmd_redeem, tr("用积分兑换物品（物品名:数量）"))
    p.add_argument("code", metavar="CARD_OR_ID")
    p.add_argument("items", nargs="+", metavar="ITEM[:QTY]")
    _json(p)

    p = add_command(vsub, "verify", cmd_verify, tr("校验积分流水链是否完整"))
    _json(p)

    p = add_command(vsub, "expire", cmd_expire, tr("按有效期设置清理过期积分"))
    _json(p)

    shop_p = add_command(subparsers, "shop", _usage, tr("积分超市"))
    shop_p.set_defaults(usage_parser=shop_p)
    ssub = shop_p.add_subparsers(dest="shop_command", metavar="ACTION")
    p = add_command(ssub, "items", cmd_items, tr("列出积分超市的物品和库存"))
    _json(p)
    p = add_command(ssub, "restock", cmd_restock, tr("物品入库"))
    p.add_argument("item", metavar="ITEM")
    p.add_argument("quantity", type=int, metavar="QTY")
    p.add_argument("--reason", default="")
    _json(p)


def _json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help=tr("以 JSON 输出"))


def _usage(ctx: CliContext) -> int:
    """A group named without an action: show its actions (bad usage)."""
    ctx.args.usage_parser.print_help(sys.stderr)
    return EXIT_USAGE


def cmd_enroll(ctx: CliContext) -> int:
    from frontdesk.residents.service import resolve_card_or_id
    from frontdesk.volunteers import service

    with ctx.write() as (session, actor):
        resident = resolve_card_or_id(session, ctx.args.code)
        team_id = None
        if ctx.args.team:
            teams = {name: tid for tid, name, _ in service.list_teams(session)}
            if ctx.args.team not in teams:
                raise RuleError(tr("没有名为“{name}”的志愿服务队。", name=ctx.args.team))
            team_id = teams[ctx.args.team]
        v = service.enroll(session, actor, resident.id, team_id=team_id,
                           skills=ctx.args.skills)
    if ctx.args.json:
        ctx.print_json(_volunteer_json(v))
    else:
        print(tr("{name} 已登记为志愿者，编号 {number}。", name=v.name, number=v.number))
    return 0


def _volunteer_json(v: Any) -> dict[str, Any]:
    return {"id": v.id, "number": v.number, "name": v.name, "team": v.team,
            "joined_on": v.joined_on.isoformat(), "skills": v.skills, "active": v.active,
            "balance": v.balance}


def cmd_list(ctx: CliContext) -> int:
    from frontdesk.volunteers import service

    with ctx.db.read() as session:
        rows = service.list_volunteers(session, ctx.args.search, limit=100_000)
    if ctx.args.json:
        ctx.print_json([_volunteer_json(v) for v in rows])
    else:
        for v in rows:
            print(f"{v.number}\t{v.name}\t{v.team or '-'}\t{tr('{n} 分', n=v.balance)}")
    return 0


def cmd_award(ctx: CliContext) -> int:
    from frontdesk.volunteers import service

    with ctx.write() as (session, actor):
        v = service.find_volunteer(session, ctx.args.code)
        record = service.award_hours(session, actor, v.id, ctx.args.hours, ctx.args.activity,
                                     ctx.args.reason, ctx.args.key)
        new_balance = service.balance(session, v.id)
    if ctx.args.json:
        ctx.print_json({"record_id": record.id, "volunteer": v.number, "activity": record.activity,
                        "minutes": record.minutes, "credited_minutes": record.credited_minutes,
                        "points": record.points, "balance": new_balance})
    else:
        print(tr("{name}：{activity} {h} 小时，得 {points} 分，余额 {balance} 分。", name=v.name,
                 activity=record.activity, h=f"{record.minutes / 60:g}", points=record.points,
                 balance=new_balance))
    return 0


def cmd_balance(ctx: CliContext) -> int:
    from frontdesk.volunteers import service

    with ctx.db.read() as session:
        v = service.find_volunteer(session, ctx.args.code)
    if ctx.args.json:
        ctx.print_json({"number": v.number, "name": v.name, "balance": v.balance})
    else:
        print(tr("{name}（{number}）积分余额：{balance} 分", name=v.name, number=v.number,
                 balance=v.balance))
    return 0


def _parse_item(text: str) -> tuple[str, int]:
    name, sep, qty = text.rpartition(":")
    if not sep:
        return text, 1
    try:
        return name, int(qty)
    except ValueError:
        raise RuleError(tr("数量格式不对：{text}（应为 物品:数量）", text=text)) from None


def cmd_redeem(ctx: CliContext) -> int:
    from frontdesk.volunteers import service, shop

    with ctx.write() as (session, actor):
        v = service.find_volunteer(session, ctx.args.code)
        basket = []
        for text in ctx.args.items:
            name, qty = _parse_item(text)
            basket.append(shop.BasketLine(shop.find_goods(session, name).id, qty))
        receipt = shop.redeem(session, actor, v.id, basket)
    if ctx.args.json:
        ctx.print_json({
            "number": receipt.number, "volunteer": receipt.volunteer_number,
            "lines": [{"item": ln.name, "quantity": ln.quantity, "unit_points": ln.unit_points,
                       "points": ln.points} for ln in receipt.lines],
            "total_points": receipt.total_points, "balance_before": receipt.balance_before,
            "balance_after": receipt.balance_after})
    else:
        for ln in receipt.lines:
            print(f"{ln.name} × {ln.quantity}\t{ln.points}")
        print(tr("兑换单 {number}：共 {total} 分，余额 {before} → {after} 分。",
                 number=receipt.number, total=receipt.total_points,
                 before=receipt.balance_before, after=receipt.balance_after))
    return 0


def cmd_verify(ctx: CliContext) -> int:
    from frontdesk.volunteers.ledger import verify_ledger
    from frontdesk.volunteers.shop import stock_problems

    with ctx.db.read() as session:
        check = verify_ledger(session)
        stock = stock_problems(session)
    if ctx.args.json:
        ctx.print_json({"intact": check.intact and not stock, "entries": check.entries,
                        "problems": [{"entry_id": p.entry_id, "problem": p.problem}
                                     for p in check.problems],
                        "stock_problems": stock})
    else:
        if check.intact:
            print(tr("积分流水完整：共 {n} 条，校验通过。", n=check.entries))
        else:
            print(tr("积分流水有 {n} 处异常：", n=len(check.problems)))
            for p in check.problems:
                print(tr("流水 {id}：{problem}", id=p.entry_id, problem=p.problem))
        for line in stock:
            print(line)
    return 0 if check.intact and not stock else EXIT_REFUSED


def cmd_expire(ctx: CliContext) -> int:
    from frontdesk.volunteers.service import expire_points

    with ctx.write() as (session, actor):
        total = expire_points(session, actor)
    if ctx.args.json:
        ctx.print_json({"expired_points": total})
    else:
        print(tr("已清理过期积分 {n} 分。", n=total))
    return 0


def cmd_items(ctx: CliContext) -> int:
    from frontdesk.volunteers.shop import list_goods

    with ctx.db.read() as session:
        goods = list_goods(session)
    if ctx.args.json:
        ctx.print_json([{"id": g.id, "name": g.name, "unit": g.unit,
                         "points_price": g.points_price, "stock": g.stock} for g in goods])
    else:
        for g in goods:
            print(tr("{name}\t{price} 分/{unit}\t库存 {stock}", name=g.name, price=g.points_price,
                     unit=g.unit or tr("件"), stock=g.stock))
    return 0


def cmd_restock(ctx: CliContext) -> int:
    from frontdesk.volunteers import shop

    with ctx.write() as (session, actor):
        g = shop.restock(session, actor, shop.find_goods(session, ctx.args.item).id,
                         ctx.args.quantity, ctx.args.reason)
    if ctx.args.json:
        ctx.print_json({"id": g.id, "name": g.name, "stock": g.stock})
    else:
        print(tr("{name} 入库 {n}，现有库存 {stock}。", name=g.name, n=ctx.args.quantity,
                 stock=g.stock))
    return 0
