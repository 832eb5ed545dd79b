"""A centre's setup travels: exported from one centre, previewed and imported into another."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from frontdesk.canteen import service as canteen
from frontdesk.centre_setup import (
    ADD,
    DIFFERS,
    SAME,
    export_setup,
    import_setup,
    plan_import,
    read_setup,
)
from frontdesk.checkin import service as checkin
from frontdesk.cli import main
from frontdesk.core.actor import Actor
from frontdesk.core.centre import initialise
from frontdesk.core.clock import FixedClock
from frontdesk.core.db import Database
from frontdesk.core.errors import RuleError
from frontdesk.rooms import service as rooms
from frontdesk.volunteers import service as volunteers
from frontdesk.volunteers import shop

from .conftest import ON_POSTGRES


def _set_up(db: Database, admin: Actor) -> None:
    """What an admin set up at centre A, through the services."""
    with db.session() as s:
        canteen.create_funder(s, admin, "个人自付", is_self=True)
        gov = canteen.create_funder(s, admin, "镇政府补助")
        canteen.create_funder(s, admin, "村级筹资")
        lunch = canteen.create_session(s, admin, "午餐", "11:00", "12:30", 1200, 80)
        self_id = canteen.self_funder_id(s)
        canteen.save_rule(s, admin, canteen.RuleForm(
            name="80岁以上", priority=10, effective_from=dt.date(2026, 1, 1), effective_to=None,
            shares=((gov.id, 900, False), (self_id, 0, True)), min_age=80,
            session_id=lunch.id))
        checkin.save_purpose(s, admin, None, name="法律援助", area="party", hotkey="Q")
        checkin.save_tally_group(s, admin, None, name="网约车司机")
        hall = rooms.create_room(s, admin, "多功能厅", capacity=80, needs_approval=True)
        rooms.create_room(s, admin, "多功能厅东半场", capacity=40, parent_id=hall.id)
        rooms.create_organisation(s, admin, "晋江农商银行", kind="firm", contact="张经理",
                                  phone="13905951234")
        volunteers.create_team(s, admin, "红马甲服务队")
        cat = volunteers.create_category(s, admin, "助老服务", 10)
        volunteers.create_activity(s, admin, "陪老人就医", cat, cap_hours=2)
        shop.add_goods(s, admin, "香皂", 12, "块")


@pytest.fixture
def other_centre(request: pytest.FixtureRequest, tmp_path: Path,
                 clock: FixedClock) -> Iterator[tuple[Database, Actor]]:
    """Centre B: another new database after its first run, with its own admin."""
    if ON_POSTGRES:
        db = Database(request.getfixturevalue("pg_copies").take())
    else:
        path = tmp_path / "centre B" / "frontdesk.sqlite3"
        path.parent.mkdir()
        shutil.copyfile(request.getfixturevalue("template_db"), path)
        db = Database(f"sqlite:///{path}")
    with db.session() as s:
        admin = initialise(s, centre_name="乙中心", centre_code="B02", town="测试街道",
                           admin_username="badmin", admin_password="b-password", clock=clock)
    try:
        yield db, admin
    finally:
        db.dispose()
        if ON_POSTGRES:
            from .conftest import _drop_pg_database

            _drop_pg_database(db.url)


def test_a_setup_exported_at_one_centre_imports_at_another(
        centre_db: Database, admin: Actor, other_centre: tuple[Database, Actor]) -> None:
    _set_up(centre_db, admin)
    with centre_db.read() as s:
        data = export_setup(s)
        assert export_setup(s) == data  # the same setup gives the same file
    text = data.decode("utf-8")
    assert "张经理" not in text and "13905951234" not in text  # no people travel
    setup = read_setup(data)
    b_db, b_admin = other_centre
    with b_db.read() as s:
        plan = plan_import(s, setup)
    adds = {(c.section, c.name) for c in plan if c.action == ADD}
    assert ("长者食堂餐次", "午餐") in adds and ("场地", "多功能厅东半场") in adds
    assert ("助餐补助规则", "80岁以上") in adds and ("积分超市物品", "香皂") in adds
    with b_db.read() as s:  # the preview changed nothing
        assert canteen.list_funders(s) == []
    with b_db.session() as s:
        import_setup(s, b_admin, setup)
    with b_db.read() as s:
        assert read_setup(export_setup(s)) == setup
        [hall, part] = [r for r in rooms.list_rooms(s) if r.name.startswith("多功能厅")]
        assert part.parent_id == hall.id and hall.needs_approval
        [rule] = canteen.list_rules(s)
        assert rule.spec.min_age == 80 and rule.spec.session_id is not None
        assert [o.contact for o in rooms.list_organisations(s)] == [""]
    # A second import finds everything there already and adds nothing.
    with b_db.session() as s:
        again = import_setup(s, b_admin, setup)
    assert {c.action for c in again} == {SAME}


def test_an_item_with_the_same_name_but_other_settings_is_listed_and_left_alone(
        centre_db: Database, admin: Actor, other_centre: tuple[Database, Actor]) -> None:
    _set_up(centre_db, admin)
    with centre_db.read() as s:
        setup = read_setup(export_setup(s))
    b_db, b_admin = other_centre
    with b_db.session() as s:
        shop.add_goods(s, b_admin, "香皂", 15, "块")
    with b_db.session() as s:
        plan = import_setup(s, b_admin, setup)
    assert ("积分超市物品", "香皂", DIFFERS) in {(c.section, c.name, c.action) for c in plan}
    with b_db.read() as s:
        assert [g.points_price for g in shop.list_goods(s) if g.name == "香皂"] == [15]


def test_a_centre_that_issued_tickets_refuses_an_import_and_keeps_everything(
        centre_db: Database, admin: Actor, desk: Actor,
        other_centre: tuple[Database, Actor]) -> None:
    b_db, b_admin = other_centre
    with b_db.session() as s:
        canteen.create_funder(s, b_admin, "自付", is_self=True)
        canteen.create_session(s, b_admin, "午餐", "11:00", "13:00", 1000)
    with b_db.session() as s:
        canteen.issue_ticket(s, b_admin, resident_id=None, diner_kind="guest", diner_name="访客")
    _set_up(centre_db, admin)
    with centre_db.read() as s:
        setup = read_setup(export_setup(s))
    with b_db.read() as s:
        before = export_setup(s)
    with pytest.raises(RuleError, match="已经出过 1 张餐票"), b_db.session() as s:
        import_setup(s, b_admin, setup)
    with b_db.read() as s:
        assert export_setup(s) == before


@pytest.mark.parametrize(("data", "message"), [
    (b"\x89PNG\r\n", "不是邻里前台导出的中心设置文件"),
    (json.dumps({"format": "other-program", "sections": {}}).encode(), "不是邻里前台"),
    (json.dumps({"format": "frontdesk-centre-setup", "format_version": "2.0",
                 "app_version": "9.0.0", "sections": {}}).encode(), r"更新版本.*9\.0\.0"),
    (json.dumps({"format": "frontdesk-centre-setup", "format_version": "1.0",
                 "sections": {"canteen.sessions": [{"price_fen": 1}]}}).encode(), "已损坏"),
])
def test_a_file_from_elsewhere_or_a_newer_version_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        read_setup(data)


def test_an_item_the_rules_refuse_refuses_the_whole_import(
        centre_db: Database, admin: Actor) -> None:
    setup = {"canteen.sessions": [
        {"name": "早餐", "start_time": "07:00", "end_time": "08:00", "price_fen": 500,
         "capacity": None},
        {"name": "晚餐", "start_time": "18:00", "end_time": "17:00", "price_fen": 900,
         "capacity": None}]}
    with pytest.raises(RuleError, match=r"“晚餐”不能导入.*结束时间"), centre_db.session() as s:
        import_setup(s, admin, setup)
    with centre_db.read() as s:
        assert read_setup(export_setup(s))["canteen.sessions"] == []


def test_the_cli_previews_then_imports(centre_db: Database, admin: Actor,
                                       other_centre: tuple[Database, Actor], tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str],
                                       process_clock: FixedClock) -> None:
    _set_up(centre_db, admin)
    out = tmp_path / "设置 文件" / "青阳.json"
    out.parent.mkdir()
    assert main(["--db", centre_db.url, "setup", "export", str(out)]) == 0
    b_db, _ = other_centre
    capsys.readouterr()
    assert main(["--db", b_db.url, "setup", "import", str(out)]) == 0
    preview = capsys.readouterr().out
    assert "午餐\t新增" in preview and "没有做任何改动" in preview
    with b_db.read() as s:
        assert canteen.list_funders(s) == []
    assert main(["--db", b_db.url, "--operator", "badmin", "setup", "import", str(out),
                 "--yes"]) == 0
    assert "已导入" in capsys.readouterr().out
    with b_db.read() as s:
        assert {f.name for f in canteen.list_funders(s)} >= {"镇政府补助", "村级筹资"}


def test_the_settings_page_previews_and_imports_a_setup_file(
        qtbot, centre_db: Database, admin: Actor,  # type: ignore[no-untyped-def]
        other_centre: tuple[Database, Actor], tmp_path: Path) -> None:
    from PySide6.QtWidgets import QMessageBox

    from frontdesk.ui.context import DeskContext
    from frontdesk.ui.setup_transfer import SetupImportDialog, export_setup_to, read_setup_file
    from tests.helpers.qt import when_modal

    _set_up(centre_db, admin)
    path = tmp_path / "甲 中心.json"
    assert export_setup_to(DeskContext(centre_db, admin), None, path)
    b_db, b_admin = other_centre
    b_ctx = DeskContext(b_db, b_admin)
    setup = read_setup_file(None, path)
    assert setup is not None
    dialog = SetupImportDialog(b_ctx, setup, str(path))
    qtbot.add_widget(dialog)
    rows = {(dialog.table.item(r, 1).text(), dialog.table.item(r, 2).text())
            for r in range(dialog.table.rowCount())}
    assert ("午餐", "新增") in rows and ("香皂", "新增") in rows
    dialog.import_button.click()
    assert dialog.result() == SetupImportDialog.DialogCode.Accepted
    with b_db.read() as s:
        assert [x.spec.name for x in canteen.list_rules(s)] == ["80岁以上"]
    # A second look finds nothing to add: the button is off.
    again = SetupImportDialog(b_ctx, setup, str(path))
    qtbot.add_widget(again)
    assert not again.import_button.isEnabled()
    # A file that is not a setup file is explained, not imported.
    bad = tmp_path / "照片.json"
    bad.write_bytes(b"\x89PNG")
    seen: list[str] = []

    def read_message(box: QMessageBox) -> None:
        seen.append(box.text())
        box.accept()

    when_modal(QMessageBox, read_message)
    assert read_setup_file(None, bad) is None
    assert seen and "不是邻里前台导出的中心设置文件" in seen[0]
