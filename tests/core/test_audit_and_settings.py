"""Audit rows are written in the same transaction as the change; settings are validated."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from frontdesk.core import audit, settings
from frontdesk.core.actor import Actor
from frontdesk.core.audit import AuditEntry
from frontdesk.core.clock import CENTRE_TZ
from frontdesk.core.db import Database
from frontdesk.core.errors import PermissionDenied, RuleError


def _count(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def test_setting_change_writes_who_when_and_what(centre_db: Database, admin: Actor) -> None:
    with centre_db.session() as session:
        settings.set_value(session, admin, "security.idle_lock_minutes", "15")
    with centre_db.read() as session:
        assert settings.get(session, "security.idle_lock_minutes") == 15
        row = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert row is not None
    assert (row.operator_username, row.action, row.entity_id) == (
        "admin", "setting.change", "security.idle_lock_minutes")
    assert row.summary == "security.idle_lock_minutes: 10 → 15"
    assert row.at == dt.datetime(2026, 11, 22, 10, 0, tzinfo=CENTRE_TZ)
    assert row.business_date == dt.date(2026, 11, 22)


def test_a_failed_change_leaves_no_audit_row_and_no_value(centre_db: Database,
                                                         admin: Actor) -> None:
    before = _count(centre_db)
    with pytest.raises(RuntimeError), centre_db.session() as session:
        settings.set_value(session, admin, "backup.keep", 3)
        raise RuntimeError("the action failed after the write")
    assert _count(centre_db) == before
    with centre_db.read() as session:
        assert settings.get(session, "backup.keep") == 10


@pytest.mark.parametrize(("key", "value", "message"), [
    ("security.idle_lock_minutes", "abc", "值无效"),
    ("security.idle_lock_minutes", -1, "不能小于 0"),
    ("security.max_failed_logins", 99, "不能大于 20"),
    ("ui.language", "fr", "值无效"),
    ("centre.name", "长" * 501, "太长"),
    ("no.such.key", 1, "没有这个设置项"),
])
def test_bad_setting_values_are_refused(centre_db: Database, admin: Actor, key: str,
                                        value: object, message: str) -> None:
    with pytest.raises(RuleError, match=message), centre_db.session() as session:
        settings.set_value(session, admin, key, value)


def test_desk_cannot_change_admin_settings(centre_db: Database, desk: Actor) -> None:
    with pytest.raises(PermissionDenied), centre_db.session() as session:
        settings.set_value(session, desk, "centre.name", "改名")


def test_audit_query_filters(centre_db: Database, admin: Actor, desk: Actor) -> None:
    with centre_db.session() as session:
        audit.record(session, desk, "test.thing", "widget", 7, "蓝色 → 红色")
        settings.set_value(session, admin, "backup.keep", 5)
    with centre_db.read() as session:
        by_desk = audit.query_audit(session, operator="desk")
        by_text = audit.query_audit(session, text="红色")
        by_action = audit.query_audit(session, action="setting.change")
        later = audit.query_audit(session, date_from=dt.date(2026, 11, 23))
        actions = audit.audit_actions(session)
    assert [r.action for r in by_desk] == ["test.thing"]
    assert [r.entity_id for r in by_text] == ["7"]
    assert {r.operator for r in by_action} == {"admin", "system"}
    assert later == []
    assert {"centre.init", "operator.create", "test.thing"} <= set(actions)


def test_describe_change_lists_only_differences() -> None:
    assert audit.describe_change({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == (
        "b: 2 → 3; c: None → 4")
