"""Day close (日结): close a business date, reopen it (admins, with a reason), export packages.

Closing locks the date (see ``frontdesk.core.dayguard``); a reopened day must be closed
and exported again. Every change is audited and kept in the day's event history.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk import __version__
from frontdesk.core import audit, settings
from frontdesk.core.actor import Actor
from frontdesk.core.centre import centre_info
from frontdesk.core.dayguard import ClosedDay, DayCloseEvent, lock_day
from frontdesk.core.db import Database
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr
from frontdesk.core.money import format_yuan
from frontdesk.dayclose import format as fmt
from frontdesk.dayclose.package import DayExport, Progress, Row, SheetData, write_package
from frontdesk.dayclose.registry import DayPart, DayWarning, ExportOptions, gather_day
from frontdesk.dayclose.summary import (
    SUMMARY_PDF_NAME,
    CashLine,
    SummaryPaper,
    SummarySection,
    cash_lines,
    render_summary,
    summary_paper,
    summary_sections,
)

STATE_OPEN, STATE_CLOSED, STATE_REOPENED = "open", "closed", "reopened"
MAX_EXPORT_DAYS = 366


@dataclass(frozen=True)
class DayEvent:
    """One entry of a day's history: a close, a reopening or an export."""

    kind: str
    at: dt.datetime
    operator: str
    reason: str


@dataclass(frozen=True)
class DayOverview:
    """A business date as the close screen shows it."""

    business_date: dt.date
    state: str  # open / closed / reopened
    closed_at: dt.datetime | None
    closed_by: str | None
    needs_export: bool  # closed, but not exported since it was (re)closed
    totals: Mapping[str, int]
    expected_payments: Mapping[str, int]
    counted_cash: Mapping[str, int]
    warnings: tuple[DayWarning, ...]
    history: tuple[DayEvent, ...]


def _history(session: Session, day: dt.date) -> tuple[DayEvent, ...]:
    events = session.scalars(select(DayCloseEvent).where(DayCloseEvent.business_date == day)
                             .order_by(DayCloseEvent.id))
    return tuple(DayEvent(e.kind, e.at, e.operator_username, e.reason) for e in events)


def _state(row: ClosedDay | None) -> str:
    if row is None:
        return STATE_OPEN
    return STATE_CLOSED if row.closed else STATE_REOPENED


def day_overview(session: Session, day: dt.date, part: DayPart | None = None) -> DayOverview:
    """The day's totals, warnings, close state and history (``part``: already gathered)."""
    part = gather_day(session, day, ExportOptions()) if part is None else part
    row = session.get(ClosedDay, day)
    return DayOverview(
        day, _state(row),
        row.closed_at if row else None, row.closed_by if row else None,
        bool(row and row.closed and row.exported_at is None),
        dict(part.totals), dict(part.expected_payments),
        json.loads(row.counted_cash_json) if row else {},
        tuple(part.warnings), _history(session, day),
    )


def cash_warnings(expected: Mapping[str, int], counted: Mapping[str, int] | None
                  ) -> list[DayWarning]:
    """Warnings for a cash box that was not counted, or differs from the tickets.

    Cash must be counted; other methods (WeChat, Alipay…) are compared only when the desk
    entered a figure for them (e.g. from the day's merchant statement).
    """
    counted = counted or {}
    found = []
    if "cash" not in counted and expected.get("cash", 0):
        found.append(DayWarning("cash.not_counted", tr(
            "还没有清点现金（票据应收现金 {amount} 元）。",
            amount=format_yuan(expected["cash"]))))
    for method in sorted(counted):
        want, got = expected.get(method, 0), counted[method]
        if want != got:
            label = tr(fmt.PAYMENT_METHODS.get(method, method))
            found.append(DayWarning(f"cash.{method}", tr(
                "{method}：票据应收 {want} 元，实点 {got} 元，相差 {diff} 元。", method=label,
                want=format_yuan(want), got=format_yuan(got), diff=format_yuan(got - want))))
    return found


class OpenWarnings(RuleError):
    """The day cannot be closed yet: these warnings are neither resolved nor acknowledged."""

    def __init__(self, message: str, codes: list[str]) -> None:
        super().__init__(message)
        self.codes = codes


