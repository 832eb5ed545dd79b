"""`frontdesk demo`: a realistic demo centre, built through the same services as the desk.

Each feature adds a step to ``DEMO_STEPS``: a function taking (session, actor, rng) that
fills its part of the centre and returns a one-line summary. Steps skip work already done,
so running the demo twice fills, never duplicates.
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Callable

from sqlalchemy.orm import Session

from frontdesk.core import operators
from frontdesk.core.actor import ROLE_DESK, Actor
from frontdesk.core.centre import initialise, is_initialised
from frontdesk.core.db import Database
from frontdesk.core.errors import NotFoundError
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


def build_demo(db: Database, *, seed: int = 20261122) -> list[str]:
    """Create (or top up) the demo centre; returns what was done, a line per step."""
    rng = random.Random(seed)
    report = []
    with db.session() as session:
        if not is_initialised(session):
            initialise(session, centre_name=DEMO_CENTRE_NAME, centre_code=DEMO_CENTRE_CODE,
                       town=DEMO_TOWN, admin_username=DEMO_ADMIN, admin_password=DEMO_PASSWORD,
                       admin_display_name="王丽")
            report.append(tr("已创建演示中心：{name}", name=DEMO_CENTRE_NAME))
        admin = operators.actor_for(operators.get_operator(session, DEMO_ADMIN))
        for username, name in DEMO_DESK_STAFF:
            try:
                operators.get_operator(session, username)
            except NotFoundError:
                operators.create_operator(session, admin, username, name, ROLE_DESK,
                                          DEMO_DESK_PASSWORD)
                report.append(tr("已添加前台操作员：{name}（{user}）", name=name, user=username))
    for ref in DEMO_STEPS:
        module_name, func_name = ref.split(":")
        step: DemoStep = getattr(importlib.import_module(module_name), func_name)
        with db.session() as session:
            admin = operators.actor_for(operators.get_operator(session, DEMO_ADMIN))
            report.append(step(session, admin, rng))
    return report
