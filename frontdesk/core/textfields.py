"""One rule for the short text an admin types into a set-up form (a room, a check-in purpose,
a meal session, a team's name, a shop item, an operator's name, the certificate's 负责人):
trimmed, one line, no invisible characters, and no longer than the column holds — refused
with a message that names the field, so SQLite and PostgreSQL (which cannot store NUL and
refuses text longer than a ``varchar(n)``) behave alike.

Names are kept as typed otherwise: 𠮷, 阿依古丽·买买提, 王　芳 (an ideographic space
inside), Latin names, spaces inside and emoji joined with a zero-width joiner all survive.
"""

from __future__ import annotations

import unicodedata

from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr

# Cc: control characters (NUL, ESC, BEL, TAB, newline, GS from a scanner, U+0085);
# Cf: format characters (zero-width space, BOM, direction overrides such as U+202E);
# Cs: lone surrogates; Co: private use; Zl/Zp: line and paragraph separators.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})
# Format characters that join rather than hide: inside emoji (👨‍👩‍👧) and some scripts.
_JOINERS = frozenset("\u200c\u200d")


def _has_hidden_characters(text: str) -> bool:
    """Whether ``text`` holds a character the rule refuses (see the module's notes)."""
    return any(unicodedata.category(ch) in _REFUSED_CATEGORIES and ch not in _JOINERS
               for ch in text)


def clean_line(label: str, value: str | None, *, limit: int, required: bool = False) -> str:
    """``value`` as it is stored: trimmed, one line, at most ``limit`` characters.

    ``label`` is the field's name as the form shows it (already translated). An empty value
    is "" unless ``required``; control characters, line breaks and text longer than
    ``limit`` are refused with a RuleError that says which field and why.
    """
    text = (value or "").strip()
    if not text:
        if required:
            raise RuleError(tr("请填写“{field}”。", field=label))
        return ""
    if _has_hidden_characters(text):
        raise RuleError(tr("“{field}”里有换行、制表符或看不见的控制字符"
                           "（可能来自复制粘贴或扫码枪），请删掉后重新输入。", field=label))
    if len(text) > limit:
        raise RuleError(tr("“{field}”太长：最多 {n} 个字，现在 {m} 个字。", field=label, n=limit,
                           m=len(text)))
    return text
