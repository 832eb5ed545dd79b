"""Volunteers, service records and the points they earn: rules and bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from frontdesk.core import settings
from frontdesk.core.errors import PermissionDenied, RuleError
from frontdesk.volunteers import ledger, service, shop
from frontdesk.volunteers.models import PointsEntry, ServiceRecord
from tests.volunteers.conftest import add_resident

TODAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize(("minutes", "rate", "fixed", "expected"), [
    (60, 1, None, 1), (89, 1, None, 1), (90, 1, None, 2), (29, 1, None, 0), (30, 1, None, 1),
    (45, 10, None, 8), (150, 10, None, 25), (0, 10, None, 0), (10, 1, 5, 5), (0, 1, 5, 0),
])
def test_points_rounding_rule(minutes: int, rate: int, fixed: int | None, expected: int) -> None:
    assert service.points_for(minutes, rate, fixed) == expected


def test_enrol_gives_a_number_and_refuses_a_second_time(vdb, admin) -> None:
    db, s = vdb
    with db.session() as session:
        v = service.enroll(session, admin, s.res_c)
        assert v.number == "ZY000003" and v.balance == 0 and v.joined_on == TODAY
    with db.session() as session, pytest.raises(RuleError, match="已经是志愿者"):
        service.enroll(session, admin, s.res_c)


def test_find_volunteer_by_card_id_or_number_and_non_volunteer_is_told(vdb) -> None:
    db, s = vdb
    with db.read() as session:
        assert service.find_volunteer(session, "C0001").id == s.vol_a
        assert service.find_volunteer(session, "350582199001011234").id == s.vol_a
        assert service.find_volunteer(session, "zy000002").id == s.vol_b
        with pytest.raises(RuleError, match="王五 还不是志愿者"):
            service.find_volunteer(session, "C0003")


def test_hand_added_hours_earn_points_per_category(vdb, desk) -> None:
    db, s = vdb
    with db.session() as session:
        r = service.add_record(session, desk, s.vol_a, s.tenfold, TODAY, hours=1.5,
                               reason="纸质签到表补录", verified_by="张队长")
        assert (r.minutes, r.credited_minutes, r.points) == (90, 90, 15)
        assert r.source == "manual" and r.verified_by == "张队长"
        assert service.balance(session, s.vol_a) == 15


def test_activity_cap_limits_credited_hours_but_keeps_actual(vdb, desk) -> None:
    db, s = vdb
    with db.session() as session:
        r = service.add_record(session, desk, s.vol_a, s.hourly, TODAY, hours=3, reason="补录")
        assert (r.minutes, r.credited_minutes, r.points) == (180, 120, 2)


def test_fixed_points_activity(vdb, desk) -> None:
    db, s = vdb
    with db.session() as session:
        r = service.add_record(session, desk, s.vol_a, s.fixed, TODAY, hours=0.5, reason="补录")
        assert r.points == 5


def test_start_and_end_times_give_the_hours(vdb, desk) -> None:
    db, s = vdb
    with db.session() as session:
        r = service.add_record(session, desk, s.vol_a, s.tenfold, TODAY, start=dt.time(8, 30),
                               end=dt.time(10, 0), reason="补录")
        assert r.minutes == 90 and r.points == 15
        with pytest.raises(RuleError, match="结束时间必须晚于开始时间"):
            service.add_record(session, desk, s.vol_a, s.tenfold, TODAY, start=dt.time(10),
                               end=dt.time(9), reason="补录")


@pytest.mark.parametrize(("hours", "message"), [
    (-2, "必须大于 0"), (0, "必须大于 0"), (float("nan"), "必须大于 0"),
    (25, "25 小时不可能"), (None, "请填写服务时长"),
])
def test_bad_hours_are_refused_and_nothing_is_stored(vdb, desk, hours, message) -> None:
    db, s = vdb
    with db.session() as session, pytest.raises(RuleError, match=message):
        service.add_record(session, desk, s.vol_a, s.tenfold, TODAY, hours=hours, reason="补录")
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(ServiceRecord)) == 0
        assert service.balance(session, s.vol_a) == 0


def test_hours_adding_up_past_a_day_or_the_daily_cap_are_refused(vdb, desk, admin) -> None:
    db, s = vdb
    with db.session() as session:
        settings.set_value(session, admin, "volunteers.daily_cap_hours", 24)
        service.add_record(session, desk, s.vol_a, s.tenfold, TODAY, hours=20, reason="补录")
    with db.session() as session, pytest.raises(RuleError, match="超过一天 24 小时"):
        service.add_record(session, desk, s.vol_a, s.tenfold, TODAY, hours=5, reason="补录")
    with db.session() as session:
        settings.set_value(session, admin, "volunteers.daily_cap_hours", 8)
    with db.session() as session, pytest.raises(RuleError, match="每人每天最多计入 8 小时"):
        service.add_record(session, desk, s.vol_b, s.tenfold, TODAY, hours=9, reason="补录")


def test_hand_added_record_needs_a_reason_and_no_future_date(vdb, desk) -> None:
    db, s = vdb
    with db.session() as session:
        with pytest.raises(RuleError, match="必须填写原因"):
            service.add_record(session, desk, s.vol_a, s.tenfold, TODAY, hours=1, reason="  ")
        with pytest.raises(RuleError, match="不能晚于今天"):
            service.add_record(session, desk, s.vol_a, s.tenfold, TODAY + dt.timedelta(days=1),
                               hours=1, reason="补录")


def test_a_record_saved_twice_counts_once(vdb, desk) -> None:
    db, s = vdb
    for _ in range(2):  # the desk's save retried after a timeout
        with db.session() as session:
            first = service.add_record(session, desk, s.vol_a, s.tenfold, TODAY, hours=1,
                                       reason="补录", request_key="form-123")
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(ServiceRecord)) == 1
        assert session.scalar(select(func.count()).select_from(PointsEntry)) == 1
        assert service.balance(session, s.vol_a) == 10 == first.points


def test_award_is_written_once_per_record_even_when_asked_again(vdb, desk) -> None:
    db, s = vdb
    with db.session() as session:
        r = service.add_record(session, desk, s.vol_a, s.tenfold, TODAY, hours=1, reason="补录")
        again = ledger.append(session, desk, s.vol_a, "earned", 10,
                              source_key=f"service:{r.id}")
        assert again.points == 10
        assert service.balance(session, s.vol_a) == 10
        assert len(service.list_entries(session, s.vol_a)) == 1


def test_sign_in_and_out_computes_hours(vdb, desk, clock) -> None:
    db, s = vdb
    with db.session() as session:
        service.sign_in(session, desk, s.vol_a, s.tenfold)
        with pytest.raises(RuleError, match="已经签到（10:00）"):
            service.sign_in(session, desk, s.vol_a, s.fixed)
    clock.advance(hours=2, minutes=14)
    with db.session() as session:
        r = service.sign_out(session, desk, s.vol_a)
        assert (r.minutes, r.points, r.source, r.status) == (134, 22, "desk", "done")
        assert r.ended_at is not None and r.started_at is not None
        with pytest.raises(RuleError, match="没有未签退"):
            service.sign_out(session, desk, s.vol_a)


def test_desk_sign_out_past_the_daily_cap_credits_only_up_to_it(vdb, desk, clock) -> None:
    db, s = vdb
    with db.session() as session:
        service.add_record(session, desk, s.vol_a, s.tenfold, TODAY, hours=7, reason="补录")
        service.sign_in(session, desk, s.vol_a, s.tenfold)
    clock.advance(hours=2)
    with db.session() as session:
        r = service.sign_out(session, desk, s.vol_a)
    assert (r.minutes, r.credited_minutes, r.points) == (120, 60, 10)


def test_void_reverses_points_and_keeps_the_record(vdb, desk, admin) -> None:
    db, s = vdb
    with db.session() as session:
        r = service.add_record(session, desk, s.vol_a, s.tenfold, TODAY, hours=1, reason="补录")
        with pytest.raises(PermissionDenied):
            service.void_record(session, desk, r.id, "录错了")
    with db.session() as session:
        with pytest.raises(RuleError, match="必须填写原因"):
            service.void_record(session, admin, r.id, "")
        voided = service.void_record(session, admin, r.id, "录错了人")
        assert voided.status == "void"
        assert service.balance(session, s.vol_a) == 0
        kinds = [e.kind for e in service.list_entries(session, s.vol_a)]
        assert kinds == ["reversed", "earned"]
        assert ledger.verify_ledger(session).intact


def test_reversal_refused_when_the_points_were_already_spent(vdb, desk, admin) -> None:
    db, s = vdb
    with db.session() as session:
        r = service.add_record(session, desk, s.vol_a, s.tenfold, TODAY, hours=2, reason="补录")
        shop.redeem(session, desk, s.vol_a, [shop.BasketLine(s.soap, 1)])
    with db.session() as session, pytest.raises(RuleError, match="积分不足"):
        service.void_record(session, admin, r.id, "录错了")
    with db.read() as session:
        assert service.balance(session, s.vol_a) == 8
        assert service.list_records(session, s.vol_a)[0].status == "done"


def test_admin_adjustment_needs_reason_and_cannot_go_negative(vdb, desk, admin) -> None:
    db, s = vdb
    with db.session() as session:
        with pytest.raises(PermissionDenied):
            service.adjust(session, desk, s.vol_a, 5, "奖励")
        with pytest.raises(RuleError, match="必须填写原因"):
            service.adjust(session, admin, s.vol_a, 5, "")
        with pytest.raises(RuleError, match="积分不足"):
            service.adjust(session, admin, s.vol_a, -1, "扣分")
        e = service.adjust(session, admin, s.vol_a, 7, "优秀志愿者奖励")
        assert (e.kind, e.points, e.balance_after) == ("adjusted", 7, 7)
        with pytest.raises(RuleError, match="已经冲销过"):
            service.reverse_entry(session, admin, e.id, "重复")
            service.reverse_entry(session, admin, e.id, "重复")


def _actor_on(actor, day: dt.date):
    from frontdesk.core.actor import Actor
    from frontdesk.core.clock import CENTRE_TZ, FixedClock

    clock = FixedClock(dt.datetime.combine(day, dt.time(10), CENTRE_TZ))
    return Actor(actor.operator_id, actor.username, actor.display_name, actor.role, clock)


def test_expiry_at_year_end_spends_oldest_points_first(vdb, desk, admin) -> None:
    db, s = vdb
    last_year = _actor_on(desk, dt.date(2025, 6, 1))
    with db.session() as session:
        settings.set_value(session, admin, "volunteers.expiry", "year_end")
        service.add_record(session, last_year, s.vol_a, s.tenfold, dt.date(2025, 6, 1), hours=3,
                           reason="补录")  # 30 points earned in 2025
        shop.redeem(session, _actor_on(desk, dt.date(2025, 7, 1)), s.vol_a,
                    [shop.BasketLine(s.soap, 1)])  # 12 spent from them
        service.add_record(session, desk, s.vol_a, s.tenfold, TODAY, hours=1, reason="补录")
    with db.session() as session:
        assert service.expire_points(session, admin) == 18
        assert service.balance(session, s.vol_a) == 10
    with db.session() as session:  # a second run expires nothing more
        assert service.expire_points(session, admin) == 0
        assert ledger.verify_ledger(session).intact


def test_expiry_after_n_years_and_none(vdb, desk, admin) -> None:
    db, s = vdb
    with db.session() as session:
        service.add_record(session, _actor_on(desk, dt.date(2023, 11, 1)), s.vol_b, s.tenfold,
                           dt.date(2023, 11, 1), hours=1, reason="补录")
        service.add_record(session, _actor_on(desk, dt.date(2024, 1, 5)), s.vol_b, s.tenfold,
                           dt.date(2024, 1, 5), hours=1, reason="补录")
        assert service.expire_points(session, admin) == 0  # default: never expire
        settings.set_value(session, admin, "volunteers.expiry", "years")
        settings.set_value(session, admin, "volunteers.expiry_years", 3)
        assert service.expiry_date(session, dt.date(2023, 11, 1)) == dt.date(2026, 10, 31)
        assert service.expire_points(session, admin) == 10
        assert service.balance(session, s.vol_b) == 10


def test_enrol_of_unknown_resident_and_bad_team(vdb, admin) -> None:
    db, _s = vdb
    r = add_resident(db, admin, "赵六", "C0009")
    with db.session() as session:
        with pytest.raises(RuleError, match="没有这位居民"):
            service.enroll(session, admin, 9999)
        with pytest.raises(RuleError, match="没有这个志愿服务队"):
            service.enroll(session, admin, r, team_id=999)
