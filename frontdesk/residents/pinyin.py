"""Pinyin search keys for names (张三丰 → zhangsanfeng, zsf), computed when a name is saved.

pypinyin gives the common reading of surnames that read differently as surnames (单 dan,
but the surname is shan; 曾 ceng, surname zeng), so the first character is indexed under
both readings. Characters pypinyin does not know (𠮷) are kept as they are.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from typing import Any

# Surnames whose surname reading differs from pypinyin's everyday reading (both indexed).
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "单": ("shan",), "曾": ("zeng",), "解": ("xie",), "仇": ("qiu",), "朴": ("piao",),
    "区": ("ou",), "查": ("zha",), "盖": ("ge",), "尉": ("yu",), "种": ("chong",),
    "乐": ("yue", "le"), "召": ("shao",), "缪": ("miao",), "翟": ("zhai",), "覃": ("qin",),
    "繁": ("po",), "员": ("yun",), "秘": ("bi",), "折": ("she",), "黑": ("he",),
    "华": ("hua",), "任": ("ren",), "纪": ("ji",), "宁": ("ning",), "燕": ("yan",),
    "洗": ("xian",), "冼": ("xian",), "句": ("gou",), "蕃": ("pi",), "厍": ("she",),
    "隗": ("wei",), "阚": ("kan",), "逄": ("pang",), "柏": ("bai",), "薄": ("bo",),
}
COMPOUND_SURNAMES: dict[str, tuple[str, ...]] = {
    "万俟": ("mo", "qi"), "尉迟": ("yu", "chi"), "长孙": ("zhang", "sun"),
    "澹台": ("tan", "tai"), "令狐": ("ling", "hu"),
}
MAX_VARIANTS = 4


@functools.cache
def _lazy_pinyin() -> Callable[..., Any]:
    from pypinyin import lazy_pinyin  # its dictionaries take ~1 s to load: only when needed

    return lazy_pinyin


def _syllables(name: str) -> list[list[str]]:
    """Readings per character (several for the surname), letters only, lower-case."""
    lazy_pinyin = _lazy_pinyin()
    clean = "".join(c for c in name if c not in "·• ")
    if not clean:
        return []
    def keep(chars: str) -> list[str]:  # unknown characters (𠮷) stay, one item each
        return list(chars)

    syllables = lazy_pinyin(clean, errors=keep)
    readings = [[s.lower()] for s in syllables]
    if len(readings) != len(clean):  # should not happen; be safe and index nothing special
        return readings
    for compound, sounds in COMPOUND_SURNAMES.items():
        if clean.startswith(compound):
            for i, sound in enumerate(sounds):
                if sound not in readings[i]:
                    readings[i].append(sound)
            return readings
    for sound in SURNAME_READINGS.get(clean[0], ()):
        if sound not in readings[0]:
            readings[0].append(sound)
    return readings


@functools.lru_cache(maxsize=65536)  # registries repeat names (张伟, 王芳 ...)
def pinyin_keys(name: str) -> tuple[str, str]:
    """("zhangsanfeng ...", "zsf ...") — space-separated full and initial-letter variants."""
    syllables = _syllables(name)
    if not syllables:
        return "", ""
    full: list[str] = []
    initials: list[str] = []
    for combo in itertools.islice(itertools.product(*syllables), MAX_VARIANTS):
        word = "".join(combo)
        letters = "".join(s[0] for s in combo)
        if word not in full:
            full.append(word)
        if letters not in initials:
            initials.append(letters)
    return " ".join(full), " ".join(initials)
