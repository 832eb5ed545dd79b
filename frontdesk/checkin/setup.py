"""Is check-in ready on this centre? (开业准备): what the opening checklist shows for 签到.

Each line names the form that fixes it: page ``checkin``, tab ``purposes`` or ``groups`` —
the tabs of the check-in page's 管理事由与分组 dialog (``CheckinPage.open_admin(tab)``).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from frontdesk.core.errors import FrontdeskError
from frontdesk.core.i18n import tr
from frontdesk.core.readiness import ReadinessItem

from . import service

PAGE = "checkin"
TAB_PURPOSES = "purposes"
TAB_GROUPS = "groups"


def readiness(session: Session) -> list[ReadinessItem]:
    """Purposes (needed), the default purpose and the tally groups (useful, not needed)."""
    purposes = service.list_purposes(session)
    items = [ReadinessItem(
        "checkin.purposes", tr("签到：签到事由"), bool(purposes),
        "" if purposes else tr("还没有启用的签到事由：来访者签到时无法选择来意。"),
        PAGE, TAB_PURPOSES)]
    try:
        default = service.default_purpose(session)
    except FrontdeskError:
        default = None
    items.append(ReadinessItem(
        "checkin.default_purpose", tr("签到：刷卡直接签到的默认事由"), default is not None,
        "" if default is not None else tr("未设定：每次签到都要先选事由，命令行签到要写明事由。"),
        PAGE, TAB_PURPOSES, needed=False))
    groups = service.list_tally_groups(session)
    items.append(ReadinessItem(
        "checkin.tally_groups", tr("签到：匿名计数分组"), bool(groups),
        "" if groups else tr("还没有匿名计数分组（外卖员、快递员等不登记姓名的来访者）。"),
        PAGE, TAB_GROUPS, needed=False))
    return items
