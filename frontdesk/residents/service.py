"""Residents: the plain view other features use, and lookup by card code or ID number."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, MetaData, select
from sqlalchemy.orm import Session

from frontdesk.core import audit
from frontdesk.core.actor import Actor
from frontdesk.core.audit import describe_change
from frontdesk.core.errors import NotFoundError, RuleError
from frontdesk.core.i18n import tr
from frontdesk.core.scan import ScanHit, normalise_code
from frontdesk.documents.cards import ResidentCardData
from frontdesk.residents.identity import (
    check_id_number,
    check_name,
    check_phone,
    check_text,
    mask_id_number,
    normalise_phone,
    upgrade_15,
)
from frontdesk.residents.models import (
    HUKOU_LOCAL,
    HUKOU_NON_LOCAL,
    ID_TYPE_NONE,
    ID_TYPE_PASSPORT,
    ID_TYPE_RIC,
    ID_TYPES,
    STATUS_ACTIVE,
    STATUS_DECEASED,
    STATUSES,
    Resident,
    ResidentTag,
)


@dataclass(frozen=True)
class ResidentInfo:
    """A resident as other features and screens see it."""

    id: int
    name: str
    sex: str | None
    birth_date: dt.date | None
    id_type: str
    id_number: str | None
    phone: str | None
    address: str | None
    hukou: str | None
    card_code: str | None
    status: str
    temporary: bool
    tags: tuple[str, ...]
    # Added by the registry (defaults keep older callers working).
    grid: str | None = None
    household: str | None = None
    merged_into_id: int | None = None

    def age_on(self, day: dt.date) -> int | None:
        """Age in whole years on ``day`` (None without a birth date)."""
        if self.birth_date is None:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


def info(resident: Resident) -> ResidentInfo:
    """The plain view of a Resident row."""
    return ResidentInfo(
        resident.id, resident.name, resident.sex, resident.birth_date, resident.id_type,
        resident.id_number, resident.phone, resident.address, resident.hukou,
        resident.card_code, resident.status, resident.temporary,
        tuple(sorted(t.tag for t in resident.tags)), resident.grid, resident.household,
        resident.merged_into_id,
    )


def get_resident(session: Session, resident_id: int) -> ResidentInfo:
    """The resident with ``resident_id``, or NotFoundError."""
    resident = session.get(Resident, resident_id)
    if resident is None:
        raise NotFoundError(tr("没有这位居民（编号 {id}）。", id=resident_id))
    return info(resident)


def find_by_card_or_id(session: Session, code: str) -> Resident | None:
    """The resident whose card code or ID number is ``code`` (any status).

    A record merged into another leads to the kept record, so an old card still works.
    """
    code = normalise_code(code).replace(" ", "").upper()
    if not code:
        return None
    found = session.scalar(select(Resident).where(Resident.card_code == code))
    if found is None:
        found = session.scalar(select(Resident).where(Resident.id_number == code))
    if found is None and len(code) == 15 and code.isdigit():

        found = session.scalar(select(Resident).where(Resident.id_number == upgrade_15(code)))
    hops = 0
    while found is not None and found.merged_into_id is not None and hops < 10:
        found, hops = session.get(Resident, found.merged_into_id), hops + 1
    return found


def resolve_card_or_id(session: Session, code: str) -> ResidentInfo:
    """The active resident a scanned card or typed ID number names; refuses others."""
    resident = find_by_card_or_id(session, code)
    if resident is None:
        raise NotFoundError(tr("没有找到卡号或证件号为“{code}”的居民。", code=code))
    if resident.status != STATUS_ACTIVE:
        state = tr("已去世") if resident.status == STATUS_DECEASED else tr("已迁出")
        raise RuleError(tr("{name} 的档案状态是“{state}”，不能办理。", name=resident.name,
                           state=state))
    return info(resident)


# -- the full record: forms, validation, writes -------------------------------------------

SEXES = ("M", "F")
HUKOU_CHOICES = (HUKOU_LOCAL, HUKOU_NON_LOCAL)
CARD_PREFIX = "9"  # 12 digits: never an 11-digit phone or an 18-digit ID number


@dataclass(frozen=True)
class ResidentForm:
    """What the desk types (or a spreadsheet row holds) for one resident."""

    name: str
    sex: str | None = None
    birth_date: dt.date | None = None
    id_type: str = ID_TYPE_RIC
    id_number: str = ""
    phone: str = ""
    address: str = ""
    grid: str = ""
    hukou: str | None = None
    household: str = ""
    tags: tuple[str, ...] = ()
    emergency_contact: str = ""
    emergency_phone: str = ""
    guardian_name: str = ""
    guardian_phone: str = ""
    consent_general: bool = False
    consent_sensitive: bool = False
    consent_guardian: bool = False
    notes: str = ""


@dataclass(frozen=True)
class ResidentDetail:
    """Everything the detail form shows. ``id_number`` is masked unless the actor may see it."""

    info: ResidentInfo
    id_number_shown: str
    id_masked: bool
    grid: str | None
    household: str | None
    emergency_contact: str | None
    emergency_phone: str | None
    guardian_name: str | None
    guardian_phone: str | None
    consent_general: bool
    consent_sensitive: bool
    consent_guardian: bool
    consent_at: dt.datetime | None
    consent_by: str | None
    notes: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


class LikelyDuplicates(RuleError):
    """Residents that look like the same person; the desk must confirm before saving."""

    def __init__(self, message: str, matches: list[ResidentInfo]) -> None:
        super().__init__(message)
        self.matches = matches


def configured_tags(session: Session) -> list[str]:
    """The tags this centre uses (setting ``residents.tags``), in order."""
    from frontdesk.core import settings

    return split_tags(str(settings.get(session, "residents.tags")))


def split_tags(text: str) -> list[str]:
    """Tags written as offices write them: separated by 、 , ， ; ； or spaces."""
    import re

    parts = re.split(r"[、,，;；\s/|]+", text or "")
    seen: list[str] = []
    for part in parts:
        if part and part not in seen:
            seen.append(part)
    return seen


def _clean(session: Session, form: ResidentForm, today: dt.date,
           allowed_tags: list[str] | None = None) -> dict[str, object]:
    """The form as column values, or a RuleError naming the first thing that is wrong."""

    name = check_name(form.name)
    sex = form.sex or None
    birth = form.birth_date
    id_type = form.id_type if form.id_type in ID_TYPES else ID_TYPE_NONE
    checked = check_id_number(id_type, form.id_number) if form.id_number else None
    if checked is not None:
        id_type = checked.id_type
        if checked.birth_date is not None:
            if birth is not None and birth != checked.birth_date:
                raise RuleError(tr("出生日期 {d} 与身份证号码中的 {e} 不一致。",
                                   d=birth.isoformat(), e=checked.birth_date.isoformat()))
            birth = checked.birth_date
        if checked.sex is not None:
            if sex is not None and sex != checked.sex:
                raise RuleError(tr("性别与身份证号码不一致（号码第 17 位单数为男，双数为女）。"))
            sex = checked.sex
    elif id_type != ID_TYPE_PASSPORT:
        id_type = ID_TYPE_NONE
    if sex is not None and sex not in SEXES:
        raise RuleError(tr("性别只能是“男”或“女”。"))
    if birth is not None and (birth > today or birth.year < 1890):
        raise RuleError(tr("出生日期不合理：{d}", d=birth.isoformat()))
    if form.hukou not in (None, "", *HUKOU_CHOICES):
        raise RuleError(tr("户籍只能是“本地户籍”或“外来”。"))
    allowed = configured_tags(session) if allowed_tags is None else allowed_tags
    unknown = [t for t in form.tags if t not in allowed]
    if unknown:
        raise RuleError(tr("标签“{tags}”不在本中心的标签列表中（可在设置中添加）。",
                           tags="、".join(unknown)))
    return {
        "name": name,
        "sex": sex,
        "birth_date": birth,
        "id_type": id_type,
        "id_number": checked.number if checked else None,
        "phone": check_phone(form.phone),
        "address": check_text(tr("住址"), form.address, 200),
        "grid": check_text(tr("网格"), form.grid, 100),
        "hukou": form.hukou or None,
        "household": check_text(tr("户号"), form.household, 64),
        "emergency_contact": check_text(tr("紧急联系人"), form.emergency_contact, 50),
        "emergency_phone": check_phone(form.emergency_phone),
        "guardian_name": check_text(tr("监护人"), form.guardian_name, 50),
        "guardian_phone": check_phone(form.guardian_phone),
        "notes": check_text(tr("备注"), form.notes, 2000),
    }


def _owner_of_id_number(session: Session, number: str | None, exclude: int | None
                        ) -> Resident | None:
    if not number:
        return None
    found = session.scalar(select(Resident).where(Resident.id_number == number))
    return None if found is None or found.id == exclude else found


def likely_duplicates(session: Session, form: ResidentForm, exclude_id: int | None = None,
                      today: dt.date | None = None) -> list[ResidentInfo]:
    """Residents that may be the same person: same name and birth date, or same phone."""

    try:
        name = check_name(form.name)
    except RuleError:
        return []
    birth = form.birth_date
    if birth is None and form.id_number:
        try:
            checked = check_id_number(form.id_type, form.id_number)
        except RuleError:
            checked = None
        birth = checked.birth_date if checked else None
    conditions: list[ColumnElement[bool]] = []
    if birth is not None:
        conditions.append((Resident.name == name) & (Resident.birth_date == birth))
    phone = normalise_phone(form.phone)
    if phone:
        conditions.append(Resident.phone == phone)
    if not conditions:
        return []
    from sqlalchemy import or_

    stmt = select(Resident).where(or_(*conditions), Resident.merged_into_id.is_(None))
    if exclude_id is not None:
        stmt = stmt.where(Resident.id != exclude_id)
    return [info(r) for r in session.scalars(stmt.order_by(Resident.id).limit(10))]


def next_change_seq(session: Session) -> int:
    """The next value of ``Resident.change_seq`` (the search index follows it)."""
    from sqlalchemy import func

    return int(session.scalar(select(func.max(Resident.change_seq))) or 0) + 1


def new_card_code(session: Session, rng: object | None = None) -> str:
    """A fresh 12-digit card code: 9 + 10 random digits + a Luhn check digit.

    Digits only, because a keyboard-wedge scanner typing letters into a PC with a Chinese
    input method switched on produces pinyin candidates instead of the code.
    """
    import random
    import secrets

    for _ in range(50):
        if isinstance(rng, random.Random):
            body = CARD_PREFIX + "".join(str(rng.randrange(10)) for _ in range(10))
        else:
            body = CARD_PREFIX + "".join(str(secrets.randbelow(10)) for _ in range(10))
        code = body + luhn_digit(body)
        if session.scalar(select(Resident.id).where(Resident.card_code == code)) is None:
            return code
    raise RuleError(tr("无法生成新的居民卡号，请重试。"))


def luhn_digit(body: str) -> str:
    """The Luhn check digit of ``body`` (catches a mistyped or swapped digit)."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def is_card_code(code: str) -> bool:
    """Whether ``code`` has the shape of a card code with a right check digit."""
    return (len(code) == 12 and code.isdigit() and code.startswith(CARD_PREFIX)
            and luhn_digit(code[:-1]) == code[-1])


