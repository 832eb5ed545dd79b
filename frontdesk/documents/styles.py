"""Shared look of every document: paragraph styles, header, footer "第 X 页 / 共 Y 页".

Page numbers need the total, which is only known at the end: :func:`numbered_canvas`
keeps each page's drawing until ``save()`` and then adds the footer to each.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from frontdesk.core.clock import to_local
from frontdesk.core.i18n import tr
from frontdesk.documents import fonts

MM = 72 / 25.4  # points per millimetre (reportlab.lib.units.mm without importing it)


@dataclass(frozen=True)
class DocumentMeta:
    """What every page says about itself: whose centre, which document, who printed it when."""

    centre_name: str
    title: str
    operator: str
    printed_at: dt.datetime


def format_time(moment: dt.datetime) -> str:
    """A print time as the centre reads it (local time, to the minute)."""
    return to_local(moment).strftime("%Y-%m-%d %H:%M")


def footer_left(meta: DocumentMeta) -> str:
    """The footer's left part: print time and operator."""
    return tr("打印时间 {time}  操作员 {operator}", time=format_time(meta.printed_at),
              operator=meta.operator)


def page_label(page: int, pages: int) -> str:
    """"第 X 页 / 共 Y 页"."""
    return tr("第 {page} 页 / 共 {pages} 页", page=page, pages=pages)


@lru_cache(maxsize=1)
def paragraph_styles() -> dict[str, Any]:
    """Paragraph styles with Chinese line breaking (wordWrap='CJK'), by name."""
    fonts.register_fonts()
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("body", fontName=fonts.REGULAR, fontSize=9, leading=12,
                          wordWrap="CJK")
    return {
        "body": base,
        "cell": ParagraphStyle("cell", parent=base),
        "cell_right": ParagraphStyle("cell_right", parent=base, alignment=TA_RIGHT),
        "cell_centre": ParagraphStyle("cell_centre", parent=base, alignment=TA_CENTER),
        "head": ParagraphStyle("head", parent=base, fontName=fonts.BOLD),
        "title": ParagraphStyle("title", parent=base, fontName=fonts.BOLD, fontSize=16,
                                leading=22, alignment=TA_CENTER, spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=10, leading=14,
                                   alignment=TA_CENTER, spaceAfter=6),
        "totals": ParagraphStyle("totals", parent=base, fontSize=10, leading=15),
    }


def numbered_canvas(meta: DocumentMeta) -> type:
    """A canvas class that draws the centre-name header and the page X of Y footer."""
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._decorate(number, total)
                super().showPage()
            super().save()

        def _decorate(self, page: int, pages: int) -> None:
            width, height = self._pagesize
            margin = 12 * MM
            self.setFillGray(0.25)
            fonts.draw_text(self, width / 2, height - 9 * MM, meta.centre_name, 9,
                            align="centre")
            self.setStrokeGray(0.6)
            self.setLineWidth(0.5)
            self.line(margin, height - 10.5 * MM, width - margin, height - 10.5 * MM)
            self.line(margin, 11 * MM, width - margin, 11 * MM)
            fonts.draw_text(self, margin, 7 * MM, footer_left(meta), 8)
            fonts.draw_text(self, width - margin, 7 * MM, page_label(page, pages), 8,
                            align="right")
            self.setFillGray(0)

    return NumberedCanvas
