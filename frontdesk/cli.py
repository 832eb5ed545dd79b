"""The `frontdesk` command: the GUI when run bare, and subcommands over the same services.

Exit codes: 0 done; 1 refused by a rule, or an unexpected error (one line on stderr, the
traceback only in the log, ``frontdesk.core.log``); 2 bad usage; 130 interrupted by Ctrl-C
(a write in progress is rolled back); 141 the output was closed early (``| head``).
Subcommands live with their feature (``frontdesk/<feature>/commands.py``) and register here;
heavy libraries are imported inside the handlers, so ``frontdesk --help`` stays fast.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import json
import math
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frontdesk import __version__
from frontdesk.core import log
from frontdesk.core.errors import FrontdeskError
from frontdesk.core.i18n import LANGUAGES, set_language, tr

if TYPE_CHECKING:
    from frontdesk.core.actor import Actor

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
EXIT_UNEXPECTED = 1  # a bug: one line on stderr, the traceback in the log
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)
EXIT_BROKEN_PIPE = 141  # the reader of the output went away (128 + SIGPIPE)

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
        """The database named by --db / FRONTDESK_DB, opened and upgraded on first use.

        A missing SQLite file is refused, with its path, unless the command makes databases
        (``add_command(..., creates_database=True)``: init, demo)."""
        if self._db is None:
            from frontdesk.core.migrate import open_database

            self._db = open_database(self.args.db, centre=self.args.centre,
                                     create=self.creates_database)
            if not self.args.lang:
                with self._db.read() as session:
                    from frontdesk.core import settings

                    set_language(settings.get(session, "ui.language"))
        return self._db

    @property
    def creates_database(self) -> bool:
        """Whether this command may make a database that does not exist yet."""
        return bool(getattr(self.args, "creates_database", False))

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

    def print_result(self, data: Any, message: str) -> int:
        """What a write made or changed: ``data`` as JSON with --json, else ``message``;
        returns EXIT_OK."""
        if getattr(self.args, "json", False):
            self.print_json(data)
        else:
            print(message)
        return EXIT_OK


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
    parser.add_argument("--log-level", type=_log_level, metavar="LEVEL", default=default,
                        help=tr("日志详细程度：DEBUG、INFO、WARNING 或 ERROR"
                                "（默认读 FRONTDESK_LOG_LEVEL，否则 INFO）"))


def _log_level(text: str) -> str:
    level = log.parse_level(text)
    if level is None:
        raise argparse.ArgumentTypeError(
            tr("日志级别应为 {levels} 之一：{text}", levels="、".join(log.LEVELS), text=text))
    return level


# -- argument types: bad input refused with a clear message before any work is done --------

def _nearest_existing(path: Path) -> Path | None:
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return None


def output_file(text: str) -> Path:
    """An argument naming a file to write (--csv/--xlsx/--pdf/--out/--report/--json/OUT.png):
    refused when it is an existing folder, or when a file stands where a folder should be."""
    path = Path(text).expanduser()
    if not text.strip():
        raise argparse.ArgumentTypeError(tr("请写要保存的文件名。"))
    if path.is_dir():
        raise argparse.ArgumentTypeError(
            tr("“{path}”是一个文件夹；请写要保存的文件名，例如 {example}", path=text,
               example=str(path / ("out" + (path.suffix or ".csv")))))
    found = _nearest_existing(path.parent)
    if found is not None and not found.is_dir():
        raise argparse.ArgumentTypeError(
            tr("“{path}”是一个文件，不是文件夹，不能在里面保存“{name}”。", path=str(found),
               name=path.name))
    return path


def output_dir(text: str) -> Path:
    """An argument naming a folder to write into (--dir, --out DIR, --pdf-dir): refused when a
    file has that name (or stands where one of its folders should be)."""
    path = Path(text).expanduser()
    if not text.strip():
        raise argparse.ArgumentTypeError(tr("请写一个文件夹。"))
    found = _nearest_existing(path)
    if found is not None and not found.is_dir():
        raise argparse.ArgumentTypeError(
            tr("“{path}”是一个文件，不是文件夹；请写一个文件夹（没有的会自动创建）。",
               path=str(found)))
    return path


def input_file(text: str) -> Path:
    """An argument naming a file to read: it must exist and be a file."""
    path = Path(text).expanduser()
    if path.is_dir():
        raise argparse.ArgumentTypeError(
            tr("“{path}”是一个文件夹；请写要读取的文件。", path=text))
    if not path.exists():
        raise argparse.ArgumentTypeError(tr("找不到文件：{path}", path=text))
    return path


def finite_number(low: float, high: float, message: str) -> Callable[[str], float]:
    """An argparse type: a finite decimal number with ``low < value <= high`` (nan and inf
    refused); ``message`` (already translated, with ``{text}``) says what is expected."""
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or not low < value <= high:
            raise argparse.ArgumentTypeError(message.format(text=text))
        return value

    return parse


def add_command(subparsers: Any, name: str, handler: Handler, help_text: str, *,
                creates_database: bool = False) -> argparse.ArgumentParser:
    """Add subcommand ``name`` that runs ``handler``; returns its parser for arguments.

    ``creates_database``: the command makes the database when the file does not exist
    (only init and demo); every other command refuses a missing file.
    """
    sub: argparse.ArgumentParser = subparsers.add_parser(name, help=help_text,
                                                         description=help_text)
    add_common_options(sub, suppress=True)
    sub.set_defaults(handler=handler, creates_database=creates_database)
    return sub


def add_group(subparsers: Any, name: str, help_text: str) -> Any:
    """Add command group ``name`` (``frontdesk rooms ...``) and return the subparsers its
    actions are added to. Named without an action, the group prints its help on stderr and
    exits with EXIT_USAGE."""
    group = add_command(subparsers, name, _group_usage, help_text)
    group.set_defaults(usage_parser=group)
    return group.add_subparsers(dest=name.replace("-", "_") + "_command", metavar="ACTION")


def _group_usage(ctx: CliContext) -> int:
    ctx.args.usage_parser.print_help(sys.stderr)
    return EXIT_USAGE


def add_switch_pair(subparsers: Any, handler: Handler, arg: str,
                    off: tuple[str, str], on: tuple[str, str], arg_help: str | None = None
                    ) -> list[Any]:
    """Add the two actions that switch a record off (kept with its history) and on again,
    e.g. ``retire NAME`` / ``restore NAME``: ``off`` and ``on`` are (action, help); both take
    the record as positional ``arg`` and call ``handler`` with ``args.active`` False / True.
    Returns both parsers, for options of their own."""
    parsers = []
    for (action, help_text), active in ((off, False), (on, True)):
        p = add_command(subparsers, action, handler, help_text)
        p.add_argument(arg, metavar=arg.upper(), help=arg_help)
        p.set_defaults(active=active)
        parsers.append(p)
    return parsers


def active_message(active: bool, name: str) -> str:
    """What `... retire NAME` / `... restore NAME` says when done."""
    return tr("已重新启用：{name}", name=name) if active else tr("已停用：{name}", name=name)


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


def utf8_output() -> None:
    """Print UTF-8 whatever the console's code page: Windows writes redirected or piped
    output in the ANSI code page (cp936), which cannot hold names such as 𠮷.

    Only real text streams in another encoding are switched (not a stream that is already
    UTF-8, such as pytest's capture, nor a missing one, as under pythonw).
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        encoding = str(getattr(stream, "encoding", "") or "").lower().replace("_", "-")
        if reconfigure is not None and encoding not in ("utf-8", "utf8"):
            with suppress(ValueError, OSError):  # a stream that cannot change: left as is
                reconfigure(encoding="utf-8")


def _early_option(argv: list[str], name: str) -> str | None:
    """An option's value before the parser exists (``--name VALUE`` or ``--name=VALUE``)."""
    for n, word in enumerate(argv):
        if word == name and n + 1 < len(argv):
            return argv[n + 1]
        if word.startswith(name + "="):
            return word.split("=", 1)[1]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (see the module's docstring).

    Called without ``argv`` it is the program's own process (the ``frontdesk`` script,
    ``python -m frontdesk``): the log's hooks are installed for the whole process. Called
    with ``argv`` (tests) it leaves the process's hooks alone.
    """
    own_process = argv is None
    utf8_output()
    argv = list(sys.argv[1:] if argv is None else argv)
    early_lang = os.environ.get("FRONTDESK_LANG")
    if "--lang" in argv[:-1]:
        early_lang = argv[argv.index("--lang") + 1]
    set_language(early_lang or "zh_CN")
    log.setup(log.parse_level(_early_option(argv, "--log-level")))
    if own_process:
        log.install_hooks()
    try:
        return _run(argv)
    except SystemExit:  # argparse's usage errors and --help: its own messages and codes
        raise
    except KeyboardInterrupt:
        log.logger.info("interrupted (Ctrl-C)")
        _say(tr("已中断（Ctrl-C）。没有完成的写入都已撤销，数据库没有改动一半的记录。"))
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        log.logger.info("the output was closed before the command finished")
        if own_process:
            _silence_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as exc:
        if exc.errno == errno.EPIPE:  # Windows reports a closed pipe as EINVAL/EPIPE OSError
            if own_process:
                _silence_stdout()
            return EXIT_BROKEN_PIPE
        if getattr(exc, "filename", None) is None:
            return _unexpected(argv)
        log.logger.warning("file error", exc_info=True)
        _say(tr("错误：{message}", message=file_error_message(exc)))
        return EXIT_REFUSED
    except Exception:
        return _unexpected(argv)
    finally:
        if not own_process:
            log.close()


def _say(line: str) -> None:
    with suppress(OSError, ValueError):
        print(line, file=sys.stderr, flush=True)


def command_words(argv: list[str]) -> str:
    """The command's name for the log (``rooms list``): never option values, which can hold
    a database URL with its password, or a resident's name."""
    words = []
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word.startswith("-"):
            skip = "=" not in word and word in VALUE_OPTIONS
        elif word.replace("-", "").isascii() and word.replace("-", "").isalpha():
            words.append(word)
            if len(words) == 2:
                break
        else:
            break
    return " ".join(words) or "frontdesk"


VALUE_OPTIONS = {"--db", "--centre", "--operator", "--lang", "--log-level"}


def _unexpected(argv: list[str]) -> int:
    exc_type, exc, tb = sys.exc_info()
    assert exc_type is not None and exc is not None
    log.record_unexpected((exc_type, exc, tb), "frontdesk " + command_words(argv))
    if log.problem():
        _say(tr("程序出错（{error}），这次命令没有完成；日志写不进去（见上一行），详情没有保存。",
                error=exc_type.__name__))
    else:
        _say(tr("程序出错（{error}），这次命令没有完成。详情已记入日志：{where}",
                error=exc_type.__name__, where=log.where()))
    return EXIT_UNEXPECTED


def _silence_stdout() -> None:
    """After a closed pipe: point stdout at the null device, so the interpreter's final flush
    prints no "Exception ignored ... BrokenPipeError" (the Python documentation's recipe)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY | getattr(os, "O_BINARY", 0))
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def file_error_message(exc: OSError) -> str:
    """A file the command had to read or write could not be used, in the user's words."""
    path = exc.filename
    code = exc.errno
    if code == errno.ENOENT:
        return tr("找不到文件或文件夹：{path}", path=path)
    if code == errno.EISDIR:
        return tr("“{path}”是一个文件夹，这里需要一个文件。", path=path)
    if code == errno.ENOTDIR:
        return tr("“{path}”的路径里有一个文件挡在文件夹的位置上。", path=path)
    if code == errno.EEXIST:
        return tr("“{path}”已经存在，而且不是文件夹。", path=path)
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return tr("没有权限读写“{path}”（只读或被其他程序占用）。", path=path)
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return tr("磁盘空间已满，无法写入“{path}”。请清理磁盘后再试。", path=path)
    return tr("无法读写“{path}”：{reason}", path=path, reason=exc.strerror or exc)


def _run(argv: list[str]) -> int:
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
    log.started("frontdesk " + command_words(argv))
    context = CliContext(args)
    try:
        return handler(context) or EXIT_OK
    except FrontdeskError as exc:
        log.logger.info("refused: %s", exc.message)
        print(tr("错误：{message}", message=exc.message), file=sys.stderr)
        return EXIT_REFUSED
    finally:
        if context._db is not None:  # close pooled connections (a server counts them)
            context._db.dispose()
