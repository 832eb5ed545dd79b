"""The town side: validate centres' day packages and merge them into one workbook.

Each package is checked (a readable ZIP, manifest.json against the schema, a format
version this program understands, every file's size and SHA-256, the totals against the
汇总 sheet). Damaged or edited packages are refused with a reason while the rest merge.
Two packages for the same centre and day: one is kept, the other listed. The result
depends only on the packages' contents, not on their order or folder.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import hashlib
import io
import json
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr
from frontdesk.dayclose import format as fmt
from frontdesk.dayclose.package import (
    MANIFEST_NAME,
    SCHEMA_NAME,
    Row,
    SheetData,
    write_atomically,
    xlsx_bytes,
)
from frontdesk.dayclose.schema import validate

SUPPORTED_MAJOR = int(fmt.FORMAT_VERSION.split(".")[0])
WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")


class PackageRefused(RuleError):
    """A package that cannot be merged; the message says why."""


@dataclass(frozen=True)
class PackageInfo:
    """A valid package, as the town sees it."""

    file: str
    sha256: str
    centre_code: str
    centre_name: str
    town: str
    business_date: dt.date
    generated_at: str
    closed_by: str | None
    draft: bool
    full_id_numbers: bool
    totals: Mapping[str, int]


@dataclass(frozen=True)
class Refused:
    file: str
    reason: str


@dataclass(frozen=True)
class Duplicate:
    """A second package for a centre and day that was not used."""

    centre_code: str
    business_date: dt.date
    kept: str
    dropped: str
    identical: bool  # a byte-identical copy


@dataclass(frozen=True)
class MissingDay:
    centre_code: str
    centre_name: str
    business_date: dt.date


@dataclass(frozen=True)
class TownMerge:
    """The outcome of a merge: packages used, duplicates, refusals and gaps."""

    packages: tuple[PackageInfo, ...]  # one per centre and day, by centre then date
    duplicates: tuple[Duplicate, ...]
    refused: tuple[Refused, ...]
    missing: tuple[MissingDay, ...]


# ---- reading one package -------------------------------------------------------------------

def read_package(path: Path) -> PackageInfo:
    """Validate the package at ``path``; PackageRefused says what is wrong."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PackageRefused(tr("无法读取文件：{error}", error=exc.strerror or str(exc))) from None
    return read_package_bytes(path.name, data)


