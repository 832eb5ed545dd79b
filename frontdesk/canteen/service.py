"""Elder canteen rules (长者食堂): sessions, funders, subsidy rules, tickets, delivery, pre-orders.

Plain functions ``(session, actor, ...)`` returning frozen dataclasses. Every write is
audited in the same transaction; tickets are voided with a reason, never deleted.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import exc as sa_exc
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.canteen.models import (
    DELIVERY,
    DELIVERY_NOT_HOME,
    DELIVERY_PENDING,
    DELIVERY_STATES,
    DINER_KINDS,
    ELDER,
    MEAL_TYPES,
    PAYMENTS,
    Funder,
    MealDay,
    MealSession,
    MealTicket,
    PreOrder,
    RuleShare,
    SubsidyRule,
    TicketShare,
)
from frontdesk.canteen.subsidy import (
    DinerFacts,
    FunderShare,
    RuleSpec,
    ShareSpec,
    Split,
    check_rule,
    compute_split,
    full_price,
)
from frontdesk.core import audit, settings
from frontdesk.core.actor import Actor
from frontdesk.core.clock import to_local
from frontdesk.core.dayguard import ensure_day_open
from frontdesk.core.errors import NotFoundError, RuleError
from frontdesk.core.i18n import N_, tr
from frontdesk.core.money import format_yuan
from frontdesk.core.scan import ScanHit
from frontdesk.core.textfields import clean_line
from frontdesk.residents.service import ResidentInfo, get_resident, resolve_card_or_id

TIME_PATTERN = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
FULL_PRICE_ELDER = N_("长者（全价）")


# -- plain views -------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionInfo:
    """A meal session as the desk sees it on one date."""

    id: int
    name: str
    start_time: str
    end_time: str
    price_fen: int  # the standard price, or the date's own price
    capacity: int | None
    menu: str
    active: bool
    closed: bool  # closed on the date asked about


@dataclass(frozen=True)
class FunderInfo:
    """A funder (资助方)."""

    id: int
    name: str
    is_self: bool
    active: bool


@dataclass(frozen=True)
class RuleInfo:
    """A subsidy rule for the admin screen, with its engine form."""

    spec: RuleSpec
    active: bool

    @property
    def id(self) -> int:
        return self.spec.id


@dataclass(frozen=True)
class TicketInfo:
    """A meal ticket as screens, receipts and sheets show it."""

    id: int
    number: str
    business_date: dt.date
    session_id: int
    session_name: str
    meal_type: str
    diner_kind: str
    resident_id: int | None
    diner_name: str
    category: str
    price_fen: int
    shares: tuple[FunderShare, ...]
    self_pay_fen: int
    subsidised: bool
    rule_reason: str
    override_reason: str | None
    payment: str
    collector: str | None
    route: str | None
    delivery_status: str | None
    delivery_note: str | None
    follow_up_done: bool
    issued_at: dt.datetime
    issued_by: str
    printed_count: int
    voided: bool
    void_reason: str | None

    def share_of(self, funder_id: int) -> int:
        """What ``funder_id`` pays for this ticket (0 if nothing)."""
        return sum(s.amount_fen for s in self.shares if s.funder_id == funder_id)


@dataclass(frozen=True)
class Preview:
    """What a ticket would be, shown before the operator confirms."""

    resident_id: int | None
    diner_name: str
    diner_kind: str
    session_id: int
    session_name: str
    meal_type: str
    split: Split
    already_subsidised: int  # live subsidised tickets this elder has in this session today
    remaining: int | None  # places left in the session (None: no limit)


@dataclass(frozen=True)
class RuleForm:
    """What an admin typed for a rule; amounts already in fen."""

    name: str
    priority: int
    effective_from: dt.date
    effective_to: dt.date | None
    shares: tuple[tuple[int, int, bool], ...]  # (funder_id, amount_fen, is_rest)
    min_age: int | None = None
    max_age: int | None = None
    tags: tuple[str, ...] = ()
    hukou: str | None = None
    meal_types: tuple[str, ...] = ()
    session_id: int | None = None
    min_price_fen: int | None = None


# -- sessions and menus --------------------------------------------------------------------


def _session_row(session: Session, session_id: int) -> MealSession:
    row = session.get(MealSession, session_id)
    if row is None:
        raise NotFoundError(tr("没有这个餐次（编号 {id}）。", id=session_id))
    return row


def _day_row(session: Session, session_id: int, day: dt.date) -> MealDay | None:
    return session.scalar(select(MealDay).where(MealDay.session_id == session_id,
                                                MealDay.business_date == day))


def _session_info(row: MealSession, day_row: MealDay | None) -> SessionInfo:
    price = row.price_fen if day_row is None or day_row.price_fen is None else day_row.price_fen
    capacity = row.capacity if day_row is None or day_row.capacity is None else day_row.capacity
    menu = row.menu if day_row is None or day_row.menu is None else day_row.menu
    return SessionInfo(row.id, row.name, row.start_time, row.end_time, price, capacity,
                       menu, row.active, bool(day_row is not None and day_row.closed))


SESSION_NAME_MAX = 20  # canteen_session.name
MENU_MAX = 200
FUNDER_NAME_MAX = 50  # canteen_funder.name
RULE_NAME_MAX = 100  # canteen_rule.name
TAGS_MAX = 200  # canteen_rule.tags, joined


def _check_session_fields(name: str, start: str, end: str, price_fen: int,
                          capacity: int | None) -> None:
    if not name.strip():
        raise RuleError(tr("请填写餐次名称，例如“午餐”。"))
    if not TIME_PATTERN.match(start) or not TIME_PATTERN.match(end):
        raise RuleError(tr("时间格式应为 时:分，例如 11:00。"))
    if start >= end:
        raise RuleError(tr("餐次的结束时间要晚于开始时间。"))
    if price_fen < 0:
        raise RuleError(tr("餐价不能为负数。"))
    if capacity is not None and capacity < 1:
        raise RuleError(tr("供餐份数至少为 1（不限份数请留空）。"))


def _check_no_overlap(session: Session, name: str, start: str, end: str,
                      exclude_id: int | None) -> None:
    """Refuse times that overlap another session in use (the desk could not tell which
    session a scan belongs to). Touching is fine: 11:00-13:00 then 13:00-14:00."""
    for other in session.scalars(select(MealSession).where(MealSession.active.is_(True))):
        if other.id != exclude_id and start < other.end_time and other.start_time < end:
            raise RuleError(tr("{name}的时间 {start}-{end} 与{other}（{o_start}-{o_end}）重叠。"
                               "请调整时间，或先停用{other}。", name=name, start=start, end=end,
                               other=other.name, o_start=other.start_time,
                               o_end=other.end_time))


def _check_name_free(session: Session, name: str, exclude_id: int | None) -> None:
    clash = session.scalar(select(MealSession).where(MealSession.name == name))
    if clash is not None and clash.id != exclude_id:
        raise RuleError(tr("已经有名为“{name}”的餐次。", name=name) + (
            "" if clash.active else tr("（已停用，可以在列表中重新启用它。）")))


def _rules_too_big_for(session: Session, session_id: int | None, price_fen: int,
                       meal_name: str) -> None:
    """Refuse a price below what an active rule that applies to this session pays in fixed
    shares: every such elder's ticket would be refused at the counter."""
    for rule in active_rule_specs(session):
        if rule.session_id is not None and rule.session_id != session_id:
            continue
        if rule.min_price_fen is not None and price_fen < rule.min_price_fen:
            continue  # the rule does not apply at this price
        fixed = sum(s.amount_fen for s in rule.shares if not s.is_rest)
        if fixed > price_fen:
            raise RuleError(tr("{meal}的价格 {price} 元低于补助规则“{rule}”的固定补助合计 "
                               "{sum} 元，这样出票时会被拒绝。请调整价格，或先修改这条规则。",
                               meal=meal_name, price=format_yuan(price_fen), rule=rule.name,
                               sum=format_yuan(fixed)))


