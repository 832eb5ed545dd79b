"""The daily attendance sheet (来访登记表) PDF, read back with pypdf and pdfplumber."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from frontdesk.checkin import service
from frontdesk.checkin.reports import attendance_sheet
from frontdesk.checkin.sheet import attendance_pdf, render_attendance
from frontdesk.cli import main
from frontdesk.core.actor import Actor
from frontdesk.core.clock import FixedClock
from frontdesk.core.db import Database
from frontdesk.core.i18n import set_language
from frontdesk.documents.registry import render_day_sheet
from tests.checkin.conftest import add_resident, fill_day
from tests.documents.helpers import meta, page_sizes, plumber_pages, pypdf_pages, squash

DAY = dt.date(2026, 11, 22)
A4 = (595.2756, 841.8898)


@pytest.mark.usefixtures("process_clock")  # the CLI acts by the process clock
def test_cli_sheet_attendance_writes_the_day_sheet(
        centre_db: Database, desk: Actor, clock: FixedClock, people: dict[str, int],
        tmp_path: Path) -> None:
    fill_day(centre_db, desk, clock)
    out = tmp_path / "att.pdf"
    assert main(["--db", centre_db.url, "--operator", "desk", "sheet", "attendance",
                 "--date", DAY.isoformat(), "--pdf", str(out)]) == 0
    pdf = out.read_bytes()
    assert all(abs(w - A4[0]) < 1 and abs(h - A4[1]) < 1 for w, h in page_sizes(pdf))
    text = squash("".join(pypdf_pages(pdf)))
    for header in ("序号", "时间", "姓名", "性别", "年龄", "电话", "事由", "接待人", "签名"):
        assert header in text
    assert "来访登记表" in text and "2026-11-22（星期日）" in text
    assert "1 10:00 陈阿婆 女 76 138****1234 长者食堂 林前台".replace(" ", "") in text
    assert "赵临时（临时）" in text
    assert "13812341234" not in text  # phones are masked on paper
    assert "王师傅" not in text  # his check-in was voided
    assert "签到：4人次（3人）" in text
    assert "匿名计数：共3人（外卖员0人，快递员3人，环卫工人0人，其他0人）" in text
    assert "团体来访：1批，共35人" in text and "桂山小学，35人，事由：四点钟学校" in text
    assert "来访总人数：42人" in text
    assert "接待人：" in text and "负责人：" in text
    # Another day of the same centre has its own (empty) sheet.
    assert main(["--db", centre_db.url, "--operator", "desk", "sheet", "attendance",
                 "--date", "2026-11-21", "--pdf", str(out)]) == 0
    assert "当天没有签到记录" in squash("".join(pypdf_pages(out.read_bytes())))


def test_the_registry_gives_the_same_sheet_as_the_renderer(
        centre_db: Database, desk: Actor, clock: FixedClock, people: dict[str, int]) -> None:
    fill_day(centre_db, desk, clock)
    with centre_db.read() as session:
        via_registry = render_day_sheet(session, desk, "attendance", DAY)
        direct = attendance_pdf(session, desk, DAY)
    assert squash("".join(pypdf_pages(via_registry))) == squash("".join(pypdf_pages(direct)))


def test_rare_characters_and_long_names_stay_in_their_column(
        centre_db: Database, desk: Actor, clock: FixedClock) -> None:
    long_name = "欧阳" + "𠮷" + "长名字测试" * 7 + "喆"  # 39 characters
    assert len(long_name) == 39
    add_resident(centre_db, clock, long_name, card="L0001", sex="F",
                 birth=dt.date(1940, 1, 1), phone="0595-22334455")
    add_resident(centre_db, clock, "𠮷祥", card="L0002")
    with centre_db.session() as session:
        purpose = service.find_purpose(session, "文体活动").id
        for code in ("L0001", "L0002"):
            service.check_in(session, desk, code=code, purpose_id=purpose)
    with centre_db.read() as session:
        sheet = attendance_sheet(session, DAY)
    pdf = render_attendance(sheet, meta("来访登记表"))
    for pages in (pypdf_pages(pdf), plumber_pages(pdf)):
        text = squash("".join(pages))
        assert "𠮷祥" in text and "*******4455" in text
        assert squash(long_name) in text or all(part in text for part in
                                                ("欧阳𠮷长名字", "喆"))
    assert len(page_sizes(pdf)) == 1


def test_five_hundred_rows_span_pages_with_every_number(
        centre_db: Database, desk: Actor, clock: FixedClock) -> None:
    for i in range(60):
        add_resident(centre_db, clock, f"居民{i:03d}", card=f"N{i:04d}")
    with centre_db.session() as session:
        purpose = service.find_purpose(session, "便民办事").id
        for i in range(60):
            clock.advance(minutes=1)
            service.check_in(session, desk, code=f"N{i:04d}", purpose_id=purpose)
    with centre_db.read() as session:
        pdf = attendance_pdf(session, desk, DAY)
    pages = pypdf_pages(pdf)
    assert len(pages) >= 3  # tall signature rows: about 20 to a page
    assert all("签名" in page for page in pages)  # the header repeats
    text = squash("".join(pages))
    assert all(f"居民{i:03d}" in text for i in range(60))
    assert f"第{len(pages)}页/共{len(pages)}页" in text


def test_the_sheet_prints_in_the_users_language(
        centre_db: Database, desk: Actor, clock: FixedClock, people: dict[str, int]) -> None:
    fill_day(centre_db, desk, clock)
    set_language("en")
    with centre_db.read() as session:
        pdf = attendance_pdf(session, desk, DAY)
    text = " ".join(pypdf_pages(pdf))
    assert "Visitor register" in text and "Signature" in text and "Sunday" in text
    assert "陈阿婆" in text  # names stay as they are
