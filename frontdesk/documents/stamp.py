"""The 补打 (reprint) mark, stamped onto every page of a stored PDF."""

from __future__ import annotations

import io

from frontdesk.documents import fonts


def stamp_pdf(pdf: bytes, text: str) -> bytes:
    """``pdf`` with ``text`` in a red box on every page.

    Top right on sheets (the header's corner is free there); bottom right on receipts,
    beside the operator line, where it hides none of the ticket's content.
    """
    fonts.register_fonts()
    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfgen.canvas import Canvas

    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    for page in writer.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        size = 9.0 if width > 200 else 7.0
        overlay = io.BytesIO()
        canvas = Canvas(overlay, pagesize=(width, height))
        canvas.setFillColorRGB(0.8, 0.0, 0.0)
        canvas.setStrokeColorRGB(0.8, 0.0, 0.0)
        text_w = fonts.text_width(text, size, bold=True)
        receipt = width < 300
        x = width - text_w - 8
        y = 10.0 if receipt else height - size - 8
        canvas.setLineWidth(0.8)
        canvas.rect(x - 3, y - 3, text_w + 6, size + 6)
        fonts.draw_text(canvas, x, y, text, size, bold=True)
        canvas.showPage()
        canvas.save()
        page.merge_page(PdfReader(io.BytesIO(overlay.getvalue())).pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