def create_session(session: Session, actor: Actor, name: str, start_time: str, end_time: str,
                   price_fen: int, capacity: int | None = None, menu: str = "") -> SessionInfo:
    """Add a meal session (admins): a unique name, times that overlap no other session."""
    actor.require_admin()
    name = clean_line(tr("餐次名称"), name, limit=SESSION_NAME_MAX)
    menu = clean_line(tr("菜单"), menu, limit=MENU_MAX)
    start_time, end_time = start_time.strip(), end_time.strip()
    _check_session_fields(name, start_time, end_time, price_fen, capacity)
    _check_name_free(session, name, None)
    _check_no_overlap(session, name, start_time, end_time, None)
    _rules_too_big_for(session, None, price_fen, name)
    ensure_self_funder(session, actor)
    order = session.scalar(select(func.count()).select_from(MealSession)) or 0
    row = MealSession(name=name, start_time=start_time, end_time=end_time, price_fen=price_fen,
                      capacity=capacity, menu=menu, active=True, sort_order=order)
    session.add(row)
    session.flush()
    audit.record(session, actor, "canteen.session.create", "canteen_session", row.id,
                 f"{name} {start_time}-{end_time} {format_yuan(price_fen)}"
                 f" capacity={capacity} menu={menu!r}")
    return _session_info(row, None)


def update_session(session: Session, actor: Actor, session_id: int, *, price_fen: int,
                   capacity: int | None, menu: str, start_time: str, end_time: str,
                   active: bool = True, name: str | None = None) -> SessionInfo:
    """Change a session's name, standard price, capacity, menu or times, or retire it (admins).

    Issued tickets keep the price and the session name they were issued with.
    """
    actor.require_admin()
    row = _session_row(session, session_id)
    new_name = (row.name if name is None
                else clean_line(tr("餐次名称"), name, limit=SESSION_NAME_MAX))
    menu = clean_line(tr("菜单"), menu, limit=MENU_MAX)
    start_time, end_time = start_time.strip(), end_time.strip()
    _check_session_fields(new_name, start_time, end_time, price_fen, capacity)
    _check_name_free(session, new_name, row.id)
    if active:
        _check_no_overlap(session, new_name, start_time, end_time, row.id)
        _rules_too_big_for(session, row.id, price_fen, new_name)
    elif row.active:
        _check_can_retire(session, actor, row)
    before: dict[str, object] = {
        "name": row.name, "price": row.price_fen, "capacity": row.capacity, "menu": row.menu,
        "start": row.start_time, "end": row.end_time, "active": row.active}
    row.name, row.price_fen, row.capacity, row.menu = new_name, price_fen, capacity, menu
    row.start_time, row.end_time, row.active = start_time, end_time, active
    after: dict[str, object] = {
        "name": row.name, "price": row.price_fen, "capacity": row.capacity, "menu": row.menu,
        "start": row.start_time, "end": row.end_time, "active": row.active}
    action = ("canteen.session.retire" if before["active"] and not active else
              "canteen.session.update")
    audit.record(session, actor, action, "canteen_session", row.id,
                 f"{before['name']}: " + audit.describe_change(before, after))
    return _session_info(row, None)


def _check_can_retire(session: Session, actor: Actor, row: MealSession) -> None:
    booked = session.scalar(select(func.coalesce(func.sum(PreOrder.count), 0)).where(
        PreOrder.session_id == row.id, PreOrder.business_date > actor.today(),
        PreOrder.cancelled.is_(False))) or 0
    if booked:
        raise RuleError(tr("{name}在今后几天还有 {n} 份预订。请先在“预订”中取消这些预订，"
                           "再停用{name}。", name=row.name, n=booked))


def set_session_active(session: Session, actor: Actor, session_id: int, active: bool
                       ) -> SessionInfo:
    """Retire a session (kept with its tickets; no new tickets) or use it again (admins)."""
    row = _session_row(session, session_id)
    return update_session(session, actor, session_id, price_fen=row.price_fen,
                          capacity=row.capacity, menu=row.menu, start_time=row.start_time,
                          end_time=row.end_time, active=active)


def set_day(session: Session, actor: Actor, session_id: int, day: dt.date, *,
            menu: str | None = None, price_fen: int | None = None,
            capacity: int | None = None, closed: bool = False) -> SessionInfo:
    """Set one date's menu, price, capacity or closing for a session (None: the standard)."""
    row = _session_row(session, session_id)
    if menu is not None:
        menu = clean_line(tr("菜单"), menu, limit=MENU_MAX)
    if price_fen is not None and price_fen < 0:
        raise RuleError(tr("餐价不能为负数。"))
    if capacity is not None and capacity < 1:
        raise RuleError(tr("供餐份数至少为 1（不限份数请留空）。"))
    if price_fen is not None or capacity is not None:
        actor.require_admin()  # money and places are the admin's call; menus are the desk's
    if price_fen is not None:
        _rules_too_big_for(session, row.id, price_fen, f"{day} {row.name}")
    ensure_day_open(session, day)
    day_row = _day_row(session, session_id, day)
    if day_row is None:
        day_row = MealDay(session_id=session_id, business_date=day)
        session.add(day_row)
    day_row.menu = menu
    day_row.price_fen, day_row.capacity, day_row.closed = price_fen, capacity, closed
    session.flush()
    audit.record(session, actor, "canteen.day.set", "canteen_day", day_row.id,
                 f"{row.name} {day}: menu={menu!r} price={price_fen} capacity={capacity} "
                 f"closed={closed}")
    return _session_info(row, day_row)


def day_settings(session: Session, session_id: int, day: dt.date) -> SessionInfo:
    """A session as it stands on ``day`` (its own menu, price, capacity, closing)."""
    row = _session_row(session, session_id)
    return _session_info(row, _day_row(session, session_id, day))


def day_override(session: Session, session_id: int, day: dt.date
                 ) -> tuple[str | None, int | None, int | None, bool]:
    """What ``day`` sets for the session itself: (menu, price, capacity, closed); Nones for
    what follows the session's standard."""
    found = _day_row(session, session_id, day)
    if found is None:
        return None, None, None, False
    return found.menu, found.price_fen, found.capacity, found.closed


