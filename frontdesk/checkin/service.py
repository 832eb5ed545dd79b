"""Check-in rules (签到): who came, why, when; tallies, group visits, check-out and undo.

Services take ``(session, actor, ...)`` and return frozen dataclasses. Writes run in the
caller's write transaction (``BEGIN IMMEDIATE`` on SQLite), so the repeat check and the
insert of two desks never interleave: the second desk sees the first one's check-in.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Date, Integer, bindparam, func, select
from sqlalchemy.orm import Session

from frontdesk.core import audit, settings
from frontdesk.core.actor import Actor
from frontdesk.core.clock import CENTRE_TZ, to_local
from frontdesk.core.dayguard import ensure_day_open
from frontdesk.core.errors import NotFoundError, RuleError
from frontdesk.core.i18n import tr
from frontdesk.core.textfields import clean_line
from frontdesk.residents.models import STATUS_ACTIVE, STATUS_DECEASED, Resident
from frontdesk.residents.service import ResidentInfo, info, resolve_card_or_id

from .models import AREAS, Checkin, CheckinPurpose, GroupVisit, TallyEntry, TallyGroup

KIND_CHECKIN = "checkin"
KIND_TALLY = "tally"
KIND_GROUP = "group"
KINDS = (KIND_CHECKIN, KIND_TALLY, KIND_GROUP)

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
# A clock more than this far behind the newest entry is reported to the desk.
CLOCK_TOLERANCE = dt.timedelta(minutes=1)
MAX_HEAD_COUNT = 2000
MAX_TALLY_COUNT = 100


# -- plain views -----------------------------------------------------------------------------

@dataclass(frozen=True)
class PurposeInfo:
    """A purpose (事由) as the desk shows it."""

    id: int
    name: str
    area: str
    active: bool
    sort_order: int
    hotkey: str | None

    @property
    def label(self) -> str:
        """The name in the user's language (seeded names are translated)."""
        return tr(self.name)

    @property
    def area_label(self) -> str:
        return tr(AREAS.get(self.area, self.area))


@dataclass(frozen=True)
class TallyGroupInfo:
    """A tally group (外卖员 ...) as the desk shows it."""

    id: int
    name: str
    active: bool
    sort_order: int

    @property
    def label(self) -> str:
        return tr(self.name)


@dataclass(frozen=True)
class CheckinRow:
    """One check-in as screens and reports show it."""

    id: int
    resident_id: int
    name: str
    temporary: bool
    purpose: str
    checked_in_at: dt.datetime
    business_date: dt.date
    operator: str
    checked_out_at: dt.datetime | None
    duration_minutes: int | None
    voided: bool


@dataclass(frozen=True)
class CheckinResult:
    """A committed check-in, who it was for, and anything the desk should notice."""

    entry: CheckinRow
    resident: ResidentInfo
    warning: str = ""


@dataclass(frozen=True)
class EntryRow:
    """Any of today's entries (check-in, tally, group visit) for the undo list."""

    kind: str
    id: int
    at: dt.datetime
    label: str
    voided: bool


class RepeatCheckin(RuleError):
    """The same person checked in for the same purpose moments ago; the desk may confirm."""

    def __init__(self, message: str, previous: CheckinRow) -> None:
        super().__init__(message)
        self.previous = previous


# -- purposes and tally groups (admin-managed) ------------------------------------------------

def _purpose_info(p: CheckinPurpose) -> PurposeInfo:
    return PurposeInfo(p.id, p.name, p.area, p.active, p.sort_order, p.hotkey)


def list_purposes(session: Session, *, include_inactive: bool = False) -> list[PurposeInfo]:
    """The purposes in display order (active ones only unless asked)."""
    stmt = select(CheckinPurpose).order_by(CheckinPurpose.sort_order, CheckinPurpose.id)
    if not include_inactive:
        stmt = stmt.where(CheckinPurpose.active.is_(True))
    return [_purpose_info(p) for p in session.scalars(stmt)]


def area_code(text: str) -> str:
    """The 1+6+X area named by its code or its label (Chinese or translated)."""
    wanted = text.strip()
    for code, label in AREAS.items():
        if wanted in (code, label, tr(label)):
            return code
    raise RuleError(tr("没有这个服务领域：{area}。可选：{areas}", area=wanted,
                       areas="、".join(tr(label) for label in AREAS.values())))


