"""Closing a day locks it; an admin reopens it with a reason; exports, drafts and backups."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from frontdesk.cli import main
from frontdesk.core import settings
from frontdesk.core.actor import Actor
from frontdesk.core.audit import query_audit
from frontdesk.core.clock import FixedClock
from frontdesk.core.dayguard import ensure_day_open, is_day_closed
from frontdesk.core.db import Database
from frontdesk.core.errors import PermissionDenied, RuleError
from frontdesk.dayclose import format as fmt
from frontdesk.dayclose import registry
from frontdesk.dayclose.registry import DayPart, DayWarning, ExportOptions
from frontdesk.dayclose.service import (
    close_day,
    close_with_backup,
    day_overview,
    days_needing_export,
    export_days,
    reopen_day,
)
from frontdesk.dayclose.town import read_package

TODAY = dt.date(2026, 11, 22)
YESTERDAY = TODAY - dt.timedelta(days=1)

# What the test feature reports for a day (set by the tests).
FEATURE: dict[str, object] = {}


def feature_exporter(session: Session, day: dt.date, options: ExportOptions) -> DayPart:
    """A stand-in feature: one meal with a full or masked ID, cash taken, warnings."""
    id_number = "350582194001011234"
    shown = id_number if options.full_id_numbers else "350582********1234"
    meal = (day, "M0001", dt.datetime.combine(day, dt.time(11, 30), tzinfo=dt.UTC), "陈阿婆",
            shown, 86, "80岁以上", "午餐", "堂食", 990, 500, 100, 0, 390, "现金", False, "",
            "", "", "林前台", fmt.STATUS_VALID, "")
    return DayPart(
        sheets={fmt.MEALS: [meal]},
        totals={"meals": 1, "meal_price_fen": 990, "meal_gov_fen": 500,
                "meal_village_fen": 100, "meal_charity_fen": 0, "meal_self_fen": 390},
        expected_payments=dict(FEATURE.get("payments", {"cash": 390})),  # type: ignore[call-overload]
        warnings=tuple(FEATURE.get("warnings", ())),  # type: ignore[call-overload]
        pdfs={"canteen.pdf": b"%PDF-1.4 canteen"} if options.with_pdfs else {},
    )


@pytest.fixture(autouse=True)
def _feature(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    FEATURE.clear()
    monkeypatch.setattr(registry, "DAY_EXPORTERS",
                        [f"{__name__}:feature_exporter"])
    yield
    FEATURE.clear()


def _close(db: Database, actor: Actor, day: dt.date = YESTERDAY, **kw: object) -> None:
    kw.setdefault("counted_cash", {"cash": 390})
    with db.session() as session:
        close_day(session, actor, day, **kw)  # type: ignore[arg-type]


def test_a_closed_day_refuses_changes_until_an_admin_reopens_it(
        centre_db: Database, desk: Actor, admin: Actor) -> None:
    with centre_db.read() as session:
        ensure_day_open(session, YESTERDAY)  # open: no complaint
    _close(centre_db, desk)
    with centre_db.read() as session:
        assert is_day_closed(session, YESTERDAY)
        with pytest.raises(RuleError, match="2026-11-21 已日结"):
            ensure_day_open(session, YESTERDAY)
        ensure_day_open(session, TODAY)  # other days stay open
    with centre_db.session() as session, pytest.raises(PermissionDenied):
        reopen_day(session, desk, YESTERDAY, "改错票")
    with centre_db.session() as session, pytest.raises(RuleError, match="原因"):
        reopen_day(session, admin, YESTERDAY, " ")
    with centre_db.session() as session:
        overview = reopen_day(session, admin, YESTERDAY, "补录一张漏登的餐票")
    assert overview.state == "reopened"
    with centre_db.read() as session:
        ensure_day_open(session, YESTERDAY)
        actions = [(r.action, r.summary) for r in query_audit(session)]
        history = [e.kind for e in day_overview(session, YESTERDAY).history]
    assert ("day.reopen", "补录一张漏登的餐票") in actions
    assert any(a == "day.close" for a, _ in actions)
    assert history == ["close", "reopen"]


def test_close_refuses_future_days_and_closing_twice(centre_db: Database, desk: Actor) -> None:
    with centre_db.session() as session, pytest.raises(RuleError, match="还没到"):
        close_day(session, desk, TODAY + dt.timedelta(days=1))
    _close(centre_db, desk)
    with centre_db.session() as session, pytest.raises(RuleError, match="已经日结"):
        close_day(session, desk, YESTERDAY, counted_cash={"cash": 390})


def test_warnings_must_be_acknowledged_and_a_cash_gap_is_one(
        centre_db: Database, desk: Actor) -> None:
    FEATURE["warnings"] = [DayWarning("checkin.open", "还有 2 人未签退")]
    with centre_db.session() as session, pytest.raises(RuleError) as refused:
        close_day(session, desk, YESTERDAY, counted_cash={"cash": 300})
    message = refused.value.message
    assert "[checkin.open] 还有 2 人未签退" in message
    assert "[cash.cash]" in message and "3.90" in message and "-0.90" in message
    with centre_db.read() as session:
        assert not is_day_closed(session, YESTERDAY)  # nothing stored by the refusal
    with centre_db.session() as session, pytest.raises(RuleError, match="还没有清点现金"):
        close_day(session, desk, YESTERDAY, acknowledged={"checkin.open"})
    with centre_db.session() as session:
        overview = close_day(session, desk, YESTERDAY, counted_cash={"cash": 300},
                             acknowledged={"checkin.open", "cash.cash"})
    assert overview.state == "closed" and overview.counted_cash == {"cash": 300}


def test_only_cash_must_be_counted_other_methods_when_entered(centre_db: Database,
                                                              desk: Actor) -> None:
    FEATURE["payments"] = {"cash": 390, "wechat": 1200}
    with centre_db.session() as session, pytest.raises(RuleError) as refused:
        close_day(session, desk, YESTERDAY, counted_cash={"cash": 390, "wechat": 1000})
    assert "[cash.wechat]" in refused.value.message and "[cash.cash]" not in \
        refused.value.message
    with centre_db.session() as session:
        assert close_day(session, desk, YESTERDAY, counted_cash={"cash": 390}).state == "closed"


def test_a_reopened_day_must_be_closed_and_exported_again(
        centre_db: Database, desk: Actor, admin: Actor, tmp_path: Path) -> None:
    _close(centre_db, desk)
    with centre_db.read() as session:
        assert days_needing_export(session) == [YESTERDAY]
    export_days(centre_db, desk, YESTERDAY, YESTERDAY, tmp_path)
    with centre_db.read() as session:
        assert days_needing_export(session) == []
    with centre_db.session() as session:
        reopen_day(session, admin, YESTERDAY, "更正餐票")
    with centre_db.read() as session:
        assert days_needing_export(session) == []  # open again: close it first
    _close(centre_db, admin)
    with centre_db.read() as session:
        assert days_needing_export(session) == [YESTERDAY]
        assert day_overview(session, YESTERDAY).needs_export


def test_exporting_a_closed_day_twice_gives_identical_packages(
        centre_db: Database, desk: Actor, clock: FixedClock, tmp_path: Path) -> None:
    _close(centre_db, desk)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    [first] = export_days(centre_db, desk, YESTERDAY, YESTERDAY, tmp_path / "a")
    clock.advance(hours=3)
    [second] = export_days(centre_db, desk, YESTERDAY, YESTERDAY, tmp_path / "b")
    assert first.path.read_bytes() == second.path.read_bytes()
    info = read_package(first.path)
    assert (info.centre_code, info.draft, info.closed_by) == ("TEST01", False, "desk")
    assert info.totals["meal_gov_fen"] == 500
    with zipfile.ZipFile(first.path) as z:
        assert "pdf/canteen.pdf" in z.namelist()
        manifest = json.loads(z.read("manifest.json"))
        summary = z.read("csv/01_summary.csv").decode("utf-8-sig")
    assert manifest["generated_at"] == "2026-11-22T10:00:00+08:00"  # the close time
    assert "政府补助合计,meal_gov_fen,5.00,元" in summary


def test_an_unclosed_day_exports_only_as_a_draft(centre_db: Database, desk: Actor,
                                                 tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    with pytest.raises(RuleError, match=r"2026-11-21.*草稿"):
        export_days(centre_db, desk, YESTERDAY, YESTERDAY, stick)
    assert list(stick.iterdir()) == []
    [result] = export_days(centre_db, desk, YESTERDAY, YESTERDAY, stick, draft_ok=True)
    info = read_package(result.path)
    assert result.draft and info.draft and info.closed_by is None


def test_a_range_exports_one_package_per_day(centre_db: Database, desk: Actor,
                                             tmp_path: Path) -> None:
    tmp_path = tmp_path / "stick"
    tmp_path.mkdir()
    first = YESTERDAY - dt.timedelta(days=2)
    for i in range(3):
        _close(centre_db, desk, first + dt.timedelta(days=i))
    seen: list[int] = []
    results = export_days(centre_db, desk, first, YESTERDAY, tmp_path,
                          progress=lambda done, total, what: seen.append(100 * done // total))
    assert [r.path.name for r in results] == ["TEST01_20261119.zip", "TEST01_20261120.zip",
                                              "TEST01_20261121.zip"]
    assert seen[-1] == 100 and seen[:-1] == sorted(seen[:-1])
    with pytest.raises(RuleError, match="找不到导出文件夹"):
        export_days(centre_db, desk, first, YESTERDAY, tmp_path / "gone")


def test_full_id_numbers_only_when_the_setting_says_so(centre_db: Database, desk: Actor,
                                                       admin: Actor, tmp_path: Path) -> None:
    _close(centre_db, desk)
    [masked] = export_days(centre_db, desk, YESTERDAY, YESTERDAY, tmp_path)
    with zipfile.ZipFile(masked.path) as z:
        assert "350582********1234" in z.read("csv/04_meals.csv").decode("utf-8-sig")
    with centre_db.session() as session:
        settings.set_value(session, admin, "dayclose.full_id_numbers", True)
    [full] = export_days(centre_db, desk, YESTERDAY, YESTERDAY, tmp_path)
    info = read_package(full.path)
    with zipfile.ZipFile(full.path) as z:
        assert "350582194001011234" in z.read("csv/04_meals.csv").decode("utf-8-sig")
    assert info.full_id_numbers


@pytest.mark.sqlite_only
def test_each_close_backs_up_the_database_keeping_the_newest(
        centre_db: Database, desk: Actor, admin: Actor) -> None:
    with centre_db.session() as session:
        settings.set_value(session, admin, "backup.keep", 2)
    backups = []
    for back in (3, 2, 1):
        result = close_with_backup(centre_db, desk, TODAY - dt.timedelta(days=back),
                                   counted_cash={"cash": 390})
        assert result.backup is not None and result.backup.exists()
        backups.append(result.backup)
    folder = backups[0].parent
    assert sorted(p.name for p in folder.glob("*.sqlite3")) == sorted(
        p.name for p in backups[1:])
    restored = Database(f"sqlite:///{backups[-1]}")
    with restored.read() as session:
        assert is_day_closed(session, TODAY - dt.timedelta(days=1))
    restored.dispose()


@pytest.mark.usefixtures("process_clock")  # the CLI acts by the process clock
def test_cli_close_reopen_and_export(centre_db: Database, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    url = centre_db.url
    day = YESTERDAY.isoformat()
    assert main(["--db", url, "--operator", "desk", "close", "--date", day]) == 1
    assert "还没有清点现金" in capsys.readouterr().err
    assert main(["--db", url, "--operator", "desk", "close", "--date", day,
                 "--cash", "cash=3.90"]) == 0
    assert "已备份" in capsys.readouterr().out
    out = tmp_path / "stick"
    out.mkdir()
    assert main(["--db", url, "--operator", "desk", "export", "--date", day, "--out",
                 str(out)]) == 0
    assert (out / "TEST01_20261121.zip").exists()
    assert main(["--db", url, "--operator", "desk", "reopen", "--date", day, "--reason",
                 "更正"]) == 1
    assert "管理员" in capsys.readouterr().err
    assert main(["--db", url, "--operator", "admin", "reopen", "--date", day, "--reason",
                 "更正"]) == 0


def test_a_demo_centres_package_says_so_and_the_town_refuses_it(
        centre_db: Database, admin: Actor, desk: Actor, tmp_path: Path) -> None:
    from frontdesk.core.centre import mark_demo
    from frontdesk.dayclose.town import PackageRefused

    with centre_db.session() as session:
        mark_demo(session, admin)
    _close(centre_db, desk)
    [result] = export_days(centre_db, desk, YESTERDAY, YESTERDAY, tmp_path)
    with zipfile.ZipFile(result.path) as z:
        manifest = json.loads(z.read("manifest.json"))
    assert manifest["demo"] is True
    assert manifest["centre"]["name"] == "【演示】测试邻里中心"
    with pytest.raises(PackageRefused, match="演示中心"):
        read_package(result.path)
