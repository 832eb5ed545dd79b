"""Canteen services on a real SQLite file: tickets, caps, races, voids, delivery, pre-orders."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import func, select

from frontdesk.canteen import service as svc
from frontdesk.canteen.models import MealTicket
from frontdesk.core.actor import Actor
from frontdesk.core.audit import AuditEntry
from frontdesk.core.clock import FixedClock
from frontdesk.core.db import Database
from frontdesk.core.errors import PermissionDenied, RuleError
from tests.canteen.conftest import Canteen

NOON = dt.datetime(2026, 11, 22, 11, 30)


@pytest.fixture
def noon(clock: FixedClock) -> FixedClock:
    clock.moment = clock.moment.replace(hour=11, minute=30)
    return clock


def issue(db: Database, actor: Actor, resident_id: int | None, **kw: object) -> svc.TicketInfo:
    with db.session() as session:
        return svc.issue_ticket(session, actor, resident_id=resident_id, **kw)  # type: ignore[arg-type]


def test_scan_issues_a_ticket_with_the_split_copied(centre_db, desk, canteen: Canteen,
                                                     noon) -> None:
    with centre_db.session() as session:
        t = svc.issue_from_scan(session, desk, " c0001 ")
    assert t.session_name == "午餐" and t.number == "20261122-0001"
    assert t.subsidised and t.price_fen == 1200 and t.self_pay_fen == 300
    assert t.share_of(canteen.gov) == 700 and t.share_of(canteen.village) == 200
    assert t.category == "高龄老人（80岁以上）" and "85" in t.rule_reason
    with centre_db.read() as session:
        actions = list(session.scalars(select(AuditEntry.action)))
    assert "canteen.ticket.issue" in actions


def test_a_second_subsidised_meal_is_full_price_unless_an_admin_overrides(
        centre_db, desk, admin, canteen: Canteen, noon) -> None:
    first = issue(centre_db, desk, canteen.aged70)
    second = issue(centre_db, desk, canteen.aged70)
    assert first.subsidised and first.self_pay_fen == 500
    assert not second.subsidised and second.self_pay_fen == 1200 and "全价" in second.rule_reason
    with pytest.raises(PermissionDenied):
        issue(centre_db, desk, canteen.aged70, override_reason="替老伴代领")
    third = issue(centre_db, admin, canteen.aged70, override_reason="老伴卧床，代领第二份")
    assert third.subsidised and third.override_reason == "老伴卧床，代领第二份"
    # Dinner is another session: subsidised again.
    assert issue(centre_db, desk, canteen.aged70, session_id=canteen.dinner).subsidised


def test_void_frees_the_subsidised_place(centre_db, desk, canteen: Canteen, noon) -> None:
    t = issue(centre_db, desk, canteen.aged70)
    with centre_db.session() as session, pytest.raises(RuleError):
        svc.void_ticket(session, desk, t.id, "  ")
    with centre_db.session() as session:
        voided = svc.void_ticket(session, desk, t.id, "点错了人")
    assert voided.voided and voided.void_reason == "点错了人"
    with centre_db.session() as session, pytest.raises(RuleError) as caught:
        svc.void_ticket(session, desk, t.id, "again")
    assert "已经作废" in caught.value.message
    assert issue(centre_db, desk, canteen.aged70).subsidised


def test_the_database_itself_refuses_two_live_subsidised_tickets_in_one_slot(
        centre_db, desk, canteen: Canteen, noon) -> None:
    t = issue(centre_db, desk, canteen.aged70)
    with pytest.raises(sa_exc.IntegrityError), centre_db.session() as session:
        row = session.get(MealTicket, t.id)
        assert row is not None
        copy = MealTicket(**{c.key: getattr(row, c.key) for c in MealTicket.__table__.columns
                             if c.key not in {"id", "number"}}, number="X-1")
        session.add(copy)
        session.flush()


def test_two_desks_issuing_the_same_elders_lunch_at_once_exactly_one_succeeds(
        centre_db, desk, canteen: Canteen, noon) -> None:
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def desk_issues() -> None:
        other = Database(centre_db.url)
        barrier.wait()
        try:
            outcomes.append(issue(other, desk, canteen.aged85, expect_subsidised=True))
        except RuleError as exc:
            outcomes.append(exc)
        finally:
            other.dispose()

    threads = [threading.Thread(target=desk_issues) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    tickets = [o for o in outcomes if isinstance(o, svc.TicketInfo)]
    refusals = [o for o in outcomes if isinstance(o, RuleError)]
    assert len(tickets) == 1 and len(refusals) == 1
    assert "重新扫码" in refusals[0].message
    with centre_db.read() as session:
        assert session.scalar(select(func.count()).select_from(MealTicket)) == 1


def test_capacity_and_closed_sessions_are_refused(centre_db, desk, admin, canteen: Canteen,
                                                  noon) -> None:
    with centre_db.session() as session:
        svc.set_day(session, admin, canteen.lunch, desk.today(), capacity=1)
    issue(centre_db, desk, canteen.aged70)
    with pytest.raises(RuleError) as caught:
        issue(centre_db, desk, canteen.aged85)
    assert "已满" in caught.value.message and "1" in caught.value.message
    with centre_db.session() as session:
        svc.set_day(session, desk, canteen.dinner, desk.today(), closed=True)
    with pytest.raises(RuleError) as caught:
        issue(centre_db, desk, canteen.aged85, session_id=canteen.dinner)
    assert "停止供餐" in caught.value.message
    with centre_db.read() as session:
        assert len(svc.list_tickets(session, desk.today())) == 1  # nothing else written


def test_price_below_the_subsidy_sum_is_refused_and_nothing_written(
        centre_db, desk, admin, canteen: Canteen, noon) -> None:
    # A day's price below what a rule pays would refuse every such elder at the counter:
    # it is refused when it is set, not at lunchtime.
    with centre_db.session() as session, pytest.raises(RuleError) as caught:
        svc.set_day(session, admin, canteen.lunch, desk.today(), price_fen=500)
    assert "低于" in caught.value.message and "9.00" in caught.value.message
    with centre_db.read() as session:
        assert svc.day_override(session, canteen.lunch, desk.today()) == (None, None, None,
                                                                          False)
        assert svc.list_tickets(session, desk.today()) == []
    assert issue(centre_db, desk, canteen.aged85).self_pay_fen == 300


def test_no_birth_date_non_local_staff_and_guests_pay_full_price(centre_db, desk,
                                                                  canteen: Canteen,
                                                                  noon) -> None:
    nb = issue(centre_db, desk, canteen.no_birth)
    assert not nb.subsidised and "出生日期" in nb.rule_reason
    assert not issue(centre_db, desk, canteen.migrant70).subsidised
    staff = issue(centre_db, desk, None, diner_kind="staff", diner_name="厨师老张")
    assert not staff.subsidised and staff.category == "工作人员" and staff.shares == ()
    guest = issue(centre_db, desk, None, diner_kind="guest", diner_name="过路客")
    assert guest.self_pay_fen == guest.price_fen
    with pytest.raises(RuleError):
        issue(centre_db, desk, None, diner_kind="elder", diner_name="某人")
    with pytest.raises(RuleError):
        issue(centre_db, desk, None, diner_kind="staff", diner_name="  ")


def test_a_rule_change_never_rewrites_issued_tickets(centre_db, desk, admin,
                                                     canteen: Canteen, noon) -> None:
    before = issue(centre_db, desk, canteen.aged85)
    with centre_db.session() as session:
        rule = next(r for r in svc.list_rules(session) if r.spec.name.startswith("高龄"))
        svc.save_rule(session, admin, svc.RuleForm(
            rule.spec.name, rule.spec.priority, rule.spec.effective_from, None,
            ((canteen.gov, 1000, False),), min_age=80), rule_id=rule.id)
        svc.update_session(session, admin, canteen.lunch, price_fen=1500, capacity=None,
                           menu="新菜单", start_time="11:00", end_time="13:00")
    with centre_db.read() as session:
        again = svc.get_ticket(session, before.id)
    assert again == before
    after = issue(centre_db, desk, canteen.aged85, session_id=canteen.dinner)
    assert after.share_of(canteen.gov) == 1000


def test_saving_an_overlapping_rule_of_equal_priority_is_refused(centre_db, admin,
                                                                 canteen: Canteen) -> None:
    with centre_db.session() as session, pytest.raises(RuleError) as caught:
        svc.save_rule(session, admin, svc.RuleForm(
            "重复", 20, dt.date(2026, 1, 1), None, ((canteen.gov, 100, False),), min_age=85))
    assert "优先级相同" in caught.value.message
    with centre_db.session() as session, pytest.raises(PermissionDenied):
        svc.save_rule(session, dataclasses.replace(admin, role="desk"), svc.RuleForm(
            "x", 99, dt.date(2026, 1, 1), None, ((canteen.gov, 100, False),)))


def test_preview_says_which_rule_and_why_without_writing(centre_db, desk, canteen: Canteen,
                                                         noon) -> None:
    with centre_db.session() as session:
        p = svc.preview(session, desk, resident_id=canteen.poor65)
        assert p.split.rule_name == "困难老人" and p.split.self_pay_fen == 100
        assert "低保" in p.split.reason and p.remaining == 80
        assert svc.list_tickets(session, desk.today()) == []


def test_current_session_follows_the_clock(centre_db, desk, canteen: Canteen,
                                           clock: FixedClock) -> None:
    with centre_db.read() as session:
        clock.moment = clock.moment.replace(hour=9)
        assert svc.current_session(session, desk).name == "午餐"
        clock.moment = clock.moment.replace(hour=17, minute=10)
        assert svc.current_session(session, desk).name == "晚餐"
        clock.moment = clock.moment.replace(hour=20)
        assert svc.current_session(session, desk).name == "晚餐"


def test_delivery_not_at_home_needs_a_follow_up(centre_db, desk, canteen: Canteen,
                                                noon) -> None:
    t = issue(centre_db, desk, canteen.aged85, meal_type="delivery", route="一组",
              collector="女儿 陈红")
    assert t.delivery_status == "pending" and t.collector == "女儿 陈红"
    with centre_db.session() as session:
        assert [x.id for x in svc.delivery_list(session, desk.today())] == [t.id]
        svc.mark_delivery(session, desk, t.id, "not_home")
    with centre_db.session() as session:
        assert [x.id for x in svc.open_follow_ups(session)] == [t.id]
        with pytest.raises(RuleError):
            svc.record_follow_up(session, desk, t.id, "")
    with centre_db.session() as session:
        done = svc.record_follow_up(session, desk, t.id, "电话联系，已由邻居转交")
        assert done.follow_up_done and "邻居" in (done.delivery_note or "")
        assert svc.open_follow_ups(session) == []
    dine = issue(centre_db, desk, canteen.aged70)
    with centre_db.session() as session, pytest.raises(RuleError):
        svc.mark_delivery(session, desk, dine.id, "signed")


def test_pre_orders_feed_the_kitchen_counts(centre_db, desk, canteen: Canteen, noon) -> None:
    tomorrow = desk.today() + dt.timedelta(days=1)
    with centre_db.session() as session:
        svc.add_pre_order(session, desk, day=tomorrow, session_id=canteen.lunch,
                          resident_id=canteen.aged85)
        svc.add_pre_order(session, desk, day=tomorrow, session_id=canteen.lunch,
                          group_name="志愿者队", count=6)
        gone = svc.add_pre_order(session, desk, day=tomorrow, session_id=canteen.lunch,
                                 meal_type="delivery", resident_id=canteen.aged70)
        svc.cancel_pre_order(session, desk, gone.id, "住院")
        with pytest.raises(RuleError):
            svc.add_pre_order(session, desk, day=desk.today(), session_id=canteen.lunch,
                              group_name="x")
        with pytest.raises(RuleError):
            svc.add_pre_order(session, desk, day=tomorrow, session_id=canteen.lunch)
    with centre_db.read() as session:
        counts = svc.kitchen_counts(session, tomorrow)
        assert [(c.session_name, c.meal_type, c.count) for c in counts] == [
            ("午餐", "dine_in", 7)]
        assert {p.who for p in svc.list_pre_orders(session, tomorrow)} == {"陈阿婆", "志愿者队"}


def test_session_admin_validation(centre_db, admin, desk, canteen: Canteen) -> None:
    with centre_db.session() as session:
        for args, words in [(("早餐", "9:00", "10:00", 500), "时间格式"),
                            (("早餐", "10:00", "09:00", 500), "晚于"),
                            (("早餐", "07:00", "08:00", -1), "负数"),
                            (("午餐", "07:00", "08:00", 500), "已经有")]:
            with pytest.raises(RuleError) as caught:
                svc.create_session(session, admin, *args)  # type: ignore[arg-type]
            assert words in caught.value.message
        with pytest.raises(PermissionDenied):
            svc.create_session(session, desk, "早餐", "07:00", "08:00", 500)
        with pytest.raises(RuleError):
            svc.create_funder(session, admin, "个人", is_self=True)


def test_a_scanned_receipt_number_finds_its_ticket(centre_db, desk, canteen: Canteen,
                                                   noon) -> None:
    from frontdesk.core.scan import resolve

    t = issue(centre_db, desk, canteen.aged85)
    with centre_db.read() as session:
        hit = resolve(session, t.number)
        assert hit is not None and hit.page == "canteen" and hit.record_id == t.id
        assert resolve(session, "20991231-0001") is None


def test_the_cap_per_session_is_a_setting(centre_db, desk, admin, canteen: Canteen,
                                          noon) -> None:
    from frontdesk.core import settings

    with centre_db.session() as session:
        settings.set_value(session, admin, "canteen.subsidised_per_session", 2)
    assert issue(centre_db, desk, canteen.aged70).subsidised
    assert issue(centre_db, desk, canteen.aged70).subsidised
    assert not issue(centre_db, desk, canteen.aged70).subsidised
