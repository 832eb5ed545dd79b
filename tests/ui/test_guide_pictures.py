"""The user guides' pictures ship with the program, and `frontdesk screenshot` renders the
first-day chapter's targets: the opening checklist, the set-up forms as the checklist opens
them, a form behind a button, the setup import's preview, and whole screens (--screen).

The screenshots run through the command (a subprocess), as scripts/first-day-screenshots.sh
runs them, so their language and fonts stay out of this test process's QApplication.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from frontdesk.canteen.service import create_session, list_sessions
from frontdesk.centre_setup import export_setup
from frontdesk.core.actor import Actor
from frontdesk.core.centre import initialise
from frontdesk.core.clock import FixedClock
from frontdesk.core.db import Database
from frontdesk.core.migrate import open_database
from frontdesk.core.resources import GUIDE_DIR, file_path
from frontdesk.ui.help import GUIDE_FILES, guide_path
from tests.conftest import NOW
from tests.helpers.moved_clock import frontdesk_command

PICTURE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
FIRST_DAY = ("first-opening-empty", "first-operator", "first-purposes", "first-canteen-missing",
             "first-session", "first-canteen-admin", "first-rooms", "first-volunteers-setup",
             "first-shop", "first-opening-ready", "first-setup-import")


def _pictures(lang: str) -> list[str]:
    return PICTURE.findall(guide_path(lang).read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", sorted(GUIDE_FILES))
def test_every_picture_of_the_guide_ships_and_is_a_png(lang: str) -> None:
    pictures = _pictures(lang)
    assert len(pictures) >= 20
    for ref in pictures:
        assert ref.startswith(f"screenshots/{lang}/"), ref  # each guide shows its own language
        path = file_path(GUIDE_DIR, *ref.split("/"))  # raises, naming the file, when missing
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", ref
        image = QImage(str(path))
        assert not image.isNull() and image.width() >= 300, ref


def test_the_first_day_chapter_has_its_pictures_in_both_guides() -> None:
    names = {lang: [Path(ref).stem for ref in _pictures(lang)] for lang in GUIDE_FILES}
    assert names["zh_CN"] == names["en"]  # the same pictures, in the same places
    for name in FIRST_DAY:
        assert name in names["zh_CN"], name


def test_the_first_day_chapter_starts_a_centre_without_the_demo() -> None:
    zh = guide_path("zh_CN").read_text(encoding="utf-8")
    chapter = zh[zh.index("## 2. 第一天"):zh.index("## 3. 每天的工作")]
    assert "开业准备" in chapter and "导入中心设置" in chapter
    # the demo is named once, as what not to start a real centre with
    assert chapter.count("frontdesk demo") == 1 and "不要用它来开始一个真实的中心" in chapter


def _shot(db_url: str, target: str, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    # The child's clock at NOW, the moment the test's centre_db was made on.
    return subprocess.run(frontdesk_command(NOW, "--db", db_url, "screenshot", target, str(out),
                                            *extra),
                          capture_output=True, text=True, env=env, timeout=180)


def _read(out: Path) -> QImage:
    image = QImage(str(out))
    assert not image.isNull(), out
    return image


def test_the_opening_checklist_renders_and_shows_a_job_turning_ready(
        tmp_path: Path, centre_db: Database, admin: Actor) -> None:
    empty = tmp_path / "opening-empty.png"
    result = _shot(centre_db.url, "opening", empty)
    assert result.returncode == 0, result.stderr
    before = _read(empty)
    assert 600 <= before.width() <= 800 and 360 <= before.height() < 800  # the dialog alone
    with centre_db.session() as session:
        create_session(session, admin, "午餐", "11:00", "13:00", 1200, 60)
    after_path = tmp_path / "opening-lunch.png"
    assert _shot(centre_db.url, "opening", after_path).returncode == 0
    after = _read(after_path)
    assert after.size() == before.size() and after != before  # 餐次与价格: ✘ → ✔


def test_a_set_up_form_and_a_form_behind_a_button(tmp_path: Path, centre_db: Database) -> None:
    purposes = tmp_path / "purposes.png"
    result = _shot(centre_db.url, "checkin/purposes", purposes)
    assert result.returncode == 0, result.stderr
    dialog = _read(purposes)  # 管理事由与分组, cut out at its own size
    assert dialog.width() < 1280 and dialog.height() < 800

    session_form = tmp_path / "session.png"
    result = _shot(centre_db.url, "canteen/admin!addSession", session_form, "--lang", "en")
    assert result.returncode == 0, result.stderr
    form = _read(session_form)
    assert form.width() < 900 and form.height() < 600

    refused = _shot(centre_db.url, "canteen/admin!noSuchButton", tmp_path / "x.png")
    assert refused.returncode == 1
    assert "addSession" in refused.stderr  # the buttons there are named
    assert not (tmp_path / "x.png").exists()
    assert _shot(centre_db.url, "canteen/admin!", tmp_path / "y.png").returncode == 2


def test_a_whole_screen_has_the_window_and_the_dialog_over_it(
        tmp_path: Path, centre_db: Database) -> None:
    out = tmp_path / "screen.png"
    result = _shot(centre_db.url, "opening", out, "--screen", "1024x768")
    assert result.returncode == 0, result.stderr
    screen = _read(out)
    assert (screen.width(), screen.height()) == (1024, 768 - 40 - 30)  # task bar, title bar
    page = tmp_path / "page.png"
    assert _shot(centre_db.url, "checkin", page, "--screen", "1024x768").returncode == 0
    window = _read(page)
    assert window.size() == screen.size()
    # the window's status bar (the centre's name) shows below the dialog; the middle is the
    # dialog
    status = (0, screen.height() - 24, 120, 24)
    assert screen.copy(*status) == window.copy(*status)
    middle = (412, 250, 200, 200)
    assert screen.copy(*middle) != window.copy(*middle)


def test_the_setup_import_preview(tmp_path: Path, centre_db: Database,
                                  clock: FixedClock) -> None:
    other = open_database(str(tmp_path / "另一个 中心.sqlite3"))  # a centre that has a lunch
    with other.session() as session:
        other_admin = initialise(session, centre_name="另一个中心", centre_code="OTHER1",
                                 town="测试街道", admin_username="boss",
                                 admin_password="another-pass-1", clock=clock)
        create_session(session, other_admin, "午餐", "11:00", "13:00", 1200, 60)
    with other.read() as session:
        (tmp_path / "有午餐 设置.json").write_bytes(export_setup(session))
    other.dispose()
    with centre_db.read() as session:
        (tmp_path / "自己的 设置.json").write_bytes(export_setup(session))

    pictures = {}
    for name in ("有午餐 设置", "自己的 设置"):
        out = tmp_path / f"{name}.png"
        result = _shot(centre_db.url, "setup-import", out,
                       "--setup-file", str(tmp_path / f"{name}.json"))
        assert result.returncode == 0, result.stderr
        pictures[name] = _read(out)
    # 将新增 1 项 (午餐) against 都已经有了: the same dialog, other words and rows
    assert pictures["有午餐 设置"].size() == pictures["自己的 设置"].size()
    assert pictures["有午餐 设置"] != pictures["自己的 设置"]
    with centre_db.read() as session:  # the preview imported nothing
        assert list_sessions(session, dt.date.min) == []
    refused = _shot(centre_db.url, "setup-import", tmp_path / "z.png")
    assert refused.returncode == 1 and "--setup-file" in refused.stderr
