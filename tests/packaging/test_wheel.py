"""The wheel and the sdist, as pip, pipx or a packager would make and install them.

Builds the sdist, then the wheel from the sdist (``python -m build``: the build backend comes
from PyPI), installs the wheel NON-editable into a fresh virtualenv and runs the installed
``frontdesk`` from a folder whose path has Chinese characters and a space: a demo centre, the
check-in page in both languages, the test prints (fonts embedded, Chinese text extracts), the
desk's start, a town merge, a town on PostgreSQL. The fresh virtualenv borrows this
environment's dependencies (PySide6 alone is 250 MB) through a folder of links that leaves
frontdesk out, so frontdesk itself comes from the wheel only: asserted, not assumed.

Marked ``packaging`` (select with ``-m packaging``); it does not depend on the database
backend, so the PostgreSQL run of scripts/test.sh skips it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from frontdesk import __version__
from frontdesk.app import PAGE_READY_MARK, STARTUP_MARK, STARTUP_PROBE_ENV
from frontdesk.bench import wheel as wheels
from frontdesk.core import resources
from frontdesk.core.i18n import load_catalogue
from frontdesk.demo import DEMO_ADMIN, DEMO_CENTRE_NAME
from tests.conftest import ON_POSTGRES
from tests.packaging.project_files import ROOT, tracked_files

pytestmark = [
    pytest.mark.packaging,
    pytest.mark.skipif(ON_POSTGRES, reason="about the install, not the database: runs once, "
                                           "in the SQLite run"),
]

DIST_INFO = f"frontdesk-{__version__}.dist-info/"
# The sdist's own metadata, made by setuptools (not in git).
SDIST_GENERATED = {"PKG-INFO", "setup.cfg"}
SDIST_DIRS = ("frontdesk/", "resources/", "tests/", "docs/", "scripts/", "packaging/", ".ci/")
SDIST_FILES = {"README.md", "LICENSE", "pyproject.toml", "setup.py", "MANIFEST.in",
               ".gitignore"}


@dataclass
class Built:
    sdist: Path
    wheel: Path


@dataclass
class Installed:
    python: Path
    site: Path
    frontdesk: Path  # the console script


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The sdist, and the wheel built from the unpacked sdist (as pip builds from PyPI)."""
    made = wheels.build(tmp_path_factory.mktemp("dist"))
    sdist = next(p for p in made if p.name.endswith(".tar.gz"))
    wheel = next(p for p in made if p.suffix == ".whl")
    return Built(sdist, wheel)


@pytest.fixture(scope="module")
def borrowed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return wheels.borrowed_packages(tmp_path_factory.mktemp("borrowed"))


@pytest.fixture(scope="module")
def installed(built: Built, borrowed: Path, tmp_path_factory: pytest.TempPathFactory
              ) -> Installed:
    """A fresh virtualenv with the wheel installed (dependencies checked, none downloaded)."""
    python = wheels.make_venv(tmp_path_factory.mktemp("wheel-venv") / "venv", borrowed,
                              str(built.wheel))
    return Installed(python, wheels.venv_site_packages(python.parent.parent),
                     wheels.venv_script(python, "frontdesk"))


