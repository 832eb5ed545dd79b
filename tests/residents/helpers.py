"""Valid ID numbers for tests, computed (never copied) with the GB 11643 check digit."""

from __future__ import annotations

from frontdesk.residents.identity import _ric_check


def ric(area: str = "350582", birth: str = "19500101", seq: str = "123") -> str:
    """A valid 18-digit 居民身份证 number (odd ``seq`` = male)."""
    body = area + birth + seq
    return body + _ric_check(body)
