"""Merging two records of one elder keeps the canteen's rule: one subsidised meal per elder
per meal session. Before the fix the merge died with an IntegrityError (the unique index
uq_canteen_ticket_subsidy_slot) that the desk never saw."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from frontdesk.canteen import service as svc
from frontdesk.canteen.models import MealTicket
from frontdesk.core import settings
from frontdesk.core.actor import Actor
from frontdesk.core.audit import query_audit
from frontdesk.core.clock import FixedClock
from frontdesk.core.db import Database
from frontdesk.core.errors import RuleError
from frontdesk.residents.models import Resident
from frontdesk.residents.service import merge_residents
from frontdesk.volunteers import service as volunteers
from tests.canteen.conftest import Canteen, add_resident


@pytest.fixture
def noon(clock: FixedClock) -> FixedClock:
    clock.moment = clock.moment.replace(hour=11, minute=30)
    return clock


def _issue(db: Database, actor: Actor, resident_id: int, **kw: object) -> svc.TicketInfo:
    with db.session() as session:
        return svc.issue_ticket(session, actor, resident_id=resident_id, **kw)  # type: ignore[arg-type]


def _twin(db: Database, admin: Actor) -> int:
    """A second record of 林伯 (same birth date, another card): a duplicate registration."""
    import datetime as dt

    return add_resident(db, admin, "林伯", dt.date(1956, 5, 5), card="C0099")


def _live_subsidised(db: Database, resident_id: int) -> list[tuple[str, int | None]]:
    with db.read() as session:
        return [(n, s) for n, s in session.execute(
            select(MealTicket.number, MealTicket.subsidy_slot).where(
                MealTicket.resident_id == resident_id, MealTicket.subsidised.is_(True),
                MealTicket.voided.is_(False)).order_by(MealTicket.number))]


def test_both_records_subsidised_for_one_lunch_is_refused_in_words_and_nothing_moves(
        centre_db: Database, admin: Actor, canteen: Canteen, noon: FixedClock) -> None:
    twin = _twin(centre_db, admin)
    first = _issue(centre_db, admin, canteen.aged70)
    second = _issue(centre_db, admin, twin)  # another record: the cap did not see it
    assert first.subsidised and second.subsidised
    with centre_db.session() as session, pytest.raises(RuleError) as refused:
        merge_residents(session, admin, canteen.aged70, twin, "重复登记")
    message = refused.value.message
    assert "同一餐次都领了补助餐" in message and "作废" in message
    assert first.number in message and second.number in message and "2026-11-22 午餐" in message
    with centre_db.read() as session:  # one transaction: nothing half-merged
        assert session.get(Resident, twin).merged_into_id is None  # type: ignore[union-attr]
        assert query_audit(session, action="resident.merge") == []
    assert _live_subsidised(centre_db, twin) == [(second.number, 1)]

    # The way out the message names: void the extra ticket, then the merge goes through.
    with centre_db.session() as session:
        svc.void_ticket(session, admin, second.id, "同一人重复领取补助餐")
    with centre_db.session() as session:
        merge_residents(session, admin, canteen.aged70, twin, "重复登记")
    assert _live_subsidised(centre_db, canteen.aged70) == [(first.number, 1)]
    with centre_db.read() as session:  # the voided ticket is kept, now under the kept record
        assert session.scalar(select(func.count()).select_from(MealTicket).where(
            MealTicket.resident_id == canteen.aged70)) == 2


def test_within_the_cap_the_merge_keeps_every_ticket_in_its_own_slot(
        centre_db: Database, admin: Actor, canteen: Canteen, noon: FixedClock) -> None:
    with centre_db.session() as session:
        settings.set_value(session, admin, "canteen.subsidised_per_session", 2)
    twin = _twin(centre_db, admin)
    kept = _issue(centre_db, admin, canteen.aged70)
    dropped = _issue(centre_db, admin, twin)
    dinner = _issue(centre_db, admin, twin, session_id=canteen.dinner)  # another session
    with centre_db.session() as session:
        merge_residents(session, admin, canteen.aged70, twin, "重复登记")
    assert _live_subsidised(centre_db, canteen.aged70) == [
        (kept.number, 1), (dropped.number, 2), (dinner.number, 1)]
    with centre_db.read() as session:
        summary = query_audit(session, action="resident.merge")[0].summary
    assert f"ticket {dropped.number} slot→2" in summary
    # The cap now sees both: a third lunch is full price.
    third = _issue(centre_db, admin, canteen.aged70)
    assert not third.subsidised


def test_an_admin_override_does_not_count_against_the_cap_when_merging(
        centre_db: Database, admin: Actor, canteen: Canteen, noon: FixedClock) -> None:
    twin = _twin(centre_db, admin)
    kept = _issue(centre_db, admin, canteen.aged70)
    extra = _issue(centre_db, admin, canteen.aged70, override_reason="老伴卧床，代领第二份")
    assert extra.subsidised
    with centre_db.session() as session:
        merge_residents(session, admin, canteen.aged70, twin, "重复登记")
    assert _live_subsidised(centre_db, canteen.aged70) == [(kept.number, 1), (extra.number, 2)]


def test_two_enrolled_volunteers_are_refused_in_words(centre_db: Database, admin: Actor,
                                                      canteen: Canteen) -> None:
    twin = _twin(centre_db, admin)
    with centre_db.session() as session:
        a = volunteers.enroll(session, admin, canteen.aged70)
        b = volunteers.enroll(session, admin, twin)
    with centre_db.session() as session, pytest.raises(RuleError) as refused:
        merge_residents(session, admin, canteen.aged70, twin, "重复登记")
    assert "都登记为志愿者" in refused.value.message
    assert a.number in refused.value.message and b.number in refused.value.message


def test_one_enrolled_volunteer_moves_with_the_merge(centre_db: Database, admin: Actor,
                                                     canteen: Canteen) -> None:
    twin = _twin(centre_db, admin)
    with centre_db.session() as session:
        v = volunteers.enroll(session, admin, twin)
    with centre_db.session() as session:
        merge_residents(session, admin, canteen.aged70, twin, "重复登记")
    with centre_db.read() as session:
        assert volunteers.get_volunteer(session, v.id).resident_id == canteen.aged70
