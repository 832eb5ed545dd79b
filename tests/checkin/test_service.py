"""Check-in rules on a real SQLite file: who, why, repeats, undo, tallies, faults."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select

from frontdesk.checkin import service
from frontdesk.checkin.models import Checkin
from frontdesk.core import settings
from frontdesk.core.actor import Actor
from frontdesk.core.audit import AuditEntry
from frontdesk.core.clock import CENTRE_TZ, FixedClock
from frontdesk.core.db import Database
from frontdesk.core.errors import NotFoundError, PermissionDenied, RuleError
from frontdesk.residents.models import Resident


def purpose_id(db: Database, name: str) -> int:
    with db.read() as session:
        return service.find_purpose(session, name).id


def test_check_in_by_card_records_purpose_date_operator_and_audit(
        centre_db: Database, desk: Actor, people: dict[str, int]) -> None:
    canteen = purpose_id(centre_db, "长者食堂")
    with centre_db.session() as session:
        result = service.check_in(session, desk, code=" c0001 ", purpose_id=canteen)
    assert result.resident.id == people["elder"]
    assert result.entry.purpose == "长者食堂"
    assert result.entry.business_date == dt.date(2026, 11, 22)
    assert result.entry.operator == "林前台"
    assert result.warning == ""
    with centre_db.read() as session:
        audit_rows = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "checkin.create")).all()
    assert [a.entity_id for a in audit_rows] == [str(result.entry.id)]


def test_unknown_card_is_refused_with_a_message_and_nothing_stored(
        centre_db: Database, desk: Actor, people: dict[str, int]) -> None:
    with centre_db.session() as session, pytest.raises(NotFoundError, match="ZZZ9"):
        service.check_in(session, desk, code="ZZZ9", purpose_id=purpose_id(centre_db, "其他"))
    with centre_db.read() as session:
        assert session.scalar(select(func.count()).select_from(Checkin)) == 0


@pytest.mark.parametrize(("who", "state"), [("moved", "已迁出"), ("deceased", "已去世")])
def test_moved_or_deceased_residents_cannot_check_in(
        centre_db: Database, desk: Actor, people: dict[str, int], who: str, state: str) -> None:
    other = purpose_id(centre_db, "其他")
    with centre_db.session() as session, pytest.raises(RuleError, match=state):
        service.check_in(session, desk, resident_id=people[who], purpose_id=other)
    card = {"moved": "C0004", "deceased": "C0005"}[who]
    with centre_db.session() as session, pytest.raises(RuleError, match=state):
        service.check_in(session, desk, code=card, purpose_id=other)


def test_repeat_within_the_window_is_flagged_and_can_be_confirmed(
        centre_db: Database, desk: Actor, clock: FixedClock, people: dict[str, int]) -> None:
    canteen = purpose_id(centre_db, "长者食堂")
    with centre_db.session() as session:
        first = service.check_in(session, desk, code="C0001", purpose_id=canteen)
    clock.advance(minutes=10)
    with centre_db.session() as session, pytest.raises(service.RepeatCheckin) as caught:
        service.check_in(session, desk, code="C0001", purpose_id=canteen)
    assert caught.value.previous.id == first.entry.id
    assert "10:00" in caught.value.message
    # another purpose is not a repeat
    with centre_db.session() as session:
        service.check_in(session, desk, code="C0001", purpose_id=purpose_id(centre_db, "健康咨询"))
    with centre_db.session() as session:
        confirmed = service.check_in(session, desk, code="C0001", purpose_id=canteen,
                                     confirm_repeat=True)
    assert confirmed.entry.id != first.entry.id
    clock.advance(minutes=31)  # outside the 30-minute window: no question asked
    with centre_db.session() as session:
        service.check_in(session, desk, code="C0001", purpose_id=canteen)
    with centre_db.read() as session:
        assert service.day_counts(session, clock.today()).visits == 4


def test_the_repeat_window_is_a_setting(centre_db: Database, admin: Actor, desk: Actor,
                                        people: dict[str, int]) -> None:
    with centre_db.session() as session:
        settings.set_value(session, admin, "checkin.repeat_window_minutes", 0)
    canteen = purpose_id(centre_db, "长者食堂")
    for _ in range(2):
        with centre_db.session() as session:
            service.check_in(session, desk, code="C0001", purpose_id=canteen)


def test_default_purpose_setting_lets_a_scan_check_in_alone(
        centre_db: Database, admin: Actor, desk: Actor, people: dict[str, int]) -> None:
    with centre_db.session() as session, pytest.raises(RuleError, match="请选择签到事由"):
        service.check_in(session, desk, code="C0001")
    with centre_db.session() as session:
        settings.set_value(session, admin, "checkin.default_purpose", "长者食堂")
    with centre_db.session() as session:
        result = service.check_in(session, desk, code="C0001")
    assert result.entry.purpose == "长者食堂"


def test_quick_registration_makes_a_temporary_resident_once(
        centre_db: Database, desk: Actor) -> None:
    with centre_db.session() as session:
        walk_in = service.register_visitor(session, desk, " 赵临时 ")
        caller = service.register_visitor(session, desk, "钱先生", "139 0000 2222")
        again = service.register_visitor(session, desk, "钱先生", "13900002222")
    assert walk_in.temporary and walk_in.phone is None and walk_in.name == "赵临时"
    assert caller.temporary and caller.phone == "13900002222"
    assert again.id == caller.id
    with centre_db.session() as session:
        for name, phone in (("", ""), ("孙", "12345")):
            with pytest.raises(RuleError):
                service.register_visitor(session, desk, name, phone)
        result = service.check_in(session, desk, resident_id=walk_in.id,
                                  purpose_id=service.find_purpose(session, "便民办事").id)
    assert result.entry.temporary


def test_check_out_records_duration_and_leaves_the_in_centre_list(
        centre_db: Database, desk: Actor, clock: FixedClock, people: dict[str, int]) -> None:
    with centre_db.session() as session:
        entry = service.check_in(session, desk, code="C0002",
                                 purpose_id=service.find_purpose(session, "四点钟学校").id).entry
        assert [r.id for r in service.in_centre(session, clock.today())] == [entry.id]
    clock.advance(minutes=95)
    with centre_db.session() as session:
        out = service.check_out(session, desk, entry.id)
    assert out.duration_minutes == 95
    with centre_db.session() as session:
        assert service.in_centre(session, clock.today()) == []
        with pytest.raises(RuleError, match="签退过"):
            service.check_out(session, desk, entry.id)


def test_void_keeps_the_entry_excludes_it_from_counts_and_needs_a_reason(
        centre_db: Database, desk: Actor, clock: FixedClock, people: dict[str, int]) -> None:
    with centre_db.session() as session:
        entry = service.check_in(session, desk, code="C0001",
                                 purpose_id=service.find_purpose(session, "长者食堂").id).entry
        group = service.list_tally_groups(session)[0]
        tally = service.add_tally(session, desk, group.id)
        visit = service.add_group_visit(session, desk, "桂山小学三年级", 40)
    with centre_db.session() as session:
        counts = service.day_counts(session, clock.today())
        assert (counts.visits, counts.tallies, counts.group_heads, counts.people) == (1, 1, 40, 42)
        with pytest.raises(RuleError, match="原因"):
            service.void_entry(session, desk, "checkin", entry.id, "  ")
    with centre_db.session() as session:
        service.void_entry(session, desk, "checkin", entry.id, "刷错卡")
        service.void_entry(session, desk, "tally", tally.id, "多点了一次")
        service.void_entry(session, desk, "group", visit.id, "重复登记")
    with centre_db.session() as session:
        counts = service.day_counts(session, clock.today())
        assert (counts.visits, counts.tallies, counts.group_heads) == (0, 0, 0)
        stored = session.get(Checkin, entry.id)
        assert stored is not None and stored.voided and stored.void_reason == "刷错卡"
        assert all(e.voided for e in service.recent_entries(session, clock.today()))
        with pytest.raises(RuleError, match="已经撤销"):
            service.void_entry(session, desk, "checkin", entry.id, "again")
        # a voided check-in does not block a new one as a "repeat"
        service.check_in(session, desk, code="C0001",
                         purpose_id=service.find_purpose(session, "长者食堂").id)


def test_counts_list_every_purpose_and_group_and_series_has_no_gaps(
        centre_db: Database, desk: Actor, clock: FixedClock, people: dict[str, int]) -> None:
    with centre_db.session() as session:
        groups = {g.name: g.id for g in service.list_tally_groups(session)}
        for _ in range(3):
            service.add_tally(session, desk, groups["外卖员"])
        service.add_tally(session, desk, groups["环卫工人"], 2)
        service.check_in(session, desk, code="C0003",
                         purpose_id=service.find_purpose(session, "红蜂驿站").id)
    clock.advance(days=1)
    with centre_db.session() as session:
        service.check_in(session, desk, code="C0003",
                         purpose_id=service.find_purpose(session, "红蜂驿站").id)
    with centre_db.read() as session:
        counts = service.day_counts(session, dt.date(2026, 11, 22))
        series = service.daily_series(session, dt.date(2026, 11, 23))
    assert dict(counts.by_group) == {"外卖员": 3, "快递员": 0, "环卫工人": 2, "其他": 0}
    assert dict(counts.by_purpose)["红蜂驿站"] == 1 and len(counts.by_purpose) == 9
    assert len(series) == 14 and series[0].day == dt.date(2026, 11, 10)
    assert [(s.day.day, s.people) for s in series[-3:]] == [(21, 0), (22, 6), (23, 1)]


def test_purposes_are_admin_managed(centre_db: Database, admin: Actor, desk: Actor,
                                    people: dict[str, int]) -> None:
    with centre_db.session() as session, pytest.raises(PermissionDenied):
        service.save_purpose(session, desk, None, name="理发", area="x")
    with centre_db.session() as session:
        with pytest.raises(RuleError, match="快捷键 1"):
            service.save_purpose(session, admin, None, name="理发", area="x", hotkey="1")
        made = service.save_purpose(session, admin, None, name="理发", area="x", hotkey="h",
                                    sort_order=20)
    assert made.hotkey == "H" and made.area_label == "X（其他需求）"
    with centre_db.session() as session:
        service.save_purpose(session, admin, made.id, name="义剪", area="elder", active=False)
        names = [p.name for p in service.list_purposes(session)]
        assert "义剪" not in names and "理发" not in names
        assert "义剪" in [p.name for p in service.list_purposes(session, include_inactive=True)]
        with pytest.raises(RuleError, match="停用"):
            service.check_in(session, admin, resident_id=people["elder"], purpose_id=made.id)


def test_midnight_roll_over_puts_entries_on_the_new_business_date(
        centre_db: Database, desk: Actor, clock: FixedClock, people: dict[str, int]) -> None:
    clock.moment = dt.datetime(2026, 11, 22, 23, 59, 30, tzinfo=CENTRE_TZ)
    stop = purpose_id(centre_db, "红蜂驿站")
    with centre_db.session() as session:
        before = service.check_in(session, desk, code="C0003", purpose_id=stop).entry
    clock.advance(minutes=1)
    with centre_db.session() as session:
        after = service.check_in(session, desk, code="C0001", purpose_id=stop).entry
    assert before.business_date == dt.date(2026, 11, 22)
    assert after.business_date == dt.date(2026, 11, 23)
    with centre_db.read() as session:
        assert service.day_counts(session, dt.date(2026, 11, 23)).visits == 1
        assert service.in_centre(session, clock.today())[0].id == after.id


def test_clock_going_backwards_warns_keeps_everything_and_still_catches_repeats(
        centre_db: Database, desk: Actor, clock: FixedClock, people: dict[str, int]) -> None:
    canteen = purpose_id(centre_db, "长者食堂")
    with centre_db.session() as session:
        first = service.check_in(session, desk, code="C0001", purpose_id=canteen).entry
    clock.advance(minutes=-20)  # someone set the PC clock back
    with centre_db.session() as session, pytest.raises(service.RepeatCheckin):
        service.check_in(session, desk, code="C0001", purpose_id=canteen)
    with centre_db.session() as session:
        later = service.check_in(session, desk, code="C0002", purpose_id=canteen)
    assert "早了 20 分钟" in later.warning
    clock.advance(minutes=5)
    with centre_db.session() as session:
        out = service.check_out(session, desk, first.id)  # earlier than the check-in: 0 min
        data = service.page_data(session, clock.now(), clock.today())
    assert out.duration_minutes == 0
    assert data.counts.visits == 2 and "早了" in data.warning


def _check_in_from_thread(url: str, actor: Actor, canteen: int, barrier: threading.Barrier,
                          outcomes: list[str]) -> None:
    db = Database(url)
    try:
        barrier.wait()
        with db.session() as session:
            service.check_in(session, actor, code="C0001", purpose_id=canteen)
        outcomes.append("ok")
    except service.RepeatCheckin:
        outcomes.append("repeat")
    finally:
        db.dispose()


def test_two_desks_checking_in_the_same_person_at_the_same_second(
        centre_db: Database, desk: Actor, admin: Actor, people: dict[str, int]) -> None:
    canteen = purpose_id(centre_db, "长者食堂")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    threads = [threading.Thread(target=_check_in_from_thread,
                                args=(centre_db.url, who, canteen, barrier, outcomes))
               for who in (desk, admin)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["ok", "repeat"]
    with centre_db.read() as session:
        assert session.scalar(select(func.count()).select_from(Checkin)) == 1
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "checkin.create")) == 1
        assert session.get(Resident, people["elder"]) is not None
