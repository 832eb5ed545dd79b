"""Reading PDFs back for the document tests."""

from __future__ import annotations

import datetime as dt
import io

import pdfplumber
import pypdf

from frontdesk.core.clock import CENTRE_TZ
from frontdesk.documents.styles import DocumentMeta

NOW = dt.datetime(2026, 11, 22, 10, 0, tzinfo=CENTRE_TZ)
CENTRE = "晋江市梅岭街道桂山社区党建+邻里中心"
MM = 72 / 25.4


def meta(title: str = "测试文档", operator: str = "林小燕") -> DocumentMeta:
    return DocumentMeta(CENTRE, title, operator, NOW)


def pypdf_pages(pdf: bytes) -> list[str]:
    """Text of each page, as pypdf extracts it."""
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def plumber_pages(pdf: bytes) -> list[str]:
    """Text of each page, as pdfplumber extracts it."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [page.extract_text() or "" for page in doc.pages]


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """(width, height) of each page in points."""
    return [(float(p.mediabox.width), float(p.mediabox.height))
            for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def squash(text: str) -> str:
    """Text without whitespace (line breaks fall anywhere in wrapped CJK)."""
    return "".join(text.split())
