"""The English catalogue covers every user-visible string, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from frontdesk.core.i18n import load_catalogue, missing_translations, set_language, tr


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_string_has_an_english_translation() -> None:
    assert missing_translations("en") == []


@pytest.mark.parametrize(("source", "translated"), sorted(load_catalogue("en").items()))
def test_translations_keep_the_placeholders(source: str, translated: str) -> None:
    assert _fields(source) == _fields(translated)


def test_tr_switches_language_and_fills_placeholders() -> None:
    assert tr("密码至少需要 {n} 位。", n=6) == "密码至少需要 6 位。"
    set_language("en")
    assert tr("密码至少需要 {n} 位。", n=6) == "The password needs at least 6 characters."
    set_language("xx")  # unknown: back to Chinese
    assert tr("锁屏") == "锁屏"


def test_feature_catalogues_agree_on_shared_words() -> None:
    """One source string has one translation, whichever feature's file it sits in."""
    import json

    from frontdesk.core.resources import catalogue_files

    seen: dict[str, dict[str, str]] = {}
    for path in catalogue_files("en"):
        for source, translated in json.loads(path.read_text(encoding="utf-8")).items():
            seen.setdefault(source, {})[path.name] = translated
    clashes = {s: files for s, files in seen.items() if len(set(files.values())) > 1}
    assert clashes == {}
