"""The day's summary (日结汇总): what the close screen and the summary PDF show.

Built from the gathered :class:`~frontdesk.dayclose.registry.DayPart`: the totals the
features report, plus breakdowns read from their sheet rows (visits by service area,
tallies by group, meals by session and type). A section no feature reported shows "—".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from frontdesk.core.actor import Actor
from frontdesk.core.centre import centre_info
from frontdesk.core.clock import to_local
from frontdesk.core.i18n import N_, tr
from frontdesk.core.money import format_yuan
from frontdesk.dayclose import format as fmt
from frontdesk.dayclose.package import Row
from frontdesk.dayclose.registry import DayPart

NOTHING = "—"
COUNT, MONEY, MINUTES, POINTS = "count", "money", "minutes", "points"

# (section title, ((total key, label, kind), ...)), in the order the desk reads them.
SECTIONS: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = (
    (N_("来访"), (
        ("checkin_visits", N_("签到人次"), COUNT),
        ("group_entries", N_("团体来访批次"), COUNT),
        ("group_headcount", N_("团体来访人数"), COUNT),
        ("tally_count", N_("不登记计数人次"), COUNT),
    )),
    (N_("长者食堂"), (
        ("meals", N_("就餐份数"), COUNT),
        ("meals_subsidised", N_("其中享受补助"), COUNT),
        ("meals_delivered", N_("其中送餐"), COUNT),
        ("meal_price_fen", N_("餐费合计"), MONEY),
        ("meal_gov_fen", N_("政府补助"), MONEY),
        ("meal_village_fen", N_("村(社区)补助"), MONEY),
        ("meal_charity_fen", N_("慈善"), MONEY),
        ("meal_self_fen", N_("个人自付"), MONEY),
    )),
    (N_("场地预约"), (
        ("bookings_held", N_("使用场次"), COUNT),
        ("bookings_no_show", N_("爽约"), COUNT),
        ("bookings_cancelled", N_("取消"), COUNT),
        ("room_minutes", N_("使用时长"), MINUTES),
        ("booking_headcount", N_("使用人数"), COUNT),
    )),
    (N_("志愿服务"), (
        ("volunteer_people", N_("服务人次"), COUNT),
        ("volunteer_minutes", N_("服务时长"), MINUTES),
        ("points_earned", N_("获得积分"), POINTS),
    )),
    (N_("积分超市"), (
        ("redemptions", N_("兑换笔数"), COUNT),
        ("points_redeemed", N_("兑换积分"), POINTS),
        ("stock_in", N_("入库数量"), COUNT),
        ("stock_out", N_("出库数量"), COUNT),
    )),
)


@dataclass(frozen=True)
class SummarySection:
    """One block of the summary: a title and its (label, value) lines; empty: nothing reported."""

    title: str
    lines: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class CashLine:
    """One payment method of the cash box: taken by the tickets, and counted by the desk."""

    method: str
    label: str
    expected_fen: int
    counted_fen: int | None


def show_value(value: int, kind: str) -> str:
    """A total as the desk reads it: 12.50 元, 3.5 小时, 40 积分, 12."""
    if kind == MONEY:
        return tr("{amount} 元", amount=format_yuan(value))
    if kind == MINUTES:
        return tr("{hours} 小时", hours=f"{value / 60:.1f}")
    if kind == POINTS:
        return tr("{n} 积分", n=value)
    return str(value)


def _count_by(rows: Sequence[Row], key: int, status: int, weight: int | None = None,
              where: tuple[int, str] | None = None) -> dict[str, int]:
    """Valid rows counted (or their ``weight`` column summed) by the text in column ``key``."""
    found: dict[str, int] = {}
    for row in rows:
        if row[status] != fmt.STATUS_VALID or (where and row[where[0]] != where[1]):
            continue
        label = str(row[key] or NOTHING)
        cell = row[weight] if weight is not None else 1
        found[label] = found.get(label, 0) + (cell if isinstance(cell, int) else 1)
    return dict(sorted(found.items(), key=lambda item: (-item[1], item[0])))


def _breakdown(part: DayPart, title: str) -> list[tuple[str, str]]:
    """Extra lines read from the sheets' rows for a section (visits by area, meals by session)."""
    sheets = part.sheets
    lines: list[tuple[str, str]] = []
    if title == "来访":
        for area, n in _count_by(sheets.get(fmt.CHECKINS, ()), 8, 13).items():
            lines.append((tr("　其中 {what}", what=area), str(n)))
        for who, n in _count_by(sheets.get(fmt.GROUPS, ()), 3, 9, weight=5,
                                where=(2, "计数")).items():
            lines.append((tr("　计数 {what}", what=who), str(n)))
    elif title == "长者食堂":
        meals = sheets.get(fmt.MEALS, ())
        by_kind: dict[str, int] = {}
        for row in meals:
            if row[20] == fmt.STATUS_VALID:
                label = f"{row[7]} {tr(str(row[8]))}"  # the session (data), the meal type in words
                by_kind[label] = by_kind.get(label, 0) + 1
        for label, n in sorted(by_kind.items()):
            lines.append((tr("　{what}", what=label), str(n)))
    return lines


