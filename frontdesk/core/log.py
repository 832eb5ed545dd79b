"""The program's log: one place where unexpected errors (and what led to them) are written.

``setup()`` points the root logger at ``<data folder>/logs/frontdesk.log`` (UTF-8, rotated
at :data:`MAX_BYTES` keeping :data:`BACKUP_COUNT` old files). ``install_hooks()`` sends
uncaught exceptions (``sys.excepthook``, ``threading.excepthook``) there and makes
``faulthandler`` write hard crashes (a segfault in a Qt or printer driver) to
``logs/crash.log``. The GUI adds Qt's own messages (``frontdesk.app``).

A log must never be the reason the program stops: a read-only data folder, a full disk
(also while the log rotates) or a log folder deleted under the running program are told
to the user once, in one line (``set_announcer``), and the program carries on. When the
folder comes back or the disk has room again, writing resumes by itself.

Start-up cost: ``logging`` is already imported on the GUI path; ``logging.handlers``
(which pulls in socket, pickle and queue, ~12 ms) is not used — the rotation below is a
few lines. The file is opened at the first record, not at set-up.
"""

from __future__ import annotations

import contextlib
import errno
import faulthandler
import logging
import os
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from frontdesk.core.clock import machine_now
from frontdesk.core.i18n import tr

LEVEL_ENV = "FRONTDESK_LOG_LEVEL"
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
DEFAULT_LEVEL = "INFO"
LOG_NAME = "frontdesk.log"
CRASH_NAME = "crash.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
CRASH_MAX_BYTES = 1_000_000
FORMAT = "%(asctime)s %(levelname)-7s %(process)d %(name)s: %(message)s"

logger = logging.getLogger("frontdesk")

Announcer = Callable[[str], None]
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]
Reporter = Callable[[ExcInfo, str], None]


def _stderr_line(message: str) -> None:
    with contextlib.suppress(OSError, ValueError):  # stderr closed too: nothing to be done
        print(message, file=sys.stderr, flush=True)


_announce: Announcer = _stderr_line
_reporter: Reporter | None = None
_handler: LogFile | None = None
_crash_file: IO[bytes] | None = None
_previous_hooks: tuple[Any, Any] | None = None


def parse_level(text: str | None) -> str | None:
    """``text`` as one of :data:`LEVELS` (any case), or None when it is not one."""
    wanted = (text or "").strip().upper()
    if wanted == "WARN":
        wanted = "WARNING"
    return wanted if wanted in LEVELS else None


def log_dir() -> Path:
    """Where the log files live: ``logs`` in the data folder (not created here: the log
    makes it when it first writes, and says so if it cannot)."""
    from frontdesk.core.paths import APP_NAME, data_dir

    try:
        return data_dir() / "logs"
    except OSError:  # the data folder cannot be made (a read-only parent)
        home = os.environ.get("FRONTDESK_HOME")
        if home:
            return Path(home) / "logs"
        from platformdirs import user_data_dir

        return Path(user_data_dir(APP_NAME, appauthor=False)) / "logs"


