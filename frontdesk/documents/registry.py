"""The day's sheets each feature prints (来访登记表, 就餐登记表, 场地日程): one registry.

A feature adds ``"kind": "module:function"`` to :data:`DAY_SHEETS`; the function is
``(session, actor, business_date) -> bytes`` and returns the A4 PDF for that day.
``frontdesk sheet KIND --date D --pdf OUT`` and the day close use it.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable

from sqlalchemy.orm import Session

from frontdesk.core.actor import Actor
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import N_, tr

DAY_SHEETS: dict[str, str] = {
    "rooms": "frontdesk.rooms.printed:door_schedule_pdf",
    "attendance": "frontdesk.checkin.sheet:attendance_pdf",
    "canteen": "frontdesk.canteen.papers:daily_sheet_pdf",
    "canteen_route": "frontdesk.canteen.papers:route_sheet_pdf",
    "canteen_kitchen": "frontdesk.canteen.papers:kitchen_pdf",
    "volunteers": "frontdesk.volunteers.papers:day_service_sheet",
    "shop": "frontdesk.volunteers.papers:day_shop_sheet",
}

#: what each day sheet is called on screen and paper (Chinese source text)
DAY_SHEET_TITLES: dict[str, str] = {
    "attendance": N_("来访登记表"),
    "canteen": N_("就餐登记表"),
    "canteen_route": N_("送餐路线单"),
    "canteen_kitchen": N_("备餐单"),
    "rooms": N_("场地安排表"),
    "volunteers": N_("志愿服务登记表"),
    "shop": N_("积分超市库存日报"),
}

DaySheet = Callable[[Session, Actor, dt.date], bytes]


def render_day_sheet(session: Session, actor: Actor, kind: str, day: dt.date) -> bytes:
    """The PDF of the ``kind`` sheet for ``day``."""
    ref = DAY_SHEETS.get(kind)
    if ref is None:
        raise RuleError(tr("没有这种登记表：{kind}。可选：{kinds}", kind=kind,
                           kinds="、".join(sorted(DAY_SHEETS)) or tr("无")))
    module_name, func_name = ref.split(":")
    render: DaySheet = getattr(importlib.import_module(module_name), func_name)
    return render(session, actor, day)
