"""`frontdesk volunteers ...` and `frontdesk shop ...` end to end, with exit codes."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from frontdesk.cli import main


@pytest.fixture
def run(vdb, capsys, process_clock):
    """The CLI as the desk operator, the process clock at the pinned moment (NOW)."""
    db, _ = vdb

    def invoke(*argv: str) -> tuple[int, str, str]:
        code = main(["--db", db.url, "--operator", "desk", *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def test_enrol_list_award_balance(run) -> None:
    code, out, _ = run("volunteers", "enroll", "C0003", "--team", "党员先锋服务队", "--json")
    assert code == 0 and json.loads(out)["number"] == "ZY000003"
    assert json.loads(out)["team"] == "党员先锋服务队"
    code, _, err = run("volunteers", "enroll", "C0003")
    assert code == 1 and "已经是志愿者" in err
    code, out, _ = run("volunteers", "award", "C0003", "--hours", "2", "--activity",
                       "垃圾分类宣传", "--json")
    assert code == 0 and json.loads(out)["points"] == 20
    code, out, _ = run("volunteers", "balance", "C0003", "--json")
    assert json.loads(out) == {"number": "ZY000003", "name": "王五", "balance": 20}
    code, out, _ = run("volunteers", "list", "--json")
    assert [v["name"] for v in json.loads(out)] == ["张三", "李四", "王五"]


def test_award_bad_hours_and_unknown_activity(run) -> None:
    code, _, err = run("volunteers", "award", "C0001", "--hours", "25")
    assert code == 1 and "一天最多 24 小时" in err
    code, _, err = run("volunteers", "award", "C0001", "--hours", "-1")
    assert code == 1 and "必须大于 0" in err
    code, _, err = run("volunteers", "award", "C0001", "--hours", "1", "--activity", "跳舞")
    assert code == 1 and "没有名为“跳舞”的服务项目" in err


def test_shop_items_restock_and_redeem(run) -> None:
    code, out, _ = run("shop", "restock", "香皂", "2", "--json")
    assert code == 0 and json.loads(out)["stock"] == 12
    code, _, err = run("shop", "restock", "香皂", "-2")
    assert code == 1 and "数量应为" in err
    code, out, _ = run("shop", "items", "--json")
    assert {g["name"]: g["stock"] for g in json.loads(out)} == {"香皂": 12, "炒锅": 1, "大米": 5}
    run("volunteers", "award", "C0001", "--hours", "8", "--activity", "垃圾分类宣传")
    code, out, _ = run("volunteers", "redeem", "C0001", "香皂:2", "炒锅", "--json")
    data = json.loads(out)
    assert code == 0 and (data["total_points"], data["balance_after"]) == (64, 16)
    code, _, err = run("volunteers", "redeem", "C0001", "炒锅")
    assert code == 1 and "积分不足" in err
    code, _, err = run("volunteers", "redeem", "C0001", "香皂:x")
    assert code == 1 and "数量格式不对" in err
    code, _, err = run("volunteers", "redeem", "C0002", "大米:6")
    assert code == 1 and "积分不足" in err
    run("volunteers", "award", "C0002", "--hours", "8", "--activity", "垃圾分类宣传")
    code, _, err = run("volunteers", "redeem", "C0002", "炒锅")
    assert code == 1 and "库存不足" in err


def test_verify_exit_codes(run, vdb) -> None:
    db, _ = vdb
    run("volunteers", "award", "C0001", "--hours", "1", "--activity", "垃圾分类宣传")
    run("volunteers", "award", "C0002", "--hours", "1", "--activity", "垃圾分类宣传")
    code, out, _ = run("volunteers", "verify", "--json")
    assert code == 0 and json.loads(out) == {"intact": True, "entries": 2, "problems": [],
                                             "stock_problems": []}
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE points_entry SET reason = '改过' WHERE id = 1"))
    code, out, _ = run("volunteers", "verify")
    assert code == 1 and "流水 1：内容被改动" in out
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE shop_goods SET stock = 99 WHERE name = '香皂'"))
    code, out, _ = run("volunteers", "verify", "--json")
    assert code == 1 and json.loads(out)["stock_problems"] == [
        "“香皂”库存 99 与出入库记录合计 10 不符"]


def test_group_without_action_is_bad_usage(run) -> None:
    assert run("volunteers")[0] == 2
    assert run("shop")[0] == 2
