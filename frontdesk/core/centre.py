"""The centre itself: first-run set-up and its identity (name, code, town)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.core import audit, operators, settings
from frontdesk.core.actor import ROLE_ADMIN, Actor
from frontdesk.core.clock import Clock
from frontdesk.core.db import CENTRE_CODE_PATTERN
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr
from frontdesk.core.readiness import ReadinessItem

__all__ = ["CENTRE_CODE_PATTERN", "CentreInfo", "centre_info", "initialise", "is_demo",
           "is_initialised", "mark_demo"]


@dataclass(frozen=True)
class CentreInfo:
    """Who this centre is, as printed on every document and export.

    A demo centre's ``name`` carries the 演示 mark, so every title bar, printout and export
    package that names the centre says it is a demonstration.
    """

    name: str
    code: str
    town: str
    demo: bool = False


def demo_name(name: str) -> str:
    """``name`` as a demo centre shows it."""
    return tr("【演示】{name}", name=name)


def centre_info(session: Session) -> CentreInfo:
    """The centre's name (marked when it is a demo centre), code and town."""
    name = settings.get(session, "centre.name")
    demo = is_demo(session)
    return CentreInfo(
        demo_name(name) if demo and name else name,
        settings.get(session, "centre.code"),
        settings.get(session, "centre.town"),
        demo,
    )


def readiness(session: Session) -> list[ReadinessItem]:
    """The opening checklist's first line: the centre's name, code and town."""
    info = centre_info(session)
    missing = [label for label, value in ((tr("中心名称"), info.name), (tr("中心编码"), info.code),
                                          (tr("所属镇/街道"), info.town)) if not value]
    return [ReadinessItem("centre.info", tr("中心信息"), not missing,
                          tr("还没有填写：{what}", what="、".join(missing)) if missing else "",
                          "settings", "general")]


def is_demo(session: Session) -> bool:
    """Whether this database is a demo centre made by ``frontdesk demo``."""
    return bool(settings.get(session, "centre.demo"))


def mark_demo(session: Session, actor: Actor) -> None:
    """Mark this centre as a demo centre (``frontdesk demo``, on a database it just created)."""
    settings.set_value(session, actor, "centre.demo", True)


def is_initialised(session: Session) -> bool:
    """Whether first-run set-up has been done (a centre name and an operator exist)."""
    has_operator = (session.scalar(select(func.count()).select_from(operators.Operator)) or 0) > 0
    return has_operator and bool(settings.get(session, "centre.name"))


def initialise(
    session: Session,
    *,
    centre_name: str,
    centre_code: str,
    town: str,
    admin_username: str,
    admin_password: str,
    admin_display_name: str = "",
    clock: Clock | None = None,
) -> Actor:
    """First-run set-up: the centre's identity and its first administrator.

    Returns the new administrator as an actor.
    """
    if is_initialised(session):
        raise RuleError(tr("这个数据库已经完成初始设置。"))
    centre_name, centre_code, town = centre_name.strip(), centre_code.strip(), town.strip()
    if not centre_name:
        raise RuleError(tr("请填写中心名称。"))
    if not CENTRE_CODE_PATTERN.match(centre_code):
        raise RuleError(tr("中心编码只能用 2-32 位字母、数字、下划线或连字符（用于导出文件名）。"))
    if not town:
        raise RuleError(tr("请填写所属镇/街道。"))
    system = Actor.system(clock)
    admin = operators.create_operator(
        session, system, admin_username, admin_display_name or admin_username, ROLE_ADMIN,
        admin_password,
    )
    settings.set_value(session, system, "centre.name", centre_name)
    settings.set_value(session, system, "centre.code", centre_code)
    settings.set_value(session, system, "centre.town", town)
    audit.record(session, system, "centre.init", "centre", centre_code,
                 f"{centre_name} / {town}; admin={admin.username}")
    return Actor(admin.id, admin.username, admin.display_name, ROLE_ADMIN, system.clock)
