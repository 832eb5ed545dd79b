"""`frontdesk bench`: times the desk's operations on a synthetic centre.

Each feature adds a suite to ``SUITES`` ("module:function"); a suite takes a
:class:`~frontdesk.bench.harness.BenchRun` and records results on it. Results print as a
table (p50/p95 in ms, with the issue's target) and can be written as JSON.
"""

from __future__ import annotations

import importlib
import json
import platform
import sys
import tempfile
from pathlib import Path

from frontdesk import __version__
from frontdesk.bench.harness import BenchRun, peak_rss_mb

SUITES = [
    "frontdesk.bench.startup:run",
    "frontdesk.residents.bench:run",
    "frontdesk.bench.canteen:run",
    "frontdesk.checkin.bench:run",
    "frontdesk.bench.documents:run",
    "frontdesk.bench.rooms:run",
    "frontdesk.volunteers.bench:run",
    "frontdesk.bench.dayclose:run",
    "frontdesk.bench.bundle:run",
    "frontdesk.bench.wheel:run",
    "frontdesk.bench.reliability:run",
]


def run_bench(scale: str = "full", json_out: Path | None = None, only: str | None = None) -> int:
    """Run every suite; returns 0 when all targets are met, 1 otherwise."""
    with tempfile.TemporaryDirectory(prefix="frontdesk-bench-") as tmp:
        run = BenchRun(Path(tmp), scale, only)
        for ref in SUITES:
            module_name, func_name = ref.split(":")
            getattr(importlib.import_module(module_name), func_name)(run)
    run.record_value("peak RSS (this process)", peak_rss_mb(), "MB")
    print(run.table())
    if json_out is not None:
        payload = {
            "version": __version__,
            "python": sys.version.split()[0],
            "machine": platform.machine(),
            "scale": scale,
            "results": [r.as_dict() for r in run.results],
        }
        json_out.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0 if all(r.met is not False for r in run.results) else 1