def _set_tags(resident: Resident, tags: tuple[str, ...] | list[str]) -> None:
    wanted = list(dict.fromkeys(tags))
    for row in list(resident.tags):
        if row.tag not in wanted:
            resident.tags.remove(row)
    have = {row.tag for row in resident.tags}
    for tag in wanted:
        if tag not in have:
            resident.tags.append(ResidentTag(tag=tag))


def _snapshot(resident: Resident) -> dict[str, object]:

    return {
        "name": resident.name, "sex": resident.sex, "birth_date": resident.birth_date,
        "id_type": resident.id_type, "id_number": mask_id_number(resident.id_number),
        "phone": resident.phone, "address": resident.address, "grid": resident.grid,
        "hukou": resident.hukou, "household": resident.household,
        "tags": ",".join(sorted(t.tag for t in resident.tags)),
        "emergency": f"{resident.emergency_contact or ''} {resident.emergency_phone or ''}",
        "guardian": f"{resident.guardian_name or ''} {resident.guardian_phone or ''}",
        "consent": (resident.consent_general, resident.consent_sensitive,
                    resident.consent_guardian),
        "notes": resident.notes, "status": resident.status,
    }


def _apply(resident: Resident, values: dict[str, object], form: ResidentForm,
           actor: Actor, seq: int) -> None:
    from frontdesk.residents.pinyin import pinyin_keys

    for key, value in values.items():
        setattr(resident, key, value)
    consents = (form.consent_general, form.consent_sensitive, form.consent_guardian)
    before = (resident.consent_general, resident.consent_sensitive, resident.consent_guardian)
    if consents != before or (resident.consent_at is None and any(consents)):
        resident.consent_general, resident.consent_sensitive, resident.consent_guardian = (
            consents)
        resident.consent_at = actor.now()
        resident.consent_by = actor.username
    resident.name_pinyin, resident.name_initials = pinyin_keys(resident.name)
    _set_tags(resident, form.tags)
    resident.updated_at = actor.now()
    resident.change_seq = seq


