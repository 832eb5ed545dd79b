"""The canteen in the day close: the 就餐 rows and totals, warnings, the day lock, activity."""

from __future__ import annotations

import datetime as dt

import pytest

from frontdesk.canteen import reports
from frontdesk.canteen import service as svc
from frontdesk.canteen.dayexport import day_part, funder_column, recent_meals
from frontdesk.core.clock import FixedClock
from frontdesk.core.errors import RuleError
from frontdesk.dayclose import format as fmt
from frontdesk.dayclose.registry import DAY_EXPORTERS, ExportOptions, gather_day
from frontdesk.dayclose.service import close_day, reopen_day
from frontdesk.residents.activity import recent_activity
from frontdesk.residents.models import Resident
from tests.canteen.conftest import Canteen

ID_85 = "350582194103011234"
COLUMNS = [c.name for c in fmt.SHEETS_BY_NAME[fmt.MEALS].columns]


@pytest.fixture
def noon(clock: FixedClock) -> FixedClock:
    clock.moment = clock.moment.replace(hour=11, minute=30)
    return clock


@pytest.fixture
def lunch(centre_db, desk, canteen: Canteen, noon) -> dict[str, int]:
    """A lunch: two elders (one delivered, not marked), a 代领, a staff meal, a void."""
    with centre_db.session() as session:
        session.get(Resident, canteen.aged85).id_number = ID_85
        a = svc.issue_ticket(session, desk, resident_id=canteen.aged85, payment="wechat")
        b = svc.issue_ticket(session, desk, resident_id=canteen.poor65, collector="儿子",
                             meal_type="delivery", route="一组")
        s = svc.issue_ticket(session, desk, resident_id=None, diner_kind="staff",
                             diner_name="厨师")
        v = svc.issue_ticket(session, desk, resident_id=canteen.aged70)
        svc.void_ticket(session, desk, v.id, "退餐")
    return {"a": a.id, "b": b.id, "staff": s.id, "void": v.id}


def test_meal_rows_follow_the_export_format(centre_db, desk, canteen: Canteen, lunch) -> None:
    assert "frontdesk.canteen.dayexport:day_part" in DAY_EXPORTERS
    with centre_db.read() as session:
        part = day_part(session, desk.today(), ExportOptions())
    rows = [dict(zip(COLUMNS, r, strict=True)) for r in part.sheets[fmt.MEALS]]
    assert [r["姓名"] for r in rows] == ["陈阿婆", "黄婶", "厨师", "林伯"]
    a, b, staff, void = rows
    assert a["证件号"] == "350582********1234" and a["年龄"] == 85
    assert (a["价格"], a["政府补助"], a["村(社区)补助"], a["慈善"], a["自付"]) == (
        1200, 700, 200, 0, 300)
    assert a["支付方式"] == "微信" and a["类别"] == "高龄老人（80岁以上）"
    assert a["经办人"] == desk.display_name and a["状态"] == "有效"
    assert isinstance(a["时间"], dt.datetime) and a["时间"].tzinfo is not None
    assert b["送餐"] is True and b["送达结果"] == "" and b["代领人"] == "儿子"
    assert b["类型"] == "送餐"
    assert staff["类别"] == "工作人员" and staff["政府补助"] == 0 and staff["自付"] == 1200
    assert void["状态"] == "已作废" and void["作废原因"] == "退餐"
    for r in rows:
        assert r["价格"] == r["政府补助"] + r["村(社区)补助"] + r["慈善"] + r["自付"]
    with centre_db.read() as session:
        full = day_part(session, desk.today(), ExportOptions(full_id_numbers=True))
    assert full.sheets[fmt.MEALS][0][COLUMNS.index("证件号")] == ID_85


def test_totals_match_the_daily_sheet_and_the_cash_box(centre_db, desk, canteen: Canteen,
                                                       lunch) -> None:
    with centre_db.read() as session:
        part = gather_day(session, desk.today(), ExportOptions(),
                          ["frontdesk.canteen.dayexport:day_part"])
        sheet = reports.daily_sheet(session, desk.today())
    t = part.totals
    assert t["meals"] == len(sheet.rows) == 3
    assert t["meals_subsidised"] == sheet.subsidised_count == 2
    assert t["meals_delivered"] == 1
    assert t["meal_price_fen"] == sheet.price_total_fen
    names = [f.name for f in sheet.funders]
    assert t["meal_gov_fen"] == sheet.funder_totals[names.index("政府补助")]
    assert t["meal_village_fen"] == sheet.funder_totals[names.index("村级/社区")]
    assert t["meal_self_fen"] == sheet.self_pay_total_fen
    assert t["meal_price_fen"] == (t["meal_gov_fen"] + t["meal_village_fen"]
                                   + t["meal_charity_fen"] + t["meal_self_fen"])
    cash = {c.payment: c.amount_fen for c in sheet.cash_box}
    assert part.expected_payments == {"wechat": cash["微信"], "cash": cash["现金"]}
    assert t["cash_cash_fen"] == 1300 and t["cash_wechat_fen"] == 300


