"""Volunteers in the day close: rows in the export format, totals that agree with the
reports, stock that reconciles, warnings, the day lock."""

from __future__ import annotations

import datetime as dt

import pytest

from frontdesk.core.errors import RuleError
from frontdesk.dayclose import format as fmt
from frontdesk.dayclose.registry import DAY_EXPORTERS, ExportOptions, gather_day
from frontdesk.dayclose.service import close_day, reopen_day
from frontdesk.volunteers import dayexport, reports, service, shop

TODAY = dt.date(2026, 11, 22)
TYPES = {fmt.TEXT: str, fmt.INTEGER: int, fmt.DATETIME: dt.datetime}


@pytest.fixture
def day(vdb, desk, admin, clock):
    """A day at the desk: a signed-in stretch, a hand-added record, a voided one,
    two redemptions (one reversed), a write-off and a count."""
    db, s = vdb
    with db.session() as session:
        service.sign_in(session, desk, s.vol_b, s.hourly)
    clock.advance(minutes=90)
    with db.session() as session:
        service.sign_out(session, desk, s.vol_b)
        service.add_record(session, desk, s.vol_a, s.tenfold, TODAY, hours=8,
                           reason="纸质签到表补录")
        service.adjust(session, admin, s.vol_a, 50, "活动奖励")
        wrong = service.add_record(session, desk, s.vol_b, s.fixed, TODAY, hours=1, reason="补录")
        service.void_record(session, admin, wrong.id, "录错了人")
        kept = shop.redeem(session, desk, s.vol_a, [shop.BasketLine(s.soap, 2),
                                                    shop.BasketLine(s.rice, 1)])
        back = shop.redeem(session, desk, s.vol_a, [shop.BasketLine(s.wok, 1)])
        shop.reverse_redemption(session, admin, back.redemption_id, "炒锅有裂纹")
        shop.write_off(session, desk, s.rice, 1, "受潮")
        shop.count_stock(session, desk, s.soap, 9, "盘点多出一块")
    return db, s, kept


def test_rows_follow_the_export_format(day) -> None:
    db, _, _ = day
    with db.read() as session:
        part = dayexport.day_part(session, TODAY, ExportOptions())
    for name, rows in part.sheets.items():
        columns = fmt.SHEETS_BY_NAME[name].columns
        for row in rows:
            assert len(row) == len(columns)
            for cell, column in zip(row, columns, strict=True):
                if cell is not None and column.type in TYPES:
                    assert isinstance(cell, TYPES[column.type]), (name, column.name, cell)
    service_rows = part.sheets[fmt.VOLUNTEER]
    assert [(r[1], r[4], r[8], r[9], r[10], r[13]) for r in service_rows] == [
        ("ZY000002", "助老陪伴", 90, 2, "签到签退", "有效"),
        ("ZY000001", "垃圾分类宣传", 480, 80, "手工补录", "有效"),
        ("ZY000002", "文明劝导", 60, 5, "手工补录", "已作废"),
    ]
    assert service_rows[1][3] == "350582********1234"  # masked
    assert service_rows[2][14] == "录错了人"
    assert service_rows[0][12] == "林前台"  # the operator's display name
    redemption_rows = part.sheets[fmt.REDEMPTIONS]
    assert [(r[4], r[5], r[6], r[7], r[10]) for r in redemption_rows] == [
        ("香皂", 2, 12, 24, "有效"), ("大米", 1, 44, 44, "有效"), ("炒锅", 1, 40, 40, "已作废")]
    assert redemption_rows[2][11] == "炒锅有裂纹"
    stock_words = [(r[2], r[4], r[5], r[7]) for r in part.sheets[fmt.STOCK]]
    assert ("香皂", "兑换出库", -2, redemption_rows[0][0]) in stock_words
    assert ("炒锅", "作废冲回", 1, redemption_rows[2][0]) in stock_words
    assert ("大米", "报损", -1, "") in stock_words
    assert ("香皂", "盘盈", 1, "") in stock_words


def test_totals_agree_with_the_rows_and_the_reports(day) -> None:
    db, _, _ = day
    with db.read() as session:
        part = dayexport.day_part(session, TODAY, ExportOptions())
        top = reports.top_volunteers(session, TODAY, TODAY)
        lines = {ln.name: ln for ln in reports.stock_lines(session, TODAY, TODAY)}
    totals = part.totals
    assert set(totals) <= set(fmt.TOTALS_BY_KEY)
    assert (totals["volunteer_people"], totals["volunteer_minutes"],
            totals["points_earned"]) == (2, 570, 82)
    assert (totals["points_redeemed"], totals["redemptions"]) == (68, 1)
    # The reports' own numbers for the same day.
    assert sum(row[3] for row in top.rows) == pytest.approx(570 / 60)
    assert sum(row[4] for row in top.rows) == totals["points_earned"]
    restocked = sum(ln.restocked for ln in lines.values())  # fixture restocks today: 16
    assert totals["stock_in"] == restocked + 1 + 1  # + the reversal and the count's surplus
    out = sum(ln.redeemed + ln.written_off for ln in lines.values())
    assert totals["stock_out"] == out
    assert part.warnings == ()


