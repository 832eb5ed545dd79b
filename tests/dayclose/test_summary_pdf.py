"""The daily summary (screen data and PDF) and the town summary PDF, read back."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

from frontdesk.cli import main
from frontdesk.core.actor import Actor
from frontdesk.core.db import Database
from frontdesk.core.i18n import set_language
from frontdesk.dayclose import registry
from frontdesk.dayclose.service import (
    close_day,
    day_close_view,
    day_papers,
    day_summary_pdf,
    export_days,
)
from frontdesk.dayclose.town import merge_packages, town_summary
from frontdesk.dayclose.town_pdf import render_town_summary
from frontdesk.documents import registry as sheets_registry
from tests.dayclose.conftest import WritePackage
from tests.dayclose.exporters import CASH_FEN, WARNING
from tests.documents.helpers import MM, NOW, page_sizes, plumber_pages, pypdf_pages, squash

DAY = dt.date(2026, 11, 21)


@pytest.fixture
def busy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "DAY_EXPORTERS", ["tests.dayclose.exporters:busy_day"])


def _close(db: Database, actor: Actor) -> None:
    with db.session() as session:
        close_day(session, actor, DAY, counted_cash={"cash": CASH_FEN - 100},
                  acknowledged={WARNING.code, "cash.cash"})


def test_nothing_registered_shows_a_dash_per_section(centre_db: Database,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "DAY_EXPORTERS", [])
    with centre_db.read() as session:
        view = day_close_view(session, DAY)
    assert [s.title for s in view.sections] == ["来访", "长者食堂", "场地预约", "志愿服务",
                                                "积分超市"]
    assert all(s.lines == () for s in view.sections)
    assert [c.expected_fen for c in view.cash] == [0, 0, 0, 0]


def test_summary_sections_add_up_the_features_rows(centre_db: Database, busy: None) -> None:
    with centre_db.read() as session:
        view = day_close_view(session, DAY)
        part = registry.gather_day(session, DAY, registry.ExportOptions())
    visits, canteen = dict(view.sections[0].lines), dict(view.sections[1].lines)
    assert visits["签到人次"] == str(part.totals["checkin_visits"])
    by_area = sum(int(v) for k, v in visits.items() if k.strip().startswith("其中"))
    assert by_area == part.totals["checkin_visits"]  # every valid visit has its area
    assert canteen["政府补助"] == f"{part.totals['meal_gov_fen'] / 100:.2f} 元"
    assert int(canteen["　午餐 堂食"]) + int(canteen.get("　午餐 送餐", "0")) == \
        part.totals["meals"]
    assert view.cash[0].expected_fen == CASH_FEN


def test_summary_pdf_is_a_draft_until_the_day_is_closed(centre_db: Database, desk: Actor,
                                                        busy: None) -> None:
    with centre_db.read() as session:
        draft = day_summary_pdf(session, desk, DAY)
    [text] = pypdf_pages(draft)  # one A4 page
    assert page_sizes(draft) == [pytest.approx((210 * MM, 297 * MM), abs=1)]
    assert "日结汇总表（草稿）" in squash(text)
    assert "［未处理］还有2人未签退" in squash(text)
    _close(centre_db, desk)
    with centre_db.read() as session:
        final = day_summary_pdf(session, desk, DAY)
        part = registry.gather_day(session, DAY, registry.ExportOptions())
    [text] = plumber_pages(final)
    flat = squash(text)
    assert "草稿" not in flat and "已日结（desk，2026-11-2210:00）" in flat
    assert f"签到人次{part.totals['checkin_visits']}" in flat
    assert f"政府补助{part.totals['meal_gov_fen'] // 100}." in flat
    assert "现金：实点11.34元（相差-1.00元）" in flat
    assert "［已确认］还有2人未签退" in flat
    assert "经办人" in flat and "第1页/共1页" in flat


def test_the_package_carries_the_summary_pdf(centre_db: Database, desk: Actor, busy: None,
                                             tmp_path: Path) -> None:
    _close(centre_db, desk)
    [result] = export_days(centre_db, desk, DAY, DAY, tmp_path)
    with zipfile.ZipFile(result.path) as z:
        pdf = z.read("pdf/day_summary.pdf")
    assert "日结汇总表" in squash(pypdf_pages(pdf)[0])


def test_day_papers_are_the_summary_and_every_registered_sheet(
        centre_db: Database, desk: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheets_registry, "DAY_SHEETS",
                        {"attendance": "tests.dayclose.exporters:sheet_pdf"})
    with centre_db.read() as session:
        papers = day_papers(session, desk, DAY)
    assert [(p.kind, p.title, p.file_stem) for p in papers] == [
        ("dayclose.summary", "日结汇总表 2026-11-21", "20261121_summary"),
        ("daysheet.attendance", "来访登记表 2026-11-21", "20261121_attendance")]
    assert "测试签到表 2026-11-21" in pypdf_pages(papers[1].pdf)[0]


def test_town_summary_pdf_lists_each_centre_and_the_total(write_day: WritePackage,
                                                           tmp_path: Path) -> None:
    for code in ("JJ01", "JJ02"):
        for d in (1, 2):
            write_day(code=code, day=dt.date(2026, 11, d), seed=d)
    merge = merge_packages([tmp_path / "packages"])
    summary = town_summary(merge)
    pdf = render_town_summary(summary, NOW, "镇汇总员")
    [(width, height)] = page_sizes(pdf)
    assert width > height  # landscape
    flat = squash(plumber_pages(pdf)[0])
    assert "邻里中心日结汇总（镇/街道）" in flat and "梅岭街道2026-11-01至2026-11-022个中心" in flat
    assert "（JJ01）" in flat and "（JJ02）" in flat  # names wrap inside their cells
    meals = summary.town_totals["meals"]
    assert "合计" in flat and str(meals) in flat
    gov = summary.town_totals["meal_gov_fen"]
    assert f"{gov // 100}.{gov % 100:02d}" in flat


@pytest.mark.usefixtures("process_clock")  # the CLI acts by the process clock
def test_town_merge_cli_writes_the_pdf(write_day: WritePackage, tmp_path: Path) -> None:
    write_day(code="JJ01")
    out = tmp_path / "town.xlsx"
    pdf = tmp_path / "town.pdf"
    assert main(["town", "merge", str(tmp_path / "packages"), "--out", str(out),
                 "--pdf", str(pdf)]) == 0
    assert "（JJ01）" in squash(pypdf_pages(pdf.read_bytes())[0])
    assert main(["town", "merge", str(tmp_path / "packages"), "--out", str(out),
                 "--pdf", str(tmp_path / "gone" / "town.pdf")]) == 1


def test_the_summary_prints_in_english_too(centre_db: Database, desk: Actor,
                                          busy: None) -> None:
    set_language("en")
    with centre_db.read() as session:
        text = pypdf_pages(day_summary_pdf(session, desk, DAY))[0]
    assert "Day close summary" in text and "(draft)" in text
    with centre_db.read() as session:  # the meal types in words too (the session is data)
        canteen = dict(day_close_view(session, DAY).sections[1].lines)
    assert "午餐 Dine-in" in {k.strip() for k in canteen}
    assert not any("堂食" in k for k in canteen)
