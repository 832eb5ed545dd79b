"""Check-in's share of the day close and the town package (DAY_EXPORTERS).

Sheets 签到 and 团体与计数 in the column order of ``frontdesk.dayclose.format`` (fixed
Chinese: they are data for the town, not screen text), the day's visitor totals, and the
warnings the desk must resolve or acknowledge before closing:

- ``checkin.open``: people checked in that day who never checked out (still 在中心);
- ``checkin.sheet_unprinted``: the day has check-ins but no 来访登记表 was printed for
  elders to sign.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.core.clock import Clock, to_local
from frontdesk.core.dayguard import ClosedDay
from frontdesk.core.i18n import tr
from frontdesk.core.masking import mask_id_number, mask_phone
from frontdesk.core.operators import Operator
from frontdesk.dayclose import format as fmt
from frontdesk.dayclose.package import Row
from frontdesk.dayclose.registry import DayPart, DayWarning, ExportOptions
from frontdesk.documents.styles import DocumentMeta
from frontdesk.residents.models import Resident

from .models import AREAS, Checkin, CheckinPurpose, GroupVisit, TallyEntry, TallyGroup
from .reports import age_on

SEX = {"M": "男", "F": "女"}
KIND_GROUP, KIND_TALLY = "团体", "计数"
NOTE_TEMPORARY = "临时登记"
NOTE_REPEAT = "确认重复签到"
OPEN_NAMES_SHOWN = 5


def _status(voided: bool) -> str:
    return fmt.STATUS_VOID if voided else fmt.STATUS_VALID


def checkin_rows(session: Session, day: dt.date) -> list[Row]:
    """The 签到 sheet: every check-in of ``day`` (voided ones too), by time then id.

    序号 is the number on the signed daily sheet, which lists only valid check-ins; a voided
    check-in has none.
    """
    rows = session.execute(
        select(Checkin.checked_in_at, Checkin.checked_out_at, Resident.name, Resident.sex,
               Resident.birth_date, Resident.id_number, Resident.phone, Resident.temporary,
               CheckinPurpose.area, CheckinPurpose.name, Checkin.operator_name,
               Checkin.confirmed_repeat, Checkin.voided, Checkin.void_reason)
        .join(Resident, Resident.id == Checkin.resident_id)
        .join(CheckinPurpose, CheckinPurpose.id == Checkin.purpose_id)
        .where(Checkin.business_date == day)
        .order_by(Checkin.checked_in_at, Checkin.id))
    out: list[Row] = []
    seq = 0
    for (at, out_at, name, sex, birth, id_number, phone, temporary, area, purpose, operator,
         repeat, voided, reason) in rows:
        if not voided:
            seq += 1
        notes = "；".join(n for n, on in ((NOTE_TEMPORARY, temporary), (NOTE_REPEAT, repeat))
                         if on)
        out.append((None if voided else seq, to_local(at),
                    None if out_at is None else to_local(out_at), name, SEX.get(sex or ""),
                    age_on(birth, day), mask_id_number(id_number) or None,
                    mask_phone(phone) or None, AREAS.get(area, area), purpose, operator,
                    None, notes or None, _status(voided), reason if voided else None))
    return out


def group_tally_rows(session: Session, day: dt.date) -> list[Row]:
    """The 团体与计数 sheet: group visits and tally clicks of ``day``, by time then id."""
    groups = session.execute(
        select(GroupVisit.at, GroupVisit.id, GroupVisit.organisation, GroupVisit.head_count,
               CheckinPurpose.name, GroupVisit.operator_name, GroupVisit.voided,
               GroupVisit.void_reason)
        .outerjoin(CheckinPurpose, CheckinPurpose.id == GroupVisit.purpose_id)
        .where(GroupVisit.business_date == day))
    tallies = session.execute(
        select(TallyEntry.at, TallyEntry.id, TallyGroup.name, TallyEntry.count,
               TallyEntry.operator_name, TallyEntry.voided, TallyEntry.void_reason)
        .join(TallyGroup, TallyGroup.id == TallyEntry.group_id)
        .where(TallyEntry.business_date == day))
    # Sorted by time, then kind and record id; the row follows without its 序号.
    entries: list[tuple[tuple[dt.datetime, int, int], Row]] = []
    for at, gid, org, heads, purpose, operator, voided, reason in groups:
        entries.append(((at, 0, gid), (to_local(at), KIND_GROUP, None, org, heads, purpose,
                                        None, operator, _status(voided),
                                        reason if voided else None)))
    for at, tid, group, count, operator, voided, reason in tallies:
        entries.append(((at, 1, tid), (to_local(at), KIND_TALLY, group, None, count, None,
                                        None, operator, _status(voided),
                                        reason if voided else None)))
    entries.sort(key=lambda e: e[0])
    return [(seq, *row) for seq, (_key, row) in enumerate(entries, start=1)]


def _heads(rows: list[Row]) -> int:
    return sum(r[5] for r in rows if isinstance(r[5], int))


def _totals(checkins: list[Row], groups: list[Row]) -> dict[str, int]:
    """The day's totals from the sheet rows themselves, so the two always agree."""
    valid = [r for r in groups if r[9] == fmt.STATUS_VALID]
    group_rows = [r for r in valid if r[2] == KIND_GROUP]
    return {
        "checkin_visits": sum(1 for r in checkins if r[13] == fmt.STATUS_VALID),
        "group_entries": len(group_rows),
        "group_headcount": _heads(group_rows),
        "tally_count": _heads([r for r in valid if r[2] == KIND_TALLY]),
    }


