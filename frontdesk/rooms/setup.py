"""Are room bookings ready on this centre? (开业准备): what the opening checklist shows for 场地.

Each line names the form that fixes it: page ``rooms``, tab ``rooms`` or ``orgs`` — the tabs
of the rooms page's 场地设置 dialog (``RoomsPage.open_setup(tab)``).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from frontdesk.core.i18n import tr
from frontdesk.core.readiness import ReadinessItem

from . import service

PAGE = "rooms"
TAB_ROOMS = "rooms"
TAB_CLOSURES = "closures"
TAB_ORGS = "orgs"


def readiness(session: Session) -> list[ReadinessItem]:
    """Rooms with opening hours (needed to book); partner units (useful, not needed)."""
    rooms = service.list_rooms(session)
    never_open = [r.name for r in rooms if all(h is None for h in r.hours)]
    if not rooms:
        missing = tr("还没有可以预约的场地。")
    elif never_open:
        missing = tr("这些场地没有设开放时间，无法预约：{names}", names=tr("、").join(never_open))
    else:
        missing = ""
    items = [ReadinessItem("rooms.rooms", tr("场地预约：场地与开放时间"), not missing, missing,
                           PAGE, TAB_ROOMS)]
    orgs = service.list_organisations(session)
    items.append(ReadinessItem(
        "rooms.organisations", tr("场地预约：合作单位（共建单位）"), bool(orgs),
        "" if orgs else tr("还没有登记合作单位：企业、学校、共建单位预约场地前需要先登记。"),
        PAGE, TAB_ORGS, needed=False))
    return items
