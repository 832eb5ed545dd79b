"""The attendance sheet's data, monthly statistics, and the CSV/XLSX read back."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from frontdesk.checkin import service
from frontdesk.checkin.export import write_csv, write_xlsx
from frontdesk.checkin.reports import attendance_sheet, monthly_stats
from frontdesk.core.actor import Actor
from frontdesk.core.clock import FixedClock
from frontdesk.core.db import Database
from tests.checkin.conftest import fill_day


def test_attendance_sheet_rows_tallies_groups_and_totals(
        centre_db: Database, desk: Actor, clock: FixedClock, people: dict[str, int]) -> None:
    fill_day(centre_db, desk, clock)
    with centre_db.read() as session:
        sheet = attendance_sheet(session, dt.date(2026, 11, 22))
    assert sheet.centre.name == "测试邻里中心"
    assert [r.cells() for r in sheet.rows] == [
        ("1", "10:00", "陈阿婆", "女", "76", "138****1234", "长者食堂", "林前台"),
        ("2", "10:05", "林小明", "男", "10", "", "四点钟学校", "林前台"),
        ("3", "10:05", "赵临时（临时）", "", "", "", "长者食堂", "林前台"),
        ("4", "12:05", "陈阿婆", "女", "76", "138****1234", "长者食堂", "林前台"),
    ]
    assert dict(sheet.tallies)["快递员"] == 3
    assert [(g.organisation, g.head_count, g.purpose) for g in sheet.group_visits] == [
        ("桂山小学", 35, "四点钟学校")]
    t = sheet.totals
    assert (t.visits, t.distinct_people, t.tallies, t.group_heads, t.people) == (4, 3, 3, 35, 42)
    assert dict(t.by_purpose) == {"长者食堂": 3, "四点钟学校": 1}
    with centre_db.read() as session:
        empty = attendance_sheet(session, dt.date(2026, 11, 21))
    assert empty.rows == () and empty.totals.people == 0


def test_csv_has_a_bom_and_xlsx_holds_the_same_cells(
        centre_db: Database, desk: Actor, clock: FixedClock, people: dict[str, int],
        tmp_path: Path) -> None:
    fill_day(centre_db, desk, clock)
    with centre_db.read() as session:
        sheet = attendance_sheet(session, dt.date(2026, 11, 22))
    csv_path = write_csv(sheet, tmp_path / "sheet.csv")
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(csv_path.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[2][:3] == ["序号", "时间", "姓名"] and rows[2][-1] == "签名"
    assert rows[3][:6] == ["1", "10:00", "陈阿婆", "女", "76", "138****1234"]
    assert ["来访总人数", "42"] in rows

    from openpyxl import load_workbook

    book = load_workbook(write_xlsx(sheet, tmp_path / "sheet.xlsx"))
    ws = book.active
    assert ws is not None
    cells = [["" if c is None else str(c) for c in row] for row in ws.iter_rows(values_only=True)]
    assert [[c for c in row if c] for row in cells] == [[c for c in row if c] for row in rows]


def test_monthly_stats_by_purpose_tag_day_and_distinct_people(
        centre_db: Database, desk: Actor, clock: FixedClock, people: dict[str, int]) -> None:
    fill_day(centre_db, desk, clock)
    clock.advance(days=3)
    with centre_db.session() as session:
        service.check_in(session, desk, code="C0003",
                         purpose_id=service.find_purpose(session, "红蜂驿站").id)
    clock.advance(days=10)  # December: not in November's numbers
    with centre_db.session() as session:
        service.check_in(session, desk, code="C0003",
                         purpose_id=service.find_purpose(session, "红蜂驿站").id)
    with centre_db.read() as session:
        stats = monthly_stats(session, 2026, 11)
    assert (stats.visits, stats.distinct_people) == (5, 4)
    assert [(s.label, s.visits, s.people) for s in stats.by_purpose] == [
        ("四点钟学校", 1, 1), ("长者食堂", 3, 2), ("红蜂驿站", 1, 1)]
    assert [(s.visits, s.people) for s in stats.by_tag] == [(2, 1), (1, 1), (1, 1)]
    days = dict(stats.by_day)
    assert len(days) == 30 and days[dt.date(2026, 11, 22)] == 4
    assert days[dt.date(2026, 11, 25)] == 1
    assert dict(stats.tallies_by_group) == {"快递员": 3}
    assert (stats.group_visits, stats.group_heads) == (1, 35)
