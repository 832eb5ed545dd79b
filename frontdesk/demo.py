"""`frontdesk demo`: a realistic demo centre, built through the same services as the desk.

Each feature adds a step to ``DEMO_STEPS``: a function taking (session, actor, rng) that
fills its part of the centre and returns a one-line summary. Steps skip work already done,
so running the demo twice fills, never duplicates.

The demo invents residents, subsidised meals and closed days, so it only ever works on a new
empty database, which it marks as a demo centre, or on a demo centre it made before: a real
centre's database is refused before anything is written.
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.core import operators, settings
from frontdesk.core.actor import ROLE_DESK, Actor
from frontdesk.core.audit import AuditEntry
from frontdesk.core.centre import initialise, is_demo, is_initialised, mark_demo
from frontdesk.core.db import Database
from frontdesk.core.errors import NotFoundError, RuleError
from frontdesk.core.i18n import tr

DEMO_ADMIN = "admin"
DEMO_PASSWORD = "admin123"
DEMO_DESK_PASSWORD = "desk1234"
DEMO_CENTRE_NAME = "晋江市梅岭街道桂山社区党建+邻里中心"
DEMO_CENTRE_CODE = "JJGS01"
DEMO_TOWN = "梅岭街道"
DEMO_DESK_STAFF = [("lin", "林小燕"), ("chen", "陈志强")]

DemoStep = Callable[[Session, Actor, random.Random], str]

# "module:function" of each feature's demo step, in the order they run.
DEMO_STEPS: list[str] = [
    "frontdesk.residents.demo:demo_residents",
    "frontdesk.canteen.demo:build",
    "frontdesk.checkin.demo:demo_step",
    "frontdesk.documents.demo:demo_documents",
    "frontdesk.rooms.demo:demo_step",
    "frontdesk.volunteers.demo:demo_step",
    "frontdesk.dayclose.demo:demo_step",
]


@dataclass
class DemoReport:
    """What ``build_demo`` did: a line per step, and the logins it created (with passwords)."""

    lines: list[str] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)


def build_demo(db: Database, *, seed: int = 20261122) -> DemoReport:
    """Create (or top up) the demo centre; refuses a database that is not a demo centre."""
    rng = random.Random(seed)
    report = DemoReport()
    with db.session() as session:
        _require_demo_database(session)
        if not is_initialised(session):
            admin = initialise(session, centre_name=DEMO_CENTRE_NAME,
                               centre_code=DEMO_CENTRE_CODE, town=DEMO_TOWN,
                               admin_username=DEMO_ADMIN, admin_password=DEMO_PASSWORD,
                               admin_display_name="王丽")
            mark_demo(session, admin)
            report.lines.append(tr("已创建演示中心：{name}", name=DEMO_CENTRE_NAME))
            report.logins.append((DEMO_ADMIN, DEMO_PASSWORD))
        admin = operators.actor_for(operators.get_operator(session, DEMO_ADMIN))
        for username, name in DEMO_DESK_STAFF:
            try:
                operators.get_operator(session, username)
            except NotFoundError:
                operators.create_operator(session, admin, username, name, ROLE_DESK,
                                          DEMO_DESK_PASSWORD)
                report.lines.append(tr("已添加前台操作员：{name}（{user}）",
                                       name=name, user=username))
                report.logins.append((username, DEMO_DESK_PASSWORD))
    for ref in DEMO_STEPS:
        module_name, func_name = ref.split(":")
        step: DemoStep = getattr(importlib.import_module(module_name), func_name)
        with db.session() as session:
            admin = operators.actor_for(operators.get_operator(session, DEMO_ADMIN))
            report.lines.append(step(session, admin, rng))
    return report


def _require_demo_database(session: Session) -> None:
    """Refuse (before any write) a database that holds a real centre or any other data."""
    if is_initialised(session):
        if is_demo(session):
            return
        raise RuleError(tr(
            "这个数据库是“{name}”的真实数据，演示数据只能放进新的空数据库或以前的演示数据库。"
            "没有做任何改动。请用 --db 指定一个新的文件来试用演示。",
            name=settings.get(session, "centre.name")))
    # Every write the program makes leaves an audit row (the migrations' seed rows do not):
    # one without a finished first run means someone's data is here.
    if session.execute(select(AuditEntry.id).limit(1)).first() is not None:
        raise RuleError(tr(
            "这个数据库还没有完成初始设置，但里面已经有数据，不能放演示数据。"
            "没有做任何改动。请用 --db 指定一个新的文件来试用演示。"))
