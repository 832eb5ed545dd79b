"""Fonts: one registration per process, the rare-character fallback, and 𠮷 extracting."""

from __future__ import annotations

import random
import subprocess
import sys

from frontdesk.documents import fonts
from frontdesk.documents.sheets import Column, SheetSpec, render_sheet
from tests.documents.helpers import meta, plumber_pages, pypdf_pages, squash


def test_registration_happens_once_per_process() -> None:
    fonts.register_fonts()
    assert fonts.register_fonts() == 0.0
    assert fonts.registration_seconds is not None and fonts.registration_seconds > 0


def test_importing_fonts_does_not_load_reportlab() -> None:
    code = ("import sys\nimport frontdesk.documents.fonts, frontdesk.documents.service\n"
            "print('reportlab' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_rare_characters_go_to_the_fallback_font() -> None:
    assert not fonts.covered(fonts.REGULAR, "𠮷")
    assert fonts.covered(fonts.RARE, "𠮷")
    assert list(fonts.runs("王𠮷祥")) == [(fonts.REGULAR, "王"), (fonts.RARE, "𠮷"),
                                          (fonts.REGULAR, "祥")]


def test_markup_escapes_and_marks_fallback_spans() -> None:
    assert fonts.markup("A<B>&𠮷") == f'A&lt;B&gt;&amp;<font name="{fonts.RARE}">𠮷</font>'
    assert fonts.markup("张三", bold=True) == "<b>张三</b>"


def test_wrap_text_keeps_every_line_within_the_width() -> None:
    text = "欧阳" + "长" * 38 + " ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGHIJ"
    lines = fonts.wrap_text(text, 10, 100)
    assert len(lines) > 3
    assert all(fonts.text_width(line, 10) <= 100 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_to_unicode_cmap_uses_surrogate_pairs_beyond_the_bmp() -> None:
    fonts.register_fonts()
    from reportlab.pdfbase import ttfonts

    cmap = ttfonts.makeToUnicodeCMap("F", [0x41, 0x20BB7])
    assert "<01> <D842DFB7>" in cmap
    assert "<20BB7>" not in cmap
    assert "<00> <0041>" in cmap


def test_names_with_extension_b_characters_extract_with_pypdf_and_pdfplumber() -> None:
    fonts.register_fonts()
    rng = random.Random(4)
    rare = sorted(c for c in fonts._coverage[fonts.RARE] if c > 0xFFFF)
    common = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
    names = [rng.choice(common) + chr(rng.choice(rare)) + rng.choice(common)
             for _ in range(200)]
    names.append("𠮷")
    spec = SheetSpec(meta("姓名提取"), (Column("序号"), Column("姓名", 3)),
                     tuple((str(i), name) for i, name in enumerate(names)))
    pdf = render_sheet(spec)
    for pages in (pypdf_pages(pdf), plumber_pages(pdf)):
        text = squash("".join(pages))
        missing = [name for name in names if name not in text]
        assert missing == []
