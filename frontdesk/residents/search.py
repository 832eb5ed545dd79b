"""Finding residents from one search box (a first, simple version: the residents issue
replaces it with the fast pinyin-aware index; the signature stays)."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from frontdesk.core.scan import normalise_code
from frontdesk.residents.models import Resident
from frontdesk.residents.service import ResidentInfo, find_by_card_or_id, info


def search_residents(session: Session, query: str, limit: int = 20) -> list[ResidentInfo]:
    """Residents matching ``query`` (card code, ID number, name, phone), best first."""
    text = normalise_code(query)
    if not text:
        return []
    results: list[ResidentInfo] = []
    exact = find_by_card_or_id(session, text)
    if exact is not None:
        results.append(info(exact))
    like = f"%{text}%"
    rows = session.scalars(
        select(Resident)
        .where(or_(Resident.name.like(like), Resident.phone.like(f"%{text}")))
        .order_by(Resident.name != text, Resident.name)
        .limit(limit)
    )
    seen = {r.id for r in results}
    results.extend(info(r) for r in rows if r.id not in seen)
    return results[:limit]
