"""Chinese fonts for ReportLab: registered once per process, lazily, with a rare-character fallback.

Noto Sans SC (regular + bold, one family so ``<b>`` works in a Paragraph) covers GBK and
Extension A; ``FrontdeskRareHan`` covers the name characters Noto lacks (𠮷 U+20BB7).
ReportLab has no glyph fallback of its own, so text is split into runs by which font has
the character: :func:`markup` for Paragraphs, :func:`draw_text` / :func:`text_width` on a canvas.

Importing this module is cheap; ReportLab is loaded by :func:`register_fonts`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from frontdesk.core import resources

REGULAR = "FrontdeskSans"
BOLD = "FrontdeskSans-Bold"
RARE = "FrontdeskRareHan"
FAMILY = REGULAR

_FILES = dict(zip((REGULAR, BOLD, RARE), resources.FONT_FILES, strict=True))

_lock = threading.Lock()
_registered = False
_coverage: dict[str, frozenset[int]] = {}
registration_seconds: float | None = None  # how long the one registration took (for bench)


def register_fonts() -> float:
    """Register the fonts with ReportLab (once per process); returns the seconds it took now."""
    global _registered, registration_seconds
    if _registered:
        return 0.0
    with _lock:
        if _registered:
            return 0.0
        start = time.perf_counter()
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        _fix_to_unicode_beyond_bmp()
        # Binary (zlib only) streams instead of ASCII85 on top: smaller and faster PDFs;
        # nothing here needs 7-bit-clean files.
        from reportlab import rl_config

        rl_config.useA85 = 0
        for name, filename in _FILES.items():
            font = TTFont(name, str(resources.font_path(filename)))
            _slice_glyf_lazily(font.face)
            pdfmetrics.registerFont(font)
            _coverage[name] = frozenset(font.face.charToGlyph)
        pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR,
                                      boldItalic=BOLD)
        # <b> inside a <font name="FrontdeskRareHan"> span: the rare font has no bold face.
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(RARE, bold, italic, RARE)
        registration_seconds = time.perf_counter() - start
        _registered = True
        return registration_seconds


def _fix_to_unicode_beyond_bmp() -> None:
    """Monkeypatch ReportLab 5.1's ToUnicode CMap so characters beyond U+FFFF extract.

    ReportLab writes ``<20BB7>`` (odd hex length) for 𠮷; PDF readers then lose the
    character. The CMap destination must be UTF-16BE, i.e. a surrogate pair
    ``<D842DFB7>``. Only the destination strings change; everything else is ReportLab's.
    """
    from reportlab.pdfbase import ttfonts

    if getattr(ttfonts.makeToUnicodeCMap, "frontdesk_fixed", False):
        return
    original = ttfonts.makeToUnicodeCMap

    def make_to_unicode_cmap(fontname: str, subset: Any) -> str:
        text: str = original(fontname, subset)
        for code, cp in enumerate(subset):
            if isinstance(cp, int) and cp > 0xFFFF:
                high = 0xD800 + ((cp - 0x10000) >> 10)
                low = 0xDC00 + ((cp - 0x10000) & 0x3FF)
                text = text.replace(f"<{code:02X}> <{cp:04X}>",
                                    f"<{code:02X}> <{high:04X}{low:04X}>", 1)
        return text

    make_to_unicode_cmap.frontdesk_fixed = True  # type: ignore[attr-defined]
    ttfonts.makeToUnicodeCMap = make_to_unicode_cmap


class _TableSlice:
    """A font table read on demand: ``table[a:b]`` copies only those bytes."""

    def __init__(self, data: bytes, start: int, length: int) -> None:
        self.data, self.start, self.length = data, start, length

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, part: slice) -> bytes:
        begin, end, _ = part.indices(self.length)
        return self.data[self.start + begin:self.start + end]


def _slice_glyf_lazily(face: Any) -> None:
    """Make subsetting copy only the glyphs it needs, not the whole 'glyf' table.

    ReportLab's ``makeSubset`` takes ``get_table('glyf')`` (9 MB in Noto Sans SC) for every
    document and then slices single glyphs out of it; that copy was a tenth of a
    receipt's time. Only this face's method is replaced; other tables are unchanged.
    """
    original = face.get_table

    def get_table(tag: str) -> Any:
        if tag == "glyf":
            start, length = face.get_table_pos(tag)
            return _TableSlice(face._ttf_data, start, length)
        return original(tag)

    face.get_table = get_table


def covered(font: str, char: str) -> bool:
    """Whether ``font`` has a glyph for ``char`` (fonts must be registered)."""
    register_fonts()
    return ord(char) in _coverage[font]


@lru_cache(maxsize=4096)
def _runs(text: str, bold: bool) -> tuple[tuple[str, str], ...]:
    """``text`` cut into (font, piece) runs: the main font, else the rare fallback."""
    main = BOLD if bold else REGULAR
    main_set, rare_set = _coverage[main], _coverage[RARE]
    runs: list[tuple[str, str]] = []
    for char in text:
        cp = ord(char)
        font = RARE if cp not in main_set and cp in rare_set else main
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + char)
        else:
            runs.append((font, char))
    return tuple(runs)


def runs(text: str, *, bold: bool = False) -> Iterator[tuple[str, str]]:
    """The (font name, text) runs to draw ``text`` with the fallback applied."""
    register_fonts()
    return iter(_runs(text, bold))


def markup(text: str, *, bold: bool = False) -> str:
    """``text`` as safe Paragraph markup: XML-escaped, rare characters in fallback spans,
    line breaks kept."""
    parts = []
    for font, piece in runs(text, bold=bold):
        if font == RARE:
            parts.append(f'<font name="{RARE}">{escape(piece)}</font>')
        else:
            parts.append(escape(piece))
    body = "".join(parts).replace("\n", "<br/>")
    return f"<b>{body}</b>" if bold else body


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width in points of ``text`` drawn by :func:`draw_text`."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return sum(stringWidth(piece, font, size) for font, piece in runs(text, bold=bold))


def draw_text(canvas: Any, x: float, y: float, text: str, size: float, *,
              bold: bool = False, align: str = "left") -> float:
    """Draw ``text`` on a ReportLab canvas at baseline ``y``; returns its width.

    ``align`` is "left" (x is the left edge), "right" (x is the right edge) or "centre".
    """
    width = text_width(text, size, bold=bold)
    if align == "right":
        x -= width
    elif align == "centre":
        x -= width / 2
    for font, piece in runs(text, bold=bold):
        canvas.setFont(font, size)
        canvas.drawString(x, y, piece)
        x += canvas.stringWidth(piece, font, size)
    return width


def wrap_text(text: str, size: float, max_width: float, *, bold: bool = False) -> list[str]:
    """``text`` broken into lines no wider than ``max_width`` (CJK: break between any chars).

    Latin words are kept whole where they fit on a line of their own.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, line_w = "", 0.0
        for token in _tokens(paragraph):
            token_w = text_width(token, size, bold=bold)  # widths add up: no kerning here
            if line and line_w + token_w > max_width:
                lines.append(line.rstrip())
                line = token.lstrip()
                line_w = text_width(line, size, bold=bold)
            else:
                line, line_w = line + token, line_w + token_w
            # A word wider than the whole line is cut where it must be.
            while len(line) > 1 and line_w > max_width:
                cut = len(line) - 1
                while cut > 1 and text_width(line[:cut], size, bold=bold) > max_width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
                line_w = text_width(line, size, bold=bold)
        lines.append(line)
    return lines


def _tokens(text: str) -> Iterator[str]:
    """Characters one by one, but runs of ASCII letters/digits together (words, codes)."""
    word = ""
    for char in text:
        if char.isascii() and char.isalnum():
            word += char
            continue
        if word:
            yield word
            word = ""
        yield char
    if word:
        yield word
