"""Finding the PostgreSQL client tools (pg_dump, pg_restore, psql) on Linux and Windows.

Where they are looked for, in this order:
1. a folder chosen for this PC: ``FRONTDESK_PG_BIN``, else the folder saved by
   ``frontdesk pg-tools --use DIR`` in ``pg-tools.json`` in the data folder (per Windows
   user on that PC: ``%LOCALAPPDATA%`` is not roamed). A chosen folder is the only place
   looked at, so a wrong one is said, not silently bypassed;
2. Debian's folder of the server's own version (``/usr/lib/postgresql/N/bin``);
3. ``PATH``;
4. the PostgreSQL installer's folders ``%ProgramFiles%\\PostgreSQL\\<version>\\bin`` (also
   ``%ProgramW6432%`` and ``%ProgramFiles(x86)%``), newest version first;
5. Debian's other versions, newest first.
The caller then takes the first whose version is no older than the server's (pg_dump refuses
a newer server).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr
from frontdesk.core.paths import data_dir

PG_BIN_ENV = "FRONTDESK_PG_BIN"
CHOICE_FILE = "pg-tools.json"
DEBIAN_LIB_DIR = "/usr/lib/postgresql"  # Debian/Ubuntu: one bin directory per major version
PROGRAM_FILES_VARS = ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)")
TOOLS = ("pg_dump", "pg_restore", "psql")


def executable_name(name: str, windows: bool | None = None) -> str:
    """``pg_dump`` as a file name: ``pg_dump.exe`` on Windows."""
    windows = os.name == "nt" if windows is None else windows
    return f"{name}.exe" if windows else name


def chosen_folder(environ: Mapping[str, str] | None = None) -> Path | None:
    """The folder chosen for this PC (``FRONTDESK_PG_BIN``, else the saved choice), or None."""
    environ = os.environ if environ is None else environ
    if environ.get(PG_BIN_ENV):
        return Path(environ[PG_BIN_ENV])
    try:
        data = json.loads((data_dir() / CHOICE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    folder = data.get("folder") if isinstance(data, dict) else None
    return Path(folder) if isinstance(folder, str) and folder else None


def remember_folder(folder: Path | None, *, windows: bool | None = None) -> None:
    """Save ``folder`` as this PC's PostgreSQL tools folder (None: forget it).

    Refused unless the folder holds pg_dump and pg_restore.
    """
    path = data_dir() / CHOICE_FILE
    if folder is None:
        path.unlink(missing_ok=True)
        return
    folder = folder.expanduser().resolve()
    lacking = [name for name in ("pg_dump", "pg_restore")
               if not _is_executable(folder / executable_name(name, windows))]
    if lacking:
        raise RuleError(tr("文件夹 {folder} 里没有 {tools}：请选 PostgreSQL 的 bin 文件夹"
                           "（Windows 一般是 C:\\Program Files\\PostgreSQL\\版本号\\bin）。",
                           folder=str(folder), tools="、".join(lacking)))
    tmp = path.with_name(f"{CHOICE_FILE}.tmp")
    tmp.write_text(json.dumps({"folder": str(folder)}, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def _version_key(folder: Path) -> tuple[int, ...]:
    """``16`` → (16,), ``9.6`` → (9, 6); other names sort last."""
    parts = folder.name.split(".")
    return tuple(int(p) for p in parts) if all(p.isdigit() for p in parts) else (-1,)


def installer_folders(environ: Mapping[str, str] | None = None) -> list[Path]:
    """``%ProgramFiles%\\PostgreSQL\\*\\bin`` (and the other Program Files), newest first."""
    environ = os.environ if environ is None else environ
    found: list[Path] = []
    for var in PROGRAM_FILES_VARS:
        root = environ.get(var)
        if not root:
            continue
        versions = [p for p in (Path(root) / "PostgreSQL").glob("*") if (p / "bin").is_dir()]
        for version in sorted(versions, key=_version_key, reverse=True):
            if version / "bin" not in found:
                found.append(version / "bin")
    return found


def _debian_folders() -> list[Path]:
    """Debian's ``/usr/lib/postgresql/N/bin``, newest first."""
    return sorted(Path(DEBIAN_LIB_DIR).glob("*/bin"), key=lambda p: _version_key(p.parent),
                  reverse=True)


def _is_executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def candidates(name: str, server: int | None = None, *,
               environ: Mapping[str, str] | None = None,
               windows: bool | None = None) -> list[str]:
    """Every ``name`` found, in the order of the module's docstring (no duplicates)."""
    environ = os.environ if environ is None else environ
    exe = executable_name(name, windows)
    chosen = chosen_folder(environ)
    if chosen is not None:
        places = [chosen / exe]
    else:
        on_path = shutil.which(exe, path=environ.get("PATH", os.defpath))
        places = ([Path(DEBIAN_LIB_DIR) / str(server) / "bin" / exe] if server else []) + (
            [Path(on_path)] if on_path else []) + [
            folder / exe for folder in installer_folders(environ)] + [
            folder / exe for folder in _debian_folders()]
    seen: list[str] = []
    for place in places:
        if _is_executable(place) and str(place) not in seen:
            seen.append(str(place))
    return seen


def tool_major(tool: str) -> int | None:
    """The major version a tool reports ("pg_dump (PostgreSQL) 15.8" → 15), or None."""
    try:
        done = subprocess.run([tool, "--version"], capture_output=True, text=True,
                              encoding="utf-8", errors="replace", check=False, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"\)\s*(\d+)", done.stdout)
    return int(found.group(1)) if found else None


def pick(name: str, server: int | None) -> str:
    """``name`` of a version that can work with a PostgreSQL ``server`` (major version; None:
    unknown, the first found); RuleError saying what to install or choose otherwise."""
    found = candidates(name, server)
    if not found:
        raise RuleError(tr("找不到 {tool}：PostgreSQL 数据库请安装 PostgreSQL 客户端工具"
                           "（Windows：PostgreSQL 安装程序里的 Command Line Tools）后再备份或恢复，"
                           "或用 frontdesk pg-tools --use 文件夹 指定它的 bin 文件夹，"
                           "或由服务器管理员备份。", tool=name))
    if server is None:
        return found[0]
    versions = {tool: tool_major(tool) for tool in found}
    for tool, major in versions.items():
        if major is not None and major >= server:
            return tool
    have = ", ".join(f"{tool}（{major or '?'}）" for tool, major in versions.items())
    raise RuleError(tr("{tool} 的版本比数据库服务器（PostgreSQL {server}）旧，无法备份或恢复："
                       "{have}。请安装 PostgreSQL {server} 或更新版本的客户端工具（Windows："
                       "PostgreSQL 安装程序；Debian/Ubuntu：postgresql-client-{server}），"
                       "或用 frontdesk pg-tools --use 文件夹（或环境变量 FRONTDESK_PG_BIN）"
                       "指定它的 bin 文件夹。", tool=name, server=server, have=have))
