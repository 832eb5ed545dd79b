"""CLI: `frontdesk backup`, `frontdesk restore FILE` and `frontdesk pg-tools`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from frontdesk.cli import EXIT_REFUSED, CliContext, add_command, input_file, output_dir
from frontdesk.core.i18n import tr


def register(subparsers: Any) -> None:
    p = add_command(subparsers, "backup", cmd_backup, tr("立即备份数据库（并列出已有备份）"))
    p.add_argument("--dir", type=output_dir, default=None,
                   help=tr("备份文件夹（默认为数据目录下的 backups）"))
    p.add_argument("--list", action="store_true", help=tr("只列出已有备份，不新建"))
    p = add_command(subparsers, "restore", cmd_restore,
                    tr("用备份文件恢复数据库（先自动保存当前数据库的副本）"))
    p.add_argument("file", type=input_file, help=tr("备份文件"))
    p.add_argument("--yes", action="store_true", help=tr("确认覆盖当前数据库"))
    p = add_command(subparsers, "pg-tools", cmd_pg_tools,
                    tr("列出找到的 PostgreSQL 客户端工具（pg_dump、pg_restore、psql），"
                       "或为这台电脑指定它们所在的文件夹"))
    choice = p.add_mutually_exclusive_group()
    choice.add_argument("--use", type=Path, metavar="DIR",
                        help=tr("这台电脑以后只用这个 bin 文件夹里的工具"))
    choice.add_argument("--forget", action="store_true",
                        help=tr("不再指定文件夹，恢复自动查找"))


def _raw_db(ctx: CliContext) -> Any:
    # Not ctx.db: a backup or restore must work on a database this program cannot open yet
    # (too new, or to be replaced), and must not migrate it first. Nor make one.
    from frontdesk.core.db import Database

    return Database(ctx.args.db, create=False)


def cmd_backup(ctx: CliContext) -> int:
    from frontdesk.core import backup

    db = _raw_db(ctx)
    try:
        if not ctx.args.list:
            path = backup.backup_database(db, reason="manual", dest_dir=ctx.args.dir,
                                          keep=backup.keep_setting(db))
            print(tr("已备份到 {path}", path=str(path)))
        for item in backup.list_backups(db, ctx.args.dir):
            print(f"{item.taken_at:%Y-%m-%d %H:%M:%S}  {item.size_bytes:>12,}  {item.path}")
    finally:
        db.dispose()
    return 0


def cmd_restore(ctx: CliContext) -> int:
    from frontdesk.core import backup

    if not ctx.args.yes:
        print(tr("恢复会用备份覆盖当前数据库（当前数据库会先另存一份）。确认请加 --yes。"))
        return EXIT_REFUSED
    db = _raw_db(ctx)
    actor = None
    if ctx.args.operator:
        from frontdesk.core.operators import resolve_cli_operator

        with db.read() as session:
            actor = resolve_cli_operator(session, ctx.args.operator)
    try:
        safety = backup.restore_database(db, ctx.args.file, actor=actor)
    finally:
        db.dispose()
    print(tr("已从 {file} 恢复。恢复前的数据库已另存为 {path}", file=str(ctx.args.file),
             path=str(safety)))
    return 0


def cmd_pg_tools(ctx: CliContext) -> int:
    """Where the PostgreSQL tools are found (no database needed); --use / --forget the folder
    chosen for this PC. Exit 1 when pg_dump or pg_restore is missing."""
    import os

    from frontdesk.core import pgtools

    if ctx.args.use is not None:
        pgtools.remember_folder(ctx.args.use)
        print(tr("这台电脑的 PostgreSQL 工具文件夹已设为 {folder}",
                 folder=str(ctx.args.use.expanduser().resolve())))
    elif ctx.args.forget:
        pgtools.remember_folder(None)
        print(tr("已取消指定的文件夹，以后自动查找 PostgreSQL 工具。"))
    chosen = pgtools.chosen_folder()
    if os.environ.get(pgtools.PG_BIN_ENV):
        print(tr("只在环境变量 {env} 指定的文件夹里找：{folder}", env=pgtools.PG_BIN_ENV,
                 folder=str(chosen)))
    elif chosen is not None:
        print(tr("只在为这台电脑指定的文件夹里找：{folder}", folder=str(chosen)))
    missing = False
    for name in pgtools.TOOLS:
        found = pgtools.candidates(name)
        for tool in found:
            major = pgtools.tool_major(tool)
            print(f"{name}\t{major if major is not None else '?'}\t{tool}")
        if not found:
            print(f"{name}\t-\t{tr('（找不到）')}")
            missing = missing or name != "psql"  # psql is not needed for backups
    return EXIT_REFUSED if missing else 0
