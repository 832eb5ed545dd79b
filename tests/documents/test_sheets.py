"""A4 sheets: header row repeated, page X of Y, empty tables, long names, 5,000 rows."""

from __future__ import annotations

import io

import pdfplumber
import pytest

from frontdesk.documents.sheets import Column, SheetSpec, render_sheet
from tests.documents.helpers import CENTRE, MM, meta, page_sizes, plumber_pages, pypdf_pages, squash

COLUMNS = (Column("序号", 0.6, "right"), Column("姓名", 2), Column("事由", 4), Column("签名", 2))


def _spec(n: int, **changes: object) -> SheetSpec:
    rows = tuple((str(i + 1), f"居民{i + 1}", "长者食堂 午餐", "") for i in range(n))
    base = SheetSpec(meta("来访登记表"), COLUMNS, rows, subtitle="2026年11月22日",
                     signature_rows=True, totals=(("合计", f"{n} 人"),),
                     sign_off=("经办人", "负责人"))
    return SheetSpec(**{**base.__dict__, **changes})


def test_header_footer_and_page_numbers_on_every_page() -> None:
    pdf = render_sheet(_spec(120))
    pages = plumber_pages(pdf)
    assert len(pages) > 2
    for number, text in enumerate(pages, start=1):
        flat = squash(text)
        assert CENTRE in flat
        assert "序号姓名事由签名" in flat  # the repeated header row
        assert f"第{number}页/共{len(pages)}页" in flat
        assert "打印时间2026-11-2210:00操作员林小燕" in flat
    rows_seen = [squash(t).count("长者食堂午餐") for t in pages]
    assert sum(rows_seen) == 120
    last = squash(pages[-1])
    assert "合计：120人" in last and "经办人" in last and "负责人" in last


def test_portrait_and_landscape_are_a4() -> None:
    assert page_sizes(render_sheet(_spec(3)))[0] == pytest.approx((210 * MM, 297 * MM), abs=0.5)
    assert page_sizes(render_sheet(_spec(3, landscape=True)))[0] == pytest.approx(
        (297 * MM, 210 * MM), abs=0.5)


def test_an_empty_table_says_so_on_one_page() -> None:
    pdf = render_sheet(_spec(0, totals=()))
    pages = pypdf_pages(pdf)
    assert len(pages) == 1
    assert "（无记录）" in pages[0]
    assert "第 1 页 / 共 1 页" in pages[0]


def test_long_and_rare_names_wrap_inside_their_column() -> None:
    name = "欧阳" + "𠮷长" * 19
    spec = _spec(1, rows=(("1", name, "来访 " * 30, ""),))
    pdf = render_sheet(spec)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        usable = page.width - 24 * MM
        left = 12 * MM + usable * 0.6 / 8.6
        right = 12 * MM + usable * (0.6 + 2) / 8.6
        name_column = page.crop((left, 0, right, page.height))
        assert name in squash(name_column.extract_text())
        name_chars = [c for c in page.chars if c["text"] in "𠮷长"]
        assert len(name_chars) == 38
        assert all(left <= c["x0"] and c["x1"] <= right for c in name_chars)


@pytest.mark.slow
def test_a_5000_row_sheet_keeps_every_row() -> None:
    pdf = render_sheet(_spec(5000))
    pages = pypdf_pages(pdf)
    assert len(pages) > 100
    assert f"第 {len(pages)} 页 / 共 {len(pages)} 页" in pages[-1]
    numbers = set()
    for text in pages:
        numbers.update(int(w[2:]) for w in text.split() if w.startswith("居民"))
    assert numbers == set(range(1, 5001))


def test_rows_must_match_the_columns() -> None:
    with pytest.raises(ValueError):
        render_sheet(_spec(0, rows=(("1", "张三"),)))


def test_invariant_rendering_is_byte_identical() -> None:
    assert render_sheet(_spec(30), invariant=True) == render_sheet(_spec(30), invariant=True)


def test_line_breaks_in_a_cell_are_kept() -> None:
    pdf = render_sheet(_spec(1, rows=(("1", "张三", "第一行\n第二行", ""),)))
    lines = plumber_pages(pdf)[0].splitlines()
    assert any(line.endswith("第一行") for line in lines)
    assert any(line.startswith("第二行") or line.strip() == "第二行" for line in lines)
