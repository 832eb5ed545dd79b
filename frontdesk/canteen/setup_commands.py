"""`frontdesk canteen session|menu|funder|rule ...`: the canteen's setup on the command line.

The same services as the admin tab of the canteen page; a refused write changes nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from frontdesk.cli import CliContext, add_command, add_group, add_switch_pair
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr

MEAL_TYPE_WORDS = {"堂食": "dine_in", "打包": "takeaway", "送餐": "delivery",
                   "dine_in": "dine_in", "takeaway": "takeaway", "delivery": "delivery"}
HUKOU_WORDS = {"本地": "local", "本地户籍": "local", "外来": "non_local", "local": "local",
               "non_local": "non_local"}
NONE_WORDS = {"", "none", "不限", "无"}


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(tr("日期格式应为 YYYY-MM-DD：{text}", text=text)
                                         ) from None


def register_setup(inner: Any) -> None:
    """Add `canteen session`, `canteen menu`, `canteen funder` and `canteen rule`."""
    sessions = add_group(inner, "session", tr("餐次（午餐、晚餐）：新增、修改、停用、列出"))
    p = add_command(sessions, "add", cmd_session_add, tr("新增餐次"))
    p.add_argument("name", metavar="NAME", help=tr("餐次名称，例如 午餐"))
    _session_options(p, required=True)

    p = add_command(sessions, "edit", cmd_session_edit,
                    tr("修改餐次（没写的项目保持不变；已出的餐票不受影响）"))
    p.add_argument("name", metavar="NAME", help=tr("现在的餐次名称"))
    p.add_argument("--name", dest="new_name", metavar="NEW", help=tr("新名称"))
    _session_options(p, required=False)
    p.add_argument("--no-limit", action="store_true", help=tr("取消份数上限"))

    add_switch_pair(sessions, cmd_session_active, "name",
                    ("retire", tr("停用餐次（保留记录和餐票，不再出票）")),
                    ("restore", tr("重新启用已停用的餐次")), arg_help=tr("餐次名称"))

    p = add_command(sessions, "list", cmd_session_list, tr("列出餐次"))
    p.add_argument("--date", type=_date, metavar="D", help=tr("按这一天的菜单和价格（默认今天）"))
    p.add_argument("--all", action="store_true", help=tr("包括已停用的餐次"))
    p.add_argument("--json", action="store_true", help=tr("以 JSON 输出（金额为分）"))

    p = add_command(inner, "menu", cmd_menu,
                    tr("某一天某餐次的菜单（也可改当天价格、份数或停止供餐）"))
    p.add_argument("--session", required=True, metavar="NAME", help=tr("餐次名称，例如 午餐"))
    p.add_argument("--date", required=True, type=_date, metavar="D", help=tr("日期 YYYY-MM-DD"))
    p.add_argument("text", nargs="?", metavar="TEXT", help=tr("当天菜单（不写则用餐次的标准菜单）"))
    p.add_argument("--price", metavar="YUAN", help=tr("当天价格（元；管理员）"))
    p.add_argument("--capacity", type=int, metavar="N", help=tr("当天份数上限（管理员）"))
    p.add_argument("--closed", action="store_true", help=tr("当天这一餐停止供餐"))

    funders = add_group(inner, "funder",
                        tr("资助方（政府补助、村级、慈善）：新增、改名、停用、列出"))
    p = add_command(funders, "add", cmd_funder_add, tr("新增资助方"))
    p.add_argument("name", metavar="NAME", help=tr("资助方名称"))
    p = add_command(funders, "rename", cmd_funder_rename, tr("资助方改名（已出的餐票保留旧名称）"))
    p.add_argument("name", metavar="NAME", help=tr("现在的名称"))
    p.add_argument("new_name", metavar="NEW", help=tr("新名称"))
    for action, helptext, handler in (
            ("retire", tr("停用资助方（先停用用到它的补助规则）"), cmd_funder_retire),
            ("restore", tr("重新启用资助方"), cmd_funder_restore)):
        p = add_command(funders, action, handler, helptext)
        p.add_argument("name", metavar="NAME", help=tr("资助方名称"))
    p = add_command(funders, "list", cmd_funder_list, tr("列出资助方"))
    p.add_argument("--all", action="store_true", help=tr("包括已停用的资助方"))
    p.add_argument("--json", action="store_true", help=tr("以 JSON 输出"))

    rules = add_group(inner, "rule", tr("补助规则：新增、修改、停用、列出"))
    p = add_command(rules, "add", cmd_rule_add, tr("新增补助规则"))
    p.add_argument("--name", required=True, help=tr("规则名称，例如 高龄老人（80岁以上）"))
    _rule_options(p)
    p = add_command(rules, "edit", cmd_rule_edit,
                    tr("修改补助规则（没写的项目保持不变；已出的餐票不受影响）"))
    p.add_argument("rule", metavar="RULE", help=tr("规则编号（见 rule list）或名称"))
    p.add_argument("--name", help=tr("新名称"))
    _rule_options(p)
    p = add_command(rules, "retire", cmd_rule_retire, tr("停用补助规则（保留记录，旧餐票不变）"))
    p.add_argument("rule", metavar="RULE", help=tr("规则编号（见 rule list）或名称"))
    p.add_argument("--reason", required=True, help=tr("停用原因"))
    p = add_command(rules, "list", cmd_rule_list, tr("列出补助规则"))
    p.add_argument("--all", action="store_true", help=tr("包括已停用的规则"))
    p.add_argument("--json", action="store_true", help=tr("以 JSON 输出（金额为分）"))


def _session_options(p: argparse.ArgumentParser, *, required: bool) -> None:
    p.add_argument("--start", required=required, metavar="HH:MM", help=tr("开始时间，例如 11:00"))
    p.add_argument("--end", required=required, metavar="HH:MM", help=tr("结束时间，例如 13:00"))
    p.add_argument("--price", required=required, metavar="YUAN",
                   help=tr("标准价格（元），例如 9.9"))
    p.add_argument("--capacity", type=int, metavar="N", help=tr("每餐份数上限（不写为不限）"))
    p.add_argument("--menu", metavar="TEXT", help=tr("标准菜单"))


def _rule_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--share", action="append", metavar="FUNDER=YUAN",
                   help=tr("资助方固定承担的金额，可写多次，例如 --share 政府补助=7"))
    p.add_argument("--rest", metavar="FUNDER",
                   help=tr("承担其余部分的资助方（默认本人自付）"))
    p.add_argument("--from", dest="start", type=_date, metavar="D",
                   help=tr("生效日期（新增时必填）"))
    p.add_argument("--to", dest="end", metavar="D", help=tr("结束日期（含当天）；none 为长期"))
    p.add_argument("--priority", type=int, metavar="N", help=tr("优先级，数字小的先用"))
    p.add_argument("--min-age", metavar="N", help=tr("最低年龄；none 为不限"))
    p.add_argument("--max-age", metavar="N", help=tr("最高年龄；none 为不限"))
    p.add_argument("--tag", action="append", metavar="TAG",
                   help=tr("居民标签，任一即可，可写多次，例如 --tag 低保 --tag 特困"))
    p.add_argument("--no-tags", action="store_true", help=tr("不限标签"))
    p.add_argument("--hukou", choices=[*sorted(HUKOU_WORDS), "none"],
                   help=tr("户籍：本地 或 外来；none 为不限"))
    p.add_argument("--type", dest="types", action="append", choices=sorted(MEAL_TYPE_WORDS),
                   help=tr("就餐类型，可写多次（不写为不限）"))
    p.add_argument("--all-types", action="store_true", help=tr("不限就餐类型"))
    p.add_argument("--session", metavar="NAME", help=tr("只用于这个餐次；none 为所有餐次"))
    p.add_argument("--min-price", metavar="YUAN", help=tr("餐价至少多少元才适用；none 为不限"))


def _optional_int(text: str, label: str) -> int | None:
    if text.strip().lower() in NONE_WORDS:
        return None
    if not text.strip().isdigit():
        raise RuleError(tr("{label}要填整数：{text}", label=label, text=text))
    return int(text.strip())


def _capacity(value: int | None) -> int | None:
    if value is not None and value < 1:
        raise RuleError(tr("供餐份数至少为 1（不限份数请留空）。"))
    return value


# -- sessions ------------------------------------------------------------------------------


def _print_session(s: Any) -> None:
    from frontdesk.core.money import format_yuan

    limit = tr("不限份数") if s.capacity is None else tr("{n} 份", n=s.capacity)
    state = "" if s.active else tr("（已停用）")
    closed = tr("（当天停止供餐）") if s.closed else ""
    print(f"{s.name}{state}{closed}  {s.start_time}-{s.end_time}  "
          f"{tr('{yuan} 元', yuan=format_yuan(s.price_fen))}  {limit}  {s.menu}")


def cmd_session_add(ctx: CliContext) -> int:
    from frontdesk.canteen import service as svc
    from frontdesk.core.money import parse_yuan

    a = ctx.args
    with ctx.write() as (session, actor):
        s = svc.create_session(session, actor, a.name, a.start, a.end, parse_yuan(a.price),
                               _capacity(a.capacity), a.menu or "")
    print(tr("已新增餐次：") + s.name)
    _print_session(s)
    return 0


def cmd_session_edit(ctx: CliContext) -> int:
    from frontdesk.canteen import service as svc
    from frontdesk.core.money import parse_yuan

    a = ctx.args
    with ctx.write() as (session, actor):
        row = svc.session_by_name(session, a.name)
        capacity = None if a.no_limit else (
            _capacity(a.capacity) if a.capacity is not None else row.capacity)
        s = svc.update_session(
            session, actor, row.id, name=a.new_name,
            price_fen=parse_yuan(a.price) if a.price is not None else row.price_fen,
            capacity=capacity, menu=a.menu if a.menu is not None else row.menu,
            start_time=a.start or row.start_time, end_time=a.end or row.end_time,
            active=row.active)
    print(tr("已修改餐次：") + s.name)
    _print_session(s)
    return 0


def cmd_session_active(ctx: CliContext) -> int:
    """`canteen session retire NAME` and `canteen session restore NAME`."""
    from frontdesk.canteen import service as svc

    with ctx.write() as (session, actor):
        row = svc.session_by_name(session, ctx.args.name)
        s = svc.set_session_active(session, actor, row.id, ctx.args.active)
    print((tr("已重新启用餐次：") if ctx.args.active else tr("已停用餐次：")) + s.name)
    return 0


def cmd_session_list(ctx: CliContext) -> int:
    from frontdesk.canteen import service as svc
    from frontdesk.core.clock import Clock

    day = ctx.args.date or Clock().today()
    with ctx.db.read() as session:
        sessions = svc.list_sessions(session, day, include_inactive=ctx.args.all)
    if ctx.args.json:
        ctx.print_json([{"id": s.id, "name": s.name, "start": s.start_time, "end": s.end_time,
                         "price_fen": s.price_fen, "capacity": s.capacity, "menu": s.menu,
                         "active": s.active, "closed": s.closed, "date": day.isoformat()}
                        for s in sessions])
        return 0
    if not sessions:
        print(tr("还没有餐次。新增：frontdesk canteen session add 午餐 --start 11:00 --end 13:00 "
                 "--price 10"))
    for s in sessions:
        _print_session(s)
    return 0


def cmd_menu(ctx: CliContext) -> int:
    from frontdesk.canteen import service as svc
    from frontdesk.core.money import parse_yuan

    a = ctx.args
    with ctx.write() as (session, actor):
        row = svc.session_by_name(session, a.session)
        s = svc.set_day(session, actor, row.id, a.date, menu=a.text,
                        price_fen=None if a.price is None else parse_yuan(a.price),
                        capacity=_capacity(a.capacity), closed=a.closed)
    print(tr("{date} {name}：", date=a.date.isoformat(), name=s.name)
          + (tr("停止供餐") if s.closed else s.menu or tr("（标准菜单）")))
    return 0


# -- funders -------------------------------------------------------------------------------


def cmd_funder_add(ctx: CliContext) -> int:
    from frontdesk.canteen import service as svc

    with ctx.write() as (session, actor):
        f = svc.create_funder(session, actor, ctx.args.name)
    print(tr("已新增资助方：") + f.name)
    return 0


def cmd_funder_rename(ctx: CliContext) -> int:
    from frontdesk.canteen import service as svc

    with ctx.write() as (session, actor):
        old = svc.funder_by_name(session, ctx.args.name)
        f = svc.rename_funder(session, actor, old.id, ctx.args.new_name, active=old.active)
    print(tr("资助方“{old}”已改名为“{new}”。", old=old.name, new=f.name))
    return 0


def cmd_funder_retire(ctx: CliContext) -> int:
    from frontdesk.canteen import service as svc

    with ctx.write() as (session, actor):
        f = svc.retire_funder(session, actor, svc.funder_by_name(session, ctx.args.name).id)
    print(tr("已停用资助方：") + f.name)
    return 0


def cmd_funder_restore(ctx: CliContext) -> int:
    from frontdesk.canteen import service as svc

    with ctx.write() as (session, actor):
        f = svc.restore_funder(session, actor, svc.funder_by_name(session, ctx.args.name).id)
    print(tr("已重新启用资助方：") + f.name)
    return 0


def cmd_funder_list(ctx: CliContext) -> int:
    from frontdesk.canteen import service as svc

    with ctx.db.read() as session:
        funders = svc.list_funders(session, include_inactive=ctx.args.all)
    if ctx.args.json:
        ctx.print_json([{"id": f.id, "name": f.name, "is_self": f.is_self, "active": f.active}
                        for f in funders])
        return 0
    for f in funders:
        note = tr("（就餐者本人）") if f.is_self else "" if f.active else tr("（已停用）")
        print(f"{f.name}{note}")
    return 0


# -- rules ---------------------------------------------------------------------------------


def _rule_form(session: Any, a: argparse.Namespace, old: Any | None) -> Any:
    """The rule the options describe; options left out keep ``old``'s values (on edit)."""
    from frontdesk.canteen import service as svc
    from frontdesk.core.money import parse_yuan

    spec = None if old is None else old.spec
    if a.share is not None or a.rest is not None or spec is None:
        rest_id = (svc.funder_by_name(session, a.rest).id if a.rest else None)
        shares: list[tuple[int, int, bool]] = []
        for item in a.share or []:
            name, sep, yuan = item.rpartition("=")
            if not sep or not name.strip():
                raise RuleError(tr("--share 要写成 资助方=金额，例如 政府补助=7：{text}",
                                   text=item))
            funder = svc.funder_by_name(session, name)
            if funder.id == rest_id:
                raise RuleError(tr("{name} 已承担其余部分，不用再写固定金额。", name=funder.name))
            shares.append((funder.id, parse_yuan(yuan), False))
        if rest_id is not None:
            shares.append((rest_id, 0, True))
        elif spec is not None and a.share is None:
            shares = [(s.funder_id, s.amount_fen, s.is_rest) for s in spec.shares]
    else:
        shares = [(s.funder_id, s.amount_fen, s.is_rest) for s in spec.shares]

    def keep(value: Any, current: Any, parse: Any) -> Any:
        return current if value is None else parse(value)

    start = a.start if a.start is not None else (None if spec is None else spec.effective_from)
    if start is None:
        raise RuleError(tr("请用 --from 写明规则从哪一天起生效。"))
    end = keep(a.end, None if spec is None else spec.effective_to,
               lambda t: None if t.strip().lower() in NONE_WORDS else _date(t))
    priority = a.priority if a.priority is not None else (
        svc.next_priority(session) if spec is None else spec.priority)
    tags: tuple[str, ...] = () if a.no_tags else tuple(a.tag) if a.tag else (
        () if spec is None else tuple(sorted(spec.tags)))
    types: tuple[str, ...] = () if a.all_types else tuple(
        dict.fromkeys(MEAL_TYPE_WORDS[t] for t in a.types)) if a.types else (
        () if spec is None else tuple(sorted(spec.meal_types)))
    hukou = keep(a.hukou, None if spec is None else spec.hukou,
                 lambda t: None if t == "none" else HUKOU_WORDS[t])
    session_id = keep(a.session, None if spec is None else spec.session_id,
                      lambda t: None if t.strip().lower() in NONE_WORDS
                      else svc.session_by_name(session, t).id)
    return svc.RuleForm(
        a.name if a.name is not None else spec.name if spec is not None else "",
        priority, start, end, tuple(shares),
        min_age=keep(a.min_age, None if spec is None else spec.min_age,
                     lambda t: _optional_int(t, tr("最低年龄"))),
        max_age=keep(a.max_age, None if spec is None else spec.max_age,
                     lambda t: _optional_int(t, tr("最高年龄"))),
        tags=tags, hukou=hukou, meal_types=types, session_id=session_id,
        min_price_fen=keep(a.min_price, None if spec is None else spec.min_price_fen,
                           lambda t: None if t.strip().lower() in NONE_WORDS
                           else parse_yuan(t)))


