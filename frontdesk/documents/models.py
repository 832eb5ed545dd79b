"""The archive of printed documents (文档存档)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.core.models import Base


class Document(Base):
    """One printed document, kept so it can be reprinted (补打) exactly as it was.

    The PDF bytes live in the database, not in a file beside it: one backup (and one
    PostgreSQL server shared by several desks) then holds the records and their papers
    together, a copied data folder can never lose half of them, and the sizes are small
    (a receipt ~40 KB, a 500-row sheet ~100 KB). ``sha256`` is checked on every read.
    Rows are never deleted.
    """

    __tablename__ = "document"
    __table_args__ = (
        Index("ix_document_record", "record_type", "record_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(64), index=True)  # e.g. "canteen.ticket"
    title: Mapped[str] = mapped_column(String(200))
    business_date: Mapped[dt.date] = mapped_column(Date, index=True)
    record_type: Mapped[str | None] = mapped_column(String(64))  # e.g. "meal_ticket"
    record_id: Mapped[str | None] = mapped_column(String(64))
    paper: Mapped[str] = mapped_column(String(16))  # see service.PAPERS
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operator.id"))
    operator_username: Mapped[str] = mapped_column(String(64))
    operator_name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime]
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    reprint_count: Mapped[int] = mapped_column(Integer, default=0)
    last_reprinted_at: Mapped[dt.datetime | None]
