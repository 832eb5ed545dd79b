"""What the check-in paperwork shows: the daily attendance sheet (来访登记表) and monthly
statistics, as plain data. Renderers (PDF, CSV, XLSX) only lay this data out."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.core.centre import CentreInfo, centre_info
from frontdesk.core.clock import to_local
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import N_, tr
from frontdesk.core.masking import mask_phone
from frontdesk.residents.models import Resident, ResidentTag

from .models import Checkin, CheckinPurpose, GroupVisit, TallyEntry, TallyGroup
from .service import day_counts

ELDER_AGE = 60
CHILD_AGE = 14
NEW_EMPLOYMENT_TAG = "新就业群体"

SHEET_HEADERS = (N_("序号"), N_("时间"), N_("姓名"), N_("性别"), N_("年龄"), N_("电话"),
                 N_("事由"), N_("接待人"))


def age_on(birth: dt.date | None, day: dt.date) -> int | None:
    """Age in whole years on ``day``."""
    if birth is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def sex_label(sex: str | None) -> str:
    return {"M": tr("男"), "F": tr("女")}.get(sex or "", "")


@dataclass(frozen=True)
class SheetRow:
    """One line of the attendance sheet (the 签名 column is left empty on paper)."""

    seq: int
    time: str
    name: str
    sex: str
    age: str
    phone: str
    purpose: str
    operator: str

    def cells(self) -> tuple[str, ...]:
        return (str(self.seq), self.time, self.name, self.sex, self.age, self.phone,
                self.purpose, self.operator)


@dataclass(frozen=True)
class SheetGroupVisit:
    """A group visit as the sheet lists it."""

    time: str
    organisation: str
    head_count: int
    purpose: str
    operator: str


@dataclass(frozen=True)
class SheetTotals:
    """The totals block at the foot of the sheet."""

    visits: int
    distinct_people: int
    tallies: int
    group_visits: int
    group_heads: int
    by_purpose: tuple[tuple[str, int], ...]

    @property
    def people(self) -> int:
        return self.visits + self.tallies + self.group_heads


@dataclass(frozen=True)
class AttendanceSheet:
    """The daily 来访登记表 for one business date: everything the paper shows."""

    centre: CentreInfo
    day: dt.date
    rows: tuple[SheetRow, ...]
    tallies: tuple[tuple[str, int], ...]
    group_visits: tuple[SheetGroupVisit, ...]
    totals: SheetTotals


def attendance_sheet(session: Session, day: dt.date) -> AttendanceSheet:
    """The attendance sheet of ``day`` (voided entries left out), in check-in order."""
    rows = session.execute(
        select(Checkin.resident_id, Checkin.checked_in_at, Checkin.operator_name,
               Resident.name, Resident.sex, Resident.birth_date, Resident.phone,
               Resident.temporary, CheckinPurpose.name)
        .join(Resident, Resident.id == Checkin.resident_id)
        .join(CheckinPurpose, CheckinPurpose.id == Checkin.purpose_id)
        .where(Checkin.business_date == day, Checkin.voided.is_(False))
        .order_by(Checkin.checked_in_at, Checkin.id)).all()
    sheet_rows = []
    for seq, (_rid, at, operator, name, sex, birth, phone, temporary, purpose) in enumerate(
            rows, start=1):
        age = age_on(birth, day)
        shown_name = tr("{name}（临时）", name=name) if temporary else name
        sheet_rows.append(SheetRow(seq, to_local(at).strftime("%H:%M"), shown_name,
                                   sex_label(sex), "" if age is None else str(age),
                                   mask_phone(phone), tr(purpose), operator))
    groups = session.execute(
        select(GroupVisit.at, GroupVisit.organisation, GroupVisit.head_count,
               CheckinPurpose.name, GroupVisit.operator_name)
        .outerjoin(CheckinPurpose, CheckinPurpose.id == GroupVisit.purpose_id)
        .where(GroupVisit.business_date == day, GroupVisit.voided.is_(False))
        .order_by(GroupVisit.at, GroupVisit.id)).all()
    group_rows = tuple(SheetGroupVisit(to_local(at).strftime("%H:%M"), org, n,
                                       tr(purpose) if purpose else "", op)
                       for at, org, n, purpose, op in groups)
    counts = day_counts(session, day)
    totals = SheetTotals(counts.visits, len({r[0] for r in rows}), counts.tallies,
                         counts.group_visits, counts.group_heads,
                         tuple((label, n) for label, n in counts.by_purpose if n))
    return AttendanceSheet(centre_info(session), day, tuple(sheet_rows),
                           counts.by_group, group_rows, totals)


@dataclass(frozen=True)
class StatLine:
    """Visits and distinct people for one purpose or tag."""

    label: str
    visits: int
    people: int


@dataclass(frozen=True)
class MonthlyStats:
    """A month's use of the centre, as assessors ask for it."""

    year: int
    month: int
    visits: int
    distinct_people: int
    by_purpose: tuple[StatLine, ...]
    by_tag: tuple[StatLine, ...]
    by_day: tuple[tuple[dt.date, int], ...]  # named visits per day
    tallies_by_group: tuple[tuple[str, int], ...]
    group_visits: int
    group_heads: int


