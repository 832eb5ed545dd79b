"""CLI: `frontdesk close`, `frontdesk reopen`, `frontdesk export`, `frontdesk town merge`."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from frontdesk.cli import (
    EXIT_REFUSED,
    CliContext,
    add_command,
    add_common_options,
    output_dir,
    output_file,
)
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(tr("日期格式应为 YYYY-MM-DD：{text}", text=text)) from None


def _cash(text: str) -> tuple[str, str]:
    method, sep, amount = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(
            tr("应写成 方式=金额，例如 cash=123.50：{text}", text=text))
    return method.strip(), amount.strip()


def register(subparsers: Any) -> None:
    """Add the day-close and town subcommands."""
    p = add_command(subparsers, "close", cmd_close, tr("日结某一天（锁定当天记录并备份数据库）"))
    p.add_argument("--date", type=_date, required=True, metavar="YYYY-MM-DD")
    p.add_argument("--cash", type=_cash, action="append", default=[], metavar="METHOD=YUAN",
                   help=tr("清点的金额，可重复：cash、wechat、alipay、other"))
    p.add_argument("--ack", action="append", default=[], metavar="CODE",
                   help=tr("确认已知悉的提醒代码，可重复"))

    p = add_command(subparsers, "reopen", cmd_reopen,
                    tr("重新开放已日结的一天（管理员，需写明原因）"))
    p.add_argument("--date", type=_date, required=True, metavar="YYYY-MM-DD")
    p.add_argument("--reason", required=True)

    p = add_command(subparsers, "export", cmd_export, tr("导出日结数据包（每天一个 ZIP）"))
    p.add_argument("--date", type=_date, required=True, metavar="YYYY-MM-DD")
    p.add_argument("--to", type=_date, metavar="YYYY-MM-DD", help=tr("导出到这一天（含）"))
    p.add_argument("--out", type=output_dir, required=True, metavar="DIR")
    p.add_argument("--draft", action="store_true", help=tr("允许导出未日结的日期（标为草稿）"))

    town = add_command(subparsers, "town", cmd_town_help, tr("镇/街道：汇总各中心的数据包"))
    town_sub = town.add_subparsers(dest="town_command", metavar="COMMAND")
    p = town_sub.add_parser("merge", help=tr("校验并合并数据包，生成一个 Excel 工作簿"),
                            description=tr("校验并合并数据包，生成一个 Excel 工作簿"))
    add_common_options(p, suppress=True)
    p.set_defaults(handler=cmd_town_merge)
    # A missing input is one of the refusals merge_packages reports; the rest still merge.
    p.add_argument("inputs", nargs="+", type=Path, metavar="PACKAGES_OR_FOLDERS")
    p.add_argument("--out", type=output_file, required=True, metavar="town.xlsx")
    p.add_argument("--pdf", type=output_file, metavar="town.pdf",
                   help=tr("同时生成镇/街道汇总 PDF"))
    from frontdesk.town.commands import register_town  # several centres in one database

    register_town(town_sub)


def cmd_close(ctx: CliContext) -> int:
    from frontdesk.core.money import parse_yuan
    from frontdesk.dayclose.service import OpenWarnings, close_with_backup

    counted = {method: parse_yuan(amount) for method, amount in ctx.args.cash}
    with ctx.db.read() as session:
        from frontdesk.core.operators import resolve_cli_operator

        actor = resolve_cli_operator(session, ctx.args.operator)
    try:
        result = close_with_backup(ctx.db, actor, ctx.args.date,
                                   counted_cash=counted if ctx.args.cash else None,
                                   acknowledged=set(ctx.args.ack))
    except OpenWarnings as exc:  # the screen has a tick box per warning; here: --ack CODE
        raise RuleError(tr("{message}\n处理好后再日结；已知悉、不需处理的提醒，"
                           "在命令后加上：{flags}", message=exc.message,
                           flags=" ".join(f"--ack {code}" for code in exc.codes))) from None
    print(result.backup_note)
    return 0 if result.backup is not None or ctx.db.sqlite_path is None else EXIT_REFUSED


def cmd_reopen(ctx: CliContext) -> int:
    from frontdesk.dayclose.service import reopen_day

    with ctx.write() as (session, actor):
        reopen_day(session, actor, ctx.args.date, ctx.args.reason)
    print(tr("已重新开放 {date}。改正后请重新日结并重新导出。", date=ctx.args.date.isoformat()))
    return 0


def cmd_export(ctx: CliContext) -> int:
    from frontdesk.core.operators import resolve_cli_operator
    from frontdesk.dayclose.service import export_days

    with ctx.db.read() as session:
        actor = resolve_cli_operator(session, ctx.args.operator)
    last = ctx.args.to or ctx.args.date

    def progress(done: int, total: int, what: str) -> None:
        if not sys.stderr.isatty():
            return  # a log file gets only the result lines
        print(f"\r{100 * done // max(total, 1):3d}% {what}"[:78].ljust(78), end="",
              file=sys.stderr, flush=True)

    results = export_days(ctx.db, actor, ctx.args.date, last, ctx.args.out,
                          draft_ok=ctx.args.draft, progress=progress)
    print(file=sys.stderr)
    for r in results:
        print(f"{r.path}{tr('（草稿）') if r.draft else ''}")
    return 0


def cmd_town_help(ctx: CliContext) -> int:
    raise RuleError(tr("请指定子命令，例如：frontdesk town merge 文件夹 --out town.xlsx"))


def cmd_town_merge(ctx: CliContext) -> int:
    from frontdesk.dayclose.town import merge_packages, write_town_workbook

    merge = merge_packages(ctx.args.inputs)
    if merge.refused and not merge.packages:
        # Nothing passed: an empty workbook would look like a town with no activity.
        for r in merge.refused:
            print(tr("未通过校验：{file}：{reason}", file=r.file, reason=r.reason),
                  file=sys.stderr)
        raise RuleError(tr("没有一个数据包通过校验，没有生成工作簿。"))
    write_town_workbook(merge, ctx.args.out)
    print(tr("已合并 {n} 个数据包 → {out}", n=len(merge.packages), out=str(ctx.args.out)))
    if ctx.args.pdf is not None:
        from frontdesk.core.clock import Clock
        from frontdesk.dayclose.package import write_atomically
        from frontdesk.dayclose.town import town_summary
        from frontdesk.dayclose.town_pdf import render_town_summary

        if not ctx.args.pdf.parent.is_dir():
            raise RuleError(tr("找不到文件夹：{folder}", folder=str(ctx.args.pdf.parent)))
        write_atomically(ctx.args.pdf, render_town_summary(town_summary(merge), Clock().now()))
        print(tr("汇总 PDF → {out}", out=str(ctx.args.pdf)))
    for d in merge.duplicates:
        print(tr("重复：{code} {date}，采用 {kept}，未采用 {dropped}", code=d.centre_code,
                 date=d.business_date.isoformat(), kept=d.kept, dropped=d.dropped))
    if merge.missing:
        print(tr("缺报的日期：{n} 个（见工作簿“缺报日期”表）", n=len(merge.missing)))
    for r in merge.refused:
        print(tr("未通过校验：{file}：{reason}", file=r.file, reason=r.reason), file=sys.stderr)
    return EXIT_REFUSED if merge.refused else 0
