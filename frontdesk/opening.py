"""The opening checklist (开业准备): every job's readiness on one list, for a new centre.

Each feature reports its own lines through a ``readiness(session)`` function named in
:data:`READINESS`, so this list grows with the features and core knows none of them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from sqlalchemy.orm import Session

from frontdesk.core.readiness import ReadinessItem

Readiness = Callable[[Session], list[ReadinessItem]]

# "module:function" of each job's readiness report, in the order a centre sets them up.
READINESS: list[str] = [
    "frontdesk.core.centre:readiness",
    "frontdesk.core.operators:readiness",
    "frontdesk.checkin.setup:readiness",
    "frontdesk.canteen.setup:readiness",
    "frontdesk.rooms.setup:readiness",
    "frontdesk.volunteers.setup:readiness",
]


def opening_checklist(session: Session) -> list[ReadinessItem]:
    """Every job's readiness, in set-up order."""
    items: list[ReadinessItem] = []
    for ref in READINESS:
        module_name, func_name = ref.split(":")
        report: Readiness = getattr(importlib.import_module(module_name), func_name)
        items.extend(report(session))
    return items


def ready_to_open(items: list[ReadinessItem]) -> bool:
    """Whether every needed job is set up."""
    return all(item.ready for item in items if item.needed)