def _print_rule(session: Any, rule: Any) -> None:
    from frontdesk.canteen import service as svc

    names = {s.id: s.name for s in svc.list_sessions(session, dt.date.min,
                                                      include_inactive=True)}
    self_id = svc.self_funder_id(session)
    state = "" if rule.active else tr("（已停用）")
    print(f"#{rule.id} {tr('优先级')} {rule.spec.priority}{state}  "
          f"{svc.rule_in_words(rule.spec, names, self_id)}")


def cmd_rule_add(ctx: CliContext) -> int:
    from frontdesk.canteen import service as svc

    with ctx.write() as (session, actor):
        svc.ensure_self_funder(session, actor)
        rule = svc.save_rule(session, actor, _rule_form(session, ctx.args, None))
        print(tr("已新增补助规则："))
        _print_rule(session, rule)
    return 0


def cmd_rule_edit(ctx: CliContext) -> int:
    from frontdesk.canteen import service as svc

    with ctx.write() as (session, actor):
        old = svc.rule_by_ref(session, ctx.args.rule)
        rule = svc.save_rule(session, actor, _rule_form(session, ctx.args, old), rule_id=old.id)
        print(tr("已修改补助规则："))
        _print_rule(session, rule)
    return 0


def cmd_rule_retire(ctx: CliContext) -> int:
    from frontdesk.canteen import service as svc

    with ctx.write() as (session, actor):
        rule = svc.retire_rule(session, actor, svc.rule_by_ref(session, ctx.args.rule).id,
                               ctx.args.reason)
    print(tr("已停用补助规则：") + rule.spec.name)
    return 0


