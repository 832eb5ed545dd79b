"""Importing XLSX/CSV: encodings, header mapping, bad rows, bad files, all-or-nothing, CLI."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from frontdesk.cli import EXIT_OK, EXIT_REFUSED, main
from frontdesk.core.actor import Actor
from frontdesk.core.audit import query_audit
from frontdesk.core.db import Database
from frontdesk.core.errors import RuleError
from frontdesk.residents.importer import (
    ImportOutcome,
    guess_mapping,
    import_residents,
    read_table,
    write_report,
)
from frontdesk.residents.models import Resident
from frontdesk.residents.search import search_residents
from frontdesk.residents.service import ResidentForm, create_resident, get_resident
from tests.residents.helpers import ric

HEADER = ["姓名", "性别", "身份证号码", "联系电话", "家庭住址", "网格", "户籍", "人员类别"]


def _rows() -> list[list[str]]:
    return [
        ["张三丰", "男", ric(seq="111"), "13812345678", "桂山路1号", "第一网格", "本地",
         "高龄、独居"],
        ["阿依古丽·买买提", "女", ric(birth="19800202", seq="222"), "0595-88881234", "", "", "外来",
         "党员"],
        ["𠮷田花子", "", "", "", "", "", "", "低保,失能"],
    ]


def _csv(path: Path, rows: list[list[str]], encoding: str) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def _import(db: Database, actor: Actor, path: Path, **options: bool) -> ImportOutcome:
    table = read_table(path)
    with db.session() as session:
        return import_residents(session, actor, table, guess_mapping(table.headers), **options)


def _count(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Resident)) or 0


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_each_encoding_offices_write(centre_db: Database, desk: Actor, tmp_path: Path,
                                            encoding: str) -> None:
    rows = [HEADER, *_rows()[:2]]  # GBK has no 𠮷: the third row is UTF-8 only
    path = _csv(tmp_path / "in.csv", rows, encoding)
    outcome = _import(centre_db, desk, path)
    assert (outcome.created, outcome.rejected) == (2, [])
    with centre_db.read() as session:
        found = search_residents(session, "ayiguli")
    assert [(r.name, r.sex, r.hukou, r.tags) for r in found] == [
        ("阿依古丽·买买提", "F", "non_local", ("党员",))]


def test_xlsx_with_rare_characters_and_numbers_as_cells(centre_db: Database, desk: Actor,
                                                        tmp_path: Path) -> None:
    rows: list[list[object]] = [HEADER, *_rows()]
    rows[1][3] = 13812345678  # Excel keeps a phone typed without quotes as a number
    outcome = _import(centre_db, desk, _xlsx(tmp_path / "in.xlsx", rows))
    assert (outcome.created, outcome.rejected) == (3, [])
    with centre_db.read() as session:
        found = search_residents(session, "𠮷田花子")
        assert found[0].tags == ("低保", "失能")
        assert search_residents(session, "5678")[0].phone == "13812345678"
        assert query_audit(session, action="resident.import")[0].summary.startswith("in.xlsx")


def test_english_headers_are_recognised(tmp_path: Path) -> None:
    table = read_table(_csv(tmp_path / "en.csv",
                            [["Name", "ID number", "Phone", "Address", "Tags"]], "utf-8"))
    assert guess_mapping(table.headers) == {"name": 0, "id_number": 1, "phone": 2,
                                            "address": 3, "tags": 4}


def test_a_file_with_no_header_is_refused_plainly(centre_db: Database, desk: Actor,
                                                  tmp_path: Path) -> None:
    path = _csv(tmp_path / "noheader.csv", _rows(), "utf-8")
    with pytest.raises(RuleError, match="找不到“姓名”列"):
        _import(centre_db, desk, path)
    assert _count(centre_db) == 0


def test_bad_rows_are_listed_with_spreadsheet_row_numbers(centre_db: Database, desk: Actor,
                                                          tmp_path: Path) -> None:
    good = ric(seq="333")
    rows = [HEADER,
            ["王喆", "", good, "", "", "", "", ""],                          # row 2: fine
            ["陈昇", "", good, "", "", "", "", ""],                          # 3: same ID as 2
            ["", "男", "", "", "", "", "", ""],                              # 4: no name
            ["李玥", "", good[:-1] + ("1" if good[-1] != "1" else "2"), "", "", "", "", ""],
            ["林堃", "", "", "12345", "", "", "", ""],                       # 6: bad phone
            ["刘䶮", "", "", "", "路" * 500, "", "", ""],                     # 7: 500 chars
            ["蔡明", "不详", "", "", "", "", "", ""],                         # 8: sex
            ["许美", "", "35058219500231123X", "", "", "", "", ""],          # 9: 31 Feb
            ["郑一", "", "", "", "", "", "", "外星人"]]                       # 10: unknown tag
    path = _xlsx(tmp_path / "bad.xlsx", rows)  # type: ignore[arg-type]
    outcome = _import(centre_db, desk, path)
    reasons = dict(outcome.rejected)
    assert outcome.created == 1
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "第 2 行重复" in reasons[3]
    assert "请填写姓名" in reasons[4]
    assert "校验位" in reasons[5]
    assert "电话号码格式不对" in reasons[6]
    assert "现在 500 字" in reasons[7]
    assert "性别" in reasons[8]
    assert "不存在" in reasons[9]
    assert "外星人" in reasons[10]
    report = write_report(outcome, tmp_path / "report.csv")
    lines = report.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "row,reason" and lines[1].startswith("3,")
    assert report.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads the Chinese


def test_existing_id_numbers_need_update_consent(centre_db: Database, desk: Actor,
                                                 tmp_path: Path) -> None:
    number = ric(seq="111")
    with centre_db.session() as session:
        rid = create_resident(session, desk, ResidentForm(
            name="张三丰", id_number=number, emergency_contact="张大", notes="老档案")).id
    rows = [["姓名", "身份证号", "手机号", "标签"], ["张三丰", number, "13812345678", "高龄"]]
    path = _csv(tmp_path / "upd.csv", rows, "utf-8-sig")
    skipped = _import(centre_db, desk, path)
    assert skipped.updated == 0 and "更新已有档案" in skipped.rejected[0][1]
    updated = _import(centre_db, desk, path, update=True)
    assert (updated.created, updated.updated, updated.rejected) == (0, 1, [])
    with centre_db.session() as session:
        r = get_resident(session, rid)
        detail = session.get(Resident, rid)
        assert detail is not None and detail.emergency_contact == "张大"  # nothing lost
        assert detail.notes == "老档案"
    assert (r.phone, r.tags) == ("13812345678", ("高龄",))
    assert _count(centre_db) == 1


def test_a_failure_half_way_leaves_nothing(centre_db: Database, desk: Actor,
                                           tmp_path: Path) -> None:
    rows = [HEADER] + [[f"居民{i}", "", "", "", "", "", "", ""] for i in range(600)]
    table = read_table(_csv(tmp_path / "big.csv", rows, "utf-8"))

    def power_cut(done: int, total: int) -> None:
        if done >= 500:
            raise OSError("disk gone")

    with pytest.raises(OSError), centre_db.session() as session:
        import_residents(session, desk, table, guess_mapping(table.headers), progress=power_cut)
    assert _count(centre_db) == 0


def test_a_dry_run_writes_nothing(centre_db: Database, desk: Actor, tmp_path: Path) -> None:
    path = _csv(tmp_path / "in.csv", [HEADER, *_rows()], "utf-8")
    outcome = _import(centre_db, desk, path, dry_run=True)
    assert outcome.created == 3 and _count(centre_db) == 0


def test_unreadable_files_get_a_clear_message(tmp_path: Path) -> None:
    # Tests run as root, so chmod cannot make a file unreadable: a folder, a truncated XLSX
    # (what a copy of a file still open in Excel often is) and an old .xls stand in.
    folder = tmp_path / "residents.xlsx"
    folder.mkdir()
    with pytest.raises(RuleError, match="是文件夹"):
        read_table(folder)
    whole = _xlsx(tmp_path / "whole.xlsx", [HEADER, *_rows()]).read_bytes()
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(RuleError, match="正在被 Excel"):
        read_table(truncated)
    lock = tmp_path / "~$residents.xlsx"  # the owner file Excel leaves beside an open workbook
    lock.write_bytes(b"\x06wang   " + b"\x00" * 100)
    with pytest.raises(RuleError, match="正在被 Excel"):
        read_table(lock)
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    with pytest.raises(RuleError, match=r"\.xls"):
        read_table(old)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(RuleError, match="是空的"):
        read_table(empty)
    with pytest.raises(RuleError, match="无法读取"):
        read_table(tmp_path / "missing.csv")


@pytest.mark.usefixtures("process_clock")  # the CLI acts by the process clock
def test_cli_import_and_find(centre_db: Database, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    url = str(centre_db.engine.url)
    rows = [HEADER, *_rows(), ["坏号", "", ric()[:-1] + "0" if ric()[-1] != "0" else "1"]]
    path = _csv(tmp_path / "in.csv", rows, "utf-8-sig")
    report = tmp_path / "report.csv"
    code = main(["residents", "import", str(path), "--db", url, "--operator", "desk",
                 "--report", str(report)])
    out = capsys.readouterr().out
    assert code == EXIT_REFUSED  # one row was refused: say so in the exit code
    assert "新建 3 人" in out and "第 5 行" in out
    assert report.read_text(encoding="utf-8-sig").splitlines()[1].startswith("5,")
    assert main(["residents", "find", "zsf", "--db", url, "--json"]) == EXIT_OK
    found = capsys.readouterr().out
    assert '"name": "张三丰"' in found and ric(seq="111") not in found  # masked
    assert main(["residents", "find", "没有这个人", "--db", url]) == EXIT_REFUSED
    strict = main(["residents", "import", str(path), "--db", url, "--operator", "desk",
                   "--strict"])
    assert strict == EXIT_REFUSED
    assert "整份文件都未导入" in capsys.readouterr().err
    assert main(["residents", "import", str(tmp_path), "--db", url,
                 "--operator", "desk"]) == EXIT_REFUSED
