"""Rebuild resources/icons/: 邻 in white on a red rounded square (SVG, PNG sizes, Windows ICO).

The character is drawn as a path taken from the shipped Noto Sans SC Bold, so the SVG needs no
font. Needs fontTools, PySide6 (QtSvg) and Pillow. Run from the repository root.
"""

import os
from pathlib import Path

from fontTools.pens.boundsPen import BoundsPen
from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.ttLib import TTFont

ICONS = Path("resources/icons")
FONT = Path("resources/fonts/NotoSansSC-Bold.ttf")
RED = "#c8102e"  # the red of the centres' signs
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def glyph_path(char: str, box: float, margin: float) -> str:
    """An SVG <path> of ``char`` centred in a ``box`` square with ``margin`` on each side."""
    font = TTFont(FONT)
    name = font.getBestCmap()[ord(char)]
    glyphs = font.getGlyphSet()
    bounds = BoundsPen(glyphs)
    glyphs[name].draw(bounds)
    x0, y0, x1, y1 = bounds.bounds
    scale = (box - 2 * margin) / max(x1 - x0, y1 - y0)
    dx = (box - (x1 - x0) * scale) / 2 - x0 * scale
    dy = (box - (y1 - y0) * scale) / 2 + y1 * scale  # font y grows upwards, SVG y downwards
    pen = SVGPathPen(glyphs)
    glyphs[name].draw(pen)
    return (f'<path fill="#ffffff" transform="translate({dx:.2f} {dy:.2f}) '
            f'scale({scale:.5f} {-scale:.5f})" d="{pen.getCommands()}"/>')


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" '
           'viewBox="0 0 256 256">\n'
           f'<rect x="8" y="8" width="240" height="240" rx="48" fill="{RED}"/>\n'
           f'{glyph_path("邻", 256, 52)}\n</svg>\n')
    (ICONS / "frontdesk.svg").write_text(svg, encoding="utf-8")

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication([])  # noqa: F841 (Qt needs it to paint)
    renderer = QSvgRenderer(str(ICONS / "frontdesk.svg"))
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        name = "frontdesk.png" if size == 256 else f"frontdesk-{size}.png"
        image.save(str(ICONS / name))

    from PIL import Image

    Image.open(ICONS / "frontdesk.png").save(
        ICONS / "frontdesk.ico", sizes=[(s, s) for s in SIZES if s <= 256])
    for size in SIZES:  # only 256 (the window icon) and the ICO are shipped
        if size != 256:
            (ICONS / f"frontdesk-{size}.png").unlink()


if __name__ == "__main__":
    main()
