"""Setting volunteering up from an empty centre: rules edited and stopped, shop items with
their opening stock, the certificate's details, readiness — bad input refused, nothing
changed (on SQLite and, with FRONTDESK_TEST_BACKEND=postgresql, on PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from frontdesk.core import audit, settings
from frontdesk.core.actor import Actor
from frontdesk.core.db import Database
from frontdesk.core.errors import PermissionDenied, RuleError
from frontdesk.core.i18n import set_language
from frontdesk.core.textfields import clean_line
from frontdesk.volunteers import reports, service, setup, shop
from frontdesk.volunteers.models import Goods, StockMovement, VolunteerTeam
from tests.volunteers.conftest import add_resident

CORPUS = Path(__file__).parents[1] / "corpus" / "hostile_text.json"  # the shared corpus


def _corpus() -> dict[str, list[str]]:
    return json.loads(CORPUS.read_text(encoding="utf-8"))


def _audit_count(db: Database) -> int:
    with db.read() as s:
        return audit.count_audit(s)


# -- the text rule ------------------------------------------------------------------------

def test_names_survive_and_control_characters_are_refused() -> None:
    corpus = _corpus()
    for name in corpus["names_keep"]:
        assert clean_line("名称", name, limit=100) == name.strip()
    for bad in corpus["control_chars"]:  # zero-width space and BOM too: refused, not dropped
        with pytest.raises(RuleError, match="控制字符"):
            clean_line("名称", bad, limit=100)
    for bad in ("张\n三", "张\t三"):
        with pytest.raises(RuleError, match="换行"):
            clean_line("名称", bad, limit=100)
    assert clean_line("名称", "  张三  ", limit=100) == "张三"
    with pytest.raises(RuleError, match="请填写“名称”"):
        clean_line("名称", "\u3000", limit=100, required=True)
    with pytest.raises(RuleError, match="最多 100 个字，现在 1000 个字"):
        clean_line("名称", "长" * 1000, limit=100)


def test_team_and_goods_names_round_trip_on_this_database(centre_db: Database,
                                                         admin: Actor) -> None:
    corpus = _corpus()
    with centre_db.session() as s:
        for i, name in enumerate(corpus["names_keep"]):
            service.create_team(s, admin, name)
            shop.add_goods(s, admin, name, 10 + i, "个", opening_stock=1)
    with centre_db.read() as s:
        assert [t.name for t in service.team_details(s)] == [n.strip()
                                                             for n in corpus["names_keep"]]
        assert [g.name for g in shop.list_goods(s)] == [n.strip() for n in corpus["names_keep"]]
    before = _audit_count(centre_db)
    for bad in ("张\x00三", "张\x1b[31m三", "名\u202e字", "长" * 101):
        with pytest.raises(RuleError), centre_db.session() as s:
            service.create_team(s, admin, bad)
        with pytest.raises(RuleError), centre_db.session() as s:
            shop.add_goods(s, admin, bad, 10)
    with centre_db.read() as s:
        assert s.scalar(select(func.count()).select_from(VolunteerTeam)) == 12
    assert _audit_count(centre_db) == before


# -- categories and activities -----------------------------------------------------------

def test_a_changed_rule_counts_from_now_and_old_records_keep_their_points(
        centre_db: Database, admin: Actor, desk: Actor) -> None:
    rid = add_resident(centre_db, admin, "张三", "C0001")
    with centre_db.session() as s:
        cat = service.create_category(s, admin, "助老服务", 1)
        act = service.create_activity(s, admin, "助老陪伴", cat, cap_hours=2)
        vid = service.enroll(s, admin, rid).id
        first = service.add_record(s, desk, vid, act, desk.today(), hours=3, reason="补录")
    assert (first.credited_minutes, first.points) == (120, 2)
    with centre_db.session() as s:
        assert service.update_category(s, admin, cat, name="助老服务", points_per_hour=10) == (
            cat, "助老服务", 10)
        info = service.update_activity(s, admin, act, name="助老陪伴（上门）", category_id=cat,
                                       fixed_points=None, cap_hours=None, active=True)
    assert info.rule_text() == "每小时 10 分" and info.name == "助老陪伴（上门）"
    with centre_db.session() as s:
        second = service.add_record(s, desk, vid, act, desk.today(), hours=3, reason="补录")
        assert second.points == 30
        records = {r.id: r.points for r in service.list_records(s, vid)}
    assert records == {first.id: 2, second.id: 30}
    with centre_db.read() as s:
        actions = [r.action for r in audit.query_audit(s)][:4]
    assert "volunteer.activity.update" in actions and "volunteer.category.update" in actions


def test_stopping_an_activity_keeps_it_and_hides_it_from_the_desk(
        centre_db: Database, admin: Actor, desk: Actor) -> None:
    rid = add_resident(centre_db, admin, "张三", "C0001")
    with centre_db.session() as s:
        cat = service.create_category(s, admin, "助老服务", 1)
        act = service.create_activity(s, admin, "助老陪伴", cat)
        vid = service.enroll(s, admin, rid).id
        service.sign_in(s, desk, vid, act)
    with pytest.raises(RuleError, match="已签到未签退"), centre_db.session() as s:
        service.update_activity(s, admin, act, name="助老陪伴", category_id=cat,
                                fixed_points=None, cap_hours=None, active=False)
    with centre_db.session() as s:
        service.sign_out(s, desk, vid)
        service.update_activity(s, admin, act, name="助老陪伴", category_id=cat,
                                fixed_points=None, cap_hours=None, active=False)
    with centre_db.read() as s:
        assert service.list_activities(s) == []
        assert [a.active for a in service.list_activities(s, include_inactive=True)] == [False]
        assert setup.has_activities(s) is False


@pytest.mark.parametrize(("changes", "message"), [
    ({"name": ""}, "请填写“服务项目名称”"),
    ({"name": "名\x07字"}, "控制字符"),
    ({"fixed_points": 0}, "固定积分应在 1 到 1000"),
    ({"fixed_points": 5000}, "固定积分应在 1 到 1000"),
    ({"cap_hours": 25.0}, "0 到 24"),
    ({"cap_hours": float("nan")}, "0 到 24"),
    ({"name": "文明劝导"}, "已有名为“文明劝导”"),
])
def test_bad_activity_edits_are_refused_and_change_nothing(
        centre_db: Database, admin: Actor, changes: dict[str, object], message: str) -> None:
    with centre_db.session() as s:
        cat = service.create_category(s, admin, "助老服务", 1)
        act = service.create_activity(s, admin, "助老陪伴", cat, cap_hours=2)
        service.create_activity(s, admin, "文明劝导", cat, fixed_points=5)
    before = _audit_count(centre_db)
    values: dict[str, object] = {"name": "助老陪伴", "category_id": cat, "fixed_points": None,
                                 "cap_hours": 2.0, "active": True}
    values.update(changes)
    with pytest.raises(RuleError, match=message), centre_db.session() as s:
        service.update_activity(s, admin, act, **values)  # type: ignore[arg-type]
    with centre_db.read() as s:
        a = next(a for a in service.list_activities(s) if a.id == act)
    assert (a.name, a.cap_minutes, a.fixed_points) == ("助老陪伴", 120, None)
    assert _audit_count(centre_db) == before


def test_the_desk_cannot_change_rules(centre_db: Database, admin: Actor, desk: Actor) -> None:
    with centre_db.session() as s:
        cat = service.create_category(s, admin, "助老服务", 1)
    with pytest.raises(PermissionDenied), centre_db.session() as s:
        service.update_category(s, desk, cat, name="助老", points_per_hour=5)
    with pytest.raises(PermissionDenied), centre_db.session() as s:
        shop.add_goods(s, desk, "香皂", 12, opening_stock=3)
    with pytest.raises(PermissionDenied), centre_db.session() as s:
        setup.set_certificate_details(s, desk, head="王主任")


# -- the shop's opening stock ----------------------------------------------------------------

def test_opening_stock_is_a_recorded_movement(centre_db: Database, admin: Actor) -> None:
    with centre_db.session() as s:
        g = shop.add_goods(s, admin, "香皂", 12, "块", opening_stock=20)
        empty = shop.add_goods(s, admin, "炒锅", 40, "个")
    assert (g.stock, empty.stock) == (20, 0)
    with centre_db.read() as s:
        moves = s.scalars(select(StockMovement)).all()
        assert [(m.goods_id, m.kind, m.quantity, m.stock_after, m.reason) for m in moves] == [
            (g.id, "restock", 20, 20, "期初库存")]
        assert shop.stock_problems(s) == []


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"opening_stock": -1}, "期初库存不能是负数"),
    ({"opening_stock": 10_001}, "期初库存最多 10000"),
    ({"points_price": 0}, "兑换积分应为 1 到 100000"),
    ({"unit": "袋" * 17}, "“计量单位”太长"),
    ({"unit": "袋\x00"}, "控制字符"),
    ({"name": "香皂"}, "已有名为“香皂”的物品"),
])
def test_bad_shop_items_are_refused_and_change_nothing(
        centre_db: Database, admin: Actor, kwargs: dict[str, object], message: str) -> None:
    with centre_db.session() as s:
        shop.add_goods(s, admin, "香皂", 12, opening_stock=5)
    before = _audit_count(centre_db)
    values: dict[str, object] = {"name": "大米", "points_price": 44, "unit": "袋",
                                 "opening_stock": 3}
    values.update(kwargs)
    with pytest.raises(RuleError, match=message), centre_db.session() as s:
        shop.add_goods(s, admin, **values)  # type: ignore[arg-type]
    with centre_db.read() as s:
        assert [(g.name, g.stock) for g in shop.list_goods(s)] == [("香皂", 5)]
        assert s.scalar(select(func.count()).select_from(StockMovement)) == 1
        assert s.scalar(select(func.count()).select_from(Goods)) == 1
    assert _audit_count(centre_db) == before


def test_editing_and_retiring_an_item_keeps_its_stock(centre_db: Database,
                                                      admin: Actor) -> None:
    with centre_db.session() as s:
        g = shop.add_goods(s, admin, "香皂", 12, "块", opening_stock=5)
        shop.update_goods(s, admin, g.id, name="香皂（大）", unit="块", points_price=15,
                          active=False)
    with centre_db.read() as s:
        assert shop.list_goods(s) == []
        (kept,) = shop.list_goods(s, include_inactive=True)
        assert (kept.name, kept.points_price, kept.stock, kept.active) == (
            "香皂（大）", 15, 5, False)
        assert setup.has_goods(s) is False


# -- the certificate's details -------------------------------------------------------------

def test_certificate_details_are_set_checked_and_printed(centre_db: Database,
                                                         admin: Actor) -> None:
    with centre_db.read() as s:
        assert setup.certificate_details(s).missing() == ["负责人", "联系电话"]
        assert "负责人" in setup.certificate_warning(s)
    with centre_db.session() as s:
        d = setup.set_certificate_details(s, admin, head=" 王主任 ",
                                          contact="０５９５-８８８８１２３４",
                                          seal="测试社区居民委员会")
    assert d == setup.CertificateDetails("王主任", "0595-88881234", "测试社区居民委员会")
    with centre_db.read() as s:
        assert setup.certificate_warning(s) == ""
        assert settings.get(s, "volunteers.certificate_seal") == "测试社区居民委员会"
    for contact in ("139-0595-1234", "+86 13905951234", "(0595)88881234", "88881234"):
        with centre_db.session() as s:
            setup.set_certificate_details(s, admin, contact=contact)
    before = _audit_count(centre_db)
    for kwargs, message in (({"contact": "电话123"}, "电话号码格式不对"),
                            ({"head": "王\n主任", "contact": "13905951234"}, "换行"),
                            ({"seal": "章" * 101}, "“印章文字”太长"),
                            ({"head": "王" * 51}, "“负责人”太长")):
        with pytest.raises(RuleError, match=message), centre_db.session() as s:
            setup.set_certificate_details(s, admin, **kwargs)
    with centre_db.read() as s:
        assert setup.certificate_details(s) == setup.CertificateDetails(
            "王主任", "88881234", "测试社区居民委员会")
    assert _audit_count(centre_db) == before


def test_the_certificate_prints_the_seal_text(centre_db: Database, admin: Actor) -> None:
    from frontdesk.volunteers.papers import certificate_pdf
    from tests.documents.helpers import plumber_pages, squash

    rid = add_resident(centre_db, admin, "张三", "C0001")
    with centre_db.session() as s:
        cat = service.create_category(s, admin, "助老服务", 1)
        act = service.create_activity(s, admin, "助老陪伴", cat)
        vid = service.enroll(s, admin, rid).id
        service.add_record(s, admin, vid, act, admin.today(), hours=2, reason="补录")
        setup.set_certificate_details(s, admin, head="王主任", contact="0595-88881234",
                                      seal="测试社区居民委员会")
        cert = reports.issue_certificate(s, admin, vid, admin.today(), admin.today())
        pdf = certificate_pdf(s, admin, cert)
    assert (cert.head, cert.contact, cert.seal) == ("王主任", "0595-88881234", "测试社区居民委员会")
    text = squash(plumber_pages(pdf)[0])
    for expected in ("出具单位（盖章）：测试社区居民委员会", "负责人（签字）：王主任",
                     "0595-88881234", "测试社区居民委员会（盖章处）"):
        assert expected in text, expected


# -- readiness ----------------------------------------------------------------------------

def test_readiness_from_an_empty_centre_to_a_set_up_one(centre_db: Database,
                                                        admin: Actor) -> None:
    with centre_db.read() as s:
        items = setup.readiness(s)
    assert [(i.job, i.ready, i.needed, i.page, i.tab) for i in items] == [
        ("志愿服务项目与积分规则", False, True, "volunteers", "teams"),
        ("志愿服务队", False, False, "volunteers", "teams"),
        ("积分超市的物品", False, False, "volunteers", "stock"),
        ("志愿服务证明信息", False, False, "volunteers", "teams")]
    assert all(i.missing for i in items)
    assert "无法记分" in items[0].missing and "负责人、联系电话" in items[3].missing
    with centre_db.session() as s:
        cat = service.create_category(s, admin, "助老服务", 1)
        service.create_activity(s, admin, "助老陪伴", cat)
        service.create_team(s, admin, "党员先锋服务队")
        g = shop.add_goods(s, admin, "香皂", 12)
    with centre_db.read() as s:
        items = setup.readiness(s)
    assert [i.ready for i in items] == [True, True, False, False]
    assert items[2].missing == "积分超市的物品都没有库存，请先入库。"
    with centre_db.session() as s:
        shop.restock(s, admin, g.id, 5)
        setup.set_certificate_details(s, admin, head="王主任", contact="13905951234")
    with centre_db.read() as s:
        items = setup.readiness(s)
    assert [(i.ready, i.missing) for i in items] == [(True, "")] * 4


def test_readiness_reads_in_english(centre_db: Database) -> None:
    set_language("en")
    with centre_db.read() as s:
        items = setup.readiness(s)
    assert items[0].job == "Volunteer activities and points rules"
    assert items[3].missing == "Not filled in yet: Person in charge, Contact phone"