def close_day(session: Session, actor: Actor, day: dt.date, *,
              counted_cash: Mapping[str, int] | None = None,
              acknowledged: Collection[str] = ()) -> DayOverview:
    """Close ``day``: refuses while warnings are not acknowledged; locks the day's records."""
    if day > actor.today():
        raise RuleError(tr("不能日结还没到的日期（{date}）。", date=day.isoformat()))
    lock_day(session, day, exclusive=True)  # waits for the day's writes under way to commit
    row = session.get(ClosedDay, day, populate_existing=True)
    if row is not None and row.closed:
        raise RuleError(tr("{date} 已经日结过了。", date=day.isoformat()))
    for method, fen in (counted_cash or {}).items():
        if method not in fmt.PAYMENT_METHODS:
            raise RuleError(tr("没有这种收款方式：{method}", method=method))
        if fen < 0:
            raise RuleError(tr("清点金额不能是负数。"))
    part = gather_day(session, day, ExportOptions())
    warnings = [*part.warnings, *cash_warnings(part.expected_payments, counted_cash)]
    open_ones = [w for w in warnings if w.code not in acknowledged]
    if open_ones:
        lines = "\n".join(f"[{w.code}] {w.message}" for w in open_ones)
        raise OpenWarnings(tr("日结前请处理或确认以下提醒：\n{lines}", lines=lines),
                           [w.code for w in open_ones])
    now = actor.now()
    counted_json = json.dumps(dict(sorted((counted_cash or {}).items())))
    acknowledged_json = json.dumps(sorted(w.code for w in warnings))
    if row is None:
        row = ClosedDay(business_date=day)
        session.add(row)
    row.closed = True
    row.closed_at = now
    row.closed_by = actor.username
    row.counted_cash_json = counted_json
    row.acknowledged_json = acknowledged_json
    row.exported_at = None  # a (re)closed day must be exported again
    row.export_sha256 = None
    session.add(DayCloseEvent(business_date=day, kind="close", at=now,
                              operator_username=actor.username, reason="",
                              detail_json=json.dumps({"counted_cash": json.loads(counted_json),
                                                      "acknowledged": json.loads(
                                                          acknowledged_json)})))
    audit.record(session, actor, "day.close", "closed_day", day.isoformat(),
                 f"counted={counted_json}; acknowledged={acknowledged_json}")
    session.flush()
    return day_overview(session, day)


def reopen_day(session: Session, actor: Actor, day: dt.date, reason: str) -> DayOverview:
    """Reopen a closed day so its records can be corrected (admins only, with a reason)."""
    actor.require_admin()
    reason = reason.strip()
    if len(reason) < 2:
        raise RuleError(tr("重新开放日结必须写明原因。"))
    lock_day(session, day, exclusive=True)
    row = session.get(ClosedDay, day, populate_existing=True)
    if row is None or not row.closed:
        raise RuleError(tr("{date} 还没有日结，不需要重新开放。", date=day.isoformat()))
    row.closed = False
    row.exported_at = None
    row.export_sha256 = None
    session.add(DayCloseEvent(business_date=day, kind="reopen", at=actor.now(),
                              operator_username=actor.username, reason=reason))
    audit.record(session, actor, "day.reopen", "closed_day", day.isoformat(), reason)
    session.flush()
    return day_overview(session, day)


@dataclass(frozen=True)
class DayCloseView:
    """Everything the close screen shows for one date, from one gathering of the day."""

    overview: DayOverview
    sections: tuple[SummarySection, ...]
    cash: tuple[CashLine, ...]


def day_close_view(session: Session, day: dt.date) -> DayCloseView:
    """The close screen's data: state, summary sections, cash box, warnings, history."""
    part = gather_day(session, day, ExportOptions())
    overview = day_overview(session, day, part)
    return DayCloseView(overview, summary_sections(part),
                        cash_lines(part.expected_payments, overview.counted_cash))


def _paper(session: Session, actor: Actor, day: dt.date, part: DayPart,
           overview: DayOverview) -> SummaryPaper:
    closed = overview.state == STATE_CLOSED
    counted = overview.counted_cash if closed else None
    warnings = [*overview.warnings, *cash_warnings(part.expected_payments, counted)]
    mark = tr("已确认") if closed else tr("未处理")
    return summary_paper(session, actor, day, part, state=overview.state,
                         closed_by=overview.closed_by, closed_at=overview.closed_at,
                         counted=counted,
                         warnings=[f"［{mark}］{w.message}" for w in warnings])