def _next_order(session: Session, model: type[CheckinPurpose] | type[TallyGroup]) -> int:
    return int(session.scalar(select(func.max(model.sort_order))) or 0) + 1


def _default_name(session: Session) -> str:
    return str(settings.get(session, "checkin.default_purpose")).strip()


def save_purpose(session: Session, actor: Actor, purpose_id: int | None, *, name: str,
                 area: str, active: bool = True, sort_order: int | None = None,
                 hotkey: str | None = None) -> PurposeInfo:
    """Add (``purpose_id`` None) or change a purpose; admins only, audited.

    A new purpose without ``sort_order`` goes to the end. Renaming the default purpose keeps
    it the default; the default purpose cannot be switched off (choose another one first).
    """
    actor.require_admin()
    name = clean_line(tr("事由名称"), name, limit=50, required=True)
    hotkey = (hotkey or "").strip().upper() or None
    if area not in AREAS:
        raise RuleError(tr("服务领域无效：{area}", area=area))
    if hotkey is not None and (len(hotkey) != 1 or not hotkey.isascii()
                               or not hotkey.isalnum()):
        raise RuleError(tr("快捷键只能是一个数字或字母。"))
    clash = session.scalar(select(CheckinPurpose).where(CheckinPurpose.name == name))
    if clash is not None and clash.id != purpose_id:
        raise RuleError(tr("事由“{name}”已存在。", name=name) + (
            "" if clash.active else tr("它已停用，可以选中它后重新启用。")))
    if hotkey is not None and active:
        taken = session.scalar(select(CheckinPurpose).where(
            CheckinPurpose.hotkey == hotkey, CheckinPurpose.active.is_(True)))
        if taken is not None and taken.id != purpose_id:
            raise RuleError(tr("快捷键 {key} 已被“{name}”使用。", key=hotkey, name=taken.name))
    if purpose_id is None:
        order = _next_order(session, CheckinPurpose) if sort_order is None else sort_order
        purpose = CheckinPurpose(name=name, area=area, active=active, sort_order=order,
                                 hotkey=hotkey)
        session.add(purpose)
        session.flush()
        audit.record(session, actor, "checkin.purpose.create", "checkin_purpose", purpose.id,
                     f"{name} ({area}) key={hotkey}")
        return _purpose_info(purpose)
    found = session.get(CheckinPurpose, purpose_id)
    if found is None:
        raise NotFoundError(tr("没有这个事由（编号 {id}）。", id=purpose_id))
    is_default = _default_name(session) in (found.name, tr(found.name))
    if is_default and not active:
        raise RuleError(tr("“{name}”是刷卡直接签到的默认事由，不能停用。请先另选默认事由"
                           "（或改为每次选择），再停用它。", name=tr(found.name)))
    order = found.sort_order if sort_order is None else sort_order
    before = {"name": found.name, "area": found.area, "active": found.active,
              "sort_order": found.sort_order, "hotkey": found.hotkey}
    found.name, found.area, found.active = name, area, active
    found.sort_order, found.hotkey = order, hotkey
    after = {"name": name, "area": area, "active": active, "sort_order": order,
             "hotkey": hotkey}
    audit.record(session, actor, "checkin.purpose.update", "checkin_purpose", found.id,
                 audit.describe_change(before, after))
    if is_default and before["name"] != name:
        settings.set_value(session, actor, "checkin.default_purpose", name)
    return _purpose_info(found)


def set_purpose_active(session: Session, actor: Actor, purpose_id: int, active: bool
                       ) -> PurposeInfo:
    """Retire (停用) or bring back a purpose; its past check-ins keep it either way."""
    found = session.get(CheckinPurpose, purpose_id)
    if found is None:
        raise NotFoundError(tr("没有这个事由（编号 {id}）。", id=purpose_id))
    hotkey = found.hotkey
    if active and hotkey is not None:
        taken = session.scalar(select(CheckinPurpose).where(
            CheckinPurpose.hotkey == hotkey, CheckinPurpose.active.is_(True),
            CheckinPurpose.id != found.id))
        if taken is not None:
            hotkey = None  # its old key went to another purpose meanwhile: back without one
    return save_purpose(session, actor, found.id, name=found.name, area=found.area,
                        active=active, sort_order=found.sort_order, hotkey=hotkey)


