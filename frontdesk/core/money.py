"""Money as integer fen (分): parsing what people type and formatting for paper."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr

FEN_PER_YUAN = 100


# No amount at a neighbourhood desk comes near 一百亿元; beyond it is a typing accident.
MAX_YUAN = Decimal(10) ** 10


def parse_yuan(text: str) -> int:
    """Parse an amount in 元 as typed ("9.9", "９．９", "¥8", "8元") into fen."""
    cleaned = text.strip().translate(_FULLWIDTH).replace("¥", "").replace("元", "").replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise RuleError(tr("金额格式不对：{text}", text=text)) from None
    if not value.is_finite():
        raise RuleError(tr("金额格式不对：{text}", text=text))
    if value.copy_abs() >= MAX_YUAN:  # "1e99999999" parses as a Decimal; as fen it never ends
        raise RuleError(tr("金额太大：{text}", text=text))
    fen = value * FEN_PER_YUAN
    if fen != fen.to_integral_value():
        raise RuleError(tr("金额最多两位小数：{text}", text=text))
    return int(fen)


def format_yuan(fen: int, *, symbol: bool = False) -> str:
    """Format fen as 元 with two decimals ("9.90"; with ``symbol``: "¥9.90")."""
    sign = "-" if fen < 0 else ""
    whole, part = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}{'¥' if symbol else ''}{whole}.{part:02d}"


def split_proportionally(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` fen by ``weights`` so the parts add up exactly (largest remainder)."""
    if total < 0 or not weights or min(weights) < 0 or sum(weights) == 0:
        raise ValueError("need a non-negative total and non-negative weights")
    weight_sum = sum(weights)
    exact = [Decimal(total) * w / weight_sum for w in weights]
    parts = [int(x) for x in exact]  # floor, as all values are non-negative
    order = sorted(range(len(weights)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－＋", "0123456789.,-+")
