"""Start-up: cold start to the shown main window against a bare Qt window, and DB open."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from frontdesk.app import STARTUP_MARK, STARTUP_PROBE_ENV
from frontdesk.bench.harness import BenchRun, peak_rss_mb
from frontdesk.core.centre import initialise
from frontdesk.core.migrate import open_database

BARE_QT = (
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication([])\n"
    "w = QMainWindow(); w.resize(1280, 800); w.show(); app.processEvents()\n"
    f"print('{STARTUP_MARK}', flush=True)\n"
)


def _time_process(argv: list[str], env: dict[str, str]) -> float:
    """Wall-clock ms from spawning ``argv`` until it prints the start-up mark."""
    start = time.perf_counter()
    elapsed = None
    with subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          text=True) as proc:  # closes the pipe (no ResourceWarning)
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith(STARTUP_MARK):
                elapsed = (time.perf_counter() - start) * 1000
        proc.wait(timeout=120)
    if elapsed is None:
        raise RuntimeError(f"start-up probe did not show its window: {argv}")
    return elapsed


def run(bench: BenchRun) -> None:
    """Cold start vs bare PySide6 (same run, alternated), and DB open of a migrated file."""
    url = f"sqlite:///{bench.workdir / 'startup.sqlite3'}"
    db = open_database(url)
    with db.session() as session:
        initialise(session, centre_name="基准测试中心", centre_code="BENCH01", town="测试镇",
                   admin_username="admin", admin_password="bench-password")
    db.dispose()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", FRONTDESK_DB=url)
    env[STARTUP_PROBE_ENV] = "1"
    repeat = 7 if bench.scale == "full" else 3
    if bench.wanted("cold start"):
        app_argv = [sys.executable, "-m", "frontdesk"]
        bare_argv = [sys.executable, "-c", BARE_QT]
        _time_process(app_argv, env)  # warm the OS file cache once, as a second start would
        _time_process(bare_argv, env)
        app_ms, bare_ms = [], []
        for _ in range(repeat):  # alternate so both see the same machine load
            app_ms.append(_time_process(app_argv, env))
            bare_ms.append(_time_process(bare_argv, env))
        app_result = bench.record_samples("cold start to main window shown", app_ms,
                                          target_ms=1500)
        bare_result = bench.record_samples("bare PySide6 QMainWindow shown (baseline)", bare_ms)
        bench.record_value("cold start / bare Qt (p50)", app_result.p50 / bare_result.p50, "x",
                           target=2.5)
        bench.record_value("peak RSS of start-up children", peak_rss_mb(children=True), "MB")
    bench.time("database open (migrated, no residents)",
               lambda: open_database(url).dispose(), repeat=30)
