"""Town set-up rules that need no PostgreSQL server."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontdesk.cli import main
from frontdesk.core.actor import ROLE_TOWN, Actor, role_label
from frontdesk.core.db import Database, centre_schema, resolve_centre
from frontdesk.core.errors import DatabaseError
from frontdesk.town import TOWN_HEADS
from frontdesk.town.migrate import town_script_heads


def test_town_heads_constant_matches_the_town_migrations() -> None:
    assert town_script_heads() == set(TOWN_HEADS)


def test_centre_schema_names_are_lower_case_and_refuse_unsafe_codes() -> None:
    assert centre_schema("GS-01") == "centre_gs-01"
    for bad in ('a"; DROP SCHEMA town; --', "x", "中心", "a b", "a" * 33):
        with pytest.raises(DatabaseError, match="中心编码无效"):
            centre_schema(bad)


def test_the_centre_comes_from_the_option_else_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FRONTDESK_CENTRE", raising=False)
    assert resolve_centre(None) is None
    monkeypatch.setenv("FRONTDESK_CENTRE", "AA")
    assert resolve_centre(None) == "aa"
    assert resolve_centre("BB") == "bb"


@pytest.mark.usefixtures("process_clock")  # the CLI acts by the process clock
def test_an_sqlite_file_is_one_centre(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                      ) -> None:
    with pytest.raises(DatabaseError, match="SQLite 数据库文件只属于一个中心"):
        Database(f"sqlite:///{tmp_path / 'x.sqlite3'}", centre="AA")
    assert main(["--db", str(tmp_path / "y.sqlite3"), "--centre", "AA",
                 "residents", "find", "王"]) == 1
    assert "SQLite 数据库文件只属于一个中心" in capsys.readouterr().err
    assert not (tmp_path / "y.sqlite3").exists()
    password = tmp_path / "pw"
    password.write_text("town-secret", encoding="utf-8")
    assert main(["--db", str(tmp_path / "z.sqlite3"), "town", "init", "--town", "某镇",
                 "--admin", "zhang", "--password-file", str(password)]) == 1
    assert "需要 PostgreSQL" in capsys.readouterr().err


def test_a_town_admin_may_do_what_an_admin_may() -> None:
    actor = Actor(1, "zhang", "张镇长", ROLE_TOWN)
    assert actor.is_admin and actor.is_town_admin
    actor.require_admin()
    assert role_label(ROLE_TOWN) == "镇街管理员"
