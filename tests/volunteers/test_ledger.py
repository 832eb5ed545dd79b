"""The points ledger's hash chain: intact, and every kind of tampering detected."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from frontdesk.core.errors import RuleError
from frontdesk.volunteers import ledger, service, shop

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def history(vdb, desk):
    """Four entries for two volunteers: earned, earned, redeemed, earned."""
    db, s = vdb
    with db.session() as session:
        service.add_record(session, desk, s.vol_a, s.tenfold, TODAY, hours=2, reason="补录")
        service.add_record(session, desk, s.vol_b, s.tenfold, TODAY, hours=1, reason="补录")
        shop.redeem(session, desk, s.vol_a, [shop.BasketLine(s.soap, 1)])
        service.add_record(session, desk, s.vol_b, s.fixed, TODAY, hours=1, reason="补录")
    return db, s


def _verify(db):
    with db.read() as session:
        return ledger.verify_ledger(session)


def test_intact_chain_verifies_and_balances_match(history) -> None:
    db, s = history
    check = _verify(db)
    assert check.intact and check.entries == 4
    with db.read() as session:
        assert service.balance(session, s.vol_a) == 8
        assert service.balance(session, s.vol_b) == 15
        entries = service.list_entries(session)
        assert [e.id for e in entries] == [4, 3, 2, 1]


def test_entry_edited_with_sql_is_detected(history) -> None:
    db, _ = history
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE points_entry SET points = 200 WHERE id = 1"))
    check = _verify(db)
    assert not check.intact
    assert 1 in {p.entry_id for p in check.problems}
    assert any("改动" in p.problem for p in check.problems)


def test_entry_edited_consistently_still_breaks_the_hash(history) -> None:
    db, _ = history
    with db.engine.begin() as conn:  # a careful forger fixes the balances too
        conn.execute(text("UPDATE points_entry SET points = 120, balance_after = 120 "
                          "WHERE id = 1"))
        conn.execute(text("UPDATE points_entry SET balance_after = 108 WHERE id = 3"))
        conn.execute(text("UPDATE volunteer SET balance = 108 WHERE id = 1"))
    assert {p.entry_id for p in _verify(db).problems} == {1, 3}


def test_deleted_entry_is_detected(history) -> None:
    db, _ = history
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM points_entry WHERE id = 2"))
    problems = _verify(db).problems
    assert any(p.entry_id == 3 and "缺失" in p.problem for p in problems)


def test_deleted_last_entry_is_detected(history) -> None:
    db, _ = history
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM points_entry WHERE id = 4"))
    problems = _verify(db).problems
    assert any("链尾" in p.problem for p in problems)


def test_balance_column_edited_is_detected(history) -> None:
    db, _ = history
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE volunteer SET balance = 999 WHERE id = 2"))
    problems = _verify(db).problems
    assert len(problems) == 1 and "999" in problems[0].problem


def test_the_balance_can_never_go_negative(history, desk) -> None:
    db, s = history
    with db.session() as session, pytest.raises(RuleError, match="积分不足"):
        ledger.append(session, desk, s.vol_a, "adjusted", -9)
    assert _verify(db).intact


def test_new_entries_continue_the_chain_after_reopening(history, desk) -> None:
    db, s = history
    with db.session() as session:
        e = ledger.append(session, desk, s.vol_a, "adjusted", 1, reason="测试")
        assert e.id == 5
        assert e.prev_hash == session.get(type(e), 4).hash
    assert _verify(db).intact