def cmd_rule_list(ctx: CliContext) -> int:
    from frontdesk.canteen import service as svc

    with ctx.db.read() as session:
        rules = svc.list_rules(session, include_inactive=ctx.args.all)
        if ctx.args.json:
            names = {s.id: s.name for s in svc.list_sessions(session, dt.date.min,
                                                              include_inactive=True)}
            self_id = svc.self_funder_id(session) if rules else None
            ctx.print_json([{
                "id": r.id, "name": r.spec.name, "priority": r.spec.priority,
                "from": r.spec.effective_from.isoformat(),
                "to": r.spec.effective_to.isoformat() if r.spec.effective_to else None,
                "min_age": r.spec.min_age, "max_age": r.spec.max_age,
                "tags": sorted(r.spec.tags), "hukou": r.spec.hukou,
                "meal_types": sorted(r.spec.meal_types),
                "session": names.get(r.spec.session_id) if r.spec.session_id else None,
                "min_price_fen": r.spec.min_price_fen,
                "shares": [{"funder": s.funder_name, "funder_id": s.funder_id,
                            "amount_fen": s.amount_fen, "rest": s.is_rest}
                           for s in r.spec.shares],
                "words": svc.rule_in_words(r.spec, names, self_id), "active": r.active,
            } for r in rules])
            return 0
        if not rules:
            print(tr("还没有补助规则：所有长者都按全价付费。"))
        for r in rules:
            _print_rule(session, r)
    return 0
