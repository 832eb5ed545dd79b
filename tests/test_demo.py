"""`frontdesk demo` never touches real data: only a new empty database or its own demo centre."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest

from frontdesk.cli import main
from frontdesk.core import audit, settings
from frontdesk.core.actor import Actor
from frontdesk.core.centre import centre_info, is_demo
from frontdesk.core.clock import FixedClock
from frontdesk.core.db import Database
from frontdesk.core.errors import RuleError
from frontdesk.demo import build_demo
from frontdesk.residents.service import ResidentForm, create_resident

# The demo (and `frontdesk demo`) acts by the process clock: moved to the pinned moment
# (conftest NOW) for each test.
pytestmark = pytest.mark.usefixtures("process_clock")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.sqlite_only
def test_demo_on_a_real_centres_database_refuses_and_leaves_the_file_byte_identical(
        centre_db: Database, admin: Actor, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    with centre_db.session() as session:
        create_resident(session, admin, ResidentForm(name="陈阿婆", birth_date=dt.date(1940, 3, 1)))
    centre_db.dispose()
    real = Path(centre_db.url.removeprefix("sqlite:///"))
    copy = tmp_path / "真实 中心" / "frontdesk.sqlite3"
    copy.parent.mkdir()
    shutil.copyfile(real, copy)
    before = _digest(copy)
    assert main(["--db", str(copy), "demo"]) == 1
    err = capsys.readouterr().err
    assert "测试邻里中心" in err and "没有做任何改动" in err
    assert _digest(copy) == before
    assert sorted(p.name for p in copy.parent.iterdir()) == ["frontdesk.sqlite3"]


def test_demo_refuses_a_real_centre_before_writing_anything(centre_db: Database) -> None:
    with pytest.raises(RuleError, match="真实数据"):
        build_demo(centre_db)
    with centre_db.read() as session:
        assert not is_demo(session)
        assert centre_info(session).name == "测试邻里中心"
        assert session.scalar(_count("resident")) == 0


def test_demo_refuses_an_uninitialised_database_that_holds_data(
        db: Database, clock: FixedClock) -> None:
    with db.session() as session:
        audit.record(session, Actor.system(clock), "test.row", "test", "1", "left by a script")
    with pytest.raises(RuleError, match="已经有数据"):
        build_demo(db)


def test_the_demo_marks_its_centre_and_tops_it_up_later(db: Database) -> None:
    first = build_demo(db)
    assert [user for user, _ in first.logins] == ["admin", "lin", "chen"]
    with db.read() as session:
        assert is_demo(session)
        info = centre_info(session)
        assert info.demo and info.name.startswith("【演示】")
        assert settings.get(session, "centre.name") == "晋江市梅岭街道桂山社区党建+邻里中心"
    again = build_demo(db)
    assert again.logins == []


def test_the_demo_mark_is_not_on_the_settings_form() -> None:
    assert not settings.spec("centre.demo").on_form
    assert all(s.on_form for k, s in settings.SPECS.items() if k != "centre.demo")


def _count(table: str):  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select
    from sqlalchemy import table as sa_table

    return select(func.count()).select_from(sa_table(table))
