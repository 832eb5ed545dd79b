"""Check-in's part of a centre's setup file: visit purposes and tally groups."""

from __future__ import annotations

from sqlalchemy.orm import Session

from frontdesk.centre_setup import Item, SetupSection
from frontdesk.checkin.service import (
    list_purposes,
    list_tally_groups,
    save_purpose,
    save_tally_group,
)
from frontdesk.core.actor import Actor
from frontdesk.core.i18n import N_


def _purposes(session: Session) -> list[Item]:
    return [{"name": p.name, "area": p.area, "hotkey": p.hotkey, "sort_order": p.sort_order}
            for p in list_purposes(session)]


def _create_purpose(session: Session, actor: Actor, item: Item) -> None:
    save_purpose(session, actor, None, name=str(item["name"]), area=str(item["area"]),
                 sort_order=int(item.get("sort_order") or 0), hotkey=item.get("hotkey"))


def _tally_groups(session: Session) -> list[Item]:
    return [{"name": g.name, "sort_order": g.sort_order} for g in list_tally_groups(session)]


def _create_tally_group(session: Session, actor: Actor, item: Item) -> None:
    save_tally_group(session, actor, None, name=str(item["name"]),
                     sort_order=int(item.get("sort_order") or 0))


PURPOSES = SetupSection("checkin.purposes", N_("来访事由"), _purposes, _create_purpose)
TALLY_GROUPS = SetupSection("checkin.tally_groups", N_("匿名计数分组"), _tally_groups,
                            _create_tally_group)
