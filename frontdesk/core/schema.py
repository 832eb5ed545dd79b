"""Every module that defines tables, so the metadata (and Alembic) sees the whole schema."""

from __future__ import annotations

import importlib

from sqlalchemy import MetaData

from frontdesk.core.models import Base

# Each feature adds its models module here.
MODEL_MODULES = [
    "frontdesk.core.operators",
    "frontdesk.core.audit",
    "frontdesk.core.settings",
    "frontdesk.residents.models",
    "frontdesk.canteen.models",
    "frontdesk.checkin.models",
    "frontdesk.documents.models",
    "frontdesk.rooms.models",
    "frontdesk.volunteers.models",
    "frontdesk.core.dayguard",
]


def load_all_models() -> MetaData:
    """Import every models module and return the complete metadata."""
    for name in MODEL_MODULES:
        importlib.import_module(name)
    return Base.metadata
