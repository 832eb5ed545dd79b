"""Editing and stopping volunteers, teams and goods: audited, and a stopped one is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from frontdesk.core.audit import AuditEntry
from frontdesk.core.errors import PermissionDenied, RuleError
from frontdesk.residents.activity import ACTIVITY_PROVIDERS
from frontdesk.volunteers import activity, service, shop

TODAY = dt.date(2026, 11, 22)


def actions(db, action: str) -> list[str]:
    with db.read() as session:
        return [e.summary for e in session.scalars(
            select(AuditEntry).where(AuditEntry.action == action))]


def test_a_stopped_volunteer_keeps_points_but_cannot_serve_or_redeem(vdb, desk, admin) -> None:
    db, s = vdb
    with db.session() as session:
        service.add_record(session, desk, s.vol_a, s.tenfold, TODAY, hours=2, reason="补录")
    with db.session() as session, pytest.raises(PermissionDenied):
        service.update_volunteer(session, desk, s.vol_a, team_id=s.team, skills="", active=False)
    with db.session() as session:  # the desk may change team and skills
        v = service.update_volunteer(session, desk, s.vol_a, team_id=None, skills="剪发、修伞",
                                     active=True)
        assert (v.team, v.skills) == ("", "剪发、修伞")
        v = service.update_volunteer(session, admin, s.vol_a, team_id=s.team, skills="剪发",
                                     active=False)
    assert not v.active and v.balance == 20 and v.team == "党员先锋服务队"
    for action in (lambda se: service.sign_in(se, desk, s.vol_a, s.hourly),
                   lambda se: shop.redeem(se, desk, s.vol_a, [shop.BasketLine(s.soap, 1)])):
        with db.session() as session, pytest.raises(RuleError, match="已停用"):
            action(session)
    assert len(actions(db, "volunteer.update")) == 2
    assert "剪发" in actions(db, "volunteer.update")[-1]


def test_a_volunteer_still_signed_in_cannot_be_stopped(vdb, desk, admin) -> None:
    db, s = vdb
    with db.session() as session:
        service.sign_in(session, desk, s.vol_b, s.hourly)
    with db.session() as session, pytest.raises(RuleError, match="请先签退"):
        service.update_volunteer(session, admin, s.vol_b, team_id=None, skills="", active=False)


def test_teams_are_renamed_given_a_leader_and_stopped(vdb, desk, admin) -> None:
    db, s = vdb
    with db.session() as session, pytest.raises(PermissionDenied):
        service.update_team(session, desk, s.team, name="x", leader_resident_id=None,
                            active=True)
    with db.session() as session:
        service.create_team(session, admin, "银发志愿者")
        with pytest.raises(RuleError, match="已有名为“银发志愿者”的队伍"):
            service.update_team(session, admin, s.team, name="银发志愿者",
                                leader_resident_id=None, active=True)
    with db.session() as session:
        team = service.update_team(session, admin, s.team, name="党员先锋队",
                                   leader_resident_id=s.res_c, active=False)
    assert (team.name, team.leader, team.leader_card, team.active, team.members) == (
        "党员先锋队", "王五", "C0003", False, 1)
    with db.read() as session:
        assert [name for _tid, name, _l in service.list_teams(session)] == ["银发志愿者"]
        assert [t.name for t in service.team_details(session)] == ["党员先锋队", "银发志愿者"]
    assert "党员先锋队" in actions(db, "volunteer.team.update")[0]


def test_goods_are_renamed_repriced_and_taken_off_the_shelf(vdb, desk, admin) -> None:
    db, s = vdb
    with db.session() as session, pytest.raises(PermissionDenied):
        shop.update_goods(session, desk, s.soap, name="香皂", unit="块", points_price=10,
                          active=True)
    with db.session() as session:
        service.adjust(session, admin, s.vol_a, 100, "奖励")
        first = shop.redeem(session, desk, s.vol_a, [shop.BasketLine(s.soap, 1)])
        with pytest.raises(RuleError, match="1 到 100000"):
            shop.update_goods(session, admin, s.soap, name="香皂", unit="块", points_price=0,
                              active=True)
        g = shop.update_goods(session, admin, s.soap, name="硫磺皂", unit="块", points_price=15,
                              active=False)
    assert (g.name, g.points_price, g.active, g.stock) == ("硫磺皂", 15, False, 9)
    with db.session() as session, pytest.raises(RuleError, match="已下架"):
        shop.redeem(session, desk, s.vol_a, [shop.BasketLine(s.soap, 1)])
    with db.read() as session:
        # The earlier redemption keeps the name and price it had.
        kept = shop.receipt(session, first.redemption_id)
        assert (kept.lines[0].name, kept.lines[0].unit_points) == ("香皂", 12)
        assert [x.name for x in shop.list_goods(session)] == ["炒锅", "大米"]
        assert "硫磺皂" in [x.name for x in shop.list_goods(session, include_inactive=True)]
    assert actions(db, "shop.goods.update") == ["香皂/块/12/on → 硫磺皂/块/15/off"]


def test_a_residents_record_shows_their_volunteering(vdb, desk, admin) -> None:
    db, s = vdb
    assert "frontdesk.volunteers.activity:recent_activity" in ACTIVITY_PROVIDERS
    with db.session() as session:
        service.add_record(session, desk, s.vol_a, s.tenfold, TODAY, hours=2, reason="补录")
        shop.redeem(session, desk, s.vol_a, [shop.BasketLine(s.soap, 1)])
        service.sign_in(session, desk, s.vol_a, s.hourly)
    with db.read() as session:
        with_a = session.scalar(select(service.Volunteer.resident_id)
                                .where(service.Volunteer.id == s.vol_a))
        items = activity.recent_activity(session, with_a, 10)
        assert activity.recent_activity(session, s.res_c, 10) == []
    summaries = [i.summary for i in items]
    assert "垃圾分类宣传：2 小时，20 积分" in summaries
    assert any(t.startswith("积分兑换 DH20261122-0001：香皂×1，12 积分") for t in summaries)
    assert "助老陪伴：已签到，服务中" in summaries
    assert {i.area for i in items} == {"志愿服务"}
