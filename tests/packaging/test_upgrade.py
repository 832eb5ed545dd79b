"""Installing a newer version over an older one: the old database is backed up, then migrated
at start, and every row survives.

The "previous release" databases are made the way an older program left them: a fresh file
migrated only up to an older revision, filled with plain SQL in that revision's schema.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from frontdesk.cli import main
from frontdesk.core.db import Database
from frontdesk.core.migrate import alembic_config, current_revisions
from frontdesk.core.operators import authenticate, hash_password
from frontdesk.core.paths import backup_dir
from frontdesk.migrations import SCHEMA_HEADS

T0 = "2026-03-02 01:30:00.000000"  # UTC, as AwareDateTime stores it
OLD_PASSWORD = "old-release-pw1"
RESIDENTS = [  # name, sex, birth date, ID number, phone, tags
    ("陈美玲", "F", "1948-05-12", "350582194805120023", "13905951234", ("高龄", "独居")),
    ("吴志强", "M", "1952-11-03", "350582195211030019", "13805957788", ("低保",)),
    ("林𠮷祥", "M", "1960-01-20", "350582196001200035", None, ()),
    ("王秀英", "F", "1939-08-08", "350582193908080046", "05958123456", ("高龄", "失能")),
]


def migrate_to(path: Path, revision: str) -> None:
    """A fresh SQLite file at ``revision``, as an older release would have made it."""
    db = Database(f"sqlite:///{path}")
    with db.engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)
    db.dispose()


def fill_foundation_and_residents(conn: sqlite3.Connection) -> None:
    """A centre, two operators, settings, audit rows and residents with tags (0002 schema)."""
    conn.executemany(
        "INSERT INTO setting_value (key, value_json, updated_at, updated_by) VALUES (?, ?, ?, ?)",
        [("centre.name", json.dumps("梅岭街道邻里中心", ensure_ascii=False), T0, "system"),
         ("centre.code", json.dumps("JJML01"), T0, "system"),
         ("centre.town", json.dumps("梅岭街道", ensure_ascii=False), T0, "system")])
    conn.executemany(
        "INSERT INTO operator (id, username, display_name, role, password_hash, active, "
        "failed_logins, created_at) VALUES (?, ?, ?, ?, ?, 1, 0, ?)",
        [(1, "admin", "王站长", "admin", hash_password(OLD_PASSWORD), T0),
         (2, "lin", "林社工", "desk", hash_password("desk-password1"), T0)])
    for rid, (name, sex, birth, number, phone, tags) in enumerate(RESIDENTS, start=1):
        conn.execute(
            "INSERT INTO resident (id, name, sex, birth_date, id_type, id_number, phone, "
            "address, status, temporary, consent_general, consent_sensitive, "
            "consent_guardian, created_at, updated_at, name_pinyin, name_initials, change_seq) "
            "VALUES (?, ?, ?, ?, 'resident_id', ?, ?, '梅岭街道岭山社区', 'active', 0, 1, ?, 0, "
            "?, ?, '', '', ?)",
            (rid, name, sex, birth, number, phone, int(bool(tags)), T0, T0, rid))
        conn.executemany("INSERT INTO resident_tag (resident_id, tag) VALUES (?, ?)",
                         [(rid, tag) for tag in tags])
        conn.execute(
            "INSERT INTO audit_entry (at, business_date, operator_username, action, entity, "
            "entity_id, summary) VALUES (?, '2026-03-02', 'admin', 'resident.create', "
            "'resident', ?, ?)", (T0, str(rid), f"登记居民 {name}"))


def fill_canteen(conn: sqlite3.Connection) -> None:
    """Funders, a lunch session and two tickets with each funder's share (0005 schema)."""
    conn.executemany(
        "INSERT INTO canteen_funder (id, name, is_self, active, sort_order) VALUES (?, ?, ?, 1, ?)",
        [(1, "政府补助", 0, 1), (2, "村级筹资", 0, 2), (3, "个人", 1, 3)])
    conn.execute(
        "INSERT INTO canteen_session (id, name, start_time, end_time, price_fen, menu, active, "
        "sort_order) VALUES (1, '午餐', '11:00', '13:00', 1000, '三菜一汤', 1, 1)")
    tickets = [(1, "L20260302-001", 1, "陈美玲", "高龄", 300, {1: 500, 2: 200, 3: 300}),
               (2, "L20260302-002", 2, "吴志强", "低保", 100, {1: 700, 2: 200, 3: 100})]
    for tid, number, rid, name, category, self_pay, shares in tickets:
        conn.execute(
            "INSERT INTO canteen_ticket (id, number, business_date, session_id, session_name, "
            "meal_type, diner_kind, resident_id, diner_name, category, price_fen, self_pay_fen, "
            "subsidised, subsidy_slot, rule_reason, payment, follow_up_done, issued_at, "
            "issued_by, printed_count, voided) VALUES (?, ?, '2026-03-02', 1, '午餐', 'dine_in', "
            "'elder', ?, ?, ?, 1000, ?, 1, 1, '按规则补助', 'cash', 0, ?, 'lin', 1, 0)",
            (tid, number, rid, name, category, self_pay, T0))
        names = {1: "政府补助", 2: "村级筹资", 3: "个人"}
        conn.executemany(
            "INSERT INTO canteen_ticket_share (ticket_id, funder_id, funder_name, amount_fen) "
            "VALUES (?, ?, ?, ?)", [(tid, f, names[f], fen) for f, fen in shares.items()])


