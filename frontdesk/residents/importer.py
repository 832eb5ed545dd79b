"""Importing residents from XLSX and CSV files as Chinese offices write them.

Steps: :func:`read_table` reads the file (CSV in UTF-8 with or without BOM, or GBK; XLSX);
:func:`guess_mapping` maps its headers to fields (姓名, 身份证号码 ...; English names too);
:func:`import_residents` checks every row and, unless it is a dry run, writes the good ones.
Every row ends up created, updated (same ID number, only with ``update=True``) or rejected
with its spreadsheet row number and the reason. Everything happens in the caller's single
transaction, so a failure half-way leaves nothing behind.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from frontdesk.core import audit
from frontdesk.core.actor import Actor
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import N_, tr
from frontdesk.residents.models import (
    HUKOU_LOCAL,
    HUKOU_NON_LOCAL,
    ID_TYPE_PASSPORT,
    ID_TYPE_RIC,
    STATUS_ACTIVE,
    Resident,
    ResidentTag,
)
from frontdesk.residents.pinyin import pinyin_keys
from frontdesk.residents.service import (
    CARD_PREFIX,
    ResidentForm,
    _apply,
    _clean,
    _snapshot,
    configured_tags,
    luhn_digit,
    next_change_seq,
    replace_form,
    split_tags,
)

MAX_ROWS = 100_000
# 100,000 rows of a resident list are ~20 MB as CSV; anything far bigger is not one.
MAX_FILE_BYTES = 64 * 1024 * 1024
BATCH = 1000

# field, label (Chinese source), header spellings that mean it (compared without spaces,
# case-insensitive).
FIELDS: list[tuple[str, str, tuple[str, ...]]] = [
    ("name", N_("姓名"), ("姓名", "名字", "居民姓名", "name")),
    ("sex", N_("性别"), ("性别", "sex", "gender")),
    ("id_type", N_("证件类型"), ("证件类型", "idtype", "id_type")),
    ("id_number", N_("证件号码"), ("身份证号码", "身份证号", "证件号码", "证件号", "身份证",
                                  "公民身份号码", "idnumber", "id_number", "id")),
    ("birth_date", N_("出生日期"), ("出生日期", "出生年月", "生日", "birthdate", "birth_date",
                                   "birthday")),
    ("phone", N_("联系电话"), ("联系电话", "手机号", "手机号码", "电话", "手机", "联系方式",
                              "phone", "mobile", "tel")),
    ("address", N_("住址"), ("住址", "地址", "家庭住址", "现住址", "居住地址", "address")),
    ("grid", N_("网格"), ("网格", "所属网格", "grid")),
    ("hukou", N_("户籍"), ("户籍", "户籍类型", "户口", "hukou")),
    ("household", N_("户号"), ("户号", "家庭编号", "household")),
    ("tags", N_("标签"), ("标签", "人员类别", "人员类型", "类别", "tags", "tag")),
    ("emergency_contact", N_("紧急联系人"), ("紧急联系人", "emergencycontact")),
    ("emergency_phone", N_("紧急联系电话"), ("紧急联系电话", "紧急联系人电话", "emergencyphone")),
    ("guardian_name", N_("监护人"), ("监护人", "监护人姓名", "guardian")),
    ("guardian_phone", N_("监护人电话"), ("监护人电话", "guardianphone")),
    ("notes", N_("备注"), ("备注", "notes", "note", "remarks")),
]
FIELD_LABELS = {name: label for name, label, _ in FIELDS}


@dataclass(frozen=True)
class RawTable:
    """A file's header and rows as text; ``rows`` holds (spreadsheet row number, cells)."""

    path: str
    headers: list[str]
    rows: list[tuple[int, list[str]]]
    encoding: str = ""


@dataclass
class ImportOutcome:
    """What an import did (or, in a dry run, would do)."""

    created: int = 0
    updated: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    dry_run: bool = False

    @property
    def total(self) -> int:
        return self.created + self.updated + len(self.rejected)


Progress = Callable[[int, int], None]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _unreadable(path: Path, exc: BaseException) -> RuleError:
    return RuleError(tr("无法读取文件“{name}”：它可能正在被 Excel 等程序打开，或不是有效的 "
                        "XLSX/CSV 文件。请关闭文件后重试，或另存为 XLSX 或 CSV。（{err}）",
                        name=path.name, err=type(exc).__name__))


