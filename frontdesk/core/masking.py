"""Masking personal numbers for screens, slips and exports (PIPL: show only what is needed).

One place for every feature, so a masked number looks the same everywhere.
"""

from __future__ import annotations


def mask_id_number(number: str | None) -> str:
    """An ID number as screens and exports show it: 350582********1234."""
    if not number:
        return ""
    if len(number) <= 8:
        return number[:2] + "*" * max(0, len(number) - 4) + number[-2:]
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(phone: str | None) -> str:
    """A phone as printed: 138****1234 for mobiles, only the last 4 digits otherwise."""
    if not phone:
        return ""
    digits = phone.replace(" ", "").replace("-", "")
    if len(digits) == 11 and digits.startswith("1"):
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]
