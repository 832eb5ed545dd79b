"""`frontdesk canteen issue/claim` in-process, against a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from frontdesk.cli import main
from frontdesk.core.db import Database
from tests.canteen.conftest import Canteen
from tests.conftest import NOW

# The CLI acts by the process clock: moved to the pinned moment (conftest NOW) for each test.
pytestmark = pytest.mark.usefixtures("process_clock")


def db_arg(db: Database) -> str:
    return db.url


def test_issue_prints_the_ticket_as_json_in_fen(centre_db, canteen: Canteen,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["canteen", "issue", "C0003", "--db", db_arg(centre_db), "--operator", "desk",
                 "--session", "午餐", "--type", "送餐", "--pay", "微信", "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["price_fen"] == 1200 and data["self_pay_fen"] == 100 and data["subsidised"]
    assert data["meal_type"] == "delivery" and data["payment"] == "wechat"
    assert [(s["funder"], s["amount_fen"]) for s in data["shares"]] == [("政府补助", 1100)]
    assert data["number"].endswith("-0001")


def test_issue_refusals_exit_1_with_the_reason(centre_db, canteen: Canteen,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["canteen", "issue", "NOPE", "--db", db_arg(centre_db),
                 "--operator", "desk"]) == 1
    assert "NOPE" in capsys.readouterr().err
    assert main(["canteen", "issue", "C0001", "--db", db_arg(centre_db), "--operator", "desk",
                 "--session", "早餐"]) == 1
    assert "午餐" in capsys.readouterr().err  # lists the sessions there are


def test_claim_writes_the_xlsx(centre_db, canteen: Canteen, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    for card in ("C0001", "C0002"):
        assert main(["canteen", "issue", card, "--db", db_arg(centre_db), "--operator", "desk",
                     "--session", "午餐"]) == 0
    out = tmp_path / "claim.xlsx"
    month = NOW.strftime("%Y-%m")  # the month the CLI issued the tickets in
    assert main(["canteen", "claim", "--month", month, "--xlsx", str(out),
                 "--db", db_arg(centre_db), "--operator", "admin"]) == 0
    assert "2 " in capsys.readouterr().out
    sheet = load_workbook(out).worksheets[0]
    names = [row[2] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert "陈阿婆" in names and "林伯" in names
    assert main(["canteen", "claim", "--month", "11/2026", "--xlsx", str(out),
                 "--db", db_arg(centre_db), "--operator", "admin"]) == 1