def _move(session: Session, actor: Actor, model: type[CheckinPurpose] | type[TallyGroup],
          record_id: int, step: int, action: str) -> None:
    rows: list[Any] = list(session.scalars(select(model).order_by(model.sort_order, model.id)))
    index = next((i for i, r in enumerate(rows) if r.id == record_id), None)
    if index is None:
        raise NotFoundError(tr("没有这条记录（编号 {id}）。", id=record_id))
    target = max(0, min(len(rows) - 1, index + step))
    if target == index:
        return
    rows.insert(target, rows.pop(index))
    for order, row in enumerate(rows, start=1):
        row.sort_order = order
    audit.record(session, actor, action, model.__tablename__, record_id,
                 f"{rows[target].name}: {index + 1} → {target + 1}")


def move_purpose(session: Session, actor: Actor, purpose_id: int, step: int) -> None:
    """Move a purpose ``step`` places (negative: earlier) on the check-in page; admins only."""
    actor.require_admin()
    _move(session, actor, CheckinPurpose, purpose_id, step, "checkin.purpose.move")


def set_default_purpose(session: Session, actor: Actor, purpose_id: int | None
                        ) -> PurposeInfo | None:
    """Make an active purpose the one a plain scan checks in with (None: choose each time)."""
    actor.require_admin()
    if purpose_id is None:
        settings.set_value(session, actor, "checkin.default_purpose", "")
        return None
    found = session.get(CheckinPurpose, purpose_id)
    if found is None or not found.active:
        raise RuleError(tr("这个签到事由不存在或已停用，请重新选择。"))
    settings.set_value(session, actor, "checkin.default_purpose", found.name)
    return _purpose_info(found)


def check_default_purpose(session: Session, value: object) -> str:
    """The stored form of the default-purpose setting: an active purpose's name, or "".

    Called by :func:`frontdesk.core.settings.set_value` so that no screen or command can
    store a name that matches no purpose.
    """
    text = str(value or "").strip()
    if not text:
        return ""
    return find_purpose(session, text).name


def list_tally_groups(session: Session, *, include_inactive: bool = False
                      ) -> list[TallyGroupInfo]:
    """The tally groups in display order."""
    stmt = select(TallyGroup).order_by(TallyGroup.sort_order, TallyGroup.id)
    if not include_inactive:
        stmt = stmt.where(TallyGroup.active.is_(True))
    return [TallyGroupInfo(g.id, g.name, g.active, g.sort_order) for g in session.scalars(stmt)]


def save_tally_group(session: Session, actor: Actor, group_id: int | None, *, name: str,
                     active: bool = True, sort_order: int | None = None) -> TallyGroupInfo:
    """Add or change a tally group; admins only, audited (a new one goes to the end)."""
    actor.require_admin()
    name = clean_line(tr("分组名称"), name, limit=50, required=True)
    clash = session.scalar(select(TallyGroup).where(TallyGroup.name == name))
    if clash is not None and clash.id != group_id:
        raise RuleError(tr("分组“{name}”已存在。", name=name) + (
            "" if clash.active else tr("它已停用，可以选中它后重新启用。")))
    if group_id is None:
        order = _next_order(session, TallyGroup) if sort_order is None else sort_order
        group = TallyGroup(name=name, active=active, sort_order=order)
        session.add(group)
        session.flush()
        audit.record(session, actor, "checkin.tally_group.create", "tally_group", group.id, name)
    else:
        found = session.get(TallyGroup, group_id)
        if found is None:
            raise NotFoundError(tr("没有这个分组（编号 {id}）。", id=group_id))
        order = found.sort_order if sort_order is None else sort_order
        before = {"name": found.name, "active": found.active, "sort_order": found.sort_order}
        found.name, found.active, found.sort_order = name, active, order
        group = found
        audit.record(session, actor, "checkin.tally_group.update", "tally_group", group.id,
                     audit.describe_change(before, {"name": name, "active": active,
                                                    "sort_order": order}))
    return TallyGroupInfo(group.id, group.name, group.active, group.sort_order)