def read_package_bytes(name: str, data: bytes) -> PackageInfo:
    """Validate a package held in memory (see :func:`read_package`)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise PackageRefused(tr("不是有效的 ZIP 文件（可能损坏或没有复制完整）。")) from None
    with archive:
        manifest = _manifest(archive)
        listed = {f["name"]: f for f in manifest["files"]}
        present = set(archive.namelist()) - {MANIFEST_NAME, SCHEMA_NAME}
        for extra in sorted(present - set(listed)):
            raise PackageRefused(tr("数据包里有清单没有列出的文件：{name}（可能被改动过）。",
                                    name=extra))
        contents: dict[str, bytes] = {}
        for file_name, entry in listed.items():
            if file_name not in present:
                raise PackageRefused(tr("数据包缺少文件：{name}。", name=file_name))
            content = _member(archive, file_name)
            if len(content) != entry["bytes"] or \
                    hashlib.sha256(content).hexdigest() != entry["sha256"]:
                raise PackageRefused(tr(
                    "文件 {name} 与清单中的校验码不符：数据包被改动过或已损坏。", name=file_name))
            contents[file_name] = content
    if manifest.get("demo"):
        raise PackageRefused(tr("这是演示中心的数据包（数据是编造的），不能汇总到镇街报表。"))
    totals: dict[str, int] = manifest["totals"]
    summary = [f for f in manifest["files"] if f["kind"] == "csv" and f["sheet"] == fmt.SUMMARY]
    if summary:
        _check_summary(contents[summary[0]["name"]], totals)
    centre = manifest["centre"]
    return PackageInfo(
        name, hashlib.sha256(data).hexdigest(), centre["code"], centre["name"], centre["town"],
        dt.date.fromisoformat(manifest["business_date"]), manifest["generated_at"],
        manifest["closed_by"], manifest["draft"], manifest["full_id_numbers"], totals)


def _member(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(name)
    # CRC errors, cut-off files, and flags a flipped byte turns on (encryption: NotImplemented
    # or RuntimeError) all mean the same to the town: this member cannot be read.
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError,
            RuntimeError):
        raise PackageRefused(tr("文件 {name} 已损坏，无法读出。", name=name)) from None


def _manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    if MANIFEST_NAME not in archive.namelist():
        raise PackageRefused(tr("数据包里没有 manifest.json，不是 frontdesk 日结数据包。"))
    try:
        manifest = json.loads(_member(archive, MANIFEST_NAME).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise PackageRefused(tr("manifest.json 无法解析（已损坏或被改动）。")) from None
    if not isinstance(manifest, dict) or manifest.get("format") != fmt.FORMAT_NAME:
        raise PackageRefused(tr("不是 frontdesk 日结数据包（manifest.json 格式不对）。"))
    version = str(manifest.get("format_version", ""))
    try:
        major = int(version.split(".")[0])
    except ValueError:
        raise PackageRefused(tr("数据包的格式版本无法识别：{v}", v=version)) from None
    if major > SUPPORTED_MAJOR:
        raise PackageRefused(tr(
            "数据包的格式版本是 {v}，比本程序支持的 {ours} 新。"
            "请把 frontdesk 升级到最新版本后再汇总。",
            v=version, ours=fmt.FORMAT_VERSION))
    errors = validate(manifest)
    if errors:
        raise PackageRefused(tr("manifest.json 不符合格式说明：{errors}",
                                errors="; ".join(errors[:3])))
    return manifest


def _check_summary(csv_data: bytes, totals: Mapping[str, int]) -> None:
    """The manifest's totals must be the ones in the 汇总 sheet (an edited manifest shows)."""
    text = csv_data.decode("utf-8-sig")
    found: dict[str, int] = {}
    for row in list(csv.reader(io.StringIO(text)))[1:]:
        if len(row) < 3:
            continue
        key, value = row[1], row[2]
        try:
            amount = Decimal(value)
        except InvalidOperation:
            raise PackageRefused(tr("汇总表中 {key} 的数值无法识别。", key=key)) from None
        found[key] = int(amount * 100) if key.endswith("_fen") else int(amount)
    if found != dict(totals):
        differing = sorted(k for k in set(found) | set(totals) if found.get(k) != totals.get(k))
        raise PackageRefused(tr("清单中的合计与汇总表不一致（{keys}）：数据包被改动过。",
                                keys=", ".join(differing[:5])))


# ---- merging -------------------------------------------------------------------------------

def collect_paths(inputs: Sequence[Path]) -> tuple[list[Path], list[Refused]]:
    """The package files named by ``inputs`` (folders are searched for *.zip)."""
    found: list[Path] = []
    refused: list[Refused] = []
    for item in inputs:
        if item.is_dir():
            found.extend(p for p in sorted(item.rglob("*.zip")) if not p.name.startswith("."))
        elif item.is_file():
            found.append(item)
        else:
            refused.append(Refused(str(item), tr("找不到这个文件或文件夹。")))
    return found, refused


def _ranked(candidates: list[PackageInfo]) -> list[PackageInfo]:
    """Best first: closed before draft, then the later close (a reopened, re-closed day)."""
    ranked = sorted(candidates, key=lambda p: (p.sha256, p.file))  # stable tie-break
    ranked.sort(key=lambda p: p.generated_at, reverse=True)
    ranked.sort(key=lambda p: p.draft)
    return ranked


