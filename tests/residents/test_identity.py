"""ID numbers, phones, names and text fields: the bad input the issue lists."""

from __future__ import annotations

import datetime as dt

import pytest

from frontdesk.core.errors import RuleError
from frontdesk.residents.identity import (
    check_id_number,
    check_name,
    check_phone,
    check_text,
    mask_id_number,
    normalise_id_number,
    upgrade_15,
)
from frontdesk.residents.models import ID_TYPE_HMT, ID_TYPE_PASSPORT, ID_TYPE_RIC
from tests.residents.helpers import ric


def test_a_valid_number_gives_birth_date_and_sex() -> None:
    male = check_id_number(ID_TYPE_RIC, ric(birth="19480315", seq="123"))
    female = check_id_number(ID_TYPE_RIC, ric(birth="19480315", seq="124"))
    assert male is not None and female is not None
    assert male.birth_date == dt.date(1948, 3, 15) and male.sex == "M"
    assert female.sex == "F"


def test_the_published_example_with_x_validates() -> None:
    # GB 11643's worked example; X is the check "digit" 10.
    checked = check_id_number(ID_TYPE_RIC, "11010519491231002x")
    assert checked is not None and checked.number == "11010519491231002X"


def test_wrong_check_digit_is_refused_with_the_reason() -> None:
    good = ric()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(RuleError, match="校验位"):
        check_id_number(ID_TYPE_RIC, bad)


def test_impossible_birth_date_is_refused() -> None:
    body = "35058219500231123"  # 31 February
    with pytest.raises(RuleError, match="出生日期 19500231 不存在"):
        check_id_number(ID_TYPE_RIC, body + "0")


def test_old_15_digit_numbers_become_18_digits() -> None:
    old = "350582500101123"  # 1950-01-01, sequence 123 (male)
    checked = check_id_number(ID_TYPE_RIC, old)
    assert checked is not None
    assert checked.number == upgrade_15(old) == ric(birth="19500101", seq="123")
    assert checked.birth_date == dt.date(1950, 1, 1) and checked.sex == "M"


def test_full_width_digits_and_spaces_are_normalised() -> None:
    number = ric()
    typed = " ".join(number[i:i + 6] for i in range(0, 18, 6))
    full_width = "".join("\u3000" if c == " " else chr(ord(c) + 0xFEE0) for c in typed)
    assert normalise_id_number(full_width) == number
    checked = check_id_number(ID_TYPE_RIC, full_width)
    assert checked is not None and checked.number == number


def test_unknown_address_code_is_accepted() -> None:
    checked = check_id_number(ID_TYPE_RIC, ric(area="999999"))
    assert checked is not None and checked.id_type == ID_TYPE_RIC


@pytest.mark.parametrize("area", ["810000", "820000", "830000"])
def test_hong_kong_macao_taiwan_permits(area: str) -> None:
    checked = check_id_number(ID_TYPE_RIC, ric(area=area))
    assert checked is not None and checked.id_type == ID_TYPE_HMT


def test_wrong_length_and_letters_are_refused() -> None:
    with pytest.raises(RuleError, match="18 位"):
        check_id_number(ID_TYPE_RIC, "3505821950")
    with pytest.raises(RuleError, match="18 位"):
        check_id_number(ID_TYPE_RIC, "35058219500101A235")


def test_passports_are_checked_for_shape_only() -> None:
    checked = check_id_number(ID_TYPE_PASSPORT, "e1234 5678")
    assert checked is not None and checked.number == "E12345678" and checked.birth_date is None
    with pytest.raises(RuleError, match="护照"):
        check_id_number(ID_TYPE_PASSPORT, "护照")


def test_masking() -> None:
    assert mask_id_number("350582195001011235") == "350582********1235"
    assert mask_id_number(None) == ""
    assert "*" in mask_id_number("E1234567")


@pytest.mark.parametrize(("typed", "stored"), [
    ("13812345678", "13812345678"),
    ("+86 138 1234 5678", "13812345678"),
    ("１３８１２３４５６７８", "13812345678"),
    ("0595-88881234", "0595-88881234"),
    ("059588881234", "059588881234"),
])
def test_phones_accepted(typed: str, stored: str) -> None:
    assert check_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12812345678", "1381234567", "abc", "0595-12"])
def test_phones_refused(typed: str) -> None:
    with pytest.raises(RuleError, match="电话号码格式不对"):
        check_phone(typed)


def test_names_with_middle_dots_and_rare_characters() -> None:
    assert check_name("阿依古丽•买买提") == "阿依古丽·买买提"  # bullet typed for the dot
    assert check_name(" 𠮷田䶮 ") == "𠮷田䶮"
    with pytest.raises(RuleError, match="请填写姓名"):
        check_name(" \u3000 ")


def test_500_character_fields_are_refused_with_the_length() -> None:
    with pytest.raises(RuleError, match="最多 50 字"):
        check_name("张" * 500)
    with pytest.raises(RuleError, match="现在 500 字"):
        check_text("住址", "路" * 500, 200)
    assert check_text("住址", "  ") is None
