"""Operators: password hashing, login, lockout after wrong passwords, admin rules."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from frontdesk.core import operators, settings
from frontdesk.core.actor import ROLE_ADMIN, ROLE_DESK, Actor
from frontdesk.core.audit import AuditEntry
from frontdesk.core.clock import FixedClock
from frontdesk.core.db import Database
from frontdesk.core.errors import PermissionDenied, RuleError
from tests.conftest import ADMIN_PASSWORD, DESK_PASSWORD


def _login(db: Database, user: str, password: str, clock: FixedClock) -> operators.LoginResult:
    with db.session() as session:
        return operators.authenticate(session, user, password, clock)


def test_password_is_stored_as_an_argon2_hash(centre_db: Database) -> None:
    with centre_db.read() as session:
        stored = operators.get_operator(session, "admin").password_hash
    assert stored.startswith("$argon2id$")
    assert ADMIN_PASSWORD not in stored


def test_right_password_logs_in_and_is_audited(centre_db: Database, clock: FixedClock) -> None:
    result = _login(centre_db, "desk", DESK_PASSWORD, clock)
    assert result.ok and result.actor is not None
    assert result.actor.username == "desk" and result.actor.role == ROLE_DESK
    with centre_db.read() as session:
        actions = list(session.scalars(select(AuditEntry.action).where(
            AuditEntry.operator_username == "desk")))
    assert "login" in actions


def test_wrong_password_says_how_many_tries_are_left(centre_db: Database,
                                                     clock: FixedClock) -> None:
    result = _login(centre_db, "desk", "nope", clock)
    assert not result.ok
    assert result.message == "用户名或密码错误。还可以再试 4 次。"
    assert _login(centre_db, "ghost", "x", clock).message == "用户名或密码错误。"


def test_five_wrong_passwords_lock_for_five_minutes(centre_db: Database,
                                                    clock: FixedClock) -> None:
    for _ in range(4):
        assert not _login(centre_db, "desk", "wrong", clock).ok
    fifth = _login(centre_db, "desk", "wrong", clock)
    assert "已锁定" in fifth.message and "5 分钟" in fifth.message
    # even the right password is refused while locked
    clock.advance(minutes=4, seconds=59)
    locked = _login(centre_db, "desk", DESK_PASSWORD, clock)
    assert not locked.ok and "已锁定" in locked.message
    clock.advance(seconds=2)
    assert _login(centre_db, "desk", DESK_PASSWORD, clock).ok
    with centre_db.read() as session:
        assert session.scalar(select(AuditEntry).where(AuditEntry.action == "login.lock"))


def test_lockout_limits_come_from_settings(centre_db: Database, admin: Actor,
                                           clock: FixedClock) -> None:
    with centre_db.session() as session:
        settings.set_value(session, admin, "security.max_failed_logins", 2)
        settings.set_value(session, admin, "security.lockout_minutes", 30)
    _login(centre_db, "desk", "x", clock)
    second = _login(centre_db, "desk", "x", clock)
    assert "30 分钟" in second.message


def test_admin_unlocks_and_resets(centre_db: Database, admin: Actor, clock: FixedClock) -> None:
    for _ in range(5):
        _login(centre_db, "desk", "wrong", clock)
    with centre_db.session() as session:
        operators.unlock(session, admin, "desk")
    assert _login(centre_db, "desk", DESK_PASSWORD, clock).ok
    with centre_db.session() as session:
        operators.set_password(session, admin, "desk", "brand-new-pw")
    assert _login(centre_db, "desk", "brand-new-pw", clock).ok


def test_inactive_operator_cannot_log_in(centre_db: Database, admin: Actor,
                                         clock: FixedClock) -> None:
    with centre_db.session() as session:
        operators.update_operator(session, admin, "desk", active=False)
    assert _login(centre_db, "desk", DESK_PASSWORD, clock).message == "账号已停用，请联系管理员。"


def test_desk_operators_cannot_manage_operators(centre_db: Database, desk: Actor) -> None:
    with pytest.raises(PermissionDenied), centre_db.session() as session:
        operators.create_operator(session, desk, "new", "新人", ROLE_DESK, "password1")
    with pytest.raises(RuleError), centre_db.session() as session:
        operators.set_password(session, desk, "admin", "hijacked!")


def test_desk_operator_changes_own_password_with_the_old_one(
        centre_db: Database, desk: Actor, clock: FixedClock) -> None:
    with pytest.raises(RuleError, match="原密码不正确"), centre_db.session() as session:
        operators.set_password(session, desk, "desk", "another-pw", old_password="bad")
    with centre_db.session() as session:
        operators.set_password(session, desk, "desk", "another-pw", old_password=DESK_PASSWORD)
    assert _login(centre_db, "desk", "another-pw", clock).ok


@pytest.mark.parametrize(("username", "password", "message"), [
    ("a", "password1", "用户名只能用"),
    ("中文名", "password1", "用户名只能用"),
    ("newdesk", "12345", "密码至少需要 6 位"),
    ("admin", "password1", "已被使用"),
])
def test_bad_operator_input_is_refused_plainly(centre_db: Database, admin: Actor, username: str,
                                               password: str, message: str) -> None:
    with pytest.raises(RuleError, match=message), centre_db.session() as session:
        operators.create_operator(session, admin, username, "x", ROLE_DESK, password)


def test_the_last_active_admin_cannot_be_removed(centre_db: Database, admin: Actor) -> None:
    with pytest.raises(RuleError, match="至少要保留一名"), centre_db.session() as session:
        operators.update_operator(session, admin, "admin", role=ROLE_DESK)
    with centre_db.session() as session:
        operators.create_operator(session, admin, "boss2", "副站长", ROLE_ADMIN, "password2")
        operators.update_operator(session, admin, "admin", active=False)
        assert [o.username for o in operators.list_operators(session) if o.active] == [
            "boss2", "desk"]
