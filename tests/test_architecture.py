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
