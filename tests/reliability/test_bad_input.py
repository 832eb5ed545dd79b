"""Bad input never crashes: a clear RuleError (in the user's words) or a valid result.

Property-based (hypothesis) over the residents importer, the scan box, ID numbers, room
RRULEs, money, and the day-close export → town merge round trip; plus an oversized and a
binary file offered for import. docs/reliability.md records how many inputs were tried.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontdesk.core import money, scan
from frontdesk.core.clock import CENTRE_TZ
from frontdesk.core.db import Database
from frontdesk.core.errors import RuleError
from frontdesk.residents import identity, importer
from frontdesk.rooms import recurrence

# More examples when asked (FRONTDESK_SWEEP_EXAMPLES); the default keeps the suite quick.
EXAMPLES = int(os.environ.get("FRONTDESK_SWEEP_EXAMPLES", "60"))
sweep = settings(max_examples=EXAMPLES, deadline=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture,
                                        HealthCheck.too_slow])


def _chinese(message: str) -> None:
    """A refusal a desk can read: non-empty, with Chinese in it."""
    assert message and any("\u4e00" <= ch <= "\u9fff" for ch in message), message


# -- the residents importer ------------------------------------------------------------------

def _read_all(path: Path) -> None:
    try:
        table = importer.read_table(path)
    except RuleError as exc:
        _chinese(exc.message)
        return
    mapping = importer.guess_mapping(table.headers)
    try:
        importer.require_mapping(mapping)
    except RuleError as exc:
        _chinese(exc.message)
        return
    for _n, cells in table.rows:
        try:
            importer.row_form(cells, mapping)
        except RuleError as exc:
            _chinese(exc.message)


HEADERS = ["姓名", "身份证号", "性别", "出生日期", "电话", "户籍", "住址", "备注", "name", ""]
CELL = st.one_of(st.text(max_size=30), st.sampled_from(
    ["张三", "350582199001011234", "35058219900101123X", "男", "女", "1990-01-01",
     "1990/1/1", "19900101", "13812345678", "本地", "外地", "", " ", "𠮷", "=1+1", "\x00"]))


@sweep
@given(header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8),
       rows=st.lists(st.lists(CELL, max_size=9), max_size=8),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "latin-1"]),
       delimiter=st.sampled_from([",", "\t", ";"]))
def test_random_csv_content_in_any_encoding(header: list[str], rows: list[list[str]],
                                            encoding: str, delimiter: str) -> None:
    text = "\n".join(delimiter.join(r) for r in [header, *rows])
    data = text.encode(encoding, errors="replace")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "居民.csv"
        path.write_bytes(data)
        _read_all(path)


@sweep
@given(header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6),
       rows=st.lists(st.lists(st.one_of(CELL, st.integers(), st.floats(allow_nan=True),
                                        st.dates(), st.none()), max_size=7), max_size=6))
def test_random_xlsx_content(header: list[str], rows: list[list[object]]) -> None:
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [header, *rows]:
        try:
            sheet.append(row)
        except (ValueError, TypeError, IllegalCharacterError):  # openpyxl refuses these itself
            continue
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "居民.xlsx"
        book.save(path)
        _read_all(path)


@sweep
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".xlsx", ".xls", ".txt"]))
def test_random_bytes_offered_for_import(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"居民{suffix}"
        path.write_bytes(data)
        _read_all(path)


def test_a_binary_file_gets_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "照片.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(4000))
    with pytest.raises(RuleError, match="不是有效的"):
        importer.read_table(path)


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "大文件.csv"
    with path.open("wb") as fh:  # sparse: big on paper, nothing on disk
        fh.truncate(importer.MAX_FILE_BYTES + 1)
    with pytest.raises(RuleError, match="太大"):
        importer.read_table(path)


# -- the scan box and ID numbers -------------------------------------------------------------

@sweep
@given(text=st.one_of(st.text(max_size=40), st.from_regex(r"[0-9Xx \-]{0,25}", fullmatch=True),
                      st.sampled_from(["C0001", "350582199001011234", "T-20261122-0001",
                                       "frontdesk:resident:1", "\x00", "'; DROP TABLE x; --"])))
def test_scan_box_random_text(centre_db: Database, text: str) -> None:
    with centre_db.read() as session:
        try:
            hit = scan.resolve(session, text)
        except RuleError as exc:
            _chinese(exc.message)
            return
    assert hit is None or hit.page


@sweep
@given(id_type=st.sampled_from(["ric", "hk_macao", "taiwan", "passport", "none", "other"]),
       text=st.one_of(st.text(max_size=25), st.from_regex(r"[0-9]{15,18}[0-9Xx]?",
                                                          fullmatch=True)))
def test_id_numbers_random_text(id_type: str, text: str) -> None:
    try:
        checked = identity.check_id_number(id_type, text)
    except RuleError as exc:
        _chinese(exc.message)
        return
    assert checked is None or checked.number


@sweep
@given(area=st.from_regex(r"[1-6][0-9]{5}", fullmatch=True),
       birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2026, 11, 21)),
       serial=st.integers(0, 999))
def test_valid_id_numbers_give_their_birth_date(area: str, birth: dt.date, serial: int) -> None:
    body = f"{area}{birth:%Y%m%d}{serial:03d}"
    checked = identity.check_id_number("ric", body + identity._ric_check(body))
    assert checked is not None and checked.birth_date == birth
    assert checked.sex == ("M" if serial % 2 else "F")


# -- RRULEs ----------------------------------------------------------------------------------

RULE_PART = st.sampled_from(["FREQ=WEEKLY", "FREQ=DAILY", "FREQ=MONTHLY", "FREQ=YEARLY",
                             "FREQ=HOURLY", "FREQ=SECONDLY", "INTERVAL=2", "INTERVAL=0",
                             "INTERVAL=-1", "COUNT=3", "COUNT=0", "COUNT=100000",
                             "UNTIL=20270101", "UNTIL=20261231T235959Z", "UNTIL=19990101",
                             "BYDAY=MO,WE", "BYDAY=2TU", "BYDAY=-1FR", "BYDAY=XX",
                             "BYMONTHDAY=31", "BYMONTHDAY=-1", "BYSETPOS=1", "WKST=SU",
                             "BYMONTH=2", "BYHOUR=25", "RRULE:", "DTSTART:20261101T090000"])


@sweep
@given(rule=st.one_of(st.text(max_size=60),
                      st.lists(RULE_PART, min_size=1, max_size=5).map(";".join)),
       skip=st.booleans())
def test_rrules_random_strings(rule: str, skip: bool) -> None:
    first = dt.datetime(2026, 11, 24, 9, 0, tzinfo=CENTRE_TZ)
    try:
        expansion = recurrence.expand(rule, first, skip_holidays=skip)
    except RuleError as exc:
        _chinese(exc.message)
        return
    starts = list(expansion.starts)
    assert 0 < len(starts) <= recurrence.MAX_OCCURRENCES
    assert starts == sorted(starts) and all(s.tzinfo is not None for s in starts)


# -- money -----------------------------------------------------------------------------------

@sweep
@given(fen=st.integers(-10**11, 10**11))
def test_money_formats_and_parses_back(fen: int) -> None:
    assert money.parse_yuan(money.format_yuan(fen)) == fen
    assert money.parse_yuan(money.format_yuan(fen, symbol=True)) == fen


@sweep
@given(text=st.one_of(st.text(max_size=20), st.from_regex(r"[-+¥０-９0-9.,eE元 ]{0,15}",
                                                          fullmatch=True),
                      st.sampled_from(["1e99999999", "1e9999", "-1E+999", "9" * 40])))
def test_money_random_text(text: str) -> None:
    try:
        fen = money.parse_yuan(text)
    except RuleError as exc:
        _chinese(exc.message)
        return
    assert isinstance(fen, int)


@sweep
@given(total=st.integers(0, 10**9), weights=st.lists(st.integers(0, 10**6), min_size=1,
                                                       max_size=8).filter(lambda w: sum(w) > 0))
def test_split_adds_up_exactly(total: int, weights: list[int]) -> None:
    parts = money.split_proportionally(total, weights)
    assert sum(parts) == total and all(p >= 0 for p in parts)
    assert all(p == 0 for p, w in zip(parts, weights, strict=True) if w == 0)


# -- export → merge round trip ---------------------------------------------------------------

@settings(max_examples=max(10, EXAMPLES // 10), deadline=None)
@given(days=st.lists(st.tuples(st.sampled_from(["JJ01", "JJ02", "SS03"]),
                               st.integers(0, 20), st.integers(0, 10**6)),
                     min_size=1, max_size=4, unique_by=lambda d: d[:2]))
def test_random_small_days_export_then_merge_to_the_same_totals(
        days: list[tuple[str, int, int]]) -> None:
    from frontdesk.bench.dayclose import DAY_SIZES, synthetic_day
    from frontdesk.core.centre import CentreInfo
    from frontdesk.dayclose.package import write_package
    from frontdesk.dayclose.town import merge_packages, town_summary

    small = {name: max(1, n // 100) for name, n in DAY_SIZES.items()}
    expected: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as folder:
        for code, offset, seed in days:
            export = synthetic_day(CentreInfo(f"{code}社区党建+邻里中心", code, "梅岭街道"),
                                   dt.date(2026, 11, 1) + dt.timedelta(days=offset), seed,
                                   small)
            for key, value in export.totals.items():
                expected[key] = expected.get(key, 0) + value
            write_package(Path(folder), export)
        merge = merge_packages([Path(folder)])
        summary = town_summary(merge)
    assert not merge.refused and len(merge.packages) == len(days)
    assert {k: v for k, v in summary.town_totals.items() if v} == {
        k: v for k, v in expected.items() if v}
