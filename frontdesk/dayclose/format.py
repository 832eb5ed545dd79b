"""The export package format, version 1: sheets, columns, types, units and day totals.

This module is the contract that docs/export-format.md describes; a test checks the two
agree. Headers and units are fixed Chinese text (they are data for the town, not screen
text), so they are not translated.
"""

from __future__ import annotations

from dataclasses import dataclass

from frontdesk.core.i18n import N_

FORMAT_NAME = "frontdesk-day-package"
FORMAT_VERSION = "1.1"  # MAJOR.MINOR: a reader refuses a newer MAJOR, accepts a newer MINOR

# Column types (see docs/export-format.md, "Types").
TEXT, INTEGER, MONEY, NUMBER, DATE, DATETIME, BOOLEAN = (
    "text", "integer", "money", "number", "date", "datetime", "boolean")
COLUMN_TYPES = (TEXT, INTEGER, MONEY, NUMBER, DATE, DATETIME, BOOLEAN)


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its Chinese name, type and unit."""

    name: str
    type: str = TEXT
    unit: str = ""

    @property
    def header(self) -> str:
        """The header as written in XLSX and CSV: the name with its unit, 价格（元）."""
        return f"{self.name}（{self.unit}）" if self.unit else self.name


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of the package: its Chinese name, the CSV file stem and its columns."""

    name: str
    stem: str
    columns: tuple[Column, ...]

    @property
    def csv_name(self) -> str:
        return f"csv/{self.stem}.csv"


# Status words used by every record sheet.
STATUS_VALID, STATUS_VOID = "有效", "已作废"

SUMMARY = "汇总"
CHECKINS = "签到"
GROUPS = "团体与计数"
MEALS = "就餐"
BOOKINGS = "场地"
VOLUNTEER = "志愿服务"
REDEMPTIONS = "积分兑换"
STOCK = "库存"

# The funders of a meal, in column order (政府补助、村级筹、慈善捐、个人出).
FUNDERS = ("政府补助", "村(社区)补助", "慈善", "自付")

SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec(SUMMARY, "01_summary", (
        Column("项目"), Column("代码"), Column("数值", NUMBER), Column("单位"),
    )),
    SheetSpec(CHECKINS, "02_checkins", (
        Column("序号", INTEGER), Column("签到时间", DATETIME), Column("签退时间", DATETIME),
        Column("姓名"), Column("性别"), Column("年龄", INTEGER, "岁"), Column("证件号"),
        Column("电话"), Column("服务领域"), Column("事由"), Column("接待人"),
        Column("处理结果"), Column("备注"), Column("状态"), Column("作废原因"),
    )),
    SheetSpec(GROUPS, "03_groups_tallies", (
        Column("序号", INTEGER), Column("时间", DATETIME), Column("类型"), Column("群体"),
        Column("团体名称"), Column("人数", INTEGER, "人"), Column("事由"), Column("场地"),
        Column("接待人"), Column("状态"), Column("作废原因"),
    )),
    SheetSpec(MEALS, "04_meals", (
        Column("日期", DATE), Column("票号"), Column("时间", DATETIME), Column("姓名"),
        Column("证件号"), Column("年龄", INTEGER, "岁"), Column("类别"), Column("餐次"),
        Column("类型"), Column("价格", MONEY, "元"),
        *(Column(f, MONEY, "元") for f in FUNDERS),
        Column("支付方式"), Column("送餐", BOOLEAN), Column("送达结果"), Column("代领人"),
        Column("超额原因"), Column("经办人"), Column("状态"), Column("作废原因"),
    )),
    SheetSpec(BOOKINGS, "05_bookings", (
        Column("预约号"), Column("场地"), Column("开始", DATETIME), Column("结束", DATETIME),
        Column("时长", INTEGER, "分钟"), Column("预约人/单位"), Column("联系电话"),
        Column("人数", INTEGER, "人"), Column("用途"), Column("重复系列"), Column("状态"),
        Column("经办人"), Column("备注"),
    )),
    SheetSpec(VOLUNTEER, "06_volunteer_service", (
        Column("记录号"), Column("志愿者编号"), Column("姓名"), Column("证件号"),
        Column("服务项目"), Column("服务类别"), Column("签到", DATETIME),
        Column("签退", DATETIME), Column("时长", INTEGER, "分钟"), Column("获得积分", INTEGER),
        Column("记录方式"), Column("补录原因"), Column("经办人"), Column("状态"),
        Column("作废原因"),
    )),
    SheetSpec(REDEMPTIONS, "07_redemptions", (
        Column("兑换单号"), Column("时间", DATETIME), Column("志愿者编号"), Column("姓名"),
        Column("物品"), Column("数量", INTEGER, "件"), Column("单价积分", INTEGER),
        Column("扣减积分", INTEGER), Column("积分余额", INTEGER), Column("经办人"),
        Column("状态"), Column("作废原因"),
    )),
    SheetSpec(STOCK, "08_stock", (
        Column("单号"), Column("时间", DATETIME), Column("物品"), Column("计量单位"),
        Column("变动类型"), Column("数量", INTEGER), Column("变动后库存", INTEGER),
        Column("关联单号"), Column("原因"), Column("经办人"),
    )),
)
SHEETS_BY_NAME = {s.name: s for s in SHEETS}


