"""Setting volunteering up on the command line from an empty centre, then one award, one
redemption and one certificate; refusals exit 1 with the reason and change nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from frontdesk.cli import main
from frontdesk.core.db import Database
from tests.volunteers.conftest import add_resident

# The CLI acts by the process clock: moved to the pinned moment (conftest NOW) for each test.
pytestmark = pytest.mark.usefixtures("process_clock")


@pytest.fixture
def run(centre_db: Database, capsys: pytest.CaptureFixture[str]):
    def invoke(*argv: str, operator: str = "admin") -> tuple[int, str, str]:
        code = main(["--db", centre_db.url, "--operator", operator, *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def _file_bytes(db: Database) -> bytes | None:
    """The SQLite file itself (None on PostgreSQL): a refusal must leave it byte-identical."""
    if not db.url.startswith("sqlite"):
        return None
    db.dispose()
    return Path(db.url.removeprefix("sqlite:///")).read_bytes()


def test_an_empty_centre_set_up_and_used_from_the_shell(run, centre_db, admin,
                                                         tmp_path: Path) -> None:
    code, out, err = run("volunteers", "activities")
    assert code == 0 and out == "" and "还没有服务项目" in err
    code, out, err = run("shop", "items")
    assert code == 0 and "积分超市还没有物品" in err

    code, out, _ = run("volunteers", "category", "add", "助老服务", "--points-per-hour", "1",
                       "--json")
    assert code == 0 and json.loads(out)["points_per_hour"] == 1
    code, out, _ = run("volunteers", "activity", "add", "助老陪伴", "--category", "助老服务",
                       "--cap-hours", "2", "--json")
    assert code == 0 and json.loads(out)["rule"] == "每小时 1 分，每次最多计 2 小时"
    code, out, _ = run("volunteers", "team", "add", "党员先锋服务队")
    assert code == 0 and "已新增志愿服务队：党员先锋服务队" in out
    code, out, _ = run("shop", "add", "香皂", "--price", "12", "--unit", "块", "--stock", "10",
                       "--json")
    assert code == 0 and json.loads(out) == {"id": 1, "name": "香皂", "unit": "块",
                                             "points_price": 12, "stock": 10, "active": True}
    code, out, err = run("volunteers", "certificate-details")
    assert code == 0 and "负责人：（未填写）" in out and "还没有填写" in err
    code, out, err = run("volunteers", "certificate-details", "--head", "王主任", "--contact",
                         "0595-88881234", "--seal", "测试社区居民委员会", "--json")
    assert code == 0 and err == ""
    assert json.loads(out) == {"head": "王主任", "contact": "0595-88881234",
                               "seal": "测试社区居民委员会"}

    add_resident(centre_db, admin, "张三", "C0001", "350582199001011234")
    code, out, _ = run("volunteers", "enroll", "C0001", "--team", "党员先锋服务队",
                       operator="desk")
    assert code == 0
    code, out, _ = run("volunteers", "award", "C0001", "--hours", "3", "--json",
                       operator="desk")
    assert code == 0 and (json.loads(out)["points"], json.loads(out)["balance"]) == (2, 2)
    code, out, err = run("volunteers", "redeem", "C0001", "香皂", operator="desk")
    assert code == 1 and "积分不足" in err
    run("volunteers", "category", "edit", "助老服务", "--points-per-hour", "10")
    run("volunteers", "activity", "edit", "助老陪伴", "--no-cap")
    code, out, _ = run("volunteers", "award", "C0001", "--hours", "2", "--json",
                       operator="desk")
    assert json.loads(out)["points"] == 20
    code, out, _ = run("volunteers", "redeem", "C0001", "香皂:1", "--json", operator="desk")
    assert code == 0 and json.loads(out)["balance_after"] == 10
    code, out, _ = run("shop", "items", "--json")
    assert json.loads(out)[0]["stock"] == 9

    pdf = tmp_path / "证明 张三.pdf"
    # The default period (this year up to the CLI's today, NOW) holds the awards just made.
    code, out, err = run("volunteers", "certificate", "C0001", "--out", str(pdf), "--json",
                         operator="desk")
    assert code == 0 and err == "" and json.loads(out)["hours"] == 5
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_a_certificate_with_blank_details_warns(run, centre_db, admin, tmp_path: Path) -> None:
    run("volunteers", "category", "add", "助老服务", "--points-per-hour", "1")
    run("volunteers", "activity", "add", "助老陪伴", "--category", "助老服务")
    add_resident(centre_db, admin, "张三", "C0001")
    run("volunteers", "enroll", "C0001")
    run("volunteers", "award", "C0001", "--hours", "1")
    code, out, err = run("volunteers", "certificate", "C0001", "--out", str(tmp_path / "c.pdf"))
    assert code == 0 and re.search(r"已开具志愿服务证明 ZYZM\d{4}-00001（张三，1 小时）", out)
    assert "提醒：证明上的“负责人”“联系电话”还没有填写" in err


@pytest.mark.parametrize("argv", [
    ("shop", "add", "大米", "--price", "44", "--stock", "-3"),
    ("shop", "add", "大米", "--price", "0"),
    ("shop", "add", "大\x1b米", "--price", "44"),
    ("volunteers", "category", "add", "助老\x00服务", "--points-per-hour", "1"),
    ("volunteers", "category", "add", "助老服务", "--points-per-hour", "500"),
    ("volunteers", "activity", "add", "助老陪伴", "--category", "没有这个"),
    ("volunteers", "certificate-details", "--head", "王主任", "--contact", "打电话"),
    ("volunteers", "team", "add", "长" * 101),
    ("volunteers", "team", "retire", "没有这个队"),
])
def test_refusals_exit_1_and_leave_the_database_unchanged(run, centre_db, argv) -> None:
    before = _file_bytes(centre_db)
    code, out, err = run(*argv)
    assert code == 1 and out == "" and err.startswith("错误：")
    assert _file_bytes(centre_db) == before


def test_the_desk_may_list_but_not_set_up(run) -> None:
    run("volunteers", "category", "add", "助老服务", "--points-per-hour", "1")
    code, _, err = run("volunteers", "category", "add", "环境整治", "--points-per-hour", "10",
                       operator="desk")
    assert code == 1 and "只有管理员" in err
    code, _, err = run("shop", "add", "香皂", "--price", "12", operator="desk")
    assert code == 1 and "只有管理员" in err
    code, out, _ = run("volunteers", "categories", "--json", operator="desk")
    assert json.loads(out) == [{"id": 1, "name": "助老服务", "points_per_hour": 1}]


def test_teams_activities_and_items_are_retired_never_deleted(run, centre_db, admin) -> None:
    run("volunteers", "category", "add", "助老服务", "--points-per-hour", "1")
    run("volunteers", "activity", "add", "助老陪伴", "--category", "助老服务")
    add_resident(centre_db, admin, "队长", "C0009")
    run("volunteers", "team", "add", "党员先锋服务队", "--leader", "C0009")
    run("shop", "add", "香皂", "--price", "12", "--stock", "4")
    assert run("volunteers", "team", "edit", "党员先锋服务队", "--name", "先锋队")[0] == 0
    code, out, _ = run("volunteers", "teams", "--json")
    assert json.loads(out) == [{"id": 1, "name": "先锋队", "leader": "队长", "members": 0,
                                "active": True}]
    for argv in (("volunteers", "team", "retire", "先锋队"),
                 ("volunteers", "activity", "retire", "助老陪伴"),
                 ("shop", "retire", "香皂")):
        assert run(*argv)[0] == 0
    assert json.loads(run("volunteers", "teams", "--json")[1]) == []
    assert json.loads(run("volunteers", "activities", "--json")[1]) == []
    assert json.loads(run("shop", "items", "--json")[1]) == []
    (team,) = json.loads(run("volunteers", "teams", "--all", "--json")[1])
    assert (team["name"], team["leader"], team["active"]) == ("先锋队", "队长", False)
    (item,) = json.loads(run("shop", "items", "--all", "--json")[1])
    assert (item["stock"], item["active"]) == (4, False)
    assert run("shop", "restore", "香皂")[0] == 0
    assert json.loads(run("shop", "items", "--json")[1])[0]["name"] == "香皂"
    code, out, _ = run("shop", "edit", "香皂", "--price", "15", "--name", "香皂（大）")
    assert code == 0 and "已保存物品 香皂（大）：15 积分。" in out


def test_a_group_without_an_action_is_bad_usage(run) -> None:
    assert run("volunteers", "team")[0] == 2
    assert run("volunteers", "activity")[0] == 2
