"""Residents: the plain view other features use, and lookup by card code or ID number."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.core.errors import NotFoundError, RuleError
from frontdesk.core.i18n import tr
from frontdesk.core.scan import normalise_code
from frontdesk.residents.models import STATUS_ACTIVE, STATUS_DECEASED, Resident


@dataclass(frozen=True)
class ResidentInfo:
    """A resident as other features and screens see it."""

    id: int
    name: str
    sex: str | None
    birth_date: dt.date | None
    id_type: str
    id_number: str | None
    phone: str | None
    address: str | None
    hukou: str | None
    card_code: str | None
    status: str
    temporary: bool
    tags: tuple[str, ...]

    def age_on(self, day: dt.date) -> int | None:
        """Age in whole years on ``day`` (None without a birth date)."""
        if self.birth_date is None:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


def info(resident: Resident) -> ResidentInfo:
    """The plain view of a Resident row."""
    return ResidentInfo(
        resident.id, resident.name, resident.sex, resident.birth_date, resident.id_type,
        resident.id_number, resident.phone, resident.address, resident.hukou,
        resident.card_code, resident.status, resident.temporary,
        tuple(t.tag for t in resident.tags),
    )


def get_resident(session: Session, resident_id: int) -> ResidentInfo:
    """The resident with ``resident_id``, or NotFoundError."""
    resident = session.get(Resident, resident_id)
    if resident is None:
        raise NotFoundError(tr("没有这位居民（编号 {id}）。", id=resident_id))
    return info(resident)


def find_by_card_or_id(session: Session, code: str) -> Resident | None:
    """The resident whose card code or ID number is ``code`` (any status)."""
    code = normalise_code(code).replace(" ", "").upper()
    if not code:
        return None
    found = session.scalar(select(Resident).where(Resident.card_code == code))
    if found is None:
        found = session.scalar(select(Resident).where(Resident.id_number == code))
    return found


def resolve_card_or_id(session: Session, code: str) -> ResidentInfo:
    """The active resident a scanned card or typed ID number names; refuses others."""
    resident = find_by_card_or_id(session, code)
    if resident is None:
        raise NotFoundError(tr("没有找到卡号或证件号为“{code}”的居民。", code=code))
    if resident.status != STATUS_ACTIVE:
        state = tr("已去世") if resident.status == STATUS_DECEASED else tr("已迁出")
        raise RuleError(tr("{name} 的档案状态是“{state}”，不能办理。", name=resident.name,
                           state=state))
    return info(resident)
