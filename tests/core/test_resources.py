"""The shipped files (fonts, translations, icons) through their one module, and loud failures.

How they ship in a wheel, an sdist and the bundle: tests/packaging/test_wheel.py and
test_bundle.py (marked ``packaging``).
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from frontdesk.core import i18n, resources
from frontdesk.core.resources import ResourceMissing

ROOT = Path(__file__).resolve().parent.parent.parent


def checkout_files() -> list[str]:
    folder = ROOT / "resources"
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and p.name != "__init__.py")


def test_the_checkout_s_resources_folder_is_the_package_frontdesk_resources() -> None:
    assert Path(resources.where()).resolve() == ROOT / "resources"
    assert resources.all_files() == checkout_files()
    resources.check_installed()
    for name in resources.FONT_FILES:
        path = resources.font_path(name)
        assert path.is_file() and path.read_bytes()[:4] == b"\x00\x01\x00\x00"  # TrueType
    assert resources.icon_path().read_bytes().startswith(b"\x89PNG")
    assert [f.name for f in resources.catalogue_files("en")] == sorted(
        p.name for p in (ROOT / "resources" / "translations" / "en").glob("*.json"))


def test_a_missing_file_is_an_error_that_names_it_and_is_logged(
        caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="frontdesk.core.resources"), \
            pytest.raises(ResourceMissing, match=r"fonts/NoSuchFont\.ttf") as raised:
        resources.font_path("NoSuchFont.ttf")
    assert "重新安装" in raised.value.message
    assert "fonts/NoSuchFont.ttf" in caplog.text


def test_choosing_a_language_whose_catalogue_is_missing_fails_loudly(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """Not silently Chinese: an error, logged, and the language stays what it was."""
    monkeypatch.setitem(i18n.LANGUAGES, "fr", "Français")  # known, but nothing shipped
    i18n.set_language("en")
    with caplog.at_level(logging.ERROR), pytest.raises(ResourceMissing, match="translations/fr"):
        i18n.set_language("fr")
    assert "translations/fr" in caplog.text
    assert i18n.current_language() == "en" and i18n.tr("锁屏") != "锁屏"


def probe(code: str, *path: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``code`` in a bare interpreter (no site-packages, so no editable install) with only
    ``path`` and the standard library to import from."""
    setup = "import sys\n" + "".join(f"sys.path.insert(0, {str(p)!r})\n" for p in path)
    return subprocess.run([sys.executable, "-I", "-S", "-c", setup + code], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_a_source_checkout_on_sys_path_finds_its_own_resources(tmp_path: Path) -> None:
    """PYTHONPATH=checkout, nothing installed: the checkout's resources/ is imported as
    frontdesk._resources; there is no second way to the files."""
    done = probe("from frontdesk.core import resources\n"
                 "print(resources.where()); print(sys.modules[resources.PACKAGE].__file__)",
                 ROOT, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    where, module = done.stdout.split()
    assert Path(where) == ROOT / "resources"
    assert Path(module) == ROOT / "resources" / "__init__.py"


def test_someone_else_s_resources_folder_beside_the_package_is_not_taken(
        tmp_path: Path) -> None:
    """The old bug: site-packages/resources/ (another project's) looked like ours."""
    site = tmp_path / "site-packages"
    shutil.copytree(ROOT / "frontdesk", site / "frontdesk",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (site / "resources" / "translations" / "en").mkdir(parents=True)
    (site / "resources" / "__init__.py").write_text('"""Not frontdesk\'s."""\n',
                                                    encoding="utf-8")
    done = probe("from frontdesk.core import resources\n"
                 "try:\n    resources.where()\n"
                 "except resources.ResourceMissing as exc:\n    print('missing:', exc)\n",
                 site, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("missing:") and resources.PACKAGE in done.stdout


def test_imported_from_a_zip_text_is_read_in_place_and_fonts_are_extracted_once(
        tmp_path: Path) -> None:
    archive = tmp_path / "frontdesk.zip"
    with zipfile.ZipFile(archive, "w") as z:  # stored: a quick copy of the fonts
        for path in sorted((ROOT / "frontdesk").rglob("*.py")):
            z.write(path, path.relative_to(ROOT).as_posix())
        for path in sorted((ROOT / "resources").rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                z.write(path, "frontdesk/_resources/"
                        + path.relative_to(ROOT / "resources").as_posix())
    done = probe(
        "import json\n"
        "from frontdesk.core import resources\n"
        "from frontdesk.core.i18n import load_catalogue\n"
        "font = resources.font_path('FrontdeskRareHan.ttf')\n"
        "print(json.dumps({'where': resources.where(), 'font': str(font),\n"
        "  'same': font.read_bytes() == resources.read_bytes('fonts', 'FrontdeskRareHan.ttf'),\n"
        "  'once': resources.font_path('FrontdeskRareHan.ttf') == font,\n"
        "  'english': len(load_catalogue('en')), 'files': resources.all_files()}))\n",
        archive, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["where"].startswith(str(archive))
    assert not seen["font"].startswith(str(archive))  # a real file, for ReportLab and Qt
    assert seen["same"] and seen["once"]
    assert seen["english"] == len(i18n.load_catalogue("en"))
    assert seen["files"] == checkout_files()
    assert not Path(seen["font"]).exists()  # the extracted copy went with the process
