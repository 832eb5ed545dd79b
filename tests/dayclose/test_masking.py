"""Masking ID numbers and phones the same way everywhere."""

from __future__ import annotations

from frontdesk.core.masking import mask_id_number, mask_phone


def test_id_numbers_keep_the_area_code_and_last_four() -> None:
    assert mask_id_number("350582199001011234") == "350582********1234"
    assert mask_id_number("35058219900101123X") == "350582********123X"
    assert mask_id_number("350582900101123") == "350582*****1123"  # old 15-digit number
    assert mask_id_number("") == "" and mask_id_number(None) == ""


def test_phones_show_the_first_three_and_last_four_of_a_mobile() -> None:
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("138 1234 1234") == "138****1234"
    assert mask_phone("0595-85671234") == "********1234"
    assert mask_phone(None) == ""