@pytest.fixture(scope="module")
def editable(borrowed: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with this checkout installed editable (pip install -e); its python."""
    return wheels.make_venv(tmp_path_factory.mktemp("editable-venv") / "venv", borrowed,
                            "-e", str(ROOT))


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    """A folder like C:\\Users\\社工 王\\… with its own data folder (FRONTDESK_HOME)."""
    folder = tmp_path / "社工 王的电脑"
    (folder / "数据 文件夹").mkdir(parents=True)
    return folder


def run(program: Path, folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run an installed program in ``folder``, away from the source tree and this venv."""
    return subprocess.run([str(program), *args], cwd=folder, capture_output=True,
                          text=True, encoding="utf-8", timeout=600,
                          env=wheels.clean_env(FRONTDESK_HOME=str(folder / "数据 文件夹"),
                                               **env))


def test_the_sdist_holds_the_whole_project_and_nothing_untracked(built: Built) -> None:
    import tarfile

    with tarfile.open(built.sdist) as archive:
        top = f"frontdesk-{__version__}/"
        names = {m.name.removeprefix(top) for m in archive.getmembers() if m.isfile()}
    names = {n for n in names if n not in SDIST_GENERATED
             and not n.startswith("frontdesk.egg-info/")}
    tracked = set(tracked_files())
    wanted = {n for n in tracked if n.startswith(SDIST_DIRS) or n in SDIST_FILES}
    assert wanted - names == set()  # tests, docs, scripts, resources, packaging, CI, recipe
    assert names - tracked == set()  # no stray build output, databases or byte-code
    assert {"tests/conftest.py", "resources/guide/user-guide.md", "scripts/test.sh",
            "resources/fonts/NotoSansSC-Regular.ttf", "packaging/frontdesk.spec"} <= names


def test_the_wheel_holds_the_package_its_resources_and_every_migration(built: Built) -> None:
    with zipfile.ZipFile(built.wheel) as archive:
        names = set(archive.namelist())
    tracked = tracked_files()
    expected = {n for n in tracked if n.startswith("frontdesk/")} | {
        "frontdesk/_resources/" + n.removeprefix("resources/")
        for n in tracked if n.startswith("resources/")}
    package = {n for n in names if not n.startswith(DIST_INFO)}
    assert package == expected
    # What the code loads by name is among them: the fonts, the icon, each catalogue, ...
    for name in resources.required_files():
        if name.startswith(resources.TRANSLATIONS_DIR):
            assert any(n.startswith(f"frontdesk/_resources/{name}/") and n.endswith(".json")
                       for n in package), name
        else:
            assert f"frontdesk/_resources/{name}" in package
    assert {f"frontdesk/_resources/{n}" for n in resources.all_files()} <= package
    # ... every migration of both Alembic chains (scripts, env.py, the revision template) ...
    from alembic.script import ScriptDirectory

    from frontdesk.core.migrate import alembic_config
    from frontdesk.town.migrate import town_alembic_config

    for config in (alembic_config(), town_alembic_config()):
        scripts = ScriptDirectory.from_config(config)
        folder = Path(scripts.dir).resolve().relative_to(ROOT).as_posix()
        assert {f"{folder}/env.py", f"{folder}/script.py.mako"} <= package
        for revision in scripts.walk_revisions():
            assert revision.path is not None
            assert Path(revision.path).resolve().relative_to(ROOT).as_posix() in package
    # ... and the export manifest's schema.
    assert "frontdesk/dayclose/manifest.schema.json" in package
    assert DIST_INFO + "entry_points.txt" in names


def test_the_installed_wheel_imports_from_its_own_folder_only(installed: Installed,
                                                              desk: Path) -> None:
    probe = (
        "import json, sys, importlib.metadata as md, frontdesk\n"
        "from frontdesk.core import resources\n"
        "print(json.dumps({'package': frontdesk.__file__, 'resources': resources.where(),\n"
        "  'dist': str(md.distribution('frontdesk').locate_file('')),\n"
        "  'files': resources.all_files(), 'path': sys.path,\n"
        "  'modules': [getattr(m, '__file__', None) or '' for m in list(sys.modules.values())]}))"
    )
    done = run(installed.python, desk, "-c", probe)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    site = installed.site.resolve()
    assert Path(seen["package"]).resolve() == site / "frontdesk" / "__init__.py"
    assert Path(seen["resources"]).resolve() == site / "frontdesk" / "_resources"
    assert Path(seen["dist"]).resolve() == site
    assert seen["files"] == resources.all_files()  # the same files as this checkout's
    assert not [p for p in seen["path"] + seen["modules"] if p.startswith(str(ROOT))]


def test_an_editable_install_finds_the_same_files_in_the_checkout(editable: Path,
                                                                  desk: Path) -> None:
    probe = ("import json, frontdesk\n"
             "from frontdesk.core import resources\n"
             "print(json.dumps([frontdesk.__file__, resources.where(), resources.all_files()]))")
    done = run(editable, desk, "-c", probe)
    assert done.returncode == 0, done.stderr
    package, where, files = json.loads(done.stdout)
    assert Path(package) == ROOT / "frontdesk" / "__init__.py"
    assert Path(where) == ROOT / "resources"  # through setuptools' editable finder
    assert files == resources.all_files()


def test_the_bench_times_the_wheel_against_the_editable_install(
        installed: Installed, editable: Path, tmp_path: Path) -> None:
    from frontdesk.bench.harness import BenchRun

    bench = BenchRun(tmp_path, "small")
    wheels.compare_starts(bench, installed.python, editable, tmp_path)
    rows = {r.name: r for r in bench.results}
    assert rows["wheel install: cold start to main window shown"].samples == 3
    assert rows["editable install: cold start to main window shown"].samples == 3
    ratio = rows["wheel / editable cold start (median of pairs)"]
    assert ratio.target == wheels.TARGET_RATIO
    assert 0 < ratio.p50 < 1.5  # the target (1.1) is the bench's; this catches a gross cost


def test_the_installed_wheel_runs_from_another_folder(installed: Installed, desk: Path) -> None:
    program = installed.frontdesk
    home = desk / "数据 文件夹"

    demo = run(program, desk, "demo")
    assert demo.returncode == 0, demo.stderr[-3000:]
    assert f"用户名 {DEMO_ADMIN}" in demo.stdout
    assert (home / "frontdesk.sqlite3").is_file()
    # English really loads from the wheel's catalogue: the command line's own description.
    english = load_catalogue("en")["邻里前台：党建+邻里中心前台系统。不带子命令时启动图形界面。"]
    helped = run(program, desk, "--lang", "en", "--help")
    assert helped.returncode == 0, helped.stderr[-3000:]
    assert " ".join(english.split()[:4]) in " ".join(helped.stdout.split())

    # The check-in page drawn in both languages: the same page twice, a third in English.
    shots = {}
    for name, lang in (("zh", "zh_CN"), ("zh-again", "zh_CN"), ("en", "en")):
        shot = run(program, desk, "screenshot", "checkin", f"签到 {name}.png", "--lang", lang)
        assert shot.returncode == 0, shot.stderr[-3000:]
        shots[name] = (desk / f"签到 {name}.png").read_bytes()
        assert shots[name].startswith(b"\x89PNG") and len(shots[name]) > 20_000
    assert shots["zh"] == shots["zh-again"]  # drawing is repeatable ...
    assert shots["en"] != shots["zh"]  # ... so a different picture is a different language

    printed = run(program, desk, "print-test", "--pdf-dir", "打印 测试")
    assert printed.returncode == 0, printed.stderr[-3000:]
    pdfs = sorted((desk / "打印 测试").glob("*.pdf"))
    assert len(pdfs) == 6, [p.name for p in pdfs]
    for pdf in pdfs:
        assert_fonts_embedded(pdf)
    receipt = next(p for p in pdfs if "receipt80" in p.name)
    assert DEMO_CENTRE_NAME in "".join(page.extract_text() for page in PdfReader(receipt).pages)

    # The demo's day packages are made-up data: the town office's merge refuses them.
    merged = run(program, desk, "town", "merge", str(home / "exports"), "--out", "镇 汇总.xlsx")
    assert merged.returncode == 1 and "演示中心的数据包" in merged.stderr, merged.stderr[-3000:]
    assert not (desk / "镇 汇总.xlsx").exists()

    # The desk itself, up to the shown window and the first page filled.
    shown = run(program, desk, **{STARTUP_PROBE_ENV: "1"})
    assert shown.returncode == 0, shown.stderr[-3000:]
    assert shown.stdout.startswith(STARTUP_MARK) and PAGE_READY_MARK in shown.stdout


def assert_fonts_embedded(pdf: Path) -> None:
    """Every font a page uses is embedded (a TrueType program), but ReportLab's unused
    standard Helvetica; Noto Sans SC among them."""
    seen = set()
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if font["/Subtype"] == "/Type1" and font["/BaseFont"] == "/Helvetica":
                continue  # the canvas's initial font: one of the 14 every viewer has
            descriptor = font["/FontDescriptor"].get_object()
            assert len(descriptor["/FontFile2"].get_object().get_data()) > 1000, pdf.name
            seen.add(str(font["/BaseFont"]).split("+")[-1])
    assert "NotoSansSC-Regular" in seen or "NotoSansSC-Bold" in seen, (pdf.name, seen)


def test_the_installed_wheel_sets_up_a_town_on_postgresql(installed: Installed, desk: Path,
                                                          pg_url: str) -> None:
    (desk / "口令.txt").write_text("town-secret-1", encoding="utf-8")
    init = run(installed.frontdesk, desk, "--db", pg_url, "town", "init", "--town", "梅岭街道",
               "--admin", "zhang", "--password-file", "口令.txt")
    assert init.returncode == 0, init.stderr[-3000:]
    added = run(installed.frontdesk, desk, "--db", pg_url, "town", "add-centre", "--code",
                "GS01", "--name", "桂山社区邻里中心", "--admin", "guishan", "--password-file",
                "口令.txt", "--operator", "zhang")
    assert added.returncode == 0, added.stderr[-3000:]
    listed = run(installed.frontdesk, desk, "--db", pg_url, "town", "centres", "--json")
    assert listed.returncode == 0, listed.stderr[-3000:]
    assert [c["name"] for c in json.loads(listed.stdout)["centres"]] == ["桂山社区邻里中心"]
    # A (draft) day package of the centre, merged as the town office would: workbook and
    # summary PDF with its fonts. A fixed past day: the installed program's clock is the real one.
    (desk / "数据 包").mkdir()
    export = run(installed.frontdesk, desk, "--db", pg_url, "town", "export", "--date",
                 "2026-11-20", "--out", "数据 包", "--operator", "zhang", "--draft")
    assert export.returncode == 0, export.stderr[-3000:]
    assert [p.name for p in (desk / "数据 包").glob("*.zip")] == ["GS01_20261120.zip"]
    merged = run(installed.frontdesk, desk, "town", "merge", "数据 包", "--out", "镇 汇总.xlsx",
                 "--pdf", "镇 汇总.pdf")
    assert merged.returncode == 0, merged.stderr[-3000:]
    assert zipfile.is_zipfile(desk / "镇 汇总.xlsx")
    assert_fonts_embedded(desk / "镇 汇总.pdf")


@pytest.fixture
def broken(installed: Installed) -> Iterator[Path]:
    """The installed package's resources folder, put back as it was afterwards."""
    folder = installed.site / "frontdesk" / "_resources"
    aside = folder.parent / "_resources.aside"
    shutil.copytree(folder, aside)
    try:
        yield folder
    finally:
        shutil.rmtree(folder)
        aside.rename(folder)


def test_a_broken_install_fails_loudly(installed: Installed, broken: Path, desk: Path) -> None:
    shutil.rmtree(broken / "translations" / "en")
    english = run(installed.frontdesk, desk, "--lang", "en", "--version")
    assert english.returncode != 0  # not Chinese in silence
    assert "translations/en" in english.stderr

    (broken / "fonts" / "NotoSansSC-Regular.ttf").unlink()
    demo = run(installed.frontdesk, desk, "demo")
    assert demo.returncode == 1
    assert "fonts/NotoSansSC-Regular.ttf" in demo.stderr and "重新安装" in demo.stderr
    assert not (desk / "数据 文件夹" / "frontdesk.sqlite3").exists()  # refused before writing


def test_the_wheel_imported_as_a_zip_reads_its_files_from_the_archive(built: Built,
                                                                      tmp_path: Path) -> None:
    """No install at all: the wheel on sys.path (zipimport). Text comes from the archive, a
    font is extracted once into a temporary file that is gone when the process ends."""
    probe = (
        "import json, sys\n"
        f"sys.path.insert(0, {str(built.wheel)!r})\n"
        "from frontdesk.core import resources\n"
        "from frontdesk.core.i18n import load_catalogue\n"
        "font = resources.font_path('FrontdeskRareHan.ttf')\n"
        "print(json.dumps({'where': resources.where(), 'font': str(font),\n"
        "  'same': font.read_bytes() == resources.read_bytes('fonts', 'FrontdeskRareHan.ttf'),\n"
        "  'again': resources.font_path('FrontdeskRareHan.ttf') == font,\n"
        "  'english': len(load_catalogue('en'))}))\n"
    )
    done = subprocess.run([sys.executable, "-I", "-S", "-c", probe], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["where"].startswith(str(built.wheel))
    assert seen["same"] and seen["again"] and seen["english"] == len(load_catalogue("en"))
    assert not Path(seen["font"]).exists()  # the extracted copy went with the process
