"""`frontdesk operators ...`: the centre's accounts from a shell (admins).

Passwords never travel on the command line (shell history, the process list): they come
from a file (``--password-file FILE``; ``-`` reads one line from standard input) or are
asked for twice at the terminal.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from frontdesk.cli import EXIT_USAGE, CliContext, add_command, add_group, add_switch_pair
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr

ROLE_CHOICES = ("admin", "desk")  # frontdesk.core.actor.ROLES (kept import-light here)


def register(subparsers: Any) -> None:
    """Add the `operators` command group."""
    sub = add_group(subparsers, "operators", tr("操作员账号：新增、角色、密码、停用"))

    p = add_command(sub, "list", cmd_list, tr("列出操作员"))
    p.add_argument("--json", action="store_true", help=tr("以 JSON 输出"))

    p = add_command(sub, "add", cmd_add, tr("新增操作员（管理员）"))
    p.add_argument("username", metavar="USERNAME")
    p.add_argument("--name", default="", help=tr("姓名（默认同用户名）"))
    p.add_argument("--role", choices=ROLE_CHOICES, default="desk",
                   help=tr("角色：admin 管理员，desk 前台（默认）"))
    _password_file(p)
    p.add_argument("--json", action="store_true", help=tr("以 JSON 输出"))

    p = add_command(sub, "set-role", cmd_set_role, tr("修改操作员的角色（管理员）"))
    p.add_argument("username", metavar="USERNAME")
    p.add_argument("role", choices=ROLE_CHOICES, metavar="ROLE",
                   help=tr("admin 管理员，desk 前台"))

    p = add_command(sub, "rename", cmd_rename, tr("修改操作员的姓名（管理员）"))
    p.add_argument("username", metavar="USERNAME")
    p.add_argument("name", metavar="NAME")

    p = add_command(sub, "reset-password", cmd_reset_password, tr("重设操作员的密码（管理员）"))
    p.add_argument("username", metavar="USERNAME")
    _password_file(p)

    add_switch_pair(sub, cmd_active, "username",
                    ("disable", tr("停用操作员（不能再登录，记录保留）")),
                    ("enable", tr("重新启用操作员")))
    p = add_command(sub, "unlock", cmd_unlock, tr("解除输错密码造成的锁定"))
    p.add_argument("username", metavar="USERNAME")


def _password_file(p: Any) -> None:
    p.add_argument("--password-file", type=Path, metavar="FILE",
                   help=tr("从文件读取密码（第一行；“-”为标准输入）；不给则在终端输入两次"))
    # `--password SECRET` is refused outright, never read as an abbreviation of --password-file.
    p.add_argument("--password", help=argparse.SUPPRESS)
    p.allow_abbrev = False


def _refuse_password_argument(ctx: CliContext) -> bool:
    if ctx.args.password is None:
        return False
    print(tr("错误：密码不能写在命令行上（会留在命令历史里）。"
             "请用 --password-file 或在提示时输入。"), file=sys.stderr)
    return True


def read_password(path: Path | None) -> str:
    """The new password: the file's first line, one line of stdin, or typed twice."""
    if path is not None:
        try:
            text = sys.stdin.readline() if str(path) == "-" else path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise RuleError(tr("无法读取密码文件：{err}", err=exc)) from None
        lines = text.splitlines()
        return lines[0] if lines else ""
    if not sys.stdin.isatty():
        raise RuleError(tr("请用 --password-file 指定密码文件（不在终端里时无法输入密码）。"))
    import getpass

    first = getpass.getpass(tr("新密码："))
    if getpass.getpass(tr("再输一次：")) != first:
        raise RuleError(tr("两次输入的密码不一致，没有修改。"))
    return first


def _info_json(op: Any) -> dict[str, Any]:
    return {"username": op.username, "name": op.display_name, "role": op.role,
            "active": op.active,
            "locked_until": op.locked_until.isoformat() if op.locked_until else None,
            "last_login_at": op.last_login_at.isoformat() if op.last_login_at else None}


def cmd_list(ctx: CliContext) -> int:
    from frontdesk.core.actor import role_label
    from frontdesk.core.operators import list_operators

    with ctx.db.read() as session:
        rows = list_operators(session)
    if ctx.args.json:
        ctx.print_json([_info_json(op) for op in rows])
        return 0
    for op in rows:
        print("\t".join((op.username, op.display_name, role_label(op.role),
                         tr("启用") if op.active else tr("已停用"))))
    return 0


def cmd_add(ctx: CliContext) -> int:
    from frontdesk.core.actor import role_label
    from frontdesk.core.operators import create_operator

    if _refuse_password_argument(ctx):
        return EXIT_USAGE
    password = read_password(ctx.args.password_file)  # before the transaction: no prompt in it
    with ctx.write() as (session, actor):
        op = create_operator(session, actor, ctx.args.username, ctx.args.name, ctx.args.role,
                             password)
    return ctx.print_result(_info_json(op), tr("已新增操作员 {user}（{name}，{role}）。",
                                               user=op.username, name=op.display_name,
                                               role=role_label(op.role)))


def cmd_set_role(ctx: CliContext) -> int:
    from frontdesk.core.actor import role_label
    from frontdesk.core.operators import update_operator

    with ctx.write() as (session, actor):
        op = update_operator(session, actor, ctx.args.username, role=ctx.args.role)
    print(tr("{user} 的角色已改为{role}。", user=op.username, role=role_label(op.role)))
    return 0


def cmd_rename(ctx: CliContext) -> int:
    from frontdesk.core.operators import update_operator

    with ctx.write() as (session, actor):
        op = update_operator(session, actor, ctx.args.username, display_name=ctx.args.name)
    print(tr("{user} 的姓名已改为 {name}。", user=op.username, name=op.display_name))
    return 0


def cmd_reset_password(ctx: CliContext) -> int:
    from frontdesk.core.operators import get_operator, set_password

    if _refuse_password_argument(ctx):
        return EXIT_USAGE
    with ctx.db.read() as session:
        get_operator(session, ctx.args.username)  # an unknown name is told before the prompt
    password = read_password(ctx.args.password_file)
    with ctx.write() as (session, actor):
        actor.require_admin()
        set_password(session, actor, ctx.args.username, password)
    print(tr("{user} 的密码已重设。", user=ctx.args.username))
    return 0


def cmd_active(ctx: CliContext) -> int:
    """`operators disable USERNAME` and `operators enable USERNAME`."""
    from frontdesk.core.operators import update_operator

    with ctx.write() as (session, actor):
        op = update_operator(session, actor, ctx.args.username, active=ctx.args.active)
    print(tr("{user} 已重新启用。", user=op.username) if ctx.args.active
          else tr("{user} 已停用，不能再登录；以前的记录都保留。", user=op.username))
    return 0


def cmd_unlock(ctx: CliContext) -> int:
    from frontdesk.core.operators import unlock

    with ctx.write() as (session, actor):
        unlock(session, actor, ctx.args.username)
    print(tr("{user} 的锁定已解除。", user=ctx.args.username))
    return 0
