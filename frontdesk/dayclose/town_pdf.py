"""The town summary PDF (镇/街道汇总表): one row per centre over the merged packages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from frontdesk.core.i18n import N_, tr
from frontdesk.core.money import format_yuan
from frontdesk.dayclose.town import TownSummary

# (total key, column title, kind): what a town office reads first, in one landscape row.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("checkin_visits", N_("签到人次"), "count"),
    ("group_headcount", N_("团体人数"), "count"),
    ("tally_count", N_("计数人次"), "count"),
    ("meals", N_("就餐份数"), "count"),
    ("meal_gov_fen", N_("政府补助（元）"), "money"),
    ("meal_village_fen", N_("村(社区)补助（元）"), "money"),
    ("meal_charity_fen", N_("慈善（元）"), "money"),
    ("meal_self_fen", N_("自付（元）"), "money"),
    ("bookings_held", N_("场地场次"), "count"),
    ("volunteer_minutes", N_("志愿时长（小时）"), "hours"),
    ("points_earned", N_("获得积分"), "count"),
    ("points_redeemed", N_("兑换积分"), "count"),
)


def _cells(totals: Mapping[str, int]) -> tuple[str, ...]:
    out = []
    for key, _title, kind in COLUMNS:
        if key not in totals:
            out.append("—")
        elif kind == "money":
            out.append(format_yuan(totals[key]))
        elif kind == "hours":
            out.append(f"{totals[key] / 60:.1f}")
        else:
            out.append(str(totals[key]))
    return tuple(out)


def render_town_summary(summary: TownSummary, printed_at: dt.datetime, operator: str = "",
                        *, invariant: bool = False) -> bytes:
    """The town summary as landscape A4 pages: centres, the town's total, gaps and refusals."""
    from frontdesk.documents.sheets import Column, SheetSpec, render_sheet
    from frontdesk.documents.styles import DocumentMeta

    columns = (Column(tr("中心"), 3.2), Column(tr("报送天数"), 1.3, "right"),
               Column(tr("草稿"), 0.8, "right"), Column(tr("缺报"), 0.8, "right"),
               *(Column(tr(title), 1.2, "right") for _key, title, _kind in COLUMNS))
    rows = [(f"{c.centre_name}（{c.centre_code}）", str(c.days_reported), str(c.drafts),
             str(c.days_missing), *_cells(c.totals)) for c in summary.centres]
    if summary.centres:
        rows.append((tr("合计"), str(sum(c.days_reported for c in summary.centres)),
                     str(sum(c.drafts for c in summary.centres)), str(summary.missing),
                     *_cells(summary.town_totals)))
    if summary.first_date is not None:
        period = tr("{first} 至 {last}", first=summary.first_date.isoformat(),
                    last=str(summary.last_date))
    else:
        period = tr("（没有可用的数据包）")
    subtitle = tr("{towns}　{period}　{n} 个中心", towns="、".join(summary.towns),
                  period=period, n=len(summary.centres))
    totals = [(tr("重复的数据包（未采用）"), str(summary.duplicates)),
              (tr("缺报的日期"), str(summary.missing)),
              (tr("未通过校验的数据包"), str(len(summary.refused)))]
    totals += [(tr("未通过校验"), f"{r.file}：{r.reason}") for r in summary.refused]
    town = "、".join(summary.towns) or tr("镇/街道")
    meta = DocumentMeta(town, tr("邻里中心日结汇总（镇/街道）"), operator or tr("镇/街道"),
                        printed_at)
    return render_sheet(SheetSpec(meta, columns, tuple(rows), subtitle=subtitle,
                                  landscape=True, totals=tuple(totals),
                                  sign_off=(tr("汇总人"), tr("审核人"))),
                        invariant=invariant)
