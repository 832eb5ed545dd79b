"""One rule for the short text an admin types into a set-up form (a team's name, a shop item,
an operator's name, the certificate's 负责人): trimmed, one line, no invisible control
characters, and no longer than the column holds — refused with a message that names the
field, so SQLite and PostgreSQL (which cannot store NUL and truncates nothing) behave alike.

Names are kept as typed otherwise: 𠮷, 阿依古丽·买买提, 王　芳 (an ideographic space
inside), Latin names and spaces inside all survive.
"""

from __future__ import annotations

import unicodedata

from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr

# Invisible characters that only ever arrive by copy and paste: dropped without a word.
_DROPPED = {"\u200b", "\ufeff", "\u2060", "\u00ad"}  # zero-width space, BOM, word joiner, SHY
# Characters that reorder or break the line on screen and paper: refused.
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F)}


def _bad_character(ch: str) -> bool:
    category = unicodedata.category(ch)
    # Cc: control characters (NUL, ESC, BEL, TAB, newline, GS from a scanner, U+0085);
    # Zl/Zp: line and paragraph separators; Cs: lone surrogates; Co: private use.
    return category in ("Cc", "Zl", "Zp", "Cs", "Co") or ch in _BIDI


def clean_line(label: str, value: str | None, *, limit: int, required: bool = False) -> str:
    """``value`` as it is stored: trimmed, one line, at most ``limit`` characters.

    ``label`` is the field's name as the form shows it (already translated). An empty value
    is "" unless ``required``; control characters, line breaks and text longer than
    ``limit`` are refused with a RuleError that says which field and why.
    """
    text = "".join(ch for ch in (value or "") if ch not in _DROPPED).strip()
    if not text:
        if required:
            raise RuleError(tr("请填写“{field}”。", field=label))
        return ""
    if any(_bad_character(ch) for ch in text):
        raise RuleError(tr("“{field}”里有换行、制表符或看不见的控制字符"
                           "（可能来自复制粘贴或扫码枪），请删掉后重新输入。", field=label))
    if len(text) > limit:
        raise RuleError(tr("“{field}”太长：最多 {n} 个字，现在 {m} 个字。", field=label, n=limit,
                           m=len(text)))
    return text
