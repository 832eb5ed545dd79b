"""Volunteers' rules: enrolment, teams, activities, service hours and the points they earn.

"谁组织谁记录": the centre records only actual service time. Hours come from signing in
and out at the desk, or are added by hand with a reason. Points follow the activity:
fixed points per record, or the category's points per hour on the credited minutes,
rounded half up to whole points (1 h 30 min at 1 point/h = 2 points; 1 h 29 min = 1).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.core import audit, settings
from frontdesk.core.actor import Actor
from frontdesk.core.dayguard import ensure_day_open
from frontdesk.core.errors import NotFoundError, RuleError
from frontdesk.core.i18n import N_, tr
from frontdesk.core.scan import ScanHit
from frontdesk.core.textfields import clean_line
from frontdesk.residents.models import Resident
from frontdesk.residents.service import resolve_card_or_id
from frontdesk.volunteers import ledger
from frontdesk.volunteers.models import (
    ADJUSTED,
    EARNED,
    EXPIRED,
    RECORD_DONE,
    RECORD_OPEN,
    RECORD_VOID,
    REVERSED,
    SOURCE_DESK,
    SOURCE_MANUAL,
    Activity,
    ActivityCategory,
    PointsEntry,
    ServiceRecord,
    Volunteer,
    VolunteerTeam,
)

MINUTES_PER_DAY = 24 * 60
NAME_LIMIT = 100  # the name columns of teams, categories and activities
ROUNDING_RULE = N_("按实际服务分钟折算，四舍五入到整数积分")
KIND_LABELS = {
    EARNED: N_("服务获得"), "redeemed": N_("兑换扣减"), ADJUSTED: N_("管理员调整"),
    EXPIRED: N_("过期"), REVERSED: N_("冲销"),
}
SOURCE_LABELS = {SOURCE_DESK: N_("前台签到"), SOURCE_MANUAL: N_("手工补录")}


@dataclass(frozen=True)
class VolunteerInfo:
    """A volunteer as screens, the CLI and reports see them."""

    id: int
    number: str
    resident_id: int
    name: str
    card_code: str | None
    phone: str | None
    team: str
    joined_on: dt.date
    skills: str
    active: bool
    balance: int


@dataclass(frozen=True)
class ActivityInfo:
    """An activity with its points rule."""

    id: int
    name: str
    category: str
    points_per_hour: int
    fixed_points: int | None
    cap_minutes: int | None
    category_id: int = 0
    active: bool = True

    def rule_text(self) -> str:
        """The points rule in words."""
        if self.fixed_points is not None:
            text = tr("每次 {n} 分", n=self.fixed_points)
        else:
            text = tr("每小时 {n} 分", n=self.points_per_hour)
        if self.cap_minutes:
            text += tr("，每次最多计 {h} 小时", h=_hours_text(self.cap_minutes))
        return text


@dataclass(frozen=True)
class ServiceInfo:
    """One service record."""

    id: int
    volunteer_id: int
    volunteer_name: str
    activity: str
    service_date: dt.date
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    minutes: int
    credited_minutes: int
    points: int
    source: str
    reason: str
    verified_by: str
    status: str


@dataclass(frozen=True)
class EntryInfo:
    """One ledger line."""

    id: int
    volunteer_id: int
    kind: str
    points: int
    balance_after: int
    at: dt.datetime
    business_date: dt.date
    reason: str
    operator: str
    source_key: str | None


def _hours_text(minutes: int) -> str:
    return f"{minutes / 60:g}"


def points_for(minutes: int, points_per_hour: int, fixed_points: int | None) -> int:
    """Points earned for ``minutes`` of credited service (see the module's rounding rule)."""
    if minutes <= 0:
        return 0
    if fixed_points is not None:
        return fixed_points
    return (minutes * points_per_hour * 2 + 60) // 120  # round half up, integers only


# -- teams, categories, activities ------------------------------------------------------

def create_team(session: Session, actor: Actor, name: str,
                leader_resident_id: int | None = None) -> int:
    """Add a team (admins only); returns its id."""
    actor.require_admin()
    name = clean_line(tr("队伍名称"), name, limit=NAME_LIMIT, required=True)
    if session.scalar(select(VolunteerTeam).where(VolunteerTeam.name == name)) is not None:
        raise RuleError(tr("已有名为“{name}”的队伍。", name=name))
    if leader_resident_id is not None and session.get(Resident, leader_resident_id) is None:
        raise NotFoundError(tr("没有这位居民（编号 {id}）。", id=leader_resident_id))
    team = VolunteerTeam(name=name, leader_resident_id=leader_resident_id, created_at=actor.now())
    session.add(team)
    session.flush()
    audit.record(session, actor, "volunteer.team.create", "volunteer_team", team.id, name)
    return team.id


def list_teams(session: Session) -> list[tuple[int, str, str]]:
    """Active teams as (id, name, leader's name)."""
    return [(t.id, t.name, t.leader) for t in team_details(session) if t.active]


@dataclass(frozen=True)
class TeamInfo:
    """A team as the set-up screen edits it."""

    id: int
    name: str
    leader: str  # the leader's name
    leader_card: str  # the leader's card code (what the desk types to change it)
    active: bool
    members: int


def team_details(session: Session) -> list[TeamInfo]:
    """Every team, stopped ones too, with its leader and how many active members it has."""
    members = dict(session.execute(
        select(Volunteer.team_id, func.count()).where(Volunteer.active.is_(True))
        .group_by(Volunteer.team_id)).all())
    rows = session.execute(
        select(VolunteerTeam, Resident.name, Resident.card_code)
        .outerjoin(Resident, Resident.id == VolunteerTeam.leader_resident_id)
        .order_by(VolunteerTeam.id))
    return [TeamInfo(t.id, t.name, leader or "", card or "", t.active, members.get(t.id, 0))
            for t, leader, card in rows]


def update_team(session: Session, actor: Actor, team_id: int, *, name: str,
                leader_resident_id: int | None, active: bool) -> TeamInfo:
    """Rename a team, change its leader, stop or restart it (admins only)."""
    actor.require_admin()
    team = session.get(VolunteerTeam, team_id)
    if team is None:
        raise NotFoundError(tr("没有这个志愿服务队。"))
    name = clean_line(tr("队伍名称"), name, limit=NAME_LIMIT, required=True)
    if name != team.name and session.scalar(
            select(VolunteerTeam).where(VolunteerTeam.name == name)) is not None:
        raise RuleError(tr("已有名为“{name}”的队伍。", name=name))
    if leader_resident_id is not None and session.get(Resident, leader_resident_id) is None:
        raise NotFoundError(tr("没有这位居民（编号 {id}）。", id=leader_resident_id))
    before = f"{team.name}/leader={team.leader_resident_id}/{'on' if team.active else 'off'}"
    team.name, team.leader_resident_id, team.active = name, leader_resident_id, active
    audit.record(session, actor, "volunteer.team.update", "volunteer_team", team.id,
                 f"{before} → {name}/leader={leader_resident_id}/{'on' if active else 'off'}")
    session.flush()
    return next(t for t in team_details(session) if t.id == team_id)


def _check_rate(points_per_hour: int) -> None:
    if not 0 <= points_per_hour <= 100:
        raise RuleError(tr("每小时积分应在 0 到 100 之间。"))


def create_category(session: Session, actor: Actor, name: str, points_per_hour: int) -> int:
    """Add a service category with its points per hour (admins only)."""
    actor.require_admin()
    name = clean_line(tr("服务类别名称"), name, limit=NAME_LIMIT, required=True)
    _check_rate(points_per_hour)
    if session.scalar(select(ActivityCategory).where(ActivityCategory.name == name)):
        raise RuleError(tr("已有名为“{name}”的服务类别。", name=name))
    cat = ActivityCategory(name=name, points_per_hour=points_per_hour)
    session.add(cat)
    session.flush()
    audit.record(session, actor, "volunteer.category.create", "volunteer_category", cat.id,
                 f"{name}: {points_per_hour}/h")
    return cat.id


def update_category(session: Session, actor: Actor, category_id: int, *, name: str,
                    points_per_hour: int) -> tuple[int, str, int]:
    """Rename a category or change its points per hour (admins only).

    Records already saved keep the points they earned; the new rate counts from now on.
    """
    actor.require_admin()
    cat = session.get(ActivityCategory, category_id)
    if cat is None:
        raise NotFoundError(tr("没有这个服务类别。"))
    name = clean_line(tr("服务类别名称"), name, limit=NAME_LIMIT, required=True)
    _check_rate(points_per_hour)
    if name != cat.name and session.scalar(
            select(ActivityCategory).where(ActivityCategory.name == name)) is not None:
        raise RuleError(tr("已有名为“{name}”的服务类别。", name=name))
    before = f"{cat.name}: {cat.points_per_hour}/h"
    cat.name, cat.points_per_hour = name, points_per_hour
    audit.record(session, actor, "volunteer.category.update", "volunteer_category", cat.id,
                 f"{before} → {name}: {points_per_hour}/h")
    session.flush()
    return cat.id, cat.name, cat.points_per_hour


def list_categories(session: Session) -> list[tuple[int, str, int]]:
    """Service categories as (id, name, points per hour)."""
    return [(c.id, c.name, c.points_per_hour)
            for c in session.scalars(select(ActivityCategory).order_by(ActivityCategory.id))]


def _check_activity_rule(fixed_points: int | None, cap_hours: float | None) -> int | None:
    """The cap in minutes, or a RuleError for a rule that makes no sense."""
    if fixed_points is not None and not 0 < fixed_points <= 1000:
        raise RuleError(tr("固定积分应在 1 到 1000 之间。"))
    if cap_hours is not None and (cap_hours != cap_hours or not 0 < cap_hours <= 24):
        raise RuleError(tr("每次最多计入的小时数应在 0 到 24 之间。"))
    return None if cap_hours is None else round(cap_hours * 60)


def create_activity(session: Session, actor: Actor, name: str, category_id: int, *,
                    fixed_points: int | None = None, cap_hours: float | None = None) -> int:
    """Add an activity: its category, fixed points (or per hour) and a cap (admins only)."""
    actor.require_admin()
    name = clean_line(tr("服务项目名称"), name, limit=NAME_LIMIT, required=True)
    if session.get(ActivityCategory, category_id) is None:
        raise NotFoundError(tr("没有这个服务类别。"))
    cap_minutes = _check_activity_rule(fixed_points, cap_hours)
    if session.scalar(select(Activity).where(Activity.name == name)):
        raise RuleError(tr("已有名为“{name}”的服务项目。", name=name))
    act = Activity(name=name, category_id=category_id, fixed_points=fixed_points,
                   cap_minutes=cap_minutes)
    session.add(act)
    session.flush()
    audit.record(session, actor, "volunteer.activity.create", "volunteer_activity", act.id,
                 f"{name}; fixed={fixed_points}; cap_h={cap_hours}")
    return act.id


def update_activity(session: Session, actor: Actor, activity_id: int, *, name: str,
                    category_id: int, fixed_points: int | None, cap_hours: float | None,
                    active: bool) -> ActivityInfo:
    """Edit an activity's name, category and points rule; stop (停用) or restart it (admins).

    A stopped activity is never deleted: its records keep pointing at it, and it can no
    longer be chosen for new service. Saved records keep their points; a changed rule
    counts for records saved from now on. An activity someone is signed in to stays on.
    """
    actor.require_admin()
    act = session.get(Activity, activity_id)
    if act is None:
        raise NotFoundError(tr("没有这个服务项目。"))
    name = clean_line(tr("服务项目名称"), name, limit=NAME_LIMIT, required=True)
    if session.get(ActivityCategory, category_id) is None:
        raise NotFoundError(tr("没有这个服务类别。"))
    cap_minutes = _check_activity_rule(fixed_points, cap_hours)
    if name != act.name and session.scalar(select(Activity).where(Activity.name == name)):
        raise RuleError(tr("已有名为“{name}”的服务项目。", name=name))
    if act.active and not active and session.scalar(select(ServiceRecord.id).where(
            ServiceRecord.activity_id == activity_id,
            ServiceRecord.status == RECORD_OPEN).limit(1)) is not None:
        raise RuleError(tr("还有志愿者正在做“{name}”（已签到未签退），请等他们签退后再停用。",
                           name=act.name))
    before = (f"{act.name}; category={act.category_id}; fixed={act.fixed_points}; "
              f"cap_min={act.cap_minutes}; {'on' if act.active else 'off'}")
    act.name, act.category_id, act.fixed_points = name, category_id, fixed_points
    act.cap_minutes, act.active = cap_minutes, active
    audit.record(session, actor, "volunteer.activity.update", "volunteer_activity", act.id,
                 f"{before} → {name}; category={category_id}; fixed={fixed_points}; "
                 f"cap_min={cap_minutes}; {'on' if active else 'off'}")
    session.flush()
    session.expire(act, ["category"])
    return _activity_info(act)


def _activity_info(act: Activity) -> ActivityInfo:
    return ActivityInfo(act.id, act.name, act.category.name, act.category.points_per_hour,
                        act.fixed_points, act.cap_minutes, act.category_id, act.active)


def list_activities(session: Session, *, include_inactive: bool = False) -> list[ActivityInfo]:
    """Activities in the order they were added: the active ones, or all of them."""
    stmt = select(Activity).order_by(Activity.id)
    if not include_inactive:
        stmt = stmt.where(Activity.active.is_(True))
    return [_activity_info(a) for a in session.scalars(stmt)]


def find_activity(session: Session, name: str | None) -> ActivityInfo:
    """The activity called ``name`` (or the first one when no name is given)."""
    stmt = select(Activity).where(Activity.active.is_(True))
    if name:
        stmt = stmt.where(Activity.name == name.strip())
    act = session.scalar(stmt.order_by(Activity.id).limit(1))
    if act is None:
        if name:
            raise NotFoundError(tr("没有名为“{name}”的服务项目。", name=name))
        raise NotFoundError(tr("还没有服务项目，请先由管理员添加。"))
    return _activity_info(act)


# -- volunteers --------------------------------------------------------------------------

def _info(session: Session, v: Volunteer) -> VolunteerInfo:
    resident = session.get(Resident, v.resident_id)
    assert resident is not None
    team = session.get(VolunteerTeam, v.team_id) if v.team_id else None
    return VolunteerInfo(v.id, v.number, v.resident_id, resident.name, resident.card_code,
                         resident.phone, team.name if team else "", v.joined_on, v.skills,
                         v.active, v.balance)


def _volunteer(session: Session, volunteer_id: int) -> Volunteer:
    v = session.get(Volunteer, volunteer_id)
    if v is None:
        raise NotFoundError(tr("没有这位志愿者（编号 {id}）。", id=volunteer_id))
    return v


def get_volunteer(session: Session, volunteer_id: int) -> VolunteerInfo:
    """The volunteer with ``volunteer_id``."""
    return _info(session, _volunteer(session, volunteer_id))


def volunteer_for_resident(session: Session, resident_id: int) -> VolunteerInfo | None:
    """The volunteer record of a resident, if they are one."""
    v = session.scalar(select(Volunteer).where(Volunteer.resident_id == resident_id))
    return None if v is None else _info(session, v)


def find_volunteer(session: Session, code: str) -> VolunteerInfo:
    """The volunteer a scanned card, ID number or volunteer number names."""
    code = code.strip()
    v = session.scalar(select(Volunteer).where(Volunteer.number == code.upper()))
    if v is not None:
        return _info(session, v)
    resident = resolve_card_or_id(session, code)
    found = volunteer_for_resident(session, resident.id)
    if found is None:
        raise NotFoundError(tr("{name} 还不是志愿者，请先登记。", name=resident.name))
    return found


def _next_number(session: Session) -> str:
    last = session.scalar(select(func.max(Volunteer.id))) or 0
    number = f"ZY{last + 1:06d}"
    while session.scalar(select(Volunteer.id).where(Volunteer.number == number)):
        last += 1
        number = f"ZY{last + 1:06d}"
    return number


def enroll(session: Session, actor: Actor, resident_id: int, *, team_id: int | None = None,
           skills: str = "", number: str | None = None,
           joined_on: dt.date | None = None) -> VolunteerInfo:
    """Make a resident a volunteer; returns the new volunteer."""
    resident = session.get(Resident, resident_id)
    if resident is None:
        raise NotFoundError(tr("没有这位居民（编号 {id}）。", id=resident_id))
    existing = volunteer_for_resident(session, resident_id)
    if existing is not None:
        raise RuleError(tr("{name} 已经是志愿者（{number}）。", name=resident.name,
                           number=existing.number))
    if team_id is not None and session.get(VolunteerTeam, team_id) is None:
        raise NotFoundError(tr("没有这个志愿服务队。"))
    if len(skills) > 200:
        raise RuleError(tr("特长最多 200 字。"))
    number = (number or "").strip().upper() or _next_number(session)
    if session.scalar(select(Volunteer.id).where(Volunteer.number == number)):
        raise RuleError(tr("志愿者编号 {number} 已被使用。", number=number))
    v = Volunteer(resident_id=resident_id, number=number, team_id=team_id,
                  joined_on=joined_on or actor.today(), skills=skills.strip(), active=True,
                  balance=0, created_at=actor.now())
    session.add(v)
    session.flush()
    audit.record(session, actor, "volunteer.enroll", "volunteer", v.id,
                 f"{resident.name} → {number}")
    return _info(session, v)


def update_volunteer(session: Session, actor: Actor, volunteer_id: int, *,
                     team_id: int | None, skills: str, active: bool) -> VolunteerInfo:
    """Change a volunteer's team and skills; stop (停用) or restart them.

    Stopping keeps their hours, points and number; a stopped volunteer cannot sign in or
    redeem. Stopping and restarting are for admins.
    """
    v = _volunteer(session, volunteer_id)
    if active != v.active:
        actor.require_admin()
        if not active and session.scalar(select(ServiceRecord.id).where(
                ServiceRecord.volunteer_id == volunteer_id,
                ServiceRecord.status == RECORD_OPEN)) is not None:
            raise RuleError(tr("这位志愿者还在服务中（已签到未签退），请先签退再停用。"))
    if team_id is not None and session.get(VolunteerTeam, team_id) is None:
        raise NotFoundError(tr("没有这个志愿服务队。"))
    skills = skills.strip()
    if len(skills) > 200:
        raise RuleError(tr("特长最多 200 字。"))
    before = f"team={v.team_id} skills={v.skills} {'on' if v.active else 'off'}"
    v.team_id, v.skills, v.active = team_id, skills, active
    audit.record(session, actor, "volunteer.update", "volunteer", v.id,
                 f"{before} → team={team_id} skills={skills} {'on' if active else 'off'}")
    return _info(session, v)


def list_volunteers(session: Session, text: str = "", limit: int = 500) -> list[VolunteerInfo]:
    """Volunteers by number, filtered by name, number or team."""
    stmt = (select(Volunteer, Resident.name, Resident.card_code, Resident.phone,
                   VolunteerTeam.name)
            .join(Resident, Resident.id == Volunteer.resident_id)
            .outerjoin(VolunteerTeam, VolunteerTeam.id == Volunteer.team_id)
            .order_by(Volunteer.number))
    if text.strip():
        like = f"%{text.strip()}%"
        stmt = stmt.where(Resident.name.like(like) | Volunteer.number.like(like)
                          | VolunteerTeam.name.like(like))
    return [
        VolunteerInfo(v.id, v.number, v.resident_id, name, card, phone, team or "",
                      v.joined_on, v.skills, v.active, v.balance)
        for v, name, card, phone, team in session.execute(stmt.limit(limit))
    ]


def balance(session: Session, volunteer_id: int) -> int:
    """The volunteer's points balance (one row: the running balance the ledger keeps)."""
    value = session.scalar(select(Volunteer.balance).where(Volunteer.id == volunteer_id))
    if value is None:
        raise NotFoundError(tr("没有这位志愿者（编号 {id}）。", id=volunteer_id))
    return value


# -- service records ---------------------------------------------------------------------

def _service_info(session: Session, r: ServiceRecord) -> ServiceInfo:
    act = session.get(Activity, r.activity_id)
    v = _volunteer(session, r.volunteer_id)
    resident = session.get(Resident, v.resident_id)
    return ServiceInfo(r.id, r.volunteer_id, resident.name if resident else "",
                       act.name if act else "", r.service_date, r.started_at, r.ended_at,
                       r.minutes, r.credited_minutes, r.points, r.source, r.reason,
                       r.verified_by, r.status)


def _minutes_that_day(session: Session, volunteer_id: int, day: dt.date) -> tuple[int, int]:
    """(actual, credited) minutes already recorded for the volunteer on ``day``."""
    row = session.execute(
        select(func.coalesce(func.sum(ServiceRecord.minutes), 0),
               func.coalesce(func.sum(ServiceRecord.credited_minutes), 0))
        .where(ServiceRecord.volunteer_id == volunteer_id, ServiceRecord.service_date == day,
               ServiceRecord.status == RECORD_DONE)).one()
    return int(row[0]), int(row[1])


def _credit_and_award(session: Session, actor: Actor, record: ServiceRecord) -> None:
    """Apply the caps, compute the points and write them to the ledger (once)."""
    act = session.get(Activity, record.activity_id)
    assert act is not None
    daily_cap = int(settings.get(session, "volunteers.daily_cap_hours")) * 60
    _, credited_before = _minutes_that_day(session, record.volunteer_id, record.service_date)
    credited = record.minutes
    if act.cap_minutes is not None:
        credited = min(credited, act.cap_minutes)
    credited = max(0, min(credited, daily_cap - credited_before))
    record.credited_minutes = credited
    record.points = points_for(credited, act.category.points_per_hour, act.fixed_points)
    record.status = RECORD_DONE
    session.flush()
    if record.points > 0:
        ledger.append(session, actor, record.volunteer_id, EARNED, record.points,
                      reason=act.name, source_key=f"service:{record.id}",
                      service_record_id=record.id)


def sign_in(session: Session, actor: Actor, volunteer_id: int, activity_id: int) -> ServiceInfo:
    """Start a stretch of service at the desk (签到)."""
    v = _volunteer(session, volunteer_id)
    if not v.active:
        raise RuleError(tr("这位志愿者已停用。"))
    act = session.get(Activity, activity_id)
    if act is None or not act.active:
        raise NotFoundError(tr("没有这个服务项目。"))
    open_one = session.scalar(select(ServiceRecord).where(
        ServiceRecord.volunteer_id == volunteer_id, ServiceRecord.status == RECORD_OPEN))
    if open_one is not None:
        raise RuleError(tr("已经签到（{time}），请先签退。",
                           time=_hhmm(open_one.started_at)))
    ensure_day_open(session, actor.today())
    now = actor.now()
    record = ServiceRecord(
        volunteer_id=volunteer_id, activity_id=activity_id, service_date=actor.today(),
        started_at=now, ended_at=None, minutes=0, credited_minutes=0, points=0,
        source=SOURCE_DESK, reason="", verified_by=actor.display_name, status=RECORD_OPEN,
        created_at=now, created_by=actor.username)
    session.add(record)
    session.flush()
    audit.record(session, actor, "volunteer.sign_in", "volunteer_service", record.id,
                 f"volunteer={volunteer_id} activity={act.name}")
    return _service_info(session, record)


def _hhmm(moment: dt.datetime | None) -> str:
    from frontdesk.core.clock import to_local

    return "" if moment is None else to_local(moment).strftime("%H:%M")


def open_record(session: Session, volunteer_id: int) -> ServiceInfo | None:
    """The volunteer's signed-in record waiting for sign-out, if any."""
    r = session.scalar(select(ServiceRecord).where(
        ServiceRecord.volunteer_id == volunteer_id, ServiceRecord.status == RECORD_OPEN))
    return None if r is None else _service_info(session, r)


def sign_out(session: Session, actor: Actor, volunteer_id: int) -> ServiceInfo:
    """End the open stretch (签退): hours are computed, capped, and points awarded."""
    r = session.scalar(select(ServiceRecord).where(
        ServiceRecord.volunteer_id == volunteer_id, ServiceRecord.status == RECORD_OPEN))
    if r is None:
        raise RuleError(tr("这位志愿者没有未签退的签到。"))
    ensure_day_open(session, r.service_date)
    assert r.started_at is not None
    now = actor.now()
    minutes = int((now - r.started_at).total_seconds() // 60)
    if minutes < 0:
        raise RuleError(tr("签退时间早于签到时间，请检查电脑时间。"))
    if minutes > MINUTES_PER_DAY or actor.today() != r.service_date:
        # Forgot to sign out: cap at the end of the day; an admin can correct by hand.
        end_of_day = MINUTES_PER_DAY - (r.started_at.astimezone(now.tzinfo).hour * 60
                                        + r.started_at.astimezone(now.tzinfo).minute)
        minutes = min(minutes, end_of_day)
    r.ended_at = now
    r.minutes = minutes
    _credit_and_award(session, actor, r)
    audit.record(session, actor, "volunteer.sign_out", "volunteer_service", r.id,
                 f"{minutes} min, credited {r.credited_minutes}, {r.points} points")
    return _service_info(session, r)


def add_record(
    session: Session,
    actor: Actor,
    volunteer_id: int,
    activity_id: int,
    service_date: dt.date,
    *,
    reason: str,
    hours: float | None = None,
    start: dt.time | None = None,
    end: dt.time | None = None,
    verified_by: str = "",
    request_key: str | None = None,
) -> ServiceInfo:
    """Add a service record by hand (手工补录): needs a reason; hours or start and end.

    Saving again with the same ``request_key`` returns the first record unchanged.
    """
    if request_key:
        existing = session.scalar(select(ServiceRecord).where(
            ServiceRecord.request_key == request_key))
        if existing is not None:
            return _service_info(session, existing)
    v = _volunteer(session, volunteer_id)
    if not v.active:
        raise RuleError(tr("这位志愿者已停用。"))
    act = session.get(Activity, activity_id)
    if act is None:
        raise NotFoundError(tr("没有这个服务项目。"))
    reason = reason.strip()
    if not reason:
        raise RuleError(tr("手工补录的服务记录必须填写原因。"))
    if service_date > actor.today():
        raise RuleError(tr("服务日期不能晚于今天。"))
    ensure_day_open(session, service_date)
    started = ended = None
    if start is not None and end is not None:
        minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
        if minutes <= 0:
            raise RuleError(tr("结束时间必须晚于开始时间。"))
        from frontdesk.core.clock import CENTRE_TZ

        started = dt.datetime.combine(service_date, start, CENTRE_TZ)
        ended = dt.datetime.combine(service_date, end, CENTRE_TZ)
    elif hours is not None:
        if hours != hours or hours <= 0:  # NaN or not positive
            raise RuleError(tr("服务时长必须大于 0 小时。"))
        if hours > 24:
            raise RuleError(tr("服务时长 {h} 小时不可能：一天最多 24 小时。", h=f"{hours:g}"))
        minutes = round(hours * 60)
    else:
        raise RuleError(tr("请填写服务时长，或开始和结束时间。"))
    actual_before, _ = _minutes_that_day(session, volunteer_id, service_date)
    if actual_before + minutes > MINUTES_PER_DAY:
        raise RuleError(tr(
            "{date} 已记录 {done} 小时，再加 {h} 小时超过一天 24 小时，请核对。",
            date=service_date.isoformat(), done=_hours_text(actual_before),
            h=_hours_text(minutes)))
    daily_cap = int(settings.get(session, "volunteers.daily_cap_hours")) * 60
    if actual_before + minutes > daily_cap:
        raise RuleError(tr(
            "每人每天最多计入 {cap} 小时，{date} 已记录 {done} 小时。",
            cap=_hours_text(daily_cap), date=service_date.isoformat(),
            done=_hours_text(actual_before)))
    now = actor.now()
    record = ServiceRecord(
        volunteer_id=volunteer_id, activity_id=activity_id, service_date=service_date,
        started_at=started, ended_at=ended, minutes=minutes, credited_minutes=0, points=0,
        source=SOURCE_MANUAL, reason=reason, verified_by=verified_by.strip() or actor.display_name,
        status=RECORD_DONE, request_key=request_key or None, created_at=now,
        created_by=actor.username)
    session.add(record)
    session.flush()
    _credit_and_award(session, actor, record)
    audit.record(session, actor, "volunteer.record.add", "volunteer_service", record.id,
                 f"volunteer={volunteer_id} {service_date} {minutes} min, "
                 f"{record.points} points; reason: {reason}")
    return _service_info(session, record)


def award_hours(session: Session, actor: Actor, volunteer_id: int, hours: float,
                activity_name: str | None = None, reason: str = "",
                request_key: str | None = None) -> ServiceInfo:
    """Hand-add ``hours`` of service today for an activity named by name (the CLI's award)."""
    act = find_activity(session, activity_name)
    return add_record(session, actor, volunteer_id, act.id, actor.today(), hours=hours,
                      reason=reason or tr("命令行录入"), request_key=request_key)


def void_record(session: Session, actor: Actor, record_id: int, reason: str) -> ServiceInfo:
    """Void a wrong service record (admins, with a reason); its points are reversed."""
    actor.require_admin()
    reason = reason.strip()
    if not reason:
        raise RuleError(tr("作废必须填写原因。"))
    r = session.get(ServiceRecord, record_id)
    if r is None:
        raise NotFoundError(tr("没有这条服务记录。"))
    if r.status == RECORD_VOID:
        raise RuleError(tr("这条服务记录已经作废。"))
    ensure_day_open(session, r.service_date)
    earned = ledger.find_by_source(session, f"service:{r.id}")
    if earned is not None:
        reverse_entry(session, actor, earned.id, reason)
    r.status = RECORD_VOID
    r.void_reason = reason
    audit.record(session, actor, "volunteer.record.void", "volunteer_service", r.id, reason)
    return _service_info(session, r)


def list_records(session: Session, volunteer_id: int | None = None,
                 date_from: dt.date | None = None, date_to: dt.date | None = None,
                 limit: int = 500) -> list[ServiceInfo]:
    """Service records, newest first."""
    stmt = select(ServiceRecord).order_by(ServiceRecord.service_date.desc(),
                                          ServiceRecord.id.desc())
    if volunteer_id is not None:
        stmt = stmt.where(ServiceRecord.volunteer_id == volunteer_id)
    if date_from is not None:
        stmt = stmt.where(ServiceRecord.service_date >= date_from)
    if date_to is not None:
        stmt = stmt.where(ServiceRecord.service_date <= date_to)
    return [_service_info(session, r) for r in session.scalars(stmt.limit(limit))]


# -- the ledger: adjustments, reversals, expiry ------------------------------------------

def _entry_info(e: PointsEntry) -> EntryInfo:
    return EntryInfo(e.id, e.volunteer_id, e.kind, e.points, e.balance_after, e.at,
                     e.business_date, e.reason, e.operator, e.source_key)


def list_entries(session: Session, volunteer_id: int | None = None,
                 limit: int = 500) -> list[EntryInfo]:
    """Ledger lines, newest first."""
    stmt = select(PointsEntry).order_by(PointsEntry.id.desc())
    if volunteer_id is not None:
        stmt = stmt.where(PointsEntry.volunteer_id == volunteer_id)
    return [_entry_info(e) for e in session.scalars(stmt.limit(limit))]


def adjust(session: Session, actor: Actor, volunteer_id: int, points: int,
           reason: str) -> EntryInfo:
    """An admin's correction (+ or −) with a reason; the balance may not go below zero."""
    actor.require_admin()
    reason = reason.strip()
    if not reason:
        raise RuleError(tr("调整积分必须填写原因。"))
    if points == 0 or abs(points) > 100_000:
        raise RuleError(tr("调整的积分应为非零整数，且不超过 100000。"))
    _volunteer(session, volunteer_id)
    entry = ledger.append(session, actor, volunteer_id, ADJUSTED, points, reason=reason)
    audit.record(session, actor, "points.adjust", "points_entry", entry.id,
                 f"volunteer={volunteer_id} {points:+d}; {reason}")
    return _entry_info(entry)


def reverse_entry(session: Session, actor: Actor, entry_id: int, reason: str) -> EntryInfo:
    """Reverse an earned or adjusted entry with a new entry (admins, with a reason)."""
    actor.require_admin()
    reason = reason.strip()
    if not reason:
        raise RuleError(tr("冲销必须填写原因。"))
    original = session.get(PointsEntry, entry_id)
    if original is None:
        raise NotFoundError(tr("没有这条积分流水。"))
    if original.kind not in (EARNED, ADJUSTED):
        raise RuleError(tr("只有服务获得和调整的积分可以冲销；兑换请在兑换记录中冲销。"))
    if ledger.find_by_source(session, f"reverse:{entry_id}") is not None:
        raise RuleError(tr("这条积分流水已经冲销过。"))
    entry = ledger.append(session, actor, original.volunteer_id, REVERSED, -original.points,
                          reason=reason, source_key=f"reverse:{entry_id}",
                          reverses_id=entry_id)
    audit.record(session, actor, "points.reverse", "points_entry", entry.id,
                 f"reverses {entry_id}; {reason}")
    return _entry_info(entry)


def reverse_or_void(session: Session, actor: Actor, entry_id: int, reason: str) -> EntryInfo:
    """Undo a ledger line from the ledger view: points for a service record void the record
    too (its hours no longer count); other lines are reversed by a new entry."""
    entry = session.get(PointsEntry, entry_id)
    if entry is None:
        raise NotFoundError(tr("没有这条积分流水。"))
    if entry.kind == EARNED and entry.service_record_id is not None:
        void_record(session, actor, entry.service_record_id, reason)
        reversal = ledger.find_by_source(session, f"reverse:{entry_id}")
        assert reversal is not None
        return _entry_info(reversal)
    return reverse_entry(session, actor, entry_id, reason)


def expiry_date(session: Session, earned_on: dt.date) -> dt.date | None:
    """The last day points earned on ``earned_on`` can be used (None: they never expire)."""
    mode = settings.get(session, "volunteers.expiry")
    if mode == "year_end":
        return dt.date(earned_on.year, 12, 31)
    if mode == "years":
        years = int(settings.get(session, "volunteers.expiry_years"))
        try:
            return earned_on.replace(year=earned_on.year + years) - dt.timedelta(days=1)
        except ValueError:  # 29 February
            return dt.date(earned_on.year + years, 3, 1) - dt.timedelta(days=1)
    return None


def expire_points(session: Session, actor: Actor, as_of: dt.date | None = None) -> int:
    """Write off points past their expiry (an explicit run); returns the points expired.

    Spending uses the oldest points first, so what expires is whatever is left of the
    credits whose last day is before ``as_of``. Running it twice expires nothing more.
    """
    actor.require_admin()
    as_of = as_of or actor.today()
    if settings.get(session, "volunteers.expiry") == "none":
        return 0
    total = 0
    for vid in list(session.scalars(select(Volunteer.id).where(Volunteer.balance > 0))):
        expiring = spent = 0
        for kind, points, day in session.execute(
                select(PointsEntry.kind, PointsEntry.points, PointsEntry.business_date)
                .where(PointsEntry.volunteer_id == vid)):
            if points > 0 and kind in (EARNED, ADJUSTED):
                last_day = expiry_date(session, day)
                if last_day is not None and last_day < as_of:
                    expiring += points
            else:
                spent -= points  # debits count up; a returned redemption counts down
        due = min(max(0, expiring - spent), balance(session, vid))
        if due > 0:
            ledger.append(session, actor, vid, EXPIRED, -due,
                          reason=tr("积分过期（截至 {date}）", date=as_of.isoformat()),
                          source_key=f"expire:{vid}:{as_of.isoformat()}")
            total += due
    audit.record(session, actor, "points.expire", "points_entry", None,
                 f"as of {as_of}: {total} points expired")
    return total


def resolve_scan(session: Session, code: str) -> ScanHit | None:
    """A scanned volunteer number (ZY000001) opens the volunteer on the volunteers page."""
    v = session.scalar(select(Volunteer).where(Volunteer.number == code.upper()))
    if v is None:
        return None
    resident = session.get(Resident, v.resident_id)
    return ScanHit("volunteers", "volunteer", v.id,
                   f"{resident.name if resident else ''}（{v.number}）")


def prepare_resident_merge(session: Session, keep_id: int, drop_id: int) -> str:
    """Before two records of one person are merged (residents.merge_residents): one resident
    is one volunteer, and two volunteers' hours and points ledgers cannot become one (each
    ledger is a chain that ``verify`` checks). Both enrolled: refused in words. Only the
    dropped record enrolled: its volunteer moves with the merge."""
    found = {v.resident_id: v for v in session.scalars(
        select(Volunteer).where(Volunteer.resident_id.in_((keep_id, drop_id))))}
    if keep_id in found and drop_id in found:
        raise RuleError(tr(
            "不能合并：两份档案都登记为志愿者（编号 {a} 和 {b}），志愿服务时长和积分账本不能合并。"
            "请保留两份档案，并在备注里写明是同一人。", a=found[keep_id].number,
            b=found[drop_id].number))
    return ""
