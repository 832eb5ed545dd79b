"""Where the program's files and the user's data live."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "frontdesk"

# The program's own files (fonts, translations, icons) are read through core/resources.py.


def data_dir() -> Path:
    """The per-user data directory (database, backups, printed-document archive).

    ``FRONTDESK_HOME`` overrides it, which tests and portable installs use.
    """
    override = os.environ.get("FRONTDESK_HOME")
    if override:
        path = Path(override)
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path() -> Path:
    """The embedded SQLite database used when no URL is given."""
    return data_dir() / "frontdesk.sqlite3"


def backup_dir() -> Path:
    """Where automatic database backups go."""
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path

