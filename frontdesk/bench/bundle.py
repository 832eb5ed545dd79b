"""The built bundle (packaging/build.sh): its size, `--version`, and offscreen start.

Measures ``dist/frontdesk/`` of this checkout, or the folder named by ``FRONTDESK_BUNDLE``;
without a bundle it records one row saying so (nothing to time).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from frontdesk.app import STARTUP_PROBE_ENV
from frontdesk.bench.harness import BenchRun
from frontdesk.bench.startup import time_process
from frontdesk.core.centre import initialise
from frontdesk.core.migrate import open_database

REPO_DIST = Path(__file__).resolve().parent.parent.parent / "dist" / "frontdesk"


def bundle_dir() -> Path:
    """Where the built one-folder bundle is expected."""
    return Path(os.environ.get("FRONTDESK_BUNDLE") or REPO_DIST)


def bundle_executable(folder: Path) -> Path:
    """The console program in the bundle (on Windows the desk program has no console)."""
    return folder / ("frontdesk-cli.exe" if sys.platform == "win32" else "frontdesk")


def folder_size_mb(folder: Path) -> float:
    """Total size of the files under ``folder`` in MB (symlinks not followed)."""
    total = sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file()
                and not p.is_symlink())
    return total / 1024 / 1024


def run(bench: BenchRun) -> None:
    """Bundle size, `--version` and cold start to the main window, if a bundle exists."""
    if not bench.wanted("bundle"):
        return
    folder = bundle_dir()
    exe = bundle_executable(folder)
    if not exe.exists():
        bench.record_value("bundle: not built (skipped)", 0, "",
                           note="run bash packaging/build.sh first")
        return
    bench.record_value("bundle size (dist/frontdesk)", folder_size_mb(folder), "MB",
                       target=400)
    url = f"sqlite:///{bench.workdir / 'bundle.sqlite3'}"
    db = open_database(url)
    with db.session() as session:
        initialise(session, centre_name="基准测试中心", centre_code="BENCH02", town="测试镇",
                   admin_username="admin", admin_password="bench-password")
    db.dispose()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", FRONTDESK_DB=url,
               FRONTDESK_HOME=str(bench.workdir / "bundle-home"))
    repeat = 7 if bench.scale == "full" else 2
    bench.time("bundle: frontdesk --version",
               lambda: subprocess.run([str(exe), "--version"], env=env, check=True,
                                      capture_output=True), repeat=repeat, warmup=1,
               target_ms=1000)
    env[STARTUP_PROBE_ENV] = "1"
    time_process([str(exe)], env)  # warm the OS file cache, as a second start would
    samples = [time_process([str(exe)], env)[0] for _ in range(repeat)]
    bench.record_samples("bundle: cold start to main window shown (offscreen)", samples,
                         target_ms=1500)