def list_sessions(session: Session, day: dt.date, *, include_inactive: bool = False
                  ) -> list[SessionInfo]:
    """The sessions (with ``day``'s menu, price and closing), in the day's order."""
    stmt = select(MealSession).order_by(MealSession.sort_order, MealSession.id)
    if not include_inactive:
        stmt = stmt.where(MealSession.active.is_(True))
    rows = list(session.scalars(stmt))
    days = {d.session_id: d for d in session.scalars(
        select(MealDay).where(MealDay.business_date == day))}
    return [_session_info(r, days.get(r.id)) for r in rows]


def session_by_name(session: Session, name: str) -> MealSession:
    """The session called ``name`` (as typed on the command line)."""
    row = session.scalar(select(MealSession).where(MealSession.name == name.strip()))
    if row is None:
        known = "、".join(session.scalars(select(MealSession.name)))
        raise NotFoundError(tr("没有名为“{name}”的餐次。现有餐次：{known}", name=name,
                               known=known or tr("（无）")))
    return row


def current_session(session: Session, actor: Actor) -> SessionInfo:
    """The session being served now, else the next one today, else the day's last one."""
    sessions = list_sessions(session, actor.today())
    if not sessions:
        raise RuleError(tr("还没有设置餐次，不能出票。请管理员在“长者食堂 → 餐次、规则与申报”中"
                           "点“新增餐次”。"))
    now = to_local(actor.now()).strftime("%H:%M")
    for s in sessions:
        if s.start_time <= now <= s.end_time:
            return s
    upcoming = [s for s in sessions if s.start_time > now]
    return upcoming[0] if upcoming else sessions[-1]


# -- funders ------------------------------------------------------------------------------


def list_funders(session: Session, *, include_inactive: bool = False) -> list[FunderInfo]:
    """The funders, in their order (the diner's own payment among them)."""
    stmt = select(Funder).order_by(Funder.sort_order, Funder.id)
    if not include_inactive:
        stmt = stmt.where(Funder.active.is_(True))
    return [FunderInfo(f.id, f.name, f.is_self, f.active) for f in session.scalars(stmt)]


SELF_FUNDER_NAME = N_("个人自付")
SELF_FUNDER_ORDER = 1000


def ensure_self_funder(session: Session, actor: Actor) -> int:
    """The diner's own payment (个人自付) as a funder, made with the first session or rule."""
    found = session.scalar(select(Funder.id).where(Funder.is_self.is_(True)))
    if found is not None:
        return found
    name = SELF_FUNDER_NAME
    if session.scalar(select(Funder.id).where(Funder.name == name)) is not None:
        name = tr("个人自付（本人）")
    # last in sheets and claims, after the funders the admin adds, as in the reference canteen
    row = Funder(name=name, is_self=True, active=True, sort_order=SELF_FUNDER_ORDER)
    session.add(row)
    session.flush()
    audit.record(session, actor, "canteen.funder.create", "canteen_funder", row.id,
                 f"{name} (self)")
    return row.id


def create_funder(session: Session, actor: Actor, name: str, *, is_self: bool = False
                  ) -> FunderInfo:
    """Add a funder (admins). There is exactly one ``is_self`` funder: the diner."""
    actor.require_admin()
    name = clean_line(tr("资助方名称"), name, limit=FUNDER_NAME_MAX)
    if not name:
        raise RuleError(tr("请填写资助方名称。"))
    if session.scalar(select(Funder).where(Funder.name == name)) is not None:
        raise RuleError(tr("已经有名为“{name}”的资助方。", name=name))
    if is_self and session.scalar(select(Funder).where(Funder.is_self.is_(True))) is not None:
        raise RuleError(tr("已经有“个人自付”资助方，只能有一个。"))
    order = session.scalar(select(func.count()).select_from(Funder)) or 0
    row = Funder(name=name, is_self=is_self, active=True, sort_order=order)
    session.add(row)
    session.flush()
    audit.record(session, actor, "canteen.funder.create", "canteen_funder", row.id, name)
    return FunderInfo(row.id, row.name, row.is_self, row.active)


def rename_funder(session: Session, actor: Actor, funder_id: int, name: str,
                  active: bool = True) -> FunderInfo:
    """Rename or retire a funder (admins); issued tickets keep the old name.

    A funder that a subsidy rule in use pays through cannot be retired: stop or change the
    rule first (the desk would otherwise go on booking meals to a funder nobody claims from).
    """
    actor.require_admin()
    row = session.get(Funder, funder_id)
    if row is None:
        raise NotFoundError(tr("没有这个资助方。"))
    name = clean_line(tr("资助方名称"), name, limit=FUNDER_NAME_MAX)
    if not name:
        raise RuleError(tr("请填写资助方名称。"))
    clash = session.scalar(select(Funder).where(Funder.name == name, Funder.id != funder_id))
    if clash is not None:
        raise RuleError(tr("已经有名为“{name}”的资助方。", name=name))
    if row.is_self and not active:
        raise RuleError(tr("“个人自付”不能停用。"))
    if row.active and not active:
        using = [r.name for r in active_rule_specs(session)
                 if any(s.funder_id == funder_id for s in r.shares)]
        if using:
            raise RuleError(tr("补助规则“{rules}”还在由{name}承担补助。请先停用或修改这些规则，"
                               "再停用{name}。", rules="”“".join(using), name=row.name))
    audit.record(session, actor, "canteen.funder.update", "canteen_funder", row.id,
                 f"{row.name} → {name}; active={active}")
    row.name, row.active = name, active
    return FunderInfo(row.id, row.name, row.is_self, row.active)


def retire_funder(session: Session, actor: Actor, funder_id: int) -> FunderInfo:
    """Stop using a funder (admins): kept on old tickets and claims, gone from new rules."""
    row = session.get(Funder, funder_id)
    if row is None:
        raise NotFoundError(tr("没有这个资助方。"))
    return rename_funder(session, actor, funder_id, row.name, active=False)


def restore_funder(session: Session, actor: Actor, funder_id: int) -> FunderInfo:
    """Use a retired funder again (admins)."""
    row = session.get(Funder, funder_id)
    if row is None:
        raise NotFoundError(tr("没有这个资助方。"))
    return rename_funder(session, actor, funder_id, row.name, active=True)


def funder_by_name(session: Session, name: str) -> FunderInfo:
    """The funder called ``name`` (as typed on the command line)."""
    row = session.scalar(select(Funder).where(Funder.name == name.strip()))
    if row is None:
        known = "、".join(session.scalars(select(Funder.name).order_by(Funder.sort_order)))
        raise NotFoundError(tr("没有名为“{name}”的资助方。现有资助方：{known}", name=name,
                               known=known or tr("（无）")))
    return FunderInfo(row.id, row.name, row.is_self, row.active)