def merge_packages(inputs: Sequence[Path]) -> TownMerge:
    """Validate every package named by ``inputs`` and merge the valid ones."""
    paths, refused = collect_paths(inputs)
    valid: list[PackageInfo] = []
    for path in paths:
        try:
            valid.append(read_package(path))
        except PackageRefused as exc:
            refused.append(Refused(path.name, exc.message))
    by_day: dict[tuple[str, dt.date], list[PackageInfo]] = {}
    for info in valid:
        by_day.setdefault((info.centre_code, info.business_date), []).append(info)
    kept: list[PackageInfo] = []
    duplicates: list[Duplicate] = []
    for key in sorted(by_day):
        ranked = _ranked(by_day[key])
        kept.append(ranked[0])
        duplicates.extend(Duplicate(key[0], key[1], ranked[0].file, other.file,
                                    other.sha256 == ranked[0].sha256) for other in ranked[1:])
    refused.sort(key=lambda r: (r.file, r.reason))
    return TownMerge(tuple(kept), tuple(duplicates), tuple(refused), tuple(missing_days(kept)))


def missing_days(packages: Sequence[PackageInfo]) -> list[MissingDay]:
    """Days without a package, per centre, in the months merged (up to the latest date)."""
    if not packages:
        return []
    last = max(p.business_date for p in packages)
    months = sorted({(p.business_date.year, p.business_date.month) for p in packages})
    names: dict[str, str] = {}
    have = set()
    for p in packages:
        names.setdefault(p.centre_code, p.centre_name)
        have.add((p.centre_code, p.business_date))
    missing = []
    for code in sorted(names):
        for year, month in months:
            for day_no in range(1, calendar.monthrange(year, month)[1] + 1):
                day = dt.date(year, month, day_no)
                if day <= last and (code, day) not in have:
                    missing.append(MissingDay(code, names[code], day))
    return missing


# ---- the town summary (plain data; the PDF comes with the documents pipeline) -------------

@dataclass(frozen=True)
class CentreTotals:
    """One centre over the merged period."""

    centre_code: str
    centre_name: str
    town: str
    days_reported: int
    drafts: int
    days_missing: int
    totals: Mapping[str, int]


@dataclass(frozen=True)
class TownSummary:
    """What the town summary PDF will show."""

    towns: tuple[str, ...]
    first_date: dt.date | None
    last_date: dt.date | None
    centres: tuple[CentreTotals, ...]
    town_totals: Mapping[str, int]
    duplicates: int
    refused: tuple[Refused, ...]
    missing: int


def _add(into: dict[str, int], totals: Mapping[str, int]) -> None:
    for key, value in totals.items():
        into[key] = into.get(key, 0) + value


def town_summary(merge: TownMerge) -> TownSummary:
    """Per-centre and town totals of a merge."""
    centres: dict[str, list[PackageInfo]] = {}
    for p in merge.packages:
        centres.setdefault(p.centre_code, []).append(p)
    rows = []
    town_totals: dict[str, int] = {}
    for code in sorted(centres):
        packs = centres[code]
        totals: dict[str, int] = {}
        for p in packs:
            _add(totals, p.totals)
        _add(town_totals, totals)
        rows.append(CentreTotals(code, packs[0].centre_name, packs[0].town, len(packs),
                                 sum(p.draft for p in packs),
                                 sum(m.centre_code == code for m in merge.missing), totals))
    dates = [p.business_date for p in merge.packages]
    return TownSummary(
        tuple(sorted({p.town for p in merge.packages})), min(dates, default=None),
        max(dates, default=None), tuple(rows), town_totals, len(merge.duplicates),
        merge.refused, len(merge.missing))


# ---- the town workbook ---------------------------------------------------------------------

def _total_columns() -> tuple[fmt.Column, ...]:
    return tuple(fmt.Column(t.label, fmt.MONEY if t.is_money else fmt.INTEGER, t.unit)
                 for t in fmt.TOTALS)


def _total_cells(totals: Mapping[str, int] | None) -> tuple[int | None, ...]:
    return tuple(None if totals is None else totals.get(t.key) for t in fmt.TOTALS)


def _weekday(day: dt.date) -> str:
    return "星期" + WEEKDAYS[day.weekday()]


