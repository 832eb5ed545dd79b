"""Timing helpers: warm-up, repeats, percentiles, targets."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class BenchResult:
    """One measured operation."""

    name: str
    unit: str
    p50: float
    p95: float
    samples: int
    target: float | None = None  # the p95 (or value) must not exceed this
    note: str = ""

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.p95 <= self.target

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["met"] = self.met
        return data


@dataclass
class BenchRun:
    """A benchmark run: its scratch folder, its scale, and what it measured."""

    workdir: Path
    scale: str
    only: str | None = None
    results: list[BenchResult] = field(default_factory=list)

    def wanted(self, name: str) -> bool:
        """Whether ``--only`` lets ``name`` run."""
        return self.only is None or self.only in name

    def time(self, name: str, func: Callable[[], object], *, repeat: int = 50, warmup: int = 3,
             target_ms: float | None = None, note: str = "") -> BenchResult | None:
        """Time ``func`` ``repeat`` times after ``warmup`` calls; p50/p95 in ms."""
        if not self.wanted(name):
            return None
        for _ in range(warmup):
            func()
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            func()
            samples.append((time.perf_counter() - start) * 1000)
        return self.record_samples(name, samples, target_ms=target_ms, note=note)

    def record_samples(self, name: str, samples_ms: list[float], *,
                       target_ms: float | None = None, note: str = "") -> BenchResult:
        """Record already-measured samples (ms)."""
        result = BenchResult(name, "ms", percentile(samples_ms, 50), percentile(samples_ms, 95),
                             len(samples_ms), target_ms, note)
        self.results.append(result)
        return result

    def record_value(self, name: str, value: float, unit: str, *, target: float | None = None,
                     note: str = "") -> BenchResult:
        """Record a single figure (a size, a ratio)."""
        result = BenchResult(name, unit, value, value, 1, target, note)
        self.results.append(result)
        return result

    def table(self) -> str:
        """The results as an aligned text table."""
        lines = [f"{'operation':58} {'p50':>9} {'p95':>9} {'unit':>4} {'n':>4} "
                 f"{'target':>8}  ok"]
        for r in self.results:
            target = "" if r.target is None else f"{r.target:g}"
            ok = {None: "", True: "yes", False: "NO"}[r.met]
            lines.append(f"{r.name[:58]:58} {r.p50:9.1f} {r.p95:9.1f} {r.unit:>4} "
                         f"{r.samples:4d} {target:>8}  {ok}"
                         + (f"   ({r.note})" if r.note else ""))
        return "\n".join(lines)


def percentile(samples: list[float], pct: float) -> float:
    """The ``pct`` percentile (inclusive method; the value itself for one sample)."""
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[int(pct) - 1]


def peak_rss_mb(children: bool = False) -> float:
    """Peak resident memory in MB of this process (or its finished children).

    ``resource`` exists only on Unix. On Windows this process's peak working set comes from
    GetProcessMemoryInfo; its children's cannot be had after they end (NaN).
    """
    if sys.platform != "win32":
        import resource

        who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
        kb = resource.getrusage(who).ru_maxrss
        return kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024
    return float("nan") if children else _windows_peak_working_set_mb()


def _windows_peak_working_set_mb() -> float:
    """This process's peak working set in MB (Windows: psapi GetProcessMemoryInfo)."""
    import ctypes
    from ctypes import wintypes

    class ProcessMemoryCounters(ctypes.Structure):
        _fields_ = [("cb", wintypes.DWORD), ("PageFaultCount", wintypes.DWORD),
                    ("PeakWorkingSetSize", ctypes.c_size_t),
                    ("WorkingSetSize", ctypes.c_size_t),
                    ("QuotaPeakPagedPoolUsage", ctypes.c_size_t),
                    ("QuotaPagedPoolUsage", ctypes.c_size_t),
                    ("QuotaPeakNonPagedPoolUsage", ctypes.c_size_t),
                    ("QuotaNonPagedPoolUsage", ctypes.c_size_t),
                    ("PagefileUsage", ctypes.c_size_t), ("PeakPagefileUsage", ctypes.c_size_t)]

    counters = ProcessMemoryCounters()
    counters.cb = ctypes.sizeof(counters)
    if sys.platform == "win32":  # (for mypy: windll exists only there)
        process = ctypes.windll.kernel32.GetCurrentProcess()
        if ctypes.windll.psapi.GetProcessMemoryInfo(process, ctypes.byref(counters),
                                                    counters.cb):
            return float(counters.PeakWorkingSetSize) / (1024 * 1024)
    return float("nan")
