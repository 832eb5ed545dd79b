"""Operators (操作员): the people who log in at the desk, their roles and passwords.

Passwords are hashed with Argon2id (argon2-cffi). Repeated wrong passwords lock the
account for a while; every login, failure, lock and change is audited.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, String, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from frontdesk.core import audit, settings
from frontdesk.core.actor import ROLE_ADMIN, ROLE_DESK, ROLE_TOWN, ROLES, Actor
from frontdesk.core.clock import Clock
from frontdesk.core.errors import NotFoundError, RuleError
from frontdesk.core.i18n import tr
from frontdesk.core.models import Base
from frontdesk.core.readiness import ReadinessItem
from frontdesk.core.textfields import clean_line

if TYPE_CHECKING:
    from argon2 import PasswordHasher

MIN_PASSWORD_LENGTH = 6
DISPLAY_NAME_LIMIT = 50
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{2,32}$")


class Operator(Base):
    """A person who can log in (操作员)."""

    __tablename__ = "operator"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(32), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime]
    last_login_at: Mapped[dt.datetime | None]


@dataclass(frozen=True)
class OperatorInfo:
    """An operator as screens list it (never the hash)."""

    id: int
    username: str
    display_name: str
    role: str
    active: bool
    locked_until: dt.datetime | None
    last_login_at: dt.datetime | None


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a login attempt: an actor, or the message to show."""

    actor: Actor | None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.actor is not None


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher  # imported on first use: keeps start-up light

    return PasswordHasher()


