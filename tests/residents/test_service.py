"""The resident record: writes, audit, masking, duplicates, status, merge, cards, scan."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table, func, select

from frontdesk.core import scan, settings
from frontdesk.core.actor import Actor
from frontdesk.core.audit import AuditEntry, query_audit
from frontdesk.core.db import Database
from frontdesk.core.errors import NotFoundError, PermissionDenied, RuleError
from frontdesk.residents.activity import recent_activity
from frontdesk.residents.models import STATUS_MOVED, Resident
from frontdesk.residents.service import (
    LikelyDuplicates,
    ResidentForm,
    card_print_data,
    create_resident,
    find_by_card_or_id,
    get_resident,
    is_card_code,
    issue_card_code,
    merge_residents,
    repoint_references,
    resident_detail,
    resolve_card_or_id,
    set_status,
    update_resident,
)
from tests.residents.helpers import ric


def _create(db: Database, actor: Actor, **fields: object) -> int:
    with db.session() as session:
        return create_resident(session, actor, ResidentForm(**fields),  # type: ignore[arg-type]
                               confirm_duplicates=True).id


def test_create_derives_birth_and_sex_gives_a_card_and_audits(centre_db: Database,
                                                             desk: Actor) -> None:
    rid = _create(centre_db, desk, name="张三丰", id_number=ric(birth="19400102", seq="111"),
                  phone="13812345678", tags=("高龄", "独居"))
    with centre_db.read() as session:
        r = get_resident(session, rid)
        rows = query_audit(session, action="resident.create")
    assert (r.birth_date, r.sex) == (dt.date(1940, 1, 2), "M")
    assert r.card_code is not None and is_card_code(r.card_code)
    assert r.tags == ("独居", "高龄")
    assert rows[0].operator == "desk" and rows[0].entity_id == str(rid)
    assert ric(birth="19400102", seq="111") not in rows[0].summary  # masked in the audit too


def test_the_same_id_number_cannot_be_registered_twice(centre_db: Database, desk: Actor
                                                       ) -> None:
    _create(centre_db, desk, name="张三", id_number=ric())
    with centre_db.session() as session, pytest.raises(RuleError, match="已登记给 张三"):
        create_resident(session, desk, ResidentForm(name="张三", id_number=ric()),
                        confirm_duplicates=True)


def test_likely_duplicates_are_shown_before_saving(centre_db: Database, desk: Actor) -> None:
    _create(centre_db, desk, name="李玥", birth_date=dt.date(1950, 5, 5))
    _create(centre_db, desk, name="王喆", phone="13900001111")
    with centre_db.session() as session:
        with pytest.raises(LikelyDuplicates) as same_name:
            create_resident(session, desk, ResidentForm(name="李玥",
                                                        birth_date=dt.date(1950, 5, 5)))
        with pytest.raises(LikelyDuplicates) as same_phone:
            create_resident(session, desk, ResidentForm(name="王五", phone="139 0000 1111"))
    assert [m.name for m in same_name.value.matches] == ["李玥"]
    assert [m.name for m in same_phone.value.matches] == ["王喆"]
    with centre_db.session() as session:  # confirmed: a second 李玥 is saved
        create_resident(session, desk, ResidentForm(name="李玥", birth_date=dt.date(1950, 5, 5)),
                        confirm_duplicates=True)
        assert session.scalar(select(func.count()).where(Resident.name == "李玥")) == 2


def test_birth_date_conflicting_with_the_id_number_is_refused(centre_db: Database,
                                                              desk: Actor) -> None:
    with centre_db.session() as session, pytest.raises(RuleError, match="不一致"):
        create_resident(session, desk, ResidentForm(
            name="陈昇", id_number=ric(birth="19500101"), birth_date=dt.date(1951, 1, 1)))


def test_tags_come_from_the_setting(centre_db: Database, admin: Actor) -> None:
    with centre_db.session() as session, pytest.raises(RuleError, match="外星人"):
        create_resident(session, admin, ResidentForm(name="林堃", tags=("外星人",)))
    with centre_db.session() as session:
        settings.set_value(session, admin, "residents.tags", "高龄、外星人")
    rid = _create(centre_db, admin, name="林堃", tags=("外星人",))
    with centre_db.read() as session:
        assert get_resident(session, rid).tags == ("外星人",)


def test_desk_sees_a_masked_number_admin_sees_it_and_it_is_audited(
        centre_db: Database, desk: Actor, admin: Actor) -> None:
    number = ric()
    rid = _create(centre_db, desk, name="刘䶮", id_number=number)
    with centre_db.session() as session:
        seen_by_desk = resident_detail(session, desk, rid)
    with centre_db.session() as session:
        seen_by_admin = resident_detail(session, admin, rid)
    assert seen_by_desk.id_number_shown == "350582********" + number[-4:]
    assert seen_by_desk.id_masked
    assert seen_by_admin.id_number_shown == number and not seen_by_admin.id_masked
    with centre_db.read() as session:
        shown = query_audit(session, action="resident.id_shown")
    assert [(r.operator, r.entity_id) for r in shown] == [("admin", str(rid))]


def test_saving_the_masked_number_back_keeps_the_stored_one(centre_db: Database,
                                                           desk: Actor) -> None:
    number = ric()
    rid = _create(centre_db, desk, name="陈𠮷", id_number=number)
    with centre_db.session() as session:
        masked = resident_detail(session, desk, rid).id_number_shown
        update_resident(session, desk, rid, ResidentForm(name="陈𠮷", id_number=masked,
                                                         phone="0595-88881234"))
    with centre_db.read() as session:
        r = get_resident(session, rid)
        assert (r.id_number, r.phone) == (number, "0595-88881234")
        changes = query_audit(session, action="resident.update")
    assert "phone: None → 0595-88881234" in changes[0].summary
    with centre_db.session() as session, pytest.raises(RuleError, match="完整的证件号码"):
        update_resident(session, desk, rid, ResidentForm(name="陈𠮷", id_number="35**"))


def test_consent_is_recorded_with_date_and_operator(centre_db: Database, desk: Actor,
                                                   clock: object) -> None:
    rid = _create(centre_db, desk, name="王小明", consent_general=True)
    with centre_db.session() as session:
        d = resident_detail(session, desk, rid)
    assert d.consent_general and not d.consent_sensitive
    assert d.consent_by == "desk" and d.consent_at == desk.now()


def test_status_needs_a_reason_and_blocks_service(centre_db: Database, desk: Actor) -> None:
    rid = _create(centre_db, desk, name="郑喆", id_number=ric())
    with centre_db.session() as session, pytest.raises(RuleError, match="原因"):
        set_status(session, desk, rid, STATUS_MOVED)
    with centre_db.session() as session:
        set_status(session, desk, rid, STATUS_MOVED, "迁往泉州")
    with centre_db.read() as session:
        assert session.get(Resident, rid) is not None  # never deleted
        with pytest.raises(RuleError, match="已迁出"):
            resolve_card_or_id(session, ric())


def test_merge_is_admin_only_and_history_follows(centre_db: Database, desk: Actor,
                                                 admin: Actor) -> None:
    keep = _create(centre_db, desk, name="蔡明", phone="13811112222", tags=("高龄",))
    drop = _create(centre_db, desk, name="蔡明", id_number=ric(), tags=("独居",),
                   address="桂山路 1 号")
    with centre_db.session() as session:
        old_card = session.get(Resident, drop).card_code  # type: ignore[union-attr]
    with centre_db.session() as session, pytest.raises(PermissionDenied):
        merge_residents(session, desk, keep, drop, "重复登记")
    with centre_db.session() as session, pytest.raises(RuleError, match="原因"):
        merge_residents(session, admin, keep, drop, " ")
    with centre_db.session() as session:
        merged = merge_residents(session, admin, keep, drop, "重复登记")
    assert merged.id_number == ric() and merged.address == "桂山路 1 号"
    assert merged.tags == ("独居", "高龄")
    with centre_db.read() as session:
        assert find_by_card_or_id(session, old_card or "").id == keep  # type: ignore[union-attr]
        assert find_by_card_or_id(session, ric()).id == keep  # type: ignore[union-attr]
        assert session.get(Resident, drop).merged_into_id == keep  # type: ignore[union-attr]
        assert len(query_audit(session, action="resident.merge")) == 1
        activity = recent_activity(session, keep)
    assert any("合并" in item.summary for item in activity)


def test_merge_repoints_any_feature_table_found_in_the_metadata(centre_db: Database,
                                                                desk: Actor) -> None:
    # A stand-in for a feature's table (check-ins, meals ...) that references resident.id.
    metadata = MetaData()
    Table("resident", metadata, Column("id", Integer, primary_key=True))
    visit = Table("test_visit", metadata, Column("id", Integer, primary_key=True),
                  Column("resident_id", ForeignKey("resident.id")),
                  Column("collected_by_id", ForeignKey("resident.id")))
    visit.create(centre_db.engine)
    a = _create(centre_db, desk, name="甲")
    b = _create(centre_db, desk, name="乙")
    with centre_db.session() as session:
        session.execute(visit.insert(), [{"resident_id": b, "collected_by_id": a},
                                         {"resident_id": b, "collected_by_id": b}])
        moved = repoint_references(session, b, a, metadata)
    assert moved == {"test_visit.resident_id": 2, "test_visit.collected_by_id": 1}
    with centre_db.read() as session:
        assert set(session.execute(select(visit.c.resident_id, visit.c.collected_by_id))) == {
            (a, a)}


def test_card_print_data_and_a_new_card(centre_db: Database, desk: Actor) -> None:
    a = _create(centre_db, desk, name="阿依古丽·买买提")
    b = _create(centre_db, desk, name="𠮷田花子")
    with centre_db.session() as session:
        cards = card_print_data(session, [b, a])
        old = cards[1].card_code
        renewed = issue_card_code(session, desk, a)
    assert [(c.name, c.centre_name) for c in cards] == [("𠮷田花子", "测试邻里中心"),
                                                        ("阿依古丽·买买提", "测试邻里中心")]
    assert renewed.card_code != old
    with centre_db.read() as session:
        assert find_by_card_or_id(session, old) is None
        with pytest.raises(NotFoundError):
            card_print_data(session, [9999])


def test_the_global_scan_box_resolves_a_card(centre_db: Database, desk: Actor) -> None:
    rid = _create(centre_db, desk, name="许家豪")
    with centre_db.read() as session:
        code = get_resident(session, rid).card_code or ""
        hit = scan.resolve(session, " " + "".join(chr(ord(c) + 0xFEE0) for c in code))
        assert scan.resolve(session, "000000000000") is None
    assert hit is not None and (hit.page, hit.record_id, hit.label) == ("residents", rid,
                                                                        "许家豪")


def test_every_write_leaves_an_audit_row(centre_db: Database, desk: Actor) -> None:
    with centre_db.read() as session:
        before = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    rid = _create(centre_db, desk, name="庄美玲")
    with centre_db.session() as session:
        update_resident(session, desk, rid, ResidentForm(name="庄美玲", grid="第一网格"))
        set_status(session, desk, rid, STATUS_MOVED, "迁出")
        issue_card_code(session, desk, rid)
    with centre_db.read() as session:
        after = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    assert after - before == 4
