"""Foundation subcommands: init, demo, setup (export/import), screenshot, bench."""

from __future__ import annotations

import argparse
from typing import Any

from frontdesk.cli import EXIT_USAGE, CliContext, add_command, input_file, output_file
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr

PAGES = ("checkin", "canteen", "rooms", "volunteers", "residents", "dayclose", "settings",
         "audit", "documents")
DIALOGS = ("firstrun", "login", "lock")  # frontdesk.ui.screenshot.DIALOGS (kept Qt-free here)


def register(subparsers: Any) -> None:
    """Add the foundation's subcommands."""
    p = add_command(subparsers, "init", cmd_init, tr("初始设置（不打开图形界面）"),
                    creates_database=True)
    p.add_argument("--centre-name", required=True)
    p.add_argument("--centre-code", required=True)
    p.add_argument("--town", required=True)
    p.add_argument("--admin", required=True, metavar="USER")
    p.add_argument("--password-file", required=True, type=input_file, metavar="FILE")

    p = add_command(subparsers, "demo", cmd_demo, tr("创建或补充一个演示中心的数据"),
                    creates_database=True)
    p.add_argument("--seed", type=int, default=20261122, help=argparse.SUPPRESS)

    setup = add_command(subparsers, "setup", _setup_usage,
                        tr("中心设置：导出到文件，或从文件导入（餐次、资助方、规则、事由、场地、"
                           "队伍、积分物品；不含任何人的信息）"))
    setup_sub = setup.add_subparsers(dest="setup_command", metavar="COMMAND")
    p = add_command(setup_sub, "export", cmd_setup_export, tr("把本中心的设置导出到一个文件"))
    p.add_argument("out", type=output_file, metavar="FILE.json")
    p = add_command(setup_sub, "import", cmd_setup_import,
                    tr("先列出导入会做什么；加 --yes 才真正导入（只添加本中心没有的项目）"))
    p.add_argument("file", type=input_file, metavar="FILE.json")
    p.add_argument("--yes", action="store_true", help=tr("确认导入"))
    p.add_argument("--json", action="store_true", help=tr("以 JSON 输出"))

    p = add_command(subparsers, "screenshot", cmd_screenshot,
                    tr("把主窗口的某一页或启动对话框截图保存为 PNG"))
    p.add_argument("page", type=_screenshot_page, metavar="PAGE",
                   help=tr("页面：{pages}（页面:标签页 打开其中一个标签页，例如 settings:backup）；"
                           "对话框：{dialogs}（首次使用设置、登录、锁屏）",
                           pages=", ".join(PAGES), dialogs=", ".join(DIALOGS)))
    p.add_argument("out", type=output_file, metavar="OUT.png")
    p.add_argument("--size", metavar="WxH",
                   help=tr("图片尺寸，页面默认 1280x800，对话框默认为其本身大小"))

    p = add_command(subparsers, "bench", cmd_bench, tr("运行性能基准测试"))
    p.add_argument("--scale", choices=("small", "full"), default="full")
    p.add_argument("--json", type=output_file, metavar="OUT", dest="json_out")
    p.add_argument("--only", metavar="NAME", help=tr("只运行名称包含此文字的项目"))


def _screenshot_page(text: str) -> str:
    """PAGE of `frontdesk screenshot`: a page, ``page:tab`` (the tab is checked on screen),
    or a dialog."""
    key, sep, tab = text.partition(":")
    if text in DIALOGS or (key in PAGES and (not sep or tab)):
        return text
    raise argparse.ArgumentTypeError(
        tr("没有这个页面或对话框：{page}（可选：{choices}）", page=text,
           choices=", ".join(PAGES + DIALOGS)))


def cmd_init(ctx: CliContext) -> int:
    from frontdesk.core.centre import initialise

    args = ctx.args
    try:
        password = args.password_file.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise RuleError(tr("无法读取密码文件：{err}", err=exc)) from None
    with ctx.db.session() as session:
        admin = initialise(session, centre_name=args.centre_name, centre_code=args.centre_code,
                           town=args.town, admin_username=args.admin, admin_password=password)
    print(tr("初始设置完成。管理员：{name}", name=admin.username))
    return 0


