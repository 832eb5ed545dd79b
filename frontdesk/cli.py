"""The `frontdesk` command: the GUI when run bare, and subcommands over the same services.

Exit codes: 0 done, 1 refused by a rule (reason on stderr), 2 bad usage. Subcommands
live with their feature (``frontdesk/<feature>/commands.py``) and register here; heavy
libraries are imported inside the handlers, so ``frontdesk --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from frontdesk import __version__
from frontdesk.core.errors import FrontdeskError
from frontdesk.core.i18n import LANGUAGES, set_language, tr

if TYPE_CHECKING:
    from frontdesk.core.actor import Actor

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2

# Modules with a ``register(subparsers)`` function, one per feature.
COMMAND_MODULES = [
    "frontdesk.commands",
    "frontdesk.core.operator_commands",
    "frontdesk.residents.commands",
    "frontdesk.canteen.commands",
    "frontdesk.checkin.commands",
    "frontdesk.documents.commands",
    "frontdesk.rooms.commands",
    "frontdesk.volunteers.commands",
    "frontdesk.dayclose.commands",
    "frontdesk.reliability.commands",
]


@dataclass
class CliContext:
    """What a command handler needs: the parsed arguments and the database on demand."""

    args: argparse.Namespace
    _db: Any = field(default=None, repr=False)

    @property
    def db(self) -> Any:
        """The database named by --db / FRONTDESK_DB, opened and upgraded on first use."""
        if self._db is None:
            from frontdesk.core.migrate import open_database

            self._db = open_database(self.args.db, centre=self.args.centre)
            if not self.args.lang:
                with self._db.read() as session:
                    from frontdesk.core import settings

                    set_language(settings.get(session, "ui.language"))
        return self._db

    @contextmanager
    def write(self) -> Iterator[tuple[Any, Actor]]:
        """One transaction acting as the operator named by --operator / FRONTDESK_OPERATOR."""
        from sqlalchemy import exc as sa_exc

        from frontdesk.core.db import explain_database_error
        from frontdesk.core.operators import resolve_cli_operator

        # The busy timeout waits for other desks; still locked after it: a message, no crash.
        try:
            with self.db.session() as session:
                yield session, resolve_cli_operator(session, self.args.operator)
        except sa_exc.OperationalError as exc:
            raise explain_database_error(exc, self.db.display_url) from exc

    def print_json(self, data: Any) -> None:
        """Print ``data`` as JSON (Chinese kept readable)."""
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


Handler = Callable[[CliContext], int | None]


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every feature's subcommands."""
    parser = argparse.ArgumentParser(
        prog="frontdesk",
        description=tr("邻里前台：党建+邻里中心前台系统。不带子命令时启动图形界面。"),
    )
    parser.add_argument("--version", action="version", version=f"frontdesk {__version__}")
    add_common_options(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def add_common_options(parser: argparse.ArgumentParser, *, suppress: bool = False) -> None:
    """--db, --centre, --operator and --lang, accepted before or after the subcommand."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--db", metavar="URL", default=default,
                        help=tr("数据库 URL 或 SQLite 文件路径（默认读 FRONTDESK_DB）"))
    parser.add_argument("--centre", metavar="CODE", default=default,
                        help=tr("镇街共用数据库里的中心编码（默认读 FRONTDESK_CENTRE）"))
    parser.add_argument("--operator", metavar="USERNAME", default=default,
                        help=tr("执行操作的操作员用户名（默认读 FRONTDESK_OPERATOR）"))
    parser.add_argument("--lang", choices=sorted(LANGUAGES), default=default,
                        help=tr("界面语言"))


def add_command(subparsers: Any, name: str, handler: Handler, help_text: str
                ) -> argparse.ArgumentParser:
    """Add subcommand ``name`` that runs ``handler``; returns its parser for arguments."""
    sub: argparse.ArgumentParser = subparsers.add_parser(name, help=help_text,
                                                         description=help_text)
    add_common_options(sub, suppress=True)
    sub.set_defaults(handler=handler)
    return sub


def _gui_arguments(argv: list[str]) -> argparse.Namespace | None:
    """The options of a plain GUI start, or None when ``argv`` names a command (or help).

    A GUI start skips building the full parser, which imports every feature's commands.
    """
    parser = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    add_common_options(parser)
    try:
        args, rest = parser.parse_known_args(argv)
    except argparse.ArgumentError:
        return None  # the full parser says what is wrong
    return None if rest else args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    early_lang = os.environ.get("FRONTDESK_LANG")
    if "--lang" in argv[:-1]:
        early_lang = argv[argv.index("--lang") + 1]
    set_language(early_lang or "zh_CN")
    gui_args = _gui_arguments(argv)
    if gui_args is not None:
        from frontdesk.app import run_gui

        return run_gui(db_url=gui_args.db, lang=gui_args.lang)
    parser = build_parser()
    args = parser.parse_args(argv)
    args.operator = args.operator or os.environ.get("FRONTDESK_OPERATOR")
    args.centre = args.centre or os.environ.get("FRONTDESK_CENTRE")
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        from frontdesk.app import run_gui

        if args.centre:  # the GUI's start-up (frontdesk.ui.town) reads it from there
            os.environ["FRONTDESK_CENTRE"] = args.centre
        return run_gui(db_url=args.db, lang=args.lang)
    context = CliContext(args)
    try:
        return handler(context) or EXIT_OK
    except FrontdeskError as exc:
        print(tr("错误：{message}", message=exc.message), file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        return EXIT_REFUSED
    finally:
        if context._db is not None:  # close pooled connections (a server counts them)
            context._db.dispose()