class LogFile(logging.Handler):
    """A size-rotated UTF-8 log file that survives the faults a desk PC meets.

    Like ``logging.handlers.RotatingFileHandler`` (``frontdesk.log``, ``.1`` … ``.N``), but:
    the folder is made (again) when missing; a record is written with one unbuffered write,
    so a full disk leaves no half-buffered record to fail again at exit; every failure is
    kept in :attr:`problem` and told once through the announcer instead of a traceback on
    stderr; a rotation that cannot rename (Windows: another frontdesk has the file open)
    just keeps appending.
    """

    terminator = "\n"

    def __init__(self, path: Path, *, max_bytes: int = MAX_BYTES,
                 backup_count: int = BACKUP_COUNT) -> None:
        super().__init__()
        self.path = path
        self.max_bytes = max_bytes
        self.backup_count = backup_count
        self.stream: IO[bytes] | None = None
        self.problem = ""  # why the last record could not be written ("" when it could)
        self.announced = False
        self._dangling = False  # the last write stopped mid-line (disk full)
        self.setFormatter(logging.Formatter(FORMAT))

    # -- opening ---------------------------------------------------------------------------
    def _open(self) -> IO[bytes]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return open(self.path, "ab", buffering=0)

    def _still_there(self, stream: IO[bytes]) -> bool:
        """Whether the open file is still the one at :attr:`path` (not deleted or moved)."""
        try:
            on_disk = os.stat(self.path)
        except OSError:
            return False
        mine = os.fstat(stream.fileno())
        return (on_disk.st_ino, on_disk.st_dev) == (mine.st_ino, mine.st_dev)

    def _stream(self) -> IO[bytes]:
        stream = self.stream
        if stream is not None and not self._still_there(stream):
            self._close_stream()  # the folder or file was deleted: start a new one
            stream = None
        if stream is None:
            stream = self.stream = self._open()
        return stream

    def _close_stream(self) -> None:
        stream, self.stream = self.stream, None
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()

    # -- rotating --------------------------------------------------------------------------
    def _rotate(self) -> None:
        self._close_stream()
        try:
            for n in range(self.backup_count - 1, 0, -1):
                older = self.path.with_name(f"{self.path.name}.{n}")
                if older.exists():
                    os.replace(older, self.path.with_name(f"{self.path.name}.{n + 1}"))
            if self.backup_count > 0:
                os.replace(self.path, self.path.with_name(f"{self.path.name}.1"))
            else:
                self.path.unlink(missing_ok=True)
        except OSError:
            pass  # keep appending to the current file; the next record tries again

    # -- writing ---------------------------------------------------------------------------
    def emit(self, record: logging.LogRecord) -> None:
        try:
            data = (self.format(record) + self.terminator).encode("utf-8", "backslashreplace")
            if os.linesep != "\n":
                data = data.replace(b"\n", os.linesep.encode())  # Notepad-friendly on Windows
            self.acquire()
            try:
                stream = self._stream()
                size = stream.seek(0, os.SEEK_END)
                if self.max_bytes and size and size + len(data) > self.max_bytes:
                    self._rotate()
                    stream = self._stream()
                if self._dangling:
                    data = os.linesep.encode() + data
                written = stream.write(data) or 0
                if written < len(data):
                    self._dangling = True
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.path))
                self._dangling = False
                if self.problem:
                    self._recovered()
            finally:
                self.release()
        except RecursionError:  # pragma: no cover - as logging itself does
            raise
        except Exception as exc:
            self._failed(exc)

    def _recovered(self) -> None:
        problem, self.problem = self.problem, ""
        line = (f"{machine_now():%Y-%m-%d %H:%M:%S} INFO    {os.getpid()} frontdesk.log: "
                f"the log is written again (it was not: {problem})")
        if self.stream is not None:
            with contextlib.suppress(OSError):
                self.stream.write((line + os.linesep).encode("utf-8"))

    def _failed(self, exc: BaseException) -> None:
        self._close_stream()
        self.problem = describe_failure(exc, self.path)
        if not self.announced:
            self.announced = True
            _announce(self.problem)

    def handleError(self, record: logging.LogRecord) -> None:
        """Never the "--- Logging error ---" traceback on stderr (see :meth:`_failed`)."""

    def close(self) -> None:
        self.acquire()
        try:
            self._close_stream()
        finally:
            self.release()
        super().close()


def describe_failure(exc: BaseException, path: Path) -> str:
    """One line in the user's language: why the log cannot be written, and that the program
    still works."""
    code = getattr(exc, "errno", None)
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return tr("磁盘已满，日志写不进去（{path}）。程序照常运行；请清理磁盘。", path=path)
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return tr("日志文件夹不能写入（只读或没有权限）：{folder}。程序照常运行，"
                  "但出错的详情不会记进日志。", folder=path.parent)
    reason = getattr(exc, "strerror", None) or exc.__class__.__name__
    return tr("无法写入日志文件 {path}（{reason}）。程序照常运行。", path=path, reason=reason)


# -- set-up ------------------------------------------------------------------------------------

def setup(level: str | None = None, *, folder: Path | None = None,
          max_bytes: int = MAX_BYTES, backup_count: int = BACKUP_COUNT) -> LogFile:
    """Log to ``<folder>/frontdesk.log`` (default: the data folder's ``logs``) at ``level``
    (else ``FRONTDESK_LOG_LEVEL``, else INFO); returns the handler. Cheap (the file opens at
    the first record) and safe to call again (another folder replaces the old handler)."""
    global _handler
    chosen = parse_level(level) or parse_level(os.environ.get(LEVEL_ENV)) or DEFAULT_LEVEL
    root = logging.getLogger()
    root.setLevel(chosen)
    path = (folder if folder is not None else log_dir()) / LOG_NAME
    if _handler is not None and _handler.path == path:
        _handler.max_bytes, _handler.backup_count = max_bytes, backup_count
        return _handler
    close()
    _handler = LogFile(path, max_bytes=max_bytes, backup_count=backup_count)
    root.addHandler(_handler)
    return _handler


def close() -> None:
    """Stop logging to the file (tests; a command run in-process)."""
    global _handler
    if _handler is not None:
        logging.getLogger().removeHandler(_handler)
        _handler.close()
        _handler = None


def current_path() -> Path | None:
    """The log file being written, or None when there is no log."""
    return _handler.path if _handler is not None else None


def problem() -> str:
    """Why the log cannot be written now ("" when it can, or when there is no log yet)."""
    if _handler is None:
        return tr("没有日志文件。")
    return _handler.problem


