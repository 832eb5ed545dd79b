"""The files that ship with the program (fonts, translations, icons): the one way to them.

``resources/`` at the top of the repository is the package ``frontdesk._resources`` (setup.py
maps it; ``resources/__init__.py`` makes it a package). Every kind of install reaches the same
files through ``importlib.resources``:

- a wheel (``pip install .``, pipx): ``site-packages/frontdesk/_resources/``;
- an editable install (``pip install -e .``): setuptools' import finder maps the package to the
  checkout's ``resources/``;
- the PyInstaller bundle: ``_internal/frontdesk/_resources/`` (packaging/frontdesk.spec);
- a source checkout that is on ``sys.path`` but not installed (``PYTHONPATH=checkout``, or a
  virtualenv holding an editable install of *another* checkout): nothing can import
  ``frontdesk._resources``, so the checkout's own ``resources/`` (recognised by the marker in its
  ``__init__.py``) is imported under that name, as the editable finder would.

Zip imports, honestly: imported from a zip (a wheel or zipapp on ``sys.path``),
``importlib.resources`` hands out zip entries. Text is read from the archive; :func:`file_path`
(fonts for ReportLab and Qt, the icon, which want a file name) extracts one copy into a
temporary folder that lives until the process exits. Alembic cannot run migrations from a zip,
so a zip import cannot open a database anyway; the installs above are real folders and nothing
is copied.

A missing file raises :class:`ResourceMissing` (its message names the file and says to
reinstall) and is logged: a broken install fails loudly, never silently in Chinese or without
fonts. Importing this module is cheap; nothing is looked up until first asked.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import logging
import sys
import threading
import types
from pathlib import Path
from typing import TYPE_CHECKING

from frontdesk.core.errors import FrontdeskError

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

PACKAGE = "frontdesk._resources"
MARKER = "FRONTDESK_RESOURCES"  # set in resources/__init__.py

# What the program loads, by name (documents/fonts.py, ui/fonts.py, app.py, core/i18n.py).
FONTS_DIR = "fonts"
FONT_FILES = ("NotoSansSC-Regular.ttf", "NotoSansSC-Bold.ttf", "FrontdeskRareHan.ttf")
ICONS_DIR = "icons"
WINDOW_ICON = "frontdesk.png"
TRANSLATIONS_DIR = "translations"
GUIDE_DIR = "guide"  # the user guides and their pictures (ui/help.py)

log = logging.getLogger(__name__)


class ResourceMissing(FrontdeskError):
    """A file the program ships with is not where the install put it (a broken install)."""


_lock = threading.Lock()
_root: Traversable | None = None
_extracted: contextlib.ExitStack | None = None
_paths: dict[tuple[str, ...], Path] = {}


def _missing(what: str) -> ResourceMissing:
    error = ResourceMissing(_message(what))
    log.error("shipped file missing: %s (resources at %s)", what, _describe_root())
    return error


def _message(what: str) -> str:
    from frontdesk.core.i18n import tr  # i18n imports this module

    return tr("程序文件不完整：找不到 {name}（{where}）。请重新安装邻里前台。",
              name=what, where=_describe_root())


def _describe_root() -> str:
    return str(_root) if _root is not None else PACKAGE


def root() -> Traversable:
    """The top of the shipped files (a folder; a zip entry when imported from a zip)."""
    global _root
    if _root is None:
        with _lock:
            if _root is None:
                _root = _find_root()
    return _root


def _find_root() -> Traversable:
    import importlib.resources

    try:
        return importlib.resources.files(PACKAGE)
    except ModuleNotFoundError:
        pass
    module = _import_checkout_resources()
    if module is None:
        log.error("%s is not installed, and no source checkout's resources/ is beside "
                  "the package", PACKAGE)
        raise ResourceMissing(_message(PACKAGE))
    return importlib.resources.files(module)


def _import_checkout_resources() -> types.ModuleType | None:
    """A source checkout's resources/ imported as frontdesk._resources (None: not a checkout)."""
    import frontdesk

    package_file = getattr(frontdesk, "__file__", None)
    if not package_file:
        return None
    init = Path(package_file).resolve().parent.parent / "resources" / "__init__.py"
    if not init.is_file() or MARKER not in init.read_text(encoding="utf-8"):
        return None  # someone else's "resources" folder (the bug this module replaced)
    spec = importlib.util.spec_from_file_location(
        PACKAGE, init, submodule_search_locations=[str(init.parent)])
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    sys.modules[PACKAGE] = module
    spec.loader.exec_module(module)
    return module


