"""Who is acting, and the clock they act by: passed to every service that writes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from frontdesk.core.clock import Clock
from frontdesk.core.errors import PermissionDenied
from frontdesk.core.i18n import tr

ROLE_ADMIN = "admin"
ROLE_DESK = "desk"
# A town admin (镇街管理员) working in a centre: may do whatever the centre's admin may.
# Never given by a centre: the town registry creates its mirror operator rows itself.
ROLE_TOWN = "town"
ROLES = (ROLE_ADMIN, ROLE_DESK)  # the roles a centre gives its own operators
ADMIN_ROLES = (ROLE_ADMIN, ROLE_TOWN)


def role_label(role: str) -> str:
    """The role's name as users know it."""
    return {ROLE_ADMIN: tr("管理员"), ROLE_DESK: tr("前台"),
            ROLE_TOWN: tr("镇街管理员")}.get(role, role)


@dataclass(frozen=True)
class Actor:
    """The logged-in operator (or the system) doing a piece of work."""

    operator_id: int | None
    username: str
    display_name: str
    role: str
    clock: Clock = field(default_factory=Clock, compare=False)

    @classmethod
    def system(cls, clock: Clock | None = None) -> Actor:
        """The program itself (first-run set-up, migrations, demo data)."""
        return cls(None, "system", tr("系统"), ROLE_ADMIN, clock or Clock())

    @property
    def is_admin(self) -> bool:
        return self.role in ADMIN_ROLES

    @property
    def is_town_admin(self) -> bool:
        return self.role == ROLE_TOWN

    def now(self) -> dt.datetime:
        """The current moment by this actor's clock."""
        return self.clock.now()

    def today(self) -> dt.date:
        """The current business date by this actor's clock."""
        return self.clock.today()

    def require_admin(self) -> None:
        """Refuse unless the actor is an administrator."""
        if not self.is_admin:
            raise PermissionDenied(tr("只有管理员可以执行此操作。"))