def summary_sections(part: DayPart) -> tuple[SummarySection, ...]:
    """The summary's sections from the gathered day (a section nobody reported is empty)."""
    sections = []
    for title, specs in SECTIONS:
        lines = [(tr(label), show_value(part.totals[key], kind))
                 for key, label, kind in specs if key in part.totals]
        if lines:
            # Breakdown lines go right after the section's first line (the headline count).
            lines[1:1] = _breakdown(part, title)
        sections.append(SummarySection(tr(title), tuple(lines)))
    return tuple(sections)


def cash_lines(expected: Mapping[str, int], counted: Mapping[str, int] | None
               ) -> tuple[CashLine, ...]:
    """Every payment method with what the tickets took and what was counted."""
    counted = counted or {}
    return tuple(CashLine(method, tr(label), expected.get(method, 0), counted.get(method))
                 for method, label in fmt.PAYMENT_METHODS.items())


# ---- the summary PDF -----------------------------------------------------------------------

@dataclass(frozen=True)
class SummaryPaper:
    """What the daily summary PDF shows, as plain data."""

    centre_name: str
    business_date: dt.date
    state_text: str  # e.g. "已日结（lin，2026-11-22 18:05）" or "未日结 — 草稿"
    draft: bool
    sections: tuple[SummarySection, ...]
    cash: tuple[CashLine, ...]
    warnings: tuple[str, ...]  # acknowledged at the close, or still open for a draft
    operator: str
    printed_at: dt.datetime


def state_text(state: str, closed_by: str | None, closed_at: dt.datetime | None) -> str:
    """The close state in words, for the banner and the paper."""
    if state == "closed" and closed_at is not None:
        return tr("已日结（{who}，{when}）", who=closed_by or "",
                  when=to_local(closed_at).strftime("%Y-%m-%d %H:%M"))
    if state == "reopened":
        return tr("已重新开放 — 改正后须重新日结并重新导出")
    return tr("未日结")


def render_summary(paper: SummaryPaper, *, invariant: bool = False) -> bytes:
    """The daily summary (日结汇总表) as one A4 page where possible."""
    from frontdesk.documents.sheets import Column, SheetSpec, render_sheet
    from frontdesk.documents.styles import DocumentMeta

    title = tr("日结汇总表") + (tr("（草稿）") if paper.draft else "")
    rows: list[tuple[str, str, str]] = []
    for section in paper.sections:
        if not section.lines:
            rows.append((section.title, NOTHING, ""))
        for i, (label, value) in enumerate(section.lines):
            rows.append((section.title if i == 0 else "", label, value))
    for line in paper.cash:
        if line.expected_fen or line.counted_fen is not None:
            counted = NOTHING if line.counted_fen is None else show_value(line.counted_fen, MONEY)
            diff = "" if line.counted_fen is None else tr(
                "（相差 {diff} 元）", diff=format_yuan(line.counted_fen - line.expected_fen))
            rows.append((tr("钱箱") if not any(r[0] == tr("钱箱") for r in rows) else "",
                         tr("{method}：票据应收", method=line.label),
                         show_value(line.expected_fen, MONEY)))
            rows.append(("", tr("{method}：实点", method=line.label), counted + diff))
    totals = tuple((tr("提醒"), w) for w in paper.warnings)
    subtitle = tr("营业日期 {date}　状态：{state}", date=paper.business_date.isoformat(),
                  state=paper.state_text)
    meta = DocumentMeta(paper.centre_name, title, paper.operator, paper.printed_at)
    spec = SheetSpec(meta, (Column(tr("类别"), 1.2), Column(tr("项目"), 2.6),
                            Column(tr("数值"), 2.2, "right")),
                     tuple(rows), subtitle=subtitle, totals=totals,
                     sign_off=(tr("经办人"), tr("负责人")))
    return render_sheet(spec, invariant=invariant)


def summary_paper(session: Session, actor: Actor, day: dt.date, part: DayPart, *,
                  state: str, closed_by: str | None, closed_at: dt.datetime | None,
                  counted: Mapping[str, int] | None, warnings: Sequence[str]) -> SummaryPaper:
    """The summary paper's data for ``day`` from an already gathered ``part``."""
    closed = state == "closed"
    return SummaryPaper(
        centre_info(session).name, day, state_text(state, closed_by, closed_at)
        + ("" if closed else tr(" — 草稿")), not closed, summary_sections(part),
        cash_lines(part.expected_payments, counted), tuple(warnings),
        (closed_by or actor.display_name) if closed else actor.display_name,
        closed_at if closed and closed_at is not None else actor.now())


SUMMARY_PDF_NAME = "day_summary.pdf"
