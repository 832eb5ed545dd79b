"""The archive: store, list, read back checked, reprint as 补打, and a full disk."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import text

from frontdesk.core import audit, settings
from frontdesk.core.actor import Actor
from frontdesk.core.db import Database
from frontdesk.core.errors import NotFoundError, RuleError
from frontdesk.documents import service
from frontdesk.documents.receipts import Receipt, ReceiptLine, render_receipt
from frontdesk.documents.sheets import Column, SheetSpec, render_sheet
from tests.documents.helpers import MM, meta, page_sizes, pypdf_pages, squash


@pytest.fixture(scope="module")
def receipt_pdf() -> bytes:
    return render_receipt(Receipt(meta("就餐凭证"), lines=(ReceiptLine("姓名", "王𠮷"),)))


@pytest.fixture(scope="module")
def sheet_pdf() -> bytes:
    rows = tuple((str(i), f"居民{i}") for i in range(80))
    return render_sheet(SheetSpec(meta("就餐登记表"), (Column("序号"), Column("姓名")), rows))


def _archive(db: Database, actor: Actor, content: bytes, **changes: object
             ) -> service.DocumentInfo:
    args: dict[str, object] = dict(kind="canteen.ticket", title="就餐凭证 T-0001",
                                   paper=service.PAPER_RECEIPT_80, pdf=content,
                                   record_type="meal_ticket", record_id=17)
    args.update(changes)
    with db.session() as session:
        return service.archive_document(session, actor, **args)  # type: ignore[arg-type]


def test_archive_stores_the_pdf_with_its_hash_and_audits(centre_db: Database, desk: Actor,
                                                         receipt_pdf: bytes) -> None:
    info = _archive(centre_db, desk, receipt_pdf)
    assert info.sha256 == hashlib.sha256(receipt_pdf).hexdigest()
    assert (info.operator, info.record_type, info.record_id) == ("林前台", "meal_ticket", "17")
    assert info.business_date == desk.today() and info.reprint_count == 0
    with centre_db.read() as session:
        assert service.get_document_pdf(session, info.id) == receipt_pdf
        rows = audit.query_audit(session, action="document.archive")
    assert [(r.entity_id, r.operator) for r in rows] == [(str(info.id), "desk")]


@pytest.mark.parametrize(("changes", "message"), [
    ({"title": "  "}, "标题"),
    ({"paper": "a3"}, "纸张"),
    ({"pdf": b"not a pdf"}, "PDF"),
])
def test_bad_input_is_refused_and_nothing_stored(centre_db: Database, desk: Actor,
                                                 receipt_pdf: bytes, changes: dict[str, object],
                                                 message: str) -> None:
    with pytest.raises(RuleError, match=message):
        _archive(centre_db, desk, receipt_pdf, **changes)
    with centre_db.read() as session:
        assert service.list_documents(session) == []


def test_list_filters_by_date_kind_text_and_record(centre_db: Database, desk: Actor,
                                                   clock: object, receipt_pdf: bytes,
                                                   sheet_pdf: bytes) -> None:
    ticket = _archive(centre_db, desk, receipt_pdf)
    clock.advance(days=1)  # type: ignore[attr-defined]
    sheet = _archive(centre_db, desk, sheet_pdf, kind="canteen.daily_sheet",
                     title="就餐登记表 11-23", paper=service.PAPER_A4, record_type=None,
                     record_id=None)
    with centre_db.read() as session:
        assert [d.id for d in service.list_documents(session)] == [sheet.id, ticket.id]
        assert [d.id for d in service.list_documents(session, kind="canteen.ticket")] == [
            ticket.id]
        assert [d.id for d in service.list_documents(
            session, date_from=sheet.business_date)] == [sheet.id]
        assert [d.id for d in service.list_documents(session, text="登记表")] == [sheet.id]
        assert [d.id for d in service.list_documents(
            session, record_type="meal_ticket", record_id=17)] == [ticket.id]
        assert sorted(service.document_kinds(session)) == ["canteen.daily_sheet",
                                                          "canteen.ticket"]


def test_reprint_is_stamped_counted_and_audited(centre_db: Database, desk: Actor,
                                                sheet_pdf: bytes) -> None:
    info = _archive(centre_db, desk, sheet_pdf, paper=service.PAPER_A4)
    with centre_db.read() as session:
        preview = service.reprint_pdf(session, desk, info.id)
        assert service.get_document(session, info.id).reprint_count == 0
    assert "补打（第 1 次）" in pypdf_pages(preview)[0]
    with centre_db.session() as session:
        first = service.mark_reprint(session, desk, info.id)
    with centre_db.session() as session:
        second = service.mark_reprint(session, desk, info.id)
    assert (first.document.reprint_count, second.document.reprint_count) == (1, 2)
    pages = pypdf_pages(second.pdf)
    original = pypdf_pages(sheet_pdf)
    assert len(pages) == len(original) > 1
    for stamped, plain in zip(pages, original, strict=True):
        assert "补打（第 2 次）" in stamped
        assert "补打于 2026-11-22 10:00  操作员 林前台" in stamped
        assert all(line in stamped for line in plain.splitlines() if line.strip())
    assert page_sizes(second.pdf) == page_sizes(sheet_pdf)
    with centre_db.read() as session:
        assert service.get_document_pdf(session, info.id) == sheet_pdf  # the original kept
        rows = audit.query_audit(session, action="document.reprint")
    assert [r.summary for r in rows] == ["#2: 就餐凭证 T-0001", "#1: 就餐凭证 T-0001"]


def test_receipt_reprint_keeps_the_receipt_size(centre_db: Database, desk: Actor,
                                                receipt_pdf: bytes) -> None:
    info = _archive(centre_db, desk, receipt_pdf)
    with centre_db.session() as session:
        reprint = service.mark_reprint(session, desk, info.id)
    ((width, height),) = page_sizes(reprint.pdf)
    ((original_width, original_height),) = page_sizes(receipt_pdf)
    assert width == original_width  # still 80 mm; a strip longer for the mark
    assert original_height < height < original_height + 15 * MM
    text = squash(pypdf_pages(reprint.pdf)[0])
    assert "补打（第1次）" in text and "王𠮷" in text


def test_a_damaged_archive_copy_is_refused(centre_db: Database, desk: Actor,
                                           receipt_pdf: bytes) -> None:
    info = _archive(centre_db, desk, receipt_pdf)
    with centre_db.session() as session:
        session.execute(text("UPDATE document SET pdf = :b WHERE id = :i"),
                        {"b": receipt_pdf[:-10], "i": info.id})
    with centre_db.read() as session, pytest.raises(RuleError, match="损坏"):
        service.get_document_pdf(session, info.id)


def test_unknown_document(centre_db: Database, desk: Actor) -> None:
    with centre_db.session() as session, pytest.raises(NotFoundError):
        service.mark_reprint(session, desk, 999)


@pytest.mark.sqlite_only
def test_a_full_disk_refuses_the_archive_but_keeps_the_record(
        centre_db: Database, desk: Actor, admin: Actor, sheet_pdf: bytes) -> None:
    # The "record" (here a setting change) commits first, in its own transaction.
    with centre_db.session() as session:
        settings.set_value(session, admin, "centre.town", "梅岭街道")
    big = sheet_pdf + b"%" + b"x" * 400_000
    with pytest.raises(RuleError, match="磁盘空间已满"), centre_db.session() as session:
        pages = session.execute(text("PRAGMA page_count")).scalar_one()
        # A real SQLITE_FULL: the database may not grow (as on a full disk).
        session.execute(text(f"PRAGMA max_page_count = {pages + 2}"))
        service.archive_document(session, desk, kind="canteen.ticket", title="就餐凭证",
                                 paper=service.PAPER_A4, pdf=big)
    centre_db.dispose()  # drop the connection that carries the limit
    with centre_db.read() as session:
        assert settings.get(session, "centre.town") == "梅岭街道"
        assert service.list_documents(session) == []


def test_large_print_follows_the_setting(centre_db: Database, admin: Actor) -> None:
    with centre_db.read() as session:
        assert service.receipt_large_print(session) is False
    with centre_db.session() as session:
        settings.set_value(session, admin, "printing.receipt_large_print", True)
    with centre_db.read() as session:
        assert service.receipt_large_print(session) is True
