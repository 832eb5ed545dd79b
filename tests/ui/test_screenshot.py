"""`frontdesk screenshot` of the start-up dialogs: real widgets offscreen, the PNG read back.

Run through the command (a subprocess) so the language and fonts it sets up for the
picture do not leak into this test process's QApplication.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from frontdesk.core import settings
from frontdesk.core.actor import Actor
from frontdesk.core.db import Database
from frontdesk.core.migrate import open_database
from tests.conftest import NOW
from tests.helpers.moved_clock import frontdesk_command


def _shot(db_url: str, page: str, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    # The child's clock at NOW, the moment the test's centre_db was made on.
    return subprocess.run(frontdesk_command(NOW, "--db", db_url, "screenshot", page, str(out),
                                            *extra),
                          capture_output=True, text=True, env=env, timeout=120)


def _read(out: Path) -> QImage:
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = QImage(str(out))
    assert not image.isNull()
    return image


def _dark_pixels(image: QImage) -> int:
    """Pixels dark enough to be text (a blank dialog has none)."""
    dark = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            if QColor(image.pixel(x, y)).lightness() < 100:
                dark += 1
    return dark


def _differs_from_blank(image: QImage) -> bool:
    blank = QImage(image.size(), image.format())
    blank.fill(image.pixel(image.width() - 1, image.height() // 2))
    return image != blank


# minimum widths from frontdesk/ui/dialogs.py
@pytest.mark.parametrize(("page", "min_width"), [("login", 420), ("lock", 420)])
def test_login_and_lock_dialogs_render_at_their_own_size(
        tmp_path: Path, centre_db: Database, page: str, min_width: int) -> None:
    out = tmp_path / f"{page}.png"
    result = _shot(centre_db.url, page, out)
    assert result.returncode == 0, result.stderr
    image = _read(out)
    # a dialog, not the 1280x800 main window
    assert min_width <= image.width() < 900 and 150 < image.height() < 600
    assert _differs_from_blank(image)
    assert _dark_pixels(image) > 300  # the centre's name in 18 pt bold, labels, buttons


def test_the_login_shows_the_centre_name_and_the_lock_differs(
        tmp_path: Path, centre_db: Database, admin: Actor) -> None:
    first = tmp_path / "login-1.png"
    assert _shot(centre_db.url, "login", first).returncode == 0
    with centre_db.session() as session:
        settings.set_value(session, admin, "centre.name", "青阳街道邻里中心")
    second = tmp_path / "login-2.png"
    assert _shot(centre_db.url, "login", second).returncode == 0
    a, b = _read(first), _read(second)
    assert a.size() == b.size()
    title_band = a.height() // 5  # the name is the dialog's top line
    assert a.copy(0, 0, a.width(), title_band) != b.copy(0, 0, b.width(), title_band)
    # below the title the two are the same dialog
    rest = a.height() - title_band
    assert (a.copy(0, title_band, a.width(), rest) == b.copy(0, title_band, b.width(), rest))

    locked = tmp_path / "lock.png"
    assert _shot(centre_db.url, "lock", locked).returncode == 0
    lock = _read(locked)
    assert lock.height() > b.height()  # the two-line explanation of the lock
    assert lock.copy(0, 0, lock.width(), title_band) == b.copy(0, 0, b.width(), title_band)


def test_first_run_renders_on_an_empty_database(tmp_path: Path) -> None:
    empty = tmp_path / "new.sqlite3"
    out = tmp_path / "firstrun.png"
    result = _shot(str(empty), "firstrun", out)
    assert result.returncode == 0, result.stderr
    image = _read(out)
    assert 520 <= image.width() < 900 and 250 < image.height() < 700
    assert _differs_from_blank(image)
    assert _dark_pixels(image) > 300
    # the picture of a first start makes no database (only the first start itself does)
    assert not empty.exists() and not Path(f"{empty}-wal").exists()
    # the login cannot be shown before there is a centre
    refused = _shot(str(empty), "login", tmp_path / "login.png")
    assert refused.returncode == 1 and "frontdesk init" in refused.stderr
    # nor on a database that exists but is not set up yet
    open_database(str(empty)).dispose()
    assert _shot(str(empty), "firstrun", out).returncode == 0
    refused = _shot(str(empty), "login", tmp_path / "login.png")
    assert refused.returncode == 1 and "frontdesk init" in refused.stderr
    db = Database(f"sqlite:///{empty}")
    from frontdesk.core.centre import is_initialised

    with db.read() as session:  # the pictures set nothing up
        assert not is_initialised(session)
    db.dispose()


def test_a_given_size_is_kept_and_a_bad_one_refused(tmp_path: Path, centre_db: Database) -> None:
    out = tmp_path / "firstrun.png"
    result = _shot(centre_db.url, "firstrun", out, "--size", "700x500", "--lang", "en")
    assert result.returncode == 0, result.stderr
    image = _read(out)
    assert (image.width(), image.height()) == (700, 500)
    assert _differs_from_blank(image)
    assert _shot(centre_db.url, "lock", out, "--size", "big").returncode == 2


def test_a_tab_of_a_page_is_named_after_a_colon(tmp_path: Path, centre_db: Database) -> None:
    plain = tmp_path / "settings.png"
    backup = tmp_path / "settings-backup.png"
    assert _shot(centre_db.url, "settings", plain).returncode == 0
    result = _shot(centre_db.url, "settings:backup", backup)
    assert result.returncode == 0, result.stderr
    a, b = _read(plain), _read(backup)
    assert (a.width(), a.height()) == (b.width(), b.height()) == (1280, 800)
    # the same window and page heading; below the tab bar another tab's contents
    assert a.copy(0, 0, 1280, 80) == b.copy(0, 0, 1280, 80)
    assert a.copy(180, 130, 1100, 600) != b.copy(180, 130, 1100, 600)

    refused = _shot(centre_db.url, "settings:nope", tmp_path / "nope.png")
    assert refused.returncode == 1
    assert "general, pc, operators, backup" in refused.stderr
    assert not (tmp_path / "nope.png").exists()
    assert _shot(centre_db.url, "settingz:backup", tmp_path / "x.png").returncode == 2
