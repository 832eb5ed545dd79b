"""Rooms' part of a centre's setup file: rooms with their rules and parts, partner units
(names and kinds only: their contact people stay at the centre)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from frontdesk.centre_setup import Item, SetupSection
from frontdesk.core.actor import Actor
from frontdesk.core.i18n import N_
from frontdesk.rooms.service import (
    create_organisation,
    create_room,
    find_room,
    list_organisations,
    list_rooms,
)


def _rooms(session: Session) -> list[Item]:
    rooms = list_rooms(session)
    names = {r.id: r.name for r in rooms}
    # A divided hall comes before its parts (list_rooms' order), so parts find their hall.
    return [{"name": r.name, "part_of": names.get(r.parent_id) if r.parent_id else None,
             "capacity": r.capacity, "facilities": r.facilities,
             "hours": [list(h) if h else None for h in r.hours],
             "max_minutes": r.max_minutes, "advance_days": r.advance_days,
             "max_per_month": r.max_per_month, "allowed_bookers": list(r.allowed_bookers),
             "needs_approval": r.needs_approval} for r in rooms]


def _create_room(session: Session, actor: Actor, item: Item) -> None:
    hours = {day: (str(pair[0]), str(pair[1])) if pair else None
             for day, pair in enumerate(item["hours"])}
    parent = find_room(session, str(item["part_of"])).id if item.get("part_of") else None
    create_room(session, actor, str(item["name"]), capacity=int(item["capacity"]),
                facilities=str(item.get("facilities", "")), hours=hours, parent_id=parent,
                max_minutes=int(item["max_minutes"]), advance_days=int(item["advance_days"]),
                max_per_month=int(item["max_per_month"]),
                allowed_bookers=tuple(str(k) for k in item["allowed_bookers"]),
                needs_approval=bool(item["needs_approval"]))


def _organisations(session: Session) -> list[Item]:
    return [{"name": o.name, "kind": o.kind} for o in list_organisations(session)]


def _create_organisation(session: Session, actor: Actor, item: Item) -> None:
    create_organisation(session, actor, str(item["name"]), kind=str(item["kind"]))


ROOMS = SetupSection("rooms.rooms", N_("场地"), _rooms, _create_room)
ORGANISATIONS = SetupSection("rooms.organisations", N_("共建单位"), _organisations,
                             _create_organisation)
