"""`frontdesk residents import|find`: the registry on the command line."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from frontdesk.cli import (
    EXIT_OK,
    EXIT_REFUSED,
    CliContext,
    add_command,
    add_common_options,
    output_file,
)
from frontdesk.core.i18n import tr


def register(subparsers: Any) -> None:
    """Add `frontdesk residents ...`."""
    parser = add_command(subparsers, "residents", _usage, tr("居民档案：导入、查找"))
    inner = parser.add_subparsers(dest="residents_command", metavar="ACTION")

    p = inner.add_parser("import", help=tr("从 XLSX 或 CSV 文件导入居民"),
                         description=tr("从 XLSX 或 CSV 文件导入居民。按表头识别列"
                                        "（姓名、身份证号码、联系电话、住址、网格、户籍、标签等）。"))
    add_common_options(p, suppress=True)
    p.add_argument("file", type=Path, metavar="FILE")  # read_table explains a bad file
    p.add_argument("--update", action="store_true",
                   help=tr("证件号码已登记的行用文件中的信息更新（默认跳过并列入报告）"))
    p.add_argument("--report", type=output_file, metavar="OUT.csv",
                   help=tr("把未导入的行写入 CSV 报告（row,reason）"))
    p.add_argument("--strict", action="store_true",
                   help=tr("只要有一行不能导入，就整份文件都不导入"))
    p.add_argument("--dry-run", action="store_true", help=tr("只检查，不写入"))
    p.set_defaults(handler=cmd_import)

    p = inner.add_parser("find", help=tr("查找居民（与界面的搜索框相同）"),
                         description=tr("查找居民（与界面的搜索框相同）"))
    add_common_options(p, suppress=True)
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--json", action="store_true", help=tr("以 JSON 输出"))
    p.add_argument("--limit", type=int, default=20, help=argparse.SUPPRESS)
    p.set_defaults(handler=cmd_find)


def _usage(ctx: CliContext) -> int:
    print(tr("用法：frontdesk residents import FILE [--update] [--report OUT.csv] 或 "
             "frontdesk residents find QUERY [--json]"))
    return 2


def cmd_import(ctx: CliContext) -> int:
    from frontdesk.core.errors import RuleError
    from frontdesk.residents.importer import (
        guess_mapping,
        import_residents,
        read_table,
        require_mapping,
        write_report,
    )

    args = ctx.args
    table = read_table(args.file)
    mapping = guess_mapping(table.headers)
    require_mapping(mapping)

    def progress(done: int, total: int) -> None:
        if done == total or done % 5000 == 0:
            print(tr("已检查 {done}/{total} 行", done=done, total=total), flush=True)

    dry = args.dry_run or args.strict
    with ctx.write() as (session, actor):
        outcome = import_residents(session, actor, table, mapping, update=args.update,
                                   dry_run=dry, progress=progress)
    if args.strict and not args.dry_run and not outcome.rejected:
        with ctx.write() as (session, actor):
            outcome = import_residents(session, actor, table, mapping, update=args.update)
    if args.report is not None:
        write_report(outcome, args.report)
    for row_no, reason in outcome.rejected[:20]:
        print(tr("第 {row} 行：{reason}", row=row_no, reason=reason))
    if len(outcome.rejected) > 20:
        print(tr("……另有 {n} 行未导入（见报告）", n=len(outcome.rejected) - 20))
    note = tr("（未写入）") if dry and (args.dry_run or outcome.rejected) else ""
    print(tr("新建 {c} 人，更新 {u} 人，未导入 {r} 行{note}", c=outcome.created,
             u=outcome.updated, r=len(outcome.rejected), note=note))
    if args.strict and outcome.rejected:
        raise RuleError(tr("有 {n} 行不能导入，按 --strict 整份文件都未导入。",
                           n=len(outcome.rejected)))
    return EXIT_REFUSED if outcome.rejected else EXIT_OK


def cmd_find(ctx: CliContext) -> int:
    from frontdesk.residents.identity import mask_id_number
    from frontdesk.residents.search import search_residents

    with ctx.db.read() as session:
        found = search_residents(session, ctx.args.query, limit=ctx.args.limit)
    rows = [
        {"id": r.id, "name": r.name, "sex": r.sex,
         "birth_date": r.birth_date.isoformat() if r.birth_date else None,
         "id_number": mask_id_number(r.id_number), "phone": r.phone, "card_code": r.card_code,
         "status": r.status, "tags": list(r.tags)}
        for r in found
    ]
    if ctx.args.json:
        ctx.print_json(rows)
    else:
        for row in rows:
            print(f"{row['id']}\t{row['name']}\t{row['id_number']}\t{row['phone'] or ''}\t"
                  f"{row['card_code'] or ''}\t{row['status']}")
        if not rows:
            print(tr("没有找到。"))
    return EXIT_OK if rows else EXIT_REFUSED
