"""What each feature contributes to a day's close and export: the day-exporter registry.

A feature adds one line to :data:`DAY_EXPORTERS`: ``"module:function"`` where the function
is ``(session, business_date, options) -> DayPart``. It returns its sheets' rows (in the
column order of ``frontdesk.dayclose.format.SHEETS``), its totals, the money its tickets
took per payment method, its warnings, and (when asked) its PDFs for the package.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from frontdesk.dayclose import format as fmt
from frontdesk.dayclose.package import Row

# "module:function" of each feature's day exporter, in the order they run.
DAY_EXPORTERS: list[str] = [
    "frontdesk.rooms.dayexport:day_part",
    "frontdesk.checkin.dayexport:day_part",
    "frontdesk.canteen.dayexport:day_part",
    "frontdesk.volunteers.dayexport:day_part",
]


@dataclass(frozen=True)
class ExportOptions:
    """What the caller wants from the exporters."""

    full_id_numbers: bool = False  # the 就餐 sheet may carry full ID numbers (subsidy claims)
    with_pdfs: bool = False  # render the day's sheets as PDFs (export, not the close screen)


@dataclass(frozen=True)
class DayWarning:
    """Something to resolve or acknowledge before closing (an open check-in, a cash gap)."""

    code: str  # stable, e.g. "checkin.open" or "cash.cash"; acknowledged by this code
    message: str  # already translated


@dataclass(frozen=True)
class DayPart:
    """One feature's share of a business day."""

    sheets: Mapping[str, Sequence[Row]] = field(default_factory=dict)
    totals: Mapping[str, int] = field(default_factory=dict)
    expected_payments: Mapping[str, int] = field(default_factory=dict)  # method → fen
    warnings: Sequence[DayWarning] = ()
    pdfs: Mapping[str, bytes] = field(default_factory=dict)


DayExporter = Callable[[Session, dt.date, ExportOptions], DayPart]


def gather_day(session: Session, day: dt.date, options: ExportOptions,
               exporters: Sequence[str] | None = None) -> DayPart:
    """Every registered exporter's part of ``day``, merged into one."""
    sheets: dict[str, list[Row]] = {}
    totals: dict[str, int] = {}
    payments: dict[str, int] = {}
    warnings: list[DayWarning] = []
    pdfs: dict[str, bytes] = {}
    for ref in DAY_EXPORTERS if exporters is None else exporters:
        module_name, func_name = ref.split(":")
        exporter: DayExporter = getattr(importlib.import_module(module_name), func_name)
        part = exporter(session, day, options)
        for name, rows in part.sheets.items():
            spec = fmt.SHEETS_BY_NAME.get(name)
            if spec is None or name == fmt.SUMMARY:
                raise ValueError(f"{ref}: no sheet {name!r} in the export format")
            for row in rows:
                if len(row) != len(spec.columns):
                    raise ValueError(f"{ref}: {name} row has {len(row)} cells, "
                                     f"{len(spec.columns)} columns")
            sheets.setdefault(name, []).extend(rows)
        for key, value in part.totals.items():
            if key not in fmt.TOTALS_BY_KEY:
                raise ValueError(f"{ref}: undeclared total {key!r}")
            totals[key] = totals.get(key, 0) + value
        for method, fen in part.expected_payments.items():
            payments[method] = payments.get(method, 0) + fen
        warnings.extend(part.warnings)
        pdfs.update(part.pdfs)
    return DayPart(sheets, totals, payments, tuple(warnings), pdfs)
