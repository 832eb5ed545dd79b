"""The daily sheet, receipt and monthly claim data; the claim reconciles with the tickets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from frontdesk.canteen import reports
from frontdesk.canteen import service as svc
from frontdesk.core.audit import query_audit
from frontdesk.core.clock import FixedClock
from frontdesk.core.errors import RuleError
from tests.canteen.conftest import Canteen


@pytest.fixture
def noon(clock: FixedClock) -> FixedClock:
    clock.moment = clock.moment.replace(hour=11, minute=30)
    return clock


def test_daily_sheet_rows_totals_and_cash_box(centre_db, desk, canteen: Canteen, noon) -> None:
    with centre_db.session() as session:
        a = svc.issue_ticket(session, desk, resident_id=canteen.aged85, payment="wechat")
        svc.issue_ticket(session, desk, resident_id=canteen.poor65, collector="儿子")
        svc.issue_ticket(session, desk, resident_id=None, diner_kind="staff", diner_name="厨师")
        v = svc.issue_ticket(session, desk, resident_id=canteen.aged70)
        svc.void_ticket(session, desk, v.id, "退餐")
        svc.issue_ticket(session, desk, resident_id=canteen.aged70, meal_type="delivery")
    with centre_db.read() as session:
        sheet = reports.daily_sheet(session, desk.today())
    assert [r.seq for r in sheet.rows] == [1, 2, 3, 4]
    assert [r.name for r in sheet.rows] == ["陈阿婆", "黄婶", "厨师", "林伯"]
    names = [f.name for f in sheet.funders]
    assert names == ["政府补助", "村级/社区", "慈善"]
    gov = names.index("政府补助")
    # 85: gov 700 village 200 self 300; 低保 65: self 100 gov 1100; staff 1200; 70: 500+200.
    assert [r.shares[gov] for r in sheet.rows] == [700, 1100, 0, 500]
    assert sheet.funder_totals == (2300, 400, 0)
    assert sheet.self_pay_total_fen == 300 + 100 + 1200 + 500
    assert sheet.price_total_fen == 4 * 1200
    assert sheet.price_total_fen == sum(sheet.funder_totals) + sheet.self_pay_total_fen
    cash = {c.payment: (c.count, c.amount_fen) for c in sheet.cash_box}
    assert cash == {"现金": (3, 1800), "微信": (1, 300)}
    assert sheet.voided_count == 1 and sheet.staff_count == 1 and sheet.subsidised_count == 3
    assert sheet.rows[1].collector == "儿子" and sheet.rows[3].delivery
    assert sheet.rows[2].category == "工作人员"
    with centre_db.session() as session:
        r = reports.receipt(session, a.id)
        assert not r.reprint and r.payment == "微信" and r.self_pay_fen == 300
        assert ("政府补助", 700) in r.shares and "红烧肉" in r.menu
        assert r.centre_name == "测试邻里中心"
        svc.mark_printed(session, desk, a.id)
    with centre_db.read() as session:
        assert reports.receipt(session, a.id).reprint


def test_claim_leaves_out_voided_staff_and_full_price_and_writes_xlsx(
        centre_db, desk, admin, canteen: Canteen, noon, tmp_path: Path) -> None:
    with centre_db.session() as session:
        svc.issue_ticket(session, desk, resident_id=canteen.aged85)
        svc.issue_ticket(session, desk, resident_id=canteen.aged85)  # second: full price
        svc.issue_ticket(session, desk, resident_id=canteen.migrant70)  # no rule
        svc.issue_ticket(session, desk, resident_id=None, diner_kind="volunteer",
                         diner_name="志愿者小李")
        v = svc.issue_ticket(session, desk, resident_id=canteen.aged70)
        svc.void_ticket(session, desk, v.id, "退餐")
        svc.issue_ticket(session, desk, resident_id=canteen.poor65, meal_type="delivery")
    with centre_db.session() as session:
        claim = reports.monthly_claim(session, admin, "2026-11")
    assert [r.name for r in claim.rows] == ["陈阿婆", "黄婶"]
    assert claim.rows[1].delivery and claim.total.meals == 2
    gov = [f.name for f in claim.funders].index("政府补助")
    assert claim.total.shares[gov] == 700 + 1100
    assert {c.label: c.meals for c in claim.categories} == {"高龄老人（80岁以上）": 1,
                                                           "困难老人": 1}
    out = reports.write_claim_xlsx(claim, tmp_path / "claim.xlsx")
    wb = load_workbook(out)
    detail = list(wb[wb.sheetnames[0]].iter_rows(min_row=3, values_only=True))
    assert detail[0][2] == "陈阿婆" and round(detail[0][7] * 100) == 700
    assert isinstance(detail[0][0], dt.datetime)  # a real date cell, not text
    assert detail[-1][0] == "合计" and round(detail[-1][6] * 100) == 2400
    with centre_db.read() as session:
        assert any(r.action == "canteen.claim" for r in query_audit(session))
    with centre_db.session() as session, pytest.raises(RuleError) as caught:
        reports.monthly_claim(session, admin, "2026/11")
    assert "2026-11" in caught.value.message


KINDS = st.sampled_from(["aged85", "aged70", "poor65", "migrant70", "no_birth", "staff"])


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=st.lists(st.tuples(st.integers(0, 27), KINDS, st.sampled_from(
    ["dine_in", "delivery"]), st.booleans(), st.integers(1000, 2500)), min_size=1, max_size=25))
def test_claim_sums_reconcile_exactly_with_the_tickets(centre_db, admin, canteen: Canteen,
                                                       clock: FixedClock, plan) -> None:
    from sqlalchemy import delete

    from frontdesk.canteen.models import MealDay, MealTicket, TicketShare

    with centre_db.session() as session:  # hypothesis reuses the fixture: start clean
        session.execute(delete(TicketShare))
        session.execute(delete(MealTicket))
        session.execute(delete(MealDay))
    issued: list[svc.TicketInfo] = []
    for day_no, who, meal_type, void, price in sorted(plan, key=lambda p: p[0]):
        clock.moment = dt.datetime(2026, 11, 1 + day_no, 11, 30, tzinfo=clock.moment.tzinfo)
        with centre_db.session() as session:
            svc.set_day(session, admin, canteen.lunch, admin.today(), price_fen=price)
            kind = "staff" if who == "staff" else "elder"
            t = svc.issue_ticket(session, admin, resident_id=None if kind == "staff" else
                                 getattr(canteen, who), diner_kind=kind, diner_name="员工",
                                 meal_type=meal_type)
            if void:
                t = svc.void_ticket(session, admin, t.id, "测试退餐")
            issued.append(t)
    with centre_db.session() as session:
        claim = reports.monthly_claim(session, admin, "2026-11")
    claimed = [t for t in issued if t.subsidised and not t.voided and t.diner_kind == "elder"]
    assert claim.total.meals == len(claimed) == len(claim.rows)
    assert claim.total.price_fen == sum(t.price_fen for t in claimed)
    assert claim.total.self_pay_fen == sum(t.self_pay_fen for t in claimed)
    for i, f in enumerate(claim.funders):
        expected = sum(t.share_of(f.id) for t in claimed)
        assert claim.total.shares[i] == expected
        assert sum(c.shares[i] for c in claim.categories) == expected
        assert sum(e.shares[i] for e in claim.elders) == expected
    assert claim.total.price_fen == sum(claim.total.shares) + claim.total.self_pay_fen


def test_route_sheet_groups_deliveries_with_address_and_phone(centre_db, desk,
                                                              canteen: Canteen, noon) -> None:
    with centre_db.session() as session:
        svc.issue_ticket(session, desk, resident_id=canteen.aged85, meal_type="delivery",
                         route="二组")
        t = svc.issue_ticket(session, desk, resident_id=canteen.aged70, meal_type="delivery",
                             route="一组", collector="邻居")
        svc.issue_ticket(session, desk, resident_id=canteen.poor65)  # dine-in: not on it
        svc.mark_delivery(session, desk, t.id, "not_home")
    with centre_db.read() as session:
        sheet = reports.route_sheet(session, desk.today())
    assert [name for name, _ in sheet.routes] == ["一组", "二组"]
    stop = sheet.routes[0][1][0]
    assert stop.name == "林伯" and stop.address == "桂山村 1 号" and stop.phone == "13800000000"
    assert stop.status == "不在家" and stop.collector == "邻居" and stop.seq == 1
