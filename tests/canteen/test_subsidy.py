"""The pure subsidy engine: the reference designs, conditions, priorities, refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.canteen.subsidy import (
    DinerFacts,
    RuleSpec,
    ShareSpec,
    check_rule,
    compute_split,
)
from frontdesk.core.errors import RuleError

DAY = dt.date(2026, 11, 22)
START = dt.date(2026, 1, 1)
GOV, CITY, DISTRICT, TOWN, VILLAGE, SELF = 1, 2, 3, 4, 5, 9
LUNCH, DINNER = 1, 2


def share(funder: int, fen: int = 0, rest: bool = False) -> ShareSpec:
    return ShareSpec(funder, f"F{funder}", fen, rest)


def rule(rid: int, priority: int, *shares: ShareSpec, **conditions: object) -> RuleSpec:
    return RuleSpec(rid, f"R{rid}", priority, conditions.pop("start", START),  # type: ignore[arg-type]
                    conditions.pop("end", None), tuple(shares), **conditions)  # type: ignore[arg-type]


def facts(age: int | None, *tags: str, hukou: str | None = "local") -> DinerFacts:
    return DinerFacts(age, frozenset(tags), hukou)


def split(f: DinerFacts, price: int, rules: list[RuleSpec], meal_type: str = "dine_in",
          session: int = LUNCH, day: dt.date = DAY):
    return compute_split(f, day, session, meal_type, price, rules, SELF)


# Xiamen (ref): 65+ local 户籍, 3 元 a day, the meal must cost at least 10 元.
XIAMEN = [rule(1, 10, share(GOV, 300), min_age=65, hukou="local", min_price_fen=1000)]


def test_xiamen_local_65_gets_3_yuan_on_a_10_yuan_meal() -> None:
    s = split(facts(70), 1000, XIAMEN)
    assert s.subsidised and s.self_pay_fen == 700
    assert [(x.funder_id, x.amount_fen) for x in s.shares] == [(GOV, 300)]
    assert "R1" in s.reason and "70" in s.reason


def test_xiamen_meal_below_10_yuan_or_non_local_or_64_gets_nothing() -> None:
    cheap = split(facts(70), 990, XIAMEN)
    assert not cheap.subsidised and cheap.self_pay_fen == 990
    assert "10.00" in cheap.reason
    assert not split(facts(70, hukou="non_local"), 1000, XIAMEN).subsidised
    assert not split(facts(64), 1000, XIAMEN).subsidised


# Guangzhou 增城 (ref): a 12 元 meal; 困难 60+ pays 1, 80+ pays 3, 60-79 pays 5;
# the government share itself split 市/区/镇.
ZENGCHENG = [
    rule(1, 10, share(SELF, 100), share(CITY, 500), share(DISTRICT, 300), share(TOWN, 0, True),
         min_age=60, tags=frozenset({"低保", "特困"})),
    rule(2, 20, share(SELF, 300), share(CITY, 500), share(DISTRICT, 400), share(TOWN, 0, True),
         min_age=80),
    rule(3, 30, share(SELF, 500), share(CITY, 400), share(DISTRICT, 300), share(TOWN, 0, True),
         min_age=60, max_age=79),
]


@pytest.mark.parametrize(("age", "tags", "self_pay", "town"), [
    (65, ("低保",), 100, 300), (85, ("特困",), 100, 300), (85, (), 300, 0), (70, (), 500, 0),
    (60, (), 500, 0), (79, (), 500, 0), (80, (), 300, 0),
])
def test_zengcheng_bands_and_hardship_with_government_split(age, tags, self_pay, town) -> None:
    s = split(facts(age, *tags), 1200, ZENGCHENG)
    assert s.self_pay_fen == self_pay
    assert sum(x.amount_fen for x in s.shares) + s.self_pay_fen == 1200
    assert dict((x.funder_id, x.amount_fen) for x in s.shares).get(TOWN, 0) == town


def test_zengcheng_59_pays_full_price() -> None:
    s = split(facts(59), 1200, ZENGCHENG)
    assert not s.subsidised and s.self_pay_fen == 1200 and s.shares == ()


# Shenzhen (ref): 重点对象 up to 15 元, others 70+ 5 元, non-户籍 the 普惠 price,
# delivery 2 元 more.
SHENZHEN = [
    rule(1, 10, share(GOV, 1500), tags=frozenset({"特困", "失能"}), hukou="local"),
    rule(2, 20, share(GOV, 700), min_age=70, hukou="local", meal_types=frozenset({"delivery"})),
    rule(3, 30, share(GOV, 500), min_age=70, hukou="local"),
]


def test_shenzhen_designs() -> None:
    assert split(facts(75, "失能"), 1500, SHENZHEN).self_pay_fen == 0
    assert split(facts(75), 1500, SHENZHEN).self_pay_fen == 1000
    assert split(facts(75), 1500, SHENZHEN, meal_type="delivery").self_pay_fen == 800
    assert not split(facts(75, hukou="non_local"), 1500, SHENZHEN).subsidised


def test_price_below_the_subsidy_sum_is_refused_plainly() -> None:
    with pytest.raises(RuleError) as caught:
        split(facts(75, "失能"), 1200, SHENZHEN)
    assert "低于" in caught.value.message and "15.00" in caught.value.message


def test_no_birth_date_means_no_age_based_subsidy_said_plainly() -> None:
    s = split(facts(None), 1200, ZENGCHENG)
    assert not s.subsidised and "出生日期" in s.reason
    # A rule without an age condition still applies.
    s = split(facts(None, "特困"), 1500, SHENZHEN)
    assert s.subsidised


def test_effective_dates_and_priority_order() -> None:
    old = rule(1, 10, share(GOV, 300), end=dt.date(2026, 6, 30))
    new = rule(2, 10, share(GOV, 500), start=dt.date(2026, 7, 1))
    assert split(facts(70), 1000, [old, new], day=dt.date(2026, 6, 30)).self_pay_fen == 700
    assert split(facts(70), 1000, [old, new], day=dt.date(2026, 7, 1)).self_pay_fen == 500
    first = rule(3, 1, share(GOV, 100))
    assert split(facts(70), 1000, [old, new, first]).rule_id == 3


def test_session_condition() -> None:
    lunch_only = [rule(1, 1, share(GOV, 300), session_id=LUNCH)]
    assert split(facts(70), 1000, lunch_only).subsidised
    assert not split(facts(70), 1000, lunch_only, session=DINNER).subsidised


def test_overlapping_rules_of_equal_priority_are_refused() -> None:
    a = rule(1, 10, share(GOV, 300), min_age=60, max_age=79)
    with pytest.raises(RuleError) as caught:
        check_rule(rule(2, 10, share(GOV, 500), min_age=70), [a])
    assert "优先级相同" in caught.value.message
    # Disjoint ages, other dates, other types, another priority: all fine.
    check_rule(rule(2, 10, share(GOV, 500), min_age=80), [a])
    check_rule(rule(2, 10, share(GOV, 500), start=dt.date(2027, 1, 1)),
               [rule(1, 10, share(GOV, 1), end=dt.date(2026, 12, 31))])
    check_rule(rule(2, 10, share(GOV, 1), meal_types=frozenset({"delivery"})),
               [rule(1, 10, share(GOV, 1), meal_types=frozenset({"dine_in"}))])
    check_rule(rule(2, 11, share(GOV, 500), min_age=70), [a])


@pytest.mark.parametrize(("bad", "words"), [
    (rule(1, 1, share(GOV, 1), start=DAY, end=DAY - dt.timedelta(days=1)), "结束日期"),
    (rule(1, 1, share(GOV, 1), min_age=80, max_age=60), "年龄"),
    (rule(1, 1, share(GOV, -1)), "负数"),
    (rule(1, 1, share(GOV, 0, True), share(VILLAGE, 0, True)), "其余部分"),
    (rule(1, 1, share(GOV, 1200), min_price_fen=1000), "最低餐价"),
])
def test_malformed_rules_are_refused(bad: RuleSpec, words: str) -> None:
    with pytest.raises(RuleError) as caught:
        check_rule(bad, [])
    assert words in caught.value.message


@given(price=st.integers(0, 5000), fixed=st.lists(st.integers(0, 800), min_size=1, max_size=4),
       rest_to=st.sampled_from([None, 0]), age=st.one_of(st.none(), st.integers(0, 110)))
def test_the_split_always_adds_up_to_the_price(price, fixed, rest_to, age) -> None:
    shares = [share(10 + i, fen) for i, fen in enumerate(fixed)]
    if rest_to is not None:
        shares[rest_to] = share(10, fixed[0], True)
    rules = [rule(1, 1, *shares)]
    if price < sum(s.amount_fen for s in shares if not s.is_rest):
        with pytest.raises(RuleError):
            split(facts(age), price, rules)
        return
    s = split(facts(age), price, rules)
    assert s.self_pay_fen >= 0 and all(x.amount_fen > 0 for x in s.shares)
    assert s.self_pay_fen + sum(x.amount_fen for x in s.shares) == price
