"""The town registry's tables, all in schema ``town`` (outside every centre's schema).

They have their own metadata: the centres' migrations never see them, and a centre's
connection (search_path = its own schema) still reaches them by their qualified names.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import Boolean, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from frontdesk.core.models import NAMING_CONVENTION, AwareDateTime
from frontdesk.town import TOWN_SCHEMA


class TownBase(DeclarativeBase):
    """Base of the registry's tables (schema ``town``)."""

    metadata = MetaData(schema=TOWN_SCHEMA, naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dt.datetime: AwareDateTime()}


class TownInfo(TownBase):
    """The town itself (one row)."""

    __tablename__ = "town_info"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime]


class Centre(TownBase):
    """A centre of the town and the schema its data lives in."""

    __tablename__ = "centre"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)  # lower case
    name: Mapped[str] = mapped_column(String(100))
    schema_name: Mapped[str] = mapped_column(String(63), unique=True)
    created_at: Mapped[dt.datetime]
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class TownAdmin(TownBase):
    """A town admin (镇街管理员): may work in every centre, as a centre's admin may."""

    __tablename__ = "town_admin"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(32), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime]
    last_login_at: Mapped[dt.datetime | None]


class TownAuditEntry(TownBase):
    """A town-level action (set-up, new centre, town admin login, export)."""

    __tablename__ = "town_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(index=True)
    username: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    target: Mapped[str] = mapped_column(String(64), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