def cmd_demo(ctx: CliContext) -> int:
    from frontdesk.core.resources import check_installed
    from frontdesk.demo import build_demo

    check_installed()  # the fonts are needed half-way (printed documents): fail before writing
    report = build_demo(ctx.db, seed=ctx.args.seed)
    for line in report.lines:
        print(line)
    # Only logins the demo has just created: an older demo's passwords may have been changed.
    for user, password in report.logins:
        print(tr("演示登录：用户名 {user}，密码 {password}", user=user, password=password))
    return 0


def _setup_usage(ctx: CliContext) -> int:
    print(tr("用法：frontdesk setup export FILE.json，或 frontdesk setup import FILE.json [--yes]"))
    return EXIT_USAGE


def cmd_setup_export(ctx: CliContext) -> int:
    from frontdesk.centre_setup import export_setup
    from frontdesk.dayclose.package import write_atomically

    with ctx.db.read() as session:
        data = export_setup(session)
    try:
        write_atomically(ctx.args.out, data)
    except OSError as exc:
        raise RuleError(tr("无法写入文件 {path}：{err}", path=ctx.args.out,
                           err=exc.strerror or exc)) from None
    print(tr("已导出中心设置：{path}", path=ctx.args.out))
    return 0


def cmd_setup_import(ctx: CliContext) -> int:
    from frontdesk.centre_setup import ADD, SAME, import_setup, plan_import, read_setup

    try:
        data = ctx.args.file.read_bytes()
    except OSError as exc:
        raise RuleError(tr("无法读取文件 {path}：{err}", path=ctx.args.file,
                           err=exc.strerror or exc)) from None
    setup = read_setup(data)
    if ctx.args.yes:
        with ctx.write() as (session, actor):
            plan = import_setup(session, actor, setup)
    else:
        with ctx.db.read() as session:
            plan = plan_import(session, setup)
    if ctx.args.json:
        ctx.print_json([{"section": c.section, "name": c.name, "action": c.action}
                        for c in plan])
        return 0
    words = {ADD: tr("新增"), SAME: tr("已有，相同"),
             "differs": tr("已有同名项目，设置不同：不改动")}
    for change in plan:
        print(f"{change.section}\t{change.name}\t{words[change.action]}")
    added = sum(c.action == ADD for c in plan)
    if ctx.args.yes:
        print(tr("已导入：新增 {n} 项。", n=added))
    else:
        print(tr("将新增 {n} 项。这只是预览，没有做任何改动；确认后加 --yes 再运行一次。", n=added))
    return 0


def cmd_screenshot(ctx: CliContext) -> int:
    size: tuple[int, int] | None = None
    if ctx.args.size:
        try:
            width, height = (int(x) for x in ctx.args.size.lower().split("x"))
        except ValueError:
            print(tr("尺寸格式应为 宽x高，例如 1280x800"))
            return EXIT_USAGE
        size = (width, height)
    from frontdesk.core.db import resolve_url, sqlite_file
    from frontdesk.ui.screenshot import take_screenshot

    missing = sqlite_file(resolve_url(ctx.args.db))
    if ctx.args.page == "firstrun" and missing is not None and not missing.exists():
        # The first start's picture, as on a new PC: from an empty database in memory, so
        # taking it makes no file.
        from frontdesk.core.migrate import open_database

        scratch = open_database("sqlite://", create=False)
        try:
            take_screenshot(scratch, ctx.args.page, ctx.args.out, lang=ctx.args.lang,
                            size=size)
        finally:
            scratch.dispose()
    else:
        take_screenshot(ctx.db, ctx.args.page, ctx.args.out, lang=ctx.args.lang, size=size)
    print(ctx.args.out)
    return 0


def cmd_bench(ctx: CliContext) -> int:
    from frontdesk.bench import run_bench

    return run_bench(scale=ctx.args.scale, json_out=ctx.args.json_out, only=ctx.args.only)