def open_checkins(session: Session, day: dt.date) -> list[str]:
    """Names of the people checked in on ``day`` who have not checked out."""
    return list(session.scalars(
        select(Resident.name).join(Checkin, Checkin.resident_id == Resident.id)
        .where(Checkin.business_date == day, Checkin.voided.is_(False),
               Checkin.checked_out_at.is_(None))
        .order_by(Checkin.checked_in_at, Checkin.id)))


def warnings(session: Session, day: dt.date, visits: int) -> list[DayWarning]:
    """What the desk should resolve or acknowledge before closing ``day``."""
    from frontdesk.documents import service as documents

    from .sheet import KIND, RECORD_TYPE

    found = []
    still_in = open_checkins(session, day)
    if still_in:
        names = "、".join(still_in[:OPEN_NAMES_SHOWN])
        if len(still_in) > OPEN_NAMES_SHOWN:
            names += tr("等")
        found.append(DayWarning("checkin.open", tr(
            "还有 {n} 人签到后未签退（仍显示在中心）：{names}。请在签到页为已离开的人签退，"
            "或确认已知悉。", n=len(still_in), names=names)))
    if visits and not documents.list_documents(session, kind=KIND, record_type=RECORD_TYPE,
                                               record_id=day.isoformat(), limit=1):
        found.append(DayWarning("checkin.sheet_unprinted", tr(
            "{date} 的来访登记表还没有打印（供来访者签名）。请在签到页打印，或确认已知悉。",
            date=day.isoformat())))
    return found


def _pdf(session: Session, day: dt.date) -> bytes:
    """The day's attendance sheet for the package: the same bytes on every export of a
    closed day (printed at the close time, by the operator who closed it)."""
    from frontdesk.core.centre import centre_info

    from .reports import attendance_sheet
    from .sheet import render_attendance

    closed = session.get(ClosedDay, day)
    if closed is not None and closed.closed:
        printed_at, operator = closed.closed_at, closed.closed_by
        display = session.scalar(select(Operator.display_name)
                                 .where(Operator.username == operator))
        operator = display or operator
    else:
        printed_at, operator = Clock().now(), tr("系统")
    meta = DocumentMeta(centre_info(session).name, tr("来访登记表"), operator, printed_at)
    return render_attendance(attendance_sheet(session, day), meta, invariant=True)


def day_part(session: Session, day: dt.date, options: ExportOptions) -> DayPart:
    """Check-in's sheets, totals, warnings and (when asked) PDFs for ``day``."""
    checkins = checkin_rows(session, day)
    groups = group_tally_rows(session, day)
    totals = _totals(checkins, groups)
    pdfs = {}
    if options.with_pdfs and (checkins or groups):
        pdfs[f"attendance_{day:%Y%m%d}.pdf"] = _pdf(session, day)
    return DayPart(sheets={fmt.CHECKINS: checkins, fmt.GROUPS: groups}, totals=totals,
                   warnings=tuple(warnings(session, day, totals["checkin_visits"])), pdfs=pdfs)
