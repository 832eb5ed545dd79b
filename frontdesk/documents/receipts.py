"""Receipts (小票) for 80 mm and 58 mm roll printers: drawn on the canvas, as long as the content.

Usage::

    from frontdesk.documents.receipts import Receipt, ReceiptLine, render_receipt
    pdf = render_receipt(Receipt(meta, lines=(ReceiptLine("套餐", "9.90 元"),),
                                 total=ReceiptLine("合计", "9.90 元")))

``large_print`` (the ``printing.receipt_large_print`` setting) uses bigger type for elders.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from frontdesk.core.i18n import tr
from frontdesk.documents import fonts
from frontdesk.documents.styles import MM, DocumentMeta, format_time

WIDTHS_MM = (80, 58)


@dataclass(frozen=True)
class ReceiptLine:
    """One line: a label on the left, an optional value on the right."""

    label: str
    value: str = ""
    bold: bool = False


@dataclass(frozen=True)
class Receipt:
    """Everything a receipt shows, as plain data (texts already in the user's language)."""

    meta: DocumentMeta
    lines: tuple[ReceiptLine, ...] = ()
    number: str = ""  # the ticket / booking number, printed under the title
    total: ReceiptLine | None = None
    notes: tuple[str, ...] = ()  # free text after the lines (rules, "请凭票取餐")
    qr: str = ""  # an optional QR code payload, printed at the bottom
    width_mm: int = 80
    large_print: bool = False


@dataclass(frozen=True)
class _Op:
    """One laid-out line: what to draw and how much height it takes."""

    kind: str  # "text", "pair", "rule", "qr", "gap"
    height: float
    text: str = ""
    value: str = ""
    size: float = 0
    bold: bool = False
    align: str = "left"


def render_receipt(receipt: Receipt, *, invariant: bool = False) -> bytes:
    """The receipt as PDF bytes, one page exactly as long as its content."""
    if receipt.width_mm not in WIDTHS_MM:
        raise ValueError(f"receipt width must be one of {WIDTHS_MM} mm")
    fonts.register_fonts()
    from reportlab.pdfgen.canvas import Canvas

    width = receipt.width_mm * MM
    margin = 3 * MM
    ops = _layout(receipt, width - 2 * margin)
    height = sum(op.height for op in ops) + 2 * margin
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), invariant=int(invariant))
    canvas.setTitle(receipt.meta.title)
    canvas.setAuthor(receipt.meta.centre_name)
    canvas.setCreator("frontdesk")
    y = height - margin
    for op in ops:
        y -= op.height
        baseline = y + op.height * 0.25
        if op.kind == "text":
            x = {"left": margin, "right": width - margin, "centre": width / 2}[op.align]
            fonts.draw_text(canvas, x, baseline, op.text, op.size, bold=op.bold, align=op.align)
        elif op.kind == "pair":
            fonts.draw_text(canvas, margin, baseline, op.text, op.size, bold=op.bold)
            fonts.draw_text(canvas, width - margin, baseline, op.value, op.size, bold=op.bold,
                            align="right")
        elif op.kind == "rule":
            canvas.setDash(2, 2)
            canvas.setLineWidth(0.6)
            canvas.line(margin, y + op.height / 2, width - margin, y + op.height / 2)
            canvas.setDash()
        elif op.kind == "qr":
            _draw_qr(canvas, op.text, (width - op.size) / 2, y + 1 * MM, op.size)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _layout(receipt: Receipt, usable: float) -> list[_Op]:
    """The receipt's lines, wrapped to the paper width, top to bottom."""
    scale = 1.35 if receipt.large_print else 1.0
    narrow = receipt.width_mm < 80
    body = (8.5 if narrow else 9.5) * scale
    title_size = (11 if narrow else 13) * scale
    ops: list[_Op] = []

    def text(value: str, size: float, *, bold: bool = False, align: str = "left") -> None:
        for line in fonts.wrap_text(value, size, usable, bold=bold):
            ops.append(_Op("text", size * 1.45, line, size=size, bold=bold, align=align))

    def pair(item: ReceiptLine, size: float) -> None:
        gap = size  # at least one character between label and value
        label_w = fonts.text_width(item.label, size, bold=item.bold)
        value_w = fonts.text_width(item.value, size, bold=item.bold)
        if label_w + gap + value_w <= usable:
            ops.append(_Op("pair", size * 1.45, item.label, item.value, size, item.bold))
            return
        text(item.label, size, bold=item.bold)  # too long: value on its own line(s)
        if item.value:
            text(item.value, size, bold=item.bold, align="right")

    text(receipt.meta.centre_name, body, align="centre")
    text(receipt.meta.title, title_size, bold=True, align="centre")
    if receipt.number:
        text(tr("编号：{number}", number=receipt.number), body, align="centre")
    ops.append(_Op("rule", 3 * MM))
    for item in receipt.lines:
        pair(item, body)
    if receipt.total is not None:
        ops.append(_Op("rule", 3 * MM))
        pair(receipt.total, body * 1.15)
    if receipt.notes:
        ops.append(_Op("rule", 3 * MM))
        for note in receipt.notes:
            text(note, body)
    if receipt.qr:
        size = min(usable, 28 * MM * scale)
        ops.append(_Op("qr", size + 2 * MM, receipt.qr, size=size))
    ops.append(_Op("rule", 3 * MM))
    small = body * 0.85
    text(tr("操作员：{operator}", operator=receipt.meta.operator), small)
    text(tr("打印时间：{time}", time=format_time(receipt.meta.printed_at)), small)
    return ops


def _draw_qr(canvas: Any, payload: str, x: float, y: float, size: float) -> None:
    """A QR code of ``payload``, ``size`` points square, lower-left corner at (x, y).

    segno computes the modules; they are drawn as one path of row runs, which is several
    times faster than ReportLab's QR widget (one shape object per module).
    """
    import segno

    matrix = segno.make(payload, error="m", micro=False).matrix
    quiet = 2  # modules of white border inside ``size``
    count = len(matrix)
    canvas.saveState()
    # Draw in module units: small integers keep the page stream short and quick to write.
    canvas.translate(x, y)
    canvas.scale(size / (count + 2 * quiet), size / (count + 2 * quiet))
    path = canvas.beginPath()
    for r, row in enumerate(matrix):
        bottom = count + quiet - 1 - r
        c = 0
        while c < count:
            if row[c]:
                start = c
                while c < count and row[c]:
                    c += 1
                path.rect(start + quiet, bottom, c - start, 1)
            else:
                c += 1
    canvas.setFillGray(0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
