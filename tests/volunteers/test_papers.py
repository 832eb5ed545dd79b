"""The volunteers' PDFs read back: receipt, statement, certificate, day sheets."""

from __future__ import annotations

import datetime as dt

import pytest

from frontdesk.core import settings
from frontdesk.documents.registry import render_day_sheet
from frontdesk.volunteers import papers, reports, service, shop
from tests.documents.helpers import page_sizes, plumber_pages, pypdf_pages, squash
from tests.volunteers.conftest import add_resident

TODAY = dt.date(2026, 11, 22)
YEAR = (dt.date(2026, 1, 1), TODAY)
LONG_NAME = "𠮷" + "欧阳" * 19 + "娜"  # 40 characters, one beyond the BMP


@pytest.fixture
def redeemed(vdb, desk, admin):
    """Volunteer A served and redeemed a 3-item basket today."""
    db, s = vdb
    with db.session() as session:
        service.add_record(session, desk, s.vol_a, s.tenfold, TODAY, hours=8, reason="补录")
        service.adjust(session, admin, s.vol_a, 20, "优秀志愿者奖励")
        r = shop.redeem(session, desk, s.vol_a, [shop.BasketLine(s.soap, 2),
                                                 shop.BasketLine(s.rice, 1)])
        settings.set_value(session, admin, "volunteers.certificate_head", "王主任")
        settings.set_value(session, admin, "volunteers.certificate_contact", "0595-85601234")
    return db, s, r


def test_receipt_shows_items_points_and_balance_before_and_after(redeemed, desk) -> None:
    db, _, r = redeemed
    with db.read() as session:
        pdf = papers.redemption_receipt_pdf(session, desk, r.redemption_id)
    text = squash(pypdf_pages(pdf)[0])
    assert page_sizes(pdf)[0][0] == pytest.approx(80 * 72 / 25.4, abs=0.5)
    for expected in ("积分兑换小票", r.number, "张三（ZY000001）", "香皂×2", "24积分",
                     "大米×1", "44积分", "合计扣减68积分", "兑换前余额100积分",
                     "兑换后余额32积分"):
        assert expected in text, expected


def test_a_reversed_redemption_says_so_on_its_receipt(redeemed, admin) -> None:
    db, _, r = redeemed
    with db.session() as session:
        shop.reverse_redemption(session, admin, r.redemption_id, "物品有破损")
    with db.read() as session:
        text = squash(pypdf_pages(papers.redemption_receipt_pdf(session, admin,
                                                                r.redemption_id))[0])
    assert "已由管理员冲销" in text


def test_statement_lists_services_and_adds_up(redeemed, desk) -> None:
    db, s, _ = redeemed
    with db.session() as session:
        service.add_record(session, desk, s.vol_a, s.hourly, dt.date(2026, 10, 3), hours=3,
                           reason="纸质签到表补录")
        st, pdf = papers.statement_pdf(session, desk, s.vol_a, *YEAR)
    text = squash(plumber_pages(pdf)[0])
    assert st.total_minutes == 11 * 60 and st.points_earned == 82 and st.points_other == 20
    for expected in ("志愿服务明细", "张三（ZY000001）", "2026-10-03", "助老陪伴",
                     "2026-11-22", "垃圾分类宣传", "服务时长合计：11小时", "期间获得积分：82积分",
                     "期间其他变动（调整、过期、冲销）：+20",
                     "期间兑换积分：68积分", "当前积分余额：34积分"):
        assert expected in text, expected


def test_certificate_has_every_field_masked_id_and_a_seal_place(redeemed, desk) -> None:
    db, s, _ = redeemed
    with db.session() as session:
        cert = reports.issue_certificate(session, desk, s.vol_a, *YEAR)
        pdf = papers.certificate_pdf(session, desk, cert)
    pages = plumber_pages(pdf)
    assert len(pages) == 1
    text = squash(pages[0])
    for expected in ("志愿服务证明", "证明编号：ZYZM2026-00001", "张三", "居民身份证",
                     "350582********1234", "ZY000001", "2026-01-01至2026-11-22", "8小时",
                     "垃圾分类宣传8小时", "测试邻里中心", "王主任", "林前台", "0595-85601234",
                     "出具日期", "盖章"):
        assert expected in text, expected
    assert "350582199001011234" not in text


def test_long_and_rare_names_do_not_break_the_papers(vdb, desk, admin) -> None:
    db, s = vdb
    rid = add_resident(db, admin, LONG_NAME, "C0099", "11010519491231002X")
    with db.session() as session:
        v = service.enroll(session, admin, rid)
        service.add_record(session, desk, v.id, s.tenfold, TODAY, hours=2, reason="补录")
        r = shop.redeem(session, desk, v.id, [shop.BasketLine(s.soap, 1)])
        cert = reports.issue_certificate(session, desk, v.id, *YEAR)
        receipt = papers.redemption_receipt_pdf(session, desk, r.redemption_id)
        _, statement = papers.statement_pdf(session, desk, v.id, *YEAR)
        certificate = papers.certificate_pdf(session, desk, cert)
    for pdf in (receipt, statement, certificate):
        assert LONG_NAME in squash("".join(pypdf_pages(pdf)))
    assert len(page_sizes(certificate)) == 1


def test_day_sheets_come_from_the_registry(redeemed, desk) -> None:
    db, _, _ = redeemed
    with db.read() as session:
        service_sheet = render_day_sheet(session, desk, "volunteers", TODAY)
        shop_sheet = render_day_sheet(session, desk, "shop", TODAY)
    text = squash(plumber_pages(service_sheet)[0])
    assert "志愿服务登记表" in text and "ZY000001" in text and "480" in text
    text = squash(plumber_pages(shop_sheet)[0])
    assert "积分超市库存日报" in text
    # 香皂: 10 in stock before today? No: restocked today, so 0 + 10 − 2 = 8.
    assert "香皂01028相符" in text
    assert "兑换笔数：1笔" in text and "兑换积分：68积分" in text
