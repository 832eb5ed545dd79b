"""Resident cards: ID-1 size, ten to an A4 sheet with cut marks, long names kept on the card."""

from __future__ import annotations

import io

import pdfplumber
import pytest

from frontdesk.documents.cards import CARD_H, CARD_W, ResidentCardData, render_cards
from tests.documents.helpers import CENTRE, MM, page_sizes, plumber_pages, squash


def test_one_card_per_page_is_id1_sized() -> None:
    pdf = render_cards([ResidentCardData("王𠮷", "JJGS01-000001", CENTRE),
                        ResidentCardData("李四", "JJGS01-000002", CENTRE)])
    assert page_sizes(pdf) == [pytest.approx((85.6 * MM, 54 * MM), abs=0.01)] * 2
    first, second = (squash(t) for t in plumber_pages(pdf))
    assert "王𠮷" in first and "JJGS01-000001" in first and CENTRE in first
    assert "李四" in second and "JJGS01-000002" in second


def test_a4_sheet_holds_ten_cards_and_has_cut_marks() -> None:
    cards = [ResidentCardData(f"居民{i}", f"C{i:05d}", CENTRE) for i in range(12)]
    pdf = render_cards(cards, on_sheet=True)
    assert len(page_sizes(pdf)) == 2
    pages = [squash(t) for t in plumber_pages(pdf)]
    assert sum(p.count("居民卡") for p in pages) == 12
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        lines = doc.pages[0].lines
        left = (doc.pages[0].width - 2 * CARD_W) / 2
        assert any(line["x1"] <= left for line in lines)  # marks outside the grid


def test_a_40_character_name_stays_on_the_card() -> None:
    name = "欧阳" + "𠮷长" * 19
    pdf = render_cards([ResidentCardData(name, "C00001", CENTRE)])
    assert name in squash(plumber_pages(pdf)[0])
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for char in doc.pages[0].chars:
            assert char["x0"] >= 0 and char["x1"] <= CARD_W
            assert char["top"] >= 0 and char["bottom"] <= CARD_H


def test_no_cards_is_refused() -> None:
    with pytest.raises(ValueError):
        render_cards([])
