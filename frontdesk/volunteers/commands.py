"""`frontdesk volunteers ...` and `frontdesk shop ...`: the desk's volunteer work from a shell."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from frontdesk.cli import EXIT_REFUSED, CliContext, add_command, add_group, add_switch_pair
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr


def register(subparsers: Any) -> None:
    """Add the `volunteers` and `shop` command groups."""
    vsub = add_group(subparsers, "volunteers", tr("志愿者与志愿积分"))

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

    _register_setup(vsub)

    ssub = add_group(subparsers, "shop", tr("积分超市"))
    p = add_command(ssub, "items", cmd_items, tr("列出积分超市的物品和库存"))
    _json(p)
    p.add_argument("--all", action="store_true", help=tr("也列出已下架的物品"))
    p = add_command(ssub, "restock", cmd_restock, tr("物品入库"))
    p.add_argument("item", metavar="ITEM")
    p.add_argument("quantity", type=int, metavar="QTY")
    p.add_argument("--reason", default="")
    _json(p)
    p = add_command(ssub, "add", cmd_shop_add, tr("新增物品（可带期初库存，管理员）"))
    p.add_argument("name", metavar="NAME")
    p.add_argument("--price", type=int, required=True, metavar="POINTS", help=tr("兑换积分"))
    p.add_argument("--unit", default="", help=tr("计量单位，例如 块、袋、瓶"))
    p.add_argument("--stock", type=int, default=0, metavar="QTY", help=tr("期初库存"))
    _json(p)
    p = add_command(ssub, "edit", cmd_shop_edit, tr("修改物品的名称、单位或兑换积分（管理员）"))
    p.add_argument("item", metavar="ITEM")
    p.add_argument("--name", help=tr("新名称"))
    p.add_argument("--price", type=int, metavar="POINTS", help=tr("兑换积分"))
    p.add_argument("--unit", help=tr("计量单位"))
    _json(p)
    for name, on, text in (("retire", False, tr("下架物品（库存和记录保留，管理员）")),
                           ("restore", True, tr("重新上架物品（管理员）"))):
        p = add_command(ssub, name, cmd_shop_shelf, text)
        p.add_argument("item", metavar="ITEM")
        p.set_defaults(on_shelf=on)
        _json(p)


def _json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help=tr("以 JSON 输出"))


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


def _goods_json(g: Any) -> dict[str, Any]:
    return {"id": g.id, "name": g.name, "unit": g.unit, "points_price": g.points_price,
            "stock": g.stock, "active": g.active}


def cmd_items(ctx: CliContext) -> int:
    from frontdesk.volunteers.shop import list_goods

    with ctx.db.read() as session:
        goods = list_goods(session, include_inactive=ctx.args.all)
    if ctx.args.json:
        ctx.print_json([_goods_json(g) for g in goods])
    else:
        if not goods:
            print(tr("积分超市还没有物品。管理员可以用 `frontdesk shop add 名称 --price 积分 "
                     "--stock 数量` 新增。"), file=sys.stderr)
        for g in goods:
            print(tr("{name}\t{price} 分/{unit}\t库存 {stock}", name=g.name, price=g.points_price,
                     unit=g.unit or tr("件"), stock=g.stock)
                  + ("" if g.active else "\t" + tr("已下架")))
    return 0


def cmd_shop_add(ctx: CliContext) -> int:
    from frontdesk.volunteers import shop

    with ctx.write() as (session, actor):
        g = shop.add_goods(session, actor, ctx.args.name, ctx.args.price, ctx.args.unit,
                           opening_stock=ctx.args.stock)
    return ctx.print_result(_goods_json(g), tr(
        "已新增物品 {name}：{price} 积分，期初库存 {stock}。", name=g.name, price=g.points_price,
        stock=g.stock))


def cmd_shop_edit(ctx: CliContext) -> int:
    from frontdesk.volunteers import shop

    args = ctx.args
    with ctx.write() as (session, actor):
        g = shop.find_goods(session, args.item)
        g = shop.update_goods(
            session, actor, g.id, name=g.name if args.name is None else args.name,
            unit=g.unit if args.unit is None else args.unit,
            points_price=g.points_price if args.price is None else args.price, active=g.active)
    return ctx.print_result(_goods_json(g), tr("已保存物品 {name}：{price} 积分。", name=g.name,
                                               price=g.points_price))


def cmd_shop_shelf(ctx: CliContext) -> int:
    from frontdesk.volunteers import shop

    with ctx.write() as (session, actor):
        g = shop.find_goods(session, ctx.args.item)
        g = shop.update_goods(session, actor, g.id, name=g.name, unit=g.unit,
                              points_price=g.points_price, active=ctx.args.on_shelf)
    return ctx.print_result(_goods_json(g), tr("{name} 已重新上架。", name=g.name) if g.active
                            else tr("{name} 已下架，库存和记录都保留。", name=g.name))


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


# -- setting volunteering up: teams, categories, activities, the certificate's details ------

def _register_setup(vsub: Any) -> None:
    p = add_command(vsub, "teams", cmd_teams, tr("列出志愿服务队"))
    p.add_argument("--all", action="store_true", help=tr("也列出已停用的队伍"))
    _json(p)
    tsub = add_group(vsub, "team", tr("新增、修改、停用志愿服务队（管理员）"))
    p = add_command(tsub, "add", cmd_team_add, tr("新增志愿服务队"))
    p.add_argument("name", metavar="NAME")
    p.add_argument("--leader", metavar="CARD_OR_ID", help=tr("队长的居民卡号或证件号"))
    _json(p)
    p = add_command(tsub, "edit", cmd_team_edit, tr("修改队伍名称或队长"))
    p.add_argument("team", metavar="TEAM")
    p.add_argument("--name", help=tr("新名称"))
    leader = p.add_mutually_exclusive_group()
    leader.add_argument("--leader", metavar="CARD_OR_ID", help=tr("队长的居民卡号或证件号"))
    leader.add_argument("--no-leader", action="store_true", help=tr("不设队长"))
    _json(p)
    for p in add_switch_pair(tsub, cmd_team_active, "team",
                             ("retire", tr("停用队伍（队员和记录保留）")),
                             ("restore", tr("重新启用队伍"))):
        _json(p)

    p = add_command(vsub, "categories", cmd_categories, tr("列出服务类别及每小时积分"))
    _json(p)
    csub = add_group(vsub, "category", tr("新增、修改服务类别（管理员）"))
    p = add_command(csub, "add", cmd_category_add, tr("新增服务类别"))
    p.add_argument("name", metavar="NAME")
    p.add_argument("--points-per-hour", type=int, required=True, metavar="N",
                   help=tr("每小时积分"))
    _json(p)
    p = add_command(csub, "edit", cmd_category_edit, tr("修改服务类别名称或每小时积分"))
    p.add_argument("category", metavar="CATEGORY")
    p.add_argument("--name", help=tr("新名称"))
    p.add_argument("--points-per-hour", type=int, metavar="N", help=tr("每小时积分"))
    _json(p)

    p = add_command(vsub, "activities", cmd_activities, tr("列出服务项目及积分规则"))
    p.add_argument("--all", action="store_true", help=tr("也列出已停用的服务项目"))
    _json(p)
    asub = add_group(vsub, "activity", tr("新增、修改、停用服务项目（管理员）"))
    p = add_command(asub, "add", cmd_activity_add, tr("新增服务项目"))
    p.add_argument("name", metavar="NAME")
    p.add_argument("--category", required=True, help=tr("服务类别名称"))
    p.add_argument("--fixed-points", type=int, metavar="N", help=tr("每次固定积分（不按小时）"))
    p.add_argument("--cap-hours", type=float, metavar="H", help=tr("每次最多计入小时数"))
    _json(p)
    p = add_command(asub, "edit", cmd_activity_edit, tr("修改服务项目的名称、类别或积分规则"))
    p.add_argument("activity", metavar="ACTIVITY")
    p.add_argument("--name", help=tr("新名称"))
    p.add_argument("--category", help=tr("服务类别名称"))
    fixed = p.add_mutually_exclusive_group()
    fixed.add_argument("--fixed-points", type=int, metavar="N", help=tr("每次固定积分"))
    fixed.add_argument("--per-hour", action="store_true", help=tr("改为按小时计分"))
    cap = p.add_mutually_exclusive_group()
    cap.add_argument("--cap-hours", type=float, metavar="H", help=tr("每次最多计入小时数"))
    cap.add_argument("--no-cap", action="store_true", help=tr("取消每次上限"))
    _json(p)
    for p in add_switch_pair(asub, cmd_activity_active, "activity",
                             ("retire", tr("停用服务项目（记录保留）")),
                             ("restore", tr("重新启用服务项目"))):
        _json(p)

    p = add_command(vsub, "certificate-details", cmd_certificate_details,
                    tr("查看或设置志愿服务证明上的负责人、联系电话和印章文字（设置需管理员）"))
    p.add_argument("--head", help=tr("负责人"))
    p.add_argument("--contact", help=tr("联系电话"))
    p.add_argument("--seal", help=tr("印章文字（公章上的单位名称）"))
    _json(p)

    p = add_command(vsub, "certificate", cmd_certificate,
                    tr("开具志愿服务证明，保存为 PDF 文件"))
    p.add_argument("code", metavar="CARD_OR_ID")
    p.add_argument("--from", dest="date_from", type=_date, metavar="YYYY-MM-DD",
                   help=tr("期间开始（默认今年 1 月 1 日）"))
    p.add_argument("--to", dest="date_to", type=_date, metavar="YYYY-MM-DD",
                   help=tr("期间结束（默认今天）"))
    p.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    _json(p)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(tr("日期格式应为 YYYY-MM-DD：{text}", text=text)) from None


def _team(session: Any, name: str) -> Any:
    from frontdesk.volunteers import service

    for t in service.team_details(session):
        if t.name == name.strip():
            return t
    raise RuleError(tr("没有名为“{name}”的志愿服务队。", name=name))


def _category(session: Any, name: str) -> tuple[int, str, int]:
    from frontdesk.volunteers import service

    for row in service.list_categories(session):
        if row[1] == name.strip():
            return row
    raise RuleError(tr("没有名为“{name}”的服务类别。", name=name))


def _activity(session: Any, name: str) -> Any:
    from frontdesk.volunteers import service

    for a in service.list_activities(session, include_inactive=True):
        if a.name == name.strip():
            return a
    raise RuleError(tr("没有名为“{name}”的服务项目。", name=name))


def _team_json(t: Any) -> dict[str, Any]:
    return {"id": t.id, "name": t.name, "leader": t.leader, "members": t.members,
            "active": t.active}


def cmd_teams(ctx: CliContext) -> int:
    from frontdesk.volunteers import service

    with ctx.db.read() as session:
        teams = [t for t in service.team_details(session) if t.active or ctx.args.all]
    if ctx.args.json:
        ctx.print_json([_team_json(t) for t in teams])
        return 0
    if not teams:
        print(tr("还没有志愿服务队。管理员可以用 `frontdesk volunteers team add 名称` 新增。"),
              file=sys.stderr)
    for t in teams:
        print("\t".join((t.name, t.leader or "-", tr("{n} 人", n=t.members),
                         tr("启用") if t.active else tr("已停用"))))
    return 0


def _leader_id(session: Any, code: str | None) -> int | None:
    from frontdesk.residents.service import resolve_card_or_id

    return resolve_card_or_id(session, code).id if code else None


def cmd_team_add(ctx: CliContext) -> int:
    from frontdesk.volunteers import service

    with ctx.write() as (session, actor):
        tid = service.create_team(session, actor, ctx.args.name,
                                  _leader_id(session, ctx.args.leader))
        t = next(t for t in service.team_details(session) if t.id == tid)
    return ctx.print_result(_team_json(t), tr("已新增志愿服务队：{name}", name=t.name))


def cmd_team_edit(ctx: CliContext) -> int:
    from frontdesk.volunteers import service

    args = ctx.args
    with ctx.write() as (session, actor):
        t = _team(session, args.team)
        row = session.get(service.VolunteerTeam, t.id)
        leader = (None if args.no_leader else _leader_id(session, args.leader)
                  if args.leader else row.leader_resident_id)
        t = service.update_team(session, actor, t.id, name=args.name or t.name,
                                leader_resident_id=leader, active=t.active)
    return ctx.print_result(_team_json(t), tr("已保存志愿服务队：{name}", name=t.name))


def cmd_team_active(ctx: CliContext) -> int:
    from frontdesk.volunteers import service

    with ctx.write() as (session, actor):
        t = _team(session, ctx.args.team)
        row = session.get(service.VolunteerTeam, t.id)
        t = service.update_team(session, actor, t.id, name=t.name,
                                leader_resident_id=row.leader_resident_id,
                                active=ctx.args.active)
    return ctx.print_result(_team_json(t), tr("{name} 已重新启用。", name=t.name) if t.active
                            else tr("{name} 已停用，队员和记录都保留。", name=t.name))


def cmd_categories(ctx: CliContext) -> int:
    from frontdesk.volunteers import service

    with ctx.db.read() as session:
        rows = service.list_categories(session)
    if ctx.args.json:
        ctx.print_json([_category_json(row) for row in rows])
        return 0
    if not rows:
        print(tr("还没有服务类别。管理员可以用 `frontdesk volunteers category add 名称 "
                 "--points-per-hour 1` 新增。"), file=sys.stderr)
    for _i, name, rate in rows:
        print(tr("{name}\t每小时 {n} 分", name=name, n=rate))
    return 0


def _category_json(row: tuple[int, str, int]) -> dict[str, Any]:
    return {"id": row[0], "name": row[1], "points_per_hour": row[2]}


def cmd_category_add(ctx: CliContext) -> int:
    from frontdesk.volunteers import service

    with ctx.write() as (session, actor):
        cid = service.create_category(session, actor, ctx.args.name, ctx.args.points_per_hour)
        row = next(r for r in service.list_categories(session) if r[0] == cid)
    return ctx.print_result(_category_json(row), tr("已新增服务类别 {name}：每小时 {n} 分。",
                                                    name=row[1], n=row[2]))


def cmd_category_edit(ctx: CliContext) -> int:
    from frontdesk.volunteers import service

    args = ctx.args
    with ctx.write() as (session, actor):
        cid, name, rate = _category(session, args.category)
        row = service.update_category(
            session, actor, cid, name=args.name or name,
            points_per_hour=rate if args.points_per_hour is None else args.points_per_hour)
    return ctx.print_result(_category_json(row), tr("已保存服务类别 {name}：每小时 {n} 分。",
                                                    name=row[1], n=row[2]))


def _activity_json(a: Any) -> dict[str, Any]:
    return {"id": a.id, "name": a.name, "category": a.category,
            "points_per_hour": a.points_per_hour, "fixed_points": a.fixed_points,
            "cap_minutes": a.cap_minutes, "active": a.active, "rule": a.rule_text()}


def cmd_activities(ctx: CliContext) -> int:
    from frontdesk.volunteers import service

    with ctx.db.read() as session:
        acts = service.list_activities(session, include_inactive=ctx.args.all)
    if ctx.args.json:
        ctx.print_json([_activity_json(a) for a in acts])
        return 0
    if not acts:
        print(tr("还没有服务项目。管理员可以先用 `frontdesk volunteers category add` 新增类别，"
                 "再用 `frontdesk volunteers activity add` 新增服务项目。"), file=sys.stderr)
    for a in acts:
        print("\t".join((a.name, a.category, a.rule_text()))
              + ("" if a.active else "\t" + tr("已停用")))
    return 0


def cmd_activity_add(ctx: CliContext) -> int:
    from frontdesk.volunteers import service

    args = ctx.args
    with ctx.write() as (session, actor):
        cid = _category(session, args.category)[0]
        aid = service.create_activity(session, actor, args.name, cid,
                                      fixed_points=args.fixed_points, cap_hours=args.cap_hours)
        a = next(a for a in service.list_activities(session) if a.id == aid)
    return ctx.print_result(_activity_json(a), tr("已新增服务项目 {name}：{rule}。", name=a.name,
                                                  rule=a.rule_text()))


def _edit_activity(ctx: CliContext, **changes: Any) -> int:
    from frontdesk.volunteers import service

    args = ctx.args
    with ctx.write() as (session, actor):
        a = _activity(session, args.activity)
        values: dict[str, Any] = {
            "name": a.name, "category_id": a.category_id, "fixed_points": a.fixed_points,
            "cap_hours": None if a.cap_minutes is None else a.cap_minutes / 60,
            "active": a.active}
        values.update(changes)
        a = service.update_activity(session, actor, a.id, **values)
    if not a.active:
        return ctx.print_result(_activity_json(a),
                                tr("服务项目 {name} 已停用，记录都保留。", name=a.name))
    return ctx.print_result(_activity_json(a), tr("已保存服务项目 {name}：{rule}。", name=a.name,
                                                  rule=a.rule_text()))


def cmd_activity_edit(ctx: CliContext) -> int:
    args = ctx.args
    changes: dict[str, Any] = {}
    if args.name:
        changes["name"] = args.name
    if args.fixed_points is not None or args.per_hour:
        changes["fixed_points"] = None if args.per_hour else args.fixed_points
    if args.cap_hours is not None or args.no_cap:
        changes["cap_hours"] = None if args.no_cap else args.cap_hours
    if args.category:
        with ctx.db.read() as session:
            changes["category_id"] = _category(session, args.category)[0]
    return _edit_activity(ctx, **changes)


def cmd_activity_active(ctx: CliContext) -> int:
    return _edit_activity(ctx, active=ctx.args.active)


def _details_json(d: Any) -> dict[str, Any]:
    return {"head": d.head, "contact": d.contact, "seal": d.seal}


def cmd_certificate_details(ctx: CliContext) -> int:
    from frontdesk.volunteers import setup

    args = ctx.args
    if args.head is None and args.contact is None and args.seal is None:
        with ctx.db.read() as session:
            details = setup.certificate_details(session)
            warning = setup.certificate_warning(session)
    else:
        with ctx.write() as (session, actor):
            details = setup.set_certificate_details(session, actor, head=args.head,
                                                    contact=args.contact, seal=args.seal)
            warning = setup.certificate_warning(session)
    if args.json:
        ctx.print_json(_details_json(details))
    else:
        blank = tr("（未填写）")
        print(tr("负责人：{v}", v=details.head or blank))
        print(tr("联系电话：{v}", v=details.contact or blank))
        print(tr("印章文字：{v}", v=details.seal or blank))
    if warning:
        print(tr("提醒：{text}", text=warning), file=sys.stderr)
    return 0


def cmd_certificate(ctx: CliContext) -> int:
    from frontdesk.documents import service as documents
    from frontdesk.volunteers import papers, reports, service, setup

    args = ctx.args
    with ctx.write() as (session, actor):
        v = service.find_volunteer(session, args.code)
        warning = setup.certificate_warning(session)
        today = actor.today()
        cert = reports.issue_certificate(session, actor, v.id,
                                         args.date_from or today.replace(month=1, day=1),
                                         args.date_to or today)
    # The number is taken and committed; the paper is made and archived after it.
    with ctx.write() as (session, actor):
        pdf = papers.certificate_pdf(session, actor, cert)
        documents.archive_document(session, actor, kind=papers.KIND_CERTIFICATE,
                                   title=papers.certificate_title(cert),
                                   paper=documents.PAPER_A4, pdf=pdf, record_type="volunteer",
                                   record_id=v.id)
    try:
        args.out.write_bytes(pdf)
    except OSError as exc:
        raise RuleError(tr("证明 {number} 已登记，但无法写入文件：{err}", number=cert.number,
                           err=exc)) from None
    if warning:
        print(tr("提醒：{text}", text=warning), file=sys.stderr)
    if args.json:
        ctx.print_json({"number": cert.number, "volunteer": cert.volunteer_number,
                        "hours": cert.total_hours, "file": str(args.out),
                        "warning": warning})
    else:
        print(tr("已开具志愿服务证明 {number}（{name}，{h} 小时）：{file}", number=cert.number,
                 name=cert.name, h=f"{cert.total_hours:g}", file=args.out))
    return 0
