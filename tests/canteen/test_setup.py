"""Setting the canteen up from an empty centre (no demo): sessions, funders, rules, readiness.

Runs on SQLite and, with FRONTDESK_TEST_BACKEND=postgresql, on PostgreSQL: bad input is
refused alike on both, and a refusal changes nothing.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from frontdesk.canteen import service as svc
from frontdesk.canteen.models import Funder, MealSession, SubsidyRule
from frontdesk.canteen.setup import readiness
from frontdesk.core.audit import AuditEntry
from frontdesk.core.db import Database
from frontdesk.core.errors import PermissionDenied, RuleError
from tests.canteen.conftest import add_resident

# From /work/shared/corpus/hostile_text.json: names_keep must survive, control_chars be refused.
NAMES_KEEP = ["𠮷", "杨𠮷", "㐱", "䶮", "龘", "阿依古丽·买买提", "欧阳 娜娜", "Zhang San",
              "王\u3000芳", "𪚥𠀀", "李⺀", "麦买提·吐尔逊·阿不都"]
CONTROL = ["张\x00三", "张\x1b[31m三", "张\x07三", "01234\x1d56789", "名\u202e字", "王\u200b芳",
           "李\ufeff四", "赵\u2028钱", "孙\x85李", "张\n三", "张\t三"]


def counts(db: Database) -> tuple[int, int, int, int]:
    """Sessions, funders, rules and audit entries: what a refusal must leave alone."""
    with db.read() as session:
        return tuple(session.scalar(select(func.count()).select_from(t)) or 0  # type: ignore
                     for t in (MealSession, Funder, SubsidyRule, AuditEntry))


def test_an_empty_centre_is_not_ready_and_says_what_is_missing(centre_db, admin) -> None:
    with centre_db.read() as session:
        items = {i.key: i for i in readiness(session, admin.today())}
    assert list(items) == ["canteen.sessions", "canteen.funders", "canteen.rules"]
    assert not any(i.ready for i in items.values())
    assert items["canteen.sessions"].needed and "不能出票" in items["canteen.sessions"].missing
    assert not items["canteen.funders"].needed and not items["canteen.rules"].needed
    assert "全价" in items["canteen.rules"].missing
    assert {(i.page, i.tab) for i in items.values()} == {("canteen", "admin")}
    with centre_db.read() as session, pytest.raises(RuleError) as caught:
        svc.current_session(session, admin)
    assert "新增餐次" in caught.value.message and "餐次与价格" not in caught.value.message


def test_set_up_from_empty_then_sell_a_subsidised_meal(centre_db, admin, clock) -> None:
    with centre_db.session() as session:
        lunch = svc.create_session(session, admin, " 午餐 ", "11:00", "13:00", 1000, 60,
                                   "三菜一汤")
        gov = svc.create_funder(session, admin, "政府补助")
        rule = svc.save_rule(session, admin, svc.RuleForm(
            "高龄老人", 10, dt.date(2026, 1, 1), None, ((gov.id, 600, False),), min_age=80))
        funders = svc.list_funders(session)
        items = readiness(session, admin.today())
    assert lunch.name == "午餐" and lunch.menu == "三菜一汤"
    assert [f.name for f in funders] == ["政府补助", "个人自付"]  # self-pay made, and last
    assert all(i.ready for i in items)
    assert rule.spec.shares[0].funder_name == "政府补助"
    elder = add_resident(centre_db, admin, "陈阿婆", dt.date(1940, 1, 1), card="E1")
    clock.moment = clock.moment.replace(hour=11, minute=30)
    with centre_db.session() as session:
        t = svc.issue_ticket(session, admin, resident_id=elder)
    assert (t.price_fen, t.self_pay_fen, t.share_of(gov.id), t.category) == (
        1000, 400, 600, "高龄老人")


def test_full_price_meals_sell_with_a_session_alone(centre_db, admin, clock) -> None:
    with centre_db.session() as session:
        svc.create_session(session, admin, "午餐", "11:00", "13:00", 1000)
    elder = add_resident(centre_db, admin, "林伯", dt.date(1950, 1, 1), card="E2")
    clock.moment = clock.moment.replace(hour=11, minute=30)
    with centre_db.session() as session:
        t = svc.issue_ticket(session, admin, resident_id=elder)
    assert t.self_pay_fen == 1000 and not t.subsidised and "全价" in t.rule_reason


@pytest.mark.parametrize("args, words", [
    (("晚餐", "11:30", "12:30", 800), "重叠"),
    (("早午餐", "10:00", "11:01", 800), "重叠"),
    (("午餐", "14:00", "15:00", 800), "已经有"),
    (("", "14:00", "15:00", 800), "名称"),
    (("点心", "15:00", "14:00", 800), "晚于"),
    (("点心", "14:00", "15:00", -100), "负数"),
    (("点心", "14:00", "15:00", 800, 0), "至少为 1"),
    (("点" * 21, "14:00", "15:00", 800), "太长"),
])
def test_bad_sessions_are_refused_and_change_nothing(centre_db, admin, args, words) -> None:
    with centre_db.session() as session:
        svc.create_session(session, admin, "午餐", "11:00", "13:00", 1000)
    before = counts(centre_db)
    with centre_db.session() as session, pytest.raises(RuleError) as caught:
        svc.create_session(session, admin, *args)
    assert words in caught.value.message
    assert counts(centre_db) == before


def test_sessions_may_touch_and_a_retired_one_frees_its_times(centre_db, admin, desk) -> None:
    with centre_db.session() as session:
        lunch = svc.create_session(session, admin, "午餐", "11:00", "13:00", 1000)
        svc.create_session(session, admin, "下午茶", "13:00", "14:00", 300)
        with pytest.raises(PermissionDenied):
            svc.set_session_active(session, desk, lunch.id, False)
        svc.set_session_active(session, admin, lunch.id, False)
        svc.create_session(session, admin, "简餐", "11:30", "12:30", 800)
        with pytest.raises(RuleError) as caught:  # back in use: it would overlap 简餐
            svc.set_session_active(session, admin, lunch.id, True)
        assert "重叠" in caught.value.message
        names = [s.name for s in svc.list_sessions(session, admin.today())]
        everything = svc.list_sessions(session, admin.today(), include_inactive=True)
    assert names == ["下午茶", "简餐"]
    assert [s.active for s in everything if s.name == "午餐"] == [False]


def test_edit_renames_and_reprices_but_old_tickets_keep_theirs(centre_db, admin, clock) -> None:
    with centre_db.session() as session:
        lunch = svc.create_session(session, admin, "午餐", "11:00", "13:00", 1000)
    elder = add_resident(centre_db, admin, "陈阿婆", dt.date(1940, 1, 1), card="E1")
    clock.moment = clock.moment.replace(hour=11, minute=30)
    with centre_db.session() as session:
        old = svc.issue_ticket(session, admin, resident_id=elder)
        svc.update_session(session, admin, lunch.id, name="中餐", price_fen=1200, capacity=50,
                           menu="两荤两素", start_time="11:00", end_time="13:30")
    with centre_db.read() as session:
        again = svc.get_ticket(session, old.id)
        now = svc.list_sessions(session, admin.today())[0]
        log = [e.summary for e in session.scalars(select(AuditEntry).where(
            AuditEntry.action == "canteen.session.update"))]
    assert again == old and again.session_name == "午餐" and again.price_fen == 1000
    assert (now.name, now.price_fen, now.capacity, now.end_time) == ("中餐", 1200, 50, "13:30")
    assert any("午餐 → 中餐" in s or "name: 午餐 → 中餐" in s for s in log)


def test_a_day_menu_is_the_desks_a_day_price_the_admins(centre_db, admin, desk) -> None:
    day = admin.today() + dt.timedelta(days=1)
    with centre_db.session() as session:
        lunch = svc.create_session(session, admin, "午餐", "11:00", "13:00", 1000,
                                   menu="标准菜单")
        svc.set_day(session, desk, lunch.id, day, menu="红烧鱼、青菜、紫菜汤")
        with pytest.raises(PermissionDenied):
            svc.set_day(session, desk, lunch.id, day, price_fen=800)
        with pytest.raises(RuleError):
            svc.set_day(session, desk, lunch.id, day, menu="鱼\x00汤")
    with centre_db.read() as session:
        assert svc.day_settings(session, lunch.id, day).menu == "红烧鱼、青菜、紫菜汤"
        assert svc.day_settings(session, lunch.id, admin.today()).menu == "标准菜单"


def test_retiring_a_session_with_bookings_ahead_is_refused(centre_db, admin) -> None:
    with centre_db.session() as session:
        lunch = svc.create_session(session, admin, "午餐", "11:00", "13:00", 1000)
        svc.add_pre_order(session, admin, day=admin.today() + dt.timedelta(days=2),
                          session_id=lunch.id, group_name="志愿者队", count=4)
    with centre_db.session() as session, pytest.raises(RuleError) as caught:
        svc.set_session_active(session, admin, lunch.id, False)
    assert "4 份预订" in caught.value.message


def test_funders_rename_and_retire_only_when_no_rule_uses_them(centre_db, admin) -> None:
    with centre_db.session() as session:
        svc.create_session(session, admin, "午餐", "11:00", "13:00", 1000)
        gov = svc.create_funder(session, admin, "政府")
        charity = svc.create_funder(session, admin, "慈善")
        rule = svc.save_rule(session, admin, svc.RuleForm(
            "困难老人", 10, dt.date(2026, 1, 1), None, ((gov.id, 500, False),),
            tags=("低保",)))
        svc.rename_funder(session, admin, gov.id, "政府补助")
        svc.retire_funder(session, admin, charity.id)
        with pytest.raises(RuleError) as caught:
            svc.retire_funder(session, admin, gov.id)
        assert "困难老人" in caught.value.message
        with pytest.raises(RuleError):
            svc.retire_funder(session, admin, svc.self_funder_id(session))
        with pytest.raises(RuleError) as caught:  # a retired funder is not offered to rules
            svc.save_rule(session, admin, svc.RuleForm(
                "慈善餐", 20, dt.date(2026, 1, 1), None, ((charity.id, 200, False),)))
        assert "已停用" in caught.value.message
        svc.retire_rule(session, admin, rule.id, "政策调整")
        svc.retire_funder(session, admin, gov.id)
        svc.restore_funder(session, admin, charity.id)
        active = [f.name for f in svc.list_funders(session)]
        with pytest.raises(RuleError):
            svc.create_funder(session, admin, "慈善")
    assert active == ["慈善", "个人自付"]


@pytest.mark.parametrize("change, words", [
    ({"shares": "gov:1100"}, "超过了午餐的价格"),
    ({"shares": "gov:-100"}, "负数"),
    ({"effective_to": dt.date(2025, 12, 31)}, "早于"),
    ({"min_age": 90, "max_age": 80}, "最低年龄"),
    ({"min_age": 200}, "0 到 150"),
    ({"priority": 0}, "优先级"),
    ({"shares": "self:300"}, "一分钱也不承担"),
    ({"name": "  "}, "规则名称"),
    ({"name": "高龄\x1b老人"}, "控制字符"),
    ({"tags": ("低\x00保",)}, "控制字符"),
    ({"min_price_fen": -1}, "负数"),
])
def test_nonsense_rules_are_refused_and_change_nothing(centre_db, admin, change, words) -> None:
    with centre_db.session() as session:
        svc.create_session(session, admin, "午餐", "11:00", "13:00", 1000)
        gov = svc.create_funder(session, admin, "政府补助").id
        self_id = svc.self_funder_id(session)
    fields: dict[str, object] = {"name": "高龄老人", "priority": 10,
                                 "effective_from": dt.date(2026, 1, 1), "effective_to": None,
                                 "shares": ((gov, 600, False),), "min_age": 80}
    if isinstance(change.get("shares"), str):
        who, amount = str(change.pop("shares")).split(":")
        fields["shares"] = (((gov if who == "gov" else self_id), int(amount), False),)
    fields.update(change)
    before = counts(centre_db)
    with centre_db.session() as session, pytest.raises(RuleError) as caught:
        svc.save_rule(session, admin, svc.RuleForm(**fields))  # type: ignore[arg-type]
    assert words in caught.value.message
    assert counts(centre_db) == before


def test_a_price_cut_below_a_rule_is_refused(centre_db, admin) -> None:
    with centre_db.session() as session:
        lunch = svc.create_session(session, admin, "午餐", "11:00", "13:00", 1000)
        gov = svc.create_funder(session, admin, "政府补助")
        svc.save_rule(session, admin, svc.RuleForm(
            "高龄老人", 10, dt.date(2026, 1, 1), None, ((gov.id, 600, False),), min_age=80))
        # a session the rule could apply to must cost at least what it pays
        with pytest.raises(RuleError) as caught:
            svc.create_session(session, admin, "早餐", "07:00", "08:00", 500)
        assert "高龄老人" in caught.value.message
    with centre_db.session() as session, pytest.raises(RuleError):
        svc.update_session(session, admin, lunch.id, price_fen=500, capacity=None, menu="",
                           start_time="11:00", end_time="13:00")
    with centre_db.read() as session:
        assert svc.list_sessions(session, admin.today())[0].price_fen == 1000


def test_rules_edit_retire_and_read_in_words(centre_db, admin) -> None:
    with centre_db.session() as session:
        lunch = svc.create_session(session, admin, "午餐", "11:00", "13:00", 1200)
        gov = svc.create_funder(session, admin, "政府补助")
        village = svc.create_funder(session, admin, "村级")
        self_id = svc.self_funder_id(session)
        rule = svc.save_rule(session, admin, svc.RuleForm(
            "本地老人", 30, dt.date(2026, 1, 1), dt.date(2026, 12, 31),
            ((gov.id, 500, False), (village.id, 200, False)), min_age=60, max_age=79,
            hukou="local", session_id=lunch.id, meal_types=("dine_in", "delivery")))
        words = svc.rule_in_words(rule.spec, {lunch.id: "午餐"}, self_id)
        edited = svc.save_rule(session, admin, svc.RuleForm(
            "本地老人", 30, dt.date(2026, 1, 1), None,
            ((self_id, 300, False), (gov.id, 0, True)), min_age=60, max_age=79,
            hukou="local"), rule_id=rule.id)
        edited_words = svc.rule_in_words(edited.spec, {}, self_id)
        svc.retire_rule(session, admin, rule.id, "明年新政策")
        with pytest.raises(RuleError):
            svc.retire_rule(session, admin, rule.id, "again")
        with pytest.raises(RuleError) as caught:
            svc.save_rule(session, admin, svc.RuleForm(
                "本地老人", 30, dt.date(2026, 1, 1), None, ((gov.id, 100, False),)),
                rule_id=rule.id)
        assert "已停用" in caught.value.message
        assert svc.list_rules(session) == []
        assert svc.rule_by_ref(session, "本地老人").id == rule.id
    assert words == ("本地老人：60-79 岁，本地户籍，仅午餐，堂食、送餐；政府补助付 5.00 元，"
                     "村级付 2.00 元，其余本人付；2026-01-01 至 2026-12-31。")
    assert edited_words == ("本地老人：60-79 岁，本地户籍；本人付 3.00 元，其余由政府补助付；"
                            "2026-01-01 起长期有效。")
    for text in (words, edited_words):
        assert "[" not in text and "~" not in text and "local" not in text


@pytest.mark.parametrize("name", NAMES_KEEP)
def test_rare_names_survive_as_typed(centre_db, admin, name) -> None:
    with centre_db.session() as session:
        s = svc.create_session(session, admin, name, "11:00", "13:00", 1000, menu=name)
        f = svc.create_funder(session, admin, name)
    with centre_db.read() as session:
        assert svc.session_by_name(session, name).id == s.id
        assert [x.name for x in svc.list_funders(session) if x.id == f.id] == [name.strip()]


@pytest.mark.parametrize("text", CONTROL)
def test_invisible_characters_are_refused_everywhere(centre_db, admin, text) -> None:
    with centre_db.session() as session:
        lunch = svc.create_session(session, admin, "午餐", "11:00", "13:00", 1000)
    before = counts(centre_db)
    for attempt in (
            lambda s: svc.create_session(s, admin, text, "14:00", "15:00", 1000),
            lambda s: svc.create_session(s, admin, "点心", "14:00", "15:00", 1000, menu=text),
            lambda s: svc.create_funder(s, admin, text),
            lambda s: svc.update_session(s, admin, lunch.id, name=text, price_fen=1000,
                                         capacity=None, menu="", start_time="11:00",
                                         end_time="13:00")):
        with centre_db.session() as session, pytest.raises(RuleError) as caught:
            attempt(session)
        assert "控制字符" in caught.value.message
    assert counts(centre_db) == before