def test_warnings_for_unmarked_and_not_home_deliveries(centre_db, desk, canteen: Canteen,
                                                       lunch) -> None:
    with centre_db.read() as session:
        codes = [w.code for w in day_part(session, desk.today(), ExportOptions()).warnings]
    assert codes == ["canteen.delivery.unmarked"]
    with centre_db.session() as session:
        svc.mark_delivery(session, desk, lunch["b"], "not_home", "敲门无人应答")
        part = day_part(session, desk.today(), ExportOptions())
    assert [w.code for w in part.warnings] == ["canteen.delivery.not_home"]
    assert "黄婶" in part.warnings[0].message
    assert part.sheets[fmt.MEALS][1][COLUMNS.index("送达结果")] == "不在家"
    with centre_db.session() as session:
        svc.record_follow_up(session, desk, lunch["b"], "已电话联系，次日补送")
        assert day_part(session, desk.today(), ExportOptions()).warnings == ()


def test_pdfs_only_when_asked_and_identical_on_re_export(centre_db, desk, lunch) -> None:
    with centre_db.read() as session:
        assert day_part(session, desk.today(), ExportOptions()).pdfs == {}
        first = day_part(session, desk.today(), ExportOptions(with_pdfs=True)).pdfs
        again = day_part(session, desk.today(), ExportOptions(with_pdfs=True)).pdfs
    assert sorted(first) == ["canteen_daily_sheet.pdf", "canteen_route_sheet.pdf"]
    assert first == again and all(p.startswith(b"%PDF-") for p in first.values())


def test_funder_names_map_to_the_export_columns() -> None:
    assert funder_column("政府补助") == 0 and funder_column("区级财政") == 0
    assert funder_column("村级/社区") == 1 and funder_column("社区基金") == 1
    assert funder_column("慈善") == 2 and funder_column("爱心企业捐赠") == 2
    assert funder_column("某某公司") is None


def test_a_closed_day_refuses_canteen_changes_and_a_reopened_day_accepts(
        centre_db, admin, desk, canteen: Canteen, lunch) -> None:
    today = desk.today()
    with centre_db.session() as session:
        close_day(session, admin, today, counted_cash={"cash": 1300, "wechat": 300},
                  acknowledged=["canteen.delivery.unmarked"])
    attempts = [
        lambda s: svc.issue_ticket(s, desk, resident_id=canteen.aged70),
        lambda s: svc.void_ticket(s, admin, lunch["a"], "错录"),
        lambda s: svc.mark_delivery(s, desk, lunch["b"], "signed"),
        lambda s: svc.set_day(s, admin, canteen.lunch, today, menu="改菜单"),
    ]
    for attempt in attempts:
        with pytest.raises(RuleError, match="已日结"), centre_db.session() as session:
            attempt(session)
    with centre_db.read() as session:
        assert len(svc.list_tickets(session, today)) == 4
        assert not svc.get_ticket(session, lunch["a"]).voided
    with centre_db.session() as session:
        reopen_day(session, admin, today, "补录一份午餐")
        svc.issue_ticket(session, desk, resident_id=canteen.aged70)
        svc.mark_delivery(session, desk, lunch["b"], "signed")
    with centre_db.read() as session:
        assert len(svc.list_tickets(session, today)) == 5


def test_pre_orders_of_a_closed_day_are_locked(centre_db, admin, desk,
                                               canteen: Canteen, clock) -> None:
    tomorrow = desk.today() + dt.timedelta(days=1)
    with centre_db.session() as session:
        order = svc.add_pre_order(session, desk, day=tomorrow, session_id=canteen.lunch,
                                  resident_id=canteen.aged85)
    clock.moment += dt.timedelta(days=1)
    with centre_db.session() as session:
        close_day(session, admin, tomorrow)
    with pytest.raises(RuleError, match="已日结"), centre_db.session() as session:
        svc.cancel_pre_order(session, desk, order.id, "不来了")


def test_a_residents_record_shows_their_meals(centre_db, desk, canteen: Canteen,
                                             lunch) -> None:
    with centre_db.read() as session:
        mine = recent_meals(session, canteen.poor65, 10)
        everything = recent_activity(session, canteen.aged70)
    assert len(mine) == 1 and "儿子 代领" in mine[0].summary and mine[0].area == "长者食堂"
    assert any("已作废" in item.summary and item.area == "长者食堂" for item in everything)
