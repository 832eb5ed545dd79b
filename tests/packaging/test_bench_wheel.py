"""The wheel-vs-editable bench's helpers; the timing itself runs in test_wheel.py (packaging)."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontdesk.bench import wheel
from frontdesk.bench.harness import BenchRun


def test_the_borrowed_packages_are_this_environment_s_without_frontdesk(tmp_path: Path) -> None:
    borrowed = wheel.borrowed_packages(tmp_path / "borrowed")
    names = {p.name for p in borrowed.iterdir()}
    assert {"PySide6", "sqlalchemy", "reportlab"} <= names
    assert not [n for n in names if "frontdesk" in n.lower() or n.endswith(".pth")]
    assert all((borrowed / n).is_symlink() for n in names)


def test_a_wheel_that_cannot_be_installed_is_one_skipped_row(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRONTDESK_WHEEL", str(tmp_path / "frontdesk-0-py3-none-any.whl"))
    run = BenchRun(tmp_path, "small")
    wheel.run(run)
    assert [(r.name, r.met) for r in run.results] == [("wheel vs editable: skipped", None)]
    assert "could not build or install" in run.results[0].note
