"""The Inno Setup recipe keeps the promises the user guide makes (it cannot be compiled here:
see packaging/README.md). Checked as text: the parts that, if changed, lose data or break the
guide's steps."""

from __future__ import annotations

import re
from pathlib import Path

ISS = Path(__file__).resolve().parents[2] / "packaging" / "frontdesk.iss"


def _sections() -> dict[str, list[str]]:
    raw = ISS.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Inno Setup reads the Chinese names only with a BOM"
    sections: dict[str, list[str]] = {}
    current = ""
    for line in raw.decode("utf-8-sig").splitlines():
        line = line.strip()
        if not line or line.startswith(";"):
            continue
        match = re.fullmatch(r"\[(\w+)\]", line)
        if match:
            current = match.group(1)
            sections.setdefault(current, [])
        else:
            sections.setdefault(current, []).append(line)
    return sections


def test_the_app_id_never_changes_so_upgrades_find_the_old_install() -> None:
    setup = _sections()["Setup"]
    assert "AppId={{6F3C2A7E-8B51-4C0D-9E2A-1F4B7D3C5A90}" in setup
    assert "UsePreviousAppDir=yes" in setup and "CloseApplications=yes" in setup
    assert "PrivilegesRequired=lowest" in setup  # no administrator password (guide, section 1)


def test_uninstalling_never_removes_the_data_folder() -> None:
    sections = _sections()
    dirs = [line for line in sections["Dirs"] if "{localappdata}\\frontdesk" in line]
    assert dirs and all("uninsneveruninstall" in line for line in dirs)
    for line in sections.get("UninstallDelete", []) + sections.get("InstallDelete", []):
        assert "{localappdata}" not in line, line


def test_start_menu_desktop_and_a_command_line_where_frontdesk_cli_works() -> None:
    icons = _sections()["Icons"]
    assert any(line.startswith('Name: "{autoprograms}\\邻里前台"') for line in icons)
    desktop = [line for line in icons if line.startswith('Name: "{autodesktop}\\邻里前台"')]
    assert desktop and "Tasks: desktopicon" in desktop[0]
    cli = [line for line in icons if "{cm:CliName}" in line]
    assert len(cli) == 1
    # the guide says to type `frontdesk-cli print-test` in that window: the program folder
    # must be on the window's PATH, and the window opens in the data folder
    assert 'set ""PATH={app};%PATH%""' in cli[0]
    assert 'WorkingDir: "{localappdata}\\frontdesk"' in cli[0]
