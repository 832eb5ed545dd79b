"""The 日结与导出 page offscreen: warnings, cash, close, reopen, export with progress, print-all."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from frontdesk.core.actor import Actor
from frontdesk.core.dayguard import is_day_closed
from frontdesk.core.db import Database
from frontdesk.core.paths import backup_dir
from frontdesk.dayclose import registry
from frontdesk.documents import registry as sheets_registry
from frontdesk.documents.service import list_documents
from frontdesk.ui.context import DeskContext
from frontdesk.ui.dates import to_qdate
from frontdesk.ui.pages import dayclose_page, page_spec
from frontdesk.ui.pages.dayclose_page import DayClosePage
from tests.documents.helpers import pypdf_pages, squash

DAY = dt.date(2026, 11, 21)


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Messages the page shows with show_error (instead of a modal box)."""
    shown: list[str] = []
    monkeypatch.setattr(dayclose_page, "show_error", lambda _parent, text: shown.append(text))
    return shown


@pytest.fixture(autouse=True)
def _busy_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "DAY_EXPORTERS", ["tests.dayclose.exporters:busy_day"])


def _page(qtbot: QtBot, db: Database, actor: Actor) -> DayClosePage:
    page = DayClosePage(DeskContext(db, actor), page_spec("dayclose"))
    qtbot.add_widget(page)
    page.show()
    page.date.setDate(to_qdate(DAY))
    page.refresh()
    return page


def _tick_all(page: DayClosePage) -> None:
    for i in range(page.warnings.count()):
        item = page.warnings.item(i)
        if item.data(Qt.ItemDataRole.UserRole):
            item.setCheckState(Qt.CheckState.Checked)


def _close(page: DayClosePage, qtbot: QtBot) -> None:
    page.cash_edits["cash"].setText("12.34")
    _tick_all(page)
    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)


def test_the_page_shows_the_summary_and_an_open_banner(qtbot: QtBot, centre_db: Database,
                                                       desk: Actor) -> None:
    page = _page(qtbot, centre_db, desk)
    assert page.banner.property("state") == "open"
    assert "未日结" in page.banner.text()
    titles = [page.summary.topLevelItem(i).text(0)
              for i in range(page.summary.topLevelItemCount())]
    assert titles[0] == "来访" and "签到人次" in titles and "政府补助" in titles
    assert page.cash_expected["cash"].text() == "12.34"
    assert page.export_button.text() == "导出草稿" and page.draft.isChecked()


def test_closing_with_unacknowledged_warnings_is_refused_and_keeps_the_input(
        qtbot: QtBot, centre_db: Database, desk: Actor, errors: list[str]) -> None:
    page = _page(qtbot, centre_db, desk)
    page.cash_edits["cash"].setText("10")
    assert page.cash_diff["cash"].text() == "-2.34"
    codes = [page.warnings.item(i).data(Qt.ItemDataRole.UserRole)
             for i in range(page.warnings.count())]
    assert codes == ["checkin.open", "cash.cash"]  # the cash gap follows the input
    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
    assert "日结前请先处理下面的提醒" in errors[0] and "还有 2 人未签退" in errors[0]
    assert "checkin.open" not in errors[0] and "[" not in errors[0]  # words, not codes
    assert page.cash_edits["cash"].text() == "10"  # nothing entered is lost
    page.cash_edits["cash"].setText("12,34元x")
    assert page.cash_diff["cash"].text() == "金额格式不对"
    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
    assert "金额格式不对" in errors[1]
    with centre_db.read() as session:
        assert not is_day_closed(session, DAY)


