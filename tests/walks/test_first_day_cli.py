"""Issue 16, "Done when": a new centre's first real day on the command line alone.

Every step is the real ``frontdesk`` command in a subprocess, on a new SQLite file in a folder
whose path has Chinese characters and a space: ``init``, then every setup through CLI
subcommands, the opening checklist before, midway and after, then the desk operator's day (a
check-in, a meal ticket with its receipt, a booking, a volunteer award, a redemption), the day
close and the export, and the town's check and merge of the package. Refusals met on the way
are one clear line on stderr with exit code 1. The database is read only to assert.

The day is the pinned one (conftest NOW, a Sunday morning) whatever the real date: each
command's clock (tests.helpers.moved_clock) starts a minute after the last one's, as through a
working morning, so the walk neither depends on the real today nor splits across a midnight.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from tests.conftest import NOW
from tests.helpers.moved_clock import frontdesk_command

REPO = Path(__file__).resolve().parents[2]
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(body17: str) -> str:
    """An 18-digit 居民身份证号码 with its ISO 7064 MOD 11-2 check digit."""
    total = sum(int(c) * w for c, w in zip(body17, WEIGHTS, strict=True))
    return body17 + "10X98765432"[total % 11]


class Desk:
    """The `frontdesk` command, run as a user would, on one database."""

    def __init__(self, root: Path) -> None:
        self.home = root / "社工 王的电脑"
        self.home.mkdir(parents=True)
        self.db = self.home / "中心 数据" / "龙湖 邻里中心.sqlite3"
        self.env = {**os.environ, "FRONTDESK_HOME": str(self.home), "PYTHONPATH": str(REPO),
                    "FRONTDESK_PC_SETTINGS": str(root / "pc.ini"),
                    "QT_QPA_PLATFORM": "offscreen", "PYTHONUTF8": "1"}
        for name in ("FRONTDESK_DB", "FRONTDESK_OPERATOR", "FRONTDESK_CENTRE", "FRONTDESK_LANG"):
            self.env.pop(name, None)
        self.at = NOW  # when the next command starts, by its clock

    def run(self, *args: str, operator: str | None = None, code: int = 0,
            db: bool = True) -> subprocess.CompletedProcess[str]:
        options = ["--db", str(self.db)] if db else []
        if operator:
            options += ["--operator", operator]
        command = frontdesk_command(self.at, *options, *args)
        self.at += dt.timedelta(minutes=1)
        done = subprocess.run(command, env=self.env, cwd=self.home,
                              capture_output=True, text=True, encoding="utf-8", timeout=180)
        assert done.returncode == code, (args, done.returncode, done.stdout, done.stderr)
        return done

    def admin(self, *args: str) -> str:
        return self.run(*args, operator="admin").stdout

    def refused(self, *args: str, operator: str | None = "admin", words: str = "",
                db: bool = True) -> str:
        """A refusal: exit 1, one line on stderr that says why, nothing on stdout."""
        done = self.run(*args, operator=operator, code=1, db=db)
        lines = done.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("错误："), (args, done.stderr)
        assert "Traceback" not in done.stderr and words in lines[0], (args, lines[0])
        return lines[0]

    def opening(self, operator: str | None = None) -> dict[str, dict[str, object]]:
        data = json.loads(self.run("opening", "--json", operator=operator).stdout)
        return {"ready": data["ready"], **{item["key"]: item for item in data["items"]}}

    def sql(self, query: str, *params: object) -> list[tuple[object, ...]]:
        connection = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
        try:
            return connection.execute(query, params).fetchall()
        finally:
            connection.close()


@pytest.fixture
def desk(tmp_path: Path) -> Desk:
    return Desk(tmp_path)


def test_a_new_centre_s_first_day_on_the_command_line_alone(desk: Desk) -> None:
    today = NOW.date()  # the commands' today
    tomorrow = today + dt.timedelta(days=1)
    elder_id = id_number("35058219400315002")  # 陈阿婆, born 1940: 80+ on any date this runs
    volunteer_id = id_number("35058219850620003")

    # -- first run ------------------------------------------------------------------------
    (desk.home / "管理员 密码.txt").write_text("admin-pass-1\n", encoding="utf-8")
    (desk.home / "前台 密码.txt").write_text("desk-pass-1\n", encoding="utf-8")
    desk.refused("opening", words="找不到数据库")  # a mistyped path never becomes a database
    assert not desk.db.exists()
    desk.db.parent.mkdir()
    out = desk.run("init", "--centre-name", "龙湖镇 福林邻里中心", "--centre-code", "LH01",
                   "--town", "龙湖镇", "--admin", "admin",
                   "--password-file", str(desk.home / "管理员 密码.txt")).stdout
    assert "admin" in out

    # -- the opening checklist before anything is set up -------------------------------------
    before = desk.opening()
    assert before["ready"] is False
    assert before["canteen.sessions"]["ready"] is False
    assert "不能出票" in str(before["canteen.sessions"]["missing"])
    assert before["operators"]["ready"] is False  # no desk account yet (not needed to open)
    assert "canteen session add" in str(before["canteen.sessions"]["command"])
    text = desk.run("opening").stdout
    assert text.splitlines()[0].startswith("还有几项没有准备好")
    assert "✘ 餐次与价格：还没有餐次" in text
    assert "设置：frontdesk canteen session add" in text

    # -- set-up, as the admin ------------------------------------------------------------
    desk.admin("operators", "add", "lin", "--name", "林小红", "--role", "desk",
               "--password-file", str(desk.home / "前台 密码.txt"))
    desk.admin("purposes", "add", "健康讲座", "--area", "health", "--hotkey", "h")
    desk.admin("purposes", "default", "长者食堂")
    desk.admin("tally-groups", "add", "保洁员")
    desk.admin("canteen", "session", "add", "午餐", "--start", "11:00", "--end", "13:00",
               "--price", "12", "--capacity", "60", "--menu", "三菜一汤")
    desk.refused("canteen", "session", "add", "午餐", "--start", "17:00", "--end", "19:00",
                 "--price", "10", words="午餐")  # a duplicate name
    desk.admin("canteen", "session", "add", "晚餐", "--start", "17:00", "--end", "19:00",
               "--price", "10", "--capacity", "30")

    midway = desk.opening()
    assert midway["ready"] is False
    assert midway["canteen.sessions"]["ready"] is True
    assert midway["operators"]["ready"] is True
    assert midway["checkin.default_purpose"]["ready"] is True
    assert midway["rooms.rooms"]["ready"] is False
    desk_view = desk.run("opening", operator="lin").stdout
    assert desk_view.splitlines()[0] == "还有几项没有准备好，请联系管理员设置：admin。"
    assert "设置：frontdesk" not in desk_view  # the desk is told whom to ask, not commands

    desk.admin("canteen", "funder", "add", "政府补助")
    desk.admin("canteen", "funder", "add", "村级")
    desk.refused("canteen", "rule", "add", "--name", "太多", "--from", today.isoformat(),
                 "--share", "政府补助=20", "--min-age", "80")  # shares above the price
    desk.admin("canteen", "rule", "add", "--name", "80岁以上", "--from", today.isoformat(),
               "--share", "政府补助=7", "--share", "村级=2", "--min-age", "80")
    desk.admin("rooms", "add-room", "多功能 活动室", "--capacity", "40",
               "--hours", "1-7=08:00-22:00", "--max-hours", "4", "--advance-days", "30")
    desk.admin("rooms", "add-org", "晋江 福林电子公司", "--kind", "firm", "--contact", "张经理",
               "--phone", "13800138000")
    desk.admin("volunteers", "category", "add", "助老服务", "--points-per-hour", "10")
    desk.admin("volunteers", "activity", "add", "陪伴长者", "--category", "助老服务",
               "--cap-hours", "2")
    desk.admin("volunteers", "team", "add", "红马甲志愿队")
    desk.refused("shop", "add", "香皂", "--price", "10", "--unit", "块", "--stock", "-1")
    desk.admin("shop", "add", "香皂", "--price", "10", "--unit", "块", "--stock", "20")
    desk.admin("volunteers", "certificate-details", "--head", "王主任", "--contact",
               "0595-88888888", "--seal", "龙湖镇 福林邻里中心")
    (desk.home / "居民 名单.csv").write_text(
        "姓名,身份证号码,联系电话,住址\n"
        f"陈阿婆,{elder_id},13905951234,龙湖镇 福林村 12号\n"
        f"黄志明,{volunteer_id},13805950000,龙湖镇 福林村 30号\n", encoding="utf-8-sig")
    assert "新建 2 人" in desk.admin("residents", "import", str(desk.home / "居民 名单.csv"))

    after = desk.opening()
    assert after["ready"] is True
    assert all(item["ready"] for key, item in after.items() if key != "ready"), after
    assert desk.run("opening").stdout.splitlines()[0] == "各项工作都已准备好，可以开始使用。"

    # -- the day, as the desk operator ----------------------------------------------------
    def lin(*args: str) -> str:
        return desk.run(*args, operator="lin").stdout

    desk.refused("canteen", "session", "add", "早餐", "--start", "07:00", "--end", "08:00",
                 "--price", "5", operator="lin")  # set-up is for admins
    found = json.loads(lin("residents", "find", "陈阿婆", "--json"))
    assert found[0]["id_number"] == elder_id[:6] + "********" + elder_id[-4:]
    card = found[0]["card_code"]  # what the desk was shown
    assert "已签到：陈阿婆，事由：长者食堂" in lin("checkin", card)
    repeat = desk.refused("checkin", card, operator="lin", words="--confirm-repeat")
    assert "已经签到过" in repeat
    assert "已签退：陈阿婆" in lin("checkin", card, "--checkout")

    receipt = desk.home / "小票" / "陈阿婆 午餐.pdf"
    receipt.parent.mkdir()
    ticket = json.loads(lin("canteen", "issue", elder_id, "--session", "午餐",
                            "--receipt", str(receipt), "--json"))
    assert (ticket["price_fen"], ticket["self_pay_fen"], ticket["subsidised"]) == (1200, 300, True)
    shares = {s["funder"]: s["amount_fen"] for s in ticket["shares"]}
    assert shares == {"政府补助": 700, "村级": 200}
    page = PdfReader(io.BytesIO(receipt.read_bytes())).pages[0].extract_text()
    for words in (ticket["number"], "陈阿婆", "午餐", "餐价", "12.00 元", "政府补助", "7.00 元",
                  "村级", "2.00 元", "个人自付", "3.00 元"):
        assert words in page, (words, page)
    reprinted = desk.home / "小票" / "补打.pdf"
    lin("reprint", str(ticket["receipt"]["document"]), "--pdf", str(reprinted))
    assert "补打" in PdfReader(io.BytesIO(reprinted.read_bytes())).pages[0].extract_text()

    start, end = f"{tomorrow.isoformat()}T10:00", f"{tomorrow.isoformat()}T12:00"
    booked = lin("rooms", "book", "多功能 活动室", start, end, "--booker", "晋江 福林电子公司",
                 "--purpose", "党建共建活动", "--headcount", "20", "--phone", "13800138000")
    assert "已预约 1 次" in booked
    desk.refused("rooms", "book", "多功能 活动室", f"{tomorrow.isoformat()}T11:00", end,
                 "--booker", card, operator="lin", words="冲突")

    lin("volunteers", "enroll", volunteer_id, "--team", "红马甲志愿队")
    lin("volunteers", "award", volunteer_id, "--hours", "3", "--activity", "陪伴长者",
        "--reason", "陪伴长者就餐")
    assert "20 分" in lin("volunteers", "balance", volunteer_id)  # capped at 2 h × 10
    desk.refused("volunteers", "redeem", volunteer_id, "香皂:3", operator="lin")  # 30 > 20
    assert "余额 20 → 10 分" in lin("volunteers", "redeem", volunteer_id, "香皂:1")

    # -- close the day, export it -------------------------------------------------------
    done = desk.run("close", "--date", today.isoformat(), operator="lin", code=1)
    assert "[checkin.sheet_unprinted]" in done.stderr and "[cash.not_counted]" in done.stderr
    assert "--ack checkin.sheet_unprinted" in done.stderr.splitlines()[-1]
    assert desk.sql("SELECT count(*) FROM closed_day WHERE closed") == [(0,)]
    lin("close", "--date", today.isoformat(), "--cash", "cash=3",
        "--ack", "checkin.sheet_unprinted")
    desk.refused("canteen", "issue", elder_id, "--session", "晚餐", operator="lin",
                 words="已日结")
    usb = desk.home / "U盘 报送"
    desk.refused("export", "--date", today.isoformat(), "--out", str(usb), operator="lin",
                 words="找不到导出文件夹")
    usb.mkdir()
    package = Path(lin("export", "--date", today.isoformat(), "--out", str(usb)).strip())
    assert package == usb / f"LH01_{today:%Y%m%d}.zip"
    with zipfile.ZipFile(package) as z:
        manifest = json.loads(z.read("manifest.json"))
    assert (manifest["draft"], manifest["demo"], manifest["closed_by"]) == (False, False, "lin")
    totals = manifest["totals"]
    assert (totals["checkin_visits"], totals["meals"], totals["meal_gov_fen"],
            totals["meal_village_fen"], totals["meal_self_fen"]) == (1, 1, 700, 200, 300)
    assert (totals["points_earned"], totals["points_redeemed"], totals["redemptions"]) == (
        20, 10, 1)

    # -- the town: check the package, merge it ------------------------------------------
    desk.refused("town", "init", "--town", "龙湖镇", "--admin", "town", "--password-file",
                 str(desk.home / "管理员 密码.txt"), "--db", str(desk.home / "镇.sqlite3"),
                 operator=None, db=False, words="PostgreSQL")
    town = desk.home / "镇 街道"
    town.mkdir()
    tampered = town / "篡改" / package.name
    tampered.parent.mkdir()
    with zipfile.ZipFile(package) as src, zipfile.ZipFile(tampered, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "csv/04_meals.csv":  # the government's share: 7 → 9 元
                assert b",7.00," in data
                data = data.replace(b",7.00,", b",9.00,")
            dst.writestr(item, data)
    bad = desk.run("town", "merge", str(tampered), "--out", str(town / "坏.xlsx"), code=1,
                   db=False)
    assert "未通过校验" in bad.stderr and "Traceback" not in bad.stderr
    merged = desk.run("town", "merge", str(usb), "--out", str(town / "镇 汇总.xlsx"),
                      "--pdf", str(town / "镇 汇总.pdf"), db=False).stdout
    assert "已合并 1 个数据包" in merged
    book = openpyxl.load_workbook(town / "镇 汇总.xlsx", read_only=True)
    header, row = list(book["各中心每日"].iter_rows(values_only=True))[:2]
    day = dict(zip(header, row, strict=True))
    assert (day["中心编码"], day["中心名称"], day["草稿"]) == ("LH01", "龙湖镇 福林邻里中心", "否")
    assert (day["就餐份数（份）"], day["政府补助合计（元）"], day["村(社区)补助合计（元）"],
            day["自付合计（元）"]) == (1, 7, 2, 3)
    assert (day["签到人次（人次）"], day["获得积分（积分）"],
            day["兑换积分（积分）"]) == (1, 20, 10)
    assert not list(book["未通过校验"].iter_rows(min_row=2, values_only=True))
    book.close()
    assert (town / "镇 汇总.pdf").read_bytes().startswith(b"%PDF-")

    # -- what the database holds, read only to assert -------------------------------------
    assert desk.sql("SELECT username, role FROM operator ORDER BY id") == [
        ("admin", "admin"), ("lin", "desk")]
    assert desk.sql("SELECT count(*), count(checked_out_at) FROM checkin") == [(1, 1)]
    assert desk.sql("SELECT operator_username, reprint_count FROM document"
                    " WHERE kind = 'canteen.ticket'") == [("lin", 1)]
    shares = desk.sql("SELECT s.funder_name, s.amount_fen FROM canteen_ticket_share s"
                      " ORDER BY s.amount_fen DESC")
    assert shares == [("政府补助", 700), ("村级", 200)]
    assert desk.sql("SELECT business_date, booker_name, status FROM booking") == [
        (tomorrow.isoformat(), "晋江 福林电子公司", "confirmed")]
    assert desk.sql("SELECT points, credited_minutes FROM volunteer_service") == [(20, 120)]
    assert desk.sql("SELECT stock FROM shop_goods") == [(19,)]
    assert desk.sql("SELECT closed, closed_by FROM closed_day") == [(1, "lin")]