def where() -> str:
    """For a message to the user: the log file's path, or why there is none."""
    if _handler is None or _handler.problem:
        return problem()
    return str(_handler.path)


def set_announcer(announce: Announcer | None) -> None:
    """Who tells the user (once) that the log cannot be written: stderr by default."""
    global _announce
    _announce = announce or _stderr_line


# -- unexpected errors -------------------------------------------------------------------------

def details(exc_info: ExcInfo, what: str = "") -> str:
    """The full report of an unexpected error: what was done, versions, the traceback."""
    import platform

    from frontdesk import __version__

    head = [
        f"time: {machine_now():%Y-%m-%d %H:%M:%S %z}",
        f"frontdesk {__version__}, Python {platform.python_version()}, {platform.platform()}",
    ]
    if what:
        head.append(f"action: {what}")
    body = "".join(traceback.format_exception(*exc_info))
    return "\n".join(head) + "\n" + body.rstrip("\n")


def record_unexpected(exc_info: ExcInfo, what: str = "") -> str:
    """Write an unexpected error with its traceback to the log; returns the report."""
    report = details(exc_info, what)
    logger.error("unexpected error%s\n%s", f" while {what}" if what else "", report)
    return report


def set_reporter(reporter: Reporter | None,
                 describe: Callable[[TracebackType | None], str] | None = None) -> None:
    """Who shows the user an uncaught exception (the GUI's dialog; default: one line), and
    who says what the user was doing (written to the log with it)."""
    global _reporter, _describe
    _reporter, _describe = reporter, describe


_describe: Callable[[TracebackType | None], str] | None = None


def _what(tb: TracebackType | None) -> str:
    if _describe is None:
        return ""
    try:
        return _describe(tb)
    except Exception:  # describing must never hide the error itself
        return ""


def excepthook(exc_type: type[BaseException], exc: BaseException,
                tb: TracebackType | None) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        logger.info("interrupted (Ctrl-C)")
        if _reporter is not None:
            _reporter((exc_type, exc, tb), "")
        else:
            _stderr_line(tr("已中断。"))
        return
    from frontdesk.core.errors import FrontdeskError

    what = _what(tb)
    if isinstance(exc, FrontdeskError):  # a refusal nobody caught: the user reads its words
        logger.info("refused (not caught by the screen): %s", exc.message)
        report = details((exc_type, exc, tb), what)
    else:
        report = record_unexpected((exc_type, exc, tb), what)
    if _reporter is not None:
        try:
            _reporter((exc_type, exc, tb), report)
            return
        except Exception:
            logger.exception("the error reporter failed")
    if problem():
        _stderr_line(tr("程序出错：{error}。日志写不进去（见上一行），详情没有保存。",
                        error=exc_type.__name__))
    else:
        _stderr_line(tr("程序出错：{error}。详情已记入日志：{where}",
                        error=exc_type.__name__, where=where()))


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None or issubclass(args.exc_type, SystemExit):
        return
    name = args.thread.name if args.thread is not None else "?"
    logger.error("unexpected error in thread %s\n%s", name,
                 details((args.exc_type, args.exc_value, args.exc_traceback)))


def install_hooks(*, faults: bool = True) -> None:
    """The process's last line of defence: uncaught exceptions (main and other threads) go
    to the log, hard crashes to ``crash.log`` (faulthandler). Only for the program's own
    process (``frontdesk``), never for a command run in-process by tests."""
    global _previous_hooks, _crash_file
    if _previous_hooks is None:
        _previous_hooks = (sys.excepthook, threading.excepthook)
    sys.excepthook = excepthook
    threading.excepthook = _thread_hook
    if faults and _crash_file is None and _handler is not None:
        crash = _handler.path.with_name(CRASH_NAME)
        try:
            if crash.exists() and crash.stat().st_size > CRASH_MAX_BYTES:
                os.replace(crash, crash.with_name(CRASH_NAME + ".1"))
            crash.parent.mkdir(parents=True, exist_ok=True)
            _crash_file = open(crash, "ab")  # noqa: SIM115 - open for the process's life
            faulthandler.enable(file=_crash_file, all_threads=True)
        except OSError as exc:  # told once, like the log itself
            logger.warning("faulthandler not enabled: %s", exc)


def uninstall_hooks() -> None:
    """Undo :func:`install_hooks` (tests)."""
    global _previous_hooks, _crash_file
    if _previous_hooks is not None:
        sys.excepthook, threading.excepthook = _previous_hooks
        _previous_hooks = None
    if _crash_file is not None:
        faulthandler.disable()
        _crash_file.close()
        _crash_file = None


def started(what: str) -> None:
    """The first line of a run: what was started, which program (no ``platform`` calls:
    they can read the interpreter's binary)."""
    from frontdesk import __version__

    logger.info("%s (frontdesk %s, Python %s, %s)", what, __version__,
                sys.version.split()[0], sys.platform)
