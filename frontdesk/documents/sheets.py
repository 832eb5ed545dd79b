"""A4 sheets (登记表, 明细表): a table that repeats its header row and breaks across pages.

Usage::

    from frontdesk.documents.sheets import Column, SheetSpec, render_sheet
    pdf = render_sheet(SheetSpec(meta, columns=(Column("姓名", 3), Column("签名", 4)),
                                 rows=(("张三", ""),), signature_rows=True))
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from frontdesk.core.i18n import tr
from frontdesk.documents import fonts
from frontdesk.documents.styles import MM, DocumentMeta, numbered_canvas, paragraph_styles

CELL_PADDING = 3  # points, left and right of each cell
FONT_SIZE = 9


@dataclass(frozen=True)
class Column:
    """A table column: its heading, relative width and alignment ("left"/"right"/"centre")."""

    title: str
    weight: float = 1.0
    align: str = "left"


@dataclass(frozen=True)
class SheetSpec:
    """Everything an A4 sheet shows, as plain data (texts already in the user's language)."""

    meta: DocumentMeta
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    subtitle: str = ""  # e.g. the date and the session, under the title
    landscape: bool = False
    signature_rows: bool = False  # taller rows, so elders can sign in a column
    totals: tuple[tuple[str, str], ...] = ()  # (label, value) under the table
    sign_off: tuple[str, ...] = ()  # signature lines at the end: 经办人, 负责人 ...
    empty_text: str = ""  # shown in place of rows when there are none


def render_sheet(spec: SheetSpec, *, invariant: bool = False) -> bytes:
    """The sheet as PDF bytes (``invariant`` gives byte-identical output for equal input)."""
    fonts.register_fonts()
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if any(len(row) != len(spec.columns) for row in spec.rows):
        raise ValueError("every row needs one value per column")
    styles = paragraph_styles()
    pagesize = landscape(A4) if spec.landscape else A4
    margin = 12 * MM
    usable = pagesize[0] - 2 * margin
    total_weight = sum(c.weight for c in spec.columns) or 1.0
    widths = [usable * c.weight / total_weight for c in spec.columns]
    cell_styles = [styles[{"right": "cell_right", "centre": "cell_centre"}.get(c.align, "cell")]
                   for c in spec.columns]

    def cell(text: str, col: int) -> Any:
        # Plain strings are much faster; a Paragraph only where wrapping or the fallback
        # font is needed.
        if _fits_plain(text, widths[col] - 2 * CELL_PADDING):
            return text
        return Paragraph(fonts.markup(text), cell_styles[col])

    header = [Paragraph(fonts.markup(c.title, bold=True), styles["head"]) for c in spec.columns]
    body = [[cell(value, i) for i, value in enumerate(row)] for row in spec.rows]
    if not body:
        empty = spec.empty_text or tr("（无记录）")
        body = [[Paragraph(fonts.markup(empty), styles["cell_centre"])]
                + [""] * (len(spec.columns) - 1)]
    table = Table([header, *body], colWidths=widths, repeatRows=1)
    pad = 9 if spec.signature_rows else 3
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), fonts.REGULAR, FONT_SIZE, FONT_SIZE + 3),
        ("GRID", (0, 0), (-1, -1), 0.5, (0.35, 0.35, 0.35)),
        ("BACKGROUND", (0, 0), (-1, 0), (0.9, 0.9, 0.9)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 1), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 1), (-1, -1), pad),
    ]
    for i, column in enumerate(spec.columns):
        if column.align in ("right", "centre"):
            commands.append(("ALIGN", (i, 1), (i, -1),
                             "RIGHT" if column.align == "right" else "CENTER"))
    if not spec.rows:
        commands.append(("SPAN", (0, 1), (-1, 1)))
    table.setStyle(TableStyle(commands))

    story: list[Any] = [Paragraph(fonts.markup(spec.meta.title), styles["title"])]
    if spec.subtitle:
        story.append(Paragraph(fonts.markup(spec.subtitle), styles["subtitle"]))
    story += [Spacer(1, 2 * MM), table]
    if spec.totals:
        story.append(Spacer(1, 4 * MM))
        story += [Paragraph(fonts.markup(f"{label}：", bold=True) + fonts.markup(value),
                            styles["totals"]) for label, value in spec.totals]
    if spec.sign_off:
        story.append(Spacer(1, 10 * MM))
        line = "　　　　".join(f"{fonts.markup(who)}：________________" for who in spec.sign_off)
        story.append(Paragraph(line, styles["totals"]))

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=pagesize, leftMargin=margin, rightMargin=margin,
                            topMargin=15 * MM, bottomMargin=15 * MM, title=spec.meta.title,
                            author=spec.meta.centre_name, creator="frontdesk",
                            invariant=int(invariant))
    doc.build(story, canvasmaker=numbered_canvas(spec.meta))
    return buffer.getvalue()


def _fits_plain(text: str, width: float) -> bool:
    """Whether ``text`` can be drawn as a plain one-line string in the main font."""
    if "\n" in text:
        return False
    return (all(font == fonts.REGULAR for font, _ in fonts.runs(text))
            and fonts.text_width(text, FONT_SIZE) <= width)