def where() -> str:
    """Where the shipped files were found (for messages, ``--version`` checks and tests)."""
    return str(root())


def find(*parts: str) -> Traversable:
    """The shipped file or folder ``parts`` (e.g. ``find("fonts", "x.ttf")``); raises
    :class:`ResourceMissing` when it is not there."""
    node = root()
    for part in parts:
        node = node / part
    if not (node.is_file() or node.is_dir()):
        raise _missing("/".join(parts))
    return node


def read_bytes(*parts: str) -> bytes:
    """The content of a shipped file."""
    return find(*parts).read_bytes()


def read_text(*parts: str) -> str:
    """The content of a shipped text file (UTF-8 on every platform)."""
    return find(*parts).read_text(encoding="utf-8")


def file_path(*parts: str) -> Path:
    """A real file on disk with the content of a shipped file, for libraries that open files
    by name (ReportLab's TTFont, Qt's font database and icons).

    From a folder install this is the shipped file itself; from a zip import, a copy
    extracted once and kept until the process exits.
    """
    cached = _paths.get(parts)
    if cached is not None:
        return cached
    node = find(*parts)
    if not node.is_file():
        raise _missing("/".join(parts))
    if isinstance(node, Path):
        path = node
    else:
        import importlib.resources

        global _extracted
        with _lock:
            if _extracted is None:
                _extracted = contextlib.ExitStack()
                atexit.register(_extracted.close)
            path = _extracted.enter_context(importlib.resources.as_file(node))
    _paths[parts] = path
    return path


def font_path(name: str) -> Path:
    """A shipped font as a file (see :func:`file_path`)."""
    return file_path(FONTS_DIR, name)


def icon_path(name: str = WINDOW_ICON) -> Path:
    """A shipped icon as a file (see :func:`file_path`)."""
    return file_path(ICONS_DIR, name)


def folder_files(*parts: str, suffix: str = "") -> list[Traversable]:
    """The files directly in a shipped folder (ending in ``suffix``), sorted by name;
    raises :class:`ResourceMissing` when the folder is not there."""
    folder = find(*parts)
    if not folder.is_dir():
        raise _missing("/".join(parts))
    return sorted((f for f in folder.iterdir() if f.is_file() and f.name.endswith(suffix)),
                  key=lambda f: f.name)


def catalogue_files(lang: str) -> list[Traversable]:
    """The translation catalogue of ``lang``: one JSON file per feature; raises
    :class:`ResourceMissing` when there is none."""
    found = folder_files(TRANSLATIONS_DIR, lang, suffix=".json")
    if not found:
        raise _missing(f"{TRANSLATIONS_DIR}/{lang}/*.json")
    return found


def all_files() -> list[str]:
    """Every shipped file as a relative POSIX path (``fonts/x.ttf``), sorted; the package's
    own ``__init__.py`` and byte-code left out."""
    found: list[str] = []

    def walk(node: Traversable, prefix: str) -> None:
        for child in node.iterdir():
            if child.name == "__pycache__":
                continue
            if child.is_dir():
                walk(child, f"{prefix}{child.name}/")
            elif not (prefix == "" and child.name == "__init__.py"):
                found.append(prefix + child.name)

    walk(root(), "")
    return sorted(found)


def required_files(languages: tuple[str, ...] = ("en",)) -> list[str]:
    """The files the program loads by name (fonts, window icon), and each catalogue folder."""
    return ([f"{FONTS_DIR}/{name}" for name in FONT_FILES] + [f"{ICONS_DIR}/{WINDOW_ICON}"]
            + [f"{TRANSLATIONS_DIR}/{lang}" for lang in languages])


def check_installed(languages: tuple[str, ...] = ("en",)) -> None:
    """Raise :class:`ResourceMissing` naming every file the program loads that is missing
    (before work that would stop half-way without them, such as ``frontdesk demo``)."""
    missing = []
    for name in required_files(languages):
        try:
            node = find(*name.split("/"))
            if name.startswith(TRANSLATIONS_DIR):
                catalogue_files(node.name)
        except ResourceMissing:
            missing.append(name)
    if missing:
        raise ResourceMissing(_message(", ".join(missing)))
