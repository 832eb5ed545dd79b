"""ID numbers (身份证 / 港澳台居住证), phones and names: normalising, checking, masking.

python-stdnum's ``cn.ric`` computes the GB 11643 check digit and reads the birth date. Its
``validate`` also rejects address codes it does not know (and 810000/820000/830000), so it
is not called: an unknown address code must never stop a registration.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr
from frontdesk.residents.models import ID_TYPE_HMT, ID_TYPE_NONE, ID_TYPE_PASSPORT, ID_TYPE_RIC

HMT_PREFIXES = ("810000", "820000", "830000")  # 港澳台居民居住证
MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")  # 0595-88881234, 01088881234
PASSPORT = re.compile(r"^[A-Z0-9]{5,20}$")
NAME_MAX = 50
FIELD_MAX = 200


def fold_width(text: str) -> str:
    """Full-width ASCII (１２３ＡＢＣ) folded to half-width, ideographic spaces to spaces."""
    return "".join(
        chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in text
    ).replace("\u3000", " ")


def normalise_id_number(text: str) -> str:
    """Digits and X only, upper-case, no spaces or dashes (full-width folded)."""
    return re.sub(r"[\s\-]", "", fold_width(text)).upper()


@dataclass(frozen=True)
class CheckedId:
    """A valid ID number, with what it says about its holder."""

    id_type: str
    number: str
    birth_date: dt.date | None
    sex: str | None  # "M" / "F"


def _ric_check(body17: str) -> str:
    from stdnum.cn import ric  # light, and cached by Python after the first call

    # stdnum expects the number *with* a check digit and ignores the last character.
    return str(ric.calc_check_digit(body17 + "0"))


def upgrade_15(number: str) -> str:
    """An old 15-digit number as its 18-digit form (19 before the birth year, check digit)."""
    body = number[:6] + "19" + number[6:]
    return body + _ric_check(body)


def check_id_number(id_type: str, text: str) -> CheckedId | None:
    """Validate ``text`` as an ID of ``id_type``; None when empty; RuleError saying why not."""
    number = normalise_id_number(text)
    if not number:
        return None
    if id_type == ID_TYPE_NONE:
        id_type = ID_TYPE_RIC  # a number typed without choosing a type: the usual card
    if id_type == ID_TYPE_PASSPORT:
        if not PASSPORT.match(number):
            raise RuleError(tr("护照号码只能包含 5-20 位字母和数字。"))
        return CheckedId(ID_TYPE_PASSPORT, number, None, None)
    if id_type not in (ID_TYPE_RIC, ID_TYPE_HMT):
        raise RuleError(tr("证件类型无效：{kind}", kind=id_type))
    if len(number) == 15 and number.isdigit():
        number = upgrade_15(number)
    if len(number) != 18 or not number[:17].isdigit() or not (
            number[17].isdigit() or number[17] == "X"):
        raise RuleError(tr("身份证号码应为 18 位（最后一位可以是 X），或旧的 15 位数字：{n}",
                           n=text.strip()))
    from stdnum.cn import ric
    from stdnum.exceptions import ValidationError

    try:
        birth = ric.get_birth_date(number)
    except ValidationError:
        raise RuleError(tr("身份证号码中的出生日期 {d} 不存在。", d=number[6:14])) from None
    if number[17] != _ric_check(number[:17]):
        raise RuleError(tr("身份证号码校验位不对，请核对每一位数字：{n}", n=number))
    kind = ID_TYPE_HMT if number.startswith(HMT_PREFIXES) else ID_TYPE_RIC
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return CheckedId(kind, number, birth, sex)


def mask_id_number(number: str | None) -> str:
    """The number as screens and slips show it: 350582********1234."""
    if not number:
        return ""
    if len(number) <= 8:
        return number[:2] + "*" * max(0, len(number) - 4) + number[-2:]
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def normalise_phone(text: str) -> str:
    """A phone as stored: half-width, no spaces; mobiles without +86."""
    phone = re.sub(r"[\s()（）]", "", fold_width(text))
    if phone.startswith("+86"):
        phone = phone[3:]
    return phone.replace("－", "-")


def check_phone(text: str) -> str | None:
    """A valid mobile or landline, normalised; None when empty; RuleError otherwise."""
    phone = normalise_phone(text)
    if not phone:
        return None
    if MOBILE.match(phone) or LANDLINE.match(phone):
        return phone
    raise RuleError(tr("电话号码格式不对：{p}（手机 11 位，座机如 0595-88881234）", p=text.strip()))


def check_name(text: str) -> str:
    """A resident's name: required, at most 50 characters, middle dots unified (·)."""
    name = re.sub(r"\s+", " ", fold_width(text)).strip()
    # 阿依古丽·买买提 is typed with many look-alike dots; keep one form so search finds it.
    name = re.sub(r"[•‧∙⋅・．.]", "·", name)
    if not name:
        raise RuleError(tr("请填写姓名。"))
    if len(name) > NAME_MAX:
        raise RuleError(tr("姓名太长（最多 {n} 字）。", n=NAME_MAX))
    return name


def check_text(label: str, text: str | None, limit: int = FIELD_MAX) -> str | None:
    """An optional free-text field trimmed, None when empty, RuleError when too long."""
    value = (text or "").strip()
    if not value:
        return None
    if len(value) > limit:
        raise RuleError(tr("“{field}”太长（最多 {n} 字，现在 {m} 字）。", field=label, n=limit,
                           m=len(value)))
    return value
