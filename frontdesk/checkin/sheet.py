"""The daily attendance sheet (来访登记表) as an A4 PDF, for elders to sign.

:func:`render_attendance` lays out plain data (an :class:`AttendanceSheet`);
:func:`attendance_pdf` is the day-sheet entry (``frontdesk sheet attendance``). ReportLab
is imported only inside the documents package's renderers, on first use.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from frontdesk.core.actor import Actor
from frontdesk.core.i18n import N_, tr
from frontdesk.documents.sheets import Column, SheetSpec, render_sheet
from frontdesk.documents.styles import DocumentMeta

from .reports import AttendanceSheet, attendance_sheet

KIND = "checkin.attendance"  # the document kind in the archive
RECORD_TYPE = "checkin_day"  # the sheet belongs to a business day; record_id is the date
WEEKDAYS = (N_("星期一"), N_("星期二"), N_("星期三"), N_("星期四"), N_("星期五"), N_("星期六"),
            N_("星期日"))


def sheet_title(day: dt.date) -> str:
    """The archive title of the sheet of ``day``."""
    return tr("来访登记表 {date}", date=day.isoformat())


def _columns() -> tuple[Column, ...]:
    # The signature column is the widest: elders write large.
    return (Column(tr("序号"), 0.55, "right"), Column(tr("时间"), 0.7, "centre"),
            Column(tr("姓名"), 2.0), Column(tr("性别"), 0.55, "centre"),
            Column(tr("年龄"), 0.55, "right"), Column(tr("电话"), 1.45),
            Column(tr("事由"), 1.5), Column(tr("接待人"), 1.1), Column(tr("签名"), 2.1))


def _totals(sheet: AttendanceSheet) -> tuple[tuple[str, str], ...]:
    t = sheet.totals
    sep = tr("，")
    lines = [(tr("签到"), tr("{visits} 人次（{people} 人）", visits=t.visits,
                             people=t.distinct_people))]
    if t.by_purpose:
        lines.append((tr("按事由"), sep.join(tr("{label} {n}", label=label, n=n)
                                             for label, n in t.by_purpose)))
    tallies = sep.join(tr("{label} {n} 人", label=label, n=n) for label, n in sheet.tallies)
    lines.append((tr("匿名计数"), tr("共 {n} 人", n=t.tallies)
                  + (tr("（{detail}）", detail=tallies) if tallies else "")))
    lines.append((tr("团体来访"), tr("{n} 批，共 {heads} 人", n=t.group_visits,
                                     heads=t.group_heads)))
    for g in sheet.group_visits:
        text = tr("{organisation}，{n} 人", organisation=g.organisation, n=g.head_count)
        if g.purpose:
            text += sep + tr("事由：{purpose}", purpose=g.purpose)
        text += sep + tr("接待人：{operator}", operator=g.operator)
        lines.append((f"　{g.time}", text))
    lines.append((tr("来访总人数"), tr("{n} 人（签到 + 匿名计数 + 团体）", n=t.people)))
    return tuple(lines)


def render_attendance(sheet: AttendanceSheet, meta: DocumentMeta, *,
                      invariant: bool = False) -> bytes:
    """The 来访登记表 PDF of ``sheet``: one row per visit with an empty 签名 cell."""
    subtitle = tr("营业日期：{date}（{weekday}）", date=sheet.day.isoformat(),
                  weekday=tr(WEEKDAYS[sheet.day.weekday()]))
    rows = tuple((*row.cells(), "") for row in sheet.rows)
    return render_sheet(SheetSpec(meta, _columns(), rows, subtitle=subtitle,
                                  signature_rows=True, totals=_totals(sheet),
                                  sign_off=(tr("接待人"), tr("负责人")),
                                  empty_text=tr("（当天没有签到记录）")),
                        invariant=invariant)


def attendance_pdf(session: Session, actor: Actor, day: dt.date) -> bytes:
    """The attendance sheet of ``day``, printed now by ``actor`` (DAY_SHEETS["attendance"])."""
    sheet = attendance_sheet(session, day)
    meta = DocumentMeta(sheet.centre.name, tr("来访登记表"), actor.display_name, actor.now())
    return render_attendance(sheet, meta)
