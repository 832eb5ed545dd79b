"""The user's language: Chinese source strings, translated from one catalogue per language.

Every word a user reads passes through :func:`tr`. The source text is the Chinese
(zh_CN) wording; ``resources/translations/<lang>/*.json`` (a file per feature, read through
:mod:`frontdesk.core.resources`) maps it to other languages. A language whose catalogue is
missing from the install is an error (:class:`~frontdesk.core.resources.ResourceMissing`,
logged), never a silent fall-back to Chinese.
The same catalogue serves services, the CLI and the Qt screens, so a message reads
the same wherever it appears. ``python -m frontdesk.core.i18n`` lists strings that
lack a translation.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from frontdesk.core import resources

DEFAULT_LANGUAGE = "zh_CN"
LANGUAGES = {"zh_CN": "简体中文", "en": "English"}

_language = DEFAULT_LANGUAGE
_catalogue: dict[str, str] = {}


def load_catalogue(lang: str) -> dict[str, str]:
    """The translations for ``lang`` (empty for Chinese, which is the source); raises
    ResourceMissing when the install has no catalogue for it."""
    if lang == DEFAULT_LANGUAGE:
        return {}
    merged: dict[str, str] = {}
    for file in resources.catalogue_files(lang):
        merged.update(json.loads(file.read_text(encoding="utf-8")))
    return merged


def set_language(lang: str) -> None:
    """Switch the process to ``lang`` (unknown languages fall back to Chinese; a known one
    whose catalogue is missing raises ResourceMissing and leaves the language as it was)."""
    global _language, _catalogue
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    catalogue = load_catalogue(lang)
    _language, _catalogue = lang, catalogue


def current_language() -> str:
    """The language currently in use."""
    return _language


def N_(text: str) -> str:
    """Mark ``text`` for the catalogue where it is translated later (labels in tables)."""
    return text


def tr(text: str, /, **params: Any) -> str:
    """Translate ``text`` (Chinese source) and fill ``{name}`` placeholders."""
    translated = _catalogue.get(text, text)
    return translated.format(**params) if params else translated


def extract_strings(root: Path) -> set[str]:
    """Every literal passed to ``tr(...)`` or ``N_(...)`` in the package's source files."""
    import ast  # only the catalogue checks parse source

    found: set[str] = set()
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in {"tr", "N_"}
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found


def missing_translations(lang: str = "en") -> list[str]:
    """Source strings with no entry in the ``lang`` catalogue."""
    package = Path(__file__).resolve().parent.parent
    known = load_catalogue(lang)
    return sorted(s for s in extract_strings(package) if s not in known)


if __name__ == "__main__":  # pragma: no cover - a maintenance tool
    missing = missing_translations(sys.argv[1] if len(sys.argv) > 1 else "en")
    for line in missing:
        print(line)
    sys.exit(1 if missing else 0)