def monthly_stats(session: Session, year: int, month: int) -> MonthlyStats:
    """Visits by purpose, by tag (elders ≥ 60, children < 14, 新就业群体), by day; distinct
    people against visits; tallies and group visits. Voided entries are left out."""
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise RuleError(tr("月份无效：{year}-{month}", year=year, month=month))
    first = dt.date(year, month, 1)
    after = dt.date(year + (month == 12), month % 12 + 1, 1)
    rows = session.execute(
        select(Checkin.business_date, Checkin.resident_id, Checkin.purpose_id,
               Resident.birth_date)
        .join(Resident, Resident.id == Checkin.resident_id)
        .where(Checkin.business_date >= first, Checkin.business_date < after,
               Checkin.voided.is_(False))).all()
    resident_ids = {r[1] for r in rows}
    tagged = set(session.scalars(select(ResidentTag.resident_id).where(
        ResidentTag.tag == NEW_EMPLOYMENT_TAG))) & resident_ids
    purposes = {p.id: p.name for p in session.scalars(
        select(CheckinPurpose).order_by(CheckinPurpose.sort_order, CheckinPurpose.id))}

    purpose_visits: Counter[int] = Counter()
    purpose_people: dict[int, set[int]] = {}
    tag_visits: Counter[str] = Counter()
    tag_people: dict[str, set[int]] = {}
    per_day: Counter[dt.date] = Counter()
    for day, rid, pid, birth in rows:
        purpose_visits[pid] += 1
        purpose_people.setdefault(pid, set()).add(rid)
        per_day[day] += 1
        age = age_on(birth, day)
        tags = []
        if age is not None and age >= ELDER_AGE:
            tags.append("elder")
        if age is not None and age < CHILD_AGE:
            tags.append("child")
        if rid in tagged:
            tags.append("new")
        for tag in tags:
            tag_visits[tag] += 1
            tag_people.setdefault(tag, set()).add(rid)
    tag_labels = (("elder", tr("老年人（60 岁及以上）")), ("child", tr("儿童（14 岁以下）")),
                  ("new", tr("新就业群体")))
    by_tag = tuple(StatLine(label, tag_visits[key], len(tag_people.get(key, ())))
                   for key, label in tag_labels)
    by_purpose = tuple(StatLine(tr(name), purpose_visits[pid], len(purpose_people.get(pid, ())))
                       for pid, name in purposes.items() if purpose_visits[pid])
    days = []
    d = first
    while d < after:
        days.append((d, per_day[d]))
        d += dt.timedelta(days=1)
    tallies = session.execute(
        select(TallyGroup.name, TallyEntry.count)
        .join(TallyGroup, TallyGroup.id == TallyEntry.group_id)
        .where(TallyEntry.business_date >= first, TallyEntry.business_date < after,
               TallyEntry.voided.is_(False))).all()
    tally_counter: Counter[str] = Counter()
    for name, n in tallies:
        tally_counter[tr(name)] += n
    heads = session.execute(
        select(GroupVisit.head_count)
        .where(GroupVisit.business_date >= first, GroupVisit.business_date < after,
               GroupVisit.voided.is_(False))).scalars().all()
    return MonthlyStats(year, month, len(rows), len(resident_ids), by_purpose, by_tag,
                        tuple(days), tuple(sorted(tally_counter.items())), len(heads),
                        sum(heads))