def hash_password(password: str) -> str:
    """An Argon2id hash of ``password``."""
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash`` (never for a hash that is not Argon2)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(_hasher().verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False




def check_password_rules(password: str) -> None:
    """Refuse passwords too short to protect the residents' data."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise RuleError(tr("密码至少需要 {n} 位。", n=MIN_PASSWORD_LENGTH))


def _info(op: Operator) -> OperatorInfo:
    return OperatorInfo(op.id, op.username, op.display_name, op.role, op.active,
                        op.locked_until, op.last_login_at)


def actor_for(op: Operator, clock: Clock | None = None) -> Actor:
    """The :class:`Actor` that acts as ``op``."""
    return Actor(op.id, op.username, op.display_name, op.role, clock or Clock())


def _by_username(session: Session, username: str) -> Operator | None:
    return session.scalar(select(Operator).where(Operator.username == username.strip()))


def get_operator(session: Session, username: str) -> Operator:
    """The operator called ``username``, or NotFoundError."""
    op = _by_username(session, username)
    if op is None:
        raise NotFoundError(tr("没有这个操作员：{name}", name=username))
    return op


def _own_operator(session: Session, username: str) -> Operator:
    """A centre's own operator: a town admin's mirror row is managed by the town."""
    op = get_operator(session, username)
    if op.role == ROLE_TOWN:
        raise RuleError(tr("镇街管理员的账号由镇街统一管理，不能在中心里修改。"))
    return op


def create_operator(
    session: Session,
    actor: Actor,
    username: str,
    display_name: str,
    role: str,
    password: str,
) -> OperatorInfo:
    """Add an operator (admins only; the system during first-run set-up)."""
    actor.require_admin()
    username = username.strip()
    if not USERNAME_PATTERN.match(username):
        raise RuleError(tr("用户名只能用 2-32 位字母、数字、点、下划线或连字符。"))
    display_name = clean_line(tr("姓名"), display_name, limit=DISPLAY_NAME_LIMIT) or username
    if role not in ROLES:
        raise RuleError(tr("角色无效：{role}", role=role))
    check_password_rules(password)
    if _by_username(session, username) is not None:
        raise RuleError(tr("用户名“{name}”已被使用。", name=username))
    op = Operator(
        username=username,
        display_name=display_name,
        role=role,
        password_hash=hash_password(password),
        active=True,
        failed_logins=0,
        created_at=actor.now(),
    )
    session.add(op)
    session.flush()
    audit.record(session, actor, "operator.create", "operator", op.id,
                 f"{username} ({display_name}), role={role}")
    return _info(op)


def authenticate(session: Session, username: str, password: str,
                 clock: Clock | None = None) -> LoginResult:
    """Check a login; counts failures and locks the account after too many.

    Returns a result instead of raising so the caller commits the failure count.
    """
    clock = clock or Clock()
    now = clock.now()
    op = _by_username(session, username)
    if op is None or op.role == ROLE_TOWN:
        # On a town database a town admin logs in at any centre (frontdesk.town).
        from frontdesk.town.service import login_in_centre

        town_result = login_in_centre(session, username, password, clock)
        if town_result is not None:
            return town_result
        if op is not None:  # a mirror row whose town admin is gone: never by its own hash
            audit.record(session, Actor.system(clock), "login.fail", "operator", op.id,
                         "town admin not in the registry")
            return LoginResult(None, tr("用户名或密码错误。"))
    if op is None:
        audit.record(session, Actor.system(clock), "login.fail", "operator", None,
                     f"unknown username {username[:32]!r}")
        return LoginResult(None, tr("用户名或密码错误。"))
    who = actor_for(op, clock)
    if not op.active:
        audit.record(session, who, "login.fail", "operator", op.id, "inactive account")
        return LoginResult(None, tr("账号已停用，请联系管理员。"))
    if op.locked_until is not None and op.locked_until > now:
        minutes = max(1, int((op.locked_until - now).total_seconds() // 60) + 1)
        audit.record(session, who, "login.fail", "operator", op.id, "account locked")
        return LoginResult(None, tr("密码错误次数过多，账号已锁定，请 {m} 分钟后再试。", m=minutes))
    if not verify_password(op.password_hash, password):
        limit = int(settings.get(session, "security.max_failed_logins"))
        op.failed_logins += 1
        if op.failed_logins >= limit:
            lock_minutes = int(settings.get(session, "security.lockout_minutes"))
            op.locked_until = now + dt.timedelta(minutes=lock_minutes)
            op.failed_logins = 0
            audit.record(session, who, "login.lock", "operator", op.id,
                         f"locked for {lock_minutes} min after {limit} wrong passwords")
            return LoginResult(None, tr("密码错误次数过多，账号已锁定，请 {m} 分钟后再试。",
                                        m=lock_minutes))
        audit.record(session, who, "login.fail", "operator", op.id, "wrong password")
        return LoginResult(None, tr("用户名或密码错误。还可以再试 {n} 次。",
                                    n=limit - op.failed_logins))
    op.failed_logins = 0
    op.locked_until = None
    op.last_login_at = now
    audit.record(session, who, "login", "operator", op.id, "")
    return LoginResult(who)


def list_operators(session: Session) -> list[OperatorInfo]:
    """All operators, active first, by username."""
    ops = session.scalars(select(Operator).order_by(Operator.active.desc(), Operator.username))
    return [_info(op) for op in ops]


def first_active_admin(session: Session) -> Operator | None:
    """The oldest active administrator (used by screenshots and the benchmark)."""
    return session.scalar(
        select(Operator)
        .where(Operator.role == ROLE_ADMIN, Operator.active.is_(True))
        .order_by(Operator.id)
        .limit(1)
    )


def resolve_cli_operator(session: Session, username: str | None, clock: Clock | None = None
                         ) -> Actor:
    """The actor for a CLI command: ``username`` must be an existing active operator."""
    if not username:
        raise RuleError(tr("请用 --operator 或 FRONTDESK_OPERATOR 指定操作员。"))
    op = _by_username(session, username)
    if op is None or op.role == ROLE_TOWN:
        from frontdesk.town.service import cli_actor  # a town admin, on a town database

        town_actor = cli_actor(session, username, clock)
        if town_actor is not None:
            return town_actor
    op = get_operator(session, username)
    if op.role == ROLE_TOWN:
        raise RuleError(tr("没有这个镇街管理员：{name}", name=username))
    if not op.active:
        raise RuleError(tr("账号已停用，请联系管理员。"))
    return actor_for(op, clock)


def _admin_count(session: Session) -> int:
    return session.scalar(
        select(func.count()).select_from(Operator)
        .where(Operator.role == ROLE_ADMIN, Operator.active.is_(True))
    ) or 0


def update_operator(
    session: Session,
    actor: Actor,
    username: str,
    *,
    display_name: str | None = None,
    role: str | None = None,
    active: bool | None = None,
) -> OperatorInfo:
    """Change an operator's name, role or active flag (admins only)."""
    actor.require_admin()
    op = _own_operator(session, username)
    before = {"display_name": op.display_name, "role": op.role, "active": op.active}
    if role is not None and role not in ROLES:
        raise RuleError(tr("角色无效：{role}", role=role))
    demoting = (role is not None and role != ROLE_ADMIN) or active is False
    if op.role == ROLE_ADMIN and op.active and demoting and _admin_count(session) <= 1:
        raise RuleError(tr("至少要保留一名启用的管理员。"))
    if display_name is not None:
        op.display_name = clean_line(tr("姓名"), display_name, limit=DISPLAY_NAME_LIMIT,
                                     required=True)
    if role is not None:
        op.role = role
    if active is not None:
        op.active = active
    after = {"display_name": op.display_name, "role": op.role, "active": op.active}
    audit.record(session, actor, "operator.update", "operator", op.id,
                 audit.describe_change(before, after))
    return _info(op)


def set_password(session: Session, actor: Actor, username: str, new_password: str,
                 old_password: str | None = None) -> None:
    """Set a password: admins for anyone, others only their own with the old password."""
    op = _own_operator(session, username)
    if not actor.is_admin or old_password is not None:
        if actor.operator_id != op.id:
            actor.require_admin()
        if old_password is None or not verify_password(op.password_hash, old_password):
            raise RuleError(tr("原密码不正确。"))
    check_password_rules(new_password)
    op.password_hash = hash_password(new_password)
    op.failed_logins = 0
    op.locked_until = None
    audit.record(session, actor, "operator.password", "operator", op.id, username)


def unlock(session: Session, actor: Actor, username: str) -> None:
    """Lift a lock caused by wrong passwords (admins only)."""
    actor.require_admin()
    op = _own_operator(session, username)
    op.locked_until = None
    op.failed_logins = 0
    audit.record(session, actor, "operator.unlock", "operator", op.id, username)


def readiness(session: Session) -> list[ReadinessItem]:
    """The operators' line of the opening checklist: a note when the desk has no account of
    its own yet (the centre can open; the desk would log in as an administrator)."""
    counts = dict(session.execute(
        select(Operator.role, func.count()).where(Operator.active.is_(True))
        .group_by(Operator.role)).all())
    admins, desks = counts.get(ROLE_ADMIN, 0), counts.get(ROLE_DESK, 0)
    if admins == 0:
        missing = tr("没有启用的管理员账号。")
    elif desks == 0:
        missing = tr("还没有前台账号：前台社工现在只能用管理员账号登录。"
                     "请为每位前台社工新增一个账号。")
    else:
        missing = ""
    return [ReadinessItem("operators", tr("操作员账号"), not missing, missing, "settings",
                          "operators", needed=admins == 0)]
