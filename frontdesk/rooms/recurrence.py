"""Repeat rules (重复规则): RFC 5545 RRULE text expanded with python-dateutil.

Occurrences are computed in the centre's local time (naive wall-clock times, then made
aware), so "every Monday 16:00" stays 16:00. Chinese public holidays can be skipped with
the chinese-calendar package, which only knows the years it was released for: other
years are treated as a normal calendar and reported back so the desk can tell the user.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from frontdesk.core.clock import CENTRE_TZ
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr

if TYPE_CHECKING:
    from dateutil.rrule import rrule

# More than a school year of weekdays; a series longer than this is almost surely a typo.
MAX_OCCURRENCES = 400
# Occurrences are searched for this many years after the first one, no further: a rule that
# never matches (31 February) is refused at once instead of searching up to the year 9999.
MAX_YEARS = 10

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Expansion:
    """The starts of a series' occurrences, and what the holiday calendar could not cover."""

    starts: tuple[dt.datetime, ...]
    holidays_skipped: tuple[dt.date, ...]
    unknown_years: tuple[int, ...]  # years the holiday calendar does not know


def normalise_rule(text: str) -> str:
    """The rule in upper case without blanks or an "RRULE:" prefix."""
    rule = "".join(text.split()).upper()
    return rule.removeprefix("RRULE:")


def weekly_rule(weekdays: list[int], *, interval: int = 1, until: dt.date | None = None,
                count: int | None = None) -> str:
    """An RRULE for "every ``interval`` weeks on ``weekdays`` (0 = Monday)"."""
    parts = ["FREQ=WEEKLY"]
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    if weekdays:
        parts.append("BYDAY=" + ",".join(WEEKDAY_CODES[d] for d in sorted(set(weekdays))))
    parts.extend(_end_parts(until, count))
    return ";".join(parts)


def monthly_rule(*, day: int | None = None, nth: int | None = None, weekday: int | None = None,
                 until: dt.date | None = None, count: int | None = None) -> str:
    """An RRULE for "monthly on day ``day``" or "monthly on the ``nth`` ``weekday``"."""
    parts = ["FREQ=MONTHLY"]
    if day is not None:
        parts.append(f"BYMONTHDAY={day}")
    elif nth is not None and weekday is not None:
        parts.append(f"BYDAY={nth}{WEEKDAY_CODES[weekday]}")
    parts.extend(_end_parts(until, count))
    return ";".join(parts)


def _end_parts(until: dt.date | None, count: int | None) -> list[str]:
    if count is not None:
        return [f"COUNT={count}"]
    if until is not None:
        return [f"UNTIL={until:%Y%m%d}T235959"]
    return []


def expand(rule_text: str, first_start: dt.datetime, *, skip_holidays: bool = False,
           limit: int = MAX_OCCURRENCES) -> Expansion:
    """The occurrence starts of ``rule_text`` from ``first_start`` (aware), in order.

    Refuses with a plain message: a rule that does not parse, one with no end (UNTIL or
    COUNT), more than ``limit`` occurrences, or none at all.
    """
    from dateutil.rrule import rrulestr  # imported on first use: keeps start-up light

    rule = normalise_rule(rule_text)
    if not rule:
        raise RuleError(tr("请填写重复规则。"))
    if "COUNT=" not in rule and "UNTIL=" not in rule:
        raise RuleError(tr("重复规则需要一个结束日期（UNTIL）或次数（COUNT），"
                           "否则会无限重复。"))
    # Expand in local wall-clock time; an UNTIL written in UTC ("...Z") is read as local.
    rule = _until_as_local(rule)
    local_start = first_start.astimezone(CENTRE_TZ).replace(tzinfo=None)
    # dateutil searches up to the year 9999 for a COUNT it cannot reach: an hourly rule that
    # never matches (31 February) would freeze the desk for hours. Rooms are booked by day.
    if re.search(r"FREQ=(HOURLY|MINUTELY|SECONDLY)", rule):
        raise RuleError(tr("重复规则只能按天、周、月或年重复"
                           "（FREQ=DAILY/WEEKLY/MONTHLY/YEARLY）。"))
    horizon = _years_later(local_start, MAX_YEARS)
    try:
        recurrence = rrulestr(rule, dtstart=local_start)
        count: int | None = getattr(recurrence, "_count", None)
        until: dt.datetime | None = getattr(recurrence, "_until", None)
        raw, beyond = _occurrences(recurrence, local_start, horizon, count, until, limit)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        raise RuleError(tr("重复规则“{rule}”写得不对，请检查（{detail}）。例如每周一、三"
                           "重复到年底：FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20261231",
                           rule=rule_text.strip(), detail=str(exc)[:80])) from None
    if len(raw) > limit:
        raise RuleError(tr("这个重复规则会产生超过 {n} 次预约，请缩短结束日期或减少次数。",
                           n=limit))
    if not raw and (beyond or until is None or until > horizon):
        raise RuleError(tr("这个重复规则在开始后 {years} 年内没有一次预约（例如 2 月没有 31 日），"
                           "请检查规则。", years=MAX_YEARS))
    if beyond:
        raise RuleError(tr(
            "这个重复规则的预约会排到开始 {years} 年以后，请缩短结束日期或减少次数。",
            years=MAX_YEARS))
    starts = [moment.replace(tzinfo=CENTRE_TZ) for moment in raw]
    skipped: list[dt.date] = []
    unknown: set[int] = set()
    if skip_holidays:
        kept = []
        for start in starts:
            verdict = public_holiday(start.date())
            if verdict is None:
                unknown.add(start.year)
                kept.append(start)
            elif verdict:
                skipped.append(start.date())
            else:
                kept.append(start)
        starts = kept
    if not starts:
        raise RuleError(tr("这个重复规则没有产生任何一次预约（可能都在节假日，或结束日期早于"
                           "开始日期），请检查。"))
    return Expansion(tuple(starts), tuple(skipped), tuple(sorted(unknown)))


