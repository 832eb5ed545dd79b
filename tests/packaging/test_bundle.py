"""Build the Linux one-folder bundle with PyInstaller and smoke-run the built program.

Marked ``packaging`` (a few minutes on two cores): select it with ``-m packaging``, leave it out
with ``-m "not packaging"``. scripts/test.sh runs it with everything else, once: it does not
depend on the database backend, so the PostgreSQL run skips it.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from frontdesk import __version__
from frontdesk.app import PAGE_READY_MARK, STARTUP_MARK, STARTUP_PROBE_ENV
from frontdesk.core.i18n import load_catalogue
from frontdesk.migrations import SCHEMA_HEADS
from tests.conftest import ON_POSTGRES
from tests.packaging.project_files import tracked_files
from tests.packaging.test_upgrade import (
    RESIDENTS,
    fill_canteen,
    fill_foundation_and_residents,
    migrate_to,
    table_counts,
)

pytestmark = [
    pytest.mark.packaging,
    pytest.mark.skipif(ON_POSTGRES, reason="about the bundle, not the database: runs once, "
                                           "in the SQLite run"),
]

ROOT = Path(__file__).resolve().parent.parent.parent
BUNDLE = ROOT / "dist" / "frontdesk"


@pytest.fixture(scope="module")
def bundle() -> Path:
    """dist/frontdesk/ freshly built by packaging/build.sh (build only; the test smoke-runs)."""
    if shutil.which("objdump") is None:
        pytest.fail("PyInstaller needs objdump: apt-get install binutils")
    env = dict(os.environ, VENV=str(Path(sys.executable).parent.parent), SMOKE="0")
    done = subprocess.run(["bash", str(ROOT / "packaging" / "build.sh")], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert (BUNDLE / "frontdesk").is_file()
    return BUNDLE


def run_bundle(bundle: Path, home: Path, *args: str, program: str = "frontdesk",
               **extra_env: str) -> subprocess.CompletedProcess[str]:
    """Run the built program offscreen in ``home``, away from the source tree and the venv."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("FRONTDESK_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(FRONTDESK_HOME=str(home), QT_QPA_PLATFORM="offscreen", **extra_env)
    return subprocess.run([str(bundle / program), *args], cwd=home, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=300)


def test_the_bundle_ships_the_files_the_wheel_ships(bundle: Path) -> None:
    """resources/ as frontdesk/_resources/, every migrations folder whole (Alembic reads them
    as files), the package's data files: at the same places as in the wheel."""
    tracked = tracked_files()
    expected = {n for n in tracked if n.startswith("frontdesk/")
                and (not n.endswith(".py") or "/migrations/" in n)} | {
        "frontdesk/_resources/" + n.removeprefix("resources/")
        for n in tracked if n.startswith("resources/")}
    internal = bundle / "_internal"
    shipped = {p.relative_to(internal).as_posix() for p in (internal / "frontdesk").rglob("*")
               if p.is_file()}
    assert shipped == expected
    assert {"frontdesk/town/migrations/env.py", "frontdesk/town/migrations/script.py.mako",
            "frontdesk/_resources/translations/en/core.json"} <= shipped


