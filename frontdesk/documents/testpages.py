"""Test pages of each paper kind, for `frontdesk print-test` and for checking printers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from frontdesk.core.i18n import tr
from frontdesk.documents import service
from frontdesk.documents.cards import ResidentCardData, render_cards
from frontdesk.documents.receipts import Receipt, ReceiptLine, render_receipt
from frontdesk.documents.sheets import Column, SheetSpec, render_sheet
from frontdesk.documents.styles import DocumentMeta

SAMPLE_NAMES = ("张三", "李四", "王𠮷", "欧阳淑芬", "陈喆", "林玥")


@dataclass(frozen=True)
class TestPage:
    """One rendered test page and the paper it is for."""

    paper: str
    title: str
    pdf: bytes


def test_pages(centre_name: str, operator: str, now: dt.datetime) -> list[TestPage]:
    """A test page of each paper: 80 mm, 58 mm and large-print receipts, A4 both ways, card."""
    centre_name = centre_name or tr("邻里前台")

    def meta(title: str) -> DocumentMeta:
        return DocumentMeta(centre_name, title, operator, now)

    lines = (ReceiptLine(tr("姓名"), "王𠮷"), ReceiptLine(tr("项目"), tr("打印测试")),
             ReceiptLine(tr("金额"), "9.90 元"))
    notes = (tr("如果这张小票的宽度正确、中文清晰，打印机设置无误。"),)
    pages = []
    for width, paper in ((80, service.PAPER_RECEIPT_80), (58, service.PAPER_RECEIPT_58)):
        title = tr("{width} 毫米小票测试页", width=width)
        receipt = Receipt(meta(title), lines, number="TEST-0001",
                          total=ReceiptLine(tr("合计"), "9.90 元", bold=True), notes=notes,
                          qr="TEST-0001", width_mm=width)
        pages.append(TestPage(paper, title, render_receipt(receipt)))
    title = tr("大字小票测试页")
    pages.append(TestPage(service.PAPER_RECEIPT_80, title, render_receipt(
        Receipt(meta(title), lines, number="TEST-0002", notes=notes, large_print=True))))
    columns = (Column(tr("序号"), 0.6, "right"), Column(tr("姓名"), 2), Column(tr("事由"), 4),
               Column(tr("签名"), 2))
    rows = tuple((str(i + 1), SAMPLE_NAMES[i % len(SAMPLE_NAMES)], tr("打印测试"), "")
                 for i in range(30))
    for landscape, paper in ((False, service.PAPER_A4), (True, service.PAPER_A4_LANDSCAPE)):
        title = tr("A4 横向测试页") if landscape else tr("A4 纵向测试页")
        spec = SheetSpec(meta(title), columns, rows, subtitle=tr("表头在每一页重复；末尾有签字栏"),
                         landscape=landscape, signature_rows=True,
                         totals=((tr("合计"), tr("{n} 人", n=len(rows))),),
                         sign_off=(tr("经办人"), tr("负责人")))
        pages.append(TestPage(paper, title, render_sheet(spec)))
    pages.append(TestPage(service.PAPER_CARD, tr("居民卡测试页"), render_cards(
        [ResidentCardData("王𠮷", "TEST-000001", centre_name)])))
    return pages
