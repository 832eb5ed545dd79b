"""The bench entry for the built bundle says so plainly when there is no bundle."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontdesk.bench import bundle
from frontdesk.bench.harness import BenchRun


def test_without_a_bundle_the_bench_records_one_skipped_row(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRONTDESK_BUNDLE", str(tmp_path / "no-bundle"))
    run = BenchRun(tmp_path, "small")
    bundle.run(run)
    assert [(r.name, r.met) for r in run.results] == [("bundle: not built (skipped)", None)]
    assert "packaging/build.sh" in run.results[0].note


def test_folder_size_counts_files_once(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "a.so").write_bytes(b"x" * 1024 * 1024)
    (tmp_path / "a-link.so").symlink_to(tmp_path / "lib" / "a.so")
    assert bundle.folder_size_mb(tmp_path) == pytest.approx(1.0)
