"""The attendance sheet as CSV (UTF-8 with BOM, so Excel shows the Chinese) and XLSX."""

from __future__ import annotations

import csv
from pathlib import Path

from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr

from .reports import SHEET_HEADERS, AttendanceSheet

Cell = str | int


def sheet_table(sheet: AttendanceSheet) -> list[list[Cell]]:
    """The sheet as rows of cells: title, the visitors, tallies, group visits and totals."""
    t = sheet.totals
    table: list[list[Cell]] = [
        [tr("{centre} 来访登记表", centre=sheet.centre.name)],
        [tr("日期"), sheet.day.isoformat()],
        [*(tr(h) for h in SHEET_HEADERS), tr("签名")],
    ]
    table += [[r.seq, r.time, r.name, r.sex, r.age, r.phone, r.purpose, r.operator, ""]
              for r in sheet.rows]
    table += [[], [tr("匿名计数"), tr("人数")]]
    table += [[label, n] for label, n in sheet.tallies]
    table += [[], [tr("团体来访"), tr("时间"), tr("单位"), tr("人数"), tr("事由"), tr("接待人")]]
    table += [["", g.time, g.organisation, g.head_count, g.purpose, g.operator]
              for g in sheet.group_visits]
    table += [[], [tr("合计")],
              [tr("签到人次"), t.visits], [tr("签到人数（去重）"), t.distinct_people],
              [tr("匿名计数人数"), t.tallies], [tr("团体来访"), t.group_visits],
              [tr("团体人数"), t.group_heads], [tr("来访总人数"), t.people]]
    table += [[tr("事由：{purpose}", purpose=label), n] for label, n in t.by_purpose]
    return table


def write_csv(sheet: AttendanceSheet, out: Path) -> Path:
    """Write the sheet as a CSV file Excel opens with the Chinese intact."""
    try:
        with out.open("w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh).writerows(sheet_table(sheet))
    except OSError as exc:
        raise RuleError(tr("无法写入文件：{path}（{err}）", path=out, err=exc.strerror)) from None
    return out


def write_xlsx(sheet: AttendanceSheet, out: Path) -> Path:
    """Write the sheet as an Excel workbook (one worksheet)."""
    from openpyxl import Workbook  # imported on first use: keeps start-up light
    from openpyxl.styles import Font

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet.day.isoformat()
    for row in sheet_table(sheet):
        ws.append(row)
    ws["A1"].font = Font(bold=True, size=14)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGHI", (6, 8, 14, 6, 6, 14, 14, 10, 12), strict=True):
        ws.column_dimensions[column].width = width
    try:
        book.save(out)
    except OSError as exc:
        raise RuleError(tr("无法写入文件：{path}（{err}）", path=out, err=exc.strerror)) from None
    return out