def self_funder_id(session: Session) -> int:
    """The funder that stands for the diner's own payment (个人自付)."""
    found = session.scalar(select(Funder.id).where(Funder.is_self.is_(True)))
    if found is None:
        raise RuleError(tr("还没有设置“个人自付”资助方。请管理员在资助方中添加。"))
    return found


# -- subsidy rules ------------------------------------------------------------------------


def _split_list(text: str) -> frozenset[str]:
    return frozenset(t for t in (x.strip() for x in text.split(",")) if t)


def _rule_spec(row: SubsidyRule, funder_names: dict[int, str]) -> RuleSpec:
    return RuleSpec(
        row.id, row.name, row.priority, row.effective_from, row.effective_to,
        tuple(ShareSpec(s.funder_id, funder_names.get(s.funder_id, "?"), s.amount_fen,
                        s.is_rest) for s in row.shares),
        row.min_age, row.max_age, _split_list(row.tags), row.hukou, _split_list(row.meal_types),
        row.session_id, row.min_price_fen)


def _funder_names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Funder.id, Funder.name)).all())


def list_rules(session: Session, *, include_inactive: bool = False) -> list[RuleInfo]:
    """The subsidy rules, in the order the engine tries them."""
    stmt = select(SubsidyRule).order_by(SubsidyRule.priority, SubsidyRule.id)
    if not include_inactive:
        stmt = stmt.where(SubsidyRule.active.is_(True))
    names = _funder_names(session)
    return [RuleInfo(_rule_spec(r, names), r.active) for r in session.scalars(stmt)]


def active_rule_specs(session: Session) -> list[RuleSpec]:
    """The rules the engine uses."""
    return [r.spec for r in list_rules(session)]


AGE_MAX = 150
PRIORITY_MAX = 999


def _check_rule_form(session: Session, form: RuleForm, names: dict[int, str]) -> tuple[
        str, frozenset[str]]:
    """The form's own nonsense, refused in words; returns the cleaned name and tags."""
    name = clean_line(tr("规则名称"), form.name, limit=RULE_NAME_MAX)
    if not 1 <= form.priority <= PRIORITY_MAX:
        raise RuleError(tr("优先级要在 1 到 {n} 之间。", n=PRIORITY_MAX))
    for age in (form.min_age, form.max_age):
        if age is not None and not 0 <= age <= AGE_MAX:
            raise RuleError(tr("年龄要在 0 到 {n} 岁之间。", n=AGE_MAX))
    if form.min_price_fen is not None and form.min_price_fen < 0:
        raise RuleError(tr("最低餐价不能为负数。"))
    tags = frozenset(clean_line(tr("标签"), t, limit=20) for t in form.tags) - {""}
    if len(",".join(sorted(tags))) > TAGS_MAX:
        raise RuleError(tr("标签太多（合计最多 {n} 字）。", n=TAGS_MAX))
    if not form.shares:
        raise RuleError(tr("请至少填写一个资助方的金额。"))
    active = {f.id for f in list_funders(session)}
    for funder_id, amount, rest in form.shares:
        if amount < 0:
            raise RuleError(tr("补助金额不能为负数。"))
        if funder_id not in names:
            raise RuleError(tr("没有这个资助方。"))
        if funder_id not in active and (amount or rest):
            raise RuleError(tr("资助方“{name}”已停用，不能用在规则里。", name=names[funder_id]))
    if len({f for f, _a, _r in form.shares}) != len(form.shares):
        raise RuleError(tr("同一个资助方在规则里只能出现一次。"))
    unknown = [t for t in form.meal_types if t not in MEAL_TYPES]
    if unknown:
        raise RuleError(tr("未知的就餐类型：{t}", t="、".join(unknown)))
    if form.hukou not in (None, "local", "non_local"):
        raise RuleError(tr("户籍只能是本地户籍或外来。"))
    if form.session_id is not None:
        meal = session.get(MealSession, form.session_id)
        if meal is None or not meal.active:
            raise RuleError(tr("这个餐次不存在或已停用。"))
    self_id = session.scalar(select(Funder.id).where(Funder.is_self.is_(True)))
    pays = any(f != self_id and (a > 0 or r) for f, a, r in form.shares)
    if not pays:
        raise RuleError(tr("这条规则里资助方一分钱也不承担，长者仍是全价。请填写资助方承担的"
                           "金额，或选择由某个资助方承担其余部分。"))
    return name, tags


def _check_rule_fits_prices(session: Session, spec: RuleSpec) -> None:
    """Refuse fixed shares above the price of a session the rule would apply to."""
    fixed = sum(s.amount_fen for s in spec.shares if not s.is_rest)
    for meal in session.scalars(select(MealSession).where(MealSession.active.is_(True))):
        if spec.session_id is not None and spec.session_id != meal.id:
            continue
        if spec.min_price_fen is not None and meal.price_fen < spec.min_price_fen:
            continue
        if fixed > meal.price_fen:
            raise RuleError(tr("这条规则的固定补助合计 {sum} 元，超过了{meal}的价格 {price} 元。"
                               "请减少补助金额，或把规则限定在价格更高的餐次。",
                               sum=format_yuan(fixed), meal=meal.name,
                               price=format_yuan(meal.price_fen)))


def save_rule(session: Session, actor: Actor, form: RuleForm, rule_id: int | None = None
              ) -> RuleInfo:
    """Create or change a subsidy rule (admins); refused if it overlaps one of equal priority,
    if its fixed shares exceed a session's price, or if it makes no sense.

    Issued tickets keep the split they were issued with.
    """
    actor.require_admin()
    names = _funder_names(session)
    name, tags = _check_rule_form(session, form, names)
    ensure_self_funder(session, actor)
    spec = RuleSpec(
        rule_id or 0, name, form.priority, form.effective_from, form.effective_to,
        tuple(ShareSpec(f, names[f], a, r) for f, a, r in form.shares), form.min_age,
        form.max_age, tags, form.hukou, frozenset(form.meal_types), form.session_id,
        form.min_price_fen)
    check_rule(spec, active_rule_specs(session))
    _check_rule_fits_prices(session, spec)
    now = actor.now()
    before = ""
    if rule_id is None:
        row = SubsidyRule(created_at=now)
        session.add(row)
        action = "canteen.rule.create"
    else:
        found = session.get(SubsidyRule, rule_id)
        if found is None:
            raise NotFoundError(tr("没有这条补助规则。"))
        if not found.active:
            raise RuleError(tr("规则“{name}”已停用，不能再修改；如需再用，请新增一条规则。",
                               name=found.name))
        row = found
        before = describe_rule(_rule_spec(row, names)) + " → "
        action = "canteen.rule.update"
        row.shares.clear()
        session.flush()
    row.name, row.priority = spec.name, spec.priority
    row.effective_from, row.effective_to = spec.effective_from, spec.effective_to
    row.min_age, row.max_age = spec.min_age, spec.max_age
    row.tags = ",".join(sorted(spec.tags))
    row.hukou = spec.hukou
    row.meal_types = ",".join(sorted(spec.meal_types))
    row.session_id, row.min_price_fen = spec.session_id, spec.min_price_fen
    row.active, row.updated_at = True, now
    row.shares.extend(RuleShare(funder_id=f, amount_fen=a, is_rest=r) for f, a, r in form.shares)
    session.flush()
    audit.record(session, actor, action, "canteen_rule", row.id, before + describe_rule(spec))
    return RuleInfo(_rule_spec(row, names), row.active)


