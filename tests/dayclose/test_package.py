"""The day package: reproducible bytes, valid manifest, Excel-friendly CSV and XLSX, safe writes."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import random
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import time_machine
from openpyxl import load_workbook

from frontdesk.core.clock import CENTRE_TZ
from frontdesk.core.errors import RuleError
from frontdesk.dayclose import format as fmt
from frontdesk.dayclose.package import SheetData, package_bytes, write_package
from frontdesk.dayclose.schema import SUPPORTED_KEYWORDS, manifest_schema, validate

from .conftest import MakeDay

REPO = Path(__file__).resolve().parents[2]
# A process clock far from the business date: nothing in a package may come from it.
ANOTHER_YEAR = dt.datetime(2031, 7, 15, 23, 45, tzinfo=CENTRE_TZ)


def _zip(path_or_bytes: Path | bytes) -> zipfile.ZipFile:
    data = path_or_bytes.read_bytes() if isinstance(path_or_bytes, Path) else path_or_bytes
    return zipfile.ZipFile(io.BytesIO(data))


def test_the_same_day_gives_byte_identical_packages(make_day: MakeDay, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = write_package(tmp_path / "a", make_day())
    with time_machine.travel(ANOTHER_YEAR, tick=True):  # made on another day, years later
        second = write_package(tmp_path / "b", make_day())
    assert first.name == second.name == "JJ01_20261103.zip"
    assert first.read_bytes() == second.read_bytes()
    # a different day's content gives a different package
    assert package_bytes(make_day(seed=2)) != first.read_bytes()


def test_zip_entries_are_pinned_to_the_business_date_in_a_fixed_order(make_day: MakeDay) -> None:
    with time_machine.travel(ANOTHER_YEAR, tick=True):
        made = package_bytes(make_day(pdfs={"b.pdf": b"%PDF-b", "a.pdf": b"%PDF-a"}))
    with _zip(made) as z:
        names = z.namelist()
        assert names[:3] == ["manifest.json", "manifest.schema.json", "JJ01_20261103.xlsx"]
        assert names[3:11] == [s.csv_name for s in fmt.SHEETS]
        assert names[11:] == ["pdf/a.pdf", "pdf/b.pdf"]
        assert {i.date_time for i in z.infolist()} == {(2026, 11, 3, 0, 0, 0)}
        with _zip(z.read("JJ01_20261103.xlsx")) as workbook:
            assert {i.date_time for i in workbook.infolist()} == {(2026, 11, 3, 0, 0, 0)}
            core = workbook.read("docProps/core.xml").decode()
        assert "2026-11-03T00:00:00Z" in core and str(ANOTHER_YEAR.year) not in core


def test_manifest_is_valid_lists_every_file_and_its_checksum(make_day: MakeDay) -> None:
    export = make_day(pdfs={"daily.pdf": b"%PDF-1.4 test"})
    with _zip(package_bytes(export)) as z:
        manifest = json.loads(z.read("manifest.json"))
        assert validate(manifest) == []
        assert json.loads(z.read("manifest.schema.json")) == manifest_schema()
        assert manifest["centre"] == {"code": "JJ01", "name": "晋江市JJ01社区党建+邻里中心",
                                      "town": "梅岭街道"}
        assert manifest["business_date"] == "2026-11-03"
        assert manifest["generated_at"] == "2026-11-03T18:00:00+08:00"
        assert manifest["draft"] is False and manifest["full_id_numbers"] is False
        assert manifest["totals"] == dict(export.totals)
        listed = {f["name"]: f for f in manifest["files"]}
        assert set(listed) == set(z.namelist()) - {"manifest.json", "manifest.schema.json"}
        for name, entry in listed.items():
            data = z.read(name)
            assert entry["sha256"] == hashlib.sha256(data).hexdigest()
            assert entry["bytes"] == len(data)
        for spec in fmt.SHEETS:
            entry = listed[spec.csv_name]
            assert entry["sheet"] == spec.name
            assert entry["rows"] == len(export.tables[spec.name].rows)
        assert listed["pdf/daily.pdf"]["rows"] is None


def test_the_validator_reports_what_is_wrong(make_day: MakeDay) -> None:
    with _zip(package_bytes(make_day())) as z:
        manifest = json.loads(z.read("manifest.json"))
    manifest["draft"] = "no"
    manifest["files"][0]["sha256"] = "xyz"
    del manifest["centre"]["town"]
    manifest["totals"]["meals"] = 1.5
    errors = validate(manifest)
    assert any("$.draft" in e and "boolean" in e for e in errors)
    assert any("$.files[0].sha256" in e for e in errors)
    assert any("'town'" in e for e in errors)
    assert any("$.totals.meals" in e for e in errors)


def _keywords(node: object) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            if key in ("properties", "$defs"):
                for sub in value.values():
                    found |= _keywords(sub)
            elif isinstance(value, dict):
                found |= _keywords(value)
    return found


def test_the_schema_uses_only_keywords_the_validator_knows() -> None:
    assert _keywords(manifest_schema()) <= SUPPORTED_KEYWORDS
    assert manifest_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    repo_copy = REPO / "frontdesk" / "dayclose" / "manifest.schema.json"
    assert '"frontdesk.dayclose": ["manifest.schema.json"]' in (REPO / "setup.py").read_text()
    assert json.loads(repo_copy.read_text(encoding="utf-8")) == manifest_schema()


def test_csv_is_utf8_with_bom_and_chinese_intact(make_day: MakeDay) -> None:
    export = make_day()
    with _zip(package_bytes(export)) as z:
        raw = z.read("csv/04_meals.csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == [c.header for c in fmt.SHEETS_BY_NAME[fmt.MEALS].columns]
    assert "价格（元）" in rows[0] and "政府补助（元）" in rows[0]
    meals = export.tables[fmt.MEALS].rows
    assert len(rows) == len(meals) + 1
    first, source = rows[1], meals[0]
    assert first[3] == source[3]  # the name, in Chinese
    assert re.fullmatch(r"\d+\.\d\d", first[9]) and int(first[9].replace(".", "")) == source[9]
    assert first[4].startswith("350582") and "********" in first[4]  # masked by default
    assert first[15] in ("是", "否")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", first[2])


def test_xlsx_has_every_sheet_with_typed_cells(make_day: MakeDay) -> None:
    export = make_day()
    with _zip(package_bytes(export)) as z:
        wb = load_workbook(io.BytesIO(z.read("JJ01_20261103.xlsx")))
    assert wb.sheetnames == [s.name for s in fmt.SHEETS]
    meals = wb[fmt.MEALS]
    header = [c.value for c in meals[1]]
    assert header == [c.header for c in fmt.SHEETS_BY_NAME[fmt.MEALS].columns]
    source = export.tables[fmt.MEALS].rows[0]
    row = meals[2]
    assert isinstance(row[0].value, dt.datetime) and row[0].value.date() == source[0]
    assert isinstance(row[9].value, int | float)  # 12.00 comes back as 12
    assert round(row[9].value * 100) == source[9]
    assert row[9].number_format == "0.00"
    assert isinstance(row[5].value, int)
    assert row[15].value in ("是", "否")
    summary = wb[fmt.SUMMARY]
    values = {r[1].value: r[2].value for r in summary.iter_rows(min_row=2)}
    assert values["meals"] == export.totals["meals"]
    assert values["meal_price_fen"] == pytest.approx(export.totals["meal_price_fen"] / 100)
    assert summary.max_row - 1 == len(export.totals)


def test_rows_must_fit_their_columns(make_day: MakeDay) -> None:
    export = make_day()
    broken = dict(export.tables)
    broken[fmt.MEALS] = SheetData(broken[fmt.MEALS].columns, (("too", "short"),))
    from dataclasses import replace

    with pytest.raises(ValueError, match="cells"):
        package_bytes(replace(export, tables=broken))


def test_progress_reaches_the_end(make_day: MakeDay, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    write_package(tmp_path, make_day(), lambda done, total, what: seen.append((done, total)))
    assert seen[0][0] == 0 and seen[-1][0] == seen[-1][1]
    assert [d for d, _ in seen[:-1]] == sorted(d for d, _ in seen[:-1])


def test_a_stick_pulled_out_mid_export_leaves_nothing(make_day: MakeDay, tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()

    def pull_out(done: int, total: int, what: str) -> None:
        if done == total - 1:  # the package is built; the stick goes before it is written
            shutil.rmtree(stick)

    with pytest.raises(RuleError, match="U 盘"):
        write_package(stick, make_day(), pull_out)
    assert not stick.exists()


@pytest.fixture
def tiny_stick(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A 200 KB tmpfs, like a nearly full USB stick (skipped where mount is not allowed)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(mount)],
                          capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace')}")
    yield mount
    subprocess.run(["umount", str(mount)], check=False)


def test_a_full_stick_leaves_no_half_package(make_day: MakeDay, tiny_stick: Path) -> None:
    noise = random.Random(7).randbytes(400_000)  # does not compress: the package is > 200 KB
    export = make_day(pdfs={"daily.pdf": noise})
    with pytest.raises(RuleError, match="U 盘可能已满") as refused:
        write_package(tiny_stick, export)
    assert str(tiny_stick) in refused.value.message
    assert list(tiny_stick.iterdir()) == []  # neither the package nor a partial file
    # a package that fits is written completely afterwards
    small = write_package(tiny_stick, make_day())
    assert [p.name for p in tiny_stick.iterdir()] == [small.name]
    with _zip(small) as z:
        assert z.testzip() is None


def test_the_format_document_describes_every_sheet_column_and_total() -> None:
    doc = (REPO / "docs" / "export-format.md").read_text(encoding="utf-8")
    for spec in fmt.SHEETS:
        section = doc.split(f"### {spec.name}", 1)
        assert len(section) == 2, f"no section for {spec.name}"
        body = section[1].split("\n### ", 1)[0]
        assert spec.csv_name in body
        for column in spec.columns:
            assert f"| {column.header} | {column.type} |" in body, (spec.name, column.header)
    for total in fmt.TOTALS:
        assert f"`{total.key}`" in doc and total.label in doc
    assert fmt.FORMAT_VERSION in doc
