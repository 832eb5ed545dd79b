"""The town merge: checks every package, refuses damaged ones, flags duplicates and gaps."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from frontdesk.cli import main
from frontdesk.dayclose.town import (
    PackageRefused,
    merge_packages,
    read_package,
    read_package_bytes,
    town_summary,
    write_town_workbook,
)

from .conftest import WritePackage

NOV = dt.date(2026, 11, 1)


def _rezip(path: Path, change: dict[str, bytes]) -> None:
    """Rewrite the package with some members replaced (as a hand edit would)."""
    with zipfile.ZipFile(path) as src:
        members = [(info, change.get(info.filename, src.read(info))) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in members:
            dst.writestr(info, data)


def _read(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


def _edit_manifest(path: Path, **fields: object) -> None:
    manifest = json.loads(_read(path, "manifest.json"))
    manifest.update(fields)
    _rezip(path, {"manifest.json": json.dumps(manifest, ensure_ascii=False).encode()})


def test_a_valid_package_reads_back(write_day: WritePackage) -> None:
    info = read_package(write_day(day=NOV))
    assert (info.centre_code, info.business_date, info.draft) == ("JJ01", NOV, False)
    assert info.totals["meals"] >= 1


def test_a_byte_edited_csv_is_detected(write_day: WritePackage) -> None:
    path = write_day(day=NOV)
    data = bytearray(_read(path, "csv/04_meals.csv"))
    at = data.index("自付".encode()) + 40
    data[at] = ord("9") if data[at] != ord("9") else ord("8")
    _rezip(path, {"csv/04_meals.csv": bytes(data)})
    with pytest.raises(PackageRefused, match=r"04_meals\.csv.*校验码不符"):
        read_package(path)


def test_an_edited_manifest_total_is_detected(write_day: WritePackage) -> None:
    path = write_day(day=NOV)
    totals = json.loads(_read(path, "manifest.json"))["totals"]
    totals["meal_gov_fen"] += 100
    _edit_manifest(path, totals=totals)
    with pytest.raises(PackageRefused, match="meal_gov_fen"):
        read_package(path)


def test_an_extra_file_is_detected(write_day: WritePackage) -> None:
    path = write_day(day=NOV)
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("csv/99_extra.csv", "x")
    with pytest.raises(PackageRefused, match=r"99_extra\.csv"):
        read_package(path)


def test_a_newer_major_format_is_refused_with_a_clear_message(write_day: WritePackage) -> None:
    path = write_day(day=NOV)
    _edit_manifest(path, format_version="2.0", something_new={"x": 1})
    with pytest.raises(PackageRefused) as refused:
        read_package(path)
    assert "2.0" in refused.value.message and "升级" in refused.value.message


def test_a_newer_minor_format_is_accepted(write_day: WritePackage) -> None:
    path = write_day(day=NOV)
    _edit_manifest(path, format_version="1.7", added_in_1_7="ignored")
    assert read_package(path).business_date == NOV


def test_not_a_zip_and_a_cut_off_zip_are_refused(write_day: WritePackage, tmp_path: Path
                                                 ) -> None:
    path = write_day(day=NOV)
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    with pytest.raises(PackageRefused, match="ZIP"):
        read_package(path)
    other = tmp_path / "notes.zip"
    other.write_text("hello", encoding="utf-8")
    with pytest.raises(PackageRefused, match="ZIP"):
        read_package(other)


def test_any_flipped_byte_is_refused_never_crashes(write_day: WritePackage) -> None:
    path = write_day(day=NOV)
    original = path.read_bytes()
    reasons = set()
    for at in range(0, len(original), max(1, len(original) // 120)):
        damaged = bytearray(original)
        damaged[at] ^= 0x5A
        try:
            read_package_bytes(path.name, bytes(damaged))
        except PackageRefused as exc:
            reasons.add(exc.message.split("：")[0][:12])
            continue
        # a flip in a spot no reader uses (e.g. a ZIP comment or timestamp) may pass, but
        # then every file's content is still exactly what the manifest lists
        with zipfile.ZipFile(io.BytesIO(bytes(damaged))) as z:
            manifest = json.loads(z.read("manifest.json"))
            for entry in manifest["files"]:
                assert hashlib.sha256(z.read(entry["name"])).hexdigest() == entry["sha256"]
    assert len(reasons) >= 2  # different damage, explained differently


def test_damaged_packages_are_refused_while_the_rest_merge(write_day: WritePackage,
                                                           tmp_path: Path) -> None:
    good = [write_day(code=code, day=NOV + dt.timedelta(days=d), seed=d)
            for code in ("JJ01", "JJ02") for d in range(3)]
    damaged = good[4]
    damaged.write_bytes(damaged.read_bytes()[:500])
    merge = merge_packages([tmp_path / "packages"])
    assert len(merge.packages) == 5
    assert [(r.file, "ZIP" in r.reason) for r in merge.refused] == [(damaged.name, True)]
    assert merge.missing[0].centre_code == "JJ02" and len(merge.missing) == 1


def test_duplicate_days_are_flagged_and_one_kept(write_day: WritePackage, tmp_path: Path
                                                 ) -> None:
    original = write_day(day=NOV)
    copy_folder = tmp_path / "copy"
    copy_folder.mkdir()
    shutil.copy(original, copy_folder / "JJ01_20261101 (1).zip")
    draft = write_day(folder=tmp_path / "draft", day=NOV, seed=9, draft=True, closed_by=None)
    merge = merge_packages([tmp_path / "packages", copy_folder, draft])
    assert len(merge.packages) == 1
    kept = merge.packages[0]
    assert kept.draft is False
    # the two identical copies tie: the file name decides, so the result never depends on order
    assert kept.file == "JJ01_20261101 (1).zip"
    assert sorted((d.dropped, d.identical) for d in merge.duplicates) == [
        ("JJ01_20261101.zip", False), ("JJ01_20261101.zip", True)]  # the draft, the copy
    assert all((d.kept, d.centre_code, d.business_date) == (kept.file, "JJ01", NOV)
               for d in merge.duplicates)


def test_missing_days_are_listed_up_to_the_latest_date(write_day: WritePackage,
                                                       tmp_path: Path) -> None:
    for d in (1, 2, 4):
        write_day(code="JJ01", day=dt.date(2026, 11, d), seed=d)
    write_day(code="JJ02", day=dt.date(2026, 11, 5), seed=5)
    merge = merge_packages([tmp_path / "packages"])
    missing = [(m.centre_code, m.business_date.day) for m in merge.missing]
    assert missing == [("JJ01", 3), ("JJ01", 5), ("JJ02", 1), ("JJ02", 2), ("JJ02", 3),
                       ("JJ02", 4)]


def test_merging_twice_gives_the_same_workbook_whatever_the_order(
        write_day: WritePackage, tmp_path: Path) -> None:
    paths = [write_day(code=code, day=NOV + dt.timedelta(days=d), seed=d)
             for code in ("JJ02", "JJ01") for d in range(2)]
    first = write_town_workbook(merge_packages(paths), tmp_path / "town1.xlsx")
    second = write_town_workbook(merge_packages(list(reversed(paths))),
                                 tmp_path / "town2.xlsx")
    assert first.read_bytes() == second.read_bytes()


def test_the_town_workbook_adds_up(write_day: WritePackage, tmp_path: Path) -> None:
    paths = [write_day(code=code, day=NOV + dt.timedelta(days=d), seed=10 * i + d)
             for i, code in enumerate(("JJ01", "JJ02")) for d in range(3)]
    infos = [read_package(p) for p in paths]
    merge = merge_packages([tmp_path / "packages"])
    out = write_town_workbook(merge, tmp_path / "town.xlsx")
    wb = load_workbook(io.BytesIO(out.read_bytes()))
    assert wb.sheetnames == ["说明", "各中心每日", "月度汇总", "资金方合计", "缺报日期",
                             "重复数据包", "未通过校验"]
    assert wb["各中心每日"].max_row == 1 + 6
    monthly = list(wb["月度汇总"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2], r[3]) for r in monthly] == [("JJ01", "2026-11", 3),
                                                    ("JJ02", "2026-11", 3)]
    funders = {r[0]: r for r in wb["资金方合计"].iter_rows(min_row=2, values_only=True)}
    gov_jj01 = sum(i.totals["meal_gov_fen"] for i in infos if i.centre_code == "JJ01")
    assert round(funders["JJ01"][3] * 100) == gov_jj01
    all_price = sum(i.totals["meal_price_fen"] for i in infos)
    assert round(funders["合计"][7] * 100) == all_price
    summary = town_summary(merge)
    assert [c.days_reported for c in summary.centres] == [3, 3]
    assert summary.town_totals["meal_price_fen"] == all_price
    assert (summary.first_date, summary.last_date) == (NOV, NOV + dt.timedelta(days=2))


@pytest.mark.usefixtures("process_clock")  # the CLI acts by the process clock
def test_cli_town_merge_writes_the_workbook_and_reports_refusals(
        write_day: WritePackage, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_day(day=NOV)
    broken = write_day(day=NOV + dt.timedelta(days=1), seed=2)
    broken.write_bytes(b"not a zip")
    out = tmp_path / "town.xlsx"
    code = main(["town", "merge", str(tmp_path / "packages"), str(tmp_path / "nowhere"),
                 "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 1 and out.exists()
    assert "已合并 1 个数据包" in captured.out
    assert broken.name in captured.err and "nowhere" in captured.err