def day_summary_pdf(session: Session, actor: Actor, day: dt.date) -> bytes:
    """The daily summary PDF (日结汇总表) of ``day``; marked 草稿 while the day is not closed."""
    part = gather_day(session, day, ExportOptions())
    return render_summary(_paper(session, actor, day, part, day_overview(session, day, part)))


def days_needing_export(session: Session) -> list[dt.date]:
    """Closed days not exported since they were (re)closed, oldest first."""
    return list(session.scalars(
        select(ClosedDay.business_date)
        .where(ClosedDay.closed.is_(True), ClosedDay.exported_at.is_(None))
        .order_by(ClosedDay.business_date)))


def summary_rows(totals: Mapping[str, int]) -> tuple[Row, ...]:
    """The 汇总 sheet: one row per total (money in 元), in the format's order."""
    rows: list[Row] = []
    for spec in fmt.TOTALS:
        if spec.key in totals:
            value = totals[spec.key]
            shown: int | Decimal = (Decimal(value) / 100).quantize(Decimal("0.01")) \
                if spec.is_money else value
            rows.append((spec.label, spec.key, shown, spec.unit))
    return tuple(rows)


def build_day_export(session: Session, actor: Actor, day: dt.date, *,
                     draft_ok: bool = False) -> DayExport:
    """The package content of ``day``; an unclosed day only as a draft (草稿)."""
    row = session.get(ClosedDay, day)
    closed = row is not None and row.closed
    if not closed and not draft_ok:
        raise RuleError(tr("{date} 还没有日结，只能导出草稿（数据包会标为草稿）。",
                           date=day.isoformat()))
    full_ids = bool(settings.get(session, "dayclose.full_id_numbers"))
    part: DayPart = gather_day(session, day, ExportOptions(full_ids, with_pdfs=True))
    tables = {fmt.SUMMARY: SheetData(fmt.SHEETS_BY_NAME[fmt.SUMMARY].columns,
                                     summary_rows(part.totals))}
    for spec in fmt.SHEETS[1:]:
        tables[spec.name] = SheetData(spec.columns, tuple(part.sheets.get(spec.name, ())))
    pdfs = dict(part.pdfs)
    # The daily summary travels in the package; invariant, so re-exports stay identical.
    pdfs[SUMMARY_PDF_NAME] = render_summary(
        _paper(session, actor, day, part, day_overview(session, day, part)), invariant=True)
    return DayExport(
        centre=centre_info(session), business_date=day,
        generated_at=row.closed_at if closed and row is not None else actor.now(),
        app_version=__version__, closed_by=row.closed_by if closed and row else None,
        draft=not closed, full_id_numbers=full_ids, tables=tables, pdfs=pdfs,
        totals=dict(part.totals))


def record_export(session: Session, actor: Actor, export: DayExport, path: Path,
                  sha256: str) -> None:
    """Note a written package in the day's history and the audit trail."""
    day = export.business_date
    row = session.get(ClosedDay, day)
    if not export.draft and row is not None and row.closed:
        row.exported_at = actor.now()
        row.export_sha256 = sha256
    session.add(DayCloseEvent(business_date=day, kind="export", at=actor.now(),
                              operator_username=actor.username, reason="",
                              detail_json=json.dumps({"file": path.name, "sha256": sha256,
                                                      "draft": export.draft})))
    audit.record(session, actor, "day.export", "closed_day", day.isoformat(),
                 f"{path.name}{' (draft)' if export.draft else ''} sha256={sha256}")


@dataclass(frozen=True)
class ExportResult:
    """One written package."""

    business_date: dt.date
    path: Path
    draft: bool
    sha256: str


