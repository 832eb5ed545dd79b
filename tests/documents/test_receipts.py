"""Receipts: 80/58 mm wide, as long as their content, large print, every character kept."""

from __future__ import annotations

import io

import pdfplumber
import pytest

from frontdesk.documents.receipts import Receipt, ReceiptLine, render_receipt
from tests.documents.helpers import MM, meta, page_sizes, plumber_pages, pypdf_pages, squash

LONG_NAME = "欧阳" + "𠮷长" * 19  # 40 characters


def _receipt(**changes: object) -> Receipt:
    base = Receipt(meta("长者食堂就餐凭证"),
                   lines=(ReceiptLine("姓名", "王𠮷"), ReceiptLine("套餐", "9.90 元")),
                   number="T-0001", total=ReceiptLine("个人支付", "6.90 元", bold=True),
                   notes=("请凭此票取餐。",), qr="T-0001")
    return Receipt(**{**base.__dict__, **changes})


@pytest.mark.parametrize("width", [80, 58])
def test_receipt_is_as_wide_as_the_roll(width: int) -> None:
    (size,) = page_sizes(render_receipt(_receipt(width_mm=width)))
    assert size[0] == pytest.approx(width * MM, abs=0.01)


def test_receipt_length_follows_its_content() -> None:
    short = page_sizes(render_receipt(_receipt()))[0][1]
    lines = tuple(ReceiptLine(f"项目 {i}", f"{i}.00 元") for i in range(20))
    long = page_sizes(render_receipt(_receipt(lines=lines)))[0][1]
    assert long > short + 19 * 3 * MM


def test_receipt_text_extracts_including_rare_characters() -> None:
    pdf = render_receipt(_receipt())
    for text in (pypdf_pages(pdf)[0], plumber_pages(pdf)[0]):
        flat = squash(text)
        for expected in ("晋江市梅岭街道桂山社区党建+邻里中心", "长者食堂就餐凭证", "王𠮷",
                         "9.90元", "个人支付", "6.90元", "林小燕", "2026-11-2210:00"):
            assert expected in flat


def test_large_print_is_bigger_and_says_the_same() -> None:
    normal = render_receipt(_receipt())
    large = render_receipt(_receipt(large_print=True))
    assert page_sizes(large)[0][1] > page_sizes(normal)[0][1] * 1.2
    assert squash(pypdf_pages(large)[0]) == squash(pypdf_pages(normal)[0])
    with pdfplumber.open(io.BytesIO(large)) as doc:
        big = max(c["size"] for c in doc.pages[0].chars)
    with pdfplumber.open(io.BytesIO(normal)) as doc:
        small = max(c["size"] for c in doc.pages[0].chars)
    assert big > small * 1.3


@pytest.mark.parametrize("width", [80, 58])
def test_a_40_character_name_wraps_inside_the_paper(width: int) -> None:
    pdf = render_receipt(_receipt(width_mm=width, lines=(ReceiptLine("姓名", LONG_NAME),)))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        assert all(c["x0"] >= 0 and c["x1"] <= page.width + 0.01 for c in page.chars)
    assert LONG_NAME in squash(plumber_pages(pdf)[0])


def test_invariant_rendering_is_byte_identical() -> None:
    assert render_receipt(_receipt(), invariant=True) == render_receipt(_receipt(),
                                                                        invariant=True)


def test_other_widths_are_refused() -> None:
    with pytest.raises(ValueError):
        render_receipt(_receipt(width_mm=100))
