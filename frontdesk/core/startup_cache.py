"""What the window shows before the database is open: the centre's name and the language
remembered from the last start with the same database.

It is only a hint for the first paint (the database is read right after and wins); a
missing, unreadable or unwritable file just means a plain title on this start.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from frontdesk.core.paths import data_dir

CACHE_FILE = "startup.json"
KEEP_DATABASES = 20  # a desk uses one or two; tests and benchmarks make many


@dataclass(frozen=True)
class StartupHint:
    """The centre's name and language as the database last said them ("" / None: unknown)."""

    centre_name: str = ""
    language: str | None = None


def _key(db_url: str | None) -> str:
    url = db_url or os.environ.get("FRONTDESK_DB") or "default"
    centre = (os.environ.get("FRONTDESK_CENTRE") or "").strip().lower()
    return f"{url}#{centre}" if centre else url  # centres of a town database differ


def _load() -> dict[str, dict[str, str]]:
    try:
        data = json.loads((data_dir() / CACHE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def recall(db_url: str | None) -> StartupHint:
    """The hint remembered for ``db_url`` (the same URL the program was started with)."""
    entry = _load().get(_key(db_url))
    if not isinstance(entry, dict):
        return StartupHint()
    name, language = entry.get("centre_name"), entry.get("language")
    return StartupHint(name if isinstance(name, str) else "",
                       language if isinstance(language, str) else None)


def remember(db_url: str | None, hint: StartupHint) -> None:
    """Keep ``hint`` for the next start with ``db_url`` (best effort, atomic replace)."""
    data = _load()
    data.pop(_key(db_url), None)  # re-insert last: the newest entries are kept
    data[_key(db_url)] = {"centre_name": hint.centre_name, "language": hint.language or ""}
    data = dict(list(data.items())[-KEEP_DATABASES:])
    try:
        path = data_dir() / CACHE_FILE
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home costs only the remembered title
