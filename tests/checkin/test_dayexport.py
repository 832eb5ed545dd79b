"""Check-in's part of the day close: sheet rows in the format's columns, totals, warnings,
PDFs; and the closed-day lock on every check-in write."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from frontdesk.checkin import service
from frontdesk.checkin.dayexport import day_part
from frontdesk.checkin.models import Checkin
from frontdesk.checkin.reports import attendance_sheet
from frontdesk.checkin.sheet import KIND, RECORD_TYPE, attendance_pdf
from frontdesk.core.actor import Actor
from frontdesk.core.clock import CENTRE_TZ, FixedClock
from frontdesk.core.db import Database
from frontdesk.core.errors import RuleError
from frontdesk.dayclose import format as fmt
from frontdesk.dayclose import registry
from frontdesk.dayclose.registry import ExportOptions, gather_day
from frontdesk.dayclose.service import close_day, export_days, reopen_day
from frontdesk.documents import service as documents
from frontdesk.residents.activity import recent_activity
from tests.checkin.conftest import fill_day

DAY = dt.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def _only_checkin(monkeypatch: pytest.MonkeyPatch) -> None:
    # Other features' exporters are tested in their own places.
    monkeypatch.setattr(registry, "DAY_EXPORTERS", ["frontdesk.checkin.dayexport:day_part"])


def _columns(name: str) -> list[str]:
    return [c.name for c in fmt.SHEETS_BY_NAME[name].columns]


def test_rows_follow_the_export_format_and_totals_match_the_sheet(
        centre_db: Database, desk: Actor, clock: FixedClock, people: dict[str, int]) -> None:
    fill_day(centre_db, desk, clock)
    with centre_db.read() as session:
        part = gather_day(session, DAY, ExportOptions())  # checks cells per column and keys
        sheet = attendance_sheet(session, DAY)
    checkins = [dict(zip(_columns(fmt.CHECKINS), row, strict=True))
                for row in part.sheets[fmt.CHECKINS]]
    assert [(r["序号"], r["姓名"], r["状态"]) for r in checkins] == [
        (1, "陈阿婆", "有效"), (2, "林小明", "有效"), (3, "赵临时", "有效"),
        (None, "王师傅", "已作废"), (4, "陈阿婆", "有效")]
    first = checkins[0]
    assert first["签到时间"] == dt.datetime(2026, 11, 22, 10, 0, tzinfo=CENTRE_TZ)
    assert (first["性别"], first["年龄"], first["电话"], first["服务领域"], first["事由"],
            first["接待人"]) == ("女", 76, "138****1234", "食有所安", "长者食堂", "林前台")
    assert checkins[2]["备注"] == "临时登记"
    assert checkins[3]["作废原因"] == "刷错卡"
    # The 序号 of the valid rows is the sheet's own numbering.
    assert [str(r["序号"]) for r in checkins if r["状态"] == "有效"] == \
        [row.cells()[0] for row in sheet.rows]

    groups = [dict(zip(_columns(fmt.GROUPS), row, strict=True))
              for row in part.sheets[fmt.GROUPS]]
    # Both at 10:05: same time, so groups before tallies, then by record number.
    assert [(g["序号"], g["类型"], g["群体"], g["团体名称"], g["人数"]) for g in groups] == [
        (1, "团体", None, "桂山小学", 35), (2, "计数", "快递员", None, 3)]
    t = sheet.totals
    assert dict(part.totals) == {"checkin_visits": t.visits, "group_entries": t.group_visits,
                                 "group_headcount": t.group_heads, "tally_count": t.tallies}
    assert dict(part.totals) == {"checkin_visits": 4, "group_entries": 1,
                                 "group_headcount": 35, "tally_count": 3}


def test_voided_tallies_and_groups_are_listed_but_not_counted(
        centre_db: Database, desk: Actor, clock: FixedClock, people: dict[str, int]) -> None:
    with centre_db.session() as session:
        group = service.list_tally_groups(session)[0].id
        tally = service.add_tally(session, desk, group, 2)
        visit = service.add_group_visit(session, desk, "老年大学", 20)
        service.void_entry(session, desk, "tally", tally.id, "点错了")
        service.void_entry(session, desk, "group", visit.id, "重复登记")
    with centre_db.read() as session:
        part = day_part(session, DAY, ExportOptions())
    statuses = [(row[2], row[9], row[10]) for row in part.sheets[fmt.GROUPS]]
    assert statuses == [("团体", "已作废", "重复登记"), ("计数", "已作废", "点错了")]
    assert part.totals == {"checkin_visits": 0, "group_entries": 0, "group_headcount": 0,
                           "tally_count": 0}


def test_warnings_for_people_still_in_and_an_unprinted_sheet(
        centre_db: Database, desk: Actor, clock: FixedClock, people: dict[str, int]) -> None:
    with centre_db.read() as session:
        assert day_part(session, DAY, ExportOptions()).warnings == ()  # an empty day
    fill_day(centre_db, desk, clock)
    with centre_db.read() as session:
        warnings = {w.code: w.message for w in day_part(session, DAY, ExportOptions()).warnings}
    assert set(warnings) == {"checkin.open", "checkin.sheet_unprinted"}
    assert "还有 4 人签到后未签退" in warnings["checkin.open"]
    assert "陈阿婆、林小明、赵临时、陈阿婆" in warnings["checkin.open"]
    with centre_db.session() as session:
        for row in service.in_centre(session, DAY):
            service.check_out(session, desk, row.id)
        pdf = attendance_pdf(session, desk, DAY)
    with centre_db.session() as session:
        documents.archive_document(session, desk, kind=KIND, title="来访登记表", paper="a4",
                                   pdf=pdf, record_type=RECORD_TYPE, record_id=DAY.isoformat(),
                                   business_date=DAY)
    with centre_db.read() as session:
        assert day_part(session, DAY, ExportOptions()).warnings == ()


def test_close_needs_the_warnings_acknowledged_then_locks_every_checkin_write(
        centre_db: Database, desk: Actor, admin: Actor, clock: FixedClock,
        people: dict[str, int]) -> None:
    fill_day(centre_db, desk, clock)
    with centre_db.session() as session, pytest.raises(RuleError, match=r"\[checkin.open\]"):
        close_day(session, desk, DAY)
    with centre_db.session() as session:
        close_day(session, desk, DAY, acknowledged={"checkin.open", "checkin.sheet_unprinted"})
        entry_id = service.in_centre(session, DAY)[0].id
        group = service.list_tally_groups(session)[0].id
        canteen = service.find_purpose(session, "长者食堂").id
    clock.advance(hours=1)
    attempts = {
        "check in": lambda s: service.check_in(s, desk, code="C0002", purpose_id=canteen),
        "check out": lambda s: service.check_out(s, desk, entry_id),
        "tally": lambda s: service.add_tally(s, desk, group),
        "group": lambda s: service.add_group_visit(s, desk, "老年大学", 20),
        "void": lambda s: service.void_entry(s, desk, "checkin", entry_id, "撤销"),
    }
    for name, attempt in attempts.items():
        with centre_db.session() as session, pytest.raises(RuleError, match="已日结"):
            attempt(session)
            pytest.fail(f"{name} went through on a closed day")
    with centre_db.read() as session:
        stored = session.get(Checkin, entry_id)
        assert stored is not None and stored.checked_out_at is None and not stored.voided
    with centre_db.session() as session:
        reopen_day(session, admin, DAY, "补录签退")
    for attempt in attempts.values():
        with centre_db.session() as session:
            attempt(session)
    with centre_db.read() as session:
        stored = session.get(Checkin, entry_id)
        assert stored is not None and stored.checked_out_at is not None and stored.voided


def test_export_package_carries_the_sheets_and_the_same_pdf_every_time(
        centre_db: Database, desk: Actor, clock: FixedClock, people: dict[str, int],
        tmp_path: Path) -> None:
    fill_day(centre_db, desk, clock)
    with centre_db.session() as session:
        close_day(session, desk, DAY, acknowledged={"checkin.open", "checkin.sheet_unprinted"})
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    [first] = export_days(centre_db, desk, DAY, DAY, tmp_path / "a")
    clock.advance(hours=5)
    [second] = export_days(centre_db, desk, DAY, DAY, tmp_path / "b")
    assert first.path.read_bytes() == second.path.read_bytes()
    with zipfile.ZipFile(first.path) as z:
        checkins = z.read("csv/02_checkins.csv").decode("utf-8-sig").splitlines()
        groups = z.read("csv/03_groups_tallies.csv").decode("utf-8-sig").splitlines()
        pdf = z.read("pdf/attendance_20261122.pdf")
    assert checkins[0].split(",") == [c.header for c in fmt.SHEETS_BY_NAME[fmt.CHECKINS].columns]
    assert len(checkins) == 6 and ",已作废,刷错卡" in checkins[4]
    assert checkins[1].startswith("1,2026-11-22 10:00:00,,陈阿婆,女,76,,138****1234,食有所安")
    assert len(groups) == 3
    text = "".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "陈阿婆" in text and "来访总人数：42人" in text and "林前台" in text


def test_a_residents_record_shows_their_check_ins(
        centre_db: Database, desk: Actor, clock: FixedClock, people: dict[str, int]) -> None:
    fill_day(centre_db, desk, clock)
    with centre_db.read() as session:
        elder = recent_activity(session, people["elder"])
        rider = recent_activity(session, people["rider"])
    visits = [i for i in elder if i.area == "签到"]
    assert [i.summary for i in visits] == ["签到：长者食堂（接待人 林前台）"] * 2
    assert visits[0].at > visits[1].at  # newest first
    assert [i.summary for i in rider if i.area == "签到"] == [
        "签到：长者食堂（接待人 林前台）（已撤销）"]
