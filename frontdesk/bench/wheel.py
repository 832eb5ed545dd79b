"""Installing the wheel adds no time to start-up: the wheel and an editable install, side by side.

Two fresh virtualenvs in the bench folder, alike but for how frontdesk is installed: one from
the wheel (``python -m build`` of this checkout, or the file named by
``FRONTDESK_WHEEL``), one editable (``pip install -e``) from this checkout. Neither downloads
its dependencies: both borrow this environment's installed packages through a folder of links
that leaves frontdesk itself out (:func:`borrowed_packages`), so only frontdesk differs. The
cold start to the shown main window (offscreen) is timed in turn, A B A B, and the pairwise
ratio's median must be within 1.1. tests/packaging/test_wheel.py uses the same helpers.
"""

from __future__ import annotations

import importlib.util
import os
import statistics
import subprocess
import sys
import sysconfig
from pathlib import Path

from frontdesk.bench.harness import BenchRun

ROOT = Path(__file__).resolve().parent.parent.parent  # the checkout (editable, source tree)
TARGET_RATIO = 1.1

# Entries of site-packages that belong to frontdesk (a wheel, an editable install's finder).
_OURS = ("frontdesk", "__editable__", "_frontdesk")


def is_checkout(folder: Path = ROOT) -> bool:
    """Whether ``folder`` is a source checkout that can be built (not an installed package)."""
    return (folder / "pyproject.toml").is_file() and (folder / "resources").is_dir()


