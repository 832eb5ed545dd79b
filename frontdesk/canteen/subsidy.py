"""The subsidy engine (助餐补助): which rule applies to a meal, and each funder's share in fen.

Pure: no database, no clock. Given the diner's facts, the meal date, session, type and
price, and the rules in force, it returns the split and says in words why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import N_, tr
from frontdesk.core.money import format_yuan


@dataclass(frozen=True)
class DinerFacts:
    """What the rules may look at: age on the meal date (None: unknown), tags, 户籍."""

    age: int | None
    tags: frozenset[str]
    hukou: str | None  # "local" / "non_local" / None when unknown


@dataclass(frozen=True)
class ShareSpec:
    """A funder's part under a rule: a fixed amount, or the rest of the price."""

    funder_id: int
    funder_name: str
    amount_fen: int = 0
    is_rest: bool = False


@dataclass(frozen=True)
class RuleSpec:
    """A subsidy rule as the engine sees it. Empty conditions match everyone."""

    id: int
    name: str
    priority: int
    effective_from: dt.date
    effective_to: dt.date | None
    shares: tuple[ShareSpec, ...]
    min_age: int | None = None
    max_age: int | None = None
    tags: frozenset[str] = frozenset()
    hukou: str | None = None
    meal_types: frozenset[str] = frozenset()
    session_id: int | None = None
    min_price_fen: int | None = None

    @property
    def needs_age(self) -> bool:
        return self.min_age is not None or self.max_age is not None

    def in_force(self, day: dt.date) -> bool:
        """Whether the rule is effective on ``day``."""
        return self.effective_from <= day and (self.effective_to is None
                                               or day <= self.effective_to)


@dataclass(frozen=True)
class FunderShare:
    """One funder's share of a meal, in fen."""

    funder_id: int
    funder_name: str
    amount_fen: int


@dataclass(frozen=True)
class Split:
    """How a meal's price is paid: funder shares plus what the diner pays themself.

    ``shares`` holds only the other funders (never the diner); they add up with
    ``self_pay_fen`` to ``price_fen`` exactly.
    """

    price_fen: int
    shares: tuple[FunderShare, ...]
    self_pay_fen: int
    rule_id: int | None
    rule_name: str
    reason: str

    @property
    def subsidised(self) -> bool:
        return self.rule_id is not None and self.self_pay_fen < self.price_fen

    @property
    def subsidy_fen(self) -> int:
        return self.price_fen - self.self_pay_fen


HUKOU_LABELS = {"local": N_("本地户籍"), "non_local": N_("外来")}


def full_price(price_fen: int, reason: str) -> Split:
    """The diner pays everything."""
    return Split(price_fen, (), price_fen, None, "", reason)


def age_band_text(min_age: int | None, max_age: int | None) -> str:
    """An age band in words: "60-79 岁", "80 岁及以上"."""
    if min_age is not None and max_age is not None:
        return tr("{a}-{b} 岁", a=min_age, b=max_age)
    if min_age is not None:
        return tr("{a} 岁及以上", a=min_age)
    if max_age is not None:
        return tr("{b} 岁及以下", b=max_age)
    return ""


def mismatch(rule: RuleSpec, facts: DinerFacts, day: dt.date, session_id: int,
             meal_type: str, price_fen: int) -> str | None:
    """Why ``rule`` does not apply (in words), or None when it does."""
    if not rule.in_force(day):
        return tr("不在有效期内")
    if rule.session_id is not None and rule.session_id != session_id:
        return tr("餐次不符")
    if rule.meal_types and meal_type not in rule.meal_types:
        return tr("就餐类型不符")
    if rule.needs_age:
        if facts.age is None:
            return tr("没有出生日期，无法按年龄享受补助")
        if rule.min_age is not None and facts.age < rule.min_age:
            return tr("年龄不符")
        if rule.max_age is not None and facts.age > rule.max_age:
            return tr("年龄不符")
    if rule.tags and not (rule.tags & facts.tags):
        return tr("不属于{tags}", tags="、".join(sorted(rule.tags)))
    if rule.hukou is not None and facts.hukou != rule.hukou:
        return tr("户籍不符")
    if rule.min_price_fen is not None and price_fen < rule.min_price_fen:
        return tr("餐价低于 {min} 元", min=format_yuan(rule.min_price_fen))
    return None


def why(rule: RuleSpec, facts: DinerFacts) -> str:
    """The conditions the diner met, in words."""
    parts = []
    if rule.needs_age and facts.age is not None:
        parts.append(tr("{age} 岁（{band}）", age=facts.age,
                        band=age_band_text(rule.min_age, rule.max_age)))
    if rule.tags:
        parts.append("、".join(sorted(rule.tags & facts.tags)))
    if rule.hukou is not None:
        parts.append(tr(HUKOU_LABELS.get(rule.hukou, rule.hukou)))
    if rule.min_price_fen is not None:
        parts.append(tr("餐价不低于 {min} 元", min=format_yuan(rule.min_price_fen)))
    return tr("按“{rule}”：{conditions}", rule=rule.name,
              conditions="，".join(parts) or tr("无附加条件"))


