"""`frontdesk checkin` from the command line, against a real database file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from frontdesk.cli import EXIT_REFUSED, EXIT_USAGE, main
from frontdesk.core.db import Database

# The CLI acts by the process clock: moved to the pinned moment (conftest NOW) for each test.
pytestmark = pytest.mark.usefixtures("process_clock")


def test_checkin_by_card_prints_json_and_refuses_unknown_cards(
        centre_db: Database, people: dict[str, int], capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--db", centre_db.url, "--operator", "desk"]
    assert main([*base, "checkin", "C0001", "--purpose", "长者食堂", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["name"], out["purpose"], out["resident_id"]) == ("陈阿婆", "长者食堂",
                                                                  people["elder"])
    assert main([*base, "checkin", "C0001", "--purpose", "5"]) == EXIT_REFUSED
    assert "已经签到过" in capsys.readouterr().err
    assert main([*base, "checkin", "C0001", "--purpose", "5", "--confirm-repeat"]) == 0
    assert main([*base, "checkin", "NOPE"]) == EXIT_REFUSED
    assert "NOPE" in capsys.readouterr().err
    assert main([*base, "checkin", "C0002"]) == EXIT_REFUSED  # no default purpose set
    err = capsys.readouterr().err
    assert "没有设定默认事由" in err and "--purpose" in err and "purposes default" in err


def test_checkin_export_writes_csv_and_xlsx(
        centre_db: Database, people: dict[str, int], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--db", centre_db.url, "--operator", "desk"]
    assert main([*base, "checkin", "C0002", "--purpose", "四点钟学校"]) == 0  # today: NOW
    out_csv, out_xlsx = tmp_path / "a.csv", tmp_path / "a.xlsx"
    assert main([*base, "checkin", "export", "--csv", str(out_csv)]) == 0
    assert "林小明" in out_csv.read_text(encoding="utf-8-sig")
    assert main([*base, "checkin", "export", "--date", "2026-11-22", "--xlsx",
                 str(out_xlsx)]) == 0
    assert out_xlsx.stat().st_size > 0
    assert main([*base, "checkin", "export", "--date", "2026-11-22"]) == EXIT_USAGE
    assert main([*base, "checkin", "export", "--date", "22/11", "--csv", "x.csv"]) == EXIT_REFUSED
    capsys.readouterr()


def test_checkin_stats_prints_a_month(centre_db: Database, people: dict[str, int],
                                      capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--db", centre_db.url, "--operator", "desk"]
    assert main([*base, "checkin", "C0001", "--purpose", "长者食堂"]) == 0
    capsys.readouterr()
    assert main([*base, "checkin", "stats", "--json"]) == 0  # this month, by the CLI's clock
    stats = json.loads(capsys.readouterr().out)
    assert (stats["visits"], stats["distinct_people"]) == (1, 1)
    assert stats["by_purpose"] == [{"label": "长者食堂", "visits": 1, "people": 1}]
    assert main([*base, "checkin", "stats", "--month", "2026-13"]) == EXIT_REFUSED
    assert main([*base, "checkin", "stats", "--month", "nov"]) == EXIT_REFUSED
