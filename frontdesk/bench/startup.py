"""Start-up: cold start to the shown main window against a bare Qt window, and DB open."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from frontdesk.app import LOGIN_READY_MARK, PAGE_READY_MARK, STARTUP_MARK, STARTUP_PROBE_ENV
from frontdesk.bench.harness import BenchRun, peak_rss_mb
from frontdesk.core.centre import initialise
from frontdesk.core.migrate import open_database

BARE_QT = (
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication([])\n"
    "w = QMainWindow(); w.resize(1280, 800); w.show(); app.processEvents()\n"
    f"print('{STARTUP_MARK}', flush=True)\n"
)


def time_process(argv: list[str], env: dict[str, str],
                  marks: tuple[str, ...] = (STARTUP_MARK,)) -> list[float]:
    """Wall-clock ms from spawning ``argv`` until it prints each of ``marks``."""
    start = time.perf_counter()
    seen: dict[str, float] = {}
    with subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          text=True) as proc:  # closes the pipe (no ResourceWarning)
        assert proc.stdout is not None
        for line in proc.stdout:
            for mark in marks:
                if line.startswith(mark) and mark not in seen:
                    seen[mark] = (time.perf_counter() - start) * 1000
        proc.wait(timeout=120)
    if len(seen) != len(marks):
        raise RuntimeError(f"start-up probe did not reach {marks}: {argv}")
    return [seen[mark] for mark in marks]


def run(bench: BenchRun) -> None:
    """Cold start vs bare PySide6 (same run, alternated), and DB open of a migrated file."""
    url = f"sqlite:///{bench.workdir / 'startup.sqlite3'}"
    db = open_database(url)
    with db.session() as session:
        initialise(session, centre_name="基准测试中心", centre_code="BENCH01", town="测试镇",
                   admin_username="admin", admin_password="bench-password")
    db.dispose()
    # The children's backups and remembered start-up hints stay in the bench folder.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", FRONTDESK_DB=url,
               FRONTDESK_HOME=str(bench.workdir / "home"))
    env[STARTUP_PROBE_ENV] = "1"
    repeat = 7 if bench.scale == "full" else 3
    if bench.wanted("cold start"):
        app_argv = [sys.executable, "-m", "frontdesk"]
        bare_argv = [sys.executable, "-c", BARE_QT]
        marks = (STARTUP_MARK, LOGIN_READY_MARK, PAGE_READY_MARK)
        time_process(app_argv, env, marks)  # warm the OS file cache, as a second start would
        time_process(bare_argv, env)
        app_ms, login_ms, ready_ms, bare_ms = [], [], [], []
        for _ in range(repeat):  # alternate so both see the same machine load
            shown, login, ready = time_process(app_argv, env, marks)
            app_ms.append(shown)
            login_ms.append(login)
            ready_ms.append(ready)
            bare_ms.extend(time_process(bare_argv, env))
        app_result = bench.record_samples("cold start to main window shown", app_ms,
                                          target_ms=1500)
        bench.record_samples("cold start to database open (login shown)", login_ms)
        bench.record_samples("cold start to first page filled (签到, no login wait)",
                             ready_ms)
        bare_result = bench.record_samples("bare PySide6 QMainWindow shown (baseline)", bare_ms)
        bench.record_value("cold start / bare Qt (p50)", app_result.p50 / bare_result.p50, "x",
                           target=2.5)
        bench.record_value("peak RSS of start-up children", peak_rss_mb(children=True), "MB")
    bench.time("database open (migrated, no residents)",
               lambda: open_database(url).dispose(), repeat=30)