def apply_rule(rule: RuleSpec, price_fen: int, self_funder_id: int) -> Split:
    """Split ``price_fen`` by ``rule``'s shares; refuses a price below the fixed shares."""
    fixed = sum(s.amount_fen for s in rule.shares if not s.is_rest)
    if price_fen < fixed:
        raise RuleError(tr("餐价 {price} 元低于规则“{rule}”的补助合计 {sum} 元，无法出票。"
                           "请检查餐价或补助规则。", price=format_yuan(price_fen),
                           rule=rule.name, sum=format_yuan(fixed)))
    rest = price_fen - fixed
    rest_share = next((s for s in rule.shares if s.is_rest), None)
    amounts: dict[int, int] = {}
    names: dict[int, str] = {}
    for s in rule.shares:
        amounts[s.funder_id] = amounts.get(s.funder_id, 0) + (0 if s.is_rest else s.amount_fen)
        names[s.funder_id] = s.funder_name
    rest_to = rest_share.funder_id if rest_share is not None else self_funder_id
    amounts[rest_to] = amounts.get(rest_to, 0) + rest
    self_pay = amounts.pop(self_funder_id, 0)
    shares = tuple(FunderShare(fid, names[fid], amt) for fid, amt in amounts.items() if amt)
    return Split(price_fen, shares, self_pay, rule.id, rule.name, "")


def compute_split(facts: DinerFacts, day: dt.date, session_id: int, meal_type: str,
                  price_fen: int, rules: list[RuleSpec], self_funder_id: int) -> Split:
    """The split of one elder's meal: the first matching rule by priority, else full price."""
    if price_fen < 0:
        raise RuleError(tr("餐价不能为负数。"))
    notes = []
    for rule in sorted(rules, key=lambda r: (r.priority, r.id)):
        miss = mismatch(rule, facts, day, session_id, meal_type, price_fen)
        if miss is None:
            split = apply_rule(rule, price_fen, self_funder_id)
            return Split(split.price_fen, split.shares, split.self_pay_fen, rule.id, rule.name,
                         why(rule, facts))
        if rule.in_force(day):
            notes.append(f"{rule.name}：{miss}")
    if facts.age is None and any(r.needs_age and r.in_force(day) for r in rules):
        return full_price(price_fen, tr("没有出生日期，无法按年龄享受补助，按全价收费。"
                                        "请在居民档案中补充出生日期。"))
    detail = "；".join(notes[:3])
    return full_price(price_fen, tr("没有适用的补助规则，按全价收费。") + (
        f"（{detail}）" if detail else ""))


def conditions_overlap(a: RuleSpec, b: RuleSpec) -> bool:
    """Whether one meal could match both rules (dates, session, type, age, tags, 户籍)."""
    a_end = a.effective_to or dt.date.max
    b_end = b.effective_to or dt.date.max
    if a.effective_from > b_end or b.effective_from > a_end:
        return False
    if a.session_id is not None and b.session_id is not None and a.session_id != b.session_id:
        return False
    if a.meal_types and b.meal_types and not (a.meal_types & b.meal_types):
        return False
    if a.hukou is not None and b.hukou is not None and a.hukou != b.hukou:
        return False
    # A person can carry several tags, so two tag sets never rule each other out:
    # what is left to tell the rules apart is the age band.
    a_lo = -1 if a.min_age is None else a.min_age
    a_hi = 10_000 if a.max_age is None else a.max_age
    b_lo = -1 if b.min_age is None else b.min_age
    b_hi = 10_000 if b.max_age is None else b.max_age
    return a_lo <= b_hi and b_lo <= a_hi


def check_rule(rule: RuleSpec, others: list[RuleSpec]) -> None:
    """Refuse a rule that is malformed or overlaps another rule of equal priority."""
    if not rule.name.strip():
        raise RuleError(tr("请填写规则名称。"))
    if rule.effective_to is not None and rule.effective_to < rule.effective_from:
        raise RuleError(tr("规则的结束日期早于开始日期。"))
    if rule.min_age is not None and rule.max_age is not None and rule.min_age > rule.max_age:
        raise RuleError(tr("最低年龄不能大于最高年龄。"))
    if any(s.amount_fen < 0 for s in rule.shares):
        raise RuleError(tr("补助金额不能为负数。"))
    if sum(1 for s in rule.shares if s.is_rest) > 1:
        raise RuleError(tr("只能有一个资助方承担“其余部分”。"))
    if rule.min_price_fen is not None:
        fixed = sum(s.amount_fen for s in rule.shares if not s.is_rest)
        if rule.min_price_fen < fixed:
            raise RuleError(tr("最低餐价 {min} 元低于补助合计 {sum} 元。",
                               min=format_yuan(rule.min_price_fen), sum=format_yuan(fixed)))
    for other in others:
        if other.id != rule.id and other.priority == rule.priority and conditions_overlap(
                rule, other):
            raise RuleError(tr("规则“{a}”与“{b}”优先级相同（{p}）且适用范围重叠，"
                               "无法判断先用哪条。请改一个优先级或缩小范围。",
                               a=rule.name, b=other.name, p=rule.priority))
