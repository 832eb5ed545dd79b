"""The canteen's PDFs, read back: receipt, daily sheet, route sheet, kitchen sheet, claim."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from frontdesk.canteen import papers, reports
from frontdesk.canteen import service as svc
from frontdesk.canteen.setup import bulk_history
from frontdesk.cli import main
from frontdesk.core import settings
from frontdesk.core.clock import FixedClock
from frontdesk.documents.registry import DAY_SHEETS, render_day_sheet
from frontdesk.residents.service import get_resident
from tests.canteen.conftest import Canteen, add_resident
from tests.documents.helpers import page_sizes, plumber_pages, pypdf_pages, squash

MM = 72 / 25.4


@pytest.fixture
def noon(clock: FixedClock) -> FixedClock:
    clock.moment = clock.moment.replace(hour=11, minute=30)
    return clock


def text_of(pdf: bytes) -> str:
    return squash("".join(plumber_pages(pdf)))


def test_receipt_shows_the_ticket_split_payment_and_collector(centre_db, desk,
                                                              canteen: Canteen, noon) -> None:
    with centre_db.session() as session:
        t = svc.issue_ticket(session, desk, resident_id=canteen.aged85, payment="wechat",
                             collector="女儿林小红")
        pdf, paper = papers.receipt_pdf(session, desk, t.id)
    assert paper == "receipt80"
    (width, _height), = page_sizes(pdf)
    assert round(width / MM) == 80
    text = text_of(pdf)
    for expected in (t.number, "2026-11-22", "午餐", "堂食", "陈阿婆", "高龄老人（80岁以上）",
                     "12.00元", "政府补助7.00元", "村级/社区2.00元", "微信", "女儿林小红",
                     "个人自付3.00元"):
        assert squash(expected) in text, expected
    assert "补打" not in text


def test_receipt_follows_the_58mm_and_large_print_settings(centre_db, admin, desk,
                                                           canteen: Canteen, noon) -> None:
    with centre_db.session() as session:
        t = svc.issue_ticket(session, desk, resident_id=canteen.poor65)
        normal, _ = papers.receipt_pdf(session, desk, t.id)
        settings.set_value(session, admin, "printing.receipt_width_mm", "58")
        settings.set_value(session, admin, "printing.receipt_large_print", True)
        large, paper = papers.receipt_pdf(session, desk, t.id)
    assert paper == "receipt58"
    (w80, h80), = page_sizes(normal)
    (w58, h58), = page_sizes(large)
    assert round(w58 / MM) == 58 and round(w80 / MM) == 80
    assert h58 > h80 * 1.15  # bigger type on narrower paper: a longer strip
    assert squash("个人自付1.00元") in text_of(large)


def test_receipt_keeps_rare_and_very_long_names(centre_db, desk, canteen: Canteen,
                                                noon) -> None:
    long_name = "阿" * 38 + "𠮷𠮷"
    rid = add_resident(centre_db, desk, long_name, dt.date(1940, 1, 1), card="C0099")
    with centre_db.session() as session:
        t = svc.issue_ticket(session, desk, resident_id=rid)
        pdf, _ = papers.receipt_pdf(session, desk, t.id)
    text = "".join(pypdf_pages(pdf)).replace("\n", "")
    assert "𠮷𠮷" in text and "阿" * 20 in text


def test_daily_sheet_pdf_lists_every_live_ticket_with_totals_and_cash_box(
        centre_db, desk, canteen: Canteen, noon) -> None:
    with centre_db.session() as session:
        svc.issue_ticket(session, desk, resident_id=canteen.aged85, payment="wechat")
        svc.issue_ticket(session, desk, resident_id=canteen.poor65, collector="儿子")
        svc.issue_ticket(session, desk, resident_id=None, diner_kind="staff", diner_name="厨师")
        v = svc.issue_ticket(session, desk, resident_id=canteen.aged70)
        svc.void_ticket(session, desk, v.id, "退餐")
        sheet = reports.daily_sheet(session, desk.today())
        pdf = render_day_sheet(session, desk, "canteen", desk.today())
    assert DAY_SHEETS["canteen"] == "frontdesk.canteen.papers:daily_sheet_pdf"
    (w, h), = page_sizes(pdf)[:1]
    assert w > h  # landscape: every funder gets a column
    text = text_of(pdf)
    for heading in ("序号", "姓名", "类别", "餐次", "类型", "价格", "政府补助", "村级/社区",
                    "慈善", "自付", "签名"):
        assert heading in text
    assert "陈阿婆" in text and "黄婶" in text and "厨师" in text and "林伯" not in text
    assert squash("（代领：儿子）") in text
    gov = sum(sheet.funder_totals[:1])
    assert squash(f"政府补助合计：{gov / 100:.2f}元") in text
    assert squash("自付合计：16.00元") in text  # 3 + 1 + 12
    assert squash("现金2笔13.00元") in text and squash("微信1笔3.00元") in text
    assert squash("另有作废1张") in text


def test_sheet_command_writes_the_canteen_sheet_end_to_end(centre_db, canteen: Canteen,
                                                           tmp_path: Path, capsys,
                                                           process_clock: FixedClock) -> None:
    db = centre_db.url  # an SQLite file or a PostgreSQL database
    assert main(["canteen", "issue", "C0001", "--db", db, "--operator", "desk",
                 "--session", "午餐"]) == 0
    today = process_clock.today().isoformat()  # the day the CLI issued the ticket on
    out = tmp_path / "canteen.pdf"
    assert main(["sheet", "canteen", "--date", today, "--pdf", str(out), "--db", db,
                 "--operator", "desk"]) == 0
    text = text_of(out.read_bytes())
    assert "长者食堂就餐登记表" in text and "陈阿婆" in text and today in text
    assert main(["sheet", "canteen_route", "--date", today, "--pdf", str(tmp_path / "r.pdf"),
                 "--db", db, "--operator", "desk"]) == 0
    assert "当天没有送餐" in text_of((tmp_path / "r.pdf").read_bytes())


def test_route_sheet_has_address_phone_status_and_a_signature_column(
        centre_db, desk, canteen: Canteen, noon) -> None:
    with centre_db.session() as session:
        a = svc.issue_ticket(session, desk, resident_id=canteen.aged85, meal_type="delivery",
                             route="一组")
        svc.issue_ticket(session, desk, resident_id=canteen.aged70, meal_type="delivery",
                         route="二组", collector="邻居")
        svc.mark_delivery(session, desk, a.id, "not_home", "敲门无人应答")
        pdf = papers.route_sheet_pdf(session, desk, desk.today())
    text = text_of(pdf)
    for expected in ("地址", "电话", "签收", "桂山村1号", "13800000000", "一组", "二组",
                     "不在家", "敲门无人应答", "待送", "（代领：邻居）", "合计：2份"):
        assert squash(expected) in text, expected


def test_kitchen_sheet_counts_tomorrows_pre_orders(centre_db, desk, canteen: Canteen) -> None:
    tomorrow = desk.today() + dt.timedelta(days=1)
    with centre_db.session() as session:
        svc.add_pre_order(session, desk, day=tomorrow, session_id=canteen.lunch,
                          resident_id=canteen.aged85)
        svc.add_pre_order(session, desk, day=tomorrow, session_id=canteen.lunch,
                          group_name="志愿者服务队", count=6)
        svc.add_pre_order(session, desk, day=tomorrow, session_id=canteen.lunch,
                          meal_type="delivery", resident_id=canteen.aged70)
        pdf = render_day_sheet(session, desk, "canteen_kitchen", tomorrow)
    text = text_of(pdf)
    assert squash("午餐堂食：7份") in text and squash("午餐送餐：1份") in text
    assert squash("合计：8份") in text and "志愿者服务队" in text


def test_claim_pdf_reconciles_with_the_xlsx_and_the_tickets(centre_db, admin, desk,
                                                            canteen: Canteen,
                                                            tmp_path: Path) -> None:
    import random

    with centre_db.session() as session:
        elders = [get_resident(session, r) for r in
                  (canteen.aged85, canteen.aged70, canteen.poor65, canteen.migrant70)]
        bulk_history(session, admin, elders, dt.date(2026, 10, 1), dt.date(2026, 10, 31), 4,
                     random.Random(1), svc.active_rule_specs(session), canteen.self_id)
        claim, pdf = papers.claim_with_pdf(session, admin, "2026-10")
        # the tickets themselves, summed independently of the claim
        tickets = [t for day in range(1, 32)
                   for t in svc.list_tickets(session, dt.date(2026, 10, day))
                   if t.subsidised and not t.voided]
    gov_total = sum(t.share_of(canteen.gov) for t in tickets)
    assert claim.total.meals == len(tickets) == 31 * 3  # the 外来 elder is never subsidised
    assert claim.total.shares[0] == gov_total
    text = text_of(pdf)
    assert squash(f"申报政府补助：{gov_total / 100:.2f}元") in text
    assert squash(f"合计：{len(tickets)}餐") in text
    for c in claim.categories:
        assert squash(f"类别：{c.label}：{c.meals}餐") in text
    out = tmp_path / "claim.xlsx"
    reports.write_claim_xlsx(claim, out)
    rows = list(load_workbook(out).worksheets[0].iter_rows(values_only=True))
    detail = rows[2:-1]
    gov_col = rows[1].index("政府补助")
    assert len(detail) == len(tickets)
    xlsx_gov = sum(Decimal(str(r[gov_col])) for r in detail)
    assert xlsx_gov * 100 == gov_total
    assert rows[-1][gov_col] * 100 == pytest.approx(gov_total)
    assert len(pypdf_pages(pdf)) >= 2  # 93 rows: more than one page, header repeated


def test_claim_command_writes_pdf_too(centre_db, canteen: Canteen, tmp_path: Path,
                                      capsys, process_clock: FixedClock) -> None:
    db = centre_db.url  # an SQLite file or a PostgreSQL database
    assert main(["canteen", "issue", "C0002", "--db", db, "--operator", "desk",
                 "--session", "午餐"]) == 0
    month = f"{process_clock.today():%Y-%m}"
    pdf = tmp_path / "out" / "claim.pdf"
    assert main(["canteen", "claim", "--month", month, "--xlsx", str(tmp_path / "c.xlsx"),
                 "--pdf", str(pdf), "--db", db, "--operator", "admin"]) == 0
    text = text_of(pdf.read_bytes())
    assert "林伯" in text and squash("申报政府补助：5.00元") in text
    assert "补助申报表" in text
