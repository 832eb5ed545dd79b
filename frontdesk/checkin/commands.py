"""`frontdesk checkin CARD_OR_ID` and `frontdesk checkin export --date D --csv/--xlsx OUT`."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from frontdesk.cli import EXIT_USAGE, CliContext, add_command, output_file
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
    p.add_argument("--json", action="store_true", help=tr("以 JSON 输出结果"))
    p.add_argument("--date", metavar="YYYY-MM-DD", help=tr("导出的营业日期（默认今天）"))
    p.add_argument("--month", metavar="YYYY-MM", help=tr("统计的月份（默认本月）"))
    p.add_argument("--csv", type=output_file, metavar="OUT", help=argparse.SUPPRESS)
    p.add_argument("--xlsx", type=output_file, metavar="OUT", help=argparse.SUPPRESS)


def cmd_checkin(ctx: CliContext) -> int:
    if ctx.args.code == "export":
        return _export(ctx)
    if ctx.args.code == "stats":
        return _stats(ctx)
    from frontdesk.checkin import service

    with ctx.write() as (session, actor):
        purpose_id = None
        if ctx.args.purpose:
            purpose_id = service.find_purpose(session, ctx.args.purpose).id
        result = service.check_in(session, actor, code=ctx.args.code, purpose_id=purpose_id,
                                  confirm_repeat=ctx.args.confirm_repeat)
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