def next_priority(session: Session) -> int:
    """A priority for a new rule: after the rules in use, in steps of ten."""
    top = session.scalar(select(func.max(SubsidyRule.priority)).where(
        SubsidyRule.active.is_(True))) or 0
    return min(PRIORITY_MAX, (top // 10 + 1) * 10)


def retire_rule(session: Session, actor: Actor, rule_id: int, reason: str) -> RuleInfo:
    """Stop using a rule (admins), with a reason; it stays on record for old tickets."""
    actor.require_admin()
    row = session.get(SubsidyRule, rule_id)
    if row is None:
        raise NotFoundError(tr("没有这条补助规则。"))
    if not row.active:
        raise RuleError(tr("规则“{name}”已经停用了。", name=row.name))
    reason = clean_line(tr("停用原因"), reason, limit=200)
    if not reason:
        raise RuleError(tr("请填写停用原因。"))
    row.active, row.updated_at = False, actor.now()
    audit.record(session, actor, "canteen.rule.retire", "canteen_rule", row.id,
                 f"{row.name}: {reason}")
    return RuleInfo(_rule_spec(row, _funder_names(session)), row.active)


def get_rule(session: Session, rule_id: int) -> RuleInfo:
    """One rule (active or retired)."""
    row = session.get(SubsidyRule, rule_id)
    if row is None:
        raise NotFoundError(tr("没有这条补助规则。"))
    return RuleInfo(_rule_spec(row, _funder_names(session)), row.active)


def rule_by_ref(session: Session, ref: str) -> RuleInfo:
    """The rule a command line names: its number (as `rule list` shows) or its exact name."""
    ref = ref.strip()
    if ref.isdigit():
        return get_rule(session, int(ref))
    found = [r for r in list_rules(session, include_inactive=True) if r.spec.name == ref]
    live = [r for r in found if r.active]
    if len(live) == 1 or (len(found) == 1 and not live):
        return (live or found)[0]
    if not found:
        raise NotFoundError(tr("没有名为“{name}”的补助规则。", name=ref))
    raise RuleError(tr("有几条规则都叫“{name}”，请用编号指明（见规则列表）。", name=ref))


def describe_rule(spec: RuleSpec) -> str:
    """A rule on one line for the operations log: its priority, dates and shares."""
    shares = "，".join(
        f"{s.funder_name} {tr('其余部分') if s.is_rest else format_yuan(s.amount_fen)}"
        for s in spec.shares)
    return f"[{spec.priority}] {spec.name} {spec.effective_from}~{spec.effective_to or ''}: " \
        f"{shares}"


def rule_conditions_words(spec: RuleSpec, session_names: dict[int, str] | None = None) -> str:
    """Who and which meals a rule is for, in words: "80 岁及以上，本地户籍，午餐"."""
    from frontdesk.canteen.subsidy import HUKOU_LABELS, age_band_text

    parts = [age_band_text(spec.min_age, spec.max_age)]
    if spec.tags:
        parts.append(tr("属于{tags}之一", tags=tr("、").join(sorted(spec.tags)))
                     if len(spec.tags) > 1 else tr("属于{tags}", tags=next(iter(spec.tags))))
    if spec.hukou:
        parts.append(tr(HUKOU_LABELS.get(spec.hukou, spec.hukou)))
    if spec.session_id is not None:
        parts.append(tr("仅{meal}", meal=(session_names or {}).get(spec.session_id, "?")))
    if spec.meal_types:
        parts.append(tr("、").join(tr(MEAL_TYPES[t]) for t in MEAL_TYPES
                                  if t in spec.meal_types))
    if spec.min_price_fen is not None:
        parts.append(tr("餐价不低于 {min} 元", min=format_yuan(spec.min_price_fen)))
    return tr("，").join(p for p in parts if p) or tr("所有长者")


def rule_shares_words(spec: RuleSpec, self_id: int | None) -> str:
    """Who pays what under a rule, in words: "政府补助付 7.00 元，村级付 2.00 元，其余本人付"."""
    parts = []
    rest = next((s for s in spec.shares if s.is_rest), None)
    for s in spec.shares:
        if s.is_rest or not s.amount_fen:
            continue
        who = tr("本人") if s.funder_id == self_id else s.funder_name
        parts.append(tr("{who}付 {yuan} 元", who=who, yuan=format_yuan(s.amount_fen)))
    if rest is None or rest.funder_id == self_id:
        parts.append(tr("其余本人付"))
    else:
        parts.append(tr("其余由{who}付", who=rest.funder_name))
    return tr("，").join(parts)


def rule_dates_words(spec: RuleSpec) -> str:
    """A rule's dates in words: "2026-01-01 起长期有效" or "2026-01-01 至 2026-12-31"."""
    if spec.effective_to is None:
        return tr("{start} 起长期有效", start=spec.effective_from.isoformat())
    return tr("{start} 至 {end}", start=spec.effective_from.isoformat(),
              end=spec.effective_to.isoformat())


def rule_in_words(spec: RuleSpec, session_names: dict[int, str] | None = None,
                  self_id: int | None = None) -> str:
    """A whole rule as a sentence for the screen and the command line."""
    return tr("{name}：{who}；{shares}；{dates}。", name=spec.name,
              who=rule_conditions_words(spec, session_names),
              shares=rule_shares_words(spec, self_id), dates=rule_dates_words(spec))


# -- tickets ------------------------------------------------------------------------------


def _ticket_info(t: MealTicket) -> TicketInfo:
    return TicketInfo(
        t.id, t.number, t.business_date, t.session_id, t.session_name, t.meal_type,
        t.diner_kind, t.resident_id, t.diner_name, t.category, t.price_fen,
        tuple(FunderShare(s.funder_id, s.funder_name, s.amount_fen) for s in t.shares),
        t.self_pay_fen, t.subsidised, t.rule_reason, t.override_reason, t.payment, t.collector,
        t.route, t.delivery_status, t.delivery_note, t.follow_up_done, t.issued_at,
        t.issued_by, t.printed_count, t.voided, t.void_reason)


def diner_facts(resident: ResidentInfo, day: dt.date) -> DinerFacts:
    """The facts subsidy rules look at, on the meal date."""
    return DinerFacts(resident.age_on(day), frozenset(resident.tags), resident.hukou)


def _live_subsidised(session: Session, resident_id: int, day: dt.date, session_id: int
                     ) -> list[int]:
    """The cap slots this elder's live subsidised tickets hold in this session."""
    return list(session.scalars(select(MealTicket.subsidy_slot).where(
        MealTicket.resident_id == resident_id, MealTicket.business_date == day,
        MealTicket.session_id == session_id, MealTicket.subsidised.is_(True),
        MealTicket.voided.is_(False))))


def _served(session: Session, day: dt.date, session_id: int) -> int:
    return session.scalar(select(func.count()).select_from(MealTicket).where(
        MealTicket.business_date == day, MealTicket.session_id == session_id,
        MealTicket.voided.is_(False))) or 0


def _open_session(session: Session, session_id: int | None, actor: Actor) -> SessionInfo:
    day = actor.today()
    if session_id is None:
        info = current_session(session, actor)
    else:
        row = _session_row(session, session_id)
        info = _session_info(row, _day_row(session, session_id, day))
    if not info.active:
        raise RuleError(tr("餐次“{name}”已停用，不能出票。", name=info.name))
    if info.closed:
        raise RuleError(tr("今天的{name}已停止供餐（关闭），不能出票。", name=info.name))
    return info


def preview(session: Session, actor: Actor, *, resident_id: int | None,
            session_id: int | None = None, meal_type: str = "dine_in",
            diner_kind: str = ELDER, diner_name: str = "",
            override_reason: str | None = None) -> Preview:
    """What the ticket would be now: the split, which rule applied and why; nothing is written."""
    if meal_type not in MEAL_TYPES:
        raise RuleError(tr("未知的就餐类型：{t}", t=meal_type))
    if diner_kind not in DINER_KINDS:
        raise RuleError(tr("未知的就餐者类别：{k}", k=diner_kind))
    info = _open_session(session, session_id, actor)
    day = actor.today()
    served = _served(session, day, info.id)
    remaining = None if info.capacity is None else info.capacity - served
    resident = get_resident(session, resident_id) if resident_id is not None else None
    name = resident.name if resident is not None else diner_name.strip()
    if not name:
        raise RuleError(tr("请扫码选择居民，或填写就餐者姓名。"))
    if diner_kind == ELDER and resident is None:
        raise RuleError(tr("长者就餐须选择居民档案；非登记人员请按“其他就餐者”出票。"))
    already = 0
    if diner_kind != ELDER or resident is None:
        kind_label = tr(DINER_KINDS[diner_kind])
        split = full_price(info.price_fen, tr("{kind}就餐，按全价计，不申报补助。",
                                              kind=kind_label))
    else:
        already = len(_live_subsidised(session, resident.id, day, info.id))
        cap = int(settings.get(session, "canteen.subsidised_per_session"))
        rules = active_rule_specs(session)
        split = compute_split(diner_facts(resident, day), day, info.id, meal_type,
                              info.price_fen, rules, self_funder_id(session) if rules else 0)
        if split.subsidised and already >= cap and not (override_reason or "").strip():
            split = full_price(info.price_fen, tr(
                "{name} 本餐次已领过 {n} 份补助餐，这一份按全价收费"
                "（管理员可填写原因后按补助出票）。", name=name, n=already))
    return Preview(resident.id if resident else None, name, diner_kind, info.id, info.name,
                   meal_type, split, already, remaining)


def _next_number(session: Session, day: dt.date, skip: int = 0) -> str:
    count = session.scalar(select(func.count()).select_from(MealTicket).where(
        MealTicket.business_date == day)) or 0
    return f"{day:%Y%m%d}-{count + 1 + skip:04d}"


def issue_ticket(session: Session, actor: Actor, *, resident_id: int | None,
                 session_id: int | None = None, meal_type: str = "dine_in",
                 payment: str = "cash", diner_kind: str = ELDER, diner_name: str = "",
                 collector: str | None = None, route: str | None = None,
                 override_reason: str | None = None, expect_subsidised: bool | None = None,
                 pre_order_id: int | None = None) -> TicketInfo:
    """Issue a meal ticket: checks the session, capacity and cap, copies the split; audited.

    ``expect_subsidised`` is what the operator saw in the preview: if another desk issued
    this elder's subsidised meal in between, the ticket is refused rather than silently
    charged at full price.
    """
    if payment not in PAYMENTS:
        raise RuleError(tr("未知的付款方式：{p}", p=payment))
    if override_reason is not None and override_reason.strip():
        actor.require_admin()
    ensure_day_open(session, actor.today())
    if session.get_bind().dialect.name != "sqlite":
        # Queue the desks issuing tickets, as SQLite's BEGIN IMMEDIATE does: otherwise two
        # desks read the same cap and the same next number (seen with 4 desks on PostgreSQL).
        session.execute(select(MealSession.id).order_by(MealSession.id).with_for_update())
    p = preview(session, actor, resident_id=resident_id, session_id=session_id,
                meal_type=meal_type, diner_kind=diner_kind, diner_name=diner_name,
                override_reason=override_reason)
    if p.remaining is not None and p.remaining <= 0:
        raise RuleError(tr("今天的{name}已满（共 {n} 份），不能再出票。", name=p.session_name,
                           n=p.remaining + _served(session, actor.today(), p.session_id)))
    if expect_subsidised is not None and expect_subsidised != p.split.subsidised:
        raise RuleError(tr("{name} 的补助情况刚刚有变化（可能另一台前台已为其出票），"
                           "请重新扫码确认。", name=p.diner_name))
    day = actor.today()
    split = p.split
    slot = None
    if split.subsidised and p.resident_id is not None:
        taken = set(_live_subsidised(session, p.resident_id, day, p.session_id))
        slot = next(n for n in range(1, len(taken) + 2) if n not in taken)
    # 类别 is kept in Chinese source text (rule names are the admin's own words); shown via tr().
    if p.diner_kind != ELDER:
        category = DINER_KINDS[p.diner_kind]
    elif split.subsidised:
        category = split.rule_name
    else:
        category = FULL_PRICE_ELDER
    ticket = MealTicket(
        number="", business_date=day, session_id=p.session_id,
        session_name=p.session_name, meal_type=meal_type, diner_kind=p.diner_kind,
        resident_id=p.resident_id, diner_name=p.diner_name, category=category,
        price_fen=split.price_fen, self_pay_fen=split.self_pay_fen,
        subsidised=split.subsidised, subsidy_slot=slot, rule_id=split.rule_id,
        rule_reason=split.reason, override_reason=(override_reason or "").strip() or None,
        payment=payment, collector=(collector or "").strip() or None,
        route=(route or "").strip() or None,
        delivery_status=DELIVERY_PENDING if meal_type == DELIVERY else None,
        pre_order_id=pre_order_id, issued_at=actor.now(), issued_by=actor.username,
        printed_count=0, voided=False, follow_up_done=False)
    ticket.shares.extend(TicketShare(funder_id=s.funder_id, funder_name=s.funder_name,
                                     amount_fen=s.amount_fen) for s in split.shares)
    # SQLite desks queue on BEGIN IMMEDIATE; on PostgreSQL two desks can race to the same
    # ticket number (take the next one) or the same subsidy slot (the index refuses one).
    for attempt in range(5):
        ticket.number = _next_number(session, day, attempt)
        try:
            with session.begin_nested():
                session.add(ticket)
                session.flush()
            break
        except sa_exc.IntegrityError as exc:
            detail = str(exc.orig)
            number_clash = "uq_canteen_ticket_number" in detail or (
                "canteen_ticket.number" in detail)
            if "subsidy_slot" in detail:  # uq_canteen_ticket_subsidy_slot (named so on both)
                raise RuleError(tr("{name} 本餐次的补助餐刚刚已由另一台前台发出，这一张没有出票。"
                                   "请重新扫码。", name=p.diner_name)) from None
            if not number_clash:
                raise  # not a race between desks: a fault to be seen, not explained away
    else:
        raise RuleError(tr("几台前台同时出票，餐票号冲突，请再试一次。"))
    summary = (f"{ticket.number} {p.diner_name} {p.session_name} {meal_type} "
               f"{format_yuan(split.price_fen)} self={format_yuan(split.self_pay_fen)} "
               f"rule={split.rule_name or '-'}")
    if ticket.override_reason:
        summary += f" override: {ticket.override_reason}"
    if ticket.collector:
        summary += f" 代领: {ticket.collector}"
    audit.record(session, actor, "canteen.ticket.issue", "canteen_ticket", ticket.id, summary)
    return _ticket_info(ticket)


def issue_from_scan(session: Session, actor: Actor, code: str, **options: object
                    ) -> TicketInfo:
    """Issue a ticket for the elder whose card or ID number was scanned."""
    resident = resolve_card_or_id(session, code)
    return issue_ticket(session, actor, resident_id=resident.id, **options)  # type: ignore[arg-type]


def _ticket_row(session: Session, ticket_id: int) -> MealTicket:
    row = session.get(MealTicket, ticket_id)
    if row is None:
        raise NotFoundError(tr("没有这张餐票。"))
    return row


def get_ticket(session: Session, ticket_id: int) -> TicketInfo:
    """One ticket."""
    return _ticket_info(_ticket_row(session, ticket_id))


def find_ticket(session: Session, number: str) -> TicketInfo | None:
    """The ticket with ``number`` (as printed on the receipt), or None."""
    row = session.scalar(select(MealTicket).where(MealTicket.number == number.strip()))
    return None if row is None else _ticket_info(row)


TICKET_NUMBER = re.compile(r"^\d{8}-\d{4}$")


def resolve_ticket_scan(session: Session, code: str) -> ScanHit | None:
    """A scanned receipt's ticket number opens the canteen page on that ticket."""
    if not TICKET_NUMBER.match(code):
        return None
    found = find_ticket(session, code)
    if found is None:
        return None
    return ScanHit("canteen", "meal_ticket", found.id,
                   tr("餐票 {number} {name}", number=found.number, name=found.diner_name))


def void_ticket(session: Session, actor: Actor, ticket_id: int, reason: str) -> TicketInfo:
    """Void (作废/退餐) a ticket with a reason: kept, audited, left out of claims and totals."""
    row = _ticket_row(session, ticket_id)
    if row.voided:
        raise RuleError(tr("餐票 {number} 已经作废过了。", number=row.number))
    if not reason.strip():
        raise RuleError(tr("请填写作废原因。"))
    ensure_day_open(session, row.business_date)
    if row.business_date != actor.today():
        actor.require_admin()  # an earlier day's sheet may already be signed and claimed
    row.voided, row.void_reason = True, reason.strip()
    row.voided_at, row.voided_by = actor.now(), actor.username
    audit.record(session, actor, "canteen.ticket.void", "canteen_ticket", row.id,
                 f"{row.number} {row.diner_name} {format_yuan(row.price_fen)}: {reason.strip()}"
                 f"; refund {format_yuan(row.self_pay_fen)} ({row.payment})")
    return _ticket_info(row)


def mark_printed(session: Session, actor: Actor, ticket_id: int) -> TicketInfo:
    """Count a (re)print of the receipt; the ticket itself never depends on the printer."""
    row = _ticket_row(session, ticket_id)
    row.printed_count += 1
    audit.record(session, actor, "canteen.ticket.print", "canteen_ticket", row.id,
                 f"{row.number} #{row.printed_count}")
    return _ticket_info(row)


def list_tickets(session: Session, day: dt.date, *, include_voided: bool = True
                 ) -> list[TicketInfo]:
    """The day's tickets in issue order."""
    stmt = select(MealTicket).where(MealTicket.business_date == day).order_by(MealTicket.id)
    if not include_voided:
        stmt = stmt.where(MealTicket.voided.is_(False))
    return [_ticket_info(t) for t in session.scalars(stmt)]


# -- delivery -----------------------------------------------------------------------------


def delivery_list(session: Session, day: dt.date) -> list[TicketInfo]:
    """The day's live delivery tickets (送餐), by route then number."""
    rows = session.scalars(select(MealTicket).where(
        MealTicket.business_date == day, MealTicket.meal_type == DELIVERY,
        MealTicket.voided.is_(False)).order_by(MealTicket.route, MealTicket.id))
    return [_ticket_info(t) for t in rows]


def open_follow_ups(session: Session) -> list[TicketInfo]:
    """Deliveries marked 不在家 that nobody has followed up yet (any date)."""
    rows = session.scalars(select(MealTicket).where(
        MealTicket.delivery_status == DELIVERY_NOT_HOME, MealTicket.follow_up_done.is_(False),
        MealTicket.voided.is_(False)).order_by(MealTicket.business_date, MealTicket.id))
    return [_ticket_info(t) for t in rows]


def mark_delivery(session: Session, actor: Actor, ticket_id: int, status: str,
                  note: str = "") -> TicketInfo:
    """Record a delivery as signed (已签收) or 不在家 (which then needs a follow-up)."""
    if status not in DELIVERY_STATES:
        raise RuleError(tr("未知的送餐状态：{s}", s=status))
    row = _ticket_row(session, ticket_id)
    if row.meal_type != DELIVERY:
        raise RuleError(tr("餐票 {number} 不是送餐。", number=row.number))
    if row.voided:
        raise RuleError(tr("餐票 {number} 已作废。", number=row.number))
    ensure_day_open(session, row.business_date)
    if status == DELIVERY_NOT_HOME and not note.strip():
        note = tr("不在家")
    before = row.delivery_status
    row.delivery_status = status
    row.delivery_note = note.strip() or row.delivery_note
    row.delivered_at = actor.now() if status != DELIVERY_PENDING else None
    audit.record(session, actor, "canteen.delivery.mark", "canteen_ticket", row.id,
                 f"{row.number} {row.diner_name}: {before} → {status} {note.strip()}")
    return _ticket_info(row)


def record_follow_up(session: Session, actor: Actor, ticket_id: int, note: str) -> TicketInfo:
    """Close the follow-up of a 不在家 delivery with what was found out.

    Allowed after the day close: the follow-up often happens the next day, and it changes
    nothing the day's sheet or export shows (the delivery stays 不在家).
    """
    row = _ticket_row(session, ticket_id)
    if row.delivery_status != DELIVERY_NOT_HOME:
        raise RuleError(tr("只有“不在家”的送餐需要回访。"))
    if not note.strip():
        raise RuleError(tr("请填写回访情况。"))
    row.follow_up_done = True
    row.delivery_note = f"{row.delivery_note or ''}；{tr('回访')}：{note.strip()}".lstrip("；")
    audit.record(session, actor, "canteen.delivery.follow_up", "canteen_ticket", row.id,
                 f"{row.number} {row.diner_name}: {note.strip()}")
    return _ticket_info(row)


# -- pre-orders ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PreOrderInfo:
    """A booked meal for a coming day."""

    id: int
    business_date: dt.date
    session_id: int
    meal_type: str
    resident_id: int | None
    who: str
    count: int
    note: str
    cancelled: bool


@dataclass(frozen=True)
class KitchenCount:
    """How many meals to cook for one session and type."""

    session_name: str
    meal_type: str
    count: int


def add_pre_order(session: Session, actor: Actor, *, day: dt.date, session_id: int,
                  meal_type: str = "dine_in", resident_id: int | None = None,
                  group_name: str | None = None, count: int = 1, note: str = ""
                  ) -> PreOrderInfo:
    """Book meals for a coming day for a person or a group (预订)."""
    if day <= actor.today():
        raise RuleError(tr("预订只能订明天及以后的餐；今天的餐请直接出票。"))
    if meal_type not in MEAL_TYPES:
        raise RuleError(tr("未知的就餐类型：{t}", t=meal_type))
    if count < 1:
        raise RuleError(tr("预订份数至少为 1。"))
    ensure_day_open(session, day)
    row_session = _session_row(session, session_id)
    who = ""
    if resident_id is not None:
        who = get_resident(session, resident_id).name
        if count != 1:
            raise RuleError(tr("个人预订只能订 1 份；多份请按团体预订。"))
    elif group_name and group_name.strip():
        who = group_name.strip()
    else:
        raise RuleError(tr("请选择居民，或填写团体名称。"))
    row = PreOrder(business_date=day, session_id=session_id, meal_type=meal_type,
                   resident_id=resident_id, group_name=None if resident_id else who,
                   count=count, note=note.strip(), created_at=actor.now(),
                   created_by=actor.username, cancelled=False)
    session.add(row)
    session.flush()
    audit.record(session, actor, "canteen.preorder.add", "canteen_pre_order", row.id,
                 f"{day} {row_session.name} {meal_type} {who} x{count}")
    return PreOrderInfo(row.id, day, session_id, meal_type, resident_id, who, count,
                        row.note, False)


def cancel_pre_order(session: Session, actor: Actor, pre_order_id: int, reason: str
                     ) -> PreOrderInfo:
    """Cancel a booking with a reason (kept on record)."""
    row = session.get(PreOrder, pre_order_id)
    if row is None:
        raise NotFoundError(tr("没有这条预订。"))
    if not reason.strip():
        raise RuleError(tr("请填写取消原因。"))
    ensure_day_open(session, row.business_date)
    row.cancelled, row.cancel_reason = True, reason.strip()
    audit.record(session, actor, "canteen.preorder.cancel", "canteen_pre_order", row.id,
                 reason.strip())
    return PreOrderInfo(row.id, row.business_date, row.session_id, row.meal_type,
                        row.resident_id, row.group_name or "", row.count, row.note, True)


def list_pre_orders(session: Session, day: dt.date) -> list[PreOrderInfo]:
    """The live bookings for ``day``."""
    from frontdesk.residents.models import Resident

    rows = session.execute(
        select(PreOrder, Resident.name).outerjoin(Resident, Resident.id == PreOrder.resident_id)
        .where(PreOrder.business_date == day, PreOrder.cancelled.is_(False))
        .order_by(PreOrder.session_id, PreOrder.id))
    return [PreOrderInfo(p.id, p.business_date, p.session_id, p.meal_type, p.resident_id,
                         name or p.group_name or "", p.count, p.note, p.cancelled)
            for p, name in rows]


def kitchen_counts(session: Session, day: dt.date) -> list[KitchenCount]:
    """Meals booked for ``day`` per session and type: what the kitchen cooks."""
    rows = session.execute(
        select(MealSession.name, PreOrder.meal_type, func.sum(PreOrder.count))
        .join(MealSession, MealSession.id == PreOrder.session_id)
        .where(PreOrder.business_date == day, PreOrder.cancelled.is_(False))
        .group_by(MealSession.sort_order, MealSession.name, PreOrder.meal_type)
        .order_by(MealSession.sort_order, PreOrder.meal_type))
    return [KitchenCount(name, meal_type, int(n or 0)) for name, meal_type, n in rows]


def prepare_resident_merge(session: Session, keep_id: int, drop_id: int) -> str:
    """Before two records of one elder are merged (residents.merge_residents): their live
    subsidised tickets must still keep the cap of one elder per meal session.

    Where both records hold subsidised meals in the same session and together they stay
    within the cap (``canteen.subsidised_per_session``, overrides with a reason not
    counted), the dropped record's tickets take the next free cap slots, so the merge keeps
    every ticket. Where together they exceed it, the elder was subsidised twice for one
    meal: the merge is refused with the tickets to look at (void the extra one first), never
    silently turned into a double claim. Returns a note for the merge's audit entry.
    """
    rows = list(session.scalars(select(MealTicket).where(
        MealTicket.resident_id.in_((keep_id, drop_id)), MealTicket.subsidised.is_(True),
        MealTicket.voided.is_(False)).order_by(MealTicket.business_date, MealTicket.id)))
    meals: dict[tuple[dt.date, int], list[MealTicket]] = {}
    for row in rows:
        meals.setdefault((row.business_date, row.session_id), []).append(row)
    cap = int(settings.get(session, "canteen.subsidised_per_session"))
    too_many: list[str] = []
    renumber: list[tuple[MealTicket, int]] = []
    for tickets in meals.values():
        kept = [t for t in tickets if t.resident_id == keep_id]
        dropped = [t for t in tickets if t.resident_id == drop_id]
        if not kept or not dropped:
            continue
        if sum(1 for t in tickets if not t.override_reason) > cap:
            too_many.append(tr("{date} {session}：{numbers}",
                               date=tickets[0].business_date.isoformat(),
                               session=tr(tickets[0].session_name),
                               numbers="、".join(t.number for t in tickets)))
            continue
        taken = {t.subsidy_slot for t in kept}
        top = max(t.subsidy_slot or 0 for t in tickets)
        for t in dropped:
            if t.subsidy_slot in taken:
                top += 1
                renumber.append((t, top))
    if too_many:
        shown = "；".join(too_many[:5]) + ("……" if len(too_many) > 5 else "")
        raise RuleError(tr(
            "不能合并：这两份档案在同一餐次都领了补助餐（{meals}）。同一位长者每餐次只能领 "
            "{cap} 份补助餐，合并后会成为重复申报。请先作废多出的餐票（已日结的日期需先重新开放），"
            "再合并。", meals=shown, cap=cap))
    for ticket, slot in renumber:
        ticket.subsidy_slot = slot
    session.flush()
    return ", ".join(f"ticket {t.number} slot→{slot}" for t, slot in renumber)