def table_counts(path: Path) -> dict[str, int]:
    """Rows per table (without alembic_version)."""
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name != 'alembic_version' "
            "AND name NOT LIKE 'sqlite_%'")]
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


@pytest.mark.parametrize("old_revision", ["0002_residents", "0005_canteen"])
def test_a_previous_release_database_is_backed_up_and_migrated_at_start(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], old_revision: str) -> None:
    path = tmp_path / "frontdesk.sqlite3"
    migrate_to(path, old_revision)
    with sqlite3.connect(path) as conn:
        fill_foundation_and_residents(conn)
        if old_revision >= "0005":
            fill_canteen(conn)
    before = table_counts(path)
    assert before["resident"] == len(RESIDENTS)

    # The newer program starts on the old file: any command opens (and upgrades) it.
    assert main(["--db", str(path), "residents", "find", "陈美玲", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert [hit["name"] for hit in found][:1] == ["陈美玲"]

    db = Database(f"sqlite:///{path}")
    assert current_revisions(db) == set(SCHEMA_HEADS)
    after = table_counts(path)
    for table, rows in before.items():
        assert after[table] >= rows, table  # start-up may add rows (new defaults), never lose
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM resident ORDER BY id")).scalars().all() == [
            r[0] for r in RESIDENTS]
        assert sorted(conn.execute(text(
            "SELECT tag FROM resident_tag WHERE resident_id = 4")).scalars()) == ["失能", "高龄"]
        if old_revision >= "0005":
            shares = conn.execute(text(
                "SELECT t.number, t.self_pay_fen, SUM(s.amount_fen) FROM canteen_ticket t "
                "JOIN canteen_ticket_share s ON s.ticket_id = t.id GROUP BY t.id ORDER BY t.id"
            )).all()
            assert [tuple(row) for row in shares] == [("L20260302-001", 300, 1000),
                                                       ("L20260302-002", 100, 1000)]
    with db.session() as session:  # the old release's password still logs in
        login = authenticate(session, "admin", OLD_PASSWORD)
        assert login.actor is not None and login.actor.username == "admin"
    db.dispose()

    # The backup was taken before the upgrade: the old revision with every old row.
    backups = sorted(backup_dir().glob("frontdesk-*-pre-upgrade.sqlite3"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == (
            old_revision)
    assert table_counts(backups[0]) == before
