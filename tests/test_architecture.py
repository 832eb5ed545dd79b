"""House rules that keep the code base in shape."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import frontdesk
from frontdesk.core.migrate import script_heads
from frontdesk.migrations import SCHEMA_HEADS

PACKAGE = Path(frontdesk.__file__).resolve().parent
GUI_ALLOWED = ("ui/", "app.py")


def _qt_free_modules() -> list[Path]:
    return [
        p for p in PACKAGE.rglob("*.py")
        if not str(p.relative_to(PACKAGE)).startswith(GUI_ALLOWED)
        and "migrations/versions" not in str(p)
    ]


def test_only_ui_and_gui_startup_import_pyside6() -> None:
    offenders = []
    for path in _qt_free_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.split(".")[0] == "PySide6" for n in names):
                offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []


def test_qt_free_packages_do_not_pull_in_pyside6_when_imported() -> None:
    modules = sorted(
        "frontdesk." + str(p.relative_to(PACKAGE).with_suffix("")).replace("/", ".")
        for p in _qt_free_modules()
        if p.name not in {"__main__.py", "env.py"}
    )
    modules = [m.removesuffix(".__init__") for m in modules]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print('PySide6' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False", out.stderr


def test_cli_start_up_path_stays_light() -> None:
    code = (
        "import sys\n"
        "from frontdesk.cli import build_parser\n"
        "build_parser()\n"
        "heavy = [m for m in ('reportlab', 'openpyxl', 'PySide6', 'alembic', 'argon2')"
        " if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]", out.stderr


def test_the_window_shows_before_the_database_layer_is_imported() -> None:
    """Start-up shows the main window before importing SQLAlchemy (issue 2's speed target):
    the GUI path of the CLI and the shell window must not pull the data layer in."""
    code = (
        "import sys\n"
        "from frontdesk.cli import _gui_arguments\n"
        "_gui_arguments(['--db', 'x.sqlite3'])\n"
        "import frontdesk.app, frontdesk.core.startup_cache, frontdesk.ui.main_window\n"
        "heavy = [m for m in ('sqlalchemy', 'reportlab', 'openpyxl', 'alembic', 'argon2')"
        " if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]", out.stderr


def test_schema_heads_constant_matches_the_migrations() -> None:
    assert script_heads() == set(SCHEMA_HEADS)


# -- the clock ------------------------------------------------------------------------------
# Reading the date or time of day anywhere but core/clock.py makes the program depend on the
# machine's clock in a way tests cannot pin (and CLI runs under a moved clock would miss).
# Timers (time.monotonic, time.perf_counter) measure durations and stay allowed.
CLOCK_MODULE = "core/clock.py"
WALL_CLOCK_CALLS = {
    ("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"),
    ("datetime", "fromtimestamp"), ("datetime", "utcfromtimestamp"),
    ("date", "today"), ("date", "fromtimestamp"),
    ("time", "time"), ("time", "time_ns"), ("time", "localtime"), ("time", "gmtime"),
    ("time", "ctime"), ("time", "asctime"), ("time", "strftime"),
    ("QDate", "currentDate"), ("QTime", "currentTime"),
    ("QDateTime", "currentDateTime"), ("QDateTime", "currentDateTimeUtc"),
    ("QDateTime", "currentSecsSinceEpoch"), ("QDateTime", "currentMSecsSinceEpoch"),
}
WALL_CLOCK_FROM_IMPORTS = {("time", n) for _, n in WALL_CLOCK_CALLS if _ == "time"}


def wall_clock_reads(source: str) -> list[str]:
    """``line: call`` for every read of the date or time of day in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            owner_name = (owner.attr if isinstance(owner, ast.Attribute)
                          else owner.id if isinstance(owner, ast.Name) else "")
            if (owner_name, node.func.attr) in WALL_CLOCK_CALLS:
                found.append(f"{node.lineno}: {owner_name}.{node.func.attr}()")
        elif isinstance(node, ast.ImportFrom) and node.module == "time":
            found += [f"{node.lineno}: from time import {a.name}" for a in node.names
                      if ("time", a.name) in WALL_CLOCK_FROM_IMPORTS]
    return found


def test_only_the_clock_module_reads_the_date_or_time_of_day() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative == CLOCK_MODULE:
            continue
        offenders += [f"{relative}:{hit}"
                      for hit in wall_clock_reads(path.read_text(encoding="utf-8"))]
    # Read the time through frontdesk.core.clock: an actor's clock, or Clock() at the edges.
    assert offenders == []


def test_no_test_reads_the_date_or_time_of_day() -> None:
    """Tests take "now" from a clock they control (the ``clock`` fixture, ``process_clock``,
    tests.helpers.moved_clock), never from the machine: not even through Clock()."""
    offenders = []
    tests = Path(__file__).resolve().parent
    for path in sorted(tests.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        hits = wall_clock_reads(source)
        hits += [f"{node.lineno}: Clock()" for node in ast.walk(ast.parse(source))
                 if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                 and node.func.id == "Clock"]
        offenders += [f"{path.relative_to(tests).as_posix()}:{hit}" for hit in hits]
    assert offenders == []


def test_the_wall_clock_scan_finds_each_way_of_reading_the_time() -> None:
    source = "\n".join([
        "import datetime as dt, datetime, time",
        "from datetime import date",
        "from time import localtime",
        "dt.datetime.now()", "datetime.datetime.utcnow()", "date.today()", "dt.date.today()",
        "time.time()", "time.strftime('%Y')", "QDate.currentDate()",
        "QtCore.QDateTime.currentDateTime()",
        "time.monotonic()", "time.perf_counter()", "clock.now()", "actor.today()",
        "dt.datetime.fromisoformat('2026-11-22')",
    ])
    assert [hit.split(": ", 1)[1] for hit in wall_clock_reads(source)] == [
        "from time import localtime", "datetime.now()", "datetime.utcnow()", "date.today()",
        "date.today()", "time.time()", "time.strftime()", "QDate.currentDate()",
        "QDateTime.currentDateTime()"]
