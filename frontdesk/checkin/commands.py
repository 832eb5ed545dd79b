"""`frontdesk checkin CARD_OR_ID`, `frontdesk checkin export --date D --csv/--xlsx OUT`, and the
admin's `frontdesk purposes ...` / `frontdesk tally-groups ...` that set check-in up."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from frontdesk.cli import (
    EXIT_USAGE,
    CliContext,
    active_message,
    add_command,
    add_group,
    add_switch_pair,
    output_file,
)
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr


def register(subparsers: Any) -> None:
    """Add the check-in subcommand."""
    p = add_command(subparsers, "checkin", cmd_checkin,
                    tr("签到：按卡号或证件号签到；或用 export 导出某天的来访登记表"))
    p.add_argument("code", metavar="CARD_OR_ID|export|stats",
                   help=tr("居民卡号或证件号；写 export 导出来访登记表，写 stats 显示月度统计"))
    p.add_argument("--purpose", metavar="NAME",
                   help=tr("签到事由（名称或快捷键，默认用设置中的默认事由）"))
    p.add_argument("--confirm-repeat", action="store_true",
                   help=tr("时间窗内重复签到时仍然签到"))
    p.add_argument("--checkout", action="store_true",
                   help=tr("签退：这位居民今天最近一次还没签退的签到"))
    p.add_argument("--json", action="store_true", help=tr("以 JSON 输出结果"))
    p.add_argument("--date", metavar="YYYY-MM-DD", help=tr("导出的营业日期（默认今天）"))
    p.add_argument("--month", metavar="YYYY-MM", help=tr("统计的月份（默认本月）"))
    p.add_argument("--csv", type=output_file, metavar="OUT", help=argparse.SUPPRESS)
    p.add_argument("--xlsx", type=output_file, metavar="OUT", help=argparse.SUPPRESS)
    _register_purposes(subparsers)
    _register_groups(subparsers)


def _register_purposes(subparsers: Any) -> None:
    sub = add_group(subparsers, "purposes",
                    tr("签到事由（管理员）：列出、添加、修改、停用、排序、设定默认事由"))
    p = add_command(sub, "list", cmd_purposes_list, tr("列出签到事由（默认事由标 *）"))
    p.add_argument("--all", action="store_true", help=tr("包括已停用的"))
    p.add_argument("--json", action="store_true")
    areas = "、".join(f"{code}={label}" for code, label in _areas().items())
    p = add_command(sub, "add", cmd_purposes_add, tr("添加签到事由"))
    p.add_argument("name", metavar="NAME")
    p.add_argument("--area", required=True,
                   help=tr("服务领域（1+6+X）：{areas}", areas=areas))
    p.add_argument("--hotkey", default="", metavar="KEY", help=tr("快捷键：一个数字或字母"))
    p.add_argument("--default", action="store_true", help=tr("同时设为默认事由"))
    p = add_command(sub, "edit", cmd_purposes_edit, tr("修改签到事由（改名、领域、快捷键）"))
    p.add_argument("name", metavar="NAME")
    p.add_argument("--name", dest="new_name", metavar="NEW", help=tr("新名称"))
    p.add_argument("--area", help=tr("服务领域"))
    p.add_argument("--hotkey", metavar="KEY", help=tr("快捷键（写 none 去掉）"))
    add_switch_pair(sub, cmd_purposes_active, "name",
                    ("retire", tr("停用签到事由（历史记录保留）")),
                    ("restore", tr("重新启用已停用的签到事由")))
    p = add_command(sub, "move", cmd_purposes_move, tr("调整签到事由在签到页的顺序"))
    p.add_argument("name", metavar="NAME")
    p.add_argument("--by", type=int, required=True, metavar="N",
                   help=tr("移动几位：负数往前，正数往后"))
    p = add_command(sub, "default", cmd_purposes_default, tr("设定刷卡直接签到的默认事由"))
    p.add_argument("name", metavar="NAME", nargs="?",
                   help=tr("事由名称；不写并加 --none 则改为每次选择"))
    p.add_argument("--none", action="store_true", help=tr("不设默认事由（每次选择）"))


def _register_groups(subparsers: Any) -> None:
    sub = add_group(subparsers, "tally-groups",
                    tr("匿名计数分组（管理员）：列出、添加、改名、停用、排序"))
    p = add_command(sub, "list", cmd_groups_list, tr("列出匿名计数分组"))
    p.add_argument("--all", action="store_true", help=tr("包括已停用的"))
    p.add_argument("--json", action="store_true")
    p = add_command(sub, "add", cmd_groups_add, tr("添加匿名计数分组"))
    p.add_argument("name", metavar="NAME")
    p = add_command(sub, "rename", cmd_groups_rename, tr("给匿名计数分组改名"))
    p.add_argument("name", metavar="NAME")
    p.add_argument("new_name", metavar="NEW")
    add_switch_pair(sub, cmd_groups_active, "name",
                    ("retire", tr("停用匿名计数分组（历史记录保留）")),
                    ("restore", tr("重新启用已停用的匿名计数分组")))
    p = add_command(sub, "move", cmd_groups_move, tr("调整匿名计数分组的顺序"))
    p.add_argument("name", metavar="NAME")
    p.add_argument("--by", type=int, required=True, metavar="N",
                   help=tr("移动几位：负数往前，正数往后"))


def _areas() -> dict[str, str]:
    from frontdesk.checkin.models import AREAS

    return {code: tr(label) for code, label in AREAS.items()}


def cmd_purposes_list(ctx: CliContext) -> int:
    from frontdesk.checkin import service

    with ctx.db.read() as session:
        purposes = service.list_purposes(session, include_inactive=ctx.args.all)
        default = service.default_purpose(session)
    default_id = default.id if default else None
    if ctx.args.json:
        ctx.print_json([{"id": p.id, "name": p.label, "area": p.area, "area_label": p.area_label,
                         "hotkey": p.hotkey, "active": p.active, "order": p.sort_order,
                         "default": p.id == default_id} for p in purposes])
        return 0
    for p in purposes:
        mark = "*" if p.id == default_id else " "
        state = "" if p.active else tr("（停用）")
        print(f"{mark} [{p.hotkey or ' '}] {p.label}\t{p.area_label}{state}")
    if default is None:
        print(tr("（没有默认事由：每次签到都要写 --purpose）"))
    return 0


def cmd_purposes_add(ctx: CliContext) -> int:
    from frontdesk.checkin import service

    with ctx.write() as (session, actor):
        made = service.save_purpose(session, actor, None, name=ctx.args.name,
                                    area=service.area_code(ctx.args.area),
                                    hotkey=ctx.args.hotkey)
        if ctx.args.default:
            service.set_default_purpose(session, actor, made.id)
    print(tr("已添加签到事由：{name}", name=made.label)
          + (tr("（默认事由）") if ctx.args.default else ""))
    return 0


def cmd_purposes_edit(ctx: CliContext) -> int:
    from frontdesk.checkin import service

    args = ctx.args
    with ctx.write() as (session, actor):
        found = service.find_purpose(session, args.name, include_inactive=True)
        hotkey = found.hotkey if args.hotkey is None else args.hotkey
        if hotkey is not None and hotkey.strip().lower() == "none":
            hotkey = None
        saved = service.save_purpose(
            session, actor, found.id, name=args.new_name or found.name,
            area=service.area_code(args.area) if args.area else found.area,
            active=found.active, hotkey=hotkey)
    print(tr("已保存签到事由：{name}", name=saved.label))
    return 0


def cmd_purposes_active(ctx: CliContext) -> int:
    """`purposes retire NAME` and `purposes restore NAME`."""
    from frontdesk.checkin import service

    with ctx.write() as (session, actor):
        found = service.find_purpose(session, ctx.args.name, include_inactive=True)
        saved = service.set_purpose_active(session, actor, found.id, ctx.args.active)
    print(active_message(ctx.args.active, saved.label))
    return 0


def cmd_purposes_move(ctx: CliContext) -> int:
    from frontdesk.checkin import service

    with ctx.write() as (session, actor):
        found = service.find_purpose(session, ctx.args.name, include_inactive=True)
        service.move_purpose(session, actor, found.id, ctx.args.by)
        order = [p.label for p in service.list_purposes(session)]
    print(tr("签到页的事由顺序：{order}", order="、".join(order)))
    return 0


def cmd_purposes_default(ctx: CliContext) -> int:
    from frontdesk.checkin import service

    args = ctx.args
    if bool(args.name) == bool(args.none):
        print(tr("请写一个事由名称，或用 --none 改为每次选择（二选一）。"))
        return EXIT_USAGE
    with ctx.write() as (session, actor):
        purpose_id = None if args.none else service.find_purpose(session, args.name).id
        chosen = service.set_default_purpose(session, actor, purpose_id)
    if chosen is None:
        print(tr("已取消默认事由：每次签到都要选择事由。"))
    else:
        print(tr("默认事由：{name}（刷卡即按此事由签到）", name=chosen.label))
    return 0


def cmd_groups_list(ctx: CliContext) -> int:
    from frontdesk.checkin import service

    with ctx.db.read() as session:
        groups = service.list_tally_groups(session, include_inactive=ctx.args.all)
    if ctx.args.json:
        ctx.print_json([{"id": g.id, "name": g.label, "active": g.active,
                         "order": g.sort_order} for g in groups])
        return 0
    for g in groups:
        print(g.label + ("" if g.active else tr("（停用）")))
    return 0


def cmd_groups_add(ctx: CliContext) -> int:
    from frontdesk.checkin import service

    with ctx.write() as (session, actor):
        made = service.save_tally_group(session, actor, None, name=ctx.args.name)
    print(tr("已添加匿名计数分组：{name}", name=made.label))
    return 0


def cmd_groups_rename(ctx: CliContext) -> int:
    from frontdesk.checkin import service

    with ctx.write() as (session, actor):
        found = service.find_tally_group(session, ctx.args.name)
        saved = service.save_tally_group(session, actor, found.id, name=ctx.args.new_name,
                                         active=found.active)
    print(tr("已改名为：{name}", name=saved.label))
    return 0


def cmd_groups_active(ctx: CliContext) -> int:
    """`tally-groups retire NAME` and `tally-groups restore NAME`."""
    from frontdesk.checkin import service

    with ctx.write() as (session, actor):
        found = service.find_tally_group(session, ctx.args.name)
        saved = service.set_tally_group_active(session, actor, found.id, ctx.args.active)
    print(active_message(ctx.args.active, saved.label))
    return 0


def cmd_groups_move(ctx: CliContext) -> int:
    from frontdesk.checkin import service

    with ctx.write() as (session, actor):
        found = service.find_tally_group(session, ctx.args.name)
        service.move_tally_group(session, actor, found.id, ctx.args.by)
        order = [g.label for g in service.list_tally_groups(session)]
    print(tr("匿名计数分组顺序：{order}", order="、".join(order)))
    return 0


def cmd_checkin(ctx: CliContext) -> int:
    if ctx.args.code == "export":
        return _export(ctx)
    if ctx.args.code == "stats":
        return _stats(ctx)
    from frontdesk.checkin import service

    if ctx.args.checkout:
        return _checkout(ctx)
    with ctx.write() as (session, actor):
        purpose_id = None
        if ctx.args.purpose:
            purpose_id = service.find_purpose(session, ctx.args.purpose).id
        elif service.default_purpose(session) is None:
            # Without a default the desk must say why the person came: name how to do it
            # (after the card, so an unknown card is reported as such).
            from frontdesk.residents.service import resolve_card_or_id

            resolve_card_or_id(session, ctx.args.code)
            names = "、".join(p.label for p in service.list_purposes(session))
            raise RuleError(tr(
                "没有写签到事由，本中心也没有设定默认事由。"
                "请加 --purpose 事由名称（可选：{names}），"
                "或请管理员设定默认事由：frontdesk purposes default 事由名称。",
                names=names or tr("（还没有事由，请管理员先添加：frontdesk purposes add）")))
        try:
            result = service.check_in(session, actor, code=ctx.args.code,
                                      purpose_id=purpose_id,
                                      confirm_repeat=ctx.args.confirm_repeat)
        except service.RepeatCheckin as exc:  # the screen asks; the command line says how
            raise RuleError(tr("{message}（要再签到一次，请加 --confirm-repeat）",
                               message=exc.message)) from None
    entry = result.entry
    if ctx.args.json:
        ctx.print_json({"id": entry.id, "resident_id": entry.resident_id, "name": entry.name,
                        "purpose": entry.purpose, "business_date": entry.business_date,
                        "checked_in_at": entry.checked_in_at.isoformat(),
                        "operator": entry.operator, "warning": result.warning})
    else:
        print(tr("已签到：{name}，事由：{purpose}（记录 {id}）", name=entry.name,
                 purpose=entry.purpose, id=entry.id))
        if result.warning:
            print(result.warning)
    return 0


def _checkout(ctx: CliContext) -> int:
    """签退 of the resident's latest check-in today that is still open."""
    from frontdesk.checkin import service
    from frontdesk.residents.service import resolve_card_or_id

    with ctx.write() as (session, actor):
        resident = resolve_card_or_id(session, ctx.args.code)
        still_in = [row for row in service.in_centre(session, actor.today())
                    if row.resident_id == resident.id]
        if not still_in:
            raise RuleError(tr("{name} 今天没有还没签退的签到。", name=resident.name))
        latest = max(still_in, key=lambda row: row.checked_in_at)
        row = service.check_out(session, actor, latest.id)
    print(tr("已签退：{name}，事由：{purpose}，停留 {minutes} 分钟", name=row.name,
             purpose=row.purpose, minutes=row.duration_minutes or 0))
    return 0


