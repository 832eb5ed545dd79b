"""The 补打 (reprint) mark, stamped onto every page of a stored PDF."""

from __future__ import annotations

import io

from frontdesk.documents import fonts

MM = 72 / 25.4
RECEIPT_MAX_WIDTH = 300  # points: anything narrower is a roll receipt
MARK_SIZE = 9.0
DETAIL_SIZE = 7.0


def stamp_pdf(pdf: bytes, mark: str, detail: str = "") -> bytes:
    """``pdf`` with ``mark`` in a red box on every page, and ``detail`` (when, who) small.

    Sheets: the box top right, level with the centre-name header and inside the printable
    margin; the detail in the middle of the footer. Receipts have no free corner, so the
    roll gets a strip longer and both go there: nothing of the ticket is covered.
    """
    fonts.register_fonts()
    from pypdf import PdfReader, PdfWriter, Transformation

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        mark_w = fonts.text_width(mark, MARK_SIZE, bold=True)
        if width < RECEIPT_MAX_WIDTH:
            strip = (13 if detail else 9) * MM
            # Pages are changed only once they belong to the writer (pypdf 7).
            new = writer.add_blank_page(width=width, height=height + strip)
            new.merge_transformed_page(page, Transformation().translate(0, strip))
            overlay = _overlay(width, height + strip, mark, ((width - mark_w) / 2, strip - 6 * MM),
                               detail, (width / 2, 2.5 * MM))
        else:
            new = writer.add_page(page)
            overlay = _overlay(width, height, mark, (width - 12 * MM - mark_w, height - 9 * MM),
                               detail, (width / 2, 7 * MM))
        new.merge_page(PdfReader(io.BytesIO(overlay)).pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _overlay(width: float, height: float, mark: str, mark_at: tuple[float, float],
             detail: str, detail_centre: tuple[float, float]) -> bytes:
    """A transparent page: ``mark`` boxed in red (baseline at ``mark_at``), ``detail`` small."""
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), invariant=1)  # merged: no date of its own
    canvas.setFillColorRGB(0.8, 0.0, 0.0)
    canvas.setStrokeColorRGB(0.8, 0.0, 0.0)
    canvas.setLineWidth(0.8)
    x, y = mark_at
    mark_w = fonts.text_width(mark, MARK_SIZE, bold=True)
    canvas.rect(x - 3, y - 3, mark_w + 6, MARK_SIZE + 5)
    fonts.draw_text(canvas, x, y, mark, MARK_SIZE, bold=True)
    if detail:
        fonts.draw_text(canvas, detail_centre[0], detail_centre[1], detail, DETAIL_SIZE,
                        align="centre")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