def _occurrences(recurrence: rrule, start: dt.datetime, horizon: dt.datetime,
                 count: int | None, until: dt.datetime | None,
                 limit: int) -> tuple[list[dt.datetime], bool]:
    """The starts up to ``horizon`` (at most ``limit`` + 1), and whether more come after it.

    dateutil looks for a next occurrence up to the year 9999, even past UNTIL: a rule that
    never matches (31 February) searched from 2026 takes seconds. The Gregorian calendar
    repeats every 400 years, so the rule is expanded from its start moved forward by whole
    400-year cycles to a few centuries before 9999 (the same dates, shifted), which bounds
    that search, and the dates are moved back.
    """
    if count is not None and count <= 0:
        return [], False
    shift = 400 * ((dt.MAXYEAR - horizon.year - 1) // 400)
    moved = recurrence.replace(dtstart=start.replace(year=start.year + shift),
                               count=None, until=None)
    found: list[dt.datetime] = []
    for shifted in moved:
        moment = shifted.replace(year=shifted.year - shift)
        if until is not None and moment > until:
            return found, False
        if moment > horizon:
            return found, True
        found.append(moment)
        if len(found) == count or len(found) > limit:
            break
    return found, False


def _years_later(moment: dt.datetime, years: int) -> dt.datetime:
    year = min(moment.year + years, dt.MAXYEAR)
    try:
        return moment.replace(year=year)
    except ValueError:  # 29 February
        return moment.replace(year=year, day=28)


def _until_as_local(rule: str) -> str:
    parts = []
    for part in rule.split(";"):
        if part.startswith("UNTIL=") and part.endswith("Z"):
            part = part[:-1]
        parts.append(part)
    return ";".join(parts)


def public_holiday(day: dt.date) -> bool | None:
    """Whether ``day`` is a Chinese statutory holiday; None when the calendar doesn't know.

    Ordinary weekends are not holidays here (a Saturday series keeps its Saturdays).
    """
    import chinese_calendar  # imported on first use

    try:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return None
    return bool(is_holiday and name is not None)


_WEEKDAY_WORDS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def describe_rule(rule_text: str) -> str:
    """A repeat rule in words for the screen: "每周二、周四，共 8 次", "每月第 4 个周一，到
    2027-01-22 为止" — never the RRULE text itself. Rules beyond what the booking form writes
    read "按自定义规则重复"."""
    parts: dict[str, str] = {}
    for part in normalise_rule(rule_text).split(";"):
        key, sep, value = part.partition("=")
        if sep:
            parts[key] = value
    known = {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "COUNT", "UNTIL", "WKST"}
    freq = parts.get("FREQ", "")
    if set(parts) - known or freq not in ("DAILY", "WEEKLY", "MONTHLY", "YEARLY"):
        return tr("按自定义规则重复")
    try:
        interval = int(parts.get("INTERVAL", "1"))
        days = [d for d in parts.get("BYDAY", "").split(",") if d]
        if freq == "DAILY":
            text = tr("每天") if interval == 1 else tr("每 {n} 天", n=interval)
        elif freq == "WEEKLY":
            names = tr("、").join(tr(_WEEKDAY_WORDS[WEEKDAY_CODES.index(d)]) for d in days)
            if interval == 1:
                text = tr("每周{days}", days=names) if names else tr("每周")
            else:
                text = tr("每 {n} 周的{days}", n=interval, days=names) if names \
                    else tr("每 {n} 周", n=interval)
        elif freq == "MONTHLY" and "BYMONTHDAY" in parts:
            text = tr("每月 {day} 日", day=int(parts["BYMONTHDAY"]))
        elif freq == "MONTHLY" and len(days) == 1 and days[0][:-2].lstrip("-").isdigit():
            nth, code = int(days[0][:-2]), days[0][-2:]
            weekday = tr(_WEEKDAY_WORDS[WEEKDAY_CODES.index(code)])
            text = (tr("每月最后一个{weekday}", weekday=weekday) if nth == -1
                    else tr("每月第 {n} 个{weekday}", n=nth, weekday=weekday))
        elif freq == "MONTHLY" and not days:
            text = tr("每月")
        elif freq == "YEARLY" and not days:
            text = tr("每年")
        else:
            return tr("按自定义规则重复")
        if "COUNT" in parts:
            text += tr("，共 {n} 次", n=int(parts["COUNT"]))
        elif "UNTIL" in parts:
            until = dt.datetime.strptime(parts["UNTIL"][:8], "%Y%m%d").date()
            text += tr("，到 {day} 为止", day=until.isoformat())
    except (ValueError, IndexError):
        return tr("按自定义规则重复")
    return text
