"""Several centres in one PostgreSQL database: a schema per centre, the town registry,
the town admin role, the town export, and refusals of a wrong centre."""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from frontdesk.canteen import service as canteen
from frontdesk.canteen.models import MealTicket
from frontdesk.canteen.setup import install_reference_canteen
from frontdesk.checkin import service as checkin
from frontdesk.checkin.models import Checkin
from frontdesk.cli import main
from frontdesk.core import operators
from frontdesk.core.actor import ROLE_TOWN, Actor
from frontdesk.core.audit import AuditEntry
from frontdesk.core.centre import centre_info
from frontdesk.core.clock import CENTRE_TZ
from frontdesk.core.dayguard import ClosedDay
from frontdesk.core.db import Database
from frontdesk.core.errors import RuleError
from frontdesk.core.migrate import current_revisions, open_database
from frontdesk.dayclose.service import close_day
from frontdesk.dayclose.town import read_package
from frontdesk.migrations import SCHEMA_HEADS
from frontdesk.residents.models import Resident
from frontdesk.residents.service import ResidentForm, create_resident
from frontdesk.rooms import service as rooms
from frontdesk.rooms.models import Booking
from frontdesk.town import TOWN_HEADS
from frontdesk.town import service as town
from frontdesk.town.migrate import town_revisions
from frontdesk.volunteers import service as volunteers

from .conftest import CENTRE_PASSWORD, LUNCH, TOWN_ADMIN, TOWN_PASSWORD, Town

PG_URL = os.environ.get("FRONTDESK_TEST_PG_URL", "")
pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(not PG_URL, reason="FRONTDESK_TEST_PG_URL is not set")]
DAY = LUNCH.date()
ACKS = ("checkin.open", "checkin.sheet_unprinted", "cash.not_counted")
CLI_ACKS = [arg for code in ACKS for arg in ("--ack", code)]


@dataclass(frozen=True)
class Written:
    card_code: str
    ticket_number: str
    volunteer_id: int
    points: int


def _actor(db: Database, username: str, town_db: Town) -> Actor:
    with db.session() as session:
        return operators.resolve_cli_operator(session, username, town_db.clock)


def _fill(db: Database, actor: Actor) -> Written:
    """A resident, a check-in, a canteen ticket, a booking and volunteer points."""
    with db.session() as s:
        resident = create_resident(
            s, actor, ResidentForm(name="王秀英", birth_date=dt.date(1940, 3, 1),
                                   id_type="none", phone="13800001111"),
            card_rng=random.Random(7))
        purpose = checkin.save_purpose(s, actor, None, name="休闲娱乐", area="elder")
    with db.session() as s:
        checkin.check_in(s, actor, code=resident.card_code, purpose_id=purpose.id)
        install_reference_canteen(s, actor)
    with db.session() as s:
        ticket = canteen.issue_ticket(s, actor, resident_id=resident.id)
        room = rooms.create_room(s, actor, "多功能厅")
        rooms.book(s, actor, rooms.BookingRequest(
            room.id, dt.datetime(2026, 11, 23, 9, 0, tzinfo=CENTRE_TZ),
            dt.datetime(2026, 11, 23, 10, 0, tzinfo=CENTRE_TZ), rooms.internal_booker("社工站")))
        category = volunteers.create_category(s, actor, "助老服务", 10)
        activity = volunteers.create_activity(s, actor, "助老陪伴", category)
        volunteer = volunteers.enroll(s, actor, resident.id)
        volunteers.add_record(s, actor, volunteer.id, activity, DAY, reason="补录", hours=2)
        points = volunteers.balance(s, volunteer.id)
    assert points > 0
    return Written(str(resident.card_code), ticket.number, volunteer.id, points)


def _counts(db: Database) -> dict[str, int]:
    with db.read() as s:
        return {name: s.scalar(select(func.count()).select_from(model)) or 0
                for name, model in (("residents", Resident), ("checkins", Checkin),
                                    ("tickets", MealTicket), ("bookings", Booking),
                                    ("closed_days", ClosedDay))}


