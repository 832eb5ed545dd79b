"""A stand-in feature for day-close tests: a small realistic day, registered by monkeypatch."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from frontdesk.bench.dayclose import DAY_SIZES, synthetic_day
from frontdesk.core.centre import CentreInfo
from frontdesk.dayclose import format as fmt
from frontdesk.dayclose.registry import DayPart, DayWarning, ExportOptions

SIZES = {name: max(2, n // 100) for name, n in DAY_SIZES.items()}
CASH_FEN = 1234
WARNING = DayWarning("checkin.open", "还有 2 人未签退")


def busy_day(session: Session, day: dt.date, options: ExportOptions) -> DayPart:
    """The rows and totals of a synthetic day, 12.34 元 in cash, one open check-in warning."""
    export = synthetic_day(CentreInfo("测试邻里中心", "TEST01", "测试街道"), day, seed=day.day,
                           sizes=SIZES)
    sheets = {name: table.rows for name, table in export.tables.items() if name != fmt.SUMMARY}
    return DayPart(sheets=sheets, totals=export.totals, expected_payments={"cash": CASH_FEN},
                   warnings=(WARNING,))


def sheet_pdf(session: Session, actor: object, day: dt.date) -> bytes:
    """A registered day sheet (来访签到表 stand-in)."""
    from frontdesk.documents.sheets import Column, SheetSpec, render_sheet
    from frontdesk.documents.styles import DocumentMeta

    meta = DocumentMeta("测试邻里中心", f"测试签到表 {day.isoformat()}", "测试", dt.datetime(
        2026, 11, 22, 10, tzinfo=dt.UTC))
    return render_sheet(SheetSpec(meta, (Column("序号"), Column("姓名")), (("1", "陈阿婆"),)))
