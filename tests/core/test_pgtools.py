"""Finding pg_dump / pg_restore / psql on Windows too: real folders laid out as the
PostgreSQL installer lays them out (``Program Files/PostgreSQL/<version>/bin``), holding real
executables (links to this machine's pg_dump, or small scripts that answer ``--version`` as
an older pg_dump does)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from frontdesk.cli import main
from frontdesk.core import pgtools
from frontdesk.core.errors import RuleError

REAL_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_dump"), reverse=True)),
                None)
needs_pg_dump = pytest.mark.skipif(REAL_BIN is None, reason="PostgreSQL client tools not installed")


def _real(name: str) -> Path:
    assert REAL_BIN is not None
    return REAL_BIN.parent / name


def _real_major() -> int:
    major = pgtools.tool_major(str(_real("pg_dump")))
    assert major is not None
    return major


def _link(folder: Path, name: str, target: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).symlink_to(target)
    return folder / name


def _old_tool(folder: Path, name: str, version: str) -> Path:
    """A real executable that answers --version as an old PostgreSQL tool does."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / name
    script.write_text(f"#!/bin/sh\necho '{name} (PostgreSQL) {version}'\n", encoding="utf-8")
    script.chmod(0o755)
    return script


@pytest.fixture
def windows_pc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PC with no PostgreSQL on PATH nor in Debian's folders; ``Program Files`` is a
    folder with a space, as on Windows."""
    monkeypatch.setattr(pgtools, "DEBIAN_LIB_DIR", str(tmp_path / "no-debian"))
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv(pgtools.PG_BIN_ENV, raising=False)
    for var in pgtools.PROGRAM_FILES_VARS:
        monkeypatch.delenv(var, raising=False)
    program_files = tmp_path / "Program Files"
    program_files.mkdir()
    monkeypatch.setenv("ProgramFiles", str(program_files))
    return program_files


@needs_pg_dump
def test_the_installers_folders_are_searched_newest_version_first(windows_pc: Path) -> None:
    major = _real_major()
    pg = windows_pc / "PostgreSQL"
    old = _old_tool(pg / "9.6" / "bin", "pg_dump", "9.6.24")
    ten = _old_tool(pg / "10" / "bin", "pg_dump", "10.23")
    real = _link(pg / str(major) / "bin", "pg_dump", _real("pg_dump"))
    (pg / "data").mkdir()  # not a version folder (no bin): ignored
    assert pgtools.candidates("pg_dump") == [str(real), str(ten), str(old)]  # 10 > 9.6
    assert pgtools.pick("pg_dump", major) == str(real)
    assert pgtools.pick("pg_dump", 10) == str(real)  # the newest that is new enough
    with pytest.raises(RuleError) as refused:
        pgtools.pick("pg_dump", major + 1)  # a server newer than every tool here
    assert f"{real}（{major}）" in refused.value.message
    assert "9.6.24" not in refused.value.message and "（9）" in refused.value.message
    assert "frontdesk pg-tools --use" in refused.value.message


@needs_pg_dump
def test_path_comes_before_program_files_and_the_other_program_files_after(
        windows_pc: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    in_program_files = _link(windows_pc / "PostgreSQL" / "16" / "bin", "pg_restore",
                             _real("pg_restore"))
    x86 = tmp_path / "Program Files (x86)"
    in_x86 = _link(x86 / "PostgreSQL" / "14" / "bin", "pg_restore", _real("pg_restore"))
    monkeypatch.setenv("ProgramFiles(x86)", str(x86))
    monkeypatch.setenv("ProgramW6432", str(windows_pc))  # 64-bit Windows: the same folder
    on_path = _link(tmp_path / "scoop" / "shims", "pg_restore", _real("pg_restore"))
    monkeypatch.setenv("PATH", f"{tmp_path / 'empty-path'}{os.pathsep}{on_path.parent}")
    assert pgtools.candidates("pg_restore") == [str(on_path), str(in_program_files),
                                                str(in_x86)]


@needs_pg_dump
def test_windows_names_its_programs_exe(windows_pc: Path) -> None:
    folder = windows_pc / "PostgreSQL" / "16" / "bin"
    exe = _link(folder, "pg_dump.exe", _real("pg_dump"))
    _link(folder, "pg_dump", _real("pg_dump"))
    assert pgtools.candidates("pg_dump", windows=True) == [str(exe)]
    assert pgtools.tool_major(str(exe)) == _real_major()


def test_nothing_found_says_what_to_install(windows_pc: Path) -> None:
    assert pgtools.candidates("pg_dump") == []
    with pytest.raises(RuleError, match="Command Line Tools"):
        pgtools.pick("pg_dump", 15)


@needs_pg_dump
def test_a_folder_chosen_for_this_pc_is_the_only_place_looked_at(
        windows_pc: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _link(windows_pc / "PostgreSQL" / "16" / "bin", "pg_dump", _real("pg_dump"))
    chosen = tmp_path / "D 盘" / "pgsql" / "bin"
    for name in ("pg_dump", "pg_restore"):
        _link(chosen, name, _real(name))
    with pytest.raises(RuleError, match="里没有 pg_dump、pg_restore"):
        pgtools.remember_folder(tmp_path / "empty-path")
    assert pgtools.chosen_folder() is None  # a refused folder is not saved
    pgtools.remember_folder(chosen)
    assert pgtools.chosen_folder() == chosen
    assert pgtools.candidates("pg_dump") == [str(chosen / "pg_dump")]
    assert pgtools.candidates("psql") == []  # only there, and psql is not there
    # the environment variable wins over the saved choice
    other = tmp_path / "other"
    _link(other, "pg_dump", _real("pg_dump"))
    monkeypatch.setenv(pgtools.PG_BIN_ENV, str(other))
    assert pgtools.candidates("pg_dump") == [str(other / "pg_dump")]
    monkeypatch.delenv(pgtools.PG_BIN_ENV)
    pgtools.remember_folder(None)
    assert pgtools.candidates("pg_dump") == [
        str(windows_pc / "PostgreSQL" / "16" / "bin" / "pg_dump")]


@needs_pg_dump
def test_the_pg_tools_command_lists_and_chooses(windows_pc: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    major = _real_major()
    real = _link(windows_pc / "PostgreSQL" / str(major) / "bin", "pg_dump", _real("pg_dump"))
    assert main(["pg-tools"]) == 1  # no pg_restore anywhere
    out = capsys.readouterr().out
    assert f"pg_dump\t{major}\t{real}\n" in out and "pg_restore\t-\t（找不到）" in out
    chosen = tmp_path / "工具 文件夹"
    for name in pgtools.TOOLS:
        _link(chosen, name, _real(name))
    assert main(["pg-tools", "--use", str(chosen)]) == 0
    out = capsys.readouterr().out
    assert f"这台电脑的 PostgreSQL 工具文件夹已设为 {chosen}" in out
    assert f"pg_restore\t{major}\t{chosen / 'pg_restore'}\n" in out and str(real) not in out
    assert main(["pg-tools", "--use", str(tmp_path / "empty-path")]) == 1  # refused, kept
    assert "里没有" in capsys.readouterr().err and pgtools.chosen_folder() == chosen
    assert main(["--lang", "en", "pg-tools", "--forget"]) == 1
    assert "looked for automatically again" in capsys.readouterr().out
    assert pgtools.chosen_folder() is None


@needs_pg_dump
def test_a_backup_uses_a_pg_dump_found_only_under_program_files(
        windows_pc: Path, pg_url: str, tmp_path: Path) -> None:
    from frontdesk.core.backup import backup_database, pg_tools_available
    from frontdesk.core.migrate import open_database

    assert not pg_tools_available()
    _link(windows_pc / "PostgreSQL" / str(_real_major()) / "bin", "pg_dump", _real("pg_dump"))
    assert pg_tools_available()
    db = open_database(pg_url)
    try:
        dump = backup_database(db, reason="manual", dest_dir=tmp_path / "备份 文件夹")
    finally:
        db.dispose()
    assert dump.read_bytes()[:5] == b"PGDMP"
