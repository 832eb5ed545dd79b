"""Foundation subcommands: init, demo, opening, setup (export/import), screenshot, bench."""

from __future__ import annotations

import argparse
from typing import Any

from frontdesk.cli import (
    EXIT_USAGE,
    CliContext,
    add_command,
    add_group,
    input_file,
    output_file,
)
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr

PAGES = ("checkin", "canteen", "rooms", "volunteers", "residents", "dayclose", "settings",
         "audit", "documents")
DIALOGS = ("firstrun", "login", "lock")  # frontdesk.ui.screenshot.DIALOGS (kept Qt-free here)
WINDOW_DIALOGS = ("opening", "setup-import")  # frontdesk.ui.screenshot.WINDOW_DIALOGS


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

    p = add_command(subparsers, "opening", cmd_opening,
                    tr("开业准备：各项工作是否已设置好，还缺什么（与图形界面的开业准备相同）"))
    p.add_argument("--json", action="store_true", help=tr("以 JSON 输出"))

    setup_sub = add_group(subparsers, "setup",
                          tr("中心设置：导出到文件，或从文件导入（餐次、资助方、规则、事由、场地、"
                             "队伍、积分物品；不含任何人的信息）"))
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
                   help=tr("页面：{pages}（页面:标签页 打开其中一个标签页，例如 settings:backup；"
                           "页面/设置项 打开开业准备里“去设置”打开的设置表单，例如 "
                           "checkin/purposes）；对话框：{dialogs}（首次使用设置、登录、锁屏）；"
                           "opening（开业准备）、setup-import（导入中心设置的预览）；"
                           "后面加 !按钮名 点一下这个按钮，例如 canteen/admin!addSession",
                           pages=", ".join(PAGES), dialogs=", ".join(DIALOGS)))
    p.add_argument("out", type=output_file, metavar="OUT.png")
    p.add_argument("--size", metavar="WxH",
                   help=tr("图片尺寸，页面默认 1280x800，对话框默认为其本身大小"))
    p.add_argument("--screen", metavar="WxH",
                   help=tr("整个屏幕的截图：窗口最大化，打开的对话框画在窗口中间，例如 1366x768"))
    p.add_argument("--setup-file", type=input_file, metavar="FILE.json",
                   help=tr("setup-import 预览用的中心设置文件"))

    p = add_command(subparsers, "bench", cmd_bench, tr("运行性能基准测试"))
    p.add_argument("--scale", choices=("small", "full"), default="full")
    p.add_argument("--json", type=output_file, metavar="OUT", dest="json_out")
    p.add_argument("--only", metavar="NAME", help=tr("只运行名称包含此文字的项目"))


def _screenshot_page(text: str) -> str:
    """PAGE of `frontdesk screenshot`: a page, ``page:tab`` (the tab is checked on screen),
    or a dialog."""
    if text in DIALOGS:
        return text
    base, *buttons = text.split("!")
    key, slash, part = base.partition("/")
    key, sep, tab = key.partition(":")
    if (base in WINDOW_DIALOGS or (key in PAGES and (not sep or tab) and (not slash or part))) \
            and all(buttons):
        return text
    raise argparse.ArgumentTypeError(
        tr("没有这个页面或对话框：{page}（可选：{choices}）", page=text,
           choices=", ".join(PAGES + DIALOGS + WINDOW_DIALOGS)))


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


# The command that sets up each line of the opening checklist (frontdesk.opening), by key.
OPENING_COMMANDS = {
    "operators": "frontdesk operators add USERNAME --name NAME --role desk",
    "checkin.purposes": "frontdesk purposes add NAME --area AREA",
    "checkin.default_purpose": "frontdesk purposes default NAME",
    "checkin.tally_groups": "frontdesk tally-groups add NAME",
    "canteen.sessions": "frontdesk canteen session add NAME --start HH:MM --end HH:MM --price YUAN",
    "canteen.funders": "frontdesk canteen funder add NAME",
    "canteen.rules": "frontdesk canteen rule add --name NAME --from DATE --share FUNDER=YUAN",
    "rooms.rooms": "frontdesk rooms add-room NAME --hours 1-7=08:00-22:00",
    "rooms.organisations": "frontdesk rooms add-org NAME --kind KIND",
    "volunteers.activities": "frontdesk volunteers category add NAME --points-per-hour N; "
                             "frontdesk volunteers activity add NAME --category CATEGORY",
    "volunteers.teams": "frontdesk volunteers team add NAME",
    "volunteers.shop": "frontdesk shop add NAME --price POINTS --stock QTY",
    "volunteers.certificate": "frontdesk volunteers certificate-details --head NAME "
                              "--contact PHONE --seal TEXT",
}