def create_resident(session: Session, actor: Actor, form: ResidentForm, *,
                    confirm_duplicates: bool = False, card_rng: object | None = None,
                    ) -> ResidentInfo:
    """Register a resident (with a new card code); audited.

    Refuses an ID number already registered; raises :class:`LikelyDuplicates` when the
    same name + birth date or the same phone exists, unless ``confirm_duplicates``.
    """
    values = _clean(session, form, actor.today())
    owner = _owner_of_id_number(session, values["id_number"], None)  # type: ignore[arg-type]
    if owner is not None:
        raise RuleError(tr("证件号码已登记给 {name}（档案号 {id}），不能重复登记。",
                           name=owner.name, id=owner.id))
    if not confirm_duplicates:
        matches = likely_duplicates(session, replace_form(form, name=str(values["name"]),
                                                          birth_date=values["birth_date"]))
        if matches:
            raise LikelyDuplicates(
                tr("可能已经登记过：{names}。确认是不同的人后再保存。",
                   names="、".join(f"{m.name}（{m.id}）" for m in matches)), matches)
    resident = Resident(name=str(values["name"]), status=STATUS_ACTIVE, temporary=False,
                        consent_general=False, consent_sensitive=False,
                        consent_guardian=False, created_at=actor.now(),
                        updated_at=actor.now(), id_type=ID_TYPE_NONE)
    resident.card_code = new_card_code(session, card_rng)
    _apply(resident, values, form, actor, next_change_seq(session))
    session.add(resident)
    session.flush()
    audit.record(session, actor, "resident.create", "resident", resident.id,
                 describe_change({}, _snapshot(resident)))
    return info(resident)


