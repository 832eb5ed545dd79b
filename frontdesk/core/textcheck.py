"""Text a user types into a setup form: trimmed, refused when it is empty, too long or holds
characters nobody can see (control and format characters), the same on SQLite and PostgreSQL.

PostgreSQL cannot store NUL and refuses text longer than a ``varchar(n)``; SQLite stores
anything. Checking here, before the database, makes both behave alike and lets the message
say what is wrong in the user's words.
"""

from __future__ import annotations

import unicodedata

from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr

# Invisible characters a name may legitimately hold: the zero-width joiner inside emoji.
_ALLOWED_FORMAT = {"\u200d"}


def has_hidden_characters(text: str) -> bool:
    """Whether ``text`` holds control, format or line/paragraph separator characters."""
    for ch in text:
        category = unicodedata.category(ch)
        if category in ("Cc", "Zl", "Zp") or (category == "Cf" and ch not in _ALLOWED_FORMAT):
            return True
    return False


def clean_text(value: str | None, *, label: str, max_length: int, required: bool = True) -> str:
    """``value`` trimmed, or a RuleError naming ``label`` (already translated) and why.

    Ideographic spaces inside a name (王　芳) are kept; blanks at either end are removed.
    """
    text = (value or "").strip()
    if not text:
        if required:
            raise RuleError(tr("请填写{label}。", label=label))
        return ""
    if has_hidden_characters(text):
        raise RuleError(tr("{label}里有看不见的控制字符（例如换行、制表符或零宽字符），"
                           "请删除后重新输入。", label=label))
    if len(text) > max_length:
        raise RuleError(tr("{label}太长：最多 {n} 个字，现在是 {m} 个。", label=label,
                           n=max_length, m=len(text)))
    return text