def read_table(path: Path) -> RawTable:
    """The file's first sheet (XLSX) or its rows (CSV), as text; RuleError if unreadable."""
    if path.is_dir():
        raise RuleError(tr("“{name}”是文件夹，不是文件。", name=path.name))
    try:
        if path.stat().st_size > MAX_FILE_BYTES:  # refuse before reading it all into memory
            raise RuleError(tr("文件“{name}”太大（超过 {mb} MB），不像是居民名单。请检查文件，"
                               "或分批导入。", name=path.name, mb=MAX_FILE_BYTES // 2**20))
        data = path.read_bytes()
    except OSError as exc:
        raise _unreadable(path, exc) from None
    if not data.strip():
        raise RuleError(tr("文件“{name}”是空的。", name=path.name))
    if data[:2] == b"PK" or path.suffix.lower() in (".xlsx", ".xlsm"):
        table = _read_xlsx(path, data)
    elif path.suffix.lower() == ".xls" or data[:4] == b"\xd0\xcf\x11\xe0":
        raise RuleError(tr("不支持旧的 .xls 格式，请在 Excel 中另存为 .xlsx 或 CSV。"))
    else:
        table = _read_csv(path, data)
    if len(table.rows) > MAX_ROWS:
        raise RuleError(tr("文件有 {n} 行，一次最多导入 {m} 行，请分批导入。", n=len(table.rows),
                           m=MAX_ROWS))
    return table


def _read_csv(path: Path, data: bytes) -> RawTable:
    for encoding in ("utf-8-sig", "gb18030"):  # gb18030 reads everything GBK writes
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise _unreadable(path, UnicodeDecodeError("gb18030", b"", 0, 1, ""))
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    # Universal newlines: a lone "\r" (old Mac files, pasted cells) must not stop the read.
    reader = csv.reader(io.StringIO(text, newline=None), dialect)
    try:
        rows = [(n, [c.strip() for c in row]) for n, row in enumerate(reader, start=1)]
    except csv.Error as exc:
        raise _unreadable(path, exc) from None
    rows = [(n, cells) for n, cells in rows if any(cells)]
    if not rows:
        raise RuleError(tr("文件“{name}”是空的。", name=path.name))
    return RawTable(str(path), rows[0][1], rows[1:],
                    "UTF-8" if encoding == "utf-8-sig" else "GBK")


def _read_xlsx(path: Path, data: bytes) -> RawTable:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _unreadable(path, exc) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for n, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in values]
            if any(cells):
                rows.append((n, cells))
    finally:
        workbook.close()
    if not rows:
        raise RuleError(tr("文件“{name}”是空的。", name=path.name))
    return RawTable(str(path), rows[0][1], rows[1:], "XLSX")


def _header_key(text: str) -> str:
    return re.sub(r"[\s_*（）()：:]", "", text).lower()


def guess_mapping(headers: list[str]) -> dict[str, int]:
    """Field → column index for the headers it recognises (first matching column wins)."""
    mapping: dict[str, int] = {}
    keys = [_header_key(h) for h in headers]
    for name, _, spellings in FIELDS:
        wanted = {_header_key(s) for s in spellings}
        for i, key in enumerate(keys):
            if key in wanted and i not in mapping.values():
                mapping[name] = i
                break
    return mapping


def require_mapping(mapping: dict[str, int]) -> None:
    """Refuse a mapping without a name column (a file with no header row, usually)."""
    if "name" not in mapping:
        raise RuleError(tr("找不到“姓名”列。文件第一行应是表头（如 姓名、身份证号码、联系电话），"
                           "或在导入窗口中手动指定每一列。"))


def parse_date(text: str) -> dt.date | None:
    """Dates as offices type them: 1950-01-02, 1950/1/2, 1950.1.2, 19500102, 1950年1月2日."""
    text = text.strip()
    if not text:
        return None
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?", text)
    if m is None:
        m = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if m is None:
        raise RuleError(tr("出生日期“{d}”看不懂，请写成 1950-01-02。", d=text))
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise RuleError(tr("出生日期“{d}”不存在。", d=text)) from None


def parse_sex(text: str) -> str | None:
    """男/女 (also M/F) as stored; RuleError for anything else."""
    value = text.strip().upper()
    if not value:
        return None
    if value in ("男", "M", "MALE", "男性"):
        return "M"
    if value in ("女", "F", "FEMALE", "女性"):
        return "F"
    raise RuleError(tr("性别“{s}”看不懂，请写“男”或“女”。", s=text))


def parse_hukou(text: str) -> str | None:
    """本地户籍 / 外来 as stored."""
    value = text.strip()
    if not value:
        return None
    if value in ("本地", "本地户籍", "户籍", "local", "常住"):
        return HUKOU_LOCAL
    if value in ("外来", "外地", "流动", "外来人口", "非本地", "non_local"):
        return HUKOU_NON_LOCAL
    raise RuleError(tr("户籍“{s}”看不懂，请写“本地”或“外来”。", s=text))


def row_form(cells: list[str], mapping: dict[str, int]) -> ResidentForm:
    """One row as a form (values still to be checked by the service rules)."""

    def get(name: str) -> str:
        i = mapping.get(name)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    kind = get("id_type")
    id_type = ID_TYPE_PASSPORT if "护照" in kind or "passport" in kind.lower() else ID_TYPE_RIC
    return ResidentForm(
        name=get("name"), sex=parse_sex(get("sex")), birth_date=parse_date(get("birth_date")),
        id_type=id_type, id_number=get("id_number"), phone=get("phone"),
        address=get("address"), grid=get("grid"), hukou=parse_hukou(get("hukou")),
        household=get("household"), tags=tuple(split_tags(get("tags"))),
        emergency_contact=get("emergency_contact"), emergency_phone=get("emergency_phone"),
        guardian_name=get("guardian_name"), guardian_phone=get("guardian_phone"),
        notes=get("notes"),
    )


def _form_of(r: Resident) -> ResidentForm:
    return ResidentForm(
        name=r.name, sex=r.sex, birth_date=r.birth_date, id_type=r.id_type,
        id_number=r.id_number or "", phone=r.phone or "", address=r.address or "",
        grid=r.grid or "", hukou=r.hukou, household=r.household or "",
        tags=tuple(t.tag for t in r.tags), emergency_contact=r.emergency_contact or "",
        emergency_phone=r.emergency_phone or "", guardian_name=r.guardian_name or "",
        guardian_phone=r.guardian_phone or "", consent_general=r.consent_general,
        consent_sensitive=r.consent_sensitive, consent_guardian=r.consent_guardian,
        notes=r.notes or "",
    )


def _merged_update(existing: ResidentForm, incoming: ResidentForm) -> ResidentForm:
    """The existing record overwritten only where the file has a value; tags added."""
    changes: dict[str, object] = {}
    for name in ("name", "sex", "birth_date", "phone", "address", "grid", "hukou",
                 "household", "emergency_contact", "emergency_phone", "guardian_name",
                 "guardian_phone", "notes"):
        value = getattr(incoming, name)
        if value not in (None, ""):
            changes[name] = value
    changes["tags"] = tuple(dict.fromkeys(existing.tags + incoming.tags))
    return replace_form(existing, **changes)


class _Cards:
    """Card codes for a batch, without a query per row."""

    def __init__(self, session: Session) -> None:
        import secrets

        self._random = secrets.randbelow
        self.used = set(session.scalars(
            select(Resident.card_code).where(Resident.card_code.is_not(None))))

    def new(self) -> str:
        while True:
            body = CARD_PREFIX + "".join(str(self._random(10)) for _ in range(10))
            code = body + luhn_digit(body)
            if code not in self.used:
                self.used.add(code)
                return code


def _insert_batch(session: Session,
                  pending: list[tuple[dict[str, object], tuple[str, ...]]]) -> None:
    """Insert new residents and their tags in bulk (a per-object ORM flush is 3x slower)."""
    # Core executemany: the ORM's bulk insert splits rows whose None columns differ.
    session.execute(insert(cast(Table, Resident.__table__)), [values for values, _ in pending])
    # The new ids, by the unique card codes (RETURNING in order costs a statement per row).
    codes = [str(values["card_code"]) for values, _ in pending]
    found = session.execute(
        select(Resident.card_code, Resident.id).where(Resident.card_code.in_(codes)))
    ids: dict[str | None, int] = {code: rid for code, rid in found}
    tags = [{"resident_id": ids[str(values["card_code"])], "tag": tag}
            for values, row_tags in pending for tag in row_tags]
    if tags:
        session.execute(insert(cast(Table, ResidentTag.__table__)), tags)
    pending.clear()


def import_residents(session: Session, actor: Actor, table: RawTable, mapping: dict[str, int],
                     *, update: bool = False, dry_run: bool = False,
                     progress: Progress | None = None) -> ImportOutcome:
    """Check every row and (unless ``dry_run``) create or update residents; audited."""

    require_mapping(mapping)
    outcome = ImportOutcome(dry_run=dry_run)
    allowed = configured_tags(session)
    today = actor.today()
    by_number: dict[str | None, int] = {
        number: rid for number, rid in session.execute(
            select(Resident.id_number, Resident.id).where(Resident.id_number.is_not(None)))}
    seen_in_file: dict[str, int] = {}
    cards = _Cards(session) if not dry_run else None
    seq = next_change_seq(session)
    total = len(table.rows)
    now = actor.now()
    pending: list[tuple[dict[str, object], tuple[str, ...]]] = []
    for done, (row_no, cells) in enumerate(table.rows, start=1):
        if progress is not None and (done % 250 == 0 or done == total):
            progress(done, total)
        try:
            form = row_form(cells, mapping)
            values = _clean(session, form, today, allowed)
        except RuleError as exc:
            outcome.rejected.append((row_no, exc.message))
            continue
        number = values["id_number"]
        if isinstance(number, str):
            first = seen_in_file.get(number)
            if first is not None:
                outcome.rejected.append((row_no, tr("证件号码与第 {n} 行重复。", n=first)))
                continue
            seen_in_file[number] = row_no
        existing_id = by_number.get(number) if isinstance(number, str) else None
        if existing_id is not None:
            if not update:
                outcome.rejected.append((row_no, tr(
                    "证件号码已登记（档案号 {id}）；如要用文件中的信息更新，请选择“更新已有档案”。",
                    id=existing_id)))
                continue
            outcome.updated += 1
            if not dry_run:
                resident = session.get(Resident, existing_id)
                assert resident is not None
                before = _snapshot(resident)
                merged = _merged_update(_form_of(resident), form)
                try:
                    merged_values = _clean(session, merged, today, allowed)
                except RuleError as exc:
                    outcome.updated -= 1
                    outcome.rejected.append((row_no, exc.message))
                    continue
                _apply(resident, merged_values, merged, actor, seq)
                audit.record(session, actor, "resident.import_update", "resident", resident.id,
                             tr("导入第 {n} 行", n=row_no) + ": "
                             + audit.describe_change(before, _snapshot(resident)))
            continue
        outcome.created += 1
        if not dry_run:
            assert cards is not None
            full, initials = pinyin_keys(str(values["name"]))
            pending.append(({
                **values, "status": STATUS_ACTIVE, "temporary": False, "consent_general": False,
                "consent_sensitive": False, "consent_guardian": False, "created_at": now,
                "updated_at": now, "card_code": cards.new(), "name_pinyin": full,
                "name_initials": initials, "change_seq": seq,
            }, form.tags))
            if len(pending) >= BATCH:
                _insert_batch(session, pending)
    if pending:
        _insert_batch(session, pending)
    if not dry_run and (outcome.created or outcome.updated):
        session.flush()
        audit.record(session, actor, "resident.import", "resident", None,
                     f"{Path(table.path).name}: created {outcome.created}, updated "
                     f"{outcome.updated}, rejected {len(outcome.rejected)}")
    return outcome


def write_report(outcome: ImportOutcome, path: Path) -> Path:
    """The rejected rows as ``row,reason`` (UTF-8 with BOM, so Excel shows the Chinese)."""
    try:
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["row", "reason"])
            for row_no, reason in outcome.rejected:
                writer.writerow([row_no, reason])
    except OSError as exc:
        raise RuleError(tr("无法保存错误报告“{name}”：{err}", name=path.name, err=exc)) from None
    return path
