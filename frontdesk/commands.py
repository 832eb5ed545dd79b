"""Foundation subcommands: init, demo, screenshot, bench."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from frontdesk.cli import EXIT_USAGE, CliContext, add_command
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr

PAGES = ("checkin", "canteen", "rooms", "volunteers", "residents", "dayclose", "settings",
         "audit", "documents")
DIALOGS = ("firstrun", "login", "lock")  # frontdesk.ui.screenshot.DIALOGS (kept Qt-free here)


def register(subparsers: Any) -> None:
    """Add the foundation's subcommands."""
    p = add_command(subparsers, "init", cmd_init, tr("初始设置（不打开图形界面）"))
    p.add_argument("--centre-name", required=True)
    p.add_argument("--centre-code", required=True)
    p.add_argument("--town", required=True)
    p.add_argument("--admin", required=True, metavar="USER")
    p.add_argument("--password-file", required=True, type=Path, metavar="FILE")

    p = add_command(subparsers, "demo", cmd_demo, tr("创建或补充一个演示中心的数据"))
    p.add_argument("--seed", type=int, default=20261122, help=argparse.SUPPRESS)

    p = add_command(subparsers, "screenshot", cmd_screenshot,
                    tr("把主窗口的某一页或启动对话框截图保存为 PNG"))
    p.add_argument("page", type=_screenshot_page, metavar="PAGE",
                   help=tr("页面：{pages}（页面:标签页 打开其中一个标签页，例如 settings:backup）；"
                           "对话框：{dialogs}（首次使用设置、登录、锁屏）",
                           pages=", ".join(PAGES), dialogs=", ".join(DIALOGS)))
    p.add_argument("out", type=Path, metavar="OUT.png")
    p.add_argument("--size", metavar="WxH",
                   help=tr("图片尺寸，页面默认 1280x800，对话框默认为其本身大小"))

    p = add_command(subparsers, "bench", cmd_bench, tr("运行性能基准测试"))
    p.add_argument("--scale", choices=("small", "full"), default="full")
    p.add_argument("--json", type=Path, metavar="OUT", dest="json_out")
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
    from frontdesk.demo import DEMO_ADMIN, DEMO_PASSWORD, build_demo

    check_installed()  # the fonts are needed half-way (printed documents): fail before writing
    report = build_demo(ctx.db, seed=ctx.args.seed)
    for line in report:
        print(line)
    print(tr("演示管理员登录：用户名 {user}，密码 {password}", user=DEMO_ADMIN,
             password=DEMO_PASSWORD))
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
    from frontdesk.ui.screenshot import take_screenshot

    take_screenshot(ctx.db, ctx.args.page, ctx.args.out, lang=ctx.args.lang, size=size)
    print(ctx.args.out)
    return 0


def cmd_bench(ctx: CliContext) -> int:
    from frontdesk.bench import run_bench

    return run_bench(scale=ctx.args.scale, json_out=ctx.args.json_out, only=ctx.args.only)
