"""The points shop: stock movements, redemptions, reversals, and two desks at once."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select

from frontdesk.core.db import Database
from frontdesk.core.errors import PermissionDenied, RuleError
from frontdesk.volunteers import ledger, reports, service, shop
from frontdesk.volunteers.models import PointsEntry, Redemption, StockMovement

TODAY = dt.date(2026, 11, 22)


def _give(db, desk, vid, activity, hours):
    with db.session() as session:
        service.add_record(session, desk, vid, activity, TODAY, hours=hours, reason="补录")


def _state(db, s):
    with db.read() as session:
        goods = {g.name: g.stock for g in shop.list_goods(session)}
        return (service.balance(session, s.vol_a), goods,
                session.scalar(select(func.count()).select_from(Redemption)),
                session.scalar(select(func.count()).select_from(PointsEntry)),
                session.scalar(select(func.count()).select_from(StockMovement)))


def test_redeem_a_basket_changes_points_and_stock_together(vdb, desk) -> None:
    db, s = vdb
    _give(db, desk, s.vol_a, s.tenfold, 8)  # 80 points
    with db.session() as session:
        rec = shop.redeem(session, desk, s.vol_a, [
            shop.BasketLine(s.soap, 2), shop.BasketLine(s.rice, 1), shop.BasketLine(s.soap, 1)])
    assert rec.number == "DH20261122-0001"
    assert [(ln.name, ln.quantity, ln.points) for ln in rec.lines] == [("香皂", 3, 36),
                                                                      ("大米", 1, 44)]
    assert (rec.total_points, rec.balance_before, rec.balance_after) == (80, 80, 0)
    assert rec.volunteer_name == "张三" and rec.centre_name == "测试邻里中心"
    balance, goods, *_ = _state(db, s)
    assert balance == 0 and goods["香皂"] == 7 and goods["大米"] == 4


@pytest.mark.parametrize(("basket", "message"), [
    ([("wok", 2)], "库存不足"), ([("rice", 3)], "积分不足"), ([], "清单是空的"),
    ([("soap", 0)], "数量应为"), ([("soap", -1)], "数量应为"),
])
def test_short_points_or_stock_refuse_and_change_nothing(vdb, desk, basket, message) -> None:
    db, s = vdb
    _give(db, desk, s.vol_a, s.tenfold, 8)  # 80 points
    before = _state(db, s)
    lines = [shop.BasketLine(getattr(s, name), qty) for name, qty in basket]
    with db.session() as session, pytest.raises(RuleError, match=message):
        shop.redeem(session, desk, s.vol_a, lines)
    assert _state(db, s) == before


def test_stock_movements_need_reasons_and_keep_stock_non_negative(vdb, desk, admin) -> None:
    db, s = vdb
    with db.session() as session:
        with pytest.raises(RuleError, match="报损必须填写原因"):
            shop.write_off(session, desk, s.soap, 1, "")
        with pytest.raises(RuleError, match="库存不足"):
            shop.write_off(session, desk, s.soap, 11, "受潮")
        assert shop.write_off(session, desk, s.soap, 2, "受潮").stock == 8
        with pytest.raises(RuleError, match="盘点调整必须填写原因"):
            shop.count_stock(session, desk, s.soap, 5, "")
        with pytest.raises(RuleError, match="不能为负数"):
            shop.count_stock(session, desk, s.soap, -1, "盘点")
        assert shop.count_stock(session, desk, s.soap, 6, "月末盘点少 2 块").stock == 6
        with pytest.raises(PermissionDenied):
            shop.add_goods(session, desk, "毛巾", 15)
        with pytest.raises(RuleError, match="已有名为"):
            shop.add_goods(session, admin, "香皂", 15)


def test_reversal_brings_points_and_stock_back_once(vdb, desk, admin) -> None:
    db, s = vdb
    _give(db, desk, s.vol_a, s.tenfold, 5)
    with db.session() as session:
        rec = shop.redeem(session, desk, s.vol_a, [shop.BasketLine(s.wok, 1)])
        with pytest.raises(PermissionDenied):
            shop.reverse_redemption(session, desk, rec.redemption_id, "拿错了")
    with db.session() as session:
        back = shop.reverse_redemption(session, admin, rec.redemption_id, "物品有破损，退回")
        assert back.reversed
        with pytest.raises(RuleError, match="已经冲销过"):
            shop.reverse_redemption(session, admin, rec.redemption_id, "再退")
    balance, goods, *_ = _state(db, s)
    assert balance == 50 and goods["炒锅"] == 1
    with db.read() as session:
        assert ledger.verify_ledger(session).intact
        line = next(ln for ln in reports.stock_lines(session, TODAY, TODAY) if ln.name == "炒锅")
        assert (line.restocked, line.redeemed, line.returned, line.closing) == (1, 1, 1, 1)
        assert line.reconciles


def test_redeem_retried_with_the_same_key_happens_once(vdb, desk) -> None:
    db, s = vdb
    _give(db, desk, s.vol_a, s.tenfold, 5)
    for _ in range(2):
        with db.session() as session:
            shop.redeem(session, desk, s.vol_a, [shop.BasketLine(s.soap, 1)], request_key="k1")
    balance, goods, redemptions, *_ = _state(db, s)
    assert (balance, goods["香皂"], redemptions) == (38, 9, 1)


def _race(db_url: str, desk, targets) -> list[str]:
    """Run one redemption per target on its own connection, released at the same moment."""
    barrier = threading.Barrier(len(targets))
    outcomes: list[str] = []

    def desk_pc(vid: int, goods_id: int) -> None:
        database = Database(db_url)  # a second desk: its own engine and connection
        try:
            barrier.wait()
            with database.session() as session:
                shop.redeem(session, desk, vid, [shop.BasketLine(goods_id, 1)])
            outcomes.append("ok")
        except RuleError as exc:
            outcomes.append(exc.message)
        finally:
            database.dispose()

    threads = [threading.Thread(target=desk_pc, args=t) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcomes


def test_two_desks_redeeming_the_last_item_exactly_one_wins(vdb, desk) -> None:
    db, s = vdb
    _give(db, desk, s.vol_a, s.tenfold, 5)
    _give(db, desk, s.vol_b, s.tenfold, 5)
    outcomes = _race(db.url, desk, [(s.vol_a, s.wok), (s.vol_b, s.wok)])
    assert sorted(outcomes, key=len) == ["ok", "“炒锅”库存不足：现有 0，需要 1。"]
    with db.read() as session:
        assert shop.find_goods(session, "炒锅").stock == 0
        assert service.balance(session, s.vol_a) + service.balance(session, s.vol_b) == 60
        assert ledger.verify_ledger(session).intact


def test_two_desks_spending_the_last_points_exactly_one_wins(vdb, desk) -> None:
    db, s = vdb
    _give(db, desk, s.vol_a, s.hourly, 2)  # 2 points
    _give(db, desk, s.vol_a, s.tenfold, 1)  # + 10 = 12 points: exactly one soap
    outcomes = _race(db.url, desk, [(s.vol_a, s.soap), (s.vol_a, s.soap)])
    assert outcomes.count("ok") == 1
    assert any("积分不足" in o for o in outcomes)
    with db.read() as session:
        assert service.balance(session, s.vol_a) == 0
        assert shop.find_goods(session, "香皂").stock == 9
        assert ledger.verify_ledger(session).intact


def test_stock_edited_behind_the_programs_back_is_reported(vdb) -> None:
    from sqlalchemy import text

    db, _ = vdb
    with db.read() as session:
        assert shop.stock_problems(session) == []
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE shop_goods SET stock = 3 WHERE name = '大米'"))
    with db.read() as session:
        assert shop.stock_problems(session) == ["“大米”库存 3 与出入库记录合计 5 不符"]