def _export(ctx: CliContext) -> int:
    from frontdesk.checkin.export import write_csv, write_xlsx
    from frontdesk.checkin.reports import attendance_sheet

    args = ctx.args
    if (args.csv is None) == (args.xlsx is None):
        print(tr("请用 --csv OUT 或 --xlsx OUT 指定导出文件（二选一）。"))
        return EXIT_USAGE
    try:
        day = dt.date.fromisoformat(args.date) if args.date else None
    except ValueError:
        raise RuleError(tr("日期格式应为 YYYY-MM-DD：{date}", date=args.date)) from None
    with ctx.db.read() as session:
        if day is None:
            from frontdesk.core.clock import Clock

            day = Clock().today()
        sheet = attendance_sheet(session, day)
    out = write_csv(sheet, args.csv) if args.csv else write_xlsx(sheet, args.xlsx)
    print(tr("已导出 {date} 的来访登记表（{n} 条签到）：{path}", date=day.isoformat(),
             n=len(sheet.rows), path=out))
    return 0


def _stats(ctx: CliContext) -> int:
    from dataclasses import asdict

    from frontdesk.checkin.reports import monthly_stats
    from frontdesk.core.clock import Clock

    text = ctx.args.month or Clock().today().strftime("%Y-%m")
    try:
        year, month = (int(part) for part in text.split("-"))
    except ValueError:
        raise RuleError(tr("月份格式应为 YYYY-MM：{month}", month=text)) from None
    with ctx.db.read() as session:
        stats = monthly_stats(session, year, month)
    if ctx.args.json:
        ctx.print_json(asdict(stats))
        return 0
    print(tr("{year} 年 {month} 月：签到 {visits} 人次，{people} 人", year=year, month=month,
             visits=stats.visits, people=stats.distinct_people))
    for line in (*stats.by_purpose, *stats.by_tag):
        print(tr("  {label}：{visits} 人次，{people} 人", label=line.label, visits=line.visits,
                 people=line.people))
    for name, n in stats.tallies_by_group:
        print(tr("  匿名计数 · {label}：{n} 人", label=name, n=n))
    print(tr("  团体来访 {n} 批，{heads} 人", n=stats.group_visits, heads=stats.group_heads))
    return 0
