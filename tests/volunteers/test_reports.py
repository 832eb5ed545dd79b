"""Statements, the certificate's data, reports that reconcile, and their exports."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from frontdesk.core import settings
from frontdesk.core.audit import AuditEntry
from frontdesk.core.errors import PermissionDenied, RuleError
from frontdesk.volunteers import reports, service, shop

TODAY = dt.date(2026, 11, 22)
YEAR = (dt.date(2026, 1, 1), TODAY)


@pytest.fixture
def served(vdb, desk, admin):
    db, s = vdb
    with db.session() as session:
        service.add_record(session, desk, s.vol_a, s.tenfold, dt.date(2026, 10, 3), hours=2,
                           reason="补录")
        service.add_record(session, desk, s.vol_a, s.hourly, TODAY, hours=1.5, reason="补录")
        service.add_record(session, desk, s.vol_b, s.tenfold, TODAY, hours=5, reason="补录")
        shop.redeem(session, desk, s.vol_a, [shop.BasketLine(s.soap, 1)])
        shop.redeem(session, desk, s.vol_b, [shop.BasketLine(s.rice, 1)])
        shop.write_off(session, desk, s.soap, 1, "受潮")
        service.adjust(session, admin, s.vol_b, 3, "奖励")
        settings.set_value(session, admin, "volunteers.certificate_head", "王主任")
        settings.set_value(session, admin, "volunteers.certificate_contact", "0595-85601234")
    return db, s


def test_statement_totals(served) -> None:
    db, s = served
    with db.read() as session:
        st = reports.statement(session, s.vol_a, *YEAR)
        assert st.total_minutes == 210 and len(st.services) == 2
        assert (st.points_earned, st.points_redeemed, st.points_other) == (22, 12, 0)
        assert st.balance_now == 10
        october = reports.statement(session, s.vol_a, dt.date(2026, 10, 1),
                                    dt.date(2026, 10, 31))
        assert october.total_minutes == 120 and october.points_redeemed == 0
        with pytest.raises(RuleError, match="开始日期不能晚于结束日期"):
            reports.statement(session, s.vol_a, TODAY, dt.date(2026, 1, 1))


def test_certificate_has_every_field_and_a_new_number_each_time(served, desk, admin) -> None:
    db, s = served
    with db.session() as session:
        cert = reports.issue_certificate(session, desk, s.vol_a, *YEAR)
        again = reports.issue_certificate(session, admin, s.vol_a, *YEAR, full_id=True)
    assert cert.number == "ZYZM2026-00001" and again.number == "ZYZM2026-00002"
    # Masked by default (PIPL); the full number only for an admin who asks, and logged.
    assert (cert.name, cert.id_type, cert.id_number) == ("张三", "居民身份证",
                                                         "350582********1234")
    assert again.id_number == "350582199001011234"
    with db.read() as session:
        shown = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "resident.id_shown")).all()
    assert [e.operator_username for e in shown] == [admin.username]
    with db.session() as session, pytest.raises(PermissionDenied):
        reports.issue_certificate(session, desk, s.vol_a, *YEAR, full_id=True)
    assert cert.volunteer_number == "ZY000001" and cert.total_hours == 3.5
    assert cert.service_content == ("垃圾分类宣传 2 小时", "助老陪伴 1.5 小时")
    assert (cert.issuer, cert.head, cert.handler, cert.contact) == (
        "测试邻里中心", "王主任", "林前台", "0595-85601234")
    assert cert.issued_on == TODAY
    with db.session() as session, pytest.raises(RuleError, match="没有服务记录"):
        reports.issue_certificate(session, desk, s.vol_a, dt.date(2020, 1, 1),
                                  dt.date(2020, 12, 31))


def test_reports_add_up(served) -> None:
    db, _ = served
    with db.read() as session:
        by_team = reports.hours_by_team_month(session, *YEAR)
        assert by_team.rows == (("党员先锋服务队", "2026-10", 2.0, 20, 1),
                                ("党员先锋服务队", "2026-11", 1.5, 2, 1),
                                ("未分队", "2026-11", 5.0, 50, 1))  # the same on every database
        top = reports.top_volunteers(session, *YEAR)
        assert [r[2] for r in top.rows] == ["李四", "张三"]
        liability = reports.points_liability(session)
        assert liability.rows == (("ZY000001", "张三", 10), ("ZY000002", "李四", 9),
                                  ("合计", "", 19))
        by_item = reports.redemptions_by_item(session, *YEAR)
        assert by_item.rows == (("大米", 1, 44, 1), ("香皂", 1, 12, 1))


def test_stock_reconciles_opening_in_out_closing(served, desk) -> None:
    db, _s = served
    with db.read() as session:
        soap = next(ln for ln in reports.stock_lines(session, *YEAR) if ln.name == "香皂")
        assert (soap.opening, soap.restocked, soap.redeemed, soap.written_off, soap.closing) == (
            0, 10, 1, 1, 8)
        assert soap.reconciles
        later = next(ln for ln in reports.stock_lines(session, dt.date(2026, 12, 1),
                                                      dt.date(2026, 12, 31)) if ln.name == "香皂")
        assert (later.opening, later.closing) == (8, 8) and later.reconciles
        assert all(row[-1] == "相符" for row in reports.stock_report(session, *YEAR).rows)


def test_xlsx_and_csv_exports(served, tmp_path) -> None:
    db, _ = served
    with db.read() as session:
        all_reports = reports.all_reports(session, *YEAR)
    path = reports.write_xlsx(all_reports, tmp_path / "志愿积分报表.xlsx")
    wb = load_workbook(path)
    assert len(wb.sheetnames) == 5
    sheet = wb[wb.sheetnames[4]]
    assert [c.value for c in sheet[1]] == ["物品", "数量", "积分", "兑换次数"]
    assert [c.value for c in sheet[2]] == ["大米", 1, 44, 1]
    data = reports.to_csv(all_reports[4])
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines()[1] == "大米,1,44,1"

