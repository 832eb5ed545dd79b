"""The document archive: every printed paper is stored, listed, and reprinted as 补打.

A feature prints in this order (see docs/DEVELOPING.md, "How to add a document"):
1. its own service writes the record (ticket, booking) and commits;
2. it renders the PDF from plain data;
3. :func:`archive_document` stores the PDF in a transaction of its own;
4. the screen prints it.
A failure in 2-4 never rolls back 1: the record stays and the paper can be printed again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import exc as sa_exc
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.core import audit
from frontdesk.core.actor import Actor
from frontdesk.core.clock import to_local
from frontdesk.core.errors import NotFoundError, RuleError
from frontdesk.core.i18n import N_, tr
from frontdesk.documents.models import Document

PAPER_RECEIPT_80 = "receipt80"
PAPER_RECEIPT_58 = "receipt58"
PAPER_A4 = "a4"
PAPER_A4_LANDSCAPE = "a4_landscape"
PAPER_CARD = "card"
#: every paper a document can be on, with its name for screens
PAPERS = {
    PAPER_RECEIPT_80: N_("80 毫米小票"),
    PAPER_RECEIPT_58: N_("58 毫米小票"),
    PAPER_A4: N_("A4 纵向"),
    PAPER_A4_LANDSCAPE: N_("A4 横向"),
    PAPER_CARD: N_("卡片"),
}
RECEIPT_PAPERS = (PAPER_RECEIPT_80, PAPER_RECEIPT_58)
#: names of document kinds for the 文档 page's filter; each feature adds its kinds here
KINDS = {
    "documents.test_page": N_("打印测试页"),
    "residents.card": N_("居民卡"),
    "rooms.slip": N_("场地预约单"),
    "rooms.schedule": N_("场地安排表"),
    "checkin.attendance": N_("来访登记表"),
    "canteen.ticket": N_("就餐凭证"),
    "canteen.daily_sheet": N_("就餐登记表"),
    "canteen.route_sheet": N_("送餐路线单"),
    "canteen.kitchen": N_("备餐单"),
    "canteen.claim": N_("助餐补助申报表"),
    "volunteers.redemption": N_("积分兑换小票"),
    "volunteers.statement": N_("志愿服务明细"),
    "volunteers.certificate": N_("志愿服务证明"),
    "volunteers.day_service": N_("志愿服务登记表"),
    "volunteers.day_shop": N_("积分超市库存日报"),
    "dayclose.summary": N_("日结汇总表"),
}
TITLE_LIMIT = 200


def kind_label(kind: str) -> str:
    """The Chinese source name of a document kind (the code itself when not declared)."""
    return KINDS.get(kind, kind)


def receipt_large_print(session: Session) -> bool:
    """Whether receipts print in large type for elders (the centre's setting)."""
    from frontdesk.core import settings

    return bool(settings.get(session, "printing.receipt_large_print"))


def printer_role(paper: str) -> str:
    """Which of a desk's printers a paper goes to: "receipt" (the roll printer, 80 or 58 mm),
    "card" (a card printer; the desk's A4 printer unless one is chosen) or "a4"."""
    if paper in RECEIPT_PAPERS:
        return "receipt"
    return "card" if paper == PAPER_CARD else "a4"


@dataclass(frozen=True)
class DocumentInfo:
    """An archived document as lists and screens show it (without the PDF bytes)."""

    id: int
    kind: str
    title: str
    business_date: dt.date
    record_type: str | None
    record_id: str | None
    paper: str
    operator: str
    operator_username: str
    created_at: dt.datetime
    sha256: str
    size_bytes: int
    reprint_count: int
    last_reprinted_at: dt.datetime | None


@dataclass(frozen=True)
class Reprint:
    """A reprint: the document after counting it, and its PDF stamped 补打."""

    document: DocumentInfo
    pdf: bytes


def _info(doc: Document) -> DocumentInfo:
    return DocumentInfo(
        doc.id, doc.kind, doc.title, doc.business_date, doc.record_type, doc.record_id,
        doc.paper, doc.operator_name, doc.operator_username, doc.created_at, doc.sha256,
        doc.size_bytes, doc.reprint_count, doc.last_reprinted_at,
    )


def archive_document(
    session: Session,
    actor: Actor,
    *,
    kind: str,
    title: str,
    paper: str,
    pdf: bytes,
    record_type: str | None = None,
    record_id: object | None = None,
    business_date: dt.date | None = None,
) -> DocumentInfo:
    """Store a printed document; audited. Call it in its own transaction, after the record's.

    A full disk gives a RuleError saying so; the record the paper belongs to is untouched.
    """
    title = title.strip()
    if not title:
        raise RuleError(tr("文档需要一个标题。"))
    if paper not in PAPERS:
        raise RuleError(tr("未知的纸张类型：{paper}", paper=paper))
    if not pdf.startswith(b"%PDF-"):
        raise RuleError(tr("要存档的内容不是 PDF 文件。"))
    doc = Document(
        kind=kind,
        title=title[:TITLE_LIMIT],
        business_date=business_date or actor.today(),
        record_type=record_type,
        record_id=None if record_id is None else str(record_id),
        paper=paper,
        operator_id=actor.operator_id,
        operator_username=actor.username,
        operator_name=actor.display_name,
        created_at=actor.now(),
        sha256=hashlib.sha256(pdf).hexdigest(),
        size_bytes=len(pdf),
        pdf=pdf,
        reprint_count=0,
    )
    session.add(doc)
    try:
        session.flush()
    except sa_exc.OperationalError as exc:
        detail = str(exc.orig).lower()
        if "full" in detail or "no space left" in detail:  # SQLite / PostgreSQL
            raise RuleError(tr("磁盘空间已满，文档“{title}”未能存档。原记录已保存，"
                               "清理磁盘后可以重新打印。", title=title)) from exc
        raise
    audit.record(session, actor, "document.archive", "document", doc.id,
                 f"{kind}: {doc.title} ({record_type or '-'} {doc.record_id or '-'})")
    return _info(doc)


def list_documents(
    session: Session,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    kind: str | None = None,
    text: str | None = None,
    record_type: str | None = None,
    record_id: object | None = None,
    limit: int = 500,
) -> list[DocumentInfo]:
    """Archived documents, newest first, filtered by business date, kind and title text."""
    stmt = select(Document).order_by(Document.id.desc())
    if date_from is not None:
        stmt = stmt.where(Document.business_date >= date_from)
    if date_to is not None:
        stmt = stmt.where(Document.business_date <= date_to)
    if kind:
        stmt = stmt.where(Document.kind == kind)
    if record_type:
        stmt = stmt.where(Document.record_type == record_type)
    if record_id is not None:
        stmt = stmt.where(Document.record_id == str(record_id))
    if text:
        like = f"%{text.strip()}%"
        stmt = stmt.where(Document.title.like(like) | Document.record_id.like(like)
                          | Document.operator_name.like(like))
    return [_info(doc) for doc in session.scalars(stmt.limit(limit))]


def document_kinds(session: Session) -> list[str]:
    """The kinds of document archived so far (for a filter list)."""
    return list(session.scalars(select(Document.kind).group_by(Document.kind)))


def get_document(session: Session, doc_id: int) -> DocumentInfo:
    """The archived document ``doc_id`` (without its bytes), or NotFoundError."""
    return _info(_load(session, doc_id))


def get_document_pdf(session: Session, doc_id: int) -> bytes:
    """The stored PDF exactly as first printed, checked against its SHA-256."""
    doc = _load(session, doc_id)
    pdf = doc.pdf
    if hashlib.sha256(pdf).hexdigest() != doc.sha256:
        raise RuleError(tr("文档 {id} 的存档内容已损坏（校验值不符），无法补打。", id=doc_id))
    return pdf


def reprint_pdf(session: Session, actor: Actor, doc_id: int) -> bytes:
    """The stored PDF stamped as the next reprint (补打), for the preview; changes nothing."""
    doc = _load(session, doc_id)
    return _stamped(get_document_pdf(session, doc_id), doc, actor, doc.reprint_count + 1)


def mark_reprint(session: Session, actor: Actor, doc_id: int) -> Reprint:
    """Count a reprint (补打) and audit it; returns the PDF stamped with its number."""
    pdf = get_document_pdf(session, doc_id)
    doc = _load(session, doc_id)
    doc.reprint_count += 1
    doc.last_reprinted_at = actor.now()
    audit.record(session, actor, "document.reprint", "document", doc.id,
                 f"#{doc.reprint_count}: {doc.title}")
    return Reprint(_info(doc), _stamped(pdf, doc, actor, doc.reprint_count))


def _stamped(pdf: bytes, doc: Document, actor: Actor, number: int) -> bytes:
    """``pdf`` marked 补打 with its number, and when and by whom it was reprinted."""
    from frontdesk.documents.stamp import stamp_pdf

    when = to_local(actor.now()).strftime("%Y-%m-%d %H:%M")
    return stamp_pdf(pdf, tr("补打（第 {n} 次）", n=number),
                     tr("补打于 {time}  操作员 {operator}", time=when,
                        operator=actor.display_name))


def _load(session: Session, doc_id: int) -> Document:
    doc = session.get(Document, doc_id)
    if doc is None:
        raise NotFoundError(tr("没有编号为 {id} 的文档。", id=doc_id))
    return doc