@dataclass(frozen=True)
class TotalSpec:
    """One of the day's totals: its key in manifest.json, its 汇总 label and unit."""

    key: str
    label: str
    unit: str

    @property
    def is_money(self) -> bool:
        """Money totals are fen in JSON (key ends in ``_fen``) and 元 in the 汇总 sheet."""
        return self.key.endswith("_fen")


TOTALS: tuple[TotalSpec, ...] = (
    TotalSpec("checkin_visits", "签到人次", "人次"),
    TotalSpec("group_entries", "团体来访批次", "批"),
    TotalSpec("group_headcount", "团体来访人数", "人"),
    TotalSpec("tally_count", "不登记计数人次", "人次"),
    TotalSpec("meals", "就餐份数", "份"),
    TotalSpec("meals_subsidised", "其中享受补助份数", "份"),
    TotalSpec("meals_delivered", "其中送餐份数", "份"),
    TotalSpec("meal_price_fen", "餐费合计", "元"),
    TotalSpec("meal_gov_fen", "政府补助合计", "元"),
    TotalSpec("meal_village_fen", "村(社区)补助合计", "元"),
    TotalSpec("meal_charity_fen", "慈善合计", "元"),
    TotalSpec("meal_self_fen", "自付合计", "元"),
    TotalSpec("cash_cash_fen", "收款：现金", "元"),
    TotalSpec("cash_wechat_fen", "收款：微信", "元"),
    TotalSpec("cash_alipay_fen", "收款：支付宝", "元"),
    TotalSpec("cash_other_fen", "收款：其他", "元"),
    TotalSpec("bookings_held", "场地使用场次", "场"),
    TotalSpec("bookings_no_show", "预约爽约", "场"),
    TotalSpec("bookings_cancelled", "预约取消", "场"),
    TotalSpec("room_minutes", "场地使用时长", "分钟"),
    TotalSpec("booking_headcount", "场地使用人数", "人"),
    TotalSpec("volunteer_people", "志愿服务人次", "人次"),
    TotalSpec("volunteer_minutes", "志愿服务时长", "分钟"),
    TotalSpec("points_earned", "获得积分", "积分"),
    TotalSpec("points_redeemed", "兑换积分", "积分"),
    TotalSpec("redemptions", "兑换笔数", "笔"),
    TotalSpec("stock_in", "入库数量", "件"),
    TotalSpec("stock_out", "出库数量", "件"),
)
TOTALS_BY_KEY = {t.key: t for t in TOTALS}

# Payment methods the cash box is counted by (key → name shown to the desk, via tr()).
PAYMENT_METHODS = {"cash": N_("现金"), "wechat": N_("微信"), "alipay": N_("支付宝"),
                   "other": N_("其他")}

# Funders' totals, as the town workbook lists them per centre.
FUNDER_TOTALS = ("meal_gov_fen", "meal_village_fen", "meal_charity_fen", "meal_self_fen")