def export_days(db: Database, actor: Actor, first: dt.date, last: dt.date, out_dir: Path, *,
                draft_ok: bool = False, progress: Progress | None = None
                ) -> list[ExportResult]:
    """Write one package per day from ``first`` to ``last`` into ``out_dir``.

    Unclosed days are refused before anything is written, unless drafts are allowed.
    """
    import hashlib

    if last < first:
        raise RuleError(tr("结束日期不能早于开始日期。"))
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    if len(days) > MAX_EXPORT_DAYS:
        raise RuleError(tr("一次最多导出 {n} 天。", n=MAX_EXPORT_DAYS))
    if not out_dir.is_dir():
        raise RuleError(tr("找不到导出文件夹：{folder}（U 盘是否已插好？）", folder=str(out_dir)))
    with db.read() as session:
        closed = set(session.scalars(select(ClosedDay.business_date).where(
            ClosedDay.business_date.between(first, last), ClosedDay.closed.is_(True))))
    unclosed = [d for d in days if d not in closed]
    if unclosed and not draft_ok:
        listed = "、".join(d.isoformat() for d in unclosed[:10])
        raise RuleError(tr("这些日期还没有日结：{days}。请先日结，或选择导出草稿。",
                           days=listed + ("……" if len(unclosed) > 10 else "")))
    results = []
    for i, day in enumerate(days):
        def day_progress(done: int, total: int, what: str, i: int = i,
                         day: dt.date = day) -> None:
            if progress is not None:
                progress(i * total + done, len(days) * total, f"{day.isoformat()} {what}")

        with db.read() as session:
            export = build_day_export(session, actor, day, draft_ok=draft_ok)
        path = write_package(out_dir, export, day_progress)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        with db.session() as session:
            record_export(session, actor, export, path, digest)
        results.append(ExportResult(day, path, export.draft, digest))
    if progress is not None:
        progress(1, 1, tr("导出完成"))
    return results


@dataclass(frozen=True)
class CloseResult:
    """A close and the backup taken with it."""

    overview: DayOverview
    backup: Path | None
    backup_note: str
    backup_failed: bool = False  # a backup was due and failed (not: none is taken here)


def close_with_backup(db: Database, actor: Actor, day: dt.date, *,
                      counted_cash: Mapping[str, int] | None = None,
                      acknowledged: Collection[str] = ()) -> CloseResult:
    """Close ``day`` and back up the database (rotating by the backup.keep setting)."""
    with db.session() as session:
        overview = close_day(session, actor, day, counted_cash=counted_cash,
                             acknowledged=acknowledged)
        keep = int(settings.get(session, "backup.keep"))
    from frontdesk.core.backup import backup_database, pg_tools_available

    if db.sqlite_path is None and not pg_tools_available():
        return CloseResult(overview, None, tr(
            "已日结。这台电脑没有 PostgreSQL 客户端工具（pg_dump），数据库没有在这里备份，"
            "请由服务器管理员定期备份。"))

    try:
        path = backup_database(db, reason=f"close-{day:%Y%m%d}", keep=keep)
    except (OSError, RuleError) as exc:  # the close stands; the desk must know the backup failed
        return CloseResult(overview, None, tr("已日结，但数据库备份失败：{error}", error=str(exc)),
                           backup_failed=True)
    return CloseResult(overview, path, tr("已日结，数据库已备份到 {path}", path=str(path)))


# Names of the day sheets the features register in documents.registry.DAY_SHEETS.
SUMMARY_KIND = "dayclose.summary"


@dataclass(frozen=True)
class DayPaperPdf:
    """One of the day's papers, ready to print or save."""

    kind: str  # the document kind it is archived under
    title: str
    file_stem: str  # ASCII, for saving into a folder
    pdf: bytes


def day_papers(session: Session, actor: Actor, day: dt.date) -> list[DayPaperPdf]:
    """The daily summary plus every registered day sheet of ``day`` (print-all, 全部打印)."""
    from frontdesk.documents.registry import DAY_SHEET_TITLES, DAY_SHEETS, render_day_sheet

    stamp = f"{day:%Y%m%d}"
    papers = [DayPaperPdf(SUMMARY_KIND, tr("日结汇总表 {date}", date=day.isoformat()),
                          f"{stamp}_summary", day_summary_pdf(session, actor, day))]
    for kind in DAY_SHEETS:
        name = tr(DAY_SHEET_TITLES.get(kind, kind))
        papers.append(DayPaperPdf(f"daysheet.{kind}",
                                  tr("{name} {date}", name=name, date=day.isoformat()),
                                  f"{stamp}_{kind}", render_day_sheet(session, actor, kind, day)))
    return papers
