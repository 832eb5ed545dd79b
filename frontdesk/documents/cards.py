"""Resident cards (居民卡), ID-1 size (85.6 × 54 mm): one per page, or ten on A4 with cut marks.

Usage::

    from frontdesk.documents.cards import ResidentCardData, render_cards
    pdf = render_cards([ResidentCardData("张三", "JJGS01-000123", "桂山社区邻里中心")])
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from frontdesk.core.i18n import tr
from frontdesk.documents import fonts
from frontdesk.documents.receipts import _draw_qr
from frontdesk.documents.styles import MM

CARD_W = 85.6 * MM
CARD_H = 54 * MM
SHEET_COLS, SHEET_ROWS = 2, 5  # ten cards on an A4 page
CUT_MARK = 4 * MM


@dataclass(frozen=True)
class ResidentCardData:
    """What a resident card shows: the name, the card code (also as QR) and the centre."""

    name: str
    card_code: str
    centre_name: str


def render_cards(cards: Sequence[ResidentCardData], *, on_sheet: bool = False,
                 invariant: bool = False) -> bytes:
    """Cards as PDF bytes: one card-sized page each, or ten per A4 page with cut marks."""
    fonts.register_fonts()
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    if not cards:
        raise ValueError("no cards to print")
    buffer = io.BytesIO()
    pagesize = A4 if on_sheet else (CARD_W, CARD_H)
    canvas = Canvas(buffer, pagesize=pagesize, invariant=int(invariant))
    canvas.setTitle(tr("居民卡"))
    canvas.setCreator("frontdesk")
    if not on_sheet:
        for card in cards:
            _draw_card(canvas, card, 0, 0)
            canvas.showPage()
    else:
        per_page = SHEET_COLS * SHEET_ROWS
        left = (A4[0] - SHEET_COLS * CARD_W) / 2
        top = (A4[1] + SHEET_ROWS * CARD_H) / 2
        for start in range(0, len(cards), per_page):
            for i, card in enumerate(cards[start:start + per_page]):
                x = left + (i % SHEET_COLS) * CARD_W
                y = top - (i // SHEET_COLS + 1) * CARD_H
                _draw_card(canvas, card, x, y, border=True)
            _draw_cut_marks(canvas, left, top)
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_card(canvas: Any, card: ResidentCardData, x: float, y: float, *,
               border: bool = False) -> None:
    """One card with its lower-left corner at (x, y)."""
    pad = 4 * MM
    qr_size = 26 * MM
    if border:
        canvas.setStrokeGray(0.85)
        canvas.setLineWidth(0.3)
        canvas.rect(x, y, CARD_W, CARD_H)
    # Top band: the centre's name, at most two lines.
    canvas.setFillColorRGB(0.70, 0.10, 0.10)
    canvas.rect(x, y + CARD_H - 12 * MM, CARD_W, 12 * MM, stroke=0, fill=1)
    canvas.setFillGray(1)
    band = fonts.wrap_text(card.centre_name, 8, CARD_W - 2 * pad, bold=True)[:2]
    for i, line in enumerate(band):
        offset = 5 * MM if len(band) == 1 else 7.4 * MM - i * 4 * MM
        fonts.draw_text(canvas, x + pad, y + CARD_H - 12 * MM + offset, line, 8, bold=True)
    canvas.setFillGray(0)
    fonts.draw_text(canvas, x + pad, y + CARD_H - 17 * MM, tr("居民卡"), 7)
    # The name: as large as fits beside the QR code, then wrapped (up to 40 characters).
    name_w = CARD_W - qr_size - 3 * pad
    size = 16.0
    while size > 8 and fonts.text_width(card.name, size, bold=True) > name_w:
        size -= 1
    lines = fonts.wrap_text(card.name, size, name_w, bold=True)[:4]
    top = y + CARD_H - 17 * MM - size * 1.3
    for i, line in enumerate(lines):
        fonts.draw_text(canvas, x + pad, top - i * size * 1.2, line, size, bold=True)
    fonts.draw_text(canvas, x + pad, y + pad, card.card_code, 9)
    _draw_qr(canvas, card.card_code, x + CARD_W - qr_size - pad + 1 * MM, y + pad - 1 * MM,
             qr_size)


def _draw_cut_marks(canvas: Any, left: float, top: float) -> None:
    """Short lines outside the grid where the cutter should cut."""
    canvas.setStrokeGray(0)
    canvas.setLineWidth(0.4)
    bottom = top - SHEET_ROWS * CARD_H
    right = left + SHEET_COLS * CARD_W
    for col in range(SHEET_COLS + 1):
        x = left + col * CARD_W
        canvas.line(x, top + 1 * MM, x, top + 1 * MM + CUT_MARK)
        canvas.line(x, bottom - 1 * MM, x, bottom - 1 * MM - CUT_MARK)
    for row in range(SHEET_ROWS + 1):
        y = top - row * CARD_H
        canvas.line(left - 1 * MM - CUT_MARK, y, left - 1 * MM, y)
        canvas.line(right + 1 * MM, y, right + 1 * MM + CUT_MARK, y)
