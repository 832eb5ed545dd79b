"""What a scanned or typed code means: each feature registers a resolver.

The global scan box asks every resolver in turn; the first that recognises the code wins.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class ScanHit:
    """A record a code points at, and the page that shows it."""

    page: str
    kind: str
    record_id: int
    label: str


# "module:function" resolvers, each (session, code) -> ScanHit | None.
RESOLVERS: list[str] = [
    "frontdesk.residents.service:resolve_scan",
    "frontdesk.canteen.service:resolve_ticket_scan",
    "frontdesk.rooms.service:resolve_slip_code",
    "frontdesk.volunteers.service:resolve_scan",
]


def normalise_code(text: str) -> str:
    """A scanned code without surrounding blanks, full-width characters folded."""
    folded = "".join(
        chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in text
    )
    # Control characters (a scanner's NUL or tab) are no part of any code, and PostgreSQL
    # refuses NUL in a query parameter.
    folded = "".join(c for c in folded if c >= " " or c in "\t\r\n")
    return folded.replace("\u3000", " ").strip()


def resolve(session: Session, text: str) -> ScanHit | None:
    """The record ``text`` identifies, or None."""
    code = normalise_code(text)
    if not code:
        return None
    for ref in RESOLVERS:
        module_name, func_name = ref.split(":")
        hit: ScanHit | None = getattr(importlib.import_module(module_name), func_name)(
            session, code)
        if hit is not None:
            return hit
    return None
