"""CLI: `frontdesk town init | add-centre | add-admin | centres | export`.

They act on the whole town database (no --centre); `--operator` names a town admin. The
existing `frontdesk town merge` (dayclose) sits beside them in the same `town` command.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from frontdesk.cli import (
    EXIT_REFUSED,
    CliContext,
    Handler,
    add_common_options,
    input_file,
    output_dir,
)
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(tr("日期格式应为 YYYY-MM-DD：{text}", text=text)) from None


def _sub(town_sub: Any, name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = town_sub.add_parser(name, help=help_text, description=help_text)
    add_common_options(p, suppress=True)
    p.set_defaults(handler=handler)
    return p


def register_town(town_sub: Any) -> None:
    """Add the town set-up subcommands to the `town` command's subparsers."""
    p = _sub(town_sub, "init", cmd_init,
             tr("把一个 PostgreSQL 数据库设为镇街共用数据库（建第一位镇街管理员）"))
    p.add_argument("--town", required=True, metavar="NAME")
    p.add_argument("--admin", required=True, metavar="USER")
    p.add_argument("--admin-name", default="", metavar="NAME", help=tr("显示的姓名"))
    p.add_argument("--password-file", required=True, type=input_file, metavar="FILE")

    p = _sub(town_sub, "add-centre", cmd_add_centre, tr("新建一个中心（自己的 schema、管理员）"))
    p.add_argument("--code", required=True, metavar="CODE")
    p.add_argument("--name", required=True, metavar="NAME")
    p.add_argument("--admin", required=True, metavar="USER")
    p.add_argument("--admin-name", default="", metavar="NAME", help=tr("显示的姓名"))
    p.add_argument("--password-file", required=True, type=input_file, metavar="FILE")

    p = _sub(town_sub, "add-admin", cmd_add_admin, tr("再添加一位镇街管理员"))
    p.add_argument("--username", required=True, metavar="USER")
    p.add_argument("--admin-name", default="", metavar="NAME", help=tr("显示的姓名"))
    p.add_argument("--password-file", required=True, type=input_file, metavar="FILE")

    p = _sub(town_sub, "centres", cmd_centres, tr("列出镇街的各个中心和最近日结日期"))
    p.add_argument("--json", action="store_true", help=tr("以 JSON 输出"))

    p = _sub(town_sub, "export", cmd_export,
             tr("导出每个中心某一天的日结数据包，并合并成镇街汇总工作簿"))
    p.add_argument("--date", type=_date, required=True, metavar="YYYY-MM-DD")
    p.add_argument("--out", type=output_dir, required=True, metavar="DIR")
    p.add_argument("--draft", action="store_true", help=tr("允许导出未日结的日期（标为草稿）"))


def _password(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise RuleError(tr("无法读取密码文件：{err}", err=exc)) from None


def _town_db(ctx: CliContext) -> Any:
    """The whole town database (no centre), checked; closed by the caller."""
    from frontdesk.core.db import Database, resolve_url, sqlite_file

    if ctx.args.centre:
        raise RuleError(tr("镇街管理命令不用 --centre：它们作用于整个镇街数据库。"))
    if sqlite_file(resolve_url(ctx.args.db)) is not None:  # refused before a file is made
        raise RuleError(tr(
            "多个中心共用一个数据库需要 PostgreSQL；SQLite 数据库文件只属于一个中心。"))
    # A PostgreSQL database is made on its server (CREATE DATABASE), never here.
    db = Database(ctx.args.db, create=False)
    try:
        db.check()
    except BaseException:
        db.dispose()
        raise
    return db


def cmd_init(ctx: CliContext) -> int:
    from frontdesk.town.service import init_town

    args = ctx.args
    db = _town_db(ctx)
    try:
        admin = init_town(db, town=args.town, admin_username=args.admin,
                          admin_password=_password(args.password_file),
                          admin_display_name=args.admin_name)
    finally:
        db.dispose()
    print(tr("镇街共用数据库已设置：{town}。镇街管理员：{name}", town=args.town.strip(),
             name=admin.username))
    return 0


def cmd_add_centre(ctx: CliContext) -> int:
    from frontdesk.town.service import add_centre

    args = ctx.args
    db = _town_db(ctx)
    try:
        centre = add_centre(db, args.operator, code=args.code, name=args.name,
                            admin_username=args.admin,
                            admin_password=_password(args.password_file),
                            admin_display_name=args.admin_name)
    finally:
        db.dispose()
    print(tr("已新建中心：{name}（编码 {code}，schema {schema}）。管理员：{admin}",
             name=centre.name, code=centre.code, schema=centre.schema, admin=args.admin))
    return 0


def cmd_add_admin(ctx: CliContext) -> int:
    from frontdesk.town.service import add_town_admin

    args = ctx.args
    db = _town_db(ctx)
    try:
        admin = add_town_admin(db, args.operator, args.username,
                               _password(args.password_file), args.admin_name)
    finally:
        db.dispose()
    print(tr("已添加镇街管理员：{name}", name=admin.username))
    return 0


def cmd_centres(ctx: CliContext) -> int:
    from frontdesk.town.service import list_centres, town_name

    db = _town_db(ctx)
    try:
        with db.read() as session:
            town = town_name(session)
            centres = list_centres(session)
    finally:
        db.dispose()
    if ctx.args.json:
        ctx.print_json({"town": town, "centres": [
            {"code": c.code, "name": c.name, "schema": c.schema, "active": c.active,
             "created_at": c.created_at.isoformat(),
             "last_closed_day": c.last_closed_day.isoformat() if c.last_closed_day else None}
            for c in centres]})
        return 0
    print(town)
    for c in centres:
        last = c.last_closed_day.isoformat() if c.last_closed_day else tr("（未日结过）")
        state = "" if c.active else tr("（已停用）")
        print(f"{c.code}\t{c.name}{state}\t{tr('最近日结：{day}', day=last)}")
    if not centres:
        print(tr("（还没有中心）"))
    return 0


def cmd_export(ctx: CliContext) -> int:
    from frontdesk.town.service import export_town_day

    args = ctx.args
    db = _town_db(ctx)
    try:
        result = export_town_day(
            db, args.operator, args.date, args.out, draft_ok=args.draft,
            progress=lambda code: print(tr("导出中心 {code}……", code=code), file=sys.stderr))
    finally:
        db.dispose()
    for path in result.packages:
        print(path)
    print(tr("已合并 {n} 个数据包 → {out}", n=result.merged, out=str(result.workbook)))
    for code, reason in result.skipped:
        print(tr("未导出：{code}：{reason}", code=code, reason=reason), file=sys.stderr)
    return EXIT_REFUSED if result.skipped else 0
