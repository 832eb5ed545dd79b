"""A centre's setup travels: export what an admin set up (sessions, funders, rules, purposes,
rooms, teams, shop items — never people) to one file, and import it into another centre.

Import first shows what it will do (:func:`plan_import`); applying adds what the centre
lacks and never overwrites: an item with the same name but other settings is left as it is
and listed, so the admin decides. A centre that has started working (issued meal tickets)
is refused, as are files from another program or a newer version.

Each feature names its sections in :data:`SECTIONS` ("module:ATTRIBUTE" of a
:class:`SetupSection`), in the order they must be created (funders before the rules that
name them).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from frontdesk import __version__
from frontdesk.core import audit
from frontdesk.core.actor import Actor
from frontdesk.core.centre import centre_info
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr

FORMAT = "frontdesk-centre-setup"
FORMAT_VERSION = "1.0"  # MAJOR.MINOR: a newer MAJOR is refused
MAX_FILE_BYTES = 5_000_000

Item = dict[str, Any]

ADD, SAME, DIFFERS = "add", "same", "differs"


@dataclass(frozen=True)
class SetupSection:
    """One kind of setup: how to list it as plain items (each with a ``name``) and how to
    create one. ``busy`` says, when set, why a centre may no longer import this kind."""

    key: str
    title: str  # Chinese source text, shown through tr()
    export: Callable[[Session], list[Item]]
    create: Callable[[Session, Actor, Item], None]
    busy: Callable[[Session], str | None] | None = None


@dataclass(frozen=True)
class PlannedChange:
    """What importing one item will do: add it, nothing (same), or nothing (differs)."""

    section: str  # the section's title, translated
    name: str
    action: str  # ADD, SAME or DIFFERS


# "module:ATTRIBUTE" of each feature's setup sections, in creation order.
SECTIONS: list[str] = [
    "frontdesk.canteen.transfer:FUNDERS",
    "frontdesk.canteen.transfer:SESSIONS",
    "frontdesk.canteen.transfer:RULES",
    "frontdesk.checkin.transfer:PURPOSES",
    "frontdesk.checkin.transfer:TALLY_GROUPS",
    "frontdesk.rooms.transfer:ROOMS",
    "frontdesk.rooms.transfer:ORGANISATIONS",
    "frontdesk.volunteers.transfer:TEAMS",
    "frontdesk.volunteers.transfer:CATEGORIES",
    "frontdesk.volunteers.transfer:ACTIVITIES",
    "frontdesk.volunteers.transfer:GOODS",
]


def sections() -> list[SetupSection]:
    """The setup sections, in creation order."""
    found = []
    for ref in SECTIONS:
        module_name, attribute = ref.split(":")
        found.append(getattr(importlib.import_module(module_name), attribute))
    return found


def export_setup(session: Session) -> bytes:
    """This centre's setup as a UTF-8 JSON file (the same setup gives the same bytes)."""
    info = centre_info(session)
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
        "from_centre": {"code": info.code, "name": info.name},
        "sections": {s.key: s.export(session) for s in sections()},
    }
    return (json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def read_setup(data: bytes) -> dict[str, list[Item]]:
    """The sections of a setup file; RuleError says plainly what is wrong with it."""
    if len(data) > MAX_FILE_BYTES:
        raise RuleError(tr("这个文件太大，不是邻里前台的中心设置文件。"))
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise RuleError(tr("这个文件不是邻里前台导出的中心设置文件（无法读取）。")) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise RuleError(tr("这个文件不是邻里前台导出的中心设置文件。"))
    version = str(document.get("format_version", ""))
    try:
        major = int(version.split(".")[0])
    except ValueError:
        raise RuleError(tr("设置文件的版本无法识别：{v}", v=version)) from None
    if major > int(FORMAT_VERSION.split(".")[0]):
        raise RuleError(tr("这个设置文件来自更新版本的邻里前台（{v}），请先升级本程序再导入。",
                           v=document.get("app_version", version)))
    raw = document.get("sections")
    known = {s.key for s in sections()}
    if not isinstance(raw, dict):
        raise RuleError(tr("设置文件已损坏：缺少设置内容。"))
    result: dict[str, list[Item]] = {}
    for key, items in raw.items():
        if key not in known:
            continue  # a section from a newer minor version: left out, the rest still imports
        if not isinstance(items, list) or not all(
                isinstance(i, dict) and isinstance(i.get("name"), str) for i in items):
            raise RuleError(tr("设置文件已损坏：“{key}”部分的格式不对。", key=key))
        result[key] = items
    return result


def plan_import(session: Session, setup: dict[str, list[Item]]) -> list[PlannedChange]:
    """What importing ``setup`` would do here, item by item; changes nothing."""
    plan = []
    for section in sections():
        existing = {item["name"]: item for item in section.export(session)}
        for item in setup.get(section.key, []):
            here = existing.get(item["name"])
            action = ADD if here is None else (SAME if here == item else DIFFERS)
            plan.append(PlannedChange(tr(section.title), item["name"], action))
    return plan


def import_setup(session: Session, actor: Actor, setup: dict[str, list[Item]]
                 ) -> list[PlannedChange]:
    """Add every item this centre lacks (admins); returns the plan it carried out.

    All or nothing: a refused item (its message names it) refuses the whole import.
    """
    actor.require_admin()
    for section in sections():
        reason = section.busy(session) if section.busy and setup.get(section.key) else None
        if reason:
            raise RuleError(tr("这个中心已经开始使用（{reason}），不能再导入中心设置。"
                               "没有做任何改动。请在各页面里逐项修改。", reason=reason))
    plan = plan_import(session, setup)
    for section in sections():
        existing = {item["name"] for item in section.export(session)}
        for item in setup.get(section.key, []):
            if item["name"] in existing:
                continue
            try:
                section.create(session, actor, item)
            except RuleError as exc:
                raise RuleError(tr("“{section}”里的“{name}”不能导入：{reason}",
                                   section=tr(section.title), name=item["name"],
                                   reason=exc.message)) from None
            except (KeyError, TypeError, ValueError):
                raise RuleError(tr("设置文件已损坏：“{section}”里的“{name}”缺少内容。",
                                   section=tr(section.title), name=item["name"])) from None
            session.flush()
    added = sum(change.action == ADD for change in plan)
    audit.record(session, actor, "centre.setup.import", "centre", centre_info(session).code,
                 f"{added} added, {len(plan) - added} already here")
    return plan