def replace_form(form: ResidentForm, **changes: object) -> ResidentForm:
    """``form`` with some fields changed."""
    import dataclasses

    return dataclasses.replace(form, **changes)  # type: ignore[arg-type]


def _live(session: Session, resident_id: int) -> Resident:
    resident = session.get(Resident, resident_id)
    if resident is None:
        raise NotFoundError(tr("没有这位居民（编号 {id}）。", id=resident_id))
    return resident


def update_resident(session: Session, actor: Actor, resident_id: int, form: ResidentForm,
                    ) -> ResidentInfo:
    """Change a resident's record; audited with what changed.

    A masked ID number sent back unchanged (from a desk operator's screen) keeps the stored
    number.
    """
    resident = _live(session, resident_id)
    if resident.merged_into_id is not None:
        raise RuleError(tr("这份档案已合并到档案号 {id}，请修改那一份。",
                           id=resident.merged_into_id))
    if "*" in form.id_number:

        if form.id_number != mask_id_number(resident.id_number):
            raise RuleError(tr("请输入完整的证件号码，或保留原来的掩码不变。"))
        form = replace_form(form, id_number=resident.id_number or "")
    values = _clean(session, form, actor.today())
    owner = _owner_of_id_number(session, values["id_number"], resident.id)  # type: ignore[arg-type]
    if owner is not None:
        raise RuleError(tr("证件号码已登记给 {name}（档案号 {id}），不能重复登记。",
                           name=owner.name, id=owner.id))
    before = _snapshot(resident)
    _apply(resident, values, form, actor, next_change_seq(session))
    session.flush()
    change = describe_change(before, _snapshot(resident))
    if change:
        audit.record(session, actor, "resident.update", "resident", resident.id, change)
    return info(resident)