def set_tally_group_active(session: Session, actor: Actor, group_id: int, active: bool
                           ) -> TallyGroupInfo:
    """Retire (停用) or bring back a tally group; its past counts keep it either way."""
    found = session.get(TallyGroup, group_id)
    if found is None:
        raise NotFoundError(tr("没有这个分组（编号 {id}）。", id=group_id))
    return save_tally_group(session, actor, found.id, name=found.name, active=active,
                            sort_order=found.sort_order)


def move_tally_group(session: Session, actor: Actor, group_id: int, step: int) -> None:
    """Move a tally group ``step`` places (negative: earlier); admins only."""
    actor.require_admin()
    _move(session, actor, TallyGroup, group_id, step, "checkin.tally_group.move")


def find_tally_group(session: Session, name: str, *, include_inactive: bool = True
                     ) -> TallyGroupInfo:
    """The tally group with this name (source or translated)."""
    wanted = name.strip()
    for g in list_tally_groups(session, include_inactive=include_inactive):
        if wanted in (g.name, g.label):
            return g
    raise NotFoundError(tr("没有这个匿名计数分组：{name}", name=wanted))


def find_purpose(session: Session, name_or_key: str, *, include_inactive: bool = False
                 ) -> PurposeInfo:
    """The active purpose (any, if asked) with this name (source or translated) or hot key."""
    wanted = name_or_key.strip()
    for p in list_purposes(session, include_inactive=include_inactive):
        if wanted in (p.name, p.label) or (p.hotkey and p.active and wanted.upper() == p.hotkey):
            return p
    raise NotFoundError(tr("没有这个签到事由：{name}", name=wanted))


def default_purpose(session: Session) -> PurposeInfo | None:
    """The purpose a plain scan checks in with, or None when the desk must choose."""
    name = _default_name(session)
    return find_purpose(session, name) if name else None


# -- check-in --------------------------------------------------------------------------------

def _active_resident(session: Session, resident_id: int) -> ResidentInfo:
    resident = session.get(Resident, resident_id)
    if resident is None:
        raise NotFoundError(tr("没有这位居民（编号 {id}）。", id=resident_id))
    if resident.status != STATUS_ACTIVE:
        state = tr("已去世") if resident.status == STATUS_DECEASED else tr("已迁出")
        raise RuleError(tr("{name} 的档案状态是“{state}”，不能办理。", name=resident.name,
                           state=state))
    return info(resident)


def _row(c: Checkin, name: str, temporary: bool, purpose: str) -> CheckinRow:
    return CheckinRow(c.id, c.resident_id, name, temporary, tr(purpose), c.checked_in_at,
                      c.business_date, c.operator_name, c.checked_out_at, c.duration_minutes,
                      c.voided)