def test_stock_reconciles_per_item_for_the_day(day) -> None:
    db, _, _ = day
    with db.read() as session:
        lines = {ln.name: ln for ln in dayexport.stock_day_lines(session, TODAY)}
    assert all(ln.reconciles for ln in lines.values())
    soap = lines["香皂"]
    assert (soap.opening, soap.stock_in, soap.stock_out, soap.closing) == (0, 11, 2, 9)


def test_yesterdays_stock_opens_today(vdb, desk, clock) -> None:
    db, s = vdb
    clock.advance(days=1)
    with db.session() as session:
        shop.write_off(session, desk, s.soap, 3, "过期")
    with db.read() as session:
        soap = next(ln for ln in dayexport.stock_day_lines(session, TODAY + dt.timedelta(days=1))
                    if ln.name == "香皂")
    assert (soap.opening, soap.stock_in, soap.stock_out, soap.closing) == (10, 0, 3, 7)


def test_warnings_name_open_sign_ins_and_stock_that_does_not_add_up(vdb, desk) -> None:
    db, s = vdb
    with db.session() as session:
        service.sign_in(session, desk, s.vol_a, s.hourly)
    with db.engine.begin() as conn:  # someone "fixes" the stock by hand
        from sqlalchemy import text

        conn.execute(text("UPDATE shop_goods SET stock = 99 WHERE name = '香皂'"))
    with db.read() as session:
        part = dayexport.day_part(session, TODAY, ExportOptions())
    codes = {w.code: w.message for w in part.warnings}
    assert set(codes) == {"volunteers.open", "volunteers.stock"}
    assert "1 位志愿者签到后未签退" in codes["volunteers.open"]
    assert "香皂" in codes["volunteers.stock"]


def test_registered_and_pdfs_come_when_asked(day) -> None:
    db, _, _ = day
    assert "frontdesk.volunteers.dayexport:day_part" in DAY_EXPORTERS
    with db.read() as session:
        part = gather_day(session, TODAY, ExportOptions(with_pdfs=True),
                          ["frontdesk.volunteers.dayexport:day_part"])
    assert set(part.pdfs) == {"volunteer_service.pdf", "points_shop_stock.pdf"}
    assert all(pdf.startswith(b"%PDF-") for pdf in part.pdfs.values())


def test_a_closed_day_refuses_changes_and_a_reopened_day_accepts(vdb, desk, admin) -> None:
    db, s = vdb
    with db.session() as session:
        service.add_record(session, desk, s.vol_a, s.tenfold, TODAY, hours=5, reason="补录")
        record = service.add_record(session, desk, s.vol_a, s.hourly, TODAY, hours=1,
                                    reason="补录")
        r = shop.redeem(session, desk, s.vol_a, [shop.BasketLine(s.soap, 1)])
        close_day(session, admin, TODAY)
    refused = [
        lambda se: service.add_record(se, desk, s.vol_a, s.hourly, TODAY, hours=1, reason="补"),
        lambda se: service.sign_in(se, desk, s.vol_b, s.hourly),
        lambda se: service.void_record(se, admin, record.id, "错"),
        lambda se: service.adjust(se, admin, s.vol_a, 5, "奖励"),
        lambda se: shop.redeem(se, desk, s.vol_a, [shop.BasketLine(s.soap, 1)]),
        lambda se: shop.reverse_redemption(se, admin, r.redemption_id, "退回"),
        lambda se: shop.restock(se, desk, s.soap, 5),
        lambda se: shop.write_off(se, desk, s.soap, 1, "坏"),
    ]
    for action in refused:
        with db.session() as session, pytest.raises(RuleError, match="已日结"):
            action(session)
    with db.read() as session:
        assert service.balance(session, s.vol_a) == 50 + 1 - 12
        assert shop.find_goods(session, "香皂").stock == 9
    with db.session() as session:
        reopen_day(session, admin, TODAY, "补录一条漏记的服务")
    with db.session() as session:
        service.add_record(session, desk, s.vol_a, s.hourly, TODAY, hours=1, reason="补录")
        shop.redeem(session, desk, s.vol_a, [shop.BasketLine(s.soap, 1)])
        assert service.balance(session, s.vol_a) == 50 + 1 + 1 - 24


def test_an_earlier_closed_day_refuses_hand_added_hours_for_it(vdb, desk, admin, clock) -> None:
    db, s = vdb
    with db.session() as session:
        close_day(session, admin, TODAY)
    clock.advance(hours=23)
    with db.session() as session, pytest.raises(RuleError, match="2026-11-22 已日结"):
        service.add_record(session, desk, s.vol_a, s.hourly, TODAY, hours=1, reason="补录")
    with db.session() as session:  # today is open
        service.add_record(session, desk, s.vol_a, s.hourly, clock.now().date(), hours=1,
                           reason="补录")