def test_each_centre_is_migrated_from_empty_in_its_own_schema(town_db: Town) -> None:
    a, b = town_db.centre("AA"), town_db.centre("bb")
    assert current_revisions(a) == current_revisions(b) == set(SCHEMA_HEADS)
    assert town_revisions(town_db.whole()) == set(TOWN_HEADS)
    with town_db.whole().engine.connect() as conn:
        tables = dict(conn.execute(text(
            "SELECT table_schema, count(*) FROM information_schema.tables "
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') GROUP BY 1")).all())
    assert set(tables) == {"centre_aa", "centre_bb", "town"}  # nothing in public
    assert tables["centre_aa"] == tables["centre_bb"] > 30
    with a.read() as s:
        assert centre_info(s).name == "阳光邻里中心" and centre_info(s).town == "测试街道"
        assert s.execute(text("SHOW search_path")).scalar() == "centre_aa"


def test_records_of_one_centre_are_invisible_in_the_other(town_db: Town) -> None:
    a, b = town_db.centre("AA"), town_db.centre("BB")
    in_a = _fill(a, _actor(a, "adminA", town_db))
    assert _counts(a) == {"residents": 1, "checkins": 1, "tickets": 1, "bookings": 1,
                          "closed_days": 0}
    assert set(_counts(b).values()) == {0}
    with b.read() as s:
        assert s.scalar(select(Resident).where(Resident.card_code == in_a.card_code)) is None
        assert volunteers.list_volunteers(s) == []
    # The same card code, ticket number and day-close date in both: numbering and unique
    # rules are per centre.
    in_b = _fill(b, _actor(b, "adminB", town_db))
    assert (in_b.card_code, in_b.ticket_number) == (in_a.card_code, in_a.ticket_number)
    for db, admin in ((a, "adminA"), (b, "adminB")):
        with db.session() as s:
            close_day(s, _actor(db, admin, town_db), DAY, acknowledged=set(ACKS))
    assert _counts(a) == _counts(b) == {"residents": 1, "checkins": 1, "tickets": 1,
                                        "bookings": 1, "closed_days": 1}
    with town_db.whole().read() as s:
        listed = {c.code: c.last_closed_day for c in town.list_centres(s)}
    assert listed == {"aa": DAY, "bb": DAY}


def test_an_operator_of_one_centre_cannot_log_in_to_another(town_db: Town) -> None:
    a, b = town_db.centre("AA"), town_db.centre("BB")
    with a.session() as s:
        assert operators.authenticate(s, "adminA", CENTRE_PASSWORD, town_db.clock).ok
    with b.session() as s:
        refused = operators.authenticate(s, "adminA", CENTRE_PASSWORD, town_db.clock)
        assert not refused.ok and refused.message == "用户名或密码错误。"
    with b.session() as s, pytest.raises(RuleError, match="没有这个操作员"):
        operators.resolve_cli_operator(s, "adminA")


def test_a_town_admin_logs_in_to_each_centre_through_a_mirror_operator(town_db: Town) -> None:
    a, b = town_db.centre("AA"), town_db.centre("BB")
    for db in (a, b):
        with db.session() as s:
            wrong = operators.authenticate(s, TOWN_ADMIN, "not-it", town_db.clock)
            assert not wrong.ok and "还可以再试" in wrong.message
        with db.session() as s:
            result = operators.authenticate(s, TOWN_ADMIN, TOWN_PASSWORD, town_db.clock)
        assert result.actor is not None and result.actor.role == ROLE_TOWN
        assert result.actor.is_admin and result.actor.display_name == "张镇长"
        with db.session() as s:  # the mirror row: role town, a hash no password matches
            mirror = operators.get_operator(s, TOWN_ADMIN)
            assert mirror.role == ROLE_TOWN and mirror.id == result.actor.operator_id
            assert not operators.verify_password(mirror.password_hash, TOWN_PASSWORD)
            assert not operators.verify_password(mirror.password_hash, "")
            entries = s.scalars(select(AuditEntry).where(
                AuditEntry.operator_id == mirror.id).order_by(AuditEntry.id)).all()
            assert [e.action for e in entries] == ["operator.create", "town.enter"]
            assert entries[-1].operator_username == TOWN_ADMIN
    # Working in a centre as an admin does: a write carries the mirror operator.
    with a.session() as s:
        actor = operators.resolve_cli_operator(s, TOWN_ADMIN, town_db.clock)
    with a.session() as s:
        admin_b = operators.create_operator(s, actor, "lin", "林前台", "desk", "desk-secret")
        created = s.scalars(select(AuditEntry).where(AuditEntry.action == "operator.create",
                                                     AuditEntry.entity_id == str(admin_b.id))
                            ).one()
        assert created.operator_id == actor.operator_id
        assert created.operator_username == TOWN_ADMIN
    # The centre cannot take the mirror row over (a password, a role, a lock).
    with a.session() as s:
        admin_a = operators.resolve_cli_operator(s, "adminA", town_db.clock)
        with pytest.raises(RuleError, match="镇街统一管理"):
            operators.set_password(s, admin_a, TOWN_ADMIN, "centre-made")
        with pytest.raises(RuleError, match="镇街统一管理"):
            operators.update_operator(s, admin_a, TOWN_ADMIN, role="desk")
    with a.read() as s:
        assert operators.get_operator(s, TOWN_ADMIN).role == ROLE_TOWN


def test_a_town_admin_is_locked_after_too_many_wrong_passwords(town_db: Town) -> None:
    whole = town_db.whole()
    for _ in range(4):
        assert not town.town_login(whole, TOWN_ADMIN, "wrong", town_db.clock).ok
    locked = town.town_login(whole, TOWN_ADMIN, "wrong", town_db.clock)
    assert "已锁定" in locked.message
    assert "已锁定" in town.town_login(whole, TOWN_ADMIN, TOWN_PASSWORD, town_db.clock).message


def test_a_centre_operator_name_is_never_taken_over_by_a_town_admin(town_db: Town) -> None:
    whole = town_db.whole()
    town.add_town_admin(whole, TOWN_ADMIN, "adminA", "other-secret", "另一位", town_db.clock)
    a = town_db.centre("AA")
    with a.session() as s:  # adminA of centre AA logs in as itself, not as the town admin
        result = operators.authenticate(s, "adminA", CENTRE_PASSWORD, town_db.clock)
        assert result.actor is not None and result.actor.role == "admin"
    with a.session() as s, pytest.raises(RuleError, match="同名的操作员"):
        town.enter_centre(s, town.active_admin(s, "adminA"), town_db.clock)


@pytest.mark.usefixtures("process_clock")  # the CLI acts by the process clock
def test_cli_centre_option_and_town_commands(town_db: Town, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    url = town_db.url
    # Records and a closed day in each centre, closed through the CLI by the town admin.
    for code, admin in (("AA", "adminA"), ("BB", "adminB")):
        db = town_db.centre(code)
        _fill(db, _actor(db, admin, town_db))
        db.dispose()
    assert main(["--db", url, "--centre", "AA", "close", "--date", DAY.isoformat(),
                 "--operator", TOWN_ADMIN, *CLI_ACKS]) == 0
    monkeypatch.setenv("FRONTDESK_CENTRE", "bb")  # the environment variable works too
    assert main(["--db", url, "close", "--date", DAY.isoformat(), "--operator", TOWN_ADMIN,
                 *CLI_ACKS]) == 0
    monkeypatch.delenv("FRONTDESK_CENTRE")
    capsys.readouterr()
    assert main(["--db", url, "town", "centres"]) == 0
    out = capsys.readouterr().out
    assert "测试街道" in out and "阳光邻里中心" in out and "月亮邻里中心" in out
    assert out.count(DAY.isoformat()) == 2
    # The town export: every centre's day package, merged into one workbook.
    out_dir = tmp_path / "usb"
    out_dir.mkdir()
    assert main(["--db", url, "town", "export", "--date", DAY.isoformat(), "--out",
                 str(out_dir), "--operator", TOWN_ADMIN]) == 0
    zips = sorted(out_dir.glob("*.zip"))
    assert [p.name for p in zips] == ["AA_20261122.zip", "BB_20261122.zip"]
    packages = [read_package(p) for p in zips]
    assert [(p.centre_code, p.centre_name, p.town, p.draft) for p in packages] == [
        ("AA", "阳光邻里中心", "测试街道", False), ("BB", "月亮邻里中心", "测试街道", False)]
    from openpyxl import load_workbook

    book = load_workbook(out_dir / "town-20261122.xlsx", read_only=True)
    cells = {str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
             for c in row if c is not None}
    book.close()
    assert {"AA", "BB", "阳光邻里中心", "月亮邻里中心"} <= cells
    # Each centre's audit log shows the town admin (the mirror operator) exporting.
    for code in ("AA", "BB"):
        with town_db.centre(code).read() as s:
            actions = set(s.scalars(select(AuditEntry.action).where(
                AuditEntry.operator_username == TOWN_ADMIN)))
        assert {"town.enter", "day.close", "day.export"} <= actions


@pytest.mark.usefixtures("process_clock")  # the CLI acts by the process clock
def test_a_day_not_closed_in_one_centre_leaves_it_out_of_the_town_export(
        town_db: Town, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = town_db.centre("AA")
    with a.session() as s:
        close_day(s, _actor(a, "adminA", town_db), DAY, acknowledged=set(ACKS))
    capsys.readouterr()
    code = main(["--db", town_db.url, "town", "export", "--date", DAY.isoformat(), "--out",
                 str(tmp_path), "--operator", TOWN_ADMIN])
    captured = capsys.readouterr()
    assert code == 1 and "未导出：bb" in captured.err
    assert [p.name for p in tmp_path.glob("*.zip")] == ["AA_20261122.zip"]
    assert (tmp_path / "town-20261122.xlsx").is_file()


@pytest.mark.usefixtures("process_clock")  # the CLI acts by the process clock
def test_an_unknown_centre_or_none_on_a_town_database_exits_1_with_a_message(
        town_db: Town, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["--db", town_db.url, "--centre", "ZZ", "residents", "find", "王"]) == 1
    err = capsys.readouterr().err
    assert "没有编码为“zz”的中心" in err and "aa、bb" in err
    assert main(["--db", town_db.url, "residents", "find", "王"]) == 1
    assert "请用 --centre 或 FRONTDESK_CENTRE 选择中心" in capsys.readouterr().err
    assert main(["--db", town_db.url, "--centre", "bad code!", "residents", "find", "王"]) == 1
    assert "中心编码无效" in capsys.readouterr().err
    with town_db.whole().engine.connect() as conn:  # nothing was created for them
        schemas = set(conn.execute(text("SELECT nspname FROM pg_namespace")).scalars())
    assert {"centre_aa", "centre_bb", "town"} <= schemas
    assert not any(s.startswith("centre_") and s not in ("centre_aa", "centre_bb")
                   for s in schemas)
    with town_db.whole().engine.connect() as conn:
        assert conn.execute(text("SELECT to_regclass('public.operator')")).scalar() is None


@pytest.mark.usefixtures("process_clock")  # the CLI acts by the process clock
def test_a_single_centre_postgresql_database_keeps_working_and_cannot_become_a_town(
        pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = open_database(pg_url)
    try:
        with db.session() as s:
            from frontdesk.core.centre import initialise

            initialise(s, centre_name="单中心", centre_code="ONE", town="某镇",
                       admin_username="admin", admin_password=CENTRE_PASSWORD)
        with db.read() as s:
            assert s.execute(text("SHOW search_path")).scalar() == '"$user", public'
    finally:
        db.dispose()
    password = tmp_path / "pw"
    password.write_text(TOWN_PASSWORD, encoding="utf-8")
    capsys.readouterr()
    assert main(["--db", pg_url, "town", "init", "--town", "某镇", "--admin", "zhang",
                 "--password-file", str(password)]) == 1
    assert "单中心" in capsys.readouterr().err
    assert main(["--db", pg_url, "--centre", "ONE", "residents", "find", "王"]) == 1
    assert "不是镇街共用数据库" in capsys.readouterr().err


@pytest.mark.usefixtures("process_clock")  # the CLI acts by the process clock
def test_cli_sets_up_a_town_from_nothing(pg_url: str, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    password = tmp_path / "pw"
    password.write_text(TOWN_PASSWORD + "\n", encoding="utf-8")
    assert main(["--db", pg_url, "town", "init", "--town", "梅岭街道", "--admin", "zhang",
                 "--password-file", str(password)]) == 0
    assert main(["--db", pg_url, "town", "init", "--town", "梅岭街道", "--admin", "li",
                 "--password-file", str(password)]) == 1
    assert main(["--db", pg_url, "town", "add-centre", "--code", "GS-01", "--name", "桂山中心",
                 "--admin", "guishan", "--password-file", str(password),
                 "--operator", "zhang"]) == 0
    assert main(["--db", pg_url, "town", "add-centre", "--code", "gs-01", "--name", "又一个",
                 "--admin", "x1", "--password-file", str(password),
                 "--operator", "zhang"]) == 1
    assert main(["--db", pg_url, "town", "add-centre", "--code", "XX", "--name", "坏中心",
                 "--admin", "x", "--password-file", str(password),
                 "--operator", "zhang"]) == 1  # the admin's username is too short
    assert "已被使用" in capsys.readouterr().err
    capsys.readouterr()
    assert main(["--db", pg_url, "town", "centres", "--json"]) == 0
    import json

    listed = json.loads(capsys.readouterr().out)
    assert [c["code"] for c in listed["centres"]] == ["gs-01"]
    db = Database(pg_url)
    try:  # the refused centre left no schema behind
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT to_regnamespace('centre_xx')")).scalar() is None
    finally:
        db.dispose()
    db = open_database(pg_url, centre="GS-01")
    try:
        with db.session() as s:
            assert operators.authenticate(s, "guishan", TOWN_PASSWORD).ok
            assert centre_info(s).code == "GS-01" and centre_info(s).town == "梅岭街道"
    finally:
        db.dispose()


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")
def test_a_centre_backup_holds_only_its_schema_and_restores_only_there(
        town_db: Town, tmp_path: Path) -> None:
    import subprocess

    from frontdesk.core.backup import backup_database, restore_database

    a, b = town_db.centre("AA"), town_db.centre("BB")
    _fill(a, _actor(a, "adminA", town_db))
    dump = backup_database(a, reason="test", dest_dir=tmp_path)
    assert "-aa-" in dump.name
    listing = subprocess.run(["pg_restore", "-l", str(dump)], capture_output=True, text=True,
                             check=True).stdout
    assert "centre_aa" in listing and "centre_bb" not in listing and " town " not in listing
    with pytest.raises(RuleError, match="不是中心 bb 的备份"):
        restore_database(b, dump, dest_dir=tmp_path)
    with a.session() as s:  # a change after the backup, undone by restoring it
        s.add(Resident(name="后来的", created_at=LUNCH, updated_at=LUNCH))
    restore_database(a, dump, dest_dir=tmp_path)
    assert _counts(a)["residents"] == 1
    assert set(_counts(b).values()) == {0}
