"""The booking slip and the day's room schedule, read back from the real PDFs."""

from __future__ import annotations

import datetime as dt
import io

import pdfplumber
import pytest
import segno
from pypdf import PdfReader

from frontdesk.cli import main
from frontdesk.documents import registry
from frontdesk.rooms import printed, service
from tests.documents.helpers import MM, page_sizes, plumber_pages, pypdf_pages, squash
from tests.rooms.conftest import at

LONG_NAME = "晋江市梅岭街道桂山社区党建共建联盟第一党支部暨新时代文明实践志愿服务队"  # 38 chars
RARE = "𠮷𠮷文化传播有限公司"


def _qr_modules(pdf: bytes) -> set[tuple[int, int]]:
    """The dark modules of the QR code drawn on the page, read back from its rectangles."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        rects = [r for r in doc.pages[0].rects if r["height"] < 2 * MM]
    module = min(r["height"] for r in rects)
    left, top = min(r["x0"] for r in rects), min(r["top"] for r in rects)
    cells = set()
    for r in rects:
        row = round((r["top"] - top) / module)
        first = round((r["x0"] - left) / module)
        cells.update((row, first + i) for i in range(round(r["width"] / module)))
    return cells


def test_slip_is_an_80_mm_receipt_whose_qr_the_scan_box_opens(centre_db, admin, rooms,
                                                              partner):
    with centre_db.session() as s:
        b = service.book(s, admin, service.BookingRequest(
            rooms["hall"].id, at("2026-11-23", "09:00"), at("2026-11-23", "11:00"), partner,
            "家长会", 40))
        pdf = printed.booking_slip_pdf(s, admin, b.id)
        hit = service.resolve_slip_code(s, f"R{b.id:06d}")
    width, _ = page_sizes(pdf)[0]
    assert abs(width - 80 * MM) < 1
    text = squash(plumber_pages(pdf)[0])
    for words in ("场地预约单", f"R{b.id:06d}", "多功能厅", "2026-11-2309:00-11:00".replace(
            "2026-11-23", ""), "桂山实验小学", "139****1122", "40人", "已确认", "15分钟"):
        assert words in text, words
    assert "13960381122" not in text  # the phone is masked
    expected = segno.make(f"R{b.id:06d}", error="m", micro=False).matrix
    dark = {(r, c) for r, row in enumerate(expected) for c, v in enumerate(row) if v}
    assert _qr_modules(pdf) == dark
    assert hit is not None and (hit.page, hit.record_id) == ("rooms", b.id)


def test_slip_of_a_series_and_of_a_rare_long_named_booker(centre_db, admin, rooms):
    with centre_db.session() as s:
        org = service.create_organisation(s, admin, LONG_NAME + RARE, phone="0595-85601234")
        result = service.create_series(s, admin, service.BookingRequest(
            rooms["hall"].id, at("2026-11-24", "19:00"), at("2026-11-24", "21:00"),
            service.organisation_booker(s, org.id), "夜校"), "FREQ=WEEKLY;COUNT=3")
        pdf = printed.booking_slip_pdf(s, admin, result.bookings[1].id)
    text = squash(pypdf_pages(pdf)[0])
    assert "重复预约：共3次，2026-11-24至2026-12-08" in text
    assert squash(LONG_NAME) in text and "𠮷𠮷" in text
    assert "********1234" in text


def test_door_schedule_is_one_a4_table_by_room(centre_db, admin, rooms, partner):
    with centre_db.session() as s:
        org = service.create_organisation(s, admin, RARE)
        service.book(s, admin, service.BookingRequest(
            rooms["half_a"].id, at("2026-11-23", "14:00"), at("2026-11-23", "16:00"),
            service.organisation_booker(s, org.id), "书法班", 12))
        service.book(s, admin, service.BookingRequest(
            rooms["hall"].id, at("2026-11-23", "09:00"), at("2026-11-23", "10:00"), partner,
            LONG_NAME, 100))
        service.add_closure(s, admin, rooms["pingpong"].id, dt.date(2026, 11, 23), "换球台")
        pdf = printed.door_schedule_pdf(s, admin, dt.date(2026, 11, 23))
    (width, height), = page_sizes(pdf)
    assert (round(width), round(height)) == (595, 842)
    text = squash(pypdf_pages(pdf)[0])
    assert "场地安排表" in text and "2026-11-23星期一" in text
    assert text.index("多功能厅（120人）") < text.index("09:00-10:00") \
        < text.index("多功能厅A区（60人）") < text.index("书法班")
    assert "𠮷𠮷文化传播有限公司" in text and squash(LONG_NAME) in text
    assert "多功能厅A区14:00-16:00" in text  # the whole hall is not free then
    assert "今日闭馆" in text and "预约场次：2场" in text


@pytest.mark.usefixtures("process_clock")  # the CLI acts by the process clock
def test_sheet_rooms_command_end_to_end(centre_db, admin, rooms, partner, tmp_path):
    with centre_db.session() as s:
        service.book(s, admin, service.BookingRequest(
            rooms["meeting"].id, at("2026-11-23", "09:00"), at("2026-11-23", "10:00"), partner,
            "座谈会", 12))
    out = tmp_path / "rooms.pdf"
    assert registry.DAY_SHEETS["rooms"] == "frontdesk.rooms.printed:door_schedule_pdf"
    code = main(["--db", centre_db.url, "--operator", "admin", "sheet", "rooms",
                 "--date", "2026-11-23", "--pdf", str(out)])
    assert code == 0
    text = squash(PdfReader(out).pages[0].extract_text())
    assert "场地安排表" in text and "企业共享会议室" in text and "座谈会" in text