def test_acknowledging_and_counting_the_cash_closes_the_day(
        qtbot: QtBot, centre_db: Database, desk: Actor, errors: list[str]) -> None:
    page = _page(qtbot, centre_db, desk)
    _close(page, qtbot)
    assert errors == []
    with centre_db.read() as session:
        assert is_day_closed(session, DAY)
    assert page.banner.property("state") == "closed"
    assert "已日结（desk" in page.banner.text() and "尚未导出" in page.banner.text()
    assert not page.close_button.isEnabled()
    assert not page.reopen_button.isEnabled()  # a desk operator cannot reopen
    assert page.cash_edits["cash"].isReadOnly() and page.cash_edits["cash"].text() == "12.34"
    assert "日结" in page.history.text()
    # taken at the close (an SQLite copy, or a pg_dump on PostgreSQL)
    assert len([p for p in backup_dir().iterdir() if "-close-20261121." in p.name]) == 1


def test_reopening_needs_an_admin_and_a_reason(
        qtbot: QtBot, centre_db: Database, desk: Actor, admin: Actor, errors: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    _close(_page(qtbot, centre_db, desk), qtbot)
    desk_page = _page(qtbot, centre_db, desk)
    desk_page.reopen_day()
    assert "只有管理员" in errors[-1]
    page = _page(qtbot, centre_db, admin)
    assert page.reopen_button.isEnabled()
    answers = iter([("", True), ("补录一张漏登的餐票", True)])
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: next(answers)))
    qtbot.mouseClick(page.reopen_button, Qt.MouseButton.LeftButton)
    assert "原因" in errors[-1]
    with centre_db.read() as session:
        assert is_day_closed(session, DAY)
    qtbot.mouseClick(page.reopen_button, Qt.MouseButton.LeftButton)
    with centre_db.read() as session:
        assert not is_day_closed(session, DAY)
    assert page.banner.property("state") == "reopened"
    assert "重新日结并重新导出" in page.banner.text()
    assert "补录一张漏登的餐票" in page.history.text()
    assert page.close_button.isEnabled()


def test_export_writes_the_package_with_progress(
        qtbot: QtBot, centre_db: Database, desk: Actor, errors: list[str],
        tmp_path: Path) -> None:
    page = _page(qtbot, centre_db, desk)
    stick = tmp_path / "stick"
    stick.mkdir()
    page.folder.setText(str(stick))
    page.draft.setChecked(False)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert "还没有日结" in errors[0] and list(stick.iterdir()) == []
    _close(page, qtbot)
    seen: list[int] = []
    page.progress.valueChanged.connect(seen.append)
    page.export_from.setDate(to_qdate(DAY - dt.timedelta(days=1)))
    page.draft.setChecked(True)  # the day before is not closed: a draft
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert errors[1:] == []
    assert sorted(p.name for p in stick.iterdir()) == ["TEST01_20261120.zip",
                                                       "TEST01_20261121.zip"]
    assert seen[-1] == 100 and len(seen) > 4 and seen == sorted(seen)
    assert "TEST01_20261120.zip（草稿）" in page.progress_text.text()
    with zipfile.ZipFile(stick / "TEST01_20261121.zip") as z:
        assert "pdf/day_summary.pdf" in z.namelist()
    assert "已导出" in page.banner.text()


def test_print_all_saves_one_pdf_per_sheet_and_archives_them(
        qtbot: QtBot, centre_db: Database, desk: Actor, errors: list[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheets_registry, "DAY_SHEETS",
                        {"attendance": "tests.dayclose.exporters:sheet_pdf"})
    page = _page(qtbot, centre_db, desk)
    saved = page.print_papers(folder=tmp_path)
    assert errors == []
    assert [p.name for p in saved] == ["20261121_summary.pdf", "20261121_attendance.pdf"]
    assert "日结汇总表（草稿）" in squash(pypdf_pages(saved[0].read_bytes())[0])
    assert "测试签到表" in pypdf_pages(saved[1].read_bytes())[0]
    with centre_db.read() as session:
        archived = list_documents(session, record_type="closed_day", record_id="2026-11-21")
    assert sorted(d.kind for d in archived) == ["dayclose.summary", "daysheet.attendance"]
    page.print_papers(folder=tmp_path / "gone")
    assert "无法保存 PDF" in errors[0]