def town_tables(merge: TownMerge) -> dict[str, SheetData]:
    """The town workbook's sheets (Chinese headers, money in 元)."""
    c = fmt.Column
    summary = town_summary(merge)
    overview: list[Row] = [
        ("镇/街道", "、".join(summary.towns)),
        ("日期范围", f"{summary.first_date} ~ {summary.last_date}" if summary.first_date else ""),
        ("中心数", len(summary.centres)),
        ("采用的数据包", len(merge.packages)),
        ("其中草稿（未日结）", sum(p.draft for p in merge.packages)),
        ("重复的数据包（未采用）", len(merge.duplicates)),
        ("未通过校验的数据包", len(merge.refused)),
        ("缺报的日期", len(merge.missing)),
    ]
    daily: list[Row] = [
        (p.centre_code, p.centre_name, p.business_date, _weekday(p.business_date), p.draft,
         p.closed_by or "", p.file, *_total_cells(p.totals))
        for p in merge.packages]
    months: dict[tuple[str, str], tuple[str, int, dict[str, int]]] = {}
    for p in merge.packages:
        key = (p.centre_code, f"{p.business_date:%Y-%m}")
        name, days, totals = months.get(key, (p.centre_name, 0, {}))
        _add(totals, p.totals)
        months[key] = (name, days + 1, totals)
    monthly: list[Row] = [(code, name, month, days, *_total_cells(totals))
                          for (code, month), (name, days, totals) in sorted(months.items())]
    funder_keys = (*fmt.FUNDER_TOTALS, "meal_price_fen")
    funders: list[Row] = [
        (ct.centre_code, ct.centre_name, ct.totals.get("meals"),
         *(ct.totals.get(k) for k in funder_keys)) for ct in summary.centres]
    funders.append(("合计", "", summary.town_totals.get("meals"),
                    *(summary.town_totals.get(k) for k in funder_keys)))
    money = fmt.MONEY
    return {
        "说明": SheetData((c("项目"), c("内容")), tuple(overview)),
        "各中心每日": SheetData(
            (c("中心编码"), c("中心名称"), c("日期", fmt.DATE), c("星期"), c("草稿", fmt.BOOLEAN),
             c("日结人"), c("数据包"), *_total_columns()), tuple(daily)),
        "月度汇总": SheetData(
            (c("中心编码"), c("中心名称"), c("月份"), c("报送天数", fmt.INTEGER, "天"),
             *_total_columns()), tuple(monthly)),
        "资金方合计": SheetData(
            (c("中心编码"), c("中心名称"), c("就餐份数", fmt.INTEGER, "份"),
             *(c(f, money, "元") for f in fmt.FUNDERS), c("餐费合计", money, "元")),
            tuple(funders)),
        "缺报日期": SheetData((c("中心编码"), c("中心名称"), c("日期", fmt.DATE), c("星期")),
                          tuple((m.centre_code, m.centre_name, m.business_date,
                                 _weekday(m.business_date)) for m in merge.missing)),
        "重复数据包": SheetData(
            (c("中心编码"), c("日期", fmt.DATE), c("采用的数据包"), c("未采用的数据包"), c("说明")),
            tuple((d.centre_code, d.business_date, d.kept, d.dropped,
                   "完全相同的副本" if d.identical else
                   "内容不同：采用已日结、日结时间较晚的一份") for d in merge.duplicates)),
        "未通过校验": SheetData((c("文件"), c("原因")),
                           tuple((r.file, r.reason) for r in merge.refused)),
    }


def write_town_workbook(merge: TownMerge, out: Path) -> Path:
    """Write the merged workbook to ``out`` (same packages → same bytes)."""
    last = max((p.business_date for p in merge.packages), default=dt.date(2000, 1, 1))
    data = xlsx_bytes(town_tables(merge), dt.datetime.combine(last, dt.time()))
    if not out.parent.is_dir():
        raise RuleError(tr("找不到文件夹：{folder}", folder=str(out.parent)))
    write_atomically(out, data)
    return out