def clock_warning(session: Session, now: dt.datetime) -> str:
    """A message when the clock reads earlier than the newest entry (it went backwards)."""
    # Entries "from the future" have a business date from yesterday on: the index finds them.
    since = now.astimezone(CENTRE_TZ).date() - dt.timedelta(days=1)
    latest = session.scalar(_queries()["latest"], {"since": since})
    if latest is None or latest <= now + CLOCK_TOLERANCE:
        return ""
    minutes = int((latest - now).total_seconds() // 60)
    return tr("电脑时钟比上一条签到记录早了 {m} 分钟，请检查系统时间。记录已按当前时间保存，"
              "没有丢失。", m=minutes)


def check_in(session: Session, actor: Actor, *, code: str | None = None,
             resident_id: int | None = None, purpose_id: int | None = None,
             confirm_repeat: bool = False) -> CheckinResult:
    """Check a resident in (by card code / ID number, or by resident id) for a purpose.

    Without ``purpose_id`` the centre's default purpose is used. A repeat within the
    configured window raises :class:`RepeatCheckin` unless ``confirm_repeat``.
    """
    if resident_id is not None:
        resident = _active_resident(session, resident_id)
    elif code is not None and code.strip():
        resident = resolve_card_or_id(session, code)
    else:
        raise RuleError(tr("请先刷卡或选择一位居民。"))
    ensure_day_open(session, actor.today())
    if purpose_id is None:
        chosen = default_purpose(session)
        if chosen is None:
            raise RuleError(tr("请选择签到事由。"))
        purpose = session.get(CheckinPurpose, chosen.id)
    else:
        purpose = session.get(CheckinPurpose, purpose_id)
    if purpose is None or not purpose.active:
        raise RuleError(tr("这个签到事由不存在或已停用，请重新选择。"))
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        # SQLite's BEGIN IMMEDIATE already serialises desks; elsewhere lock the person's row
        # so two desks cannot both pass the repeat check below.
        session.execute(select(Resident.id).where(Resident.id == resident.id).with_for_update())
    now = actor.now()
    window = int(settings.get(session, "checkin.repeat_window_minutes"))
    if window > 0 and not confirm_repeat:
        span = dt.timedelta(minutes=window)
        # Both sides of "now": a clock that went backwards must not hide a repeat.
        previous_id = session.scalar(
            select(Checkin.id)
            .where(Checkin.resident_id == resident.id, Checkin.purpose_id == purpose.id,
                   Checkin.voided.is_(False), Checkin.checked_in_at >= now - span,
                   Checkin.checked_in_at <= now + span)
            .order_by(Checkin.id.desc()).limit(1))
        previous = None if previous_id is None else session.get(Checkin, previous_id)
        if previous is not None:
            row = _row(previous, resident.name, resident.temporary, purpose.name)
            raise RepeatCheckin(
                tr("{name} 在 {time} 已经签到过“{purpose}”。确定要再签到一次吗？",
                   name=resident.name, time=_hm(previous.checked_in_at), purpose=row.purpose),
                row)
    # The newest entry by id is the one written last: later than now means the clock went
    # back since then (one cheap lookup; the page keeps showing it via clock_warning).
    newest = session.scalar(select(Checkin.checked_in_at).order_by(Checkin.id.desc()).limit(1))
    warning = clock_warning(session, now) if newest and newest > now + CLOCK_TOLERANCE else ""
    entry = Checkin(resident_id=resident.id, purpose_id=purpose.id, checked_in_at=now,
                    business_date=actor.today(), operator_id=actor.operator_id,
                    operator_name=actor.display_name, confirmed_repeat=confirm_repeat,
                    voided=False)
    session.add(entry)
    session.flush()
    audit.record(session, actor, "checkin.create", "checkin", entry.id,
                 f"{resident.name} (#{resident.id}) {purpose.name}"
                 + ("; repeat confirmed" if confirm_repeat else "")
                 + ("; clock behind newest entry" if warning else ""))
    return CheckinResult(_row(entry, resident.name, resident.temporary, purpose.name), resident,
                         warning)


def register_visitor(session: Session, actor: Actor, name: str, phone: str = ""
                     ) -> ResidentInfo:
    """Quick registration of an unregistered visitor (临时登记): name, optional phone.

    Creates a temporary resident the residents desk completes later; the same name and
    phone again gives the same person, never a duplicate.
    """
    name, phone = name.strip(), phone.strip().replace(" ", "")
    if not name or len(name) > 50:
        raise RuleError(tr("请填写姓名（最多 50 字）。"))
    if phone and not (MOBILE.match(phone) or LANDLINE.match(phone)):
        raise RuleError(tr("电话号码格式不对：手机号为 11 位数字，座机如 0595-12345678。"))
    if phone:
        same = session.scalar(select(Resident).where(
            Resident.name == name, Resident.phone == phone, Resident.status == STATUS_ACTIVE))
        if same is not None:
            return info(same)
    now = actor.now()
    resident = Resident(name=name, phone=phone or None, temporary=True, status=STATUS_ACTIVE,
                        id_type="none", created_at=now, updated_at=now,
                        notes=tr("签到处临时登记"))
    session.add(resident)
    session.flush()
    audit.record(session, actor, "resident.quick_register", "resident", resident.id,
                 f"{name} phone={'yes' if phone else 'no'}")
    return info(resident)


def check_out(session: Session, actor: Actor, checkin_id: int) -> CheckinRow:
    """Record that the visitor left (签退) and how long they stayed."""
    entry = session.get(Checkin, checkin_id)
    if entry is None:
        raise NotFoundError(tr("没有这条签到记录（编号 {id}）。", id=checkin_id))
    if entry.voided:
        raise RuleError(tr("这条签到已撤销，不能签退。"))
    if entry.checked_out_at is not None:
        raise RuleError(tr("已经在 {time} 签退过了。", time=_hm(entry.checked_out_at)))
    ensure_day_open(session, entry.business_date)
    now = actor.now()
    # A clock set back since check-in would give a negative stay: count it as none.
    minutes = max(0, int((now - entry.checked_in_at).total_seconds() // 60))
    entry.checked_out_at = now
    entry.duration_minutes = minutes
    resident = session.get(Resident, entry.resident_id)
    purpose = session.get(CheckinPurpose, entry.purpose_id)
    assert resident is not None and purpose is not None
    audit.record(session, actor, "checkin.checkout", "checkin", entry.id,
                 f"{resident.name} stayed {minutes} min")
    return _row(entry, resident.name, resident.temporary, purpose.name)


def add_tally(session: Session, actor: Actor, group_id: int, count: int = 1) -> EntryRow:
    """Count ``count`` unnamed visitors of a group (one click = one person)."""
    group = session.get(TallyGroup, group_id)
    if group is None or not group.active:
        raise RuleError(tr("这个分组不存在或已停用。"))
    if not 1 <= count <= MAX_TALLY_COUNT:
        raise RuleError(tr("人数应在 1 到 {n} 之间。", n=MAX_TALLY_COUNT))
    ensure_day_open(session, actor.today())
    entry = TallyEntry(group_id=group.id, count=count, at=actor.now(),
                       business_date=actor.today(), operator_id=actor.operator_id,
                       operator_name=actor.display_name, voided=False)
    session.add(entry)
    session.flush()
    audit.record(session, actor, "checkin.tally", "tally_entry", entry.id,
                 f"{group.name} +{count}")
    return EntryRow(KIND_TALLY, entry.id, entry.at, f"{tr(group.name)} +{count}", False)


def add_group_visit(session: Session, actor: Actor, organisation: str, head_count: int,
                    purpose_id: int | None = None, contact: str = "") -> EntryRow:
    """A group arriving together (团体来访): one entry with its head count."""
    organisation, contact = organisation.strip(), contact.strip()
    if not organisation or len(organisation) > 100:
        raise RuleError(tr("请填写来访单位（最多 100 字）。"))
    if not 1 <= head_count <= MAX_HEAD_COUNT:
        raise RuleError(tr("人数应在 1 到 {n} 之间。", n=MAX_HEAD_COUNT))
    if len(contact) > 100:
        raise RuleError(tr("联系人太长（最多 100 字）。"))
    if purpose_id is not None and session.get(CheckinPurpose, purpose_id) is None:
        raise RuleError(tr("这个签到事由不存在或已停用，请重新选择。"))
    ensure_day_open(session, actor.today())
    entry = GroupVisit(organisation=organisation, head_count=head_count, purpose_id=purpose_id,
                       contact=contact or None, at=actor.now(), business_date=actor.today(),
                       operator_id=actor.operator_id, operator_name=actor.display_name,
                       voided=False)
    session.add(entry)
    session.flush()
    audit.record(session, actor, "checkin.group_visit", "group_visit", entry.id,
                 f"{organisation} x{head_count}")
    return EntryRow(KIND_GROUP, entry.id, entry.at,
                    tr("{org}（{n} 人）", org=organisation, n=head_count), False)


def void_entry(session: Session, actor: Actor, kind: str, entry_id: int, reason: str) -> None:
    """Undo an entry: it is kept, marked void with the reason, and no longer counted."""
    reason = reason.strip()
    if not reason:
        raise RuleError(tr("撤销需要填写原因。"))
    if len(reason) > 200:
        raise RuleError(tr("原因太长（最多 200 字）。"))
    models: dict[str, type[Checkin] | type[TallyEntry] | type[GroupVisit]] = {
        KIND_CHECKIN: Checkin, KIND_TALLY: TallyEntry, KIND_GROUP: GroupVisit}
    model = models.get(kind)
    if model is None:
        raise RuleError(tr("记录类型无效：{kind}", kind=kind))
    entry: Checkin | TallyEntry | GroupVisit | None = session.get(model, entry_id)  # type: ignore[assignment]
    if entry is None:
        raise NotFoundError(tr("没有这条记录（编号 {id}）。", id=entry_id))
    if entry.voided:
        raise RuleError(tr("这条记录已经撤销过了。"))
    ensure_day_open(session, entry.business_date)
    entry.voided = True
    entry.void_reason = reason
    entry.voided_at = actor.now()
    entry.voided_by = actor.username
    audit.record(session, actor, "checkin.void", model.__tablename__, entry.id, reason)


def _hm(moment: dt.datetime) -> str:
    return to_local(moment).strftime("%H:%M")


# -- what the page shows ---------------------------------------------------------------------

@dataclass(frozen=True)
class DayCounts:
    """One day's numbers: visits by purpose, tallies by group, group visits."""

    day: dt.date
    by_purpose: tuple[tuple[str, int], ...]
    by_group: tuple[tuple[str, int], ...]
    visits: int
    tallies: int
    group_visits: int
    group_heads: int

    @property
    def people(self) -> int:
        """Everyone who came: named visits, tallied people and group members."""
        return self.visits + self.tallies + self.group_heads


@dataclass(frozen=True)
class DayTotal:
    """One bar of the recent-days chart."""

    day: dt.date
    visits: int
    tallies: int
    group_heads: int

    @property
    def people(self) -> int:
        return self.visits + self.tallies + self.group_heads


@dataclass(frozen=True)
class CheckinPageData:
    """Everything the check-in page shows, loaded in one read."""

    day: dt.date
    counts: DayCounts
    series: tuple[DayTotal, ...]
    in_centre: tuple[CheckinRow, ...]
    recent: tuple[EntryRow, ...]
    warning: str


@cache
def _queries() -> dict[str, Any]:
    """The page's read queries, built once with bound parameters.

    The page reloads after every check-in; building a dozen statements cost about as much
    as running them on SQLite.
    """
    day, first, last = (bindparam(n, type_=Date()) for n in ("day", "first", "last"))
    since, limit = bindparam("since", type_=Date()), bindparam("limit", type_=Integer())

    def per_day(model: type[Checkin] | type[TallyEntry] | type[GroupVisit], column: Any
                ) -> Any:
        return (select(model.business_date, column)
                .where(model.business_date >= first, model.business_date <= last,
                       model.voided.is_(False))
                .group_by(model.business_date))

    return {
        "latest": select(func.max(Checkin.checked_in_at)).where(Checkin.business_date >= since),
        "per_purpose": select(Checkin.purpose_id, func.count())
        .where(Checkin.business_date == day, Checkin.voided.is_(False))
        .group_by(Checkin.purpose_id),
        "per_group": select(TallyEntry.group_id, func.sum(TallyEntry.count))
        .where(TallyEntry.business_date == day, TallyEntry.voided.is_(False))
        .group_by(TallyEntry.group_id),
        "group_visits": select(func.count(), func.coalesce(func.sum(GroupVisit.head_count), 0))
        .where(GroupVisit.business_date == day, GroupVisit.voided.is_(False)),
        "visits_per_day": per_day(Checkin, func.count()),
        "tallies_per_day": per_day(TallyEntry, func.sum(TallyEntry.count)),
        "heads_per_day": per_day(GroupVisit, func.sum(GroupVisit.head_count)),
        # Plain columns, not entities: this runs after every check-in and may list hundreds.
        "in_centre": select(Checkin.id, Checkin.resident_id, Resident.name, Resident.temporary,
                            CheckinPurpose.name, Checkin.checked_in_at, Checkin.operator_name)
        .join(Resident, Resident.id == Checkin.resident_id)
        .join(CheckinPurpose, CheckinPurpose.id == Checkin.purpose_id)
        .where(Checkin.business_date == day, Checkin.voided.is_(False),
               Checkin.checked_out_at.is_(None))
        .order_by(Checkin.checked_in_at, Checkin.id),
        "recent_checkins": select(Checkin.id, Checkin.checked_in_at, Resident.name,
                                  CheckinPurpose.name, Checkin.voided)
        .join(Resident, Resident.id == Checkin.resident_id)
        .join(CheckinPurpose, CheckinPurpose.id == Checkin.purpose_id)
        .where(Checkin.business_date == day).order_by(Checkin.id.desc()).limit(limit),
        "recent_tallies": select(TallyEntry.id, TallyEntry.at, TallyGroup.name,
                                 TallyEntry.count, TallyEntry.voided)
        .join(TallyGroup, TallyGroup.id == TallyEntry.group_id)
        .where(TallyEntry.business_date == day).order_by(TallyEntry.id.desc()).limit(limit),
        "recent_groups": select(GroupVisit.id, GroupVisit.at, GroupVisit.organisation,
                                GroupVisit.head_count, GroupVisit.voided)
        .where(GroupVisit.business_date == day).order_by(GroupVisit.id.desc()).limit(limit),
    }


def day_counts(session: Session, day: dt.date) -> DayCounts:
    """The day's counts, voided entries excluded; every active purpose/group listed."""
    q, on_day = _queries(), {"day": day}
    per_purpose: dict[int, int] = {pid: n for pid, n in session.execute(q["per_purpose"], on_day)}
    per_group: dict[int, int] = {gid: n for gid, n in session.execute(q["per_group"], on_day)}
    visits_row = session.execute(q["group_visits"], on_day).one()
    purposes = list_purposes(session, include_inactive=True)
    by_purpose = tuple((p.label, per_purpose.get(p.id, 0)) for p in purposes
                       if p.active or per_purpose.get(p.id))
    groups = list_tally_groups(session, include_inactive=True)
    by_group = tuple((g.label, int(per_group.get(g.id) or 0)) for g in groups
                     if g.active or per_group.get(g.id))
    return DayCounts(day, by_purpose, by_group, sum(per_purpose.values()),
                     sum(int(v or 0) for v in per_group.values()), int(visits_row[0]),
                     int(visits_row[1]))


def daily_series(session: Session, last_day: dt.date, days: int = 14) -> tuple[DayTotal, ...]:
    """People per day for the ``days`` days ending on ``last_day`` (no gaps)."""
    first = last_day - dt.timedelta(days=days - 1)
    q, span = _queries(), {"first": first, "last": last_day}

    def per_day(name: str) -> dict[dt.date, int]:
        return {d: int(n or 0) for d, n in session.execute(q[name], span)}

    visits = per_day("visits_per_day")
    tallies = per_day("tallies_per_day")
    heads = per_day("heads_per_day")
    out = []
    for i in range(days):
        d = first + dt.timedelta(days=i)
        out.append(DayTotal(d, visits.get(d, 0), tallies.get(d, 0), heads.get(d, 0)))
    return tuple(out)


def in_centre(session: Session, day: dt.date) -> list[CheckinRow]:
    """Who checked in on ``day`` and has not checked out (在中心), earliest first."""
    rows = session.execute(_queries()["in_centre"], {"day": day})
    labels: dict[str, str] = {}
    return [CheckinRow(cid, rid, name, temp, labels.setdefault(purpose, tr(purpose)), at, day,
                       operator, None, None, False)
            for cid, rid, name, temp, purpose, at, operator in rows]


def recent_entries(session: Session, day: dt.date, limit: int = 12) -> list[EntryRow]:
    """The day's latest entries of every kind, newest first (what undo offers)."""
    q, params = _queries(), {"day": day, "limit": limit}
    checkins = session.execute(q["recent_checkins"], params)
    tallies = session.execute(q["recent_tallies"], params)
    groups = session.execute(q["recent_groups"], params)
    entries = [EntryRow(KIND_CHECKIN, i, at, f"{name} · {tr(purpose)}", v)
               for i, at, name, purpose, v in checkins]
    entries += [EntryRow(KIND_TALLY, i, at, f"{tr(name)} +{n}", v)
                for i, at, name, n, v in tallies]
    entries += [EntryRow(KIND_GROUP, i, at, tr("{org}（{n} 人）", org=org, n=n), v)
                for i, at, org, n, v in groups]
    entries.sort(key=lambda e: (e.at, e.kind, e.id), reverse=True)
    return entries[:limit]


def page_data(session: Session, now: dt.datetime, day: dt.date) -> CheckinPageData:
    """What the check-in page shows for business date ``day`` at moment ``now``."""
    return CheckinPageData(day, day_counts(session, day), daily_series(session, day),
                           tuple(in_centre(session, day)), tuple(recent_entries(session, day)),
                           clock_warning(session, now))