def cmd_opening(ctx: CliContext) -> int:
    """The opening checklist: the GUI's 开业准备 list, one line per job."""
    from frontdesk.core.actor import ROLE_ADMIN
    from frontdesk.core.operators import list_operators, resolve_cli_operator
    from frontdesk.opening import opening_checklist, ready_to_open

    with ctx.db.read() as session:
        items = opening_checklist(session)
        admins = [op.display_name for op in list_operators(session)
                  if op.role == ROLE_ADMIN and op.active]
        # A desk operator is told whom to ask; anyone else (an admin, or no --operator)
        # is shown the command that sets each missing job up.
        desk = bool(ctx.args.operator) and not resolve_cli_operator(
            session, ctx.args.operator).is_admin
    ready = ready_to_open(items)
    if ctx.args.json:
        ctx.print_json({"ready": ready, "items": [
            {"key": item.key, "job": item.job, "ready": item.ready, "needed": item.needed,
             "missing": item.missing, "command": OPENING_COMMANDS.get(item.key, "")}
            for item in items]})
        return 0
    if ready:
        print(tr("各项工作都已准备好，可以开始使用。"))
    elif desk:
        print(tr("还有几项没有准备好，请联系管理员设置：{names}。",
                 names="、".join(admins) or tr("本中心管理员")))
    else:
        print(tr("还有几项没有准备好：每一项下面是设置它的命令，设好后这里会打上勾。"))
    for item in items:
        if item.ready:
            mark, text = "✔", tr("已准备好")
        elif item.needed:
            mark, text = "✘", item.missing
        else:
            mark, text = "○", tr("可以以后再设置。{missing}", missing=item.missing)
        print(mark, tr("{job}：{text}", job=item.job, text=text))
        command = OPENING_COMMANDS.get(item.key)
        if not item.ready and command and not desk:
            print("    " + tr("设置：{command}", command=command))
    return 0


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


def _size(text: str | None) -> tuple[int, int] | None:
    """``WxH`` as two numbers; ValueError when it is not that."""
    if not text:
        return None
    width, height = (int(x) for x in text.lower().split("x"))
    if width < 200 or height < 200:
        raise ValueError(text)
    return width, height


def cmd_screenshot(ctx: CliContext) -> int:
    try:
        size, screen = _size(ctx.args.size), _size(ctx.args.screen)
    except ValueError:
        print(tr("尺寸格式应为 宽x高，例如 1280x800"))
        return EXIT_USAGE
    shot = {"lang": ctx.args.lang, "size": size, "screen": screen,
            "setup_file": ctx.args.setup_file}
    from frontdesk.core.db import resolve_url, sqlite_file
    from frontdesk.ui.screenshot import take_screenshot

    missing = sqlite_file(resolve_url(ctx.args.db))
    if ctx.args.page == "firstrun" and missing is not None and not missing.exists():
        # The first start's picture, as on a new PC: from an empty database in memory, so
        # taking it makes no file.
        from frontdesk.core.migrate import open_database

        scratch = open_database("sqlite://", create=False)
        try:
            take_screenshot(scratch, ctx.args.page, ctx.args.out, **shot)
        finally:
            scratch.dispose()
    else:
        take_screenshot(ctx.db, ctx.args.page, ctx.args.out, **shot)
    print(ctx.args.out)
    return 0


def cmd_bench(ctx: CliContext) -> int:
    from frontdesk.bench import run_bench

    return run_bench(scale=ctx.args.scale, json_out=ctx.args.json_out, only=ctx.args.only)
