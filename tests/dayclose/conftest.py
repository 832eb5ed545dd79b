"""Fixtures for day close: real packages written by the real writer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from frontdesk.bench.dayclose import DAY_SIZES, synthetic_day
from frontdesk.core.centre import CentreInfo
from frontdesk.dayclose.package import DayExport, write_package

SMALL = {name: max(1, n // 50) for name, n in DAY_SIZES.items()}

MakeDay = Callable[..., DayExport]
WritePackage = Callable[..., Path]


@pytest.fixture
def make_day() -> MakeDay:
    """A small synthetic closed day for centre ``code`` (realistic shape, few rows)."""

    def make(code: str = "JJ01", day: dt.date = dt.date(2026, 11, 3), seed: int = 1,
             **changes: object) -> DayExport:
        centre = CentreInfo(f"晋江市{code}社区党建+邻里中心", code, "梅岭街道")
        export = synthetic_day(centre, day, seed, SMALL)
        if changes:
            from dataclasses import replace

            export = replace(export, **changes)  # type: ignore[arg-type]
        return export

    return make


@pytest.fixture
def write_day(make_day: MakeDay, tmp_path: Path) -> WritePackage:
    """Write a small day's package into ``folder`` (default: tmp_path/packages)."""

    def write(folder: Path | None = None, **kwargs: object) -> Path:
        folder = folder or tmp_path / "packages"
        folder.mkdir(parents=True, exist_ok=True)
        return write_package(folder, make_day(**kwargs))

    return write