def test_the_built_program_starts_makes_a_database_a_screenshot_and_receipts(
        bundle: Path, tmp_path: Path) -> None:
    home = tmp_path / "centre-pc"
    home.mkdir()
    version = run_bundle(bundle, home, "--version")
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"frontdesk {__version__}"

    # A new database from the bundled migrations, as at a centre's first start.
    (home / "pw.txt").write_text("first-day-pw1", encoding="utf-8")
    init = run_bundle(bundle, home, "init", "--centre-name", "梅岭街道邻里中心",
                      "--centre-code", "JJML01", "--town", "梅岭街道", "--admin", "admin",
                      "--password-file", "pw.txt")
    assert init.returncode == 0, init.stderr
    assert (home / "frontdesk.sqlite3").is_file()

    shot = run_bundle(bundle, home, "screenshot", "checkin", "checkin.png")
    assert shot.returncode == 0, shot.stderr
    png = (home / "checkin.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 20_000  # a painted page, not a blank
    # English comes from the bundled catalogue: the page differs, the help is translated.
    shot = run_bundle(bundle, home, "screenshot", "checkin", "签到 en.png", "--lang", "en")
    assert shot.returncode == 0, shot.stderr
    assert (home / "签到 en.png").read_bytes() not in (b"", png)
    helped = run_bundle(bundle, home, "--lang", "en", "--help", program="frontdesk-cli")
    assert helped.returncode == 0, helped.stderr
    english = load_catalogue("en")["邻里前台：党建+邻里中心前台系统。不带子命令时启动图形界面。"]
    assert " ".join(english.split()[:4]) in " ".join(helped.stdout.split())
    assert "邻里前台" not in helped.stdout

    printed = run_bundle(bundle, home, "print-test", "--pdf-dir", "print")
    assert printed.returncode == 0, printed.stderr
    receipt = sorted((home / "print").glob("*receipt80*.pdf"))
    assert receipt, sorted(p.name for p in (home / "print").iterdir())
    text = "".join(page.extract_text() for page in PdfReader(receipt[0]).pages)
    assert "梅岭街道邻里中心" in text  # the bundled Chinese font is embedded

    # The desk itself: offscreen start up to the shown window, then the first page filled.
    shown = run_bundle(bundle, home, **{STARTUP_PROBE_ENV: "1"})
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith(STARTUP_MARK)
    assert PAGE_READY_MARK in shown.stdout


def test_the_bundle_leaves_out_unused_qt_modules(bundle: Path) -> None:
    names = {p.name for p in bundle.rglob("*")}
    assert not any(n.startswith(("libQt6WebEngine", "libQt6Quick", "libQt6Qml", "libQt63D",
                                 "libQt6Multimedia")) for n in names), sorted(
        n for n in names if n.startswith("libQt6"))
    assert any(n.startswith("libQt6Pdf") for n in names)  # the print preview needs QtPdf
    plugins = bundle / "_internal" / "PySide6" / "Qt" / "plugins"
    for wanted in ("platforms/libqoffscreen.so", "platforms/libqxcb.so",
                   "printsupport/libcupsprintersupport.so", "imageformats/libqjpeg.so"):
        assert (plugins / wanted).is_file(), wanted


def test_the_built_program_backs_up_and_migrates_a_previous_release_database(
        bundle: Path, tmp_path: Path) -> None:
    home = tmp_path / "old-centre-pc"
    home.mkdir()
    path = home / "frontdesk.sqlite3"
    migrate_to(path, "0005_canteen")
    with sqlite3.connect(path) as conn:
        fill_foundation_and_residents(conn)
        fill_canteen(conn)
    before = table_counts(path)

    found = run_bundle(bundle, home, "residents", "find", RESIDENTS[1][0], "--json")
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout)[0]["name"] == RESIDENTS[1][0]
    with sqlite3.connect(path) as conn:
        assert {r[0] for r in conn.execute("SELECT version_num FROM alembic_version")} == set(
            SCHEMA_HEADS)
    after = table_counts(path)
    assert all(after[table] >= rows for table, rows in before.items())
    backups = list((home / "backups").glob("frontdesk-*-pre-upgrade.sqlite3"))
    assert len(backups) == 1 and table_counts(backups[0]) == before


def test_the_bench_times_the_built_bundle(bundle: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from frontdesk.bench import bundle as bundle_bench
    from frontdesk.bench.harness import BenchRun

    monkeypatch.setenv("FRONTDESK_BUNDLE", str(bundle))
    run = BenchRun(tmp_path, "small")
    bundle_bench.run(run)
    by_name = {r.name: r for r in run.results}
    assert 100 < by_name["bundle size (dist/frontdesk)"].p50 < 400  # MB
    assert by_name["bundle: frontdesk --version"].samples == 2
    assert by_name["bundle: cold start to main window shown (offscreen)"].p50 > 0


def test_the_bundled_cli_sets_up_a_town_and_merges_its_packages(
        bundle: Path, tmp_path: Path, pg_url: str) -> None:
    """`frontdesk-cli town init` once failed here: the town's migrations were not bundled."""
    home = tmp_path / "镇 办公室"
    home.mkdir()
    (home / "口令.txt").write_text("town-secret-1", encoding="utf-8")

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        done = run_bundle(bundle, home, "--db", pg_url, *args, program="frontdesk-cli")
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        return done

    cli("town", "init", "--town", "梅岭街道", "--admin", "zhang", "--password-file", "口令.txt")
    for code, name in (("GS01", "桂山社区邻里中心"), ("ML02", "梅岭社区邻里中心")):
        cli("town", "add-centre", "--code", code, "--name", name, "--admin", f"admin{code}",
            "--password-file", "口令.txt", "--operator", "zhang")
    listed = json.loads(cli("town", "centres", "--json").stdout)
    assert sorted(c["name"] for c in listed["centres"]) == ["桂山社区邻里中心", "梅岭社区邻里中心"]
    # One day's (draft) packages of both centres, then the town office's merge of them. The
    # date is a fixed past day: the program's own clock cannot be set from here.
    (home / "数据包").mkdir()
    cli("town", "export", "--date", "2026-11-20", "--out", "数据包", "--operator", "zhang",
        "--draft")
    packages = sorted(p.name for p in (home / "数据包").glob("*.zip"))
    assert packages == ["GS01_20261120.zip", "ML02_20261120.zip"]
    merged = run_bundle(bundle, home, "town", "merge", "数据包", "--out", "镇 汇总.xlsx",
                        "--pdf", "镇 汇总.pdf", program="frontdesk-cli")
    assert merged.returncode == 0, merged.stderr[-2000:]
    assert "2" in merged.stdout
    text = "".join(page.extract_text() for page in PdfReader(home / "镇 汇总.pdf").pages)
    assert "桂山社区邻里中心" in text