def set_status(session: Session, actor: Actor, resident_id: int, status: str,
               reason: str = "") -> ResidentInfo:
    """Mark a resident active, moved away or deceased (records are never deleted)."""
    if status not in STATUSES:
        raise RuleError(tr("档案状态无效：{s}", s=status))
    resident = _live(session, resident_id)
    if status != STATUS_ACTIVE and not reason.strip():
        raise RuleError(tr("请填写原因（例如迁出地或去世日期）。"))
    if resident.status == status:
        return info(resident)
    old = resident.status
    resident.status = status
    resident.updated_at = actor.now()
    resident.change_seq = next_change_seq(session)
    audit.record(session, actor, "resident.status", "resident", resident.id,
                 f"{old} → {status}: {reason.strip()}")
    return info(resident)


def resident_detail(session: Session, actor: Actor, resident_id: int) -> ResidentDetail:
    """The full record for the detail form. Admins see the full ID number, and each time
    they do an audit row says so; everyone else sees it masked."""

    r = _live(session, resident_id)
    shown, masked = mask_id_number(r.id_number), bool(r.id_number)
    if actor.is_admin and r.id_number:
        shown, masked = r.id_number, False
        audit.record(session, actor, "resident.id_shown", "resident", r.id,
                     tr("查看完整证件号码"))
    return ResidentDetail(
        info(r), shown, masked, r.grid, r.household, r.emergency_contact, r.emergency_phone,
        r.guardian_name, r.guardian_phone, r.consent_general, r.consent_sensitive,
        r.consent_guardian, r.consent_at, r.consent_by, r.notes, r.created_at, r.updated_at,
    )


def household_members(session: Session, resident_id: int) -> list[ResidentInfo]:
    """Other residents with the same 户号."""
    r = _live(session, resident_id)
    if not r.household:
        return []
    rows = session.scalars(select(Resident).where(
        Resident.household == r.household, Resident.id != r.id,
        Resident.merged_into_id.is_(None)).order_by(Resident.birth_date))
    return [info(x) for x in rows]


def merge_residents(session: Session, actor: Actor, keep_id: int, drop_id: int, reason: str
                    ) -> ResidentInfo:
    """Merge two records of one person (admins only): everything that points at the dropped
    record — in any feature's table — is re-pointed to the kept one; empty fields of the
    kept record are filled from the dropped one; the dropped record stays, marked merged."""
    actor.require_admin()
    if keep_id == drop_id:
        raise RuleError(tr("不能把一份档案合并到它自己。"))
    if not reason.strip():
        raise RuleError(tr("请填写合并原因。"))
    keep, drop = _live(session, keep_id), _live(session, drop_id)
    if keep.merged_into_id is not None or drop.merged_into_id is not None:
        raise RuleError(tr("已合并过的档案不能再合并。"))
    moved_id = None
    if drop.id_number and not keep.id_number:
        moved_id, drop.id_number = drop.id_number, None
        session.flush()  # the unique number must leave the dropped row first
    filled = []
    for field in ("sex", "birth_date", "phone", "address", "grid", "hukou", "household",
                  "emergency_contact", "emergency_phone", "guardian_name", "guardian_phone"):
        if getattr(keep, field) in (None, "") and getattr(drop, field) not in (None, ""):
            setattr(keep, field, getattr(drop, field))
            filled.append(field)
    if moved_id is not None:
        keep.id_number, keep.id_type = moved_id, drop.id_type
        filled.append("id_number")
    if drop.notes:
        keep.notes = ((keep.notes + "\n") if keep.notes else "") + drop.notes
    _set_tags(keep, sorted({t.tag for t in keep.tags} | {t.tag for t in drop.tags}))
    _set_tags(drop, [])
    session.flush()
    notes = prepare_merge(session, keep.id, drop.id)
    repointed = repoint_references(session, drop.id, keep.id)
    seq = next_change_seq(session)
    drop.merged_into_id, drop.updated_at, drop.change_seq = keep.id, actor.now(), seq
    keep.updated_at, keep.change_seq = actor.now(), seq
    audit.record(session, actor, "resident.merge", "resident", keep.id,
                 f"merged {drop.id} ({drop.name}) into {keep.id} ({keep.name}); "
                 f"reason: {reason.strip()}; filled: {','.join(filled) or '-'}; "
                 f"moved: {repointed or '-'}" + (f"; {notes}" if notes else ""))
    audit.record(session, actor, "resident.merged_away", "resident", drop.id,
                 f"→ {keep.id}: {reason.strip()}")
    return info(keep)


