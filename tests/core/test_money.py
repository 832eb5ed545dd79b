"""Money in integer fen."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.core.errors import RuleError
from frontdesk.core.money import format_yuan, parse_yuan, split_proportionally


@pytest.mark.parametrize(("text", "fen"), [
    ("9.9", 990), ("８．００", 800), ("¥12", 1200), ("3元", 300), ("0.01", 1), ("1,000", 100000),
])
def test_parse_yuan(text: str, fen: int) -> None:
    assert parse_yuan(text) == fen


@pytest.mark.parametrize("text", ["", "abc", "1.001", "NaN", "inf"])
def test_parse_yuan_refuses_nonsense(text: str) -> None:
    with pytest.raises(RuleError):
        parse_yuan(text)


def test_format_yuan() -> None:
    assert format_yuan(990) == "9.90"
    assert format_yuan(-5, symbol=True) == "-¥0.05"


@given(st.integers(min_value=0, max_value=10**9),
       st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=6)
       .filter(lambda w: sum(w) > 0))
def test_split_adds_up_exactly(total: int, weights: list[int]) -> None:
    parts = split_proportionally(total, weights)
    assert sum(parts) == total
    assert all(p >= 0 for p in parts)
    assert all(p == 0 for p, w in zip(parts, weights, strict=True) if w == 0)


@given(st.integers(min_value=-10**9, max_value=10**9))
def test_format_then_parse_round_trips(fen: int) -> None:
    assert parse_yuan(format_yuan(fen)) == fen
