"""Writing a day package: ``{centre_code}_{YYYYMMDD}.zip`` with XLSX, CSV, PDFs and manifest.json.

The same :class:`DayExport` always gives the same bytes: ZIP entries in a fixed order with
timestamps pinned to the business date, and the workbook's own timestamps pinned too.
The ZIP is written under a temporary name in the target folder, synced, then renamed, so
a full or pulled USB stick never leaves a half package under the final name.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from frontdesk.core.centre import CentreInfo
from frontdesk.core.clock import to_local
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr
from frontdesk.dayclose import format as fmt
from frontdesk.dayclose.schema import schema_text

Cell = str | int | Decimal | dt.date | dt.datetime | bool | None
Row = Sequence[Cell]
# progress(done, total, what): called before each step and once at the end (done == total).
Progress = Callable[[int, int, str], None]

MANIFEST_NAME = "manifest.json"
SCHEMA_NAME = "manifest.schema.json"
PDF_NAME = re.compile(r"^[A-Za-z0-9_.-]+\.pdf$")
BOOL_TEXT = {True: "是", False: "否"}


@dataclass(frozen=True)
class SheetData:
    """One sheet's columns and rows (money cells in fen, dates as date/datetime)."""

    columns: tuple[fmt.Column, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class DayExport:
    """Everything one day's package holds, as plain data."""

    centre: CentreInfo
    business_date: dt.date
    generated_at: dt.datetime  # aware; the close time for a closed day
    app_version: str
    closed_by: str | None  # None for a draft
    draft: bool
    full_id_numbers: bool
    tables: Mapping[str, SheetData]  # sheet name → data, in workbook order
    pdfs: Mapping[str, bytes] = field(default_factory=dict)  # file name → PDF bytes
    totals: Mapping[str, int] = field(default_factory=dict)  # fen for money keys

    @property
    def package_name(self) -> str:
        return package_name(self.centre.code, self.business_date)


def package_name(centre_code: str, day: dt.date) -> str:
    """``{centre_code}_{YYYYMMDD}.zip``."""
    return f"{centre_code}_{day:%Y%m%d}.zip"


def stem_for(sheet: str) -> str:
    """The CSV file stem of a sheet (the format's own, else a stable fallback)."""
    spec = fmt.SHEETS_BY_NAME.get(sheet)
    if spec is not None:
        return spec.stem
    return "sheet_" + hashlib.sha256(sheet.encode("utf-8")).hexdigest()[:8]


# ---- cells ---------------------------------------------------------------------------------

def _yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def _text_cell(value: Cell, column: fmt.Column) -> str:
    """A cell as CSV text (the format's rules: 元 with 2 decimals, ISO dates, 是/否)."""
    if value is None:
        return ""
    if column.type == fmt.MONEY:
        assert isinstance(value, int), column.name
        return f"{_yuan(value):.2f}"
    if isinstance(value, bool):
        return BOOL_TEXT[value]
    if isinstance(value, dt.datetime):
        return to_local(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def _xlsx_cell(value: Cell, column: fmt.Column) -> tuple[Any, str | None]:
    """A cell as an XLSX value and its number format."""
    if value is None:
        return None, None
    if column.type == fmt.MONEY:
        assert isinstance(value, int), column.name
        return float(_yuan(value)), "0.00"
    if isinstance(value, bool):
        return BOOL_TEXT[value], None
    if isinstance(value, dt.datetime):
        return to_local(value).replace(tzinfo=None), "yyyy-mm-dd hh:mm:ss"
    if isinstance(value, dt.date):
        return value, "yyyy-mm-dd"
    if isinstance(value, Decimal):
        return float(value), "0.00"
    return value, None


# ---- the files inside ----------------------------------------------------------------------

def csv_bytes(sheet: SheetData) -> bytes:
    """The sheet as CSV: UTF-8 with BOM (so Excel shows Chinese), CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.header for c in sheet.columns])
    for row in sheet.rows:
        writer.writerow([_text_cell(v, c) for v, c in zip(row, sheet.columns, strict=True)])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def xlsx_bytes(tables: Mapping[str, SheetData], pinned: dt.datetime) -> bytes:
    """One workbook with a sheet per table; timestamps pinned so output is reproducible."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, sheet in tables.items():
        ws = wb.create_sheet(title=name)
        for i in range(len(sheet.columns)):
            ws.column_dimensions[_column_letter(i)].width = _width(sheet, i)
        ws.freeze_panes = "A2"
        header = []
        for column in sheet.columns:
            cell = WriteOnlyCell(ws, value=column.header)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for row in sheet.rows:
            cells = []
            for value, column in zip(row, sheet.columns, strict=True):
                xv, number_format = _xlsx_cell(value, column)
                if number_format is None:
                    cells.append(xv)
                else:
                    cell = WriteOnlyCell(ws, value=xv)
                    cell.number_format = number_format
                    cells.append(cell)
            ws.append(cells)
    stamp = pinned.replace(tzinfo=None, microsecond=0)
    wb.properties.created = stamp
    wb.properties.creator = "frontdesk"
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        wb.properties.modified = stamp  # ExcelWriter keeps it; save_workbook would set "now"
        ExcelWriter(wb, archive).save()
    return _pin_zip(raw.getvalue(), stamp)


def _display_width(text: str) -> int:
    """Excel column units a text needs: Chinese characters take two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _width(sheet: SheetData, index: int) -> float:
    """A column wide enough for its header and its first rows (dates never show ####)."""
    column = sheet.columns[index]
    widest = _display_width(column.header)
    for row in sheet.rows[:200]:
        widest = max(widest, _display_width(_text_cell(row[index], column)))
    return float(min(50, widest + 2))


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


def _zip_time(moment: dt.datetime) -> tuple[int, int, int, int, int, int]:
    moment = max(moment, dt.datetime(1980, 1, 1))  # the ZIP format starts in 1980
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def _entry(name: str, stamp: dt.datetime, compress: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_zip_time(stamp))
    info.compress_type = compress
    info.external_attr = 0o644 << 16
    info.create_system = 3  # the same on Windows and Linux
    return info


def _pin_zip(data: bytes, stamp: dt.datetime) -> bytes:
    """Rewrite a ZIP with every entry's timestamp set to ``stamp`` (same order, same data)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(_entry(info.filename, stamp, zipfile.ZIP_DEFLATED), src.read(info),
                         compresslevel=6)
    return out.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_dict(export: DayExport, files: list[dict[str, Any]]) -> dict[str, Any]:
    """manifest.json's content (see manifest.schema.json)."""
    return {
        "format": fmt.FORMAT_NAME,
        "format_version": fmt.FORMAT_VERSION,
        "centre": {"code": export.centre.code, "name": export.centre.name,
                   "town": export.centre.town},
        "business_date": export.business_date.isoformat(),
        "generated_at": to_local(export.generated_at).replace(microsecond=0).isoformat(),
        "app_version": export.app_version,
        "closed_by": export.closed_by,
        "draft": export.draft,
        "demo": export.centre.demo,
        "full_id_numbers": export.full_id_numbers,
        "files": files,
        "totals": {key: export.totals[key] for key in _ordered_totals(export.totals)},
    }


def _ordered_totals(totals: Mapping[str, int]) -> list[str]:
    """Declared totals in the format's order, then any others by name."""
    declared = [t.key for t in fmt.TOTALS if t.key in totals]
    return declared + sorted(k for k in totals if k not in fmt.TOTALS_BY_KEY)


def build_entries(export: DayExport, progress: Progress | None = None
                  ) -> list[tuple[str, bytes]]:
    """The package's files in ZIP order: manifest, schema, workbook, CSVs, PDFs."""
    for name in export.pdfs:
        if not PDF_NAME.match(name):
            raise ValueError(f"PDF name must be plain ASCII ending in .pdf: {name!r}")
    for sheet_name, sheet in export.tables.items():
        for row in sheet.rows:
            if len(row) != len(sheet.columns):
                raise ValueError(f"{sheet_name}: row has {len(row)} cells, "
                                 f"{len(sheet.columns)} columns")
    steps = progress_steps(export)
    pinned = dt.datetime.combine(export.business_date, dt.time())

    def step(done: int, what: str) -> None:
        if progress is not None:
            progress(done, steps, what)

    code_day = f"{export.centre.code}_{export.business_date:%Y%m%d}"
    body: list[tuple[str, bytes, str, str | None, int | None]] = []
    step(0, tr("正在生成 Excel 工作簿"))
    workbook = xlsx_bytes(export.tables, pinned)
    body.append((f"{code_day}.xlsx", workbook, "xlsx", None,
                 sum(len(s.rows) for s in export.tables.values())))
    for i, (name, sheet) in enumerate(export.tables.items(), start=1):
        step(i, tr("正在生成 CSV：{sheet}", sheet=name))
        body.append((f"csv/{stem_for(name)}.csv", csv_bytes(sheet), "csv", name,
                     len(sheet.rows)))
    for name, pdf in sorted(export.pdfs.items()):
        body.append((f"pdf/{name}", pdf, "pdf", None, None))
    files = [{"name": name, "kind": kind, "sheet": sheet, "rows": rows, "bytes": len(data),
              "sha256": sha256(data)} for name, data, kind, sheet, rows in body]
    manifest = json.dumps(manifest_dict(export, files), ensure_ascii=False, indent=2)
    step(steps - 1, tr("正在写入清单"))
    return [(MANIFEST_NAME, manifest.encode("utf-8") + b"\n"), (SCHEMA_NAME, schema_text()),
            *((name, data) for name, data, *_ in body)]


def progress_steps(export: DayExport) -> int:
    """How many progress steps writing ``export`` reports (the last one is "written")."""
    return 2 + len(export.tables)


def package_bytes(export: DayExport, progress: Progress | None = None) -> bytes:
    """The whole package as bytes (reproducible for the same ``export``)."""
    pinned = dt.datetime.combine(export.business_date, dt.time())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in build_entries(export, progress):
            # The workbook is a ZIP already: storing it again saves time and nothing else.
            method = zipfile.ZIP_STORED if name.endswith(".xlsx") else zipfile.ZIP_DEFLATED
            archive.writestr(_entry(name, pinned, method), data, compresslevel=6)
    return out.getvalue()


def write_package(out_dir: Path, export: DayExport, progress: Progress | None = None) -> Path:
    """Write the day's package into ``out_dir``; returns the package's path.

    The file appears under its final name only when complete and synced to the disk.
    """
    data = package_bytes(export, progress)
    target = Path(out_dir) / export.package_name
    write_atomically(target, data)
    if progress is not None:
        steps = progress_steps(export)
        progress(steps, steps, tr("已写入 {name}", name=target.name))
    return target


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` via a temporary name, fsync, rename; RuleError on failure."""
    partial = target.with_name(f".{target.name}.partial")
    try:
        # O_BINARY: without it Windows opens the file in text mode and os.write turns every
        # \n byte of the ZIP/XLSX/PDF into \r\n (Linux has no such flag, nor the problem).
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0),
                     0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(partial, target)
        _sync_folder(target.parent)
    except OSError as exc:
        # If the folder itself is gone (stick pulled out) there is nothing left to clean.
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise RuleError(tr(
            "无法把数据包写入 {folder}：{error}。U 盘可能已满或已拔出；"
            "没有留下不完整的数据包，请检查后重新导出。",
            folder=str(target.parent), error=exc.strerror or str(exc))) from exc


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows has no directory handles for this)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