MERGE_HOOK = "on_resident_merge"  # Table.info key: "module:function(session, keep, drop)"


def prepare_merge(session: Session, keep_id: int, drop_id: int,
                  metadata: MetaData | None = None) -> str:
    """Let each feature whose table has its own rule about a resident's rows (a unique rule
    such as one subsidised meal per session, or one volunteer per person) make the merge
    fit that rule or refuse it in words; its hook is named in the table's ``info``.
    Returns the hooks' notes for the audit entry."""
    import importlib

    from frontdesk.core.schema import load_all_models

    metadata = metadata if metadata is not None else load_all_models()
    notes = []
    for table in metadata.sorted_tables:
        hook = table.info.get(MERGE_HOOK)
        if hook:
            module, _, name = hook.partition(":")
            note = getattr(importlib.import_module(module), name)(session, keep_id, drop_id)
            if note:
                notes.append(note)
    return "; ".join(notes)


def repoint_references(session: Session, old_id: int, new_id: int,
                       metadata: MetaData | None = None) -> dict[str, int]:
    """Point every foreign key to ``resident.id`` (found in the metadata: every feature's
    tables) from ``old_id`` to ``new_id``; returns how many rows moved per table.column.

    A unique rule that the move would break (one no hook prepared for) refuses the merge in
    words rather than with a database error; nothing is moved then (one transaction)."""
    from sqlalchemy import exc as sa_exc
    from sqlalchemy import update

    from frontdesk.core.schema import load_all_models

    moved: dict[str, int] = {}
    metadata = metadata if metadata is not None else load_all_models()
    for table in metadata.sorted_tables:
        for column in table.columns:
            for fk in column.foreign_keys:
                if fk.column.table.name != Resident.__tablename__ or fk.column.name != "id":
                    continue
                if table.name == Resident.__tablename__:
                    continue  # merged_into_id is the merge itself
                try:
                    with session.begin_nested():
                        result = session.execute(update(table).where(column == old_id)
                                                 .values({column.name: new_id}))
                except sa_exc.IntegrityError:
                    raise RuleError(tr(
                        "不能合并：两份档案在“{table}”里各有一条只能有一份的记录，合并后会重复。"
                        "请先处理其中一条，再合并。", table=table.name)) from None
                count = int(getattr(result, "rowcount", 0) or 0)
                if count:
                    moved[f"{table.name}.{column.name}"] = count
    return moved


def card_print_data(session: Session, resident_ids: list[int]) -> list[ResidentCardData]:
    """Name, card code and centre for each resident to print a 居民卡 for (in the order
    given); a resident without a card code is refused with a clear message."""
    from frontdesk.core.centre import centre_info

    centre = centre_info(session).name
    cards = []
    for rid in resident_ids:
        r = _live(session, rid)
        if not r.card_code:
            raise RuleError(tr("{name} 还没有居民卡号。", name=r.name))
        cards.append(ResidentCardData(r.name, r.card_code, centre))
    return cards


def issue_card_code(session: Session, actor: Actor, resident_id: int) -> ResidentInfo:
    """Give a resident a new card code (a lost card); the old code stops working."""
    r = _live(session, resident_id)
    old = r.card_code
    r.card_code = new_card_code(session)
    r.updated_at = actor.now()
    r.change_seq = next_change_seq(session)
    audit.record(session, actor, "resident.card", "resident", r.id, f"{old} → {r.card_code}")
    return info(r)


def resolve_scan(session: Session, code: str) -> ScanHit | None:
    """The scan box's resolver: a card code or ID number opens the resident's record."""
    resident = find_by_card_or_id(session, code)
    if resident is None:
        return None
    return ScanHit("residents", "resident", resident.id, resident.name)