def build(outdir: Path, *what: str, source: Path = ROOT, timeout: float = 900) -> list[Path]:
    """``python -m build`` of ``source`` into ``outdir`` (``what``: "--wheel", "--sdist";
    none: the sdist, then the wheel built from it); returns the files made."""
    outdir.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([sys.executable, "-m", "build", *what, "--outdir", str(outdir),
                           str(source)], capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError("python -m build failed:\n" + done.stdout[-3000:]
                           + done.stderr[-3000:])
    return sorted(p for p in outdir.iterdir() if p.suffix in (".whl", ".gz"))


def borrowed_packages(folder: Path) -> Path:
    """A folder of links to this environment's installed packages, frontdesk left out.

    A new virtualenv that names it in a ``.pth`` file imports PySide6, SQLAlchemy and the rest
    from here without downloading them, and finds no frontdesk but its own. Links need
    symlink rights (always on Linux; developer mode on Windows).
    """
    folder.mkdir(parents=True, exist_ok=True)
    sources = dict.fromkeys(Path(sysconfig.get_paths()[key]) for key in ("purelib", "platlib"))
    for source in sources:
        for entry in sorted(source.iterdir()):
            if (entry.name.startswith(_OURS) or entry.suffix == ".pth"
                    or entry.name == "__pycache__" or (folder / entry.name).exists()):
                continue
            (folder / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    return folder


def venv_bin(venv: Path) -> Path:
    """The folder of a virtualenv's programs."""
    return venv / ("Scripts" if sys.platform == "win32" else "bin")


def venv_python(venv: Path) -> Path:
    """A virtualenv's interpreter."""
    return venv_bin(venv) / ("python.exe" if sys.platform == "win32" else "python")


def venv_script(python: Path, name: str) -> Path:
    """A console script that pip installed beside a virtualenv's ``python``."""
    return python.parent / (f"{name}.exe" if sys.platform == "win32" else name)


def venv_site_packages(venv: Path) -> Path:
    """A virtualenv's site-packages folder."""
    out = subprocess.run([str(venv_python(venv)), "-c",
                          "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                         capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def make_venv(venv: Path, borrowed: Path, *install: str, timeout: float = 600) -> Path:
    """A new virtualenv at ``venv`` that borrows ``borrowed`` and has ``install`` (pip
    arguments: a wheel file, or "-e", checkout) installed with this environment's pip;
    returns its interpreter. Nothing is downloaded but, for an editable install, the build
    backend (setuptools, from PyPI)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True,
                   capture_output=True, timeout=timeout)
    python = venv_python(venv)
    (venv_site_packages(venv) / "zz_borrowed_packages.pth").write_text(
        str(borrowed) + "\n", encoding="utf-8")
    # --no-index: the dependencies must already be satisfied by the borrowed packages.
    args = ["--no-deps"] if install[:1] == ("-e",) else ["--no-index"]
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install",
                           "--quiet", "--no-cache-dir", "--disable-pip-version-check", *args,
                           *install], capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"pip install {' '.join(install)} failed:\n{done.stdout[-3000:]}"
                           f"{done.stderr[-3000:]}")
    return python


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without anything that would point a child at the source
    tree or this virtualenv (PYTHONPATH, VIRTUAL_ENV, FRONTDESK_*), plus ``extra``."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("FRONTDESK_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(QT_QPA_PLATFORM="offscreen", **extra)
    return env


def run(bench: BenchRun) -> None:
    """Cold start from a wheel install and from an editable install, in turn."""
    if not bench.wanted("wheel"):
        return
    given = os.environ.get("FRONTDESK_WHEEL")
    if not is_checkout():
        bench.record_value("wheel vs editable: skipped", 0, "",
                           note="needs a source checkout (this frontdesk is installed)")
        return
    if not given and importlib.util.find_spec("build") is None:
        bench.record_value("wheel vs editable: skipped", 0, "",
                           note='needs the "build" package: pip install -e ".[test]"')
        return
    work = bench.workdir / "wheel-bench"
    try:
        # The sdist, then the wheel from it: a wheel built in the checkout could pick up
        # stale files from its build/ folder.
        wheel = Path(given) if given else next(
            p for p in build(work / "dist") if p.suffix == ".whl")
        borrowed = borrowed_packages(work / "borrowed")
        wheel_python = make_venv(work / "venv-wheel", borrowed, str(wheel))
        editable_python = make_venv(work / "venv-editable", borrowed, "-e", str(ROOT))
    except (OSError, RuntimeError, subprocess.SubprocessError, StopIteration) as exc:
        bench.record_value("wheel vs editable: skipped", 0, "",
                           note=f"could not build or install: {str(exc).splitlines()[0]}")
        return
    compare_starts(bench, wheel_python, editable_python, work)


def compare_starts(bench: BenchRun, wheel_python: Path, editable_python: Path,
                   work: Path) -> None:
    """Time ``frontdesk`` of the two virtualenvs to the shown main window, in turn."""
    from frontdesk.app import STARTUP_MARK, STARTUP_PROBE_ENV
    from frontdesk.bench.startup import time_process
    from frontdesk.core.centre import initialise
    from frontdesk.core.migrate import open_database

    url = f"sqlite:///{work / 'start.sqlite3'}"
    db = open_database(url)
    with db.session() as session:
        initialise(session, centre_name="基准测试中心", centre_code="BENCH03", town="测试镇",
                   admin_username="admin", admin_password="bench-password")
    db.dispose()
    env = clean_env(FRONTDESK_DB=url, FRONTDESK_HOME=str(work / "home"),
                    **{STARTUP_PROBE_ENV: "1"})
    argv = {"wheel": [str(venv_script(wheel_python, "frontdesk"))],
            "editable": [str(venv_script(editable_python, "frontdesk"))]}
    for command in argv.values():  # warm the OS file cache, as a second start would
        time_process(command, env, (STARTUP_MARK,))
    samples: dict[str, list[float]] = {"wheel": [], "editable": []}
    for _ in range(15 if bench.scale == "full" else 3):
        for name, command in argv.items():
            samples[name].extend(time_process(command, env, (STARTUP_MARK,)))
    wheel_ms = bench.record_samples("wheel install: cold start to main window shown",
                                    samples["wheel"])
    editable_ms = bench.record_samples("editable install: cold start to main window shown",
                                       samples["editable"])
    ratios = [w / e for w, e in zip(samples["wheel"], samples["editable"], strict=True)]
    bench.record_value("wheel / editable cold start (median of pairs)",
                       statistics.median(ratios), "x", target=TARGET_RATIO,
                       note=f"p50 {wheel_ms.p50:.0f} vs {editable_ms.p50:.0f} ms")
